//! The SQLite backend: one file `DIR/server.db` in WAL mode with `synchronous=FULL` (a push
//! that was answered survives a crash or power loss), one writer thread that owns the write
//! connection and commits the writes waiting at that moment together (`writer`), and a
//! small pool of reader connections (reads see one consistent snapshot and never wait for
//! the writer). Pushes are worked out on a reader and only written by the writer
//! (`push`); a pull never waits for the writer.
//!
//! `repo` and its children (`users`, `devices`, `records`, `log`) read and write rows;
//! nothing here checks a right or a name, or decides what a device receives: that is the
//! service layer's. Knows nothing of HTTP, argon2 or the command line.

mod checkpoint;
mod devices;
mod log;
mod logins;
mod migrate;
mod push;
mod quarantine;
mod records;
mod repo;
mod reports;
mod restore;
mod users;
mod writer;

use super::{BackendMetric, Backup, LaterWork, MetricKind, PushWork, Repo, Storage, WriteWork};
use crate::error::{Result, ServerError};
use fieldbook_core::protocol::{ChangeEnvelope, PushResponse};
use repo::SqliteRepo;
pub use restore::{DirLock, Restored};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::any::Any;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

/// The database file inside the data directory.
pub const DB_FILE: &str = "server.db";

/// Reader connections kept open between requests. Under more concurrency than this, the
/// extra readers are opened for the request and closed after it (with their page cache:
/// each pooled reader keeps up to 8 MB of it).
const READERS: usize = 8;

/// Pushes at least this large are worked out on two cores when the server is idle.
const SPLIT_FROM: usize = 16;

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        ServerError::Storage(Box::new(e))
    }
}

/// The SQLite storage of one data directory.
pub struct SqliteStorage {
    path: PathBuf,
    writer: writer::Writer,
    readers: Mutex<Vec<Connection>>,
    /// Pushes being worked on now.
    busy: AtomicUsize,
    split: AtomicU64,
    redone: AtomicU64,
}

fn connect(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a transaction that committed is on disk before the answer goes out.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    // Keeps a cached statement's plan: without it SQLite re-prepares every statement whose
    // plan depends on a bound value each time rusqlite clears the bindings.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(conn)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic mid-transaction rolled that transaction back: the connection is fine.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SqliteStorage {
    /// Opens the database in `dir`, upgrading its schema; refused when there is none (a
    /// mistyped `--data-dir` must not leave an empty database behind).
    pub fn open_existing(dir: &Path) -> Result<SqliteStorage> {
        if !dir.join(DB_FILE).is_file() {
            return Err(ServerError::NotFound(format!(
                "there is no server database in {} (no {DB_FILE}): check --data-dir; `serve` or `user add` makes a new one",
                dir.display()
            )));
        }
        SqliteStorage::open(dir)
    }

    /// Replaces the database of `dir` with the backup `from`, giving the log a new
    /// identity (see `restore`); refused while `dir` is served.
    pub fn restore(dir: &Path, from: &Path) -> Result<Restored> {
        if !dir.is_dir() {
            return Err(ServerError::NotFound(format!(
                "there is no directory {}: check --data-dir",
                dir.display()
            )));
        }
        let lock = DirLock::acquire(dir, "restore a backup into it")?;
        restore::restore(dir, from, &lock)
    }

    /// Opens (creating if needed) the database in `dir`, upgrading its schema.
    pub fn open(dir: &Path) -> Result<SqliteStorage> {
        std::fs::create_dir_all(dir).map_err(ServerError::io(dir))?;
        let path = dir.join(DB_FILE);
        let mut conn = connect(&path)?;
        migrate::migrate(&mut conn, &path)?;
        // The checkpoint thread copies the log back; the writer never stops for it.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // A log that grew under load is cut back once it is reused.
        conn.pragma_update(None, "journal_size_limit", 64 << 20)?;
        let checkpointer = checkpoint::Checkpointer::start(connect(&path)?, &path)?;
        Ok(SqliteStorage {
            path,
            writer: writer::Writer::start(conn, checkpointer)?,
            readers: Mutex::new(Vec::new()),
            busy: AtomicUsize::new(0),
            split: AtomicU64::new(0),
            redone: AtomicU64::new(0),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a read transaction (one consistent snapshot) on a pooled connection.
    fn read_conn<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => {
                let c = connect(&self.path)?;
                c.pragma_update(None, "query_only", true)?;
                // Up to STORAGE_CALLS readers: a smaller cache each (the OS caches the
                // file for all of them).
                c.pragma_update(None, "cache_size", -8_000)?;
                c
            }
        };
        let out = {
            let tx = conn.transaction()?;
            f(&tx)
            // Dropping the transaction ends it (nothing was written).
        };
        let mut pool = lock(&self.readers);
        if pool.len() < READERS {
            pool.push(conn);
        }
        out
    }

    /// Works out a large push on two cores when the server has nothing else to do (a
    /// lone device's sync should not wait for one core while the other idles). Records
    /// are split between two parts by id; `None` when that does not apply or does not work
    /// out (a part needed a record of the other part, or refused something).
    fn prepare_split(&self, work: &dyn PushWork) -> Result<Option<push::Prepared>> {
        let changes = work.changes();
        if changes.len() < SPLIT_FROM
            || self.busy.load(Ordering::Relaxed) > 1
            || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2
        {
            return Ok(None);
        }
        let mut parts: [Vec<&ChangeEnvelope>; 2] = [Vec::new(), Vec::new()];
        let mut positions: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut ids: [HashSet<Uuid>; 2] = [HashSet::new(), HashSet::new()];
        for (i, env) in changes.iter().enumerate() {
            let k = (env.doc_id.as_u128() % 2) as usize;
            parts[k].push(env);
            positions[k].push(i);
            ids[k].insert(env.doc_id);
        }
        if parts.iter().any(Vec::is_empty) {
            return Ok(None);
        }
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                self.read_conn(|c| push::prepare(c, work, parts[1].iter().copied(), Some(&ids[0])))
            });
            let first =
                self.read_conn(|c| push::prepare(c, work, parts[0].iter().copied(), Some(&ids[1])));
            let second = other
                .join()
                .unwrap_or_else(|_| Err(ServerError::Task("a push part panicked".into())));
            (first, second)
        });
        let (Some(first), Some(second)) = (first?, second?) else {
            return Ok(None);
        };
        let merged = push::merge_parts(vec![first, second], &positions);
        if merged.is_some() {
            self.split.fetch_add(1, Ordering::Relaxed);
        }
        Ok(merged)
    }
}

