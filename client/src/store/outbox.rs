//! The outbox: changes made (or absorbed) here that the server has not acknowledged yet,
//! oldest first. A write queues its change in the same transaction that stores it; the
//! sync engine reads a page, pushes it, and drops it once the server answered.

use super::Store;
use crate::error::Result;
use fieldbook_core::Kind;
use fieldbook_core::protocol::ChangeEnvelope;
use rusqlite::{Connection, params};
use uuid::Uuid;

/// The oldest changes waiting, as one push page.
pub struct OutboxPage {
    pub changes: Vec<ChangeEnvelope>,
    /// The queue position of the last change in the page (acknowledge up to it).
    pub last_seq: i64,
}

pub(super) fn append(conn: &Connection, doc_id: Uuid, change: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO outbox (doc_id, change) VALUES (?1, ?2)")?
        .execute(params![doc_id.to_string(), change])?;
    Ok(())
}

pub(super) fn acknowledge(conn: &Connection, last_seq: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE seq <= ?1")?
        .execute(params![last_seq])?;
    Ok(())
}

pub(super) fn forget(conn: &Connection, doc_id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?
        .execute([doc_id.to_string()])?;
    Ok(())
}

impl Store {
    /// Number of changes waiting to go to the server.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self
            .db()?
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// The queue position of the newest change waiting, if any: a push that stops there
    /// ends even while the user keeps typing (what comes later goes with the next sync).
    pub fn outbox_last_seq(&self) -> Result<Option<i64>> {
        Ok(self
            .db()?
            .query_row("SELECT max(seq) FROM outbox", [], |r| r.get(0))?)
    }

    /// The oldest changes waiting, up to queue position `upto`: at most `max_changes`, and
    /// no more than `max_bytes` of them unless one change alone is larger. `None` when
    /// nothing is waiting up to there.
    pub fn outbox_page(
        &self,
        max_changes: usize,
        max_bytes: usize,
        upto: i64,
    ) -> Result<Option<OutboxPage>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT o.seq, o.doc_id, d.kind, o.change FROM outbox o LEFT JOIN docs d ON d.id = o.doc_id
             WHERE o.seq <= ?2 ORDER BY o.seq LIMIT ?1",
        )?;
        let mut rows = stmt.query([max_changes as i64, upto])?;
        let (mut last_seq, mut changes, mut bytes) = (None, Vec::new(), 0usize);
        while let Some(row) = rows.next()? {
            let change: Vec<u8> = row.get(3)?;
            if bytes + change.len() > max_bytes && last_seq.is_some() {
                break;
            }
            bytes += change.len();
            last_seq = Some(row.get(0)?);
            let doc_id: String = row.get(1)?;
            let kind: Option<String> = row.get(2)?;
            // A change whose record is gone (dropped) goes with the page, unsent.
            let (Ok(doc_id), Some(Ok(kind))) =
                (Uuid::parse_str(&doc_id), kind.as_deref().map(Kind::parse))
            else {
                continue;
            };
            changes.push(ChangeEnvelope {
                doc_id,
                kind,
                bytes: change,
            });
        }
        Ok(last_seq.map(|last_seq| OutboxPage { changes, last_seq }))
    }
}
