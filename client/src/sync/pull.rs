//! Pulling until caught up. A thread downloads and parses the next page while the current
//! one is applied, so the store waits on the network only when the server is slower.
//!
//! Applying is cut into short transactions: one takes pulled items until it has worked for
//! [`TX_BUDGET`], or until another connection (the app's UI) waits to write, then commits:
//! that write waits for about one item and the commit. A page's cursor is stored in the transaction that applies its last
//! item; a page that is already downloaded when one ends may join the same transaction
//! while time is left. A crash loses no more than items pulled again (and applied again,
//! harmlessly) at the next sync. No transaction is open while waiting for a page.

use super::api::{Answer, Api};
use super::apply::{self, Applied, Touched};
use super::events::{Cancel, SyncEvent};
use crate::error::{ClientError, Result};
use crate::store::Store;
use fieldbook_core::protocol::{PROTOCOL_VERSION, PullItem, PullRequest, PullResponse};
use fieldbook_core::value::format_datetime;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

/// How long one transaction applies pulled items before it commits (unless another
/// connection waits to write: then it commits after the item in hand). Chosen so that a
/// write of another connection waits well under 100 ms behind a pull (BENCHMARKS.md).
pub const TX_BUDGET: Duration = Duration::from_millis(20);

/// Pulled pages waiting, downloaded and parsed, while one is applied.
const PULL_AHEAD: usize = 1;

type PageAnswer = Result<Answer<PullResponse>>;

fn pull_request(
    cursor: u64,
    snapshot_after: Option<Uuid>,
    pending: u64,
    log_id: Option<Uuid>,
) -> PullRequest {
    PullRequest {
        protocol: PROTOCOL_VERSION,
        cursor,
        snapshot_after,
        limit: None,
        pending,
        log_id,
    }
}

/// Where to pull from next, if a pulled page says there is more.
fn more_after(answer: &PageAnswer) -> Option<(u64, Option<Uuid>)> {
    match answer {
        Ok(Answer::Ok(p) | Answer::Refused(p)) if p.more => Some((p.cursor, p.snapshot_after)),
        _ => None,
    }
}

/// Pulls pages one after the other from `cursor` on, sending each answer (or error) to the
/// applier, until a page says there is no more, a call fails, the sync is cancelled or the
/// applier stops listening. Runs on its own thread: a cancelled sync does not wait for it.
fn fetch_pages(
    api: Api,
    cancel: Cancel,
    mut cursor: u64,
    mut snapshot_after: Option<Uuid>,
    pending: u64,
    log_id: Option<Uuid>,
    pages: mpsc::SyncSender<PageAnswer>,
) {
    loop {
        if cancel.is_cancelled() {
            return;
        }
        let req = pull_request(cursor, snapshot_after, pending, log_id);
        let answer = api.post("/v1/pull", &req);
        let next = more_after(&answer);
        if pages.send(answer).is_err() {
            return;
        }
        let Some(next) = next else { return };
        (cursor, snapshot_after) = next;
    }
}

/// The page being applied: its items left, and where the server's log stands after it.
struct Current {
    items: std::vec::IntoIter<PullItem>,
    cursor: u64,
    snapshot_after: Option<Uuid>,
    more: bool,
    log_id: Option<Uuid>,
    open_refusals: Option<Vec<String>>,
}

impl Current {
    fn of(page: PullResponse) -> Current {
        Current {
            items: page.items.into_iter(),
            cursor: page.cursor,
            snapshot_after: page.snapshot_after,
            more: page.more,
            log_id: page.log_id,
            open_refusals: page.open_refusals,
        }
    }
}

/// A page answer that is a page.
fn page(answer: PageAnswer) -> Result<Option<PullResponse>> {
    match answer? {
        Answer::Ok(p) | Answer::Refused(p) => Ok(Some(p)),
        Answer::Deactivated => Ok(None),
    }
}

