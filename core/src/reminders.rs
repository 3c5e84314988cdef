//! Reminders before a customer buys again, worked out on the device from its own data
//! (offline), deterministic for a given day:
//!
//! - **Renewal**: a deal with a `renewal_date` (a contract's or warranty's end) reminds from
//!   `lead_days` before that date (default 60, adjustable per account) until a renewal deal
//!   exists for it.
//! - **Predicted reorder**: an account with at least 3 won deals is expected to buy again at
//!   its last win plus the median interval between its wins (lost deals do not count; with
//!   an even number of intervals, the mean of the two middle ones, rounded down). It reminds
//!   when that day is within `reorder_days` (default 14) or has passed, unless a deal was
//!   opened on the account after its last win.
//! - **Overdue case**: an open service request whose due day has passed (the caller gives
//!   the cases it wants flagged: those assigned to the user, or on the user's accounts).
//!
//! Each reminder has a stable key, so a user's dismissal or snooze (kept by the caller, and
//! synced to that user's devices) applies to it and to nothing else. Knows nothing of
//! storage or the network.

use crate::report::Case;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration};
use uuid::Uuid;

/// A deal as reminders see it.
#[derive(Clone, Debug, PartialEq)]
pub struct DealRow {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub stage: String,
    pub amount: Option<Decimal>,
    pub currency: String,
    /// The day it was won or lost (for a won deal, the day of the purchase).
    pub close_date: Option<Date>,
    pub created: Date,
    pub renewal_date: Option<Date>,
    /// The deal this one renews, if it is a renewal.
    pub renews: Option<Uuid>,
}

/// When reminders start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRules {
    /// Days before a renewal date a reminder starts.
    pub renewal_days: i64,
    /// Per account: another number of days for its renewals.
    pub renewal_days_by_account: BTreeMap<Uuid, i64>,
    /// Days before a predicted reorder a reminder starts.
    pub reorder_days: i64,
}

impl Default for ReminderRules {
    fn default() -> Self {
        ReminderRules {
            renewal_days: 60,
            renewal_days_by_account: BTreeMap::new(),
            reorder_days: 14,
        }
    }
}

/// What a reminder is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reason {
    /// `deal` ends (contract, warranty) on `renewal_date`.
    Renewal {
        deal: Uuid,
        deal_name: String,
        #[serde(with = "crate::report::day")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        renewal_date: Date,
    },
    /// The account bought every ~`every_days` days, last on `last_won`.
    Reorder {
        every_days: i64,
        #[serde(with = "crate::report::day")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        last_won: Date,
        wins: u64,
    },
    /// An open case was due on the reminder's `due` day.
    OverdueCase {
        case: Uuid,
        subject: String,
        priority: String,
        assignee: Option<String>,
    },
}

/// One reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reminder {
    /// Stable: `renewal:DEAL`, `reorder:ACCOUNT:LAST_WIN` (a new win makes a new one) or
    /// `case:CASE:DUE` (a new due day makes a new one).
    pub key: String,
    pub account_id: Uuid,
    /// The day the renewal or the reorder is due.
    #[serde(with = "crate::report::day")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub due: Date,
    /// Days from today to `due` (negative: passed).
    pub days_left: i64,
    pub reason: Reason,
}

impl Reminder {
    /// The reason in English words (front-ends translate from [`Reason`]).
    pub fn describe(&self) -> String {
        match &self.reason {
            Reason::Renewal {
                deal_name,
                renewal_date,
                ..
            } => format!(
                "renewal of \"{deal_name}\" due {}",
                crate::value::format_date(*renewal_date)
            ),
            Reason::Reorder {
                every_days,
                last_won,
                ..
            } => format!(
                "bought every ~{every_days} days; last {}",
                crate::value::format_date(*last_won)
            ),
            Reason::OverdueCase {
                subject, priority, ..
            } => format!(
                "case \"{subject}\" ({priority}) was due {}",
                crate::value::format_date(self.due)
            ),
        }
    }
}

/// What the user did with reminders: dismissed for good, or snoozed until a day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissals {
    pub dismissed: Vec<String>,
    pub snoozed: BTreeMap<String, String>,
}

impl Dismissals {
    fn hides(&self, key: &str, today: Date) -> bool {
        self.dismissed.iter().any(|k| k == key)
            || self
                .snoozed
                .get(key)
                .and_then(|until| crate::value::parse_date(until))
                .is_some_and(|until| today < until)
    }
}

/// The median of whole-day intervals (mean of the middle two, rounded down, when even).
fn median(mut v: Vec<i64>) -> i64 {
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]).div_euclid(2)
    }
}

/// The reminders due `today`, soonest first: renewals and reorders from `deals`, overdue
/// cases from `cases`.
pub fn reminders(
    deals: &[DealRow],
    cases: &[Case],
    rules: &ReminderRules,
    dismissals: &Dismissals,
    today: Date,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    let renewed: std::collections::HashSet<Uuid> = deals.iter().filter_map(|d| d.renews).collect();
    let mut wins: HashMap<Uuid, Vec<Date>> = HashMap::new();
    let mut opened: HashMap<Uuid, Vec<Date>> = HashMap::new();
    for d in deals {
        if d.stage == "won"
            && let Some(day) = d.close_date
        {
            wins.entry(d.account_id).or_default().push(day);
        }
        if crate::schema::OPEN_STAGES.contains(&d.stage.as_str()) {
            opened.entry(d.account_id).or_default().push(d.created);
        }
        let Some(renewal_date) = d.renewal_date else {
            continue;
        };
        if renewed.contains(&d.id) || d.stage == "lost" {
            continue;
        }
        let lead = rules
            .renewal_days_by_account
            .get(&d.account_id)
            .copied()
            .unwrap_or(rules.renewal_days);
        if today >= renewal_date - Duration::days(lead) {
            out.push(Reminder {
                key: format!("renewal:{}", d.id),
                account_id: d.account_id,
                due: renewal_date,
                days_left: (renewal_date - today).whole_days(),
                reason: Reason::Renewal {
                    deal: d.id,
                    deal_name: d.name.clone(),
                    renewal_date,
                },
            });
        }
    }
    for (account, mut days) in wins {
        if days.len() < 3 {
            continue;
        }
        days.sort_unstable();
        let last = *days.last().expect("three wins");
        let intervals = days
            .windows(2)
            .map(|w| (w[1] - w[0]).whole_days())
            .collect();
        let every = median(intervals);
        let due = last + Duration::days(every);
        let reopened = opened
            .get(&account)
            .is_some_and(|o| o.iter().any(|c| *c > last));
        if reopened || today < due - Duration::days(rules.reorder_days) {
            continue;
        }
        out.push(Reminder {
            key: format!("reorder:{account}:{}", crate::value::format_date(last)),
            account_id: account,
            due,
            days_left: (due - today).whole_days(),
            reason: Reason::Reorder {
                every_days: every,
                last_won: last,
                wins: days.len() as u64,
            },
        });
    }
    for c in cases {
        let Some(due) = c.due.filter(|d| *d < today) else {
            continue;
        };
        if !crate::schema::OPEN_CASE_STATUSES.contains(&c.status.as_str()) {
            continue;
        }
        out.push(Reminder {
            key: format!("case:{}:{}", c.id, crate::value::format_date(due)),
            account_id: c.account_id,
            due,
            days_left: (due - today).whole_days(),
            reason: Reason::OverdueCase {
                case: c.id,
                subject: c.subject.clone(),
                priority: c.priority.clone(),
                assignee: c.assignee.clone(),
            },
        });
    }
    out.retain(|r| !dismissals.hides(&r.key, today));
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests;
