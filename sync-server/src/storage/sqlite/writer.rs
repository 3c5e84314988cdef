//! The one writer of the database: a thread that owns the write connection and runs write
//! jobs in arrival order, grouping every job waiting at that moment into one transaction
//! (group commit). Each job runs inside its own savepoint, so a job that fails is undone
//! alone; the group then commits once (one fsync for many requests) and only after that
//! does any job's caller get its answer — an answered write is on disk.
//!
//! With one request in flight a job commits alone, as before; under load the jobs that
//! queued while the previous group was committing share the next commit.
//!
//! Knows nothing of what the jobs write.

use super::checkpoint::Checkpointer;
use crate::error::{Result, ServerError};
use rusqlite::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

/// Jobs committed together at most (bounds a group's transaction and its latency).
const MAX_GROUP: usize = 128;

/// Hands the caller its answer once the group's commit is known (`None`: committed).
type Deliver = Box<dyn FnOnce(Option<&ServerError>) + Send>;

/// A job: runs on the write connection inside a savepoint and says whether to keep its
/// work; given an error instead of the connection when its group could not begin.
type Job =
    Box<dyn FnOnce(std::result::Result<&Connection, &ServerError>) -> (bool, Deliver) + Send>;

/// The queue in front of the writer thread.
pub(super) struct Writer {
    queue: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer thread on `conn`.
    pub fn start(conn: Connection, checkpointer: Checkpointer) -> Result<Writer> {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("fieldbook-writer".into())
            .spawn(move || run(conn, rx, checkpointer))
            .map_err(|e| ServerError::Task(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            queue: Some(tx),
            thread: Some(thread),
        })
    }

    /// Runs `f` in the next group and waits until that group committed (or failed).
    pub fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (answer, wait) = mpsc::sync_channel(1);
        self.submit(f, Some(answer))?;
        wait.recv()
            .map_err(|_| ServerError::Task("the writer thread stopped".into()))?
    }

    /// Queues `f` without waiting for it: for bookkeeping whose loss in a crash costs
    /// nothing a user wrote (when a device last synced, what it held). A later `write`
    /// sees it, since jobs run in order.
    pub fn later(&self, f: impl FnOnce(&Connection) -> Result<()> + Send + 'static) -> Result<()> {
        self.submit(f, None)
    }

    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
        answer: Option<SyncSender<Result<T>>>,
    ) -> Result<()> {
        let job: Job = Box::new(
            move |conn: std::result::Result<&Connection, &ServerError>| {
                let out = match conn {
                    Ok(conn) => match catch_unwind(AssertUnwindSafe(|| f(conn))) {
                        Ok(out) => out,
                        Err(_) => Err(ServerError::Task("a write job panicked".into())),
                    },
                    Err(e) => Err(ServerError::Task(format!(
                        "cannot begin a transaction: {e}"
                    ))),
                };
                if let Err(e) = &out
                    && answer.is_none()
                {
                    tracing::warn!(error = %e, "background write failed");
                }
                let keep = out.is_ok();
                let deliver: Deliver = Box::new(move |commit: Option<&ServerError>| {
                    let Some(answer) = answer else { return };
                    let out = match (out, commit) {
                        (Ok(_), Some(e)) => Err(ServerError::Task(format!(
                            "the transaction could not be committed: {e}"
                        ))),
                        (out, _) => out,
                    };
                    let _ = answer.send(out);
                });
                (keep, deliver)
            },
        );
        self.queue
            .as_ref()
            .and_then(|q| q.send(job).ok())
            .ok_or_else(|| ServerError::Task("the writer thread stopped".into()))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has written what was queued.
        self.queue.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(conn: Connection, rx: Receiver<Job>, checkpointer: Checkpointer) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let failure = group(&conn, jobs);
        checkpointer.committed();
        if let Some((e, delivers)) = failure {
            tracing::error!(error = %e, jobs = delivers.len(), "a write group failed");
            for d in delivers {
                d(Some(&e));
            }
        }
    }
}

/// Runs a group of jobs in one transaction. On success every caller has been answered;
/// on failure the error and the callers still to answer are returned.
fn group(conn: &Connection, jobs: Vec<Job>) -> Option<(ServerError, Vec<Deliver>)> {
    let mut delivers: Vec<Deliver> = Vec::with_capacity(jobs.len());
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Nothing ran: each job is answered with this error.
        let e = ServerError::from(e);
        for job in jobs {
            let (_, deliver) = job(Err(&e));
            deliver(None);
        }
        return None;
    }
    for job in jobs {
        if let Err(e) = conn.execute_batch("SAVEPOINT job") {
            return abort(conn, e.into(), delivers);
        }
        let (keep, deliver) = job(Ok(conn));
        delivers.push(deliver);
        let end = if keep {
            conn.execute_batch("RELEASE job")
        } else {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")
        };
        if let Err(e) = end {
            return abort(conn, e.into(), delivers);
        }
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => {
            for d in delivers {
                d(None);
            }
            None
        }
        Err(e) => abort(conn, e.into(), delivers),
    }
}

fn abort(
    conn: &Connection,
    e: ServerError,
    delivers: Vec<Deliver>,
) -> Option<(ServerError, Vec<Deliver>)> {
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    Some((e, delivers))
}
