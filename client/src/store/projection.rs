//! Projections: the rows that queries, lists and search read instead of loading documents.
//!
//! Each record has a row in `records` (kind, title, owner, account, metadata), one in its
//! kind's `p_<kind>` table (one column per field, holding exactly what the record's JSON
//! shows) and, unless deleted, one in the `search` index. They are rewritten from the
//! document in the same transaction as every change, so they can never disagree with it.

use super::fts;
use crate::error::Result;
use crate::model::{QuoteTotals, RecordView, lines_from_json};
use fieldbook_core::Kind;
use fieldbook_core::schema::{self, FieldType};
use fieldbook_core::value::FieldValue;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Computed columns of a kind's projection besides its fields.
fn computed_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Quote => &["subtotal", "tax", "total"],
        _ => &[],
    }
}

/// The projection columns of a kind, in order: every field, then computed ones.
pub(crate) fn columns(kind: Kind) -> Vec<&'static str> {
    schema::fields(kind)
        .iter()
        .map(|f| f.name)
        .chain(computed_columns(kind).iter().copied())
        .collect()
}

fn to_sql(v: &Json) -> Sql {
    match v {
        Json::Null => Sql::Null,
        Json::Bool(b) => Sql::Integer(i64::from(*b)),
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0)), Sql::Integer),
        Json::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// A string field of a record's JSON.
fn json_str<'a>(json: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
    json.get(key)
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
}

/// The account a record belongs to (itself for an account), for access and reassignment.
fn account_of(conn: &Connection, kind: Kind, json: &Map<String, Json>) -> Result<Option<String>> {
    let via_opportunity = |conn: &Connection| match json_str(json, "opportunity_id") {
        Some(opp) => parent_account(conn, opp),
        None => Ok(None),
    };
    Ok(match kind {
        Kind::Account => json_str(json, "id").map(str::to_string),
        Kind::Product => None,
        Kind::Quote => via_opportunity(conn)?,
        Kind::Task if json_str(json, "account_id").is_none() => via_opportunity(conn)?,
        _ => json_str(json, "account_id").map(str::to_string),
    })
}

