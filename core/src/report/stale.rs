//! Deals and accounts going cold.
//!
//! - A deal is stale when it is open and either nothing was logged on it (an activity that
//!   names it) for `deal_days` days — counted from its creation when nothing ever was — or
//!   its close date has passed.
//! - An account is at risk when it had no activity and no won deal (by close date) for
//!   `account_days` days, counted from its creation when it never had either.
//!
//! Both lists put the longest-quiet first. Filters: owner only (the period is `today`).

use super::{Book, Filter, is_open};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

/// How long is too quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StaleRules {
    pub deal_days: i64,
    pub account_days: i64,
}

impl Default for StaleRules {
    fn default() -> Self {
        StaleRules {
            deal_days: 30,
            account_days: 90,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StaleDeal {
    pub id: Uuid,
    pub name: String,
    pub account_id: Uuid,
    pub owner: String,
    pub stage: String,
    pub amount: Option<Decimal>,
    pub currency: String,
    #[serde(with = "super::day::opt")]
    pub close_date: Option<Date>,
    #[serde(with = "super::day::opt")]
    pub last_activity: Option<Date>,
    /// Days since the last activity on it (or its creation).
    pub days_quiet: i64,
    /// Quiet for longer than the rule allows.
    pub quiet: bool,
    /// Its close date has passed while it is still open.
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StaleAccount {
    pub id: Uuid,
    pub name: String,
    pub owner: String,
    #[serde(with = "super::day::opt")]
    pub last_activity: Option<Date>,
    #[serde(with = "super::day::opt")]
    pub last_won: Option<Date>,
    /// Days since the later of its last activity and last win (or its creation).
    pub days_quiet: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StaleReport {
    #[serde(with = "super::day")]
    pub today: Date,
    pub rules: StaleRules,
    pub deals: Vec<StaleDeal>,
    pub accounts: Vec<StaleAccount>,
}

fn later(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    a.max(b)
}

pub fn stale(book: &Book, filter: &Filter, rules: StaleRules, today: Date) -> StaleReport {
    let mut on_deal: HashMap<Uuid, Date> = HashMap::new();
    let mut on_account: HashMap<Uuid, Date> = HashMap::new();
    for a in &book.activities {
        if let Some(o) = a.opportunity_id {
            let e = on_deal.entry(o).or_insert(a.on);
            *e = (*e).max(a.on);
        }
        let e = on_account.entry(a.account_id).or_insert(a.on);
        *e = (*e).max(a.on);
    }
    let mut won_on: HashMap<Uuid, Date> = HashMap::new();
    let mut deals = Vec::new();
    for d in &book.deals {
        if d.stage == "won"
            && let Some(day) = d.close_date
        {
            let e = won_on.entry(d.account_id).or_insert(day);
            *e = (*e).max(day);
        }
        if !is_open(&d.stage) || !filter.owner(&d.owner) {
            continue;
        }
        let last = on_deal.get(&d.id).copied();
        let days_quiet = (today - last.unwrap_or(d.created).max(d.created)).whole_days();
        let quiet = days_quiet >= rules.deal_days;
        let overdue = d.close_date.is_some_and(|c| c < today);
        if quiet || overdue {
            deals.push(StaleDeal {
                id: d.id,
                name: d.name.clone(),
                account_id: d.account_id,
                owner: d.owner.clone(),
                stage: d.stage.clone(),
                amount: d.amount,
                currency: d.currency.clone(),
                close_date: d.close_date,
                last_activity: last,
                days_quiet,
                quiet,
                overdue,
            });
        }
    }
    let mut accounts = Vec::new();
    for a in &book.accounts {
        if !filter.owner(&a.owner) {
            continue;
        }
        let last_activity = on_account.get(&a.id).copied();
        let last_won = won_on.get(&a.id).copied();
        let since = later(last_activity, last_won)
            .unwrap_or(a.created)
            .max(a.created);
        let days_quiet = (today - since).whole_days();
        if days_quiet >= rules.account_days {
            accounts.push(StaleAccount {
                id: a.id,
                name: a.name.clone(),
                owner: a.owner.clone(),
                last_activity,
                last_won,
                days_quiet,
            });
        }
    }
    deals.sort_by(|a, b| b.days_quiet.cmp(&a.days_quiet).then(a.id.cmp(&b.id)));
    accounts.sort_by(|a, b| b.days_quiet.cmp(&a.days_quiet).then(a.id.cmp(&b.id)));
    StaleReport {
        today,
        rules,
        deals,
        accounts,
    }
}
