//! Administration over HTTP: users, reassignment, deactivation and handover, devices.

use crate::support::*;
use fieldbook_core::protocol::PullItem;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reassignment_drops_for_the_old_owner_and_snapshots_for_the_new() {
    let s = company().await;
    let mut alice = s.login("alice").await;
    let mut bob = s.login("bob").await;
    let (acme, a) = account("alice", "Acme");
    let (c, ce) = contact("alice", acme.id(), "Carl");
    let (o, oe) = opportunity("alice", acme.id(), "Deal");
    let (keep, k) = account("alice", "Keep");
    alice.push(vec![a, ce, oe, k]).await;
    assert_eq!(alice.pull_all().await.len(), 4);
    assert!(bob.pull_all().await.is_empty());

    // A rep may not reassign; a manager may within the team.
    let body = json!({"from": "alice", "to": "bob", "accounts": [acme.id()]});
    let (status, resp) = alice.post("/v1/admin/reassign", &body).await;
    assert_eq!((status, resp["error"].as_str()), (403, Some("forbidden")));
    let mia = s.login("mia").await;
    let (status, resp) = mia.post("/v1/admin/reassign", &body).await;
    assert_eq!(status, 200, "{resp}");
    assert_eq!(resp["accounts"], 1);
    assert_eq!(resp["records"], 3);

    let mut gone = drops(&alice.pull_all().await);
    gone.sort();
    let mut moved = vec![acme.id(), c.id(), o.id()];
    moved.sort();
    assert_eq!(gone, moved);
    let items = bob.pull_all().await;
    let mut got = snapshots(&items);
    got.sort();
    assert_eq!(got, moved);
    assert!(
        items
            .iter()
            .all(|i| matches!(i, PullItem::Snapshot { owner, .. } if owner == "bob"))
    );
    // The manager, who sees both, is told the new owner.
    let mut mia = mia;
    mia.pull_all().await;
    let mut root = s.login("root").await;
    root.pull_all().await;

    // Bob now edits the account; alice may not.
    let mut bobs = acme_fork(&items, acme.id());
    assert_eq!(
        bob.push(vec![bobs.set("city", text("Bergen"))]).await.0,
        200
    );
    let mut alices = acme_fork(&items, acme.id());
    assert_eq!(
        alice.push(vec![alices.set("city", text("Nice"))]).await.0,
        403
    );
    let _ = keep;

    // Reassigning again, mia's device (who sees both) gets owner updates.
    let (status, _) = mia
        .post(
            "/v1/admin/reassign",
            &json!({"from": "bob", "to": "alice", "accounts": []}),
        )
        .await;
    assert_eq!(status, 200);
    let items = mia.pull_all().await;
    assert!(
        items.iter().any(|i| matches!(i, PullItem::Owner { doc_id, owner } if *doc_id == acme.id() && owner == "alice")),
        "{items:?}"
    );
}

