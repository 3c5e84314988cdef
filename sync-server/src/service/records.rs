//! What the server holds, for the people who run it: refused changes (within the
//! requester's teams), the stored counts `/metrics` shows, and backups.

use super::{Service, admin_scope};
use crate::access::Requester;
use crate::error::{Result, ServerError};
use crate::storage::{Backup, Counts, StorageExt};
use fieldbook_core::protocol::QuarantineEntry;
use std::path::Path;

impl Service {
    /// Refused changes the requester may review, oldest first.
    pub fn quarantine(&self, by: &Requester) -> Result<Vec<QuarantineEntry>> {
        self.storage.read(|repo| {
            let scope = admin_scope(repo, by)?;
            let mut entries = repo.quarantine()?;
            entries.retain(|q| scope.covers(&q.user));
            Ok(entries)
        })
    }

    /// How many records, log entries, refused changes, users and devices are stored.
    pub fn counts(&self) -> Result<Counts> {
        self.storage.read(|repo| repo.counts())
    }

    /// Writes a consistent copy of everything to `to`, a new file, while serving goes on.
    pub fn backup(&self, to: &Path) -> Result<Backup> {
        if to.exists() {
            return Err(ServerError::Conflict(format!(
                "{} already exists: choose a new file for the backup",
                to.display()
            )));
        }
        self.storage.backup(to)
    }
}
