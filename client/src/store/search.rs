//! Search across every kind: the FTS5 index (`search`, rowid = `records.rid`), best match
//! first (`bm25`, titles weighing ten times the rest; then the most recently changed).
//!
//! Ranking reads every match, which a million-record book makes costly for its commonest
//! words (`有限公司` matches ~59,000 records: 70 ms of bm25 alone). So a query matching more
//! than [`RANK_ALL_UP_TO`] records ranks a window of them instead, found in the index's
//! own rowid order (newest stored first, read lazily, so the cost is the window's): the
//! newest [`RANK_ALL_UP_TO`] title matches first, then, if titles gave fewer than asked,
//! the newest [`RANK_ALL_UP_TO`] matches of any column. Deleted records have no search row.

use super::{Store, fts};
use crate::error::Result;
use crate::model::SearchHit;
use fieldbook_core::Kind;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Up to this many matches are all ranked; a query matching more ranks windows this large.
pub(crate) const RANK_ALL_UP_TO: usize = 2_000;

/// Hits of an FTS5 `MATCH` among rowids from `from` on, best first.
fn ranked(conn: &Connection, m: &str, from: i64, limit: usize) -> Result<Vec<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.kind, r.title, r.account_id FROM search s JOIN records r ON r.rid = s.rowid
         WHERE search MATCH ?1 AND s.rowid >= ?2
         ORDER BY bm25(search, 10.0, 1.0), r.updated_at DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![m, from, limit as i64], |r| {
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

/// The rowid of the `n`th newest match, if there are that many (read in rowid order,
/// stopping there).
fn nth_newest(conn: &Connection, m: &str, n: usize) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
        )?
        .query_row(params![m, n as i64 - 1], |r| r.get(0))
        .optional()?)
}

/// Hits among the newest [`RANK_ALL_UP_TO`] matches of `m` (all of them if fewer).
fn ranked_window(conn: &Connection, m: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let from = nth_newest(conn, m, RANK_ALL_UP_TO)?.unwrap_or(i64::MIN);
    ranked(conn, m, from, limit)
}

impl Store {
    /// Records of every kind matching `text`, best match first (titles weigh ten times the
    /// rest); deleted records are not searched. A query matching more than
    /// [`RANK_ALL_UP_TO`] records ranks the newest of them (see the module's doc).
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(m) = fts::match_query(text) else {
            return Ok(Vec::new());
        };
        let db = self.db()?;
        if nth_newest(&db, &m, RANK_ALL_UP_TO + 1)?.is_none() {
            return ranked(&db, &m, i64::MIN, limit);
        }
        let mut hits = ranked_window(&db, &format!("{{title}} : ({m})"), limit)?;
        if hits.len() < limit {
            let more = ranked_window(&db, &m, limit)?;
            let seen: std::collections::HashSet<Uuid> = hits.iter().map(|h| h.id).collect();
            hits.extend(more.into_iter().filter(|h| !seen.contains(&h.id)));
            hits.truncate(limit);
        }
        Ok(hits)
    }
}
