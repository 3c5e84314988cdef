//! Library tests of `fieldbook-client`: real store files, and the sync engine against a
//! real `fieldbook-server` running in this process on 127.0.0.1:0. One binary, one module
//! per area.

mod at_rest;
mod data;
mod handover;
mod keyring;
mod kinds;
mod large;
mod lists;
mod notes;
mod outbox;
mod reports;
mod server_reports;
mod store;
mod support;
mod sync;
mod trust;
