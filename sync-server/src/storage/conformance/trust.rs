//! Trust (issue 8): a change's author is the user who pushes it, what moved while a device
//! did not know is still its user's rightful work, refused changes are dealt with (applied,
//! discarded, retried when what they wait for arrives), account parents make no loop, and
//! the log has an identity a restored server changes.

use super::Fresh;
use super::fixtures::{Doc, World, drops, snapshot_record, text};
use crate::access::Requester;
use crate::error::ServerError;
use crate::storage::StorageExt;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    DocHeads, PROTOCOL_VERSION, PullItem, PullRequest, QuarantineState, ReassignRequest,
    ReconcileRequest, Role,
};
use fieldbook_core::value::Value;

pub fn a_change_is_its_pushers_and_stamps_cannot_say_otherwise(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    assert_eq!(alice.push(vec![a]).accepted, 1);
    let log = w.log_len();
    // Mia may write alice's account, but not as alice.
    let mia = w.login("mia");
    let r = mia.push(vec![acme.fork("alice").set("city", "Lyon")]);
    assert_eq!((r.accepted, r.refused.len()), (0, 1));
    assert!(r.refused[0].reason.contains("signed by `alice`"), "{r:?}");
    // As herself she may; the answer says when the server received it.
    let r = mia.push(vec![acme.fork("mia").set("city", "Lyon")]);
    assert_eq!(r.accepted, 1, "{r:?}");
    assert!(r.received_at.is_some() && r.received.len() == 1, "{r:?}");
    assert_eq!(w.log_len(), log + 1);
    // Values are checked wherever they come from.
    let mut opp = Doc::child(Kind::Opportunity, "alice", acme.id(), "Deal");
    assert_eq!(alice.push(vec![opp.1]).accepted, 1);
    let r = alice.push(vec![opp.0.set("close_date", "31/02/2026")]);
    assert_eq!(r.refused.len(), 1, "{r:?}");
    assert!(r.refused[0].reason.contains("close_date"), "{r:?}");
    let _ = acme.set("phone", "1");
}

pub fn writes_made_before_learning_of_a_move_reach_the_new_owner(fresh: Fresh) {
    let w = World::company(fresh);
    w.user("dan", Role::Rep, Some("east"));
    let mut alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    assert_eq!(alice.push(vec![a]).accepted, 1);
    alice.pull_all();
    let (carl, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Carl");
    let city = acme.set("city", "Lyon");
    let mia = w.login("mia");
    let moved = w
        .service
        .reassign(
            &mia.user(),
            &ReassignRequest {
                from: None,
                to: "dan".into(),
                accounts: vec![acme.id()],
            },
        )
        .unwrap();
    assert_eq!(moved.records, 1);
    // Her device had not pulled past the move: both are hers to have made.
    let r = alice.push(vec![c, city]);
    assert_eq!((r.accepted, r.refused.len()), (2, 0), "{r:?}");
    let items = alice.pull_all();
    let dropped = drops(&items);
    assert!(
        dropped.contains(&acme.id()) && dropped.contains(&carl.id()),
        "{items:?}"
    );
    let items = w.login("dan").pull_all();
    let record = snapshot_record(&items, carl.id()).expect("dan gets the contact");
    assert_eq!(
        (record["owner"].as_str(), record["created_by"].as_str()),
        (Some("dan"), Some("alice"))
    );
    assert_eq!(snapshot_record(&items, acme.id()).unwrap()["city"], "Lyon");
    // Now her device knows: refused.
    let r = alice.push(vec![acme.set("phone", "555")]);
    assert_eq!((r.accepted, r.refused.len()), (0, 1), "{r:?}");
}

pub fn account_parents_make_no_loop(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut a, ae) = Doc::account("alice", "A");
    let (b, be) = Doc::create(
        Kind::Account,
        "alice",
        &[
            ("name", text("B")),
            ("parent_id", Value::Ref(Kind::Account, a.id())),
        ],
    );
    let (c, ce) = Doc::create(
        Kind::Account,
        "alice",
        &[
            ("name", text("C")),
            ("parent_id", Value::Ref(Kind::Account, b.id())),
        ],
    );
    assert_eq!(alice.push(vec![ae, be, ce]).accepted, 3);
    let spec = fieldbook_core::schema::field(Kind::Account, "parent_id").unwrap();
    a.doc
        .set(spec, Some(Value::Ref(Kind::Account, c.id())))
        .unwrap();
    let r = alice.push(vec![a.commit()]);
    assert_eq!(r.refused.len(), 1, "{r:?}");
    assert!(r.refused[0].reason.contains("loop"), "{r:?}");
}

