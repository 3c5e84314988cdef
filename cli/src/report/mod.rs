//! `fieldbook report ...` and `fieldbook rates ...`: the managers' reports over this
//! device's copy, printed for people (tables, money with its currency), as one JSON
//! document (`--json`), or as CSV rows any spreadsheet opens (`--csv`).

mod service;

use clap::{Args, Subcommand, ValueEnum};
use fieldbook_client::report::{Report, ReportKind, ReportRequest};
use fieldbook_client::{ClientError, Store};
use fieldbook_core::CoreError;
use fieldbook_core::money::{Locale, format_money};
use fieldbook_core::report::{Amounts, Filter, FunnelBy, GroupBy, Period, RfmRules, StaleRules};
use fieldbook_core::value::{format_date, parse_date};
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    Pipeline,
    Forecast,
    Winrate,
    Stale,
    Rfm,
    Activity,
    Funnel,
    Cases,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum By {
    Stage,
    Owner,
    Month,
    Quarter,
    Source,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// pipeline, forecast, winrate, stale, rfm, activity, funnel or cases (docs/reports.md
    /// defines them).
    which: Which,
    /// pipeline: stage (default) or owner; forecast: month (default) or quarter; funnel:
    /// owner (default) or source.
    #[arg(long)]
    by: Option<By>,
    /// Only records of this owner (repeat for several).
    #[arg(long, value_name = "USER")]
    owner: Vec<String>,
    /// First day of the period, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of the period, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Convert money into this currency with the rates of `fieldbook rates`.
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// stale: days without activity before a deal is stale (default 30).
    #[arg(long, value_name = "N")]
    days: Option<i64>,
    /// stale: days without activity or a win before an account is at risk (default 90).
    #[arg(long, value_name = "N")]
    account_days: Option<i64>,
    /// rfm: the window of won deals counted, in days (default 365).
    #[arg(long, value_name = "N")]
    window_days: Option<i64>,
    /// The day the report is for (default today).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// Print CSV rows instead of a table.
    #[arg(long)]
    csv: bool,
}

#[derive(Subcommand, Debug)]
pub enum Rates {
    /// One unit of CODE is worth RATE units of the base: `fieldbook rates set USD 7.10 --base CNY`.
    Set {
        code: String,
        rate: String,
        #[arg(long)]
        base: String,
    },
    /// The rates kept in this store.
    List,
}

fn date(flag: &str, text: &Option<String>) -> Result<Option<time::Date>, ClientError> {
    text.as_deref()
        .map(|t| {
            parse_date(t.trim()).ok_or_else(|| {
                ClientError::Core(CoreError::InvalidValue {
                    field: flag.into(),
                    value: t.into(),
                    expected: "a date written YYYY-MM-DD, e.g. 2026-12-31".into(),
                })
            })
        })
        .transpose()
}

fn wrong_by(which: Which, by: By) -> ClientError {
    ClientError::Core(CoreError::InvalidValue {
        field: "--by".into(),
        value: format!("{by:?}").to_lowercase(),
        expected: match which {
            Which::Pipeline => "stage or owner".into(),
            Which::Forecast => "month or quarter".into(),
            Which::Funnel => "owner or source".into(),
            _ => format!("nothing: the {which:?} report has no --by").to_lowercase(),
        },
    })
}

