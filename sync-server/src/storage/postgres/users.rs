//! Users, teams, failed sign-ins and locks in SQL. Knows nothing of password hashing,
//! names or rights.

use super::repo::{PgRepo, parse_role};
use crate::error::{Result, ServerError};
use crate::storage::{
    DeviceToken, LoginFailures, LoginRepo, NewUserRow, TokenState, UserRepo, UserUpdate,
};
use fieldbook_core::protocol::UserInfo;
use tokio_postgres::Row;
use uuid::Uuid;

const USER_COLUMNS: &str = "name, role, team, active, successor, locked_at IS NOT NULL";

fn user_info(r: &Row) -> Result<UserInfo> {
    Ok(UserInfo {
        name: r.get(0),
        role: parse_role(r.get(1))?,
        team: r.get(2),
        active: r.get(3),
        successor: r.get(4),
        locked: r.get(5),
    })
}

fn names(rows: Vec<Row>) -> Vec<String> {
    rows.iter().map(|r| r.get(0)).collect()
}

impl UserRepo for PgRepo<'_> {
    fn user(&mut self, name: &str) -> Result<Option<UserInfo>> {
        self.opt(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"),
            &[&name],
        )?
        .as_ref()
        .map(user_info)
        .transpose()
    }

    fn users(&mut self) -> Result<Vec<UserInfo>> {
        self.rows(
            &format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"),
            &[],
        )?
        .iter()
        .map(user_info)
        .collect()
    }

    fn password_hash(&mut self, name: &str) -> Result<Option<String>> {
        Ok(self
            .opt("SELECT password_hash FROM users WHERE name = $1", &[&name])?
            .map(|r| r.get(0)))
    }

    fn insert_user(&mut self, user: &NewUserRow, at: &str) -> Result<()> {
        self.exec(
            "INSERT INTO users (name, role, team, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, TRUE, $5)",
            &[
                &user.name,
                &user.role.as_str(),
                &user.team,
                &user.password_hash,
                &at,
            ],
        )?;
        Ok(())
    }

    fn update_user(&mut self, name: &str, update: &UserUpdate) -> Result<()> {
        if let Some(role) = update.role {
            self.exec(
                "UPDATE users SET role = $2 WHERE name = $1",
                &[&name, &role.as_str()],
            )?;
        }
        if let Some(team) = &update.team {
            self.exec("UPDATE users SET team = $2 WHERE name = $1", &[&name, team])?;
        }
        if let Some(hash) = &update.password_hash {
            self.exec(
                "UPDATE users SET password_hash = $2 WHERE name = $1",
                &[&name, hash],
            )?;
        }
        Ok(())
    }

    fn deactivate_user(&mut self, name: &str, successor: &str) -> Result<()> {
        self.exec(
            "UPDATE users SET active = FALSE, successor = $2 WHERE name = $1",
            &[&name, &successor],
        )?;
        Ok(())
    }

    fn team_manager(&mut self, team: &str) -> Result<Option<String>> {
        Ok(self
            .opt("SELECT manager FROM teams WHERE name = $1", &[&team])?
            .map(|r| r.get(0)))
    }

    fn insert_team(&mut self, team: &str, manager: &str, at: &str) -> Result<()> {
        self.exec(
            "INSERT INTO teams (name, manager, created_at) VALUES ($1, $2, $3)",
            &[&team, &manager, &at],
        )?;
        Ok(())
    }

    fn set_team_manager(&mut self, team: &str, manager: &str) -> Result<()> {
        self.exec(
            "UPDATE teams SET manager = $2 WHERE name = $1",
            &[&team, &manager],
        )?;
        Ok(())
    }

    fn team_names(&mut self) -> Result<Vec<String>> {
        Ok(names(self.rows(
            "SELECT name FROM teams UNION SELECT team FROM users WHERE team IS NOT NULL ORDER BY 1",
            &[],
        )?))
    }

    fn team_members(&mut self, team: &str) -> Result<Vec<String>> {
        Ok(names(self.rows(
            "SELECT name FROM users WHERE team = $1 ORDER BY name",
            &[&team],
        )?))
    }

    fn managed_members(&mut self, manager: &str) -> Result<Vec<String>> {
        Ok(names(self.rows(
            "SELECT u.name FROM users u JOIN teams t ON t.name = u.team WHERE t.manager = $1",
            &[&manager],
        )?))
    }
}

pub(super) fn token_state(s: &str) -> Result<TokenState> {
    TokenState::parse(s).ok_or_else(|| ServerError::Damaged(format!("token state `{s}`")))
}

impl LoginRepo for PgRepo<'_> {
    fn login_failures(&mut self, user: &str) -> Result<Option<LoginFailures>> {
        Ok(self
            .opt(
                "SELECT failed_logins, last_failed_login, locked_at FROM users WHERE name = $1",
                &[&user],
            )?
            .map(|r| LoginFailures {
                failures: r.get::<_, i64>(0).clamp(0, u32::MAX as i64) as u32,
                last: r.get(1),
                locked_at: r.get(2),
            }))
    }

    fn add_login_failure(&mut self, user: &str, at: &str) -> Result<u32> {
        let n = self
            .write_rows(
                "UPDATE users SET failed_logins = failed_logins + 1, last_failed_login = $2
                 WHERE name = $1 RETURNING failed_logins",
                &[&user, &at],
            )?
            .first()
            .map(|r| r.get::<_, i64>(0))
            .unwrap_or(0);
        Ok(n.clamp(0, u32::MAX as i64) as u32)
    }

    fn lock_login(&mut self, user: &str, at: &str) -> Result<()> {
        self.exec(
            "UPDATE users SET locked_at = $2 WHERE name = $1 AND locked_at IS NULL",
            &[&user, &at],
        )?;
        Ok(())
    }

    fn clear_login_failures(&mut self, user: &str) -> Result<()> {
        self.exec(
            "UPDATE users SET failed_logins = 0, last_failed_login = NULL, locked_at = NULL
             WHERE name = $1",
            &[&user],
        )?;
        Ok(())
    }

    fn device_tokens(&mut self, user: Option<&str>) -> Result<Vec<DeviceToken>> {
        self.rows(
            "SELECT device_id, user_name, created_at, expires_at, state FROM tokens
             WHERE $1::text IS NULL OR user_name = $1::text ORDER BY user_name, created_at",
            &[&user],
        )?
        .iter()
        .map(|r| {
            Ok(DeviceToken {
                device_id: r.get(0),
                user: r.get(1),
                created_at: r.get(2),
                expires_at: r.get(3),
                state: token_state(r.get(4))?,
            })
        })
        .collect()
    }

    fn device_user(&mut self, device: Uuid) -> Result<Option<String>> {
        Ok(self
            .opt("SELECT user_name FROM devices WHERE id = $1", &[&device])?
            .map(|r| r.get(0)))
    }

    fn revoke_device_tokens(&mut self, device: Uuid) -> Result<u64> {
        self.exec(
            "UPDATE tokens SET state = 'revoked'
             WHERE device_id = $1 AND state IN ('active', 'deactivated')",
            &[&device],
        )
    }
}
