//! What Rust tells the front-end without being asked (typed; generated into the bindings
//! with the commands): records that changed, here or by a sync, so open screens refresh
//! just those; the sync state whenever it changes; how far an import's writes are.

use crate::service::status::SyncView;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where changed records come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeOrigin {
    /// A write through this window.
    Local,
    /// A sync brought them.
    Sync,
}

/// Records were written (or are no longer this user's to see: `removed`).
#[derive(Clone, Debug, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct RecordsChanged {
    pub ids: Vec<Uuid>,
    pub removed: Vec<Uuid>,
    pub origin: ChangeOrigin,
}

/// The sync state changed (see [`SyncView`]).
#[derive(Clone, Debug, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SyncChanged {
    pub state: SyncView,
}

/// An import's writes so far: `done` of the `total` rows that passed the checks.
#[derive(Clone, Debug, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
}
