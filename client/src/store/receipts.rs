//! When the server received each change (table `receipts`, one row per change hash), as it
//! said in a pulled page or in the answer to a push. A receipt told again changes nothing;
//! a change the server never said it received has none.

use super::{Store, Tx};
use crate::error::Result;
use rusqlite::{OptionalExtension, params};

impl Tx<'_> {
    /// Remembers when the server received these changes (hash, RFC 3339 time).
    pub fn remember_receipts<'a>(
        &self,
        receipts: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO receipts (hash, received_at) VALUES (?1, ?2)
             ON CONFLICT (hash) DO NOTHING",
        )?;
        for (hash, at) in receipts {
            stmt.execute(params![hash, at])?;
        }
        Ok(())
    }
}

impl Store {
    /// When the server received the change `hash`, if it said so.
    pub fn received_at(&self, hash: &str) -> Result<Option<String>> {
        Ok(self
            .db()?
            .prepare_cached("SELECT received_at FROM receipts WHERE hash = ?1")?
            .query_row([hash], |r| r.get(0))
            .optional()?)
    }
}
