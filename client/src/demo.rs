//! Filling a store with a generated, realistic book of business (`fieldbook demo`), through
//! the same checks and write path as typed-in records, in batched transactions.

use crate::edit::{prepare_new, save_new};
use crate::error::Result;
use crate::exchange::Progress;
use crate::store::Store;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::schema;
use fieldbook_core::value;
use time::OffsetDateTime;

/// Records written per transaction.
const BATCH: usize = 1000;

impl Store {
    /// Adds `n` generated records (deterministic for a `seed`). Returns how many were added.
    pub fn demo(&mut self, n: usize, seed: u64, progress: Progress) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        let mut book = fieldbook_core::demo::generate(n, seed, now.date()).peekable();
        let mut done = 0u64;
        while book.peek().is_some() {
            let batch: Vec<_> = book.by_ref().take(BATCH).collect();
            let count = batch.len() as u64;
            self.write(|tx, s| {
                let author = Author {
                    user: s.user.clone(),
                    at: now,
                };
                for rec in batch {
                    let args: Vec<String> =
                        rec.fields.iter().map(|(f, v)| format!("{f}={v}")).collect();
                    let values = prepare_new(tx, s, rec.kind, rec.id, &args, now)?;
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
        self.checkpoint()?;
        Ok(done)
    }
}
