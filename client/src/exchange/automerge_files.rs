//! Every record as a standard Automerge file (`<id>.automerge`: the document as
//! `save()` writes it, compacted), the open format any Automerge library loads: the
//! record's fields, its notes' text and its whole history, without Fieldbook.

use super::Progress;
use crate::error::{ClientError, Result};
use crate::store::{Store, sync_dir};
use std::io::Write;
use std::path::Path;

impl Store {
    /// Writes each record's document into `dir` (made if missing) as `<id>.automerge`; each
    /// file appears whole (written aside, then renamed). Returns the number of records.
    pub fn export_automerge(&self, dir: &Path, progress: Progress) -> Result<u64> {
        if dir.is_file() {
            return Err(ClientError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "is a file: give a directory for the .automerge files",
                ),
            });
        }
        std::fs::create_dir_all(dir).map_err(ClientError::io(dir))?;
        let total = self.doc_count()?;
        let mut done = 0u64;
        self.for_each_doc(|id, bytes| {
            let mut doc = automerge::AutoCommit::load(bytes).map_err(|e| ClientError::Damaged {
                id: id.to_string(),
                source: Box::new(e.into()),
            })?;
            let path = dir.join(format!("{id}.automerge"));
            let tmp = dir.join(format!(".{id}.automerge.partial"));
            let written = std::fs::File::create(&tmp)
                .and_then(|mut f| f.write_all(&doc.save()))
                .and_then(|()| std::fs::rename(&tmp, &path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(ClientError::Io { path, source: e });
            }
            done += 1;
            progress(done, total);
            Ok(())
        })?;
        sync_dir(dir)?;
        Ok(done)
    }
}
