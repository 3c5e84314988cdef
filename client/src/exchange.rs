//! Moving a store's contents out and in without a server: `export` (everything as one
//! documented JSON file), `bundle` (every document, for another store) and `absorb` (merge
//! a bundle here). Large runs report progress through a callback and write in batches, so a
//! kill leaves every finished batch in place and nothing half-written.

use crate::error::{ClientError, Result};
use crate::merge::{self, Merged, Origin};
use crate::model::AbsorbReport;
use crate::store::Store;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::value::format_datetime;
use serde_json::{Value as Json, json};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use time::OffsetDateTime;

/// The first bytes of a bundle file.
const BUNDLE_MAGIC: &[u8] = b"FIELDBOOK-BUNDLE-1\n";
/// The export format's name and version (see docs/formats.md).
pub const EXPORT_FORMAT: &str = "fieldbook-export";
pub const EXPORT_VERSION: u32 = 1;
/// Documents absorbed per transaction.
const ABSORB_BATCH: usize = 500;

/// Progress of a long run: `(done, total)`.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Writes `bytes` to `path` through a temporary file renamed into place, so a reader never
/// sees half a file. Errors name `path`, never the temporary file.
fn write_atomically(path: &Path, f: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if path.is_dir() {
        return Err(ClientError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a directory: give a file name",
            ),
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(ClientError::io(path))?;
        let mut w = BufWriter::new(file);
        f(&mut w)?;
        let file = w.into_inner().map_err(|e| ClientError::Io {
            path: path.to_path_buf(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(ClientError::io(path))?;
        std::fs::rename(&tmp, path).map_err(ClientError::io(path))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::store::sync_dir(dir)
}

impl Store {
    /// Writes every record (all fields, computed values, metadata, open conflicts) as one
    /// JSON document, records ordered by id. Returns the number of records.
    pub fn export(&self, out: &Path, progress: Progress) -> Result<u64> {
        let ids = self.doc_ids()?;
        let total = ids.len() as u64;
        write_atomically(out, |w| {
            let header = json!({
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "exported_at": format_datetime(OffsetDateTime::now_utc()),
                "exported_by": self.settings().user,
            });
            let header = serde_json::to_string_pretty(&header).unwrap_or_default();
            let io = |e| ClientError::Io {
                path: out.to_path_buf(),
                source: e,
            };
            w.write_all(header.trim_end_matches('}').trim_end().as_bytes())
                .map_err(io)?;
            w.write_all(b",\n  \"records\": [").map_err(io)?;
            for (i, id) in ids.iter().enumerate() {
                let record = Json::Object(self.record_json(*id)?);
                w.write_all(if i == 0 { b"\n    " } else { b",\n    " })
                    .map_err(io)?;
                serde_json::to_writer(&mut *w, &record).map_err(|e| io(e.into()))?;
                progress(i as u64 + 1, total);
            }
            w.write_all(b"\n  ]\n}\n").map_err(io)?;
            Ok(())
        })?;
        Ok(total)
    }

    /// Writes every document of this store into a bundle file. Returns the document count.
    pub fn bundle(&self, out: &Path, progress: Progress) -> Result<u64> {
        let ids = self.doc_ids()?;
        let total = ids.len() as u64;
        write_atomically(out, |w| {
            let io = |e| ClientError::Io {
                path: out.to_path_buf(),
                source: e,
            };
            w.write_all(BUNDLE_MAGIC).map_err(io)?;
            w.write_all(&total.to_be_bytes()).map_err(io)?;
            let mut done = 0;
            self.for_each_doc(|data| {
                w.write_all(&(data.len() as u64).to_be_bytes())
                    .map_err(io)?;
                w.write_all(data).map_err(io)?;
                done += 1;
                progress(done, total);
                Ok(())
            })
        })?;
        Ok(total)
    }

    /// Merges a bundle from another store into this one. Every merged change also goes to
    /// the outbox, so hand-carried knowledge reaches the server too.
    pub fn absorb(&mut self, path: &Path, progress: Progress) -> Result<AbsorbReport> {
        let bad = |why: &str| ClientError::BadBundle {
            path: path.to_path_buf(),
            why: why.into(),
        };
        let file = std::fs::File::open(path).map_err(ClientError::io(path))?;
        let mut r = BufReader::new(file);
        let mut magic = vec![0u8; BUNDLE_MAGIC.len()];
        r.read_exact(&mut magic).map_err(|_| bad("too short"))?;
        if magic != BUNDLE_MAGIC {
            return Err(bad("wrong header"));
        }
        let mut n = [0u8; 8];
        r.read_exact(&mut n).map_err(|_| bad("truncated"))?;
        let total = u64::from_be_bytes(n);
        // Read and check a whole batch before writing any of it.
        let mut report = AbsorbReport::default();
        let mut done = 0u64;
        while done < total {
            let mut batch: Vec<RecordDoc> = Vec::with_capacity(ABSORB_BATCH);
            while batch.len() < ABSORB_BATCH && done + (batch.len() as u64) < total {
                r.read_exact(&mut n).map_err(|_| bad("truncated"))?;
                let len = u64::from_be_bytes(n);
                if len > 64 << 20 {
                    return Err(bad("a document larger than 64 MiB"));
                }
                let mut data = vec![0u8; len as usize];
                r.read_exact(&mut data).map_err(|_| bad("truncated"))?;
                let doc = RecordDoc::load(&data, &self.settings().actor)
                    .map_err(|e| bad(&format!("a damaged document: {e}")))?;
                batch.push(doc);
            }
            let count = batch.len() as u64;
            self.write(|tx| {
                tx.parents_may_follow();
                for incoming in batch {
                    match merge::merge_doc(tx, incoming, Origin::Bundle)? {
                        Merged::New { changes } => {
                            report.new_records += 1;
                            report.new_changes += changes as u64;
                        }
                        Merged::Updated { changes } => {
                            report.updated_records += 1;
                            report.new_changes += changes as u64;
                        }
                        Merged::Unchanged => {}
                    }
                }
                Ok(())
            })?;
            done += count;
            report.documents = done;
            progress(done, total);
        }
        if report.new_records + report.updated_records > ABSORB_BATCH as u64 {
            self.optimize()?;
        }
        Ok(report)
    }
}

impl Store {
    /// A record as the record contract's JSON (the export format's records): every field,
    /// computed values, metadata and open conflicts.
    pub(crate) fn record_json(&self, id: uuid::Uuid) -> Result<serde_json::Map<String, Json>> {
        let mut stored = self.load_doc(id)?;
        let record = stored.doc.read();
        let mut m = record.to_json(&self.owner_of(id)?);
        m.insert(
            "attention".into(),
            serde_json::to_value(fieldbook_core::rules::attention(&record)).unwrap_or(Json::Null),
        );
        let conflicts = stored.doc.conflicts()?;
        m.insert(
            "conflicts".into(),
            serde_json::to_value(conflicts).unwrap_or(Json::Null),
        );
        Ok(m)
    }
}
