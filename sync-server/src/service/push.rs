//! Pushes and handovers: who a page writes as (an active user within their scope, or a
//! deactivated user's device handing over to whoever holds their records now, with the
//! highest log position the device was sent), that it is pushed against this log (not one
//! a restore replaced), and what storing a page means (the changes received now, refusals
//! quarantined and earlier refusals of what was sent again settled, the device's new
//! pending count; a handover's last page wipes the device and revokes its token; a case
//! given to another assignee shares it, its account and its contacts with them, and stops
//! sharing them with the one before). After a page, changes that waited for what it brought
//! are retried (`quarantine`). The changes themselves go through the backend-free engine
//! (`push::PushBatch`); the backend chooses how to run a [`PushJob`]
//! ([`Storage::push`](crate::storage::Storage::push)).

use super::{Service, Session, now, scope_of};
use crate::access::{self, Principal, Writer};
use crate::error::{Result, ServerError};
use crate::ownership::Placement;
use crate::push::{PushAs, PushBatch, PushOutcome, PushSource, StoredDoc};
use crate::storage::{PushWork, Pusher, Repo, ScopeEvent, TokenState};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ChangeEnvelope, PushRequest, PushResponse};
use std::collections::BTreeSet;
use std::sync::Arc;
use uuid::Uuid;

/// Who a quarantined change is recorded as applied by when it was sent again and taken.
pub const SENT_AGAIN_BY: &str = "fieldbook-server (sent again and accepted)";

/// Successors followed at most (a circle is damaged data).
const MAX_SUCCESSORS: usize = 64;

/// A page of changes from one device, with the rules it is applied by.
pub struct PushJob {
    session: Session,
    req: PushRequest,
    /// A deactivated user's device handing over what it holds.
    handover: bool,
}

/// Stored documents through a repository, for the push engine.
pub(super) struct RepoSource<'r>(pub(super) &'r mut dyn Repo);

impl PushSource for RepoSource<'_> {
    fn is_known_change(&mut self, hash: &str) -> Result<bool> {
        self.0.is_known_change(hash)
    }

    fn load_doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>> {
        self.0.doc(id)
    }

    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>> {
        self.0.placement(id)
    }

    fn owner_after(&mut self, id: Uuid, after: u64) -> Result<Option<Option<String>>> {
        self.0.owner_after(id, after)
    }

    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>> {
        self.0.account_parent(id)
    }
}

/// Refuses a request made against another log than the server's (it was restored from a
/// backup since the device last synced): the device must reconcile first.
pub(super) fn check_log_id(repo: &mut dyn Repo, theirs: Option<Uuid>) -> Result<Uuid> {
    let ours = repo.log_id()?;
    match theirs {
        Some(t) if t != ours => Err(ServerError::LogChanged(format!(
            "this server's data was restored from a backup since this device last synced (log {t} is now {ours}): the device sends again what the server lacks, then syncs"
        ))),
        _ => Ok(ours),
    }
}

/// Stores a page's outcome: the changes in the log (received now), the refusals in the
/// quarantine, any open refusal of a change now accepted (sent again) settled, and the
/// shares of cases whose assignee changed.
pub(super) fn store_outcome(
    repo: &mut dyn Repo,
    outcome: &PushOutcome,
    by: Pusher<'_>,
    at: &str,
) -> Result<()> {
    let assigned = assignment_changes(repo, outcome)?;
    repo.store_push(outcome, by, at)?;
    for change in assigned {
        share(repo, &change, at)?;
    }
    let hashes: Vec<&str> = outcome.accepted.iter().map(|a| a.hash.as_str()).collect();
    repo.settle_quarantined(&hashes, SENT_AGAIN_BY, at)?;
    Ok(())
}

impl PushJob {
    /// Who holds a deactivated user's records now: their successor, or, if the successor
    /// left too, the successor's successor, and so on.
    fn final_successor(&self, repo: &mut dyn Repo) -> Result<String> {
        let s = &self.session;
        let mut name = s.successor.clone().ok_or_else(|| {
            ServerError::Damaged(format!("{} is deactivated without a successor", s.user))
        })?;
        for _ in 0..MAX_SUCCESSORS {
            match repo.user(&name)? {
                Some(u) if !u.active => match u.successor {
                    Some(next) => name = next,
                    None => return Ok(name),
                },
                _ => return Ok(name),
            }
        }
        Err(ServerError::Damaged(format!(
            "the successors of {} go round in a circle",
            s.user
        )))
    }
}

impl PushWork for PushJob {
    fn changes(&self) -> &[ChangeEnvelope] {
        &self.req.changes
    }

    fn writer(&self, repo: &mut dyn Repo) -> Result<PushAs> {
        let s = &self.session;
        check_log_id(repo, self.req.log_id)?;
        let learned = repo.device_learned(s.device_id)?;
        if !self.handover {
            let writer = Writer::User(Principal {
                user: s.user.clone(),
                role: s.role,
                scope: scope_of(repo, &s.user, s.role)?,
            });
            return Ok(PushAs { writer, learned });
        }
        if !s.deactivated {
            return Err(ServerError::Forbidden(format!(
                "{} is active: push with /v1/push; /v1/handover is for a deactivated user's device",
                s.user
            )));
        }
        let writer = Writer::Handover {
            departed: s.user.clone(),
            successor: self.final_successor(repo)?,
        };
        Ok(PushAs { writer, learned })
    }

