//! What every request handler shares: the service layer over the storage backend, the
//! counters, the limit on storage calls at once, and the limits on clients (requests
//! running per token). Cheap to clone.
//!
//! Knows nothing of routes or of a particular backend.

use crate::error::{Result, ServerError};
use crate::http::{Holds, Limits};
use crate::metrics::Metrics;
use crate::service::Service;
use crate::storage::{SqliteStorage, Storage};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Storage calls running at once. More requests wait here, as cheap futures, rather than
/// as blocked threads: the writer commits for all of them together anyway, and the CPU
/// work of preparing pushes cannot use more threads than there are cores.
pub const STORAGE_CALLS: usize = 32;

#[derive(Clone)]
pub struct AppState {
    service: Service,
    metrics: Arc<Metrics>,
    calls: Arc<Semaphore>,
    /// The built front-end served at `/` (`None`: no web page).
    ui_dir: Option<Arc<PathBuf>>,
    /// Answers go out over TLS (the web page's headers say so: HSTS).
    tls: bool,
    limits: Arc<Limits>,
    token_holds: Arc<Holds<String>>,
}

impl AppState {
    /// The state of a server over `storage`, with the default sign-in policy and limits.
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState::with_service(Service::new(storage), Limits::default())
    }

    /// The state of a server running `service` (with its sign-in policy) under `limits`.
    pub fn with_service(service: Service, limits: Limits) -> AppState {
        AppState {
            service,
            metrics: Arc::new(Metrics::default()),
            calls: Arc::new(Semaphore::new(STORAGE_CALLS)),
            ui_dir: None,
            tls: false,
            limits: Arc::new(limits),
            token_holds: Arc::new(Holds::default()),
        }
    }

    /// Serves the built front-end in `dir` at `/` (the manager's web page).
    pub fn with_ui_dir(mut self, dir: Option<PathBuf>) -> AppState {
        self.ui_dir = dir.map(Arc::new);
        self
    }

    /// Marks the state of a server speaking TLS (set by `serve_tls`).
    pub fn with_tls(mut self) -> AppState {
        self.tls = true;
        self
    }

    pub fn ui_dir(&self) -> Option<&Path> {
        self.ui_dir.as_deref().map(PathBuf::as_path)
    }

    pub fn tls(&self) -> bool {
        self.tls
    }

    /// How long and how slowly clients may take, and what they may hold at once.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The requests running per token (by its hash).
    pub fn token_holds(&self) -> &Arc<Holds<String>> {
        &self.token_holds
    }

    /// The state of a server over the SQLite database in the data directory `dir`.
    pub fn open_sqlite(dir: &Path) -> Result<AppState> {
        Ok(AppState::new(Arc::new(SqliteStorage::open(dir)?)))
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        self.service.storage()
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Runs blocking service work (storage, argon2, Automerge) off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Service) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let service = self.service.clone();
        let permit = self
            .calls
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ServerError::Task(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let out = f(&service);
            drop(permit);
            out
        })
        .await
        .map_err(|e| ServerError::Task(e.to_string()))?
    }
}
