//! The device's local store: one SQLite file in WAL mode holding the Automerge document of
//! every record (the truth), a projection table per kind and a full-text index (for fast
//! queries), the outbox of changes the server has not acknowledged yet, and settings.
//!
//! This module is the only one that speaks SQL: its connection is private, reads are
//! methods of [`Store`] returning typed rows, and every write runs in one short
//! transaction through [`Tx`], whose typed operations are all other modules see.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction taken in turn with the other
//! connections of this process (`shared`); `synchronous=FULL` makes a write that returned
//! survive a crash or power loss. Knows nothing of the network or the command line.

mod agenda;
pub mod at_rest;
pub(crate) mod attention;
mod docs;
pub(crate) mod fts;
pub mod keyring;
pub mod kinds;
pub(crate) mod lookup;
mod meta;
mod migrations;
mod open;
pub(crate) mod outbox;
pub(crate) mod projection;
mod read;
mod receipts;
mod reconcile;
mod refused;
pub mod reports;
mod search;
mod shared;
mod team;
mod tx;

pub(crate) use docs::StoredDoc;
pub(crate) use meta::RATES_KEY;
pub use meta::SyncState;
pub use migrations::SCHEMA_VERSION;
pub(crate) use read::{Clause, ListSql, Sort};
pub(crate) use tx::Tx;

use crate::error::{ClientError, Result};
use automerge::ActorId;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, TransactionBehavior};
use shared::Shared;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

/// The file name of the store inside its data directory.
pub const STORE_FILE: &str = "fieldbook.db";

/// The write-ahead log's size past which a bulk write (demo, import, absorb, pull)
/// checkpoints between its transactions, and to which a restarted log is truncated
/// (`journal_size_limit`): a million-record import keeps the disk near the store's size.
pub(crate) const WAL_BOUND: u64 = 64 << 20;

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

/// An open store: one connection to the file. Several may be open on the same file (the
/// app's UI holds one, its sync engine another, on other threads): they take turns to
/// write, and a wipe through one closes them all.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    settings: Settings,
    shared: Arc<Shared>,
    read_only: bool,
    /// How long the last write waited for its turn (behind other connections' writes).
    last_wait: std::cell::Cell<std::time::Duration>,
}

/// A connection in use (the gate entered: the store cannot be wiped meanwhile).
struct Db<'a> {
    conn: &'a Connection,
    _gate: parking_lot::RwLockReadGuard<'a, bool>,
}

impl std::ops::Deref for Db<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Store {
    /// Creates a new plain (unencrypted) store in `dir` for `user`.
    pub fn init(dir: &Path, user: &str, default_currency: &str) -> Result<Store> {
        Store::init_with(dir, user, default_currency, &at_rest::Protection::None)
    }

    /// Creates a new store in `dir` for `user`, protected at rest as asked (an encrypted
    /// store is unlocked in this process).
    pub fn init_with(
        dir: &Path,
        user: &str,
        default_currency: &str,
        protection: &at_rest::Protection,
    ) -> Result<Store> {
        open::init(dir, user, default_currency, protection)?;
        Store::open(dir)
    }

