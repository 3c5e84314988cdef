//! The store and its settings, the field contract, and desktop notifications.

use super::at_rest::AtRestInfo;
use super::write;
use crate::error::{AppError, ErrorKind};
use crate::state::AppState;
use fieldbook_client::describe::{SchemaInfo, schema_info};
use fieldbook_client::{Protection, Store};
use serde::Serialize;
use tauri::State;
use tauri_plugin_notification::NotificationExt as _;

/// The open store's settings.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StoreInfo {
    pub store_id: String,
    /// The user name this device writes as.
    pub user: String,
    /// ISO 4217 code of the currency new deals, quotes and products get.
    pub default_currency: String,
    /// The device's code, part of every quote number made here.
    pub device_code: String,
}

impl From<&Store> for StoreInfo {
    fn from(store: &Store) -> StoreInfo {
        let s = store.settings();
        StoreInfo {
            store_id: s.store_id.to_string(),
            user: s.user.clone(),
            default_currency: s.default_currency.clone(),
            device_code: s.device_code.clone(),
        }
    }
}

/// What the app shows at start: where the store is, and the store (none before first run,
/// or while it is locked: `at_rest.locked`).
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub data_dir: String,
    pub store: Option<StoreInfo>,
    pub version: String,
    pub at_rest: AtRestInfo,
}

/// Opens the store if there is one (and it is not locked).
#[tauri::command(async)]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    let (store, locked) = match state.store() {
        Ok(guard) => (guard.get().map(StoreInfo::from), false),
        Err(e) if e.kind == ErrorKind::Locked => (None, true),
        Err(e) => return Err(e),
    };
    Ok(AppInfo {
        data_dir: state.data_dir().display().to_string(),
        store,
        version: env!("CARGO_PKG_VERSION").into(),
        at_rest: AtRestInfo::of(state.data_dir(), locked),
    })
}

/// First run: creates the store for `user`, with `currency` as its default currency,
/// encrypted with a key derived from `passphrase` (or plain, when it is `null`).
#[tauri::command(async)]
#[specta::specta]
pub fn init_store(
    state: State<'_, AppState>,
    user: String,
    currency: String,
    passphrase: Option<String>,
) -> Result<StoreInfo, AppError> {
    let protection = match passphrase {
        Some(p) => Protection::Passphrase(zeroize::Zeroizing::new(p)),
        None => Protection::None,
    };
    let store = state.init(&user, &currency, &protection)?;
    Ok(StoreInfo::from(store.require()?))
}

/// The field contract: kinds, fields, stages, activity kinds, quote statuses.
#[tauri::command(async)]
#[specta::specta]
pub fn schema() -> SchemaInfo {
    schema_info()
}

/// Changes the currency new deals, quotes and products get.
#[tauri::command(async)]
#[specta::specta]
pub fn set_default_currency(
    state: State<'_, AppState>,
    currency: String,
) -> Result<StoreInfo, AppError> {
    write(&state, |store| {
        store.set_default_currency(&currency)?;
        Ok((StoreInfo::from(&*store), Vec::new()))
    })
}

/// Shows a desktop notification (the front-end words it in the user's language). Whether
/// the desktop showed it is not an error the user can act on: a desktop without a
/// notification service answers `false`.
#[tauri::command(async)]
#[specta::specta]
pub fn notify(app: tauri::AppHandle, title: String, body: String) -> bool {
    app.notification()
        .builder()
        .title(title)
        .body(body)
        .show()
        .is_ok()
}
