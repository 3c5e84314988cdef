//! Users and teams in SQL. Knows nothing of password hashing, names or rights.

use super::repo::{SqliteRepo, parse_role};
use crate::error::Result;
use crate::storage::{NewUserRow, UserRepo, UserUpdate};
use fieldbook_core::protocol::UserInfo;
use rusqlite::{OptionalExtension, Row, params};

/// A `users` row as read: name, role, team, active, successor, locked.
type UserRow = (String, String, Option<String>, bool, Option<String>, bool);

/// The columns [`user_row`] reads.
const USER_COLUMNS: &str = "name, role, team, active, successor, locked_at IS NOT NULL";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn user_info((name, role, team, active, successor, locked): UserRow) -> Result<UserInfo> {
    Ok(UserInfo {
        name,
        role: parse_role(&role)?,
        team,
        active,
        successor,
        locked,
    })
}

impl UserRepo for SqliteRepo<'_> {
    fn user(&mut self, name: &str) -> Result<Option<UserInfo>> {
        let row = self
            .conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?
            .query_row([name], user_row)
            .optional()?;
        row.map(user_info).transpose()
    }

    fn users(&mut self) -> Result<Vec<UserInfo>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
        let rows = stmt.query_map([], user_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(user_info(row?)?);
        }
        Ok(out)
    }

    fn password_hash(&mut self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT password_hash FROM users WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    fn insert_user(&mut self, user: &NewUserRow, at: &str) -> Result<()> {
        self.scope_changed()?;
        self.conn
            .prepare_cached(
                "INSERT INTO users (name, role, team, password_hash, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            )?
            .execute(params![
                user.name,
                user.role.as_str(),
                user.team,
                user.password_hash,
                at
            ])?;
        Ok(())
    }

    fn update_user(&mut self, name: &str, update: &UserUpdate) -> Result<()> {
        self.scope_changed()?;
        if let Some(role) = update.role {
            self.conn
                .prepare_cached("UPDATE users SET role = ?2 WHERE name = ?1")?
                .execute(params![name, role.as_str()])?;
        }
        if let Some(team) = &update.team {
            self.conn
                .prepare_cached("UPDATE users SET team = ?2 WHERE name = ?1")?
                .execute(params![name, team])?;
        }
        if let Some(hash) = &update.password_hash {
            self.conn
                .prepare_cached("UPDATE users SET password_hash = ?2 WHERE name = ?1")?
                .execute(params![name, hash])?;
        }
        Ok(())
    }

    fn deactivate_user(&mut self, name: &str, successor: &str) -> Result<()> {
        self.scope_changed()?;
        self.conn
            .prepare_cached("UPDATE users SET active = 0, successor = ?2 WHERE name = ?1")?
            .execute(params![name, successor])?;
        Ok(())
    }

    fn team_manager(&mut self, team: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT manager FROM teams WHERE name = ?1")?
            .query_row([team], |r| r.get(0))
            .optional()?)
    }

    fn insert_team(&mut self, team: &str, manager: &str, at: &str) -> Result<()> {
        self.scope_changed()?;
        self.conn
            .prepare_cached("INSERT INTO teams (name, manager, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![team, manager, at])?;
        Ok(())
    }

    fn set_team_manager(&mut self, team: &str, manager: &str) -> Result<()> {
        self.scope_changed()?;
        self.conn
            .prepare_cached("UPDATE teams SET manager = ?2 WHERE name = ?1")?
            .execute(params![team, manager])?;
        Ok(())
    }

    fn team_names(&mut self) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name FROM teams UNION SELECT team FROM users WHERE team IS NOT NULL ORDER BY 1",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn team_members(&mut self, team: &str) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM users WHERE team = ?1 ORDER BY name")?
            .query_map([team], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn managed_members(&mut self, manager: &str) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT u.name FROM users u JOIN teams t ON t.name = u.team WHERE t.manager = ?1",
            )?
            .query_map([manager], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}
