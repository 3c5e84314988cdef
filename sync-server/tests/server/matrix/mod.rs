//! The access-control matrix over the real HTTP API of a real server: every role (rep,
//! manager, admin, deactivated, revoked, no token) × every relation to a record (own, same
//! team, other team, a case assigned to them, that case's account, and none: a product,
//! which belongs to no one) × every operation (read by pull, create, edit, delete,
//! reassign, an administrative read about the record's owner, a report on its owner), with
//! the expected answer
//! of each cell written out below as data; then every role × the administrative commands.
//!
//! Each cell works on records of its own (made by their owners' devices before any cell
//! runs), so no cell's outcome depends on another's. A read cell is checked over every
//! record of the world: an actor's fresh device pulls exactly the records the table lets
//! it see, nothing else (0 leaks). A write that is denied must answer 4xx with a message
//! (a refused change: `403` with the refusal's reason) and leave the log as it was.
//!
//! Reports: `GET /v1/reports/pipeline?owner=OWNER` (a product: the report over everything
//! the user sees); the cell checks who may ask, not the figures (`reports` tests those).

mod admin;
mod cells;
mod world;

use fieldbook_core::Kind;
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Rep,
    Manager,
    Admin,
    Deactivated,
    Revoked,
    NoToken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rel {
    Own,
    SameTeam,
    OtherTeam,
    /// A case assigned to the actor (on another team's account).
    Assigned,
    /// The account of a case assigned to the actor.
    CaseAccount,
    /// A record of no one: a product.
    Product,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    /// Seen by a fresh device's pull.
    Read,
    /// A new record in that relation (an account of one's own; a contact under the
    /// teammate's, the other team's or the shared account; a case assigned to oneself on
    /// the other team's account; a product).
    Create,
    Edit,
    Delete,
    /// `POST /v1/admin/reassign` of the record's account to another user.
    Reassign,
    /// `GET /v1/admin/devices?user=OWNER` (a product: every device).
    Admin,
    /// `GET /v1/reports/pipeline?owner=OWNER` (a product: no owner named).
    Report,
}

/// An expected answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exp {
    /// Allowed (read: the record is pulled).
    Y,
    /// Read only: the pull succeeds and the record is not in it.
    H,
    /// Denied with this status.
    N(u16),
}
use Exp::{H, N, Y};

const RELS: [Rel; 6] = [
    Rel::Own,
    Rel::SameTeam,
    Rel::OtherTeam,
    Rel::Assigned,
    Rel::CaseAccount,
    Rel::Product,
];
const OPS: [Op; 7] = [
    Op::Read,
    Op::Create,
    Op::Edit,
    Op::Delete,
    Op::Reassign,
    Op::Admin,
    Op::Report,
];

const F: Exp = N(403);
const GONE: [Exp; 6] = [N(410); 6];
const NO: [Exp; 6] = [N(401); 6];

/// The expected answer of every cell. Columns: own, same team, other team, assigned case,
/// the case's account, product.
const TABLE: &[(Role, Op, [Exp; 6])] = &[
    (Role::Rep, Op::Read, [Y, H, H, Y, Y, Y]),
    (Role::Rep, Op::Create, [Y, F, F, F, F, F]),
    (Role::Rep, Op::Edit, [Y, F, F, Y, F, F]),
    (Role::Rep, Op::Delete, [Y, F, F, Y, F, F]),
    (Role::Rep, Op::Reassign, [F, F, F, F, F, F]),
    (Role::Rep, Op::Admin, [F, F, F, F, F, F]),
    // A rep's report covers their own records only; one over what they see is theirs too.
    (Role::Rep, Op::Report, [Y, F, F, F, F, Y]),
    (Role::Manager, Op::Read, [Y, Y, H, Y, Y, Y]),
    (Role::Manager, Op::Create, [Y, Y, F, F, F, F]),
    (Role::Manager, Op::Edit, [Y, Y, F, Y, F, F]),
    (Role::Manager, Op::Delete, [Y, Y, F, Y, F, F]),
    // A product is not an account: 400 for those who may reassign.
    (Role::Manager, Op::Reassign, [Y, Y, F, F, F, N(400)]),
    (Role::Manager, Op::Admin, [Y, Y, F, F, F, Y]),
    (Role::Manager, Op::Report, [Y, Y, F, F, F, Y]),
    (Role::Admin, Op::Read, [Y; 6]),
    (Role::Admin, Op::Create, [Y; 6]),
    (Role::Admin, Op::Edit, [Y; 6]),
    (Role::Admin, Op::Delete, [Y; 6]),
    (Role::Admin, Op::Reassign, [Y, Y, Y, Y, Y, N(400)]),
    (Role::Admin, Op::Admin, [Y; 6]),
    (Role::Admin, Op::Report, [Y; 6]),
    (Role::Deactivated, Op::Read, GONE),
    (Role::Deactivated, Op::Create, GONE),
    (Role::Deactivated, Op::Edit, GONE),
    (Role::Deactivated, Op::Delete, GONE),
    (Role::Deactivated, Op::Reassign, GONE),
    (Role::Deactivated, Op::Admin, GONE),
    (Role::Deactivated, Op::Report, GONE),
    (Role::Revoked, Op::Read, NO),
    (Role::Revoked, Op::Create, NO),
    (Role::Revoked, Op::Edit, NO),
    (Role::Revoked, Op::Delete, NO),
    (Role::Revoked, Op::Reassign, NO),
    (Role::Revoked, Op::Admin, NO),
    (Role::Revoked, Op::Report, NO),
    (Role::NoToken, Op::Read, NO),
    (Role::NoToken, Op::Create, NO),
    (Role::NoToken, Op::Edit, NO),
    (Role::NoToken, Op::Delete, NO),
    (Role::NoToken, Op::Reassign, NO),
    (Role::NoToken, Op::Admin, NO),
    (Role::NoToken, Op::Report, NO),
];

