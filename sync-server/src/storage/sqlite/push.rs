//! Pushes and handovers in SQL: feeding stored documents to the push engine and writing
//! its outcome (log entries, documents with their projections, quarantine rows, the
//! device's last sync); and listing the quarantine. Knows nothing of Automerge or the
//! access rules: the `push` engine applies them.
//!
//! A push is prepared on a read snapshot, off the writer (the costly part: loading,
//! applying and checking documents runs on as many cores as there are requests), noting
//! every stored row it looked at. The writer then checks, in its transaction, that none of
//! those rows and no scope changed, and writes the outcome; if anything moved, if one of
//! its changes arrived meanwhile (the log's unique hash says so), or if something was
//! refused, the push is done again on the writer, exactly as a serial server would.

use super::{admin_scope, now, parse_kind, parse_uuid, scope_of, sessions};
use crate::access::{Principal, Requester, Writer};
use crate::error::{Result, ServerError};
use crate::ownership::Placement;
use crate::push::{PushBatch, PushOutcome, PushSource, StoredDoc};
use crate::storage::Session;
use fieldbook_core::protocol::{ChangeEnvelope, PushRequest, PushResponse, QuarantineEntry};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A stored record as a push saw it: where it belongs and its last change in the log.
type Seen = Option<(Placement, i64)>;

/// Stored documents, read in the push's transaction; remembers every record it read.
struct TxSource<'c> {
    conn: &'c Connection,
    seen: HashMap<Uuid, Seen>,
    /// Records of the page that another part of a split push works on.
    foreign: Option<&'c HashSet<Uuid>>,
    /// Whether this part looked at one of them (then the split is given up).
    crossed: bool,
}

impl<'c> TxSource<'c> {
    fn new(conn: &'c Connection) -> Self {
        TxSource {
            conn,
            seen: HashMap::new(),
            foreign: None,
            crossed: false,
        }
    }

    fn look(&mut self, id: Uuid) {
        if self.foreign.is_some_and(|f| f.contains(&id)) {
            self.crossed = true;
        }
    }
}

fn placement_row(
    kind: String,
    owner: Option<String>,
    account: Option<String>,
) -> Result<Placement> {
    Ok(Placement {
        kind: parse_kind(&kind)?,
        owner,
        account_id: account.as_deref().map(parse_uuid).transpose()?,
    })
}

/// Where a record belongs and its last change, now.
fn seen_now(conn: &Connection, id: Uuid) -> Result<Seen> {
    let row = conn
        .prepare_cached("SELECT kind, owner, account_id, updated_seq FROM docs WHERE id = ?1")?
        .query_row([id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)?))
        })
        .optional()?;
    row.map(|(kind, owner, account, seq)| Ok((placement_row(kind, owner, account)?, seq)))
        .transpose()
}

fn is_known(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM log WHERE hash = ?1")?
        .exists([hash])?)
}

fn scope_generation(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'scope_generation'")?
        .query_row([], |r| r.get(0))?)
}

/// Marks a change of who sees what (users, teams, owners): pushes prepared before it are
/// redone on the writer.
pub(super) fn bump_scope_generation(conn: &Connection) -> Result<()> {
    conn.prepare_cached("UPDATE meta SET value = value + 1 WHERE key = 'scope_generation'")?
        .execute([])?;
    Ok(())
}

