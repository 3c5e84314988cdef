//! Reads: ids, lists and search from the projections, the pipeline, counts, and documents
//! loaded for the few reads that need them. Every read returns typed rows.

use super::docs::StoredDoc;
use super::tx::RefState;
use super::{Store, fts, projection};
use crate::error::{ClientError, Result};
use crate::model::{RecordView, StageSummary};
use fieldbook_core::Kind;
use fieldbook_core::schema::{FieldSpec, FieldType, OPEN_STAGES};
use fieldbook_core::value::FieldValue;
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{OptionalExtension, params_from_iter};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use uuid::Uuid;

/// How many records of a kind a list sorted by time of change reads in order before it
/// runs as a query over the kind instead (see `Store::list_rows`).
const WALK: usize = 2_000;

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
    /// The cursor's condition, if any, comes last.
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

/// A text value read in place.
fn text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
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
    ///
    /// A page of the most recently changed first (what lists show) is looked for among
    /// the first [`WALK`] records of the kind in that order (an index walk, whatever the
    /// filters): when that finds the page whole, it is the answer (every later match comes
    /// after them). Otherwise (a rare value, a deep page), the query runs over the kind,
    /// where an index on the filtered column serves it.
    pub(crate) fn list_rows(&self, kind: Kind, q: &ListSql) -> Result<Vec<RecordView>> {
        if let (Sort::Updated, Some(limit), false) = (&q.sort, q.limit, q.include_deleted) {
            let found = self.list_walk(kind, q, limit)?;
            if found.len() == limit {
                return Ok(found);
            }
        }
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

    /// The matches of a query sorted by [`Sort::Updated`] among the first [`WALK`] live
    /// records of the kind from its cursor on (`records_kind_updated` read in order).
    fn list_walk(&self, kind: Kind, q: &ListSql, limit: usize) -> Result<Vec<RecordView>> {
        let (mut wheres, params) = q.conditions()?;
        // The cursor's condition (pushed last) bounds the walk itself.
        let after = match q.after {
            Some(_) => wheres.pop(),
            None => None,
        };
        let walk = format!(
            "(SELECT * FROM records r WHERE r.kind = '{kind}' AND r.deleted = 0 {}
              ORDER BY r.updated_at DESC, r.id LIMIT {WALK}) r",
            after.map(|a| format!("AND {a}")).unwrap_or_default()
        );
        let mut sql = projection::select_sql(kind).replacen("records r", &walk, 1);
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        sql.push_str(&format!(" ORDER BY r.updated_at DESC, r.id LIMIT {limit}"));
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
        // Sums of amounts per stage, currency and probability: the weighted sum is worked
        // out once per probability (exact decimals: Σ(a·p/100) = (Σa)·p/100), and rows come
        // in the covering index's order (stage, currency), so the last group is usually
        // the row's and nothing is allocated per row.
        struct Group {
            stage: usize,
            currency: String,
            by_probability: Vec<(i64, Decimal)>,
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut last: Option<usize> = None;
        let db = self.db()?;
        let marks = vec!["?"; wanted.len()].join(", ");
        let mut stmt = db.prepare_cached(&format!(
            "SELECT stage, amount, currency, probability FROM p_opportunity
             WHERE deleted = 0 AND stage IN ({marks})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(wanted))?;
        while let Some(row) = rows.next()? {
            let Some(i) = text(row.get_ref(0)?).and_then(|s| wanted.iter().position(|w| *w == s))
            else {
                continue;
            };
            stages[i].count += 1;
            let amount = text(row.get_ref(1)?).and_then(|a| Decimal::from_str(a).ok());
            let (Some(amount), Some(currency)) = (amount, text(row.get_ref(2)?)) else {
                continue;
            };
            let p = row.get::<_, Option<i64>>(3)?.unwrap_or(0);
            let is = |g: &Group| g.stage == i && g.currency == currency;
            let g = match last.filter(|&g| is(&groups[g])) {
                Some(g) => g,
                None => {
                    let g = groups.iter().position(is).unwrap_or_else(|| {
                        groups.push(Group {
                            stage: i,
                            currency: currency.to_string(),
                            by_probability: Vec::new(),
                        });
                        groups.len() - 1
                    });
                    last = Some(g);
                    g
                }
            };
            let sums = &mut groups[g].by_probability;
            match sums.iter_mut().find(|(q, _)| *q == p) {
                Some((_, sum)) => *sum += amount,
                None => sums.push((p, amount)),
            }
        }
        for g in groups {
            let (mut a, mut w) = (Decimal::ZERO, Decimal::ZERO);
            for (p, sum) in g.by_probability {
                a += sum;
                w += sum * Decimal::from(p) / Decimal::ONE_HUNDRED;
            }
            let cur = g.currency;
            let stage = &mut stages[g.stage];
            stage.weighted.insert(
                cur.clone(),
                fieldbook_core::money::round_money(w, &cur).to_string(),
            );
            stage.amount.insert(
                cur.clone(),
                fieldbook_core::money::round_money(a, &cur).to_string(),
            );
        }
        Ok(stages)
    }

    /// How many live records of each kind the store holds (kinds with none are left out):
    /// tallies kept by every write, not a count of a million rows.
    pub fn counts(&self) -> Result<BTreeMap<Kind, u64>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT substr(name, 6), n FROM tallies WHERE name LIKE 'live:%' AND n > 0",
        )?;
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
