//! Open deals by stage or by owner: how many, their amount, and their amount weighted by
//! probability. The period, when given, is on the close date.

use super::{Amounts, Book, Currencies, Filter, Rates, is_open, weighted};
use crate::schema::OPEN_STAGES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the pipeline is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Stage,
    Owner,
}

/// One stage's (or owner's) open deals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PipelineRow {
    /// The stage or the owner.
    pub group: String,
    pub count: u64,
    pub amount: Amounts,
    pub weighted: Amounts,
}

/// The pipeline: one row per open stage (all four, in order) or per owner (by name), and
/// the total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PipelineReport {
    pub by: GroupBy,
    pub rows: Vec<PipelineRow>,
    pub total: PipelineRow,
    pub currencies: Currencies,
}

pub fn pipeline(
    book: &Book,
    filter: &Filter,
    by: GroupBy,
    rates: Option<&Rates>,
) -> PipelineReport {
    let mut groups: BTreeMap<String, PipelineRow> = BTreeMap::new();
    let mut total = PipelineRow {
        group: "total".into(),
        ..PipelineRow::default()
    };
    let mut seen = Vec::new();
    for d in &book.deals {
        if !is_open(&d.stage) || !filter.owner(&d.owner) || !filter.period(d.close_date) {
            continue;
        }
        let key = match by {
            GroupBy::Stage => d.stage.clone(),
            GroupBy::Owner => d.owner.clone(),
        };
        let row = groups.entry(key).or_default();
        for r in [row, &mut total] {
            r.count += 1;
            if let Some(a) = d.amount {
                r.amount.add(&d.currency, a);
                r.weighted.add(&d.currency, weighted(a, d.probability));
            }
        }
        if d.amount.is_some() {
            seen.push(d.currency.as_str());
        }
    }
    let finish = |mut r: PipelineRow| {
        r.amount = r.amount.converted(rates);
        r.weighted = r.weighted.converted(rates);
        r
    };
    let rows = match by {
        GroupBy::Stage => OPEN_STAGES
            .iter()
            .map(|s| {
                let mut r = groups.remove(*s).unwrap_or_default();
                r.group = s.to_string();
                finish(r)
            })
            .collect(),
        GroupBy::Owner => groups
            .into_iter()
            .map(|(owner, mut r)| {
                r.group = owner;
                finish(r)
            })
            .collect(),
    };
    PipelineReport {
        by,
        rows,
        total: finish(total),
        currencies: Currencies::of(rates, seen),
    }
}
