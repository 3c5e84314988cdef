//! The managers' reports computed by the server from its own data: the same figures as a
//! device's (`fieldbook_core::report`), over the report projection storage keeps, limited
//! to what the asking user may see — a rep their own book, a manager the teams they manage
//! (and their own), an admin everything. Asking for owners or a team outside that is
//! refused (403), never silently narrowed. Cases shared with a user through an assignment
//! are not part of their reports (a report covers the owners a user sees).

use super::{Service, scope_of};
use crate::access::{Requester, Scope};
use crate::error::{Result, ServerError};
use crate::storage::StorageExt;
use fieldbook_core::money;
use fieldbook_core::report::{Book, Filter, Money, Rates, Report, ReportKind};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, OffsetDateTime};

/// RFM's currency when a request names none (the schema's default currency for deals).
pub const DEFAULT_CURRENCY: &str = "EUR";

/// A report asked of the server.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportAsk {
    pub kind: ReportKind,
    /// Owners (each must be in the asker's scope) and period.
    pub filter: Filter,
    /// Only this team's members (the asker must see every one of them).
    pub team: Option<String>,
    /// Convert money into this currency with `rates`; `None`: per currency. RFM's monetary
    /// value is in this currency, or [`DEFAULT_CURRENCY`].
    pub currency: Option<String>,
    /// One unit of each currency is worth this many units of `currency`.
    pub rates: BTreeMap<String, Decimal>,
    /// The day the report is for (default today, UTC).
    pub today: Option<Date>,
}

fn not_yours(by: &Requester, what: &str) -> ServerError {
    ServerError::Forbidden(format!(
        "{} may not see {what}: a rep sees their own book, a manager the teams they manage",
        by.name()
    ))
}

/// The owners a report covers: the asked owners and team, checked against `scope`.
fn owners_for(
    by: &Requester,
    scope: &Scope,
    asked: Option<&[String]>,
    team: Option<(&str, Vec<String>)>,
) -> Result<Option<Vec<String>>> {
    let mut owners: Option<BTreeSet<String>> = scope.owners().cloned();
    if let Some((name, members)) = team {
        if let Some(m) = members.iter().find(|m| !scope.covers(m)) {
            return Err(not_yours(by, &format!("team {name} ({m} is in it)")));
        }
        owners = Some(members.into_iter().collect());
    }
    if let Some(asked) = asked {
        if let Some(o) = asked.iter().find(|o| !scope.covers(o)) {
            return Err(not_yours(by, &format!("{o}'s records")));
        }
        let asked: BTreeSet<String> = asked.iter().cloned().collect();
        owners = Some(match owners {
            Some(o) => o.intersection(&asked).cloned().collect(),
            None => asked,
        });
    }
    Ok(owners.map(|o| o.into_iter().collect()))
}

fn currency(code: &str) -> Result<String> {
    let c = code.trim().to_ascii_uppercase();
    if money::is_currency(&c) {
        Ok(c)
    } else {
        Err(ServerError::BadRequest(format!(
            "`{code}` is not an ISO 4217 currency code: use one such as EUR, USD or CNY"
        )))
    }
}

impl Service {
    /// Computes a report over the records `by` may see (see the module's doc).
    pub fn report(&self, by: &Requester, ask: &ReportAsk) -> Result<Report> {
        let rates = match &ask.currency {
            None if !ask.rates.is_empty() => {
                return Err(ServerError::BadRequest(
                    "rates convert into a currency: name it with `currency`".into(),
                ));
            }
            None => None,
            Some(c) => {
                let base = currency(c)?;
                let mut rates = BTreeMap::new();
                for (code, rate) in &ask.rates {
                    if *rate <= Decimal::ZERO {
                        return Err(ServerError::BadRequest(format!(
                            "the rate of {code} is {rate}: a rate is a positive number of {base}"
                        )));
                    }
                    rates.insert(currency(code)?, rate.normalize());
                }
                Some(Rates { base, rates })
            }
        };
        let (book, filter) = self.report_rows(by, ask)?;
        let rfm_currency = rates
            .as_ref()
            .map_or(DEFAULT_CURRENCY.to_string(), |r| r.base.clone());
        let money = Money {
            rates: rates.as_ref(),
            rfm_currency: &rfm_currency,
            rfm_rates: rates.as_ref(),
        };
        let today = ask
            .today
            .unwrap_or_else(|| OffsetDateTime::now_utc().date());
        Ok(ask.kind.compute(&book, &filter, &money, today))
    }

    /// The rows a report reads, of the owners it covers, and its filter with those owners.
    fn report_rows(&self, by: &Requester, ask: &ReportAsk) -> Result<(Book, Filter)> {
        let (by, ask) = (by.clone(), ask.clone());
        self.storage.read(move |repo| {
            let scope = match &by {
                Requester::Operator => Scope::All,
                Requester::User { name, role } => scope_of(repo, name, *role)?,
            };
            let team = match &ask.team {
                None => None,
                Some(t) => {
                    let members = repo.team_members(t)?;
                    if members.is_empty() && repo.team_manager(t)?.is_none() {
                        return Err(ServerError::NotFound(format!(
                            "there is no team `{t}`: GET /v1/team lists the teams you manage"
                        )));
                    }
                    Some((t.as_str(), members))
                }
            };
            let owners = owners_for(&by, &scope, ask.filter.owners.as_deref(), team)?;
            let book = repo.report_book(&ask.kind.needs(), owners.as_deref())?;
            let filter = Filter {
                owners,
                ..ask.filter.clone()
            };
            Ok((book, filter))
        })
    }
}
