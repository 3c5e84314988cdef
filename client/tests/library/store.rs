//! The store on its own: the typed API, structured errors, opens racing on an old schema,
//! and a wipe through one connection while another is open.

use crate::support::{account_names, store, text};
use fieldbook_client::{ClientError, FieldValue, FieldValues, Kind, RefProblem, Rule, Store};
use fieldbook_core::CoreError;
use rusqlite::Connection;
use std::path::Path;

#[test]
fn typed_values_go_in_and_come_out_typed() {
    let (_dir, mut s) = store("alice");
    let acc = s
        .create(
            Kind::Account,
            &[
                ("name".to_string(), Some(FieldValue::Text("Acme".into()))),
                (
                    "tags".to_string(),
                    Some(FieldValue::Tags(vec!["key".into(), "key".into()])),
                ),
            ]
            .into(),
        )
        .unwrap();
    let opp = s
        .create(
            Kind::Opportunity,
            &[
                (
                    "account_id".to_string(),
                    Some(FieldValue::Text(acc.to_string())),
                ),
                (
                    "name".to_string(),
                    Some(FieldValue::Text("Retrofit".into())),
                ),
                (
                    "amount".to_string(),
                    Some(FieldValue::Text("1200.50".into())),
                ),
                ("probability".to_string(), Some(FieldValue::Int(40))),
            ]
            .into(),
        )
        .unwrap();
    let r = s.record(opp).unwrap();
    assert_eq!(r.kind, Kind::Opportunity);
    assert_eq!(r.title, "Retrofit");
    assert_eq!(r.fields["amount"], FieldValue::Text("1200.50".into()));
    assert_eq!(r.fields["probability"], FieldValue::Int(40));
    assert_eq!(r.fields["stage"], FieldValue::Text("lead".into()));
    assert_eq!(r.owner, "alice");
    assert_eq!(
        s.record(acc).unwrap().fields["tags"],
        FieldValue::Tags(vec!["key".into()])
    );
    // Clearing a field, and the list row agreeing with the record.
    s.update(opp, &[("probability".to_string(), None)].into())
        .unwrap();
    let listed = s.list(Kind::Opportunity, &Default::default()).unwrap();
    let mut shown = s.record(opp).unwrap();
    // What only a record read alone carries: its open conflicts and its heads.
    shown.conflicts.clear();
    shown.heads.clear();
    assert_eq!(listed, vec![shown.clone()]);
    assert_eq!(
        shown.fields["probability"],
        FieldValue::Int(10),
        "unset, it follows the stage"
    );
    // Plain serde data, for generated bindings.
    let json = serde_json::to_value(&shown).unwrap();
    assert_eq!(json["fields"]["amount"], "1200.50");
    assert_eq!(
        serde_json::from_value::<fieldbook_client::RecordView>(json).unwrap(),
        shown
    );
}

#[test]
fn errors_say_what_is_wrong_and_which_are_input() {
    let (_dir, mut s) = store("alice");
    let acc = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let opp = s
        .create(
            Kind::Opportunity,
            &text(&[("account_id", &acc.to_string()), ("name", "Deal")]),
        )
        .unwrap();
    let e = s.add_quote_line(opp, &FieldValues::new()).unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::WrongKind {
                found: Kind::Opportunity,
                expected: Kind::Quote,
                ..
            }
        ),
        "{e:?}"
    );
    let e = s.update(opp, &text(&[("stage", "lost")])).unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "lost_needs_reason",
                ..
            })
        ),
        "{e:?}"
    );
    let missing = uuid::Uuid::now_v7();
    let e = s
        .create(
            Kind::Contact,
            &text(&[("account_id", &missing.to_string()), ("name", "Bob")]),
        )
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::BadReference {
                problem: RefProblem::Missing { .. },
                ..
            }
        ),
        "{e:?}"
    );
    let e = s.update(
        opp,
        &[("amount".to_string(), Some(FieldValue::Float(1.5)))].into(),
    );
    assert!(e.unwrap_err().is_bad_input(), "money is never a float");
    assert!(matches!(
        s.resolve_id("zzzz"),
        Err(ClientError::NotFound(_))
    ));
    for e in [
        ClientError::WrongKind {
            id: opp,
            found: Kind::Account,
            expected: Kind::Quote,
        },
        ClientError::Rule(Rule::EmptyNote),
        ClientError::NotFound("x".into()),
    ] {
        assert!(e.is_bad_input(), "{e}");
        assert!(!e.to_string().contains("fieldbook "), "no command in: {e}");
    }
    for e in [
        ClientError::DamagedStore("x".into()),
        ClientError::StoreWiped,
        ClientError::Cancelled,
        ClientError::NotLoggedIn,
    ] {
        assert!(!e.is_bad_input(), "{e}");
    }
    assert_eq!(account_names(&s), ["Acme"], "bad input changed nothing");
}

