//! The managers' reports (pipeline, forecast, win rate, stale, RFM, activity, the lead
//! funnel, service cases), computed once for every front-end: the device (CLI and app, from
//! its projections) and the server (from its own) feed the same rows and get the same
//! figures. `docs/reports.md` defines every figure in words.
//!
//! Inputs are plain rows ([`Book`]): deals, accounts and activities as projections hold
//! them, already limited by the caller to what the user may see. `today` is an input, so a
//! report is a function of its data. Money is never added across currencies: amounts are
//! kept per currency ([`Amounts`]) unless the caller gives exchange rates ([`Rates`]), and
//! every report says which it did. Knows nothing of storage, Automerge or the network.

mod activity;
mod cases;
mod forecast;
mod funnel;
mod pipeline;
mod request;
mod rfm;
mod stale;
mod winrate;

pub use activity::{ActivityWeek, activity};
pub use cases::{AGE_BUCKETS, CasesReport, OpenCases, OverdueCase, Resolved, cases};
pub use forecast::{ForecastPeriod, ForecastReport, Period, forecast};
pub use funnel::{FunnelBy, FunnelReport, FunnelRow, UNKNOWN_SOURCE, funnel};
pub use pipeline::{GroupBy, PipelineReport, PipelineRow, pipeline};
pub use request::{Activities, Deals, Money, Needs, Report, ReportKind};
pub use rfm::{LOW_VALUE, RfmAccount, RfmReport, RfmRules, ScoreRange, SegmentRule, rfm};
pub use stale::{StaleAccount, StaleDeal, StaleReport, StaleRules, stale};
pub use winrate::{WinRate, WinRateReport, winrate};

use crate::money::round_money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

/// An opportunity as the reports see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub owner: String,
    pub stage: String,
    pub amount: Option<Decimal>,
    pub currency: String,
    /// The effective probability in percent (as set, or following the stage).
    pub probability: i64,
    /// For a won or lost deal, the day it was won or lost.
    pub close_date: Option<Date>,
    /// The day the deal was created.
    pub created: Date,
}

/// An account as the reports see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub owner: String,
    pub created: Date,
}

/// An activity (visit, call, ...) as the reports see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub owner: String,
    /// visit, call, meeting, email or note.
    pub kind: String,
    pub on: Date,
    pub account_id: Uuid,
    pub opportunity_id: Option<Uuid>,
    /// How many activities the row stands for: a reader may give one row per owner, kind
    /// and day (`Activities::All`: account and deal then left nil and `None`).
    pub count: u64,
}

/// A lead as the funnel sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    pub id: Uuid,
    pub owner: String,
    /// fair, referral, web, visit, call, other; `None` when not given.
    pub source: Option<String>,
    pub status: String,
    /// The day it was captured.
    pub created: Date,
    /// The opportunity it was converted into, if any.
    pub opportunity_id: Option<Uuid>,
}

/// A field a projection row left empty, as reports see it: the schema's default for a new
/// record (a case's priority `normal`, a lead's status `new`), else empty. The device and
/// the server both build their rows with it, so their reports agree.
pub fn or_default(kind: crate::Kind, field: &str, value: Option<String>) -> String {
    value.unwrap_or_else(|| {
        crate::schema::static_default(kind, field)
            .unwrap_or_default()
            .to_owned()
    })
}

/// A case (service request) as the reports and reminders see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub id: Uuid,
    pub account_id: Uuid,
    pub subject: String,
    /// The account's owner.
    pub owner: String,
    pub assignee: Option<String>,
    pub priority: String,
    pub status: String,
    pub due: Option<Date>,
    /// The day it was logged.
    pub created: Date,
    /// The day it was resolved (or closed), if it was.
    pub resolved: Option<Date>,
}

/// What a report is computed over: live (not deleted) records the user may see.
#[derive(Clone, Debug, Default)]
pub struct Book {
    pub deals: Vec<Deal>,
    pub accounts: Vec<Account>,
    pub activities: Vec<Activity>,
    pub leads: Vec<Lead>,
    pub cases: Vec<Case>,
}

