//! The one error type of the server library, [`ServerError`]. Every case a client or an
//! operator can cause says what to do; each maps to one HTTP status and one stable code
//! (the `error` of an [`ErrorBody`](fieldbook_core::protocol::ErrorBody)).
//!
//! Knows nothing of axum: turning an error into a response is the `http` module's business.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ServerError {
    /// A malformed or impossible request.
    #[error("{0}")]
    BadRequest(String),

    /// A missing or unknown protocol version.
    #[error("{0}")]
    Protocol(String),

    /// No valid token, or a wrong user name or password.
    #[error("{0}")]
    Unauthorized(String),

    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),

    /// An unknown user, team or record.
    #[error("{0}")]
    NotFound(String),

    /// An endpoint called with the wrong HTTP method.
    #[error("{0}")]
    MethodNotAllowed(String),

    /// The request conflicts with what exists (a user that exists already).
    #[error("{0}")]
    Conflict(String),

    /// The device's cursor is beyond the end of the server's log (the server was restored
    /// from an older copy): the device reconciles.
    #[error("{0}")]
    CursorAhead(String),

    /// The device synced with another log than the server's (it was restored from a
    /// backup since): the device reconciles before pushing or pulling.
    #[error("{0}")]
    LogChanged(String),

    /// A body in an encoding the server cannot read.
    #[error("{0}")]
    UnsupportedMedia(String),

    /// The token belongs to a deactivated user: only a handover is possible.
    #[error("{0}")]
    Deactivated(String),

    /// Too many changes, or a body over the limit.
    #[error("{0}")]
    TooLarge(String),

    /// Too many attempts or requests: try again after `retry_after` seconds (429 with
    /// `Retry-After`).
    #[error("{message}")]
    Throttled { message: String, retry_after: u64 },

    /// Signing in is locked after repeated failures until an admin unlocks it.
    #[error("{0}")]
    Locked(String),

    /// The client sent its request too slowly.
    #[error("{0}")]
    Timeout(String),

    /// The storage backend failed (its own error inside: a backend may look at it).
    #[error("storage: {0}")]
    Storage(Box<dyn std::error::Error + Send + Sync>),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the database {path} has schema version {found}, newer than this program knows ({known}); run a newer fieldbook-server"
    )]
    StoreTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    /// A stored document or row that cannot be read: a bug or a damaged database.
    #[error("damaged data: {0}")]
    Damaged(String),

    #[error("TLS: {0}")]
    Tls(String),

    /// Password hashing failed (not a wrong password: that is `Unauthorized`).
    #[error("password hashing: {0}")]
    Hash(String),

    /// A background task panicked or was cancelled.
    #[error("internal task failed: {0}")]
    Task(String),

    #[error("server: {0}")]
    Serve(std::io::Error),
}

impl ServerError {
    /// A closure for `map_err` on IO results about `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ServerError {
        let path = path.into();
        move |source| ServerError::Io { path, source }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            ServerError::BadRequest(_) | ServerError::Protocol(_) => 400,
            ServerError::Unauthorized(_) => 401,
            ServerError::Forbidden(_) => 403,
            ServerError::NotFound(_) => 404,
            ServerError::MethodNotAllowed(_) => 405,
            ServerError::Conflict(_) | ServerError::CursorAhead(_) | ServerError::LogChanged(_) => {
                409
            }
            ServerError::Timeout(_) => 408,
            ServerError::Deactivated(_) => 410,
            ServerError::TooLarge(_) => 413,
            ServerError::Locked(_) => 423,
            ServerError::Throttled { .. } => 429,
            ServerError::UnsupportedMedia(_) => 415,
            _ => 500,
        }
    }

    /// The stable code of the error body.
    pub fn code(&self) -> &'static str {
        match self {
            ServerError::BadRequest(_) => "bad_request",
            ServerError::Protocol(_) => "protocol",
            ServerError::Unauthorized(_) => "unauthorized",
            ServerError::Forbidden(_) => "forbidden",
            ServerError::NotFound(_) => "not_found",
            ServerError::MethodNotAllowed(_) => "method_not_allowed",
            ServerError::Conflict(_) => "conflict",
            ServerError::CursorAhead(_) => "cursor_ahead",
            ServerError::LogChanged(_) => "log_changed",
            ServerError::UnsupportedMedia(_) => "unsupported_media_type",
            ServerError::Deactivated(_) => "deactivated",
            ServerError::TooLarge(_) => "too_large",
            ServerError::Throttled { .. } => "too_many_requests",
            ServerError::Locked(_) => "locked",
            ServerError::Timeout(_) => "timeout",
            _ => "internal",
        }
    }

    /// Whether the caller caused this by what they asked (the CLI exits 2 for these).
    pub fn is_bad_input(&self) -> bool {
        (400..500).contains(&self.status()) || matches!(self, ServerError::Tls(_))
    }
}

impl From<fieldbook_core::CoreError> for ServerError {
    fn from(e: fieldbook_core::CoreError) -> Self {
        ServerError::Damaged(e.to_string())
    }
}

pub type Result<T, E = ServerError> = std::result::Result<T, E>;
