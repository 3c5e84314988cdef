//! The managers' reports on the device, offline, from its own copy: what to ask for
//! ([`ReportRequest`]), the answer ([`Report`]), and the exchange rates kept in the store's
//! settings. The figures are `fieldbook_core::report`'s (the server computes the same from
//! its own data); this module only reads the rows a report needs and hands them over.

use crate::error::{ClientError, Result};
use crate::store::Store;
use crate::store::reports::{Activities, BookQuery, Deals};
use fieldbook_core::report::{
    self, ActivityWeek, CasesReport, Filter, ForecastReport, FunnelBy, FunnelReport, GroupBy,
    Period, PipelineReport, Rates, RfmReport, RfmRules, StaleReport, StaleRules, WinRateReport,
};
use fieldbook_core::{CoreError, money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

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

/// A report to compute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportRequest {
    pub kind: ReportKind,
    /// Owners and period.
    pub filter: Filter,
    /// Convert money into this currency with the store's rates (their base must be it);
    /// `None`: per currency. RFM's monetary value is always in one currency: this one, or
    /// the store's default.
    pub currency: Option<String>,
    /// The day the report is for (default: today, UTC).
    #[serde(default, with = "opt_day")]
    pub today: Option<Date>,
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

mod opt_day {
    use fieldbook_core::value::{format_date, parse_date};
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&format_date(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| parse_date(&s).ok_or_else(|| serde::de::Error::custom("not a date")))
            .transpose()
    }
}

fn bad_currency(code: &str) -> ClientError {
    ClientError::BadCurrency(code.to_string())
}

impl Store {
    /// The exchange rates kept in this store, if any were set.
    pub fn rates(&self) -> Result<Option<Rates>> {
        match self.setting(crate::store::RATES_KEY)? {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| ClientError::DamagedStore(format!("its exchange rates ({e})"))),
        }
    }

    /// Sets the rate of `currency` into `base` (one unit of `currency` is worth `rate`
    /// units of `base`). Rates have one base: setting another base starts a new table.
    pub fn set_rate(&mut self, currency: &str, rate: Decimal, base: &str) -> Result<Rates> {
        let (currency, base) = (
            currency.trim().to_ascii_uppercase(),
            base.trim().to_ascii_uppercase(),
        );
        for c in [&currency, &base] {
            if !money::is_currency(c) {
                return Err(bad_currency(c));
            }
        }
        if rate <= Decimal::ZERO || currency == base {
            return Err(CoreError::InvalidValue {
                field: "rate".into(),
                value: rate.to_string(),
                expected: "a positive number of base units for one unit of another currency".into(),
            }
            .into());
        }
        let mut rates = self.rates()?.filter(|r| r.base == base).unwrap_or(Rates {
            base: base.clone(),
            rates: Default::default(),
        });
        rates.rates.insert(currency, rate.normalize());
        let json = serde_json::to_string(&rates).expect("rates serialize");
        self.write(|tx| tx.set_setting(crate::store::RATES_KEY, &json))?;
        Ok(rates)
    }

    /// Computes a report over this store's records (what this device holds is what its
    /// user may see).
    pub fn report(&self, req: &ReportRequest) -> Result<Report> {
        let today = req
            .today
            .unwrap_or_else(|| OffsetDateTime::now_utc().date());
        let stored = self.rates()?;
        let rates = match &req.currency {
            None => None,
            Some(c) => {
                let c = c.trim().to_ascii_uppercase();
                if !money::is_currency(&c) {
                    return Err(bad_currency(&c));
                }
                Some(match stored.clone().filter(|r| r.base == c) {
                    Some(r) => r,
                    // No rates into it: only amounts already in it are added up.
                    None => Rates {
                        base: c,
                        rates: Default::default(),
                    },
                })
            }
        };
        let q = |deals, accounts, activities| BookQuery {
            deals,
            accounts,
            activities,
            leads: false,
            cases: false,
            owners: req.filter.owners.clone(),
        };
        let f = &req.filter;
        Ok(match &req.kind {
            ReportKind::Pipeline { by } => {
                let book = self.report_book(&q(Deals::Open, false, Activities::None))?;
                Report::Pipeline(report::pipeline(&book, f, *by, rates.as_ref()))
            }
            ReportKind::Forecast { by } => {
                let book = self.report_book(&q(Deals::All, false, Activities::None))?;
                Report::Forecast(report::forecast(&book, f, *by, rates.as_ref()))
            }
            ReportKind::Winrate => {
                let book = self.report_book(&q(Deals::Closed, false, Activities::None))?;
                Report::Winrate(report::winrate(&book, f, rates.as_ref()))
            }
            ReportKind::Stale { rules } => {
                let book = self.report_book(&q(Deals::All, true, Activities::Latest))?;
                Report::Stale(report::stale(&book, f, *rules, today))
            }
            ReportKind::Rfm { rules } => {
                let currency = rates
                    .as_ref()
                    .map(|r| r.base.clone())
                    .unwrap_or_else(|| self.settings().default_currency.clone());
                let rfm_rates = stored.filter(|r| r.base == currency);
                let book = self.report_book(&q(Deals::Closed, true, Activities::None))?;
                Report::Rfm(report::rfm(
                    &book,
                    f,
                    rules,
                    &currency,
                    rfm_rates.as_ref(),
                    today,
                ))
            }
            ReportKind::Activity => {
                let book = self.report_book(&q(Deals::None, false, Activities::All))?;
                Report::Activity {
                    weeks: report::activity(&book, f),
                }
            }
            ReportKind::Funnel { by } => {
                let book = self.report_book(&BookQuery {
                    leads: true,
                    ..q(Deals::Closed, false, Activities::None)
                })?;
                Report::Funnel(report::funnel(&book, f, *by))
            }
            ReportKind::Cases => {
                let book = self.report_book(&BookQuery {
                    cases: true,
                    ..q(Deals::None, false, Activities::None)
                })?;
                Report::Cases(report::cases(&book, f, today))
            }
        })
    }
}
