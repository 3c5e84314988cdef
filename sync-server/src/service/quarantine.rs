//! Nothing refused is stuck: the quarantine listed and shown (managers within their teams,
//! admins and the operator everything), a refused change applied as a person's decision
//! (today's checks run again, the access rule that refused it replaced by the decider's own
//! rights; the author must still be the user who pushed it) or discarded (the row stays as
//! the record of the decision), and changes refused for missing dependencies retried by
//! themselves when changes of their record arrive.

use super::push::{RepoSource, store_outcome};
use super::{Service, admin_scope, now, scope_of};
use crate::access::{Principal, Requester, Writer, require_in_scope};
use crate::error::{Result, ServerError};
use crate::push::{Cause, PushAs, PushBatch, PushOutcome};
use crate::storage::{PushWork, Pusher, QuarantinedChange, Repo, StorageExt};
use crate::validate;
use automerge::{ActorId, AutoCommit};
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::doc::check::{State, check_write};
use fieldbook_core::protocol::{
    ChangeEnvelope, PushResponse, QuarantineDecision, QuarantineDetail, QuarantineEntry,
    QuarantineState, Role, WrittenField,
};
use fieldbook_core::schema;
use fieldbook_core::value::format_millis;
use std::sync::Arc;
use uuid::Uuid;

/// Who a retry of a change that waited for its dependencies is recorded as applied by.
pub const RETRIED_BY: &str = "fieldbook-server (what it depends on arrived)";

/// Rounds of retries after one arrival at most (each lets a chain of waiting changes in).
const RETRY_ROUNDS: usize = 16;

/// An open entry in the requester's scope (reps are refused).
fn open_entry(repo: &mut dyn Repo, by: &Requester, id: i64) -> Result<QuarantinedChange> {
    let q = visible_entry(repo, by, id)?;
    if q.entry.state != QuarantineState::Open {
        return Err(ServerError::Conflict(format!(
            "quarantined change #{id} was {} by {} at {}",
            q.entry.state.as_str(),
            q.entry.decided_by.as_deref().unwrap_or("someone"),
            q.entry.decided_at.as_deref().unwrap_or("an unknown time")
        )));
    }
    Ok(q)
}

fn visible_entry(repo: &mut dyn Repo, by: &Requester, id: i64) -> Result<QuarantinedChange> {
    let scope = admin_scope(repo, by)?;
    let q = repo.quarantined(id)?.ok_or_else(|| {
        ServerError::NotFound(format!(
            "there is no quarantined change #{id}: `quarantine list` shows them"
        ))
    })?;
    require_in_scope(&scope, by, &q.entry.user)?;
    Ok(q)
}

/// How a quarantined change is sent through the push engine again.
#[derive(Clone)]
enum Mode {
    /// A person's decision: the decider's rights instead of the pusher's.
    Decision(Requester),
    /// By itself, as the user who pushed it, with their rights now.
    Retry,
}

/// One quarantined change sent again, as a push page of one.
struct Resubmit {
    id: i64,
    changes: Vec<ChangeEnvelope>,
    mode: Mode,
}

impl Resubmit {
    fn new(q: &QuarantinedChange, mode: Mode) -> Resubmit {
        Resubmit {
            id: q.entry.id,
            changes: vec![ChangeEnvelope {
                doc_id: q.entry.doc_id,
                kind: q.entry.kind,
                bytes: q.bytes.clone(),
            }],
            mode,
        }
    }

    fn entry(&self, repo: &mut dyn Repo) -> Result<QuarantinedChange> {
        let q = repo.quarantined(self.id)?.ok_or_else(|| {
            ServerError::NotFound(format!("there is no quarantined change #{}", self.id))
        })?;
        if q.entry.state != QuarantineState::Open {
            return Err(ServerError::Conflict(format!(
                "quarantined change #{} was {} meanwhile",
                self.id,
                q.entry.state.as_str()
            )));
        }
        Ok(q)
    }
}

impl PushWork for Resubmit {
    fn changes(&self) -> &[ChangeEnvelope] {
        &self.changes
    }

