//! `absorb`: merging a bundle made by another store. A bundle comes from elsewhere, so it
//! passes the same gate as a change pushed to the server (`fieldbook_core::doc::check`):
//!
//! 1. every document is read and checked, and nothing is written: it must be a record; a
//!    copy of a record held here must share its history (`check_same_record`: not another
//!    record reusing the id); what it brings must pass `check_write` against the record as
//!    held here (or as new), and the rules across fields on the record as its last author
//!    saw it; then every reference it writes must name a record of the right kind, held
//!    here or in the bundle itself, and no account's parents may make a loop. Bytes after
//!    the last document, or the same record twice, refuse the bundle too;
//! 2. only then is it merged, in transactions of [`ABSORB_BATCH`] documents.
//!
//! So one refused document aborts the whole absorb and changes nothing. The bundle's bytes
//! are held in memory between the two passes (a few hundred bytes per record), so what is
//! written is exactly what was checked.

use super::{BUNDLE_MAGIC, Progress};
use crate::error::{ClientError, RefProblem, Result, Rule};
use crate::merge::{self, Merged, Origin};
use crate::model::AbsorbReport;
use crate::store::Store;
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::doc::check::{State, Written, check_same_record, check_write};
use fieldbook_core::rules;
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;
use uuid::Uuid;

/// Documents merged per transaction.
const ABSORB_BATCH: usize = 500;

/// The largest document a bundle may hold.
const MAX_DOC_BYTES: u64 = 64 << 20;

