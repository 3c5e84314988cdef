//! Reassignment and deactivation: who may move what, what each device is told, and the
//! handover of a deactivated user's devices.

use super::Fresh;
use super::fixtures::{Doc, World, drops, snapshot_record, snapshots, sorted};
use crate::access::Requester;
use crate::error::ServerError;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{DeactivateRequest, PullItem, ReassignRequest, Role};
use uuid::Uuid;

fn reassign(from: Option<&str>, to: &str, accounts: &[Uuid]) -> ReassignRequest {
    ReassignRequest {
        from: from.map(String::from),
        to: to.into(),
        accounts: accounts.to_vec(),
    }
}

fn deactivate(user: &str, successor: &str) -> DeactivateRequest {
    DeactivateRequest {
        user: user.into(),
        successor: successor.into(),
    }
}

pub fn reassignment_moves_records_and_tells_every_device(fresh: Fresh) {
    let w = World::company(fresh);
    let mut alice = w.login("alice");
    let mut bob = w.login("bob");
    let mut mia = w.login("mia");
    let (acme, a) = Doc::account("alice", "Acme");
    let (c, ce) = Doc::child(Kind::Contact, "alice", acme.id(), "Carl");
    let (o, oe) = Doc::child(Kind::Opportunity, "alice", acme.id(), "Deal");
    let (keep, k) = Doc::account("alice", "Keep");
    alice.push(vec![a, ce, oe, k]);
    alice.pull_all();
    assert!(bob.pull_all().is_empty());
    assert_eq!(mia.pull_all().len(), 4);

    let moved = w
        .service
        .reassign(&mia.user(), &reassign(Some("alice"), "bob", &[acme.id()]))
        .unwrap();
    assert_eq!((moved.accounts, moved.records), (1, 3));
    let expected = sorted(vec![acme.id(), c.id(), o.id()]);
    assert_eq!(sorted(drops(&alice.pull_all())), expected);
    let items = bob.pull_all();
    assert_eq!(sorted(snapshots(&items)), expected);
    assert!(
        items
            .iter()
            .all(|i| matches!(i, PullItem::Snapshot { owner, .. } if owner == "bob"))
    );
    // The manager, who sees both, is told the new owner of each.
    let items = mia.pull_all();
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(
        items
            .iter()
            .all(|i| matches!(i, PullItem::Owner { owner, .. } if owner == "bob")),
        "{items:?}"
    );
    // Bob now edits the account; alice may not.
    let bytes = match items_snapshot(&w, "bob", acme.id()) {
        Some(b) => b,
        None => panic!("bob holds acme"),
    };
    let mut bobs = Doc::load(&bytes, "bob");
    assert_eq!(bob.push(vec![bobs.set("city", "Bergen")]).accepted, 1);
    let mut alices = Doc::load(&bytes, "alice");
    assert_eq!(
        alice.push(vec![alices.set("city", "Nice")]).refused.len(),
        1
    );
    // Everything of bob's back to alice: the account she kept is not touched.
    let moved = w
        .service
        .reassign(&Requester::Operator, &reassign(Some("bob"), "alice", &[]))
        .unwrap();
    assert_eq!((moved.accounts, moved.records), (1, 3));
    let items = alice.pull_all();
    assert_eq!(sorted(snapshots(&items)), expected);
    assert_eq!(
        snapshot_record(&items, acme.id()).unwrap()["city"],
        "Bergen"
    );
    assert!(!snapshots(&items).contains(&keep.id()));
}

fn items_snapshot(w: &World, user: &str, id: Uuid) -> Option<Vec<u8>> {
    w.login(user).pull_all().into_iter().find_map(|i| match i {
        PullItem::Snapshot { doc_id, doc, .. } if doc_id == id => Some(doc),
        _ => None,
    })
}

