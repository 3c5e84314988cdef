//! Pulling: bootstrap pages, ordinary pulls, grouping, conflicts, scope changes.

use crate::support::*;
use fieldbook_core::protocol::{PullItem, Role};
use fieldbook_server::access::Requester;
use fieldbook_server::service::UserChange;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_pages_through_snapshots_then_continues_from_where_it_began() {
    let s = company().await;
    let alice = s.login("alice").await;
    let mut docs = Vec::new();
    let mut envs = Vec::new();
    for i in 0..5 {
        let (d, e) = account("alice", &format!("Account {i}"));
        docs.push(d);
        envs.push(e);
    }
    assert_eq!(alice.push(envs).await.0, 200);
    let began = s.log_len();

    let mut device = s.login("alice").await;
    let first = device.pull_page(Some(2)).await;
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.cursor, began);
    assert!(first.more);
    let after = first.snapshot_after.expect("more snapshots to come");
    // Meanwhile, one of the records already sent changes, and one not yet sent.
    let edit_sent = docs[0].set("city", text("Oslo"));
    let edit_later = docs[4].set("city", text("Rome"));
    alice.push(vec![edit_sent, edit_later]).await;

    let second = device.pull_page(Some(2)).await;
    assert_eq!(
        second.cursor, began,
        "the cursor stays where the bootstrap began"
    );
    assert_eq!(second.items.len(), 2);
    assert!(second.snapshot_after.unwrap() > after);
    let third = device.pull_page(Some(2)).await;
    assert_eq!(third.items.len(), 1);
    assert_eq!(third.snapshot_after, None);
    assert!(third.more, "changes made meanwhile are waiting");
    let mut ids: Vec<_> = snapshots(&first.items);
    ids.extend(snapshots(&second.items));
    ids.extend(snapshots(&third.items));
    let mut expected: Vec<_> = docs.iter().map(|d| d.id()).collect();
    expected.sort();
    assert_eq!(ids, expected, "every record once, in id order");

    let rest = device.pull_all().await;
    let changed: Vec<_> = shown(&rest);
    assert!(changed.contains(&docs[0].id()), "{rest:?}");
    assert_eq!(device.cursor, s.log_len());
    // Caught up: nothing more.
    let again = device.pull_page(None).await;
    assert!(again.items.is_empty() && !again.more);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_bootstrap_ends_at_once() {
    let s = company().await;
    let mut bob = s.login("bob").await;
    let page = bob.pull_page(None).await;
    assert!(page.items.is_empty());
    assert!(!page.more);
    assert_eq!((page.cursor, page.snapshot_after), (0, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordinary_pulls_group_changes_of_a_record_and_show_conflicts() {
    let s = company().await;
    let mut alice = s.login("alice").await;
    let (mut acme, a) = account("alice", "Acme");
    alice.push(vec![a]).await;
    assert_eq!(alice.pull_all().await.len(), 1, "the bootstrap");
    // Alice's phone, bootstrapped now, gets everyone's changes from here on.
    let mut phone = s.login("alice").await;
    assert_eq!(phone.pull_all().await.len(), 1);

    let mia = s.login("mia").await;
    let mut mias = acme.fork("mia");
    let e1 = acme.set("city", text("Paris"));
    let e2 = acme.set("phone", text("555"));
    alice.push(vec![e1, e2]).await;
    // A concurrent edit of the same field: a conflict.
    assert_eq!(mia.push(vec![mias.set("city", text("Lyon"))]).await.0, 200);

    // Another record's change in between splits the run.
    let (_, other) = account("alice", "Other");
    alice.push(vec![other]).await;
    assert_eq!(mia.push(vec![mias.set("phone", text("556"))]).await.0, 200);
    // The laptop: owners for its own changes (twice in a row said once), mia's changes.
    match &alice.pull_all().await[..] {
        [
            PullItem::Owner { doc_id: o1, .. },
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
            assert_ne!(*o2, acme.id());
            assert_eq!((m1.len(), m2.len()), (1, 1));
        }
        other => panic!("{other:?}"),
    }
    let items = phone.pull_all().await;
    match &items[..] {
        [
            PullItem::Changes {
                doc_id,
                changes,
                owner,
                ..
            },
            PullItem::Changes { doc_id: other, .. },
            PullItem::Changes {
                doc_id: again,
                changes: last,
                ..
            },
        ] => {
            assert_eq!(*doc_id, acme.id());
            assert_eq!(
                changes.len(),
                3,
                "three consecutive changes of acme in one item"
            );
            assert_eq!(owner, "alice");
            assert_ne!(other, doc_id);
            assert_eq!((again, last.len()), (doc_id, 1));
        }
        other => panic!("{other:?}"),
    }
    let mut fresh = s.login("alice").await;
    match &fresh.pull_all().await[..] {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_gains_and_loses_a_reps_records_with_team_changes() {
    let s = company().await;
    let zoe = s.login("zoe").await;
    let (zeta, z) = account("zoe", "Zeta");
    let (c, ce) = contact("zoe", zeta.id(), "Zed");
    zoe.push(vec![z, ce]).await;
    let mut mia = s.login("mia").await;
    assert!(mia.pull_all().await.is_empty());

    let update = |team: &str| UserChange {
        team: Some(Some(team.to_string())),
        ..UserChange::default()
    };
    s.service
        .update_user(&Requester::Operator, "zoe", update("east"))
        .unwrap();
    let items = mia.pull_all().await;
    let mut got = snapshots(&items);
    got.sort();
    let mut expected = vec![zeta.id(), c.id()];
    expected.sort();
    assert_eq!(got, expected, "{items:?}");
    assert_eq!(
        items.len(),
        2,
        "no changes of records mia did not hold: {items:?}"
    );

    // A new device of mia's, bootstrapping from scratch after the move, gets them once.
    let mut fresh = s.login("mia").await;
    assert_eq!(fresh.pull_all().await.len(), 2);

    let no_team = UserChange {
        team: Some(None),
        ..UserChange::default()
    };
    s.service
        .update_user(&Requester::Operator, "zoe", no_team)
        .unwrap();
    let mut dropped = drops(&mia.pull_all().await);
    dropped.sort();
    assert_eq!(dropped, expected);

    // Becoming a rep, a manager loses the team's records.
    s.service
        .update_user(&Requester::Operator, "zoe", update("east"))
        .unwrap();
    mia.pull_all().await;
    let demote = UserChange {
        role: Some(Role::Rep),
        ..UserChange::default()
    };
    s.service
        .update_user(&Requester::Operator, "mia", demote)
        .unwrap();
    assert_eq!(drops(&mia.pull_all().await).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_never_reaches_a_device_that_does_not_hold_the_record() {
    // Zoe's record edited while mia could not see it, then zoe joins mia's team: mia's
    // device, which pulled before, gets the record whole, not the bare changes.
    let s = company().await;
    let alice = s.login("alice").await;
    alice.push(vec![account("alice", "Acme").1]).await;
    let mut mia = s.login("mia").await;
    assert_eq!(mia.pull_all().await.len(), 1);
    assert!(mia.cursor > 0);
    let zoe = s.login("zoe").await;
    let (mut zeta, z) = account("zoe", "Zeta");
    zoe.push(vec![z]).await;
    zoe.push(vec![zeta.set("city", text("Oslo"))]).await;
    s.service
        .update_user(
            &Requester::Operator,
            "zoe",
            UserChange {
                team: Some(Some("east".into())),
                ..UserChange::default()
            },
        )
        .unwrap();
    let items = mia.pull_all().await;
    assert!(
        items.iter().all(|i| !matches!(i, PullItem::Changes { .. })),
        "{items:?}"
    );
    assert_eq!(snapshots(&items), vec![zeta.id()]);
}
