//! What every open connection to one store file in this process shares, so that several
//! [`Store`](super::Store)s on the same file (the app's UI and its sync engine) take turns
//! instead of colliding:
//!
//! - the **write turn**, a fair (first come, first served) lock held for every write
//!   transaction: a write waits for at most the transaction in progress, never behind a
//!   stream of them, and never meets `SQLITE_BUSY` from a connection of this process; a
//!   long writer (a sync applying pulled items) sees that another waits and ends early;
//! - the **gate**, held shared while a connection is used and exclusively by a wipe, which
//!   closes it for good: once a store is wiped, every other connection to it refuses to
//!   read or write ([`ClientError::StoreWiped`](crate::ClientError::StoreWiped));
//! - migrations run under the write turn, so two opens in one process migrate once (and
//!   the migration's own exclusive transaction does the same across processes).
//!
//! Knows nothing of SQL or records.

use crate::error::{ClientError, Result};
use parking_lot::{FairMutex, FairMutexGuard, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, Weak};

pub(crate) struct Shared {
    write: FairMutex<()>,
    /// Connections waiting for the write turn (a long writer yields early to them).
    waiting: AtomicUsize,
    /// `true` once the store was wiped.
    gate: RwLock<bool>,
}

/// The shared state of every store file open in this process, by canonical path.
fn registry() -> &'static Mutex<HashMap<PathBuf, Weak<Shared>>> {
    static OPEN: OnceLock<Mutex<HashMap<PathBuf, Weak<Shared>>>> = OnceLock::new();
    OPEN.get_or_init(Default::default)
}

impl Shared {
    /// The shared state of the store file at `path` (which exists), made if no open
    /// connection of this process has it, or if the one it had was wiped.
    pub fn of(path: &Path) -> Result<Arc<Shared>> {
        let key = path.canonicalize().map_err(ClientError::io(path))?;
        let mut open = registry().lock();
        open.retain(|_, s| s.strong_count() > 0);
        if let Some(s) = open.get(&key).and_then(Weak::upgrade)
            && !*s.gate.read()
        {
            return Ok(s);
        }
        let s = Arc::new(Shared {
            write: FairMutex::new(()),
            waiting: AtomicUsize::new(0),
            gate: RwLock::new(false),
        });
        open.insert(key, Arc::downgrade(&s));
        Ok(s)
    }

    /// Enters the gate to use a connection; refused once the store was wiped. Recursive
    /// (a waiting wipe does not block a second entry of the same thread).
    pub fn enter(&self) -> Result<RwLockReadGuard<'_, bool>> {
        let g = self.gate.read_recursive();
        if *g {
            return Err(ClientError::StoreWiped);
        }
        Ok(g)
    }

    /// Waits for the write turn (first come, first served).
    pub fn write_turn(&self) -> FairMutexGuard<'_, ()> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let turn = self.write.lock();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        turn
    }

    /// Whether another connection is waiting for the write turn.
    pub fn others_waiting(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) > 0
    }

    /// Waits until no connection is in use, then closes the gate: the store is wiped for
    /// every connection from now on. The caller deletes the files while holding the guard.
    pub fn close_for_wipe(&self) -> Result<RwLockWriteGuard<'_, bool>> {
        let mut g = self.gate.write();
        if *g {
            return Err(ClientError::StoreWiped);
        }
        *g = true;
        Ok(g)
    }
}
