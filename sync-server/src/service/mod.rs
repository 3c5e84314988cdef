//! The service layer: every operation of the server (signing in, pushing, pulling,
//! administering users, teams and records) as the HTTP handlers and the command line call
//! it, with every rule applied once, here, over any [`Storage`] backend.
//!
//! Each operation checks what the request may do (through `access`, `names`, `validate`,
//! `ownership`, `push` and `pull`) and runs its reads and writes through one transaction
//! of the backend's [`Repo`]: `sessions` (tokens, devices), `logins` (sign-in under its
//! limits and lock, token expiry, unlocking, revoking devices), `push` (pushes and
//! handovers), `pull` (pull pages and the bootstrap), `admin`
//! (users and teams, and the grants and revokes their changes cause), `moves`
//! (reassignment, deactivation), `quarantine` (refused changes: review, apply, discard,
//! retries when what they wait for arrives), `reconcile` (what a device must send again
//! after a restore from a backup), `records` (counts, backups) and `reports` (the managers'
//! reports over the server's own data) and `team` (knowledge at risk per device, who manages
//! a team) and `browse` (records read for the web page).
//!
//! Every method blocks (argon2, Automerge, storage): call it from `spawn_blocking` in
//! async code. Knows nothing of HTTP, SQL or the command line's syntax.

mod admin;
mod browse;
mod logins;
mod moves;
mod pull;
mod push;
mod quarantine;
mod reconcile;
mod records;
mod reports;
mod sessions;
mod team;

pub use admin::{TeamInfo, UserChange};
pub use browse::MAX_PAGE;
pub use logins::Guard;
pub use push::{PushJob, SENT_AGAIN_BY};
pub use quarantine::RETRIED_BY;
pub use reports::{DEFAULT_CURRENCY, ReportAsk};
pub use sessions::Session;

use crate::access::{self, Requester, Scope, Shares};
use crate::auth::Passwords;
use crate::error::{Result, ServerError};
use crate::guard::LoginPolicy;
use crate::storage::{Repo, Storage};
use fieldbook_core::protocol::{Role, UserInfo};
use std::sync::Arc;

/// The server's operations over one storage backend. Cheap to clone.
#[derive(Clone)]
pub struct Service {
    storage: Arc<dyn Storage>,
    passwords: Passwords,
    guard: Arc<Guard>,
}

impl Service {
    /// The operations over `storage`, with standard password hashing.
    pub fn new(storage: Arc<dyn Storage>) -> Service {
        Service::with_policy(storage, LoginPolicy::default())
    }

    /// The operations over `storage`, signing in under `policy`.
    pub fn with_policy(storage: Arc<dyn Storage>, policy: LoginPolicy) -> Service {
        Service {
            storage,
            passwords: Passwords::standard(),
            guard: Arc::new(Guard::new(policy)),
        }
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }
}

/// Now, as stored (RFC 3339, UTC).
fn now() -> String {
    fieldbook_core::value::format_datetime(time::OffsetDateTime::now_utc())
}

/// A user that must exist.
fn need_user(repo: &mut dyn Repo, name: &str) -> Result<UserInfo> {
    repo.user(name)?.ok_or_else(|| {
        ServerError::NotFound(format!(
            "there is no user `{name}`: `fieldbook-server user list` shows who exists"
        ))
    })
}

/// What `user` with `role` sees.
fn scope_of(repo: &mut dyn Repo, user: &str, role: Role) -> Result<Scope> {
    let members = if role == Role::Manager {
        repo.managed_members(user)?
    } else {
        Vec::new()
    };
    Ok(Scope::of(role, user, members))
}

/// What `user` sees beyond their scope: the cases assigned to them, and the account and
/// contacts of each.
fn shares_of(repo: &mut dyn Repo, user: &str) -> Result<Shares> {
    let mut shares = Shares::default();
    let mut accounts = std::collections::BTreeSet::new();
    for a in repo.assigned_to(user)? {
        shares.cases.insert(a.case);
        accounts.insert(a.account);
    }
    for account in accounts {
        for r in repo.records_of_account(account)? {
            if access::shared_with_case(r.kind) {
                shares.context.insert(r.id);
            }
        }
    }
    Ok(shares)
}

/// The scope an administrative request may act on (reps are refused).
fn admin_scope(repo: &mut dyn Repo, by: &Requester) -> Result<Scope> {
    let members = match by {
        Requester::User {
            name,
            role: Role::Manager,
        } => repo.managed_members(name)?,
        _ => Vec::new(),
    };
    by.admin_scope(members)
}
