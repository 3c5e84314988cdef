//! Likely duplicates in the store, and merging two records that are one.
//!
//! [`Store::duplicates`] compares the live records of a kind by core's rules
//! ([`fieldbook_core::dedupe`]: normalized names, phones, e-mail, website domains), blocked
//! by shared keys so a book of 100,000 accounts is not compared pair by pair.
//! [`Store::merge`] (in `merge`) folds one record into another; `moves` carries the
//! records that referred to it over to the kept one.
//!
//! Knows nothing of SQL (reads and writes go through the store's typed API) or of command
//! lines.

mod merge;
mod moves;

use crate::error::{ClientError, Result};
use crate::import::dedupe_subject;
use crate::store::Store;
use fieldbook_core::Kind;
use fieldbook_core::dedupe::{self, Reason};
pub use merge::{FieldChoice, MergeReport, Moved, Relinked, Side};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Two live records that likely are one. `a` is the older (ids grow with time), so the
/// one usually kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    pub a: Uuid,
    pub a_name: String,
    pub b: Uuid,
    pub b_name: String,
    /// From 0.5 (likely) to 1.
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Why records of a kind are not compared or merged.
fn not_compared(kind: Kind) -> ClientError {
    ClientError::NotMergeable(format!(
        "{} are not compared for duplicates or merged: accounts and contacts are",
        kind.plural()
    ))
}

impl Store {
    /// Likely duplicate pairs among the live records of `kind` (accounts, contacts), best
    /// first.
    pub fn duplicates(&self, kind: Kind) -> Result<Vec<DuplicatePair>> {
        let subject = dedupe_subject(kind).ok_or_else(|| not_compared(kind))?;
        let candidates = self.dedupe_candidates(kind)?;
        let names: HashMap<Uuid, &str> =
            candidates.iter().map(|c| (c.id, c.name.as_str())).collect();
        Ok(dedupe::find(&candidates, subject)
            .into_iter()
            .map(|p| DuplicatePair {
                a: p.a,
                a_name: names.get(&p.a).copied().unwrap_or_default().to_string(),
                b: p.b,
                b_name: names.get(&p.b).copied().unwrap_or_default().to_string(),
                score: p.score,
                reasons: p.reasons,
            })
            .collect())
    }
}
