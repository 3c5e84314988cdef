//! Devices and tokens in SQL: resolving a token, registering a device, token states, and
//! what each device held and when it last synced. Knows nothing of how tokens are made.

use super::repo::{SqliteRepo, parse_role, parse_uuid};
use crate::error::{Result, ServerError};
use crate::storage::{DeviceRepo, NewDevice, TokenRow, TokenState};
use fieldbook_core::protocol::DeviceInfo;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

impl DeviceRepo for SqliteRepo<'_> {
    fn token(&mut self, token_hash: &str) -> Result<Option<TokenRow>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT t.user, t.device_id, t.state, u.role, u.team, u.successor, d.pending,
                        t.created_at, t.expires_at
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
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .optional()?;
        let Some((user, device, state, role, team, successor, pending, created_at, expires_at)) =
            row
        else {
            return Ok(None);
        };
        Ok(Some(TokenRow {
            user,
            device_id: parse_uuid(&device)?,
            state: TokenState::parse(&state)
                .ok_or_else(|| ServerError::Damaged(format!("token state `{state}`")))?,
            role: parse_role(&role)?,
            team,
            successor,
            pending: pending.max(0) as u64,
            created_at,
            expires_at,
        }))
    }

    fn insert_device(&mut self, device: &NewDevice<'_>, at: &str) -> Result<()> {
        let id = device.id.to_string();
        self.conn
            .prepare_cached(
                "INSERT INTO devices (id, user, name, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, device.user, device.name, at])?;
        self.conn
            .prepare_cached(
                "INSERT INTO tokens (hash, user, device_id, created_at, state, expires_at)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5)",
            )?
            .execute(params![
                device.token_hash,
                device.user,
                id,
                at,
                device.expires_at
            ])?;
        Ok(())
    }

    fn set_token_state(&mut self, token_hash: &str, state: TokenState) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE tokens SET state = ?2 WHERE hash = ?1")?
            .execute(params![token_hash, state.as_str()])?;
        Ok(())
    }

    fn deactivate_tokens(&mut self, user: &str) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE tokens SET state = 'deactivated' WHERE user = ?1 AND state = 'active'",
            )?
            .execute([user])? as u64)
    }

    fn set_pending(&mut self, device: Uuid, pending: u64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE devices SET pending = ?2 WHERE id = ?1")?
            .execute(params![device.to_string(), pending as i64])?;
        Ok(())
    }

    fn device_synced(&mut self, device: Uuid, pending: u64, at: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE devices SET pending = ?2, last_sync = ?3 WHERE id = ?1")?
            .execute(params![device.to_string(), pending as i64, at])?;
        Ok(())
    }

    fn device_wiped(&mut self, device: Uuid, at: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE devices SET wiped = 1, pending = 0, last_sync = ?2 WHERE id = ?1",
            )?
            .execute(params![device.to_string(), at])?;
        Ok(())
    }

    fn devices(&mut self, user: Option<&str>) -> Result<Vec<DeviceInfo>> {
        let mut stmt = self.conn.prepare_cached(
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
            out.push(DeviceInfo {
                device_id: parse_uuid(&id)?,
                user,
                name,
                last_sync,
                pending: pending.max(0) as u64,
                wiped,
                signed_in_at: None,
                expires_at: None,
                token: None,
            });
        }
        Ok(out)
    }

    fn device_learned(&mut self, device: Uuid) -> Result<u64> {
        let pulled: Option<i64> = self
            .conn
            .prepare_cached("SELECT pulled FROM devices WHERE id = ?1")?
            .query_row([device.to_string()], |r| r.get(0))
            .optional()?;
        Ok(pulled.unwrap_or(0).max(0) as u64)
    }

    fn device_pulled(&mut self, device: Uuid, upto: u64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE devices SET pulled = max(pulled, ?2) WHERE id = ?1")?
            .execute(params![device.to_string(), upto as i64])?;
        Ok(())
    }
}
