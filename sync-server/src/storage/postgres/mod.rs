//! The PostgreSQL backend: several server instances over one database. A pool of
//! [`STORAGE_CALLS`] connections (`conn`: the async driver, tokio-postgres with
//! deadpool, on a runtime of the backend's own, waited for from the storage's blocking
//! threads); `run_read` in `REPEATABLE READ, READ ONLY`, `run_write` in `SERIALIZABLE`,
//! run again on a serialization failure (40001), a deadlock (40P01) or a unique violation
//! (the same change stored by another instance meanwhile). The whole push runs in one
//! such transaction (the trait's default `push`), bookkeeping as an ordinary write.
//!
//! The log's positions are handed out under a lock held until commit (`repo`), so they
//! are gap-free and in commit order for every reader of every instance: docs/postgres.md.
//!
//! `repo` and its children (`users`, `devices`, `records`, `log`, `quarantine`,
//! `reports`) read and write rows; `migrate` (+ `migrations/postgres/`) the schema;
//! `from_sqlite` moves a SQLite data directory's data in (`fieldbook-server migrate`);
//! `restore` brings a backup back (pg_restore) with a new log identity;
//! `scratch` throwaway databases for tests. Nothing here checks a right or a name, or
//! decides what a device receives: that is the service layer's. Knows nothing of HTTP,
//! argon2 or the command line.

mod conn;
mod devices;
mod from_sqlite;
mod log;
mod migrate;
mod quarantine;
mod records;
mod repo;
mod reports;
mod restore;
mod scratch;
mod users;

pub use conn::redact;
pub use from_sqlite::{Moved, from_sqlite};
pub use migrate::SCHEMA_VERSION;
pub use restore::{PgRestored, restore};
pub use scratch::{ScratchDatabase, test_admin_url};

use super::{BackendMetric, Backup, LaterWork, MetricKind, Repo, Storage, WriteWork};
use crate::error::{Result, ServerError};
use crate::state::STORAGE_CALLS;
use conn::{Conns, wait};
use repo::{Mode, PgRepo};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use tokio_postgres::error::SqlState;

/// Times a write transaction is tried before its conflict is reported.
const ATTEMPTS: u32 = 40;

/// Above this estimate of recent conflicts (4 per conflicted optimistic write, minus 1 per
/// write that went through), writes start serially.
const CONTENTION: u32 = 8;

/// Whether `url` names a PostgreSQL database (rather than a SQLite data directory).
pub fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The storage in one PostgreSQL database.
pub struct PgStorage {
    conns: Conns,
    url: String,
    retried: AtomicU64,
    /// Recent conflicts of optimistic writes (see [`CONTENTION`]).
    contention: AtomicU32,
}

/// Whether an error is a conflict with another transaction, solved by running again.
fn is_conflict(e: &ServerError) -> bool {
    let ServerError::Storage(inner) = e else {
        return false;
    };
    inner
        .downcast_ref::<conn::PgError>()
        .and_then(|e| e.0.code())
        .is_some_and(|c| {
            *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::UNIQUE_VIOLATION
        })
}

impl PgStorage {
    /// Connects to the database at `url`, making or upgrading its schema.
    pub fn open(url: &str) -> Result<PgStorage> {
        let storage = PgStorage::connect(url)?;
        let client = storage.conns.get().map_err(|e| storage.unreachable(e))?;
        migrate::migrate(&client, &redact(url))?;
        Ok(storage)
    }

    /// Connects to the database at `url`, upgrading its schema; refused when it has none
    /// (a mistyped URL must not turn an unrelated database into a server's).
    pub fn open_existing(url: &str) -> Result<PgStorage> {
        let storage = PgStorage::connect(url)?;
        let client = storage.conns.get().map_err(|e| storage.unreachable(e))?;
        let has =
            wait(client.query_one("SELECT to_regclass('fieldbook_schema') IS NOT NULL", &[]))?
                .get::<_, bool>(0);
        if !has {
            return Err(ServerError::NotFound(format!(
                "the database {} holds no Fieldbook server data: check --database; `serve`, `user add` or `migrate --to` make it one",
                redact(url)
            )));
        }
        migrate::migrate(&client, &redact(url))?;
        Ok(storage)
    }

