//! The store's key/value table: its settings (fixed at `init`), the quote counter, and the
//! sync state (server, token, cursor, last sync). The keys are named here only.

use super::{Settings, Store, Tx};
use crate::error::{ClientError, Result};
use automerge::ActorId;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use uuid::Uuid;

pub(super) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

fn delete(conn: &Connection, keys: &[&str]) -> Result<()> {
    for key in keys {
        conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([key])?;
    }
    Ok(())
}

pub(super) fn init_settings(conn: &Connection, s: &Settings) -> Result<()> {
    set(conn, "store_id", &s.store_id.to_string())?;
    set(conn, "user", &s.user)?;
    set(conn, "actor", &s.actor.to_hex_string())?;
    set(conn, "default_currency", &s.default_currency)?;
    set(conn, "device_code", &s.device_code)?;
    set(conn, "quote_seq", "0")
}

pub(super) fn settings(conn: &Connection, dir: &Path) -> Result<Settings> {
    let need = |key: &str| -> Result<String> {
        get(conn, key)?.ok_or_else(|| ClientError::NoStore(dir.to_path_buf()))
    };
    let damaged = |what: &str| ClientError::DamagedStore(format!("its {what} is unreadable"));
    Ok(Settings {
        store_id: Uuid::parse_str(&need("store_id")?).map_err(|_| damaged("store id"))?,
        user: need("user")?,
        actor: ActorId::from(hex_decode(&need("actor")?).ok_or_else(|| damaged("actor id"))?),
        default_currency: need("default_currency")?,
        device_code: need("device_code")?,
    })
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// What this store knows of its server: where, as whom, and how far it has pulled.
#[derive(Clone, Debug, Default)]
pub struct SyncState {
    pub server_url: Option<String>,
    /// The server this store is bound to since its first sign-in: it signs in to no other.
    pub bound_server: Option<String>,
    /// The user the server knows this device as (kept after sign-out).
    pub server_user: Option<String>,
    pub role: Option<String>,
    /// Present while signed in.
    pub token: Option<String>,
    pub device_id: Option<String>,
    /// The server log position pulled up to.
    pub cursor: u64,
    /// Where a bootstrap's snapshot pages resume.
    pub snapshot_after: Option<Uuid>,
    /// RFC 3339 time of the last sync that completed.
    pub last_sync: Option<String>,
    /// The identity of the server's log this device last synced with: another one means
    /// the server was restored from a backup since (the device reconciles).
    pub log_id: Option<Uuid>,
}

impl Store {
    /// What this store knows of its server. Readable with no network.
    pub fn sync_state(&self) -> Result<SyncState> {
        let db = self.db()?;
        Ok(SyncState {
            server_url: get(&db, "server_url")?,
            bound_server: get(&db, "bound_server")?,
            server_user: get(&db, "server_user")?,
            role: get(&db, "role")?,
            token: get(&db, "token")?,
            device_id: get(&db, "device_id")?,
            cursor: get(&db, "cursor")?
                .and_then(|c| c.parse().ok())
                .unwrap_or(0),
            snapshot_after: get(&db, "snapshot_after")?.and_then(|s| Uuid::parse_str(&s).ok()),
            last_sync: get(&db, "last_sync")?,
            log_id: get(&db, "log_id")?.and_then(|s| Uuid::parse_str(&s).ok()),
        })
    }
}

impl Tx<'_> {
    /// The next number of this device's quote counter.
    pub fn next_quote_seq(&self) -> Result<i64> {
        let seq = get(self.conn(), "quote_seq")?
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
            + 1;
        set(self.conn(), "quote_seq", &seq.to_string())?;
        Ok(seq)
    }

    /// Records a sign-in; the first one binds the store to its server. (Another server
    /// than before knows nothing of what this one pulled: the cursor starts over.)
    pub fn set_login(
        &self,
        url: &str,
        user: &str,
        role: &str,
        token: &str,
        device_id: &str,
    ) -> Result<()> {
        let c = self.conn();
        let changed_server = get(c, "server_url")?.as_deref() != Some(url);
        set(c, "server_url", url)?;
        set(c, "server_user", user)?;
        set(c, "role", role)?;
        set(c, "token", token)?;
        set(c, "device_id", device_id)?;
        if get(c, "bound_server")?.is_none() {
            set(c, "bound_server", url)?;
        }
        if changed_server {
            set(c, "cursor", "0")?;
            delete(c, &["snapshot_after", "log_id"])?;
        }
        Ok(())
    }

    /// Forgets the token (signed out). The role stays known: the store's user is the same
    /// at the next sign-in.
    pub fn forget_token(&self) -> Result<()> {
        delete(self.conn(), &["token"])
    }

    /// The role the server gave this store's user at the last sign-in, if any.
    pub fn role(&self) -> Result<Option<String>> {
        get(self.conn(), "role")
    }

    /// Stores how far this device has pulled.
    pub fn set_cursor(&self, cursor: u64, snapshot_after: Option<Uuid>) -> Result<()> {
        set(self.conn(), "cursor", &cursor.to_string())?;
        match snapshot_after {
            Some(after) => set(self.conn(), "snapshot_after", &after.to_string()),
            None => delete(self.conn(), &["snapshot_after"]),
        }
    }

    /// Stores the identity of the server's log this device syncs with.
    pub fn set_log_id(&self, log_id: Uuid) -> Result<()> {
        set(self.conn(), "log_id", &log_id.to_string())
    }

    /// Starts pulling over against a server's new log (`log_id`): from nothing, merging
    /// what arrives into what is held (never replacing it).
    pub fn restart_pull(&self, log_id: Uuid) -> Result<()> {
        set(self.conn(), "cursor", "0")?;
        delete(self.conn(), &["snapshot_after"])?;
        self.set_log_id(log_id)
    }

    /// Stores the time the last sync completed.
    pub fn set_last_sync(&self, at: &str) -> Result<()> {
        set(self.conn(), "last_sync", at)
    }
}

impl Store {
    /// Changes the currency new deals, quotes and products get unless told otherwise.
    pub fn set_default_currency(&mut self, code: &str) -> Result<()> {
        let currency = code.trim().to_ascii_uppercase();
        if !fieldbook_core::money::is_currency(&currency) {
            return Err(ClientError::BadCurrency(code.to_string()));
        }
        self.write(|tx| set(tx.conn(), "default_currency", &currency))?;
        self.settings.default_currency = currency;
        Ok(())
    }
}

/// The exchange rates kept for reports (`fieldbook rates set USD 7.10 --base CNY`), as JSON.
pub(crate) const RATES_KEY: &str = "report_rates";

impl Store {
    /// A setting kept as text, by key (for settings other modules own, such as rates).
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        get(&*self.db()?, key)
    }
}

impl Tx<'_> {
    /// Stores a setting kept as text.
    pub(crate) fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        set(self.conn(), key, value)
    }
}
