//! The lead funnel: how many leads came in (created in the period), how many of them were
//! qualified (status `qualified`, or `converted`: a lead is converted once qualified), how
//! many became an opportunity (converted with one), and how many of those opportunities
//! were won, with the conversion rate of each step and overall, per owner or per source.
//!
//! A lead's place in the funnel is read from its current status and links: a lead
//! disqualified after it was qualified counts as not qualified. Leads without a source are
//! grouped under `unknown`.

use super::{Book, Filter};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How the funnel is broken down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FunnelBy {
    #[default]
    Owner,
    Source,
}

/// The group of leads without a source.
pub const UNKNOWN_SOURCE: &str = "unknown";

/// One group's funnel (or the total's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FunnelRow {
    /// The owner or the source (`total` for the whole).
    pub group: String,
    pub leads: u64,
    pub qualified: u64,
    pub opportunities: u64,
    pub won: u64,
    /// qualified / leads, in percent with one decimal (`None` with no lead).
    pub qualified_rate: Option<Decimal>,
    /// opportunities / qualified.
    pub opportunity_rate: Option<Decimal>,
    /// won / opportunities.
    pub win_rate: Option<Decimal>,
    /// won / leads: from a lead to a won deal.
    pub overall_rate: Option<Decimal>,
}

/// The funnel per group (by name), and the total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FunnelReport {
    pub by: FunnelBy,
    pub groups: Vec<FunnelRow>,
    pub total: FunnelRow,
}

fn rate(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0)
        .then(|| (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)).round_dp(1))
}

impl FunnelRow {
    fn count(&mut self, qualified: bool, opportunity: bool, won: bool) {
        self.leads += 1;
        self.qualified += u64::from(qualified);
        self.opportunities += u64::from(opportunity);
        self.won += u64::from(won);
    }

    fn with_rates(mut self) -> FunnelRow {
        self.qualified_rate = rate(self.qualified, self.leads);
        self.opportunity_rate = rate(self.opportunities, self.qualified);
        self.win_rate = rate(self.won, self.opportunities);
        self.overall_rate = rate(self.won, self.leads);
        self
    }
}

/// The funnel of the leads created in the filter's period, of the filter's owners.
pub fn funnel(book: &Book, filter: &Filter, by: FunnelBy) -> FunnelReport {
    let stage: HashMap<Uuid, &str> = book
        .deals
        .iter()
        .map(|d| (d.id, d.stage.as_str()))
        .collect();
    let mut groups: BTreeMap<String, FunnelRow> = BTreeMap::new();
    let mut total = FunnelRow {
        group: "total".into(),
        ..FunnelRow::default()
    };
    for lead in &book.leads {
        if !filter.owner(&lead.owner) || !filter.period(Some(lead.created)) {
            continue;
        }
        let converted = lead.status == "converted";
        let qualified = converted || lead.status == "qualified";
        // A deal deleted since (or not visible here) still counts as made; it was not won.
        let opportunity = converted && lead.opportunity_id.is_some();
        let won = opportunity
            && lead
                .opportunity_id
                .and_then(|o| stage.get(&o))
                .is_some_and(|s| *s == "won");
        let group = match by {
            FunnelBy::Owner => lead.owner.clone(),
            FunnelBy::Source => lead
                .source
                .clone()
                .unwrap_or_else(|| UNKNOWN_SOURCE.to_string()),
        };
        groups
            .entry(group.clone())
            .or_insert_with(|| FunnelRow {
                group,
                ..FunnelRow::default()
            })
            .count(qualified, opportunity, won);
        total.count(qualified, opportunity, won);
    }
    FunnelReport {
        by,
        groups: groups.into_values().map(FunnelRow::with_rates).collect(),
        total: total.with_rates(),
    }
}