    fn connect(url: &str) -> Result<PgStorage> {
        Ok(PgStorage {
            conns: Conns::new(url, STORAGE_CALLS)?,
            url: url.to_string(),
            retried: AtomicU64::new(0),
            contention: AtomicU32::new(0),
        })
    }

    fn unreachable(&self, e: ServerError) -> ServerError {
        let e = match e {
            ServerError::Storage(inner) => inner.to_string(),
            other => other.to_string(),
        };
        ServerError::Storage(
            format!(
                "cannot reach the database {}: {e} (is PostgreSQL running, and is the URL right?)",
                redact(&self.url)
            )
            .into(),
        )
    }

    /// The database's URL with its password hidden.
    pub fn name(&self) -> String {
        redact(&self.url)
    }

    /// Runs write work with the log's lock taken before the transaction begins (a session
    /// lock, released after the commit): its snapshot sees every write before it, and no
    /// other write commits meanwhile, so it meets no conflict but a stray optimistic one.
    fn serially(
        &self,
        client: &deadpool_postgres::Object,
        work: &WriteWork,
    ) -> Result<Box<dyn Any + Send>> {
        wait(client.execute("SELECT pg_advisory_lock($1)", &[&repo::LOG_LOCK]))?;
        let held = SessionLock(client);
        let out = self.transaction(
            client,
            "BEGIN ISOLATION LEVEL SERIALIZABLE",
            Mode::Write,
            "COMMIT",
            &mut |repo| work(repo),
        );
        drop(held);
        out
    }

    /// Runs `work` in one transaction on a pooled connection: begun with `begin`, ended by
    /// `end` when the work and every statement in it succeeded, rolled back otherwise.
    fn transaction<T>(
        &self,
        client: &deadpool_postgres::Object,
        begin: &str,
        mode: Mode,
        end: &str,
        work: &mut dyn FnMut(&mut dyn Repo) -> Result<T>,
    ) -> Result<T> {
        wait(client.batch_execute(begin))?;
        // Rolled back if the work panics: the connection goes back to the pool clean.
        let open = Open(Some(client));
        let mut repo = PgRepo::new(client, &self.conns, mode);
        let out = work(&mut repo);
        // A statement that failed aborted the transaction even if the work went on (and a
        // COMMIT would then only roll back): its error wins.
        let out = match repo.take_failure() {
            Some(failed) => Err(failed),
            None => out,
        };
        open.close();
        match out {
            Ok(v) => match wait(client.batch_execute(end)) {
                Ok(()) => Ok(v),
                Err(e) => Err(e.into()),
            },
            Err(e) => {
                let _ = wait(client.batch_execute("ROLLBACK"));
                Err(e)
            }
        }
    }
}

/// The log's session lock, released when dropped (panics included: a pooled connection
/// must never keep it).
struct SessionLock<'c>(&'c deadpool_postgres::Object);

impl Drop for SessionLock<'_> {
    fn drop(&mut self) {
        let _ = wait(
            self.0
                .execute("SELECT pg_advisory_unlock($1)", &[&repo::LOG_LOCK]),
        );
    }
}

/// A transaction that is rolled back if dropped before [`Open::close`] (a panic).
struct Open<'c>(Option<&'c deadpool_postgres::Object>);

impl Open<'_> {
    /// The transaction ends as its caller says.
    fn close(mut self) {
        self.0 = None;
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            let _ = wait(client.batch_execute("ROLLBACK"));
        }
    }
}

impl Storage for PgStorage {
    fn run_read(&self, work: &mut dyn FnMut(&mut dyn Repo) -> Result<()>) -> Result<()> {
        let client = self.conns.get()?;
        self.transaction(
            &client,
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            Mode::Read,
            "COMMIT",
            work,
        )
    }

