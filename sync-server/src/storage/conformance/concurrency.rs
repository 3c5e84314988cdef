//! Pushes at the same time: the outcome is always what one push after another would have
//! given, whatever the backend does to run them in parallel.

use super::Fresh;
use super::fixtures::{Doc, World, snapshot_record};
use crate::access::Requester;
use crate::storage::{LogFilter, StorageExt};
use fieldbook_core::protocol::{ChangeEnvelope, PushResponse, ReassignRequest};
use std::sync::{Arc, Barrier};

/// Runs each of `jobs` on its own thread, all released at once; their results in order.
fn at_once<T: Send>(jobs: Vec<Box<dyn FnOnce() -> T + Send + '_>>) -> Vec<T> {
    let start = Arc::new(Barrier::new(jobs.len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|job| {
                let start = start.clone();
                scope.spawn(move || {
                    start.wait();
                    job()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

pub fn the_same_changes_from_many_devices_at_once_are_stored_once(fresh: Fresh) {
    let w = World::company(fresh);
    let laptop = w.login("alice");
    let (mut acme, create) = Doc::account("alice", "Acme");
    assert_eq!(laptop.push(vec![create]).accepted, 1);
    let devices: Vec<_> = (0..8).map(|_| w.login("alice")).collect();
    for round in 0..3 {
        let same: Vec<ChangeEnvelope> = (0..3)
            .map(|i| acme.set("city", &format!("City {round}.{i}")))
            .collect();
        let before = w.log_len();
        let answers: Vec<PushResponse> = at_once(
            devices
                .iter()
                .map(|d| {
                    let same = same.clone();
                    Box::new(move || d.push(same)) as Box<dyn FnOnce() -> PushResponse + Send>
                })
                .collect(),
        );
        let accepted: u64 = answers.iter().map(|r| r.accepted).sum();
        let duplicates: u64 = answers.iter().map(|r| r.duplicates).sum();
        assert!(answers.iter().all(|r| r.refused.is_empty()), "{answers:?}");
        assert_eq!((accepted, duplicates), (3, 21), "{answers:?}");
        assert_eq!(w.log_len(), before + 3);
    }
    let items = w.login("mia").pull_all();
    assert_eq!(
        snapshot_record(&items, acme.id()).unwrap()["city"],
        "City 2.2"
    );
}

pub fn concurrent_edits_of_one_record_are_all_kept(fresh: Fresh) {
    let w = World::company(fresh);
    let laptop = w.login("alice");
    let phone = w.login("alice");
    let mia = w.login("mia");
    let (mut acme, create) = Doc::account("alice", "Acme");
    assert_eq!(laptop.push(vec![create]).accepted, 1);
    let mut on_phone = acme.fork("alice");
    let mut on_mias = acme.fork("mia");
    for round in 0..10 {
        let a = acme.set("phone", &format!("555-{round}"));
        let b = on_phone.set("website", &format!("https://acme{round}.example"));
        let c = on_mias.set("city", &format!("City {round}"));
        let answers = at_once(vec![
            Box::new(|| laptop.push(vec![a])) as Box<dyn FnOnce() -> PushResponse + Send>,
            Box::new(|| phone.push(vec![b])),
            Box::new(|| mia.push(vec![c])),
        ]);
        for r in &answers {
            assert_eq!(
                (r.accepted, r.refused.len()),
                (1, 0),
                "round {round}: {answers:?}"
            );
        }
    }
    let items = w.login("root").pull_all();
    let record = snapshot_record(&items, acme.id()).expect("acme reaches the admin");
    assert_eq!(record["phone"], "555-9");
    assert_eq!(record["website"], "https://acme9.example");
    assert_eq!(record["city"], "City 9");
}

pub fn a_reassignment_racing_pushes_takes_whole_pages(fresh: Fresh) {
    let w = World::company(fresh);
    let laptop = w.login("alice");
    let (mut acme, create) = Doc::account("alice", "Acme");
    assert_eq!(laptop.push(vec![create]).accepted, 1);
    // Pages of three edits each, every page building on the one before.
    let pages: Vec<Vec<ChangeEnvelope>> = (0..12)
        .map(|p| {
            (0..3)
                .map(|i| acme.set("city", &format!("City {p}.{i}")))
                .collect()
        })
        .collect();
    let mia = w.login("mia").user();
    let move_it = ReassignRequest {
        from: Some("alice".into()),
        to: "bob".into(),
        accounts: vec![],
    };
    let results = at_once(vec![
        Box::new(|| {
            let answers: Vec<PushResponse> = pages.iter().map(|p| laptop.push(p.clone())).collect();
            (answers, None)
        }) as Box<dyn FnOnce() -> (Vec<PushResponse>, Option<u64>) + Send>,
        Box::new(|| {
            std::thread::yield_now();
            let moved = w.service.reassign(&mia, &move_it).unwrap();
            (Vec::new(), Some(moved.records))
        }),
    ]);
    let answers = &results[0].0;
    assert_eq!(results[1].1, Some(1));
    // Each page was taken whole or refused whole; once refused (the account moved to bob),
    // every later page too.
    let taken = answers.iter().take_while(|r| r.accepted == 3).count();
    for r in &answers[taken..] {
        assert_eq!((r.accepted, r.refused.len()), (0, 3), "{answers:?}");
    }
    let items = w.login("bob").pull_all();
    let record = snapshot_record(&items, acme.id()).expect("the account is bob's");
    assert_eq!(record["owner"], "bob");
    let city = if taken == 0 {
        serde_json::Value::Null
    } else {
        serde_json::Value::String(format!("City {}.2", taken - 1))
    };
    assert_eq!(record.get("city").cloned().unwrap_or_default(), city);
    let refused = (answers.len() - taken) as u64 * 3;
    let q = w.service.quarantine(&Requester::Operator, false).unwrap();
    assert_eq!(q.len() as u64, refused);
}

pub fn a_team_change_racing_pushes_counts_for_every_later_page(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (mut acme, create) = Doc::account("alice", "Acme");
    assert_eq!(alice.push(vec![create]).accepted, 1);
    // Mia edits alice's account in pages of 40 while alice moves to another team.
    let mut mias = acme.fork("mia");
    let pages: Vec<Vec<ChangeEnvelope>> = (0..10)
        .map(|p| {
            (0..40)
                .map(|i| mias.set("city", &format!("City {p}.{i}")))
                .collect()
        })
        .collect();
    let mia = w.login("mia");
    let results = at_once(vec![
        Box::new(|| {
            let answers: Vec<PushResponse> = pages.iter().map(|p| mia.push(p.clone())).collect();
            answers
        }) as Box<dyn FnOnce() -> Vec<PushResponse> + Send>,
        Box::new(|| {
            std::thread::sleep(std::time::Duration::from_millis(5));
            w.set_team("alice", None);
            Vec::new()
        }),
    ]);
    let answers = &results[0];
    let taken = answers.iter().take_while(|r| r.accepted == 40).count();
    for r in &answers[taken..] {
        assert_eq!((r.accepted, r.refused.len()), (0, 40), "{answers:?}");
    }
    // In the log, no change of mia's device comes after the revoke that took alice's
    // records from her.
    let device = mia.session.device_id;
    let storage = w.service.storage().clone();
    let (revoked, last_mine) = storage
        .read(|repo| {
            let head = repo.log_head()?;
            let revoked = repo
                .log_seqs(LogFilter::Grantee("mia"), 0, head, usize::MAX >> 1)?
                .first()
                .copied();
            let mut last_mine = None;
            for seq in repo.log_seqs(LogFilter::Owner("alice"), 0, head, usize::MAX >> 1)? {
                if repo.log_entry(seq, device)?.is_some_and(|e| e.own) {
                    last_mine = Some(seq);
                }
            }
            Ok((revoked, last_mine))
        })
        .unwrap();
    let revoked = revoked.expect("moving alice revoked her records from mia");
    assert!(
        last_mine.is_none_or(|m| m < revoked),
        "mia's change at {last_mine:?} after the revoke at {revoked}"
    );
    assert_eq!(last_mine.is_some(), taken > 0);
    let _ = &mut acme;
}

pub fn the_log_is_read_gap_free_while_pushes_commit(fresh: Fresh) {
    let w = World::company(fresh);
    let reps = ["alice", "bob", "zoe", "mia"];
    let devices: Vec<_> = reps.iter().map(|u| w.login(u)).collect();
    let storage = w.service.storage().clone();
    let done = std::sync::atomic::AtomicBool::new(false);
    let pages = 25;
    std::thread::scope(|scope| {
        // Devices push one new record a page, all at once.
        let writers: Vec<_> = reps
            .iter()
            .zip(&devices)
            .map(|(user, device)| {
                scope.spawn(move || {
                    for i in 0..pages {
                        let (_, create) = Doc::account(user, &format!("{user} {i}"));
                        assert_eq!(device.push(vec![create]).accepted, 1);
                    }
                })
            })
            .collect();
        // A reader meanwhile: every snapshot holds positions 1..=head, none missing, and
        // the head never goes back. A cursor taken from any of them skips nothing.
        let reader = scope.spawn(|| {
            let (mut last, mut reads) = (0, 0);
            while !done.load(std::sync::atomic::Ordering::Relaxed) || reads == 0 {
                let (head, seqs) = storage
                    .read(|repo| {
                        let head = repo.log_head()?;
                        Ok((
                            head,
                            repo.log_seqs(LogFilter::AllFor("root"), 0, head, 100_000)?,
                        ))
                    })
                    .unwrap();
                assert!(head >= last, "the head went back from {last} to {head}");
                assert_eq!(seqs, (1..=head).collect::<Vec<_>>(), "a gap below {head}");
                last = head;
                reads += 1;
            }
            (last, reads)
        });
        for wr in writers {
            wr.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let (_, reads) = reader.join().unwrap();
        assert!(reads > 1, "the reader read while the pushes ran");
    });
    assert_eq!(w.log_len(), (reps.len() * pages) as u64);
}
