//! Users and teams in SQL: listing, adding and changing them. A change that alters what
//! someone sees (a team, a role, a team's manager) appends `grant`/`revoke` entries for
//! every record that became visible or invisible to them, so their devices receive those
//! records whole or drop them at the next pull. Knows nothing of password hashing or HTTP.

use super::{admin_scope, need_user, now, parse_role, scope_of, user_info};
use crate::access::{Requester, Scope};
use crate::error::{Result, ServerError};
use crate::names;
use crate::storage::{NewUserRecord, TeamInfo, UserUpdate};
use fieldbook_core::protocol::{Role, UserInfo};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeSet;

/// Users the requester may see, by name.
pub(super) fn users(conn: &Connection, by: &Requester) -> Result<Vec<UserInfo>> {
    let scope = admin_scope(conn, by)?;
    let names: Vec<String> = conn
        .prepare_cached("SELECT name FROM users ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names.iter().filter(|n| scope.covers(n)) {
        out.extend(user_info(conn, name)?);
    }
    Ok(out)
}

fn team_manager(conn: &Connection, team: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT manager FROM teams WHERE name = ?1")?
        .query_row([team], |r| r.get(0))
        .optional()?)
}

pub(super) fn add_user(
    conn: &Connection,
    by: &Requester,
    user: &NewUserRecord,
) -> Result<UserInfo> {
    by.require_admin()?;
    names::user(&user.name)?;
    if let Some(t) = &user.team {
        names::team(t)?;
    }
    if user_info(conn, &user.name)?.is_some() {
        return Err(ServerError::Conflict(format!(
            "user `{}` exists already: change it with `fieldbook-server user set {}`",
            user.name, user.name
        )));
    }
    // A manager joining a team that has no manager yet becomes its manager.
    let manages = match &user.team {
        Some(t) if user.role == Role::Manager && team_manager(conn, t)?.is_none() => Some(t),
        _ => None,
    };
    let mut viewers = BTreeSet::from([user.name.clone()]);
    if let Some(t) = &user.team {
        viewers.extend(team_manager(conn, t)?);
    }
    rescope(conn, viewers, || {
        conn.prepare_cached(
            "INSERT INTO users (name, role, team, password_hash, active, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
        )?
        .execute(params![
            user.name,
            user.role.as_str(),
            user.team,
            user.password_hash,
            now()
        ])?;
        if let Some(t) = manages {
            conn.prepare_cached(
                "INSERT INTO teams (name, manager, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![t, user.name, now()])?;
        }
        Ok(())
    })?;
    need_user(conn, &user.name)
}

pub(super) fn update_user(
    conn: &Connection,
    by: &Requester,
    name: &str,
    update: &UserUpdate,
) -> Result<UserInfo> {
    by.require_admin()?;
    let current = need_user(conn, name)?;
    if let Some(Some(t)) = &update.team {
        names::team(t)?;
    }
    let mut viewers = BTreeSet::from([name.to_string()]);
    for team in [
        current.team.as_ref(),
        update.team.as_ref().and_then(|t| t.as_ref()),
    ]
    .into_iter()
    .flatten()
    {
        viewers.extend(team_manager(conn, team)?);
    }
    rescope(conn, viewers, || {
        if let Some(role) = update.role {
            conn.prepare_cached("UPDATE users SET role = ?2 WHERE name = ?1")?
                .execute(params![name, role.as_str()])?;
        }
        if let Some(team) = &update.team {
            conn.prepare_cached("UPDATE users SET team = ?2 WHERE name = ?1")?
                .execute(params![name, team])?;
        }
        if let Some(hash) = &update.password_hash {
            conn.prepare_cached("UPDATE users SET password_hash = ?2 WHERE name = ?1")?
                .execute(params![name, hash])?;
        }
        Ok(())
    })?;
    need_user(conn, name)
}

pub(super) fn add_team(
    conn: &Connection,
    by: &Requester,
    team: &str,
    manager: &str,
) -> Result<TeamInfo> {
    by.require_admin()?;
    names::team(team)?;
    let m = need_user(conn, manager)?;
    if m.role != Role::Manager {
        return Err(ServerError::BadRequest(format!(
            "{manager} is {} {}, not a manager: first `fieldbook-server user set {manager} --role manager`",
            if m.role == Role::Admin { "an" } else { "a" },
            m.role.as_str()
        )));
    }
    if let Some(existing) = team_manager(conn, team)? {
        return Err(ServerError::Conflict(format!(
            "team `{team}` exists already (managed by {existing})"
        )));
    }
    rescope(conn, BTreeSet::from([manager.to_string()]), || {
        conn.prepare_cached("INSERT INTO teams (name, manager, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![team, manager, now()])?;
        Ok(())
    })?;
    team_info(conn, team)
}

fn team_info(conn: &Connection, team: &str) -> Result<TeamInfo> {
    let members = conn
        .prepare_cached("SELECT name FROM users WHERE team = ?1 ORDER BY name")?
        .query_map([team], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(TeamInfo {
        name: team.to_string(),
        manager: team_manager(conn, team)?,
        members,
    })
}

/// Every team (with a manager or only named by its members), by name.
pub(super) fn teams(conn: &Connection, by: &Requester) -> Result<Vec<TeamInfo>> {
    by.require_manager()?;
    let names: Vec<String> = conn
        .prepare_cached(
            "SELECT name FROM teams UNION SELECT team FROM users WHERE team IS NOT NULL ORDER BY 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.iter().map(|t| team_info(conn, t)).collect()
}

fn current_scope(conn: &Connection, user: &str) -> Result<Option<Scope>> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM users WHERE name = ?1")?
        .query_row([user], |r| r.get(0))
        .optional()?;
    role.map(|r| scope_of(conn, user, parse_role(&r)?))
        .transpose()
}

/// Runs `change`, then records for each of `viewers` whose scope it changed which records
/// they gained (`grant`) or lost (`revoke`).
fn rescope<T>(
    conn: &Connection,
    viewers: BTreeSet<String>,
    change: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let mut before = Vec::new();
    for v in viewers {
        let scope = current_scope(conn, &v)?;
        before.push((v, scope));
    }
    let out = change()?;
    for (viewer, old) in before {
        let old = old.unwrap_or(Scope::Owners(BTreeSet::new()));
        let Some(new) = current_scope(conn, &viewer)? else {
            continue;
        };
        if old != new {
            record_scope_change(conn, &viewer, &old, &new)?;
        }
    }
    Ok(out)
}

fn record_scope_change(conn: &Connection, viewer: &str, old: &Scope, new: &Scope) -> Result<()> {
    let at = now();
    let mut insert = conn.prepare_cached(
        "INSERT INTO log (doc_id, event, owner, grantee, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut emit = |id: &str, owner: &str| -> Result<()> {
        let event = match (old.covers(owner), new.covers(owner)) {
            (false, true) => "grant",
            (true, false) => "revoke",
            _ => return Ok(()),
        };
        insert.execute(params![id, event, owner, viewer, at])?;
        Ok(())
    };
    match (old.owners(), new.owners()) {
        // Only the owners that came or went matter.
        (Some(a), Some(b)) => {
            let mut of_owner =
                conn.prepare_cached("SELECT id FROM docs WHERE owner = ?1 ORDER BY id")?;
            for owner in a.symmetric_difference(b) {
                let ids: Vec<String> = of_owner
                    .query_map([owner], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for id in ids {
                    emit(&id, owner)?;
                }
            }
        }
        _ => {
            let mut all = conn
                .prepare_cached("SELECT id, owner FROM docs WHERE owner IS NOT NULL ORDER BY id")?;
            let rows: Vec<(String, String)> = all
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, owner) in rows {
                emit(&id, &owner)?;
            }
        }
    }
    Ok(())
}
