//! `fieldbook-server --database URL restore --from FILE`: a backup made by `backup`
//! (pg_dump's custom format) brought back with pg_restore, refused while any instance
//! serves the database, and the log given a new identity afterwards: devices that synced
//! with the lost part of the log notice and reconcile, as after a SQLite restore.
//! Knows nothing of what the tables mean.

use super::conn::wait;
use super::{PgStorage, redact, tool};
use crate::error::{Result, ServerError};
use std::path::Path;
use std::process::Command;
use uuid::Uuid;

/// The application name every connection of a server gives (so a restore sees instances).
pub(super) const APPLICATION: &str = "fieldbook-server";

/// What a restore did.
#[derive(Clone, Debug)]
pub struct PgRestored {
    pub records: u64,
    pub log_head: u64,
    pub log_id: Uuid,
}

/// Restores `from` into the database `url`.
pub fn restore(url: &str, from: &Path) -> Result<PgRestored> {
    if !from.is_file() {
        return Err(ServerError::NotFound(format!(
            "there is no backup {}: name a file `fieldbook-server backup` wrote",
            from.display()
        )));
    }
    let pg_restore = tool("pg_restore")?;
    let listed = Command::new(&pg_restore)
        .arg("--list")
        .arg(from)
        .output()
        .map_err(ServerError::io(&pg_restore))?;
    let list = String::from_utf8_lossy(&listed.stdout);
    let ours = ["fieldbook_schema", "identity", "log", "docs"]
        .iter()
        .all(|t| list.contains(&format!("TABLE public {t} ")));
    if !listed.status.success() || !ours {
        return Err(ServerError::BadRequest(format!(
            "{} is not a backup of a Fieldbook server on PostgreSQL (`fieldbook-server --database URL backup` makes one)",
            from.display()
        )));
    }
    {
        let storage = PgStorage::connect(url)?;
        let client = storage.conns.get().map_err(|e| storage.unreachable(e))?;
        let serving: i64 = wait(client.query_one(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = $1
               AND pid <> pg_backend_pid()",
            &[&APPLICATION],
        ))?
        .get(0);
        if serving > 0 {
            return Err(ServerError::Conflict(format!(
                "the database {} is in use by running fieldbook-server instances ({serving} connection(s)): stop every instance before you restore a backup into it",
                redact(url)
            )));
        }
    }
    let out = Command::new(&pg_restore)
        .args([
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
        ])
        .arg("--dbname")
        .arg(url)
        .arg(from)
        .output()
        .map_err(ServerError::io(&pg_restore))?;
    if !out.status.success() {
        return Err(ServerError::Storage(
            format!(
                "pg_restore failed (the database is as it was): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )
            .into(),
        ));
    }
    // An older backup's schema is upgraded; then the log gets its new identity.
    let storage = PgStorage::open_existing(url)?;
    let client = storage.conns.get()?;
    let log_id = Uuid::new_v4();
    wait(client.execute(
        "UPDATE identity SET value = $1 WHERE key = 'log_id'",
        &[&log_id.to_string()],
    ))?;
    let row = wait(client.query_one(
        "SELECT (SELECT count(*) FROM docs), (SELECT coalesce(max(seq), 0) FROM log)",
        &[],
    ))?;
    Ok(PgRestored {
        records: row.get::<_, i64>(0).max(0) as u64,
        log_head: row.get::<_, i64>(1).max(0) as u64,
        log_id,
    })
}
