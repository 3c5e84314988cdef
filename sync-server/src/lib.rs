//! # fieldbook-server
//!
//! Fieldbook's sync server: devices push the Automerge changes they made and pull what
//! changed after their cursor, and the server enforces who sees and writes what (reps,
//! their teams' managers, admins), keeps refused changes in quarantine, and moves records
//! between owners when accounts are reassigned or a user leaves. `docs/protocol.md` is the
//! contract; the message types are `fieldbook_core::protocol`'s.
//!
//! Layout:
//! - [`access`]: who sees and writes which records (scopes, writers, requesters).
//! - [`validate`]: what a pushed change may do to a record document.
//! - [`ownership`]: where a new record belongs (owner, account).
//! - [`push`]: the engine applying a page of changes; [`pull`]: what a pull sends for each
//!   log entry.
//! - [`names`]: what names may look like; [`auth`]: password hashes and tokens;
//!   [`guard`]: how failed sign-ins are slowed and lock a user, how long tokens live.
//! - [`service`]: every operation of the server, over those rules and a storage backend;
//!   each rule is applied there once, for the HTTP API and the command line alike.
//! - [`storage`]: persistence only: the [`Storage`] trait, the `Repo` of one transaction,
//!   the SQLite backend and the conformance suite every backend passes.
//! - `http`: the axum routes and layers; [`tls`]: HTTPS; [`metrics`]: counters.
//! - [`cli`]: the `fieldbook-server` command line (the binary's `main` only runs it).
//!
//! A server over the SQLite database of a data directory:
//! `serve(listener, AppState::open_sqlite(dir)?, shutdown)`.
//!
//! The rules know no storage, storage decides nothing, HTTP knows no SQL.

pub mod access;
pub mod auth;
pub mod cli;
pub mod error;
pub mod guard;
mod http;
pub mod metrics;
pub mod names;
pub mod ownership;
pub mod pull;
pub mod push;
pub mod reporting;
pub mod service;
pub mod state;
pub mod storage;
pub mod tls;
pub mod validate;

pub use error::{Result, ServerError};
/// The web page's serving and security headers.
pub use http::web as http_web;
pub use http::{Limits, PENDING_HEADER, router};
pub use service::Service;
pub use state::AppState;
pub use storage::{DirLock, PgStorage, SqliteStorage, Storage};

use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves the API over plain HTTP on `listener` until `shutdown` completes, then finishes
/// the requests in flight. Slow and greedy clients are held to the state's [`Limits`].
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let limits = state.limits().clone();
    http::serve_connections(listener, router(state), limits, shutdown).await;
    Ok(())
}

/// Serves the API over HTTPS (see [`tls::load_config`]) on `listener` until `shutdown`
/// completes.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let listener = tls::TlsListener::new(listener, tls)?;
    let limits = state.limits().clone();
    http::serve_connections(listener, router(state.with_tls()), limits, shutdown).await;
    Ok(())
}
