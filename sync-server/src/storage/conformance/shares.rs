//! Records shared beyond scope: a case reaches its assignee (in another team too) with its
//! account and contacts and nothing else of the account, the assignee's work comes back,
//! the share follows the case to its next assignee; personal records reach their owner's
//! devices only; a converted lead hangs on its account and moves with it.

use super::Fresh;
use super::fixtures::{Doc, World, drops, shown, snapshots, sorted, text};
use fieldbook_core::Kind;
use fieldbook_core::protocol::PullItem;
use fieldbook_core::value::Value;
use uuid::Uuid;

/// A case on `account`, assigned to `assignee`.
fn case(
    user: &str,
    account: Uuid,
    assignee: &str,
) -> (Doc, fieldbook_core::protocol::ChangeEnvelope) {
    Doc::create(
        Kind::Case,
        user,
        &[
            ("account_id", Value::Ref(Kind::Account, account)),
            ("subject", text("Pump leaks")),
            ("priority", text("urgent")),
            ("status", text("new")),
            ("assignee", text(assignee)),
        ],
    )
}

pub fn a_case_reaches_its_assignee_with_its_account_and_contacts_only(fresh: Fresh) {
    // Alice (team east) logs a case for zoe (team west) on her account.
    let w = World::company(fresh);
    let alice = w.login("alice");
    let mut zoe = w.login("zoe");
    assert!(zoe.pull_all().is_empty());
    let (mut acme, a) = Doc::account("alice", "Acme");
    let (contact, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Wang Wei");
    let (deal, o) = Doc::child(Kind::Opportunity, "alice", acme.id(), "Pumps 2027");
    let (mut pump, k) = case("alice", acme.id(), "zoe");
    let (mut other, k2) = case("alice", acme.id(), "bob");
    assert_eq!(alice.push(vec![a, c, o, k, k2]).accepted, 5);

    let items = zoe.pull_all();
    assert_eq!(
        sorted(snapshots(&items)),
        sorted(vec![acme.id(), contact.id(), pump.id()]),
        "the case, its account and contact; not the deal nor bob's case: {items:?}"
    );
    assert!(!shown(&items).contains(&deal.id()) && !shown(&items).contains(&other.id()));
    // A new device of zoe's bootstraps the same.
    let mut fresh_device = w.login("zoe");
    assert_eq!(
        sorted(snapshots(&fresh_device.pull_all())),
        sorted(vec![acme.id(), contact.id(), pump.id()])
    );

    // Zoe resolves it: her change is accepted, and reaches alice's other device and the
    // manager; zoe's own device learns only the owner.
    let mut zoes = pump.fork("zoe");
    zoes.doc
        .set(
            fieldbook_core::schema::field(Kind::Case, "resolution").unwrap(),
            Some(text("replaced the seal")),
        )
        .unwrap();
    zoes.doc
        .set(
            fieldbook_core::schema::field(Kind::Case, "status").unwrap(),
            Some(text("resolved")),
        )
        .unwrap();
    let resolved = zoes.commit();
    let r = zoe.push(vec![resolved]);
    assert_eq!((r.accepted, r.refused.len()), (1, 0), "{:?}", r.refused);
    let mut mia = w.login("mia");
    let seen = mia.pull_all();
    assert!(shown(&seen).contains(&pump.id()));
    let mut laptop = w.login("alice");
    laptop.pull_all();
    let mut alices = w.login("alice");
    alices.pull_all();
    // Zoe may not edit the account or the contact, nor add to the account.
    let mut zoes_acme = acme.fork("zoe");
    let r = zoe.push(vec![zoes_acme.set("name", "Zoe's now")]);
    assert_eq!((r.accepted, r.refused.len()), (0, 1));
    let (_, note) = Doc::create(
        Kind::Activity,
        "zoe",
        &[("account_id", Value::Ref(Kind::Account, acme.id()))],
    );
    assert_eq!(zoe.push(vec![note]).refused.len(), 1);

    // Alice's later edits of the shared records and a new contact reach zoe; the deal's
    // do not.
    let (late, lc) = Doc::child(Kind::Contact, "alice", acme.id(), "Li Na");
    let mut deal = deal;
    alice.push(vec![
        acme.set("city", "Qingdao"),
        lc,
        deal.set("stage", "won"),
    ]);
    let items = zoe.pull_all();
    let got = shown(&items);
    assert!(
        got.contains(&acme.id()) && got.contains(&late.id()),
        "{items:?}"
    );
    assert!(!got.contains(&deal.id()), "{items:?}");

    // The case goes to bob: zoe's devices drop the case, the account and its contacts.
    let handed = pump.fork("alice").set("assignee", "bob");
    assert_eq!(alice.push(vec![handed]).accepted, 1);
    let items = zoe.pull_all();
    assert_eq!(
        sorted(drops(&items)),
        sorted(vec![acme.id(), contact.id(), late.id(), pump.id()]),
        "{items:?}"
    );
    // Bob is in alice's team but a rep: he sees nothing of hers but his cases' share.
    let mut bob = w.login("bob");
    let items = bob.pull_all();
    assert_eq!(
        sorted(snapshots(&items)),
        sorted(vec![
            acme.id(),
            contact.id(),
            late.id(),
            pump.id(),
            other.id()
        ]),
        "{items:?}"
    );
    // Bob's second case leaving him keeps the account shared through the first.
    let handed = other.fork("alice").set("assignee", "alice");
    alice.push(vec![handed]);
    assert_eq!(drops(&bob.pull_all()), vec![other.id()]);
}

pub fn personal_records_reach_their_owners_devices_only(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (d, e) = Doc::create(
        Kind::Dismissal,
        "alice",
        &[("key", text("renewal:0190a0a0-0000-7000-8000-000000000001"))],
    );
    assert_eq!(alice.push(vec![e]).accepted, 1);
    let mut phone = w.login("alice");
    assert_eq!(snapshots(&phone.pull_all()), vec![d.id()]);
    // Her manager and the admin see her records, not her dismissals.
    let (_, a) = Doc::account("alice", "Acme");
    alice.push(vec![a]);
    for who in ["mia", "root"] {
        let mut device = w.login(who);
        let items = device.pull_all();
        assert_eq!(items.len(), 1, "{who}: {items:?}");
        assert!(!shown(&items).contains(&d.id()));
    }
    // A later change reaches her phone, as changes, and nobody else's device.
    let mut d = d;
    let mut mia = w.login("mia");
    mia.pull_all();
    phone.pull_all();
    alice.push(vec![d.set("until", "2026-12-24")]);
    assert!(
        matches!(&phone.pull_all()[..], [PullItem::Changes { doc_id, .. }] if *doc_id == d.id())
    );
    assert!(mia.pull_all().is_empty());
}

pub fn a_converted_lead_hangs_on_its_account_and_moves_with_it(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut lead, l) = Doc::create(
        Kind::Lead,
        "alice",
        &[("name", text("Wang Wei")), ("company", text("Haier"))],
    );
    alice.push(vec![l]);
    // Converted on her device: the account, then the lead's links, in one page.
    let (acme, a) = Doc::account("alice", "Haier");
    let spec = |n| fieldbook_core::schema::field(Kind::Lead, n).unwrap();
    lead.doc
        .set(
            spec("account_id"),
            Some(Value::Ref(Kind::Account, acme.id())),
        )
        .unwrap();
    lead.doc
        .set(spec("status"), Some(text("converted")))
        .unwrap();
    let converted = lead.commit();
    let r = alice.push(vec![a, converted]);
    assert_eq!((r.accepted, r.refused.len()), (2, 0), "{:?}", r.refused);
    // Linking it to someone else's account would be a move: refused.
    let zoe = w.login("zoe");
    let (zeta, z) = Doc::account("zoe", "Zeta");
    zoe.push(vec![z]);
    let mut stolen = lead.fork("alice");
    stolen
        .doc
        .set(
            spec("account_id"),
            Some(Value::Ref(Kind::Account, zeta.id())),
        )
        .unwrap();
    assert_eq!(alice.push(vec![stolen.commit()]).refused.len(), 1);
    // The account goes to bob: the lead goes with it.
    let moved = w
        .service
        .reassign(
            &crate::access::Requester::Operator,
            &fieldbook_core::protocol::ReassignRequest {
                from: None,
                to: "bob".into(),
                accounts: vec![acme.id()],
            },
        )
        .unwrap();
    assert_eq!(moved.records, 2, "the account and its lead");
    let mut bob = w.login("bob");
    assert_eq!(
        sorted(snapshots(&bob.pull_all())),
        sorted(vec![acme.id(), lead.id()])
    );
}
