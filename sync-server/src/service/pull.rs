//! Pull pages: the cursor check, the bootstrap (snapshots of every visible record in id
//! order, paged by `snapshot_after`, then ordinary pulls from where it began), and
//! ordinary pulls (log entries after the cursor, found through one index range per
//! visible owner and one per record shared with the user, so a rep never scans other
//! people's entries; what to send for each is `pull::decide`'s, knowing whether a later
//! grant brings the record whole).

use super::push::check_log_id;
use super::{Service, Session, now, scope_of, shares_of};
use crate::access::{Scope, Viewer};
use crate::error::{Result, ServerError};
use crate::pull::{self, Decision, Event, Page};
use crate::storage::{LogFilter, OwnerFilter, Repo, StorageExt};
use fieldbook_core::protocol::{PullItem, PullRequest, PullResponse};
use std::collections::BTreeSet;
use uuid::Uuid;

impl Service {
    /// A page of what the user may see after the cursor (or of the bootstrap).
    ///
    /// The device is then known to have been sent the log up to the page's cursor: an
    /// owner move up to there is known to it (its writes to what moved are refused from
    /// then on). On the last page it learns which of its refused changes still wait.
    pub fn pull(&self, session: &Session, req: &PullRequest) -> Result<PullResponse> {
        let page = self.storage.read(|repo| {
            let log_id = check_log_id(repo, req.log_id)?;
            let mut page = page(repo, session, req)?;
            page.log_id = Some(log_id);
            if !page.more {
                page.open_refusals = Some(repo.open_refusals(&session.user)?);
            }
            Ok(page)
        })?;
        // Bookkeeping: a pull never waits for a write. A push from this device queues
        // behind it on the same writer, so it sees the new position.
        let (device, pending, sent) = (session.device_id, req.pending, page.cursor);
        self.storage.later(move |repo| {
            repo.device_pulled(device, sent)?;
            repo.device_synced(device, pending, &now())
        })?;
        Ok(page)
    }
}

fn page(repo: &mut dyn Repo, session: &Session, req: &PullRequest) -> Result<PullResponse> {
    let scope = scope_of(repo, &session.user, session.role)?;
    let shares = shares_of(repo, &session.user)?;
    let viewer = Viewer {
        user: &session.user,
        scope: &scope,
        shares: &shares,
    };
    let max = repo.log_head()?;
    let limit = pull::page_limit(req.limit);
    match (req.cursor, req.snapshot_after) {
        // A new bootstrap: changes after this position arrive by ordinary pulls later.
        (0, None) => bootstrap(repo, &viewer, None, max, max, limit),
        (base, Some(_)) if base > max => Err(cursor_ahead(base, max)),
        (base, Some(after)) => bootstrap(repo, &viewer, Some(after), base, max, limit),
        (cursor, None) if cursor > max => Err(cursor_ahead(cursor, max)),
        (cursor, None) => ordinary(repo, session, &viewer, cursor, max, limit),
    }
}

fn cursor_ahead(cursor: u64, max: u64) -> ServerError {
    ServerError::CursorAhead(format!(
        "this device's cursor ({cursor}) is ahead of the server's log ({max}): the server's data was restored from an older copy; the device sends again what the server lacks, then starts over"
    ))
}

/// The ids of up to `n` visible records after `after`, in id order (records shared with
/// the user among them; personal records of others are still to be left out).
fn visible_ids(
    repo: &mut dyn Repo,
    viewer: &Viewer<'_>,
    after: Option<Uuid>,
    n: usize,
) -> Result<Vec<Uuid>> {
    let shared = viewer
        .shares
        .ids()
        .filter(|id| after.is_none_or(|a| *id > a));
    let Some(owners) = viewer.scope.owners() else {
        let mut ids: BTreeSet<Uuid> = repo
            .doc_ids(OwnerFilter::Any, after, n)?
            .into_iter()
            .collect();
        ids.extend(shared);
        return Ok(ids.into_iter().take(n).collect());
    };
    // One index range per owner (and one for products), merged with the shared records.
    let mut ids: BTreeSet<Uuid> = shared.collect();
    for owner in owners {
        ids.extend(repo.doc_ids(OwnerFilter::Owner(owner), after, n)?);
    }
    ids.extend(repo.doc_ids(OwnerFilter::Nobody, after, n)?);
    Ok(ids.into_iter().take(n).collect())
}

