//! Pushing: ownership of new records, access, validation, duplicates, quarantine.

use crate::support::*;
use automerge::ROOT;
use automerge::transaction::Transactable;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ChangeEnvelope, PullItem};
use fieldbook_core::value::Value;
use futures_util::future::join_all;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_account_belongs_to_its_pusher_and_is_hidden_from_other_reps() {
    let s = company().await;
    let mut alice = s.login("alice").await;
    let (acme, env) = account("alice", "Acme");
    let (status, resp) = alice.push(vec![env]).await;
    assert_eq!(status, 200);
    assert_eq!(
        (resp.accepted, resp.duplicates, resp.refused.len()),
        (1, 0, 0)
    );

    let items = alice.pull_all().await;
    match &items[..] {
        [
            PullItem::Snapshot {
                doc_id,
                owner,
                record,
                kind,
                conflicts,
                ..
            },
        ] => {
            assert_eq!(*doc_id, acme.id());
            assert_eq!(owner, "alice");
            assert_eq!(*kind, Kind::Account);
            assert_eq!(record["name"], "Acme");
            assert_eq!(record["owner"], "alice");
            assert_eq!(*conflicts, 0);
        }
        other => panic!("{other:?}"),
    }
    let mut bob = s.login("bob").await;
    assert!(
        bob.pull_all().await.is_empty(),
        "bob sees nothing of alice's"
    );
    let mut zoe = s.login("zoe").await;
    assert!(zoe.pull_all().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_cannot_write_another_reps_record_and_the_change_is_quarantined() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, env) = account("alice", "Acme");
    alice.push(vec![env]).await;
    let log = s.log_len();

    let bob = s.login("bob").await;
    let mut bobs = acme.fork("bob");
    let edit = bobs.set("phone", text("555"));
    let (status, resp) = bob.push(vec![edit.clone()]).await;
    assert_eq!(status, 403);
    assert_eq!(resp.accepted, 0);
    assert_eq!(resp.refused.len(), 1);
    assert!(
        resp.refused[0].reason.contains("alice owns"),
        "{:?}",
        resp.refused
    );
    assert_eq!(s.log_len(), log, "nothing logged");
    // So is a contact under alice's account.
    let (_, c) = contact("bob", acme.id(), "Carl");
    let (status, resp) = bob.push(vec![c]).await;
    assert_eq!(status, 403);
    assert!(
        resp.refused[0].reason.contains("may not edit"),
        "{:?}",
        resp.refused
    );

    let mia = s.login("mia").await;
    let (status, q) = mia.get("/v1/admin/quarantine").await;
    assert_eq!(status, 200);
    let q = q.as_array().unwrap();
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(q[0]["user"], "bob");
    assert_eq!(q[0]["doc_id"], acme.id().to_string());
    assert_eq!(q[0]["device_id"], bob.device_id.to_string());
    assert_eq!(q[0]["hash"], resp_hash(&edit));

    // Alice's own edit goes through.
    let (status, _) = alice.push(vec![acme.set("phone", text("556"))]).await;
    assert_eq!(status, 200);
}

