//! Moving records between owners: reassigning accounts (with every record that belongs to
//! them) and deactivating a user (everything they own goes to a successor, their tokens
//! are limited to one handover). Who may move what, and between whom, is decided here;
//! each moved record gets an `owner` entry in the log, so devices that lose it drop it and
//! devices that gain it receive it whole.

use super::{Service, admin_scope, need_user, now};
use crate::access::{Requester, Scope, require_in_scope};
use crate::error::{Result, ServerError};
use crate::storage::{RecordOwner, Repo, StorageExt};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, ReassignRequest, ReassignResponse,
};

/// Gives `records` to `to`, appending one `owner` entry each. Products stay no one's.
/// Returns (accounts, records) moved.
fn move_records(repo: &mut dyn Repo, records: &[RecordOwner], to: &str) -> Result<(u64, u64)> {
    let at = now();
    let (mut accounts, mut moved) = (0, 0);
    for r in records {
        if r.owner.as_deref() == Some(to) || r.kind == Kind::Product {
            continue;
        }
        repo.set_owner(r.id, to)?;
        repo.append_owner(r.id, to, r.owner.as_deref(), &at)?;
        moved += 1;
        if r.kind == Kind::Account {
            accounts += 1;
        }
    }
    Ok((accounts, moved))
}

fn need_active(repo: &mut dyn Repo, name: &str) -> Result<()> {
    let u = need_user(repo, name)?;
    if !u.active {
        return Err(ServerError::Conflict(format!(
            "{name} is deactivated{}",
            u.successor
                .map(|s| format!(" (their records went to {s})"))
                .unwrap_or_default()
        )));
    }
    Ok(())
}

fn require_covered(scope: &Scope, by: &Requester, records: &[RecordOwner]) -> Result<()> {
    for r in records {
        if let Some(o) = &r.owner
            && !scope.covers(o)
        {
            return Err(ServerError::Forbidden(format!(
                "record {} belongs to {o}, who is not in a team {} manages",
                r.id,
                by.name()
            )));
        }
    }
    Ok(())
}

/// The records a reassignment moves: everything `from` owns, or the named accounts with
/// everything that hangs on them.
fn to_reassign(repo: &mut dyn Repo, req: &ReassignRequest) -> Result<Vec<RecordOwner>> {
    if req.accounts.is_empty() {
        let from = req.from.as_deref().ok_or_else(|| {
            ServerError::BadRequest(
                "say whose accounts to move (`from`) or which (`accounts`)".into(),
            )
        })?;
        // Everything `from` owns: accounts, what hangs on them, tasks of their own.
        return repo.records_owned_by(from);
    }
    let mut records = Vec::new();
    for &id in &req.accounts {
        let Some(placed) = repo.placement(id)? else {
            return Err(ServerError::NotFound(format!(
                "there is no record {id} on the server"
            )));
        };
        if placed.kind != Kind::Account {
            return Err(ServerError::BadRequest(format!(
                "{id} is {}, not an account: reassign its account",
                placed.kind.a()
            )));
        }
        if let Some(from) = &req.from
            && placed.owner.as_deref() != Some(from.as_str())
        {
            return Err(ServerError::Conflict(format!(
                "account {id} belongs to {}, not {from}",
                placed.owner.as_deref().unwrap_or("no one")
            )));
        }
        records.extend(repo.records_of_account(id)?);
    }
    Ok(records)
}

impl Service {
    /// Moves accounts, with every record that belongs to them, to another active user.
    pub fn reassign(&self, by: &Requester, req: &ReassignRequest) -> Result<ReassignResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.write(move |repo| {
            let scope = admin_scope(repo, &by)?;
            let to = req.to.trim();
            need_active(repo, to)?;
            require_in_scope(&scope, &by, to)?;
            if let Some(from) = &req.from {
                need_user(repo, from)?;
                require_in_scope(&scope, &by, from)?;
                if from == to {
                    return Err(ServerError::BadRequest(format!(
                        "`from` and `to` are both {to}: name another user to give the accounts to"
                    )));
                }
            }
            let records = to_reassign(repo, &req)?;
            require_covered(&scope, &by, &records)?;
            let (accounts, records) = move_records(repo, &records, to)?;
            Ok(ReassignResponse { accounts, records })
        })
    }

    /// Deactivates a user: their records go to the successor, their tokens only hand over.
    /// Lists the devices that held unsynced changes at their last contact.
    pub fn deactivate(
        &self,
        by: &Requester,
        req: &DeactivateRequest,
    ) -> Result<DeactivateResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.write(move |repo| {
            let scope = admin_scope(repo, &by)?;
            let (user, successor) = (req.user.trim(), req.successor.trim());
            need_active(repo, user)?;
            need_active(repo, successor)?;
            require_in_scope(&scope, &by, user)?;
            require_in_scope(&scope, &by, successor)?;
            if user == successor {
                return Err(ServerError::BadRequest(format!(
                    "{user} cannot succeed themselves: name who takes over their accounts"
                )));
            }
            if matches!(&by, Requester::User { name, .. } if name == user) {
                return Err(ServerError::BadRequest(
                    "you cannot deactivate yourself: ask an admin".into(),
                ));
            }
            let owned = repo.records_owned_by(user)?;
            let (accounts, records) = move_records(repo, &owned, successor)?;
            let tokens_revoked = repo.deactivate_tokens(user)?;
            repo.deactivate_user(user, successor)?;
            let mut devices_with_pending = repo.devices(Some(user))?;
            devices_with_pending.retain(|d| d.pending > 0 && !d.wiped);
            Ok(DeactivateResponse {
                accounts,
                records,
                tokens_revoked,
                devices_with_pending,
            })
        })
    }
}
