//! End-to-end tests: the real `fieldbook` binary on real store files, one module per area.
//! Build the binaries first (`cargo build --workspace --bins`; the test script does).

/// Runs each named test body (a `fn(Backend)`) as a test on each server backend: one
/// body, `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $test() { super::$test(fieldbook_tests::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $test() { super::$test(fieldbook_tests::Backend::Postgres) } )*
        }
    };
}

mod absorb;
mod at_rest;
mod binding;
mod cli;
mod crash;
mod devices;
mod duplicates;
mod export;
mod field_kinds;
mod import;
mod instances;
mod managers;
mod merge;
mod migrate;
mod output;
mod raw;
mod report;
mod server_reports;
mod store;
mod sync;
mod sync_bad_input;
mod sync_faults;
mod trust_server;
mod web;
