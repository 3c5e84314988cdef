//! Merging two records that are one (two spellings of one company, one person entered
//! twice). In one transaction:
//! - the kept record takes the other's values where it has none (tags are joined, notes
//!   appended), or as chosen field by field ([`FieldChoice`]);
//! - the records that referred to the other now refer to the kept one (`moves`);
//! - the other is marked `merged_into` the kept one and deleted (restorable).
//!
//! Every write is an ordinary change by this store's user, so a merge syncs like any edit,
//! and both records keep their whole history. Refused before anything is written: records
//! of two kinds, a deleted or already merged record, a kind that is not merged, and any
//! record this store's user may not write.

use super::{dedupe_subject, moves, not_compared};
use crate::edit::check::{self, Target};
use crate::edit::save_edit;
use crate::error::{ClientError, Result};
use crate::store::{Store, Tx};
use fieldbook_core::doc::Author;
use fieldbook_core::schema::{self, Edit, FieldSpec, FieldType};
use fieldbook_core::value::Value;
use fieldbook_core::{CoreError, Kind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Which record a field's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Keep,
    Other,
}

/// A field whose value is chosen by hand (`Other` takes the other's value, even none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldChoice {
    pub field: String,
    pub side: Side,
}

/// A record created again under the kept record (its parent field is fixed at creation),
/// the old one linked to it by `merged_into` and deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Moved {
    pub kind: Kind,
    pub from: Uuid,
    pub to: Uuid,
}

/// A record whose reference was pointed at the kept record (or cleared, when it was the
/// kept record's own reference to the other).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Relinked {
    pub kind: Kind,
    pub id: Uuid,
    pub field: String,
}

/// What a merge did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeReport {
    pub kind: Kind,
    pub kept: Uuid,
    pub merged: Uuid,
    /// Fields of the kept record set from the other (or combined: tags, notes).
    pub fields: Vec<String>,
    pub moved: Vec<Moved>,
    pub relinked: Vec<Relinked>,
}

/// Whether a merge sets this field of the kept record (not its parent, which is fixed, nor
/// what Fieldbook assigns).
fn mergeable(spec: &FieldSpec) -> bool {
    spec.edit == Edit::Free
}

/// The value the kept record takes for `spec`, if it changes.
fn merged_value(
    spec: &FieldSpec,
    kept: Option<&Value>,
    other: Option<&Value>,
    choice: Option<Side>,
) -> Option<Option<Value>> {
    let new = match choice {
        Some(Side::Keep) => return None,
        Some(Side::Other) => other.cloned(),
        None => match (spec.ty, kept, other) {
            (_, _, None) => return None,
            (_, None, Some(v)) => Some(v.clone()),
            (FieldType::Tags, Some(Value::Tags(a)), Some(Value::Tags(b))) => {
                let mut all = a.clone();
                all.extend(b.iter().filter(|t| !a.contains(t)).cloned());
                Some(Value::Tags(all))
            }
            (FieldType::Notes, Some(Value::Notes(a)), Some(Value::Notes(b)))
                if !a.contains(b.trim()) =>
            {
                Some(Value::Notes(format!("{}\n\n{}", a.trim_end(), b.trim())))
            }
            _ => return None,
        },
    };
    (new.as_ref() != kept).then_some(new)
}

/// Refuses a write the server would refuse: a rep writes only their own records. (A
/// manager's or admin's scope is the server's to check; a store before its first sign-in
/// holds only its user's records.)
pub(super) fn check_owner(tx: &Tx, id: Uuid) -> Result<()> {
    use fieldbook_core::protocol::Role;
    let Some(role) = tx.role()? else {
        return Ok(());
    };
    if Role::parse(&role) != Some(Role::Rep) {
        return Ok(());
    }
    let owner = tx.owner_of(id)?.unwrap_or_default();
    let user = &tx.settings().user;
    if owner.is_empty() || owner == *user {
        return Ok(());
    }
    Err(ClientError::NotYours {
        id,
        owner,
        user: user.clone(),
        role,
    })
}

