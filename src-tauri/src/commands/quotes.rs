//! Quote lines. A quote itself is created and edited like any record (`create_record`,
//! `update_record`); its totals come computed (exact decimals) with it. Products for a line
//! are found with `search_records` or `list_records` of products.

use super::write_record;
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::{FieldValues, RecordView};
use tauri::State;
use uuid::Uuid;

/// Adds a line to a quote (a product's line gets its name and price unless given);
/// answers the quote with its new totals.
#[tauri::command(async)]
#[specta::specta]
pub fn add_quote_line(
    state: State<'_, AppState>,
    quote: Uuid,
    values: FieldValues,
) -> Result<RecordView, AppError> {
    write_record(&state, quote, |s| {
        s.add_quote_line(quote, &values).map(|_| ())
    })
}

/// Sets (or, with `null`, clears) fields of a quote line.
#[tauri::command(async)]
#[specta::specta]
pub fn set_quote_line(
    state: State<'_, AppState>,
    quote: Uuid,
    line_id: String,
    values: FieldValues,
) -> Result<RecordView, AppError> {
    write_record(&state, quote, |s| {
        s.set_quote_line(quote, &line_id, &values)
    })
}

/// Removes a line from a quote.
#[tauri::command(async)]
#[specta::specta]
pub fn remove_quote_line(
    state: State<'_, AppState>,
    quote: Uuid,
    line_id: String,
) -> Result<RecordView, AppError> {
    write_record(&state, quote, |s| s.remove_quote_line(quote, &line_id))
}
