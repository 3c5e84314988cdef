//! After a restore from a backup the server is behind its devices: each device asks, for
//! the records it holds, whether the server lacks any of their changes (`POST
//! /v1/reconcile`), then sends again its own user's changes the server lacks and pulls
//! everything again, merging. The server answers only with change hashes (its heads); a
//! record the user may not see is answered as if the server did not have it, so nothing is
//! told about it and what the device sends again meets the ordinary rules (a change the
//! server has is a duplicate; others are checked as any push).

use super::push::check_log_id;
use super::{Service, Session, scope_of};
use crate::error::{Result, ServerError};
use crate::storage::StorageExt;
use automerge::ActorId;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::protocol::{DocHeads, MAX_RECONCILE_DOCS, ReconcileRequest, ReconcileResponse};

impl Service {
    /// For each record of `req` of which the server lacks a change: the server's heads
    /// (empty when it lacks the record, or the user may not see it).
    pub fn reconcile(
        &self,
        session: &Session,
        req: &ReconcileRequest,
    ) -> Result<ReconcileResponse> {
        if req.docs.len() > MAX_RECONCILE_DOCS {
            return Err(ServerError::TooLarge(format!(
                "a reconcile request names at most {MAX_RECONCILE_DOCS} records and this one names {}: send them in pages",
                req.docs.len()
            )));
        }
        self.storage.read(|repo| {
            let log_id = check_log_id(repo, None)?;
            let scope = scope_of(repo, &session.user, session.role)?;
            let actor = ActorId::from(&b"fieldbook-server"[..]);
            let mut behind = Vec::new();
            for d in &req.docs {
                let mut all_known = true;
                for h in &d.heads {
                    if !repo.is_known_change(h)? {
                        all_known = false;
                        break;
                    }
                }
                if all_known {
                    continue;
                }
                let visible = repo
                    .placement(d.doc_id)?
                    .is_some_and(|p| scope.sees(p.owner.as_deref()));
                let heads = match repo.doc(d.doc_id)?.filter(|_| visible) {
                    Some(stored) => {
                        let mut doc = RecordDoc::load(&stored.data, &actor).map_err(|e| {
                            ServerError::Damaged(format!("record {}: {e}", d.doc_id))
                        })?;
                        doc.heads().iter().map(|h| h.to_string()).collect()
                    }
                    None => Vec::new(),
                };
                behind.push(DocHeads {
                    doc_id: d.doc_id,
                    heads,
                });
            }
            Ok(ReconcileResponse {
                log_id: Some(log_id),
                behind,
            })
        })
    }
}
