//! The device's local store: one SQLite file in WAL mode holding the Automerge document of
//! every record (the truth), a projection table per kind and a full-text index (for fast
//! queries), and the outbox of changes the server has not acknowledged yet.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction that stores the change, the document,
//! the projection rows and the outbox entry together; `synchronous=FULL` makes a write that
//! returned survive a crash or power loss. Knows nothing of the network or the command line
//! (the sync engine keeps its HTTP client in the `Store`, opaque here).

mod docs;
pub(crate) mod fts;
mod migrations;
pub(crate) mod projection;

pub(crate) use docs::StoredDoc;

use crate::error::{ClientError, Result};
use automerge::ActorId;
use rand::Rng;
use rusqlite::config::DbConfig;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The file name of the store inside its data directory.
pub const STORE_FILE: &str = "fieldbook.db";

/// Settings of one store, fixed at `init` (the quote counter lives in the database).
#[derive(Clone, Debug)]
pub struct Settings {
    pub store_id: Uuid,
    /// The user name this device writes as.
    pub user: String,
    /// The Automerge actor of this device (one per store).
    pub actor: ActorId,
    /// The currency new opportunities, quotes and products get unless told otherwise.
    pub default_currency: String,
    /// A random code unique to this device, part of every quote number made here.
    pub device_code: String,
}

/// An open store.
pub struct Store {
    pub(crate) conn: Connection,
    dir: PathBuf,
    pub(crate) settings: Settings,
    /// The sync engine's HTTP client, kept between syncs (built at first use).
    pub(crate) http: crate::sync::HttpCache,
}

/// Statements kept prepared per connection: every statement the write and sync paths use
/// (seven projection tables, multi-row search writes) fits, so none is parsed twice.
const STATEMENT_CACHE: usize = 96;

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn connect(path: &Path, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Plans never depend on bound values. Without this, a cached statement whose plan could
    // (`col = ?N`) is expired when its bindings are cleared on its return to the cache, and
    // parsed and planned again at its next use.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a transaction that committed is on disk before the write returns.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    // Checkpoints run in `Store::maintain`, not inside whichever write fills the WAL.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(conn)
}

fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

impl Store {
    /// Creates a new store in `dir` for `user`.
    pub fn init(dir: &Path, user: &str, default_currency: &str) -> Result<Store> {
        let user = user.trim();
        if user.is_empty() || user.chars().any(char::is_control) {
            return Err(ClientError::Invalid(
                "the user name must not be empty: `fieldbook init --user alice`".into(),
            ));
        }
        let currency = default_currency.trim().to_ascii_uppercase();
        if !fieldbook_core::money::is_currency(&currency) {
            return Err(ClientError::Invalid(format!(
                "`{default_currency}` is not an ISO 4217 currency code: use e.g. --currency EUR"
            )));
        }
        std::fs::create_dir_all(dir).map_err(ClientError::io(dir))?;
        let path = dir.join(STORE_FILE);
        if path.exists() {
            return Err(ClientError::AlreadyExists(dir.to_path_buf()));
        }
        // Built under another name and renamed into place only when complete, so a kill
        // during `init` leaves either no store or a whole one (and `init` can be rerun).
        let creating = dir.join(format!("{STORE_FILE}.creating"));
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let stale = PathBuf::from(format!("{}{suffix}", creating.display()));
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(ClientError::io(&stale))?;
            }
        }
        let mut conn = connect(&creating, true)?;
        migrations::migrate(&mut conn)?;
        let store_id = Uuid::now_v7();
        let mut rng = rand::rng();
        let device_code: String = (0..8)
            .map(|_| CROCKFORD[rng.random_range(0..32)] as char)
            .collect();
        let actor = ActorId::random();
        let tx = conn.transaction()?;
        set_meta(&tx, "store_id", &store_id.to_string())?;
        set_meta(&tx, "user", user)?;
        set_meta(&tx, "actor", &actor.to_hex_string())?;
        set_meta(&tx, "default_currency", &currency)?;
        set_meta(&tx, "device_code", &device_code)?;
        set_meta(&tx, "quote_seq", "0")?;
        tx.commit()?;
        // Closing the only connection checkpoints the WAL into the file and removes it.
        conn.close().map_err(|(_, e)| ClientError::Sqlite(e))?;
        std::fs::File::open(&creating)
            .and_then(|f| f.sync_all())
            .map_err(ClientError::io(&creating))?;
        std::fs::rename(&creating, &path).map_err(ClientError::io(&path))?;
        sync_dir(dir)?;
        Store::open(dir)
    }

    /// Opens the store in `dir`, upgrading its schema if it is older than this program.
    pub fn open(dir: &Path) -> Result<Store> {
        let path = dir.join(STORE_FILE);
        if !path.is_file() {
            return Err(ClientError::NoStore(dir.to_path_buf()));
        }
        let mut conn = connect(&path, false)?;
        migrations::migrate(&mut conn)?;
        let need = |key: &str| -> Result<String> {
            get_meta(&conn, key)?.ok_or_else(|| ClientError::NoStore(dir.to_path_buf()))
        };
        let settings = Settings {
            store_id: Uuid::parse_str(&need("store_id")?)
                .map_err(|e| ClientError::Invalid(e.to_string()))?,
            user: need("user")?,
            actor: ActorId::from(
                hex_decode(&need("actor")?)
                    .ok_or_else(|| ClientError::Invalid("damaged actor id".into()))?,
            ),
            default_currency: need("default_currency")?,
            device_code: need("device_code")?,
        };
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
            settings,
            http: Default::default(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `f` in one immediate (write-locking) transaction; commits if it returns `Ok`.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &Settings) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &self.settings)?;
        tx.commit()?;
        Ok(out)
    }

    /// Size of the store on disk (database, WAL and shared memory files), in bytes.
    pub fn size_on_disk(&self) -> u64 {
        ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| {
                std::fs::metadata(self.dir.join(format!("{STORE_FILE}{suffix}"))).ok()
            })
            .map(|m| m.len())
            .sum()
    }

    /// Housekeeping kept out of the write path: merges a bounded amount of the search
    /// index's segments and copies the WAL into the database file. The app runs it when idle;
    /// the command line after each write. Cheap when there is little to do.
    pub fn maintain(&self) -> Result<()> {
        self.conn
            .execute("INSERT INTO search (search, rank) VALUES ('merge', 64)", [])?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// After a bulk write (demo, a large absorb): merges the search index into one segment,
    /// so later edits never pay for the import's many small ones, and checkpoints.
    pub fn optimize(&self) -> Result<()> {
        self.conn
            .execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
        self.checkpoint()
    }

    /// Moves the WAL into the main file and compacts free pages (after large imports).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Number of changes waiting to go to the server.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}

/// Makes a rename or a new file in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(ClientError::io(dir))
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Appends a change to the outbox.
pub(crate) fn push_outbox(tx: &Connection, doc_id: Uuid, change: &[u8]) -> Result<()> {
    tx.prepare_cached("INSERT INTO outbox (doc_id, change) VALUES (?1, ?2)")?
        .execute(params![doc_id.to_string(), change])?;
    Ok(())
}
