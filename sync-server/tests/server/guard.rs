//! Signing in under attack, over HTTP: failures answered 401, then 429 with `Retry-After`
//! while the user or the address must wait, then 423 once locked (kept across a restart)
//! until an admin unlocks through the API; tokens that expire; devices listed and revoked
//! by their user, their manager or an admin; requests running at once per token.

use crate::support::*;
use fieldbook_core::protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION, Role};
use fieldbook_server::Limits;
use fieldbook_server::guard::LoginPolicy;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

async fn company_with(policy: LoginPolicy, limits: Limits) -> TestServer {
    let s = TestServer::start_with(policy, limits).await;
    s.user("root", Role::Admin, None);
    s.user("mia", Role::Manager, None);
    s.team("east", "mia");
    s.user("alice", Role::Rep, Some("east"));
    s.user("bob", Role::Rep, Some("east"));
    s.user("zoe", Role::Rep, None);
    s
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> u64 {
    headers
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_waits_longer_each_time_then_locks_until_an_admin_unlocks() {
    let policy = LoginPolicy {
        user_free: 2,
        address_free: 1000,
        base_delay: Duration::from_secs(1),
        lock_after: 4,
        ..LoginPolicy::default()
    };
    let s = company_with(policy, Limits::default()).await;
    for _ in 0..2 {
        let (status, _, body) = s.sign_in("alice", "guess").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized"))
        );
    }
    // Now even the right password waits, and the answer says how long.
    let (status, headers, body) = s.sign_in("alice", PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "too_many_requests");
    assert!(
        body["message"].as_str().unwrap().contains("try again in"),
        "{body}"
    );
    assert_eq!(retry_after(&headers), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _, _) = s.sign_in("alice", "guess").await;
    assert_eq!(status, 401);
    // The wait doubled.
    let (status, headers, _) = s.sign_in("alice", "guess").await;
    assert_eq!(status, 429);
    assert_eq!(retry_after(&headers), 2);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, _, _) = s.sign_in("alice", "guess").await;
    assert_eq!(status, 401);
    // Four failures: locked, whatever the password, and after a restart.
    let (status, _, body) = s.sign_in("alice", PASSWORD).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (423, Some("locked")),
        "{body}"
    );
    let s = s.restart().await;
    let (status, _, body) = s.sign_in("alice", PASSWORD).await;
    assert_eq!(status, 423, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("unlock"),
        "{body}"
    );
    // Only an admin unlocks.
    let mia = s.login("mia").await;
    let (status, body) = mia.post("/v1/admin/users/alice/unlock", &()).await;
    assert_eq!(status, 403, "{body}");
    let root = s.login("root").await;
    let (status, body) = root.get("/v1/admin/users").await;
    assert_eq!(status, 200);
    let alice = body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "alice")
        .unwrap();
    assert_eq!(alice["locked"], true);
    let (status, body) = root.post("/v1/admin/users/nobody/unlock", &()).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = root.post("/v1/admin/users/alice/unlock", &()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["was_locked"].as_bool(), body["failures"].as_u64()),
        (Some(true), Some(4))
    );
    s.login("alice").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_guessing_many_names_waits_for_all_of_them() {
    let policy = LoginPolicy {
        address_free: 3,
        base_delay: Duration::from_secs(30),
        ..LoginPolicy::default()
    };
    let s = company_with(policy, Limits::default()).await;
    for user in ["alice", "bob", "nobody"] {
        let (status, _, _) = s.sign_in(user, "guess").await;
        assert_eq!(status, 401);
    }
    let (status, headers, body) = s.sign_in("zoe", PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("from this address"),
        "{body}"
    );
    assert!((29..=30).contains(&retry_after(&headers)));
    // The users themselves were not held back: the service (no address) signs zoe in.
    assert!(
        s.service
            .login(&fieldbook_core::protocol::LoginRequest {
                user: "zoe".into(),
                password: PASSWORD.into(),
                device_name: "x".into(),
            })
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_and_devices_are_listed_and_revoked() {
    let policy = LoginPolicy {
        token_ttl: Some(Duration::from_secs(3)),
        ..LoginPolicy::default()
    };
    let s = company_with(policy, Limits::default()).await;
    let laptop = s.login("alice").await;
    let phone = s.login("alice").await;
    let (status, body) = phone.get("/v1/devices").await;
    assert_eq!(status, 200, "{body}");
    let listed = body.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|d| d["token"] == "active" && d["expires_at"].is_string())
    );
    // Another user's device: a rep may not, the manager of the team may.
    let bob = s.login("bob").await;
    let (status, body) = bob
        .post(&format!("/v1/devices/{}/revoke", laptop.device_id), &())
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].is_string());
    let zoe = s.login("zoe").await;
    let mia = s.login("mia").await;
    let (status, body) = mia
        .post(&format!("/v1/admin/devices/{}/revoke", zoe.device_id), &())
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = mia
        .post(&format!("/v1/admin/devices/{}/revoke", bob.device_id), &())
        .await;
    assert_eq!((status, body["revoked"].as_u64()), (200, Some(1)), "{body}");
    let (status, _) = bob.get("/v1/me").await;
    assert_eq!(status, 401);
    // The user revokes their own laptop from the phone.
    let (status, body) = phone
        .post(&format!("/v1/devices/{}/revoke", laptop.device_id), &())
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = laptop.get("/v1/me").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = phone.post("/v1/devices/not-an-id/revoke", &()).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = phone.get("/v1/me").await;
    assert_eq!(status, 200);
    // The phone's token runs out.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let (status, body) = phone.get("/v1/me").await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    let root = s.login("root").await;
    let (status, body) = root.get("/v1/admin/devices?user=alice").await;
    assert_eq!(status, 200);
    let states: Vec<_> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["token"].clone())
        .collect();
    assert_eq!(states, ["revoked", "expired"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_has_a_few_requests_running_at_once() {
    let limits = Limits {
        requests_per_token: 2,
        body_grace: Duration::from_secs(30),
        ..Limits::default()
    };
    let s = company_with(LoginPolicy::default(), limits).await;
    let alice = s.login("alice").await;
    // Two pulls whose bodies never come hold alice's two places.
    let addr = s.url.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /v1/pull HTTP/1.1\r\nhost: x\r\n{PROTOCOL_HEADER}: {PROTOCOL_VERSION}\r\nauthorization: Bearer {}\r\ncontent-length: 100\r\n\r\n",
            alice.token
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        held.push(tcp);
    }
    let start = Instant::now();
    let third = loop {
        let resp = alice
            .request(reqwest::Method::GET, "/v1/me")
            .send()
            .await
            .unwrap();
        if resp.status() == 429 || start.elapsed() > Duration::from_secs(10) {
            break resp;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(third.status(), 429);
    assert_eq!(retry_after(third.headers()), 1);
    let (_, body) = answer(third).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("2 requests running"),
        "{body}"
    );
    // Another token is not held back.
    let bob = s.login("bob").await;
    assert_eq!(bob.get("/v1/me").await.0, 200);
    // Once the held requests end, alice gets in again.
    drop(held);
    let start = Instant::now();
    loop {
        let (status, _) = alice.get("/v1/me").await;
        if status == 200 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "still {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_address_counts_on_its_own() {
    let policy = LoginPolicy {
        address_free: 2,
        base_delay: Duration::from_secs(30),
        ..LoginPolicy::default()
    };
    let attempt = |s: &TestServer, forwarded: &str| {
        let (url, forwarded) = (s.url.clone(), forwarded.to_string());
        async move {
            let resp = reqwest::Client::new()
                .post(format!("{url}/v1/login"))
                .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                .header("x-forwarded-for", forwarded)
                .json(
                    &serde_json::json!({"user": "nobody", "password": "guess", "device_name": "x"}),
                )
                .send()
                .await
                .unwrap();
            resp.status().as_u16()
        }
    };
    // The proxy (here 127.0.0.1) is trusted: each forwarded client has its own count.
    let limits = Limits {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Limits::default()
    };
    let s = company_with(policy.clone(), limits).await;
    assert_eq!(attempt(&s, "203.0.113.1").await, 401);
    assert_eq!(attempt(&s, "203.0.113.1").await, 401);
    assert_eq!(attempt(&s, "203.0.113.1").await, 429);
    assert_eq!(attempt(&s, "203.0.113.2").await, 401);
    // Not trusted: the header is the client's word, and changes nothing.
    let s = company_with(policy, Limits::default()).await;
    assert_eq!(attempt(&s, "203.0.113.1").await, 401);
    assert_eq!(attempt(&s, "203.0.113.2").await, 401);
    assert_eq!(attempt(&s, "203.0.113.3").await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_issued_before_expiry_existed_expire_by_todays_lifetime() {
    let s = company_with(LoginPolicy::default(), Limits::default()).await;
    let old = s.login("alice").await;
    let recent = s.login("bob").await;
    // As a schema-4 database left them: no expiry; alice's issued 100 days ago.
    let db = rusqlite::Connection::open(s.storage.path()).unwrap();
    db.execute("UPDATE tokens SET expires_at = NULL", [])
        .unwrap();
    db.execute(
        "UPDATE tokens SET created_at = '2020-01-01T00:00:00Z' WHERE user = 'alice'",
        [],
    )
    .unwrap();
    drop(db);
    let (status, body) = old.get("/v1/me").await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("expired at 2020-03-31"),
        "{body}"
    );
    assert_eq!(recent.get("/v1/me").await.0, 200);
    // A server told tokens never expire takes the old one again.
    let never = LoginPolicy {
        token_ttl: None,
        ..LoginPolicy::default()
    };
    let service = fieldbook_server::Service::with_policy(s.storage.clone(), never);
    let hash = fieldbook_server::auth::token_hash(&old.token);
    assert!(service.authenticate(&hash).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_one_by_one() {
    let policy = LoginPolicy {
        user_free: 3,
        address_free: 1000,
        base_delay: Duration::from_secs(60),
        lock_after: 0,
        ..LoginPolicy::default()
    };
    let s = company_with(policy, Limits::default()).await;
    let url = s.url.clone();
    let guesses = (0..24).map(|i| {
        let url = url.clone();
        tokio::spawn(async move {
            let resp = reqwest::Client::new()
                .post(format!("{url}/v1/login"))
                .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                .json(&serde_json::json!({"user": "alice", "password": format!("guess {i}"), "device_name": "x"}))
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let retry = resp.headers().contains_key("retry-after");
            (status, retry)
        })
    });
    let mut tried = 0;
    for g in guesses.collect::<Vec<_>>() {
        let (status, retry) = g.await.unwrap();
        match status {
            401 => tried += 1,
            429 => assert!(retry),
            other => panic!("{other}"),
        }
    }
    // Checked one at a time: no more passwords were tried than the free attempts.
    assert!((1..=3).contains(&tried), "{tried} passwords tried");
    use fieldbook_server::storage::StorageExt;
    let stored = s
        .storage
        .read(|repo| repo.login_failures("alice"))
        .unwrap()
        .unwrap();
    assert_eq!(stored.failures, tried);
}