fn parent_account(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT account_id FROM records WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// The text indexed as the body of a record: its text fields other than the title.
fn body_text(kind: Kind, json: &Map<String, Json>) -> String {
    let title = schema::title_field(kind);
    let mut out = String::new();
    for spec in schema::fields(kind) {
        let indexed = matches!(
            spec.ty,
            FieldType::Text
                | FieldType::LongText
                | FieldType::Notes
                | FieldType::Email
                | FieldType::Url
                | FieldType::Tags
        );
        if !indexed || spec.name == title {
            continue;
        }
        match json.get(schema::output_name(spec)) {
            Some(Json::String(s)) if !s.is_empty() => {
                out.push_str(s);
                out.push('\n');
            }
            Some(Json::Array(items)) => {
                for i in items.iter().filter_map(Json::as_str) {
                    out.push_str(i);
                    out.push(' ');
                }
                out.push('\n');
            }
            _ => {}
        }
    }
    if let Some(Json::Array(lines)) = json.get("lines") {
        for d in lines
            .iter()
            .filter_map(|l| l.get("description").and_then(Json::as_str))
        {
            out.push_str(d);
            out.push('\n');
        }
    }
    out
}

/// A record's row of the search index, to be written by [`write_search`].
pub(crate) struct SearchRow {
    rid: i64,
    kind: Kind,
    /// How the number of live records of its kind changed (-1, 0 or 1): kept in `tallies`.
    live: i64,
    /// `None` for a deleted record: its row is removed, not rewritten.
    text: Option<(String, String)>,
    /// The record's row was inserted just now, with a new `rid`: no search row to remove.
    fresh: bool,
}

impl SearchRow {
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// How the number of live records of its kind changed.
    pub(crate) fn live(&self) -> i64 {
        self.live
    }
}

/// Rewrites the search rows of records, once all their other rows are written. Each row is
/// its own single-row statement: those need no statement savepoint, at which FTS5 would
/// write its pending index to disk as a new segment (multi-row statements do). A batch
/// (demo, absorb, a pulled page) thus reaches the disk in few, large segments.
pub(crate) fn write_search(conn: &Connection, rows: &[SearchRow]) -> Result<()> {
    // A record changed twice in one batch has two rows: its last one counts.
    let mut seen = std::collections::HashSet::new();
    let mut latest: Vec<&SearchRow> = rows.iter().rev().filter(|r| seen.insert(r.rid)).collect();
    latest.reverse();
    let mut delete = conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?;
    let mut insert =
        conn.prepare_cached("INSERT INTO search (rowid, title, body) VALUES (?1, ?2, ?3)")?;
    for r in latest {
        if !r.fresh {
            delete.execute([r.rid])?;
        }
        let Some((title, body)) = &r.text else {
            continue;
        };
        match insert.execute(params![r.rid, title, body]) {
            // A row left behind under a reused rid: replace it.
            Err(e) if r.fresh && is_constraint(&e) => {
                delete.execute([r.rid])?;
                insert.execute(params![r.rid, title, body])?;
            }
            done => {
                done?;
            }
        }
    }
    Ok(())
}

/// Rewrites the `records` and `p_<kind>` rows of a record from its JSON (as
/// [`fieldbook_core::record::Record::to_json`] makes it; the server sends it with snapshots,
/// so a device need not load the document) and returns its search row (for
/// [`write_search`]). A new record's owner is its creator until the server says otherwise;
/// an existing row keeps its owner unless `owner` is given.
pub(crate) fn upsert_json(
    conn: &Connection,
    kind: Kind,
    json: &Map<String, Json>,
    state: RowState<'_>,
    owner: Option<&str>,
) -> Result<SearchRow> {
    write_json(conn, kind, json, state, owner, false)
}

/// What a record's `records` row says beyond its JSON: how many fields are in conflict, and
/// the rules it breaks ([`super::attention`]'s column value).
#[derive(Clone, Copy, Default)]
pub(crate) struct RowState<'a> {
    pub conflicts: usize,
    pub attention: Option<&'a str>,
}

/// The same for a record this store does not hold (no document): plain inserts, which,
/// unlike upserts, need no statement journal (each would copy every b-tree page it
/// touches). Should rows of the record exist after all, it falls back to the upsert.
pub(crate) fn insert_json(
    conn: &Connection,
    kind: Kind,
    json: &Map<String, Json>,
    state: RowState<'_>,
    owner: &str,
) -> Result<SearchRow> {
    write_json(conn, kind, json, state, Some(owner), true)
}

/// The rows of a record created on this device just now (its owner is its creator): plain
/// inserts, as [`insert_json`].
pub(crate) fn insert_new_json(
    conn: &Connection,
    kind: Kind,
    json: &Map<String, Json>,
    state: RowState<'_>,
) -> Result<SearchRow> {
    write_json(conn, kind, json, state, None, true)
}

/// Whether a statement failed on a constraint. A single-row `INSERT ... VALUES` checks its
/// constraints before it writes anything, so such a failure changed nothing.
fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// The statements writing a kind's projection row: plain insert, and insert-or-replace.
struct ProjectionSql {
    insert: String,
    replace: String,
}

fn projection_sql(kind: Kind) -> &'static ProjectionSql {
    static SQL: std::sync::OnceLock<Vec<ProjectionSql>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|&kind| {
                let cols = columns(kind);
                let rest = format!(
                    "INTO p_{kind} (id, deleted, {}) VALUES (?1, ?2, {})",
                    cols.join(", "),
                    (3..=cols.len() + 2)
                        .map(|i| format!("?{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                ProjectionSql {
                    insert: format!("INSERT {rest}"),
                    replace: format!("INSERT OR REPLACE {rest}"),
                }
            })
            .collect()
    });
    let i = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    &all[i]
}

