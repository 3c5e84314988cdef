//! Applying one page of pushed changes, in order, to the server's copies of the documents:
//! recognising duplicates by hash, checking each new change (its author, its values, the
//! records it refers to, who may write it: `validate`, [`gate`], `access`, `ownership`),
//! placing new records, and rolling a document back when a change is refused. The outcome
//! (accepted changes in log order, refusals for the quarantine, the documents to store with
//! their projections) is handed to the storage backend, which writes it in one transaction.
//!
//! Knows nothing of SQL or HTTP: the backend supplies stored documents through
//! [`PushSource`].

mod gate;

use crate::access::Writer;
use crate::error::{Result, ServerError};
use crate::ownership::{self, Parents, Placement, Rejection};
use crate::reporting::ReportRow;
use crate::validate;
use automerge::{ActorId, AutoCommit, Change};
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::doc::check::State;
use fieldbook_core::protocol::{ChangeEnvelope, Refusal};
use gate::Known;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The user a case is assigned to, as its document stands.
fn assignee(doc: &RecordDoc) -> Option<String> {
    doc.read().str("assignee").map(str::to_string)
}

/// The actor the server loads documents with. The server never writes to a document.
fn server_actor() -> ActorId {
    ActorId::from(&b"fieldbook-server"[..])
}

/// A document as the backend stores it.
#[derive(Clone, Debug)]
pub struct StoredDoc {
    pub placement: Placement,
    /// A saved document, possibly followed by appended changes (data stored before every
    /// write saved the document whole).
    pub data: Vec<u8>,
}

/// What a push needs from storage.
pub trait PushSource {
    /// Whether a change with this hash is in the log already.
    fn is_known_change(&mut self, hash: &str) -> Result<bool>;
    /// A stored document, whole.
    fn load_doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>>;
    /// Where a stored record belongs, without its document.
    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>>;
    /// If record `id` moved to another owner after log position `after`: the owner it had
    /// then (the old owner of its first move after it).
    fn owner_after(&mut self, id: Uuid, after: u64) -> Result<Option<Option<String>>>;
    /// A stored account's parent account.
    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>>;
}

/// Who a page is pushed as, read in the transaction it is worked out in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushAs {
    /// The rights it writes with; every new change must be signed by `writer.user()`.
    pub writer: Writer,
    /// The highest log position a pull sent the pushing device. A record its user could
    /// write but that moved to someone else after it was moved without the device knowing:
    /// the device's writes to it are its user's rightful work and are taken.
    pub learned: u64,
}

/// Why a change went to the quarantine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// It breaks a rule (access, authorship, a value): it waits for a person's decision.
    Refused,
    /// The server lacks changes it depends on: it is retried when changes of its record
    /// arrive.
    MissingDeps,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Refused => "refused",
            Cause::MissingDeps => "missing_deps",
        }
    }

    pub fn parse(s: &str) -> Option<Cause> {
        match s {
            "refused" => Some(Cause::Refused),
            "missing_deps" => Some(Cause::MissingDeps),
            _ => None,
        }
    }
}

/// An accepted change, in the order it goes into the log.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// Which of the batch's offers it was (0 for the first change offered).
    pub position: usize,
    pub doc_id: Uuid,
    pub hash: String,
    pub bytes: Vec<u8>,
    /// The record's owner when the change was made (`None`: a product).
    pub owner: Option<String>,
}

/// A refused change, for the quarantine.
#[derive(Clone, Debug)]
pub struct Quarantined {
    pub doc_id: Uuid,
    pub kind: Kind,
    pub hash: String,
    pub reason: String,
    pub cause: Cause,
    pub bytes: Vec<u8>,
}

