//! The storage conformance suite (`fieldbook_server::storage::conformance`) on both
//! backends: SQLite, each test on a fresh database in a temporary directory, and
//! PostgreSQL, each test on a database of its own on the tests' server.

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

/// A fresh database of its own on the tests' PostgreSQL (`FIELDBOOK_TEST_DATABASE_URL`,
/// which scripts/test.sh sets), dropped after the test.
fn postgres() -> Fresh {
    let db = fieldbook_server::storage::postgres::ScratchDatabase::for_test();
    let storage = fieldbook_server::PgStorage::open(db.url()).unwrap();
    Fresh::new(storage, db)
}

mod postgres {
    fieldbook_server::storage_conformance!(super::postgres);
}