fn write_json(
    conn: &Connection,
    kind: Kind,
    json: &Map<String, Json>,
    state: RowState<'_>,
    owner: Option<&str>,
    fresh: bool,
) -> Result<SearchRow> {
    let field = |k: &str| json_str(json, k).unwrap_or_default();
    let id = field("id");
    let title = field(schema::title_field(kind)).to_string();
    let account_id = account_of(conn, kind, json)?;
    let deleted = json.get("deleted") == Some(&Json::Bool(true));
    let created_by = field("created_by");
    let record = params![
        id,
        kind.as_str(),
        title,
        account_id,
        created_by,
        deleted,
        state.conflicts as i64,
        field("created_at"),
        field("updated_at"),
        created_by,
        field("updated_by"),
        owner,
        state.attention
    ];
    let inserted = if fresh {
        let done = conn
            .prepare_cached(
                "INSERT INTO records (id, kind, title, account_id, owner, deleted, conflicts,
                                      created_at, updated_at, created_by, updated_by, attention)
                 VALUES (?1, ?2, ?3, ?4, coalesce(?12, ?5), ?6, ?7, ?8, ?9, ?10, ?11, ?13)",
            )?
            .execute(record);
        match done {
            Ok(_) => Some(conn.last_insert_rowid()),
            Err(e) if is_constraint(&e) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    // Whether the record was live before, when it had a row.
    let was_live = match inserted {
        Some(_) => false,
        None => conn
            .prepare_cached("SELECT deleted FROM records WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, bool>(0))
            .optional()?
            .is_some_and(|deleted| !deleted),
    };
    let rid: i64 = match inserted {
        Some(rid) => rid,
        None => conn
            .prepare_cached(
                "INSERT INTO records (id, kind, title, account_id, owner, deleted, conflicts,
                                      created_at, updated_at, created_by, updated_by, attention)
                 VALUES (?1, ?2, ?3, ?4, coalesce(?12, ?5), ?6, ?7, ?8, ?9, ?10, ?11, ?13)
                 ON CONFLICT (id) DO UPDATE SET
                    title = excluded.title, account_id = excluded.account_id,
                    owner = coalesce(?12, owner),
                    deleted = excluded.deleted, conflicts = excluded.conflicts,
                    attention = excluded.attention,
                    created_at = excluded.created_at, updated_at = excluded.updated_at,
                    created_by = excluded.created_by, updated_by = excluded.updated_by
                 RETURNING rid",
            )?
            .query_row(record, |row| row.get(0))?,
    };

    let cols = columns(kind);
    let mut values = vec![Sql::Text(id.to_string()), Sql::Integer(i64::from(deleted))];
    for col in &cols {
        values.push(json.get(out_name(kind, col)).map_or(Sql::Null, to_sql));
    }
    let sql = projection_sql(kind);
    let replaced = if inserted.is_some() {
        match conn
            .prepare_cached(&sql.insert)?
            .execute(params_from_iter(&values))
        {
            Ok(_) => false,
            Err(e) if is_constraint(&e) => true,
            Err(e) => return Err(e.into()),
        }
    } else {
        true
    };
    if replaced {
        conn.prepare_cached(&sql.replace)?
            .execute(params_from_iter(&values))?;
    }

    // A personal record (a dismissed reminder) is nobody's search result.
    let text = (!deleted && !kind.is_personal()).then(|| {
        (
            fts::index_text(&title),
            fts::index_text(&body_text(kind, json)),
        )
    });
    Ok(SearchRow {
        rid,
        kind,
        live: i64::from(!deleted) - i64::from(was_live),
        text,
        fresh: inserted.is_some(),
    })
}

/// Quotes and tasks stored before their opportunity (absorbed or pulled out of order)
/// learn their account once it is here.
pub(crate) fn fix_parent_accounts(tx: &Connection) -> Result<()> {
    tx.prepare_cached(
        "UPDATE records SET account_id = (
             SELECT o.account_id FROM records o
             JOIN p_quote q ON q.opportunity_id = o.id WHERE q.id = records.id
             UNION ALL
             SELECT o.account_id FROM records o
             JOIN p_task t ON t.opportunity_id = o.id WHERE t.id = records.id
         )
         WHERE account_id IS NULL AND kind IN ('quote', 'task')",
    )?
    .execute([])?;
    Ok(())
}

