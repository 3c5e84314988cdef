//! The checks of a pushed change that need other records: every reference it writes to a
//! record the server has (or the page created) names one of the right kind, no account's
//! parents make a loop, and who may write a record, allowing a device's writes to what its
//! user owned before a reassignment it had not learned of yet (PLAN-8 §3).
//!
//! A reference to a record the server does not have is taken as it is: the record may come
//! later (another device's push, a restore's reconcile) or never (it was refused, such as a
//! rep's product), and a device shows a dangling reference as such, as it does one a merge
//! left. The parent a record hangs on is another matter: `ownership` refuses a record whose
//! parent is not on the server, since it cannot be placed.
//!
//! Knows nothing of storage: records come from the page or the [`PushSource`].

use super::{PushAs, PushSource, Working};
use crate::error::ServerError;
use crate::ownership::{Parents, Placement, Rejection};
use fieldbook_core::Kind;
use fieldbook_core::doc::check::Written;
use fieldbook_core::rules;
use std::collections::HashMap;
use uuid::Uuid;

/// The records a page knows of: its own documents, then storage.
pub(super) struct Known<'a> {
    docs: &'a HashMap<Uuid, Working>,
    push_as: &'a PushAs,
    src: &'a mut dyn PushSource,
}

impl<'a> Known<'a> {
    pub(super) fn new(
        docs: &'a HashMap<Uuid, Working>,
        push_as: &'a PushAs,
        src: &'a mut dyn PushSource,
    ) -> Known<'a> {
        Known { docs, push_as, src }
    }

    /// An account's parent, as this page has it.
    fn parent_of(&mut self, id: Uuid) -> Result<Option<Uuid>, ServerError> {
        match self.docs.get(&id) {
            Some(w) => Ok(w.doc.read().reference("parent_id")),
            None => self.src.account_parent(id),
        }
    }

    /// The references `written` set to records the server has name records of the right
    /// kind, and a new parent of an account makes no loop.
    pub(super) fn check_written(&mut self, id: Uuid, written: &Written) -> Result<(), Rejection> {
        for (field, kind, target) in &written.references {
            let found = if *target == id {
                written.record.as_ref().map(|r| r.kind)
            } else {
                self.placement(*target)?.map(|p| p.kind)
            };
            match found {
                Some(k) if k == *kind => {}
                Some(k) => {
                    return Err(Rejection::Refused(format!(
                        "`{field}` refers to {target} as {} but it is {}",
                        kind.a(),
                        k.a()
                    )));
                }
                None => {}
            }
        }
        let record = written.record.as_ref();
        if written.touched.contains(&"parent_id")
            && record.is_some_and(|r| r.kind == Kind::Account)
            && let Some(parent) = record.and_then(|r| r.reference("parent_id"))
        {
            let mut failed = None;
            let result = rules::check_parent(id, parent, |x| {
                self.parent_of(x).unwrap_or_else(|e| {
                    failed.get_or_insert(e);
                    None
                })
            });
            if let Some(e) = failed {
                return Err(Rejection::Failed(e));
            }
            result.map_err(|e| Rejection::Refused(e.to_string()))?;
        }
        Ok(())
    }
}

impl Parents for Known<'_> {
    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>, ServerError> {
        match self.docs.get(&id) {
            Some(w) => Ok(Some(w.placement.clone())),
            None => self.src.placement(id),
        }
    }

    /// The writer's rights, or: the record moved away from someone the writer could write
    /// for after the last log position the device was sent (it had not learned of it).
    fn may_write(&mut self, id: Uuid, placement: &Placement) -> Result<bool, ServerError> {
        let writer = &self.push_as.writer;
        if writer.may_write(placement.kind, placement.owner.as_deref()) {
            return Ok(true);
        }
        if placement.owner.is_none() {
            return Ok(false);
        }
        Ok(match self.src.owner_after(id, self.push_as.learned)? {
            Some(before) => before.is_some() && writer.may_write(placement.kind, before.as_deref()),
            None => false,
        })
    }
}
