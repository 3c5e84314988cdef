//! The managers' reports on the device, offline, from its own copy: what to ask for
//! ([`ReportRequest`]), the answer ([`Report`]), and the exchange rates kept in the store's
//! settings. The figures are `fieldbook_core::report`'s (the server computes the same from
//! its own data); this module only reads the rows a report needs and hands them over.

use crate::error::{ClientError, Result};
use crate::store::Store;
use crate::store::reports::BookQuery;
use fieldbook_core::report::{Filter, Money, Rates};
pub use fieldbook_core::report::{Report, ReportKind};
use fieldbook_core::{CoreError, money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

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
        let currency = rates
            .as_ref()
            .map(|r| r.base.clone())
            .unwrap_or_else(|| self.settings().default_currency.clone());
        let rfm_rates = stored.filter(|r| r.base == currency);
        let book = self.report_book(&BookQuery {
            needs: req.kind.needs(),
            owners: req.filter.owners.clone(),
        })?;
        let money = Money {
            rates: rates.as_ref(),
            rfm_currency: &currency,
            rfm_rates: rfm_rates.as_ref(),
        };
        Ok(req.kind.compute(&book, &req.filter, &money, today))
    }
}
