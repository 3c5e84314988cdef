//! Signing in under attack, and the lifetime of what it gives: the password check behind
//! per-address and per-user growing delays and a lock after repeated failures (the
//! [`LoginPolicy`]; one check at a time per user name, a few per address; each failure
//! logged with the client's address), tokens issued with an
//! expiry and refused after it, unlocking a user (admins), and revoking a device's token
//! (the user their own devices, a manager their teams', admins any).
//!
//! A user's failures and lock are stored with the user (they outlive a restart); an
//! address's failures, and those of names nobody has, are kept in memory ([`Strikes`]).
//! A name nobody has is throttled and "locked" alike, so the answers do not tell who
//! exists. Knows nothing of HTTP (the address arrives as a value) or SQL.

use super::{Service, admin_scope, need_user};
use crate::access::Requester;
use crate::auth;
use crate::error::{Result, ServerError};
use crate::guard::{Holds, LoginPolicy, Strikes};
use crate::names;
use crate::storage::{DeviceToken, NewDevice, StorageExt, TokenRow, TokenState};
use fieldbook_core::protocol::{
    DeviceInfo, LoginRequest, LoginResponse, RevokeResponse, TokenStatus, UnlockResponse,
};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tracing::{info, warn};
use uuid::Uuid;

/// Failures of one address or unknown name are forgotten this long after the last one.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The longest name kept as a key for an unknown user (longer names cannot exist).
const NAME_KEY_CHARS: usize = 64;

/// Sign-ins of one user name checked at once. One: a burst of parallel guesses cannot all
/// pass the wait before the first failure is counted.
const IN_FLIGHT_PER_USER: usize = 1;

/// Sign-ins from one address checked at once (an office behind one address signs in
/// together now and then; a guesser would run hundreds).
const IN_FLIGHT_PER_ADDRESS: usize = 4;

/// The sign-in limits of one server: its policy and what it keeps in memory.
pub struct Guard {
    pub policy: LoginPolicy,
    addresses: Strikes<IpAddr>,
    unknown: Strikes<String>,
    users_in_flight: Arc<Holds<String>>,
    addresses_in_flight: Arc<Holds<IpAddr>>,
}

impl Guard {
    pub fn new(policy: LoginPolicy) -> Guard {
        Guard {
            policy,
            addresses: Strikes::new(FORGET_AFTER),
            unknown: Strikes::new(FORGET_AFTER),
            users_in_flight: Arc::new(Holds::default()),
            addresses_in_flight: Arc::new(Holds::default()),
        }
    }
}

fn busy(whose: &str) -> ServerError {
    ServerError::Throttled {
        message: format!("a sign-in {whose} is being checked already: try again in a second"),
        retry_after: 1,
    }
}

/// A time as stored for the guard (RFC 3339, UTC, to the nanosecond: delays are short).
fn stamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

fn parse(at: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(at, &Rfc3339)
        .map_err(|e| ServerError::Damaged(format!("stored time `{at}`: {e}")))
}

fn throttled(wait: Duration, whose: &str) -> ServerError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ServerError::Throttled {
        message: format!(
            "too many failed sign-ins {whose}: try again in {secs} s (each further failure doubles the wait)"
        ),
        retry_after: secs.max(1),
    }
}

fn locked(user: &str, after: u32) -> ServerError {
    ServerError::Locked(format!(
        "signing in as {user} is locked after {after} failed attempts: an admin unlocks it (`fieldbook-server user unlock {user}`)"
    ))
}

// A user name in the log is as typed by whoever signs in: it is logged quoted and escaped
// (`?user`), so a name with a line break cannot forge a log line.

fn addr(from: Option<IpAddr>) -> String {
    from.map_or_else(|| "-".into(), |a| a.to_string())
}

impl Service {
    /// The sign-in limits and token lifetime this service applies.
    pub fn policy(&self) -> &LoginPolicy {
        &self.guard.policy
    }

    /// Exchanges a user's password for a new device's token (no client address: the
    /// per-address limit does not apply).
    pub fn login(&self, req: &LoginRequest) -> Result<LoginResponse> {
        self.login_from(req, None)
    }

