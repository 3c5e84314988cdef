//! Applying a pulled page to the store: merging changes (which never go back to the outbox:
//! they came from the server), storing snapshots as they come (document bytes and their
//! projection, without loading the document), dropping records no longer visible, and
//! recording owners. The caller commits a page together with the cursor after it (pages
//! already downloaded may share that transaction; it then holds the last one's cursor).

use crate::error::{ClientError, Result};
use crate::store::{Settings, StoredDoc, projection};
use automerge::AutoCommit;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::protocol::PullItem;
use rusqlite::{Connection, params};

/// What a page did, for the sync report.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Applied {
    pub new_records: u64,
    pub updated_records: u64,
    pub removed_records: u64,
    pub changes: u64,
}

fn concat(changes: &[Vec<u8>]) -> Vec<u8> {
    let mut all = Vec::with_capacity(changes.iter().map(Vec::len).sum());
    for c in changes {
        all.extend_from_slice(c);
    }
    all
}

fn damaged(id: &uuid::Uuid, e: fieldbook_core::CoreError) -> ClientError {
    ClientError::Damaged {
        id: id.to_string(),
        source: Box::new(e),
    }
}

/// Rewrites a record's projections from its document, with the owner the server gave.
fn project(tx: &Connection, doc: &mut RecordDoc, owner: &str) -> Result<projection::SearchRow> {
    let conflicts = doc.conflicts()?.len();
    let json = doc.read().to_json(owner);
    projection::upsert_json(tx, doc.kind(), &json, conflicts, Some(owner))
}

/// Merges changes or a whole document into a record this device holds. Nothing new (often
/// this device's own changes, sent back): only the owner may be news.
fn merge_held(
    tx: &Connection,
    stored: &mut StoredDoc,
    bytes: &[u8],
    owner: &str,
    search: &mut Vec<projection::SearchRow>,
    out: &mut Applied,
) -> Result<()> {
    let id = stored.doc.id();
    let new = stored.doc.merge_bytes(bytes).map_err(|e| damaged(&id, e))?;
    if new.is_empty() {
        return projection::set_owner(tx, &id.to_string(), owner);
    }
    stored.append(tx, &new)?;
    search.push(project(tx, &mut stored.doc, owner)?);
    out.updated_records += 1;
    Ok(())
}

/// Applies one page of items; the caller commits it with the cursor.
pub(crate) fn page(
    tx: &Connection,
    s: &Settings,
    items: Vec<PullItem>,
    out: &mut Applied,
) -> Result<()> {
    let mut search = Vec::new();
    for item in items {
        match item {
            PullItem::Changes {
                doc_id,
                owner,
                changes,
                ..
            } => {
                out.changes += changes.len() as u64;
                let bytes = concat(&changes);
                match StoredDoc::load(tx, doc_id, &s.actor)? {
                    Some(mut stored) => {
                        merge_held(tx, &mut stored, &bytes, &owner, &mut search, out)?
                    }
                    None => {
                        let am =
                            AutoCommit::load(&bytes).map_err(|e| damaged(&doc_id, e.into()))?;
                        let mut doc =
                            RecordDoc::from_automerge(am).map_err(|e| damaged(&doc_id, e))?;
                        StoredDoc::insert(tx, &mut doc)?;
                        search.push(project(tx, &mut doc, &owner)?);
                        out.new_records += 1;
                    }
                }
            }
            PullItem::Snapshot {
                doc_id,
                kind,
                owner,
                doc,
                record,
                conflicts,
            } => match StoredDoc::load(tx, doc_id, &s.actor)? {
                // Held already (perhaps with edits the server has not seen): merge.
                Some(mut stored) => merge_held(tx, &mut stored, &doc, &owner, &mut search, out)?,
                // New here: store as sent, projection included; no document is loaded.
                None => {
                    tx.prepare_cached(
                        "INSERT INTO docs (id, kind, data, chunks) VALUES (?1, ?2, ?3, 0)",
                    )?
                    .execute(params![
                        doc_id.to_string(),
                        kind.as_str(),
                        doc
                    ])?;
                    search.push(projection::insert_json(
                        tx,
                        kind,
                        &record,
                        conflicts as usize,
                        &owner,
                    )?);
                    out.new_records += 1;
                }
            },
            PullItem::Drop { doc_id } => {
                projection::remove(tx, &doc_id.to_string())?;
                out.removed_records += 1;
            }
            PullItem::Owner { doc_id, owner } => {
                projection::set_owner(tx, &doc_id.to_string(), &owner)?;
            }
        }
    }
    projection::write_search(tx, &search)?;
    projection::fix_parent_accounts(tx)
}
