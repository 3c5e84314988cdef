//! Bringing a backup back, and the lock that keeps it from happening under a running
//! server. `serve` holds an exclusive lock on `DIR/server.lock` for as long as it runs
//! ([`DirLock`]); `restore` takes the same lock, so it refuses while the directory is
//! served (and a server cannot start while a restore runs).
//!
//! A restore checks the file first (SQLite's integrity check, the tables of this server,
//! a schema no newer than this program's), copies it next to the database, brings its
//! schema up to date, gives the log a new identity (devices that synced with the old log
//! notice and send again what it lacks), keeps a copy of the current database (whole: its
//! WAL copied back first) in `DIR/replaced-TIME/`, and renames the restored copy over it.
//! A crash at any point leaves either the old database or the restored one in place.

use super::{DB_FILE, connect, migrate};
use crate::error::{Result, ServerError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fs::File;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The lock file inside the data directory.
const LOCK_FILE: &str = "server.lock";

/// Tables every database of this server has (a file without them was not made by it).
const TABLES: &[&str] = &[
    "users",
    "teams",
    "devices",
    "tokens",
    "docs",
    "log",
    "quarantine",
];

/// An exclusive lock on a data directory, held while alive.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    path: PathBuf,
}

impl DirLock {
    /// Takes the lock of `dir` (which must exist), or says who holds it.
    pub fn acquire(dir: &Path, doing: &str) -> Result<DirLock> {
        let path = dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(ServerError::io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { _file: file, path }),
            Err(std::fs::TryLockError::WouldBlock) => Err(ServerError::Conflict(format!(
                "{} is in use by a running fieldbook-server (it holds {}): stop it before you {doing}",
                dir.display(),
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(ServerError::Io { path, source: e }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    pub database: PathBuf,
    /// Where the database that was replaced is kept (`None`: there was none).
    pub replaced: Option<PathBuf>,
    pub records: u64,
    pub log_head: u64,
    /// The log's new identity.
    pub log_id: Uuid,
}

fn bad_backup(from: &Path, why: impl std::fmt::Display) -> ServerError {
    ServerError::BadRequest(format!(
        "{} is not a backup of this server ({why}); `fieldbook-server backup --out FILE` makes one",
        from.display()
    ))
}

/// Checks that `from` is a sound database of this server, without changing it.
fn check_backup(from: &Path) -> Result<()> {
    if !from.is_file() {
        return Err(ServerError::NotFound(format!(
            "there is no file {}: name the backup to restore with --from",
            from.display()
        )));
    }
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad_backup(from, e))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad_backup(from, e))?;
    if check != "ok" {
        return Err(bad_backup(from, format!("it is damaged: {check}")));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| bad_backup(from, e))?;
    if version > migrate::SCHEMA_VERSION {
        return Err(ServerError::StoreTooNew {
            path: from.to_path_buf(),
            found: version,
            known: migrate::SCHEMA_VERSION,
        });
    }
    for table in TABLES {
        let found: Option<String> = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| bad_backup(from, e))?;
        if found.is_none() || version < 1 {
            return Err(bad_backup(from, format!("it has no `{table}` table")));
        }
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(ServerError::io(dir))
}

fn wal_files(db: &Path) -> [PathBuf; 2] {
    let name = db.file_name().unwrap_or_default().to_string_lossy();
    [
        db.with_file_name(format!("{name}-wal")),
        db.with_file_name(format!("{name}-shm")),
    ]
}

/// Replaces the database of `dir` with the backup `from` (see the module doc). The caller
/// holds `dir`'s [`DirLock`].
pub fn restore(dir: &Path, from: &Path, _lock: &DirLock) -> Result<Restored> {
    check_backup(from)?;
    let database = dir.join(DB_FILE);
    let staged = dir.join(format!("{DB_FILE}.restoring"));
    for f in [&staged].into_iter().chain(&wal_files(&staged)) {
        if f.exists() {
            std::fs::remove_file(f).map_err(ServerError::io(f))?;
        }
    }
    std::fs::copy(from, &staged).map_err(ServerError::io(&staged))?;
    let log_id = Uuid::new_v4();
    let (records, log_head) = {
        let mut conn = connect(&staged)?;
        migrate::migrate(&mut conn, &staged)?;
        conn.execute(
            "INSERT INTO identity (key, value) VALUES ('log_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [log_id.to_string()],
        )?;
        let records: i64 = conn.query_row("SELECT count(*) FROM docs", [], |r| r.get(0))?;
        let head: i64 =
            conn.query_row("SELECT coalesce(max(seq), 0) FROM log", [], |r| r.get(0))?;
        // Everything into the file itself: the copy moves into place alone.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        (records as u64, head as u64)
    };
    File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(ServerError::io(&staged))?;
    for f in wal_files(&staged) {
        if f.exists() {
            std::fs::remove_file(&f).map_err(ServerError::io(&f))?;
        }
    }
    if let Some(parent) = staged.parent() {
        sync_dir(parent)?;
    }
    // The current database whole in its one file (its WAL copied back), then a copy of it
    // kept aside: the rename below replaces it in one step.
    let replaced = if database.exists() {
        {
            let conn = connect(&database)?;
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        }
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let aside = dir.join(format!("replaced-{stamp}"));
        std::fs::create_dir_all(&aside).map_err(ServerError::io(&aside))?;
        let kept = aside.join(DB_FILE);
        std::fs::copy(&database, &kept).map_err(ServerError::io(&kept))?;
        File::open(&kept)
            .and_then(|f| f.sync_all())
            .map_err(ServerError::io(&kept))?;
        sync_dir(&aside)?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staged, &database).map_err(ServerError::io(&database))?;
    sync_dir(dir)?;
    Ok(Restored {
        database,
        replaced,
        records,
        log_head,
        log_id,
    })
}
