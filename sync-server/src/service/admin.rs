//! Users and teams: who may list and change them, what their names may be, who manages a
//! team, and what a change does to what people see. A change that alters someone's scope
//! (a team, a role, a team's manager) appends a `grant` or `revoke` for every record that
//! became visible or invisible to them, so their devices receive those records whole or
//! drop them at the next pull.

use super::{Service, admin_scope, need_user, now, scope_of};
use crate::access::{Requester, Scope};
use crate::error::{Result, ServerError};
use crate::names;
use crate::storage::{NewUserRow, Repo, ScopeEvent, StorageExt, UserUpdate};
use fieldbook_core::protocol::{NewUser, Role, UserInfo};
use serde::Serialize;
use std::collections::BTreeSet;

/// A team and who is in it.
#[derive(Clone, Debug, Serialize)]
pub struct TeamInfo {
    pub name: String,
    pub manager: Option<String>,
    pub members: Vec<String>,
}

/// Changes to a user; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    /// `Some(None)` takes the user out of their team.
    pub team: Option<Option<String>>,
    /// A new password, in clear (hashed here).
    pub password: Option<String>,
}

impl Service {
    /// Users the requester may see, by name.
    pub fn users(&self, by: &Requester) -> Result<Vec<UserInfo>> {
        self.storage.read(|repo| {
            let scope = admin_scope(repo, by)?;
            let mut users = repo.users()?;
            users.retain(|u| scope.covers(&u.name));
            Ok(users)
        })
    }

    /// Refuses a user that `by` may not add, whose names are not valid, or who would join
    /// a team that does not exist (only a manager may name a new team: they manage it):
    /// what [`Service::add_user`] checks before it looks at the password (the command line
    /// asks it before prompting for one).
    pub fn check_new_user(
        &self,
        by: &Requester,
        name: &str,
        role: Role,
        team: Option<&str>,
    ) -> Result<()> {
        by.require_admin()?;
        names::user(name)?;
        if let Some(t) = team {
            names::team(t)?;
            self.storage.read(|repo| require_team(repo, t, role))?;
        }
        Ok(())
    }

    /// Adds a user. A manager joining a team that has no manager yet becomes its manager.
    pub fn add_user(&self, by: &Requester, new: NewUser) -> Result<UserInfo> {
        self.check_new_user(by, &new.name, new.role, new.team.as_deref())?;
        names::password(&new.password)?;
        let row = NewUserRow {
            password_hash: self.passwords.hash(&new.password)?,
            name: new.name,
            role: new.role,
            team: new.team,
        };
        self.storage.write(move |repo| {
            let user = &row;
            if repo.user(&user.name)?.is_some() {
                return Err(ServerError::Conflict(format!(
                    "user `{}` exists already: change it with `fieldbook-server user set {}`",
                    user.name, user.name
                )));
            }
            if let Some(t) = &user.team {
                require_team(repo, t, user.role)?;
            }
            let manages = match &user.team {
                Some(t) if user.role == Role::Manager && repo.team_manager(t)?.is_none() => Some(t),
                _ => None,
            };
            let mut viewers = BTreeSet::from([user.name.clone()]);
            if let Some(t) = &user.team {
                viewers.extend(repo.team_manager(t)?);
            }
            rescope(repo, viewers, |repo| {
                let at = now();
                repo.insert_user(user, &at)?;
                if let Some(t) = manages {
                    repo.insert_team(t, &user.name, &at)?;
                }
                Ok(())
            })?;
            need_user(repo, &user.name)
        })
    }

    /// Changes a user's role, team or password.
    pub fn update_user(&self, by: &Requester, name: &str, change: UserChange) -> Result<UserInfo> {
        by.require_admin()?;
        if let Some(Some(t)) = &change.team {
            names::team(t)?;
        }
        let password_hash = match &change.password {
            Some(p) => {
                names::password(p)?;
                Some(self.passwords.hash(p)?)
            }
            None => None,
        };
        let update = UserUpdate {
            role: change.role,
            team: change.team,
            password_hash,
        };
        let name = name.to_string();
        self.storage.write(move |repo| {
            let current = need_user(repo, &name)?;
            if let Some(Some(t)) = &update.team {
                require_team(repo, t, update.role.unwrap_or(current.role))?;
            }
            let mut viewers = BTreeSet::from([name.clone()]);
            let teams = [
                current.team.as_ref(),
                update.team.as_ref().and_then(|t| t.as_ref()),
            ];
            for team in teams.into_iter().flatten() {
                viewers.extend(repo.team_manager(team)?);
            }
            let role = update.role.unwrap_or(current.role);
            rescope(repo, viewers, |repo| {
                repo.update_user(&name, &update)?;
                // A manager joining a team no one manages manages it.
                if let Some(Some(t)) = &update.team
                    && role == Role::Manager
                    && repo.team_manager(t)?.is_none()
                {
                    repo.insert_team(t, &name, &now())?;
                }
                Ok(())
            })?;
            need_user(repo, &name)
        })
    }

