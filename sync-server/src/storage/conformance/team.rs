//! Knowledge at risk and hand-over: each device's last sync and what it held at its last
//! contact, flagged after some days without a sync; a preview of a reassignment or a
//! departure counts what would move (per kind) and writes nothing; a team is never left
//! without a manager, and gets another one through the service.

use super::Fresh;
use super::fixtures::{Doc, World};
use crate::access::Requester;
use crate::error::ServerError;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{DeactivateRequest, ReassignRequest, RiskWarning, Role};

pub fn team_status_shows_each_devices_sync_and_what_it_holds(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (acme, a) = Doc::account("alice", "Acme");
    let (_, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Wang Wei");
    // It held 6 changes and pushed 2 of them: 4 wait on it.
    alice.try_push(vec![a, c], 6).unwrap();
    let mut bobs = w.login("bob");
    bobs.pull_all();
    let _zoe = w.login("zoe");
    let mia = w.login("mia").user();

    let t = w.service.team_status(&mia, 3).unwrap();
    let names: Vec<&str> = t.members.iter().map(|m| m.user.as_str()).collect();
    assert_eq!(
        names,
        ["alice", "bob", "mia"],
        "her teams and herself, not zoe"
    );
    let alice_row = &t.members[0];
    assert_eq!((alice_row.accounts, alice_row.records), (1, 2));
    let d = &alice_row.devices[0];
    assert_eq!(d.pending, 4, "{d:?}");
    assert!(d.warnings.contains(&RiskWarning::Pending), "{d:?}");
    // Bob's device pulled (a sync): no warning; alice's only pushed so far (never synced).
    let bob_row = &t.members[1];
    assert!(bob_row.devices[0].last_sync.is_some(), "{bob_row:?}");
    assert_eq!(bob_row.devices[0].days_since_sync, Some(0));
    assert!(bob_row.devices[0].warnings.is_empty(), "{bob_row:?}");
    // With warn_days 0 every device that is not wiped is flagged.
    let t0 = w.service.team_status(&mia, 0).unwrap();
    assert!(t0.at_risk >= 3, "{t0:?}");

    // Admins see everyone; reps are refused.
    let root = w.login("root").user();
    assert_eq!(w.service.team_status(&root, 3).unwrap().members.len(), 5);
    let r = w.service.team_status(&alice.user(), 3);
    assert!(matches!(r, Err(ServerError::Forbidden(_))), "{r:?}");
}

pub fn previews_count_what_would_move_and_write_nothing(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (acme, a) = Doc::account("alice", "Acme");
    let (_, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Wang Wei");
    let (_, o) = Doc::child(Kind::Opportunity, "alice", acme.id(), "Pumps");
    let (beta, b) = Doc::account("alice", "Beta");
    alice.try_push(vec![a, c, o, b], 11).unwrap();
    let mia = w.login("mia").user();
    let log = w.log_len();

    let one = w
        .service
        .preview_reassign(
            &mia,
            &ReassignRequest {
                from: None,
                to: "bob".into(),
                accounts: vec![acme.id()],
            },
        )
        .unwrap();
    assert_eq!((one.accounts, one.records), (1, 3));
    assert_eq!(one.kinds[&Kind::Contact], 1);
    assert_eq!(one.kinds[&Kind::Opportunity], 1);
    assert_eq!(one.devices_with_pending.len(), 1, "alice's device held 7");
    assert_eq!(one.devices_with_pending[0].pending, 7);

    let all = w
        .service
        .preview_deactivate(
            &mia,
            &DeactivateRequest {
                user: "alice".into(),
                successor: "bob".into(),
            },
        )
        .unwrap();
    assert_eq!((all.to.as_str(), all.accounts, all.records), ("bob", 2, 4));
    assert_eq!(all.kinds[&Kind::Account], 2);
    assert_eq!(w.log_len(), log, "a preview writes nothing");
    assert!(
        w.service
            .users(&Requester::Operator)
            .unwrap()
            .iter()
            .all(|u| u.active)
    );
    // The same checks as the real thing: not beyond one's teams.
    let r = w.service.preview_deactivate(
        &mia,
        &DeactivateRequest {
            user: "zoe".into(),
            successor: "bob".into(),
        },
    );
    assert!(matches!(r, Err(ServerError::Forbidden(_))), "{r:?}");
    let r = w.service.preview_reassign(
        &alice.user(),
        &ReassignRequest {
            from: None,
            to: "bob".into(),
            accounts: vec![beta.id()],
        },
    );
    assert!(matches!(r, Err(ServerError::Forbidden(_))), "{r:?}");
}

pub fn a_team_is_never_left_without_a_manager(fresh: Fresh) {
    let w = World::company(fresh);
    w.user("max", Role::Manager, None);
    let alice = w.login("alice");
    let (acme, a) = Doc::account("alice", "Acme");
    alice.push(vec![a]);
    let mut max = w.login("max");
    assert!(max.pull_all().is_empty(), "max manages no team yet");

    let leave = DeactivateRequest {
        user: "mia".into(),
        successor: "max".into(),
    };
    let r = w.service.deactivate(&Requester::Operator, &leave);
    let Err(ServerError::Conflict(msg)) = r else {
        panic!("{r:?}")
    };
    assert!(msg.contains("team set east --manager"), "{msg}");
    assert!(
        w.service
            .preview_deactivate(&Requester::Operator, &leave)
            .is_err()
    );

    // Only admins set a team's manager; a rep or a stranger's name is refused.
    let mia = w.login("mia").user();
    let r = w.service.set_team_manager(&mia, "east", "max");
    assert!(matches!(r, Err(ServerError::Forbidden(_))), "{r:?}");
    let r = w
        .service
        .set_team_manager(&Requester::Operator, "east", "bob");
    assert!(matches!(r, Err(ServerError::BadRequest(_))), "{r:?}");
    let r = w
        .service
        .set_team_manager(&Requester::Operator, "north", "max");
    assert!(matches!(r, Err(ServerError::NotFound(_))), "{r:?}");

    let t = w
        .service
        .set_team_manager(&Requester::Operator, "east", "max")
        .unwrap();
    assert_eq!(t.manager.as_deref(), Some("max"));
    // Max's devices receive the team's records; mia may leave now.
    let items = max.pull_all();
    assert!(
        super::fixtures::shown(&items).contains(&acme.id()),
        "{items:?}"
    );
    w.service.deactivate(&Requester::Operator, &leave).unwrap();
    let status = w.service.team_status(&max.user(), 3).unwrap();
    let names: Vec<&str> = status.members.iter().map(|m| m.user.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "max"]);
}