fn acme_fork(items: &[PullItem], id: uuid::Uuid) -> Doc {
    let bytes = items
        .iter()
        .find_map(|i| match i {
            PullItem::Snapshot { doc_id, doc, .. } if *doc_id == id => Some(doc.clone()),
            _ => None,
        })
        .expect("snapshot");
    Doc {
        doc: fieldbook_core::doc::RecordDoc::load(&bytes, &automerge::ActorId::random()).unwrap(),
        user: "bob".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_act_only_within_their_teams() {
    let s = company().await;
    let zoe = s.login("zoe").await;
    let (zeta, z) = account("zoe", "Zeta");
    zoe.push(vec![z]).await;
    let mia = s.login("mia").await;
    let (status, body) = mia
        .post(
            "/v1/admin/reassign",
            &json!({"from": "zoe", "to": "alice", "accounts": [zeta.id()]}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = mia
        .post(
            "/v1/admin/reassign",
            &json!({"from": null, "to": "zoe", "accounts": []}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = mia
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "zoe", "successor": "alice"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, users) = mia.get("/v1/admin/users").await;
    assert_eq!(status, 200);
    let names: Vec<_> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].clone())
        .collect();
    assert_eq!(names, vec!["alice", "bob", "mia"]);
    let (status, _) = mia.get("/v1/admin/devices?user=zoe").await;
    assert_eq!(status, 403);
    let (status, _) = mia.get("/v1/admin/devices?user=nobody").await;
    assert_eq!(status, 404);
    // Adding users is for admins.
    let new = json!({"name": "newbie", "role": "rep", "team": "east", "password": PASSWORD});
    assert_eq!(mia.post("/v1/admin/users", &new).await.0, 403);
    let root = s.login("root").await;
    let (status, body) = root.post("/v1/admin/users", &new).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["team"], "east");
    assert_eq!(root.post("/v1/admin/users", &new).await.0, 409);
    let short = json!({"name": "other", "role": "rep", "team": null, "password": "short"});
    assert_eq!(root.post("/v1/admin/users", &short).await.0, 400);
    s.login("newbie").await;
    // Admins reassign across teams.
    let (status, body) = root
        .post(
            "/v1/admin/reassign",
            &json!({"from": "zoe", "to": "alice", "accounts": [zeta.id()]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let alice = s.login("alice").await;
    assert_eq!(alice.get("/v1/admin/users").await.0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_gets_410_then_one_handover_with_wipe_then_401() {
    let s = company().await;
    let carl_dev = {
        s.user("carl", fieldbook_core::protocol::Role::Rep, Some("east"));
        s.login("carl").await
    };
    let (mut acme, a) = account("carl", "Acme");
    carl_dev.push(vec![a]).await;
    // Offline work not yet pushed: an edit, a new contact, and a change to someone else's.
    let edit = acme.set("city", text("Turku"));
    let (extra, ce) = contact("carl", acme.id(), "Eve");
    let alice = s.login("alice").await;
    let (mut alices, ae) = account("alice", "Alpha");
    alice.push(vec![ae]).await;
    let mut carls_copy = alices.fork("carl");
    let foreign = carls_copy.set("city", text("Oulu"));
    let _ = &mut alices;
    // The device told the server at its last contact that it holds 3 changes.
    let resp = carl_dev
        .request(reqwest::Method::GET, "/v1/me")
        .header(fieldbook_server::PENDING_HEADER, "3")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let mia = s.login("mia").await;
    let (status, done) = mia
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "carl", "successor": "bob"}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["accounts"], 1);
    assert_eq!(done["tokens_revoked"], 1);
    assert_eq!(
        done["devices_with_pending"][0]["device_id"],
        carl_dev.device_id.to_string()
    );
    assert_eq!(done["devices_with_pending"][0]["pending"], 3);

    let (status, body) = carl_dev.get("/v1/me").await;
    assert_eq!((status, body["error"].as_str()), (410, Some("deactivated")));
    let (status, body) = carl_dev
        .post(
            "/v1/push",
            &json!({"protocol": 1, "changes": [edit.clone()], "pending": 3}),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (410, Some("deactivated")));

    // First page of two (pending says more follow): no wipe yet.
    let (status, resp) = carl_dev.push_to("/v1/handover", vec![edit], Some(3)).await;
    assert_eq!(status, 200);
    assert_eq!((resp.accepted, resp.wipe), (1, false));
    let (status, resp) = carl_dev
        .push_to("/v1/handover", vec![ce, foreign], Some(2))
        .await;
    assert_eq!(status, 200);
    assert!(resp.wipe);
    assert_eq!(resp.accepted, 1);
    assert_eq!(
        resp.refused.len(),
        1,
        "alice's record is not bob's: quarantined"
    );
    let (status, _) = carl_dev
        .post(
            "/v1/handover",
            &json!({"protocol": 1, "changes": [], "pending": 0}),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(carl_dev.get("/v1/me").await.0, 401);

    // Bob has carl's account, with the handed-over edit and contact.
    let mut bob = s.login("bob").await;
    let items = bob.pull_all().await;
    let mut got = snapshots(&items);
    got.sort();
    let mut expected = vec![acme.id(), extra.id()];
    expected.sort();
    assert_eq!(got, expected);
    assert!(
        items
            .iter()
            .any(|i| matches!(i, PullItem::Snapshot { record, .. } if record["city"] == "Turku"))
    );
    let (_, devices) = mia.get("/v1/admin/devices?user=carl").await;
    assert_eq!(devices[0]["wiped"], true);
    assert_eq!(devices[0]["pending"], 0);
    let (_, q) = mia.get("/v1/admin/quarantine").await;
    assert!(
        q.as_array().unwrap().iter().any(|e| e["user"] == "carl"),
        "{q}"
    );
    // An active device cannot hand over.
    let (status, body) = bob
        .post(
            "/v1/handover",
            &json!({"protocol": 1, "changes": [], "pending": 0}),
        )
        .await;
    assert_eq!(status, 403, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handover_follows_the_successor_who_left_too() {
    let s = company().await;
    s.user("carl", fieldbook_core::protocol::Role::Rep, Some("east"));
    let carl = s.login("carl").await;
    let (mut acme, a) = account("carl", "Acme");
    carl.push(vec![a]).await;
    let edit = acme.set("city", text("Turku"));
    let root = s.login("root").await;
    for (user, successor) in [("carl", "bob"), ("bob", "alice")] {
        let (status, body) = root
            .post(
                "/v1/admin/deactivate",
                &json!({"user": user, "successor": successor}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, resp) = carl.push_to("/v1/handover", vec![edit], Some(1)).await;
    assert_eq!(status, 200);
    assert_eq!(
        (resp.accepted, resp.refused.len(), resp.wipe),
        (1, 0, true),
        "{resp:?}"
    );
    let mut alice = s.login("alice").await;
    let items = alice.pull_all().await;
    assert!(
        items
            .iter()
            .any(|i| matches!(i, PullItem::Snapshot { record, owner, .. }
            if record["city"] == "Turku" && owner == "alice")),
        "{items:?}"
    );
    // Deactivated users are no successors.
    let (status, body) = root
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "zoe", "successor": "bob"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
}
