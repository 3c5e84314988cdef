//! Every role × the administrative commands.

use super::world::{denied, send};
use super::*;
use crate::support::*;
use fieldbook_core::protocol::Role as UserRole;
use serde_json::json;
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrative_commands_answer_each_role_as_the_table_says() {
    let s = TestServer::start().await;
    s.user("root", UserRole::Admin, None);
    s.user("mia", UserRole::Manager, None);
    s.team("east", "mia");
    for rep in ["alice", "bob", "dave", "rita"] {
        s.user(rep, UserRole::Rep, Some("east"));
    }
    let roles = [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
        Role::NoToken,
    ];
    // Per role: a team member to deactivate, and a device of bob's to revoke.
    let mut bobs = BTreeMap::new();
    for role in roles {
        s.user(
            &format!("temp_{role:?}").to_lowercase(),
            UserRole::Rep,
            Some("east"),
        );
        bobs.insert(role, s.login("bob").await);
    }
    let mut actors = BTreeMap::new();
    for role in [
        Role::Rep,
        Role::Manager,
        Role::Admin,
        Role::Deactivated,
        Role::Revoked,
    ] {
        actors.insert(role, s.login(user_of(role)).await);
    }
    let mut none = s.login("alice").await;
    none.token = String::new();
    actors.insert(Role::NoToken, none);
    let root = s.login("root").await;
    let (status, body) = root
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "dave", "successor": "alice"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rita = actors[&Role::Revoked].device_id;
    assert_eq!(
        root.post(&format!("/v1/devices/{rita}/revoke"), &())
            .await
            .0,
        200
    );

    let mut cells = 0;
    for (role, row) in ADMIN_COMMANDS {
        let actor = &actors[role];
        let temp = format!("temp_{role:?}").to_lowercase();
        let new = format!("new_{role:?}").to_lowercase();
        let bob = &bobs[role];
        for (i, want) in row.iter().enumerate() {
            let get = reqwest::Method::GET;
            let post = reqwest::Method::POST;
            let (name, (status, body)) = match i {
                0 => (
                    "list users",
                    send(actor, get, "/v1/admin/users", None).await,
                ),
                1 => {
                    let b =
                        json!({"name": new, "role": "rep", "team": "east", "password": PASSWORD});
                    (
                        "add a user",
                        send(actor, post, "/v1/admin/users", Some(&b)).await,
                    )
                }
                2 => (
                    "unlock",
                    send(actor, post, "/v1/admin/users/bob/unlock", None).await,
                ),
                3 => (
                    "quarantine",
                    send(actor, get, "/v1/admin/quarantine", None).await,
                ),
                4 => {
                    let b = json!({"user": temp, "successor": "bob"});
                    (
                        "deactivate",
                        send(actor, post, "/v1/admin/deactivate", Some(&b)).await,
                    )
                }
                5 => {
                    let path = format!("/v1/devices/{}/revoke", bob.device_id);
                    ("revoke a device", send(actor, post, &path, None).await)
                }
                _ => ("own devices", send(actor, get, "/v1/devices", None).await),
            };
            let cell = format!("{role:?} {name}");
            match want {
                Y => assert_eq!(status, 200, "{cell}: {body}"),
                N(code) if (200..300).contains(code) => assert_eq!(status, *code, "{cell}: {body}"),
                N(code) => {
                    denied(&cell, *code, status, &body);
                    // And nothing happened.
                    let users = s
                        .service
                        .users(&fieldbook_server::access::Requester::Operator)
                        .unwrap();
                    match i {
                        1 => assert!(users.iter().all(|u| u.name != new), "{cell}"),
                        4 => assert!(users.iter().any(|u| u.name == temp && u.active), "{cell}"),
                        5 => assert_eq!(bob.get("/v1/me").await.0, 200, "{cell}"),
                        _ => {}
                    }
                }
                H => unreachable!(),
            }
            cells += 1;
        }
    }
    assert_eq!(cells, 6 * 7);
}
