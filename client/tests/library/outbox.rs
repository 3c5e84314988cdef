//! The outbox and the book's counts (issue #15): a change made here is stored once (the
//! outbox refers to its chunk in the record's document), pushed whole however the document
//! was compacted meanwhile, and counted by a tally that stays exact; the live records of
//! each kind are tallies too; an old store's outbox and counts upgrade.

use crate::store::downgrade_to_schema_6;
use crate::support::{TestServer, engine, store, text};
use fieldbook_client::{Cancel, Kind, Store};
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::Path;

/// Every change waiting, in queue order, as the push would send them: (record, hash).
fn queued(store: &Store) -> Vec<(uuid::Uuid, String)> {
    let page = store
        .outbox_page(usize::MAX >> 1, usize::MAX >> 1, i64::MAX)
        .unwrap();
    page.map(|p| p.changes)
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let change = automerge::Change::from_bytes(c.bytes).expect("a whole change");
            (c.doc_id, change.hash().to_string())
        })
        .collect()
}

/// The hashes of the changes that wrote a record, from its history.
fn written(store: &Store, id: uuid::Uuid) -> BTreeSet<String> {
    store
        .history(id)
        .unwrap()
        .into_iter()
        .map(|e| e.change)
        .collect()
}

/// (rows, rows with their own copy of their bytes) in the file's outbox.
fn rows(path: &Path) -> (i64, i64) {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*), count(change) FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

#[test]
fn a_change_made_here_is_stored_once_and_pushed_whole_after_compaction() {
    let server = TestServer::start();
    server.rep("alice");
    let (dir, mut s) = store("alice");
    let file = dir.path().join("fieldbook.db");
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let beta = s.create(Kind::Account, &text(&[("name", "Beta")])).unwrap();
    // More edits than a document keeps as chunks (32): Acme's bytes are saved whole again
    // on the way, while its earlier changes wait in the outbox.
    for i in 0..40 {
        s.update(acme, &text(&[("city", &format!("Berlin {i}"))]))
            .unwrap();
    }
    s.update(beta, &text(&[("city", "Wien")])).unwrap();
    let waiting = queued(&s);
    assert_eq!(waiting.len(), 43);
    assert_eq!(s.outbox_len().unwrap(), 43);
    let (all, copied) = rows(&file);
    assert_eq!(all, 43);
    // Only the changes appended after the compaction (and the one that triggered it, which
    // went with the whole document) hold copies; the rest refer to the documents.
    assert_eq!(
        copied, 33,
        "the 33 changes up to the compaction hold a copy"
    );
    let pushed_acme: BTreeSet<String> = waiting
        .iter()
        .filter(|(d, _)| *d == acme)
        .map(|(_, h)| h.clone())
        .collect();
    assert_eq!(pushed_acme, written(&s, acme));

    // The server takes them all; a second device sees every edit.
    let mut sync = engine(&server, dir.path(), "alice");
    let report = sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    assert_eq!(report.pushed, 43);
    assert_eq!(s.outbox_len().unwrap(), 0);
    assert_eq!(rows(&file), (0, 0));
    let (phone_dir, phone) = store("alice");
    engine(&server, phone_dir.path(), "alice")
        .sync(&Cancel::new(), &mut |_| {})
        .unwrap();
    assert_eq!(phone.record(acme).unwrap(), s.record(acme).unwrap());
    assert_eq!(written(&phone, acme), written(&s, acme));
}

#[test]
fn the_count_of_changes_waiting_is_exact_after_writes_that_failed() {
    let (dir, mut s) = store("alice");
    let file = dir.path().join("fieldbook.db");
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    // Refused before or inside its transaction: nothing is queued, nothing counted.
    assert!(
        s.create(Kind::Contact, &text(&[("name", "Nobody")]))
            .is_err()
    );
    assert!(s.update(acme, &text(&[("name", "")])).is_err());
    s.update(acme, &text(&[("city", "Berlin")])).unwrap();
    assert_eq!(s.outbox_len().unwrap(), 2);
    assert_eq!(rows(&file).0, 2);
    // Another connection's writes are counted too.
    let mut other = Store::open(dir.path()).unwrap();
    other.update(acme, &text(&[("city", "Graz")])).unwrap();
    assert_eq!(s.outbox_len().unwrap(), 3);
    assert_eq!(rows(&file).0, 3);
}

