//! The managers' endpoints over HTTP: knowledge at risk (`GET /v1/team`), previews of a
//! reassignment and a departure, who manages a team; and the refusals an attacker meets:
//! a rep's token, another team's users and accounts, a deactivated user's token.

use crate::support::{account, company, contact};
use fieldbook_core::protocol::{
    DeactivateRequest, MovePreview, ReassignRequest, Role, TeamManagerRequest, TeamStatus,
};
use fieldbook_server::access::Requester;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_see_their_teams_devices_and_preview_moves() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (acme, a) = account("alice", "Acme");
    let (_, c) = contact("alice", acme.id(), "Wang Wei");
    let (status, _) = alice.push_to("/v1/push", vec![a, c], Some(5)).await;
    assert_eq!(status, 200);
    let mia = s.login("mia").await;

    let (status, body) = mia.get("/v1/team?warn_days=3").await;
    assert_eq!(status, 200, "{body}");
    let team: TeamStatus = serde_json::from_value(body).unwrap();
    assert_eq!(team.warn_days, 3);
    let users: Vec<&str> = team.members.iter().map(|m| m.user.as_str()).collect();
    assert_eq!(users, ["alice", "bob", "mia"]);
    assert_eq!(team.members[0].devices[0].pending, 3);
    assert_eq!((team.members[0].accounts, team.members[0].records), (1, 2));

    let (status, body) = mia
        .post(
            "/v1/admin/reassign/preview",
            &ReassignRequest {
                from: Some("alice".into()),
                to: "bob".into(),
                accounts: vec![],
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let p: MovePreview = serde_json::from_value(body).unwrap();
    assert_eq!(
        (p.accounts, p.records, p.devices_with_pending.len()),
        (1, 2, 1)
    );
    let (status, body) = mia
        .post(
            "/v1/admin/deactivate/preview",
            &DeactivateRequest {
                user: "alice".into(),
                successor: "bob".into(),
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["kinds"]["contact"], 1, "{body}");
    // Nothing moved.
    let (_, body) = mia.get("/v1/team").await;
    assert_eq!(body["members"][0]["accounts"], 1);
    assert_eq!(body["warn_days"], 3, "the default");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_managers_endpoints_refuse_what_is_not_the_askers() {
    let s = company().await;
    s.user("walt", Role::Manager, None);
    s.team("west", "walt");
    let zoe = s.login("zoe").await;
    let (zoes, z) = account("zoe", "Zoe's account");
    assert_eq!(zoe.push(vec![z]).await.0, 200);
    s.service
        .update_user(
            &Requester::Operator,
            "zoe",
            fieldbook_server::service::UserChange {
                team: Some(Some("west".into())),
                ..Default::default()
            },
        )
        .unwrap();

    // A rep's token on every manager endpoint: 403.
    let alice = s.login("alice").await;
    let (status, body) = alice.get("/v1/team").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    for (path, body) in [
        (
            "/v1/admin/reassign/preview",
            json!({"from": "bob", "to": "alice"}),
        ),
        (
            "/v1/admin/deactivate/preview",
            json!({"user": "bob", "successor": "alice"}),
        ),
        (
            "/v1/admin/team-manager",
            json!({"team": "east", "manager": "walt"}),
        ),
    ] {
        let (status, answer) = alice.post(path, &body).await;
        assert_eq!(status, 403, "{path}: {answer}");
    }

    // A manager with another team's ids: 403, and the answer names nothing of it.
    let mia = s.login("mia").await;
    let (status, body) = mia
        .post(
            "/v1/admin/reassign/preview",
            &ReassignRequest {
                from: None,
                to: "alice".into(),
                accounts: vec![zoes.id()],
            },
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("Zoe's account"));
    let (status, _) = mia
        .post(
            "/v1/admin/reassign",
            &ReassignRequest {
                from: None,
                to: "alice".into(),
                accounts: vec![zoes.id()],
            },
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = mia
        .post(
            "/v1/admin/deactivate/preview",
            &DeactivateRequest {
                user: "zoe".into(),
                successor: "alice".into(),
            },
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = mia.get("/v1/team").await;
    assert_eq!(status, 200);
    assert!(!body.to_string().contains("zoe"), "{body}");
    // A manager may not give a team to someone else.
    let (status, _) = mia
        .post(
            "/v1/admin/team-manager",
            &TeamManagerRequest {
                team: "west".into(),
                manager: "mia".into(),
            },
        )
        .await;
    assert_eq!(status, 403);

    // Deactivating a team's manager is refused with the fix; after `team set`, it works.
    let root = s.login("root").await;
    let leave = DeactivateRequest {
        user: "walt".into(),
        successor: "mia".into(),
    };
    let (status, body) = root.post("/v1/admin/deactivate", &leave).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("team set west --manager")
    );
    let (status, body) = root
        .post(
            "/v1/admin/team-manager",
            &TeamManagerRequest {
                team: "west".into(),
                manager: "mia".into(),
            },
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let walt = s.login("walt").await;
    let (status, body) = root.post("/v1/admin/deactivate", &leave).await;
    assert_eq!(status, 200, "{body}");

    // A deactivated user's token: 410 on every manager endpoint.
    let (status, _) = walt.get("/v1/team").await;
    assert_eq!(status, 410);
    let (status, _) = walt
        .post(
            "/v1/admin/deactivate/preview",
            &DeactivateRequest {
                user: "zoe".into(),
                successor: "mia".into(),
            },
        )
        .await;
    assert_eq!(status, 410);
    let (status, _) = walt.get("/v1/reports/pipeline").await;
    assert_eq!(status, 410);
}
