//! Store keys remembered in the OS keyring (the Secret Service on Linux, the Keychain on
//! macOS, the Credential Manager on Windows), so that a store unlocked once with its
//! passphrase opens on this computer without it (the app at start, every command).
//!
//! The keyring entry holds the derived 32-byte key, never the passphrase, and is named by
//! the key file's salt: a new passphrase (a new salt) makes the old entry useless, and it
//! is deleted. Where no keyring answers (no session bus, a headless machine), every call
//! says so and the passphrase stays the way in; nothing is written anywhere else.
//! `FIELDBOOK_KEYRING=off` keeps a process away from the keyring altogether.
//!
//! Knows the key file's salt and the unlocked keys of [`super::at_rest`]; nothing of
//! records, SQL or sync.

use super::at_rest::{self, Key};
use crate::error::{ClientError, Result};
use std::path::Path;

/// The keyring service every entry is filed under.
const SERVICE: &str = "fieldbook";
/// Set to `off` to keep this process away from the OS keyring.
pub const KEYRING_ENV: &str = "FIELDBOOK_KEYRING";

fn disabled() -> bool {
    std::env::var(KEYRING_ENV).is_ok_and(|v| v.eq_ignore_ascii_case("off"))
}

fn unavailable(why: impl std::fmt::Display) -> ClientError {
    ClientError::NoKeyring(why.to_string())
}

fn entry(salt: &str) -> Result<::keyring::Entry> {
    if disabled() {
        return Err(unavailable(format!("{KEYRING_ENV}=off")));
    }
    ::keyring::Entry::new(SERVICE, &format!("store-key-{salt}")).map_err(unavailable)
}

/// Whether this process can reach an OS keyring.
pub fn available() -> bool {
    !disabled() && ::keyring::Entry::store_status().is_ok()
}

/// Remembers the key of the store in `dir` (unlocked in this process) in the OS keyring.
pub fn remember(dir: &Path) -> Result<()> {
    let salt = at_rest::current_salt(dir)?.ok_or_else(|| ClientError::NotEncrypted(dir.into()))?;
    let key = at_rest::key_for(dir)?.ok_or_else(|| ClientError::NotEncrypted(dir.into()))?;
    entry(&salt)?.set_secret(key.bytes()).map_err(unavailable)
}

/// Whether the key of the store in `dir` is in the OS keyring.
pub fn is_remembered(dir: &Path) -> bool {
    matches!(stored(dir), Ok(Some(_)))
}

/// Deletes the remembered key of the store in `dir`; whether there was one.
pub fn forget(dir: &Path) -> Result<bool> {
    match at_rest::current_salt(dir)? {
        Some(salt) => forget_salt(&salt),
        None => Ok(false),
    }
}

/// Deletes the entry of the key with this salt (a key being replaced).
pub(crate) fn forget_salt(salt: &str) -> Result<bool> {
    match entry(salt)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(::keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(unavailable(e)),
    }
}

/// The remembered key of the store in `dir`, if the keyring holds one.
fn stored(dir: &Path) -> Result<Option<Key>> {
    let Some(salt) = at_rest::current_salt(dir)? else {
        return Ok(None);
    };
    match entry(&salt)?.get_secret() {
        Ok(bytes) => Ok(Key::from_bytes(&bytes)),
        Err(::keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

/// Unlocks the store in `dir` for this process with its remembered key: `Ok(true)` when
/// it did; `Ok(false)` when there is no keyring, no entry, or the entry no longer opens
/// the store (then it is deleted) — the passphrase is asked for then.
pub fn unlock(dir: &Path) -> Result<bool> {
    if at_rest::at_rest(dir) != at_rest::AtRest::Passphrase {
        return Ok(false);
    }
    let key = match stored(dir) {
        Ok(Some(key)) => key,
        Ok(None) | Err(ClientError::NoKeyring(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    if at_rest::unlock_with_key(dir, key)? {
        return Ok(true);
    }
    let _ = forget(dir);
    Ok(false)
}
