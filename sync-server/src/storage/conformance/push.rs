//! Pushes: where new records belong, what is refused (into quarantine, changing nothing),
//! duplicates, and the product catalogue.

use super::Fresh;
use super::fixtures::{Doc, World, shown, snapshot_record, sorted, text};
use automerge::ROOT;
use automerge::transaction::Transactable;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ChangeEnvelope, PullItem};
use fieldbook_core::value::Value;

pub fn new_records_are_placed_by_what_they_hang_on(fresh: Fresh) {
    let w = World::company(fresh);
    let mut alice = w.login("alice");
    let (acme, a) = Doc::account("alice", "Acme");
    let (carl, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Carl");
    let (task, t) = Doc::create(Kind::Task, "alice", &[("title", text("Call"))]);
    let resp = alice.push(vec![a, c, t]);
    assert_eq!(
        (resp.accepted, resp.duplicates, resp.refused.len()),
        (3, 0, 0)
    );
    assert!(!resp.wipe);
    assert_eq!(w.log_len(), 3);
    // Alice's own device learns the owners of what it pushed, not the changes again.
    let items = alice.pull_all();
    assert!(
        items
            .iter()
            .all(|i| matches!(i, PullItem::Owner { owner, .. } | PullItem::Snapshot { owner, .. } if owner == "alice")),
        "{items:?}"
    );
    // A new device of hers receives every record whole, owned by her.
    let mut laptop = w.login("alice");
    let items = laptop.pull_all();
    assert_eq!(
        sorted(shown(&items)),
        sorted(vec![acme.id(), carl.id(), task.id()])
    );
    let record = snapshot_record(&items, carl.id()).unwrap();
    assert_eq!(record["owner"], "alice");
    assert_eq!(record["name"], "Carl");
    // Other reps see nothing of hers; her manager and the admin see it all.
    assert!(w.login("bob").pull_all().is_empty());
    assert!(w.login("zoe").pull_all().is_empty());
    assert_eq!(w.login("mia").pull_all().len(), 3);
    assert_eq!(w.login("root").pull_all().len(), 3);
    // A contact pushed by her manager under her account is hers.
    let mia = w.login("mia");
    let (dan, d) = Doc::child(Kind::Contact, "mia", acme.id(), "Dan");
    assert_eq!(mia.push(vec![d]).accepted, 1);
    let items = w.login("alice").pull_all();
    assert!(
        items
            .iter()
            .any(|i| matches!(i, PullItem::Snapshot { doc_id, owner, .. }
            if *doc_id == dan.id() && owner == "alice")),
        "{items:?}"
    );
}

fn hash(env: &ChangeEnvelope) -> String {
    automerge::Change::from_bytes(env.bytes.clone())
        .unwrap()
        .hash()
        .to_string()
}

pub fn refused_changes_go_to_quarantine_and_change_nothing(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    let (other, o) = Doc::account("alice", "Other");
    let (mut carl, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Carl");
    assert_eq!(alice.push(vec![a, o, c]).accepted, 3);
    let log = w.log_len();

    // Another rep's edit, and a contact under alice's account.
    let bob = w.login("bob");
    let mut bobs = acme.fork("bob");
    let edit = bobs.set("phone", "555");
    let (_, bc) = Doc::child(Kind::Contact, "bob", acme.id(), "Bea");
    let resp = bob.push(vec![edit.clone(), bc]);
    assert_eq!((resp.accepted, resp.refused.len()), (0, 2));
    assert!(
        resp.refused[0].reason.contains("alice owns"),
        "{:?}",
        resp.refused
    );
    assert_eq!(resp.refused[0].hash, hash(&edit));
    assert_eq!(resp.refused[0].doc_id, acme.id());

    // Alice's own bad changes: writing `owner`, moving a child, garbage, a change whose
    // dependencies never arrived; the good change in the same page is taken.
    acme.doc.automerge().put(ROOT, "owner", "alice").unwrap();
    let owner = acme.commit();
    let moved = carl.doc.set(
        fieldbook_core::schema::field(Kind::Contact, "account_id").unwrap(),
        Some(Value::Ref(Kind::Account, other.id())),
    );
    moved.unwrap();
    let moved = carl.commit();
    let junk = ChangeEnvelope {
        doc_id: other.id(),
        kind: Kind::Account,
        bytes: b"definitely not automerge".to_vec(),
    };
    let (mut lost, _) = Doc::account("alice", "Lost");
    let orphan = lost.set("city", "Nowhere");
    let (fine, f) = Doc::account("alice", "Fine");
    let resp = alice.push(vec![owner, moved, junk, orphan, f]);
    let reasons: Vec<_> = resp.refused.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!((resp.accepted, reasons.len()), (1, 4), "{reasons:?}");
    assert!(reasons[0].contains("`owner`"), "{reasons:?}");
    assert!(reasons[1].contains("account_id"), "{reasons:?}");
    assert!(
        reasons[2].contains("not a valid Automerge change"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("not on the server"), "{reasons:?}");
    assert_eq!(w.log_len(), log + 1, "only the good change was logged");
    assert_eq!(w.quarantine_len(), 6);

    // The server's copies are unchanged.
    let items = w.login("alice").pull_all();
    let carl_now = snapshot_record(&items, carl.id()).unwrap();
    assert_eq!(carl_now["account_id"], acme.id().to_string());
    assert!(snapshot_record(&items, fine.id()).is_some());
    assert_eq!(
        snapshot_record(&items, acme.id()).unwrap()["owner"],
        "alice"
    );
}

pub fn a_resent_change_is_a_duplicate(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    let e = acme.set("city", "Paris");
    let resp = alice.push(vec![a.clone(), e.clone()]);
    assert_eq!((resp.accepted, resp.duplicates), (2, 0));
    let log = w.log_len();
    // Resent by the same device, twice in one page, and by another device.
    let resp = alice.push(vec![a.clone(), e.clone(), e.clone()]);
    assert_eq!((resp.accepted, resp.duplicates), (0, 3));
    let phone = w.login("alice");
    assert_eq!(phone.push(vec![a, e]).duplicates, 2);
    assert_eq!(w.log_len(), log);
}

pub fn products_are_written_by_admins_and_seen_by_all(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let root = w.login("root");
    let mia = w.login("mia");
    let (mut widget, p) = Doc::create(
        Kind::Product,
        "root",
        &[("sku", text("W-1")), ("name", text("Widget"))],
    );
    let (_, rogue) = Doc::create(Kind::Product, "alice", &[("sku", text("X-1"))]);
    let resp = alice.push(vec![rogue]);
    assert!(
        resp.refused[0].reason.contains("only admins"),
        "{:?}",
        resp.refused
    );
    assert_eq!(root.push(vec![p]).accepted, 1);
    let mut alices = widget.fork("alice");
    assert_eq!(
        alice.push(vec![alices.set("name", "Gadget")]).refused.len(),
        1
    );
    let mut mias = widget.fork("mia");
    assert_eq!(mia.push(vec![mias.set("name", "Gizmo")]).refused.len(), 1);
    assert_eq!(
        root.push(vec![widget.set("unit_price", "9.50")]).accepted,
        1
    );
    for user in ["alice", "zoe", "mia"] {
        let items = w.login(user).pull_all();
        match &items[..] {
            [
                PullItem::Snapshot {
                    doc_id,
                    owner,
                    record,
                    ..
                },
            ] => {
                assert_eq!((*doc_id, owner.as_str()), (widget.id(), ""));
                assert_eq!(record["unit_price"], "9.50");
                assert_eq!(record["name"], "Widget");
            }
            other => panic!("{user}: {other:?}"),
        }
    }
}
