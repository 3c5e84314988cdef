//! Who sees and writes which records: the rules of `docs/protocol.md` ("Who sees and writes
//! what") as plain functions over names, roles and owners.
//!
//! A record's owner is server metadata (`None` for products, which belong to no one). A rep
//! covers their own records; a manager their own and those of the members of the teams they
//! manage; an admin everything. Products are visible to all and writable by admins only.
//!
//! Two exceptions to scope: a case is shared with its assignee, whoever they are — the
//! assignee sees and writes the case, and sees (read-only) its account and the account's
//! contacts, nothing else of it ([`Shares`]); and personal records (a user's dismissed
//! reminders) go to their owner only, not to the owner's managers.
//!
//! Knows nothing of storage or HTTP: backends compute a [`Scope`] from their user and team
//! tables and ask these functions.

use crate::error::{Result, ServerError};
use fieldbook_core::Kind;
use fieldbook_core::protocol::Role;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The owners whose records a user sees and edits (products aside).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every owner (admins).
    All,
    /// These owners only.
    Owners(BTreeSet<String>),
}

impl Scope {
    /// The scope of `user` with `role`; `managed_members` are the members of the teams the
    /// user manages (ignored unless the user is a manager).
    pub fn of(role: Role, user: &str, managed_members: impl IntoIterator<Item = String>) -> Scope {
        match role {
            Role::Admin => Scope::All,
            Role::Rep => Scope::Owners(BTreeSet::from([user.to_string()])),
            Role::Manager => {
                let mut owners: BTreeSet<String> = managed_members.into_iter().collect();
                owners.insert(user.to_string());
                Scope::Owners(owners)
            }
        }
    }

    /// Whether records owned by `owner` are in this scope.
    pub fn covers(&self, owner: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Owners(o) => o.contains(owner),
        }
    }

    /// Whether a record with this owner is visible (`None`: a product, visible to all).
    pub fn sees(&self, owner: Option<&str>) -> bool {
        owner.is_none_or(|o| self.covers(o))
    }

    /// The owners, or `None` for every owner.
    pub fn owners(&self) -> Option<&BTreeSet<String>> {
        match self {
            Scope::All => None,
            Scope::Owners(o) => Some(o),
        }
    }
}

/// What a user sees beyond their scope: the cases assigned to them, with the account and
/// contacts of each (read-only). Worked out by the service from the assignments storage
/// keeps and the records of those accounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shares {
    /// Cases assigned to the user (visible and writable).
    pub cases: BTreeSet<Uuid>,
    /// Their accounts and those accounts' contacts (visible only).
    pub context: BTreeSet<Uuid>,
}

impl Shares {
    /// Whether `doc` is shared with the user.
    pub fn contains(&self, doc: Uuid) -> bool {
        self.cases.contains(&doc) || self.context.contains(&doc)
    }

    /// Every shared record, in id order.
    pub fn ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.cases.union(&self.context).copied()
    }
}

/// Which records of an account come with a case assigned on it: the account itself and
/// its contacts (who to call), nothing else of its book.
pub fn shared_with_case(kind: Kind) -> bool {
    matches!(kind, Kind::Account | Kind::Contact)
}

/// Who may see a record: its owner's scope, or a share; a personal record its owner only.
#[derive(Clone, Copy, Debug)]
pub struct Viewer<'a> {
    pub user: &'a str,
    pub scope: &'a Scope,
    pub shares: &'a Shares,
}

impl Viewer<'_> {
    /// Whether the user sees record `doc` of `kind`, owned by `owner`, now.
    pub fn sees(&self, kind: Kind, doc: Uuid, owner: Option<&str>) -> bool {
        if kind.is_personal() {
            return owner == Some(self.user);
        }
        self.scope.sees(owner) || self.shares.contains(doc)
    }
}

/// A signed-in user as the rules see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user: String,
    pub role: Role,
    pub scope: Scope,
}

impl Principal {
    /// Whether this user may write a record of `kind` owned by `owner`.
    pub fn may_write(&self, kind: Kind, owner: Option<&str>) -> bool {
        match owner {
            _ if kind == Kind::Product => self.role == Role::Admin,
            None => self.role == Role::Admin,
            Some(o) => self.scope.covers(o),
        }
    }
}

/// Who a push writes as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Writer {
    /// A signed-in, active user.
    User(Principal),
    /// A deactivated user's device handing over what it still holds: it may write what now
    /// belongs to the successor, and what it creates becomes the successor's.
    Handover { departed: String, successor: String },
}

