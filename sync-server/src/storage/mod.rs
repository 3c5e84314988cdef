//! Where the server keeps users, devices, tokens, documents, the change log and the
//! quarantine: the [`Storage`] trait the HTTP layer and the command line call, and its
//! SQLite implementation ([`SqliteStorage`]). Another backend (PostgreSQL) implements the
//! same trait and reuses the backend-independent rules (`access`, `validate`, `ownership`,
//! `push`, `pull`).
//!
//! Every method is synchronous (call it from `spawn_blocking` in async code) and does its
//! work in one transaction. Passwords arrive hashed and tokens as their SHA-256: storage
//! knows nothing of argon2, HTTP or the command line.

mod sqlite;

pub use sqlite::SqliteStorage;

use crate::access::Requester;
use crate::error::Result;
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, DeviceInfo, PullRequest, PullResponse, PushRequest,
    PushResponse, QuarantineEntry, ReassignRequest, ReassignResponse, Role, UserInfo,
};
use serde::Serialize;
use uuid::Uuid;

/// A request's device token, resolved.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: String,
    pub role: Role,
    pub team: Option<String>,
    pub device_id: Uuid,
    pub token_hash: String,
    /// The user was deactivated: only a handover is possible with this token.
    pub deactivated: bool,
    /// Who took over a deactivated user's records.
    pub successor: Option<String>,
    /// Changes the device held at its last contact.
    pub pending: u64,
}

impl Session {
    pub fn requester(&self) -> Requester {
        Requester::User {
            name: self.user.clone(),
            role: self.role,
        }
    }
}

/// A user and their stored password hash (for signing in).
#[derive(Clone, Debug)]
pub struct Credentials {
    pub info: UserInfo,
    pub password_hash: String,
}

/// A user to add (the password already hashed).
#[derive(Clone, Debug)]
pub struct NewUserRecord {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub password_hash: String,
}

/// Changes to a user; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct UserUpdate {
    pub role: Option<Role>,
    /// `Some(None)` removes the user from their team.
    pub team: Option<Option<String>>,
    pub password_hash: Option<String>,
}

/// A team and who is in it.
#[derive(Clone, Debug, Serialize)]
pub struct TeamInfo {
    pub name: String,
    pub manager: Option<String>,
    pub members: Vec<String>,
}

/// What `/metrics` shows of the stored data.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub docs: u64,
    pub log: u64,
    pub quarantine: u64,
    pub users: u64,
    pub devices: u64,
}

/// A copy written by [`Storage::backup`].
#[derive(Clone, Debug)]
pub struct Backup {
    pub path: std::path::PathBuf,
    pub bytes: u64,
    /// How to bring the copy back, for the operator.
    pub restore: String,
}

/// Whether a backend metric only grows or goes up and down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Counter,
    Gauge,
}

/// A number only one backend keeps (how it works inside), shown on `/metrics`.
#[derive(Clone, Debug)]
pub struct BackendMetric {
    /// A Prometheus name, `fieldbook_…`.
    pub name: &'static str,
    pub help: &'static str,
    pub kind: MetricKind,
    pub value: u64,
}

/// Everything the HTTP layer and the command line need from storage.
pub trait Storage: Send + Sync + 'static {
    /// The session of a token (by its hash); `None` if unknown or revoked.
    fn authenticate(&self, token_hash: &str) -> Result<Option<Session>>;
    /// Records how many changes a device holds (told with any request).
    fn note_pending(&self, device_id: Uuid, pending: u64) -> Result<()>;
    /// A user's record and password hash, if the user exists.
    fn credentials(&self, user: &str) -> Result<Option<Credentials>>;
    /// Registers a new device of an active user with a token (by its hash).
    fn open_device(&self, user: &str, device_name: &str, token_hash: &str) -> Result<Uuid>;
    /// Revokes a token at once.
    fn revoke_token(&self, token_hash: &str) -> Result<()>;

    /// Applies a page of changes (oldest first).
    fn push(&self, session: &Session, req: PushRequest) -> Result<PushResponse>;
    /// A deactivated user's device handing over what it holds; the last page (`pending`
    /// no more than the page) wipes the device and revokes its token.
    fn handover(&self, session: &Session, req: PushRequest) -> Result<PushResponse>;
    /// A page of what the user may see after the cursor (or of the bootstrap).
    fn pull(&self, session: &Session, req: &PullRequest) -> Result<PullResponse>;

    fn users(&self, by: &Requester) -> Result<Vec<UserInfo>>;
    fn add_user(&self, by: &Requester, user: &NewUserRecord) -> Result<UserInfo>;
    fn update_user(&self, by: &Requester, name: &str, update: &UserUpdate) -> Result<UserInfo>;
    fn add_team(&self, by: &Requester, team: &str, manager: &str) -> Result<TeamInfo>;
    fn teams(&self, by: &Requester) -> Result<Vec<TeamInfo>>;
    fn reassign(&self, by: &Requester, req: &ReassignRequest) -> Result<ReassignResponse>;
    fn deactivate(&self, by: &Requester, req: &DeactivateRequest) -> Result<DeactivateResponse>;
    fn devices(&self, by: &Requester, user: Option<&str>) -> Result<Vec<DeviceInfo>>;
    fn quarantine(&self, by: &Requester) -> Result<Vec<QuarantineEntry>>;
    fn counts(&self) -> Result<Counts>;
    /// Writes a consistent copy of everything to `to` (a new file, in the backend's own
    /// format) while serving goes on, and says how to restore it.
    fn backup(&self, to: &std::path::Path) -> Result<Backup>;
    /// The backend's own counters.
    fn metrics(&self) -> Vec<BackendMetric> {
        Vec::new()
    }
}
