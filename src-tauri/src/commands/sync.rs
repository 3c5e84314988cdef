//! The sync: its state, "sync now", signing in and out. Signing in and out talk to the
//! server on a blocking thread of their own with their own connection (the sync thread may
//! be busy with a long pull; the HTTP client blocks, which an async worker must not);
//! everything else only wakes the sync thread.

use crate::error::AppError;
use crate::service::Wake;
use crate::service::status::{SyncPhase, SyncProblem, SyncView};
use crate::state::AppState;
use fieldbook_client::SyncEngine;
use serde::Serialize;
use tauri::{AppHandle, Manager as _, State};

/// The sync state: phase, server, user, last sync, changes waiting, the last problem.
/// The store is read again (another program, such as the `fieldbook` command, may have
/// written to it); the phase and the problem are the sync service's.
#[tauri::command(async)]
#[specta::specta]
pub fn sync_state(state: State<'_, AppState>) -> Result<SyncView, AppError> {
    let status = state.store()?.require()?.sync_status()?;
    let view = state
        .with_service(|s| s.view())
        .ok_or_else(|| AppError::failed("the sync service is not running"))?;
    Ok(SyncView::from_status(status, view.phase, view.problem))
}

/// Asks for a sync now (it runs in the background; its progress arrives as events).
#[tauri::command(async)]
#[specta::specta]
pub fn sync_now(state: State<'_, AppState>) -> Result<(), AppError> {
    state.store()?.require()?;
    state.with_service(|s| s.wake(Wake::Now));
    Ok(())
}

/// The answer to a sign-in: the state after it, or why it failed (in the terms the
/// sync badge uses, with the library's words).
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginOutcome {
    pub state: Option<SyncView>,
    pub problem: Option<SyncProblem>,
}

/// Signs in to `url` as `user` (the certificate authority in `FIELDBOOK_CA_CERT` is
/// trusted besides the system's); the sync starts at once.
#[tauri::command]
#[specta::specta]
pub async fn login(
    app: AppHandle,
    url: String,
    user: String,
    password: String,
) -> Result<LoginOutcome, AppError> {
    blocking(app, move |state| sign_in(state, &url, &user, &password)).await
}

/// Runs `f` on a thread that may block (on the network), with the app's state.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| AppError::failed(format!("the sign-in stopped unexpectedly: {e}")))?
}

fn sign_in(
    state: &AppState,
    url: &str,
    user: &str,
    password: &str,
) -> Result<LoginOutcome, AppError> {
    state.store()?.require()?;
    let mut engine = SyncEngine::open(state.data_dir())?;
    match engine.login(url, user, password, None) {
        Ok(_) => {
            state.with_service(|s| s.wake(Wake::SignedIn));
            let status = engine.store().sync_status()?;
            Ok(LoginOutcome {
                state: Some(SyncView::from_status(status, SyncPhase::Idle, None)),
                problem: None,
            })
        }
        Err(e) => match SyncProblem::of_login(&e) {
            Some(problem) => Ok(LoginOutcome {
                state: None,
                problem: Some(problem),
            }),
            None => Err(e.into()),
        },
    }
}

/// Signs out: the running sync stops, the server revokes this device's token when it can
/// be reached (the token is forgotten here either way). Changes waiting stay on this
/// device and go up at the next sign-in.
#[tauri::command]
#[specta::specta]
pub async fn logout(app: AppHandle) -> Result<SyncView, AppError> {
    blocking(app, sign_out).await
}

fn sign_out(state: &AppState) -> Result<SyncView, AppError> {
    state.store()?.require()?;
    state.with_service(|s| s.cancel_running());
    let mut engine = SyncEngine::open(state.data_dir())?;
    engine.logout()?;
    state.with_service(|s| s.wake(Wake::SignedOut));
    let status = engine.store().sync_status()?;
    Ok(SyncView::from_status(status, SyncPhase::SignedOut, None))
}
