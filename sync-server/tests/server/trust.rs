//! The server believes nothing a device says about itself (issue 8): a change's author is
//! the user whose token pushed it, and every value a change writes passes the same rules as
//! a value typed on a device. Hostile clients are played over the raw HTTP API with crafted
//! changes; each refusal is a 403 with the reason, the change in quarantine, and nothing
//! changed on the server.

use crate::support::*;
use automerge::ROOT;
use automerge::transaction::Transactable;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{ChangeEnvelope, PullItem};
use fieldbook_core::schema;
use fieldbook_core::value::Value;
use serde_json::Value as Json;

/// The record as a fresh device of `user` receives it.
async fn record_seen_by(
    s: &TestServer,
    user: &str,
    id: uuid::Uuid,
) -> serde_json::Map<String, Json> {
    let mut device = s.login(user).await;
    device
        .pull_all()
        .await
        .into_iter()
        .find_map(|i| match i {
            PullItem::Snapshot { doc_id, record, .. } if doc_id == id => Some(record),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{user} does not receive {id}"))
}

/// Pushes one change that must be refused; returns the reason.
async fn refused(s: &TestServer, device: &Client, env: ChangeEnvelope) -> String {
    let log = s.log_len();
    let (status, resp) = device.push(vec![env]).await;
    assert_eq!(status, 403, "{resp:?}");
    assert_eq!((resp.accepted, resp.refused.len()), (0, 1), "{resp:?}");
    assert_eq!(s.log_len(), log, "nothing reaches the log");
    resp.refused[0].reason.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_signed_by_someone_else_is_refused_and_history_stays_evidence() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, env) = account("alice", "Acme");
    assert_eq!(alice.push(vec![env]).await.0, 200);

    // Mia may edit alice's account, but not in alice's name.
    let mia = s.login("mia").await;
    let mut forged = acme.fork("alice");
    let why = refused(&s, &mia, forged.set("phone", text("555"))).await;
    assert!(
        why.contains("signed by `alice`") && why.contains("pushed by mia"),
        "{why}"
    );
    // Signed by mia, but stamped as someone else's edit; or not stamped at all, leaving
    // alice named as the last author of mia's edit.
    let env = acme.fork("mia").craft("mia", |am| {
        am.put(ROOT, "phone", "556").unwrap();
        am.put(ROOT, "_updated_by", "zoe").unwrap();
    });
    let why = refused(&s, &mia, env).await;
    assert!(why.contains("stamps `zoe`"), "{why}");
    let env = acme.fork("mia").craft("mia", |am| {
        am.put(ROOT, "phone", "557").unwrap();
    });
    let why = refused(&s, &mia, env).await;
    assert!(
        why.contains("leaves `alice` as the record's last author"),
        "{why}"
    );
    // A record created in bob's name by alice.
    let mut doc = RecordDoc::create(
        Kind::Account,
        uuid::Uuid::now_v7(),
        &automerge::ActorId::random(),
        &Author::now("bob"),
        &[(
            schema::field(Kind::Account, "name").unwrap(),
            Value::Str("Bobs".into()),
        )],
    )
    .unwrap();
    let bytes = doc.commit(&Author::now("alice")).unwrap().unwrap();
    let env = ChangeEnvelope {
        doc_id: doc.id(),
        kind: Kind::Account,
        bytes,
    };
    let why = refused(&s, &alice, env).await;
    assert!(why.contains("stamps `bob`"), "{why}");

    // Each is kept for review, and alice's record holds none of it.
    let (status, q) = s.login("root").await.get("/v1/admin/quarantine").await;
    assert_eq!(status, 200);
    assert_eq!(q.as_array().unwrap().len(), 4, "{q}");
    let record = record_seen_by(&s, "alice", acme.id()).await;
    assert_eq!(record["phone"], Json::Null);
    assert_eq!(record["updated_by"], "alice");

    // Her own edit goes in, and the server says when it received it.
    let (status, resp) = alice.push(vec![acme.set("city", text("Lyon"))]).await;
    assert_eq!((status, resp.accepted), (200, 1));
    let at = resp.received_at.expect("a receipt time");
    assert_eq!(resp.received.len(), 1);
    assert!(resp.log_id.is_some());
    let mut mias = s.login("mia").await;
    mias.pull_all().await;
    let (_, resp) = alice.push(vec![acme.set("city", text("Nice"))]).await;
    let second = resp.received_at.unwrap();
    let items = mias.pull_all().await;
    match &items[..] {
        [PullItem::Changes { received_at, .. }] => assert_eq!(received_at, &vec![second.clone()]),
        other => panic!("{other:?}"),
    }
    assert!(at <= second, "{at} then {second}");
}

/// An opportunity of alice's under her account, pushed; returns it.
async fn deal(alice: &Client) -> (Doc, Doc) {
    let (acme, a) = account("alice", "Acme");
    let (opp, o) = opportunity("alice", acme.id(), "Big deal");
    let (status, resp) = alice.push(vec![a, o]).await;
    assert_eq!((status, resp.accepted), (200, 2), "{resp:?}");
    (acme, opp)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_the_schema_forbids_are_refused_over_the_raw_api() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, mut opp) = deal(&alice).await;

    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "stage", "bogus").unwrap();
        }),
    )
    .await;
    assert!(why.contains("`stage` = `bogus`"), "{why}");
    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "amount", "abc").unwrap();
        }),
    )
    .await;
    assert!(why.contains("`amount` = `abc`"), "{why}");
    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "probability", 150).unwrap();
        }),
    )
    .await;
    assert!(why.contains("probability"), "{why}");
    // A required field emptied, a key that is not a field, the owner written.
    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "name", "").unwrap();
        }),
    )
    .await;
    assert!(why.contains("needs `name`"), "{why}");
    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "owner", "alice").unwrap();
        }),
    )
    .await;
    assert!(why.contains("`owner`"), "{why}");
    // A rule across fields broken by the change itself.
    let why = refused(
        &s,
        &alice,
        opp.fork("alice").craft("alice", |am| {
            am.put(ROOT, "stage", "lost").unwrap();
        }),
    )
    .await;
    assert!(why.contains("loss_reason"), "{why}");
    // Identity is written once.
    let why = refused(
        &s,
        &alice,
        acme.fork("alice").craft("alice", |am| {
            am.put(ROOT, "_created_at", "2020-01-01T00:00:00Z").unwrap();
        }),
    )
    .await;
    assert!(why.contains("_created_at"), "{why}");

    // None of it is on the server; the deal is still in the pipeline.
    let record = record_seen_by(&s, "alice", opp.id()).await;
    assert_eq!(record["stage"], Json::Null);
    assert_eq!(record["amount"], Json::Null);
    assert_eq!(record["name"], "Big deal");
    // A valid edit of the same documents still goes in (refused ones were rolled back).
    let (status, resp) = alice
        .push(vec![opp.set("amount", Value::Str("1200.50".into()))])
        .await;
    assert_eq!((status, resp.accepted), (200, 1), "{resp:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_parents_and_ids_are_checked_across_records() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, mut opp) = deal(&alice).await;

    // A reference to a record of another kind, and to one the server does not have.
    let (_, act) = Doc::create(
        Kind::Activity,
        "alice",
        &[
            ("account_id", Value::Ref(Kind::Account, acme.id())),
            ("contact_id", Value::Ref(Kind::Contact, opp.id())),
        ],
    );
    let why = refused(&s, &alice, act).await;
    assert!(
        why.contains("`contact_id`") && why.contains("an opportunity"),
        "{why}"
    );
    let (_, orphan) = contact("alice", uuid::Uuid::now_v7(), "Nobody");
    let why = refused(&s, &alice, orphan).await;
    assert!(why.contains("not on the server"), "{why}");

    // Parent loops: B under A is fine; A under B then closes a loop.
    let (mut branch, b) = Doc::create(
        Kind::Account,
        "alice",
        &[
            ("name", text("Branch")),
            ("parent_id", Value::Ref(Kind::Account, acme.id())),
        ],
    );
    assert_eq!(alice.push(vec![b]).await.0, 200);
    let why = refused(
        &s,
        &alice,
        acme.set("parent_id", Value::Ref(Kind::Account, branch.id())),
    )
    .await;
    assert!(why.contains("loop"), "{why}");
    let why = refused(
        &s,
        &alice,
        branch.set("parent_id", Value::Ref(Kind::Account, branch.id())),
    )
    .await;
    assert!(why.contains("own parent") || why.contains("loop"), "{why}");

    // Another document reusing the deal's id (it does not share its history).
    let mut impostor = RecordDoc::create(
        Kind::Opportunity,
        opp.id(),
        &automerge::ActorId::random(),
        &Author::now("alice"),
        &[
            (
                schema::field(Kind::Opportunity, "account_id").unwrap(),
                Value::Ref(Kind::Account, acme.id()),
            ),
            (
                schema::field(Kind::Opportunity, "name").unwrap(),
                Value::Str("Impostor".into()),
            ),
        ],
    )
    .unwrap();
    let bytes = impostor.commit(&Author::now("alice")).unwrap().unwrap();
    let why = refused(
        &s,
        &alice,
        ChangeEnvelope {
            doc_id: opp.id(),
            kind: Kind::Opportunity,
            bytes,
        },
    )
    .await;
    assert!(why.contains("different record"), "{why}");
    let record = record_seen_by(&s, "alice", opp.id()).await;
    assert_eq!(
        (record["name"].as_str(), record["created_by"].as_str()),
        (Some("Big deal"), Some("alice"))
    );

    // A rule two valid concurrent edits break together is kept: their merge needs
    // attention, and a later edit of another field is not blocked by it.
    let base = vec![
        opp.set("stage", text("negotiation")),
        opp.set("loss_reason", text("price")),
    ];
    assert_eq!(alice.push(base).await.1.accepted, 2);
    let mut phone = opp.fork("alice");
    let lost = opp.set("stage", text("lost"));
    phone
        .doc
        .set(
            schema::field(Kind::Opportunity, "loss_reason").unwrap(),
            None,
        )
        .unwrap();
    let cleared = phone.commit();
    let (status, resp) = alice.push(vec![lost, cleared]).await;
    assert_eq!((status, resp.accepted), (200, 2), "{resp:?}");
    let record = record_seen_by(&s, "mia", opp.id()).await;
    assert_eq!(
        (record["stage"].as_str(), &record["loss_reason"]),
        (Some("lost"), &Json::Null)
    );
    let (status, resp) = alice
        .push(vec![phone.set("amount", Value::Str("10".into()))])
        .await;
    assert_eq!((status, resp.accepted), (200, 1), "{resp:?}");
}

