//! Reconciling with a server restored from a backup (PLAN-8 §4), with no user action: the
//! server's log has a new identity (or this device's cursor is beyond its end), so it lacks
//! changes this device holds. The device
//!
//! 1. asks, page by page, which of its records the server lacks changes of
//!    (`POST /v1/reconcile`, answered with the server's heads of each);
//! 2. queues again its own user's changes the server lacks (changes by others come back
//!    from their authors' devices: the server takes a change only from its author), merged
//!    with what already waited in the outbox into one order: each record's changes in
//!    causal order, records interleaved by when their changes were made, so a record is sent
//!    before what refers to it;
//! 3. starts pulling again from nothing (the bootstrap's snapshots merge into the records
//!    held here, never replacing them), against the new log.
//!
//! Steps 2 and 3 are one transaction: a crash before it changes nothing (the next sync
//! reconciles again), after it the outbox and the position agree.

use super::api::{Answer, Api};
use super::events::Cancel;
use crate::error::{ClientError, Result};
use crate::store::Store;
use automerge::{Change, ChangeHash};
use fieldbook_core::protocol::{
    DocHeads, MAX_RECONCILE_DOCS, PROTOCOL_VERSION, ReconcileRequest, ReconcileResponse,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use uuid::Uuid;

/// What a reconcile did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    /// Records the server lacked changes of.
    pub records_behind: u64,
    /// This user's changes queued to be sent again.
    pub changes_sent_again: u64,
}

/// The changes of one record to send, in causal order, with when each was made.
struct Queue {
    doc_id: Uuid,
    changes: VecDeque<(i64, Vec<u8>)>,
}

/// Interleaves records' changes by when they were made, each record's in its own order.
fn interleave(mut queues: Vec<Queue>) -> Vec<(Uuid, Vec<u8>)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut next: BinaryHeap<Reverse<(i64, usize)>> = queues
        .iter()
        .enumerate()
        .filter_map(|(i, q)| q.changes.front().map(|(t, _)| Reverse((*t, i))))
        .collect();
    let mut out = Vec::new();
    while let Some(Reverse((_, i))) = next.pop() {
        let q = &mut queues[i];
        if let Some((_, bytes)) = q.changes.pop_front() {
            out.push((q.doc_id, bytes));
        }
        if let Some((t, _)) = q.changes.front() {
            next.push(Reverse((*t, i)));
        }
    }
    out
}

fn ask(api: &Api, docs: Vec<DocHeads>) -> Result<ReconcileResponse> {
    let req = ReconcileRequest {
        protocol: PROTOCOL_VERSION,
        docs,
    };
    match api.post("/v1/reconcile", &req)? {
        Answer::Ok(r) | Answer::Refused(r) => Ok(r),
        Answer::Deactivated => Err(ClientError::Deactivated),
    }
}

/// Reconciles this store with the server behind `api` (see the module doc).
pub(super) fn reconcile(store: &mut Store, api: &Api, cancel: &Cancel) -> Result<Reconciled> {
    let user = store.settings().user.clone();
    let mut report = Reconciled::default();
    let mut lacking: Vec<(Uuid, Vec<Vec<u8>>)> = Vec::new();
    let mut log_id = None;
    let mut after = None;
    loop {
        cancel.check()?;
        let ids = store.doc_ids_after(after, MAX_RECONCILE_DOCS)?;
        after = ids.last().copied();
        let mut docs = Vec::with_capacity(ids.len());
        for id in &ids {
            let mut stored = store.load_doc(*id)?;
            let heads = stored.doc.heads().iter().map(|h| h.to_string()).collect();
            docs.push(DocHeads { doc_id: *id, heads });
        }
        let resp = ask(api, docs)?;
        log_id = resp.log_id.or(log_id);
        for behind in resp.behind {
            let Some(mut stored) = store.find_doc(behind.doc_id)? else {
                continue;
            };
            report.records_behind += 1;
            let am = stored.doc.automerge();
            let known: Vec<ChangeHash> = behind
                .heads
                .iter()
                .filter_map(|h| h.parse::<ChangeHash>().ok())
                .filter(|h| am.get_change_by_hash(h).is_some())
                .collect();
            let mine: Vec<Vec<u8>> = am
                .get_changes(&known)
                .into_iter()
                .filter(|c| c.message() == Some(user.as_str()))
                .map(|c| c.raw_bytes().to_vec())
                .collect();
            if !mine.is_empty() {
                lacking.push((behind.doc_id, mine));
            }
        }
        if ids.len() < MAX_RECONCILE_DOCS {
            break;
        }
    }
    let log_id = log_id.ok_or_else(|| ClientError::Server {
        status: 200,
        code: "bad_response".into(),
        message: "the server did not say which log it keeps; is it a Fieldbook server?".into(),
    })?;
    cancel.check()?;
    store.write(|tx| {
        // What waited already, and what the server lacks: one order for both.
        let waiting = tx.take_outbox()?;
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        let mut queues: Vec<Queue> = Vec::new();
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        let mut add = |doc_id: Uuid, bytes: Vec<u8>| -> bool {
            if !seen.insert(bytes.clone()) {
                return false;
            }
            let time = Change::from_bytes(bytes.clone()).map_or(i64::MAX, |c| c.timestamp());
            let i = *index.entry(doc_id).or_insert_with(|| {
                queues.push(Queue {
                    doc_id,
                    changes: VecDeque::new(),
                });
                queues.len() - 1
            });
            queues[i].changes.push_back((time, bytes));
            true
        };
        let mut again = 0;
        // The server's missing changes first within each record: what waited was made
        // after them (or is one of them).
        for (doc_id, changes) in &lacking {
            for c in changes {
                again += u64::from(add(*doc_id, c.clone()));
            }
        }
        for (doc_id, c) in waiting {
            add(doc_id, c);
        }
        for (doc_id, c) in interleave(queues) {
            tx.queue(doc_id, &c)?;
        }
        report.changes_sent_again = again;
        tx.restart_pull(log_id)
    })?;
    Ok(report)
}