/// Counts pushes in progress while alive.
struct Busy<'a>(&'a AtomicUsize);

impl<'a> Busy<'a> {
    fn enter(n: &'a AtomicUsize) -> Busy<'a> {
        n.fetch_add(1, Ordering::Relaxed);
        Busy(n)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Storage for SqliteStorage {
    fn run_read(&self, work: &mut dyn FnMut(&mut dyn Repo) -> Result<()>) -> Result<()> {
        self.read_conn(|c| work(&mut SqliteRepo::new(c)))
    }

    fn run_write(&self, work: WriteWork) -> Result<Box<dyn Any + Send>> {
        self.writer.write(move |c| work(&mut SqliteRepo::new(c)))
    }

    fn run_later(&self, work: LaterWork) -> Result<()> {
        // Written with the next group; nobody waits for it.
        self.writer.later(move |c| work(&mut SqliteRepo::new(c)))
    }

    fn settle(&self) -> Result<()> {
        // Jobs run in order: once an empty one is committed, every earlier one is.
        self.writer.write(|_| Ok(()))
    }

    fn push(&self, work: Arc<dyn PushWork>) -> Result<PushResponse> {
        // The costly part on a reader, in parallel with other requests; the writer only
        // checks that nothing it relied on moved, and writes.
        let _busy = Busy::enter(&self.busy);
        let prepared = match self.prepare_split(work.as_ref())? {
            Some(p) => Some(p),
            None => self.read_conn(|c| push::prepare(c, work.as_ref(), work.changes(), None))?,
        };
        let (resp, redone) = match prepared {
            Some(p) => self
                .writer
                .write(move |c| push::commit_prepared(c, work.as_ref(), p))?,
            // Something was refused: the writer works it out, with the latest state.
            None => (
                self.writer
                    .write(move |c| work.run(&mut SqliteRepo::new(c)))?,
                true,
            ),
        };
        if redone {
            self.redone.fetch_add(1, Ordering::Relaxed);
            tracing::debug!("push redone on the writer");
        }
        Ok(resp)
    }

    fn backup(&self, to: &Path) -> Result<Backup> {
        let target = to.to_str().ok_or_else(|| {
            ServerError::BadRequest(format!("{} is not a UTF-8 path", to.display()))
        })?;
        // VACUUM INTO copies one read snapshot: consistent, and writers are not blocked.
        let conn = connect(&self.path)?;
        conn.execute("VACUUM INTO ?1", [target])?;
        let bytes = std::fs::metadata(to).map_err(ServerError::io(to))?.len();
        std::fs::File::open(to)
            .and_then(|f| f.sync_all())
            .map_err(ServerError::io(to))?;
        Ok(Backup {
            path: to.to_path_buf(),
            bytes,
            restore: format!(
                "stop the server, then `fieldbook-server --data-dir {} restore --from {}`",
                self.path.parent().unwrap_or(Path::new(".")).display(),
                to.display()
            ),
        })
    }

    fn metrics(&self) -> Vec<BackendMetric> {
        vec![
            BackendMetric {
                name: "fieldbook_pushes_split_total",
                help: "Pushes worked out on two cores (the server was otherwise idle).",
                kind: MetricKind::Counter,
                value: self.split.load(Ordering::Relaxed),
            },
            BackendMetric {
                name: "fieldbook_pushes_redone_total",
                help: "Pushes redone on the writer because what they were prepared on had changed.",
                kind: MetricKind::Counter,
                value: self.redone.load(Ordering::Relaxed),
            },
        ]
    }
}
