//! Moving a store's contents out and in without a server: `export` (everything as one
//! documented JSON file; tables as CSV or XLSX: `sheets`; each record's Automerge document
//! as a standard `.automerge` file: `automerge_files`), `bundle` (every document, for
//! another store) and `absorb` (merge a bundle here, every document checked first:
//! [`absorb`]). Large runs report progress through a callback; files are written whole or
//! not at all.

mod absorb;
mod automerge_files;
mod sheets;

pub use sheets::ExportedTable;

use crate::error::{ClientError, Result};
use crate::store::Store;
use fieldbook_core::value::format_datetime;
use serde_json::{Value as Json, json};
use std::io::{BufWriter, Write};
use std::path::Path;
use time::OffsetDateTime;

/// The first bytes of a bundle file.
pub(crate) const BUNDLE_MAGIC: &[u8] = b"FIELDBOOK-BUNDLE-1\n";
/// The export format's name and version (see docs/formats.md).
pub const EXPORT_FORMAT: &str = "fieldbook-export";
pub const EXPORT_VERSION: u32 = 1;

/// Progress of a long run: `(done, total)`.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Writes `bytes` to `path` through a temporary file renamed into place, so a reader never
/// sees half a file. Errors name `path`, never the temporary file.
pub(crate) fn write_atomically(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
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
            self.for_each_doc(|_, data| {
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
