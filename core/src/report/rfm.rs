//! Customer value by recency, frequency and monetary value (RFM).
//!
//! For every account with at least one won deal:
//! - **R**ecency: days from the close date of its last won deal to `today`;
//! - **F**requency: its won deals closed in the window (`window_days` up to `today`);
//! - **M**onetary: their amount, in the report's currency — deals in another currency
//!   count only through a rate, and are otherwise left out (listed in `left_out`).
//!
//! Each is scored 1 to 5 by quintile among the scored accounts: an account's score is
//! `1 + floor(5 × below / n)`, where `below` is how many accounts do worse (a longer
//! recency; a lower frequency or amount) and `n` how many are scored. Equal values share
//! a score (the one of the lowest place among them), so a score may be skipped.
//!
//! Segments come from rules tried in order, the first match wins ([`RfmRules::default`]
//! lists the defaults: most valuable, at risk, growth potential); an account no rule
//! matches is `low_value`. Accounts without a won deal are counted, not scored.

use super::{Book, Filter, Rates};
use crate::money::round_money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Date, Duration};
use uuid::Uuid;

/// Scores from `min` to `max` (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScoreRange {
    pub min: u8,
    pub max: u8,
}

const fn range(min: u8, max: u8) -> ScoreRange {
    ScoreRange { min, max }
}

impl ScoreRange {
    fn holds(self, s: u8) -> bool {
        (self.min..=self.max).contains(&s)
    }
}

/// A segment and the scores it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentRule {
    /// `mvc`, `at_risk`, `mgc`, or a name of the company's own.
    pub segment: String,
    pub r: ScoreRange,
    pub f: ScoreRange,
    pub m: ScoreRange,
}

/// The window and the segment rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RfmRules {
    pub window_days: i64,
    pub segments: Vec<SegmentRule>,
}

fn rule(segment: &str, r: ScoreRange, f: ScoreRange, m: ScoreRange) -> SegmentRule {
    SegmentRule {
        segment: segment.into(),
        r,
        f,
        m,
    }
}

impl Default for RfmRules {
    /// - `mvc` (most valuable customers, 最有价值客户): R, F and M all 4–5;
    /// - `at_risk`: bought often or much (F or M 4–5) but not lately (R 1–2);
    /// - `mgc` (growth potential, 最具成长潜力客户): bought lately (R 3–5) and either buys
    ///   often or spends much (F or M 3–5), but is not yet most valuable;
    /// - everything else: `low_value` (BZ).
    fn default() -> Self {
        RfmRules {
            window_days: 365,
            segments: vec![
                rule("mvc", range(4, 5), range(4, 5), range(4, 5)),
                rule("at_risk", range(1, 2), range(4, 5), range(1, 5)),
                rule("at_risk", range(1, 2), range(1, 5), range(4, 5)),
                rule("mgc", range(3, 5), range(3, 5), range(1, 5)),
                rule("mgc", range(3, 5), range(1, 5), range(3, 5)),
            ],
        }
    }
}

/// Accounts matched by no rule.
pub const LOW_VALUE: &str = "low_value";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RfmAccount {
    pub id: Uuid,
    pub name: String,
    pub owner: String,
    #[serde(with = "super::day")]
    pub last_won: Date,
    pub recency_days: i64,
    pub frequency: u64,
    pub monetary: Decimal,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RfmReport {
    #[serde(with = "super::day")]
    pub today: Date,
    pub rules: RfmRules,
    /// The currency of `monetary`.
    pub currency: String,
    /// Scored accounts, most valuable first (by R+F+M, then amount, then name).
    pub accounts: Vec<RfmAccount>,
    /// Accounts with no won deal (not scored).
    pub unscored: u64,
    /// Currencies of won deals left out of `monetary` for want of a rate.
    pub left_out: Vec<String>,
}

/// Scores `values` (higher is better) 1 to 5 by quintile, ties sharing the lower place.
fn quintiles(values: &[Decimal]) -> Vec<u8> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = values.len().max(1);
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|x| x < v);
            (1 + 5 * below / n) as u8
        })
        .collect()
}

pub fn rfm(
    book: &Book,
    filter: &Filter,
    rules: &RfmRules,
    currency: &str,
    rates: Option<&Rates>,
    today: Date,
) -> RfmReport {
    let window_start = today - Duration::days(rules.window_days);
    struct Acc {
        last_won: Date,
        frequency: u64,
        monetary: Decimal,
    }
    let mut per: HashMap<Uuid, Acc> = HashMap::new();
    let mut left_out: Vec<String> = Vec::new();
    for d in &book.deals {
        let Some(day) = d.close_date.filter(|_| d.stage == "won") else {
            continue;
        };
        if day > today {
            continue;
        }
        let a = per.entry(d.account_id).or_insert(Acc {
            last_won: day,
            frequency: 0,
            monetary: Decimal::ZERO,
        });
        a.last_won = a.last_won.max(day);
        if day < window_start {
            continue;
        }
        a.frequency += 1;
        let amount = d.amount.unwrap_or_default();
        let converted = if d.currency == currency {
            Some(amount)
        } else {
            rates
                .filter(|r| r.base == currency)
                .and_then(|r| r.convert(amount, &d.currency))
        };
        match converted {
            Some(v) => a.monetary += v,
            None => left_out.push(d.currency.clone()),
        }
    }
    let mut rows: Vec<RfmAccount> = Vec::new();
    let mut unscored = 0;
    for acc in &book.accounts {
        if !filter.owner(&acc.owner) {
            continue;
        }
        let Some(a) = per.get(&acc.id) else {
            unscored += 1;
            continue;
        };
        rows.push(RfmAccount {
            id: acc.id,
            name: acc.name.clone(),
            owner: acc.owner.clone(),
            last_won: a.last_won,
            recency_days: (today - a.last_won).whole_days(),
            frequency: a.frequency,
            monetary: round_money(a.monetary, currency),
            r: 0,
            f: 0,
            m: 0,
            segment: String::new(),
        });
    }
    let r = quintiles(
        &rows
            .iter()
            .map(|a| -Decimal::from(a.recency_days))
            .collect::<Vec<_>>(),
    );
    let f = quintiles(
        &rows
            .iter()
            .map(|a| Decimal::from(a.frequency))
            .collect::<Vec<_>>(),
    );
    let m = quintiles(&rows.iter().map(|a| a.monetary).collect::<Vec<_>>());
    for (i, row) in rows.iter_mut().enumerate() {
        (row.r, row.f, row.m) = (r[i], f[i], m[i]);
        row.segment = rules
            .segments
            .iter()
            .find(|s| s.r.holds(row.r) && s.f.holds(row.f) && s.m.holds(row.m))
            .map_or(LOW_VALUE.to_string(), |s| s.segment.clone());
    }
    rows.sort_by(|a, b| {
        let score = |x: &RfmAccount| u16::from(x.r) + u16::from(x.f) + u16::from(x.m);
        score(b)
            .cmp(&score(a))
            .then(b.monetary.cmp(&a.monetary))
            .then(a.name.cmp(&b.name))
    });
    left_out.sort();
    left_out.dedup();
    RfmReport {
        today,
        rules: rules.clone(),
        currency: currency.to_string(),
        accounts: rows,
        unscored,
        left_out,
    }
}
