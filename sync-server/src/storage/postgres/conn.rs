//! How synchronous storage calls drive the asynchronous driver: the backend owns a small
//! tokio runtime of its own on which every connection's I/O task runs (a connection is
//! opened, and a pooled one checked out, as a task there), and the calling thread waits for
//! each query's future with `futures_executor::block_on`. A query future only talks to its
//! connection's task through channels, so it needs no runtime on the calling thread: the
//! same code works from the server's blocking threads, from the admin command line (no
//! runtime at all) and from a test calling the service inside `#[tokio::test]` (where
//! `Handle::block_on`, or the `postgres` crate's own runtime, would panic).
//!
//! Also the log's head reader: a connection outside the pool that reads the committed head
//! of the log while a writer holds the log's lock (see `repo.rs` and docs/postgres.md).
//! Knows nothing of the tables but `log`.

use crate::error::{Result, ServerError};
use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use std::future::Future;
use std::sync::Mutex;
use tokio_postgres::NoTls;

/// A driver error that says what the server said (the driver's own text is only "db
/// error", its cause holding the rest).
#[derive(Debug)]
pub struct PgError(pub tokio_postgres::Error);

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(&self.0))
    }
}

/// What the server said, or what went wrong on the way to it.
pub(super) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("PostgreSQL: {e}: {cause}"),
            None => format!("PostgreSQL: {e}"),
        },
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<tokio_postgres::Error> for ServerError {
    fn from(e: tokio_postgres::Error) -> Self {
        ServerError::Storage(Box::new(PgError(e)))
    }
}

/// Waits on the calling thread for a future that needs no runtime of its own.
pub(super) fn wait<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// The runtime the connections' I/O runs on, and the pool of connections.
pub(super) struct Conns {
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    config: tokio_postgres::Config,
    /// The head reader's connection, opened on first use and again after it failed.
    head: Mutex<Option<tokio_postgres::Client>>,
}

impl Conns {
    /// A pool of at most `size` connections to `url` (none opened yet).
    pub(super) fn new(url: &str, size: usize) -> Result<Conns> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
            ServerError::BadRequest(format!(
                "`{}` is not a PostgreSQL URL ({e}): write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
                redact(url)
            ))
        })?;
        if config.get_options().is_none() {
            // A transaction whose instance vanished (a partition, a hung process) must not
            // hold the log's lock, and with it every instance's writes, for long.
            config.options("-c idle_in_transaction_session_timeout=60000");
        }
        config.keepalives(true);
        if config.get_application_name().is_none() {
            // How `restore` tells that instances are serving the database.
            config.application_name(super::restore::APPLICATION);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fieldbook-pg")
            .enable_all()
            .build()
            .map_err(|e| {
                ServerError::Task(format!("cannot start PostgreSQL's I/O runtime: {e}"))
            })?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| ServerError::Task(format!("cannot make the connection pool: {e}")))?;
        Ok(Conns {
            runtime: Some(runtime),
            pool,
            config,
            head: Mutex::new(None),
        })
    }

    /// Runs `f` on the backend's runtime and waits for it.
    pub(super) fn on_runtime<T: Send + 'static>(
        &self,
        f: impl Future<Output = T> + Send + 'static,
    ) -> Result<T> {
        let rt = self
            .runtime
            .as_ref()
            .ok_or_else(|| ServerError::Task("the PostgreSQL runtime is stopped".into()))?;
        wait(rt.spawn(f)).map_err(|e| ServerError::Task(e.to_string()))
    }

    /// A connection from the pool (opened if none is free).
    pub(super) fn get(&self) -> Result<Object> {
        let pool = self.pool.clone();
        self.on_runtime(async move { pool.get().await })?
            .map_err(|e| match e {
                deadpool_postgres::PoolError::Backend(e) => e.into(),
                other => ServerError::Storage(Box::new(other)),
            })
    }

    /// Opens a connection outside the pool.
    pub(super) fn connect(&self) -> Result<tokio_postgres::Client> {
        let config = self.config.clone();
        self.on_runtime(async move {
            let (client, conn) = config.connect(NoTls).await?;
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::warn!(error = %e, "a PostgreSQL connection ended");
                }
            });
            Ok::<_, tokio_postgres::Error>(client)
        })?
        .map_err(Into::into)
    }

    /// The log's committed head, read outside any transaction. Only meaningful while the
    /// caller's transaction holds the log's lock: then no other transaction can be adding
    /// to the log, and every one that did has ended, so this is exact.
    pub(super) fn committed_head(&self) -> Result<i64> {
        let mut slot = self.head.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_none_or(|c| c.is_closed()) {
            *slot = Some(self.connect()?);
        }
        let client = slot.as_ref().expect("just connected");
        match wait(client.query_one("SELECT coalesce(max(seq), 0) FROM log", &[])) {
            Ok(row) => Ok(row.get(0)),
            Err(e) => {
                *slot = None;
                Err(e.into())
            }
        }
    }

    /// Connections open now and at most.
    pub(super) fn status(&self) -> (usize, usize) {
        let s = self.pool.status();
        (s.size, s.max_size)
    }
}

impl Drop for Conns {
    fn drop(&mut self) {
        *self.head.lock().unwrap_or_else(|p| p.into_inner()) = None;
        // Dropping a runtime blocks, which panics inside an async context (a test): let it
        // go in the background instead. Open connections close with their tasks.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// A URL with its password hidden, for messages and logs.
pub fn redact(url: &str) -> String {
    // postgres://user:password@host/... → postgres://user:***@host/...
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.rsplit_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}