impl Store {
    /// Merges record `other` into record `keep` (see the module doc). `choices` pick, field
    /// by field, whose value the kept record ends with.
    pub fn merge(
        &mut self,
        keep: Uuid,
        other: Uuid,
        choices: &[FieldChoice],
    ) -> Result<MergeReport> {
        if keep == other {
            return Err(ClientError::NotMergeable(
                "a record cannot be merged into itself: give two ids".into(),
            ));
        }
        let now = OffsetDateTime::now_utc();
        self.write(|tx| {
            let mut k = tx
                .load(keep)?
                .ok_or_else(|| ClientError::NotFound(keep.to_string()))?;
            let mut o = tx
                .load(other)?
                .ok_or_else(|| ClientError::NotFound(other.to_string()))?;
            let kind = k.doc.kind();
            if o.doc.kind() != kind {
                return Err(ClientError::NotMergeable(format!(
                    "{keep} is {} and {other} is {}: only records of one kind merge",
                    kind.a(),
                    o.doc.kind().a()
                )));
            }
            let merged_into = schema::merged_into_field(kind)
                .filter(|_| dedupe_subject(kind).is_some())
                .ok_or_else(|| not_compared(kind))?;
            let (kr, or) = (k.doc.read(), o.doc.read());
            for (id, r) in [(keep, &kr), (other, &or)] {
                if r.deleted {
                    return Err(ClientError::NotMergeable(format!(
                        "{id} is deleted: restore it first"
                    )));
                }
                if let Some(into) = r.reference(schema::MERGED_INTO) {
                    return Err(ClientError::NotMergeable(format!(
                        "{id} was merged into {into} already"
                    )));
                }
            }
            check::may_write(tx, kind)?;
            check_owner(tx, keep)?;
            check_owner(tx, other)?;
            let mut chosen: HashMap<&'static str, Side> = HashMap::new();
            for c in choices {
                let spec = check::lookup(Target::Record(kind), &c.field)?;
                if !mergeable(spec) {
                    return Err(CoreError::NotEditable {
                        field: spec.name.into(),
                        why: "a merge keeps the kept record's own (it is fixed, or Fieldbook's)"
                            .into(),
                    }
                    .into());
                }
                chosen.insert(spec.name, c.side);
            }

            let mut values: check::Assignments = Vec::new();
            for spec in schema::fields(kind).iter().filter(|s| mergeable(s)) {
                let Some(new) = merged_value(
                    spec,
                    kr.get(spec.name),
                    or.get(spec.name),
                    chosen.get(spec.name).copied(),
                ) else {
                    continue;
                };
                // The other's reference to the kept record (or to itself) is not taken.
                if let Some(Value::Ref(_, id)) = &new
                    && (*id == keep || *id == other)
                {
                    continue;
                }
                values.push((spec, new));
            }
            check::references(tx, &values)?;
            let account = k.doc.read().reference("account_id");
            check::record_rules(tx, kind, keep, account, &values)?;
            for (spec, v) in &values {
                k.doc.set(spec, v.clone())?;
            }
            check::touched_rules(&k.doc.read(), &values)?;
            let author = Author {
                user: tx.settings().user.clone(),
                at: now,
            };
            save_edit(tx, &mut k, &author)?;

            o.doc.set(merged_into, Some(Value::Ref(kind, keep)))?;
            o.doc.set_deleted(true)?;
            save_edit(tx, &mut o, &author)?;

            let mut report = MergeReport {
                kind,
                kept: keep,
                merged: other,
                fields: values.iter().map(|(s, _)| s.name.to_string()).collect(),
                moved: Vec::new(),
                relinked: Vec::new(),
            };
            moves::repoint(tx, other, keep, kind, &author, &mut report)?;
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: Kind, name: &str) -> &'static FieldSpec {
        schema::field(kind, name).unwrap()
    }

    #[test]
    fn the_kept_record_fills_its_gaps_joins_tags_and_appends_notes() {
        let s = |v: &str| Value::Str(v.into());
        let phone = spec(Kind::Account, "phone");
        assert_eq!(
            merged_value(phone, None, Some(&s("1")), None),
            Some(Some(s("1")))
        );
        assert_eq!(
            merged_value(phone, Some(&s("2")), Some(&s("1")), None),
            None
        );
        assert_eq!(
            merged_value(phone, Some(&s("2")), Some(&s("1")), Some(Side::Other)),
            Some(Some(s("1")))
        );
        assert_eq!(
            merged_value(phone, Some(&s("2")), None, Some(Side::Other)),
            Some(None)
        );
        assert_eq!(
            merged_value(phone, None, Some(&s("1")), Some(Side::Keep)),
            None
        );
        let tags = spec(Kind::Account, "tags");
        let t = |v: &[&str]| Value::Tags(v.iter().map(|x| x.to_string()).collect());
        assert_eq!(
            merged_value(tags, Some(&t(&["a", "b"])), Some(&t(&["b", "c"])), None),
            Some(Some(t(&["a", "b", "c"])))
        );
        let notes = spec(Kind::Account, "notes");
        let n = |v: &str| Value::Notes(v.into());
        assert_eq!(
            merged_value(notes, Some(&n("拜访过")), Some(&n("Met at the fair")), None),
            Some(Some(n("拜访过\n\nMet at the fair")))
        );
        assert_eq!(
            merged_value(notes, Some(&n("a\n\nb")), Some(&n("b")), None),
            None
        );
    }

    #[test]
    fn only_free_fields_are_merged() {
        assert!(mergeable(spec(Kind::Account, "name")));
        assert!(!mergeable(spec(Kind::Contact, "account_id")));
        assert!(!mergeable(spec(Kind::Account, schema::MERGED_INTO)));
    }
}