fn request(a: &ReportArgs) -> Result<ReportRequest, ClientError> {
    let kind = match (a.which, a.by) {
        (Which::Pipeline, None | Some(By::Stage)) => ReportKind::Pipeline { by: GroupBy::Stage },
        (Which::Pipeline, Some(By::Owner)) => ReportKind::Pipeline { by: GroupBy::Owner },
        (Which::Forecast, None | Some(By::Month)) => ReportKind::Forecast { by: Period::Month },
        (Which::Forecast, Some(By::Quarter)) => ReportKind::Forecast {
            by: Period::Quarter,
        },
        (Which::Winrate, None) => ReportKind::Winrate,
        (Which::Stale, None) => {
            let d = StaleRules::default();
            ReportKind::Stale {
                rules: StaleRules {
                    deal_days: a.days.unwrap_or(d.deal_days),
                    account_days: a.account_days.unwrap_or(d.account_days),
                },
            }
        }
        (Which::Rfm, None) => {
            let mut rules = RfmRules::default();
            if let Some(w) = a.window_days {
                rules.window_days = w;
            }
            ReportKind::Rfm { rules }
        }
        (Which::Activity, None) => ReportKind::Activity,
        (Which::Funnel, None | Some(By::Owner)) => ReportKind::Funnel {
            by: FunnelBy::Owner,
        },
        (Which::Funnel, Some(By::Source)) => ReportKind::Funnel {
            by: FunnelBy::Source,
        },
        (Which::Cases, None) => ReportKind::Cases,
        (which, Some(by)) => return Err(wrong_by(which, by)),
    };
    Ok(ReportRequest {
        kind,
        filter: Filter {
            owners: (!a.owner.is_empty()).then(|| a.owner.clone()),
            from: date("--from", &a.from)?,
            to: date("--to", &a.to)?,
        },
        currency: a.currency.clone(),
        today: date("--today", &a.today)?,
    })
}

/// Money sums for people: `EUR 3,234.56 · CNY 5,000.00`, or `-` when there are none.
fn money(a: &Amounts) -> String {
    if a.0.is_empty() {
        return "-".into();
    }
    a.0.iter()
        .map(|(c, v)| format_money(*v, c, Locale::En))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn table(header: &[&str], rows: Vec<Vec<String>>) {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |cells: Vec<String>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        out!("{}", s.trim_end());
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r);
    }
}

