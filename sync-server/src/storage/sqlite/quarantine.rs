//! The quarantine in SQL: refused changes listed and read whole, decisions recorded (the
//! row stays: it is the record of who applied or discarded what, when), changes settled
//! once they are in the log, and the open entries a retry or a device asks about. Rows are
//! written by `records::store_push`. Knows nothing of who may decide.

use super::repo::{SqliteRepo, parse_kind, parse_uuid};
use crate::error::{Result, ServerError};
use crate::push::Cause;
use crate::storage::{QuarantineRepo, QuarantinedChange};
use fieldbook_core::protocol::{QuarantineEntry, QuarantineState};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

const COLUMNS: &str =
    "id, at, user, device_id, doc_id, kind, hash, reason, state, cause, decided_by, decided_at";

fn entry(r: &Row<'_>) -> Result<QuarantineEntry> {
    let state: String = r.get(8)?;
    let cause: String = r.get(9)?;
    Ok(QuarantineEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        device_id: parse_uuid(&r.get::<_, String>(3)?)?,
        doc_id: parse_uuid(&r.get::<_, String>(4)?)?,
        kind: parse_kind(&r.get::<_, String>(5)?)?,
        hash: r.get(6)?,
        reason: r.get(7)?,
        state: QuarantineState::parse(&state)
            .ok_or_else(|| ServerError::Damaged(format!("quarantine state `{state}`")))?,
        waiting_for_deps: Cause::parse(&cause) == Some(Cause::MissingDeps),
        decided_by: r.get(10)?,
        decided_at: r.get(11)?,
    })
}

impl QuarantineRepo for SqliteRepo<'_> {
    fn quarantine(&mut self, open_only: bool) -> Result<Vec<QuarantineEntry>> {
        let sql =
            format!("SELECT {COLUMNS} FROM quarantine WHERE NOT ?1 OR state = 'open' ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([open_only])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(entry(r)?);
        }
        Ok(out)
    }

    fn quarantined(&mut self, id: i64) -> Result<Option<QuarantinedChange>> {
        let sql = format!("SELECT {COLUMNS}, bytes FROM quarantine WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some(QuarantinedChange {
            entry: entry(r)?,
            bytes: r.get(12)?,
        }))
    }

    fn decide_quarantined(
        &mut self,
        id: i64,
        state: QuarantineState,
        by: &str,
        at: &str,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE quarantine SET state = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, state.as_str(), by, at])?;
        Ok(())
    }

    fn refused_again(&mut self, id: i64, reason: &str, waiting_for_deps: bool) -> Result<()> {
        let cause = if waiting_for_deps {
            Cause::MissingDeps
        } else {
            Cause::Refused
        };
        self.conn
            .prepare_cached(
                "UPDATE quarantine SET reason = ?2, cause = ?3 WHERE id = ?1 AND state = 'open'",
            )?
            .execute(params![id, reason, cause.as_str()])?;
        Ok(())
    }

    fn settle_quarantined(&mut self, hashes: &[&str], by: &str, at: &str) -> Result<u64> {
        // Nearly always nothing is open: one look, then nothing per hash.
        let any_open = self
            .conn
            .prepare_cached("SELECT 1 FROM quarantine WHERE state = 'open' LIMIT 1")?
            .query_row([], |_| Ok(()))
            .optional()?
            .is_some();
        if !any_open {
            return Ok(0);
        }
        let mut stmt = self.conn.prepare_cached(
            "UPDATE quarantine SET state = 'applied', decided_by = ?2, decided_at = ?3
             WHERE hash = ?1 AND state = 'open'",
        )?;
        let mut n = 0;
        for h in hashes {
            n += stmt.execute(params![h, by, at])? as u64;
        }
        Ok(n)
    }

    fn waiting_for_deps(&mut self, docs: &[Uuid]) -> Result<Vec<i64>> {
        let any = self
            .conn
            .prepare_cached(
                "SELECT 1 FROM quarantine WHERE state = 'open' AND cause = 'missing_deps' LIMIT 1",
            )?
            .query_row([], |_| Ok(()))
            .optional()?
            .is_some();
        if !any {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM quarantine WHERE doc_id = ?1 AND state = 'open'
             AND cause = 'missing_deps'",
        )?;
        let mut out = Vec::new();
        for doc in docs {
            let rows = stmt.query_map([doc.to_string()], |r| r.get::<_, i64>(0))?;
            for id in rows {
                out.push(id?);
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn open_refusals(&mut self, user: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT hash FROM quarantine WHERE user = ?1 AND state = 'open'
             ORDER BY hash",
        )?;
        let rows = stmt.query_map([user], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for h in rows {
            out.push(h?);
        }
        Ok(out)
    }
}
