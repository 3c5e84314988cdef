//! Likely duplicates in the store, and merging two records that are one.
//!
//! [`Store::duplicates`] compares the live records of a kind by core's rules
//! ([`fieldbook_core::dedupe`]: normalized names, phones, e-mail, website domains), blocked
//! by shared keys so a book of 100,000 accounts is not compared pair by pair. People are
//! compared within their account: two 张伟 at two companies are two people.
//! [`Store::merge`] (in `merge`) folds one record into another; `moves` carries the
//! records that referred to it over to the kept one.
//!
//! Knows nothing of SQL (reads and writes go through the store's typed API) or of command
//! lines.

mod merge;
mod moves;

use crate::error::{ClientError, Result};
use crate::store::Store;
use fieldbook_core::dedupe::{self, Candidate, Pair, Reason, Subject};
use fieldbook_core::{Kind, schema};
pub use merge::{FieldChoice, MergeReport, Moved, Relinked, Side};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Two live records that likely are one. `a` is the older (ids grow with time), so the
/// one usually kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// What records of a kind are compared as, if they are compared at all (those with a name
/// and a phone or an e-mail: accounts, contacts).
pub(crate) fn dedupe_subject(kind: Kind) -> Option<Subject> {
    let has = |f: &str| schema::fields(kind).iter().any(|s| s.name == f);
    if kind == Kind::Account {
        Some(Subject::Company)
    } else if has("name") && (has("phone") || has("email")) {
        Some(Subject::Person)
    } else {
        None
    }
}

/// The field within whose value records are compared: people within their account.
pub(crate) fn compared_within(kind: Kind) -> Option<&'static str> {
    let person = dedupe_subject(kind) == Some(Subject::Person);
    (person && schema::parent_field(kind) == Some("account_id")).then_some("account_id")
}

/// Likely duplicate pairs among `candidates`, each compared only with those of its group
/// (see [`compared_within`]); best first.
pub(crate) fn likely_pairs(
    candidates: &[(Candidate, Option<String>)],
    subject: Subject,
) -> Vec<Pair> {
    let mut groups: HashMap<Option<&str>, Vec<Candidate>> = HashMap::new();
    for (c, g) in candidates {
        groups.entry(g.as_deref()).or_default().push(c.clone());
    }
    let mut pairs: Vec<Pair> = groups
        .values()
        .flat_map(|members| dedupe::find(members, subject))
        .collect();
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    pairs
}

impl Store {
    /// Likely duplicate pairs among the live records of `kind` (accounts, contacts), best
    /// first.
    pub fn duplicates(&self, kind: Kind) -> Result<Vec<DuplicatePair>> {
        let subject = dedupe_subject(kind).ok_or_else(|| not_compared(kind))?;
        let candidates = self.dedupe_candidates(kind, compared_within(kind))?;
        let names: HashMap<Uuid, &str> = candidates
            .iter()
            .map(|(c, _)| (c.id, c.name.as_str()))
            .collect();
        Ok(likely_pairs(&candidates, subject)
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
