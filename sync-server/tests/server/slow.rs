//! Slow and greedy clients cannot hold the server: raw TCP clients that send nothing,
//! trickle a request's head or its body byte by byte, or open more connections than an
//! address may, are cut off within the limits while ordinary requests are answered.

use crate::support::*;
use fieldbook_server::Limits;
use fieldbook_server::guard::LoginPolicy;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn quick() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        body_grace: Duration::from_secs(1),
        body_min_rate: 1024,
        connections_per_address: 40,
        ..Limits::default()
    }
}

async fn server(limits: Limits) -> (TestServer, String) {
    let s = TestServer::start_with(LoginPolicy::default(), limits).await;
    let addr = s.url.trim_start_matches("http://").to_string();
    (s, addr)
}

/// Reads until the server closes the connection (or `within` passes): what it sent, and
/// whether it closed.
async fn until_closed(tcp: &mut TcpStream, within: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&got).into(), false),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends `bytes` one at a time, `every` apart, until the server closes the connection;
/// returns how many went out.
async fn trickle(tcp: &mut TcpStream, bytes: &[u8], every: Duration) -> usize {
    for (i, b) in bytes.iter().enumerate() {
        if tcp.write_all(&[*b]).await.is_err() {
            return i;
        }
        tokio::time::sleep(every).await;
    }
    bytes.len()
}

async fn health_answers_quickly(url: &str) {
    let start = Instant::now();
    let resp = reqwest::Client::new()
        .get(format!("{url}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_nothing_is_closed() {
    let (s, addr) = server(quick()).await;
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    let start = Instant::now();
    let (_, closed) = until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(closed, "still open after 5 s");
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    // An idle kept-alive connection after a request is closed too.
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, closed) = until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle connection stayed open");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_trickled_byte_by_byte_is_cut_off_while_others_are_served() {
    let (s, addr) = server(quick()).await;
    let head = format!(
        "GET /v1/me HTTP/1.1\r\nhost: x\r\nx-padding: {}\r\n\r\n",
        "a".repeat(200)
    );
    let mut slow = Vec::new();
    for _ in 0..20 {
        slow.push(TcpStream::connect(&addr).await.unwrap());
    }
    let start = Instant::now();
    let trickles = slow.into_iter().map(|mut tcp| {
        let head = head.clone();
        tokio::spawn(async move {
            let sent = trickle(&mut tcp, head.as_bytes(), Duration::from_millis(50)).await;
            let (answer, closed) = until_closed(&mut tcp, Duration::from_secs(5)).await;
            (sent, answer, closed)
        })
    });
    let trickles: Vec<_> = trickles.collect();
    // Meanwhile, ordinary requests are answered at once.
    tokio::time::sleep(Duration::from_millis(300)).await;
    health_answers_quickly(&s.url).await;
    for t in trickles {
        let (sent, answer, closed) = t.await.unwrap();
        assert!(closed);
        assert!(sent < head.len(), "the whole head went out: {answer}");
        // Cut off before the head could be finished (12 s at this pace).
        assert!(!answer.contains("200 OK"), "{answer}");
    }
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_trickled_byte_by_byte_gets_408() {
    let (s, addr) = server(quick()).await;
    s.user("alice", fieldbook_core::protocol::Role::Rep, None);
    let alice = s.login("alice").await;
    let body = format!(
        r#"{{"protocol":1,"cursor":0,"pending":0,"padding":"{}"}}"#,
        "b".repeat(3000)
    );
    let mut tcp = TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /v1/pull HTTP/1.1\r\nhost: x\r\nfieldbook-protocol: 1\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        alice.token,
        body.len()
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let start = Instant::now();
    let (mut reader, mut writer) = tcp.into_split();
    let body_bytes = body.into_bytes();
    let sender = tokio::spawn(async move {
        for b in body_bytes {
            if writer.write_all(&[b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), reader.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    sender.abort();
    let answer = String::from_utf8_lossy(&got);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("\"timeout\"") && answer.contains("too slowly"),
        "{answer}"
    );
    // About the grace (1 s) and what arrived at 1 KiB/s: well before the body's ~60 s.
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // A body sent at once is read as ever.
    let (status, _) = alice
        .post(
            "/v1/pull",
            &serde_json::json!({"protocol": 1, "cursor": 0, "pending": 0}),
        )
        .await;
    assert_eq!(status, 200);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_holds_a_bounded_number_of_connections() {
    let limits = Limits {
        connections_per_address: 3,
        header_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let (s, addr) = server(limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The fourth is closed at once, without an answer.
    let mut fourth = TcpStream::connect(&addr).await.unwrap();
    let start = Instant::now();
    let _ = fourth
        .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
        .await;
    let (answer, closed) = until_closed(&mut fourth, Duration::from_secs(5)).await;
    assert!(closed && answer.is_empty(), "{answer}");
    assert!(start.elapsed() < Duration::from_secs(2));
    // When they go, connections are taken again.
    drop(held);
    let start = Instant::now();
    loop {
        let ok = reqwest::Client::new()
            .get(format!("{}/health", s.url))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        if ok {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s.shutdown().await;
}
