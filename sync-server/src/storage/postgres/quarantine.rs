//! The quarantine in SQL: refused changes listed and read whole, decisions recorded (the
//! row stays), changes settled once they are in the log, and the open entries a retry or
//! a device asks about. Rows are written by `records::store_push`. Knows nothing of who
//! may decide.

use super::repo::{PgRepo, parse_kind};
use crate::error::{Result, ServerError};
use crate::push::Cause;
use crate::storage::{QuarantineRepo, QuarantinedChange};
use fieldbook_core::protocol::{QuarantineEntry, QuarantineState};
use tokio_postgres::Row;
use uuid::Uuid;

const COLUMNS: &str = "id, at, user_name, device_id, doc_id, kind, hash, reason, state, cause, \
                       decided_by, decided_at";

fn entry(r: &Row) -> Result<QuarantineEntry> {
    let state: &str = r.get(8);
    let cause: &str = r.get(9);
    Ok(QuarantineEntry {
        id: r.get(0),
        at: r.get(1),
        user: r.get(2),
        device_id: r.get(3),
        doc_id: r.get(4),
        kind: parse_kind(r.get(5))?,
        hash: r.get(6),
        reason: r.get(7),
        state: QuarantineState::parse(state)
            .ok_or_else(|| ServerError::Damaged(format!("quarantine state `{state}`")))?,
        waiting_for_deps: Cause::parse(cause) == Some(Cause::MissingDeps),
        decided_by: r.get(10),
        decided_at: r.get(11),
    })
}

impl QuarantineRepo for PgRepo<'_> {
    fn quarantine(&mut self, open_only: bool) -> Result<Vec<QuarantineEntry>> {
        self.rows(
            &format!("SELECT {COLUMNS} FROM quarantine WHERE NOT $1 OR state = 'open' ORDER BY id"),
            &[&open_only],
        )?
        .iter()
        .map(entry)
        .collect()
    }

    fn quarantined(&mut self, id: i64) -> Result<Option<QuarantinedChange>> {
        self.opt(
            &format!("SELECT {COLUMNS}, bytes FROM quarantine WHERE id = $1"),
            &[&id],
        )?
        .map(|r| {
            Ok(QuarantinedChange {
                entry: entry(&r)?,
                bytes: r.get(12),
            })
        })
        .transpose()
    }

    fn decide_quarantined(
        &mut self,
        id: i64,
        state: QuarantineState,
        by: &str,
        at: &str,
    ) -> Result<()> {
        self.exec(
            "UPDATE quarantine SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
            &[&id, &state.as_str(), &by, &at],
        )?;
        Ok(())
    }

    fn refused_again(&mut self, id: i64, reason: &str, waiting_for_deps: bool) -> Result<()> {
        let cause = if waiting_for_deps {
            Cause::MissingDeps
        } else {
            Cause::Refused
        };
        self.exec(
            "UPDATE quarantine SET reason = $2, cause = $3 WHERE id = $1 AND state = 'open'",
            &[&id, &reason, &cause.as_str()],
        )?;
        Ok(())
    }

    fn settle_quarantined(&mut self, hashes: &[&str], by: &str, at: &str) -> Result<u64> {
        // Nearly always nothing is open: one look, and no write (no lock) then.
        if self
            .opt("SELECT 1 FROM quarantine WHERE state = 'open' LIMIT 1", &[])?
            .is_none()
        {
            return Ok(0);
        }
        let hashes: Vec<&str> = hashes.to_vec();
        self.exec(
            "UPDATE quarantine SET state = 'applied', decided_by = $2, decided_at = $3
             WHERE hash = ANY($1) AND state = 'open'",
            &[&hashes, &by, &at],
        )
    }

    fn waiting_for_deps(&mut self, docs: &[Uuid]) -> Result<Vec<i64>> {
        let docs: Vec<Uuid> = docs.to_vec();
        Ok(self
            .rows(
                "SELECT id FROM quarantine WHERE doc_id = ANY($1) AND state = 'open'
                 AND cause = 'missing_deps' ORDER BY id",
                &[&docs],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn open_refusals(&mut self, user: &str) -> Result<Vec<String>> {
        Ok(self
            .rows(
                "SELECT DISTINCT hash FROM quarantine WHERE user_name = $1 AND state = 'open'
                 ORDER BY hash",
                &[&user],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}
