//! Where the store lives, the open store the commands share (the UI's connection: reads
//! and writes answer at once), and the sync service started beside it.
//!
//! The store is in the OS app-data directory (`~/.local/share/<identifier>` on Linux) unless
//! `FIELDBOOK_DATA_DIR` names another, so the app and the `fieldbook` command can open the
//! same store. An encrypted store is opened once this process unlocked it (the unlock
//! screen, or `FIELDBOOK_PASSPHRASE`); changing its protection closes every connection of
//! the app to it (the UI's, the sync's), re-keys, and opens them again. Knows nothing of
//! the front-end.

use crate::error::AppError;
use crate::events::{ChangeOrigin, RecordsChanged, SyncChanged};
use crate::service::schedule::Timing;
use crate::service::status::SyncView;
use crate::service::{Sink, SyncService, Wake};
use fieldbook_client::{ClientError, Protection, Store, at_rest};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use tauri::AppHandle;
use tauri_specta::Event as _;
use uuid::Uuid;

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

/// The app's shared state: the data directory and, once opened or created, its store and
/// the sync service on it.
pub struct AppState {
    data_dir: PathBuf,
    app: AppHandle,
    store: Mutex<Option<Store>>,
    service: Mutex<Option<SyncService>>,
    /// An import runs on its own connection (the UI's stays free for reads meanwhile).
    importing: AtomicBool,
}

/// The window's events, as the sync service reports.
struct WindowSink(AppHandle);

impl Sink for WindowSink {
    fn records_changed(&self, ids: Vec<Uuid>, removed: Vec<Uuid>) {
        let _ = RecordsChanged {
            ids,
            removed,
            origin: ChangeOrigin::Sync,
        }
        .emit(&self.0);
    }

    fn sync_changed(&self, view: &SyncView) {
        let _ = SyncChanged {
            state: view.clone(),
        }
        .emit(&self.0);
    }
}

/// Unlocks an encrypted store with its key remembered in the OS keyring, or with
/// `FIELDBOOK_PASSPHRASE` when it is set (scripts, the demo, tests). Without either, or
/// when neither opens the store, the store stays locked and the unlock screen asks.
fn unlock_from_env(dir: &Path) -> Result<(), AppError> {
    use fieldbook_client::{AtRest, keyring};
    if at_rest::at_rest(dir) != AtRest::Passphrase || keyring::unlock(dir).unwrap_or(false) {
        return Ok(());
    }
    match std::env::var("FIELDBOOK_PASSPHRASE") {
        Ok(p) => match at_rest::unlock(dir, &p) {
            Ok(())
            | Err(ClientError::NotEncrypted(_))
            | Err(ClientError::WrongPassphrase)
            | Err(ClientError::NoStore(_)) => Ok(()),
            Err(e) => Err(e.into()),
        },
        Err(_) => Ok(()),
    }
}

/// An import's hold on the store: its own connection may be open until this drops.
pub struct Importing<'a>(&'a AtomicBool);

