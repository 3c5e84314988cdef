//! The one error type of the client crate. Every case a user can cause says what to do;
//! [`ClientError::is_bad_input`] tells the CLI which exit code to use.

use fieldbook_core::CoreError;
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ClientError {
    #[error(transparent)]
    Core(#[from] CoreError),

    #[error(
        "there is no Fieldbook store in {0}: run `fieldbook init --user YOUR_NAME` first (or pass --data-dir DIR)"
    )]
    NoStore(PathBuf),

    #[error("{0} already holds a Fieldbook store: use it, or pass another --data-dir")]
    AlreadyExists(PathBuf),

    #[error(
        "no record has the id `{0}`: `fieldbook search TEXT` or `fieldbook list KIND` shows ids"
    )]
    NotFound(String),

    #[error("{field}: {problem}")]
    BadReference { field: String, problem: String },

    /// Any other input the user can fix; the message says how.
    #[error("{0}")]
    Invalid(String),

    #[error(
        "{path} is not a Fieldbook bundle ({why}): make one with `fieldbook bundle --out FILE`"
    )]
    BadBundle { path: PathBuf, why: String },

    #[error(
        "this store was written by a newer Fieldbook (store schema {found}, this program knows up to {known}): \
         install the newer fieldbook; nothing was changed"
    )]
    StoreTooNew { found: i64, known: i64 },

    #[error("the store's database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("this device is not signed in to a server: run `fieldbook login URL USER` first")]
    NotLoggedIn,

    #[error(
        "cannot reach the server at {url} ({why}); nothing is lost: your changes stay on this \
         device and go up at the next `fieldbook sync`"
    )]
    Offline { url: String, why: String },

    #[error(
        "the server refused the sign-in or the token ({0}): run `fieldbook login URL USER` again"
    )]
    Unauthorized(String),

    #[error("the server answered {status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },

    #[error("a stored document is damaged ({id}): {source}")]
    Damaged { id: String, source: Box<CoreError> },
}

impl ClientError {
    /// Whether the user caused this by what they typed (exit code 2), rather than a failure
    /// of the machine or a damaged store (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ClientError::Core(e) => e.is_bad_input(),
            ClientError::NotFound(_)
            | ClientError::BadReference { .. }
            | ClientError::Invalid(_)
            | ClientError::BadBundle { .. }
            | ClientError::AlreadyExists(_) => true,
            ClientError::Server { status, .. } => (400..500).contains(status),
            ClientError::NotLoggedIn
            | ClientError::Offline { .. }
            | ClientError::Unauthorized(_) => false,
            ClientError::NoStore(_)
            | ClientError::StoreTooNew { .. }
            | ClientError::Sqlite(_)
            | ClientError::Io { .. }
            | ClientError::Damaged { .. } => false,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        let path = path.into();
        move |source| ClientError::Io { path, source }
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;
