//! Changes the server refused, as it said when they were pushed: kept (table `refused`, one
//! row per change hash) until they are dealt with, so `status` can show them for as long as
//! they wait in the server's quarantine, not only once at the sync that sent them. A row
//! goes when the server reports the item applied or discarded (by its hash), or with the
//! store.

use super::{Store, Tx};
use crate::error::Result;
use crate::model::RefusedChange;
use fieldbook_core::protocol::Refusal;
use rusqlite::params;
use uuid::Uuid;

impl Tx<'_> {
    /// Remembers what the server refused (a refusal told again changes nothing).
    pub fn remember_refused(&self, refused: &[Refusal], at: &str) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO refused (hash, doc_id, reason, refused_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (hash) DO NOTHING",
        )?;
        for r in refused {
            stmt.execute(params![r.hash, r.doc_id.to_string(), r.reason, at])?;
        }
        Ok(())
    }
}

impl Tx<'_> {
    /// Forgets the refusals the server no longer lists as open (`open`: the hashes of this
    /// device's refused changes still in its quarantine): they were applied or discarded.
    /// Returns how many were forgotten.
    pub fn keep_open_refusals(&self, open: &[String]) -> Result<u64> {
        let held: Vec<String> = {
            let mut stmt = self.conn().prepare_cached("SELECT hash FROM refused")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut forget = self
            .conn()
            .prepare_cached("DELETE FROM refused WHERE hash = ?1")?;
        let mut n = 0;
        for h in held.iter().filter(|h| !open.contains(h)) {
            n += forget.execute([h])? as u64;
        }
        Ok(n)
    }
}

impl Store {
    /// The changes the server refused that are not dealt with yet, oldest first.
    pub fn refused_changes(&self) -> Result<Vec<RefusedChange>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT hash, doc_id, reason, refused_at FROM refused ORDER BY refused_at, hash",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (hash, doc_id, reason, refused_at) = row?;
            out.push(RefusedChange {
                hash,
                doc_id: Uuid::parse_str(&doc_id).unwrap_or_default(),
                reason,
                refused_at,
            });
        }
        Ok(out)
    }
}