    fn writer(&self, repo: &mut dyn Repo) -> Result<PushAs> {
        let q = self.entry(repo)?;
        let pusher = q.entry.user;
        Ok(match &self.mode {
            Mode::Decision(by) => {
                let scope = admin_scope(repo, by)?;
                let role = match by {
                    Requester::Operator => Role::Admin,
                    Requester::User { role, .. } => *role,
                };
                // Every move is known to a decider: their own rights are what count.
                PushAs {
                    writer: Writer::User(Principal {
                        user: pusher,
                        role,
                        scope,
                    }),
                    learned: u64::MAX,
                }
            }
            Mode::Retry => {
                let user = repo.user(&pusher)?.filter(|u| u.active).ok_or_else(|| {
                    ServerError::Conflict(format!("{pusher} is no longer an active user"))
                })?;
                PushAs {
                    writer: Writer::User(Principal {
                        scope: scope_of(repo, &pusher, user.role)?,
                        role: user.role,
                        user: pusher,
                    }),
                    learned: repo.device_learned(q.entry.device_id)?,
                }
            }
        })
    }

    fn store(&self, repo: &mut dyn Repo, outcome: PushOutcome) -> Result<PushResponse> {
        let q = self.entry(repo)?;
        if let Some(r) = outcome.refused.first() {
            if let Mode::Retry = self.mode {
                // Still refused, maybe for another reason now: the entry says which.
                repo.refused_again(self.id, &r.reason, r.cause == Cause::MissingDeps)?;
                return Ok(PushResponse {
                    refused: vec![r.refusal()],
                    ..PushResponse::default()
                });
            }
            return Err(ServerError::Conflict(format!(
                "quarantined change #{} is still refused: it {}",
                self.id, r.reason
            )));
        }
        let at = now();
        let by = Pusher {
            user: &q.entry.user,
            device: q.entry.device_id,
        };
        store_outcome(repo, &outcome, by, &at)?;
        let decided_by = match &self.mode {
            Mode::Decision(by) => by.name().to_string(),
            Mode::Retry => RETRIED_BY.to_string(),
        };
        repo.decide_quarantined(self.id, QuarantineState::Applied, &decided_by, &at)?;
        Ok(PushResponse {
            accepted: outcome.accepted.len() as u64,
            duplicates: outcome.duplicates,
            log_id: Some(repo.log_id()?),
            ..PushResponse::default()
        })
    }

    fn run(&self, repo: &mut dyn Repo) -> Result<PushResponse> {
        let push_as = self.writer(repo)?;
        let mut batch = PushBatch::new(&push_as);
        let mut src = RepoSource(repo);
        for env in &self.changes {
            batch.offer(&mut src, env.clone())?;
        }
        let outcome = batch.finish()?;
        self.store(repo, outcome)
    }
}

/// What a quarantined change writes, read without changing anything.
fn what_it_writes(repo: &mut dyn Repo, q: &QuarantinedChange) -> Result<Vec<WrittenField>> {
    let Ok(change) = validate::parse(&q.bytes) else {
        return Ok(Vec::new());
    };
    let actor = ActorId::from(&b"fieldbook-server"[..]);
    let (before, mut after) = match repo.doc(q.entry.doc_id)? {
        Some(stored) => {
            let Ok(mut doc) = RecordDoc::load(&stored.data, &actor) else {
                return Ok(Vec::new());
            };
            if !validate::missing_deps(doc.automerge(), &change).is_empty() {
                return Ok(Vec::new());
            }
            let state = State::capture(doc.automerge());
            let mut fork = doc.automerge().fork();
            if fork.apply_changes([change]).is_err() {
                return Ok(Vec::new());
            }
            (Some(state), fork)
        }
        None => {
            let mut am = AutoCommit::new();
            if am.apply_changes([change]).is_err() {
                return Ok(Vec::new());
            }
            (None, am)
        }
    };
    let Ok(doc) = RecordDoc::from_automerge(after.fork()) else {
        return Ok(Vec::new());
    };
    let record = doc.read().to_json("");
    // A change that would be refused for a value still shows what it writes: the touched
    // fields come from comparing the states, refused or not.
    let touched = match check_write(q.entry.kind, before.as_ref(), &after) {
        Ok(w) => w.touched,
        Err(_) => schema::fields(q.entry.kind)
            .iter()
            .filter(|f| {
                record
                    .get(schema::output_name(f))
                    .is_some_and(|v| !v.is_null())
            })
            .map(|f| f.name)
            .collect(),
    };
    Ok(touched
        .into_iter()
        .map(|f| WrittenField {
            field: f.to_string(),
            value: schema::field(q.entry.kind, f)
                .and_then(|spec| record.get(schema::output_name(spec)))
                .cloned()
                .unwrap_or_default(),
        })
        .collect())
}

