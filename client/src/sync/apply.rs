//! Applying pulled items to the store, each through the one merge path: changes merged
//! (never queued again: they came from the server), snapshots of records new here stored as
//! sent (document bytes and their projection, without loading the document), records no
//! longer visible dropped, owners recorded, and when the server received each change kept.
//! Every item is idempotent, so a page applied again (after a crash before its cursor was
//! stored) changes nothing.

use crate::error::Result;
use crate::merge::{self, Merged, Origin, Snapshot};
use crate::store::Tx;
use fieldbook_core::protocol::PullItem;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What pulled pages did, for the sync report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub new_records: u64,
    pub updated_records: u64,
    pub removed_records: u64,
    pub changes: u64,
    /// Refused changes of this device that a manager applied or discarded since.
    #[serde(default)]
    pub refusals_dealt_with: u64,
}

/// The records one transaction wrote and removed, for the UI.
#[derive(Default)]
pub(crate) struct Touched {
    pub changed: Vec<Uuid>,
    pub removed: Vec<Uuid>,
}

fn count(out: &mut Applied, merged: Merged) {
    match merged {
        Merged::New { .. } => out.new_records += 1,
        Merged::Updated { .. } => out.updated_records += 1,
        Merged::Unchanged => {}
    }
}

/// Applies one pulled item.
pub(crate) fn item(
    tx: &mut Tx,
    item: PullItem,
    out: &mut Applied,
    touched: &mut Touched,
) -> Result<()> {
    let id = match &item {
        PullItem::Changes { doc_id, .. }
        | PullItem::Snapshot { doc_id, .. }
        | PullItem::Drop { doc_id }
        | PullItem::Owner { doc_id, .. } => *doc_id,
    };
    match item {
        PullItem::Changes {
            doc_id,
            owner,
            changes,
            received_at,
            ..
        } => {
            out.changes += changes.len() as u64;
            // When the server received each (servers that do not say send none).
            let hashes: Vec<String> = changes
                .iter()
                .take(received_at.len())
                .filter_map(|c| automerge::Change::from_bytes(c.clone()).ok())
                .map(|c| c.hash().to_string())
                .collect();
            tx.remember_receipts(
                hashes
                    .iter()
                    .zip(&received_at)
                    .map(|(h, at)| (h.as_str(), at.as_str())),
            )?;
            let mut bytes = Vec::with_capacity(changes.iter().map(Vec::len).sum());
            for c in &changes {
                bytes.extend_from_slice(c);
            }
            let merged = merge::merge_bytes(tx, doc_id, &bytes, Origin::Server { owner: &owner })?;
            count(out, merged);
        }
        PullItem::Snapshot {
            doc_id,
            kind,
            owner,
            doc,
            record,
            conflicts,
        } => {
            let snapshot = Snapshot {
                id: doc_id,
                kind,
                doc: &doc,
                record: &record,
                conflicts: conflicts as usize,
            };
            count(out, merge::merge_snapshot(tx, snapshot, &owner)?);
        }
        PullItem::Drop { doc_id } => {
            tx.remove(doc_id)?;
            out.removed_records += 1;
            touched.removed.push(doc_id);
            return Ok(());
        }
        PullItem::Owner { doc_id, owner } => {
            tx.set_owner(doc_id, &owner)?;
        }
    }
    touched.changed.push(id);
    Ok(())
}
