//! Encryption at rest: the store's files reveal nothing without the key, the key opens
//! them again, a change of passphrase loses nothing, and a change interrupted at any step
//! leaves a store that opens.

use fieldbook_client::{
    AtRest, ClientError, FieldValue, FieldValues, Kind, Protection, Store, at_rest,
};
use std::path::Path;

const SECRET_NAME: &str = "Zephyrine Präzisionstechnik";
const SECRET_CN: &str = "青岛秘密客户有限公司";
const SECRET_NOTE: &str = "budget approved by Mrs Quillfeather";
const PASS: &str = "correct horse battery";

fn values(pairs: &[(&str, FieldValue)]) -> FieldValues {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Some(v.clone())))
        .collect()
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.into())
}

/// A store with the secret strings in it: two accounts, a note and a deal.
fn fill(store: &mut Store) {
    let a = store
        .create(
            Kind::Account,
            &values(&[("name", text(SECRET_NAME)), ("city", text("Qingdao"))]),
        )
        .unwrap();
    store
        .create(Kind::Account, &values(&[("name", text(SECRET_CN))]))
        .unwrap();
    store.append_note(a, SECRET_NOTE).unwrap();
}

/// Every byte of the store's files (the database and its write-ahead log), as they are
/// on disk now.
fn raw_files(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("fieldbook.db")
        {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn secrets_in(dir: &Path) -> Vec<&'static str> {
    let raw = raw_files(dir);
    [
        SECRET_NAME,
        SECRET_CN,
        SECRET_NOTE,
        "Quillfeather",
        "Zephyrine",
    ]
    .into_iter()
    .filter(|s| contains(&raw, s))
    .collect()
}

fn names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list(Kind::Account, &fieldbook_client::ListQuery::default())
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    names.sort();
    names
}

#[test]
fn an_encrypted_store_reveals_nothing_a_plain_one_would() {
    // The control: a plain store's files hold the strings (the grep can find them).
    let plain = tempfile::tempdir().unwrap();
    let mut store = Store::init(plain.path(), "alice", "EUR").unwrap();
    fill(&mut store);
    assert_eq!(
        secrets_in(plain.path()).len(),
        5,
        "the control store holds the strings"
    );
    drop(store);

    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::init_with(dir.path(), "alice", "EUR", &Protection::passphrase(PASS)).unwrap();
    fill(&mut store);
    // While open: the write-ahead log holds the latest writes.
    assert!(
        std::fs::metadata(dir.path().join("fieldbook.db-wal"))
            .unwrap()
            .len()
            > 0
    );
    assert_eq!(secrets_in(dir.path()), Vec::<&str>::new());
    drop(store);
    assert_eq!(secrets_in(dir.path()), Vec::<&str>::new());
    assert_eq!(at_rest::at_rest(dir.path()), AtRest::Passphrase);
    // The key file holds no key and no passphrase.
    let key_file = std::fs::read_to_string(dir.path().join(at_rest::KEY_FILE)).unwrap();
    assert!(!key_file.contains(PASS), "{key_file}");
    assert!(key_file.contains("argon2id"), "{key_file}");
}

#[test]
fn a_locked_store_opens_with_its_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::init_with(dir.path(), "alice", "EUR", &Protection::passphrase(PASS)).unwrap();
    fill(&mut store);
    drop(store);

    at_rest::lock(dir.path());
    match Store::open(dir.path()) {
        Err(ClientError::Locked(d)) => assert_eq!(d, dir.path()),
        other => panic!("expected Locked, got {:?}", other.map(|_| ())),
    }
    let wrong = at_rest::unlock(dir.path(), "correct horse battery!").unwrap_err();
    assert!(matches!(wrong, ClientError::WrongPassphrase), "{wrong:?}");
    assert!(wrong.is_bad_input());
    assert!(matches!(
        Store::open(dir.path()),
        Err(ClientError::Locked(_))
    ));

    at_rest::unlock(dir.path(), PASS).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        names(&store),
        vec![SECRET_NAME.to_string(), SECRET_CN.to_string()]
    );
    // A second connection of this process (the app's sync thread) needs no passphrase.
    let second = Store::open(dir.path()).unwrap();
    assert_eq!(names(&second).len(), 2);
}

#[test]
fn a_short_passphrase_is_refused_and_makes_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::init_with(dir.path(), "alice", "EUR", &Protection::passphrase("short"))
        .err()
        .unwrap();
    assert!(matches!(e, ClientError::WeakPassphrase { min: 8 }), "{e:?}");
    assert!(!dir.path().join("fieldbook.db").exists());
    assert!(!dir.path().join(at_rest::KEY_FILE).exists());
}

