//! Reads about who owns what on this device: the owners of the accounts it holds (the
//! dashboard's rep filter, the hand-over's choices).

use super::Store;
use crate::error::Result;

impl Store {
    /// Every owner of a live account here, by name.
    pub fn account_owners(&self) -> Result<Vec<String>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT DISTINCT owner FROM records
             WHERE kind = 'account' AND deleted = 0 AND owner <> '' ORDER BY owner",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