pub fn refused_changes_are_applied_discarded_or_retried(fresh: Fresh) {
    let w = World::company(fresh);
    let mut alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    assert_eq!(alice.push(vec![a]).accepted, 1);
    // A change whose predecessor has not arrived waits, and goes in by itself when it does.
    let first = acme.set("phone", "1");
    let second = acme.set("city", "Bergen");
    let r = alice.push(vec![second]);
    assert!(r.refused[0].reason.contains("depends on"), "{r:?}");
    let mia = w.login("mia").user();
    let waiting = w.service.quarantine(&mia, false).unwrap();
    assert!(waiting[0].waiting_for_deps, "{waiting:?}");
    let page = alice.pull_page(None);
    assert_eq!(page.open_refusals.as_ref().map(Vec::len), Some(1));
    assert_eq!(alice.push(vec![first]).accepted, 1);
    let done = w.service.quarantine(&mia, true).unwrap();
    assert_eq!(done[0].state, QuarantineState::Applied, "{done:?}");
    assert_eq!(
        done[0].decided_by.as_deref(),
        Some(crate::service::RETRIED_BY)
    );
    let page = alice.pull_page(None);
    assert_eq!(
        page.open_refusals,
        Some(vec![]),
        "her device learns it went in"
    );
    // One that waits, then fails on its own merits once what it waited for arrives: it
    // stays, saying why now.
    let (mut beta, b) = Doc::account("alice", "Beta");
    assert_eq!(alice.push(vec![b]).accepted, 1);
    let before = beta.set("phone", "2");
    automerge::transaction::Transactable::put(
        beta.doc.automerge(),
        automerge::ROOT,
        "email",
        "not an address",
    )
    .unwrap();
    let bad = beta.commit();
    assert!(
        alice.push(vec![bad]).refused[0]
            .reason
            .contains("depends on")
    );
    assert_eq!(alice.push(vec![before]).accepted, 1);
    let open = w.service.quarantine(&mia, false).unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(
        !open[0].waiting_for_deps && open[0].reason.contains("email"),
        "{open:?}"
    );
    w.service
        .discard_quarantined(&Requester::Operator, open[0].id)
        .unwrap();

    // Bob writes alice's account twice: refused (access is checked first).
    let bob = w.login("bob");
    let mut bobs = acme.fork("bob");
    let r = bob.push(vec![bobs.set("phone", "555")]);
    assert_eq!(r.refused.len(), 1);
    let r = bob.push(vec![bobs.set("industry", "Fish")]);
    assert!(r.refused[0].reason.contains("alice owns"), "{r:?}");
    let open = w.service.quarantine(&mia, false).unwrap();
    assert_eq!(open.len(), 2, "{open:?}");
    let (id, later) = (open[0].id, open[1].id);
    let shown = w.service.quarantined(&mia, id).unwrap();
    assert_eq!(shown.author, "bob");
    assert_eq!(shown.owner.as_deref(), Some("alice"));
    assert!(
        shown
            .writes
            .iter()
            .any(|f| f.field == "phone" && f.value == "555"),
        "{shown:?}"
    );
    // The second cannot go in before the first: it depends on it.
    let err = w.service.apply_quarantined(&mia, later).unwrap_err();
    assert!(err.to_string().contains("depends on"), "{err}");
    // Mia applies them (her team's), in order: they go in as bob's.
    let done = w.service.apply_quarantined(&mia, id).unwrap();
    assert_eq!(done.entry.state, QuarantineState::Applied);
    assert_eq!(done.entry.decided_by.as_deref(), Some("mia"));
    let done = w.service.apply_quarantined(&mia, later).unwrap();
    assert_eq!(done.entry.state, QuarantineState::Applied);
    let items = alice.pull_all();
    assert!(
        items.iter().any(|i| matches!(i, PullItem::Changes { .. })),
        "{items:?}"
    );
    // Applying twice is refused.
    let err = w.service.apply_quarantined(&mia, id).unwrap_err();
    assert!(matches!(err, ServerError::Conflict(_)), "{err}");
    // A forged change cannot be applied; it is discarded and the entry stays, closed.
    let r = bob.push(vec![acme.fork("alice").set("country", "NO")]);
    assert_eq!(r.refused.len(), 1);
    let forged = w.service.quarantine(&mia, false).unwrap()[0].id;
    let err = w.service.apply_quarantined(&mia, forged).unwrap_err();
    assert!(err.to_string().contains("signed by `alice`"), "{err}");
    // Reps decide nothing.
    let err = w
        .service
        .discard_quarantined(&w.login("alice").user(), forged);
    assert!(matches!(err, Err(ServerError::Forbidden(_))));
    let done = w
        .service
        .discard_quarantined(&Requester::Operator, forged)
        .unwrap();
    assert_eq!(done.entry.state, QuarantineState::Discarded);
    assert_eq!(done.entry.decided_by.as_deref(), Some("the operator"));
    assert!(w.service.quarantine(&mia, false).unwrap().is_empty());
    assert_eq!(w.service.quarantine(&mia, true).unwrap().len(), 5);
}

