//! Filling a store with a generated, realistic book of business, through the same checks
//! and write path as any other record (the generator writes values as people type them;
//! they are parsed by core's rules), in batched transactions.

use crate::edit::check::{self, Mode, Target};
use crate::edit::save_new;
use crate::error::Result;
use crate::exchange::Progress;
use crate::store::{Store, Tx};
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::schema;
use fieldbook_core::value;
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
        let mut done = 0u64;
        while book.peek().is_some() {
            let batch: Vec<_> = book.by_ref().take(BATCH).collect();
            let count = batch.len() as u64;
            self.write(|tx| {
                let s = tx.settings().clone();
                for rec in batch {
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
                    for paragraph in &rec.notes {
                        doc.append_note(paragraph)?;
                    }
                    for (i, line) in rec.lines.iter().enumerate() {
                        let mut values = Vec::new();
                        for (name, raw) in line {
                            let spec = schema::LINE_FIELDS.iter().find(|s| s.name == *name);
                            if let Some(spec) = spec
                                && let Some(v) = value::parse(spec, raw, now)?
                            {
                                values.push((spec, v));
                            }
                        }
                        doc.add_line(&format!("{:08x}", i + 1), &values)?;
                    }
                    save_new(tx, &mut doc, &author)?;
                }
                Ok(())
            })?;
            done += count;
            progress(done, n as u64);
        }
        self.optimize()?;
        Ok(done)
    }
}
