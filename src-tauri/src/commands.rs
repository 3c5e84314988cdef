//! The commands the front-end calls, and the types they return. Each one passes values
//! between the front-end and `fieldbook-client`: no SQL, no rules. Commands run off the
//! main thread (`async` attribute) so a slow disk never freezes the window.
//!
//! Register a new command in [`crate::bindings::builder`]; the bindings test then asks for
//! `ui/src/bindings.ts` to be regenerated.

use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::Store;
use serde::Serialize;
use tauri::State;

/// The open store's settings, fixed when it was created.
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

/// What the app shows at start: where the store is, and the store (none before first run).
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub data_dir: String,
    pub store: Option<StoreInfo>,
    pub version: String,
}

/// The sync state the badge shows; read from the store alone, with no network.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// The server this device signs in to; `None` while it has only worked offline.
    pub server: Option<String>,
    /// The signed-in user; `None` when signed out.
    pub user: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_sync: Option<String>,
    /// Changes made here that the server has not acknowledged yet.
    pub pending: u64,
}

/// Opens the store if there is one.
#[tauri::command(async)]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    let store = state.store()?;
    Ok(AppInfo {
        data_dir: state.data_dir().display().to_string(),
        store: store.get().map(StoreInfo::from),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// First run: creates the store for `user`, with `currency` as its default currency.
#[tauri::command(async)]
#[specta::specta]
pub fn init_store(
    state: State<'_, AppState>,
    user: String,
    currency: String,
) -> Result<StoreInfo, AppError> {
    let store = state.init(&user, &currency)?;
    let store = store.require(state.data_dir())?;
    Ok(StoreInfo::from(store))
}

/// The sync state: server, user, last sync, changes waiting.
#[tauri::command(async)]
#[specta::specta]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncState, AppError> {
    let store = state.store()?;
    let s = store.require(state.data_dir())?.sync_status()?;
    Ok(SyncState {
        server: s.server,
        user: s.user,
        last_sync: s.last_sync,
        pending: s.pending,
    })
}
