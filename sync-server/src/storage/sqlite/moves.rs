//! Moving records between owners in SQL: reassigning accounts (with every record that
//! belongs to them) and deactivating a user (everything they own goes to a successor,
//! their tokens are limited to one handover). Each moved record gets an `owner` entry in
//! the log, so devices that lose it drop it and devices that gain it receive it whole.
//! Knows nothing of HTTP; who may move what is `access`'s rule.

use super::{admin_scope, need_user, now, parse_kind, parse_uuid};
use crate::access::{Requester, Scope, require_in_scope};
use crate::error::{Result, ServerError};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, DeviceInfo, ReassignRequest, ReassignResponse,
};
use rusqlite::{Connection, OptionalExtension, params};

/// A record to move: id, kind, current owner.
type Moving = (String, Kind, Option<String>);

fn rows(conn: &Connection, sql: &str, key: &str) -> Result<Vec<Moving>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([key], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, owner) = row?;
        out.push((id, parse_kind(&kind)?, owner));
    }
    Ok(out)
}

/// Gives `records` to `to`, appending one `owner` entry each. Returns (accounts, records)
/// moved.
fn move_records(conn: &Connection, records: &[Moving], to: &str) -> Result<(u64, u64)> {
    let at = now();
    let mut set = conn.prepare_cached("UPDATE docs SET owner = ?2 WHERE id = ?1")?;
    let mut log = conn.prepare_cached(
        "INSERT INTO log (doc_id, event, owner, old_owner, at) VALUES (?1, 'owner', ?2, ?3, ?4)",
    )?;
    let (mut accounts, mut moved) = (0, 0);
    for (id, kind, owner) in records {
        if owner.as_deref() == Some(to) || *kind == Kind::Product {
            continue;
        }
        set.execute(params![id, to])?;
        log.execute(params![id, to, owner, at])?;
        moved += 1;
        if *kind == Kind::Account {
            accounts += 1;
        }
    }
    Ok((accounts, moved))
}

fn need_active(conn: &Connection, name: &str) -> Result<()> {
    let u = need_user(conn, name)?;
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

fn require_covered(scope: &Scope, by: &Requester, records: &[Moving]) -> Result<()> {
    for (id, _, owner) in records {
        if let Some(o) = owner
            && !scope.covers(o)
        {
            return Err(ServerError::Forbidden(format!(
                "record {id} belongs to {o}, who is not in a team {} manages",
                by.name()
            )));
        }
    }
    Ok(())
}

pub(super) fn reassign(
    conn: &Connection,
    by: &Requester,
    req: &ReassignRequest,
) -> Result<ReassignResponse> {
    let scope = admin_scope(conn, by)?;
    let to = req.to.trim();
    need_active(conn, to)?;
    require_in_scope(&scope, by, to)?;
    if let Some(from) = &req.from {
        need_user(conn, from)?;
        require_in_scope(&scope, by, from)?;
        if from == to {
            return Err(ServerError::BadRequest(format!(
                "`from` and `to` are both {to}: name another user to give the accounts to"
            )));
        }
    }
    let records = if req.accounts.is_empty() {
        let from = req.from.as_deref().ok_or_else(|| {
            ServerError::BadRequest(
                "say whose accounts to move (`from`) or which (`accounts`)".into(),
            )
        })?;
        // Everything `from` owns: accounts, what hangs on them, tasks of their own.
        rows(
            conn,
            "SELECT id, kind, owner FROM docs WHERE owner = ?1 ORDER BY id",
            from,
        )?
    } else {
        let mut records = Vec::new();
        for account in &req.accounts {
            let id = account.to_string();
            let row: Option<(String, Option<String>)> = conn
                .prepare_cached("SELECT kind, owner FROM docs WHERE id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((kind, owner)) = row else {
                return Err(ServerError::NotFound(format!(
                    "there is no record {id} on the server"
                )));
            };
            if parse_kind(&kind)? != Kind::Account {
                return Err(ServerError::BadRequest(format!(
                    "{id} is {}, not an account: reassign its account",
                    parse_kind(&kind)?.a()
                )));
            }
            if let Some(from) = &req.from
                && owner.as_deref() != Some(from.as_str())
            {
                return Err(ServerError::Conflict(format!(
                    "account {id} belongs to {}, not {from}",
                    owner.as_deref().unwrap_or("no one")
                )));
            }
            records.extend(rows(
                conn,
                "SELECT id, kind, owner FROM docs WHERE account_id = ?1 ORDER BY id",
                &id,
            )?);
        }
        records
    };
    require_covered(&scope, by, &records)?;
    let (accounts, records) = move_records(conn, &records, to)?;
    Ok(ReassignResponse { accounts, records })
}

pub(super) fn deactivate(
    conn: &Connection,
    by: &Requester,
    req: &DeactivateRequest,
) -> Result<DeactivateResponse> {
    let scope = admin_scope(conn, by)?;
    let (user, successor) = (req.user.trim(), req.successor.trim());
    need_active(conn, user)?;
    need_active(conn, successor)?;
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
    let owned = rows(
        conn,
        "SELECT id, kind, owner FROM docs WHERE owner = ?1 ORDER BY id",
        user,
    )?;
    let (accounts, records) = move_records(conn, &owned, successor)?;
    let tokens_revoked = conn
        .prepare_cached(
            "UPDATE tokens SET state = 'deactivated' WHERE user = ?1 AND state = 'active'",
        )?
        .execute([user])? as u64;
    conn.prepare_cached("UPDATE users SET active = 0, successor = ?2 WHERE name = ?1")?
        .execute(params![user, successor])?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, last_sync, pending FROM devices
         WHERE user = ?1 AND pending > 0 AND wiped = 0 ORDER BY created_at",
    )?;
    let devices = stmt.query_map([user], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut devices_with_pending = Vec::new();
    for d in devices {
        let (id, name, last_sync, pending) = d?;
        devices_with_pending.push(DeviceInfo {
            device_id: parse_uuid(&id)?,
            user: user.to_string(),
            name,
            last_sync,
            pending: pending as u64,
            wiped: false,
        });
    }
    Ok(DeactivateResponse {
        accounts,
        records,
        tokens_revoked,
        devices_with_pending,
    })
}
