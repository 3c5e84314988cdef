//! Bad input at the server, over raw HTTP: malformed bodies, unknown protocol versions,
//! oversized pages, invalid Automerge bytes, bad and revoked tokens, writes to another
//! rep's records, a rep changing an owner. Each gets a clear 4xx with a message; the server
//! keeps serving; nothing is stored but the quarantine.

use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{ChangeEnvelope, LoginResponse, PROTOCOL_VERSION, PushRequest};
use fieldbook_core::schema;
use fieldbook_core::value::{self, Value as FieldValue};
use fieldbook_tests::{Fb, PASSWORD, Server};
use reqwest::blocking::{Client, Response};
use serde_json::{Value, json};

fn login(http: &Client, server: &Server, user: &str) -> String {
    let r: LoginResponse = http
        .post(format!("{}/v1/login", server.url))
        .header("fieldbook-protocol", "1")
        .json(&json!({"user": user, "password": PASSWORD, "device_name": "test"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    r.token
}

fn push(http: &Client, server: &Server, token: &str, body: &Value) -> Response {
    http.post(format!("{}/v1/push", server.url))
        .header("fieldbook-protocol", "1")
        .bearer_auth(token)
        .json(body)
        .send()
        .unwrap()
}

/// Status and error body; the message must say something.
fn refused(resp: Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().unwrap_or(Value::Null);
    (status, body)
}

fn new_account(name: &str) -> (uuid::Uuid, Vec<u8>, RecordDoc) {
    let spec = schema::field(Kind::Account, "name").unwrap();
    let v = value::parse(spec, name, time::OffsetDateTime::now_utc())
        .unwrap()
        .unwrap();
    let id = uuid::Uuid::now_v7();
    let author = Author::now("alice");
    let mut doc = RecordDoc::create(
        Kind::Account,
        id,
        &automerge::ActorId::random(),
        &author,
        &[(spec, v)],
    )
    .unwrap();
    let change = doc.commit(&author).unwrap().unwrap();
    (id, change, doc)
}

fn envelope(id: uuid::Uuid, bytes: Vec<u8>) -> ChangeEnvelope {
    ChangeEnvelope {
        doc_id: id,
        kind: Kind::Account,
        bytes,
    }
}

#[test]
fn f_bad_input_gets_a_clear_4xx_and_the_server_keeps_serving() {
    let server = Server::start();
    server.user("alice", "rep", None);
    server.user("bob", "rep", None);
    server.user("ada", "admin", None);
    let http = Client::new();
    let alice = login(&http, &server, "alice");

    // Bob has an account on the server.
    let bob = Fb::init("bob");
    bob.login(&server);
    let bobs = bob.new_record("account", &["name=Bob's customer"]);
    bob.sync();

    let ok_body = |changes: Vec<ChangeEnvelope>| {
        serde_json::to_value(PushRequest {
            protocol: PROTOCOL_VERSION,
            changes,
            pending: 0,
            log_id: None,
        })
        .unwrap()
    };
    let mut cases: Vec<(&str, Response)> = Vec::new();
    // Malformed body.
    cases.push((
        "malformed",
        http.post(format!("{}/v1/push", server.url))
            .header("fieldbook-protocol", "1")
            .bearer_auth(&alice)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .unwrap(),
    ));
    // Unknown protocol version, and none at all.
    cases.push((
        "protocol 99",
        http.post(format!("{}/v1/pull", server.url))
            .header("fieldbook-protocol", "99")
            .bearer_auth(&alice)
            .json(&json!({"protocol": 99, "cursor": 0, "snapshot_after": null, "limit": null, "pending": 0}))
            .send()
            .unwrap(),
    ));
    cases.push((
        "no protocol",
        http.post(format!("{}/v1/pull", server.url))
            .bearer_auth(&alice)
            .json(&json!({"protocol": 1, "cursor": 0, "snapshot_after": null, "limit": null, "pending": 0}))
            .send()
            .unwrap(),
    ));
    // Too many changes in one page.
    let (id, change, _) = new_account("Too many");
    let many: Vec<ChangeEnvelope> = (0..1001).map(|_| envelope(id, change.clone())).collect();
    cases.push(("oversized", push(&http, &server, &alice, &ok_body(many))));
    // A body over the size limit.
    let huge = json!({"protocol": 1, "pending": 0, "changes": [{"doc_id": id, "kind": "account", "bytes": "A".repeat(9 << 20)}]});
    cases.push(("huge", push(&http, &server, &alice, &huge)));
    // Bad and unknown tokens.
    cases.push((
        "bad token",
        push(&http, &server, "not-a-token", &ok_body(vec![])),
    ));
    for (what, resp) in cases {
        let (status, body) = refused(resp);
        assert!((400..500).contains(&status), "{what}: {status} {body}");
        if status != 413 || body.is_object() {
            assert!(
                body["message"].as_str().is_some_and(|m| m.len() > 10),
                "{what}: no helpful message: {body}"
            );
        }
    }

    // Invalid Automerge bytes, a write to bob's account, and a change of `owner`: refused,
    // quarantined, reported.
    let (garbage_id, _, _) = new_account("x");
    let r = refused(push(
        &http,
        &server,
        &alice,
        &ok_body(vec![envelope(garbage_id, b"not automerge".to_vec())]),
    ));
    assert!((400..500).contains(&r.0), "{r:?}");
    let bob_doc = uuid::Uuid::parse_str(&bobs).unwrap();
    let bytes: Vec<u8> = crate::raw::db(&bob)
        .query_row("SELECT data FROM docs WHERE id = ?1", [&bobs], |r| r.get(0))
        .unwrap();
    let mut bobs_copy = RecordDoc::load(&bytes, &automerge::ActorId::random()).unwrap();
    let spec = schema::field(Kind::Account, "name").unwrap();
    bobs_copy
        .set(spec, Some(FieldValue::Str("Hijacked".into())))
        .unwrap();
    let hijack = bobs_copy.commit(&Author::now("alice")).unwrap().unwrap();
    let r = refused(push(
        &http,
        &server,
        &alice,
        &ok_body(vec![envelope(bob_doc, hijack)]),
    ));
    assert_eq!(r.0, 403, "{r:?}");
    let (mine, create, mut doc) = new_account("Alice's own");
    let r = refused(push(
        &http,
        &server,
        &alice,
        &ok_body(vec![envelope(mine, create)]),
    ));
    assert_eq!(r.0, 200, "{r:?}");
    automerge::transaction::Transactable::put(doc.automerge(), automerge::ROOT, "owner", "alice")
        .unwrap();
    let owner_change = doc.commit(&Author::now("alice")).unwrap().unwrap();
    let r = refused(push(
        &http,
        &server,
        &alice,
        &ok_body(vec![envelope(mine, owner_change)]),
    ));
    assert_eq!(r.0, 403, "{r:?}");
    assert!(
        r.1["refused"][0]["reason"]
            .as_str()
            .is_some_and(|m| m.contains("owner")),
        "{r:?}"
    );

    let quarantine: Value =
        serde_json::from_str(&server.admin(&["quarantine", "list", "--json"])).unwrap();
    assert!(
        quarantine.as_array().is_some_and(|q| q.len() >= 2),
        "{quarantine}"
    );

    // A revoked token is refused at once.
    let status = http
        .post(format!("{}/v1/logout", server.url))
        .header("fieldbook-protocol", "1")
        .bearer_auth(&alice)
        .send()
        .unwrap()
        .status();
    assert!(status.is_success());
    let (status, _) = refused(push(&http, &server, &alice, &ok_body(vec![])));
    assert_eq!(status, 401);

    // The server still serves, and holds only what was accepted.
    let ada = Fb::init("ada");
    ada.login(&server);
    ada.sync();
    assert_eq!(ada.names("account"), ["Alice's own", "Bob's customer"]);
    assert_eq!(ada.json(&["show", &bobs])["name"], "Bob's customer");
    assert!(
        http.get(format!("{}/health", server.url))
            .send()
            .unwrap()
            .status()
            .is_success()
    );
}
