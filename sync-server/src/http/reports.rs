//! `GET /v1/reports/{name}`: the managers' reports computed by the server over what the
//! token's user may see (the service decides; a rep asking for another's records or team
//! gets 403). The query string carries the same choices as `fieldbook report`.
//! Knows nothing of SQL or of the rules.

use super::extract::Auth;
use crate::error::ServerError;
use crate::service::ReportAsk;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use fieldbook_core::report::{
    Filter, FunnelBy, GroupBy, Period, Report, ReportKind, RfmRules, StaleRules,
};
use fieldbook_core::value::parse_date;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use time::Date;

/// The query string of a report (docs/protocol.md, "Reports").
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    by: Option<String>,
    /// Owners, comma-separated.
    owner: Option<String>,
    team: Option<String>,
    from: Option<String>,
    to: Option<String>,
    today: Option<String>,
    currency: Option<String>,
    /// `USD:7.10,EUR:7.80`: units of `currency` for one unit of each.
    rates: Option<String>,
    days: Option<i64>,
    account_days: Option<i64>,
    window_days: Option<i64>,
}

fn bad(msg: String) -> ServerError {
    ServerError::BadRequest(msg)
}

fn date(name: &str, text: &Option<String>) -> Result<Option<Date>, ServerError> {
    text.as_deref()
        .map(|t| {
            parse_date(t.trim())
                .ok_or_else(|| bad(format!("{name}={t} is not a date: write YYYY-MM-DD")))
        })
        .transpose()
}

fn positive(name: &str, v: Option<i64>, default: i64) -> Result<i64, ServerError> {
    match v {
        Some(n) if n <= 0 => Err(bad(format!("{name}={n}: give a number of days above 0"))),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

fn kind(name: &str, q: &ReportQuery) -> Result<ReportKind, ServerError> {
    let by = q.by.as_deref();
    let wrong = |expected: &str| {
        bad(format!(
            "by={} does not apply to the {name} report: {expected}",
            by.unwrap_or_default()
        ))
    };
    let no_by = |k: ReportKind| match by {
        None => Ok(k),
        Some(_) => Err(wrong("leave `by` out")),
    };
    match name {
        "pipeline" => match by {
            None | Some("stage") => Ok(ReportKind::Pipeline { by: GroupBy::Stage }),
            Some("owner") => Ok(ReportKind::Pipeline { by: GroupBy::Owner }),
            _ => Err(wrong("use stage or owner")),
        },
        "forecast" => match by {
            None | Some("month") => Ok(ReportKind::Forecast { by: Period::Month }),
            Some("quarter") => Ok(ReportKind::Forecast {
                by: Period::Quarter,
            }),
            _ => Err(wrong("use month or quarter")),
        },
        "funnel" => match by {
            None | Some("owner") => Ok(ReportKind::Funnel {
                by: FunnelBy::Owner,
            }),
            Some("source") => Ok(ReportKind::Funnel {
                by: FunnelBy::Source,
            }),
            _ => Err(wrong("use owner or source")),
        },
        "winrate" => no_by(ReportKind::Winrate),
        "activity" => no_by(ReportKind::Activity),
        "cases" => no_by(ReportKind::Cases),
        "stale" => {
            let d = StaleRules::default();
            no_by(ReportKind::Stale {
                rules: StaleRules {
                    deal_days: positive("days", q.days, d.deal_days)?,
                    account_days: positive("account_days", q.account_days, d.account_days)?,
                },
            })
        }
        "rfm" => {
            let mut rules = RfmRules::default();
            rules.window_days = positive("window_days", q.window_days, rules.window_days)?;
            no_by(ReportKind::Rfm { rules })
        }
        other => Err(ServerError::NotFound(format!(
            "there is no report `{other}`: pipeline, forecast, winrate, stale, rfm, activity, \
             funnel or cases"
        ))),
    }
}

fn rates(text: &Option<String>) -> Result<BTreeMap<String, Decimal>, ServerError> {
    let mut out = BTreeMap::new();
    for pair in text
        .iter()
        .flat_map(|t| t.split(','))
        .filter(|p| !p.is_empty())
    {
        let parsed = pair
            .split_once(':')
            .and_then(|(c, r)| Some((c.trim().to_string(), Decimal::from_str(r.trim()).ok()?)));
        let Some((code, rate)) = parsed else {
            return Err(bad(format!(
                "rates: `{pair}` is not CODE:RATE (e.g. rates=USD:7.10,EUR:7.80)"
            )));
        };
        out.insert(code, rate);
    }
    Ok(out)
}

/// The report a request asks for.
pub fn ask(name: &str, q: &ReportQuery) -> Result<ReportAsk, ServerError> {
    let owners: Vec<String> = q
        .owner
        .iter()
        .flat_map(|o| o.split(','))
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string)
        .collect();
    Ok(ReportAsk {
        kind: kind(name, q)?,
        filter: Filter {
            owners: (!owners.is_empty()).then_some(owners),
            from: date("from", &q.from)?,
            to: date("to", &q.to)?,
        },
        team: q.team.clone().filter(|t| !t.trim().is_empty()),
        currency: q.currency.clone().filter(|c| !c.trim().is_empty()),
        rates: rates(&q.rates)?,
        today: date("today", &q.today)?,
    })
}

pub async fn report(
    State(state): State<AppState>,
    Auth(session): Auth,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<Report>, ServerError> {
    let Path(name) = path.map_err(|e| bad(e.body_text()))?;
    let Query(q) = query.map_err(|e| {
        bad(format!(
            "{}: docs/protocol.md (\"Reports\") lists the parameters",
            e.body_text()
        ))
    })?;
    let ask = ask(&name, &q)?;
    let by = session.requester();
    Ok(Json(state.blocking(move |s| s.report(&by, &ask)).await?))
}
