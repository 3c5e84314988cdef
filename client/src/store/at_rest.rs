//! Encryption at rest: the store file (and its write-ahead log) encrypted by SQLCipher
//! with a 256-bit key that never sits on disk in clear.
//!
//! The key is derived from the user's passphrase with argon2id; the derivation's salt and
//! costs live beside the store in `fieldbook.key` (JSON, nothing secret in it). A store
//! without that file is a plain SQLite file (stores made before encryption existed, or made
//! with [`Protection::None`]).
//!
//! A process unlocks a store once ([`unlock`]): the derived key is kept in memory, for this
//! process only, and every connection it opens to that store afterwards (the app's UI, its
//! sync thread) uses it. Keys are wiped from memory when dropped.
//!
//! Changing the protection (encrypting a plain store, a new passphrase, decrypting) writes
//! a whole new file with SQLCipher's `sqlcipher_export` and swaps it in by rename, holding
//! the old and the new file locked meanwhile, so a kill at any moment leaves either the old
//! store with its old key or the new one with its new key (the new key file is written as
//! `fieldbook.key.new` first; opening tries it, then the old one, and finishes the swap).
//!
//! Knows SQL only to key connections and copy a database; nothing of records or sync.

use crate::error::{ClientError, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use parking_lot::Mutex;
use rand::Rng;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// The key file's name inside a data directory.
pub const KEY_FILE: &str = "fieldbook.key";
const NEW_KEY_FILE: &str = "fieldbook.key.new";

/// The shortest passphrase accepted (as for the server's passwords).
pub const MIN_PASSPHRASE: usize = 8;

/// argon2id costs for new keys: 19 MiB, 2 passes, one lane (OWASP's recommended minimum
/// for argon2id). Every command of the command line derives the key again, so this is paid
/// per command (~40 ms); each guess of an attacker costs the same time and memory. The
/// costs are stored in the key file: stronger ones can come without breaking old stores.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;

/// How a store is protected at rest (asked for when it is created or re-keyed).
#[derive(Clone)]
pub enum Protection {
    /// A plain SQLite file: anyone who can read the file reads the records.
    None,
    /// Encrypted with a key derived from this passphrase.
    Passphrase(Zeroizing<String>),
}

impl Protection {
    pub fn passphrase(p: &str) -> Protection {
        Protection::Passphrase(Zeroizing::new(p.to_string()))
    }
}

impl std::fmt::Debug for Protection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protection::None => "Protection::None",
            Protection::Passphrase(_) => "Protection::Passphrase(..)",
        })
    }
}

/// How a store on disk is protected, as its directory tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AtRest {
    Plain,
    Passphrase,
}

/// A store's key: 32 bytes, wiped from memory when dropped.
#[derive(Clone)]
pub(crate) struct Key(Zeroizing<[u8; 32]>);

impl Key {
    /// A key read back from elsewhere (the OS keyring): exactly 32 bytes, or none.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Key> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Key(Zeroizing::new(array)))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0[..]
    }

    /// The `PRAGMA key` value: a raw key in SQLCipher's blob-literal form (no second
    /// derivation inside SQLCipher).
    fn pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(*self.0)))
    }
}

/// What `fieldbook.key` holds: how to derive the key from the passphrase.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct KeyFile {
    version: u32,
    kdf: String,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
}

impl KeyFile {
    fn fresh() -> KeyFile {
        let salt: [u8; 16] = rand::rng().random();
        KeyFile {
            version: 1,
            kdf: "argon2id".into(),
            memory_kib: MEMORY_KIB,
            passes: PASSES,
            lanes: 1,
            salt: hex::encode(salt),
        }
    }

