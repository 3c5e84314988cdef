//! The SQLite backend: one file `DIR/server.db` in WAL mode with `synchronous=FULL` (a push
//! that was answered survives a crash or power loss), one writer thread that owns the write
//! connection and commits the writes waiting at that moment together (`writer`), and a
//! small pool of reader connections (reads see one consistent snapshot and never wait for
//! the writer). Pushes are worked out on a reader and only written by the writer
//! (`push`); a pull never waits for the writer.
//!
//! The rules live in the backend-independent modules; this module and its children only
//! read and write rows. Knows nothing of HTTP, argon2 or the command line.

mod admin;
mod checkpoint;
mod migrate;
mod moves;
mod pull;
mod push;
mod sessions;
mod writer;

use super::{
    BackendMetric, Backup, Counts, Credentials, MetricKind, NewUserRecord, Session, Storage,
    TeamInfo, UserUpdate,
};
use crate::access::{Requester, Scope};
use crate::error::{Result, ServerError};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    ChangeEnvelope, DeactivateRequest, DeactivateResponse, DeviceInfo, PullRequest, PullResponse,
    PushRequest, PushResponse, QuarantineEntry, ReassignRequest, ReassignResponse, Role, UserInfo,
};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use uuid::Uuid;

/// The database file inside the data directory.
pub const DB_FILE: &str = "server.db";

/// Reader connections kept open between requests. Under more concurrency than this, the
/// extra readers are opened for the request and closed after it (with their page cache:
/// each pooled reader keeps up to 8 MB of it).
const READERS: usize = 8;

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
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
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

    /// Runs `f` on the writer, in a write transaction; returns once it is committed.
    fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.writer.write(f)
    }

    /// Works out a large push on two cores when the server has nothing else to do (a
    /// lone device's sync should not wait for one core while the other idles). Records
    /// are split between two parts by id; `None` when that does not apply or does not work
    /// out (a part needed a record of the other part, or refused something).
    fn prepare_split(
        &self,
        session: &Session,
        req: &PushRequest,
    ) -> Result<Option<push::Prepared>> {
        if req.changes.len() < SPLIT_FROM
            || self.busy.load(Ordering::Relaxed) > 1
            || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2
        {
            return Ok(None);
        }
        let mut parts: [Vec<&ChangeEnvelope>; 2] = [Vec::new(), Vec::new()];
        let mut positions: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut ids: [HashSet<Uuid>; 2] = [HashSet::new(), HashSet::new()];
        for (i, env) in req.changes.iter().enumerate() {
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
                self.read(|c| push::prepare(c, session, parts[1].iter().copied(), Some(&ids[0])))
            });
            let first =
                self.read(|c| push::prepare(c, session, parts[0].iter().copied(), Some(&ids[1])));
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

    /// Like `write`, for a change of who sees what: pushes prepared before it are redone.
    fn write_scope<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.writer.write(move |conn| {
            push::bump_scope_generation(conn)?;
            f(conn)
        })
    }
}

/// Pushes at least this large are worked out on two cores when the server is idle.
const SPLIT_FROM: usize = 16;

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

/// Now, as stored (RFC 3339, UTC).
fn now() -> String {
    fieldbook_core::value::format_datetime(time::OffsetDateTime::now_utc())
}

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| ServerError::Damaged(format!("`{s}` is not a record id")))
}

fn parse_kind(s: &str) -> Result<Kind> {
    Kind::parse(s).map_err(|_| ServerError::Damaged(format!("`{s}` is not a kind")))
}

fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| ServerError::Damaged(format!("`{s}` is not a role")))
}

