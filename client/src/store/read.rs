//! Reads: ids, lists and search from the projections, the pipeline, counts, and documents
//! loaded for the few reads that need them. Every read returns typed rows.

use super::docs::StoredDoc;
use super::tx::RefState;
use super::{Store, fts, projection};
use crate::error::{ClientError, Result};
use crate::model::{RecordView, SearchHit, StageSummary};
use fieldbook_core::Kind;
use fieldbook_core::schema::{FieldSpec, FieldType, OPEN_STAGES};
use fieldbook_core::value::FieldValue;
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, params_from_iter};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use uuid::Uuid;

/// One checked condition of a list (see [`crate::ListQuery`]).
pub(crate) enum Clause {
    /// `owner`, `created_by` or `updated_by` equals.
    Meta(&'static str, String),
    /// A field (by column name) equals a canonical value.
    Equals(&'static str, FieldValue),
    IsNull(&'static str),
    HasTag(&'static str, String),
    /// The record belongs to this account (or is it).
    Account(String),
}

/// The order of a list.
pub(crate) enum Sort {
    /// `updated_at`, newest first.
    Updated,
    /// A projection column; without a value last.
    Column {
        spec: &'static FieldSpec,
        descending: bool,
    },
}

/// A checked list query, as the store runs it.
pub(crate) struct ListSql {
    pub clauses: Vec<Clause>,
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub include_deleted: bool,
    pub sort: Sort,
    /// The sort value and id of the record the list starts after.
    pub after: Option<(Option<FieldValue>, String)>,
}

fn sql_value(v: &FieldValue) -> Sql {
    match v {
        FieldValue::Bool(b) => Sql::Integer(i64::from(*b)),
        FieldValue::Int(i) => Sql::Integer(*i),
        FieldValue::Float(f) => Sql::Real(*f),
        FieldValue::Text(s) => Sql::Text(s.clone()),
        FieldValue::Tags(_) => Sql::Text(v.to_json().to_string()),
    }
}

impl ListSql {
    /// The `WHERE` conditions (joined by AND) and their parameters; `?N` placeholders.
    fn conditions(&self) -> Result<(Vec<String>, Vec<Sql>)> {
        let mut params: Vec<Sql> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        if !self.include_deleted {
            wheres.push("r.deleted = 0".into());
        }
        for c in &self.clauses {
            match c {
                Clause::Meta(name, v) => {
                    params.push(Sql::Text(v.clone()));
                    wheres.push(format!("r.{name} = ?{}", params.len()));
                }
                Clause::Equals(col, v) => {
                    params.push(sql_value(v));
                    wheres.push(format!("p.{col} = ?{}", params.len()));
                }
                Clause::IsNull(col) => wheres.push(format!("p.{col} IS NULL")),
                Clause::HasTag(col, tag) => {
                    params.push(Sql::Text(tag.clone()));
                    wheres.push(format!(
                        "EXISTS (SELECT 1 FROM json_each(p.{col}) WHERE value = ?{})",
                        params.len()
                    ));
                }
                Clause::Account(id) => {
                    params.push(Sql::Text(id.clone()));
                    wheres.push(format!("r.account_id = ?{}", params.len()));
                }
            }
        }
        if let Some(text) = &self.search {
            match fts::match_query(text) {
                Some(m) => {
                    params.push(Sql::Text(m));
                    wheres.push(format!(
                        "r.rid IN (SELECT rowid FROM search WHERE search MATCH ?{})",
                        params.len()
                    ));
                }
                None => wheres.push("0".into()),
            }
        }
        if let Some((value, id)) = &self.after {
            params.push(Sql::Text(id.clone()));
            let id = params.len();
            let cond = match (&self.sort, value) {
                (Sort::Updated, Some(FieldValue::Text(at))) => {
                    params.push(Sql::Text(at.clone()));
                    let at = params.len();
                    format!("r.updated_at <= ?{at} AND (r.updated_at < ?{at} OR r.id > ?{id})")
                }
                (Sort::Updated, _) => {
                    return Err(ClientError::Core(fieldbook_core::CoreError::InvalidValue {
                        field: "after".into(),
                        value: format!("{value:?}"),
                        expected: "the time of the last record of a page".into(),
                    }));
                }
                (Sort::Column { spec, descending }, Some(v)) => {
                    params.push(sql_value(v));
                    let (col, val) = sort_exprs(spec, &format!("?{}", params.len()));
                    let (wide, strict) = if *descending {
                        ("<=", "<")
                    } else {
                        (">=", ">")
                    };
                    let keyed =
                        format!("{col} {wide} {val} AND ({col} {strict} {val} OR r.id > ?{id})");
                    if spec.required {
                        keyed
                    } else {
                        format!("(({keyed}) OR p.{} IS NULL)", spec.name)
                    }
                }
                (Sort::Column { spec, .. }, None) => {
                    format!("p.{} IS NULL AND r.id > ?{id}", spec.name)
                }
            };
            wheres.push(cond);
        }
        Ok((wheres, params))
    }

    fn order_by(&self) -> String {
        match &self.sort {
            Sort::Updated => "r.updated_at DESC, r.id".into(),
            Sort::Column { spec, descending } => {
                let (col, _) = sort_exprs(spec, "");
                let dir = if *descending { " DESC" } else { "" };
                if spec.required {
                    format!("{col}{dir}, r.id")
                } else {
                    format!("p.{} IS NULL, {col}{dir}, r.id", spec.name)
                }
            }
        }
    }
}

/// The column and a parameter as they are compared when sorting: decimals by value.
fn sort_exprs(spec: &FieldSpec, param: &str) -> (String, String) {
    match spec.ty {
        FieldType::Decimal | FieldType::Percent => (
            format!("CAST(p.{} AS REAL)", spec.name),
            format!("CAST({param} AS REAL)"),
        ),
        _ => (format!("p.{}", spec.name), param.to_string()),
    }
}

impl Store {
    /// Finds a record's full id from a full id or an unambiguous prefix of one (at least
    /// four hex digits).
    pub fn resolve_id(&self, text: &str) -> Result<Uuid> {
        let t = text.trim().to_ascii_lowercase();
        if let Ok(id) = Uuid::parse_str(&t) {
            return Ok(id);
        }
        let hex_ok = t.len() >= 4 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !hex_ok {
            return Err(ClientError::NotFound(text.into()));
        }
        let db = self.db()?;
        let mut stmt =
            db.prepare_cached("SELECT id FROM records WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([&t], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Uuid::parse_str(one).map_err(|_| ClientError::NotFound(text.into())),
            [] => Err(ClientError::NotFound(text.into())),
            _ => Err(ClientError::AmbiguousId(text.into())),
        }
    }

    /// The kind of a record held here.
    pub fn kind_of(&self, id: Uuid) -> Result<Kind> {
        let k: Option<String> = self
            .db()?
            .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        k.and_then(|k| Kind::parse(&k).ok())
            .ok_or_else(|| ClientError::NotFound(id.to_string()))
    }

    /// A record's document.
    pub(crate) fn load_doc(&self, id: Uuid) -> Result<StoredDoc> {
        StoredDoc::load(&*self.db()?, id, &self.settings.actor)?
            .ok_or_else(|| ClientError::NotFound(id.to_string()))
    }

    /// A record's document, if held.
    pub(crate) fn find_doc(&self, id: Uuid) -> Result<Option<StoredDoc>> {
        StoredDoc::load(&*self.db()?, id, &self.settings.actor)
    }

    /// The kind and deletion mark of a record, if held.
    pub(crate) fn ref_state(&self, id: Uuid) -> Result<Option<RefState>> {
        super::tx::ref_state(&*self.db()?, id)
    }

    /// An account's parent account, if it has one.
    pub(crate) fn parent_of(&self, id: Uuid) -> Result<Option<Uuid>> {
        super::tx::parent_of(&*self.db()?, id)
    }

    /// A record's owner (the server's word; empty if unknown).
    pub(crate) fn owner_of(&self, id: Uuid) -> Result<String> {
        Ok(self
            .db()?
            .prepare_cached("SELECT owner FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Records with open conflicts, most recently changed first.
    pub(crate) fn ids_with_conflicts(&self) -> Result<Vec<Uuid>> {
        let db = self.db()?;
        let mut stmt =
            db.prepare("SELECT id FROM records WHERE conflicts > 0 ORDER BY updated_at DESC")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|i| Uuid::parse_str(i).ok()).collect())
    }

    /// The id of every document held, in order.
    pub(crate) fn doc_ids(&self) -> Result<Vec<Uuid>> {
        let db = self.db()?;
        let mut stmt = db.prepare("SELECT id FROM docs ORDER BY id")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|i| {
                Uuid::parse_str(i)
                    .map_err(|_| ClientError::DamagedStore(format!("a document has the id `{i}`")))
            })
            .collect()
    }

    /// Calls `f` with the id and stored bytes of every document, in id order (one read).
    pub(crate) fn for_each_doc(&self, mut f: impl FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        let db = self.db()?;
        let mut stmt = db.prepare("SELECT id, data FROM docs ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            f(
                id,
                row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?,
            )?;
        }
        Ok(())
    }

    /// Whether a document is stored (for tests and tools).
    pub fn has_document(&self, id: Uuid) -> Result<bool> {
        Ok(self
            .db()?
            .prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?
            .exists([id.to_string()])?)
    }

    /// Records of a kind matching a checked list query, in its order.
    pub(crate) fn list_rows(&self, kind: Kind, q: &ListSql) -> Result<Vec<RecordView>> {
        let mut sql = projection::select_sql(kind);
        let (wheres, params) = q.conditions()?;
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        sql.push_str(" ORDER BY ");
        sql.push_str(&q.order_by());
        if let Some(limit) = q.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let db = self.db()?;
        let mut stmt = db.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |row| {
            projection::row_view(kind, row)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many records of a kind match a checked list query.
    pub(crate) fn count_rows(&self, kind: Kind, q: &ListSql) -> Result<u64> {
        let mut sql = format!("SELECT count(*) FROM records r JOIN p_{kind} p ON p.id = r.id");
        let (wheres, params) = q.conditions()?;
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        let n: i64 = self
            .db()?
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Records of every kind matching `text`, best match first (titles weigh ten times the
    /// rest); deleted records are not searched.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(m) = fts::match_query(text) else {
            return Ok(Vec::new());
        };
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT r.id, r.kind, r.title, r.account_id FROM search s JOIN records r ON r.rid = s.rowid
             WHERE search MATCH ?1 ORDER BY bm25(search, 10.0, 1.0), r.updated_at DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![m, limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (id, kind, title, account) = row?;
            let (Ok(id), Ok(kind)) = (Uuid::parse_str(&id), Kind::parse(&kind)) else {
                continue;
            };
            hits.push(SearchHit {
                id,
                kind,
                title,
                account_id: account.and_then(|a| Uuid::parse_str(&a).ok()),
            });
        }
        Ok(hits)
    }

    /// Open opportunities by stage: count, amount and weighted amount per currency.
    pub fn pipeline(&self) -> Result<Vec<StageSummary>> {
        self.stage_sums(OPEN_STAGES)
    }

    /// Every stage of the board, closed ones too (`schema::STAGES`), summed like
    /// [`Store::pipeline`]: a won deal weighs its whole amount, a lost one nothing.
    pub fn pipeline_board(&self) -> Result<Vec<StageSummary>> {
        self.stage_sums(fieldbook_core::schema::STAGES)
    }

    fn stage_sums(&self, wanted: &[&str]) -> Result<Vec<StageSummary>> {
        let mut stages: Vec<StageSummary> = wanted
            .iter()
            .map(|s| StageSummary {
                stage: s.to_string(),
                count: 0,
                amount: BTreeMap::new(),
                weighted: BTreeMap::new(),
            })
            .collect();
        let mut sums: Vec<BTreeMap<String, (Decimal, Decimal)>> =
            vec![BTreeMap::new(); stages.len()];
        let db = self.db()?;
        let marks = vec!["?"; wanted.len()].join(", ");
        let mut stmt = db.prepare_cached(&format!(
            "SELECT stage, amount, currency, probability FROM p_opportunity
             WHERE deleted = 0 AND stage IN ({marks})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(wanted))?;
        while let Some(row) = rows.next()? {
            let stage: String = row.get(0)?;
            let Some(i) = wanted.iter().position(|s| *s == stage) else {
                continue;
            };
            stages[i].count += 1;
            let amount = row
                .get::<_, Option<String>>(1)?
                .and_then(|a| Decimal::from_str(&a).ok());
            let (Some(amount), Some(currency)) = (amount, row.get::<_, Option<String>>(2)?) else {
                continue;
            };
            let p = Decimal::from(row.get::<_, Option<i64>>(3)?.unwrap_or(0));
            let e = sums[i].entry(currency).or_default();
            e.0 += amount;
            e.1 += amount * p / Decimal::ONE_HUNDRED;
        }
        for (stage, sum) in stages.iter_mut().zip(sums) {
            for (cur, (a, w)) in sum {
                stage.amount.insert(
                    cur.clone(),
                    fieldbook_core::money::round_money(a, &cur).to_string(),
                );
                stage.weighted.insert(
                    cur.clone(),
                    fieldbook_core::money::round_money(w, &cur).to_string(),
                );
            }
        }
        Ok(stages)
    }

    /// How many live records of each kind the store holds.
    pub fn counts(&self) -> Result<BTreeMap<Kind, u64>> {
        let db = self.db()?;
        let mut stmt =
            db.prepare("SELECT kind, count(*) FROM records WHERE deleted = 0 GROUP BY kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (kind, n) = row?;
            if let Ok(kind) = Kind::parse(&kind) {
                out.insert(kind, n as u64);
            }
        }
        Ok(out)
    }
}