    fn derive(&self, passphrase: &str) -> Result<Key> {
        let bad = |why: String| ClientError::DamagedStore(format!("{KEY_FILE}: {why}"));
        if self.version != 1 || self.kdf != "argon2id" {
            return Err(bad(format!(
                "unknown key derivation `{}` v{}: written by a newer Fieldbook?",
                self.kdf, self.version
            )));
        }
        let salt = hex::decode(&self.salt).map_err(|e| bad(e.to_string()))?;
        let params = Params::new(self.memory_kib, self.passes, self.lanes, Some(32))
            .map_err(|e| bad(e.to_string()))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, &mut *key)
            .map_err(|e| bad(e.to_string()))?;
        Ok(Key(key))
    }

    fn read(path: &Path) -> Result<Option<KeyFile>> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| ClientError::DamagedStore(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(ClientError::Io {
                path: path.to_path_buf(),
                source: e,
            }),
        }
    }

    /// Written whole and flushed to disk before it is used.
    fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("a key file serializes");
        let f = std::fs::File::create(path).map_err(ClientError::io(path))?;
        std::io::Write::write_all(&mut &f, &json).map_err(ClientError::io(path))?;
        f.sync_all().map_err(ClientError::io(path))
    }
}

/// The keys this process unlocked, by canonical data directory.
fn unlocked() -> &'static Mutex<HashMap<PathBuf, Key>> {
    static KEYS: OnceLock<Mutex<HashMap<PathBuf, Key>>> = OnceLock::new();
    KEYS.get_or_init(Default::default)
}

fn canonical(dir: &Path) -> Result<PathBuf> {
    dir.canonicalize().map_err(ClientError::io(dir))
}

/// How the store in `dir` is protected.
pub fn at_rest(dir: &Path) -> AtRest {
    if dir.join(KEY_FILE).exists() || dir.join(NEW_KEY_FILE).exists() {
        AtRest::Passphrase
    } else {
        AtRest::Plain
    }
}

/// Unlocks the store in `dir` with its passphrase for this process: checked against the
/// store file, then kept in memory until the process ends or [`lock`] is called.
pub fn unlock(dir: &Path, passphrase: &str) -> Result<()> {
    let path = dir.join(super::STORE_FILE);
    if !path.is_file() {
        return Err(ClientError::NoStore(dir.to_path_buf()));
    }
    if settle(dir)? {
        return Err(ClientError::NotEncrypted(dir.to_path_buf()));
    }
    for (file, candidate) in key_files(dir)? {
        let key = candidate.derive(passphrase)?;
        if opens(&path, Some(&key))? {
            finish_swap(dir, &file)?;
            unlocked().lock().insert(canonical(dir)?, key);
            return Ok(());
        }
    }
    Err(ClientError::WrongPassphrase)
}

/// Unlocks the store in `dir` with a key kept elsewhere (the OS keyring): whether it
/// opens the store.
pub(crate) fn unlock_with_key(dir: &Path, key: Key) -> Result<bool> {
    let path = dir.join(super::STORE_FILE);
    if !path.is_file() {
        return Err(ClientError::NoStore(dir.to_path_buf()));
    }
    if settle(dir)? || !opens(&path, Some(&key))? {
        return Ok(false);
    }
    // The key of the key file opens the store: a swap to a new key never took place.
    finish_swap(dir, &dir.join(KEY_FILE))?;
    unlocked().lock().insert(canonical(dir)?, key);
    Ok(true)
}

/// The salt of the store's current key file (it names the key in the OS keyring).
pub(crate) fn current_salt(dir: &Path) -> Result<Option<String>> {
    for name in [KEY_FILE, NEW_KEY_FILE] {
        if let Some(file) = KeyFile::read(&dir.join(name))? {
            return Ok(Some(file.salt));
        }
    }
    Ok(None)
}

/// Whether the store in `dir` is a plain file, finishing a change of protection a kill
/// interrupted: key files beside a file that opens with no key are those of a swap to a
/// key that never took place, or of a swap to no key that did; either way they go.
fn settle(dir: &Path) -> Result<bool> {
    let files = key_files(dir)?;
    let path = dir.join(super::STORE_FILE);
    if files.is_empty() {
        return Ok(true);
    }
    if !opens(&path, None)? {
        return Ok(false);
    }
    for (file, _) in files {
        std::fs::remove_file(&file).map_err(ClientError::io(&file))?;
    }
    super::sync_dir(dir)?;
    Ok(true)
}

