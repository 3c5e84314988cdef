//! What reconciling with a restored server needs from the store: every record's id in
//! pages (with its document, for its heads and changes), the outbox taken out to be queued
//! again with what the server lacks, in one order, and (`meta`) the fresh start of the pull
//! position against the server's new log.

use super::{Store, Tx};
use crate::error::Result;
use rusqlite::params;
use uuid::Uuid;

impl Store {
    /// Up to `limit` record ids after `after` (from the first without), in id order.
    pub fn doc_ids_after(&self, after: Option<Uuid>, limit: usize) -> Result<Vec<Uuid>> {
        let db = self.db()?;
        let mut stmt =
            db.prepare_cached("SELECT id FROM docs WHERE id > ?1 ORDER BY id LIMIT ?2")?;
        let after = after.map(|a| a.to_string()).unwrap_or_default();
        let rows = stmt.query_map(params![after, limit as i64], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for id in rows {
            if let Ok(id) = Uuid::parse_str(&id?) {
                out.push(id);
            }
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// Takes every change waiting in the outbox out of it, oldest first (to queue them
    /// again, in another order, in the same transaction).
    pub fn take_outbox(&self) -> Result<Vec<(Uuid, Vec<u8>)>> {
        let mut out = Vec::new();
        {
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT o.doc_id, {} FROM outbox o LEFT JOIN docs d ON d.id = o.doc_id
                     ORDER BY o.seq",
                super::outbox::CHANGE_BYTES
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                // A change whose record is gone (dropped) has nothing left to send.
                if let (Ok(id), Some(bytes)) = (Uuid::parse_str(&id), r.get(1)?) {
                    out.push((id, bytes));
                }
            }
        }
        self.conn().execute("DELETE FROM outbox", [])?;
        Ok(out)
    }
}
