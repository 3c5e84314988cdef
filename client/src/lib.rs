//! # fieldbook-client
//!
//! Fieldbook on a device: the local store that keeps a rep's whole book of business and
//! works with no network, the queries and reports over it, and the `fieldbook` command line.
//! The desktop app and (later) the sync engine build on this crate.
//!
//! This crate knows nothing of Tauri or of the server's internals; it talks to the server
//! only through the protocol types of `fieldbook-core`.
//!
//! Layout:
//! - [`store`]: the SQLite file — documents, projections, full-text index, outbox, migrations.
//! - [`edit`]: writing records (every write checked first, then one transaction).
//! - [`query`]: reading records — show, list, search, history, conflicts, pipeline.
//! - [`exchange`]: export, bundle and absorb (moving data without a server).
//! - [`sync`]: the sync engine — login, push the outbox, pull pages, handover and wipe.
//! - [`demo`]: filling a store with a generated book.
//! - [`cli`]: the `fieldbook` command line (the binary is a thin `main` over it).
//! - [`error`]: the crate's one error type.

pub mod cli;
pub mod demo;
pub mod edit;
pub mod error;
pub mod exchange;
pub mod import;
pub mod query;
pub mod store;
pub mod sync;

pub use error::{ClientError, Result};
pub use query::ListQuery;
pub use store::Store;