    fn run_write(&self, work: WriteWork) -> Result<Box<dyn Any + Send>> {
        let client = self.conns.get()?;
        // Optimistic first (in parallel with other writes, the log's lock taken at the first
        // write), unless writes conflicted a lot lately; after a conflict, serial: the lock
        // first, then a snapshot that sees every write before it (docs/postgres.md).
        let mut serial = self.contention.load(Ordering::Relaxed) > CONTENTION;
        let mut attempt = 1;
        loop {
            let out = if serial {
                self.serially(&client, &work)
            } else {
                self.transaction(
                    &client,
                    "BEGIN ISOLATION LEVEL SERIALIZABLE",
                    Mode::Write,
                    "COMMIT",
                    &mut |repo| work(repo),
                )
            };
            let conflicted = matches!(&out, Err(e) if is_conflict(e));
            if !serial {
                let c = &self.contention;
                let _ = c.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    Some(if conflicted {
                        (n + 4).min(64)
                    } else {
                        n.saturating_sub(1)
                    })
                });
            } else if attempt == 1 {
                // Serial writes let the estimate fall again, so optimism is tried anew.
                let _ = self
                    .contention
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                        Some(n.saturating_sub(1))
                    });
            }
            match out {
                Err(e) if attempt < ATTEMPTS && conflicted => {
                    self.retried.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(attempt, error = %e, "write conflicted: running it again, serially");
                    serial = true;
                    attempt += 1;
                    if attempt > 2 {
                        // Serial writes meet nothing but a stray optimistic one: back off a
                        // little, with jitter.
                        let ms = rand::random_range(0..=(1u64 << attempt.min(6)));
                        std::thread::sleep(std::time::Duration::from_millis(ms));
                    }
                }
                out => return out,
            }
        }
    }

    fn run_later(&self, work: LaterWork) -> Result<()> {
        // Bookkeeping: without the log's lock (it writes rows no push waits for) and
        // without waiting for its commit to reach the disk (losing it in a crash costs
        // nothing a user wrote). Still serializable, run again on conflict.
        let client = self.conns.get()?;
        let mut attempt = 1;
        loop {
            let out = self.transaction(
                &client,
                "BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit = off",
                Mode::Bookkeeping,
                "COMMIT",
                &mut |repo| work(repo),
            );
            match out {
                Err(e) if attempt < ATTEMPTS && is_conflict(&e) => {
                    self.retried.fetch_add(1, Ordering::Relaxed);
                    let ms = rand::random_range(0..=(1u64 << attempt.min(6)));
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                    attempt += 1;
                }
                out => return out,
            }
        }
    }

    fn backup(&self, to: &Path) -> Result<Backup> {
        if to.exists() {
            return Err(ServerError::Conflict(format!(
                "{} exists already: name a new file",
                to.display()
            )));
        }
        let pg_dump = tool("pg_dump")?;
        let out = std::process::Command::new(&pg_dump)
            .arg("--format=custom")
            .arg("--file")
            .arg(to)
            .arg("--dbname")
            .arg(&self.url)
            .output()
            .map_err(ServerError::io(&pg_dump))?;
        if !out.status.success() {
            return Err(ServerError::Storage(
                format!(
                    "pg_dump failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )
                .into(),
            ));
        }
        let bytes = std::fs::metadata(to).map_err(ServerError::io(to))?.len();
        Ok(Backup {
            path: to.to_path_buf(),
            bytes,
            restore: format!(
                "stop every instance, then `fieldbook-server --database {} restore --from {}` (pg_restore, and a new identity for the log)",
                redact(&self.url),
                to.display()
            ),
        })
    }

    fn metrics(&self) -> Vec<BackendMetric> {
        let (open, _) = self.conns.status();
        vec![
            BackendMetric {
                name: "fieldbook_pg_writes_retried_total",
                help: "Write transactions run again after a conflict with another (serialization failure, deadlock, the same change stored meanwhile).",
                kind: MetricKind::Counter,
                value: self.retried.load(Ordering::Relaxed),
            },
            BackendMetric {
                name: "fieldbook_pg_connections",
                help: "PostgreSQL connections open in this instance's pool.",
                kind: MetricKind::Gauge,
                value: open as u64,
            },
        ]
    }
}

/// A PostgreSQL program (`pg_dump`, `pg_restore`): on the PATH, else the newest of
/// Debian's `/usr/lib/postgresql/VERSION/bin`.
pub fn tool(name: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((v, p))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p).ok_or_else(|| {
        ServerError::NotFound(format!(
            "{name} is not installed: install PostgreSQL's client programs (Debian: apt-get install postgresql-client)"
        ))
    })
}
