//! The transaction contract: a write is all or nothing, a read sees one snapshot, and
//! bookkeeping queued without waiting lands.

use super::Fresh;
use super::fixtures::{Doc, World};
use crate::error::ServerError;
use crate::storage::{NewUserRow, StorageExt};
use fieldbook_core::protocol::Role;
use std::sync::mpsc;

pub fn a_failed_write_changes_nothing(fresh: Fresh) {
    let storage = fresh.storage.clone();
    let row = NewUserRow {
        name: "ghost".into(),
        role: Role::Rep,
        team: None,
        password_hash: "not a hash".into(),
    };
    let err = storage
        .write(move |repo| {
            repo.insert_user(&row, "2026-01-01T00:00:00Z")?;
            repo.insert_team("haunted", "ghost", "2026-01-01T00:00:00Z")?;
            Err::<(), _>(ServerError::BadRequest("changed my mind".into()))
        })
        .unwrap_err();
    assert!(matches!(err, ServerError::BadRequest(_)), "{err}");
    let (user, manager) = storage
        .read(|repo| Ok((repo.user("ghost")?, repo.team_manager("haunted")?)))
        .unwrap();
    assert!(user.is_none() && manager.is_none(), "nothing was kept");
    // The next write is unaffected.
    let w = World::new(fresh);
    w.user("alice", Role::Rep, None);
    assert_eq!(w.service.counts().unwrap().users, 1);
}

pub fn a_read_sees_one_snapshot(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    alice.push(vec![Doc::account("alice", "First").1]);
    let storage = w.service.storage().clone();
    let (go, wait) = mpsc::channel::<()>();
    let (done, written) = mpsc::channel::<u64>();
    let pusher = std::thread::spawn(move || {
        wait.recv().unwrap();
        let accepted = alice.push(vec![Doc::account("alice", "Second").1]).accepted;
        done.send(accepted).unwrap();
    });
    let (first, again) = storage
        .read(|repo| {
            let first = (repo.log_head()?, repo.counts()?.docs);
            go.send(()).unwrap();
            // The write commits while this read is open.
            assert_eq!(written.recv().unwrap(), 1);
            Ok((first, (repo.log_head()?, repo.counts()?.docs)))
        })
        .unwrap();
    pusher.join().unwrap();
    assert_eq!(first, (1, 1));
    assert_eq!(again, first, "the read kept its snapshot");
    assert_eq!(w.log_len(), 2, "a new read sees the write");
}

pub fn bookkeeping_lands_once_settled(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    w.service.note_pending(&alice.session, 42).unwrap();
    w.service.storage().settle().unwrap();
    let devices = w
        .service
        .devices(&crate::access::Requester::Operator, Some("alice"))
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].pending, 42);
    assert_eq!(devices[0].last_sync, None, "noting is not syncing");
    let mut alice = alice;
    alice.pull_all();
    let devices = w
        .service
        .devices(&crate::access::Requester::Operator, Some("alice"))
        .unwrap();
    assert_eq!(devices[0].pending, 0, "a pull says what the device holds");
    assert!(devices[0].last_sync.is_some());
}
