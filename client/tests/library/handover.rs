//! Hand-overs through the library, as the app and the command line make them: a rep's
//! departure (deactivated, everything to a successor) previewed, made, and reaching the
//! departing rep's laptop, which hands over and wipes; the requests refused before the
//! server is asked, and the server's refusal of a rep who tries.

use crate::support::{TestServer, engine, store, text};
use fieldbook_client::handover::Handover;
use fieldbook_client::{Cancel, ClientError, Kind, SyncEvent};

fn quiet() -> impl FnMut(SyncEvent) {
    |_| {}
}

fn leaves(from: &str, to: &str) -> Handover {
    Handover {
        from: Some(from.into()),
        accounts: Vec::new(),
        to: to.into(),
        leaves: true,
    }
}

#[test]
fn a_departure_is_previewed_then_made_and_the_laptop_hands_over_and_wipes() {
    let server = TestServer::start();
    server.rep("alice");
    server.rep("bob");
    let (alice_dir, mut alice) = store("alice");
    let acme = alice
        .create(Kind::Account, &text(&[("name", "Acme")]))
        .unwrap();
    alice
        .create(Kind::Account, &text(&[("name", "Globex")]))
        .unwrap();
    alice
        .create(
            Kind::Contact,
            &text(&[("name", "Wile E."), ("account_id", &acme.to_string())]),
        )
        .unwrap();
    let mut laptop = engine(&server, alice_dir.path(), "alice");
    laptop.sync(&Cancel::new(), &mut quiet()).unwrap();
    // Work typed after the last sync: only the laptop has it.
    alice
        .create(Kind::Account, &text(&[("name", "Made offline")]))
        .unwrap();

    let (ada_dir, _ada) = store("ada");
    let mut admin = engine(&server, ada_dir.path(), "ada");
    let preview = admin
        .preview_reassign_accounts(&leaves("alice", "bob"))
        .unwrap();
    assert_eq!(
        (preview.to.as_str(), preview.accounts, preview.records),
        ("bob", 2, 3)
    );
    assert_eq!(preview.kinds.get(&Kind::Account), Some(&2));
    assert_eq!(preview.kinds.get(&Kind::Contact), Some(&1));
    // A preview writes nothing: alice still syncs as herself.
    assert!(!laptop.sync(&Cancel::new(), &mut quiet()).unwrap().wiped);
    alice
        .create(Kind::Account, &text(&[("name", "Made offline too")]))
        .unwrap();

    let done = admin.reassign_accounts(&leaves("alice", "bob")).unwrap();
    assert_eq!(
        (done.accounts, done.records),
        (3, 4),
        "the synced offline account too"
    );
    let report = laptop.sync(&Cancel::new(), &mut quiet()).unwrap();
    assert!(report.wiped, "the departing laptop wipes at its next sync");
    assert_eq!(report.pushed, 1, "after handing over what it still held");
    assert!(!alice_dir.path().join("fieldbook.db").exists());

    // Bob's device gets all of it.
    let (bob_dir, bob) = store("bob");
    engine(&server, bob_dir.path(), "bob")
        .sync(&Cancel::new(), &mut quiet())
        .unwrap();
    let mut names = crate::support::account_names(&bob);
    names.sort();
    assert_eq!(
        names,
        ["Acme", "Globex", "Made offline", "Made offline too"]
    );
}

#[test]
fn departures_are_checked_before_and_by_the_server() {
    let server = TestServer::start();
    server.rep("alice");
    server.rep("bob");
    let (dir, _s) = store("ada");
    let mut admin = engine(&server, dir.path(), "ada");
    let named = Handover {
        accounts: vec![uuid::Uuid::new_v4()],
        ..leaves("alice", "bob")
    };
    let nobody = Handover {
        from: None,
        ..leaves("alice", "bob")
    };
    for bad in [named, nobody] {
        let e = admin.reassign_accounts(&bad).unwrap_err();
        assert!(
            matches!(&e, ClientError::BadHandover(m) if m.contains("departure")),
            "{e}"
        );
    }
    // A rep may not deactivate anyone; nothing moved, alice still signs in.
    let (bob_dir, _b) = store("bob");
    let mut bob = engine(&server, bob_dir.path(), "bob");
    let e = bob.reassign_accounts(&leaves("alice", "bob")).unwrap_err();
    assert!(!matches!(e, ClientError::BadHandover(_)), "{e}");
    let (alice_dir, _a) = store("alice");
    let report = engine(&server, alice_dir.path(), "alice")
        .sync(&Cancel::new(), &mut quiet())
        .unwrap();
    assert!(!report.wiped);
}
