//! Where the server keeps users (with their failed sign-ins and locks), devices, tokens
//! (with their expiry), documents, the change log and the quarantine: the [`Storage`] trait, the [`Repo`] it hands out inside a transaction, and
//! the backends: the built-in SQLite one ([`SqliteStorage`]) and PostgreSQL ([`PgStorage`],
//! for several instances). [`conformance`] is the suite of tests every backend must pass.
//!
//! Storage persists and decides nothing: who may do what, which names are valid, what a
//! device receives and when it wipes are the `service` layer's (over `access`, `validate`,
//! `ownership`, `push` and `pull`), written once for every backend. A backend provides:
//!
//! - transactions: [`Storage::run_read`] (one consistent snapshot) and
//!   [`Storage::run_write`] (all or nothing, answered once durable), each lending a
//!   [`Repo`] (the rows' reads and writes) to the caller's work for the transaction's life;
//!   [`StorageExt::read`] and [`StorageExt::write`] are their typed forms;
//! - bookkeeping nobody waits for ([`Storage::run_later`]), a push run its own fastest way
//!   ([`Storage::push`], with the rules in a [`PushWork`]), a backup and its own counters.
//!
//! # Why synchronous, and how PostgreSQL implements it
//!
//! The work run inside a transaction is mostly CPU (a push loads, applies and checks
//! Automerge documents, ~0.25 ms per change) with many small reads in between, each
//! depending on the last. It must not run on the async runtime's threads, so the service
//! runs on blocking threads (`AppState::blocking`, at most `STORAGE_CALLS` at once) and the
//! trait is synchronous. An async trait would make every rule `async`, box a future per
//! read, and still need `spawn_blocking` for the Automerge work — and SQLite has no async
//! driver: it would block underneath anyway.
//!
//! The PostgreSQL backend ([`PgStorage`], `postgres/`) keeps a pool of `STORAGE_CALLS`
//! connections. `run_read` checks one out and runs the work in `BEGIN ISOLATION LEVEL
//! REPEATABLE READ, READ ONLY`; `run_write` in `BEGIN ISOLATION LEVEL SERIALIZABLE`, then
//! `COMMIT`. Its [`Repo`] issues blocking queries on that connection: the backend holds
//! `tokio-postgres` clients (pooled by deadpool) whose connection tasks run on a small
//! runtime of the backend's own, and the calling thread waits for each query with
//! `futures_executor::block_on` (`Handle::block_on`, or the `postgres` crate's own
//! runtime, would panic where the caller is itself inside a runtime: a `#[tokio::test]`
//! calling the service). A serialization failure (SQLSTATE 40001), a deadlock (40P01) or
//! a concurrent insert of the same change (the log's unique hash: 23505) rolls back and
//! runs the work again: that is why write work is `Fn` and touches nothing but the repo.
//! Log positions are handed out under a lock held until commit, so they are gap-free and
//! in commit order across instances (docs/postgres.md). Ranges are single repo calls
//! (`doc_ids`, `log_seqs`, `records_owned_by`), one round trip each; a pull then reads its
//! entries and snapshots one by one, which costs SQLite nothing (it is in the process) but
//! a round trip per item over a network: batch forms of `log_entry` and `snapshot` are
//! the next step when a measurement asks for them (BENCHMARKS.md). PostgreSQL needs
//! neither the SQLite backend's single writer and group commit nor its optimistic push: it
//! keeps the default [`Storage::push`] (the whole push in one serializable transaction,
//! run again, serially, on conflict); its [`Storage::run_later`] is a write that takes no
//! lock and does not wait for its commit to reach the disk.
//!
//! Every call blocks: call it from `spawn_blocking` in async code. Passwords arrive hashed
//! and tokens as their SHA-256: storage knows nothing of argon2, HTTP or the command line.

pub mod conformance;
mod logins;
pub mod postgres;
mod repo;
mod reports;
mod sqlite;

pub use logins::{DeviceToken, LoginFailures, LoginRepo};
pub use postgres::PgStorage;
pub use repo::{
    Assignment, Counts, DeviceRepo, LogFilter, LogRepo, NewDevice, NewUserRow, OwnerFilter, Pusher,
    QuarantineRepo, QuarantinedChange, RecordOwner, RecordRepo, Repo, ScopeEvent, StoredRecord,
    StoredSnapshot, TokenRow, TokenState, UserRepo, UserUpdate,
};
pub use reports::ReportRepo;
pub use sqlite::{DirLock, Restored, SqliteStorage};

