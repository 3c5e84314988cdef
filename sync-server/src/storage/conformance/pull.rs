//! Pulls: the bootstrap's pages and cursor, ordinary pulls, and what scope changes send.

use super::Fresh;
use super::fixtures::{Doc, World, drops, shown, snapshot_record, snapshots, sorted};
use crate::error::ServerError;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{PullItem, Role};

pub fn bootstrap_pages_then_continues_from_where_it_began(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let mut docs = Vec::new();
    let mut envs = Vec::new();
    for i in 0..5 {
        let (d, e) = Doc::account("alice", &format!("Account {i}"));
        docs.push(d);
        envs.push(e);
    }
    assert_eq!(alice.push(envs).accepted, 5);
    let began = w.log_len();

    let mut device = w.login("alice");
    let first = device.pull_page(Some(2));
    assert_eq!(
        (first.items.len(), first.cursor, first.more),
        (2, began, true)
    );
    let after = first.snapshot_after.expect("more snapshots to come");
    // Meanwhile, one of the records already sent changes, and one not sent yet.
    let edit_sent = docs[0].set("city", "Oslo");
    let edit_later = docs[4].set("city", "Rome");
    assert_eq!(alice.push(vec![edit_sent, edit_later]).accepted, 2);

    let second = device.pull_page(Some(2));
    assert_eq!(
        second.cursor, began,
        "the cursor stays where the bootstrap began"
    );
    assert_eq!(second.items.len(), 2);
    assert!(second.snapshot_after.unwrap() > after);
    let third = device.pull_page(Some(2));
    assert_eq!((third.items.len(), third.snapshot_after), (1, None));
    assert!(third.more, "changes made meanwhile are waiting");
    let mut ids = snapshots(&first.items);
    ids.extend(snapshots(&second.items));
    ids.extend(snapshots(&third.items));
    assert_eq!(
        ids,
        sorted(docs.iter().map(|d| d.id()).collect()),
        "every record once, in id order"
    );
    let rest = device.pull_all();
    assert!(shown(&rest).contains(&docs[0].id()), "{rest:?}");
    assert_eq!(device.cursor, w.log_len());
    let again = device.pull_page(None);
    assert!(again.items.is_empty() && !again.more, "caught up");
}

pub fn an_empty_bootstrap_ends_at_once_and_a_cursor_ahead_is_refused(fresh: Fresh) {
    let w = World::company(fresh);
    let mut bob = w.login("bob");
    let page = bob.pull_page(None);
    assert!(page.items.is_empty() && !page.more);
    assert_eq!((page.cursor, page.snapshot_after), (0, None));
    // Someone else's records move the log on; bob's cursor follows without seeing them.
    let alice = w.login("alice");
    alice.push(vec![Doc::account("alice", "Acme").1]);
    let page = bob.pull_page(None);
    assert!(page.items.is_empty());
    assert_eq!(page.cursor, w.log_len());
    // A cursor from a future the server does not have (it was restored from a copy).
    bob.cursor = w.log_len() + 10;
    let err = bob.try_pull_page(None).unwrap_err();
    assert!(
        matches!(&err, ServerError::CursorAhead(m) if m.contains("ahead of the server's log")),
        "{err}"
    );
    assert_eq!((err.status(), err.code()), (409, "cursor_ahead"));
}

