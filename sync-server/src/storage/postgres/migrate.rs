//! Versioned schema migrations of the PostgreSQL database, embedded in the program (its own
//! SQL files, `migrations/postgres/`). Append-only: a shipped migration is never edited; a
//! database whose version is newer than this program knows is refused untouched. Several
//! instances starting at once take turns (a session advisory lock). Knows nothing of what
//! the tables mean.

use super::conn::wait;
use crate::error::{Result, ServerError};
use deadpool_postgres::Object;

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("../../../migrations/postgres/0001_init.sql")];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key migrations run under ("fieldbkm").
const MIGRATE_LOCK: i64 = 0x6669_656c_6462_6b6d;

pub(super) fn migrate(client: &Object, name: &str) -> Result<()> {
    wait(client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK]))?;
    let out = run(client, name);
    let unlocked = wait(client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK]));
    out?;
    unlocked?;
    Ok(())
}

fn run(client: &Object, name: &str) -> Result<()> {
    wait(
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS fieldbook_schema (version BIGINT NOT NULL)"),
    )?;
    let found: i64 = wait(client.query_opt("SELECT version FROM fieldbook_schema", &[]))?
        .map_or(0, |r| r.get(0));
    if found > SCHEMA_VERSION {
        return Err(ServerError::StoreTooNew {
            path: name.into(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let next = i as i64 + 1;
        let step = format!(
            "BEGIN; {sql}\n; DELETE FROM fieldbook_schema; INSERT INTO fieldbook_schema VALUES ({next}); COMMIT;"
        );
        if let Err(e) = wait(client.batch_execute(&step)) {
            let _ = wait(client.batch_execute("ROLLBACK"));
            return Err(e.into());
        }
    }
    Ok(())
}