/// PLAN-8 §3: alice works offline on an account her manager gives to dan meanwhile. What
/// she did before her device learned of the move is hers and reaches dan, with her name on
/// it; her device then drops the account and what she made under it; once it knows, more
/// writes are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_done_before_learning_of_a_reassignment_reaches_the_new_owner() {
    let s = company().await;
    s.user("dan", fieldbook_core::protocol::Role::Rep, Some("east"));
    let mut alice = s.login("alice").await;
    let (mut acme, a) = account("alice", "Acme");
    assert_eq!(alice.push(vec![a]).await.0, 200);
    alice.pull_all().await;

    // Offline: a new contact, and the city.
    let (carl, c) = contact("alice", acme.id(), "Carl");
    let city = acme.set("city", text("Lyon"));
    // Meanwhile mia gives the account to dan.
    let mia = s.login("mia").await;
    let (status, moved) = mia
        .post(
            "/v1/admin/reassign",
            &serde_json::json!({"to": "dan", "accounts": [acme.id()]}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");

    // Alice syncs: push first (her device has not pulled past the move)...
    let (status, resp) = alice.push(vec![c, city]).await;
    assert_eq!(
        (status, resp.accepted, resp.refused.len()),
        (200, 2, 0),
        "{resp:?}"
    );
    // ...then pull: the account and the contact she made under it are dropped.
    let items = alice.pull_all().await;
    let dropped = drops(&items);
    assert!(
        dropped.contains(&acme.id()) && dropped.contains(&carl.id()),
        "{items:?}"
    );
    assert!(shown(&items).is_empty(), "{items:?}");

    // Dan and mia see both edits, by alice.
    for user in ["dan", "mia"] {
        let record = record_seen_by(&s, user, acme.id()).await;
        assert_eq!(
            (record["city"].as_str(), record["owner"].as_str()),
            (Some("Lyon"), Some("dan"))
        );
        assert_eq!(record["updated_by"], "alice");
        let record = record_seen_by(&s, user, carl.id()).await;
        assert_eq!(
            (record["created_by"].as_str(), record["owner"].as_str()),
            (Some("alice"), Some("dan"))
        );
    }
    // Now that her device knows, another write is refused.
    let why = refused(&s, &alice, acme.set("phone", text("555"))).await;
    assert!(why.contains("dan owns"), "{why}");
    let (_, late) = contact("alice", acme.id(), "Late");
    let why = refused(&s, &alice, late).await;
    assert!(why.contains("dan owns"), "{why}");
    // Another device of hers that never pulled at all knew nothing of the account either:
    // its writes to it... are its user's, made before it learned anything.
    let bob = s.login("bob").await;
    let (_, b) = contact("bob", acme.id(), "Bobs");
    let why = refused(&s, &bob, b).await;
    assert!(why.contains("dan owns"), "bob never owned it: {why}");
}
