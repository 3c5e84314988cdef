//! The pipeline board. Its cards are `list_records` of opportunities filtered by stage;
//! moving a card is `update_record` of its `stage` (a lost deal needs its `loss_reason` in
//! the same update: the client refuses it otherwise, with words to show).

use super::read;
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::model::StageSummary;
use tauri::State;

/// Every stage of the board (`schema().stages`, closed ones too): count, amount and
/// weighted amount per currency (exact decimals, rounded to the currency).
#[tauri::command(async)]
#[specta::specta]
pub fn pipeline_board(state: State<'_, AppState>) -> Result<Vec<StageSummary>, AppError> {
    read(&state, |s| s.pipeline_board())
}