impl Quarantined {
    pub fn refusal(&self) -> Refusal {
        Refusal {
            doc_id: self.doc_id,
            hash: self.hash.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// A document to store after the page, with its projection.
#[derive(Clone, Debug)]
pub struct DocWrite {
    pub id: Uuid,
    pub placement: Placement,
    /// The document saved whole. Saving a record takes ~14 µs; loading it takes ~38 µs
    /// saved whole, against ~74 µs with one change appended and ~240 µs with 32 (release
    /// build, this machine), and every push loads the records it changes.
    pub data: Vec<u8>,
    /// `Record::to_json` without `owner` (added when sent, since owners change).
    pub record: String,
    /// What the reports read of it (`None`: a kind they do not read, or deleted).
    pub report: Option<ReportRow>,
    pub conflicts: u32,
    pub is_new: bool,
}

/// Everything a page did.
#[derive(Debug, Default)]
pub struct PushOutcome {
    pub accepted: Vec<Accepted>,
    pub duplicates: u64,
    pub refused: Vec<Quarantined>,
    pub docs: Vec<DocWrite>,
}

/// A document being changed by this page.
struct Working {
    doc: RecordDoc,
    placement: Placement,
    /// What is stored (`None`: new to the server), to roll back to.
    base: Option<Vec<u8>>,
    /// Changes accepted into it by this page.
    accepted: Vec<Vec<u8>>,
}

impl Working {
    /// Undoes a refused change: reloads the stored document plus this page's accepted
    /// changes (Automerge cannot take a change back).
    fn reload(&mut self) -> Result<()> {
        let mut bytes = self.base.clone().unwrap_or_default();
        for c in &self.accepted {
            bytes.extend_from_slice(c);
        }
        self.doc = RecordDoc::load(&bytes, &server_actor())
            .map_err(|e| ServerError::Damaged(format!("reloading {}: {e}", self.doc.id())))?;
        Ok(())
    }
}

/// One page of a push, applied change by change.
pub struct PushBatch<'w> {
    push_as: &'w PushAs,
    docs: HashMap<Uuid, Working>,
    /// Documents in the order they were first touched (stored in that order).
    order: Vec<Uuid>,
    hashes: HashSet<String>,
    offered: usize,
    out: PushOutcome,
}

impl<'w> PushBatch<'w> {
    pub fn new(push_as: &'w PushAs) -> Self {
        PushBatch {
            push_as,
            docs: HashMap::new(),
            order: Vec::new(),
            hashes: HashSet::new(),
            offered: 0,
            out: PushOutcome::default(),
        }
    }

    /// Takes one change: accepted, a duplicate, or refused into quarantine. Errors only
    /// when the server itself fails.
    pub fn offer(&mut self, src: &mut dyn PushSource, env: ChangeEnvelope) -> Result<()> {
        let position = self.offered;
        self.offered += 1;
        let change = match validate::parse(&env.bytes) {
            Ok(c) => c,
            Err(why) => {
                let hash = validate::bytes_hash(&env.bytes);
                self.refuse(env, hash, why, Cause::Refused);
                return Ok(());
            }
        };
        let hash = change.hash().to_string();
        if self.hashes.contains(&hash) || src.is_known_change(&hash)? {
            self.out.duplicates += 1;
            return Ok(());
        }
        let user = self.push_as.writer.user();
        let signed = validate::check_author(&change, user)
            .and_then(|()| validate::check_stamped(&change, user));
        let result = match signed {
            Ok(()) => self.apply(src, &env, change),
            Err(why) => Err(Rejection::Refused(why)),
        };
        match result {
            Ok(owner) => {
                self.hashes.insert(hash.clone());
                self.out.accepted.push(Accepted {
                    position,
                    doc_id: env.doc_id,
                    hash,
                    bytes: env.bytes,
                    owner,
                });
                Ok(())
            }
            Err(Rejection::Refused(why)) => {
                self.refuse(env, hash, why, Cause::Refused);
                Ok(())
            }
            Err(Rejection::Waiting(why)) => {
                self.refuse(env, hash, why, Cause::MissingDeps);
                Ok(())
            }
            Err(Rejection::Failed(e)) => Err(e),
        }
    }

    fn refuse(&mut self, env: ChangeEnvelope, hash: String, reason: String, cause: Cause) {
        self.out.refused.push(Quarantined {
            doc_id: env.doc_id,
            kind: env.kind,
            hash,
            reason,
            cause,
            bytes: env.bytes,
        });
    }

    /// The records this page knows of, over `src`.
    fn known<'a>(&'a self, src: &'a mut dyn PushSource) -> Known<'a> {
        Known::new(&self.docs, self.push_as, src)
    }

    /// Applies a change; returns the record's owner.
    fn apply(
        &mut self,
        src: &mut dyn PushSource,
        env: &ChangeEnvelope,
        change: Change,
    ) -> Result<Option<String>, Rejection> {
        let id = env.doc_id;
        let working = match self.docs.remove(&id) {
            Some(w) => Some(w),
            None => match src.load_doc(id)? {
                Some(stored) => {
                    let doc = RecordDoc::load(&stored.data, &server_actor())
                        .map_err(|e| ServerError::Damaged(format!("record {id}: {e}")))?;
                    self.order.push(id);
                    Some(Working {
                        doc,
                        placement: stored.placement,
                        base: Some(stored.data),
                        accepted: Vec::new(),
                    })
                }
                None => None,
            },
        };
        match working {
            Some(mut w) => {
                // Kept either way: a stored document, or one created earlier in this page.
                let result = self.apply_existing(src, &mut w, env, change);
                self.docs.insert(id, w);
                result
            }
            None => {
                // New to the server (and not created earlier in this page, or it would
                // be in `docs`).
                let w = self.create(src, env, change)?;
                let owner = w.placement.owner.clone();
                self.order.push(id);
                self.docs.insert(id, w);
                Ok(owner)
            }
        }
    }

    fn apply_existing(
        &mut self,
        src: &mut dyn PushSource,
        w: &mut Working,
        env: &ChangeEnvelope,
        change: Change,
    ) -> Result<Option<String>, Rejection> {
        let kind = w.placement.kind;
        if env.kind != kind {
            return Err(Rejection::Refused(format!(
                "was sent as {} but record {} is {}",
                env.kind.a(),
                env.doc_id,
                kind.a()
            )));
        }
        // A case's assignee works on it, whoever owns it (the assignee before this change).
        let assigned = kind == Kind::Case
            && self
                .push_as
                .writer
                .is_assignee(kind, assignee(&w.doc).as_deref());
        if !assigned && !self.known(src).may_write(env.doc_id, &w.placement)? {
            return Err(Rejection::Refused(
                self.push_as
                    .writer
                    .refusal(kind, w.placement.owner.as_deref()),
            ));
        }
        let am = w.doc.automerge();
        validate::check_not_second_creation(am, &change)?;
        let missing = validate::missing_deps(am, &change);
        if !missing.is_empty() {
            return Err(Rejection::Waiting(validate::missing_deps_reason(&missing)));
        }
        let before = State::capture(am);
        let heads = am.get_heads();
        let checked = match am.apply_changes([change.clone()]) {
            Err(e) => Err(Rejection::Refused(format!("cannot be applied: {e}"))),
            Ok(()) => self.check_existing(src, w, &before, &heads, &change),
        };
        match checked {
            Ok(()) => {
                w.accepted.push(env.bytes.clone());
                Ok(w.placement.owner.clone())
            }
            Err(e) => {
                w.reload()?;
                Err(e)
            }
        }
    }

    /// The checks after a change was applied to a stored record.
    fn check_existing(
        &mut self,
        src: &mut dyn PushSource,
        w: &mut Working,
        before: &State,
        heads: &[automerge::ChangeHash],
        change: &Change,
    ) -> Result<(), Rejection> {
        let kind = w.placement.kind;
        let user = self.push_as.writer.user();
        let written = validate::check_applied(kind, before, heads, &mut w.doc, change, user)?;
        let mut known = self.known(src);
        known.check_written(w.doc.id(), &written)?;
        if ownership::relinks(kind) {
            let record = w.doc.read();
            let current = w.placement.clone();
            let account = ownership::relink(&record, &current, &mut known)?;
            w.placement.account_id = account;
        }
        Ok(())
    }

    fn create(
        &mut self,
        src: &mut dyn PushSource,
        env: &ChangeEnvelope,
        change: Change,
    ) -> Result<Working, Rejection> {
        if !change.deps().is_empty() {
            return Err(Rejection::Waiting(format!(
                "record {} is not on the server and this change {}",
                env.doc_id,
                validate::missing_deps_reason(change.deps())
            )));
        }
        let mut am = AutoCommit::new().with_actor(server_actor());
        am.apply_changes([change])
            .map_err(|e| Rejection::Refused(format!("cannot be applied: {e}")))?;
        let mut doc = RecordDoc::from_automerge(am)
            .map_err(|e| Rejection::Refused(format!("does not create a Fieldbook record ({e})")))?;
        let writer = &self.push_as.writer;
        let written = validate::check_new(&mut doc, env, writer.user())?;
        let mut known = self.known(src);
        known.check_written(env.doc_id, &written)?;
        let record = written
            .record
            .ok_or_else(|| Rejection::Refused("does not create a Fieldbook record".into()))?;
        let placement = ownership::place_new(&record, writer, &mut known)?;
        Ok(Working {
            doc,
            placement,
            base: None,
            accepted: vec![env.bytes.clone()],
        })
    }

    /// The page's outcome: accepted changes, refusals, and every changed document with its
    /// new bytes and projection.
    pub fn finish(mut self) -> Result<PushOutcome> {
        for id in std::mem::take(&mut self.order) {
            let Some(mut w) = self.docs.remove(&id) else {
                continue;
            };
            if w.accepted.is_empty() {
                continue;
            }
            let is_new = w.base.is_none();
            let data = w.doc.save();
            let mut json = w
                .doc
                .read()
                .to_json(w.placement.owner.as_deref().unwrap_or(""));
            json.remove("owner");
            let report = ReportRow::from_projection(id, w.placement.kind, &json);
            let conflicts = w.doc.conflicts()?.len() as u32;
            self.out.docs.push(DocWrite {
                id,
                placement: w.placement,
                data,
                record: Json::Object(json).to_string(),
                report,
                conflicts,
                is_new,
            });
        }
        Ok(self.out)
    }
}
