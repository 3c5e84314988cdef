//! Writing the rows that passed an import's checks: through the create path of every new
//! record (`check::prepare_new`: the store's checks again and the defaults;
//! `edit::build_created`: the document, checked and committed; `merge::write_created`: the
//! document, its outbox entry and its projections), in batches of [`BATCH`] rows, one
//! transaction each.
//!
//! Building Automerge documents is most of the work and needs no store, so within a batch
//! worker threads build them while this thread writes the ones built: the transaction's
//! writes stay on the one connection, in the rows' order.
//!
//! The store may have changed since the rows were checked (a sync deleted the account a row
//! names): such a row fails here. Under `Skip` its batch is written again without it (and it
//! is reported); under `Abort` the import stops with [`ClientError::ImportStopped`], the
//! batches before it written whole.

use super::OnError;
use super::plan::Planned;
use crate::edit::{self, check};
use crate::error::{ClientError, Result};
use crate::merge::{self, Created};
use crate::store::{Store, Tx};
use fieldbook_core::Kind;
use fieldbook_core::schema::FieldSpec;
use fieldbook_core::value::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use time::OffsetDateTime;

/// Rows written per transaction.
pub(crate) const BATCH: usize = 1000;

/// Rows a worker builds before handing them over (fewer messages, little waiting).
const CHUNK: usize = 25;

/// Writes `planned` in batches; returns how many were written. Rows refused at the write
/// (under `Skip`) are added to `refused` as `(line, reason)`.
pub(crate) fn write_planned(
    store: &mut Store,
    kind: Kind,
    planned: Vec<Planned>,
    on_error: OnError,
    now: OffsetDateTime,
    progress: &mut dyn FnMut(u64),
    refused: &mut Vec<(u64, String)>,
) -> Result<u64> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
    let mut written = 0u64;
    let mut rows = planned.into_iter().peekable();
    while rows.peek().is_some() {
        let mut batch: Vec<Planned> = rows.by_ref().take(BATCH).collect();
        loop {
            let mut failed: Option<usize> = None;
            let result = store.write(|tx| write_batch(tx, kind, &batch, now, workers, &mut failed));
            match (result, failed) {
                (Ok(()), _) => break,
                (Err(e), Some(i)) if on_error == OnError::Skip && e.is_bad_input() => {
                    let p = batch.remove(i);
                    refused.push((p.line, e.to_string()));
                }
                (Err(e), failed) => {
                    let line = failed.map_or(batch[0].line, |i| batch[i].line);
                    return Err(ClientError::ImportStopped {
                        line,
                        written,
                        source: Box::new(e),
                    });
                }
            }
        }
        store.bound_wal()?;
        written += batch.len() as u64;
        progress(written);
    }
    Ok(written)
}

/// One batch in the caller's transaction; `failed` says which row failed, if one did.
fn write_batch(
    tx: &mut Tx,
    kind: Kind,
    batch: &[Planned],
    now: OffsetDateTime,
    workers: usize,
    failed: &mut Option<usize>,
) -> Result<()> {
    check::may_write(tx, kind)?;
    let mut complete: Vec<Vec<(&'static FieldSpec, Value)>> = Vec::with_capacity(batch.len());
    for (i, p) in batch.iter().enumerate() {
        let values = p
            .values
            .iter()
            .map(|(s, v)| (*s, Some(v.clone())))
            .collect();
        let values = check::prepare_new(tx, kind, p.id, values, now).inspect_err(|_| {
            *failed = Some(i);
        })?;
        complete.push(values);
    }
    let settings = tx.settings().clone();
    let build = |i: usize| edit::build_created(&settings, kind, batch[i].id, &complete[i], now);
    if workers < 2 || batch.len() < 2 * CHUNK {
        for i in 0..batch.len() {
            let created = build(i).inspect_err(|_| *failed = Some(i))?;
            merge::write_created(tx, &created).inspect_err(|_| *failed = Some(i))?;
        }
        return Ok(());
    }
    built_in_parallel(batch.len(), workers, &build, |i, created| {
        let created = created.inspect_err(|_| *failed = Some(i))?;
        merge::write_created(tx, &created).inspect_err(|_| *failed = Some(i))
    })
}

/// Builds rows `0..n` on `workers` threads and hands each to `write`, in order, on this
/// thread, as soon as it and the rows before it are built. Stops at the first error
/// `write` returns (the workers stop taking rows).
fn built_in_parallel(
    n: usize,
    workers: usize,
    build: &(dyn Fn(usize) -> Result<Created> + Sync),
    mut write: impl FnMut(usize, Result<Created>) -> Result<()>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel::<Vec<(usize, Result<Created>)>>();
        for _ in 0..workers {
            let send = send.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if start >= n {
                        break;
                    }
                    let chunk: Vec<_> = (start..(start + CHUNK).min(n))
                        .map(|i| (i, build(i)))
                        .collect();
                    if send.send(chunk).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut waiting: BTreeMap<usize, Result<Created>> = BTreeMap::new();
        let mut due = 0;
        let result = (|| {
            while due < n {
                while let Some(created) = waiting.remove(&due) {
                    write(due, created)?;
                    due += 1;
                }
                if due >= n {
                    break;
                }
                match receive.recv() {
                    Ok(chunk) => waiting.extend(chunk),
                    Err(_) => break,
                }
            }
            Ok(())
        })();
        if result.is_err() {
            // The workers take no more rows; what they are building is dropped.
            next.store(n, Ordering::Relaxed);
        }
        result
    })
}
