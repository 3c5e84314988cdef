//! [`PgRepo`]: the [`Repo`](crate::storage::Repo) of one PostgreSQL transaction (its
//! methods are in `users`, `devices`, `records`, `log`, `quarantine` and `reports`), the
//! blocking query helpers they share, and the log's lock.
//!
//! The log's lock: a write transaction takes a transaction-level advisory lock before its
//! first write, holds it until it commits or rolls back, and hands out log positions under
//! it from the committed head (read outside the transaction's snapshot: `Conns::
//! committed_head`). So positions are gap-free and in commit order (docs/postgres.md).
//! Taking it before any write, not only before the first log entry, means no transaction
//! ever waits for the lock while holding a row another holder needs (no deadlock).

use super::conn::{Conns, wait};
use crate::error::{Result, ServerError};
use deadpool_postgres::Object;
use fieldbook_core::Kind;
use fieldbook_core::protocol::Role;
use std::cell::Cell;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

/// The advisory lock key of the log ("fieldbk1" as a number).
pub(super) const LOG_LOCK: i64 = 0x6669_656c_6462_6b31;

pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// What a transaction may do, and when it takes the log's lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// Reads only: a write is refused.
    Read,
    /// Writes, the log's lock taken before the first.
    Write,
    /// Bookkeeping (a device's last sync, what it pulled): rows nobody else writes, so no
    /// lock unless it appends to the log.
    Bookkeeping,
}

/// The reads and writes of the transaction open on `client`.
pub(super) struct PgRepo<'c> {
    client: &'c Object,
    conns: &'c Conns,
    mode: Mode,
    /// The next log position, once the log's lock is held.
    next_seq: Option<i64>,
    /// The first statement that failed: the transaction is aborted from then on, whatever
    /// the work does with the error, and this is what the transaction reports.
    failure: Cell<Option<tokio_postgres::Error>>,
}

impl<'c> PgRepo<'c> {
    pub(super) fn new(client: &'c Object, conns: &'c Conns, mode: Mode) -> PgRepo<'c> {
        PgRepo {
            client,
            conns,
            mode,
            next_seq: None,
            failure: Cell::new(None),
        }
    }

    /// The first statement's failure, if any.
    pub(super) fn take_failure(&mut self) -> Option<ServerError> {
        self.failure.take().map(Into::into)
    }

    /// Passes a statement's result on, keeping its failure for the transaction.
    fn check<T>(&self, r: std::result::Result<T, tokio_postgres::Error>) -> Result<T> {
        r.map_err(|e| {
            let said = ServerError::Storage(super::conn::describe(&e).into());
            let first = self.failure.take();
            self.failure.set(Some(first.unwrap_or(e)));
            said
        })
    }

    fn statement(&self, sql: &str) -> Result<tokio_postgres::Statement> {
        self.check(wait(self.client.prepare_cached(sql)))
    }

    /// Every row `sql` reads.
    pub(super) fn rows(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        self.check(wait(self.client.query(&stmt, params)))
    }

    /// The one row `sql` reads, if any.
    pub(super) fn opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let stmt = self.statement(sql)?;
        self.check(wait(self.client.query_opt(&stmt, params)))
    }

    /// The one row `sql` must read.
    pub(super) fn one(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        let stmt = self.statement(sql)?;
        self.check(wait(self.client.query_one(&stmt, params)))
    }

    /// Runs a write; how many rows it touched.
    pub(super) fn exec(&mut self, sql: &str, params: Params<'_>) -> Result<u64> {
        self.before_write()?;
        let stmt = self.statement(sql)?;
        self.check(wait(self.client.execute(&stmt, params)))
    }

    /// Runs a write that returns rows (`RETURNING`).
    pub(super) fn write_rows(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        self.before_write()?;
        self.rows(sql, params)
    }

    /// What a write needs first: the log's lock, in a write transaction.
    fn before_write(&mut self) -> Result<()> {
        match self.mode {
            Mode::Read => Err(ServerError::Task("a write in a read transaction".into())),
            Mode::Write => self.lock_log(),
            Mode::Bookkeeping => Ok(()),
        }
    }

    /// Takes the log's lock (once per transaction) and learns the next log position.
    fn lock_log(&mut self) -> Result<()> {
        if self.mode == Mode::Read {
            return Err(ServerError::Task("a write in a read transaction".into()));
        }
        if self.next_seq.is_none() {
            let stmt = self.statement("SELECT pg_advisory_xact_lock($1)")?;
            self.check(wait(self.client.execute(&stmt, &[&LOG_LOCK])))?;
            self.next_seq = Some(self.conns.committed_head()? + 1);
        }
        Ok(())
    }

    /// The next log position (under the log's lock).
    pub(super) fn next_seq(&mut self) -> Result<i64> {
        self.lock_log()?;
        let seq = self.next_seq.unwrap_or(1);
        self.next_seq = Some(seq + 1);
        Ok(seq)
    }
}

pub(super) fn parse_kind(s: &str) -> Result<Kind> {
    Kind::parse(s).map_err(|_| ServerError::Damaged(format!("`{s}` is not a kind")))
}

pub(super) fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| ServerError::Damaged(format!("`{s}` is not a role")))
}

/// A count or position read as bigint, as the unsigned number the repo gives.
pub(super) fn unsigned(n: i64) -> u64 {
    n.max(0) as u64
}