fn expected(role: Role, op: Op, rel: Rel) -> Exp {
    let (_, _, row) = TABLE
        .iter()
        .find(|(r, o, _)| *r == role && *o == op)
        .unwrap_or_else(|| panic!("no row for {role:?} {op:?}"));
    row[RELS.iter().position(|x| *x == rel).unwrap()]
}

/// Administrative commands, per role: list users, add a user, unlock a user, list the
/// quarantine, deactivate a team member, revoke a team member's device, list one's own
/// devices.
const ADMIN_COMMANDS: &[(Role, [Exp; 7])] = &[
    (Role::Rep, [F, F, F, F, F, F, Y]),
    (Role::Manager, [Y, F, F, Y, Y, Y, Y]),
    (Role::Admin, [Y, N(201), Y, Y, Y, Y, Y]),
    (Role::Deactivated, [N(410); 7]),
    (Role::Revoked, [N(401); 7]),
    (Role::NoToken, [N(401); 7]),
];

/// Who plays each role, and whose records are "own" for them.
fn user_of(role: Role) -> &'static str {
    match role {
        Role::Rep | Role::NoToken => "alice",
        Role::Manager => "mia",
        Role::Admin => "root",
        Role::Deactivated => "dave",
        Role::Revoked => "rita",
    }
}

/// The owner of a record of `rel` made for `role` (a case's and its account's: wes).
fn owner_for(role: Role, rel: Rel) -> Option<&'static str> {
    match rel {
        Rel::Own => Some(user_of(role)),
        Rel::SameTeam => Some("bob"),
        Rel::OtherTeam | Rel::Assigned | Rel::CaseAccount => Some("wes"),
        Rel::Product => None,
    }
}

/// One cell's records: the target and, for cases, the account it is on.
struct Fixture {
    target: crate::support::Doc,
    account: Option<Uuid>,
}

/// What the world knows of a record, to tell its relation to any actor.
#[derive(Clone, Debug)]
struct Known {
    kind: Kind,
    owner: Option<String>,
    account: Option<Uuid>,
    assignee: Option<String>,
}

fn team_of(user: &str) -> Option<&'static str> {
    match user {
        "alice" | "bob" | "dave" | "rita" => Some("east"),
        "wes" | "wendy" => Some("west"),
        _ => None,
    }
}

/// The relation of a known record to `role`'s user, as the matrix names them.
fn relation(role: Role, known: &Known, assigned_accounts: &BTreeSet<(String, Uuid)>) -> Rel {
    let me = user_of(role);
    if known.kind == Kind::Product {
        return Rel::Product;
    }
    let owner = known.owner.as_deref().unwrap_or("");
    if owner == me {
        return Rel::Own;
    }
    let mine = match role {
        Role::Manager => Some("east"),
        _ => team_of(me),
    };
    let in_team = team_of(owner).is_some() && team_of(owner) == mine;
    if in_team || (role == Role::Admin && team_of(owner) == Some("east")) {
        return Rel::SameTeam;
    }
    if known.kind == Kind::Case && known.assignee.as_deref() == Some(me) {
        return Rel::Assigned;
    }
    // The account of a case assigned to them, and its contacts.
    let context = matches!(known.kind, Kind::Account | Kind::Contact);
    if let Some(a) = known.account
        && context
        && assigned_accounts.contains(&(me.to_string(), a))
    {
        return Rel::CaseAccount;
    }
    Rel::OtherTeam
}
