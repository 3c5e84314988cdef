//! Filling a store with a generated, realistic book of business (`fieldbook demo`), through
//! the same checks and write path as typed-in records, in batched transactions.

use crate::edit::{prepare_new, save_new};
use crate::error::Result;
use crate::exchange::Progress;
use crate::store::{Store, projection};
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::schema;
use fieldbook_core::value;
use time::OffsetDateTime;

/// Records written per transaction.
const BATCH: usize = 1000;

/// A demo product whose SKU is already taken here (a second demo run) gets a suffix.
fn free_sku(conn: &rusqlite::Connection, args: &mut [String]) -> Result<()> {
    let Some(arg) = args.iter_mut().find(|a| a.starts_with("sku=")) else {
        return Ok(());
    };
    let base = arg["sku=".len()..].to_string();
    let mut candidate = base.clone();
    let mut n = 1;
    let taken = |sku: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached("SELECT 1 FROM p_product WHERE sku = ?1")?
            .exists([sku])?)
    };
    while taken(&candidate)? {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    *arg = format!("sku={candidate}");
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
            self.write(|tx, s| {
                let author = Author {
                    user: s.user.clone(),
                    at: now,
                };
                let mut search = Vec::with_capacity(BATCH);
                for rec in batch {
                    let mut args: Vec<String> =
                        rec.fields.iter().map(|(f, v)| format!("{f}={v}")).collect();
                    if rec.kind == fieldbook_core::Kind::Product {
                        free_sku(tx, &mut args)?;
                    }
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
                    save_new(tx, &mut doc, &author, &mut search)?;
                }
                projection::write_search(tx, &search)
            })?;
            done += count;
            progress(done, n as u64);
        }
        self.optimize()?;
        Ok(done)
    }
}
