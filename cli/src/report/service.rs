//! The tables of the lead funnel and the cases report (`fieldbook report funnel|cases`).

use super::Tables;
use fieldbook_core::report::{CasesReport, FunnelBy, FunnelReport};
use fieldbook_core::value::format_date;
use rust_decimal::Decimal;

fn pct(r: Option<Decimal>) -> String {
    r.map(|r| r.to_string()).unwrap_or_default()
}

fn pct_shown(r: Option<Decimal>) -> String {
    r.map(|r| format!("{r}%")).unwrap_or_else(|| "-".into())
}

pub(super) fn funnel(f: &FunnelReport) -> Tables {
    let by = match f.by {
        FunnelBy::Owner => "owner",
        FunnelBy::Source => "source",
    };
    let mut rows = Vec::new();
    let mut shown = Vec::new();
    if !f.groups.is_empty() {
        for r in f.groups.iter().chain([&f.total]) {
            rows.push(vec![
                r.group.clone(),
                r.leads.to_string(),
                r.qualified.to_string(),
                r.opportunities.to_string(),
                r.won.to_string(),
                pct(r.qualified_rate),
                pct(r.opportunity_rate),
                pct(r.win_rate),
                pct(r.overall_rate),
            ]);
            shown.push(vec![
                r.group.clone(),
                r.leads.to_string(),
                format!("{} ({})", r.qualified, pct_shown(r.qualified_rate)),
                format!("{} ({})", r.opportunities, pct_shown(r.opportunity_rate)),
                format!("{} ({})", r.won, pct_shown(r.win_rate)),
                pct_shown(r.overall_rate),
            ]);
        }
    }
    Tables {
        header: vec![
            by,
            "leads",
            "qualified",
            "opportunities",
            "won",
            "qualified_rate",
            "opportunity_rate",
            "win_rate",
            "overall_rate",
        ],
        rows,
        people: Some((
            vec![
                by,
                "leads",
                "qualified",
                "opportunities",
                "won",
                "lead → won",
            ],
            shown,
        )),
    }
}

/// The overdue cases under the cases table, for people.
pub(super) fn overdue_lines(c: &CasesReport) -> Vec<String> {
    c.overdue
        .iter()
        .map(|o| {
            format!(
                "  {}  {}  ({}, {}) due {}, {} late",
                o.id,
                o.subject,
                o.priority,
                o.assignee.as_deref().unwrap_or("unassigned"),
                format_date(o.due),
                crate::render::count(o.days_overdue.max(0) as u64, "day", "days")
            )
        })
        .collect()
}

pub(super) fn cases(c: &CasesReport) -> Tables {
    let mut rows = Vec::new();
    let mut shown = Vec::new();
    let any = c.open.iter().any(|o| o.open > 0) || c.resolved.iter().any(|r| r.resolved > 0);
    for (o, r) in c.open.iter().zip(&c.resolved) {
        if !any {
            break;
        }
        let mut row = vec![
            o.priority.clone(),
            o.open.to_string(),
            o.overdue.to_string(),
        ];
        row.extend(o.by_age.iter().map(u64::to_string));
        row.extend([
            o.oldest_days.map(|d| d.to_string()).unwrap_or_default(),
            r.resolved.to_string(),
            pct(r.avg_days),
            pct(r.median_days),
            r.late.to_string(),
        ]);
        rows.push(row);
        shown.push(vec![
            o.priority.clone(),
            o.open.to_string(),
            o.overdue.to_string(),
            c.age_buckets
                .iter()
                .zip(&o.by_age)
                .filter(|(_, n)| **n > 0)
                .map(|(b, n)| format!("{b} d: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            r.resolved.to_string(),
            r.avg_days
                .map(|d| format!("{d} days (median {})", pct(r.median_days)))
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    let mut header = vec!["priority", "open", "overdue"];
    for b in &c.age_buckets {
        header.push(match b.as_str() {
            "0-2" => "age_0_2",
            "3-7" => "age_3_7",
            "8-30" => "age_8_30",
            _ => "age_31_plus",
        });
    }
    header.extend(["oldest_days", "resolved", "avg_days", "median_days", "late"]);
    Tables {
        header,
        rows,
        people: Some((
            vec![
                "priority",
                "open",
                "overdue",
                "age",
                "resolved",
                "time to resolve",
            ],
            shown,
        )),
    }
}