    /// Exchanges a user's password for a new device's token, for a client at `from`.
    /// Refused while the address or the user must wait after failures (`Throttled`, with
    /// how long), while the user is locked (`Locked`), and for a wrong name or password
    /// (`Unauthorized`, counted and logged).
    pub fn login_from(&self, req: &LoginRequest, from: Option<IpAddr>) -> Result<LoginResponse> {
        names::device(&req.device_name)?;
        let user = req.user.trim();
        let policy = &self.guard.policy;
        let now = OffsetDateTime::now_utc();
        let mut _address_turn = None;
        if let Some(ip) = from {
            let (failures, last) = self.guard.addresses.get(&ip, now);
            if let Some(wait) = policy.wait(failures, policy.address_free, last, now) {
                warn!(addr = %ip, user = ?user, failures, "sign-in throttled: this address failed too often");
                return Err(throttled(wait, "from this address"));
            }
            _address_turn = self
                .guard
                .addresses_in_flight
                .take(ip, IN_FLIGHT_PER_ADDRESS);
            if _address_turn.is_none() {
                warn!(addr = %ip, user = ?user, "sign-in throttled: too many at once from this address");
                return Err(busy("from this address"));
            }
        }
        let key: String = user.chars().take(NAME_KEY_CHARS).collect();
        // Held until the outcome is counted: the failures read next are still true then.
        let Some(_user_turn) = self
            .guard
            .users_in_flight
            .take(key.clone(), IN_FLIGHT_PER_USER)
        else {
            warn!(addr = %addr(from), user = ?user, "sign-in throttled: one is being checked for this user");
            return Err(busy("for this user"));
        };
        let creds = self.storage.read(|repo| {
            let Some(info) = repo.user(user)? else {
                return Ok(None);
            };
            let hash = repo.password_hash(user)?;
            let failures = repo.login_failures(user)?.unwrap_or_default();
            Ok(hash.map(|h| (info, h, failures)))
        })?;
        let (failures, last, is_locked) = match &creds {
            Some((_, _, f)) => (
                f.failures,
                f.last.as_deref().map(parse).transpose()?,
                f.locked_at.is_some(),
            ),
            None => {
                let (f, last) = self.guard.unknown.get(&key, now);
                (f, last, policy.locks(f))
            }
        };
        if is_locked {
            warn!(addr = %addr(from), user = ?user, failures, "sign-in refused: locked");
            return Err(locked(user, policy.lock_after));
        }
        if let Some(wait) = policy.wait(failures, policy.user_free, last, now) {
            warn!(addr = %addr(from), user = ?user, failures, "sign-in throttled: this user failed too often");
            return Err(throttled(wait, "for this user"));
        }
        let info = match creds {
            Some((info, hash, _)) if auth::verify(&hash, &req.password) => info,
            found => {
                if found.is_none() {
                    // As long as a wrong password: the answer does not tell who exists.
                    auth::verify_nothing(&req.password);
                }
                return Err(self.failed(user, &key, found.is_some(), from, now));
            }
        };
        let token = auth::new_token();
        let hash = auth::token_hash(&token);
        let (name, device_name) = (info.name.clone(), req.device_name.trim().to_string());
        let (at, expires) = (stamp(now), policy.expiry(now).map(stamp));
        let device_id = self.storage.write(move |repo| {
            let user = need_user(repo, &name)?;
            if !user.active {
                return Err(ServerError::Unauthorized(format!(
                    "{} was deactivated and cannot sign in; ask a manager",
                    user.name
                )));
            }
            if failures > 0 {
                repo.clear_login_failures(&name)?;
            }
            let id = Uuid::now_v7();
            let device = NewDevice {
                id,
                user: &name,
                name: &device_name,
                token_hash: &hash,
                expires_at: expires.as_deref(),
            };
            repo.insert_device(&device, &at)?;
            Ok(id)
        })?;
        Ok(LoginResponse {
            token,
            device_id,
            user: info.name,
            role: info.role,
            team: info.team,
        })
    }

