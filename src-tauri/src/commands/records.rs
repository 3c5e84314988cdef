//! Records: read one, list in pages, count, create, update, delete and restore, notes,
//! conflicts, history, search, and the day's agenda.

use super::{read, write, write_record};
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::model::{HistoryEntry, SearchHit};
use fieldbook_client::{Agenda, FieldValue, FieldValues, Kind, ListPage, ListQuery, RecordView};
use serde::Serialize;
use tauri::State;
use uuid::Uuid;

/// One record: every field, computed values, open conflicts, and the heads it was read at.
#[tauri::command(async)]
#[specta::specta]
pub fn get_record(state: State<'_, AppState>, id: Uuid) -> Result<RecordView, AppError> {
    read(&state, |s| s.record(id))
}

/// One page of records of a kind (see `ListQuery`: filters, search, account, order, and
/// the cursor where the page starts).
#[tauri::command(async)]
#[specta::specta]
pub fn list_records(
    state: State<'_, AppState>,
    kind: Kind,
    query: ListQuery,
) -> Result<ListPage, AppError> {
    read(&state, |s| s.list_page(kind, &query))
}

/// How many records of a kind match a query.
#[tauri::command(async)]
#[specta::specta]
pub fn count_records(
    state: State<'_, AppState>,
    kind: Kind,
    query: ListQuery,
) -> Result<u64, AppError> {
    read(&state, |s| s.count(kind, &query))
}

/// Creates a record; answers it as stored (with its defaults).
#[tauri::command(async)]
#[specta::specta]
pub fn create_record(
    state: State<'_, AppState>,
    kind: Kind,
    values: FieldValues,
) -> Result<RecordView, AppError> {
    write(&state, |s| {
        let id = s.create(kind, &values)?;
        let record = s.record(id)?;
        // The record it belongs to shows it (an account's page lists its contacts).
        let mut ids = vec![id];
        ids.extend(parent_of(&record));
        Ok((record, ids))
    })
}

fn parent_of(record: &RecordView) -> Option<Uuid> {
    ["account_id", "opportunity_id"]
        .iter()
        .find_map(|f| match record.fields.get(*f) {
            Some(FieldValue::Text(id)) => Uuid::parse_str(id).ok(),
            _ => None,
        })
}

/// Sets fields of a record (`null` clears one); answers it as it now is.
#[tauri::command(async)]
#[specta::specta]
pub fn update_record(
    state: State<'_, AppState>,
    id: Uuid,
    values: FieldValues,
) -> Result<RecordView, AppError> {
    write_record(&state, id, |s| s.update(id, &values))
}

/// Marks a record deleted (`true`) or restores it (`false`).
#[tauri::command(async)]
#[specta::specta]
pub fn set_deleted(
    state: State<'_, AppState>,
    id: Uuid,
    deleted: bool,
) -> Result<RecordView, AppError> {
    write_record(&state, id, |s| s.set_deleted(id, deleted).map(|_| ()))
}

/// What an edit of the notes answers.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NotesSaved {
    /// The account as it now is (its notes may hold words written elsewhere meanwhile).
    pub record: RecordView,
    /// Where the notes read exactly the text just saved: the next edit starts there.
    pub heads: Vec<String>,
}

/// Saves an edit of an account's notes: `text` typed from `base`, the notes as read at
/// `heads`. Only the characters that differ change; words written meanwhile stay.
#[tauri::command(async)]
#[specta::specta]
pub fn edit_notes(
    state: State<'_, AppState>,
    id: Uuid,
    heads: Vec<String>,
    base: String,
    text: String,
) -> Result<NotesSaved, AppError> {
    write(&state, |s| {
        let heads = s.edit_notes(id, &heads, &base, &text)?;
        Ok((
            NotesSaved {
                record: s.record(id)?,
                heads,
            },
            vec![id],
        ))
    })
}

/// Settles the conflict on `field` with `value` (one of the values shown, or another).
#[tauri::command(async)]
#[specta::specta]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: Uuid,
    field: String,
    value: Option<FieldValue>,
) -> Result<RecordView, AppError> {
    write_record(&state, id, |s| s.resolve(id, &field, value))
}

/// Every field change of a record, oldest first: who, when, from what, to what.
#[tauri::command(async)]
#[specta::specta]
pub fn record_history(state: State<'_, AppState>, id: Uuid) -> Result<Vec<HistoryEntry>, AppError> {
    read(&state, |s| s.history(id))
}

/// Records of every kind matching `text` (English prefixes, Chinese fragments), best
/// first.
#[tauri::command(async)]
#[specta::specta]
pub fn search_records(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> Result<Vec<SearchHit>, AppError> {
    read(&state, |s| s.search(&text, limit as usize))
}

/// The day of `today` (`YYYY-MM-DD`, the user's own calendar day): tasks due, deals
/// closing this month, the latest activities.
#[tauri::command(async)]
#[specta::specta]
pub fn agenda(state: State<'_, AppState>, today: String) -> Result<Agenda, AppError> {
    read(&state, |s| s.agenda(&today))
}
