//! What the server holds, for the people who run it: the stored counts `/metrics` shows,
//! and backups.

use super::Service;
use crate::error::{Result, ServerError};
use crate::storage::{Backup, Counts, StorageExt};
use std::path::Path;

impl Service {
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
