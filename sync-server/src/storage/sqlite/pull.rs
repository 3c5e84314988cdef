//! Pulls in SQL: the bootstrap (snapshots of every visible record in id order) and
//! ordinary pulls (log entries after the cursor). Candidates are found through indexes per
//! visible owner, so a rep never scans other people's entries; what to send for each is
//! decided by the backend-independent `pull` module, which this one never second-guesses.

use super::{parse_kind, parse_uuid, scope_of};
use crate::access::Scope;
use crate::error::{Result, ServerError};
use crate::pull::{self, Decision, Event, LogEntry, Page};
use crate::storage::Session;
use fieldbook_core::protocol::{PullItem, PullRequest, PullResponse};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeSet;
use uuid::Uuid;

pub(super) fn pull(
    conn: &Connection,
    session: &Session,
    req: &PullRequest,
) -> Result<PullResponse> {
    let scope = scope_of(conn, &session.user, session.role)?;
    let max: u64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM log", [], |r| {
        r.get::<_, i64>(0)
    })? as u64;
    let limit = pull::page_limit(req.limit);
    match (req.cursor, req.snapshot_after) {
        // A new bootstrap: changes after this position arrive by ordinary pulls later.
        (0, None) => bootstrap(conn, &scope, None, max, max, limit),
        (base, Some(after)) => bootstrap(conn, &scope, Some(after), base, max, limit),
        (cursor, None) if cursor > max => Err(ServerError::Conflict(format!(
            "this device's cursor ({cursor}) is ahead of the server's log ({max}): the server's data was restored from an older copy; sign in again to start over"
        ))),
        (cursor, None) => ordinary(conn, session, &scope, cursor, max, limit),
    }
}

/// The ids of up to `n` visible records after `after`, in id order.
fn visible_ids(conn: &Connection, scope: &Scope, after: &str, n: usize) -> Result<Vec<String>> {
    let Some(owners) = scope.owners() else {
        let mut stmt =
            conn.prepare_cached("SELECT id FROM docs WHERE id > ?1 ORDER BY id LIMIT ?2")?;
        let rows = stmt.query_map(params![after, n as i64], |r| r.get(0))?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    };
    // One index range per owner (and one for products), merged.
    let mut ids = BTreeSet::new();
    let mut by_owner = conn
        .prepare_cached("SELECT id FROM docs WHERE owner = ?1 AND id > ?2 ORDER BY id LIMIT ?3")?;
    for owner in owners {
        for id in by_owner.query_map(params![owner, after, n as i64], |r| r.get::<_, String>(0))? {
            ids.insert(id?);
        }
    }
    let mut products = conn.prepare_cached(
        "SELECT id FROM docs WHERE owner IS NULL AND id > ?1 ORDER BY id LIMIT ?2",
    )?;
    for id in products.query_map(params![after, n as i64], |r| r.get::<_, String>(0))? {
        ids.insert(id?);
    }
    Ok(ids.into_iter().take(n).collect())
}

fn snapshot_of(conn: &Connection, id: &str) -> Result<Option<PullItem>> {
    let row = conn
        .prepare_cached("SELECT kind, owner, data, record, conflicts FROM docs WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
            ))
        })
        .optional()?;
    row.map(|(kind, owner, data, record, conflicts)| {
        pull::snapshot(
            parse_uuid(id)?,
            parse_kind(&kind)?,
            owner.as_deref(),
            data,
            &record,
            conflicts,
        )
    })
    .transpose()
}

/// A page of the bootstrap, which began when the log was at `base`.
fn bootstrap(
    conn: &Connection,
    scope: &Scope,
    after: Option<Uuid>,
    base: u64,
    max: u64,
    limit: usize,
) -> Result<PullResponse> {
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    let ids = visible_ids(conn, scope, &after, limit + 1)?;
    let mut page = Page::default();
    let mut last = None;
    for id in &ids {
        if page.full(limit) {
            break;
        }
        if let Some(item) = snapshot_of(conn, id)? {
            page.push(item);
        }
        last = Some(id.as_str());
    }
    let sent_all = last.is_none_or(|l| Some(l) == ids.last().map(String::as_str));
    let snapshot_after = if sent_all {
        None
    } else {
        last.map(parse_uuid).transpose()?
    };
    Ok(PullResponse {
        items: page.items,
        cursor: base,
        more: snapshot_after.is_some() || max > base,
        snapshot_after,
    })
}