/// Pulls until caught up. Returns `false` if the user was deactivated.
pub(super) fn pull_all(
    store: &mut Store,
    api: &mut Api,
    cancel: &Cancel,
    out: &mut Applied,
    on_event: &mut dyn FnMut(SyncEvent),
) -> Result<bool> {
    let state = store.sync_state()?;
    // What waits to go up: writes made while pulling wait for the next sync's push.
    let pending = store.outbox_len()?;
    api.set_pending(pending);
    cancel.check()?;
    // The first page on this thread: most syncs need no other.
    let log_id = state.log_id;
    let first = api.post(
        "/v1/pull",
        &pull_request(state.cursor, state.snapshot_after, pending, log_id),
    );
    let arriving = more_after(&first).map(|(cursor, snapshot_after)| {
        let (pages, arriving) = mpsc::sync_channel(PULL_AHEAD);
        let (api, cancel) = (api.clone(), cancel.clone());
        std::thread::spawn(move || {
            fetch_pages(api, cancel, cursor, snapshot_after, pending, log_id, pages)
        });
        arriving
    });
    let Some(first) = page(first)? else {
        return Ok(false);
    };
    let mut current = Current::of(first);
    let mut received = 0u64;
    loop {
        cancel.check()?;
        let mut touched = Touched::default();
        let mut applied = 0usize;
        // An answer that came while a transaction was open but is no page to apply there.
        let mut held_back: Option<PageAnswer> = None;
        let caught_up = store.write(|tx| {
            tx.search_rows_at_once();
            let start = Instant::now();
            loop {
                for item in current.items.by_ref() {
                    received += 1;
                    applied += 1;
                    apply::item(tx, item, out, &mut touched)?;
                    if start.elapsed() >= TX_BUDGET || tx.others_waiting() {
                        break;
                    }
                }
                if current.items.len() > 0 {
                    return Ok(false);
                }
                tx.set_cursor(current.cursor, current.snapshot_after)?;
                if let Some(id) = current.log_id {
                    tx.set_log_id(id)?;
                }
                if !current.more {
                    // Caught up: the sync is complete when this commits. Refusals the
                    // server no longer holds open were dealt with by a manager.
                    if let Some(open) = &current.open_refusals {
                        out.refusals_dealt_with += tx.keep_open_refusals(open)?;
                    }
                    tx.set_last_sync(&format_datetime(OffsetDateTime::now_utc()))?;
                    return Ok(true);
                }
                if start.elapsed() >= TX_BUDGET || tx.others_waiting() {
                    return Ok(false);
                }
                // Only a page already here joins this transaction.
                match arriving.as_ref().map(mpsc::Receiver::try_recv) {
                    Some(Ok(Ok(Answer::Ok(p) | Answer::Refused(p)))) => current = Current::of(p),
                    Some(Ok(other)) => {
                        held_back = Some(other);
                        return Ok(false);
                    }
                    Some(Err(mpsc::TryRecvError::Empty)) => return Ok(false),
                    None | Some(Err(mpsc::TryRecvError::Disconnected)) => {
                        return Err(ClientError::PullInterrupted);
                    }
                }
            }
        })?;
        on_event(SyncEvent::Pulled {
            received,
            changed: touched.changed,
            removed: touched.removed,
        });
        // Every commit adds a segment to the search index; merge them in short steps of
        // their own here, so that no write (this one's or the UI's) ever meets FTS5's
        // all-at-once "crisis" merge of a level's segments inside its transaction.
        if arriving.is_some() && applied > 0 {
            store.merge_search_step()?;
        }
        // A bootstrap's log is copied into the file as it goes: the disk holds about the
        // store, not the store and a log of every page.
        store.bound_wal()?;
        if caught_up {
            return Ok(true);
        }
        if current.items.len() > 0 {
            continue;
        }
        // The page is applied and there is more: wait (no transaction open) for the next.
        let answer = match held_back.take() {
            Some(a) => a,
            None => {
                let arriving = arriving.as_ref().ok_or(ClientError::PullInterrupted)?;
                arriving.recv().map_err(|_| ClientError::PullInterrupted)?
            }
        };
        match page(answer)? {
            Some(p) => current = Current::of(p),
            None => return Ok(false),
        }
    }
}
