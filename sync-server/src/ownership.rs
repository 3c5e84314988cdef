//! Where a record belongs on the server: its owner and the account it hangs on, decided
//! when it first arrives (an account: the pushing user's; a contact, opportunity, activity
//! or case: its account's owner; a quote: its opportunity's; a task: its account's or
//! opportunity's, else the pushing user's; a lead: its account's once converted, else the
//! pushing user's; a dismissal: the pushing user's; a product: no one's) and kept as
//! server metadata.
//!
//! A device that had not yet learned of a reassignment may still add to what its user
//! owned before it: whether a write to a parent is allowed is the caller's to say
//! ([`Parents::may_write`], which knows when the device last pulled).
//!
//! Knows nothing of storage: the caller looks parents up through [`Parents`].

use crate::access::Writer;
use crate::error::ServerError;
use fieldbook_core::Kind;
use fieldbook_core::record::Record;
use uuid::Uuid;

/// What the server knows of a record that others may hang on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub kind: Kind,
    /// `None` for products.
    pub owner: Option<String>,
    /// The account the record belongs to (an account's is its own id).
    pub account_id: Option<Uuid>,
}

/// Why a change is not taken: a refusal (quarantine), a refusal for changes it depends on
/// that the server lacks (quarantine, retried when they arrive), or a failure of the server.
#[derive(Debug)]
pub enum Rejection {
    Refused(String),
    Waiting(String),
    Failed(ServerError),
}

impl From<ServerError> for Rejection {
    fn from(e: ServerError) -> Self {
        Rejection::Failed(e)
    }
}

impl From<String> for Rejection {
    fn from(why: String) -> Self {
        Rejection::Refused(why)
    }
}

/// What placing a record needs to know of the records it may hang on.
pub trait Parents {
    /// Where a record belongs (records created earlier in the same push count).
    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>, ServerError>;
    /// Whether the push may write to the record `id`, placed so.
    fn may_write(&mut self, id: Uuid, placement: &Placement) -> Result<bool, ServerError>;
}

/// The record a record hangs on, as its document says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Account(Uuid),
    Opportunity(Uuid),
}

fn link(record: &Record) -> Option<Link> {
    match record.kind {
        Kind::Contact | Kind::Opportunity | Kind::Activity | Kind::Case | Kind::Lead => {
            record.reference("account_id").map(Link::Account)
        }
        Kind::Quote => record.reference("opportunity_id").map(Link::Opportunity),
        Kind::Task => record
            .reference("account_id")
            .map(Link::Account)
            .or_else(|| record.reference("opportunity_id").map(Link::Opportunity)),
        Kind::Account | Kind::Product | Kind::Dismissal => None,
    }
}

/// Resolves a link to the placement of the record it names.
fn resolve(link: Link, parents: &mut dyn Parents) -> Result<(Uuid, Placement), Rejection> {
    let (id, want) = match link {
        Link::Account(id) => (id, Kind::Account),
        Link::Opportunity(id) => (id, Kind::Opportunity),
    };
    match parents.placement(id)? {
        Some(p) if p.kind == want => Ok((id, p)),
        Some(p) => Err(Rejection::Refused(format!(
            "refers to {id} as {} but it is {}",
            want.a(),
            p.kind.a()
        ))),
        None => Err(Rejection::Refused(format!(
            "its {} {id} is not on the server (sync the device that created it first)",
            want.as_str()
        ))),
    }
}

/// Places a record new to the server, pushed by `writer`: a child goes to its parent's
/// owner now (the creator stays its author), even when the parent moved to someone else
/// after the device last pulled.
pub fn place_new(
    record: &Record,
    writer: &Writer,
    parents: &mut dyn Parents,
) -> Result<Placement, Rejection> {
    let kind = record.kind;
    match kind {
        Kind::Product => {
            if !writer.may_write(Kind::Product, None) {
                return Err(Rejection::Refused(writer.refusal(Kind::Product, None)));
            }
            Ok(Placement {
                kind,
                owner: None,
                account_id: None,
            })
        }
        Kind::Account => Ok(Placement {
            kind,
            owner: Some(writer.owner_of_new().to_string()),
            account_id: Some(record.id),
        }),
        // Personal: its writer's own, whatever it names.
        Kind::Dismissal => Ok(Placement {
            kind,
            owner: Some(writer.owner_of_new().to_string()),
            account_id: None,
        }),
        _ => match link(record) {
            None if matches!(kind, Kind::Task | Kind::Lead) => Ok(Placement {
                kind,
                owner: Some(writer.owner_of_new().to_string()),
                account_id: None,
            }),
            None => Err(Rejection::Refused(format!("{} without a parent", kind.a()))),
            Some(link) => {
                let (parent_id, parent) = resolve(link, parents)?;
                if !parents.may_write(parent_id, &parent)? {
                    return Err(Rejection::Refused(format!(
                        "adds {} to {} {parent_id}: {}",
                        kind.a(),
                        parent.kind.as_str(),
                        writer.refusal(parent.kind, parent.owner.as_deref())
                    )));
                }
                Ok(Placement {
                    kind,
                    owner: parent.owner,
                    account_id: parent.account_id,
                })
            }
        },
    }
}

