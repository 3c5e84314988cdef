//! "Needs attention": the rules across fields ([`fieldbook_core::rules`]) that a record's
//! merged state breaks, kept as a JSON array in its `records` row (`attention`, NULL when
//! none) so that lists show them without loading documents. Computed from the record when
//! its document is at hand, or from the record JSON a snapshot brings (only the fields the
//! rules read), and filled in once for records stored before the column existed.

use crate::error::Result;
use fieldbook_core::Kind;
use fieldbook_core::record::Record;
use fieldbook_core::rules::{self, Attention};
use fieldbook_core::schema;
use fieldbook_core::value::{self, FieldValue};
use rusqlite::{Connection, params};
use serde_json::{Map, Value as Json};
use time::OffsetDateTime;
use uuid::Uuid;

/// The column's value for a record: the rules it breaks, or NULL.
pub(crate) fn of_record(record: &Record) -> Option<String> {
    encode(&rules::attention(record))
}

fn encode(broken: &[Attention]) -> Option<String> {
    (!broken.is_empty()).then(|| serde_json::to_string(broken).unwrap_or_default())
}

/// The rules of a kind read these fields (none for most kinds).
fn rule_fields(kind: Kind) -> impl Iterator<Item = &'static str> {
    rules::RULES
        .iter()
        .filter(move |r| r.kind == kind)
        .flat_map(|r| r.fields.iter().copied())
}

/// The column's value for a record given as its contract JSON (a snapshot's projection):
/// the record is rebuilt from the fields its kind's rules read, each checked as typed.
pub(crate) fn of_json(kind: Kind, json: &Map<String, Json>) -> Option<String> {
    let mut fields = rule_fields(kind).peekable();
    fields.peek()?;
    let id = json
        .get("id")
        .and_then(Json::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())?;
    let mut values = Vec::new();
    for name in fields {
        let Some(spec) = schema::field(kind, name) else {
            continue;
        };
        let given = json
            .get(schema::output_name(spec))
            .and_then(FieldValue::from_json);
        if let Some(v) = given
            .and_then(|v| value::check(spec, &v, OffsetDateTime::UNIX_EPOCH).ok())
            .flatten()
        {
            values.push((spec.name, v));
        }
    }
    let record = Record {
        id,
        kind,
        values,
        lines: Vec::new(),
        created_at: String::new(),
        created_by: String::new(),
        updated_at: String::new(),
        updated_by: String::new(),
        deleted: false,
    };
    of_record(&record)
}

/// The rules a stored column value names (empty for NULL or a value this program cannot
/// read).
pub(crate) fn decode(column: Option<&str>) -> Vec<Attention> {
    column
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// Fills the column for every record of a kind that has rules, from its projection row (the
/// rules' fields are all projected). Run once, by the migration that adds the column.
pub(super) fn backfill(conn: &Connection) -> Result<()> {
    for kind in Kind::ALL {
        let fields: Vec<&str> = rule_fields(kind).collect();
        if fields.is_empty() {
            continue;
        }
        let mut cols: Vec<&str> = fields.clone();
        cols.sort();
        cols.dedup();
        let sql = format!("SELECT id, {} FROM p_{kind}", cols.join(", "));
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut update = conn.prepare("UPDATE records SET attention = ?2 WHERE id = ?1")?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let mut json = Map::new();
            json.insert("id".into(), Json::String(id.clone()));
            for (i, col) in cols.iter().enumerate() {
                let v: rusqlite::types::Value = row.get(i + 1)?;
                let v = match v {
                    rusqlite::types::Value::Text(t) => Json::String(t),
                    rusqlite::types::Value::Integer(n) => Json::from(n),
                    _ => Json::Null,
                };
                json.insert((*col).to_string(), v);
            }
            if let Some(a) = of_json(kind, &json) {
                update.execute(params![id, a])?;
            }
        }
    }
    Ok(())
}
