//! Records read for the web page (read-only): one record or a page of one kind, as their
//! projections, only what the user sees (their scope, their shares; personal records their
//! owner's only). Never loads a document; writes nothing.

use super::{Service, scope_of, shares_of};
use crate::access::{Requester, Scope, Shares, Viewer};
use crate::error::{Result, ServerError};
use crate::storage::StorageExt;
use fieldbook_core::Kind;
use fieldbook_core::protocol::RecordsPage;
use serde_json::{Map, Value as Json};
use uuid::Uuid;

/// The most records one page gives.
pub const MAX_PAGE: usize = 500;

/// A stored projection with its owner, if it is live.
fn live(record: &str, owner: Option<&str>) -> Result<Option<Map<String, Json>>> {
    let Json::Object(mut m) = serde_json::from_str(record)
        .map_err(|e| ServerError::Damaged(format!("a stored projection ({e})")))?
    else {
        return Err(ServerError::Damaged(
            "a stored projection is not an object".into(),
        ));
    };
    if m.get("deleted").and_then(Json::as_bool) == Some(true) {
        return Ok(None);
    }
    m.insert(
        "owner".into(),
        owner.map_or(Json::Null, |o| Json::String(o.into())),
    );
    Ok(Some(m))
}

fn seen(repo: &mut dyn crate::storage::Repo, by: &Requester) -> Result<(String, Scope, Shares)> {
    Ok(match by {
        Requester::Operator => ("".into(), Scope::All, Shares::default()),
        Requester::User { name, role } => (
            name.clone(),
            scope_of(repo, name, *role)?,
            shares_of(repo, name)?,
        ),
    })
}

impl Service {
    /// One record `by` sees, as its projection; any other is "not found" (whether it
    /// exists is not told).
    pub fn record(&self, by: &Requester, id: Uuid) -> Result<Map<String, Json>> {
        let by = by.clone();
        self.storage.read(move |repo| {
            let (user, scope, shares) = seen(repo, &by)?;
            let viewer = Viewer {
                user: &user,
                scope: &scope,
                shares: &shares,
            };
            let found = match repo.snapshot(id)? {
                Some(s) if viewer.sees(s.kind, id, s.owner.as_deref()) => {
                    live(&s.record, s.owner.as_deref())?
                }
                _ => None,
            };
            found.ok_or_else(|| {
                ServerError::NotFound(format!("there is no record {id} that you may see"))
            })
        })
    }

    /// A page of the records of `kind` `by` sees through their scope (shared cases and
    /// their accounts are read one by one with [`Service::record`]), after `after`.
    pub fn records(
        &self,
        by: &Requester,
        kind: Kind,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<RecordsPage> {
        if kind.is_personal() {
            return Err(ServerError::BadRequest(format!(
                "{kind} records are personal: they are not listed"
            )));
        }
        let limit = limit.clamp(1, MAX_PAGE);
        let by = by.clone();
        self.storage.read(move |repo| {
            let (_, scope, _) = seen(repo, &by)?;
            let owners: Option<Vec<String>> = match kind {
                Kind::Product => None,
                _ => Some(match scope.owners() {
                    None => return page(repo, kind, None, after, limit),
                    Some(o) => o.iter().cloned().collect(),
                }),
            };
            page(repo, kind, owners.as_deref(), after, limit)
        })
    }
}

fn page(
    repo: &mut dyn crate::storage::Repo,
    kind: Kind,
    owners: Option<&[String]>,
    after: Option<Uuid>,
    limit: usize,
) -> Result<RecordsPage> {
    let rows = repo.records_page(kind, owners, after, limit)?;
    let next = (rows.len() == limit)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let mut records = Vec::new();
    for r in rows {
        if let Some(m) = live(&r.record, r.owner.as_deref())? {
            records.push(m);
        }
    }
    Ok(RecordsPage { records, next })
}
