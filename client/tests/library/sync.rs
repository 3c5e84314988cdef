//! The sync engine against an in-process server: push and pull, two stores converging, a
//! cancelled sync, UI writes on one connection while the engine pulls on another, a push
//! that ends while the user keeps typing, and a deactivated user's wipe reaching every
//! open connection.

use crate::support::{TestServer, account_names, engine, store, text};
use fieldbook_client::{Cancel, ClientError, Kind, Store, SyncEvent};
use std::time::{Duration, Instant};

fn quiet() -> impl FnMut(SyncEvent) {
    |_| {}
}

fn live(store: &Store) -> u64 {
    store.counts().unwrap().values().sum()
}

#[test]
fn two_stores_of_one_user_converge_through_the_server() {
    let server = TestServer::start();
    server.rep("alice");
    let (laptop_dir, mut laptop) = store("alice");
    let acc = laptop
        .create(Kind::Account, &text(&[("name", "Acme")]))
        .unwrap();
    let mut laptop_sync = engine(&server, laptop_dir.path(), "alice");
    let report = laptop_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert_eq!(report.pushed, 1);
    assert_eq!(laptop.outbox_len().unwrap(), 0);

    let (phone_dir, mut phone) = store("alice");
    let mut phone_sync = engine(&server, phone_dir.path(), "alice");
    let mut changed = Vec::new();
    phone_sync
        .sync(&Cancel::new(), &mut |e| {
            if let SyncEvent::Pulled { changed: c, .. } = e {
                changed.extend(c);
            }
        })
        .unwrap();
    assert_eq!(account_names(&phone), ["Acme"]);
    assert!(
        changed.contains(&acc),
        "the pulled record is named in an event"
    );

    // Different fields on each device, then both sync: both edits everywhere.
    laptop.update(acc, &text(&[("city", "Berlin")])).unwrap();
    phone.update(acc, &text(&[("phone", "+49 30 1")])).unwrap();
    laptop_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    phone_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    laptop_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    let (a, b) = (laptop.record(acc).unwrap(), phone.record(acc).unwrap());
    assert_eq!(a, b);
    assert_eq!(
        a.fields["city"],
        fieldbook_client::FieldValue::Text("Berlin".into())
    );
    assert_eq!(
        a.fields["phone"],
        fieldbook_client::FieldValue::Text("+49 30 1".into())
    );
    let status = phone.sync_status().unwrap();
    assert_eq!((status.user.as_deref(), status.pending), (Some("alice"), 0));
    assert!(status.last_sync.is_some());
}

#[test]
fn a_cancelled_sync_keeps_what_it_finished_and_the_next_one_completes() {
    let server = TestServer::start();
    server.rep("alice");
    let (laptop_dir, mut laptop) = store("alice");
    laptop.demo(2_500, 5, &mut |_, _| {}).unwrap();
    let waiting = laptop.outbox_len().unwrap();
    let mut laptop_sync = engine(&server, laptop_dir.path(), "alice");
    // Cancelled after the first pushed page (1,000 changes of the 2,500 waiting).
    let cancel = Cancel::new();
    let result = laptop_sync.sync(&cancel, &mut |e| {
        if let SyncEvent::Pushed { .. } = e {
            cancel.cancel();
        }
    });
    assert!(matches!(result, Err(ClientError::Cancelled)), "{result:?}");
    let left = laptop.outbox_len().unwrap();
    assert!(0 < left && left < waiting, "{left} of {waiting} left");
    laptop_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert_eq!(laptop.outbox_len().unwrap(), 0);

    // A new device's pull, cancelled after its first transaction.
    let (phone_dir, phone) = store("alice");
    let mut phone_sync = engine(&server, phone_dir.path(), "alice");
    let cancel = Cancel::new();
    let result = phone_sync.sync(&cancel, &mut |e| {
        if let SyncEvent::Pulled { .. } = e {
            cancel.cancel();
        }
    });
    assert!(matches!(result, Err(ClientError::Cancelled)), "{result:?}");
    let held = live(&phone);
    let expected = live(&laptop) - laptop.counts().unwrap()[&Kind::Product];
    assert!(
        0 < held && held < expected,
        "{held} of {expected} after the cancel"
    );
    assert!(phone.sync_status().unwrap().last_sync.is_none());
    phone_sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert_eq!(
        live(&phone),
        expected,
        "products are not a rep's: quarantined"
    );
    assert!(phone.sync_status().unwrap().last_sync.is_some());
}

