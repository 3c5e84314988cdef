//! Copying the write-ahead log back into the database file, on a thread of its own, so
//! the writer never pays for it: with SQLite's automatic checkpoints the commit that
//! crosses the threshold copies the whole log and waits for the database file's fsync,
//! while every request behind it waits too. Checkpoints here are `PASSIVE`: they never
//! block the writer or readers, and copy what no reader still needs. Under a steady load
//! some reader always holds an old snapshot and the log can only grow; past
//! [`RESTART_OVER`] bytes a `RESTART` checkpoint waits for those readers (each takes
//! milliseconds) so the writer starts the log over.
//!
//! Knows nothing of what the tables hold.

use crate::error::{Result, ServerError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Commits between checkpoints at most; also checkpoints after this long with commits.
const EVERY_COMMITS: u64 = 64;
const EVERY: Duration = Duration::from_millis(500);
/// A log larger than this is started over.
const RESTART_OVER: u64 = 64 << 20;

#[derive(Default)]
struct Shared {
    commits: AtomicU64,
    stop: AtomicBool,
    wake: Condvar,
    lock: Mutex<()>,
}

/// The checkpoint thread; the writer tells it of each commit.
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on `conn`, a connection to the database at `path`.
    pub fn start(conn: Connection, path: &Path) -> Result<Checkpointer> {
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = PathBuf::from(wal);
        let thread = std::thread::Builder::new()
            .name("fieldbook-ckpt".into())
            .spawn(move || run(conn, &wal, &s))
            .map_err(|e| ServerError::Task(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
        })
    }

    /// Called by the writer after each commit.
    pub fn committed(&self) {
        let n = self.shared.commits.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(EVERY_COMMITS) {
            self.shared.wake.notify_one();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(conn: Connection, wal: &Path, s: &Shared) {
    let mut done = 0;
    loop {
        {
            let guard = s.lock.lock().unwrap_or_else(|p| p.into_inner());
            let _ = s
                .wake
                .wait_timeout(guard, EVERY)
                .unwrap_or_else(|p| p.into_inner());
        }
        let stop = s.stop.load(Ordering::Relaxed);
        let now = s.commits.load(Ordering::Relaxed);
        if now != done {
            done = now;
            let big = std::fs::metadata(wal).is_ok_and(|m| m.len() > RESTART_OVER);
            let sql = if big {
                "PRAGMA wal_checkpoint(RESTART)"
            } else {
                "PRAGMA wal_checkpoint(PASSIVE)"
            };
            if let Err(e) = conn.query_row(sql, [], |_| Ok(())) {
                tracing::warn!(error = %e, "checkpoint failed; the next one retries");
            }
        }
        if stop {
            return;
        }
    }
}
