//! The server's report projection: one [`ReportRow`] per live record of a kind the reports
//! read (accounts, opportunities, activities, leads, cases), worked out from the record's
//! projection (`Record::to_json`) when a push stores the document, so reports read plain
//! rows and never load a document. Storage keeps each row with the record's owner, in the
//! transaction that stores the document (and moves it with the record's owner).
//!
//! The rows become `fieldbook_core::report::Book` rows the same way a device's projections
//! do (`client/src/store/reports.rs`), so the same data gives the same figures. Knows
//! nothing of storage, HTTP or who may see what.

use fieldbook_core::Kind;
use fieldbook_core::value::parse_date;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

/// A record as the reports read it (its owner is kept beside it by storage).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub id: Uuid,
    pub kind: Kind,
    /// The account it hangs on (opportunities, activities, cases; a converted lead's).
    pub account_id: Option<Uuid>,
    /// The day the record was created.
    pub created: Date,
    /// An account's or a deal's name, a case's subject.
    pub name: Option<String>,
    pub stage: Option<String>,
    /// Exact, as the projection holds it.
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    /// The effective probability (as set, or following the stage).
    pub probability: Option<i64>,
    pub close_date: Option<Date>,
    /// An activity's kind (visit, call, ...).
    pub activity_kind: Option<String>,
    /// The day an activity happened.
    pub at: Option<Date>,
    /// The deal an activity names, or the one a lead was converted into.
    pub opportunity_id: Option<Uuid>,
    pub source: Option<String>,
    /// A lead's or a case's status.
    pub status: Option<String>,
    pub assignee: Option<String>,
    pub priority: Option<String>,
    pub due: Option<Date>,
    /// The day a case was resolved.
    pub resolved: Option<Date>,
}

/// Whether the reports read records of `kind`.
pub fn reported(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Account | Kind::Opportunity | Kind::Activity | Kind::Lead | Kind::Case
    )
}

/// The day of an RFC 3339 time or a date.
pub fn day(text: &str) -> Option<Date> {
    text.get(..10).and_then(parse_date)
}

fn text(json: &Map<String, Json>, key: &str) -> Option<String> {
    json.get(key)
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn id(json: &Map<String, Json>, key: &str) -> Option<Uuid> {
    json.get(key)
        .and_then(Json::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
}

fn date(json: &Map<String, Json>, key: &str) -> Option<Date> {
    json.get(key).and_then(Json::as_str).and_then(day)
}

impl ReportRow {
    /// The row of a record from its projection; `None` when the reports do not read it
    /// (another kind, or deleted).
    pub fn from_projection(id_: Uuid, kind: Kind, json: &Map<String, Json>) -> Option<ReportRow> {
        if !reported(kind) || json.get("deleted").and_then(Json::as_bool) == Some(true) {
            return None;
        }
        let created = date(json, "created_at")?;
        let name = match kind {
            Kind::Case => text(json, "subject"),
            _ => text(json, "name"),
        };
        Some(ReportRow {
            id: id_,
            kind,
            account_id: id(json, "account_id"),
            created,
            name,
            stage: text(json, "stage"),
            amount: json
                .get("amount")
                .and_then(Json::as_str)
                .and_then(|a| Decimal::from_str(a).ok()),
            currency: text(json, "currency"),
            probability: json.get("probability").and_then(Json::as_i64),
            close_date: date(json, "close_date"),
            activity_kind: text(json, "activity_kind"),
            at: date(json, "at"),
            opportunity_id: id(json, "opportunity_id"),
            source: text(json, "source"),
            status: text(json, "status"),
            assignee: text(json, "assignee"),
            priority: text(json, "priority"),
            due: date(json, "due"),
            resolved: date(json, "resolved_at"),
        })
    }

    /// The same from the projection's JSON text.
    pub fn from_projection_text(id_: Uuid, kind: Kind, record: &str) -> Option<ReportRow> {
        match serde_json::from_str::<Json>(record) {
            Ok(Json::Object(m)) => ReportRow::from_projection(id_, kind, &m),
            _ => None,
        }
    }
}
