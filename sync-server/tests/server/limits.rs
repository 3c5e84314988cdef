//! Limits and encodings: pages of more than 1000 changes, bodies over 8 MiB (plain or after
//! decompression), gzip in both directions.

use crate::support::*;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ChangeEnvelope, PROTOCOL_HEADER, PushRequest};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use uuid::Uuid;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_a_thousand_changes_get_413() {
    let s = company().await;
    let alice = s.login("alice").await;
    let (_, a) = account("alice", "Acme");
    let (status, body) = alice
        .post(
            "/v1/push",
            &PushRequest {
                protocol: 1,
                changes: vec![a; 1001],
                pending: 1001,
                log_id: None,
            },
        )
        .await;
    assert_eq!(status, 413);
    assert_eq!(body["error"], "too_large");
    assert!(
        body["message"].as_str().unwrap().contains("at most 1000"),
        "{body}"
    );
    assert_eq!(s.log_len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_8_mib_get_413_compressed_or_not() {
    let s = company().await;
    let alice = s.login("alice").await;
    let big = ChangeEnvelope {
        doc_id: Uuid::now_v7(),
        kind: Kind::Account,
        bytes: vec![0; 7 << 20],
    };
    let json = serde_json::to_vec(&PushRequest {
        protocol: 1,
        changes: vec![big],
        pending: 1,
        log_id: None,
    })
    .unwrap();
    assert!(json.len() > 8 << 20);
    let resp = alice
        .request(reqwest::Method::POST, "/v1/push")
        .header("content-type", "application/json")
        .body(json.clone())
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "too_large");
    // Small on the wire, too large once decompressed.
    let packed = gzip(&json);
    assert!(packed.len() < 1 << 20);
    let resp = alice
        .request(reqwest::Method::POST, "/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(packed)
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.0, 413);
    assert_eq!(alice.get("/v1/me").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_bodies_are_accepted_and_answers_compressed_on_request() {
    let s = company().await;
    let alice = s.login("alice").await;
    let envs: Vec<_> = (0..50)
        .map(|i| account("alice", &format!("Account {i}")).1)
        .collect();
    let json = serde_json::to_vec(&PushRequest {
        protocol: 1,
        changes: envs,
        pending: 50,
        log_id: None,
    })
    .unwrap();
    let resp = alice
        .request(reqwest::Method::POST, "/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gzip(&json))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accepted"], 50);
    // A client without automatic decompression sees the encoding.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let resp = raw
        .post(format!("{}/v1/pull", s.url))
        .header(PROTOCOL_HEADER, "1")
        .header("accept-encoding", "gzip")
        .bearer_auth(&alice.token)
        .json(&serde_json::json!({"protocol": 1, "cursor": 0, "snapshot_after": null, "limit": null, "pending": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
}

/// Issue 8 §7: a body in an encoding the server does not read gets 415 with a body saying
/// what to send; sign-in without the protocol header gets 400, as the protocol says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_encodings_get_415_with_a_body_and_sign_in_needs_the_protocol_header() {
    let s = company().await;
    let alice = s.login("alice").await;
    let resp = alice
        .request(reqwest::Method::POST, "/v1/push")
        .header("content-type", "application/json")
        .header("content-encoding", "br")
        .body(vec![1, 2, 3])
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(body["error"], "unsupported_media_type");
    assert!(body["message"].as_str().unwrap().contains("gzip"), "{body}");
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/login", s.url))
        .json(&serde_json::json!({"user": "alice", "password": PASSWORD, "device_name": "x"}))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(resp).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "protocol");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("fieldbook-protocol"),
        "{body}"
    );
}
