//! What every request handler shares: the storage backend, the counters, and how new
//! passwords are hashed. Cheap to clone.
//!
//! Knows nothing of routes or of a particular backend.

use crate::auth::Passwords;
use crate::error::{Result, ServerError};
use crate::metrics::Metrics;
use crate::storage::Storage;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Storage calls running at once. More requests wait here, as cheap futures, rather than
/// as blocked threads: the writer commits for all of them together anyway, and the CPU
/// work of preparing pushes cannot use more threads than there are cores.
pub const STORAGE_CALLS: usize = 32;

#[derive(Clone)]
pub struct AppState {
    storage: Arc<dyn Storage>,
    metrics: Arc<Metrics>,
    passwords: Passwords,
    calls: Arc<Semaphore>,
}

impl AppState {
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState {
            storage,
            metrics: Arc::new(Metrics::default()),
            passwords: Passwords::standard(),
            calls: Arc::new(Semaphore::new(STORAGE_CALLS)),
        }
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// Runs blocking storage work off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Storage) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let storage = self.storage.clone();
        let permit = self
            .calls
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ServerError::Task(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let out = f(storage.as_ref());
            drop(permit);
            out
        })
        .await
        .map_err(|e| ServerError::Task(e.to_string()))?
    }
}