/// Forgets this process's key of the store in `dir`.
pub fn lock(dir: &Path) {
    if let Ok(dir) = canonical(dir) {
        unlocked().lock().remove(&dir);
    }
}

/// The key to open the store in `dir` with: none for a plain store, the unlocked key for
/// an encrypted one, [`ClientError::Locked`] when this process has not unlocked it.
pub(crate) fn key_for(dir: &Path) -> Result<Option<Key>> {
    let files = key_files(dir)?;
    if files.is_empty() {
        return Ok(None);
    }
    if let Some(key) = unlocked().lock().get(&canonical(dir)?) {
        return Ok(Some(key.clone()));
    }
    if settle(dir)? {
        return Ok(None);
    }
    Err(ClientError::Locked(dir.to_path_buf()))
}

/// The key files of `dir` to try, the one of an unfinished swap first.
fn key_files(dir: &Path) -> Result<Vec<(PathBuf, KeyFile)>> {
    let mut files = Vec::new();
    for name in [NEW_KEY_FILE, KEY_FILE] {
        let path = dir.join(name);
        if let Some(k) = KeyFile::read(&path)? {
            files.push((path, k));
        }
    }
    Ok(files)
}

/// A swap that was killed after the new file went into place: the new key file becomes
/// the key file. One that was killed before: the new key file goes.
fn finish_swap(dir: &Path, used: &Path) -> Result<()> {
    let new = dir.join(NEW_KEY_FILE);
    if used == new {
        rename_if_there(&new, &dir.join(KEY_FILE))?;
    } else if new.exists() {
        std::fs::remove_file(&new).map_err(ClientError::io(&new))?;
    }
    super::sync_dir(dir)
}

fn rename_if_there(from: &Path, to: &Path) -> Result<()> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        // Another process finished the same swap first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ClientError::Io {
            path: to.to_path_buf(),
            source: e,
        }),
    }
}

/// Keys a fresh connection (before anything else reads the file).
pub(crate) fn apply(conn: &Connection, key: Option<&Key>) -> Result<()> {
    // SQLCipher would log every failed decryption to stderr: a wrong passphrase is an
    // answer to the caller, not noise on the terminal.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", &*key.pragma())?;
    }
    // Sorts and temporary tables in memory: nothing decrypted lands in a temporary file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Whether `key` (or no key) opens the store file at `path` (read-only, as the store
/// itself may be).
fn opens(path: &Path, key: Option<&Key>) -> Result<bool> {
    let conn = Connection::open_with_flags(
        super::open::read_only_uri(path),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )?;
    // A change of protection in progress holds the file for a moment: wait for it.
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    apply(&conn, key)?;
    readable(&conn)
}

/// Reads the schema: SQLite answers "file is not a database" when the key is wrong.
pub(crate) fn readable(conn: &Connection) -> Result<bool> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(true),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The key and key file for a new store protected by `protection`.
pub(crate) fn new_key(protection: &Protection) -> Result<Option<(Key, KeyFile)>> {
    match protection {
        Protection::None => Ok(None),
        Protection::Passphrase(p) => {
            check_passphrase(p)?;
            let file = KeyFile::fresh();
            Ok(Some((file.derive(p)?, file)))
        }
    }
}

fn check_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE {
        return Err(ClientError::WeakPassphrase {
            min: MIN_PASSPHRASE,
        });
    }
    Ok(())
}

/// Writes the key file of a store being created (before its file is renamed into place:
/// a store file never exists without the key file it needs).
pub(crate) fn write_key_file(dir: &Path, file: &KeyFile) -> Result<()> {
    let path = dir.join(KEY_FILE);
    file.write(&path)?;
    super::sync_dir(dir)
}

/// Removes the key files of `dir` (a plain store is made or wiped there).
pub(crate) fn remove_key_files(dir: &Path) -> Result<()> {
    for name in [NEW_KEY_FILE, KEY_FILE] {
        let path = dir.join(name);
        if path.exists() {
            std::fs::remove_file(&path).map_err(ClientError::io(&path))?;
        }
    }
    Ok(())
}

