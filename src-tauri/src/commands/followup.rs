//! Following up (issue #11): a lead's likely accounts and its conversion; the reminders
//! due today (renewals, predicted reorders, overdue cases) and what the user does with
//! one: dismiss, snooze, or renew (the prefilled renewal deal); this device's preferences
//! for them (when reminders start, a case's default due days per priority). Leads and cases themselves
//! are records like any other (`records`). Days cross as `YYYY-MM-DD` strings, the user's
//! own calendar day.

use super::{read, write};
use crate::error::AppError;
use crate::state::AppState;
use fieldbook_client::agenda::parse_day;
use fieldbook_client::edit::{AccountMatch, Conversion, Converted};
use fieldbook_client::reminders::{DueReminder, Renewed};
use fieldbook_client::settings::{Setting, Settings};
use tauri::State;
use uuid::Uuid;

/// Existing accounts that may be this lead's company (by normalized name), best first.
#[tauri::command(async)]
#[specta::specta]
pub fn account_matches(
    state: State<'_, AppState>,
    lead: Uuid,
) -> Result<Vec<AccountMatch>, AppError> {
    read(&state, |s| s.account_matches(lead))
}

/// Converts a lead into an account (new or chosen), a contact and perhaps a deal, in one
/// transaction.
#[tauri::command(async)]
#[specta::specta]
pub fn convert_lead(
    state: State<'_, AppState>,
    lead: Uuid,
    conversion: Conversion,
) -> Result<Converted, AppError> {
    write(&state, |s| {
        let done = s.convert_lead(lead, &conversion)?;
        let mut ids = vec![done.lead, done.account, done.contact];
        ids.extend(done.opportunity);
        Ok((done, ids))
    })
}

/// The reminders due on `today` for this store's user, soonest first (dismissed and
/// snoozed ones left out).
#[tauri::command(async)]
#[specta::specta]
pub fn reminders(state: State<'_, AppState>, today: String) -> Result<Vec<DueReminder>, AppError> {
    read(&state, |s| s.reminders(parse_day(&today)?))
}

/// Hides a reminder for good (`until` null) or until a day (snoozed); answers its key.
/// Kept as this user's own record, so their other devices hide it too.
#[tauri::command(async)]
#[specta::specta]
pub fn dismiss_reminder(
    state: State<'_, AppState>,
    key: String,
    until: Option<String>,
    today: String,
) -> Result<String, AppError> {
    write(&state, |s| {
        let until = until.as_deref().map(parse_day).transpose()?;
        let key = s.dismiss_reminder(&key, until, parse_day(&today)?)?;
        Ok((key, Vec::new()))
    })
}

/// Turns a renewal reminder into the renewal deal (and a draft quote with the renewed
/// deal's products), linked to the deal it renews.
#[tauri::command(async)]
#[specta::specta]
pub fn renew_reminder(
    state: State<'_, AppState>,
    key: String,
    today: String,
) -> Result<Renewed, AppError> {
    write(&state, |s| {
        let made = s.renew(&key, parse_day(&today)?)?;
        let mut ids = vec![made.renews, made.opportunity];
        ids.extend(made.quote);
        Ok((made, ids))
    })
}

/// This device's follow-up preferences, each with its default when never set.
#[tauri::command(async)]
#[specta::specta]
pub fn preferences(state: State<'_, AppState>) -> Result<Settings, AppError> {
    read(&state, |s| s.preferences())
}

/// Sets one preference by name (`reminders.renewal_days`, `reminders.reorder_days`,
/// `case_due.PRIORITY`) to a number of days; answers them all.
#[tauri::command(async)]
#[specta::specta]
pub fn set_preference(
    state: State<'_, AppState>,
    name: String,
    days: i64,
) -> Result<Settings, AppError> {
    write(&state, |s| {
        let all = s.set_preference(Setting::parse(&name)?, days)?;
        // Reminders are worked out again with the new lead times.
        Ok((all, Vec::new()))
    })
}