impl Service {
    /// Refused changes the requester may review, oldest first: open ones, or `all`.
    pub fn quarantine(&self, by: &Requester, all: bool) -> Result<Vec<QuarantineEntry>> {
        self.storage.read(|repo| {
            let scope = admin_scope(repo, by)?;
            let mut entries = repo.quarantine(!all)?;
            entries.retain(|q| scope.covers(&q.user));
            Ok(entries)
        })
    }

    /// One refused change in full: who signed it, when, and what it writes.
    pub fn quarantined(&self, by: &Requester, id: i64) -> Result<QuarantineDetail> {
        self.storage.read(|repo| {
            let q = visible_entry(repo, by, id)?;
            let (author, made_at) = match validate::parse(&q.bytes) {
                Ok(c) => (
                    validate::author(&c).to_string(),
                    format_millis(c.timestamp()),
                ),
                Err(_) => (String::new(), String::new()),
            };
            let writes = what_it_writes(repo, &q)?;
            let owner = repo.placement(q.entry.doc_id)?.and_then(|p| p.owner);
            Ok(QuarantineDetail {
                entry: q.entry,
                author,
                made_at,
                writes,
                owner,
            })
        })
    }

    /// Applies a refused change as the requester's decision (see the module doc). Refused
    /// with the reason, changing nothing, when it still fails a check.
    pub fn apply_quarantined(&self, by: &Requester, id: i64) -> Result<QuarantineDecision> {
        let q = self.storage.read(|repo| open_entry(repo, by, id))?;
        self.storage
            .push(Arc::new(Resubmit::new(&q, Mode::Decision(by.clone()))))?;
        let also_applied = self.retry_waiting(&[q.entry.doc_id])?;
        let entry = self.storage.read(|repo| visible_entry(repo, by, id))?.entry;
        Ok(QuarantineDecision {
            entry,
            also_applied,
        })
    }

    /// Discards a refused change: it is never applied; the entry stays, with who and when.
    pub fn discard_quarantined(&self, by: &Requester, id: i64) -> Result<QuarantineDecision> {
        let by = by.clone();
        let entry = self.storage.write(move |repo| {
            open_entry(repo, &by, id)?;
            repo.decide_quarantined(id, QuarantineState::Discarded, by.name(), &now())?;
            Ok(visible_entry(repo, &by, id)?.entry)
        })?;
        Ok(QuarantineDecision {
            entry,
            also_applied: 0,
        })
    }

    /// Sends again the changes of `docs` that were refused for missing dependencies, as
    /// the users who pushed them, until none more goes in. Returns how many went in.
    pub(super) fn retry_waiting(&self, docs: &[Uuid]) -> Result<u64> {
        let mut applied = 0;
        let mut docs = docs.to_vec();
        for _ in 0..RETRY_ROUNDS {
            let waiting = self.storage.read(|repo| {
                let ids = repo.waiting_for_deps(&docs)?;
                ids.into_iter()
                    .filter_map(|id| repo.quarantined(id).transpose())
                    .collect::<Result<Vec<_>>>()
            })?;
            let mut progress = Vec::new();
            for q in &waiting {
                match self.storage.push(Arc::new(Resubmit::new(q, Mode::Retry))) {
                    Ok(r) if r.refused.is_empty() => {
                        applied += 1;
                        progress.push(q.entry.doc_id);
                    }
                    Ok(_) => {}
                    // Still refused (or decided meanwhile): it stays as it is.
                    Err(e) if e.is_bad_input() => {}
                    Err(e) => return Err(e),
                }
            }
            if progress.is_empty() {
                break;
            }
            progress.sort_unstable();
            progress.dedup();
            docs = progress;
        }
        Ok(applied)
    }
}
