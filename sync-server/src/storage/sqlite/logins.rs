//! Failed sign-ins, locks and device tokens in SQL (`users.failed_logins`, `locked_at`;
//! `tokens.expires_at`: schema 6). Knows nothing of how many failures lock a user.

use super::repo::{SqliteRepo, parse_uuid};
use crate::error::{Result, ServerError};
use crate::storage::{DeviceToken, LoginFailures, LoginRepo, TokenState};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

impl LoginRepo for SqliteRepo<'_> {
    fn login_failures(&mut self, user: &str) -> Result<Option<LoginFailures>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT failed_logins, last_failed_login, locked_at FROM users WHERE name = ?1",
            )?
            .query_row([user], |r| {
                Ok(LoginFailures {
                    failures: r.get::<_, i64>(0)?.clamp(0, u32::MAX as i64) as u32,
                    last: r.get(1)?,
                    locked_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn add_login_failure(&mut self, user: &str, at: &str) -> Result<u32> {
        let n: Option<i64> = self
            .conn
            .prepare_cached(
                "UPDATE users SET failed_logins = failed_logins + 1, last_failed_login = ?2
                 WHERE name = ?1 RETURNING failed_logins",
            )?
            .query_row(params![user, at], |r| r.get(0))
            .optional()?;
        Ok(n.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
    }

    fn lock_login(&mut self, user: &str, at: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE users SET locked_at = ?2 WHERE name = ?1 AND locked_at IS NULL",
            )?
            .execute(params![user, at])?;
        Ok(())
    }

    fn clear_login_failures(&mut self, user: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE users SET failed_logins = 0, last_failed_login = NULL, locked_at = NULL
                 WHERE name = ?1",
            )?
            .execute([user])?;
        Ok(())
    }

    fn device_tokens(&mut self, user: Option<&str>) -> Result<Vec<DeviceToken>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device_id, user, created_at, expires_at, state FROM tokens
             WHERE ?1 IS NULL OR user = ?1 ORDER BY user, created_at",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (device, user, created_at, expires_at, state) = row?;
            out.push(DeviceToken {
                device_id: parse_uuid(&device)?,
                user,
                created_at,
                expires_at,
                state: TokenState::parse(&state)
                    .ok_or_else(|| ServerError::Damaged(format!("token state `{state}`")))?,
            });
        }
        Ok(out)
    }

    fn device_user(&mut self, device: Uuid) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT user FROM devices WHERE id = ?1")?
            .query_row([device.to_string()], |r| r.get(0))
            .optional()?)
    }

    fn revoke_device_tokens(&mut self, device: Uuid) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE tokens SET state = 'revoked'
                 WHERE device_id = ?1 AND state IN ('active', 'deactivated')",
            )?
            .execute([device.to_string()])? as u64)
    }
}