pub fn the_log_has_an_identity_and_reconcile_names_what_it_lacks(fresh: Fresh) {
    let w = World::company(fresh);
    let mut alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    assert_eq!(alice.push(vec![a]).accepted, 1);
    let page = alice.pull_page(None);
    let log_id = page.log_id.expect("a pull says its log");
    let stored = w.service.storage().read(|repo| repo.log_id()).unwrap();
    assert_eq!(log_id, stored);
    // A request against another log is refused, and applies nothing.
    let other = uuid::Uuid::new_v4();
    let err = w
        .service
        .pull(
            &alice.session,
            &PullRequest {
                protocol: PROTOCOL_VERSION,
                cursor: 0,
                snapshot_after: None,
                limit: None,
                pending: 0,
                log_id: Some(other),
            },
        )
        .unwrap_err();
    assert!(matches!(&err, ServerError::LogChanged(_)), "{err}");
    assert_eq!(err.code(), "log_changed");
    // Reconcile: up to date records are left out; a record it lacks changes of, or lacks
    // altogether, comes back with the server's heads (none for the unknown one).
    let heads = |d: &mut Doc| d.doc.heads().iter().map(|h| h.to_string()).collect();
    let up_to_date = DocHeads {
        doc_id: acme.id(),
        heads: heads(&mut acme),
    };
    let server_heads = up_to_date.heads.clone();
    let _ = acme.set("city", "Lyon");
    let (mut unknown, _) = Doc::account("alice", "Never sent");
    let req = ReconcileRequest {
        protocol: PROTOCOL_VERSION,
        docs: vec![
            up_to_date,
            DocHeads {
                doc_id: acme.id(),
                heads: heads(&mut acme),
            },
            DocHeads {
                doc_id: unknown.id(),
                heads: heads(&mut unknown),
            },
        ],
    };
    let resp = w.service.reconcile(&alice.session, &req).unwrap();
    assert_eq!(resp.log_id, Some(log_id));
    assert_eq!(resp.behind.len(), 2, "{resp:?}");
    assert_eq!(resp.behind[0].heads, server_heads);
    assert!(resp.behind[1].heads.is_empty());
    // Someone who may not see it is told nothing of it.
    let zoe = w.login("zoe");
    let resp = w.service.reconcile(&zoe.session, &req).unwrap();
    assert!(resp.behind.iter().all(|d| d.heads.is_empty()), "{resp:?}");
}
