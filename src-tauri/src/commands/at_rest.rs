//! Encryption at rest from the window: how the store is protected, unlocking it at start,
//! protecting a plain store with a passphrase, changing the passphrase. The key work is
//! `fieldbook_client::at_rest`'s; re-keying closes and reopens the app's connections
//! (`AppState::reprotect`) and runs on a worker thread, never the window's. Passphrases
//! arrive as strings from the window; each is wiped from memory once used.

use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::{AtRest, Protection, at_rest};
use serde::Serialize;
use std::path::Path;
use tauri::State;
use zeroize::Zeroizing;

/// How the store is protected at rest, as the unlock screen and Settings show it.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AtRestInfo {
    /// Encrypted with a key derived from a passphrase.
    pub encrypted: bool,
    /// Encrypted, and this app has not unlocked it yet.
    pub locked: bool,
    /// The shortest passphrase accepted.
    pub min_passphrase: u32,
}

impl AtRestInfo {
    pub fn of(dir: &Path, locked: bool) -> AtRestInfo {
        AtRestInfo {
            encrypted: at_rest::at_rest(dir) == AtRest::Passphrase,
            locked,
            min_passphrase: u32::try_from(at_rest::MIN_PASSPHRASE).unwrap_or(u32::MAX),
        }
    }
}

/// Unlocks the encrypted store with its passphrase and opens it. A wrong passphrase answers
/// `wrongPassphrase` and changes nothing.
#[tauri::command(async)]
#[specta::specta]
pub fn unlock_store(state: State<'_, AppState>, passphrase: String) -> Result<(), AppError> {
    state.unlock(&Zeroizing::new(passphrase))
}

/// Encrypts the plain store with a key derived from `passphrase` (a whole new file swapped
/// in: a large store takes a while; the window stays responsive).
#[tauri::command(async)]
#[specta::specta]
pub fn protect_store(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<AtRestInfo, AppError> {
    state.reprotect(&Protection::Passphrase(Zeroizing::new(passphrase)))?;
    Ok(AtRestInfo::of(state.data_dir(), false))
}

/// Changes the passphrase of the encrypted store: `current` must open it (checked first;
/// nothing changes otherwise), then the store is re-keyed from `next`.
#[tauri::command(async)]
#[specta::specta]
pub fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    next: String,
) -> Result<AtRestInfo, AppError> {
    at_rest::unlock(state.data_dir(), &Zeroizing::new(current))?;
    state.reprotect(&Protection::Passphrase(Zeroizing::new(next)))?;
    Ok(AtRestInfo::of(state.data_dir(), false))
}
