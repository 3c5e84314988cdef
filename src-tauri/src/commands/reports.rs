//! The managers' dashboard and hand-over. Reports are computed by `fieldbook-client` from
//! this device's own copy (offline); the team's devices, a hand-over's preview and the
//! hand-over itself are asked of the server (on a blocking thread, like signing in), and
//! after a hand-over the sync is woken so this device learns what moved.

use super::read;
use crate::error::AppError;
use crate::service::Wake;
use crate::state::AppState;
use fieldbook_client::handover::Handover;
use fieldbook_client::protocol::{DEFAULT_WARN_DAYS, MovePreview, TeamStatus};
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

/// Runs `f` with a sync engine of its own on a thread that may block on the network.
async fn with_server<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState, &mut SyncEngine) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.store()?.require()?;
        let mut engine = SyncEngine::open(state.data_dir())?;
        f(&state, &mut engine)
    })
    .await
    .map_err(|e| {
        AppError::failed(format!(
            "the request to the server stopped unexpectedly: {e}"
        ))
    })?
}

/// What a hand-over would move, counted by the server (nothing written), and which devices
/// losing the records held unsynced changes.
#[tauri::command]
#[specta::specta]
pub async fn handover_preview(app: AppHandle, handover: Handover) -> Result<MovePreview, AppError> {
    with_server(app, move |_, engine| {
        Ok(engine.preview_reassign_accounts(&handover)?)
    })
    .await
}

/// Knowledge at risk: the team's users and their devices as the server last heard from
/// them, flagged after three days without a sync or with unsynced changes.
#[tauri::command]
#[specta::specta]
pub async fn team_status(app: AppHandle) -> Result<TeamStatus, AppError> {
    with_server(app, |_, engine| Ok(engine.team_status(DEFAULT_WARN_DAYS)?)).await
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
    with_server(app, move |state, engine| {
        let moved = engine.reassign_accounts(&handover)?;
        state.with_service(|s| s.wake(Wake::Now));
        Ok(Reassigned {
            accounts: moved.accounts,
            records: moved.records,
        })
    })
    .await
}