fn resp_hash(env: &ChangeEnvelope) -> String {
    automerge::Change::from_bytes(env.bytes.clone())
        .unwrap()
        .hash()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_sees_the_teams_records_and_the_admin_sees_everything() {
    let s = company().await;
    let alice = s.login("alice").await;
    let zoe = s.login("zoe").await;
    let (mut acme, a) = account("alice", "Acme");
    let (c, ce) = contact("alice", acme.id(), "Carl");
    let (zeta, z) = account("zoe", "Zeta");
    assert_eq!(
        alice.push(vec![a, ce]).await.0,
        200,
        "a child after its account, one page"
    );
    assert_eq!(zoe.push(vec![z]).await.0, 200);

    let mut mia = s.login("mia").await;
    let mut seen = shown(&mia.pull_all().await);
    seen.sort();
    let mut expected = vec![acme.id(), c.id()];
    expected.sort();
    assert_eq!(seen, expected, "east's records, not west's");

    let mut root = s.login("root").await;
    let mut seen = shown(&root.pull_all().await);
    seen.sort();
    let mut all = vec![acme.id(), c.id(), zeta.id()];
    all.sort();
    assert_eq!(seen, all);

    // The manager may edit a member's record; the contact's owner is its account's.
    let mut mias = acme.fork("mia");
    assert_eq!(mia.push(vec![mias.set("city", text("Lyon"))]).await.0, 200);
    let mut alice = alice;
    let items = alice.pull_all().await;
    assert!(
        items
            .iter()
            .any(|i| matches!(i, PullItem::Snapshot { doc_id, record, .. }
            if *doc_id == acme.id() && record["city"] == "Lyon")),
        "{items:?}"
    );
    let mut ids: Vec<_> = shown(&items);
    ids.sort();
    assert_eq!(ids, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_are_written_by_admins_and_seen_by_all() {
    let s = company().await;
    let alice = s.login("alice").await;
    let root = s.login("root").await;
    let (mut widget, p) = Doc::create(
        Kind::Product,
        "root",
        &[("sku", text("W-1")), ("name", text("Widget"))],
    );
    let (_, rogue) = Doc::create(Kind::Product, "alice", &[("sku", text("X-1"))]);
    let (status, resp) = alice.push(vec![rogue]).await;
    assert_eq!(status, 403);
    assert!(
        resp.refused[0].reason.contains("only admins"),
        "{:?}",
        resp.refused
    );
    assert_eq!(root.push(vec![p]).await.0, 200);
    let mut alices = widget.fork("alice");
    let (status, _) = alice.push(vec![alices.set("name", text("Gadget"))]).await;
    assert_eq!(status, 403);
    let price = widget.set("unit_price", text("9.50"));
    assert_eq!(root.push(vec![price]).await.0, 200);

    let mut alice = alice;
    let items = alice.pull_all().await;
    match &items[..] {
        [
            PullItem::Snapshot {
                doc_id,
                owner,
                record,
                ..
            },
        ] => {
            assert_eq!(*doc_id, widget.id());
            assert_eq!(owner, "");
            assert_eq!(record["unit_price"], "9.50");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resent_change_is_a_duplicate_and_logs_nothing() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, a) = account("alice", "Acme");
    let e = acme.set("city", text("Paris"));
    let (status, resp) = alice.push(vec![a.clone(), e.clone()]).await;
    assert_eq!((status, resp.accepted), (200, 2));
    let log = s.log_len();
    let (status, resp) = alice.push(vec![a, e.clone(), e]).await;
    assert_eq!(status, 200);
    assert_eq!((resp.accepted, resp.duplicates), (0, 3));
    assert_eq!(s.log_len(), log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_that_write_owner_or_move_a_child_or_lack_dependencies_are_refused() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (mut acme, a) = account("alice", "Acme");
    let (other, o) = account("alice", "Other");
    let (mut carl, c) = contact("alice", acme.id(), "Carl");
    assert_eq!(alice.push(vec![a, o, c]).await.0, 200);
    let log = s.log_len();

    acme.doc.automerge().put(ROOT, "owner", "alice").unwrap();
    let owner = acme.commit();
    let moved = carl.set("account_id", Value::Ref(Kind::Account, other.id()));
    carl.doc.automerge().put(ROOT, "_kind", "account").unwrap();
    let rekind = carl.commit();
    // Two changes in a row of one new record; only the second is sent.
    let (mut lost, _) = account("alice", "Lost");
    let orphan = lost.set("city", text("Nowhere"));
    let (status, resp) = alice.push(vec![owner, moved, rekind, orphan]).await;
    assert_eq!(status, 403);
    let reasons: Vec<_> = resp.refused.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons[0].contains("`owner`"), "{reasons:?}");
    assert!(reasons[1].contains("account_id"), "{reasons:?}");
    // Refused because it builds on the refused move (or, alone, because of `_kind`).
    assert!(
        reasons[2].contains("depends on") || reasons[2].contains("_kind"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("not on the server"), "{reasons:?}");
    assert_eq!(s.log_len(), log);

    // The server's copy is unchanged and still takes good changes.
    let mut fresh = alice;
    let items = fresh.pull_all().await;
    let carl_now = items
        .iter()
        .find_map(|i| match i {
            PullItem::Snapshot { doc_id, record, .. } if *doc_id == carl.id() => Some(record),
            _ => None,
        })
        .unwrap();
    assert_eq!(carl_now["account_id"], acme.id().to_string());
    assert_eq!(carl_now["kind"], "contact");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_bytes_are_quarantined_and_the_server_keeps_serving() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (acme, a) = account("alice", "Acme");
    let junk = ChangeEnvelope {
        doc_id: acme.id(),
        kind: Kind::Account,
        bytes: b"definitely not automerge".to_vec(),
    };
    let (status, resp) = alice.push(vec![junk, a]).await;
    assert_eq!(status, 403);
    assert_eq!(
        resp.accepted, 1,
        "the valid change in the same page is taken"
    );
    assert!(
        resp.refused[0]
            .reason
            .contains("not a valid Automerge change")
    );
    assert_eq!(s.storage_quarantine_len(), 1);
    // Malformed JSON: 400 with a message.
    let resp = alice
        .request(reqwest::Method::POST, "/v1/push")
        .header("content-type", "application/json")
        .body("{\"protocol\": 1, \"changes\": [")
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["message"].as_str().unwrap().contains("malformed JSON"),
        "{body}"
    );
    let (status, body) = alice
        .post(
            "/v1/push",
            &serde_json::json!({"protocol": 1, "changes": [{"doc_id": "x"}], "pending": 0}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(alice.get("/v1/me").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_row_records_pending_and_last_sync() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (_, a) = account("alice", "Acme");
    alice.push_to("/v1/push", vec![a], Some(7)).await;
    let mia = s.login("mia").await;
    let (status, devices) = mia.get("/v1/admin/devices?user=alice").await;
    assert_eq!(status, 200, "{devices}");
    assert_eq!(devices[0]["pending"], 6, "{devices}");
    assert!(devices[0]["last_sync"].is_string());
    // The pending header is noted at any contact.
    let resp = alice
        .request(reqwest::Method::GET, "/v1/me")
        .header(fieldbook_server::PENDING_HEADER, "42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (_, devices) = mia.get("/v1/admin/devices?user=alice").await;
    assert_eq!(devices[0]["pending"], 42);
}

impl TestServer {
    pub fn storage_quarantine_len(&self) -> u64 {
        self.service.counts().unwrap().quarantine
    }

    /// The SQLite backend's count of pushes worked out in two parts.
    pub fn pushes_split(&self) -> u64 {
        use fieldbook_server::Storage;
        self.storage
            .metrics()
            .iter()
            .find(|m| m.name == "fieldbook_pushes_split_total")
            .expect("the SQLite backend counts split pushes")
            .value
    }
}

/// Pushes prepared at the same time on snapshots that go stale: the writer notices and
/// redoes them. Same changes from many devices at once: stored once. Edits of one record
/// from two devices at once: both kept. A reassignment racing pushes: nobody writes where
/// they may not.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_store_each_change_once_and_keep_every_edit() {
    let s = company().await;
    let laptop = s.login("alice").await;
    let (mut acme, create) = account("alice", "Acme");
    assert_eq!(laptop.push(vec![create]).await.0, 200);

    // The same three changes from eight devices of alice at once.
    let same: Vec<ChangeEnvelope> = (0..3)
        .map(|i| acme.set("city", text(&format!("City {i}"))))
        .collect();
    let mut devices = Vec::new();
    for _ in 0..8 {
        devices.push(s.login("alice").await);
    }
    let before = s.log_len();
    let answers = join_all(devices.iter().map(|d| d.push(same.clone()))).await;
    let accepted: u64 = answers.iter().map(|(_, r)| r.accepted).sum();
    let duplicates: u64 = answers.iter().map(|(_, r)| r.duplicates).sum();
    assert!(answers.iter().all(|(status, _)| *status == 200));
    assert_eq!((accepted, duplicates), (3, 21), "{answers:?}");
    assert_eq!(s.log_len(), before + 3);

    // Two devices edit different fields of one record at the same moment, many times.
    let mut phone_doc = acme.fork("alice");
    for round in 0..10 {
        let a = acme.set("phone", text(&format!("555-{round}")));
        let b = phone_doc.set("website", text(&format!("https://acme{round}.example")));
        let (ra, rb) = tokio::join!(devices[0].push(vec![a]), devices[1].push(vec![b]));
        assert_eq!((ra.0, ra.1.accepted, rb.0, rb.1.accepted), (200, 1, 200, 1));
    }
    let mut fresh = s.login("mia").await;
    let items = fresh.pull_all().await;
    let record = items
        .iter()
        .find_map(|i| match i {
            PullItem::Snapshot { doc_id, record, .. } if *doc_id == acme.id() => Some(record),
            _ => None,
        })
        .expect("acme reaches the manager");
    assert_eq!(record["phone"], "555-9");
    assert_eq!(record["website"], "https://acme9.example");
}

/// A large push on an idle server is worked out in two parts at once; the log still holds
/// its changes in the order they were sent, and a page whose parts would need each other's
/// records (contacts of accounts created in the same page) is worked out whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_push_split_in_two_keeps_the_order_it_was_sent_in() {
    let s = company().await;
    let laptop = s.login("alice").await;
    let mut docs = Vec::new();
    let mut creates = Vec::new();
    for i in 0..20 {
        let (doc, env) = account("alice", &format!("Account {i}"));
        docs.push(doc);
        creates.push(env);
    }
    assert_eq!(laptop.push(creates).await.1.accepted, 20);
    let split_after_creates = s.pushes_split();
    assert_eq!(
        split_after_creates, 1,
        "20 new accounts need nothing of each other"
    );

    let mut phone = s.login("alice").await;
    assert_eq!(phone.pull_all().await.len(), 20);

    // Two rounds of edits, interleaved across the records: one page of 40.
    let mut edits = Vec::new();
    for round in 0..2 {
        for doc in &mut docs {
            edits.push(doc.set("city", text(&format!("City {round}"))));
        }
    }
    let (status, resp) = laptop.push(edits.clone()).await;
    assert_eq!((status, resp.accepted), (200, 40));
    assert_eq!(s.pushes_split(), 2);
    let pulled: Vec<(uuid::Uuid, Vec<u8>)> = phone
        .pull_all()
        .await
        .into_iter()
        .flat_map(|item| match item {
            PullItem::Changes {
                doc_id, changes, ..
            } => changes.into_iter().map(|c| (doc_id, c)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        })
        .collect();
    let sent: Vec<(uuid::Uuid, Vec<u8>)> = edits.into_iter().map(|e| (e.doc_id, e.bytes)).collect();
    assert_eq!(
        pulled, sent,
        "the log keeps the order the changes were sent in"
    );

    // Accounts and their contacts in one page: worked out whole, all placed.
    let mut page = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..10 {
        let (acc, env) = account("alice", &format!("New {i}"));
        page.push(env);
        let (c, cenv) = contact("alice", acc.id(), &format!("Person {i}"));
        page.push(cenv);
        contacts.push(c.id());
    }
    let (status, resp) = laptop.push(page).await;
    assert_eq!((status, resp.accepted, resp.refused.len()), (200, 20, 0));
    assert_eq!(s.pushes_split(), 2, "not split");
    let mut mia = s.login("mia").await;
    let seen = snapshots(&mia.pull_all().await);
    assert!(
        contacts.iter().all(|c| seen.contains(c)),
        "the manager sees every contact"
    );
}