#[test]
fn ui_writes_on_their_own_connection_go_through_while_the_engine_pulls() {
    let server = TestServer::start();
    server.rep("alice");
    let (book_dir, mut book) = store("alice");
    book.demo(3_000, 9, &mut |_, _| {}).unwrap();
    engine(&server, book_dir.path(), "alice")
        .sync(&Cancel::new(), &mut quiet())
        .unwrap();

    let (dir, mut ui) = store("alice");
    let own = ui
        .create(Kind::Account, &text(&[("name", "Typed during the sync")]))
        .unwrap();
    let mut sync = engine(&server, dir.path(), "alice");
    let syncing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let background = {
        let syncing = syncing.clone();
        std::thread::spawn(move || {
            let mut transactions = 0;
            let report = sync.sync(&Cancel::new(), &mut |e| {
                if let SyncEvent::Pulled { .. } = e {
                    transactions += 1;
                }
            });
            syncing.store(false, std::sync::atomic::Ordering::SeqCst);
            (report, transactions, sync)
        })
    };
    let (mut during, mut slowest, mut i) = (0, Duration::ZERO, 0);
    // A user typing all along must not keep the sync from ending (its push takes what
    // waited when it began); the deadline turns a sync that never ends into a failure.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !background.is_finished() {
        assert!(
            Instant::now() < deadline,
            "the sync did not end while the UI kept writing"
        );
        i += 1;
        let t = Instant::now();
        ui.update(own, &text(&[("phone", &format!("+49 {i}"))]))
            .unwrap_or_else(|e| panic!("a UI write failed during the sync: {e}"));
        slowest = slowest.max(t.elapsed());
        if syncing.load(std::sync::atomic::Ordering::SeqCst) {
            during += 1;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let (report, transactions, mut sync) = background.join().unwrap();
    report.unwrap();
    // What was typed during that sync goes with the next one.
    sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert_eq!(ui.outbox_len().unwrap(), 0);
    assert!(
        transactions > 1 && during > 2,
        "the pull was cut into {transactions} transactions; {during} UI writes finished during it"
    );
    // Debug build on a shared machine: generous, but a pull held in one transaction fails it.
    assert!(
        slowest < Duration::from_secs(2),
        "a UI write waited {slowest:?}"
    );
    let expected = live(&book) - book.counts().unwrap()[&Kind::Product] + 1;
    assert_eq!(live(&ui), expected);
}

#[test]
fn a_push_ends_while_the_user_keeps_writing_and_the_next_sync_takes_the_rest() {
    let server = TestServer::start();
    server.rep("alice");
    let (dir, mut ui) = store("alice");
    let own = ui
        .create(Kind::Account, &text(&[("name", "Typed before the sync")]))
        .unwrap();
    let mut sync = engine(&server, dir.path(), "alice");
    // Every page the push sends, the user has typed one more change: a push that chased
    // the outbox to empty would run as long as the typing does (here capped at 200).
    let (mut pages, mut typed) = (0, 0);
    let report = sync
        .sync(&Cancel::new(), &mut |e| {
            if let SyncEvent::Pushed { .. } = e {
                pages += 1;
                if typed < 200 {
                    typed += 1;
                    ui.update(own, &text(&[("phone", &format!("+49 {typed}"))]))
                        .unwrap();
                }
            }
        })
        .unwrap();
    assert_eq!(
        (report.pushed, pages),
        (1, 1),
        "the push sent what waited when it began, in one page"
    );
    assert_eq!(
        ui.outbox_len().unwrap(),
        1,
        "the change typed meanwhile waits"
    );
    let next = sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert_eq!(next.pushed, 1);
    assert_eq!(ui.outbox_len().unwrap(), 0);
}

#[test]
fn a_deactivated_users_wipe_closes_the_ui_connection_too() {
    let server = TestServer::start();
    server.rep("alice");
    server.rep("bob");
    let (dir, mut ui) = store("alice");
    ui.create(Kind::Account, &text(&[("name", "Alice Co")]))
        .unwrap();
    let mut sync = engine(&server, dir.path(), "alice");
    sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    // Work made after the last sync, then alice leaves.
    ui.create(Kind::Account, &text(&[("name", "Made offline")]))
        .unwrap();
    server.deactivate("alice", "bob");
    let report = sync.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert!(report.wiped);
    assert_eq!(report.pushed, 1, "the offline work was handed over");
    assert!(!dir.path().join("fieldbook.db").exists());
    assert!(matches!(
        ui.list(Kind::Account, &Default::default()),
        Err(ClientError::StoreWiped)
    ));
    assert!(matches!(
        ui.create(Kind::Account, &text(&[("name", "Too late")])),
        Err(ClientError::StoreWiped)
    ));
    assert!(matches!(
        sync.store().outbox_len(),
        Err(ClientError::StoreWiped)
    ));
    // Bob has both accounts.
    let (bob_dir, bob) = store("bob");
    engine(&server, bob_dir.path(), "bob")
        .sync(&Cancel::new(), &mut quiet())
        .unwrap();
    assert_eq!(account_names(&bob), ["Alice Co", "Made offline"]);
}

#[test]
fn the_device_is_named_after_the_host_unless_told() {
    let name = fieldbook_client::device::host_name();
    assert!(!name.is_empty());
    let server = TestServer::start();
    server.rep("alice");
    let (dir, _s) = store("alice");
    let mut e = fieldbook_client::SyncEngine::open(dir.path()).unwrap();
    let r = e
        .login(&server.url, "alice", crate::support::PASSWORD, None)
        .unwrap();
    assert_eq!(r.user, "alice");
    let me = e.check_online().unwrap();
    assert_eq!(me.user, "alice");
    e.login(
        &server.url,
        "alice",
        crate::support::PASSWORD,
        Some("Alice's tablet"),
    )
    .unwrap();
    let mut names = server.device_names("alice");
    names.sort();
    let mut expected = [format!("alice's {name}"), "Alice's tablet".to_string()];
    expected.sort();
    assert_eq!(names, expected);
    assert!(matches!(
        e.login("ftp://x", "alice", "p", None),
        Err(ClientError::BadServerUrl(_))
    ));
}
