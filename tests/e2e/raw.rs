//! The store file opened directly as SQLite, as a test (or someone holding the passphrase)
//! would: keyed from `fieldbook.key` the way docs/formats.md describes it, independently of
//! the client library's code.

use fieldbook_tests::{Fb, TEST_PASSPHRASE};
use rusqlite::Connection;
use std::path::Path;

/// A connection to the store of `fb`, keyed with the tests' passphrase when it is encrypted.
pub fn db(fb: &Fb) -> Connection {
    open(fb.path(), TEST_PASSPHRASE)
}

pub fn open(dir: &Path, passphrase: &str) -> Connection {
    let conn = Connection::open(dir.join("fieldbook.db")).unwrap();
    if let Some(key) = key(dir, passphrase) {
        conn.pragma_update(None, "key", format!("x'{}'", hex::encode(key)))
            .unwrap();
    }
    conn
}

/// The raw key: argon2id of the passphrase with the key file's salt and costs.
pub fn key(dir: &Path, passphrase: &str) -> Option<[u8; 32]> {
    let text = std::fs::read_to_string(dir.join("fieldbook.key")).ok()?;
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["kdf"], "argon2id");
    let n = |k: &str| u32::try_from(file[k].as_u64().unwrap()).unwrap();
    let params = argon2::Params::new(n("memory_kib"), n("passes"), n("lanes"), Some(32)).unwrap();
    let salt = hex::decode(file["salt"].as_str().unwrap()).unwrap();
    let mut key = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
        .unwrap();
    Some(key)
}
