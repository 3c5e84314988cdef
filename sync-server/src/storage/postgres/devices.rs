//! Devices and tokens in SQL: resolving a token, registering a device, token states, and
//! what each device held and when it last synced. Knows nothing of how tokens are made.

use super::repo::{PgRepo, parse_role, unsigned};
use super::users::token_state;
use crate::error::Result;
use crate::storage::{DeviceRepo, NewDevice, TokenRow, TokenState};
use fieldbook_core::protocol::DeviceInfo;
use uuid::Uuid;

impl DeviceRepo for PgRepo<'_> {
    fn token(&mut self, token_hash: &str) -> Result<Option<TokenRow>> {
        let Some(r) = self.opt(
            "SELECT t.user_name, t.device_id, t.state, u.role, u.team, u.successor, d.pending,
                    t.created_at, t.expires_at
             FROM tokens t JOIN users u ON u.name = t.user_name JOIN devices d ON d.id = t.device_id
             WHERE t.hash = $1",
            &[&token_hash],
        )?
        else {
            return Ok(None);
        };
        Ok(Some(TokenRow {
            user: r.get(0),
            device_id: r.get(1),
            state: token_state(r.get(2))?,
            role: parse_role(r.get(3))?,
            team: r.get(4),
            successor: r.get(5),
            pending: unsigned(r.get(6)),
            created_at: r.get(7),
            expires_at: r.get(8),
        }))
    }

    fn insert_device(&mut self, device: &NewDevice<'_>, at: &str) -> Result<()> {
        self.exec(
            "INSERT INTO devices (id, user_name, name, created_at) VALUES ($1, $2, $3, $4)",
            &[&device.id, &device.user, &device.name, &at],
        )?;
        self.exec(
            "INSERT INTO tokens (hash, user_name, device_id, created_at, state, expires_at)
             VALUES ($1, $2, $3, $4, 'active', $5)",
            &[
                &device.token_hash,
                &device.user,
                &device.id,
                &at,
                &device.expires_at,
            ],
        )?;
        Ok(())
    }

    fn set_token_state(&mut self, token_hash: &str, state: TokenState) -> Result<()> {
        self.exec(
            "UPDATE tokens SET state = $2 WHERE hash = $1",
            &[&token_hash, &state.as_str()],
        )?;
        Ok(())
    }

    fn deactivate_tokens(&mut self, user: &str) -> Result<u64> {
        self.exec(
            "UPDATE tokens SET state = 'deactivated' WHERE user_name = $1 AND state = 'active'",
            &[&user],
        )
    }

    fn set_pending(&mut self, device: Uuid, pending: u64) -> Result<()> {
        self.exec(
            "UPDATE devices SET pending = $2 WHERE id = $1",
            &[&device, &(pending as i64)],
        )?;
        Ok(())
    }

    fn device_synced(&mut self, device: Uuid, pending: u64, at: &str) -> Result<()> {
        self.exec(
            "UPDATE devices SET pending = $2, last_sync = $3 WHERE id = $1",
            &[&device, &(pending as i64), &at],
        )?;
        Ok(())
    }

    fn device_wiped(&mut self, device: Uuid, at: &str) -> Result<()> {
        self.exec(
            "UPDATE devices SET wiped = TRUE, pending = 0, last_sync = $2 WHERE id = $1",
            &[&device, &at],
        )?;
        Ok(())
    }

    fn devices(&mut self, user: Option<&str>) -> Result<Vec<DeviceInfo>> {
        Ok(self
            .rows(
                "SELECT id, user_name, name, last_sync, pending, wiped FROM devices
                 WHERE $1::text IS NULL OR user_name = $1::text ORDER BY user_name, created_at",
                &[&user],
            )?
            .iter()
            .map(|r| DeviceInfo {
                device_id: r.get(0),
                user: r.get(1),
                name: r.get(2),
                last_sync: r.get(3),
                pending: unsigned(r.get(4)),
                wiped: r.get(5),
                signed_in_at: None,
                expires_at: None,
                token: None,
            })
            .collect())
    }

    fn device_learned(&mut self, device: Uuid) -> Result<u64> {
        Ok(self
            .opt("SELECT pulled FROM devices WHERE id = $1", &[&device])?
            .map_or(0, |r| unsigned(r.get(0))))
    }

    fn device_pulled(&mut self, device: Uuid, upto: u64) -> Result<()> {
        self.exec(
            "UPDATE devices SET pulled = greatest(pulled, $2) WHERE id = $1",
            &[&device, &(upto as i64)],
        )?;
        Ok(())
    }
}
