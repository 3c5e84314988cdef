//! # fieldbook-client
//!
//! Fieldbook on a device, as a library: the local store that keeps a rep's whole book of
//! business and works with no network, typed reads and writes over it, and the sync engine
//! that exchanges its changes with a server. The desktop app and the `fieldbook` command
//! line (crate `fieldbook-cli`) build on it.
//!
//! A program holds a [`Store`] (one connection) for its reads and writes, and runs a
//! [`SyncEngine`] (its own connection and HTTP client) on another thread on the same file:
//! they take turns to write, each transaction is short, and none waits on the network.
//! Values go in and come out typed ([`model`]); errors are a [`ClientError`].
//!
//! This crate knows nothing of Tauri, of command lines, or of the server's internals; it
//! talks to the server only through the protocol types of `fieldbook-core`.
//!
//! Layout:
//! - [`store`]: the SQLite file — the only module with SQL: documents, projections, the
//!   full-text index, the outbox, settings, migrations, and the turns connections take.
//! - `merge`: the one path by which changes reach the store (merge, outbox, projection).
//! - [`edit`]: typed writes (every write checked first, then one transaction), lead
//!   conversion among them.
//! - [`query`]: typed reads — records, lists, history, conflicts.
//! - [`model`]: the typed values exchanged with programs.
//! - [`agenda`]: a rep's day (tasks due, deals closing, latest activities).
//! - [`describe`]: the field contract as data, for programs that build forms from it.
//! - [`reminders`]: renewals, reorders and overdue cases due today; dismiss, snooze, renew.
//! - [`report`]: the managers' reports over this device's copy, and exchange rates.
//! - [`handover`]: moving accounts to another user, checked before the server counts
//!   ([`SyncEngine::preview_reassign_accounts`]) and moves them
//!   ([`SyncEngine::reassign_accounts`]).
//! - [`settings`]: this device's preferences (case due days, when reminders start).
//! - [`exchange`]: export, bundle and absorb (moving data without a server).
//! - [`import`]: spreadsheets (CSV, XLSX) read, checked row by row and imported.
//! - [`duplicates`]: likely duplicates in the store, and merging two records into one.
//! - [`demo`]: filling a store with a generated book.
//! - [`sync`]: the sync engine — sign-in, push, pull, handover; cancellable, with events.
//! - [`device`]: this device's host name.
//! - [`error`]: the crate's one error type.

pub mod agenda;
pub mod demo;
pub mod describe;
pub mod device;
pub mod duplicates;
pub mod edit;
pub mod error;
pub mod exchange;
pub mod handover;
pub mod import;
mod merge;
pub mod model;
pub mod query;
pub mod reminders;
pub mod report;
pub mod settings;
pub mod store;
pub mod sync;

pub use agenda::Agenda;
pub use error::{ClientError, RefProblem, Result, Rule};
pub use fieldbook_core::Kind;
/// The server's protocol types (for programs that talk to the server themselves).
pub use fieldbook_core::protocol;
/// The reports' settings, for programs that offer them (the dashboard).
pub use fieldbook_core::report::{Rates, RfmRules, StaleRules};
pub use fieldbook_core::value::FieldValue;
pub use model::{FieldValues, RecordView};
pub use query::{Filter, ListCursor, ListOrder, ListPage, ListQuery};
pub use store::Store;
pub use store::at_rest::{self, AtRest, Protection};
pub use store::keyring;
pub use sync::{Cancel, SyncEngine, SyncEvent, SyncReport};
