//! The matrix's world: the users and teams, every cell's records made by their owners'
//! devices, the actors' devices (dave deactivated, rita's device revoked, a client without a
//! token), what the test knows of each record, and the requests the cells send.

use super::*;
use crate::support::*;
use fieldbook_core::protocol::{ChangeEnvelope, PullItem, PullResponse, Role as UserRole};
use fieldbook_core::value::Value;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

pub(super) fn case_on(user: &str, account: Uuid, assignee: &str) -> (Doc, ChangeEnvelope) {
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

pub(super) fn product(sku: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(
        Kind::Product,
        "root",
        &[("sku", text(sku)), ("name", text("Pump"))],
    )
}

/// The field an edit writes, per kind.
pub(super) fn edit_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Account => "industry",
        Kind::Case => "description",
        Kind::Product => "name",
        _ => "title",
    }
}

pub(super) struct World {
    pub s: TestServer,
    /// Active devices by user (the owners push the fixtures with them).
    pub devices: BTreeMap<&'static str, Client>,
    /// The device each role acts with (`NoToken`: a client without a token).
    pub actors: BTreeMap<Role, Client>,
    pub fixtures: BTreeMap<(Role, Rel, Op), Fixture>,
    pub known: BTreeMap<Uuid, Known>,
    /// (assignee, account) of every case.
    pub assigned_accounts: BTreeSet<(String, Uuid)>,
}

pub(super) async fn world() -> World {
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
pub(super) async fn send(
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

pub(super) async fn push(actor: &Client, change: ChangeEnvelope) -> (u16, Json) {
    let body = json!({"protocol": 1, "changes": [change], "pending": 1});
    send(actor, reqwest::Method::POST, "/v1/push", Some(&body)).await
}

/// Checks a denial: the status, and a body saying why.
pub(super) fn denied(cell: &str, want: u16, status: u16, body: &Json) {
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

/// Pulls from `cursor` until caught up: the records items showed (snapshots and changes)
/// and the cursor after them, or the status and body of a refusal.
pub(super) async fn pull_from(
    actor: &Client,
    mut cursor: u64,
) -> Result<(BTreeSet<Uuid>, u64), (u16, Json)> {
    let mut seen = BTreeSet::new();
    let mut after: Option<Uuid> = None;
    for _ in 0..1000 {
        let body = json!({"protocol": 1, "cursor": cursor, "snapshot_after": after, "pending": 0});
        let (status, page) = send(actor, reqwest::Method::POST, "/v1/pull", Some(&body)).await;
        if status != 200 {
            return Err((status, page));
        }
        let page: PullResponse = serde_json::from_value(page).unwrap();
        for item in &page.items {
            if let PullItem::Snapshot { doc_id, .. } | PullItem::Changes { doc_id, .. } = item {
                seen.insert(*doc_id);
            }
        }
        (cursor, after) = (page.cursor, page.snapshot_after);
        if !page.more {
            return Ok((seen, cursor));
        }
    }
    panic!("a pull never caught up");
}

impl World {
    /// The records `role` may read now, by the table and what the world knows.
    pub(super) fn readable(&self, role: Role) -> BTreeSet<Uuid> {
        self.known
            .iter()
            .filter(|(_, k)| {
                expected(role, Op::Read, relation(role, k, &self.assigned_accounts)) == Exp::Y
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// Checks what `actor` pulls from scratch against the table: every record of the world
    /// it may read and nothing else (0 leaks), each relation tried. Returns the cells.
    pub(super) async fn check_reads(&self, role: Role, actor: &Client) -> usize {
        match pull_from(actor, 0).await {
            Err((status, body)) => {
                for rel in RELS {
                    let want = expected(role, Op::Read, rel);
                    let Exp::N(code) = want else {
                        panic!("{role:?} {rel:?} read: expected {want:?}, got {status} {body}")
                    };
                    denied(&format!("{role:?} {rel:?} read"), code, status, &body);
                }
            }
            Ok((seen, _)) => {
                let mut tried = BTreeSet::new();
                for (id, known) in &self.known {
                    let rel = relation(role, known, &self.assigned_accounts);
                    let want = expected(role, Op::Read, rel);
                    assert_eq!(
                        seen.contains(id),
                        want == Exp::Y,
                        "{role:?} {rel:?} read of {id} ({:?} of {:?}): expected {want:?}",
                        known.kind,
                        known.owner
                    );
                    tried.insert(rel);
                }
                let strangers: Vec<_> = seen
                    .iter()
                    .filter(|id| !self.known.contains_key(id))
                    .collect();
                assert!(
                    strangers.is_empty(),
                    "{role:?} pulled records nobody made: {strangers:?}"
                );
                assert_eq!(tried.len(), RELS.len(), "{role:?}: {tried:?}");
            }
        }
        RELS.len()
    }
}
