//! The commands the front-end calls, by area, and the types they carry. Each one passes
//! values between the front-end and `fieldbook-client`: no SQL, no rules. Commands run off
//! the main thread (`async` attribute) so a slow disk never freezes the window, and none
//! waits on the network but signing in and out (a sync runs on its own thread: `service`).
//!
//! Areas: [`app`] (the store, its settings, the schema, notifications), [`at_rest`]
//! (unlock, protect, change the passphrase), [`records`] (read, list, write, notes,
//! conflicts, history, search, the day's agenda), [`pipeline`], [`reports`] (the managers'
//! dashboard and hand-over), [`quotes`] (quote lines), [`followup`] (converting leads;
//! reminders: dismiss, snooze, renew), [`sync`] (state, sync now, sign in and out),
//! [`import`] (the import wizard), [`duplicates`] (likely duplicates, merge).
//!
//! Register a new command in [`crate::bindings::builder`]; the bindings test then asks for
//! `ui/src/bindings.ts` to be regenerated.

pub mod app;
pub mod at_rest;
pub mod duplicates;
pub mod followup;
pub mod import;
pub mod pipeline;
pub mod quotes;
pub mod records;
pub mod reports;
pub mod sync;

use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::{ClientError, RecordView, Store};
use uuid::Uuid;

/// Reads the store.
pub(crate) fn read<T>(
    state: &AppState,
    f: impl FnOnce(&Store) -> Result<T, ClientError>,
) -> Result<T, AppError> {
    let guard = state.store()?;
    Ok(f(guard.require()?)?)
}

/// Writes through the store, then tells the front-end which records changed (the ids `f`
/// returns with its answer) and wakes the sync.
pub(crate) fn write<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<(T, Vec<Uuid>), ClientError>,
) -> Result<T, AppError> {
    let (out, ids) = {
        let mut guard = state.store()?;
        f(guard.require_mut()?)?
    };
    state.written(ids);
    Ok(out)
}

/// Writes to one record and answers it as it now is.
pub(crate) fn write_record(
    state: &AppState,
    id: Uuid,
    f: impl FnOnce(&mut Store) -> Result<(), ClientError>,
) -> Result<RecordView, AppError> {
    write(state, |store| {
        f(store)?;
        Ok((store.record(id)?, vec![id]))
    })
}