impl PushSource for TxSource<'_> {
    fn is_known_change(&mut self, hash: &str) -> Result<bool> {
        is_known(self.conn, hash)
    }

    fn load_doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>> {
        self.look(id);
        let row = self
            .conn
            .prepare_cached(
                "SELECT kind, owner, account_id, data, updated_seq FROM docs WHERE id = ?1",
            )?
            .query_row([id.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .optional()?;
        let Some((kind, owner, account, data, seq)) = row else {
            self.seen.insert(id, None);
            return Ok(None);
        };
        let placement = placement_row(kind, owner, account)?;
        self.seen.insert(id, Some((placement.clone(), seq)));
        Ok(Some(StoredDoc { placement, data }))
    }

    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>> {
        self.look(id);
        let seen = seen_now(self.conn, id)?;
        let placement = seen.as_ref().map(|(p, _)| p.clone());
        self.seen.insert(id, seen);
        Ok(placement)
    }
}

/// Who holds a deactivated user's records now: their successor, or, if the successor left
/// too, the successor's successor, and so on.
fn final_successor(conn: &Connection, session: &Session) -> Result<String> {
    let mut name = session.successor.clone().ok_or_else(|| {
        ServerError::Damaged(format!(
            "{} is deactivated without a successor",
            session.user
        ))
    })?;
    for _ in 0..64 {
        let next: Option<(bool, Option<String>)> = conn
            .prepare_cached("SELECT active, successor FROM users WHERE name = ?1")?
            .query_row([&name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match next {
            Some((false, Some(s))) => name = s,
            _ => return Ok(name),
        }
    }
    Err(ServerError::Damaged(format!(
        "the successors of {} go round in a circle",
        session.user
    )))
}

fn writer_of(conn: &Connection, session: &Session, handover: bool) -> Result<Writer> {
    if handover {
        if !session.deactivated {
            return Err(ServerError::Forbidden(format!(
                "{} is active: push with /v1/push; /v1/handover is for a deactivated user's device",
                session.user
            )));
        }
        let successor = final_successor(conn, session)?;
        Ok(Writer::Handover {
            departed: session.user.clone(),
            successor,
        })
    } else {
        Ok(Writer::User(Principal {
            user: session.user.clone(),
            role: session.role,
            scope: scope_of(conn, &session.user, session.role)?,
        }))
    }
}

/// A push worked out on a read snapshot, to be written by [`commit_prepared`].
pub(super) struct Prepared {
    outcome: PushOutcome,
    /// Every stored record the push looked at, as it was.
    seen: HashMap<Uuid, Seen>,
    generation: i64,
}

/// Works out changes of a push on `conn`'s snapshot without writing anything: the whole
/// page, or one part of a page split by record (`foreign`: the records of the other
/// parts). `None` when it refused something, or a part looked at a record of another part:
/// those cases are decided on the writer, with everything in view.
pub(super) fn prepare<'e>(
    conn: &Connection,
    session: &Session,
    changes: impl IntoIterator<Item = &'e ChangeEnvelope>,
    foreign: Option<&HashSet<Uuid>>,
) -> Result<Option<Prepared>> {
    let generation = scope_generation(conn)?;
    let writer = writer_of(conn, session, false)?;
    let mut batch = PushBatch::new(&writer);
    let mut src = TxSource::new(conn);
    src.foreign = foreign;
    for env in changes {
        batch.offer(&mut src, env.clone())?;
        if src.crossed {
            return Ok(None);
        }
    }
    let outcome = batch.finish()?;
    if !outcome.refused.is_empty() {
        return Ok(None);
    }
    Ok(Some(Prepared {
        outcome,
        seen: src.seen,
        generation,
    }))
}

/// Puts the parts of a split push back together, in the order the changes were sent
/// (`positions[k][i]`: where the `i`-th change offered to part `k` was in the page).
/// `None` if the parts saw different states of the same records.
pub(super) fn merge_parts(parts: Vec<Prepared>, positions: &[Vec<usize>]) -> Option<Prepared> {
    let mut merged = Prepared {
        outcome: PushOutcome::default(),
        seen: HashMap::new(),
        generation: parts.first()?.generation,
    };
    for (part, at) in parts.into_iter().zip(positions) {
        if part.generation != merged.generation {
            return None;
        }
        for (id, seen) in part.seen {
            if merged.seen.get(&id).is_some_and(|s| *s != seen) {
                return None;
            }
            merged.seen.insert(id, seen);
        }
        let out = part.outcome;
        merged.outcome.duplicates += out.duplicates;
        merged
            .outcome
            .accepted
            .extend(out.accepted.into_iter().map(|mut a| {
                a.position = at[a.position];
                a
            }));
        merged.outcome.docs.extend(out.docs);
    }
    merged.outcome.accepted.sort_by_key(|a| a.position);
    Some(merged)
}

/// Whether a prepared push is still what the writer would do now.
fn still_valid(conn: &Connection, p: &Prepared) -> Result<bool> {
    if scope_generation(conn)? != p.generation {
        return Ok(false);
    }
    for (id, seen) in &p.seen {
        if seen_now(conn, *id)? != *seen {
            return Ok(false);
        }
    }
    // A change accepted meanwhile by another push shows as a unique-hash violation when
    // the log is written (see `commit_prepared`): cheaper than looking each one up.
    Ok(true)
}

fn is_unique_violation(e: &ServerError) -> bool {
    let ServerError::Storage(source) = e else {
        return false;
    };
    matches!(
        source.downcast_ref::<rusqlite::Error>(),
        Some(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

/// Writes a prepared push in the writer's transaction, or does it again there if the
/// snapshot it was prepared on is out of date. Returns the answer and whether it was redone.
pub(super) fn commit_prepared(
    conn: &Connection,
    session: &Session,
    prepared: Prepared,
    req: PushRequest,
) -> Result<(PushResponse, bool)> {
    if !still_valid(conn, &prepared)? {
        return Ok((push(conn, session, req, false)?, true));
    }
    let sent = req.changes.len() as u64;
    conn.execute_batch("SAVEPOINT prepared")?;
    match finish(conn, session, prepared.outcome, req.pending, sent, false) {
        Ok(resp) => {
            conn.execute_batch("RELEASE prepared")?;
            Ok((resp, false))
        }
        // Another device pushed one of these changes since the snapshot: do it again here.
        Err(e) if is_unique_violation(&e) => {
            conn.execute_batch("ROLLBACK TO prepared; RELEASE prepared")?;
            Ok((push(conn, session, req, false)?, true))
        }
        Err(e) => Err(e),
    }
}

/// Applies a push (or, with `handover`, a deactivated user's handover) in `conn`'s
/// transaction.
pub(super) fn push(
    conn: &Connection,
    session: &Session,
    req: PushRequest,
    handover: bool,
) -> Result<PushResponse> {
    let writer = writer_of(conn, session, handover)?;
    let sent = req.changes.len() as u64;
    let mut batch = PushBatch::new(&writer);
    let mut src = TxSource::new(conn);
    for env in req.changes {
        batch.offer(&mut src, env)?;
    }
    let outcome = batch.finish()?;
    finish(conn, session, outcome, req.pending, sent, handover)
}

/// Stores what a page did and what the device holds now; a handover's last page wipes
/// the device.
fn finish(
    conn: &Connection,
    session: &Session,
    outcome: PushOutcome,
    pending: u64,
    sent: u64,
    handover: bool,
) -> Result<PushResponse> {
    store_outcome(conn, session, &outcome)?;
    let left = pending.saturating_sub(sent);
    let wipe = handover && pending <= sent;
    if wipe {
        conn.prepare_cached(
            "UPDATE devices SET wiped = 1, pending = 0, last_sync = ?2 WHERE id = ?1",
        )?
        .execute(params![session.device_id.to_string(), now()])?;
        conn.prepare_cached("UPDATE tokens SET state = 'revoked' WHERE hash = ?1")?
            .execute([&session.token_hash])?;
    } else {
        sessions::synced(conn, session.device_id, left)?;
    }
    Ok(PushResponse {
        accepted: outcome.accepted.len() as u64,
        duplicates: outcome.duplicates,
        refused: outcome.refused.iter().map(|q| q.refusal()).collect(),
        wipe,
    })
}

/// Writes what a page did: log entries in order, then each changed document, then the
/// quarantine.
fn store_outcome(conn: &Connection, session: &Session, out: &PushOutcome) -> Result<()> {
    let at = now();
    let mut last_seq: HashMap<Uuid, i64> = HashMap::new();
    let mut log = conn.prepare_cached(
        "INSERT INTO log (doc_id, event, hash, bytes, owner, at, device_id)
         VALUES (?1, 'change', ?2, ?3, ?4, ?5, ?6)",
    )?;
    let device = session.device_id.to_string();
    for a in &out.accepted {
        log.execute(params![
            a.doc_id.to_string(),
            a.hash,
            a.bytes,
            a.owner,
            at,
            device
        ])?;
        last_seq.insert(a.doc_id, conn.last_insert_rowid());
    }
    let mut upsert = conn.prepare_cached(
        "INSERT INTO docs (id, kind, owner, account_id, data, chunks, record, conflicts, updated_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, data = excluded.data,
           chunks = excluded.chunks, record = excluded.record, conflicts = excluded.conflicts,
           updated_seq = excluded.updated_seq",
    )?;
    for d in &out.docs {
        upsert.execute(params![
            d.id.to_string(),
            d.placement.kind.as_str(),
            d.placement.owner,
            d.placement.account_id.map(|a| a.to_string()),
            d.data,
            // `chunks`: documents are stored saved whole (older rows may have chunks).
            0,
            d.record,
            d.conflicts,
            last_seq.get(&d.id).copied().unwrap_or(0),
        ])?;
    }
    let mut quarantine = conn.prepare_cached(
        "INSERT INTO quarantine (at, user, device_id, doc_id, kind, hash, reason, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for q in &out.refused {
        quarantine.execute(params![
            at,
            session.user,
            session.device_id.to_string(),
            q.doc_id.to_string(),
            q.kind.as_str(),
            q.hash,
            q.reason,
            q.bytes,
        ])?;
    }
    Ok(())
}

/// Refused changes the requester may review, oldest first.
pub(super) fn quarantine(conn: &Connection, by: &Requester) -> Result<Vec<QuarantineEntry>> {
    let scope = admin_scope(conn, by)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, user, device_id, doc_id, hash, reason FROM quarantine ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at, user, device, doc, hash, reason) = row?;
        if !scope.covers(&user) {
            continue;
        }
        out.push(QuarantineEntry {
            id,
            at,
            user,
            device_id: parse_uuid(&device)?,
            doc_id: parse_uuid(&doc)?,
            hash,
            reason,
        });
    }
    Ok(out)
}
