//! Signing in under attack, over any backend: failed sign-ins are counted with the user
//! and lock them (also for a service started again over the same storage) until an admin
//! unlocks them; a success forgets them; attempts wait after failures (per user, per
//! address); tokens expire and a device's token is revoked by its user, their manager or
//! an admin.

use super::Fresh;
use super::fixtures::{PASSWORD, World};
use crate::access::Requester;
use crate::auth;
use crate::error::ServerError;
use crate::guard::LoginPolicy;
use crate::service::Service;
use fieldbook_core::protocol::{LoginRequest, LoginResponse, Role, TokenStatus};
use std::net::IpAddr;
use std::time::Duration;

fn attempt(
    service: &Service,
    user: &str,
    password: &str,
    from: Option<IpAddr>,
) -> crate::Result<LoginResponse> {
    service.login_from(
        &LoginRequest {
            user: user.into(),
            password: password.into(),
            device_name: "laptop".into(),
        },
        from,
    )
}

fn as_user(name: &str, role: Role) -> Requester {
    Requester::User {
        name: name.into(),
        role,
    }
}

/// No waits: only counts and locks.
fn counting(lock_after: u32) -> LoginPolicy {
    LoginPolicy {
        base_delay: Duration::ZERO,
        lock_after,
        ..LoginPolicy::default()
    }
}

pub fn failed_sign_ins_lock_a_user_until_an_admin_unlocks(fresh: Fresh) {
    let w = World::company(fresh);
    let service = Service::with_policy(w.service.storage().clone(), counting(3));
    // A success in between forgets the failures.
    for _ in 0..2 {
        let e = attempt(&service, "alice", "guess", None).unwrap_err();
        assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    }
    attempt(&service, "alice", PASSWORD, None).unwrap();
    for _ in 0..3 {
        let e = attempt(&service, "alice", "guess", None).unwrap_err();
        assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    }
    // Locked: even the right password is refused, and says who unlocks it.
    let e = attempt(&service, "alice", PASSWORD, None).unwrap_err();
    assert!(
        matches!(&e, ServerError::Locked(m) if m.contains("user unlock alice")),
        "{e}"
    );
    let alice = service
        .users(&Requester::Operator)
        .unwrap()
        .into_iter()
        .find(|u| u.name == "alice")
        .unwrap();
    assert!(alice.locked);
    // The lock is stored: a service started again over the same storage keeps it.
    let again = Service::with_policy(w.service.storage().clone(), counting(3));
    let e = attempt(&again, "alice", PASSWORD, None).unwrap_err();
    assert!(matches!(e, ServerError::Locked(_)), "{e}");
    // Only admins unlock.
    for by in [as_user("alice", Role::Rep), as_user("mia", Role::Manager)] {
        let e = again.unlock(&by, "alice").unwrap_err();
        assert!(matches!(e, ServerError::Forbidden(_)), "{e}");
    }
    let e = again.unlock(&Requester::Operator, "nobody").unwrap_err();
    assert!(matches!(e, ServerError::NotFound(_)), "{e}");
    let done = again
        .unlock(&as_user("root", Role::Admin), "alice")
        .unwrap();
    assert!(done.was_locked);
    assert_eq!(done.failures, 3);
    attempt(&again, "alice", PASSWORD, None).unwrap();
    // Other users were never touched.
    attempt(&again, "bob", PASSWORD, None).unwrap();
    // A name nobody has is refused the same way: the answers do not tell who exists.
    for _ in 0..3 {
        let e = attempt(&again, "ghost", "guess", None).unwrap_err();
        assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    }
    let e = attempt(&again, "ghost", PASSWORD, None).unwrap_err();
    assert!(matches!(e, ServerError::Locked(_)), "{e}");
}

pub fn attempts_wait_after_failures_per_user_and_per_address(fresh: Fresh) {
    let w = World::company(fresh);
    let policy = LoginPolicy {
        user_free: 2,
        address_free: 3,
        base_delay: Duration::from_secs(60),
        lock_after: 0,
        ..LoginPolicy::default()
    };
    let service = Service::with_policy(w.service.storage().clone(), policy);
    let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
    for _ in 0..2 {
        let e = attempt(&service, "alice", "guess", Some(a)).unwrap_err();
        assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    }
    // The user must wait now, from any address, whatever the password.
    for from in [Some(a), Some(b), None] {
        let e = attempt(&service, "alice", PASSWORD, from).unwrap_err();
        match e {
            ServerError::Throttled {
                retry_after,
                message,
            } => {
                assert!((59..=60).contains(&retry_after), "{retry_after}");
                assert!(message.contains("for this user"), "{message}");
            }
            e => panic!("expected a wait, got {e}"),
        }
    }
    // Address a failed twice; once more (another user) and it must wait, for every user.
    let e = attempt(&service, "bob", "guess", Some(a)).unwrap_err();
    assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    let e = attempt(&service, "zoe", PASSWORD, Some(a)).unwrap_err();
    assert!(
        matches!(&e, ServerError::Throttled { message, .. } if message.contains("from this address")),
        "{e}"
    );
    // Another address is not held back, and a user without failures signs in.
    attempt(&service, "zoe", PASSWORD, Some(b)).unwrap();
    attempt(&service, "zoe", PASSWORD, None).unwrap();
}

