//! HTTPS with a self-signed certificate made on the spot.

use crate::support::*;
use fieldbook_server::{AppState, SqliteStorage};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_a_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).unwrap();
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).unwrap();

    let config = fieldbook_server::tls::load_config(&cert_file, &key_file).unwrap();
    let storage = Arc::new(SqliteStorage::open(&dir.path().join("data")).unwrap());
    let state = AppState::new(storage);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(fieldbook_server::serve_tls(
        listener,
        config,
        state,
        async {
            let _ = stopped.await;
        },
    ));

    let root = reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([root])
        .build()
        .unwrap();
    let url = format!("https://localhost:{port}");
    let resp = client.get(format!("{url}/health")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "ok");
    let resp = client
        .post(format!("{url}/v1/login"))
        .header("fieldbook-protocol", "1")
        .json(&serde_json::json!({"user": "nobody", "password": PASSWORD, "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    // Plain HTTP on the TLS port does not get an answer from the API.
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);
    // A client that does not trust the certificate is refused.
    assert!(
        reqwest::Client::new()
            .get(format!("{url}/health"))
            .send()
            .await
            .is_err()
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[test]
fn bad_certificate_files_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let err = fieldbook_server::tls::load_config(&empty, &empty).unwrap_err();
    assert!(err.to_string().contains("no certificate"), "{err}");
    let missing = dir.path().join("missing.pem");
    assert!(fieldbook_server::tls::load_config(&missing, &missing).is_err());
}
