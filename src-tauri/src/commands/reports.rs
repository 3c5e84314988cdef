//! The managers' dashboard and hand-over. Reports are computed by `fieldbook-client` from
//! this device's own copy (offline); a hand-over's preview is counted here too, and the
//! hand-over itself is asked of the server (on a blocking thread, like signing in), after
//! which the sync is woken so this device learns what moved.

use super::read;
use crate::error::AppError;
use crate::service::Wake;
use crate::state::AppState;
use fieldbook_client::handover::{Handover, HandoverPreview};
use fieldbook_client::protocol::DeviceInfo;
use fieldbook_client::report::{Report, ReportRequest};
use fieldbook_client::{Rates, RfmRules, StaleRules, SyncEngine};
use serde::Serialize;
use tauri::{AppHandle, Manager as _, State};

/// One report over this device's copy of the records its user may see.
#[tauri::command(async)]
#[specta::specta]
pub fn report(state: State<'_, AppState>, request: ReportRequest) -> Result<Report, AppError> {
    read(&state, |s| s.report(&request))
}

/// What the dashboard starts from: the default rules of the stale and RFM reports, the
/// store's currency and its exchange rates (whether "converted" can be offered).
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct ReportSettings {
    pub stale: StaleRules,
    pub rfm: RfmRules,
    pub default_currency: String,
    pub rates: Option<Rates>,
}

#[tauri::command(async)]
#[specta::specta]
pub fn report_settings(state: State<'_, AppState>) -> Result<ReportSettings, AppError> {
    read(&state, |s| {
        Ok(ReportSettings {
            stale: StaleRules::default(),
            rfm: RfmRules::default(),
            default_currency: s.settings().default_currency.clone(),
            rates: s.rates()?,
        })
    })
}

/// The owners of the accounts this device holds (the dashboard's owner filter, the
/// hand-over's choices).
#[tauri::command(async)]
#[specta::specta]
pub fn account_owners(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    read(&state, |s| s.account_owners())
}

/// What a hand-over would move, per kind, as this device knows it.
#[tauri::command(async)]
#[specta::specta]
pub fn handover_preview(
    state: State<'_, AppState>,
    handover: Handover,
) -> Result<HandoverPreview, AppError> {
    read(&state, |s| s.handover_preview(&handover))
}

/// The team's devices as the server knows them (knowledge at risk): asked of the server,
/// on a blocking thread; offline, the error says so.
#[tauri::command]
#[specta::specta]
pub async fn team_devices(app: AppHandle) -> Result<Vec<DeviceInfo>, AppError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.store()?.require()?;
        Ok(SyncEngine::open(state.data_dir())?.devices()?)
    })
    .await
    .map_err(|e| AppError::failed(format!("asking for the devices stopped unexpectedly: {e}")))?
}

/// What the server moved.
#[derive(Clone, Debug, Serialize, specta::Type)]
pub struct Reassigned {
    pub accounts: u64,
    pub records: u64,
}

/// Asks the server to hand the accounts over; the sync then runs at once.
#[tauri::command]
#[specta::specta]
pub async fn reassign(app: AppHandle, handover: Handover) -> Result<Reassigned, AppError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.store()?.require()?;
        let mut engine = SyncEngine::open(state.data_dir())?;
        let moved = engine.reassign_accounts(&handover)?;
        state.with_service(|s| s.wake(Wake::Now));
        Ok(Reassigned {
            accounts: moved.accounts,
            records: moved.records,
        })
    })
    .await
    .map_err(|e| AppError::failed(format!("the hand-over stopped unexpectedly: {e}")))?
}
