//! Output for people: aligned tables (CJK-aware widths), money with its currency and digit
//! groups, records as `field: value` lines.

use crate::json::{self, Tail};
use fieldbook_client::RecordView;
use fieldbook_client::model::{HistoryEntry, RecordConflicts, SearchHit, StageSummary};
use fieldbook_core::money::{Locale, format_money};
use fieldbook_core::value::FieldValue;
use fieldbook_core::{Kind, schema};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::str::FromStr;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub(crate) fn text(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(s)) => s.clone(),
        Some(Json::Array(a)) => a
            .iter()
            .map(|x| text(Some(x)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

pub(crate) fn money(amount: Option<&Json>, currency: Option<&Json>) -> String {
    let (a, c) = (text(amount), text(currency));
    match Decimal::from_str(&a) {
        Ok(d) => format_money(d, &c, Locale::En),
        Err(_) => a,
    }
}

/// `n` and what it counts, singular for one: "1 account", "3 accounts".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Fields whose values are amounts of money (in the record's currency).
const MONEY_FIELDS: &[&str] = &["amount", "unit_price", "subtotal", "tax", "total"];

/// Whether a field (or quote line field) holds a percentage: shown as `19%` everywhere.
fn is_percent(field: &str) -> bool {
    let name = field.rsplit('.').next().unwrap_or(field);
    name == "probability"
        || schema::LINE_FIELDS
            .iter()
            .chain(Kind::ALL.iter().flat_map(|k| schema::fields(*k)))
            .any(|s| s.name == name && s.ty == schema::FieldType::Percent)
}

/// A field's value for people: money with its currency, percentages with `%`.
pub(crate) fn field_value(field: &str, v: Option<&Json>, currency: Option<&Json>) -> String {
    let name = field.rsplit('.').next().unwrap_or(field);
    let t = text(v);
    if t.is_empty() {
        return t;
    }
    if MONEY_FIELDS.contains(&name) {
        money(v, currency)
    } else if is_percent(name) {
        format!("{t}%")
    } else {
        t
    }
}

/// Cuts `s` to at most `width` columns (CJK characters take two), marking the cut.
pub(crate) fn fit(s: &str, width: usize) -> String {
    let s = s.replace('\n', " ");
    if s.width() <= width {
        return s;
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let line = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            out.push_str(c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        out!("{}", out.trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row.clone());
    }
}

/// What a record that needs attention shows in a list: the fields of the broken rules.
fn attention_cell(r: &RecordView) -> String {
    let mut fields: Vec<&str> = r
        .attention
        .iter()
        .flat_map(|a| a.fields.iter().map(String::as_str))
        .collect();
    fields.dedup();
    if fields.is_empty() {
        String::new()
    } else {
        format!("needs attention: {}", fields.join(", "))
    }
}

pub fn list(kind: Kind, rows: &[RecordView]) {
    if rows.is_empty() {
        out!("No {kind} records match.");
        return;
    }
    let (headers, row) = crate::columns::list_columns(kind);
    // A column for records that need attention, when some do.
    let flag = rows.iter().any(|r| !r.attention.is_empty());
    let mut headers = headers.to_vec();
    if flag {
        headers.push("attention");
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = row(&json::record(r, Tail::ConflictMark));
            if flag {
                cells.push(attention_cell(r));
            }
            cells
        })
        .collect();
    table(&headers, &cells);
    let needing = rows.iter().filter(|r| !r.attention.is_empty()).count() as u64;
    if needing > 0 {
        out!(
            "({} {} attention: `fieldbook show ID` says why)",
            count(needing, "record", "records"),
            if needing == 1 { "needs" } else { "need" }
        );
    }
}

pub fn record(r: &RecordView) {
    record_json(&json::record(r, Tail::Conflicts));
}

fn record_json(r: &Map<String, Json>) {
    let kind = r
        .get("kind")
        .and_then(Json::as_str)
        .and_then(|k| Kind::parse(k).ok());
    out!("{} {}", text(r.get("kind")), text(r.get("id")));
    let currency = r.get("currency");
    let shown = ["id", "kind", "lines", "conflicts", "notes", "attention"];
    let width = r.keys().map(|k| k.width()).max().unwrap_or(10);
    for (k, v) in r {
        if shown.contains(&k.as_str()) || v.is_null() || v == &Json::Array(vec![]) {
            continue;
        }
        let value = field_value(k, Some(v), currency);
        out!("  {k:<width$}  {value}");
    }
    if let Some(Json::Array(lines)) = r.get("lines").filter(|_| kind == Some(Kind::Quote)) {
        out!("  lines:");
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|l| {
                vec![
                    text(l.get("line_id")),
                    fit(&text(l.get("description")), 36),
                    text(l.get("quantity")),
                    money(l.get("unit_price"), currency),
                    field_value("discount_pct", l.get("discount_pct"), None).if_empty("0%"),
                    money(l.get("total"), currency),
                ]
            })
            .collect();
        table(
            &[
                "    line",
                "description",
                "qty",
                "unit price",
                "disc",
                "total",
            ],
            &indent(rows),
        );
    }
    if let Some(Json::String(notes)) = r
        .get("notes")
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
    {
        out!("  notes:");
        for para in notes.lines() {
            out!("    {para}");
        }
    }
    if let Some(Json::Array(broken)) = r
        .get("attention")
        .filter(|a| a.as_array().is_some_and(|a| !a.is_empty()))
    {
        out!(
            "  NEEDS ATTENTION (a merge of edits broke a rule; fix it with `fieldbook set ID ...`):"
        );
        for a in broken {
            out!("    {}", text(a.get("message")));
        }
    }
    if let Some(Json::Array(conflicts)) = r
        .get("conflicts")
        .filter(|c| c.as_array().is_some_and(|a| !a.is_empty()))
    {
        out!("  CONFLICTS (settle with `fieldbook resolve ID FIELD VALUE`):");
        for c in conflicts {
            out!("    {}:", text(c.get("field")));
            let field = text(c.get("field"));
            for v in c
                .get("values")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                out!(
                    "      {}  by {} at {}",
                    field_value(&field, v.get("value"), currency).if_empty("(empty)"),
                    text(v.get("by")),
                    text(v.get("at"))
                );
            }
        }
    }
}

