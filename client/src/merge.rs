//! The one path by which a record's changes reach the store, wherever they come from: typed
//! here, carried in a bundle, or pulled from the server. Every write of a document goes
//! through it: the document is stored (appended to, or stored whole when new), its new
//! changes are queued in the outbox unless they came from the server, and its projections
//! and search row are rewritten; all in the caller's transaction.
//!
//! Knows nothing of SQL (it writes through [`Tx`]), of the network or of parsing.

use crate::error::{ClientError, Result};
use crate::store::{StoredDoc, Tx};
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use serde_json::{Map, Value as Json};
use uuid::Uuid;

/// Where changes come from, which decides where they go.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'a> {
    /// Made on this device: queued for the server.
    Here,
    /// Absorbed from another store's bundle: queued for the server too, so hand-carried
    /// knowledge reaches it.
    Bundle,
    /// Pulled from the server, with the record's owner: never queued again.
    Server { owner: &'a str },
}

impl Origin<'_> {
    fn queued(self) -> bool {
        !matches!(self, Origin::Server { .. })
    }
}

/// What a merge did to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Merged {
    /// The record is new here.
    New { changes: usize },
    /// The record gained changes it lacked.
    Updated { changes: usize },
    /// Nothing was new.
    Unchanged,
}

/// The owner the server gave (only it knows owners).
fn owner_of(origin: Origin<'_>) -> Option<&str> {
    match origin {
        Origin::Server { owner } => Some(owner),
        Origin::Here | Origin::Bundle => None,
    }
}

/// Writes a held document after `changes` were committed on it or merged into it.
pub(crate) fn write_held(
    tx: &mut Tx,
    stored: &mut StoredDoc,
    changes: &[Vec<u8>],
    origin: Origin<'_>,
) -> Result<()> {
    tx.append(stored, changes, origin.queued())?;
    tx.project(&mut stored.doc, owner_of(origin))
}

/// Stores a document new here. `created` is its one creating change when it was made
/// here (stored as the document, and queued as a reference to it); otherwise it is saved whole and every change
/// it holds is queued (unless it came from the server).
pub(crate) fn write_new(
    tx: &mut Tx,
    doc: &mut RecordDoc,
    created: Option<&[u8]>,
    origin: Origin<'_>,
) -> Result<usize> {
    let id = doc.id();
    let changes = match created {
        Some(change) => {
            tx.insert_created(doc, change)?;
            1
        }
        None => {
            tx.insert_doc(doc)?;
            let changes = doc.automerge().get_changes(&[]);
            if origin.queued() {
                for c in &changes {
                    tx.queue(id, c.raw_bytes())?;
                }
            }
            changes.len()
        }
    };
    tx.project(doc, owner_of(origin))?;
    Ok(changes)
}

/// A record created here whose document was built apart from the store (on an import's
/// worker thread): its one creating change, and what its projection rows need, read from
/// the document.
pub(crate) struct Created {
    pub id: Uuid,
    pub kind: Kind,
    pub change: Vec<u8>,
    pub json: Map<String, Json>,
    pub attention: Option<String>,
}

/// Stores a record created here: its creating change as the document (queued for the
/// server as a reference to it), its projection rows.
pub(crate) fn write_created(tx: &mut Tx, c: &Created) -> Result<()> {
    tx.insert_created_change(c.id, c.kind, &c.change)?;
    tx.project_new(c.kind, &c.json, c.attention.as_deref())
}

/// Merges a whole document from elsewhere: stored whole if new here, or the changes the
/// held copy lacked are added.
pub(crate) fn merge_doc(
    tx: &mut Tx,
    mut incoming: RecordDoc,
    origin: Origin<'_>,
) -> Result<Merged> {
    let id = incoming.id();
    match tx.load(id)? {
        Some(mut stored) => {
            if stored.doc.kind() != incoming.kind() {
                return Err(ClientError::Rule(crate::error::Rule::KindDiffers {
                    id,
                    here: stored.doc.kind(),
                    incoming: incoming.kind(),
                }));
            }
            let saved = incoming.save();
            merge_into_held(tx, &mut stored, &saved, origin)
        }
        None => {
            let changes = write_new(tx, &mut incoming, None, origin)?;
            Ok(Merged::New { changes })
        }
    }
}

/// Merges changes (or a saved document) into a held record. Nothing new (often this
/// device's own changes, sent back): only the owner may be news.
fn merge_into_held(
    tx: &mut Tx,
    stored: &mut StoredDoc,
    bytes: &[u8],
    origin: Origin<'_>,
) -> Result<Merged> {
    let id = stored.doc.id();
    let new = stored
        .doc
        .merge_bytes(bytes)
        .map_err(ClientError::damaged(id))?;
    if new.is_empty() {
        if let Origin::Server { owner } = origin {
            tx.set_owner(id, owner)?;
        }
        return Ok(Merged::Unchanged);
    }
    write_held(tx, stored, &new, origin)?;
    Ok(Merged::Updated { changes: new.len() })
}

/// Merges the bytes of changes (or of a saved document) for record `id`: into the held
/// copy, or as a new record made from them.
pub(crate) fn merge_bytes(
    tx: &mut Tx,
    id: Uuid,
    bytes: &[u8],
    origin: Origin<'_>,
) -> Result<Merged> {
    match tx.load(id)? {
        Some(mut stored) => merge_into_held(tx, &mut stored, bytes, origin),
        None => {
            let am = automerge::AutoCommit::load(bytes)
                .map_err(|e| ClientError::damaged(id)(e.into()))?;
            let mut doc = RecordDoc::from_automerge(am).map_err(ClientError::damaged(id))?;
            let changes = write_new(tx, &mut doc, None, origin)?;
            Ok(Merged::New { changes })
        }
    }
}

/// A record's saved document as the server sent it, with its projection (computed there by
/// the same code): merged if held; else stored as sent, without loading the document.
pub(crate) fn merge_snapshot(tx: &mut Tx, snapshot: Snapshot<'_>, owner: &str) -> Result<Merged> {
    let origin = Origin::Server { owner };
    match tx.load(snapshot.id)? {
        Some(mut stored) => merge_into_held(tx, &mut stored, snapshot.doc, origin),
        None => {
            tx.insert_raw(snapshot.id, snapshot.kind, snapshot.doc)?;
            tx.project_snapshot(snapshot.kind, snapshot.record, snapshot.conflicts, owner)?;
            Ok(Merged::New { changes: 0 })
        }
    }
}

/// A snapshot pulled from the server.
pub(crate) struct Snapshot<'a> {
    pub id: Uuid,
    pub kind: Kind,
    pub doc: &'a [u8],
    pub record: &'a Map<String, Json>,
    pub conflicts: usize,
}
