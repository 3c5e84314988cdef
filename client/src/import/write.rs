//! Writing the rows that passed an import's checks: through the normal write path (the
//! store's checks again, defaults, the document, its outbox entry and projections), in
//! batches of [`BATCH`] rows, one transaction each.
//!
//! The store may have changed since the rows were checked (a sync deleted the account a row
//! names): such a row fails here. Under `Skip` its batch is written again without it (and it
//! is reported); under `Abort` the import stops with [`ClientError::ImportStopped`], the
//! batches before it written whole.

use super::OnError;
use super::plan::Planned;
use crate::edit::{self, check};
use crate::error::{ClientError, Result};
use crate::store::Store;
use fieldbook_core::Kind;
use time::OffsetDateTime;

/// Rows written per transaction.
pub(crate) const BATCH: usize = 1000;

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
    let mut written = 0u64;
    let mut rows = planned.into_iter().peekable();
    while rows.peek().is_some() {
        let mut batch: Vec<Planned> = rows.by_ref().take(BATCH).collect();
        loop {
            let mut failed: Option<usize> = None;
            let result = store.write(|tx| {
                check::may_write(tx, kind)?;
                for (i, p) in batch.iter().enumerate() {
                    let values = p
                        .values
                        .iter()
                        .map(|(s, v)| (*s, Some(v.clone())))
                        .collect();
                    edit::create_in(tx, kind, p.id, values, now).inspect_err(|_| {
                        failed = Some(i);
                    })?;
                }
                Ok(())
            });
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
        written += batch.len() as u64;
        progress(written);
    }
    Ok(written)
}
