//! Tokens and devices: resolving a token to a [`Session`] (and whether it may still sync
//! or only hand over, or has expired), signing out, what a device holds, and listing
//! devices. Signing in, its limits and revocation are `logins`'.

use super::{Service, admin_scope, need_user};
use crate::access::{Requester, require_in_scope};
use crate::error::{Result, ServerError};
use crate::storage::{StorageExt, TokenState};
use fieldbook_core::protocol::{DeviceInfo, Role};
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

    /// Refuses a deactivated user's token for anything but the handover.
    pub fn require_active(&self) -> Result<()> {
        if !self.deactivated {
            return Ok(());
        }
        Err(ServerError::Deactivated(format!(
            "{} was deactivated{}: hand over what this device holds with POST /v1/handover, then wipe it",
            self.user,
            self.successor
                .as_deref()
                .map(|x| format!(" (their records went to {x})"))
                .unwrap_or_default()
        )))
    }
}

impl Service {
    /// The session of a token (by its hash): refused when unknown or revoked. A
    /// deactivated user's token resolves, marked so (see [`Session::require_active`]).
    pub fn authenticate(&self, token_hash: &str) -> Result<Session> {
        let row = self.storage.read(|repo| repo.token(token_hash))?;
        let unknown = || {
            ServerError::Unauthorized("this token is unknown or was revoked: sign in again".into())
        };
        let row = row.ok_or_else(unknown)?;
        let deactivated = match row.state {
            TokenState::Active => false,
            TokenState::Deactivated => true,
            TokenState::Revoked => return Err(unknown()),
        };
        if let Some(at) = self.expired(&row)? {
            return Err(ServerError::Unauthorized(format!(
                "this token expired at {at}: sign in again"
            )));
        }
        Ok(Session {
            user: row.user,
            role: row.role,
            team: row.team,
            device_id: row.device_id,
            token_hash: token_hash.to_string(),
            deactivated,
            successor: row.successor,
            pending: row.pending,
        })
    }

    /// Records how many changes a device says it holds. Bookkeeping: nobody waits for it.
    pub fn note_pending(&self, session: &Session, pending: u64) -> Result<()> {
        let device = session.device_id;
        self.storage
            .later(move |repo| repo.set_pending(device, pending))
    }

    /// Revokes the session's token at once.
    pub fn logout(&self, session: &Session) -> Result<()> {
        let hash = session.token_hash.clone();
        self.storage
            .write(move |repo| repo.set_token_state(&hash, TokenState::Revoked))
    }

    /// Devices the requester may see, by user and age; `user` narrows to one user's.
    pub fn devices(&self, by: &Requester, user: Option<&str>) -> Result<Vec<DeviceInfo>> {
        // What devices told with their last requests is bookkeeping still queued: let it land.
        self.storage.settle()?;
        let (mut devices, tokens) = self.storage.read(|repo| {
            let scope = admin_scope(repo, by)?;
            if let Some(u) = user {
                need_user(repo, u)?;
                require_in_scope(&scope, by, u)?;
            }
            let mut devices = repo.devices(user)?;
            devices.retain(|d| scope.covers(&d.user));
            Ok((devices, repo.device_tokens(user)?))
        })?;
        self.describe_tokens(&mut devices, &tokens)?;
        Ok(devices)
    }
}