    /// Opens the store in `dir` (its own connection), upgrading its schema if it is older
    /// than this program; opens racing on an old store migrate it once.
    pub fn open(dir: &Path) -> Result<Store> {
        let path = dir.join(STORE_FILE);
        if !path.is_file() {
            return Err(ClientError::NoStore(dir.to_path_buf()));
        }
        let key = at_rest::key_for(dir)?;
        let shared = Shared::of(&path)?;
        let (mut conn, read_only) = open::connect_existing(&path, key.as_ref())?;
        if read_only {
            migrations::check_current(&conn).map_err(|e| match e {
                ClientError::StoreTooOld => ClientError::ReadOnly {
                    dir: dir.to_path_buf(),
                    why: "it was written by an older Fieldbook, and upgrading it needs writing",
                },
                e => e,
            })?;
        } else {
            let _gate = shared.enter()?;
            let _turn = shared.write_turn();
            migrations::migrate(&mut conn)?;
        }
        let settings = meta::settings(&conn, dir)?;
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
            settings,
            shared,
            read_only,
            last_wait: Default::default(),
        })
    }

    /// Whether this store was opened for reading only (this process may not write its file
    /// or directory): reads work, every write answers [`ClientError::ReadOnly`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub(crate) fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(ClientError::ReadOnly {
                dir: self.dir.clone(),
                why: "changes cannot be saved",
            });
        }
        Ok(())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The connection, once the gate is entered.
    fn db(&self) -> Result<Db<'_>> {
        Ok(Db {
            _gate: self.shared.enter()?,
            conn: &self.conn,
        })
    }

    /// Runs `f` in one write transaction, in turn with the other connections of this
    /// process; commits if it returns `Ok`, changes nothing otherwise.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        self.writable()?;
        let _gate = self.shared.enter()?;
        let asked = std::time::Instant::now();
        let _turn = self.shared.write_turn();
        self.last_wait.set(asked.elapsed());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = Tx::new(tx, &self.settings, &self.shared);
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// How long the last write through this connection waited for its turn, behind the
    /// writes of other connections to the same file (the sync engine's, for the app's UI).
    pub fn last_write_wait(&self) -> std::time::Duration {
        self.last_wait.get()
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
    /// index's segments, keeps the query planner's statistics current and copies the WAL
    /// into the database file. The app runs it when idle; the command line after each
    /// write. Cheap when there is little to do.
    pub fn maintain(&self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.merge_search_step()?;
        self.refresh_statistics()?;
        self.db()?
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Lets SQLite gather the planner's statistics (`sqlite_stat1`) for the tables that
    /// have none or have grown a lot since (`PRAGMA optimize`, looking at every table),
    /// each from a bounded sample (`analysis_limit`): a few milliseconds, nothing when they
    /// are current. Without them a list joining `records` with a kind's projection may
    /// scan all 100,000 records instead of the kind's few thousand rows.
    pub fn refresh_statistics(&self) -> Result<()> {
        self.writable()?;
        let _gate = self.shared.enter()?;
        let _turn = self.shared.write_turn();
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
        Ok(())
    }

    /// Merges a bounded amount (64 pages) of the search index's segments, in one short
    /// write. Returns whether there was work (call again to merge more).
    pub fn merge_search_step(&self) -> Result<bool> {
        self.writable()?;
        let _gate = self.shared.enter()?;
        let _turn = self.shared.write_turn();
        let before = self.conn.total_changes();
        self.conn
            .execute("INSERT INTO search (search, rank) VALUES ('merge', 64)", [])?;
        // FTS5: a merge that found work changes more than the command's own row.
        Ok(self.conn.total_changes() - before > 1)
    }

    /// After a bulk write (demo, a large absorb): merges the search index into one segment,
    /// so later edits never pay for the import's many small ones, and checkpoints.
    pub fn optimize(&self) -> Result<()> {
        self.writable()?;
        {
            let _gate = self.shared.enter()?;
            let _turn = self.shared.write_turn();
            self.conn
                .execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
        }
        self.refresh_statistics()?;
        self.checkpoint()
    }

    /// Between the transactions of a bulk write: once the write-ahead log passed
    /// [`WAL_BOUND`], copies it into the database file without waiting for readers
    /// (`PASSIVE`), so that the next transaction starts the log over instead of growing it.
    /// Costs a `stat` otherwise.
    pub(crate) fn bound_wal(&self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let wal = self.dir.join(format!("{STORE_FILE}-wal"));
        if std::fs::metadata(&wal).map_or(0, |m| m.len()) < WAL_BOUND {
            return Ok(());
        }
        let _gate = self.shared.enter()?;
        let _turn = self.shared.write_turn();
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Moves the WAL into the main file and compacts free pages (after large imports).
    pub fn checkpoint(&self) -> Result<()> {
        self.writable()?;
        let _gate = self.shared.enter()?;
        let _turn = self.shared.write_turn();
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Deletes this store (after a departed user's handover), for every connection to it
    /// in this process: waits until none is in use, then closes them all (each, this one
    /// included, refuses to read or write from now on with [`ClientError::StoreWiped`])
    /// and removes the files.
    pub fn wipe(&self) -> Result<()> {
        self.writable()?;
        let _closed = self.shared.close_for_wipe()?;
        self.forget_files_on_close()?;
        for suffix in ["", "-wal", "-shm"] {
            let f = self.dir.join(format!("{STORE_FILE}{suffix}"));
            if f.exists() {
                std::fs::remove_file(&f).map_err(ClientError::io(&f))?;
            }
        }
        // A wiped store's key is of no use: it leaves the keyring too.
        let _ = keyring::forget(&self.dir);
        at_rest::remove_key_files(&self.dir)?;
        at_rest::lock(&self.dir);
        sync_dir(&self.dir)
    }

    /// A connection to a wiped store must not checkpoint or delete files by name when it
    /// closes: a new store may live under those names by then.
    fn forget_files_on_close(&self) -> Result<()> {
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        Ok(())
    }

    /// Whether this store was wiped through another connection.
    pub fn is_wiped(&self) -> bool {
        self.shared.enter().is_err()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.is_wiped() {
            let _ = self.forget_files_on_close();
        }
    }
}

/// Makes a rename or a new file in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(ClientError::io(dir))
}