/// The positions after `cursor` (up to `max`) that may concern a user with `scope`, in
/// order, at most `limit`; and whether that is all of them.
fn candidates(
    conn: &Connection,
    user: &str,
    scope: &Scope,
    cursor: u64,
    max: u64,
    limit: usize,
) -> Result<Vec<i64>> {
    let range = |stmt: &mut rusqlite::CachedStatement<'_>,
                 key: Option<&str>,
                 out: &mut BTreeSet<i64>|
     -> Result<()> {
        let rows = stmt.query_map(params![key, cursor as i64, max as i64, limit as i64], |r| {
            r.get::<_, i64>(0)
        })?;
        for seq in rows {
            out.insert(seq?);
        }
        Ok(())
    };
    let mut seqs = BTreeSet::new();
    match scope.owners() {
        None => {
            let mut all = conn.prepare_cached(
                "SELECT seq FROM log WHERE seq > ?2 AND seq <= ?3 AND (grantee IS NULL OR grantee = ?1)
                 ORDER BY seq LIMIT ?4",
            )?;
            range(&mut all, Some(user), &mut seqs)?;
        }
        Some(owners) => {
            let mut by_owner = conn.prepare_cached(
                "SELECT seq FROM log WHERE grantee IS NULL AND owner = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
            )?;
            let mut by_old_owner = conn.prepare_cached(
                "SELECT seq FROM log WHERE old_owner = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
            )?;
            for owner in owners {
                range(&mut by_owner, Some(owner), &mut seqs)?;
                range(&mut by_old_owner, Some(owner), &mut seqs)?;
            }
            let mut products = conn.prepare_cached(
                "SELECT seq FROM log WHERE grantee IS NULL AND owner IS NULL AND ?1 IS NULL
                 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4",
            )?;
            range(&mut products, None, &mut seqs)?;
            let mut grants = conn.prepare_cached(
                "SELECT seq FROM log WHERE grantee = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
            )?;
            range(&mut grants, Some(user), &mut seqs)?;
        }
    }
    Ok(seqs.into_iter().take(limit).collect())
}

/// The entry at `seq`, as `device` pulls it.
fn entry(conn: &Connection, seq: i64, device: &str) -> Result<Option<LogEntry>> {
    let row = conn
        .prepare_cached(
            "SELECT l.doc_id, l.event, l.bytes, l.owner, l.old_owner, d.kind, d.owner,
                    l.device_id IS NOT NULL AND l.device_id = ?2
             FROM log l JOIN docs d ON d.id = l.doc_id WHERE l.seq = ?1",
        )?
        .query_row(params![seq, device], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Vec<u8>>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })
        .optional()?;
    let Some((doc, event, bytes, owner, old_owner, kind, owner_now, own)) = row else {
        return Ok(None);
    };
    let event = match event.as_str() {
        "change" => Event::Change {
            bytes: bytes.unwrap_or_default(),
            owner_then: owner,
        },
        "owner" => Event::Owner {
            old: old_owner,
            new: owner,
        },
        "grant" => Event::Grant,
        "revoke" => Event::Revoke,
        other => return Err(ServerError::Damaged(format!("log event `{other}`"))),
    };
    Ok(Some(LogEntry {
        seq: seq as u64,
        doc_id: parse_uuid(&doc)?,
        kind: parse_kind(&kind)?,
        owner_now,
        own,
        event,
    }))
}

/// An ordinary pull: what happened after `cursor` that the user may see.
fn ordinary(
    conn: &Connection,
    session: &Session,
    scope: &Scope,
    cursor: u64,
    max: u64,
    limit: usize,
) -> Result<PullResponse> {
    let user = session.user.as_str();
    let seqs = candidates(conn, user, scope, cursor, max, limit)?;
    // Whether any record is granted to this user later on (then its changes before the
    // grant are not sent: the snapshot brings them).
    let any_grants: bool = conn
        .prepare_cached("SELECT 1 FROM log WHERE grantee = ?1 AND seq > ?2 AND seq <= ?3 LIMIT 1")?
        .exists(params![user, cursor as i64, max as i64])?;
    let mut granted_later = conn.prepare_cached(
        "SELECT 1 FROM log WHERE grantee = ?1 AND doc_id = ?2 AND seq > ?3 AND seq <= ?4
         AND event = 'grant' LIMIT 1",
    )?;
    let mut page = Page::default();
    let mut reached = if seqs.len() < limit {
        max
    } else {
        seqs.last().map_or(max, |s| *s as u64)
    };
    let device = session.device_id.to_string();
    for (i, &seq) in seqs.iter().enumerate() {
        let Some(e) = entry(conn, seq, &device)? else {
            continue;
        };
        let later = any_grants
            && matches!(e.event, Event::Change { .. })
            && granted_later.exists(params![user, e.doc_id.to_string(), seq, max as i64])?;
        match pull::decide(scope, &e, later) {
            Decision::Skip => {}
            Decision::Changes => {
                if let Event::Change { bytes, .. } = e.event {
                    page.push_change(e.doc_id, e.kind, e.owner_now.as_deref(), bytes);
                }
            }
            Decision::Snapshot => {
                if let Some(item) = snapshot_of(conn, &e.doc_id.to_string())? {
                    page.push(item);
                }
            }
            Decision::Drop => page.push(PullItem::Drop { doc_id: e.doc_id }),
            Decision::Owner(owner) => page.push(PullItem::Owner {
                doc_id: e.doc_id,
                owner,
            }),
        }
        if page.full(limit) && i + 1 < seqs.len() {
            reached = seq as u64;
            break;
        }
    }
    Ok(PullResponse {
        items: page.items,
        cursor: reached,
        snapshot_after: None,
        more: reached < max,
    })
}
