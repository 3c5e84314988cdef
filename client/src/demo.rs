//! Filling a store with a generated, realistic book of business, through the same checks
//! and write path as any other record (the generator writes values as people type them;
//! they are parsed by core's rules), in batched transactions.

use crate::edit::check::{self, Mode, Target};
use crate::edit::save_new;
use crate::error::{ClientError, Result};
use crate::exchange::Progress;
use crate::store::{Store, Tx};
use fieldbook_core::doc::{Author, RecordDoc};
use time::OffsetDateTime;

/// Records written per transaction.
const BATCH: usize = 1000;

/// A demo product whose SKU is already taken here (a second demo run) gets a suffix.
fn free_sku(tx: &Tx, fields: &mut [(String, String)]) -> Result<()> {
    let Some((_, sku)) = fields.iter_mut().find(|(f, _)| f == "sku") else {
        return Ok(());
    };
    let base = sku.clone();
    let mut n = 1;
    while tx.sku_exists(sku)? {
        n += 1;
        *sku = format!("{base}-{n}");
    }
    Ok(())
}

impl Store {
    /// Adds `n` generated records (deterministic for a `seed`). Returns how many were added.
    pub fn demo(&mut self, n: usize, seed: u64, progress: Progress) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        let mut book = fieldbook_core::demo::generate(n, seed, now.date()).peekable();
        // The same seed makes the same records, ids included: they are here already.
        if let Some(first) = book.peek()
            && self.has_document(first.id)?
        {
            return Err(ClientError::DemoAlreadyAdded { seed });
        }
        let mut done = 0u64;
        while book.peek().is_some() {
            let batch: Vec<_> = book.by_ref().take(BATCH).collect();
            let count = batch.len() as u64;
            self.write(|tx| {
                let s = tx.settings().clone();
                for rec in batch {
                    if tx.ref_state(rec.id)?.is_some() {
                        return Err(ClientError::DemoAlreadyAdded { seed });
                    }
                    // Created when the generated history says, so reports over a demo book
                    // (days to win, stale accounts) read like a real one.
                    let author = Author {
                        user: s.user.clone(),
                        at: rec.created.midnight().assume_utc() + time::Duration::hours(9),
                    };
                    let mut fields: Vec<(String, String)> = rec
                        .fields
                        .iter()
                        .map(|(f, v)| (f.to_string(), v.to_string()))
                        .collect();
                    if rec.kind == fieldbook_core::Kind::Product {
                        free_sku(tx, &mut fields)?;
                    }
                    let text: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(f, v)| (f.as_str(), v.as_str()))
                        .collect();
                    let values =
                        check::from_text(Target::Record(rec.kind), &text, Mode::Create, now)?;
                    let values = check::prepare_new(tx, rec.kind, rec.id, values, now)?;
                    let mut doc = RecordDoc::create(rec.kind, rec.id, &s.actor, &author, &values)?;
                    check::new_record_rules(&doc.read())?;
                    for paragraph in &rec.notes {
                        doc.append_note(paragraph)?;
                    }
                    // Lines as `quote-line add` makes them: a product's line takes its name
                    // and price.
                    let currency = doc.read().str("currency").map(str::to_string);
                    for (i, line) in rec.lines.iter().enumerate() {
                        let text: Vec<(&str, &str)> =
                            line.iter().map(|(f, v)| (*f, v.as_str())).collect();
                        let mut values = check::from_text(Target::Line, &text, Mode::Create, now)?;
                        check::references(tx, &values)?;
                        check::complete_line(tx, currency.as_deref(), &mut values, now)?;
                        let values: Vec<_> = values
                            .into_iter()
                            .filter_map(|(s, v)| v.map(|v| (s, v)))
                            .collect();
                        doc.add_line(&format!("{:08x}", i + 1), &values)?;
                    }
                    save_new(tx, &mut doc, &author)?;
                }
                Ok(())
            })?;
            self.bound_wal()?;
            done += count;
            progress(done, n as u64);
        }
        self.optimize()?;
        Ok(done)
    }
}
