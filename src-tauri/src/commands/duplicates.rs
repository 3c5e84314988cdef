//! Likely duplicates and merging them: the pairs of a kind with their score and reasons,
//! and a merge of two records with the fields chosen one by one. The comparing and merging
//! are `fieldbook_client::duplicates`'s.

use super::{read, write};
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::Kind;
use fieldbook_client::duplicates::{DuplicatePair, FieldChoice, MergeReport};
use tauri::State;
use uuid::Uuid;

/// Likely duplicate pairs among the live records of `kind` (accounts, contacts), best
/// first.
#[tauri::command(async)]
#[specta::specta]
pub fn find_duplicates(
    state: State<'_, AppState>,
    kind: Kind,
) -> Result<Vec<DuplicatePair>, AppError> {
    read(&state, |s| s.duplicates(kind))
}

/// Merges `other` into `keep`: the kept record takes the other's values where it has none,
/// or as `choices` say field by field; what referred to the other follows the kept one;
/// the other is marked merged and deleted. One transaction; it syncs like any edit.
#[tauri::command(async)]
#[specta::specta]
pub fn merge_records(
    state: State<'_, AppState>,
    keep: Uuid,
    other: Uuid,
    choices: Vec<FieldChoice>,
) -> Result<MergeReport, AppError> {
    write(&state, |s| {
        let report = s.merge(keep, other, &choices)?;
        let mut ids = vec![report.kept, report.merged];
        ids.extend(report.moved.iter().flat_map(|m| [m.from, m.to]));
        ids.extend(report.relinked.iter().map(|r| r.id));
        Ok((report, ids))
    })
}