#[test]
fn encrypting_rekeying_and_decrypting_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path(), "alice", "EUR").unwrap();
    fill(&mut store);
    let before = names(&store);
    drop(store);
    assert_eq!(secrets_in(dir.path()).len(), 5);

    // Plain → encrypted.
    at_rest::protect(dir.path(), &Protection::passphrase(PASS)).unwrap();
    assert_eq!(secrets_in(dir.path()), Vec::<&str>::new());
    assert!(!dir.path().join("fieldbook.db.rekey").exists());
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(names(&store), before);
    // Still a working store: writes go on.
    store
        .create(
            Kind::Account,
            &values(&[("name", text("After encryption"))]),
        )
        .unwrap();
    drop(store);

    // A new passphrase: the old one no longer opens it.
    at_rest::protect(
        dir.path(),
        &Protection::passphrase("a much longer passphrase"),
    )
    .unwrap();
    at_rest::lock(dir.path());
    assert!(matches!(
        at_rest::unlock(dir.path(), PASS),
        Err(ClientError::WrongPassphrase)
    ));
    at_rest::unlock(dir.path(), "a much longer passphrase").unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(names(&store).len(), 3);
    drop(store);
    assert_eq!(secrets_in(dir.path()), Vec::<&str>::new());

    // And back to plain.
    at_rest::protect(dir.path(), &Protection::None).unwrap();
    assert_eq!(at_rest::at_rest(dir.path()), AtRest::Plain);
    at_rest::lock(dir.path());
    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(names(&store).len(), 3);
    // The tallies came along, and so did the triggers that keep the outbox's.
    let waiting = store.outbox_len().unwrap();
    let live: u64 = store.counts().unwrap().values().sum();
    store
        .create(
            Kind::Account,
            &values(&[("name", text("After decryption"))]),
        )
        .unwrap();
    assert_eq!(store.outbox_len().unwrap(), waiting + 1);
    assert_eq!(store.counts().unwrap().values().sum::<u64>(), live + 1);
    let rows: i64 = rusqlite::Connection::open(dir.path().join("fieldbook.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows as u64, waiting + 1);
}

#[test]
fn a_store_in_use_is_not_rekeyed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path(), "alice", "EUR").unwrap();
    fill(&mut store);
    let e = at_rest::protect(dir.path(), &Protection::passphrase(PASS)).unwrap_err();
    assert!(matches!(e, ClientError::StoreInUse(_)), "{e:?}");
    // Nothing changed: still plain, still writable through the open connection.
    assert_eq!(at_rest::at_rest(dir.path()), AtRest::Plain);
    store
        .create(Kind::Account, &values(&[("name", text("Still here"))]))
        .unwrap();
    assert_eq!(names(&store).len(), 3);
}

#[test]
fn a_change_of_protection_killed_at_either_step_leaves_a_store_that_opens() {
    // Killed before the new file took the store's name: a new key file beside the old,
    // plain file. The store opens as it was; the stray key file goes.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::init(dir.path(), "alice", "EUR").unwrap();
    fill(&mut store);
    drop(store);
    let other = tempfile::tempdir().unwrap();
    drop(Store::init_with(other.path(), "alice", "EUR", &Protection::passphrase(PASS)).unwrap());
    std::fs::copy(
        other.path().join(at_rest::KEY_FILE),
        dir.path().join("fieldbook.key.new"),
    )
    .unwrap();
    assert_eq!(at_rest::at_rest(dir.path()), AtRest::Passphrase);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(names(&store).len(), 2);
    assert!(!dir.path().join("fieldbook.key.new").exists());
    assert_eq!(at_rest::at_rest(dir.path()), AtRest::Plain);
    drop(store);

    // Killed after the new file took its name, before its key file did: the passphrase
    // opens it through the new key file, which then becomes the key file.
    at_rest::protect(dir.path(), &Protection::passphrase(PASS)).unwrap();
    std::fs::rename(
        dir.path().join(at_rest::KEY_FILE),
        dir.path().join("fieldbook.key.new"),
    )
    .unwrap();
    at_rest::lock(dir.path());
    at_rest::unlock(dir.path(), PASS).unwrap();
    assert!(dir.path().join(at_rest::KEY_FILE).exists());
    assert!(!dir.path().join("fieldbook.key.new").exists());
    assert_eq!(names(&Store::open(dir.path()).unwrap()).len(), 2);

    // Killed after a decryption put the plain file in place, before the key file went:
    // the store opens plain with no passphrase asked.
    at_rest::protect(dir.path(), &Protection::None).unwrap();
    std::fs::copy(
        other.path().join(at_rest::KEY_FILE),
        dir.path().join(at_rest::KEY_FILE),
    )
    .unwrap();
    at_rest::lock(dir.path());
    assert_eq!(names(&Store::open(dir.path()).unwrap()).len(), 2);
    assert!(!dir.path().join(at_rest::KEY_FILE).exists());
}
