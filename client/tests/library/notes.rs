//! Collaborative notes edited as a person types them: two devices of one rep edit the same
//! account's notes offline, each from what it last read, and after syncing both keep
//! every word either typed.

use crate::support::{TestServer, engine, store, text};
use fieldbook_client::{Cancel, FieldValue, Kind, Store};

fn notes(store: &Store, id: uuid::Uuid) -> String {
    match store.record(id).unwrap().fields.get("notes") {
        Some(FieldValue::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

#[test]
fn two_people_who_edited_the_notes_offline_both_keep_their_words() {
    let server = TestServer::start();
    server.rep("alice");
    let (laptop_dir, mut laptop) = store("alice");
    let acc = laptop
        .create(
            Kind::Account,
            &text(&[("name", "青岛啤酒"), ("notes", "Met the buyer.")]),
        )
        .unwrap();
    let mut laptop_sync = engine(&server, laptop_dir.path(), "alice");
    laptop_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    let (phone_dir, mut phone) = store("alice");
    let mut phone_sync = engine(&server, phone_dir.path(), "alice");
    phone_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();

    // Both offline: each edits from what it read, in the middle and at the end.
    let seen = laptop.record(acc).unwrap();
    let heads = laptop
        .edit_notes(
            acc,
            &seen.heads,
            "Met the buyer.",
            "Met the buyer, Mr Wang.",
        )
        .unwrap();
    // Typing goes on from the heads the edit returned.
    laptop
        .edit_notes(
            acc,
            &heads,
            "Met the buyer, Mr Wang.",
            "Met the buyer, Mr Wang. 下周回访。",
        )
        .unwrap();
    let seen = phone.record(acc).unwrap();
    phone
        .edit_notes(
            acc,
            &seen.heads,
            "Met the buyer.",
            "Met the buyer. Sample sent.",
        )
        .unwrap();

    for _ in 0..2 {
        laptop_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
        phone_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    }
    let merged = notes(&laptop, acc);
    assert_eq!(merged, notes(&phone, acc));
    for words in ["Mr Wang", "下周回访", "Sample sent"] {
        assert!(merged.contains(words), "{words:?} lost: {merged:?}");
    }
    assert_eq!(merged.matches("Met the buyer").count(), 1, "{merged:?}");
}

#[test]
fn an_edit_started_before_a_pull_keeps_what_the_pull_brought() {
    let server = TestServer::start();
    server.rep("alice");
    let (laptop_dir, mut laptop) = store("alice");
    let acc = laptop
        .create(
            Kind::Account,
            &text(&[("name", "Acme"), ("notes", "Budget: 10k.")]),
        )
        .unwrap();
    let mut laptop_sync = engine(&server, laptop_dir.path(), "alice");
    laptop_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    let (phone_dir, mut phone) = store("alice");
    let mut phone_sync = engine(&server, phone_dir.path(), "alice");
    phone_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();

    // The laptop's editor reads the notes; meanwhile the phone's words arrive by a pull.
    let read = laptop.record(acc).unwrap();
    let seen = phone.record(acc).unwrap();
    phone
        .edit_notes(
            acc,
            &seen.heads,
            "Budget: 10k.",
            "Budget: 10k. Decision in May.",
        )
        .unwrap();
    phone_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    laptop_sync.sync(&Cancel::new(), &mut |_| {}).unwrap();
    assert_eq!(notes(&laptop, acc), "Budget: 10k. Decision in May.");

    // The editor saves what it typed from the text it read: the pulled words stay.
    laptop
        .edit_notes(acc, &read.heads, "Budget: 10k.", "Budget: 12k.")
        .unwrap();
    assert_eq!(notes(&laptop, acc), "Budget: 12k. Decision in May.");
    assert_eq!(
        laptop.outbox_len().unwrap(),
        1,
        "the edit is queued for the server"
    );

    // An edit that does not start from the text read at those heads changes nothing.
    let before = laptop.record(acc).unwrap();
    let err = laptop
        .edit_notes(acc, &read.heads, "something else", "x")
        .unwrap_err();
    assert!(err.is_bad_input(), "{err}");
    assert_eq!(laptop.record(acc).unwrap(), before);
    // Only accounts have notes.
    let contact = laptop
        .create(
            Kind::Contact,
            &text(&[("account_id", &acc.to_string()), ("name", "Li")]),
        )
        .unwrap();
    let err = laptop.edit_notes(contact, &[], "", "x").unwrap_err();
    assert!(err.is_bad_input(), "{err}");
}