    /// Counts and logs a failed sign-in; the error to answer with.
    fn failed(
        &self,
        user: &str,
        key: &String,
        exists: bool,
        from: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> ServerError {
        if let Some(ip) = from {
            self.guard.addresses.fail(&ip, now);
        }
        let counted = if exists {
            let (name, at, lock_after) =
                (user.to_string(), stamp(now), self.guard.policy.lock_after);
            self.storage.write(move |repo| {
                let n = repo.add_login_failure(&name, &at)?;
                if lock_after > 0 && n >= lock_after {
                    repo.lock_login(&name, &at)?;
                }
                Ok(n)
            })
        } else {
            Ok(self.guard.unknown.fail(key, now))
        };
        match counted {
            Ok(failures) => {
                let locked_now = self.guard.policy.locks(failures);
                warn!(addr = %addr(from), user = ?user, failures, locked = locked_now, "sign-in failed");
                ServerError::Unauthorized("wrong user name or password".into())
            }
            Err(e) => e,
        }
    }

    /// When the token of `row` expired (`None`: it has not): the expiry it was issued with,
    /// or for a token issued without one (before schema 6), its issue time plus today's
    /// lifetime.
    pub(super) fn expired(&self, row: &TokenRow) -> Result<Option<String>> {
        let expiry = self.expiry(&row.created_at, row.expires_at.as_deref())?;
        Ok(expiry
            .filter(|at| *at <= OffsetDateTime::now_utc())
            .map(fieldbook_core::value::format_datetime))
    }

    fn expiry(&self, created: &str, stored: Option<&str>) -> Result<Option<OffsetDateTime>> {
        match stored {
            Some(at) => parse(at).map(Some),
            None => Ok(self.guard.policy.expiry(parse(created)?)),
        }
    }

    /// Adds to each device when it signed in, when its token expires and what it is good
    /// for now.
    pub(super) fn describe_tokens(
        &self,
        devices: &mut [DeviceInfo],
        tokens: &[DeviceToken],
    ) -> Result<()> {
        let by_device: HashMap<Uuid, &DeviceToken> =
            tokens.iter().map(|t| (t.device_id, t)).collect();
        let now = OffsetDateTime::now_utc();
        for d in devices {
            let Some(t) = by_device.get(&d.device_id) else {
                continue;
            };
            let expiry = self.expiry(&t.created_at, t.expires_at.as_deref())?;
            d.signed_in_at = Some(t.created_at.clone());
            d.expires_at = expiry.map(fieldbook_core::value::format_datetime);
            d.token = Some(match t.state {
                TokenState::Active if expiry.is_some_and(|e| e <= now) => TokenStatus::Expired,
                TokenState::Active => TokenStatus::Active,
                TokenState::Revoked => TokenStatus::Revoked,
                TokenState::Deactivated => TokenStatus::Deactivated,
            });
        }
        Ok(())
    }

    /// The devices of the signed-in user, with their tokens.
    pub fn own_devices(&self, user: &str) -> Result<Vec<DeviceInfo>> {
        self.storage.settle()?;
        let (mut devices, tokens) = self
            .storage
            .read(|repo| Ok((repo.devices(Some(user))?, repo.device_tokens(Some(user))?)))?;
        self.describe_tokens(&mut devices, &tokens)?;
        Ok(devices)
    }

    /// Lets a locked user sign in again and forgets their failures (admins only).
    pub fn unlock(&self, by: &Requester, user: &str) -> Result<UnlockResponse> {
        by.require_admin()?;
        let name = user.trim().to_string();
        let done = self.storage.write(move |repo| {
            let info = need_user(repo, &name)?;
            let before = repo.login_failures(&info.name)?.unwrap_or_default();
            repo.clear_login_failures(&info.name)?;
            Ok(UnlockResponse {
                user: info.name,
                was_locked: before.locked_at.is_some(),
                failures: before.failures,
            })
        })?;
        self.guard.unknown.clear(&done.user);
        info!(by = by.name(), user = %done.user, was_locked = done.was_locked, "sign-in unlocked");
        Ok(done)
    }

    /// Revokes a device's token: the user for their own devices, a manager for the
    /// members of their teams, an admin (and the operator) for anyone.
    pub fn revoke_device(&self, by: &Requester, device: Uuid) -> Result<RevokeResponse> {
        let by = by.clone();
        let done = self.storage.write(move |repo| {
            let user = repo.device_user(device)?.ok_or_else(|| {
                ServerError::NotFound(format!(
                    "there is no device {device}: `devices` lists them"
                ))
            })?;
            let own = matches!(&by, Requester::User { name, .. } if *name == user);
            if !own {
                let scope = admin_scope(repo, &by).map_err(|_| {
                    ServerError::Forbidden(format!(
                        "device {device} is not {}'s: only its user, their manager or an admin may revoke it",
                        by.name()
                    ))
                })?;
                crate::access::require_in_scope(&scope, &by, &user)?;
            }
            let revoked = repo.revoke_device_tokens(device)?;
            Ok(RevokeResponse {
                device_id: device,
                user,
                revoked,
            })
        })?;
        info!(device = %device, user = %done.user, revoked = done.revoked, "device revoked");
        Ok(done)
    }
}