/// The members of the teams `user` manages.
fn managed_members(conn: &Connection, user: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.name FROM users u JOIN teams t ON t.name = u.team WHERE t.manager = ?1",
    )?;
    let rows = stmt.query_map([user], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What `user` with `role` sees.
fn scope_of(conn: &Connection, user: &str, role: Role) -> Result<Scope> {
    let members = if role == Role::Manager {
        managed_members(conn, user)?
    } else {
        Vec::new()
    };
    Ok(Scope::of(role, user, members))
}

/// The scope an administrative request may act on.
fn admin_scope(conn: &Connection, by: &Requester) -> Result<Scope> {
    let members = match by {
        Requester::User { name, .. } => managed_members(conn, name)?,
        Requester::Operator => Vec::new(),
    };
    by.admin_scope(members)
}

fn user_info(conn: &Connection, name: &str) -> Result<Option<UserInfo>> {
    let row = conn
        .prepare_cached("SELECT role, team, active, successor FROM users WHERE name = ?1")?
        .query_row([name], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .optional()?;
    row.map(|(role, team, active, successor)| {
        Ok(UserInfo {
            name: name.to_string(),
            role: parse_role(&role)?,
            team,
            active,
            successor,
        })
    })
    .transpose()
}

/// A user that must exist.
fn need_user(conn: &Connection, name: &str) -> Result<UserInfo> {
    user_info(conn, name)?.ok_or_else(|| {
        ServerError::NotFound(format!(
            "there is no user `{name}`: `fieldbook-server user list` shows who exists"
        ))
    })
}

impl Storage for SqliteStorage {
    fn authenticate(&self, token_hash: &str) -> Result<Option<Session>> {
        self.read(|tx| sessions::authenticate(tx, token_hash))
    }

    fn note_pending(&self, device_id: Uuid, pending: u64) -> Result<()> {
        // Bookkeeping: written with the next group, nobody waits for it.
        self.writer
            .later(move |c| sessions::note_pending(c, device_id, pending))
    }

    fn credentials(&self, user: &str) -> Result<Option<Credentials>> {
        self.read(|tx| sessions::credentials(tx, user))
    }

    fn open_device(&self, user: &str, device_name: &str, token_hash: &str) -> Result<Uuid> {
        let (user, name, hash) = (
            user.to_string(),
            device_name.to_string(),
            token_hash.to_string(),
        );
        self.write(move |c| sessions::open_device(c, &user, &name, &hash))
    }

    fn revoke_token(&self, token_hash: &str) -> Result<()> {
        let hash = token_hash.to_string();
        self.write(move |c| sessions::revoke(c, &hash))
    }

    fn push(&self, session: &Session, req: PushRequest) -> Result<PushResponse> {
        // The costly part on a reader, in parallel with other requests; the writer only
        // checks that nothing it relied on moved, and writes.
        let _busy = Busy::enter(&self.busy);
        let prepared = match self.prepare_split(session, &req)? {
            Some(p) => Some(p),
            None => self.read(|c| push::prepare(c, session, &req.changes, None))?,
        };
        let s = session.clone();
        let (resp, redone) = match prepared {
            Some(p) => self.write(move |c| push::commit_prepared(c, &s, p, req))?,
            // Something was refused: the writer decides it, with the latest state.
            None => (self.write(move |c| push::push(c, &s, req, false))?, true),
        };
        if redone {
            self.redone.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(user = %session.user, "push redone on the writer");
        }
        Ok(resp)
    }

    fn handover(&self, session: &Session, req: PushRequest) -> Result<PushResponse> {
        let s = session.clone();
        self.write(move |c| push::push(c, &s, req, true))
    }

    fn pull(&self, session: &Session, req: &PullRequest) -> Result<PullResponse> {
        let page = self.read(|tx| pull::pull(tx, session, req))?;
        // Bookkeeping: a pull never waits for the writer.
        let (device, pending) = (session.device_id, req.pending);
        self.writer
            .later(move |c| sessions::synced(c, device, pending))?;
        Ok(page)
    }

    fn users(&self, by: &Requester) -> Result<Vec<UserInfo>> {
        self.read(|tx| admin::users(tx, by))
    }

    fn add_user(&self, by: &Requester, user: &NewUserRecord) -> Result<UserInfo> {
        let (by, user) = (by.clone(), user.clone());
        self.write_scope(move |c| admin::add_user(c, &by, &user))
    }

    fn update_user(&self, by: &Requester, name: &str, update: &UserUpdate) -> Result<UserInfo> {
        let (by, name, update) = (by.clone(), name.to_string(), update.clone());
        self.write_scope(move |c| admin::update_user(c, &by, &name, &update))
    }

    fn add_team(&self, by: &Requester, team: &str, manager: &str) -> Result<TeamInfo> {
        let (by, team, manager) = (by.clone(), team.to_string(), manager.to_string());
        self.write_scope(move |c| admin::add_team(c, &by, &team, &manager))
    }

    fn teams(&self, by: &Requester) -> Result<Vec<TeamInfo>> {
        self.read(|tx| admin::teams(tx, by))
    }

    fn reassign(&self, by: &Requester, req: &ReassignRequest) -> Result<ReassignResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.write_scope(move |c| moves::reassign(c, &by, &req))
    }

    fn deactivate(&self, by: &Requester, req: &DeactivateRequest) -> Result<DeactivateResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.write_scope(move |c| moves::deactivate(c, &by, &req))
    }

    fn devices(&self, by: &Requester, user: Option<&str>) -> Result<Vec<DeviceInfo>> {
        // What devices told with their last requests is queued bookkeeping: let it land.
        self.write(|_| Ok(()))?;
        self.read(|tx| sessions::devices(tx, by, user))
    }

    fn quarantine(&self, by: &Requester) -> Result<Vec<QuarantineEntry>> {
        self.read(|tx| push::quarantine(tx, by))
    }

    fn backup(&self, to: &Path) -> Result<Backup> {
        if to.exists() {
            return Err(ServerError::Conflict(format!(
                "{} already exists: choose a new file for the backup",
                to.display()
            )));
        }
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
                "stop the server and put the file in place as {}",
                self.path.display()
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

    fn counts(&self) -> Result<Counts> {
        self.read(|tx| {
            let count = |sql: &str| -> Result<u64> {
                Ok(tx.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
            };
            Ok(Counts {
                docs: count("SELECT count(*) FROM docs")?,
                log: count("SELECT coalesce(max(seq), 0) FROM log")?,
                quarantine: count("SELECT count(*) FROM quarantine")?,
                users: count("SELECT count(*) FROM users")?,
                devices: count("SELECT count(*) FROM devices")?,
            })
        })
    }
}
