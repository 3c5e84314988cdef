//! Administration: users and teams (admins only), what managers see and act on, and the
//! quarantine within the requester's teams.

use super::Fresh;
use super::fixtures::{Doc, PASSWORD, World};
use crate::access::Requester;
use crate::error::ServerError;
use crate::service::UserChange;
use fieldbook_core::protocol::{NewUser, Role};

fn new_user(name: &str, role: Role, team: Option<&str>, password: &str) -> NewUser {
    NewUser {
        name: name.into(),
        role,
        team: team.map(String::from),
        password: password.into(),
    }
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| name(i).to_string()).collect()
}

pub fn the_quarantine_is_shown_within_the_requesters_teams(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let zoe = w.login("zoe");
    let (mut acme, a) = Doc::account("alice", "Acme");
    alice.push(vec![a]);
    let bob = w.login("bob");
    assert_eq!(
        bob.push(vec![acme.fork("bob").set("city", "X")])
            .refused
            .len(),
        1
    );
    assert_eq!(
        zoe.push(vec![acme.fork("zoe").set("city", "Y")])
            .refused
            .len(),
        1
    );
    let by_mia = w.service.quarantine(&w.login("mia").user(), false).unwrap();
    assert_eq!(names(&by_mia, |q| &q.user), ["bob"]);
    assert_eq!(by_mia[0].device_id, bob.session.device_id);
    assert_eq!(by_mia[0].doc_id, acme.id());
    let all = w.service.quarantine(&Requester::Operator, false).unwrap();
    assert_eq!(names(&all, |q| &q.user), ["bob", "zoe"], "oldest first");
    assert!(all[0].id < all[1].id);
    assert_eq!(
        w.service
            .quarantine(&w.login("root").user(), false)
            .unwrap()
            .len(),
        2
    );
    let err = w.service.quarantine(&alice.user(), false).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let _ = &mut acme;
}

