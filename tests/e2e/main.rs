//! End-to-end tests: the real `fieldbook` binary on real store files, one module per area.
//! Build the binaries first (`cargo build --workspace --bins`; the test script does).

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
mod managers;
mod merge;
mod output;
mod raw;
mod report;
mod store;
mod sync;
mod sync_bad_input;
mod sync_faults;
mod trust_server;
mod web;
