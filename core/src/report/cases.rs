//! Service requests: the open cases by priority and age (days since they were logged), how
//! many are overdue (their due day has passed), and how long resolved cases took, from
//! being logged to being resolved (`resolved_at`), per priority.
//!
//! Open cases are counted as they stand `today`; resolved (or closed) cases count in the
//! period by the day they were resolved. Owners filter by the case's owner (the account's).

use super::{Book, Filter};
use crate::schema::{CASE_PRIORITIES, OPEN_CASE_STATUSES};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

/// Age groups of open cases, in days since they were logged: up to 2, 3 to 7, 8 to 30,
/// more than 30.
pub const AGE_BUCKETS: &[(&str, i64)] = &[("0-2", 2), ("3-7", 7), ("8-30", 30), ("31+", i64::MAX)];

/// Open cases of one priority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OpenCases {
    pub priority: String,
    pub open: u64,
    pub overdue: u64,
    /// Counts per age group, in the order of [`AGE_BUCKETS`].
    pub by_age: Vec<u64>,
    /// The oldest open case's age in days.
    pub oldest_days: Option<i64>,
}

/// Resolved cases of one priority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Resolved {
    pub priority: String,
    pub resolved: u64,
    /// Mean days from logged to resolved, one decimal.
    pub avg_days: Option<Decimal>,
    /// Median days (the mean of the middle two when even, one decimal).
    pub median_days: Option<Decimal>,
    /// Resolved after their due day.
    pub late: u64,
}

/// One overdue case, for the list under the figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverdueCase {
    pub id: Uuid,
    pub subject: String,
    pub account_id: Uuid,
    pub owner: String,
    pub assignee: Option<String>,
    pub priority: String,
    #[serde(with = "super::day")]
    pub due: Date,
    pub days_overdue: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CasesReport {
    /// Per priority, urgent first.
    pub open: Vec<OpenCases>,
    pub resolved: Vec<Resolved>,
    /// Every overdue open case, most overdue first.
    pub overdue: Vec<OverdueCase>,
    pub age_buckets: Vec<String>,
}

fn median(mut v: Vec<i64>) -> Option<Decimal> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        Decimal::from(v[n / 2])
    } else {
        (Decimal::from(v[n / 2 - 1] + v[n / 2]) / Decimal::TWO).round_dp(1)
    })
}

