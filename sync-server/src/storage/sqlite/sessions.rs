//! Tokens, devices and sign-in rows: resolving a token to a session, registering a device,
//! revoking, recording what a device holds and when it last synced, and listing devices.
//! Knows nothing of how tokens are made or passwords checked (`auth`).

use super::{admin_scope, need_user, now, parse_role, parse_uuid, user_info};
use crate::access::{Requester, require_in_scope};
use crate::error::{Result, ServerError};
use crate::storage::{Credentials, Session};
use fieldbook_core::protocol::DeviceInfo;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

pub(super) fn authenticate(conn: &Connection, token_hash: &str) -> Result<Option<Session>> {
    let row = conn
        .prepare_cached(
            "SELECT t.user, t.device_id, t.state, u.role, u.team, u.successor, d.pending
             FROM tokens t JOIN users u ON u.name = t.user JOIN devices d ON d.id = t.device_id
             WHERE t.hash = ?1",
        )?
        .query_row([token_hash], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })
        .optional()?;
    let Some((user, device, state, role, team, successor, pending)) = row else {
        return Ok(None);
    };
    let deactivated = match state.as_str() {
        "active" => false,
        "deactivated" => true,
        _ => return Ok(None),
    };
    Ok(Some(Session {
        user,
        role: parse_role(&role)?,
        team,
        device_id: parse_uuid(&device)?,
        token_hash: token_hash.to_string(),
        deactivated,
        successor,
        pending: pending.max(0) as u64,
    }))
}

pub(super) fn note_pending(conn: &Connection, device: Uuid, pending: u64) -> Result<()> {
    conn.prepare_cached("UPDATE devices SET pending = ?2 WHERE id = ?1")?
        .execute(params![device.to_string(), pending as i64])?;
    Ok(())
}

/// Records a completed sync and what the device still holds.
pub(super) fn synced(conn: &Connection, device: Uuid, pending: u64) -> Result<()> {
    conn.prepare_cached("UPDATE devices SET pending = ?2, last_sync = ?3 WHERE id = ?1")?
        .execute(params![device.to_string(), pending as i64, now()])?;
    Ok(())
}

pub(super) fn credentials(conn: &Connection, user: &str) -> Result<Option<Credentials>> {
    let Some(info) = user_info(conn, user)? else {
        return Ok(None);
    };
    let password_hash: String = conn
        .prepare_cached("SELECT password_hash FROM users WHERE name = ?1")?
        .query_row([user], |r| r.get(0))?;
    Ok(Some(Credentials {
        info,
        password_hash,
    }))
}

pub(super) fn open_device(
    conn: &Connection,
    user: &str,
    device_name: &str,
    token_hash: &str,
) -> Result<Uuid> {
    let info = need_user(conn, user)?;
    if !info.active {
        return Err(ServerError::Unauthorized(format!(
            "{user} was deactivated and cannot sign in"
        )));
    }
    let id = Uuid::now_v7();
    let at = now();
    conn.prepare_cached(
        "INSERT INTO devices (id, user, name, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id.to_string(), user, device_name.trim(), at])?;
    conn.prepare_cached(
        "INSERT INTO tokens (hash, user, device_id, created_at, state) VALUES (?1, ?2, ?3, ?4, 'active')",
    )?
    .execute(params![token_hash, user, id.to_string(), at])?;
    Ok(id)
}

pub(super) fn revoke(conn: &Connection, token_hash: &str) -> Result<()> {
    conn.prepare_cached("UPDATE tokens SET state = 'revoked' WHERE hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}

/// Devices, by user and age; `user` narrows to one user's.
pub(super) fn devices(
    conn: &Connection,
    by: &Requester,
    user: Option<&str>,
) -> Result<Vec<DeviceInfo>> {
    let scope = admin_scope(conn, by)?;
    if let Some(u) = user {
        need_user(conn, u)?;
        require_in_scope(&scope, by, u)?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, user, name, last_sync, pending, wiped FROM devices
         WHERE ?1 IS NULL OR user = ?1 ORDER BY user, created_at",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, bool>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, user, name, last_sync, pending, wiped) = row?;
        if !scope.covers(&user) {
            continue;
        }
        out.push(DeviceInfo {
            device_id: parse_uuid(&id)?,
            user,
            name,
            last_sync,
            pending: pending.max(0) as u64,
            wiped,
        });
    }
    Ok(out)
}