/// Remembers the key of a store this process just made or re-keyed.
pub(crate) fn remember(dir: &Path, key: Option<Key>) -> Result<()> {
    let dir = canonical(dir)?;
    match key {
        Some(key) => unlocked().lock().insert(dir, key),
        None => unlocked().lock().remove(&dir),
    };
    Ok(())
}

/// Changes how the store in `dir` is protected (see the module documentation). The store
/// must be unlocked in this process if it is encrypted, and open nowhere else (another
/// program, or another connection of this one): [`ClientError::StoreInUse`] otherwise.
pub fn protect(dir: &Path, protection: &Protection) -> Result<()> {
    let path = dir.join(super::STORE_FILE);
    if !path.is_file() {
        return Err(ClientError::NoStore(dir.to_path_buf()));
    }
    let old_key = key_for(dir)?;
    let new = new_key(protection)?;
    let old_salt = current_salt(dir)?;
    let was_remembered = old_salt.is_some() && super::keyring::is_remembered(dir);
    let new_key_ref = new.as_ref().map(|(k, _)| k);

    // The old file, locked for good: no other connection may be open, none may open it
    // until it is replaced.
    let old = exclusive(&path, old_key.as_ref(), dir)?;
    old.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;

    let copy = dir.join(format!("{}.rekey", super::STORE_FILE));
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let stale = PathBuf::from(format!("{}{suffix}", copy.display()));
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(ClientError::io(&stale))?;
        }
    }
    // An empty key attaches a plain file.
    let copy_key = new_key_ref
        .map(|k| k.pragma())
        .unwrap_or_else(|| Zeroizing::new(String::new()));
    old.execute(
        "ATTACH DATABASE ?1 AS rekey KEY ?2",
        rusqlite::params![copy.to_string_lossy(), copy_key.as_str()],
    )?;
    old.query_row("SELECT sqlcipher_export('rekey')", [], |_| Ok(()))?;
    let version: i64 = old.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    old.pragma_update(Some("rekey"), "user_version", version)?;
    old.execute("DETACH DATABASE rekey", [])?;
    std::fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .map_err(ClientError::io(&copy))?;

    // The copy, locked too before it takes the store's name: a program that opens the
    // store meanwhile waits until the swap is done.
    let held = exclusive(&copy, new_key_ref, dir)?;
    let new_key_file = dir.join(NEW_KEY_FILE);
    match &new {
        Some((_, file)) => file.write(&new_key_file)?,
        None => {
            // Decrypting: the "new key file" of a plain store is no key file at all; the
            // old one goes once the plain copy is in place.
        }
    }
    super::sync_dir(dir)?;
    std::fs::rename(&copy, &path).map_err(ClientError::io(&path))?;
    super::sync_dir(dir)?;
    match &new {
        Some(_) => rename_if_there(&new_key_file, &dir.join(KEY_FILE))?,
        None => {
            let old_file = dir.join(KEY_FILE);
            if old_file.exists() {
                std::fs::remove_file(&old_file).map_err(ClientError::io(&old_file))?;
            }
        }
    }
    super::sync_dir(dir)?;
    // The old file is gone; its connection must not checkpoint into, or delete, files by
    // the store's names (they are the new file's now).
    old.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    drop(old);
    drop(held);
    let encrypted = new.is_some();
    remember(dir, new.map(|(k, _)| k))?;
    // The keyring follows: the old key's entry goes, the new key is remembered if the old
    // one was. A keyring that fails here costs a passphrase prompt, never the store.
    if was_remembered {
        if let Some(salt) = &old_salt {
            let _ = super::keyring::forget_salt(salt);
        }
        if encrypted {
            let _ = super::keyring::remember(dir);
        }
    }
    Ok(())
}

/// A connection holding the file at `path` locked (exclusive locking mode: it keeps the
/// lock until closed). Refused at once when another connection has the file open.
fn exclusive(path: &Path, key: Option<&Key>, dir: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // A transaction of another program in progress may end in a moment; an open
    // connection (the app) will not.
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    apply(&conn, key)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    match conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            Err(ClientError::StoreInUse(dir.to_path_buf()))
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(ClientError::WrongPassphrase)
        }
        Err(e) => Err(e.into()),
    }
}
