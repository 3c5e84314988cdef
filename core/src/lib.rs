//! # fieldbook-core
//!
//! The domain of Fieldbook: what a record is, how its fields are checked, how money is
//! computed, and how a record lives in an Automerge document (merges, conflicts, history).
//!
//! This crate is pure. It knows nothing of SQLite, HTTP, Tauri or an async runtime; the
//! device (`fieldbook-client`) and the server build on it and must agree through it.
//!
//! Layout:
//! - [`kind`]: the seven kinds of record.
//! - [`schema`]: the field contract of each kind (names, types, required, editable).
//! - [`value`]: turning typed-in text into checked, canonical values.
//! - [`import`]: which spreadsheet column is which field (English and Chinese headers).
//! - [`money`]: currencies, rounding, formatting, quote totals.
//! - [`names`]: what user and team names may look like (shared with the server).
//! - [`record`]: a record as plain data, and what is computed from it.
//! - [`reminders`]: renewal and predicted-reorder reminders, worked out offline.
//! - [`report`]: the managers' reports (pipeline, forecast, win rate, stale, RFM, activity).
//! - [`rules`]: rules across fields (a lost deal needs a reason) and "needs attention".
//! - [`doc`]: one record as one Automerge document: create, edit, read, conflicts, history.
//! - [`protocol`]: the sync protocol's messages and limits (shared with the server).
//! - [`dedupe`]: likely duplicates (normalized names, phones, addresses, domains).
//! - [`demo`]: a generator of realistic books of business (demo data and benchmarks).
//! - [`error`]: the crate's one error type.

pub mod dedupe;
pub mod demo;
pub mod doc;
pub mod error;
pub mod import;
pub mod kind;
pub mod money;
pub mod names;
pub mod protocol;
pub mod record;
pub mod reminders;
pub mod report;
pub mod rules;
pub mod schema;
pub mod value;

pub use error::{CoreError, Result};
pub use kind::Kind;
