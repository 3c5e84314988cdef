//! The access-control matrix over the real HTTP API of a real server: every role (rep,
//! manager, admin, deactivated, revoked, no token) × every relation to a record (own, same
//! team, other team, a case assigned to them, that case's account, and none: a product,
//! which belongs to no one) × every operation (read by pull, create, edit, delete,
//! reassign, an administrative read about the record's owner), with the expected answer
//! of each cell written out below as data; then every role × the administrative commands.
//!
//! Each cell works on records of its own (made by their owners' devices before any cell
//! runs), so no cell's outcome depends on another's. A read cell is checked over every
//! record of the world: an actor's fresh device pulls exactly the records the table lets
//! it see, nothing else (0 leaks). A write that is denied must answer 4xx with a message
//! (a refused change: `403` with the refusal's reason) and leave the log as it was.
//!
//! Reports: there is no report endpoint on the server yet (managers' reports run on the
//! devices over what they pulled), so the read cells cover what a report could show.

use crate::support::*;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ChangeEnvelope, PullItem, Role as UserRole};
use fieldbook_core::value::Value;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
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
const OPS: [Op; 6] = [
    Op::Read,
    Op::Create,
    Op::Edit,
    Op::Delete,
    Op::Reassign,
    Op::Admin,
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
    (Role::Manager, Op::Read, [Y, Y, H, Y, Y, Y]),
    (Role::Manager, Op::Create, [Y, Y, F, F, F, F]),
    (Role::Manager, Op::Edit, [Y, Y, F, Y, F, F]),
    (Role::Manager, Op::Delete, [Y, Y, F, Y, F, F]),
    // A product is not an account: 400 for those who may reassign.
    (Role::Manager, Op::Reassign, [Y, Y, F, F, F, N(400)]),
    (Role::Manager, Op::Admin, [Y, Y, F, F, F, Y]),
    (Role::Admin, Op::Read, [Y; 6]),
    (Role::Admin, Op::Create, [Y; 6]),
    (Role::Admin, Op::Edit, [Y; 6]),
    (Role::Admin, Op::Delete, [Y; 6]),
    (Role::Admin, Op::Reassign, [Y, Y, Y, Y, Y, N(400)]),
    (Role::Admin, Op::Admin, [Y; 6]),
    (Role::Deactivated, Op::Read, GONE),
    (Role::Deactivated, Op::Create, GONE),
    (Role::Deactivated, Op::Edit, GONE),
    (Role::Deactivated, Op::Delete, GONE),
    (Role::Deactivated, Op::Reassign, GONE),
    (Role::Deactivated, Op::Admin, GONE),
    (Role::Revoked, Op::Read, NO),
    (Role::Revoked, Op::Create, NO),
    (Role::Revoked, Op::Edit, NO),
    (Role::Revoked, Op::Delete, NO),
    (Role::Revoked, Op::Reassign, NO),
    (Role::Revoked, Op::Admin, NO),
    (Role::NoToken, Op::Read, NO),
    (Role::NoToken, Op::Create, NO),
    (Role::NoToken, Op::Edit, NO),
    (Role::NoToken, Op::Delete, NO),
    (Role::NoToken, Op::Reassign, NO),
    (Role::NoToken, Op::Admin, NO),
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
    target: Doc,
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
    let account = if known.kind == Kind::Account {
        known.account
    } else {
        None
    };
    if let Some(a) = account
        && assigned_accounts.contains(&(me.to_string(), a))
    {
        return Rel::CaseAccount;
    }
    Rel::OtherTeam
}

fn case_on(user: &str, account: Uuid, assignee: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(
        Kind::Case,
        user,
        &[
            ("account_id", Value::Ref(Kind::Account, account)),
            ("subject", text("Pump leaks")),
            ("priority", text("low")),
            ("status", text("new")),
            ("assignee", text(assignee)),
        ],
    )
}

fn product(sku: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(
        Kind::Product,
        "root",
        &[("sku", text(sku)), ("name", text("Pump"))],
    )
}

/// The field an edit writes, per kind.
fn edit_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Account => "industry",
        Kind::Case => "description",
        Kind::Product => "name",
        _ => "title",
    }
}

struct World {
    s: TestServer,
    /// Active devices by user (the owners push the fixtures with them).
    devices: BTreeMap<&'static str, Client>,
    /// The device each role acts with (`NoToken`: a client without a token).
    actors: BTreeMap<Role, Client>,
    fixtures: BTreeMap<(Role, Rel, Op), Fixture>,
    known: BTreeMap<Uuid, Known>,
    /// (assignee, account) of every case.
    assigned_accounts: BTreeSet<(String, Uuid)>,
}

