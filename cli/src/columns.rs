//! The columns `fieldbook list KIND` shows for each kind.

use crate::render::{field_value, fit, money, text};
use fieldbook_core::Kind;
use serde_json::{Map, Value as Json};

/// A row of a list, as cells.
pub(crate) type RowCells = fn(&Map<String, Json>) -> Vec<String>;

/// The columns a list of a kind shows.
pub(crate) fn list_columns(kind: Kind) -> (&'static [&'static str], RowCells) {
    match kind {
        Kind::Account => (&["id", "name", "city", "country", "industry"], |r| {
            vec![
                text(r.get("id")),
                fit(&text(r.get("name")), 40),
                text(r.get("city")),
                text(r.get("country")),
                text(r.get("industry")),
            ]
        }),
        Kind::Contact => (&["id", "name", "title", "email", "phone"], |r| {
            vec![
                text(r.get("id")),
                fit(&text(r.get("name")), 30),
                fit(&text(r.get("title")), 24),
                text(r.get("email")),
                text(r.get("phone")),
            ]
        }),
        Kind::Opportunity => (&["id", "name", "stage", "amount", "close", "prob"], |r| {
            vec![
                text(r.get("id")),
                fit(&text(r.get("name")), 36),
                text(r.get("stage")),
                money(r.get("amount"), r.get("currency")),
                text(r.get("close_date")),
                field_value("probability", r.get("probability"), None),
            ]
        }),
        Kind::Quote => (&["id", "number", "status", "total", "valid until"], |r| {
            vec![
                text(r.get("id")),
                text(r.get("number")),
                text(r.get("status")),
                money(r.get("total"), r.get("currency")),
                text(r.get("valid_until")),
            ]
        }),
        Kind::Activity => (&["id", "at", "kind", "subject"], |r| {
            vec![
                text(r.get("id")),
                text(r.get("at")),
                text(r.get("activity_kind")),
                fit(&text(r.get("subject")), 50),
            ]
        }),
        Kind::Task => (&["id", "due", "done", "title", "assignee"], |r| {
            let done = if r.get("done") == Some(&Json::Bool(true)) {
                "✓"
            } else {
                ""
            };
            vec![
                text(r.get("id")),
                text(r.get("due")),
                done.into(),
                fit(&text(r.get("title")), 50),
                text(r.get("assignee")),
            ]
        }),
        Kind::Product => (&["id", "sku", "name", "unit price"], |r| {
            vec![
                text(r.get("id")),
                text(r.get("sku")),
                fit(&text(r.get("name")), 40),
                money(r.get("unit_price"), r.get("currency")),
            ]
        }),
        Kind::Lead => (&["id", "name", "company", "source", "status"], |r| {
            vec![
                text(r.get("id")),
                fit(&text(r.get("name")), 30),
                fit(&text(r.get("company")), 30),
                text(r.get("source")),
                text(r.get("status")),
            ]
        }),
        Kind::Case => (
            &["id", "subject", "priority", "status", "due", "assignee"],
            |r| {
                vec![
                    text(r.get("id")),
                    fit(&text(r.get("subject")), 40),
                    text(r.get("priority")),
                    text(r.get("status")),
                    text(r.get("due")),
                    text(r.get("assignee")),
                ]
            },
        ),
        Kind::Dismissal => (&["id", "key", "until"], |r| {
            vec![text(r.get("id")), text(r.get("key")), text(r.get("until"))]
        }),
    }
}