impl Writer {
    /// The user whose device pushes (for quarantine entries).
    pub fn user(&self) -> &str {
        match self {
            Writer::User(p) => &p.user,
            Writer::Handover { departed, .. } => departed,
        }
    }

    /// Whether this push may write a case assigned to `assignee` (outside its scope: the
    /// assignee works on the case, and hands it on by changing the assignee).
    pub fn is_assignee(&self, kind: Kind, assignee: Option<&str>) -> bool {
        matches!(self, Writer::User(p) if kind == Kind::Case && assignee == Some(p.user.as_str()))
    }

    /// Whether this push may write a record of `kind` owned by `owner`.
    pub fn may_write(&self, kind: Kind, owner: Option<&str>) -> bool {
        match self {
            Writer::User(p) => p.may_write(kind, owner),
            Writer::Handover { successor, .. } => {
                kind != Kind::Product && owner == Some(successor.as_str())
            }
        }
    }

    /// Who owns an account (or a task with no account) this push creates.
    pub fn owner_of_new(&self) -> &str {
        match self {
            Writer::User(p) => &p.user,
            Writer::Handover { successor, .. } => successor,
        }
    }

    /// Why a write to a record of `kind` owned by `owner` is refused.
    pub fn refusal(&self, kind: Kind, owner: Option<&str>) -> String {
        match (self, owner) {
            (Writer::Handover { successor, .. }, _) => format!(
                "{} that is not {successor}'s cannot be handed over; it is kept for a manager",
                kind.a()
            ),
            (_, _) if kind == Kind::Product => {
                "only admins may edit the product catalogue".to_string()
            }
            (Writer::User(p), Some(o)) => {
                format!("{} owns this {kind}; {} may not edit it", o, p.user)
            }
            (Writer::User(_), None) => format!("only admins may edit this {kind}"),
        }
    }
}

/// Who asks for an administrative operation.
#[derive(Clone, Debug)]
pub enum Requester {
    /// The operator at the server's command line: may do everything.
    Operator,
    /// A signed-in user, through the HTTP API.
    User { name: String, role: Role },
}

impl Requester {
    /// Whether this requester may manage users, teams and the catalogue (admin rights).
    pub fn is_admin(&self) -> bool {
        match self {
            Requester::Operator => true,
            Requester::User { role, .. } => *role == Role::Admin,
        }
    }

    /// Refuses reps: administrative reads and writes are for managers and admins.
    pub fn require_manager(&self) -> Result<()> {
        match self {
            Requester::User {
                role: Role::Rep,
                name,
            } => Err(ServerError::Forbidden(format!(
                "{name} is a rep; only managers and admins may do this"
            ))),
            _ => Ok(()),
        }
    }

    /// Refuses everyone but admins.
    pub fn require_admin(&self) -> Result<()> {
        match self {
            Requester::User { role, name } if *role != Role::Admin => Err(ServerError::Forbidden(
                format!("{name} is not an admin; only admins may do this"),
            )),
            _ => Ok(()),
        }
    }

    /// The scope an administrative request may act on, given the members of the teams the
    /// requester manages.
    pub fn admin_scope(&self, managed_members: impl IntoIterator<Item = String>) -> Result<Scope> {
        self.require_manager()?;
        Ok(match self {
            Requester::Operator => Scope::All,
            Requester::User { name, role } => Scope::of(*role, name, managed_members),
        })
    }

    /// The requester's name (for messages).
    pub fn name(&self) -> &str {
        match self {
            Requester::Operator => "the operator",
            Requester::User { name, .. } => name,
        }
    }
}

