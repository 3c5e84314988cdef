//! Moving records between owners: reassigning accounts (with every record that belongs to
//! them) and deactivating a user (everything they own goes to a successor, their tokens
//! are limited to one handover). Who may move what, and between whom, is decided here;
//! each moved record gets an `owner` entry in the log, so devices that lose it drop it and
//! devices that gain it receive it whole. A preview runs the same checks and counts what
//! would move, writing nothing. A team's manager cannot be deactivated (the team would be
//! left without one).

use super::{Service, admin_scope, need_user, now};
use crate::access::{Requester, Scope, require_in_scope};
use crate::error::{Result, ServerError};
use crate::storage::{RecordOwner, Repo, StorageExt};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, DeviceInfo, MovePreview, ReassignRequest,
    ReassignResponse,
};
use std::collections::BTreeSet;

/// Gives `records` to `to`, appending one `owner` entry each. Products stay no one's.
/// Returns (accounts, records) moved.
fn move_records(repo: &mut dyn Repo, records: &[RecordOwner], to: &str) -> Result<(u64, u64)> {
    let at = now();
    let (mut accounts, mut moved) = (0, 0);
    for r in records {
        if !moves(r, to) {
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

/// Whether a move to `to` changes this record (products stay no one's).
fn moves(r: &RecordOwner, to: &str) -> bool {
    r.owner.as_deref() != Some(to) && r.kind != Kind::Product
}

/// The checks of a reassignment, and the records it moves.
fn plan_reassign(
    repo: &mut dyn Repo,
    by: &Requester,
    req: &ReassignRequest,
) -> Result<Vec<RecordOwner>> {
    let scope = admin_scope(repo, by)?;
    let to = req.to.trim();
    need_active(repo, to)?;
    require_in_scope(&scope, by, to)?;
    if let Some(from) = &req.from {
        need_user(repo, from)?;
        require_in_scope(&scope, by, from)?;
        if from == to {
            return Err(ServerError::BadRequest(format!(
                "`from` and `to` are both {to}: name another user to give the accounts to"
            )));
        }
    }
    let records = to_reassign(repo, req)?;
    require_covered(&scope, by, &records)?;
    Ok(records)
}

/// The checks of a departure, and the records it moves.
fn plan_deactivate(
    repo: &mut dyn Repo,
    by: &Requester,
    req: &DeactivateRequest,
) -> Result<Vec<RecordOwner>> {
    let scope = admin_scope(repo, by)?;
    let (user, successor) = (req.user.trim(), req.successor.trim());
    need_active(repo, user)?;
    need_active(repo, successor)?;
    require_in_scope(&scope, by, user)?;
    require_in_scope(&scope, by, successor)?;
    if user == successor {
        return Err(ServerError::BadRequest(format!(
            "{user} cannot succeed themselves: name who takes over their accounts"
        )));
    }
    if matches!(by, Requester::User { name, .. } if name == user) {
        return Err(ServerError::BadRequest(
            "you cannot deactivate yourself: ask an admin".into(),
        ));
    }
    // A team is never left without a manager.
    for team in repo.team_names()? {
        if repo.team_manager(&team)?.as_deref() == Some(user) {
            return Err(ServerError::Conflict(format!(
                "{user} manages team {team}, which would be left without a manager: first give \
                 it another one (`fieldbook-server team set {team} --manager NAME`)"
            )));
        }
    }
    repo.records_owned_by(user)
}

/// The devices of `users` that held unsynced changes at their last contact (not wiped).
fn devices_with_pending(repo: &mut dyn Repo, users: &BTreeSet<String>) -> Result<Vec<DeviceInfo>> {
    let mut out = Vec::new();
    for u in users {
        let mut devices = repo.devices(Some(u))?;
        devices.retain(|d| d.pending > 0 && !d.wiped);
        out.extend(devices);
    }
    Ok(out)
}

/// What moving `records` to `to` would do.
fn preview(repo: &mut dyn Repo, records: &[RecordOwner], to: &str) -> Result<MovePreview> {
    let mut p = MovePreview {
        to: to.to_string(),
        ..MovePreview::default()
    };
    let mut losing = BTreeSet::new();
    for r in records.iter().filter(|r| moves(r, to)) {
        *p.kinds.entry(r.kind).or_default() += 1;
        p.records += 1;
        if r.kind == Kind::Account {
            p.accounts += 1;
        }
        if let Some(o) = &r.owner {
            losing.insert(o.clone());
        }
    }
    p.devices_with_pending = devices_with_pending(repo, &losing)?;
    Ok(p)
}

impl Service {
    /// Moves accounts, with every record that belongs to them, to another active user.
    pub fn reassign(&self, by: &Requester, req: &ReassignRequest) -> Result<ReassignResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.write(move |repo| {
            let records = plan_reassign(repo, &by, &req)?;
            let (accounts, records) = move_records(repo, &records, req.to.trim())?;
            Ok(ReassignResponse { accounts, records })
        })
    }

    /// What [`Service::reassign`] would move (counts per kind) and which devices losing
    /// records still hold unsynced changes; the same checks, nothing written.
    pub fn preview_reassign(&self, by: &Requester, req: &ReassignRequest) -> Result<MovePreview> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.read(move |repo| {
            let records = plan_reassign(repo, &by, &req)?;
            preview(repo, &records, req.to.trim())
        })
    }

    /// Deactivates a user: their records go to the successor, their tokens only hand over.
    /// Lists the devices that held unsynced changes at their last contact. Refused for the
    /// manager of a team (the team would be left without one).
    pub fn deactivate(
        &self,
        by: &Requester,
        req: &DeactivateRequest,
    ) -> Result<DeactivateResponse> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.write(move |repo| {
            let owned = plan_deactivate(repo, &by, &req)?;
            let (user, successor) = (req.user.trim(), req.successor.trim());
            let (accounts, records) = move_records(repo, &owned, successor)?;
            let tokens_revoked = repo.deactivate_tokens(user)?;
            repo.deactivate_user(user, successor)?;
            let devices_with_pending = devices_with_pending(repo, &BTreeSet::from([user.into()]))?;
            Ok(DeactivateResponse {
                accounts,
                records,
                tokens_revoked,
                devices_with_pending,
            })
        })
    }

    /// What [`Service::deactivate`] would move and what the user's devices still hold
    /// unsynced; the same checks, nothing written.
    pub fn preview_deactivate(
        &self,
        by: &Requester,
        req: &DeactivateRequest,
    ) -> Result<MovePreview> {
        let (by, req) = (by.clone(), req.clone());
        self.storage.read(move |repo| {
            let owned = plan_deactivate(repo, &by, &req)?;
            preview(repo, &owned, req.successor.trim())
        })
    }
}
