//! Issue 8 on real processes: a real `fieldbook-server`, real stores, the real CLI. A rep's
//! offline work on an account reassigned meanwhile reaches the new owner with her name on
//! it; refused changes are dealt with from a manager's device; a server restored from a
//! backup loses nothing any device held. Hostile writes go over raw HTTP.

use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{ChangeEnvelope, PROTOCOL_VERSION, PullRequest, PushRequest};
use fieldbook_core::schema;
use fieldbook_core::value::Value as FieldValue;
use fieldbook_tests::{Backend, Fb, Server};
use reqwest::blocking::Client;
use serde_json::Value;

/// Team east: manager mia, reps alice, bob and dan; an admin ada.
fn company() -> Server {
    company_on(Backend::Sqlite)
}

fn company_on(backend: Backend) -> Server {
    let s = Server::start_on(backend);
    s.user("ada", "admin", None);
    s.user("mia", "manager", None);
    s.admin(&["team", "add", "east", "--manager", "mia"]);
    for rep in ["alice", "bob", "dan"] {
        s.user(rep, "rep", Some("east"));
    }
    s
}

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

/// A value of the store's `meta` table (the device's token, its cursor).
fn meta(fb: &Fb, key: &str) -> String {
    crate::raw::db(fb)
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .unwrap()
}

/// A record's document as a store holds it.
fn doc_of(fb: &Fb, id: &str) -> RecordDoc {
    let bytes: Vec<u8> = crate::raw::db(fb)
        .query_row("SELECT data FROM docs WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    RecordDoc::load(&bytes, &automerge::ActorId::random()).unwrap()
}

fn post(server: &Server, token: &str, path: &str, body: Value) -> (u16, Value) {
    let resp = Client::new()
        .post(format!("{}{path}", server.url))
        .header("fieldbook-protocol", PROTOCOL_VERSION.to_string())
        .bearer_auth(token)
        .json(&body)
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

fn history_entry<'a>(history: &'a Value, field: &str) -> &'a Value {
    history
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {history}"))
}