pub fn tokens_expire_and_devices_are_revoked_one_by_one(fresh: Fresh) {
    let w = World::company(fresh);
    let short = Service::with_policy(
        w.service.storage().clone(),
        LoginPolicy {
            token_ttl: Some(Duration::from_secs(1)),
            ..LoginPolicy::default()
        },
    );
    let brief = attempt(&short, "alice", PASSWORD, None).unwrap();
    let hash = auth::token_hash(&brief.token);
    short.authenticate(&hash).unwrap();
    let listed = short.own_devices("alice").unwrap();
    let d = listed
        .iter()
        .find(|d| d.device_id == brief.device_id)
        .unwrap();
    assert_eq!(d.token, Some(TokenStatus::Active));
    assert!(d.expires_at.is_some() && d.signed_in_at.is_some());
    std::thread::sleep(Duration::from_millis(1300));
    let e = short.authenticate(&hash).unwrap_err();
    assert!(
        matches!(&e, ServerError::Unauthorized(m) if m.contains("expired")),
        "{e}"
    );
    // Its expiry was stored with it: a service with a longer lifetime refuses it too.
    let e = w.service.authenticate(&hash).unwrap_err();
    assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    let listed = w.service.own_devices("alice").unwrap();
    let d = listed
        .iter()
        .find(|d| d.device_id == brief.device_id)
        .unwrap();
    assert_eq!(d.token, Some(TokenStatus::Expired));

    // Revoking, one device at a time.
    let laptop = w.login("alice");
    let phone = w.login("alice");
    let zoes = w.login("zoe");
    let rep_bob = as_user("bob", Role::Rep);
    let e = w
        .service
        .revoke_device(&rep_bob, laptop.session.device_id)
        .unwrap_err();
    assert!(matches!(e, ServerError::Forbidden(_)), "{e}");
    // A manager revokes within their teams only.
    let mia = as_user("mia", Role::Manager);
    let e = w
        .service
        .revoke_device(&mia, zoes.session.device_id)
        .unwrap_err();
    assert!(matches!(e, ServerError::Forbidden(_)), "{e}");
    let e = w
        .service
        .revoke_device(&mia, uuid::Uuid::now_v7())
        .unwrap_err();
    assert!(matches!(e, ServerError::NotFound(_)), "{e}");
    let done = w
        .service
        .revoke_device(&mia, laptop.session.device_id)
        .unwrap();
    assert_eq!((done.user.as_str(), done.revoked), ("alice", 1));
    let e = w
        .service
        .authenticate(&laptop.session.token_hash)
        .unwrap_err();
    assert!(matches!(e, ServerError::Unauthorized(_)), "{e}");
    w.service.authenticate(&phone.session.token_hash).unwrap();
    // The user revokes their own; twice revokes nothing more.
    let alice = as_user("alice", Role::Rep);
    let done = w
        .service
        .revoke_device(&alice, phone.session.device_id)
        .unwrap();
    assert_eq!(done.revoked, 1);
    let done = w
        .service
        .revoke_device(&alice, phone.session.device_id)
        .unwrap();
    assert_eq!(done.revoked, 0);
    let listed = w.service.own_devices("alice").unwrap();
    let states: Vec<_> = listed.iter().map(|d| d.token).collect();
    assert_eq!(
        states,
        [
            Some(TokenStatus::Expired),
            Some(TokenStatus::Revoked),
            Some(TokenStatus::Revoked)
        ]
    );
    // An admin revokes anyone's.
    let root = as_user("root", Role::Admin);
    assert_eq!(
        w.service
            .revoke_device(&root, zoes.session.device_id)
            .unwrap()
            .revoked,
        1
    );
    let all = w.service.devices(&Requester::Operator, None).unwrap();
    assert!(all.iter().all(|d| d.token.is_some()));
}
