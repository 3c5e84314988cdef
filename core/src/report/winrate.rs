//! Win rate per owner over the deals closed (won or lost) in the period, by count and by
//! amount, and the average number of days from a deal's creation to its win (its close
//! date). An owner with no closed deal in the period has no row.

use super::{Amounts, Book, Currencies, Filter, Rates};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One owner's closed deals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WinRate {
    pub owner: String,
    pub won: u64,
    pub lost: u64,
    /// won / (won + lost), in percent with one decimal.
    pub rate_by_count: Decimal,
    pub won_amount: Amounts,
    pub lost_amount: Amounts,
    /// won amount / (won + lost amount) in percent with one decimal, per currency (or in
    /// the base currency when converted).
    pub rate_by_amount: BTreeMap<String, Decimal>,
    /// Average days from creation to the win, one decimal; `None` with no win.
    pub avg_days_to_win: Option<Decimal>,
}

/// Win rates, owners by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WinRateReport {
    pub owners: Vec<WinRate>,
    pub currencies: Currencies,
}

fn percent(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        Decimal::ZERO
    } else {
        (part * Decimal::ONE_HUNDRED / whole).round_dp(1)
    }
}

pub fn winrate(book: &Book, filter: &Filter, rates: Option<&Rates>) -> WinRateReport {
    let mut owners: BTreeMap<String, (WinRate, i64)> = BTreeMap::new();
    let mut seen = Vec::new();
    for d in &book.deals {
        let won = d.stage == "won";
        if !(won || d.stage == "lost") || !filter.owner(&d.owner) || !filter.period(d.close_date) {
            continue;
        }
        let (w, days) = owners.entry(d.owner.clone()).or_default();
        let amounts = if won {
            w.won += 1;
            if let Some(closed) = d.close_date {
                // A win logged after the fact (closed before it was entered) counts as 0.
                *days += (closed - d.created).whole_days().max(0);
            }
            &mut w.won_amount
        } else {
            w.lost += 1;
            &mut w.lost_amount
        };
        if let Some(a) = d.amount {
            amounts.add(&d.currency, a);
            seen.push(d.currency.as_str());
        }
    }
    let owners = owners
        .into_iter()
        .map(|(owner, (mut w, days))| {
            w.owner = owner;
            w.rate_by_count = percent(Decimal::from(w.won), Decimal::from(w.won + w.lost));
            w.won_amount = std::mem::take(&mut w.won_amount).converted(rates);
            w.lost_amount = std::mem::take(&mut w.lost_amount).converted(rates);
            let currencies: Vec<String> = w
                .won_amount
                .0
                .keys()
                .chain(w.lost_amount.0.keys())
                .cloned()
                .collect();
            for c in currencies {
                let won = w.won_amount.get(&c);
                let rate = percent(won, won + w.lost_amount.get(&c));
                w.rate_by_amount.insert(c, rate);
            }
            w.avg_days_to_win =
                (w.won > 0).then(|| (Decimal::from(days) / Decimal::from(w.won)).round_dp(1));
            w
        })
        .collect();
    WinRateReport {
        owners,
        currencies: Currencies::of(rates, seen),
    }
}
