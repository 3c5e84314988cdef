//! Carrying the records that referred to a merged record over to the one it was merged
//! into. A reference that may be edited (a task's `account_id`, an activity's `contact_id`,
//! an account's `parent_id`, a converted lead's links) is pointed at the kept record in
//! place. A record whose parent
//! is fixed at creation (a contact's, opportunity's or activity's `account_id`, a quote's
//! `opportunity_id`: the server refuses a change of them) is created again under the kept
//! record with the same values (quote lines and numbers included), by this store's user
//! now; the old one is linked to the new by `merged_into` and deleted, so its history stays
//! readable there. What referred to a moved record follows it the same way.

use super::merge::{MergeReport, Moved, Relinked, check_owner};
use crate::edit::check::{self, Assignments};
use crate::edit::{save_edit, save_new};
use crate::error::{ClientError, Result};
use crate::store::Tx;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::schema::{self, Edit, FieldSpec, FieldType};
use fieldbook_core::value::Value;
use uuid::Uuid;

/// Points every live record referring to `from` (of `kind`) at `to`.
pub(super) fn repoint(
    tx: &mut Tx,
    from: Uuid,
    to: Uuid,
    kind: Kind,
    author: &Author,
    report: &mut MergeReport,
) -> Result<()> {
    for r in tx.referrers(from, kind)? {
        check_owner(tx, r.id)?;
        let spec = schema::field(r.kind, r.field).ok_or_else(|| {
            ClientError::DamagedStore(format!("a projection names the field `{}`", r.field))
        })?;
        match spec.edit {
            Edit::CreateOnly => {
                let copy = recreate(tx, r.id, spec, to, author)?;
                report.moved.push(Moved {
                    kind: r.kind,
                    from: r.id,
                    to: copy,
                });
                repoint(tx, r.id, copy, r.kind, author, report)?;
            }
            // A converted lead's links are written by its conversion, not fixed: they
            // follow the merge in place, as a free reference does.
            Edit::Free | Edit::Dedicated if spec.ty != FieldType::Lines => {
                // The kept record's own reference to the other (its parent) is cleared.
                let value = (r.id != to).then_some(Value::Ref(kind, to));
                relink(tx, r.id, spec, value, author)?;
                report.relinked.push(Relinked {
                    kind: r.kind,
                    id: r.id,
                    field: r.field.to_string(),
                });
            }
            // (Quote lines are changed line by line: no reference to follow here.)
            Edit::Free | Edit::Assigned | Edit::Dedicated | Edit::Merge => {}
        }
    }
    Ok(())
}

/// Sets one reference of record `id` in place (checked like an edit of it).
fn relink(
    tx: &mut Tx,
    id: Uuid,
    spec: &'static FieldSpec,
    value: Option<Value>,
    author: &Author,
) -> Result<()> {
    let mut stored = tx
        .load(id)?
        .ok_or_else(|| ClientError::NotFound(id.to_string()))?;
    let values: Assignments = vec![(spec, value.clone())];
    let account = stored.doc.read().reference("account_id");
    check::record_rules(tx, stored.doc.kind(), id, account, &values)?;
    stored.doc.set(spec, value)?;
    check::touched_rules(&stored.doc.read(), &values)?;
    save_edit(tx, &mut stored, author)
}

/// Creates record `id` again with `parent` set to `to`; links the old one to the copy and
/// deletes it. Returns the copy's id.
fn recreate(
    tx: &mut Tx,
    id: Uuid,
    parent: &'static FieldSpec,
    to: Uuid,
    author: &Author,
) -> Result<Uuid> {
    let mut stored = tx
        .load(id)?
        .ok_or_else(|| ClientError::NotFound(id.to_string()))?;
    let kind = stored.doc.kind();
    let link = schema::merged_into_field(kind).ok_or_else(|| {
        ClientError::NotMergeable(format!(
            "{id} is {} under the merged record, and {} cannot move yet (they have no \
             `merged_into` link): nothing was changed",
            kind.a(),
            kind.plural()
        ))
    })?;
    let record = stored.doc.read();
    let FieldType::Ref(parent_kind) = parent.ty else {
        return Err(ClientError::DamagedStore(format!(
            "`{}` is not a reference",
            parent.name
        )));
    };
    let mut values: Vec<(&'static FieldSpec, Value)> = Vec::new();
    for (name, v) in &record.values {
        let Some(spec) = schema::field(kind, name).filter(|s| s.name != schema::MERGED_INTO) else {
            continue;
        };
        let v = if spec.name == parent.name {
            Value::Ref(parent_kind, to)
        } else {
            v.clone()
        };
        values.push((spec, v));
    }
    let copy = Uuid::now_v7();
    let mut doc = RecordDoc::create(kind, copy, &tx.settings().actor, author, &values)?;
    for line in &record.lines {
        let line_values: Vec<(&'static FieldSpec, Value)> = line
            .values
            .iter()
            .filter_map(|(name, v)| {
                schema::LINE_FIELDS
                    .iter()
                    .find(|s| s.name == *name)
                    .map(|s| (s, v.clone()))
            })
            .collect();
        doc.add_line(&line.line_id, &line_values)?;
    }
    check::new_record_rules(&doc.read())?;
    save_new(tx, &mut doc, author)?;
    stored.doc.set(link, Some(Value::Ref(kind, copy)))?;
    stored.doc.set_deleted(true)?;
    save_edit(tx, &mut stored, author)?;
    Ok(copy)
}
