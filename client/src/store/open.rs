//! Connecting to a store file (pragmas) and creating a new one atomically.

use super::at_rest::{self, Key, Protection};
use super::meta;
use super::migrations;
use crate::error::{ClientError, Result};
use automerge::ActorId;
use rand::Rng;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, MAIN_DB, OpenFlags};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Statements kept prepared per connection: every statement the write and sync paths use
/// (seven projection tables, multi-row search writes) fits, so none is parsed twice.
const STATEMENT_CACHE: usize = 96;

/// How much of a plain store's file is read through memory mapping (SQLite's default
/// ceiling): a new process (each command line) then maps the pages a query needs instead
/// of copying each into its own cache. SQLCipher maps nothing of an encrypted store.
const MMAP_SIZE: i64 = 2_147_418_112;

/// How long a write waits for another process's transaction (connections of this process
/// take turns instead, see `shared`).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub(super) fn connect(path: &Path, create: bool, key: Option<&Key>) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    keyed(&conn, key)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Plans never depend on bound values. Without this, a cached statement whose plan could
    // (`col = ?N`) is expired when its bindings are cleared on its return to the cache, and
    // parsed and planned again at its next use.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a transaction that committed is on disk before the write returns.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    if key.is_none() {
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    }
    // Checkpoints run in `Store::maintain` (and between a bulk write's transactions,
    // `Store::bound_wal`), not inside whichever write fills the WAL; a log started over
    // after one is truncated to this size, so a large import's does not stay on disk.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", super::WAL_BOUND as i64)?;
    Ok(conn)
}

/// Opens an existing store file: for reading and writing, or, when this process may not
/// write the file or its directory (another user's store, a read-only share or medium),
/// for reading only. Returns the connection and whether it is read-only.
pub(super) fn connect_existing(path: &Path, key: Option<&Key>) -> Result<(Connection, bool)> {
    match connect(path, false, key) {
        Ok(conn) if !conn.is_readonly(MAIN_DB)? => return Ok((conn, false)),
        // SQLite fell back to reading only: the file is not writable.
        Ok(_) => {}
        // WAL mode could not set up its shared-memory file: the directory is not writable.
        Err(ClientError::Sqlite(e)) if cannot_write(&e) => {}
        Err(e) => return Err(e),
    }
    connect_read_only(path, key).map(|conn| (conn, true))
}

/// Keys a fresh connection and checks the key opens the file (a new file takes the key).
fn keyed(conn: &Connection, key: Option<&Key>) -> Result<()> {
    at_rest::apply(conn, key)?;
    if !at_rest::readable(conn)? {
        return Err(match key {
            Some(_) => ClientError::WrongPassphrase,
            None => ClientError::DamagedStore(
                "the file is not a SQLite database (an encrypted store whose key file is missing?)"
                    .into(),
            ),
        });
    }
    Ok(())
}

fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::PermissionDenied
        )
    )
}

/// A read-only connection. With no write-ahead log beside the file, everything is in the
/// file and it is opened as immutable (SQLite then needs no shared-memory file, which a
/// read-only directory could not hold); otherwise read-only, reading the log too.
fn connect_read_only(path: &Path, key: Option<&Key>) -> Result<Connection> {
    let uri = read_only_uri(path);
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    keyed(&conn, key)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    if key.is_none() {
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    }
    Ok(conn)
}

/// The URI that opens `path` for reading only: immutable when no write-ahead log is beside
/// it (no shared-memory file needed), else read-only, reading the log too.
pub(super) fn read_only_uri(path: &Path) -> String {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let has_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str(if has_log { "?mode=ro" } else { "?immutable=1" });
    uri
}

/// Creates a new store file in `dir` for `user`. Built under another name and renamed into
/// place only when complete, so a kill during `init` leaves either no store or a whole one
/// (and `init` can be rerun). An encrypted store's key file is written before its file
/// takes its name.
pub(super) fn init(
    dir: &Path,
    user: &str,
    default_currency: &str,
    protection: &Protection,
) -> Result<()> {
    let user = user.trim();
    if user.is_empty() {
        return Err(ClientError::EmptyUserName);
    }
    // The server's rule for names: a store never holds a user it would refuse.
    fieldbook_core::names::user(user)?;
    let currency = default_currency.trim().to_ascii_uppercase();
    if !fieldbook_core::money::is_currency(&currency) {
        return Err(ClientError::BadCurrency(default_currency.to_string()));
    }
    std::fs::create_dir_all(dir).map_err(ClientError::io(dir))?;
    let path = dir.join(super::STORE_FILE);
    if path.exists() {
        return Err(ClientError::AlreadyExists(dir.to_path_buf()));
    }
    let creating = dir.join(format!("{}.creating", super::STORE_FILE));
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let stale = PathBuf::from(format!("{}{suffix}", creating.display()));
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(ClientError::io(&stale))?;
        }
    }
    let key = at_rest::new_key(protection)?;
    let mut conn = connect(&creating, true, key.as_ref().map(|(k, _)| k))?;
    migrations::migrate(&mut conn)?;
    let mut rng = rand::rng();
    let device_code: String = (0..8)
        .map(|_| CROCKFORD[rng.random_range(0..32)] as char)
        .collect();
    let tx = conn.transaction()?;
    meta::init_settings(
        &tx,
        &super::Settings {
            store_id: Uuid::now_v7(),
            user: user.to_string(),
            actor: ActorId::random(),
            default_currency: currency,
            device_code,
        },
    )?;
    tx.commit()?;
    // Closing the only connection checkpoints the WAL into the file and removes it.
    conn.close().map_err(|(_, e)| ClientError::Sqlite(e))?;
    std::fs::File::open(&creating)
        .and_then(|f| f.sync_all())
        .map_err(ClientError::io(&creating))?;
    match &key {
        Some((_, file)) => at_rest::write_key_file(dir, file)?,
        None => at_rest::remove_key_files(dir)?,
    }
    std::fs::rename(&creating, &path).map_err(ClientError::io(&path))?;
    super::sync_dir(dir)?;
    at_rest::remember(dir, key.map(|(k, _)| k))
}
