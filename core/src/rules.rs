//! Rules across the fields of one record, such as "a lost opportunity needs a reason".
//!
//! A field's own form (a date, a stage, a percentage) is checked by [`crate::value`]. The
//! rules here involve several fields, so two edits that are each valid can break one
//! together when they merge (one device sets `lost`, another clears `loss_reason`). Hence
//! two uses:
//! - a write is refused only when it touches one of a rule's fields and leaves the rule
//!   broken ([`check_touched`]): a later edit of another field is never blocked;
//! - a record whose merged state breaks a rule "needs attention" ([`attention`]), shown in
//!   lists, on the record and in the managers' view until someone fixes it.
//!
//! Rules that need other records (an account's parent chain) take a lookup from the caller
//! ([`parent_cycle`]). Knows nothing of Automerge, storage or the network.

use crate::error::{CoreError, Result};
use crate::kind::Kind;
use crate::record::Record;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

/// A rule across fields of a record of one kind.
pub struct Rule {
    pub kind: Kind,
    /// A stable name for the rule (in errors and "needs attention" lists).
    pub name: &'static str,
    /// The fields the rule is about: a write touching any of them must leave it holding.
    pub fields: &'static [&'static str],
    holds: fn(&Record) -> bool,
    /// What is wrong, in words (no command syntax: each front-end adds its own hint).
    pub message: &'static str,
}

/// Every rule, by kind.
pub static RULES: &[Rule] = &[
    Rule {
        kind: Kind::Opportunity,
        name: "lost_needs_reason",
        fields: &["stage", "loss_reason"],
        holds: |r| r.str("stage") != Some("lost") || r.get("loss_reason").is_some(),
        message: "a lost opportunity needs a reason (loss_reason)",
    },
    Rule {
        kind: Kind::Lead,
        name: "disqualified_needs_reason",
        fields: &["status", "disqualify_reason"],
        holds: |r| r.str("status") != Some("disqualified") || r.get("disqualify_reason").is_some(),
        message: "a disqualified lead needs a reason (disqualify_reason)",
    },
    Rule {
        kind: Kind::Lead,
        name: "converted_needs_account",
        fields: &["status", "account_id"],
        holds: |r| r.str("status") != Some("converted") || r.get("account_id").is_some(),
        message: "a converted lead links to the account it became (account_id): convert it instead of setting its status",
    },
    Rule {
        kind: Kind::Case,
        name: "resolved_needs_resolution",
        fields: &["status", "resolution"],
        holds: |r| r.str("status") != Some("resolved") || r.get("resolution").is_some(),
        message: "a resolved case needs a resolution (resolution)",
    },
    Rule {
        kind: Kind::Opportunity,
        name: "not_own_renewal",
        fields: &["renews_id"],
        holds: |r| r.reference("renews_id") != Some(r.id),
        message: "an opportunity cannot renew itself (renews_id)",
    },
    Rule {
        kind: Kind::Account,
        name: "not_own_parent",
        fields: &["parent_id"],
        holds: |r| r.reference("parent_id") != Some(r.id),
        message: "an account cannot be its own parent (parent_id)",
    },
];

/// A rule a record's current state breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attention {
    pub rule: String,
    pub fields: Vec<String>,
    pub message: String,
}

fn rules_of(kind: Kind) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.kind == kind)
}

/// The rules `record` breaks as it stands: it needs attention. Empty for almost every record.
pub fn attention(record: &Record) -> Vec<Attention> {
    rules_of(record.kind)
        .filter(|r| !(r.holds)(record))
        .map(|r| Attention {
            rule: r.name.into(),
            fields: r.fields.iter().map(|f| f.to_string()).collect(),
            message: r.message.into(),
        })
        .collect()
}

/// Refuses a write that touched one of a rule's fields and leaves the rule broken. `record`
/// is the record as the writer will see it after the write.
pub fn check_touched(record: &Record, touched: &[&str]) -> Result<()> {
    for rule in rules_of(record.kind) {
        if rule.fields.iter().any(|f| touched.contains(f)) && !(rule.holds)(record) {
            return Err(CoreError::RuleBroken {
                rule: rule.name,
                message: rule.message.into(),
            });
        }
    }
    Ok(())
}

/// How far up a chain of parents is followed before it is taken for a loop.
pub const MAX_PARENT_DEPTH: usize = 1_000;

/// Whether making `parent` the parent of `id` closes a loop (A → B → A), following
/// `parent_of` up from `parent`. A chain longer than [`MAX_PARENT_DEPTH`] counts as one.
pub fn parent_cycle(
    id: Uuid,
    parent: Uuid,
    mut parent_of: impl FnMut(Uuid) -> Option<Uuid>,
) -> bool {
    let mut seen = HashSet::new();
    let mut at = Some(parent);
    while let Some(current) = at {
        if current == id || !seen.insert(current) || seen.len() > MAX_PARENT_DEPTH {
            return true;
        }
        at = parent_of(current);
    }
    false
}

