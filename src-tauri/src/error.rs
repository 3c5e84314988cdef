//! The error the front-end receives from every command: a kind to branch on and a message
//! (from `fieldbook-client`, which says what to do) to show. Never a panic, never a bare
//! string.

use fieldbook_client::ClientError;
use serde::Serialize;

/// What went wrong, in the terms a screen reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The user's input was refused; nothing changed. Show the message next to the input.
    BadInput,
    /// No record has that id (here): it may have been removed by a sync.
    NotFound,
    /// There is no store yet: the first-run screen creates one.
    NoStore,
    /// The store was written by a newer Fieldbook; it was left untouched.
    StoreTooNew,
    /// The server cannot be reached; work goes on offline.
    Offline,
    /// The device is not signed in to a server.
    NotLoggedIn,
    /// The server refused the sign-in or the token.
    Unauthorized,
    /// The store is encrypted and this app has not unlocked it: the unlock screen asks for
    /// the passphrase.
    Locked,
    /// The passphrase given does not open the store; nothing changed.
    WrongPassphrase,
    /// The new passphrase is too short (`AtRestInfo.minPassphrase`); nothing changed.
    WeakPassphrase,
    /// The store is open elsewhere (another program, an import running), so its protection
    /// cannot change now; nothing changed.
    StoreInUse,
    /// Anything else (a damaged store, a failing disk): show the message.
    Failed,
}

/// A command's failure as the front-end sees it.
#[derive(Clone, Debug, Serialize, specta::Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
}

impl AppError {
    pub fn failed(message: impl Into<String>) -> AppError {
        AppError {
            kind: ErrorKind::Failed,
            message: message.into(),
        }
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> AppError {
        let kind = match &e {
            ClientError::NoStore(_) => ErrorKind::NoStore,
            ClientError::NotFound(_) => ErrorKind::NotFound,
            ClientError::StoreTooNew { .. } => ErrorKind::StoreTooNew,
            ClientError::Offline { .. } => ErrorKind::Offline,
            ClientError::NotLoggedIn => ErrorKind::NotLoggedIn,
            ClientError::Unauthorized(_) => ErrorKind::Unauthorized,
            ClientError::Locked(_) => ErrorKind::Locked,
            ClientError::WrongPassphrase => ErrorKind::WrongPassphrase,
            ClientError::WeakPassphrase { .. } => ErrorKind::WeakPassphrase,
            ClientError::StoreInUse(_) => ErrorKind::StoreInUse,
            e if e.is_bad_input() => ErrorKind::BadInput,
            _ => ErrorKind::Failed,
        };
        AppError {
            kind,
            message: e.to_string(),
        }
    }
}