/// Sets the owner of a record (the server's word).
pub(crate) fn set_owner(conn: &Connection, id: &str, owner: &str) -> Result<()> {
    conn.prepare_cached("UPDATE records SET owner = ?2 WHERE id = ?1")?
        .execute(params![id, owner])?;
    Ok(())
}

/// Removes a record and everything derived from it (it is no longer this user's to see).
/// Returns its kind if it was a live record (for the tallies).
pub(crate) fn remove(conn: &Connection, id: &str) -> Result<Option<Kind>> {
    let found: Option<(i64, String, bool)> = conn
        .prepare_cached("SELECT rid, kind, deleted FROM records WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let mut live = None;
    if let Some((rid, kind, deleted)) = found {
        let kind = Kind::parse(&kind)?;
        live = (!deleted).then_some(kind);
        conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
            .execute([rid])?;
        conn.prepare_cached(&format!("DELETE FROM p_{kind} WHERE id = ?1"))?
            .execute([id])?;
        conn.prepare_cached("DELETE FROM records WHERE id = ?1")?
            .execute([id])?;
    }
    conn.prepare_cached("DELETE FROM docs WHERE id = ?1")?
        .execute([id])?;
    Ok(live)
}

/// Adds to the tallies of live records per kind (`live:KIND` rows of `tallies`).
pub(crate) fn tally_live(conn: &Connection, kind: Kind, by: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO tallies (name, n) VALUES ('live:' || ?1, ?2)
         ON CONFLICT (name) DO UPDATE SET n = n + excluded.n",
    )?
    .execute(params![kind.as_str(), by])?;
    Ok(())
}

