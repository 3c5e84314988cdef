//! Keys remembered in the OS keyring: a store unlocked once with its passphrase opens
//! without it afterwards, follows a change of passphrase, is forgotten on request and on
//! a wipe, and a wrong remembered key never opens anything. Where no keyring answers, the
//! passphrase stays the way in and remembering says why it cannot.
//!
//! `scripts/test.sh` runs this file a second time inside a private D-Bus session with
//! gnome-keyring's Secret Service and `FIELDBOOK_TEST_KEYRING=1`, which makes a missing
//! keyring a failure rather than the other branch.

use fieldbook_client::{ClientError, FieldValue, Kind, Protection, Store, at_rest, keyring};
use std::path::Path;

const PASS: &str = "correct horse battery";
const NEW_PASS: &str = "a wholly different phrase";

fn account(store: &mut Store, name: &str) {
    let values = [("name".to_string(), Some(FieldValue::Text(name.into())))]
        .into_iter()
        .collect();
    store.create(Kind::Account, &values).unwrap();
}

fn count(dir: &Path) -> usize {
    Store::open(dir).unwrap().counts().unwrap()[&Kind::Account] as usize
}

fn salt(dir: &Path) -> String {
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(at_rest::KEY_FILE)).unwrap()).unwrap();
    file["salt"].as_str().unwrap().to_string()
}

/// What a new process finds: nothing unlocked.
fn new_process(dir: &Path) {
    at_rest::lock(dir);
    assert!(matches!(Store::open(dir), Err(ClientError::Locked(_))));
}

#[test]
fn a_remembered_key_opens_the_store_without_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut store = Store::init_with(dir, "alice", "EUR", &Protection::passphrase(PASS)).unwrap();
    account(&mut store, "Remembered GmbH");
    drop(store);

    if !keyring::available() {
        assert_ne!(
            std::env::var("FIELDBOOK_TEST_KEYRING").as_deref(),
            Ok("1"),
            "FIELDBOOK_TEST_KEYRING=1 but no OS keyring answers (is a Secret Service running?)"
        );
        // No keyring: nothing opens without the passphrase, remembering says why.
        new_process(dir);
        assert!(!keyring::unlock(dir).unwrap());
        at_rest::unlock(dir, PASS).unwrap();
        assert!(matches!(
            keyring::remember(dir),
            Err(ClientError::NoKeyring(_))
        ));
        new_process(dir);
        return;
    }

    // Nothing remembered yet: the keyring does not open it.
    new_process(dir);
    assert!(!keyring::unlock(dir).unwrap());
    assert!(!keyring::is_remembered(dir));

    // Remembered once (unlocked with the passphrase), then opened without it.
    at_rest::unlock(dir, PASS).unwrap();
    keyring::remember(dir).unwrap();
    assert!(keyring::is_remembered(dir));
    new_process(dir);
    assert!(keyring::unlock(dir).unwrap());
    assert_eq!(count(dir), 1);

    // A new passphrase: the old key leaves the keyring, the new one takes its place.
    let old_salt = salt(dir);
    at_rest::protect(dir, &Protection::passphrase(NEW_PASS)).unwrap();
    assert_ne!(salt(dir), old_salt);
    assert!(matches!(
        ::keyring::Entry::new("fieldbook", &format!("store-key-{old_salt}"))
            .unwrap()
            .get_secret(),
        Err(::keyring::Error::NoEntry)
    ));
    new_process(dir);
    assert!(keyring::unlock(dir).unwrap());
    assert_eq!(count(dir), 1);

    // A remembered key that does not open the store opens nothing and is deleted.
    let entry = ::keyring::Entry::new("fieldbook", &format!("store-key-{}", salt(dir))).unwrap();
    entry.set_secret(&[7u8; 32]).unwrap();
    new_process(dir);
    assert!(!keyring::unlock(dir).unwrap());
    assert!(matches!(entry.get_secret(), Err(::keyring::Error::NoEntry)));
    assert!(matches!(Store::open(dir), Err(ClientError::Locked(_))));

    // Forgotten on request: the passphrase is needed again.
    at_rest::unlock(dir, NEW_PASS).unwrap();
    keyring::remember(dir).unwrap();
    assert!(keyring::forget(dir).unwrap());
    assert!(!keyring::forget(dir).unwrap());
    new_process(dir);
    assert!(!keyring::unlock(dir).unwrap());

    // A wiped store takes its key out of the keyring with it.
    at_rest::unlock(dir, NEW_PASS).unwrap();
    keyring::remember(dir).unwrap();
    let wiped_salt = salt(dir);
    Store::open(dir).unwrap().wipe().unwrap();
    assert!(matches!(
        ::keyring::Entry::new("fieldbook", &format!("store-key-{wiped_salt}"))
            .unwrap()
            .get_secret(),
        Err(::keyring::Error::NoEntry)
    ));
}
