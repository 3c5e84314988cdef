//! The manager's web page: the built front-end served at `/` with a strict
//! Content-Security-Policy and the other headers a browser needs; unknown API paths stay
//! JSON 404s; API answers are not cached; without a front-end the API alone is served.

use fieldbook_core::protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use fieldbook_server::{AppState, SqliteStorage};
use std::sync::Arc;

async fn start(ui: Option<&std::path::Path>) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
    let state = AppState::new(storage).with_ui_dir(ui.map(|p| p.to_path_buf()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fieldbook_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    (url, dir)
}

fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_page_is_served_with_a_strict_policy() {
    let ui = tempfile::tempdir().unwrap();
    std::fs::write(
        ui.path().join("index.html"),
        "<!doctype html><title>Fieldbook</title><script type=module src=/assets/app.js></script>",
    )
    .unwrap();
    std::fs::create_dir(ui.path().join("assets")).unwrap();
    std::fs::write(ui.path().join("assets/app.js"), "console.log('hi')").unwrap();
    let (url, _dir) = start(Some(ui.path())).await;
    let http = reqwest::Client::new();

    let page = http.get(format!("{url}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let csp = header(&page, "content-security-policy");
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "x-frame-options"), "DENY");
    assert_eq!(header(&page, "referrer-policy"), "no-referrer");
    assert!(
        page.headers().get("strict-transport-security").is_none(),
        "no TLS here"
    );
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("<title>Fieldbook</title>")
    );

    let js = http
        .get(format!("{url}/assets/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(header(&js, "content-type").contains("javascript"));
    // The page routes itself: any other path is the page.
    let deep = http
        .get(format!("{url}/reports/pipeline"))
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("Fieldbook"));
    // Nothing outside the directory.
    let escape = http
        .get(format!("{url}/..%2f..%2fetc%2fpasswd"))
        .send()
        .await
        .unwrap();
    assert!(!escape.text().await.unwrap().contains("root:"));

    // The API keeps its own answers: JSON 404s, never cached.
    let api = http
        .get(format!("{url}/v1/nothing-here"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(header(&api, "cache-control"), "no-store");
    assert!(header(&api, "content-security-policy").contains("default-src 'none'"));
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    let me = http
        .get(format!("{url}/v1/me"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(header(&me, "cache-control"), "no-store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_front_end_only_the_api_answers() {
    let (url, _dir) = start(None).await;
    let resp = reqwest::get(format!("{url}/")).await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(header(&resp, "content-security-policy").contains("default-src 'none'"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}
