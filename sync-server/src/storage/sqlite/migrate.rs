//! Versioned schema migrations of the server database, embedded in the program.
//! Append-only: a shipped migration is never edited; a database whose version is newer
//! than this program knows is refused untouched. Knows nothing of what the tables mean.

use crate::error::{Result, ServerError};
use rusqlite::Connection;
use std::path::Path;

/// Migration `i` brings the schema from version `i` to `i + 1` (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_init.sql"),
    include_str!("../../../migrations/0002_device_and_generation.sql"),
    include_str!("../../../migrations/0003_trust.sql"),
    include_str!("../../../migrations/0004_case_assignments.sql"),
    include_str!("../../../migrations/0005_report_rows.sql"),
    include_str!("../../../migrations/0006_login_guard.sql"),
];

/// The migration after which the report projection is filled from the stored records.
const REPORT_ROWS: usize = 4;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(ServerError::StoreTooNew {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        if i == REPORT_ROWS {
            super::reports::backfill(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
