//! How the SQLite backend runs a push: worked out on a read snapshot, off the writer (the
//! costly part: loading, applying and checking documents runs on as many cores as there
//! are requests), noting every stored row it looked at. The writer then checks, in its
//! transaction, that none of those rows and no scope changed, and stores the outcome; if
//! anything moved, if one of its changes arrived meanwhile (the log's unique hash says
//! so), or if something was refused, the push is done again on the writer, whole, exactly
//! as a serial server would.
//!
//! The rules are the caller's [`PushWork`] and the backend-free engine's
//! ([`PushBatch`]); this module only decides where they run and whether a snapshot still
//! holds.

use super::records::{doc_at, is_known, placed};
use super::repo::{SqliteRepo, scope_generation};
use crate::error::{Result, ServerError};
use crate::ownership::Placement;
use crate::push::{PushAs, PushBatch, PushOutcome, PushSource, StoredDoc};
use crate::storage::{LogRepo, PushWork, RecordRepo};
use fieldbook_core::protocol::{ChangeEnvelope, PushResponse};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A stored record as a push saw it: where it belongs and its last change in the log.
type Seen = Option<(Placement, i64)>;

/// Stored documents, read in the push's transaction; remembers every record it read.
struct Recorder<'c> {
    conn: &'c Connection,
    seen: HashMap<Uuid, Seen>,
    /// Records of the page that another part of a split push works on.
    foreign: Option<&'c HashSet<Uuid>>,
    /// Whether this part looked at one of them (then the split is given up).
    crossed: bool,
}

impl Recorder<'_> {
    fn look(&mut self, id: Uuid) {
        if self.foreign.is_some_and(|f| f.contains(&id)) {
            self.crossed = true;
        }
    }
}

impl PushSource for Recorder<'_> {
    fn is_known_change(&mut self, hash: &str) -> Result<bool> {
        is_known(self.conn, hash)
    }

    fn load_doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>> {
        self.look(id);
        let Some((doc, seq)) = doc_at(self.conn, id)? else {
            self.seen.insert(id, None);
            return Ok(None);
        };
        self.seen.insert(id, Some((doc.placement.clone(), seq)));
        Ok(Some(doc))
    }

    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>> {
        self.look(id);
        let seen = placed(self.conn, id)?;
        let placement = seen.as_ref().map(|(p, _)| p.clone());
        self.seen.insert(id, seen);
        Ok(placement)
    }

    // Owner moves bump the scope generation: a snapshot that read one is checked by it.
    fn owner_after(&mut self, id: Uuid, after: u64) -> Result<Option<Option<String>>> {
        SqliteRepo::new(self.conn).owner_after(id, after)
    }

    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>> {
        // A parent changes with its record's last change: remembered like a placement.
        self.placement(id)?;
        SqliteRepo::new(self.conn).account_parent(id)
    }
}

/// A push worked out on a read snapshot, to be written by [`commit_prepared`].
pub(super) struct Prepared {
    outcome: PushOutcome,
    /// Every stored record the push looked at, as it was.
    seen: HashMap<Uuid, Seen>,
    generation: i64,
    /// Who it was pushed as (the device's learned position included).
    push_as: PushAs,
}

/// Works out changes of a push on `conn`'s snapshot without writing anything: the whole
/// page, or one part of a page split by record (`foreign`: the records of the other
/// parts). `None` when it refused something, or a part looked at a record of another part:
/// those cases are decided on the writer, with everything in view.
pub(super) fn prepare<'e>(
    conn: &Connection,
    work: &dyn PushWork,
    changes: impl IntoIterator<Item = &'e ChangeEnvelope>,
    foreign: Option<&HashSet<Uuid>>,
) -> Result<Option<Prepared>> {
    let generation = scope_generation(conn)?;
    let push_as = work.writer(&mut SqliteRepo::new(conn))?;
    let mut batch = PushBatch::new(&push_as);
    let mut src = Recorder {
        conn,
        seen: HashMap::new(),
        foreign,
        crossed: false,
    };
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
        push_as,
    }))
}

/// Puts the parts of a split push back together, in the order the changes were sent
/// (`positions[k][i]`: where the `i`-th change offered to part `k` was in the page).
/// `None` if the parts saw different states of the same records.
pub(super) fn merge_parts(parts: Vec<Prepared>, positions: &[Vec<usize>]) -> Option<Prepared> {
    let first = parts.first()?;
    let mut merged = Prepared {
        outcome: PushOutcome::default(),
        seen: HashMap::new(),
        generation: first.generation,
        push_as: first.push_as.clone(),
    };
    for (part, at) in parts.into_iter().zip(positions) {
        if part.generation != merged.generation || part.push_as != merged.push_as {
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
fn still_valid(conn: &Connection, work: &dyn PushWork, p: &Prepared) -> Result<bool> {
    if scope_generation(conn)? != p.generation {
        return Ok(false);
    }
    // The device may have pulled past a move since (bookkeeping that landed meanwhile).
    if work.writer(&mut SqliteRepo::new(conn))? != p.push_as {
        return Ok(false);
    }
    for (id, seen) in &p.seen {
        if placed(conn, *id)? != *seen {
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

/// Stores a prepared push in the writer's transaction, or does it again there if the
/// snapshot it was prepared on is out of date. Returns the answer and whether it was redone.
pub(super) fn commit_prepared(
    conn: &Connection,
    work: &dyn PushWork,
    prepared: Prepared,
) -> Result<(PushResponse, bool)> {
    if !still_valid(conn, work, &prepared)? {
        return Ok((work.run(&mut SqliteRepo::new(conn))?, true));
    }
    conn.execute_batch("SAVEPOINT prepared")?;
    match work.store(&mut SqliteRepo::new(conn), prepared.outcome) {
        Ok(resp) => {
            conn.execute_batch("RELEASE prepared")?;
            Ok((resp, false))
        }
        // Another device pushed one of these changes since the snapshot: do it again here.
        Err(e) if is_unique_violation(&e) => {
            conn.execute_batch("ROLLBACK TO prepared; RELEASE prepared")?;
            Ok((work.run(&mut SqliteRepo::new(conn))?, true))
        }
        Err(e) => Err(e),
    }
}