    /// Adds a team managed by `manager`, who must be a manager.
    pub fn add_team(&self, by: &Requester, team: &str, manager: &str) -> Result<TeamInfo> {
        by.require_admin()?;
        names::team(team)?;
        let (team, manager) = (team.to_string(), manager.to_string());
        self.storage.write(move |repo| {
            let m = need_user(repo, &manager)?;
            if m.role != Role::Manager {
                return Err(ServerError::BadRequest(format!(
                    "{manager} is {} {}, not a manager: first `fieldbook-server user set {manager} --role manager`",
                    if m.role == Role::Admin { "an" } else { "a" },
                    m.role.as_str()
                )));
            }
            if let Some(existing) = repo.team_manager(&team)? {
                return Err(ServerError::Conflict(format!(
                    "team `{team}` exists already (managed by {existing})"
                )));
            }
            rescope(repo, BTreeSet::from([manager.clone()]), |repo| {
                repo.insert_team(&team, &manager, &now())
            })?;
            team_info(repo, &team)
        })
    }

    /// Every team (with a manager or only named by its members), by name.
    pub fn teams(&self, by: &Requester) -> Result<Vec<TeamInfo>> {
        by.require_manager()?;
        self.storage.read(|repo| {
            let names = repo.team_names()?;
            names.iter().map(|t| team_info(repo, t)).collect()
        })
    }
}

/// Refuses a team no one manages yet, unless a manager joins it (adding a manager with a
/// new team makes them its manager): a team is made with `team add` first.
fn require_team(repo: &mut dyn Repo, team: &str, role: Role) -> Result<()> {
    if role == Role::Manager || repo.team_manager(team)?.is_some() {
        return Ok(());
    }
    Err(ServerError::BadRequest(format!(
        "there is no team `{team}`: add it first with `fieldbook-server team add {team} --manager NAME`"
    )))
}

pub(super) fn team_info(repo: &mut dyn Repo, team: &str) -> Result<TeamInfo> {
    Ok(TeamInfo {
        name: team.to_string(),
        manager: repo.team_manager(team)?,
        members: repo.team_members(team)?,
    })
}

fn current_scope(repo: &mut dyn Repo, user: &str) -> Result<Option<Scope>> {
    match repo.user(user)? {
        Some(u) => Ok(Some(scope_of(repo, user, u.role)?)),
        None => Ok(None),
    }
}

/// Runs `change`, then records for each of `viewers` whose scope it changed which records
/// they gained (`grant`) or lost (`revoke`).
pub(super) fn rescope<T>(
    repo: &mut dyn Repo,
    viewers: BTreeSet<String>,
    change: impl FnOnce(&mut dyn Repo) -> Result<T>,
) -> Result<T> {
    let mut before = Vec::new();
    for v in viewers {
        let scope = current_scope(repo, &v)?;
        before.push((v, scope));
    }
    let out = change(repo)?;
    for (viewer, old) in before {
        let old = old.unwrap_or(Scope::Owners(BTreeSet::new()));
        let Some(new) = current_scope(repo, &viewer)? else {
            continue;
        };
        if old != new {
            record_scope_change(repo, &viewer, &old, &new)?;
        }
    }
    Ok(out)
}

fn record_scope_change(repo: &mut dyn Repo, viewer: &str, old: &Scope, new: &Scope) -> Result<()> {
    let at = now();
    // Only the owners that came or went matter.
    let records = match (old.owners(), new.owners()) {
        (Some(a), Some(b)) => {
            let mut records = Vec::new();
            for owner in a.symmetric_difference(b) {
                records.extend(repo.records_owned_by(owner)?);
            }
            records
        }
        _ => repo.owned_records()?,
    };
    for r in records {
        let Some(owner) = &r.owner else { continue };
        let event = match (old.covers(owner), new.covers(owner)) {
            (false, true) => ScopeEvent::Grant,
            (true, false) => ScopeEvent::Revoke,
            _ => continue,
        };
        repo.append_scope(r.id, event, owner, viewer, &at)?;
    }
    Ok(())
}
