//! Storing record documents: a saved document followed by appended change chunks, re-saved
//! (compacted) when the chunks pile up, so loading stays fast for years of edits.
//!
//! A change made here is stored once: the outbox refers to its chunk in the document's bytes
//! (`outbox::append_stored`) until the server acknowledges it. Compacting rewrites those
//! bytes, so it first gives the rows referring to them their own copy (`outbox::detach`).

use super::outbox;
use crate::error::{ClientError, Result};
use automerge::ActorId;
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// After this many appended changes the document is saved whole again.
const COMPACT_AFTER: i64 = 32;

/// A document loaded from the store, with what is needed to append to it.
pub(crate) struct StoredDoc {
    pub doc: RecordDoc,
    data: Vec<u8>,
    chunks: i64,
}

impl StoredDoc {
    pub fn load(conn: &Connection, id: Uuid, actor: &ActorId) -> Result<Option<StoredDoc>> {
        let row: Option<(Vec<u8>, i64)> = conn
            .prepare_cached("SELECT data, chunks FROM docs WHERE id = ?1")?
            .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((data, chunks)) = row else {
            return Ok(None);
        };
        let doc = RecordDoc::load(&data, actor).map_err(ClientError::damaged(id))?;
        Ok(Some(StoredDoc { doc, data, chunks }))
    }

    /// Stores a document that is new here.
    pub fn insert(conn: &Connection, doc: &mut RecordDoc) -> Result<()> {
        conn.prepare_cached("INSERT INTO docs (id, kind, data, chunks) VALUES (?1, ?2, ?3, 0)")?
            .execute(params![
                doc.id().to_string(),
                doc.kind().as_str(),
                doc.save()
            ])?;
        Ok(())
    }

    /// Stores a document created here as its one creating change (loading accepts a change
    /// chunk as well as a saved document, and this skips a second encoding of the same ops),
    /// and queues that change for the server (the outbox refers to the stored bytes).
    pub fn insert_created(conn: &Connection, doc: &RecordDoc, change: &[u8]) -> Result<()> {
        Self::insert_created_change(conn, doc.id(), doc.kind(), change)
    }

    /// The same, given the record's id and kind (its document is not at hand).
    pub fn insert_created_change(
        conn: &Connection,
        id: Uuid,
        kind: Kind,
        change: &[u8],
    ) -> Result<()> {
        conn.prepare_cached("INSERT INTO docs (id, kind, data, chunks) VALUES (?1, ?2, ?3, 1)")?
            .execute(params![id.to_string(), kind.as_str(), change])?;
        outbox::append_stored(conn, id, 0, change.len())
    }

    /// Stores a document new here as the bytes it came in (saved whole), not loaded.
    pub fn insert_raw(conn: &Connection, id: Uuid, kind: Kind, bytes: &[u8]) -> Result<()> {
        conn.prepare_cached("INSERT INTO docs (id, kind, data, chunks) VALUES (?1, ?2, ?3, 0)")?
            .execute(params![id.to_string(), kind.as_str(), bytes])?;
        Ok(())
    }

    /// Appends changes made to (or merged into) this document, and queues them for the
    /// server if `queue`; compacts now and then. A change appended as a chunk is queued as a
    /// reference to it; when compacting, the queued changes referring to the old bytes take
    /// a copy of theirs first, and these changes are queued with their own bytes.
    pub fn append(&mut self, conn: &Connection, changes: &[Vec<u8>], queue: bool) -> Result<()> {
        let id = self.doc.id();
        self.chunks += changes.len() as i64;
        if self.chunks > COMPACT_AFTER {
            outbox::detach(conn, id, &self.data)?;
            self.data = self.doc.save();
            self.chunks = 0;
            if queue {
                for c in changes {
                    outbox::append(conn, id, c)?;
                }
            }
        } else {
            for c in changes {
                if queue {
                    outbox::append_stored(conn, id, self.data.len(), c.len())?;
                }
                self.data.extend_from_slice(c);
            }
        }
        conn.prepare_cached("UPDATE docs SET data = ?2, chunks = ?3 WHERE id = ?1")?
            .execute(params![id.to_string(), self.data, self.chunks])?;
        Ok(())
    }
}
