//! Tokens and signing in.

use super::Fresh;
use super::fixtures::{PASSWORD, World};
use crate::auth;
use crate::error::ServerError;
use fieldbook_core::protocol::{LoginRequest, Role};

pub fn tokens_resolve_until_revoked(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let again = w.service.authenticate(&alice.session.token_hash).unwrap();
    assert_eq!(
        (again.user.as_str(), again.role, again.team.as_deref()),
        ("alice", Role::Rep, Some("east"))
    );
    assert_eq!(again.device_id, alice.session.device_id);
    assert!(!again.deactivated);
    let unknown = w.service.authenticate(&auth::token_hash("made up"));
    assert!(matches!(unknown, Err(ServerError::Unauthorized(_))));
    // A second device has a token of its own.
    let phone = w.login("alice");
    assert_ne!(phone.session.device_id, alice.session.device_id);
    w.service.logout(&alice.session).unwrap();
    let revoked = w.service.authenticate(&alice.session.token_hash);
    assert!(matches!(revoked, Err(ServerError::Unauthorized(_))));
    assert!(w.service.authenticate(&phone.session.token_hash).is_ok());
}

pub fn sign_in_needs_the_password_and_an_active_user(fresh: Fresh) {
    let w = World::company(fresh);
    let login = |user: &str, password: &str, device: &str| {
        w.service.login(&LoginRequest {
            user: user.into(),
            password: password.into(),
            device_name: device.into(),
        })
    };
    let ok = login(" alice ", PASSWORD, "alice's laptop").unwrap();
    assert_eq!((ok.user.as_str(), ok.role), ("alice", Role::Rep));
    for (user, password) in [("alice", "wrong password"), ("nobody", PASSWORD)] {
        let err = login(user, password, "x").unwrap_err();
        assert!(matches!(err, ServerError::Unauthorized(_)), "{err}");
    }
    let err = login("alice", PASSWORD, " ").unwrap_err();
    assert!(matches!(err, ServerError::BadRequest(_)), "{err}");
    w.service
        .deactivate(
            &crate::access::Requester::Operator,
            &fieldbook_core::protocol::DeactivateRequest {
                user: "bob".into(),
                successor: "alice".into(),
            },
        )
        .unwrap();
    let err = login("bob", PASSWORD, "x").unwrap_err();
    assert!(
        matches!(&err, ServerError::Unauthorized(m) if m.contains("deactivated")),
        "{err}"
    );
}
