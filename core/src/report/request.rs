//! Which report to compute ([`ReportKind`]), the rows it needs ([`Needs`]) and the answer
//! ([`Report`]): the one dispatch the device and the server share, so that both read the
//! same kinds of rows and run the same figures over them. Knows nothing of where the rows
//! come from.

use super::{
    ActivityWeek, Book, CasesReport, Filter, ForecastReport, FunnelBy, FunnelReport, GroupBy,
    Period, PipelineReport, Rates, RfmReport, RfmRules, StaleReport, StaleRules, WinRateReport,
};
use serde::{Deserialize, Serialize};
use time::Date;

/// Which report, with its own settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum ReportKind {
    Pipeline {
        by: GroupBy,
    },
    Forecast {
        by: Period,
    },
    Winrate,
    Stale {
        rules: StaleRules,
    },
    Rfm {
        rules: RfmRules,
    },
    Activity,
    /// Leads → qualified → opportunities → won.
    Funnel {
        by: FunnelBy,
    },
    /// Open cases by priority and age; time to resolve.
    Cases,
}

/// A computed report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum Report {
    Pipeline(PipelineReport),
    Forecast(ForecastReport),
    Winrate(WinRateReport),
    Stale(StaleReport),
    Rfm(RfmReport),
    Activity { weeks: Vec<ActivityWeek> },
    Funnel(FunnelReport),
    Cases(CasesReport),
}

/// Which deals a report needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deals {
    None,
    /// Open stages only (pipeline).
    Open,
    /// Won and lost (win rate).
    Closed,
    /// Every stage.
    All,
}

/// Which activities a report needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activities {
    None,
    /// Activities per week: one row per owner, kind and day with how many (`count`); their
    /// account and deal left nil and `None`.
    All,
    /// One row per (account, deal) with its latest day: all that "stale" reads (the
    /// activity's owner and kind are left empty).
    Latest,
}

/// The rows a report reads: whoever holds the data reads only these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    pub deals: Deals,
    pub accounts: bool,
    pub activities: Activities,
    pub leads: bool,
    pub cases: bool,
}

impl Needs {
    const NOTHING: Needs = Needs {
        deals: Deals::None,
        accounts: false,
        activities: Activities::None,
        leads: false,
        cases: false,
    };
}

/// Money settings of one report run.
#[derive(Clone, Debug, Default)]
pub struct Money<'a> {
    /// Convert into `rates.base` (`None`: per currency).
    pub rates: Option<&'a Rates>,
    /// RFM's currency (its monetary value is always in one currency).
    pub rfm_currency: &'a str,
    /// Rates into `rfm_currency`, if any.
    pub rfm_rates: Option<&'a Rates>,
}

impl ReportKind {
    /// The rows this report reads.
    pub fn needs(&self) -> Needs {
        let n = Needs::NOTHING;
        match self {
            ReportKind::Pipeline { .. } => Needs {
                deals: Deals::Open,
                ..n
            },
            ReportKind::Forecast { .. } => Needs {
                deals: Deals::All,
                ..n
            },
            ReportKind::Winrate => Needs {
                deals: Deals::Closed,
                ..n
            },
            ReportKind::Stale { .. } => Needs {
                deals: Deals::All,
                accounts: true,
                activities: Activities::Latest,
                ..n
            },
            ReportKind::Rfm { .. } => Needs {
                deals: Deals::Closed,
                accounts: true,
                ..n
            },
            ReportKind::Activity => Needs {
                activities: Activities::All,
                ..n
            },
            ReportKind::Funnel { .. } => Needs {
                deals: Deals::Closed,
                leads: true,
                ..n
            },
            ReportKind::Cases => Needs { cases: true, ..n },
        }
    }

    /// The report over `book` (rows read as [`ReportKind::needs`] says, limited to what
    /// the user may see).
    pub fn compute(&self, book: &Book, filter: &Filter, money: &Money<'_>, today: Date) -> Report {
        let (f, rates) = (filter, money.rates);
        match self {
            ReportKind::Pipeline { by } => Report::Pipeline(super::pipeline(book, f, *by, rates)),
            ReportKind::Forecast { by } => Report::Forecast(super::forecast(book, f, *by, rates)),
            ReportKind::Winrate => Report::Winrate(super::winrate(book, f, rates)),
            ReportKind::Stale { rules } => Report::Stale(super::stale(book, f, *rules, today)),
            ReportKind::Rfm { rules } => Report::Rfm(super::rfm(
                book,
                f,
                rules,
                money.rfm_currency,
                money.rfm_rates,
                today,
            )),
            ReportKind::Activity => Report::Activity {
                weeks: super::activity(book, f),
            },
            ReportKind::Funnel { by } => Report::Funnel(super::funnel(book, f, *by)),
            ReportKind::Cases => Report::Cases(super::cases(book, f, today)),
        }
    }
}
