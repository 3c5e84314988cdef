//! Deals by the month or quarter of their close date: what is closed (won), what is
//! committed (won, plus deals in negotiation at full amount), and the best case (the
//! commitment plus every other open deal at its probability). So closed ≤ commit ≤ best
//! case in every period. Deals without a close date are not forecast.

use super::{Amounts, Book, Currencies, Filter, Rates, is_open, weighted};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// The length of a forecast period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
}

impl Period {
    /// The period a day falls in: `2026-11` or `2026-Q4`.
    pub fn label(self, day: Date) -> String {
        let m = u8::from(day.month());
        match self {
            Period::Month => format!("{:04}-{m:02}", day.year()),
            Period::Quarter => format!("{:04}-Q{}", day.year(), (m - 1) / 3 + 1),
        }
    }
}

/// One period of the forecast.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ForecastPeriod {
    /// `2026-11` or `2026-Q4`.
    pub period: String,
    pub closed: Amounts,
    pub commit: Amounts,
    pub best_case: Amounts,
    /// Deals counted (won and open).
    pub deals: u64,
}

/// The forecast, periods in time order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ForecastReport {
    pub by: Period,
    pub periods: Vec<ForecastPeriod>,
    pub currencies: Currencies,
}

pub fn forecast(book: &Book, filter: &Filter, by: Period, rates: Option<&Rates>) -> ForecastReport {
    let mut periods: BTreeMap<String, ForecastPeriod> = BTreeMap::new();
    let mut seen = Vec::new();
    for d in &book.deals {
        let won = d.stage == "won";
        let Some(day) = d.close_date else { continue };
        if !(won || is_open(&d.stage)) || !filter.owner(&d.owner) || !filter.period(Some(day)) {
            continue;
        }
        let p = periods.entry(by.label(day)).or_default();
        p.deals += 1;
        let Some(a) = d.amount else { continue };
        seen.push(d.currency.as_str());
        if won {
            p.closed.add(&d.currency, a);
        }
        if won || d.stage == "negotiation" {
            p.commit.add(&d.currency, a);
            p.best_case.add(&d.currency, a);
        } else {
            p.best_case.add(&d.currency, weighted(a, d.probability));
        }
    }
    ForecastReport {
        by,
        periods: periods
            .into_iter()
            .map(|(period, p)| ForecastPeriod {
                period,
                closed: p.closed.converted(rates),
                commit: p.commit.converted(rates),
                best_case: p.best_case.converted(rates),
                deals: p.deals,
            })
            .collect(),
        currencies: Currencies::of(rates, seen),
    }
}
