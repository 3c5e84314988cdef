//! What a running sync tells its caller (typed events, for a progress bar or for a UI to
//! refresh the records that changed) and how the caller stops it (a cancel handle, checked
//! between requests and between transactions).

use crate::error::{ClientError, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// Stops a sync from another thread. Clones share the flag; a sync checks it before each
/// request and each transaction and then returns [`ClientError::Cancelled`], keeping what
/// it finished (acknowledged pushes, committed pulls). A request in flight is not cut
/// short; the HTTP timeouts bound it.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            return Err(ClientError::Cancelled);
        }
        Ok(())
    }
}

/// What a sync reports while it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    /// A page of changes reached the server: `sent` of the `total` waiting at the start.
    Pushed { sent: u64, total: u64 },
    /// A transaction of pulled items committed: `received` items so far in this sync; the
    /// records it wrote and those it removed (no longer visible to this user).
    Pulled {
        received: u64,
        changed: Vec<Uuid>,
        removed: Vec<Uuid>,
    },
}