use crate::error::{Result, ServerError};
use crate::push::{PushAs, PushOutcome};
use fieldbook_core::protocol::{ChangeEnvelope, PushResponse};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Work for a write transaction. It may be run more than once (a backend that detects a
/// conflict rolls back and runs it again), so it changes nothing but the repo.
pub type WriteWork = Box<dyn Fn(&mut dyn Repo) -> Result<Box<dyn Any + Send>> + Send>;

/// Bookkeeping for a write transaction nobody waits for (may be run again, like
/// [`WriteWork`]).
pub type LaterWork = Box<dyn Fn(&mut dyn Repo) -> Result<()> + Send>;

/// A push page with its rules, for [`Storage::push`]. The rules are the service's
/// (`service::push`); a backend only chooses how to run them: whole, in one write
/// transaction ([`PushWork::run`]), or worked out through the backend-free engine
/// ([`crate::push::PushBatch`], as [`PushWork::writer`]) on a snapshot and stored later
/// ([`PushWork::store`]) once the backend made sure nothing it read has moved.
pub trait PushWork: Send + Sync {
    /// The page, oldest first.
    fn changes(&self) -> &[ChangeEnvelope];
    /// Who the push writes as, read in the transaction the changes are worked out in. A
    /// backend that works a push out on one snapshot and stores it in another transaction
    /// stores it only if this is still the same there.
    fn writer(&self, repo: &mut dyn Repo) -> Result<PushAs>;
    /// Stores what the page did and what the device holds now.
    fn store(&self, repo: &mut dyn Repo, outcome: PushOutcome) -> Result<PushResponse>;
    /// The whole push in `repo`'s transaction: `writer`, every change, `store`.
    fn run(&self, repo: &mut dyn Repo) -> Result<PushResponse>;
}

/// A copy written by [`Storage::backup`].
#[derive(Clone, Debug)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    /// How to bring the copy back, for the operator.
    pub restore: String,
}

/// Whether a backend metric only grows or goes up and down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Counter,
    Gauge,
}

/// A number only one backend keeps (how it works inside), shown on `/metrics`.
#[derive(Clone, Debug)]
pub struct BackendMetric {
    /// A Prometheus name, `fieldbook_…`.
    pub name: &'static str,
    pub help: &'static str,
    pub kind: MetricKind,
    pub value: u64,
}

/// A storage backend: transactions over a [`Repo`], and what only the backend can do.
pub trait Storage: Send + Sync + 'static {
    /// Runs `work` once in a read transaction: one consistent snapshot, nothing written.
    fn run_read(&self, work: &mut dyn FnMut(&mut dyn Repo) -> Result<()>) -> Result<()>;

    /// Runs `work` in a write transaction and returns what it returned once the
    /// transaction is durable. An error from `work` undoes everything it wrote.
    fn run_write(&self, work: WriteWork) -> Result<Box<dyn Any + Send>>;

    /// Queues bookkeeping (when a device last synced, what it held) whose loss in a crash
    /// costs nothing a user wrote; the caller does not wait for it. Backends without a
    /// queue write it at once.
    fn run_later(&self, work: LaterWork) -> Result<()> {
        self.run_write(Box::new(move |repo| {
            work(repo)?;
            Ok(Box::new(()) as Box<dyn Any + Send>)
        }))
        .map(|_| ())
    }

    /// Waits until bookkeeping queued by [`Storage::run_later`] is stored.
    fn settle(&self) -> Result<()> {
        Ok(())
    }

    /// Applies a push page: by default the whole of it in one write transaction.
    fn push(&self, work: Arc<dyn PushWork>) -> Result<PushResponse> {
        let out = self.run_write(Box::new(move |repo| {
            Ok(Box::new(work.run(repo)?) as Box<dyn Any + Send>)
        }))?;
        downcast(out)
    }

    /// Writes a consistent copy of everything to `to` (a new file, in the backend's own
    /// format) while serving goes on.
    fn backup(&self, to: &Path) -> Result<Backup>;

    /// The backend's own counters.
    fn metrics(&self) -> Vec<BackendMetric> {
        Vec::new()
    }
}

/// The typed forms of [`Storage`]'s transactions.
pub trait StorageExt {
    /// Runs `work` in a read transaction.
    fn read<T>(&self, work: impl FnOnce(&mut dyn Repo) -> Result<T>) -> Result<T>;
    /// Runs `work` in a write transaction; returns once it is durable.
    fn write<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Repo) -> Result<T> + Send + 'static,
    ) -> Result<T>;
    /// Queues bookkeeping without waiting for it.
    fn later(&self, work: impl Fn(&mut dyn Repo) -> Result<()> + Send + 'static) -> Result<()>;
}

impl<S: Storage + ?Sized> StorageExt for S {
    fn read<T>(&self, work: impl FnOnce(&mut dyn Repo) -> Result<T>) -> Result<T> {
        let mut work = Some(work);
        let mut out = None;
        self.run_read(&mut |repo| {
            let work = work
                .take()
                .ok_or_else(|| ServerError::Task("a read ran its work twice".into()))?;
            out = Some(work(repo)?);
            Ok(())
        })?;
        out.ok_or_else(|| ServerError::Task("a read did not run its work".into()))
    }

    fn write<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Repo) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let out = self.run_write(Box::new(move |repo| {
            Ok(Box::new(work(repo)?) as Box<dyn Any + Send>)
        }))?;
        downcast(out)
    }

    fn later(&self, work: impl Fn(&mut dyn Repo) -> Result<()> + Send + 'static) -> Result<()> {
        self.run_later(Box::new(work))
    }
}

/// What a write's work returned, as the type it was.
fn downcast<T: 'static>(out: Box<dyn Any + Send>) -> Result<T> {
    out.downcast::<T>()
        .map(|b| *b)
        .map_err(|_| ServerError::Task("a write returned something else than its work".into()))
}