pub fn reassignment_rules(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let zoe = w.login("zoe");
    let (acme, a) = Doc::account("alice", "Acme");
    let (carl, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Carl");
    alice.push(vec![a, c]);
    let (zeta, z) = Doc::account("zoe", "Zeta");
    zoe.push(vec![z]);
    let mia = w.login("mia").user();
    let log = w.log_len();
    let fails = |by: &Requester, req: ReassignRequest| w.service.reassign(by, &req).unwrap_err();

    let err = fails(&alice.user(), reassign(Some("alice"), "bob", &[acme.id()]));
    assert!(matches!(err, ServerError::Forbidden(_)), "a rep: {err}");
    let err = fails(&mia, reassign(Some("zoe"), "alice", &[zeta.id()]));
    assert!(
        matches!(err, ServerError::Forbidden(_)),
        "outside mia's team: {err}"
    );
    let err = fails(&mia, reassign(None, "zoe", &[acme.id()]));
    assert!(
        matches!(err, ServerError::Forbidden(_)),
        "to outside: {err}"
    );
    let err = fails(&mia, reassign(None, "bob", &[zeta.id()]));
    assert!(
        matches!(&err, ServerError::Forbidden(m) if m.contains("zoe")),
        "a record outside: {err}"
    );
    let err = fails(&mia, reassign(Some("alice"), "alice", &[]));
    assert!(
        matches!(err, ServerError::BadRequest(_)),
        "to oneself: {err}"
    );
    let err = fails(&mia, reassign(None, "bob", &[]));
    assert!(
        matches!(err, ServerError::BadRequest(_)),
        "nothing named: {err}"
    );
    let err = fails(&mia, reassign(Some("alice"), "bob", &[carl.id()]));
    assert!(
        matches!(err, ServerError::BadRequest(_)),
        "not an account: {err}"
    );
    let err = fails(&mia, reassign(Some("bob"), "alice", &[acme.id()]));
    assert!(matches!(err, ServerError::Conflict(_)), "not bob's: {err}");
    let err = fails(&mia, reassign(None, "bob", &[Uuid::now_v7()]));
    assert!(
        matches!(err, ServerError::NotFound(_)),
        "no such record: {err}"
    );
    let err = fails(&mia, reassign(Some("nobody"), "bob", &[]));
    assert!(
        matches!(err, ServerError::NotFound(_)),
        "no such user: {err}"
    );
    assert_eq!(w.log_len(), log, "nothing moved");
    // Admins reassign across teams; a record already the target's is not moved.
    let moved = w
        .service
        .reassign(
            &w.login("root").user(),
            &reassign(None, "zoe", &[acme.id(), zeta.id()]),
        )
        .unwrap();
    assert_eq!((moved.accounts, moved.records), (1, 2));
}

pub fn deactivation_limits_tokens_to_one_handover_that_wipes(fresh: Fresh) {
    let w = World::company(fresh);
    w.user("carl", Role::Rep, Some("east"));
    let mut carl = w.login("carl");
    let (mut acme, a) = Doc::account("carl", "Acme");
    carl.push(vec![a]);
    // Offline work not pushed yet: an edit, a new contact, a change to someone else's.
    let edit = acme.set("city", "Turku");
    let (extra, ce) = Doc::child(Kind::Contact, "carl", acme.id(), "Eve");
    let alice = w.login("alice");
    let (mut alpha, ae) = Doc::account("alice", "Alpha");
    alice.push(vec![ae]);
    let foreign = alpha.fork("carl").set("city", "Oulu");
    // At its last contact the device held 3 changes.
    w.service.note_pending(&carl.session, 3).unwrap();

    let mia = w.login("mia").user();
    let done = w
        .service
        .deactivate(&mia, &deactivate("carl", "bob"))
        .unwrap();
    assert_eq!(
        (done.accounts, done.records, done.tokens_revoked),
        (1, 1, 1)
    );
    assert_eq!(done.devices_with_pending.len(), 1);
    assert_eq!(
        done.devices_with_pending[0].device_id,
        carl.session.device_id
    );
    assert_eq!(done.devices_with_pending[0].pending, 3);

    // The token now only hands over.
    carl.refresh().unwrap();
    assert!(carl.session.deactivated);
    assert_eq!(carl.session.successor.as_deref(), Some("bob"));
    let err = carl.session.require_active().unwrap_err();
    assert!(matches!(err, ServerError::Deactivated(_)), "{err}");
    // A first page of two: no wipe yet.
    let resp = carl.handover(vec![edit], 3).unwrap();
    assert_eq!((resp.accepted, resp.wipe), (1, false));
    let resp = carl.handover(vec![ce, foreign], 2).unwrap();
    assert!(resp.wipe);
    assert_eq!(
        (resp.accepted, resp.refused.len()),
        (1, 1),
        "alice's is not bob's"
    );
    assert!(matches!(carl.refresh(), Err(ServerError::Unauthorized(_))));

    // Bob has carl's account with the edit and the new contact.
    let items = w.login("bob").pull_all();
    assert_eq!(
        sorted(snapshots(&items)),
        sorted(vec![acme.id(), extra.id()])
    );
    assert_eq!(snapshot_record(&items, acme.id()).unwrap()["city"], "Turku");
    let devices = w.service.devices(&mia, Some("carl")).unwrap();
    assert!(devices[0].wiped);
    assert_eq!(devices[0].pending, 0);
    let q = w.service.quarantine(&mia, false).unwrap();
    assert!(
        q.iter().any(|e| e.user == "carl" && e.doc_id == alpha.id()),
        "{q:?}"
    );
    // An active user's device cannot hand over.
    let bob = w.login("bob");
    let err = bob.handover(vec![], 0).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
}

pub fn a_handover_follows_successors_who_left_too(fresh: Fresh) {
    let w = World::company(fresh);
    w.user("carl", Role::Rep, Some("east"));
    let mut carl = w.login("carl");
    let (mut acme, a) = Doc::account("carl", "Acme");
    carl.push(vec![a]);
    let edit = acme.set("city", "Turku");
    let root = w.login("root").user();
    for (user, successor) in [("carl", "bob"), ("bob", "alice")] {
        w.service
            .deactivate(&root, &deactivate(user, successor))
            .unwrap();
    }
    carl.refresh().unwrap();
    let resp = carl.handover(vec![edit], 1).unwrap();
    assert_eq!((resp.accepted, resp.refused.len(), resp.wipe), (1, 0, true));
    let items = w.login("alice").pull_all();
    assert!(
        items
            .iter()
            .any(|i| matches!(i, PullItem::Snapshot { record, owner, .. }
            if record["city"] == "Turku" && owner == "alice")),
        "{items:?}"
    );
}

pub fn deactivation_rules(fresh: Fresh) {
    let w = World::company(fresh);
    let mia = w.login("mia").user();
    let fails = |by: &Requester, user: &str, successor: &str| {
        w.service
            .deactivate(by, &deactivate(user, successor))
            .unwrap_err()
    };
    let err = fails(&w.login("alice").user(), "bob", "alice");
    assert!(matches!(err, ServerError::Forbidden(_)), "a rep: {err}");
    let err = fails(&mia, "zoe", "alice");
    assert!(
        matches!(err, ServerError::Forbidden(_)),
        "outside the team: {err}"
    );
    let err = fails(&mia, "alice", "zoe");
    assert!(
        matches!(err, ServerError::Forbidden(_)),
        "a successor outside: {err}"
    );
    let err = fails(&mia, "alice", "alice");
    assert!(
        matches!(err, ServerError::BadRequest(_)),
        "oneself as successor: {err}"
    );
    let err = fails(&mia, "mia", "alice");
    assert!(
        matches!(err, ServerError::BadRequest(_)),
        "deactivating oneself: {err}"
    );
    let err = fails(&mia, "nobody", "alice");
    assert!(matches!(err, ServerError::NotFound(_)), "{err}");
    w.service
        .deactivate(&mia, &deactivate("bob", "alice"))
        .unwrap();
    let err = fails(&mia, "alice", "bob");
    assert!(
        matches!(&err, ServerError::Conflict(m) if m.contains("went to alice")),
        "a deactivated successor: {err}"
    );
    let err = fails(&mia, "bob", "alice");
    assert!(
        matches!(err, ServerError::Conflict(_)),
        "deactivated already: {err}"
    );
    let err = w
        .service
        .reassign(&mia, &reassign(Some("alice"), "bob", &[]))
        .unwrap_err();
    assert!(
        matches!(err, ServerError::Conflict(_)),
        "to a deactivated user: {err}"
    );
}