/// A bundle's documents, read whole and framed as the format says.
fn read_bundle(path: &Path) -> Result<Vec<Vec<u8>>> {
    let bad = |why: &str| ClientError::BadBundle {
        path: path.to_path_buf(),
        why: why.into(),
    };
    let file = std::fs::File::open(path).map_err(ClientError::io(path))?;
    let mut r = BufReader::new(file);
    let mut magic = vec![0u8; BUNDLE_MAGIC.len()];
    r.read_exact(&mut magic).map_err(|_| bad("too short"))?;
    if magic != BUNDLE_MAGIC {
        return Err(bad("wrong header"));
    }
    let mut n = [0u8; 8];
    r.read_exact(&mut n).map_err(|_| bad("truncated"))?;
    let total = u64::from_be_bytes(n);
    let mut docs = Vec::new();
    for _ in 0..total {
        r.read_exact(&mut n).map_err(|_| bad("truncated"))?;
        let len = u64::from_be_bytes(n);
        if len > MAX_DOC_BYTES {
            return Err(bad("a document larger than 64 MiB"));
        }
        let mut data = vec![0u8; len as usize];
        r.read_exact(&mut data).map_err(|_| bad("truncated"))?;
        docs.push(data);
    }
    let mut rest = [0u8; 1];
    match r.read(&mut rest) {
        Ok(0) => Ok(docs),
        Ok(_) => Err(bad("bytes follow its last document")),
        Err(e) => Err(ClientError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// What the second look (across documents) needs from one checked document.
struct Seen {
    kind: Kind,
    /// An account's parent, as the record will be after the merge.
    parent: Option<Uuid>,
}

/// What the first pass learned: every record of the bundle as it will be, the references
/// the bundle writes, and the accounts whose parent it changes.
#[derive(Default)]
struct Checked {
    seen: HashMap<Uuid, Seen>,
    references: Vec<(Uuid, &'static str, Kind, Uuid)>,
    new_parents: Vec<(Uuid, Uuid)>,
}

/// Checks one document against the record held here, if any (see the module doc).
fn check_document(local: Option<&mut RecordDoc>, incoming: &mut RecordDoc) -> Result<Written> {
    let kind = incoming.kind();
    let written = match local {
        Some(local) => {
            if local.kind() != kind {
                return Err(ClientError::Rule(Rule::KindDiffers {
                    id: local.id(),
                    here: local.kind(),
                    incoming: kind,
                }));
            }
            check_same_record(local.automerge(), incoming.automerge())?;
            let before = State::capture(local.automerge());
            let mut merged = local.automerge().fork();
            merged
                .merge(incoming.automerge())
                .map_err(fieldbook_core::CoreError::from)?;
            check_write(kind, Some(&before), &merged)?
        }
        None => check_write(kind, None, incoming.automerge())?,
    };
    // Rules across fields hold on the record as the bundle's last author saw it. A bundle
    // document with several heads is a merge of concurrent edits: a rule their merge broke
    // is not refused, it shows as "needs attention".
    if incoming.heads().len() == 1 {
        written.check_rules(Some(&incoming.read()))?;
    }
    Ok(written)
}

impl Store {
    /// Merges a bundle from another store into this one, after checking every document in
    /// it (see the module doc): a refused document aborts the whole absorb
    /// ([`ClientError::BundleRefused`]) and nothing changes. Every merged change also goes
    /// to the outbox, so hand-carried knowledge reaches the server too.
    pub fn absorb(&mut self, path: &Path, progress: Progress) -> Result<AbsorbReport> {
        let docs = read_bundle(path)?;
        let total = docs.len() as u64;
        // Each document is looked at twice: checked, then merged.
        let steps = 2 * total;
        let refused = |id: Uuid, e: ClientError| ClientError::BundleRefused {
            path: path.to_path_buf(),
            id,
            source: Box::new(e),
        };
        let mut checked = Checked::default();
        for (i, data) in docs.iter().enumerate() {
            let mut incoming = RecordDoc::load(data, &self.settings().actor).map_err(|e| {
                ClientError::BadBundle {
                    path: path.to_path_buf(),
                    why: format!("a damaged document: {e}"),
                }
            })?;
            let id = incoming.id();
            let mut local = self.find_doc(id)?;
            let written = check_document(local.as_mut().map(|l| &mut l.doc), &mut incoming)
                .map_err(|e| refused(id, e))?;
            let record = written.record.as_ref();
            let seen = Seen {
                kind: incoming.kind(),
                parent: record.and_then(|r| r.reference("parent_id")),
            };
            if written.touched.contains(&"parent_id")
                && let Some(parent) = seen.parent
            {
                checked.new_parents.push((id, parent));
            }
            for (field, kind, target) in written.references {
                checked.references.push((id, field, kind, target));
            }
            if checked.seen.insert(id, seen).is_some() {
                return Err(ClientError::BadBundle {
                    path: path.to_path_buf(),
                    why: format!("it holds record {id} twice"),
                });
            }
            progress(i as u64 + 1, steps);
        }
        self.check_across(&checked)
            .map_err(|(id, e)| refused(id, e))?;

        let mut report = AbsorbReport::default();
        let mut done = 0u64;
        for batch in docs.chunks(ABSORB_BATCH) {
            let actor = self.settings().actor.clone();
            self.write(|tx| {
                tx.parents_may_follow();
                for data in batch {
                    let incoming = RecordDoc::load(data, &actor)?;
                    match merge::merge_doc(tx, incoming, Origin::Bundle)? {
                        Merged::New { changes } => {
                            report.new_records += 1;
                            report.new_changes += changes as u64;
                        }
                        Merged::Updated { changes } => {
                            report.updated_records += 1;
                            report.new_changes += changes as u64;
                        }
                        Merged::Unchanged => {}
                    }
                }
                Ok(())
            })?;
            self.bound_wal()?;
            done += batch.len() as u64;
            report.documents = done;
            progress(total + done, steps);
        }
        if report.new_records + report.updated_records > ABSORB_BATCH as u64 {
            self.optimize()?;
        }
        Ok(report)
    }

    /// The checks across documents: references name a record of the right kind, held here
    /// or in the bundle (a deleted one too: a document carries references written while
    /// their record was live), and new parents make no loop. Refusals name the document
    /// that wrote the fault.
    fn check_across(&self, checked: &Checked) -> std::result::Result<(), (Uuid, ClientError)> {
        for (id, field, kind, target) in &checked.references {
            let found = match checked.seen.get(target) {
                Some(s) => Some(s.kind),
                None => self
                    .ref_state(*target)
                    .map_err(|e| (*id, e))?
                    .and_then(|r| r.kind),
            };
            let problem = match found {
                None => RefProblem::Missing {
                    id: *target,
                    kind: *kind,
                },
                Some(found) if found != *kind => RefProblem::WrongKind {
                    id: *target,
                    found,
                    expected: *kind,
                },
                Some(_) => continue,
            };
            return Err((
                *id,
                ClientError::BadReference {
                    field: (*field).into(),
                    problem,
                },
            ));
        }
        for (id, parent) in &checked.new_parents {
            let mut failed = None;
            let result = rules::check_parent(*id, *parent, |x| match checked.seen.get(&x) {
                Some(s) => s.parent,
                None => self.parent_of(x).unwrap_or_else(|e| {
                    failed.get_or_insert(e);
                    None
                }),
            });
            if let Some(e) = failed {
                return Err((*id, e));
            }
            result.map_err(|e| (*id, e.into()))?;
        }
        Ok(())
    }
}
