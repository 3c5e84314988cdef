//! The outbox: changes made (or absorbed) here that the server has not acknowledged yet,
//! oldest first. A write queues its change in the same transaction that stores it; the
//! sync engine reads a page, pushes it, and drops it once the server answered.
//!
//! A change stored as a chunk of its record's document is queued as a reference to those
//! bytes (`doc_at`, `doc_len`), not copied: a never-synced book is not stored twice.
//! [`detach`] gives such rows their own copy before the document's bytes are rewritten.
//! How many changes wait is kept in `tallies` by triggers on the table (migration 0007),
//! so asking costs one row, not a count of the queue.

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

/// The bytes of a queued change: its own copy, or its chunk in the record's document (no
/// bytes when the document is gone).
pub(super) const CHANGE_BYTES: &str = "coalesce(o.change, substr(d.data, o.doc_at + 1, o.doc_len))";

/// Queues a change with its own copy of its bytes.
pub(super) fn append(conn: &Connection, doc_id: Uuid, change: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO outbox (doc_id, change) VALUES (?1, ?2)")?
        .execute(params![doc_id.to_string(), change])?;
    Ok(())
}

/// Queues a change whose bytes are stored in its record's document, `len` bytes from `at`.
pub(super) fn append_stored(conn: &Connection, doc_id: Uuid, at: usize, len: usize) -> Result<()> {
    conn.prepare_cached("INSERT INTO outbox (doc_id, doc_at, doc_len) VALUES (?1, ?2, ?3)")?
        .execute(params![doc_id.to_string(), at as i64, len as i64])?;
    Ok(())
}

/// Gives the queued changes that refer to a document's stored bytes (`data`, as they are
/// before a rewrite) their own copy.
pub(super) fn detach(conn: &Connection, doc_id: Uuid, data: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET change = substr(?2, doc_at + 1, doc_len), doc_at = NULL, doc_len = NULL
         WHERE doc_id = ?1 AND change IS NULL",
    )?
    .execute(params![doc_id.to_string(), data])?;
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
    /// Number of changes waiting to go to the server (kept as they come and go: one row
    /// read, however long the queue).
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self
            .db()?
            .prepare_cached("SELECT n FROM tallies WHERE name = 'outbox'")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
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
        let mut stmt = db.prepare_cached(&format!(
            "SELECT o.seq, o.doc_id, d.kind, {CHANGE_BYTES} FROM outbox o
             LEFT JOIN docs d ON d.id = o.doc_id
             WHERE o.seq <= ?2 ORDER BY o.seq LIMIT ?1"
        ))?;
        let mut rows = stmt.query([max_changes as i64, upto])?;
        let (mut last_seq, mut changes, mut bytes) = (None, Vec::new(), 0usize);
        while let Some(row) = rows.next()? {
            let change: Vec<u8> = row.get::<_, Option<Vec<u8>>>(3)?.unwrap_or_default();
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
            if change.is_empty() {
                continue;
            }
            changes.push(ChangeEnvelope {
                doc_id,
                kind,
                bytes: change,
            });
        }
        Ok(last_seq.map(|last_seq| OutboxPage { changes, last_seq }))
    }
}
