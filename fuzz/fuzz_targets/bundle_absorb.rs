//! Bundles from elsewhere: `absorb` of any bytes never panics, and a refused bundle leaves
//! the store as it was (its record count unchanged).
#![no_main]

use fieldbook_client::{Kind, ListQuery, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};

struct Fixture {
    dir: tempfile::TempDir,
    store: Mutex<Store>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(&dir.path().join("store"), "fuzz", "EUR").unwrap();
        Fixture {
            dir,
            store: Mutex::new(store),
        }
    })
}

fn count(store: &Store) -> usize {
    Kind::ALL
        .iter()
        .map(|k| store.list(*k, &ListQuery::default()).map(|l| l.len()).unwrap_or(0))
        .sum()
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let file = f.dir.path().join("input.bundle");
    std::fs::write(&file, data).unwrap();
    let mut store = f.store.lock().unwrap();
    let before = count(&store);
    if store.absorb(&file, &mut |_, _| {}).is_err() {
        assert_eq!(count(&store), before, "a refused bundle changed the store");
    }
});