fn indent(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|mut r| {
            r[0] = format!("    {}", r[0]);
            r
        })
        .collect()
}

trait IfEmpty {
    fn if_empty(self, default: &str) -> String;
}
impl IfEmpty for String {
    fn if_empty(self, default: &str) -> String {
        if self.is_empty() {
            default.to_string()
        } else {
            self
        }
    }
}

/// A line just added to a quote, in words: "Added line 3f2a9c1b to quote Q-…: 3 × Pump
/// P-200 at €1,999.99, 5% off = €5,699.97. The quote's total is now €6,783.96."
pub fn line_added(quote: &RecordView, line_id: &str) {
    let r = json::record(quote, Tail::Conflicts);
    let currency = r.get("currency");
    let line = r
        .get("lines")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .find(|l| l.get("line_id").and_then(Json::as_str) == Some(line_id));
    let Some(l) = line else {
        out!("Added line {line_id} to quote {}.", text(r.get("number")));
        return;
    };
    let description = text(l.get("description")).if_empty("(no description)");
    let discount = field_value("discount_pct", l.get("discount_pct"), None);
    let discount = match discount.as_str() {
        "" | "0%" => String::new(),
        d => format!(", {d} off"),
    };
    out!(
        "Added line {line_id} to quote {}: {} × {} at {}{discount} = {}. The quote's total is now {}.",
        text(r.get("number")),
        text(l.get("quantity")),
        description,
        money(l.get("unit_price"), currency),
        money(l.get("total"), currency),
        money(r.get("total"), currency),
    );
}

pub fn hits(hits: &[SearchHit]) {
    if hits.is_empty() {
        out!("Nothing found.");
        return;
    }
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| vec![h.kind.to_string(), fit(&h.title, 50), h.id.to_string()])
        .collect();
    table(&["kind", "title", "id"], &rows);
}

pub fn history(entries: &[HistoryEntry]) {
    for (i, e) in entries.iter().enumerate() {
        out!(
            "{}  {:<12} {}: {} → {}",
            e.at,
            e.by,
            e.field,
            fit(&show(&e.from), 40),
            fit(&show(&e.to), 40)
        );
        // Once per change, after its last line (the lines of one change follow each other).
        let last_of_change = entries.get(i + 1).is_none_or(|n| n.change != e.change);
        if let Some(at) = e.received_at.as_ref().filter(|_| last_of_change) {
            out!("                      received by the server at {at}");
        }
    }
}

fn show(v: &Option<FieldValue>) -> String {
    match v {
        None => "(empty)".into(),
        Some(v) => text(Some(&v.to_json())),
    }
}

pub fn conflicts(records: &[RecordConflicts]) {
    if records.is_empty() {
        out!("No open conflicts.");
        return;
    }
    for r in records {
        out!("{} {} ({})", r.kind, fit(&r.title, 50), r.id);
        let currency = r.currency.clone().map(Json::String);
        for c in &r.conflicts {
            out!("  {}:", c.field);
            for v in &c.values {
                let mark = if v.shown { " (shown)" } else { "" };
                let value = v.value.as_ref().map(FieldValue::to_json);
                let value = field_value(&c.field, value.as_ref(), currency.as_ref());
                out!(
                    "    {}  by {} at {}{mark}",
                    value.if_empty("(empty)"),
                    v.by,
                    v.at
                );
            }
        }
    }
}

pub fn pipeline(stages: &[StageSummary], counts: &BTreeMap<Kind, u64>) {
    let book: Vec<String> = fieldbook_core::Kind::ALL
        .iter()
        .map(|k| count(counts.get(k).copied().unwrap_or(0), k.as_str(), k.plural()))
        .collect();
    out!("Book: {}", book.join(", "));
    out!("");
    out!("Open pipeline by stage (probability follows the stage unless set):");
    let fmt = |m: &BTreeMap<String, String>| {
        m.iter()
            .map(|(c, a)| {
                Decimal::from_str(a)
                    .map(|d| format_money(d, c, Locale::En))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let rows: Vec<Vec<String>> = stages
        .iter()
        .map(|s| {
            let p = schema::stage_probability(&s.stage).unwrap_or(0);
            vec![
                format!("{} ({p}%)", s.stage),
                s.count.to_string(),
                fmt(&s.amount),
                fmt(&s.weighted),
            ]
        })
        .collect();
    table(&["stage", "deals", "amount", "weighted"], &rows);
}