    fn store(&self, repo: &mut dyn Repo, outcome: PushOutcome) -> Result<PushResponse> {
        let s = &self.session;
        let at = now();
        let by = Pusher {
            user: &s.user,
            device: s.device_id,
        };
        store_outcome(repo, &outcome, by, &at)?;
        let sent = self.req.changes.len() as u64;
        let pending = self.req.pending;
        // A handover's last page (nothing left after it) wipes the device.
        let wipe = self.handover && pending <= sent;
        if wipe {
            repo.device_wiped(s.device_id, &at)?;
            repo.set_token_state(&s.token_hash, TokenState::Revoked)?;
        } else {
            repo.device_synced(s.device_id, pending.saturating_sub(sent), &at)?;
        }
        let received: Vec<String> = outcome.accepted.iter().map(|a| a.hash.clone()).collect();
        Ok(PushResponse {
            accepted: outcome.accepted.len() as u64,
            duplicates: outcome.duplicates,
            refused: outcome.refused.iter().map(|q| q.refusal()).collect(),
            wipe,
            log_id: Some(repo.log_id()?),
            received_at: (!received.is_empty()).then_some(at),
            received,
        })
    }

    fn run(&self, repo: &mut dyn Repo) -> Result<PushResponse> {
        let push_as = self.writer(repo)?;
        let mut batch = PushBatch::new(&push_as);
        let mut src = RepoSource(repo);
        for env in &self.req.changes {
            batch.offer(&mut src, env.clone())?;
        }
        let outcome = batch.finish()?;
        self.store(repo, outcome)
    }
}

/// A case whose assignee a push changed.
struct Reassigned {
    case: Uuid,
    account: Uuid,
    owner: String,
    before: Option<String>,
    after: Option<String>,
}

/// Who a case is assigned to as its projection says (nobody once it is deleted).
fn assignee_in(record: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(record).ok()?;
    if json.get("deleted") == Some(&serde_json::Value::Bool(true)) {
        return None;
    }
    json.get("assignee")?.as_str().map(str::to_string)
}

/// The cases of a page whose assignee changed, read before the page is stored.
fn assignment_changes(repo: &mut dyn Repo, out: &PushOutcome) -> Result<Vec<Reassigned>> {
    let mut changed = Vec::new();
    for d in out.docs.iter().filter(|d| d.placement.kind == Kind::Case) {
        let Some(account) = d.placement.account_id else {
            continue;
        };
        let before = match d.is_new {
            true => None,
            false => repo.snapshot(d.id)?.and_then(|s| assignee_in(&s.record)),
        };
        let after = assignee_in(&d.record);
        if before != after {
            changed.push(Reassigned {
                case: d.id,
                account,
                owner: d.placement.owner.clone().unwrap_or_default(),
                before,
                after,
            });
        }
    }
    Ok(changed)
}

/// Shares a case, its account and its contacts with its new assignee (grants: their
/// devices receive them whole) and stops sharing them with the one before (revokes: their
/// devices drop what they no longer see — unless another case still shares it).
fn share(repo: &mut dyn Repo, c: &Reassigned, at: &str) -> Result<()> {
    repo.set_assignee(c.case, c.account, c.after.as_deref())?;
    let mut records = vec![(c.case, c.owner.clone())];
    for r in repo.records_of_account(c.account)? {
        if access::shared_with_case(r.kind) {
            records.push((r.id, r.owner.unwrap_or_default()));
        }
    }
    let events = [
        (c.before.as_deref(), ScopeEvent::Revoke),
        (c.after.as_deref(), ScopeEvent::Grant),
    ];
    for (user, event) in events {
        let Some(user) = user else { continue };
        for (doc, owner) in &records {
            repo.append_scope(*doc, event, owner, user, at)?;
        }
    }
    Ok(())
}

impl Service {
    /// Applies a page of an active user's changes (oldest first).
    pub fn push(&self, session: &Session, req: PushRequest) -> Result<PushResponse> {
        self.push_job(session, req, false)
    }

    /// A deactivated user's device handing over what it holds; the last page (`pending`
    /// no more than the page) wipes the device and revokes its token.
    pub fn handover(&self, session: &Session, req: PushRequest) -> Result<PushResponse> {
        self.push_job(session, req, true)
    }

    fn push_job(
        &self,
        session: &Session,
        req: PushRequest,
        handover: bool,
    ) -> Result<PushResponse> {
        let docs: BTreeSet<Uuid> = req.changes.iter().map(|c| c.doc_id).collect();
        let resp = self.storage.push(Arc::new(PushJob {
            session: session.clone(),
            req,
            handover,
        }))?;
        if resp.accepted > 0 {
            // Changes refused for want of what just arrived go in now.
            let docs: Vec<Uuid> = docs.into_iter().collect();
            self.retry_waiting(&docs)?;
        }
        Ok(resp)
    }
}
