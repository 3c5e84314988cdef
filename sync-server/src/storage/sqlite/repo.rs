//! [`SqliteRepo`]: the [`Repo`](crate::storage::Repo) of one SQLite transaction (its
//! methods are in `users`, `devices`, `records` and `log`), and the conversions of stored
//! text back into ids, kinds and roles.
//!
//! Every write that changes who sees what (users, teams, owners) also bumps the scope
//! generation once per transaction, which tells pushes prepared on an older snapshot to
//! start again (`push`).

use crate::error::{Result, ServerError};
use fieldbook_core::Kind;
use fieldbook_core::protocol::Role;
use rusqlite::Connection;
use uuid::Uuid;

/// The reads and writes of the transaction open on `conn`.
pub(in crate::storage::sqlite) struct SqliteRepo<'c> {
    pub(in crate::storage::sqlite) conn: &'c Connection,
    bumped: bool,
}

impl<'c> SqliteRepo<'c> {
    pub(in crate::storage::sqlite) fn new(conn: &'c Connection) -> SqliteRepo<'c> {
        SqliteRepo {
            conn,
            bumped: false,
        }
    }

    /// Marks a change of who sees what: pushes prepared before it are done again.
    pub(in crate::storage::sqlite) fn scope_changed(&mut self) -> Result<()> {
        if !self.bumped {
            self.conn
                .prepare_cached("UPDATE meta SET value = value + 1 WHERE key = 'scope_generation'")?
                .execute([])?;
            self.bumped = true;
        }
        Ok(())
    }
}

/// The scope generation now.
pub(in crate::storage::sqlite) fn scope_generation(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'scope_generation'")?
        .query_row([], |r| r.get(0))?)
}

pub(in crate::storage::sqlite) fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| ServerError::Damaged(format!("`{s}` is not a record id")))
}

pub(in crate::storage::sqlite) fn parse_kind(s: &str) -> Result<Kind> {
    Kind::parse(s).map_err(|_| ServerError::Damaged(format!("`{s}` is not a kind")))
}

pub(in crate::storage::sqlite) fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| ServerError::Damaged(format!("`{s}` is not a role")))
}
