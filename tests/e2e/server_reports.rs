//! The managers' reports from a real `fieldbook-server` (`GET /v1/reports/{name}`), on each
//! backend, give the same figures as the manager's own synced copy computes offline
//! (`fieldbook report`): the server's report projection follows what the devices pushed.

use fieldbook_core::protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use fieldbook_tests::{Backend, Fb, PASSWORD, Server};
use serde_json::{Value, json};

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

/// A token for `user`, signed in over HTTP as the web page does.
fn token(http: &reqwest::blocking::Client, server: &Server, user: &str) -> String {
    let r: Value = http
        .post(format!("{}/v1/login", server.url))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .json(&json!({"user": user, "password": PASSWORD, "device_name": "web"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    r["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_string()
}

fn server_reports_match_the_managers_copy(backend: Backend) {
    let server = Server::start_on(backend);
    server.user("mia", "manager", None);
    server.admin(&["team", "add", "east", "--manager", "mia"]);
    server.user("alice", "rep", Some("east"));
    server.user("bob", "rep", Some("east"));
    for (user, seed) in [("alice", "11"), ("bob", "12")] {
        let fb = device(&server, user);
        fb.ok(&["demo", "--records", "250", "--seed", seed]);
        fb.sync();
    }
    let mia = device(&server, "mia");
    mia.sync();

    let http = reqwest::blocking::Client::new();
    let token = token(&http, &server, "mia");
    let today = "2026-12-01";
    for (name, by) in [
        ("pipeline", Some("stage")),
        ("pipeline", Some("owner")),
        ("forecast", Some("month")),
        ("winrate", None),
        ("stale", None),
        ("rfm", None),
        ("activity", None),
        ("funnel", Some("owner")),
        ("cases", None),
    ] {
        let mut url = format!("{}/v1/reports/{name}?today={today}", server.url);
        let mut args = vec!["report", name, "--json", "--today", today];
        if let Some(by) = by {
            url.push_str(&format!("&by={by}"));
            args.extend(["--by", by]);
        }
        let answer = http
            .get(&url)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&token)
            .send()
            .unwrap();
        assert_eq!(answer.status(), 200, "{name}");
        let from_server: Value = answer.json().unwrap();
        let local = mia.json(&args);
        assert_eq!(from_server, local, "{name} by {by:?}");
        if name == "pipeline" {
            let rows = from_server["rows"].as_array().map_or(0, Vec::len);
            assert!(
                rows > 1,
                "the demo books have deals in several groups: {from_server}"
            );
        }
    }
}

on_both_backends!(server_reports_match_the_managers_copy);
