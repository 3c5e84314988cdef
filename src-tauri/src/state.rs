//! Where the store lives and the open store the commands share.
//!
//! The store is in the OS app-data directory (`~/.local/share/<identifier>` on Linux) unless
//! `FIELDBOOK_DATA_DIR` names another, so the app and the `fieldbook` command can open the
//! same store. Knows nothing of the front-end.

use crate::error::AppError;
use fieldbook_client::{ClientError, Store};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// `FIELDBOOK_DATA_DIR`, when set and not empty.
pub fn data_dir_from_env() -> Option<PathBuf> {
    std::env::var_os("FIELDBOOK_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// A D-Bus name element unique to a store directory: one app instance per store, so a test
/// (or a user) can run two apps on two stores side by side.
pub fn instance_id(dir: &Path) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    format!("com.fieldbook.desktop.s{:016x}", h.finish())
}

/// The app's shared state: the data directory and, once opened or created, its store.
pub struct AppState {
    data_dir: PathBuf,
    store: Mutex<Option<Store>>,
}

impl AppState {
    pub fn new(data_dir: PathBuf) -> AppState {
        AppState {
            data_dir,
            store: Mutex::new(None),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The store, opened at first use. `None` while the directory holds no store yet.
    pub fn store(&self) -> Result<StoreGuard<'_>, AppError> {
        let mut guard = self.lock();
        if guard.is_none() {
            match Store::open(&self.data_dir) {
                Ok(store) => *guard = Some(store),
                Err(ClientError::NoStore(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(StoreGuard(guard))
    }

    /// Creates the store (first run) and keeps it open.
    pub fn init(&self, user: &str, currency: &str) -> Result<StoreGuard<'_>, AppError> {
        let mut guard = self.lock();
        *guard = Some(Store::init(&self.data_dir, user, currency)?);
        Ok(StoreGuard(guard))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Store>> {
        // A command that panicked while holding the lock left the store as SQLite left it:
        // every write is one transaction, so the store itself is consistent.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The open store (or its absence), held for the length of one command.
pub struct StoreGuard<'a>(MutexGuard<'a, Option<Store>>);

impl StoreGuard<'_> {
    pub fn get(&self) -> Option<&Store> {
        self.0.as_ref()
    }

    /// The store, or the error the first-run screen answers.
    pub fn require(&self, dir: &Path) -> Result<&Store, AppError> {
        self.0
            .as_ref()
            .ok_or_else(|| ClientError::NoStore(dir.to_path_buf()).into())
    }
}