#[cfg(test)]
mod tests {
    //! Worked out by hand from the leads below.
    use super::*;
    use crate::report::{Deal, Lead};
    use crate::value::parse_date;
    use std::str::FromStr;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn dec(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    fn book() -> Book {
        let deal = |n: u128, stage: &str| Deal {
            id: id(n),
            account_id: id(1),
            name: String::new(),
            owner: "alice".into(),
            stage: stage.into(),
            amount: None,
            currency: "EUR".into(),
            probability: 0,
            close_date: None,
            created: parse_date("2026-11-10").unwrap(),
        };
        // (lead, owner, source, status, created, opportunity)
        let leads = [
            (1, "alice", Some("fair"), "new", "2026-11-01", None),
            (2, "alice", Some("fair"), "qualified", "2026-11-02", None),
            (
                3,
                "alice",
                Some("fair"),
                "converted",
                "2026-11-03",
                Some(101),
            ),
            (
                4,
                "alice",
                Some("web"),
                "converted",
                "2026-11-04",
                Some(102),
            ),
            (5, "bob", Some("fair"), "converted", "2026-11-05", None),
            (6, "bob", None, "disqualified", "2026-11-06", None),
            (
                7,
                "bob",
                Some("referral"),
                "converted",
                "2026-10-01",
                Some(103),
            ),
        ]
        .into_iter()
        .map(|(n, owner, source, status, created, opp)| Lead {
            id: id(n),
            owner: owner.into(),
            source: source.map(str::to_string),
            status: status.into(),
            created: parse_date(created).unwrap(),
            opportunity_id: opp.map(id),
        })
        .collect();
        Book {
            deals: vec![deal(101, "won"), deal(102, "proposal"), deal(103, "lost")],
            leads,
            ..Book::default()
        }
    }

    fn figures(r: &FunnelRow) -> (&str, [u64; 4], [Option<Decimal>; 4]) {
        (
            &r.group,
            [r.leads, r.qualified, r.opportunities, r.won],
            [
                r.qualified_rate,
                r.opportunity_rate,
                r.win_rate,
                r.overall_rate,
            ],
        )
    }

    #[test]
    fn per_owner_in_a_period() {
        let filter = Filter {
            from: parse_date("2026-11-01"),
            ..Filter::default()
        };
        let r = funnel(&book(), &filter, FunnelBy::Owner);
        let rows: Vec<_> = r.groups.iter().map(figures).collect();
        assert_eq!(
            rows,
            [
                // alice: L1..L4; qualified L2, L3, L4; opportunities L3, L4; won L3.
                (
                    "alice",
                    [4, 3, 2, 1],
                    [dec("75.0"), dec("66.7"), dec("50.0"), dec("25.0")]
                ),
                // bob: L5, L6 (L7 is before the period); L5 converted without a deal.
                (
                    "bob",
                    [2, 1, 0, 0],
                    [dec("50.0"), dec("0.0"), None, dec("0.0")]
                ),
            ]
        );
        assert_eq!(
            figures(&r.total),
            (
                "total",
                [6, 4, 2, 1],
                [dec("66.7"), dec("50.0"), dec("50.0"), dec("16.7")]
            )
        );
    }

    #[test]
    fn per_source_with_unknown_and_owner_filter() {
        let r = funnel(&book(), &Filter::default(), FunnelBy::Source);
        let rows: Vec<_> = r.groups.iter().map(figures).collect();
        assert_eq!(
            rows,
            [
                (
                    "fair",
                    [4, 3, 1, 1],
                    [dec("75.0"), dec("33.3"), dec("100.0"), dec("25.0")]
                ),
                (
                    "referral",
                    [1, 1, 1, 0],
                    [dec("100.0"), dec("100.0"), dec("0.0"), dec("0.0")]
                ),
                (
                    "unknown",
                    [1, 0, 0, 0],
                    [dec("0.0"), None, None, dec("0.0")]
                ),
                (
                    "web",
                    [1, 1, 1, 0],
                    [dec("100.0"), dec("100.0"), dec("0.0"), dec("0.0")]
                ),
            ]
        );
        let bob = Filter {
            owners: Some(vec!["bob".into()]),
            ..Filter::default()
        };
        assert_eq!(funnel(&book(), &bob, FunnelBy::Source).total.leads, 3);
    }
}
