//! What every request handler shares: the storage backend, the counters, and how new
//! passwords are hashed. Cheap to clone.
//!
//! Knows nothing of routes or of a particular backend.

use crate::auth::Passwords;
use crate::error::{Result, ServerError};
use crate::metrics::Metrics;
use crate::storage::Storage;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    storage: Arc<dyn Storage>,
    metrics: Arc<Metrics>,
    passwords: Passwords,
}

impl AppState {
    pub fn new(storage: Arc<dyn Storage>) -> AppState {
        AppState {
            storage,
            metrics: Arc::new(Metrics::default()),
            passwords: Passwords::standard(),
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
        tokio::task::spawn_blocking(move || f(storage.as_ref()))
            .await
            .map_err(|e| ServerError::Task(e.to_string()))?
    }
}
