//! The store file itself: schema versions (a newer store is refused untouched), a
//! half-finished `init` that can be rerun, compaction that keeps documents whole, WAL mode,
//! and every write queued in the outbox for the sync to come.

use crate::raw::db;
use fieldbook_tests::Fb;

#[test]
fn a_store_from_a_newer_fieldbook_is_refused_untouched() {
    let fb = Fb::init("alice");
    fb.new_record("account", &["name=Acme"]);
    db(&fb).pragma_update(None, "user_version", 99).unwrap();
    let before = std::fs::read(fb.path().join("fieldbook.db")).unwrap();
    let (code, err) = fb.fails(&["list", "account"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("newer Fieldbook") && err.contains("schema 99"),
        "{err}"
    );
    let (_, err) = fb.fails(&["new", "account", "name=Other"]);
    assert!(err.contains("newer Fieldbook"), "{err}");
    assert_eq!(
        std::fs::read(fb.path().join("fieldbook.db")).unwrap(),
        before,
        "the newer store was changed"
    );
}

#[test]
fn an_interrupted_init_leaves_no_store_and_can_be_rerun() {
    let fb = Fb::empty();
    // What a kill during `init` leaves behind: a half-built file under the temporary name.
    std::fs::write(fb.path().join("fieldbook.db.creating"), b"half a database").unwrap();
    let (_, err) = fb.fails(&["list", "account"]);
    assert!(err.contains("fieldbook init"), "{err}");
    fb.ok(&["init", "--user", "alice"]);
    assert!(!fb.path().join("fieldbook.db.creating").exists());
    fb.new_record("account", &["name=Acme"]);
}

#[test]
fn documents_are_compacted_now_and_then_and_keep_every_change() {
    let fb = Fb::init("alice");
    let id = fb.new_record("account", &["name=Acme"]);
    for i in 0..70 {
        fb.ok(&["set", &id, &format!("phone=+49 30 {i}")]);
    }
    let chunks: i64 = db(&fb)
        .query_row("SELECT chunks FROM docs WHERE id = ?1", [&id], |r| r.get(0))
        .unwrap();
    assert!(
        chunks <= 32,
        "the document was never compacted: {chunks} chunks"
    );
    assert_eq!(fb.json(&["show", &id])["phone"], "+49 30 69");
    let history = fb.json(&["history", &id]);
    let phones = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["field"] == "phone")
        .count();
    assert_eq!(phones, 70);
}

#[test]
fn the_store_is_in_wal_mode_and_every_write_waits_in_the_outbox() {
    let fb = Fb::init("alice");
    let id = fb.new_record("account", &["name=Acme"]);
    fb.ok(&["set", &id, "city=Berlin"]);
    fb.ok(&["note", &id, "hello"]);
    fb.ok(&["set", &id, "city=Berlin"]); // no change, nothing queued
    let conn = db(&fb);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let queued: i64 = conn
        .query_row(
            "SELECT count(*) FROM outbox WHERE doc_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(queued, 3);
}