fn out_name(kind: Kind, column: &'static str) -> &'static str {
    schema::field(kind, column).map_or(column, schema::output_name)
}

/// `SELECT` of everything a record's JSON needs, from `records r` joined with its projection
/// `p`; read rows with [`row_json`]. Append `WHERE ...` / `ORDER BY ...` as needed.
pub(crate) fn select_sql(kind: Kind) -> String {
    let cols: Vec<String> = columns(kind).iter().map(|c| format!("p.{c}")).collect();
    format!(
        "SELECT r.id, r.owner, r.deleted, r.created_at, r.updated_at, r.created_by, r.updated_by, r.conflicts, r.attention, {}
         FROM records r JOIN p_{kind} p ON p.id = r.id",
        cols.join(", ")
    )
}

/// Where the projection's columns start in a row of [`select_sql`].
const FIRST_COLUMN: usize = 9;

/// A record (without its conflicts) from a row of [`select_sql`].
pub(crate) fn row_view(kind: Kind, row: &Row) -> rusqlite::Result<RecordView> {
    let mut fields = BTreeMap::new();
    let mut lines = Vec::new();
    let mut totals = [None, None, None];
    for (i, col) in columns(kind).iter().enumerate() {
        let spec = schema::field(kind, col);
        let raw: Sql = row.get(FIRST_COLUMN + i)?;
        let v = match (spec.map(|s| s.ty), raw) {
            (Some(FieldType::Lines), Sql::Text(t)) => {
                lines = lines_from_json(&serde_json::from_str(&t).unwrap_or(Json::Null));
                continue;
            }
            (Some(FieldType::Tags), Sql::Text(t)) => {
                FieldValue::Tags(serde_json::from_str(&t).unwrap_or_default())
            }
            (Some(FieldType::Bool), Sql::Integer(i)) => FieldValue::Bool(i != 0),
            (_, Sql::Integer(i)) => FieldValue::Int(i),
            (_, Sql::Real(f)) => FieldValue::Float(f),
            (_, Sql::Text(t)) => FieldValue::Text(t),
            _ => continue,
        };
        match (spec, v) {
            (None, FieldValue::Text(t)) => {
                if let Some(slot) = ["subtotal", "tax", "total"].iter().position(|c| c == col) {
                    totals[slot] = Some(t);
                }
            }
            (Some(spec), v) => {
                fields.insert(schema::output_name(spec).to_string(), v);
            }
            (None, _) => {}
        }
    }
    let title = fields
        .get(schema::title_field(kind))
        .and_then(|v| match v {
            FieldValue::Text(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let id: String = row.get(0)?;
    let conflicts: i64 = row.get(7)?;
    let attention: Option<String> = row.get(8)?;
    let [subtotal, tax, total] = totals;
    Ok(RecordView {
        id: Uuid::parse_str(&id).unwrap_or_default(),
        kind,
        title,
        fields,
        lines,
        totals: match (subtotal, tax, total) {
            (Some(subtotal), Some(tax), Some(total)) => Some(QuoteTotals {
                subtotal,
                tax,
                total,
            }),
            _ => None,
        },
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
        created_by: row.get(5)?,
        updated_by: row.get(6)?,
        deleted: row.get(2)?,
        owner: row.get(1)?,
        has_conflicts: conflicts > 0,
        conflicts: Vec::new(),
        heads: Vec::new(),
        attention: super::attention::decode(attention.as_deref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory_store() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut conn).unwrap();
        conn
    }

    fn account(name: &str) -> Map<String, Json> {
        let mut m = Map::new();
        m.insert(
            "id".into(),
            Json::String("0190a0a0-0000-7000-8000-000000000001".into()),
        );
        m.insert("kind".into(), Json::String("account".into()));
        m.insert("name".into(), Json::String(name.into()));
        m.insert("created_by".into(), Json::String("alice".into()));
        m
    }

    fn titles(conn: &Connection, q: &str) -> Vec<String> {
        let m = fts::match_query(q).unwrap();
        conn.prepare(
            "SELECT r.title FROM search s JOIN records r ON r.rid = s.rowid WHERE search MATCH ?1",
        )
        .unwrap()
        .query_map([m], |r| r.get(0))
        .unwrap()
        .map(|t| t.unwrap())
        .collect()
    }

    #[test]
    fn a_record_changed_twice_in_one_batch_keeps_one_search_row_its_last() {
        let conn = memory_store();
        let none = RowState::default();
        let first = upsert_json(&conn, Kind::Account, &account("Acme"), none, None).unwrap();
        let second = upsert_json(&conn, Kind::Account, &account("Northwind"), none, None).unwrap();
        write_search(&conn, &[first, second]).unwrap();
        assert_eq!(titles(&conn, "northwind"), ["Northwind"]);
        assert!(titles(&conn, "acme").is_empty());
    }

    #[test]
    fn every_kind_has_a_projection_column_per_field_and_nothing_else() {
        let conn = memory_store();
        for kind in Kind::ALL {
            let mut stmt = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('p_{kind}')"))
                .unwrap();
            let mut cols: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|c| c.unwrap())
                .collect();
            let mut expected: Vec<String> = vec!["id".into()];
            expected.extend(columns(kind).iter().map(|c| c.to_string()));
            expected.push("deleted".into());
            // Columns added by a later migration come last in the table: order is free.
            cols.sort();
            expected.sort();
            assert_eq!(
                cols, expected,
                "p_{kind} does not match the schema: add a migration"
            );
        }
    }
}