#[test]
fn a_damaged_document_is_a_damaged_store_not_bad_input() {
    let (dir, mut s) = store("alice");
    let acc = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    Connection::open(dir.path().join("fieldbook.db"))
        .unwrap()
        .execute("UPDATE docs SET data = x'00010203'", [])
        .unwrap();
    let e = s.record(acc).unwrap_err();
    assert!(matches!(e, ClientError::Damaged { .. }), "{e:?}");
    assert!(!e.is_bad_input());
}

/// Turns a current store back into schema 6: the outbox holding its own copy of every
/// change, counted row by row.
pub fn downgrade_to_schema_6(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER outbox_tally_in; DROP TRIGGER outbox_tally_out; DROP TABLE tallies;
         DROP INDEX outbox_doc;
         CREATE TABLE outbox_6 (
             seq    INTEGER PRIMARY KEY AUTOINCREMENT,
             doc_id TEXT NOT NULL,
             change BLOB NOT NULL
         );
         INSERT INTO outbox_6 (seq, doc_id, change)
             SELECT o.seq, o.doc_id, coalesce(o.change, substr(d.data, o.doc_at + 1, o.doc_len))
             FROM outbox o JOIN docs d ON d.id = o.doc_id ORDER BY o.seq;
         DELETE FROM sqlite_sequence WHERE name = 'outbox_6';
         INSERT INTO sqlite_sequence (name, seq)
             SELECT 'outbox_6', seq FROM sqlite_sequence WHERE name = 'outbox';
         DROP TABLE outbox;
         ALTER TABLE outbox_6 RENAME TO outbox;
         PRAGMA user_version = 6;",
    )
    .unwrap();
}

/// Turns a current store back into schema 5 (before leads, cases and reminders).
pub fn downgrade_to_schema_5(path: &Path) {
    downgrade_to_schema_6(path);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE p_lead; DROP TABLE p_case; DROP TABLE p_dismissal;
         DROP INDEX p_opportunity_renews; DROP INDEX p_opportunity_renewal;
         DROP INDEX p_account_renewal_days;
         ALTER TABLE p_opportunity DROP COLUMN renewal_date;
         ALTER TABLE p_opportunity DROP COLUMN renews_id;
         ALTER TABLE p_account DROP COLUMN renewal_days;
         PRAGMA user_version = 5;",
    )
    .unwrap();
}

/// Turns a current store back into schema 4 (before `merged_into`).
pub fn downgrade_to_schema_4(path: &Path) {
    downgrade_to_schema_5(path);
    let conn = Connection::open(path).unwrap();
    for kind in ["account", "contact", "opportunity", "quote", "activity"] {
        conn.execute_batch(&format!("ALTER TABLE p_{kind} DROP COLUMN merged_into"))
            .unwrap();
    }
    conn.pragma_update(None, "user_version", 4).unwrap();
}

/// Turns a current store back into schema 3 (before receipts).
pub fn downgrade_to_schema_3(path: &Path) {
    downgrade_to_schema_4(path);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("DROP TABLE receipts; PRAGMA user_version = 3;")
        .unwrap();
}

/// Turns a current store back into schema 2 (before binding, refusals and attention).
pub fn downgrade_to_schema_2(path: &Path) {
    downgrade_to_schema_3(path);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE refused; ALTER TABLE records DROP COLUMN attention;
         DELETE FROM meta WHERE key = 'bound_server'; PRAGMA user_version = 2;",
    )
    .unwrap();
}

