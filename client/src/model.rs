//! The typed values the library takes and returns: what a program (the desktop app, its
//! generated TypeScript bindings, the command line) exchanges with a [`Store`](crate::Store).
//! Plain serde data: owned strings, exact decimals as strings, dates and times as ISO 8601
//! strings, ids as UUIDs, fields keyed by their schema names (the one source of names,
//! `fieldbook_core::schema`). Knows nothing of SQL, HTTP or text parsing.

use fieldbook_core::doc as core_doc;
pub use fieldbook_core::rules::Attention;
use fieldbook_core::schema::{self, FieldType};
use fieldbook_core::{Kind, value::FieldValue};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Field values to write, by field name: a value sets the field, `None` clears it (on
/// update) or leaves it out (on create).
pub type FieldValues = BTreeMap<String, Option<FieldValue>>;

/// A record: every field, computed values and metadata (as `show` and lists return it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordView {
    pub id: Uuid,
    pub kind: Kind,
    /// What names the record in lists and search results.
    pub title: String,
    /// The fields that have a value, by their output name (an activity's own `kind` is
    /// `activity_kind`). Tags and notes are always present (empty list, empty text); an
    /// opportunity's `probability` is as set, or the one its stage gives.
    pub fields: BTreeMap<String, FieldValue>,
    /// A quote's lines, in order (empty for other kinds).
    pub lines: Vec<QuoteLine>,
    /// A quote's totals, rounded to its currency.
    pub totals: Option<QuoteTotals>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub deleted: bool,
    /// The user the server says owns the record (its creator before the first sync).
    pub owner: String,
    /// Whether some field holds concurrent values.
    pub has_conflicts: bool,
    /// The open conflicts (filled by [`Store::record`](crate::Store::record), empty in lists).
    pub conflicts: Vec<Conflict>,
    /// The document's heads when it was read (by [`Store::record`](crate::Store::record);
    /// empty in lists): an editor of the notes sends them back with its edit
    /// ([`Store::edit_notes`](crate::Store::edit_notes)).
    #[serde(default)]
    pub heads: Vec<String>,
    /// The rules across fields the record breaks as it stands ("needs attention"): a merge
    /// of two valid edits can break one (a `lost` deal whose reason another device
    /// cleared). Empty for almost every record; never a reason to refuse another edit.
    pub attention: Vec<Attention>,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QuoteLine {
    pub line_id: String,
    /// The line's fields that have a value (`schema::LINE_FIELDS`).
    pub fields: BTreeMap<String, FieldValue>,
    /// quantity × unit price less the discount, rounded to the quote's currency.
    pub total: Option<String>,
}

/// A quote's totals (exact decimal strings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QuoteTotals {
    pub subtotal: String,
    pub tax: String,
    pub total: String,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub account_id: Option<Uuid>,
}

/// One of the concurrent values of a field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConflictValue {
    pub value: Option<FieldValue>,
    /// User name of the author.
    pub by: String,
    /// When it was written (RFC 3339).
    pub at: String,
    /// Whether this is the value shown until the conflict is resolved.
    pub shown: bool,
}

/// A field with concurrent values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conflict {
    /// A field name, or `lines.LINE_ID.FIELD` for a quote line.
    pub field: String,
    pub values: Vec<ConflictValue>,
}

/// A record's open conflicts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordConflicts {
    pub id: Uuid,
    pub kind: Kind,
    pub title: String,
    /// The record's currency (of its amounts and prices), if it has one.
    pub currency: Option<String>,
    pub conflicts: Vec<Conflict>,
}

/// One field changed by one change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HistoryEntry {
    /// RFC 3339, the author's clock.
    pub at: String,
    pub by: String,
    pub field: String,
    pub from: Option<FieldValue>,
    pub to: Option<FieldValue>,
    /// The hash of the change that made it.
    pub change: String,
    /// When the server received that change (RFC 3339, the server's clock), if it said:
    /// it went through the server, signed in as `by`.
    pub received_at: Option<String>,
}

/// One stage of the open pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageSummary {
    pub stage: String,
    pub count: u64,
    /// Sum of amounts, per currency (exact decimal strings).
    pub amount: BTreeMap<String, String>,
    /// Sum of amount × probability, per currency.
    pub weighted: BTreeMap<String, String>,
}

