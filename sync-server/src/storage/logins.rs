//! What signing in leaves behind, as every backend stores it: a user's failed sign-ins and
//! lock ([`LoginRepo`]), and each device's token with its lifetime, for listings and
//! revocation. Plain reads and writes: how many failures lock a user, how long a token
//! lives and who may revoke what are the service's (`service::logins`).

use crate::error::Result;
use crate::storage::TokenState;
use uuid::Uuid;

/// A user's failed sign-ins since their last successful one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: u32,
    /// When the last one was (RFC 3339).
    pub last: Option<String>,
    /// When signing in was locked (RFC 3339); `None`: not locked.
    pub locked_at: Option<String>,
}

/// A device's token, as listings show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceToken {
    pub device_id: Uuid,
    pub user: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub state: TokenState,
}

/// Failed sign-ins, locks and device tokens.
pub trait LoginRepo {
    /// A user's failed sign-ins (`None`: no such user).
    fn login_failures(&mut self, user: &str) -> Result<Option<LoginFailures>>;
    /// Counts one more failed sign-in of `user` at `at`; returns how many there are now.
    fn add_login_failure(&mut self, user: &str, at: &str) -> Result<u32>;
    /// Locks signing in for `user` (kept until [`LoginRepo::clear_login_failures`]).
    fn lock_login(&mut self, user: &str, at: &str) -> Result<()>;
    /// Forgets a user's failed sign-ins and lifts a lock.
    fn clear_login_failures(&mut self, user: &str) -> Result<()>;
    /// Every device's token, by user and age; `user` narrows to one user's.
    fn device_tokens(&mut self, user: Option<&str>) -> Result<Vec<DeviceToken>>;
    /// The user a device belongs to (`None`: no such device).
    fn device_user(&mut self, device: Uuid) -> Result<Option<String>>;
    /// Revokes a device's tokens that are still good for something (active, or a
    /// deactivated user's handover); returns how many.
    fn revoke_device_tokens(&mut self, device: Uuid) -> Result<u64>;
}
