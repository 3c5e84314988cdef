//! The pipeline: open deals by stage. The board's cards are `list_records` of opportunities
//! filtered by stage; moving a card is `update_record` of its `stage` (a lost deal needs
//! its `loss_reason` in the same update).

use super::read;
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::model::StageSummary;
use tauri::State;

/// Open deals by stage: count, amount and weighted amount per currency (exact decimals).
#[tauri::command(async)]
#[specta::specta]
pub fn pipeline_summary(state: State<'_, AppState>) -> Result<Vec<StageSummary>, AppError> {
    read(&state, |s| s.pipeline())
}
