//! Reading records: one record with its conflicts, lists with filters, search across kinds,
//! history, open conflicts, and the pipeline by stage. Lists and search read projections
//! only; a document is loaded just for `show`, `history` and `conflicts`.

use crate::error::{ClientError, Result};
use crate::store::{Store, StoredDoc, fts, projection};
use fieldbook_core::doc::{Conflict, HistoryEntry};
use fieldbook_core::schema::{self, FieldType, OPEN_STAGES};
use fieldbook_core::value;
use fieldbook_core::{CoreError, Kind};
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, params_from_iter};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::str::FromStr;
use time::OffsetDateTime;
use uuid::Uuid;

/// What `list` is asked for.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// `field=value` equality filters (values written as for `set`).
    pub filters: Vec<String>,
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub include_deleted: bool,
}

/// One search result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub account_id: Option<String>,
}

/// A record's conflicts, for `conflicts` without an id.
#[derive(Clone, Debug, Serialize)]
pub struct RecordConflicts {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub conflicts: Vec<Conflict>,
}

/// One stage of the pipeline.
#[derive(Clone, Debug, Serialize)]
pub struct StageSummary {
    pub stage: String,
    pub count: u64,
    /// Sum of amounts, per currency (decimal strings).
    pub amount: BTreeMap<String, String>,
    /// Sum of amount × probability, per currency.
    pub weighted: BTreeMap<String, String>,
}

const META_FILTERS: &[&str] = &["owner", "created_by", "updated_by"];

impl Store {
    /// The kind of an existing record.
    pub fn kind_of(&self, id: Uuid) -> Result<Kind> {
        let k: Option<String> = self
            .conn
            .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        k.and_then(|k| Kind::parse(&k).ok())
            .ok_or_else(|| ClientError::NotFound(id.to_string()))
    }

    fn doc(&self, id: Uuid) -> Result<StoredDoc> {
        StoredDoc::load(&self.conn, id, &self.settings.actor)?
            .ok_or_else(|| ClientError::NotFound(id.to_string()))
    }

    fn owner(&self, id: Uuid) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT owner FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Every field, computed values, metadata and open conflicts of one record.
    pub fn show(&self, id: Uuid) -> Result<Map<String, Json>> {
        let mut stored = self.doc(id)?;
        let mut m = stored.doc.read().to_json(&self.owner(id)?);
        let conflicts = stored.doc.conflicts()?;
        m.insert(
            "conflicts".into(),
            serde_json::to_value(conflicts).unwrap_or(Json::Null),
        );
        Ok(m)
    }

    /// Every field change of a record, oldest first.
    pub fn history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        Ok(self.doc(id)?.doc.history()?)
    }

    /// Open conflicts of one record, or of every record that has some.
    pub fn conflicts(&self, id: Option<Uuid>) -> Result<Vec<RecordConflicts>> {
        let ids: Vec<String> = match id {
            Some(id) => {
                self.kind_of(id)?;
                vec![id.to_string()]
            }
            None => self
                .conn
                .prepare("SELECT id FROM records WHERE conflicts > 0 ORDER BY updated_at DESC")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        let mut out = Vec::new();
        for id in ids {
            let uuid = Uuid::parse_str(&id).map_err(|_| ClientError::NotFound(id.clone()))?;
            let mut stored = self.doc(uuid)?;
            let conflicts = stored.doc.conflicts()?;
            if conflicts.is_empty() {
                continue;
            }
            let r = stored.doc.read();
            out.push(RecordConflicts {
                id,
                kind: r.kind.to_string(),
                title: r.title(),
                conflicts,
            });
        }
        Ok(out)
    }

    /// Records of a kind, most recently changed first.
    pub fn list(&self, kind: Kind, q: &ListQuery) -> Result<Vec<Map<String, Json>>> {
        let now = OffsetDateTime::now_utc();
        let mut sql = projection::select_sql(kind);
        let mut params: Vec<Sql> = Vec::new();
        let mut clauses: Vec<String> = Vec::new();
        if !q.include_deleted {
            clauses.push("r.deleted = 0".into());
        }
        for f in &q.filters {
            let (name, raw) = value::parse_assignment(f)?;
            if META_FILTERS.contains(&name) {
                params.push(Sql::Text(raw.trim().to_string()));
                clauses.push(format!("r.{name} = ?{}", params.len()));
                continue;
            }
            let spec = schema::field(kind, name).ok_or_else(|| CoreError::UnknownField {
                kind: kind.a().into(),
                field: name.into(),
                known: format!(
                    "{}, owner, created_by, updated_by",
                    fieldbook_core::doc::field_names(kind)
                ),
            })?;
            if matches!(
                spec.ty,
                FieldType::Notes | FieldType::Lines | FieldType::Tags
            ) {
                if spec.ty == FieldType::Tags {
                    params.push(Sql::Text(raw.trim().to_string()));
                    clauses.push(format!(
                        "EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value = ?{})",
                        params.len()
                    ));
                    continue;
                }
                return Err(ClientError::Invalid(format!(
                    "`{name}` cannot be filtered on: use --search TEXT"
                )));
            }
            match value::parse(spec, raw, now)? {
                None => clauses.push(format!("p.{} IS NULL", spec.name)),
                Some(v) => {
                    let sql_v = match v.to_json() {
                        Json::Bool(b) => Sql::Integer(i64::from(b)),
                        Json::Number(n) => n
                            .as_i64()
                            .map_or(Sql::Real(n.as_f64().unwrap_or(0.0)), Sql::Integer),
                        Json::String(s) => Sql::Text(s),
                        other => Sql::Text(other.to_string()),
                    };
                    params.push(sql_v);
                    clauses.push(format!("p.{} = ?{}", spec.name, params.len()));
                }
            }
        }
        if let Some(text) = &q.search {
            match fts::match_query(text) {
                Some(m) => {
                    params.push(Sql::Text(m));
                    clauses.push(format!(
                        "r.rid IN (SELECT rowid FROM search WHERE search MATCH ?{})",
                        params.len()
                    ));
                }
                None => clauses.push("0".into()),
            }
        }
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY r.updated_at DESC, r.id");
        if let Some(limit) = q.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |row| {
            projection::row_json(kind, row)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records of every kind matching `text`, best match first (titles weigh ten times the
    /// rest); deleted records are not searched.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(m) = fts::match_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.kind, r.title, r.account_id FROM search s JOIN records r ON r.rid = s.rowid
             WHERE search MATCH ?1 ORDER BY bm25(search, 10.0, 1.0), r.updated_at DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![m, limit as i64], |r| {
            Ok(Hit {
                id: r.get(0)?,
                kind: r.get(1)?,
                title: r.get(2)?,
                account_id: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open opportunities by stage: count, amount and weighted amount per currency.
    pub fn pipeline(&self) -> Result<Vec<StageSummary>> {
        let mut stages: Vec<StageSummary> = OPEN_STAGES
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
        let mut stmt = self.conn.prepare_cached(
            "SELECT stage, amount, currency, probability FROM p_opportunity
             WHERE deleted = 0 AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let stage: String = row.get(0)?;
            let Some(i) = OPEN_STAGES.iter().position(|s| *s == stage) else {
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
    pub fn counts(&self) -> Result<BTreeMap<String, u64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM records WHERE deleted = 0 GROUP BY kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
