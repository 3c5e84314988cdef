//! The sync state the front-end shows, and what a failed sync or sign-in means for the
//! user, as a kind the screens put into words (with what to do) plus the library's own
//! message as the detail.

use fieldbook_client::ClientError;
use fieldbook_client::model::SyncStatus;
use serde::{Deserialize, Serialize};

/// What the sync engine is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SyncPhase {
    /// Never signed in to a server: the store works on this device only.
    Local,
    /// Signed out (or the server no longer accepts this device's sign-in).
    SignedOut,
    /// Waiting for the next sync.
    Idle,
    /// A sync is running.
    Syncing,
    /// The last attempt could not reach the server; it is tried again, less and less often.
    Offline,
}

/// Why the last sync or sign-in failed, in terms the user can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    /// The server did not answer (no network, wrong address, server down).
    Unreachable,
    /// The user name or password was refused at sign-in.
    WrongPassword,
    /// The server no longer accepts this device's sign-in (revoked, or signed out elsewhere).
    SessionEnded,
    /// The server refused some changes or a request (no right to it).
    AccessRefused,
    /// This user was deactivated: the device handed its work over.
    Deactivated,
    /// The address given is not a server address.
    BadAddress,
    /// The certificate authority file (`FIELDBOOK_CA_CERT`) is unreadable.
    BadCertificate,
    /// Anything else: the detail says what.
    Failed,
}

/// A problem and the library's words for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProblem {
    pub kind: ProblemKind,
    pub detail: String,
    /// For `AccessRefused` after a sync: how many changes the server set aside.
    pub refused: u64,
}

impl SyncProblem {
    /// What a failure means for the user; `None` when it is not a problem to show
    /// (a cancelled sync, a device never signed in).
    pub fn of(e: &ClientError) -> Option<SyncProblem> {
        let kind = match e {
            ClientError::Cancelled | ClientError::NotLoggedIn => return None,
            ClientError::Offline { .. } | ClientError::PullInterrupted => ProblemKind::Unreachable,
            ClientError::Unauthorized(_) => ProblemKind::SessionEnded,
            ClientError::Deactivated | ClientError::StoreWiped => ProblemKind::Deactivated,
            ClientError::Server { status: 403, .. } => ProblemKind::AccessRefused,
            ClientError::BadServerUrl(_) => ProblemKind::BadAddress,
            ClientError::BadCaCert { .. } => ProblemKind::BadCertificate,
            _ => ProblemKind::Failed,
        };
        Some(SyncProblem {
            kind,
            detail: e.to_string(),
            refused: 0,
        })
    }

    /// The same at sign-in, where a refusal means a wrong user name or password.
    pub fn of_login(e: &ClientError) -> Option<SyncProblem> {
        let mut p = SyncProblem::of(e)?;
        if p.kind == ProblemKind::SessionEnded {
            p.kind = ProblemKind::WrongPassword;
        }
        Some(p)
    }
}

/// Everything the sync badge and Settings show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    pub phase: SyncPhase,
    /// The server this device signs in to; `None` while it has only worked offline.
    pub server: Option<String>,
    /// The signed-in user; `None` when signed out.
    pub user: Option<String>,
    /// The user's role at the last sign-in (`rep`, `manager`, `admin`); `None` when signed
    /// out. The team dashboard is offered to managers and admins.
    pub role: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_sync: Option<String>,
    /// Changes made here that the server has not acknowledged yet.
    pub pending: u64,
    /// Why the last attempt failed, until one succeeds.
    pub problem: Option<SyncProblem>,
}

impl SyncView {
    /// The state as the store says it (with no network), in `phase` unless the store
    /// itself says signed out or never signed in.
    pub fn from_status(s: SyncStatus, phase: SyncPhase, problem: Option<SyncProblem>) -> SyncView {
        let phase = match (&s.server, &s.user) {
            (None, _) => SyncPhase::Local,
            (Some(_), None) => SyncPhase::SignedOut,
            _ => phase,
        };
        SyncView {
            phase,
            server: s.server,
            role: s.user.as_ref().and(s.role),
            user: s.user,
            last_sync: s.last_sync,
            pending: s.pending,
            problem,
        }
    }
}
