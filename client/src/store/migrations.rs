//! Versioned schema migrations, embedded in the program. Append-only: a shipped migration is
//! never edited; a store whose version is newer than this program knows is refused untouched.
//!
//! Migrations run once, however many connections open the store at the same moment: the
//! caller holds the write turn (one process), and the schema version is read inside the
//! same exclusive transaction that applies the migrations (every process).

use crate::error::{ClientError, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Migration `i` brings the schema from version `i` to `i + 1` (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_deleted_in_projections.sql"),
    include_str!("../../migrations/0003_trust.sql"),
    include_str!("../../migrations/0004_receipts.sql"),
    include_str!("../../migrations/0005_merged_into.sql"),
    include_str!("../../migrations/0006_leads_cases_reminders.sql"),
    include_str!("../../migrations/0007_outbox_refers.sql"),
];

/// Work a migration needs besides its SQL, done in Rust in the same transaction.
type Step = fn(&Connection) -> Result<()>;

/// `(the version a migration brings the schema to, what to run once it and every later
/// migration's SQL ran)`.
const AFTER: &[(i64, Step)] = &[(3, super::attention::backfill)];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn too_new(found: i64) -> ClientError {
    ClientError::StoreTooNew {
        found,
        known: SCHEMA_VERSION,
    }
}

/// Checks, without writing, that the schema is this program's: a read-only store cannot be
/// migrated ([`ClientError::StoreTooOld`] when it would need it).
pub(crate) fn check_current(conn: &Connection) -> Result<()> {
    let found = version(conn)?;
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Greater => Err(too_new(found)),
        std::cmp::Ordering::Less => Err(ClientError::StoreTooOld),
        std::cmp::Ordering::Equal => Ok(()),
    }
}

/// Brings the schema up to [`SCHEMA_VERSION`]. A store already there costs one read and
/// no write lock; an older one is migrated in one exclusive transaction that reads the
/// version again first (another connection may have migrated it meanwhile).
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found = version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let found = version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    for sql in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(sql)?;
    }
    // The steps read projections through today's schema (its fields and rules), so they
    // run once every table has today's columns.
    for (_, then) in AFTER.iter().filter(|(v, _)| *v > found) {
        then(&tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}