fn snapshot_of(repo: &mut dyn Repo, id: Uuid) -> Result<Option<PullItem>> {
    repo.snapshot(id)?
        .map(|s| {
            pull::snapshot(
                s.id,
                s.kind,
                s.owner.as_deref(),
                s.data,
                &s.record,
                s.conflicts,
            )
        })
        .transpose()
}

/// A page of the bootstrap, which began when the log was at `base`.
fn bootstrap(
    repo: &mut dyn Repo,
    viewer: &Viewer<'_>,
    after: Option<Uuid>,
    base: u64,
    max: u64,
    limit: usize,
) -> Result<PullResponse> {
    let ids = visible_ids(repo, viewer, after, limit + 1)?;
    let mut page = Page::default();
    let mut last = None;
    for &id in &ids {
        if page.full(limit) {
            break;
        }
        if let Some(item) = snapshot_of(repo, id)?
            && let PullItem::Snapshot { kind, owner, .. } = &item
            && viewer.sees(*kind, id, Some(owner.as_str()).filter(|o| !o.is_empty()))
        {
            page.push(item);
        }
        last = Some(id);
    }
    let sent_all = last.is_none_or(|l| Some(&l) == ids.last());
    let snapshot_after = if sent_all { None } else { last };
    Ok(PullResponse {
        items: page.items,
        cursor: base,
        more: snapshot_after.is_some() || max > base,
        snapshot_after,
        ..PullResponse::default()
    })
}

/// The positions after `cursor` (up to `max`) that may concern a user with `scope`, in
/// order, at most `limit`.
fn candidates(
    repo: &mut dyn Repo,
    session: &Session,
    viewer: &Viewer<'_>,
    cursor: u64,
    max: u64,
    limit: usize,
) -> Result<Vec<u64>> {
    let (user, scope): (&str, &Scope) = (viewer.user, viewer.scope);
    let mut seqs = BTreeSet::new();
    for id in viewer.shares.ids() {
        seqs.extend(repo.log_seqs(LogFilter::Doc(id), cursor, max, limit)?);
    }
    match scope.owners() {
        None => seqs.extend(repo.log_seqs(LogFilter::AllFor(user), cursor, max, limit)?),
        Some(owners) => {
            for owner in owners {
                seqs.extend(repo.log_seqs(LogFilter::Owner(owner), cursor, max, limit)?);
                seqs.extend(repo.log_seqs(LogFilter::OldOwner(owner), cursor, max, limit)?);
            }
            seqs.extend(repo.log_seqs(LogFilter::Nobody, cursor, max, limit)?);
            seqs.extend(repo.log_seqs(LogFilter::Grantee(user), cursor, max, limit)?);
            // What this device pushed to records outside the scope (moved away before it
            // knew): it is told to drop them.
            let own = LogFilter::Device(session.device_id);
            seqs.extend(repo.log_seqs(own, cursor, max, limit)?);
        }
    }
    Ok(seqs.into_iter().take(limit).collect())
}

/// An ordinary pull: what happened after `cursor` that the user may see.
fn ordinary(
    repo: &mut dyn Repo,
    session: &Session,
    viewer: &Viewer<'_>,
    cursor: u64,
    max: u64,
    limit: usize,
) -> Result<PullResponse> {
    let user = session.user.as_str();
    let seqs = candidates(repo, session, viewer, cursor, max, limit)?;
    // Whether any record is granted to this user later on (then its changes before the
    // grant are not sent: the snapshot brings them).
    let any_grants = repo.has_scope_entries(user, cursor, max)?;
    let mut page = Page::default();
    let mut reached = if seqs.len() < limit {
        max
    } else {
        seqs.last().map_or(max, |s| *s)
    };
    for (i, &seq) in seqs.iter().enumerate() {
        let Some(e) = repo.log_entry(seq, session.device_id)? else {
            continue;
        };
        let later = any_grants
            && matches!(e.event, Event::Change { .. })
            && repo.granted(user, e.doc_id, seq, max)?;
        match pull::decide(viewer, &e, later) {
            Decision::Skip => {}
            Decision::Changes => {
                if let Event::Change { bytes, .. } = e.event {
                    page.push_change(e.doc_id, e.kind, e.owner_now.as_deref(), bytes, e.at);
                }
            }
            Decision::Snapshot => {
                if let Some(item) = snapshot_of(repo, e.doc_id)? {
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
            reached = seq;
            break;
        }
    }
    Ok(PullResponse {
        items: page.items,
        cursor: reached,
        snapshot_after: None,
        more: reached < max,
        ..PullResponse::default()
    })
}