/// Whether an edit may link a record of `kind` to another account (a task, a converted
/// lead): [`relink`] then says which.
pub fn relinks(kind: Kind) -> bool {
    matches!(kind, Kind::Task | Kind::Lead)
}

/// The account an edited task or lead now hangs on: it may be linked to another account
/// or opportunity of the same owner, never to someone else's (that would be a
/// reassignment).
pub fn relink(
    record: &Record,
    current: &Placement,
    parents: &mut dyn Parents,
) -> Result<Option<Uuid>, Rejection> {
    let Some(link) = link(record) else {
        return Ok(None);
    };
    let (_, parent) = resolve(link, parents)?;
    if parent.owner != current.owner {
        return Err(Rejection::Refused(format!(
            "links this {} to a record of {}; moving it to another owner is a reassignment",
            record.kind,
            parent.owner.as_deref().unwrap_or("no one")
        )));
    }
    Ok(parent.account_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Principal, Scope};
    use fieldbook_core::protocol::Role;
    use fieldbook_core::value::Value;
    use std::collections::HashMap;

    fn record(kind: Kind, refs: &[(&'static str, Uuid)]) -> Record {
        Record {
            id: Uuid::now_v7(),
            kind,
            values: refs
                .iter()
                .map(|(n, id)| (*n, Value::Ref(Kind::Account, *id)))
                .collect(),
            lines: vec![],
            created_at: "2025-01-01T00:00:00Z".into(),
            created_by: "alice".into(),
            updated_at: String::new(),
            updated_by: String::new(),
            deleted: false,
        }
    }

    /// Records known by id; writes allowed as the writer's rights say.
    struct Known<'w>(HashMap<Uuid, Placement>, &'w Writer);

    impl Parents for Known<'_> {
        fn placement(&mut self, id: Uuid) -> Result<Option<Placement>, ServerError> {
            Ok(self.0.get(&id).cloned())
        }
        fn may_write(&mut self, _: Uuid, p: &Placement) -> Result<bool, ServerError> {
            Ok(self.1.may_write(p.kind, p.owner.as_deref()))
        }
    }

    fn rep(name: &str) -> Writer {
        Writer::User(Principal {
            user: name.into(),
            role: Role::Rep,
            scope: Scope::of(Role::Rep, name, []),
        })
    }

    #[test]
    fn children_follow_their_account_and_tasks_fall_back_to_the_pusher() {
        let acc = Uuid::now_v7();
        let opp = Uuid::now_v7();
        let known: HashMap<Uuid, Placement> = HashMap::from([
            (
                acc,
                Placement {
                    kind: Kind::Account,
                    owner: Some("alice".into()),
                    account_id: Some(acc),
                },
            ),
            (
                opp,
                Placement {
                    kind: Kind::Opportunity,
                    owner: Some("alice".into()),
                    account_id: Some(acc),
                },
            ),
        ]);
        let (alice, bob) = (rep("alice"), rep("bob"));
        let mut as_alice = Known(known.clone(), &alice);
        let mut as_bob = Known(known, &bob);
        let quote = record(Kind::Quote, &[("opportunity_id", opp)]);
        let p = place_new(&quote, &alice, &mut as_alice).unwrap();
        assert_eq!(
            (p.owner.as_deref(), p.account_id),
            (Some("alice"), Some(acc))
        );
        let task = record(Kind::Task, &[]);
        assert_eq!(
            place_new(&task, &bob, &mut as_bob)
                .unwrap()
                .owner
                .as_deref(),
            Some("bob")
        );
        let contact = record(Kind::Contact, &[("account_id", acc)]);
        match place_new(&contact, &bob, &mut as_bob) {
            Err(Rejection::Refused(why)) => assert!(why.contains("alice owns"), "{why}"),
            other => panic!("{other:?}"),
        }
        let orphan = record(Kind::Contact, &[("account_id", Uuid::now_v7())]);
        assert!(matches!(
            place_new(&orphan, &alice, &mut as_alice),
            Err(Rejection::Refused(_))
        ));
        let product = record(Kind::Product, &[]);
        assert!(matches!(
            place_new(&product, &alice, &mut as_alice),
            Err(Rejection::Refused(_))
        ));
    }
}