#[test]
fn an_account_reassigned_while_its_rep_works_offline_keeps_her_work() {
    let server = company();
    let alice = device(&server, "alice");
    let dan = device(&server, "dan");
    let mia = device(&server, "mia");
    let acme = alice.new_record("account", &["name=Acme"]);
    alice.sync();
    mia.sync();
    // Her device is told when the server received what she pushed.
    let history = alice.json(&["history", &acme]);
    assert!(
        history_entry(&history, "name")["received_at"].is_string(),
        "{history}"
    );

    // Alice, offline: a contact, and the city.
    let carl = alice.new_record("contact", &[&format!("account_id={acme}"), "name=Carl"]);
    alice.ok(&["set", &acme, "city=Lyon"]);
    // Meanwhile her manager gives the account to dan.
    let moved = mia.json(&["reassign", &acme, "--to", "dan"]);
    assert_eq!(moved["accounts"], 1, "{moved}");

    // Alice syncs: nothing refused; the account and her contact leave her device.
    let report = alice.sync();
    assert_eq!(report["pushed"], 2, "{report}");
    assert_eq!(report["refused"], serde_json::json!([]), "{report}");
    assert!(alice.names("account").is_empty());
    assert!(alice.names("contact").is_empty(), "no orphan contact");
    assert!(
        alice.json(&["status"])["refused"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Dan and the manager have both edits, by alice, received by the server.
    dan.sync();
    mia.sync();
    for fb in [&dan, &mia] {
        let acc = fb.json(&["show", &acme]);
        assert_eq!(
            (acc["city"].as_str(), acc["owner"].as_str()),
            (Some("Lyon"), Some("dan"))
        );
        let contact = fb.json(&["show", &carl]);
        assert_eq!(
            (contact["created_by"].as_str(), contact["owner"].as_str()),
            (Some("alice"), Some("dan"))
        );
        let history = fb.json(&["history", &acme]);
        assert_eq!(history_entry(&history, "city")["by"], "alice", "{history}");
    }
    // The manager, who held the account, received the edit as a change, with the time the
    // server received it (dan received the account whole: a snapshot carries no receipts).
    let history = mia.json(&["history", &acme]);
    assert!(
        history_entry(&history, "city")["received_at"].is_string(),
        "{history}"
    );
    let text = mia.ok(&["history", &acme]);
    assert!(text.contains("received by the server at"), "{text}");

    // Alice now knows: a later edit of hers, sent by hand with her token, is refused.
    let token = meta(&alice, "token");
    let cursor: u64 = meta(&alice, "cursor").parse().unwrap();
    let pull = PullRequest {
        protocol: PROTOCOL_VERSION,
        cursor,
        snapshot_after: None,
        limit: None,
        pending: 0,
        log_id: None,
    };
    let (status, page) = post(
        &server,
        &token,
        "/v1/pull",
        serde_json::to_value(pull).unwrap(),
    );
    assert_eq!(status, 200, "{page}");
    let mut copy = doc_of(&dan, &acme);
    let spec = schema::field(Kind::Account, "phone").unwrap();
    copy.set(spec, Some(FieldValue::Str("555".into()))).unwrap();
    let bytes = copy.commit(&Author::now("alice")).unwrap().unwrap();
    let push = PushRequest {
        protocol: PROTOCOL_VERSION,
        changes: vec![ChangeEnvelope {
            doc_id: uuid::Uuid::parse_str(&acme).unwrap(),
            kind: Kind::Account,
            bytes,
        }],
        pending: 1,
        log_id: None,
    };
    let (status, body) = post(
        &server,
        &token,
        "/v1/push",
        serde_json::to_value(push).unwrap(),
    );
    assert_eq!(status, 403, "{body}");
    assert!(
        body["refused"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("dan owns"),
        "{body}"
    );
    dan.sync();
    assert_eq!(dan.json(&["show", &acme])["phone"], Value::Null);
}

#[test]
fn refused_changes_are_reviewed_and_dealt_with_from_a_device() {
    let server = company();
    let alice = Fb::init("alice");
    // Made before her first sign-in: the store did not know she is a rep.
    let pump = alice.new_record("product", &["sku=P-1", "name=Pump", "unit_price=10"]);
    alice.login(&server);
    let report = alice.sync();
    assert_eq!(report["refused"].as_array().unwrap().len(), 1, "{report}");
    let bob = device(&server, "bob");
    let mia = device(&server, "mia");
    let ada = device(&server, "ada");

    // Reps review nothing; managers see their team's refusals.
    let (code, err) = bob.fails(&["quarantine", "list"]);
    assert_eq!(code, 2, "{err}");
    let listed = mia.json(&["quarantine", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let id = listed[0]["id"].as_i64().unwrap().to_string();
    let shown = mia.json(&["quarantine", "show", &id]);
    assert_eq!(shown["author"], "alice");
    assert!(
        shown["writes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["field"] == "sku"),
        "{shown}"
    );
    let text = mia.ok(&["quarantine", "show", &id]);
    assert!(
        text.contains("product catalogue") && text.contains("sku"),
        "{text}"
    );
    // A manager may not add to the catalogue either; the admin may.
    let (code, err) = mia.fails(&["quarantine", "apply", &id]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("still refused"), "{err}");
    let done = ada.json(&["quarantine", "apply", &id]);
    assert_eq!(done["entry"]["state"], "applied", "{done}");
    assert_eq!(done["entry"]["decided_by"], "ada");
    assert!(
        mia.ok(&["quarantine", "list"])
            .contains("No refused change waits"),
        "nothing left"
    );
    // Everyone has the product now; alice's device learns her refusal was dealt with.
    bob.sync();
    assert_eq!(bob.names("product"), ["Pump"]);
    let text = alice.ok(&["sync"]);
    assert!(text.contains("dealt with"), "{text}");
    assert!(
        alice.json(&["status"])["refused"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Discarded: it stays discarded, and is listed with --all.
    let bob_raw = meta(&bob, "token");
    let mut copy = doc_of(&alice, &pump);
    let spec = schema::field(Kind::Product, "unit_price").unwrap();
    copy.set(spec, Some(FieldValue::Str("1".into()))).unwrap();
    let bytes = copy.commit(&Author::now("bob")).unwrap().unwrap();
    let push = PushRequest {
        protocol: PROTOCOL_VERSION,
        changes: vec![ChangeEnvelope {
            doc_id: uuid::Uuid::parse_str(&pump).unwrap(),
            kind: Kind::Product,
            bytes,
        }],
        pending: 1,
        log_id: None,
    };
    let push = serde_json::to_value(push).unwrap();
    assert_eq!(post(&server, &bob_raw, "/v1/push", push).0, 403);
    let listed = ada.json(&["quarantine", "list"]);
    let id = listed[0]["id"].as_i64().unwrap().to_string();
    let done = ada.json(&["quarantine", "discard", &id]);
    assert_eq!(done["entry"]["state"], "discarded");
    let all = ada.json(&["quarantine", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    let (code, err) = ada.fails(&["quarantine", "apply", &id]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("discarded"), "{err}");
    // The operator's view: the same entries.
    let out = server.admin(&["quarantine", "list", "--all"]);
    assert!(
        out.contains("applied by ada") && out.contains("discarded by ada"),
        "{out}"
    );
}

fn a_server_restored_from_a_backup_loses_nothing_any_device_held(backend: Backend) {
    let mut server = company_on(backend);
    let alice = device(&server, "alice");
    let bob = device(&server, "bob");
    let mia = device(&server, "mia");
    let acme = alice.new_record("account", &["name=Acme"]);
    let bobs = bob.new_record("account", &["name=Bob Co"]);
    alice.sync();
    bob.sync();
    mia.sync();
    let backup = server.dir.path().join("backup.db");
    let out = server.admin(&["backup", "--out", backup.to_str().unwrap()]);
    assert!(out.contains("restore --from"), "{out}");

    // After the backup: a new account and an edit by alice, an edit by bob.
    let later = alice.new_record("account", &["name=After the backup"]);
    alice.ok(&["set", &acme, "city=Lyon"]);
    alice.sync();
    bob.ok(&["set", &bobs, "city=Oslo"]);
    bob.sync();
    mia.sync();

    // The server is restored from the backup (stopped first: refused while it serves).
    let out = server.admin_output(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "refused while served");
    server.kill();
    server.admin(&["restore", "--from", backup.to_str().unwrap()]);
    server.restart();

    // Every device syncs, with no one signing in again; bob first moves the log on.
    let report = bob.sync();
    assert!(report["reconciled"].is_object(), "{report}");
    let report = alice.sync();
    assert!(report["reconciled"].is_object(), "{report}");
    assert!(
        report["reconciled"]["changes_sent_again"].as_u64().unwrap() >= 2,
        "{report}"
    );
    let report = mia.sync();
    assert!(report["reconciled"].is_object(), "{report}");
    for fb in [&alice, &bob, &mia] {
        fb.sync();
    }
    // Nothing lost: on the server (a new device sees it) and on every device.
    let fresh = device(&server, "mia");
    fresh.sync();
    for fb in [&mia, &fresh] {
        assert_eq!(fb.names("account"), ["Acme", "After the backup", "Bob Co"]);
        assert_eq!(fb.json(&["show", &acme])["city"], "Lyon");
        assert_eq!(fb.json(&["show", &bobs])["city"], "Oslo");
    }
    assert_eq!(alice.names("account"), ["Acme", "After the backup"]);
    assert_eq!(alice.json(&["show", &acme])["city"], "Lyon");
    assert_eq!(bob.json(&["show", &bobs])["city"], "Oslo");
    for fb in [&alice, &bob, &mia] {
        let st = fb.json(&["status"]);
        assert_eq!(st["pending"], 0, "{st}");
        assert!(st["refused"].as_array().unwrap().is_empty(), "{st}");
    }
    // Later edits reach everyone.
    alice.ok(&["set", &later, "phone=+33 1"]);
    bob.ok(&["set", &bobs, "phone=+47 2"]);
    alice.sync();
    bob.sync();
    mia.sync();
    fresh.sync();
    for fb in [&mia, &fresh] {
        assert_eq!(fb.json(&["show", &later])["phone"], "+33 1");
        assert_eq!(fb.json(&["show", &bobs])["phone"], "+47 2");
    }
}

on_both_backends!(a_server_restored_from_a_backup_loses_nothing_any_device_held);
