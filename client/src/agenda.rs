//! A rep's day, as the Today screen shows it: tasks overdue, due today and due in the
//! coming week; open deals closing this month; the latest activities. Worked out from the
//! projections for a given calendar day (the caller's, in its own time zone). Knows no SQL.

use crate::error::Result;
use crate::model::RecordView;
use crate::store::Store;
use fieldbook_core::CoreError;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, macros::format_description};

/// How many records each part of the day shows at most.
pub const AGENDA_LIMIT: usize = 50;
/// How many latest activities the day shows.
pub const LATEST_ACTIVITIES: usize = 10;

/// A rep's day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agenda {
    /// The day (`YYYY-MM-DD`) this agenda is for.
    pub today: String,
    /// Open tasks due before today, earliest first.
    pub overdue: Vec<RecordView>,
    /// Open tasks due today.
    pub due_today: Vec<RecordView>,
    /// Open tasks due in the six days after today.
    pub due_soon: Vec<RecordView>,
    /// Open deals whose close date falls in today's month, soonest first.
    pub closing: Vec<RecordView>,
    /// The latest activities, newest first.
    pub activities: Vec<RecordView>,
}

/// A calendar day given as `YYYY-MM-DD` (a clear error otherwise).
pub fn parse_day(text: &str) -> Result<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| {
        CoreError::InvalidValue {
            field: "today".into(),
            value: text.into(),
            expected: "a date as YYYY-MM-DD".into(),
        }
        .into()
    })
}

fn day(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

impl Store {
    /// The agenda of `today` (`YYYY-MM-DD`, the rep's own calendar day).
    pub fn agenda(&self, today: &str) -> Result<Agenda> {
        let date = parse_day(today)?;
        let today = day(date);
        let week_end = day(date + Duration::days(6));
        let mut overdue = Vec::new();
        let mut due_today = Vec::new();
        let mut due_soon = Vec::new();
        for task in self.tasks_due_by(&week_end, AGENDA_LIMIT * 3)? {
            let due = match task.fields.get("due") {
                Some(fieldbook_core::value::FieldValue::Text(d)) => d.clone(),
                _ => continue,
            };
            let part = match due.as_str().cmp(today.as_str()) {
                std::cmp::Ordering::Less => &mut overdue,
                std::cmp::Ordering::Equal => &mut due_today,
                std::cmp::Ordering::Greater => &mut due_soon,
            };
            if part.len() < AGENDA_LIMIT {
                part.push(task);
            }
        }
        let month_start = date.replace_day(1).unwrap_or(date);
        let month_end = day(month_start
            .replace_day(time::util::days_in_month(date.month(), date.year()))
            .unwrap_or(date));
        Ok(Agenda {
            overdue,
            due_today,
            due_soon,
            closing: self.deals_closing(&day(month_start), &month_end, AGENDA_LIMIT)?,
            activities: self.latest_activities(LATEST_ACTIVITIES)?,
            today,
        })
    }
}