fn csv_out(header: &[&str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.flush()?;
    Ok(())
}

/// One row per currency of a set of sums (one row with empty money when there are none).
fn per_currency(sums: &[&Amounts]) -> Vec<(String, Vec<String>)> {
    let mut currencies: Vec<&String> = sums.iter().flat_map(|a| a.0.keys()).collect();
    currencies.sort();
    currencies.dedup();
    if currencies.is_empty() {
        return vec![(String::new(), vec![String::new(); sums.len()])];
    }
    currencies
        .into_iter()
        .map(|c| {
            (
                c.clone(),
                sums.iter()
                    .map(|a| a.0.get(c).map(Decimal::to_string).unwrap_or_default())
                    .collect(),
            )
        })
        .collect()
}

fn opt_date(d: Option<time::Date>) -> String {
    d.map(format_date).unwrap_or_default()
}

/// A report as CSV rows (`header`, `rows`) and, when it differs, as a table for people.
pub(super) struct Tables {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    people: Option<Shown>,
}

/// A table for people: its header and rows.
pub(super) type Shown = (Vec<&'static str>, Vec<Vec<String>>);

/// Runs `fieldbook report`.
pub fn report(store: &Store, a: &ReportArgs, json: bool) -> anyhow::Result<()> {
    let report = store.report(&request(a)?)?;
    if json {
        out!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let Tables {
        header,
        rows,
        people,
    } = match &report {
        Report::Pipeline(p) => {
            let mut rows = Vec::new();
            let mut shown = Vec::new();
            for r in p.rows.iter().chain([&p.total]) {
                for (c, v) in per_currency(&[&r.amount, &r.weighted]) {
                    let mut row = vec![r.group.clone(), r.count.to_string(), c];
                    row.extend(v);
                    rows.push(row);
                }
                shown.push(vec![
                    r.group.clone(),
                    r.count.to_string(),
                    money(&r.amount),
                    money(&r.weighted),
                ]);
            }
            let by = match p.by {
                GroupBy::Stage => "stage",
                GroupBy::Owner => "owner",
            };
            Tables {
                header: vec![by, "count", "currency", "amount", "weighted"],
                rows,
                people: Some((vec![by, "deals", "amount", "weighted"], shown)),
            }
        }
        Report::Forecast(f) => {
            let mut rows = Vec::new();
            let mut shown = Vec::new();
            for p in &f.periods {
                for (c, v) in per_currency(&[&p.closed, &p.commit, &p.best_case]) {
                    let mut row = vec![p.period.clone(), p.deals.to_string(), c];
                    row.extend(v);
                    rows.push(row);
                }
                shown.push(vec![
                    p.period.clone(),
                    p.deals.to_string(),
                    money(&p.closed),
                    money(&p.commit),
                    money(&p.best_case),
                ]);
            }
            Tables {
                header: vec![
                    "period",
                    "deals",
                    "currency",
                    "closed",
                    "commit",
                    "best_case",
                ],
                rows,
                people: Some((
                    vec!["period", "deals", "closed", "commit", "best case"],
                    shown,
                )),
            }
        }
        Report::Winrate(w) => {
            let mut rows = Vec::new();
            let mut shown = Vec::new();
            for o in &w.owners {
                let avg = o.avg_days_to_win.map(|d| d.to_string()).unwrap_or_default();
                for (c, v) in per_currency(&[&o.won_amount, &o.lost_amount]) {
                    let rate = o
                        .rate_by_amount
                        .get(&c)
                        .map(Decimal::to_string)
                        .unwrap_or_default();
                    let mut row = vec![
                        o.owner.clone(),
                        o.won.to_string(),
                        o.lost.to_string(),
                        o.rate_by_count.to_string(),
                        c,
                    ];
                    row.extend(v);
                    row.push(rate);
                    row.push(avg.clone());
                    rows.push(row);
                }
                shown.push(vec![
                    o.owner.clone(),
                    o.won.to_string(),
                    o.lost.to_string(),
                    format!("{}%", o.rate_by_count),
                    o.rate_by_amount
                        .iter()
                        .map(|(c, r)| format!("{c} {r}%"))
                        .collect::<Vec<_>>()
                        .join(" · "),
                    if avg.is_empty() {
                        "-".into()
                    } else {
                        format!("{avg} days")
                    },
                ]);
            }
            Tables {
                header: vec![
                    "owner",
                    "won",
                    "lost",
                    "rate_by_count",
                    "currency",
                    "won_amount",
                    "lost_amount",
                    "rate_by_amount",
                    "avg_days_to_win",
                ],
                rows,
                people: Some((
                    vec![
                        "owner",
                        "won",
                        "lost",
                        "win rate",
                        "by amount",
                        "days to win",
                    ],
                    shown,
                )),
            }
        }
        Report::Stale(s) => {
            let mut rows: Vec<Vec<String>> = s
                .deals
                .iter()
                .map(|d| {
                    vec![
                        "deal".into(),
                        d.id.to_string(),
                        d.name.clone(),
                        d.owner.clone(),
                        d.stage.clone(),
                        d.amount.map(|a| a.to_string()).unwrap_or_default(),
                        d.currency.clone(),
                        opt_date(d.close_date),
                        opt_date(d.last_activity),
                        d.days_quiet.to_string(),
                        d.overdue.to_string(),
                    ]
                })
                .collect();
            rows.extend(s.accounts.iter().map(|a| {
                vec![
                    "account".into(),
                    a.id.to_string(),
                    a.name.clone(),
                    a.owner.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    opt_date(a.last_won),
                    opt_date(a.last_activity),
                    a.days_quiet.to_string(),
                    String::new(),
                ]
            }));
            let shown = rows
                .iter()
                .map(|r| {
                    let why = if r[0] == "deal" && r[10] == "true" {
                        format!("{} days quiet; close date {} passed", r[9], r[7])
                    } else {
                        format!("{} days quiet", r[9])
                    };
                    vec![
                        r[0].clone(),
                        r[1][..8].to_string(),
                        r[2].clone(),
                        r[3].clone(),
                        why,
                    ]
                })
                .collect();
            Tables {
                header: vec![
                    "type",
                    "id",
                    "name",
                    "owner",
                    "stage",
                    "amount",
                    "currency",
                    "close_date_or_last_won",
                    "last_activity",
                    "days_quiet",
                    "overdue",
                ],
                rows,
                people: Some((vec!["what", "id", "name", "owner", "why"], shown)),
            }
        }
        Report::Rfm(r) => {
            let rows: Vec<Vec<String>> = r
                .accounts
                .iter()
                .map(|a| {
                    vec![
                        a.id.to_string(),
                        a.name.clone(),
                        a.owner.clone(),
                        format_date(a.last_won),
                        a.recency_days.to_string(),
                        a.frequency.to_string(),
                        a.monetary.to_string(),
                        r.currency.clone(),
                        a.r.to_string(),
                        a.f.to_string(),
                        a.m.to_string(),
                        a.segment.clone(),
                    ]
                })
                .collect();
            let shown = r
                .accounts
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.owner.clone(),
                        format!("{}{}{}", a.r, a.f, a.m),
                        a.segment.clone(),
                        format!("{} days", a.recency_days),
                        a.frequency.to_string(),
                        format_money(a.monetary, &r.currency, Locale::En),
                    ]
                })
                .collect();
            Tables {
                header: vec![
                    "id",
                    "name",
                    "owner",
                    "last_won",
                    "recency_days",
                    "frequency",
                    "monetary",
                    "currency",
                    "r",
                    "f",
                    "m",
                    "segment",
                ],
                rows,
                people: Some((
                    vec![
                        "account", "owner", "RFM", "segment", "last win", "wins", "value",
                    ],
                    shown,
                )),
            }
        }
        Report::Activity { weeks } => {
            let kinds = fieldbook_core::schema::ACTIVITY_KINDS;
            let rows: Vec<Vec<String>> = weeks
                .iter()
                .map(|w| {
                    let mut row = vec![w.owner.clone(), w.week.clone()];
                    row.extend(
                        kinds
                            .iter()
                            .map(|k| w.by_kind.get(*k).copied().unwrap_or(0).to_string()),
                    );
                    row.push(w.total.to_string());
                    row
                })
                .collect();
            let mut header = vec!["owner", "week"];
            header.extend(kinds.iter().copied());
            header.push("total");
            Tables {
                header,
                rows,
                people: None,
            }
        }
        Report::Funnel(f) => service::funnel(f),
        Report::Cases(c) => service::cases(c),
    };
    if a.csv {
        return csv_out(&header, rows);
    }
    let (header, rows) = people.unwrap_or((header, rows));
    if rows.is_empty() {
        out!("Nothing to report.");
    } else {
        table(&header, rows);
    }
    if let Report::Cases(c) = &report
        && !c.overdue.is_empty()
    {
        out!("Overdue:");
        for line in service::overdue_lines(c) {
            out!("{line}");
        }
    }
    if let Report::Rfm(r) = &report {
        if r.unscored > 0 {
            out!(
                "({} account(s) without a won deal are not scored.)",
                r.unscored
            );
        }
        if !r.left_out.is_empty() {
            out!(
                "(Won deals in {} are left out: no rate into {}. `fieldbook rates set CODE RATE --base {}` adds one.)",
                r.left_out.join(", "),
                r.currency,
                r.currency
            );
        }
    }
    Ok(())
}

/// Runs `fieldbook rates`.
pub fn rates(store: &mut Store, cmd: &Rates, json: bool) -> anyhow::Result<()> {
    let rates = match cmd {
        Rates::Set { code, rate, base } => {
            let r = Decimal::from_str(rate.trim()).map_err(|_| {
                ClientError::Core(CoreError::InvalidValue {
                    field: "rate".into(),
                    value: rate.clone(),
                    expected: "a decimal number written with a dot, e.g. 7.10".into(),
                })
            })?;
            Some(store.set_rate(code, r, base)?)
        }
        Rates::List => store.rates()?,
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&rates)?);
        return Ok(());
    }
    match rates {
        None => out!("No exchange rates: `fieldbook rates set USD 7.10 --base CNY` adds one."),
        Some(r) => {
            for (code, rate) in &r.rates {
                out!("1 {code} = {rate} {}", r.base);
            }
        }
    }
    Ok(())
}