/// Refuses an administrative action on `user` outside `scope`.
pub fn require_in_scope(scope: &Scope, by: &Requester, user: &str) -> Result<()> {
    if scope.covers(user) {
        Ok(())
    } else {
        Err(ServerError::Forbidden(format!(
            "{user} is not in a team {} manages",
            by.name()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(user: &str, role: Role, members: &[&str]) -> Principal {
        Principal {
            user: user.into(),
            role,
            scope: Scope::of(role, user, members.iter().map(|m| m.to_string())),
        }
    }

    #[test]
    fn reps_cover_themselves_managers_their_teams_admins_all() {
        let rep = principal("alice", Role::Rep, &["bob"]);
        assert!(rep.may_write(Kind::Account, Some("alice")));
        assert!(
            !rep.may_write(Kind::Account, Some("bob")),
            "members count for managers only"
        );
        let mgr = principal("mia", Role::Manager, &["alice"]);
        assert!(mgr.may_write(Kind::Contact, Some("alice")));
        assert!(mgr.may_write(Kind::Contact, Some("mia")));
        assert!(!mgr.may_write(Kind::Contact, Some("zoe")));
        let admin = principal("root", Role::Admin, &[]);
        assert!(admin.may_write(Kind::Quote, Some("zoe")));
    }

    #[test]
    fn products_are_seen_by_all_and_written_by_admins() {
        let rep = principal("alice", Role::Rep, &[]);
        assert!(rep.scope.sees(None));
        assert!(!rep.may_write(Kind::Product, None));
        assert!(!principal("mia", Role::Manager, &[]).may_write(Kind::Product, None));
        assert!(principal("root", Role::Admin, &[]).may_write(Kind::Product, None));
    }

    #[test]
    fn a_handover_writes_only_what_is_now_the_successors() {
        let w = Writer::Handover {
            departed: "alice".into(),
            successor: "bob".into(),
        };
        assert!(w.may_write(Kind::Account, Some("bob")));
        assert!(!w.may_write(Kind::Account, Some("alice")));
        assert!(!w.may_write(Kind::Product, None));
        assert_eq!(w.owner_of_new(), "bob");
        assert_eq!(w.user(), "alice");
    }

    #[test]
    fn an_assignee_sees_the_case_its_account_and_contacts_and_writes_the_case_only() {
        let (case, account, contact, deal) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let shares = Shares {
            cases: [case].into(),
            context: [account, contact].into(),
        };
        let scope = Scope::of(Role::Rep, "carol", []);
        let carol = Viewer {
            user: "carol",
            scope: &scope,
            shares: &shares,
        };
        assert!(carol.sees(Kind::Case, case, Some("alice")));
        assert!(carol.sees(Kind::Account, account, Some("alice")));
        assert!(carol.sees(Kind::Contact, contact, Some("alice")));
        assert!(!carol.sees(Kind::Opportunity, deal, Some("alice")));
        assert!(carol.sees(Kind::Opportunity, deal, Some("carol")));
        assert_eq!(shares.ids().collect::<Vec<_>>(), [case, account, contact]);
        assert!(shared_with_case(Kind::Contact) && !shared_with_case(Kind::Activity));
        let w = Writer::User(principal("carol", Role::Rep, &[]));
        assert!(w.is_assignee(Kind::Case, Some("carol")));
        assert!(!w.is_assignee(Kind::Case, Some("bob")));
        assert!(!w.is_assignee(Kind::Account, Some("carol")));
        assert!(
            !w.may_write(Kind::Case, Some("alice")),
            "scope alone does not"
        );
        let handover = Writer::Handover {
            departed: "carol".into(),
            successor: "dan".into(),
        };
        assert!(!handover.is_assignee(Kind::Case, Some("carol")));
    }

    #[test]
    fn personal_records_go_to_their_owner_only() {
        let shares = Shares::default();
        let scope = Scope::of(Role::Manager, "mia", ["alice".into()]);
        let mia = Viewer {
            user: "mia",
            scope: &scope,
            shares: &shares,
        };
        let d = Uuid::from_u128(9);
        assert!(mia.sees(Kind::Account, d, Some("alice")));
        assert!(!mia.sees(Kind::Dismissal, d, Some("alice")));
        assert!(mia.sees(Kind::Dismissal, d, Some("mia")));
        let all = Scope::All;
        let ada = Viewer {
            user: "ada",
            scope: &all,
            shares: &shares,
        };
        assert!(!ada.sees(Kind::Dismissal, d, Some("alice")));
    }

    #[test]
    fn reps_are_refused_administration() {
        let rep = Requester::User {
            name: "alice".into(),
            role: Role::Rep,
        };
        assert!(rep.require_manager().is_err());
        let mgr = Requester::User {
            name: "mia".into(),
            role: Role::Manager,
        };
        let scope = mgr.admin_scope(["alice".to_string()]).unwrap();
        assert!(require_in_scope(&scope, &mgr, "alice").is_ok());
        assert!(require_in_scope(&scope, &mgr, "zoe").is_err());
        assert!(mgr.require_admin().is_err());
        assert_eq!(Requester::Operator.admin_scope([]).unwrap(), Scope::All);
    }
}