/// What the sync state is, readable with no network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncStatus {
    /// The server this store syncs with (it stays known after signing out).
    pub server: Option<String>,
    /// The signed-in user (`None` when signed out).
    pub user: Option<String>,
    pub role: Option<String>,
    pub device_id: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_sync: Option<String>,
    /// Changes made here that the server has not acknowledged yet.
    pub pending: u64,
    /// The user this store belongs to (the only one it signs in as).
    pub store_user: String,
    /// Changes the server refused (kept in its quarantine), until they are dealt with.
    pub refused: Vec<RefusedChange>,
}

/// A change the server refused and keeps in its quarantine for a manager to review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefusedChange {
    /// The change's hash (hex): the quarantine item's key on the server.
    pub hash: String,
    /// The record it changes.
    pub doc_id: Uuid,
    /// Why, in the server's words.
    pub reason: String,
    /// When the server said so (RFC 3339, this device's clock).
    pub refused_at: String,
}

/// What `absorb` did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AbsorbReport {
    pub documents: u64,
    pub new_records: u64,
    pub updated_records: u64,
    pub new_changes: u64,
}

impl From<core_doc::Conflict> for Conflict {
    fn from(c: core_doc::Conflict) -> Conflict {
        Conflict {
            field: c.field,
            values: c
                .values
                .into_iter()
                .map(|v| ConflictValue {
                    value: FieldValue::from_json(&v.value),
                    by: v.by,
                    at: v.at,
                    shown: v.shown,
                })
                .collect(),
        }
    }
}

impl From<core_doc::HistoryEntry> for HistoryEntry {
    fn from(h: core_doc::HistoryEntry) -> HistoryEntry {
        HistoryEntry {
            at: h.at,
            by: h.by,
            field: h.field,
            from: FieldValue::from_json(&h.from),
            to: FieldValue::from_json(&h.to),
            change: h.change,
            received_at: None,
        }
    }
}

fn text(m: &Map<String, Json>, key: &str) -> String {
    m.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The values of a JSON object that are not null, but `skip`.
fn values_of(m: &Map<String, Json>, skip: &[&str]) -> BTreeMap<String, FieldValue> {
    m.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .filter_map(|(k, v)| FieldValue::from_json(v).map(|v| (k.clone(), v)))
        .collect()
}

/// Quote lines from their JSON (as the record contract shows them).
pub(crate) fn lines_from_json(lines: &Json) -> Vec<QuoteLine> {
    lines
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_object)
        .map(|l| QuoteLine {
            line_id: text(l, "line_id"),
            fields: values_of(l, &["line_id", "total"]),
            total: l.get("total").and_then(Json::as_str).map(str::to_string),
        })
        .collect()
}

impl RecordView {
    /// A record from its JSON as `fieldbook_core::record::Record::to_json` writes it.
    pub(crate) fn from_json(m: &Map<String, Json>) -> Option<RecordView> {
        let kind = Kind::parse(m.get("kind")?.as_str()?).ok()?;
        let id = Uuid::parse_str(m.get("id")?.as_str()?).ok()?;
        let mut fields = BTreeMap::new();
        let mut lines = Vec::new();
        for spec in schema::fields(kind) {
            let name = schema::output_name(spec);
            let Some(v) = m.get(name) else { continue };
            if spec.ty == FieldType::Lines {
                lines = lines_from_json(v);
            } else if let Some(v) = FieldValue::from_json(v) {
                fields.insert(name.to_string(), v);
            }
        }
        let totals = match (m.get("subtotal"), m.get("tax"), m.get("total")) {
            (Some(Json::String(s)), Some(Json::String(t)), Some(Json::String(total))) => {
                Some(QuoteTotals {
                    subtotal: s.clone(),
                    tax: t.clone(),
                    total: total.clone(),
                })
            }
            _ => None,
        };
        Some(RecordView {
            id,
            kind,
            title: text(m, schema::title_field(kind)),
            fields,
            lines,
            totals,
            created_at: text(m, "created_at"),
            created_by: text(m, "created_by"),
            updated_at: text(m, "updated_at"),
            updated_by: text(m, "updated_by"),
            deleted: m.get("deleted") == Some(&Json::Bool(true)),
            owner: text(m, "owner"),
            has_conflicts: m.get("has_conflicts") == Some(&Json::Bool(true)),
            conflicts: Vec::new(),
            heads: Vec::new(),
            attention: Vec::new(),
        })
    }
}
