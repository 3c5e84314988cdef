//! The likely duplicates an import lists: each new row compared with the records the store
//! held and with the other rows, by the same rules as `fieldbook duplicates`
//! ([`crate::duplicates::likely_pairs`]). What the store held is read first; the comparing
//! needs no store, so it runs on its own thread while the rows are written.

use super::plan::{self, Planned};
use super::{DUPLICATES_LISTED, LikelyDuplicate};
use crate::duplicates;
use crate::error::Result;
use crate::store::Store;
use fieldbook_core::Kind;
use fieldbook_core::dedupe::{Candidate, Subject};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What is compared: the records held, then the new rows (with their lines).
pub(super) struct Compared {
    subject: Subject,
    candidates: Vec<(Candidate, Option<String>)>,
    held: usize,
    lines: Vec<u64>,
}

impl Compared {
    /// Reads what the rows are compared with; `None` when records of `kind` are not
    /// compared, or there are no rows.
    pub fn gather(store: &Store, kind: Kind, planned: &[Planned]) -> Result<Option<Compared>> {
        let Some(subject) = duplicates::dedupe_subject(kind) else {
            return Ok(None);
        };
        if planned.is_empty() {
            return Ok(None);
        }
        let within = duplicates::compared_within(kind);
        let mut candidates = store.dedupe_candidates(kind, within)?;
        let held = candidates.len();
        candidates.extend(planned.iter().map(|p| plan::candidate(kind, p, within)));
        Ok(Some(Compared {
            subject,
            candidates,
            held,
            lines: planned.iter().map(|p| p.line).collect(),
        }))
    }

    /// The likely duplicates (at most [`DUPLICATES_LISTED`]: the best of each row first),
    /// by line, and how many were found.
    pub fn find(self) -> (Vec<LikelyDuplicate>, u64) {
        let c = &self.candidates;
        let index: HashMap<Uuid, usize> =
            c.iter().enumerate().map(|(i, (c, _))| (c.id, i)).collect();
        let line_of = |i: usize| (i >= self.held).then(|| self.lines[i - self.held]);
        let mut out = Vec::new();
        for pair in duplicates::likely_pairs(c, self.subject) {
            let (a, b) = (index[&pair.a], index[&pair.b]);
            // New first; the other is held, or a row above.
            let (new, other) = match (line_of(a), line_of(b)) {
                (None, None) => continue,
                (Some(_), None) => (a, b),
                (None, Some(_)) => (b, a),
                (Some(x), Some(y)) if x > y => (a, b),
                (Some(_), Some(_)) => (b, a),
            };
            out.push(LikelyDuplicate {
                line: line_of(new).unwrap_or_default(),
                id: c[new].0.id,
                name: c[new].0.name.clone(),
                other_id: c[other].0.id,
                other_line: line_of(other),
                other_name: c[other].0.name.clone(),
                score: pair.score,
                reasons: pair.reasons,
            });
        }
        let found = out.len() as u64;
        if out.len() > DUPLICATES_LISTED {
            // The best pair of each row first, then the others, best first.
            let mut seen = HashSet::new();
            let (mut best, mut rest): (Vec<_>, Vec<_>) =
                out.into_iter().partition(|d| seen.insert(d.line));
            let by_score = |x: &LikelyDuplicate, y: &LikelyDuplicate| {
                y.score.total_cmp(&x.score).then(x.line.cmp(&y.line))
            };
            best.sort_by(by_score);
            rest.sort_by(by_score);
            best.extend(rest);
            best.truncate(DUPLICATES_LISTED);
            out = best;
        }
        out.sort_by(|x, y| x.line.cmp(&y.line).then(y.score.total_cmp(&x.score)));
        (out, found)
    }
}