/// Which records a report covers, besides what the user may see.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    specta(rename = "ReportFilter")
)]
pub struct Filter {
    /// Only these owners (a team is its members); `None`: everyone visible.
    pub owners: Option<Vec<String>>,
    /// First day of the period (inclusive), on the date each report names.
    #[serde(with = "day::opt")]
    pub from: Option<Date>,
    /// Last day of the period (inclusive).
    #[serde(with = "day::opt")]
    pub to: Option<Date>,
}

impl Filter {
    pub fn owner(&self, owner: &str) -> bool {
        self.owners
            .as_ref()
            .is_none_or(|o| o.iter().any(|x| x == owner))
    }

    /// Whether `day` is in the period; a record without the day is in an open period only.
    pub fn period(&self, day: Option<Date>) -> bool {
        match day {
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
            None => self.from.is_none() && self.to.is_none(),
        }
    }
}

/// Exchange rates: one unit of a currency is worth `rate` units of `base`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rates {
    pub base: String,
    pub rates: BTreeMap<String, Decimal>,
}

impl Rates {
    /// `amount` in the base currency, if its currency has a rate (the base always does).
    pub fn convert(&self, amount: Decimal, currency: &str) -> Option<Decimal> {
        if currency == self.base {
            return Some(amount);
        }
        self.rates.get(currency).map(|r| amount * r)
    }
}

/// Sums of money per currency, rounded to each currency's minor unit when read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Amounts(pub BTreeMap<String, Decimal>);

impl Amounts {
    pub fn add(&mut self, currency: &str, amount: Decimal) {
        *self.0.entry(currency.to_string()).or_default() += amount;
    }

    pub fn get(&self, currency: &str) -> Decimal {
        self.0.get(currency).copied().unwrap_or_default()
    }

    /// Every sum rounded to its currency.
    pub fn rounded(mut self) -> Amounts {
        for (currency, v) in self.0.iter_mut() {
            *v = round_money(*v, currency);
        }
        self
    }

    /// Converted into `rates.base` where a rate exists; currencies without one stay apart.
    pub fn converted(self, rates: Option<&Rates>) -> Amounts {
        let Some(rates) = rates else {
            return self.rounded();
        };
        let mut out = Amounts::default();
        for (currency, v) in self.0 {
            match rates.convert(v, &currency) {
                Some(b) => out.add(&rates.base, b),
                None => out.add(&currency, v),
            }
        }
        out.rounded()
    }
}

/// How money was added up in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Currencies {
    /// Each currency apart (no rates given).
    PerCurrency,
    /// Converted into `base` with the given rates; currencies without a rate stay apart
    /// (listed in `unconverted`).
    Converted {
        base: String,
        rates: BTreeMap<String, Decimal>,
        unconverted: Vec<String>,
    },
}

impl Currencies {
    /// Describes the conversion done with `rates` over amounts in `seen` currencies.
    pub fn of<'a>(rates: Option<&Rates>, seen: impl IntoIterator<Item = &'a str>) -> Currencies {
        match rates {
            None => Currencies::PerCurrency,
            Some(r) => {
                let mut unconverted: Vec<String> = seen
                    .into_iter()
                    .filter(|c| *c != r.base && !r.rates.contains_key(*c))
                    .map(str::to_string)
                    .collect();
                unconverted.sort();
                unconverted.dedup();
                Currencies::Converted {
                    base: r.base.clone(),
                    rates: r.rates.clone(),
                    unconverted,
                }
            }
        }
    }
}

/// `amount × probability %`, unrounded.
pub(crate) fn weighted(amount: Decimal, probability: i64) -> Decimal {
    amount * Decimal::from(probability) / Decimal::ONE_HUNDRED
}

/// Whether a stage is still in play.
pub(crate) fn is_open(stage: &str) -> bool {
    crate::schema::OPEN_STAGES.contains(&stage)
}

#[cfg(test)]
mod tests;

/// Days as `YYYY-MM-DD` in serialized reports.
pub(crate) mod day {
    use crate::value::{format_date, parse_date};
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}")))
    }

    /// The same for an optional day.
    pub mod opt {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&format_date(*d)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| {
                    parse_date(&s)
                        .ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}")))
                })
                .transpose()
        }
    }
}
