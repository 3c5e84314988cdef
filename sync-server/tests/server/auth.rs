//! Signing in and out, tokens, the protocol header, health and metrics.

use crate::support::*;
use fieldbook_core::protocol::{PROTOCOL_HEADER, Role};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_gives_a_token_and_a_wrong_password_gets_401() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (status, me) = alice.get("/v1/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["user"], "alice");
    assert_eq!(me["role"], "rep");
    assert_eq!(me["team"], "east");
    assert_eq!(me["device_id"], alice.device_id.to_string());

    let http = reqwest::Client::new();
    for (user, password) in [("alice", "wrong password"), ("nobody", PASSWORD)] {
        let resp = http
            .post(format!("{}/v1/login", s.url))
            .header("fieldbook-protocol", "1")
            .json(&json!({"user": user, "password": password, "device_name": "x"}))
            .send()
            .await
            .unwrap();
        let (status, body) = answer(resp).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"], "unauthorized");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("wrong user name or password")
        );
    }
    // A device name is needed.
    let resp = http
        .post(format!("{}/v1/login", s.url))
        .header("fieldbook-protocol", "1")
        .json(&json!({"user": "alice", "password": PASSWORD, "device_name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.0, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_token_at_once() {
    let s = company().await;
    let alice = s.login("alice").await;
    let other = s.login("alice").await;
    let (status, _) = alice.post("/v1/logout", &json!({})).await;
    assert_eq!(status, 204);
    let (status, body) = alice.get("/v1/me").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = alice.pull_all_status().await;
    assert_eq!(status, 401);
    // The other device of the same user is not affected.
    assert_eq!(other.get("/v1/me").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_the_protocol_header_get_400_naming_the_version() {
    let s = company().await;
    let alice = s.login("alice").await;
    let http = reqwest::Client::new();
    let resp = http
        .get(format!("{}/v1/me", s.url))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "protocol");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("fieldbook-protocol: 1"),
        "{body}"
    );
    let resp = http
        .get(format!("{}/v1/me", s.url))
        .header(PROTOCOL_HEADER, "2")
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("protocol")));
    assert!(
        body["message"].as_str().unwrap().contains("version 1"),
        "{body}"
    );
    // Without a token: still the protocol error first.
    let resp = http
        .post(format!("{}/v1/pull", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.1["error"], "protocol");
    // Unknown endpoints and methods answer in the protocol's error shape.
    let (status, body) = alice.get("/v1/nothing").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = alice.get("/v1/push").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (405, Some("method_not_allowed"))
    );
    // With the header but no token: 401.
    let resp = http
        .get(format!("{}/v1/me", s.url))
        .header(PROTOCOL_HEADER, "1")
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_need_nothing() {
    let s = company().await;
    let mut alice = s.login("alice").await;
    let (_, acc) = account("alice", "Acme");
    alice.push(vec![acc.clone()]).await;
    alice.push(vec![acc]).await;
    alice.pull_all().await;
    let http = reqwest::Client::new();
    let url = s.url.clone();
    let health = http.get(format!("{}/health", s.url)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let metrics = http
        .get(format!("{}/metrics", s.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "fieldbook_http_requests_total{route=\"/v1/push\",status=\"200\"} 2",
        "fieldbook_http_requests_total{route=\"/v1/login\",status=\"200\"} 1",
        "fieldbook_changes_total{outcome=\"accepted\"} 1",
        "fieldbook_changes_total{outcome=\"duplicate\"} 1",
        "fieldbook_docs 1",
        "fieldbook_log_entries 1",
        "fieldbook_pull_duration_seconds_count 1",
        "fieldbook_push_duration_seconds_bucket{le=\"+Inf\"} 2",
    ] {
        assert!(
            metrics.contains(expected),
            "{expected} missing from\n{metrics}"
        );
    }
    s.shutdown().await;
    assert!(
        http.get(format!("{}/health", url)).send().await.is_err(),
        "stopped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_user_cannot_sign_in() {
    let s = company().await;
    s.user("carl", Role::Rep, Some("east"));
    let mia = s.login("mia").await;
    let (status, body) = mia
        .post(
            "/v1/admin/deactivate",
            &json!({"user": "carl", "successor": "bob"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/login", s.url))
        .header("fieldbook-protocol", "1")
        .json(&json!({"user": "carl", "password": PASSWORD, "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.0, 401);
}

impl Client {
    /// The status of a pull from scratch.
    pub async fn pull_all_status(&self) -> (u16, serde_json::Value) {
        self.post(
            "/v1/pull",
            &json!({"protocol": 1, "cursor": 0, "snapshot_after": null, "limit": null, "pending": 0}),
        )
        .await
    }
}
