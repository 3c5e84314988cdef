//! Reads about who owns what on this device: the owners its records have, and what a
//! hand-over (a reassignment) would move — counted per kind from the projections, the way
//! the server moves them (an account with everything that hangs on it; all of an owner's
//! records). The server decides and moves; these counts only tell the manager beforehand.

use super::Store;
use crate::error::Result;
use fieldbook_core::Kind;
use rusqlite::params_from_iter;
use std::collections::BTreeMap;
use uuid::Uuid;

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

    /// Live records per kind that moving `accounts` (each with what hangs on it) would
    /// move; with no accounts, everything `owner` owns.
    pub(crate) fn records_moving(
        &self,
        owner: Option<&str>,
        accounts: &[Uuid],
    ) -> Result<BTreeMap<Kind, u64>> {
        let db = self.db()?;
        let (sql, args): (String, Vec<String>) = if accounts.is_empty() {
            (
                "SELECT kind, count(*) FROM records WHERE deleted = 0 AND owner = ?1
                 GROUP BY kind"
                    .into(),
                vec![owner.unwrap_or_default().to_string()],
            )
        } else {
            let marks = vec!["?"; accounts.len()].join(", ");
            (
                format!(
                    "SELECT kind, count(*) FROM records WHERE deleted = 0
                     AND (id IN ({marks}) OR account_id IN ({marks})) GROUP BY kind"
                ),
                accounts
                    .iter()
                    .chain(accounts)
                    .map(Uuid::to_string)
                    .collect(),
            )
        };
        let mut stmt = db.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (kind, n) = row?;
            // Personal records (dismissals) and products never move.
            if let Ok(kind) = Kind::parse(&kind)
                && !kind.is_personal()
                && kind != Kind::Product
            {
                out.insert(kind, n.max(0) as u64);
            }
        }
        Ok(out)
    }
}