impl Drop for Importing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl AppState {
    pub fn new(data_dir: PathBuf, app: AppHandle) -> AppState {
        AppState {
            data_dir,
            app,
            store: Mutex::new(None),
            service: Mutex::new(None),
            importing: AtomicBool::new(false),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The store, opened at first use (and the sync service started on it). `None` while
    /// the directory holds no store yet.
    pub fn store(&self) -> Result<StoreGuard<'_>, AppError> {
        let mut guard = self.lock();
        if guard.is_none() {
            unlock_from_env(&self.data_dir)?;
            match Store::open(&self.data_dir) {
                Ok(store) => {
                    *guard = Some(store);
                    self.start_service()?;
                }
                Err(ClientError::NoStore(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(StoreGuard {
            guard,
            dir: &self.data_dir,
        })
    }

    /// Creates the store (first run), protected as asked, keeps it open and starts the
    /// sync service.
    pub fn init(
        &self,
        user: &str,
        currency: &str,
        protection: &Protection,
    ) -> Result<StoreGuard<'_>, AppError> {
        let mut guard = self.lock();
        *guard = Some(Store::init_with(
            &self.data_dir,
            user,
            currency,
            protection,
        )?);
        self.start_service()?;
        Ok(StoreGuard {
            guard,
            dir: &self.data_dir,
        })
    }

    /// Unlocks the encrypted store with `passphrase` for this process, then opens it.
    pub fn unlock(&self, passphrase: &str) -> Result<(), AppError> {
        at_rest::unlock(&self.data_dir, passphrase)?;
        self.store().map(drop)
    }

    /// Changes how the store is protected at rest (see the module documentation). Refused
    /// while an import runs. The store is opened again whatever the outcome; a failed
    /// change left it as it was.
    pub fn reprotect(&self, protection: &Protection) -> Result<(), AppError> {
        let mut guard = self.lock();
        if guard.is_none() {
            return Err(ClientError::NoStore(self.data_dir.clone()).into());
        }
        if self.importing.load(Ordering::SeqCst) {
            return Err(ClientError::StoreInUse(self.data_dir.clone()).into());
        }
        self.shutdown();
        *guard = None;
        let changed = at_rest::protect(&self.data_dir, protection);
        match Store::open(&self.data_dir) {
            Ok(store) => {
                *guard = Some(store);
                self.start_service()?;
                Ok(changed?)
            }
            // The change's own error says more than the reopening's.
            Err(e) => Err(changed.err().unwrap_or(e).into()),
        }
    }

    /// Marks an import running (on its own connection) until the answer drops; refused
    /// while another runs or before the store is open.
    pub fn begin_import(&self) -> Result<Importing<'_>, AppError> {
        let guard = self.store()?;
        guard.require()?;
        if self.importing.swap(true, Ordering::SeqCst) {
            return Err(AppError::failed(
                "an import is running already: wait for it to finish",
            ));
        }
        Ok(Importing(&self.importing))
    }

    fn start_service(&self) -> Result<(), AppError> {
        let mut service = self.service.lock().unwrap_or_else(|e| e.into_inner());
        if service.is_none() {
            *service = Some(SyncService::start(
                &self.data_dir,
                WindowSink(self.app.clone()),
                Timing::from_env(),
            )?);
        }
        Ok(())
    }

    /// Runs `f` on the sync service, if it runs (it does once there is a store).
    pub fn with_service<T>(&self, f: impl FnOnce(&SyncService) -> T) -> Option<T> {
        let service = self.service.lock().unwrap_or_else(|e| e.into_inner());
        service.as_ref().map(f)
    }

    /// Tells the front-end that records were written here, and the sync service to sync
    /// soon.
    pub fn written(&self, ids: Vec<Uuid>) {
        let _ = RecordsChanged {
            ids,
            removed: Vec::new(),
            origin: ChangeOrigin::Local,
        }
        .emit(&self.app);
        self.with_service(|s| s.wake(Wake::LocalWrite));
    }

    /// At exit: cancels a running sync and stops the service.
    pub fn shutdown(&self) {
        if let Some(service) = self
            .service
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            service.stop();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Store>> {
        // A command that panicked while holding the lock left the store as SQLite left it:
        // every write is one transaction, so the store itself is consistent.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The open store (or its absence), held for the length of one command.
pub struct StoreGuard<'a> {
    guard: MutexGuard<'a, Option<Store>>,
    dir: &'a Path,
}

impl StoreGuard<'_> {
    pub fn get(&self) -> Option<&Store> {
        self.guard.as_ref()
    }

    /// The store, or the error the first-run screen answers.
    pub fn require(&self) -> Result<&Store, AppError> {
        self.guard
            .as_ref()
            .ok_or_else(|| ClientError::NoStore(self.dir.to_path_buf()).into())
    }

    /// The store to write to.
    pub fn require_mut(&mut self) -> Result<&mut Store, AppError> {
        let dir = self.dir;
        self.guard
            .as_mut()
            .ok_or_else(|| ClientError::NoStore(dir.to_path_buf()).into())
    }
}
