//! Records as the record contract's JSON (`docs/formats.md`): `id`, `kind`, every field of
//! the kind in schema order (null when unset), computed values, then the metadata; the
//! same shape `export` writes.

use fieldbook_client::RecordView;
use fieldbook_client::model::{Conflict, QuoteLine};
use fieldbook_core::schema::{self, FieldType};
use serde_json::{Map, Value as Json};

/// What a record's JSON ends with.
pub enum Tail {
    /// Lists: `has_conflicts: true` when some field holds concurrent values.
    ConflictMark,
    /// One record: its open conflicts.
    Conflicts,
}

fn line(l: &QuoteLine) -> Json {
    let mut m = Map::new();
    m.insert("line_id".into(), Json::String(l.line_id.clone()));
    for spec in &schema::LINE_FIELDS[1..] {
        m.insert(
            spec.name.into(),
            l.fields.get(spec.name).map_or(Json::Null, |v| v.to_json()),
        );
    }
    m.insert(
        "total".into(),
        l.total.clone().map_or(Json::Null, Json::String),
    );
    Json::Object(m)
}

pub fn conflicts(c: &[Conflict]) -> Json {
    serde_json::to_value(c).unwrap_or(Json::Null)
}

pub fn record(r: &RecordView, tail: Tail) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("id".into(), Json::String(r.id.to_string()));
    m.insert("kind".into(), Json::String(r.kind.as_str().into()));
    for spec in schema::fields(r.kind) {
        let name = schema::output_name(spec);
        let v = if spec.ty == FieldType::Lines {
            Json::Array(r.lines.iter().map(line).collect())
        } else {
            r.fields.get(name).map_or(Json::Null, |v| v.to_json())
        };
        m.insert(name.into(), v);
    }
    if let Some(t) = &r.totals {
        m.insert("subtotal".into(), Json::String(t.subtotal.clone()));
        m.insert("tax".into(), Json::String(t.tax.clone()));
        m.insert("total".into(), Json::String(t.total.clone()));
    }
    m.insert("created_at".into(), Json::String(r.created_at.clone()));
    m.insert("updated_at".into(), Json::String(r.updated_at.clone()));
    m.insert("created_by".into(), Json::String(r.created_by.clone()));
    m.insert("updated_by".into(), Json::String(r.updated_by.clone()));
    m.insert("deleted".into(), Json::Bool(r.deleted));
    m.insert("owner".into(), Json::String(r.owner.clone()));
    m.insert(
        "attention".into(),
        serde_json::to_value(&r.attention).unwrap_or(Json::Null),
    );
    match tail {
        Tail::ConflictMark if r.has_conflicts => {
            m.insert("has_conflicts".into(), Json::Bool(true));
        }
        Tail::ConflictMark => {}
        Tail::Conflicts => {
            m.insert("conflicts".into(), conflicts(&r.conflicts));
        }
    }
    m
}
