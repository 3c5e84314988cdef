//! The storage conformance suite (`fieldbook_server::storage::conformance`) on the SQLite
//! backend, each test on a fresh database in a temporary directory. Another backend runs
//! the same suite with one more `storage_conformance!` in a module of its own.

use fieldbook_server::SqliteStorage;
use fieldbook_server::storage::conformance::Fresh;

fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open(dir.path()).unwrap();
    Fresh::new(storage, dir)
}

mod sqlite {
    fieldbook_server::storage_conformance!(super::sqlite);
}