pub fn ordinary_pulls_group_changes_and_give_owners_for_own_changes(fresh: Fresh) {
    let w = World::company(fresh);
    let mut alice = w.login("alice");
    let (mut acme, a) = Doc::account("alice", "Acme");
    alice.push(vec![a]);
    assert_eq!(alice.pull_all().len(), 1);
    let mut phone = w.login("alice");
    assert_eq!(phone.pull_all().len(), 1);

    let mia = w.login("mia");
    let mut mias = acme.fork("mia");
    let e1 = acme.set("city", "Paris");
    let e2 = acme.set("phone", "555");
    alice.push(vec![e1, e2]);
    // A concurrent edit of the same field: a conflict.
    assert_eq!(mia.push(vec![mias.set("city", "Lyon")]).accepted, 1);
    // Another record's change in between splits the run.
    let (_, other) = Doc::account("alice", "Other");
    alice.push(vec![other]);
    assert_eq!(mia.push(vec![mias.set("phone", "556")]).accepted, 1);

    // The device that pushed: owners for its own changes (twice in a row said once).
    match &alice.pull_all()[..] {
        [
            PullItem::Owner { doc_id: o1, owner },
            PullItem::Changes {
                doc_id: c1,
                changes: m1,
                ..
            },
            PullItem::Owner { doc_id: o2, .. },
            PullItem::Changes {
                doc_id: c2,
                changes: m2,
                ..
            },
        ] => {
            assert_eq!((*o1, *c1, *c2), (acme.id(), acme.id(), acme.id()));
            assert_eq!(owner, "alice");
            assert_ne!(*o2, acme.id());
            assert_eq!((m1.len(), m2.len()), (1, 1));
        }
        other => panic!("{other:?}"),
    }
    // Another device: consecutive changes of one record in one item.
    match &phone.pull_all()[..] {
        [
            PullItem::Changes {
                doc_id,
                changes,
                owner,
                kind,
                received_at,
            },
            PullItem::Changes { doc_id: other, .. },
            PullItem::Changes {
                doc_id: again,
                changes: last,
                ..
            },
        ] => {
            assert_eq!(
                (*doc_id, *kind, owner.as_str()),
                (acme.id(), Kind::Account, "alice")
            );
            assert_eq!(changes.len(), 3);
            // When the server received each change, one time per change.
            assert_eq!(received_at.len(), 3);
            assert!(
                received_at.iter().all(|t| t.ends_with('Z')),
                "{received_at:?}"
            );
            assert_ne!(other, doc_id);
            assert_eq!((again, last.len()), (doc_id, 1));
        }
        other => panic!("{other:?}"),
    }
    // A new device: snapshots, with the conflicts counted.
    match &w.login("alice").pull_all()[..] {
        [
            PullItem::Snapshot {
                conflicts, record, ..
            },
            PullItem::Snapshot { .. },
        ] => {
            assert_eq!(*conflicts, 2, "city and phone");
            assert_eq!(record["name"], "Acme");
        }
        other => panic!("{other:?}"),
    }
}

pub fn team_changes_grant_and_revoke_records(fresh: Fresh) {
    let w = World::company(fresh);
    let zoe = w.login("zoe");
    let (zeta, z) = Doc::account("zoe", "Zeta");
    let (c, ce) = Doc::child(Kind::Contact, "zoe", zeta.id(), "Zed");
    zoe.push(vec![z, ce]);
    let mut mia = w.login("mia");
    assert!(mia.pull_all().is_empty());
    let expected = sorted(vec![zeta.id(), c.id()]);

    w.set_team("zoe", Some("east"));
    let items = mia.pull_all();
    assert_eq!(sorted(snapshots(&items)), expected, "{items:?}");
    assert_eq!(items.len(), 2, "nothing but the snapshots: {items:?}");
    // A new device of mia's, bootstrapping after the move, gets them once.
    assert_eq!(w.login("mia").pull_all().len(), 2);
    // Zoe's own devices are not told anything: she still sees her records.
    let mut zoes = w.login("zoe");
    zoes.pull_all();

    w.set_team("zoe", None);
    assert_eq!(sorted(drops(&mia.pull_all())), expected);
    assert!(drops(&zoes.pull_all()).is_empty());

    // Becoming a rep, a manager loses the team's records; becoming a manager of a team
    // without one (by joining it), gains them.
    w.set_team("zoe", Some("east"));
    assert_eq!(mia.pull_all().len(), 2);
    let demote = crate::service::UserChange {
        role: Some(Role::Rep),
        ..Default::default()
    };
    w.service
        .update_user(&crate::access::Requester::Operator, "mia", demote)
        .unwrap();
    assert_eq!(drops(&mia.pull_all()).len(), 2);
    w.user("max", Role::Manager, Some("west"));
    let mut max = w.login("max");
    assert!(max.pull_all().is_empty());
    w.set_team("zoe", Some("west"));
    assert_eq!(sorted(snapshots(&max.pull_all())), expected);
}

pub fn a_change_never_reaches_a_device_that_does_not_hold_the_record(fresh: Fresh) {
    // Zoe's record edited while mia could not see it, then zoe joins mia's team: mia's
    // device, which pulled before, gets the record whole, not the bare changes.
    let w = World::company(fresh);
    let alice = w.login("alice");
    alice.push(vec![Doc::account("alice", "Acme").1]);
    let mut mia = w.login("mia");
    assert_eq!(mia.pull_all().len(), 1);
    assert!(mia.cursor > 0);
    let zoe = w.login("zoe");
    let (mut zeta, z) = Doc::account("zoe", "Zeta");
    zoe.push(vec![z]);
    zoe.push(vec![zeta.set("city", "Oslo")]);
    w.set_team("zoe", Some("east"));
    let items = mia.pull_all();
    assert!(
        items.iter().all(|i| !matches!(i, PullItem::Changes { .. })),
        "{items:?}"
    );
    assert_eq!(snapshots(&items), vec![zeta.id()]);
    assert_eq!(snapshot_record(&items, zeta.id()).unwrap()["city"], "Oslo");
}