/// Refuses `parent` as the parent of `id` when it would close a loop.
pub fn check_parent(
    id: Uuid,
    parent: Uuid,
    parent_of: impl FnMut(Uuid) -> Option<Uuid>,
) -> Result<()> {
    if parent_cycle(id, parent, parent_of) {
        return Err(CoreError::RuleBroken {
            rule: "no_parent_cycle",
            message: format!(
                "account {parent} is already below this account: parent_id would make a loop"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;
    use std::collections::HashMap;

    fn record(kind: Kind, values: Vec<(&'static str, Value)>) -> Record {
        Record {
            id: Uuid::now_v7(),
            kind,
            values,
            lines: vec![],
            created_at: String::new(),
            created_by: String::new(),
            updated_at: String::new(),
            updated_by: String::new(),
            deleted: false,
        }
    }

    fn deal(stage: &str, reason: Option<&str>) -> Record {
        let mut values = vec![("stage", Value::Str(stage.into()))];
        if let Some(r) = reason {
            values.push(("loss_reason", Value::Str(r.into())));
        }
        record(Kind::Opportunity, values)
    }

    fn text(v: &str) -> Value {
        Value::Str(v.into())
    }

    /// The rules a record of `kind` with `values` breaks, by name.
    fn broken(kind: Kind, values: Vec<(&'static str, Value)>) -> Vec<String> {
        attention(&record(kind, values))
            .into_iter()
            .map(|a| a.rule)
            .collect()
    }

    #[test]
    fn leads_cases_and_renewals_have_their_rules() {
        // A disqualified lead needs a reason; other statuses do not.
        assert_eq!(
            broken(Kind::Lead, vec![("status", text("disqualified"))]),
            ["disqualified_needs_reason"]
        );
        assert!(
            broken(
                Kind::Lead,
                vec![
                    ("status", text("disqualified")),
                    ("disqualify_reason", text("no budget"))
                ]
            )
            .is_empty()
        );
        assert!(broken(Kind::Lead, vec![("status", text("qualified"))]).is_empty());
        // A converted lead links to its account.
        assert_eq!(
            broken(Kind::Lead, vec![("status", text("converted"))]),
            ["converted_needs_account"]
        );
        assert!(
            broken(
                Kind::Lead,
                vec![
                    ("status", text("converted")),
                    ("account_id", Value::Ref(Kind::Account, Uuid::now_v7()))
                ]
            )
            .is_empty()
        );
        // A resolved case needs a resolution; a closed one or an open one does not.
        assert_eq!(
            broken(Kind::Case, vec![("status", text("resolved"))]),
            ["resolved_needs_resolution"]
        );
        assert!(
            broken(
                Kind::Case,
                vec![
                    ("status", text("resolved")),
                    ("resolution", text("replaced the pump"))
                ]
            )
            .is_empty()
        );
        assert!(broken(Kind::Case, vec![("status", text("in_progress"))]).is_empty());
        // A rule blocks only writes that touch it.
        let case = record(Kind::Case, vec![("status", text("resolved"))]);
        assert!(check_touched(&case, &["priority"]).is_ok());
        assert!(check_touched(&case, &["resolution"]).is_err());
        // A deal does not renew itself.
        let mut own = record(Kind::Opportunity, vec![]);
        own.values
            .push(("renews_id", Value::Ref(Kind::Opportunity, own.id)));
        assert_eq!(
            attention(&own)
                .into_iter()
                .map(|a| a.rule)
                .collect::<Vec<_>>(),
            ["not_own_renewal"]
        );
    }

    #[test]
    fn a_broken_rule_blocks_only_writes_that_touch_it() {
        let broken = deal("lost", None);
        assert_eq!(attention(&broken).len(), 1);
        assert_eq!(attention(&broken)[0].rule, "lost_needs_reason");
        assert!(check_touched(&broken, &["amount"]).is_ok());
        let e = check_touched(&broken, &["stage"]).unwrap_err();
        assert!(matches!(
            e,
            CoreError::RuleBroken {
                rule: "lost_needs_reason",
                ..
            }
        ));
        assert!(check_touched(&broken, &["loss_reason"]).is_err());
        let fine = deal("lost", Some("price"));
        assert!(attention(&fine).is_empty());
        assert!(check_touched(&fine, &["stage"]).is_ok());
        assert!(attention(&deal("won", None)).is_empty());
    }

    #[test]
    fn parent_loops_are_found() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        // b's parent is a; c's parent is b.
        let parents: HashMap<Uuid, Uuid> = [(b, a), (c, b)].into();
        let up = |x: Uuid| parents.get(&x).copied();
        assert!(parent_cycle(a, c, up), "a under c under b under a");
        assert!(parent_cycle(a, a, up), "own parent");
        assert!(!parent_cycle(c, a, up), "a has no parent: no loop");
        assert!(!parent_cycle(Uuid::now_v7(), c, up));
        // A chain that loops without reaching the record still ends.
        let looped: HashMap<Uuid, Uuid> = [(a, b), (b, a)].into();
        assert!(parent_cycle(c, a, |x| looped.get(&x).copied()));
        assert!(check_parent(a, c, up).is_err());
    }
}