/// Turns a current store back into schema 1 (before `deleted` was kept in projections).
fn downgrade_to_schema_1(path: &Path) {
    downgrade_to_schema_2(path);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("DROP INDEX p_opportunity_pipeline")
        .unwrap();
    for kind in [
        "account",
        "contact",
        "opportunity",
        "quote",
        "activity",
        "task",
        "product",
    ] {
        conn.execute_batch(&format!("ALTER TABLE p_{kind} DROP COLUMN deleted"))
            .unwrap();
    }
    conn.pragma_update(None, "user_version", 1).unwrap();
}

#[test]
fn opens_racing_on_an_old_store_migrate_it_once() {
    for round in 0..12 {
        let (dir, mut s) = store("alice");
        s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
        drop(s);
        downgrade_to_schema_1(&dir.path().join("fieldbook.db"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let opens: Vec<_> = (0..2)
            .map(|_| {
                let (dir, start) = (dir.path().to_path_buf(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&dir).map(|_| ())
                })
            })
            .collect();
        for o in opens {
            o.join()
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let version: i64 = Connection::open(dir.path().join("fieldbook.db"))
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, fieldbook_client::store::SCHEMA_VERSION);
        assert_eq!(account_names(&Store::open(dir.path()).unwrap()), ["Acme"]);
    }
}

#[test]
fn a_wipe_through_one_connection_closes_every_other() {
    let (dir, mut ui) = store("alice");
    ui.create(Kind::Account, &text(&[("name", "Acme")]))
        .unwrap();
    // Another connection keeps reading and writing on another thread while the wipe comes:
    // each of its calls sees the whole store, or is refused as wiped; never anything else.
    let other = Store::open(dir.path()).unwrap();
    let started = std::sync::Arc::new(std::sync::Barrier::new(2));
    let worker = {
        let started = started.clone();
        std::thread::spawn(move || {
            let mut other = other;
            let mut seen = Vec::new();
            started.wait();
            for i in 0..10_000 {
                let read = other
                    .list(Kind::Account, &Default::default())
                    .map(|r| r.len());
                let write = other
                    .create(Kind::Task, &text(&[("title", &format!("task {i}"))]))
                    .map(|_| ());
                let wiped = matches!(read, Err(ClientError::StoreWiped))
                    && matches!(write, Err(ClientError::StoreWiped));
                seen.push((
                    read.map_err(|e| e.to_string()),
                    write.map_err(|e| e.to_string()),
                ));
                if wiped {
                    break;
                }
            }
            (other, seen)
        })
    };
    started.wait();
    std::thread::sleep(std::time::Duration::from_millis(100));
    ui.wipe().unwrap();
    let (other, seen) = worker.join().unwrap();
    let wiped = ClientError::StoreWiped.to_string();
    let first_refused = seen
        .iter()
        .position(|(r, _)| r.is_err())
        .expect("the other connection was closed");
    assert!(first_refused > 0, "it worked before the wipe");
    for (i, (read, write)) in seen.iter().enumerate() {
        if i < first_refused {
            assert!(read.as_ref().is_ok_and(|n| *n == 1), "{i}: {read:?}");
        } else {
            assert_eq!(read.as_ref().unwrap_err(), &wiped, "{i}");
        }
        if let Err(e) = write {
            assert_eq!(e, &wiped, "{i}");
        }
    }
    assert!(!dir.path().join("fieldbook.db").exists());
    assert!(ui.is_wiped() && other.is_wiped());
    assert!(matches!(ui.outbox_len(), Err(ClientError::StoreWiped)));
    assert!(matches!(
        Store::open(dir.path()),
        Err(ClientError::NoStore(_))
    ));
    // A new store in the same place is not touched when the old connections close.
    let mut fresh = Store::init(dir.path(), "bob", "EUR").unwrap();
    fresh
        .create(Kind::Account, &text(&[("name", "Bob Co")]))
        .unwrap();
    drop(ui);
    drop(other);
    drop(fresh);
    let fresh = Store::open(dir.path()).unwrap();
    assert_eq!(account_names(&fresh), ["Bob Co"]);
    assert_eq!(fresh.settings().user, "bob");
}

#[test]
fn a_store_and_an_engine_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<Store>();
    send::<fieldbook_client::SyncEngine>();
    send::<fieldbook_client::Cancel>();
    fn sync<T: Sync>() {}
    sync::<fieldbook_client::Cancel>();
}