async fn world() -> World {
    let s = TestServer::start().await;
    s.user("root", UserRole::Admin, None);
    s.user("mia", UserRole::Manager, None);
    s.team("east", "mia");
    s.user("walt", UserRole::Manager, None);
    s.team("west", "walt");
    for rep in ["alice", "bob", "dave", "rita"] {
        s.user(rep, UserRole::Rep, Some("east"));
    }
    for rep in ["wes", "wendy"] {
        s.user(rep, UserRole::Rep, Some("west"));
    }
    let mut devices = BTreeMap::new();
    for u in ["root", "mia", "alice", "bob", "dave", "rita", "wes"] {
        devices.insert(u, s.login(u).await);
    }
    let mut w = World {
        s,
        devices,
        actors: BTreeMap::new(),
        fixtures: BTreeMap::new(),
        known: BTreeMap::new(),
        assigned_accounts: BTreeSet::new(),
    };
    // Every cell's records, pushed by their owners.
    let roles = [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
        Role::NoToken,
    ];
    let mut pushes: BTreeMap<&str, Vec<ChangeEnvelope>> = BTreeMap::new();
    for role in roles {
        for rel in RELS {
            for op in OPS {
                let me = user_of(role);
                let name = format!("{role:?} {rel:?} {op:?}");
                let fixture = match rel {
                    Rel::Product => {
                        let (d, e) = product(&name.replace(' ', "-"));
                        pushes.entry("root").or_default().push(e);
                        w.know(&d, None, None, None);
                        Fixture {
                            target: d,
                            account: None,
                        }
                    }
                    Rel::Assigned | Rel::CaseAccount => {
                        let (a, ae) = account("wes", &name);
                        let (c, ce) = case_on("wes", a.id(), me);
                        pushes.entry("wes").or_default().extend([ae, ce]);
                        w.know(&a, Some("wes"), Some(a.id()), None);
                        w.know(&c, Some("wes"), Some(a.id()), Some(me));
                        w.assigned_accounts.insert((me.to_string(), a.id()));
                        let account = Some(a.id());
                        if rel == Rel::Assigned {
                            Fixture { target: c, account }
                        } else {
                            Fixture { target: a, account }
                        }
                    }
                    _ => {
                        let owner = owner_for(role, rel).unwrap();
                        let (a, e) = account(owner, &name);
                        pushes.entry(owner).or_default().push(e);
                        w.know(&a, Some(owner), Some(a.id()), None);
                        let id = a.id();
                        Fixture {
                            target: a,
                            account: Some(id),
                        }
                    }
                };
                w.fixtures.insert((role, rel, op), fixture);
            }
        }
    }
    for (user, changes) in pushes {
        let n = changes.len() as u64;
        let (status, r) = w.devices[user].push(changes).await;
        assert_eq!((status, r.accepted), (200, n), "{user}: {:?}", r.refused);
    }
    // The actors.
    for role in [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
    ] {
        w.actors.insert(role, w.s.login(user_of(role)).await);
    }
    let mut none = w.s.login("alice").await;
    none.token = String::new();
    w.actors.insert(Role::NoToken, none);
    // Dave leaves (his records go to alice); rita's device is revoked.
    let root = &w.devices["root"];
    let (status, body) = root
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "dave", "successor": "alice"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for k in w.known.values_mut() {
        if k.owner.as_deref() == Some("dave") {
            k.owner = Some("alice".into());
        }
    }
    let rita = w.actors[&Role::Revoked].device_id;
    let (status, body) = root.post(&format!("/v1/devices/{rita}/revoke"), &()).await;
    assert_eq!(status, 200, "{body}");
    w
}

impl World {
    fn know(
        &mut self,
        d: &Doc,
        owner: Option<&str>,
        account: Option<Uuid>,
        assignee: Option<&str>,
    ) {
        self.known.insert(
            d.id(),
            Known {
                kind: d.doc.kind(),
                owner: owner.map(String::from),
                account,
                assignee: assignee.map(String::from),
            },
        );
    }
}