#[test]
fn an_old_stores_outbox_upgrades_to_references_and_keeps_its_order() {
    let (dir, mut s) = store("alice");
    let file = dir.path().join("fieldbook.db");
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    for i in 0..35 {
        s.update(acme, &text(&[("city", &format!("Berlin {i}"))]))
            .unwrap();
    }
    let beta = s.create(Kind::Account, &text(&[("name", "Beta")])).unwrap();
    s.update(beta, &text(&[("city", "Wien")])).unwrap();
    let before = queued(&s);
    drop(s);
    downgrade_to_schema_6(&file);
    // Schema 6: every row holds its bytes.
    assert_eq!(rows(&file), (38, 38));

    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(queued(&s), before, "the same changes, in the same order");
    assert_eq!(s.outbox_len().unwrap(), 38);
    let (all, copied) = rows(&file);
    assert_eq!(all, 38);
    // Beta's two changes and Acme's chunks since its compaction are found in the documents.
    assert_eq!(
        copied, 33,
        "the 33 changes up to the compaction hold a copy"
    );
    // Queue positions go on from where they stood.
    let last: i64 = Connection::open(&file)
        .unwrap()
        .query_row("SELECT max(seq) FROM outbox", [], |r| r.get(0))
        .unwrap();
    s.update(beta, &text(&[("city", "Linz")])).unwrap();
    let next: i64 = Connection::open(&file)
        .unwrap()
        .query_row("SELECT max(seq) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert!(next > last);
    assert_eq!(s.outbox_len().unwrap(), 39);
}

/// The book's counts as a count of the rows would give them.
fn counted(path: &Path) -> std::collections::BTreeMap<Kind, u64> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind, count(*) FROM records WHERE deleted = 0 GROUP BY kind")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|r| {
            let (k, n) = r.unwrap();
            (Kind::parse(&k).unwrap(), n as u64)
        })
        .collect()
}

#[test]
fn the_books_counts_are_tallies_that_follow_deletes_drops_and_upgrades() {
    let server = TestServer::start();
    server.rep("alice");
    server.rep("bob");
    let (dir, mut s) = store("alice");
    let file = dir.path().join("fieldbook.db");
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    s.create(Kind::Account, &text(&[("name", "Beta")])).unwrap();
    let ann = s
        .create(
            Kind::Contact,
            &text(&[("name", "Ann"), ("account_id", &acme.to_string())]),
        )
        .unwrap();
    assert_eq!(s.counts().unwrap(), counted(&file));
    assert_eq!(s.counts().unwrap()[&Kind::Contact], 1);
    // Deleted twice (no change the second time), restored, deleted again.
    assert!(s.set_deleted(ann, true).unwrap());
    assert!(!s.set_deleted(ann, true).unwrap());
    assert_eq!(s.counts().unwrap(), counted(&file));
    assert!(!s.counts().unwrap().contains_key(&Kind::Contact));
    s.set_deleted(ann, false).unwrap();
    s.update(ann, &text(&[("title", "CFO")])).unwrap();
    assert_eq!(s.counts().unwrap(), counted(&file));
    assert_eq!(s.counts().unwrap()[&Kind::Contact], 1);

    // An admin moves Acme to bob: alice's next sync drops it and its contact here.
    let mut sync = engine(&server, dir.path(), "alice");
    sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    let (admin_dir, _admin_store) = store("ada");
    let mut admin = engine(&server, admin_dir.path(), "ada");
    admin.sync(&Cancel::new(), &mut |_| {}).unwrap();
    admin.reassign(acme, "bob").unwrap();
    sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    assert!(s.kind_of(acme).is_err(), "Acme left alice's device");
    assert_eq!(s.counts().unwrap(), counted(&file));
    assert_eq!(s.counts().unwrap().values().sum::<u64>(), 1, "Beta is left");

    // An old store's tallies are made by its upgrade.
    drop((s, sync));
    downgrade_to_schema_6(&file);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.counts().unwrap(), counted(&file));
    assert_eq!(s.outbox_len().unwrap(), rows(&file).0 as u64);
}