/// The cases report for `today`.
pub fn cases(book: &Book, filter: &Filter, today: Date) -> CasesReport {
    let priorities: Vec<&str> = CASE_PRIORITIES.iter().rev().copied().collect();
    let mut open: Vec<OpenCases> = priorities
        .iter()
        .map(|p| OpenCases {
            priority: p.to_string(),
            by_age: vec![0; AGE_BUCKETS.len()],
            ..OpenCases::default()
        })
        .collect();
    let mut took: Vec<(Vec<i64>, u64)> = vec![(Vec::new(), 0); priorities.len()];
    let mut overdue = Vec::new();
    for c in &book.cases {
        if !filter.owner(&c.owner) {
            continue;
        }
        let Some(slot) = priorities.iter().position(|p| *p == c.priority) else {
            continue;
        };
        if OPEN_CASE_STATUSES.contains(&c.status.as_str()) {
            let o = &mut open[slot];
            let age = (today - c.created).whole_days().max(0);
            o.open += 1;
            let bucket = AGE_BUCKETS
                .iter()
                .position(|(_, max)| age <= *max)
                .unwrap_or(AGE_BUCKETS.len() - 1);
            o.by_age[bucket] += 1;
            o.oldest_days = Some(o.oldest_days.map_or(age, |d| d.max(age)));
            if let Some(due) = c.due.filter(|d| *d < today) {
                o.overdue += 1;
                overdue.push(OverdueCase {
                    id: c.id,
                    subject: c.subject.clone(),
                    account_id: c.account_id,
                    owner: c.owner.clone(),
                    assignee: c.assignee.clone(),
                    priority: c.priority.clone(),
                    due,
                    days_overdue: (today - due).whole_days(),
                });
            }
        } else if let Some(resolved) = c.resolved.filter(|r| filter.period(Some(*r))) {
            let (days, late) = &mut took[slot];
            days.push((resolved - c.created).whole_days().max(0));
            if c.due.is_some_and(|d| resolved > d) {
                *late += 1;
            }
        }
    }
    overdue.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.id.cmp(&b.id)));
    let resolved = priorities
        .iter()
        .zip(took)
        .map(|(p, (days, late))| Resolved {
            priority: p.to_string(),
            resolved: days.len() as u64,
            avg_days: (!days.is_empty()).then(|| {
                (Decimal::from(days.iter().sum::<i64>()) / Decimal::from(days.len() as u64))
                    .round_dp(1)
            }),
            median_days: median(days),
            late,
        })
        .collect();
    CasesReport {
        open,
        resolved,
        overdue,
        age_buckets: AGE_BUCKETS.iter().map(|(n, _)| n.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    //! Worked out by hand; today is 2026-11-30.
    use super::*;
    use crate::report::Case;
    use crate::value::parse_date;
    use std::str::FromStr;

    fn day(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn dec(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    fn book() -> Book {
        // (case, priority, status, created, due, resolved)
        let cases = [
            (1, "urgent", "new", "2026-11-29", Some("2026-11-30"), None),
            (
                2,
                "urgent",
                "in_progress",
                "2026-11-20",
                Some("2026-11-21"),
                None,
            ),
            (
                3,
                "normal",
                "waiting_on_customer",
                "2026-10-01",
                Some("2026-10-08"),
                None,
            ),
            (
                4,
                "normal",
                "resolved",
                "2026-11-01",
                Some("2026-11-08"),
                Some("2026-11-05"),
            ),
            (
                5,
                "normal",
                "resolved",
                "2026-11-01",
                Some("2026-11-08"),
                Some("2026-11-15"),
            ),
            (
                6,
                "normal",
                "closed",
                "2026-11-10",
                None,
                Some("2026-11-13"),
            ),
            (7, "low", "new", "2026-11-25", None, None),
            (
                8,
                "high",
                "resolved",
                "2026-11-01",
                Some("2026-11-04"),
                Some("2026-11-02"),
            ),
        ]
        .into_iter()
        .map(|(n, priority, status, created, due, resolved)| Case {
            id: Uuid::from_u128(n),
            account_id: Uuid::from_u128(100),
            subject: format!("case {n}"),
            owner: "alice".into(),
            assignee: Some("bob".into()),
            priority: priority.into(),
            status: status.into(),
            due: due.map(day),
            created: day(created),
            resolved: resolved.map(day),
        })
        .collect();
        Book {
            cases,
            ..Book::default()
        }
    }

    #[test]
    fn open_cases_by_priority_and_age_and_time_to_resolve() {
        let r = cases(&book(), &Filter::default(), day("2026-11-30"));
        let open: Vec<_> = r
            .open
            .iter()
            .map(|o| {
                (
                    o.priority.as_str(),
                    o.open,
                    o.overdue,
                    o.by_age.clone(),
                    o.oldest_days,
                )
            })
            .collect();
        assert_eq!(
            open,
            [
                // Case 1 is due today: not overdue yet. Case 2: 10 days old, 9 overdue.
                ("urgent", 2, 1, vec![1, 0, 1, 0], Some(10)),
                ("high", 0, 0, vec![0, 0, 0, 0], None),
                ("normal", 1, 1, vec![0, 0, 0, 1], Some(60)),
                ("low", 1, 0, vec![0, 1, 0, 0], Some(5)),
            ]
        );
        let resolved: Vec<_> = r
            .resolved
            .iter()
            .map(|x| {
                (
                    x.priority.as_str(),
                    x.resolved,
                    x.avg_days,
                    x.median_days,
                    x.late,
                )
            })
            .collect();
        assert_eq!(
            resolved,
            [
                ("urgent", 0, None, None, 0),
                ("high", 1, dec("1.0"), dec("1"), 0),
                // 4, 14 and 3 days; case 5 was resolved after its due day.
                ("normal", 3, dec("7.0"), dec("4"), 1),
                ("low", 0, None, None, 0),
            ]
        );
        let overdue: Vec<_> = r
            .overdue
            .iter()
            .map(|o| (o.id.as_u128(), o.days_overdue))
            .collect();
        assert_eq!(overdue, [(3, 53), (2, 9)]);
        // Resolved in a period: only case 5 (resolved on the 15th) is in the second half.
        let late_half = Filter {
            from: Some(day("2026-11-14")),
            ..Filter::default()
        };
        let r = cases(&book(), &late_half, day("2026-11-30"));
        assert_eq!(r.resolved[2].resolved, 1);
    }
}