/// A request as `actor` (no `authorization` header when it has no token).
async fn send(
    actor: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<&Json>,
) -> (u16, Json) {
    let mut req = actor
        .http
        .request(method, format!("{}{path}", actor.base))
        .header(fieldbook_core::protocol::PROTOCOL_HEADER, "1");
    if !actor.token.is_empty() {
        req = req.bearer_auth(&actor.token);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    answer(req.send().await.unwrap()).await
}

async fn push(actor: &Client, change: ChangeEnvelope) -> (u16, Json) {
    let body = json!({"protocol": 1, "changes": [change], "pending": 1});
    send(actor, reqwest::Method::POST, "/v1/push", Some(&body)).await
}

/// Checks a denial: the status, and a body saying why.
fn denied(cell: &str, want: u16, status: u16, body: &Json) {
    assert_eq!(status, want, "{cell}: {body}");
    let why = if status == 403 && body["refused"].is_array() {
        body["refused"][0]["reason"].as_str()
    } else {
        body["message"].as_str()
    };
    assert!(
        why.is_some_and(|m| m.len() > 10),
        "{cell}: a denial without a message: {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_relation_and_operation_answers_as_the_table_says() {
    let mut w = world().await;
    let mut cells = 0;

    // Read: a fresh pull of each actor, checked over every record of the world.
    for role in [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
        Role::NoToken,
    ] {
        let actor = &w.actors[&role];
        let body = json!({"protocol": 1, "cursor": 0, "pending": 0});
        let mut seen = BTreeSet::new();
        let mut cursor = body;
        loop {
            let (status, page) =
                send(actor, reqwest::Method::POST, "/v1/pull", Some(&cursor)).await;
            if status != 200 {
                for rel in RELS {
                    let want = expected(role, Op::Read, rel);
                    let N(code) = want else {
                        panic!("{role:?} {rel:?} read: expected {want:?}, got {status} {page}")
                    };
                    denied(&format!("{role:?} {rel:?} read"), code, status, &page);
                    cells += 1;
                }
                break;
            }
            let page: fieldbook_core::protocol::PullResponse =
                serde_json::from_value(page).unwrap();
            for item in &page.items {
                if let PullItem::Snapshot { doc_id, .. } | PullItem::Changes { doc_id, .. } = item {
                    seen.insert(*doc_id);
                }
            }
            if !page.more {
                let mut by_rel: BTreeMap<Rel, (usize, usize)> = BTreeMap::new();
                for (id, known) in &w.known {
                    let rel = relation(role, known, &w.assigned_accounts);
                    let want = expected(role, Op::Read, rel);
                    let got = seen.contains(id);
                    assert_eq!(
                        got,
                        want == Y,
                        "{role:?} {rel:?} read of {id} ({:?} of {:?}): expected {want:?}",
                        known.kind,
                        known.owner
                    );
                    let e = by_rel.entry(rel).or_default();
                    e.0 += 1;
                    e.1 += usize::from(got);
                }
                // Nothing outside the world reached it (0 leaks) and every relation was tried.
                assert!(
                    seen.iter().all(|id| w.known.contains_key(id)),
                    "{role:?}: unknown records"
                );
                assert_eq!(by_rel.len(), RELS.len(), "{role:?}: {by_rel:?}");
                cells += RELS.len();
                break;
            }
            cursor = json!({"protocol": 1, "cursor": page.cursor, "snapshot_after": page.snapshot_after, "pending": 0});
        }
    }

    // Writes and administrative reads, one cell at a time, each on its own records.
    let keys: Vec<_> = w
        .fixtures
        .keys()
        .copied()
        .filter(|(_, _, op)| *op != Op::Read)
        .collect();
    for (role, rel, op) in keys {
        let cell = format!("{role:?} {rel:?} {op:?}");
        let want = expected(role, op, rel);
        let me = user_of(role);
        let before = w.s.log_len();
        let fixture = w.fixtures.get_mut(&(role, rel, op)).unwrap();
        let actor = &w.actors[&role];
        let (status, body) = match op {
            Op::Create => {
                let change = match rel {
                    Rel::Own => account(me, "New").1,
                    Rel::Product => {
                        let sku = format!("new-{role:?}");
                        Doc::create(Kind::Product, me, &[("sku", text(&sku))]).1
                    }
                    Rel::Assigned => case_on(me, fixture.account.unwrap(), me).1,
                    _ => contact(me, fixture.account.unwrap(), "New contact").1,
                };
                push(actor, change).await
            }
            Op::Edit | Op::Delete => {
                let mut mine = fixture.target.fork(me);
                let change = if op == Op::Edit {
                    mine.set(edit_field(mine.doc.kind()), text("changed"))
                } else {
                    mine.doc.set_deleted(true).unwrap();
                    mine.commit()
                };
                push(actor, change).await
            }
            Op::Reassign => {
                let account = fixture.account.unwrap_or(fixture.target.id());
                let from = owner_for(role, rel).map(|o| if o == "dave" { "alice" } else { o });
                // Someone the requester could give to, where there is one.
                let to = match rel {
                    Rel::Own if me == "alice" => "bob",
                    Rel::Own | Rel::SameTeam | Rel::Product => "alice",
                    _ => "wendy",
                };
                let body = json!({"from": from, "to": to, "accounts": [account]});
                send(
                    actor,
                    reqwest::Method::POST,
                    "/v1/admin/reassign",
                    Some(&body),
                )
                .await
            }
            Op::Admin => {
                let path = match owner_for(role, rel) {
                    Some(o) => format!("/v1/admin/devices?user={o}"),
                    None => "/v1/admin/devices".into(),
                };
                send(actor, reqwest::Method::GET, &path, None).await
            }
            Op::Read => unreachable!(),
        };
        match want {
            Y => {
                assert!(
                    (200..300).contains(&status),
                    "{cell}: expected success, got {status} {body}"
                );
                if matches!(op, Op::Create | Op::Edit | Op::Delete) {
                    assert_eq!(body["accepted"], 1, "{cell}: {body}");
                    assert!(w.s.log_len() > before, "{cell}: nothing logged");
                }
                if op == Op::Reassign {
                    assert!(body["records"].as_u64().unwrap() >= 1, "{cell}: {body}");
                }
            }
            N(code) => {
                denied(&cell, code, status, &body);
                assert_eq!(
                    w.s.log_len(),
                    before,
                    "{cell}: a denied request changed the log"
                );
            }
            H => unreachable!("{cell}: H is for reads"),
        }
        cells += 1;
    }
    assert_eq!(cells, 6 * RELS.len() * OPS.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrative_commands_answer_each_role_as_the_table_says() {
    let s = TestServer::start().await;
    s.user("root", UserRole::Admin, None);
    s.user("mia", UserRole::Manager, None);
    s.team("east", "mia");
    for rep in ["alice", "bob", "dave", "rita"] {
        s.user(rep, UserRole::Rep, Some("east"));
    }
    let roles = [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
        Role::NoToken,
    ];
    // Per role: a team member to deactivate, and a device of bob's to revoke.
    let mut bobs = BTreeMap::new();
    for role in roles {
        s.user(
            &format!("temp_{role:?}").to_lowercase(),
            UserRole::Rep,
            Some("east"),
        );
        bobs.insert(role, s.login("bob").await);
    }
    let mut actors = BTreeMap::new();
    for role in [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
    ] {
        actors.insert(role, s.login(user_of(role)).await);
    }
    let mut none = s.login("alice").await;
    none.token = String::new();
    actors.insert(Role::NoToken, none);
    let root = s.login("root").await;
    let (status, body) = root
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "dave", "successor": "alice"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rita = actors[&Role::Revoked].device_id;
    assert_eq!(
        root.post(&format!("/v1/devices/{rita}/revoke"), &())
            .await
            .0,
        200
    );

    let mut cells = 0;
    for (role, row) in ADMIN_COMMANDS {
        let actor = &actors[role];
        let temp = format!("temp_{role:?}").to_lowercase();
        let new = format!("new_{role:?}").to_lowercase();
        let bob = &bobs[role];
        for (i, want) in row.iter().enumerate() {
            let get = reqwest::Method::GET;
            let post = reqwest::Method::POST;
            let (name, (status, body)) = match i {
                0 => (
                    "list users",
                    send(actor, get, "/v1/admin/users", None).await,
                ),
                1 => {
                    let b =
                        json!({"name": new, "role": "rep", "team": "east", "password": PASSWORD});
                    (
                        "add a user",
                        send(actor, post, "/v1/admin/users", Some(&b)).await,
                    )
                }
                2 => (
                    "unlock",
                    send(actor, post, "/v1/admin/users/bob/unlock", None).await,
                ),
                3 => (
                    "quarantine",
                    send(actor, get, "/v1/admin/quarantine", None).await,
                ),
                4 => {
                    let b = json!({"user": temp, "successor": "bob"});
                    (
                        "deactivate",
                        send(actor, post, "/v1/admin/deactivate", Some(&b)).await,
                    )
                }
                5 => {
                    let path = format!("/v1/devices/{}/revoke", bob.device_id);
                    ("revoke a device", send(actor, post, &path, None).await)
                }
                _ => ("own devices", send(actor, get, "/v1/devices", None).await),
            };
            let cell = format!("{role:?} {name}");
            match want {
                Y => assert_eq!(status, 200, "{cell}: {body}"),
                N(code) if (200..300).contains(code) => assert_eq!(status, *code, "{cell}: {body}"),
                N(code) => {
                    denied(&cell, *code, status, &body);
                    // And nothing happened.
                    let users = s
                        .service
                        .users(&fieldbook_server::access::Requester::Operator)
                        .unwrap();
                    match i {
                        1 => assert!(users.iter().all(|u| u.name != new), "{cell}"),
                        4 => assert!(users.iter().any(|u| u.name == temp && u.active), "{cell}"),
                        5 => assert_eq!(bob.get("/v1/me").await.0, 200, "{cell}"),
                        _ => {}
                    }
                }
                H => unreachable!(),
            }
            cells += 1;
        }
    }
    assert_eq!(cells, 6 * 7);
}