pub fn users_and_teams_are_administered_by_admins(fresh: Fresh) {
    let w = World::company(fresh);
    let root = w.login("root").user();
    let mia = w.login("mia").user();
    let add = |by: &Requester, u: NewUser| w.service.add_user(by, u);

    let err = add(&mia, new_user("newbie", Role::Rep, Some("east"), PASSWORD)).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let made = add(&root, new_user("newbie", Role::Rep, Some("east"), PASSWORD)).unwrap();
    assert_eq!((made.team.as_deref(), made.active), (Some("east"), true));
    w.login("newbie");
    let err = add(&root, new_user("newbie", Role::Rep, None, PASSWORD)).unwrap_err();
    assert!(
        matches!(&err, ServerError::Conflict(m) if m.contains("exists already")),
        "{err}"
    );
    for bad in [
        new_user("bad name", Role::Rep, None, PASSWORD),
        new_user("", Role::Rep, None, PASSWORD),
        new_user("ok", Role::Rep, Some("bad team"), PASSWORD),
        new_user("ok", Role::Rep, None, "short"),
    ] {
        let err = add(&root, bad).unwrap_err();
        assert!(matches!(err, ServerError::BadRequest(_)), "{err}");
    }
    assert!(
        w.service
            .users(&Requester::Operator)
            .unwrap()
            .iter()
            .all(|u| u.name != "ok")
    );

    // Teams: managed by a manager, named once.
    let err = w.service.add_team(&root, "north", "alice").unwrap_err();
    assert!(
        matches!(&err, ServerError::BadRequest(m) if m.contains("--role manager")),
        "{err}"
    );
    let err = w.service.add_team(&root, "east", "mia").unwrap_err();
    assert!(matches!(err, ServerError::Conflict(_)), "{err}");
    let err = w.service.add_team(&mia, "north", "mia").unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let err = w.service.add_team(&root, "north", "nobody").unwrap_err();
    assert!(matches!(err, ServerError::NotFound(_)), "{err}");
    // A manager joining a team without one manages it.
    add(
        &root,
        new_user("max", Role::Manager, Some("west"), PASSWORD),
    )
    .unwrap();
    let teams = w.service.teams(&mia).unwrap();
    assert_eq!(names(&teams, |t| &t.name), ["east", "west"]);
    assert_eq!(teams[0].manager.as_deref(), Some("mia"));
    assert_eq!(teams[0].members, ["alice", "bob", "newbie"]);
    assert_eq!(teams[1].manager.as_deref(), Some("max"));
    assert_eq!(teams[1].members, ["max"]);
    // A rep cannot name a team no one made: `team add` first.
    let err = add(
        &root,
        new_user("nomad", Role::Rep, Some("nowhere"), PASSWORD),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ServerError::BadRequest(m) if m.contains("team add nowhere")),
        "{err}"
    );
    let err = w
        .service
        .update_user(
            &root,
            "zoe",
            UserChange {
                team: Some(Some("nowhere".into())),
                ..UserChange::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, ServerError::BadRequest(_)), "{err}");
    assert!(
        w.service
            .teams(&mia)
            .unwrap()
            .iter()
            .all(|t| t.name != "nowhere")
    );
    let err = w.service.teams(&w.login("alice").user()).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");

    // Changing users.
    let change = |role, team: Option<Option<&str>>, password: Option<&str>| UserChange {
        role,
        team: team.map(|t| t.map(String::from)),
        password: password.map(String::from),
    };
    let err = w
        .service
        .update_user(&mia, "alice", change(Some(Role::Admin), None, None))
        .unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let err = w
        .service
        .update_user(&root, "nobody", change(Some(Role::Rep), None, None))
        .unwrap_err();
    assert!(matches!(err, ServerError::NotFound(_)), "{err}");
    let err = w
        .service
        .update_user(&root, "alice", change(None, None, Some("short")))
        .unwrap_err();
    assert!(matches!(err, ServerError::BadRequest(_)), "{err}");
    let u = w
        .service
        .update_user(&root, "newbie", change(Some(Role::Admin), Some(None), None))
        .unwrap();
    assert_eq!((u.role, u.team), (Role::Admin, None));
    w.service
        .update_user(&root, "newbie", change(None, None, Some("a new password")))
        .unwrap();
    let err = w
        .service
        .login(&fieldbook_core::protocol::LoginRequest {
            user: "newbie".into(),
            password: PASSWORD.into(),
            device_name: "x".into(),
        })
        .unwrap_err();
    assert!(
        matches!(err, ServerError::Unauthorized(_)),
        "the old password: {err}"
    );
}

pub fn managers_see_and_act_within_their_teams(fresh: Fresh) {
    let w = World::company(fresh);
    let mia = w.login("mia").user();
    let users = w.service.users(&mia).unwrap();
    assert_eq!(names(&users, |u| &u.name), ["alice", "bob", "mia"]);
    let all = w.service.users(&Requester::Operator).unwrap();
    assert_eq!(
        names(&all, |u| &u.name),
        ["alice", "bob", "mia", "root", "zoe"]
    );
    let rep = Requester::User {
        name: "alice".into(),
        role: Role::Rep,
    };
    let err = w.service.users(&rep).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let err = w.service.devices(&rep, None).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");

    w.login("alice");
    w.login("zoe");
    let devices = w.service.devices(&mia, None).unwrap();
    assert_eq!(names(&devices, |d| &d.user), ["alice", "mia"]);
    assert_eq!(w.service.devices(&mia, Some("alice")).unwrap().len(), 1);
    let err = w.service.devices(&mia, Some("zoe")).unwrap_err();
    assert!(matches!(err, ServerError::Forbidden(_)), "{err}");
    let err = w.service.devices(&mia, Some("nobody")).unwrap_err();
    assert!(matches!(err, ServerError::NotFound(_)), "{err}");
    assert_eq!(
        w.service.devices(&Requester::Operator, None).unwrap().len(),
        3
    );
}
