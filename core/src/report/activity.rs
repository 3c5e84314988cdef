//! Activities per owner per week (ISO 8601 weeks, Monday first), by kind. The period, when
//! given, is on the activity's day.

use super::{Book, Filter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One owner's activities in one week.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ActivityWeek {
    pub owner: String,
    /// ISO week, e.g. `2026-W48`.
    pub week: String,
    /// Count per kind (visit, call, meeting, email, note); kinds with none are absent.
    pub by_kind: BTreeMap<String, u64>,
    pub total: u64,
}

/// Rows by owner, then week.
pub fn activity(book: &Book, filter: &Filter) -> Vec<ActivityWeek> {
    let mut rows: BTreeMap<(String, String), ActivityWeek> = BTreeMap::new();
    for a in &book.activities {
        if !filter.owner(&a.owner) || !filter.period(Some(a.on)) {
            continue;
        }
        let (year, week, _) = a.on.to_iso_week_date();
        let label = format!("{year:04}-W{week:02}");
        let row = rows.entry((a.owner.clone(), label)).or_default();
        *row.by_kind.entry(a.kind.clone()).or_default() += a.count;
        row.total += a.count;
    }
    rows.into_iter()
        .map(|((owner, week), mut r)| {
            r.owner = owner;
            r.week = week;
            r
        })
        .collect()
}
