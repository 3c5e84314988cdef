//! The sign-in guard from the operator's side: `serve`'s flags (lock after, token
//! lifetime), each failed sign-in in the server's log with the client's address, and the
//! commands that unlock a user, list devices with their tokens and revoke one.

use crate::support::PASSWORD;
use fieldbook_core::protocol::{LoginRequest, LoginResponse};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn admin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fieldbook-server"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("FIELDBOOK_PASSWORD", PASSWORD)
        .env_remove("FIELDBOOK_SERVER_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = admin(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `serve` with `args`, its log going to `log`; killed when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(dir: &Path, log: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fieldbook-server"))
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .env_remove("FIELDBOOK_SERVER_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = lines.next().unwrap().unwrap();
        let url = line.strip_prefix("listening on ").unwrap().to_string();
        std::thread::spawn(move || lines.for_each(drop));
        Served { child, url }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sign_in(url: &str, user: &str, password: &str) -> (u16, Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{url}/v1/login"))
        .header("fieldbook-protocol", "1")
        .json(&LoginRequest {
            user: user.into(),
            password: password.into(),
            device_name: "cli test".into(),
        })
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.json().unwrap())
}

#[test]
fn the_operator_sees_failures_in_the_log_unlocks_users_and_revokes_devices() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["user", "add", "alice", "--role", "rep"]);
    let log = d.join("serve.log");
    let served = Served::start(d, &log, &["--lock-after", "2", "--token-ttl", "12h"]);
    for _ in 0..2 {
        assert_eq!(sign_in(&served.url, "alice", "guess").0, 401);
    }
    let (status, body) = sign_in(&served.url, "alice", PASSWORD);
    assert_eq!(
        (status, body["error"].as_str()),
        (423, Some("locked")),
        "{body}"
    );
    let users = ok(d, &["user", "list"]);
    assert!(users.contains("locked"), "{users}");
    let out = ok(d, &["user", "unlock", "alice"]);
    assert!(
        out.contains("unlocked alice (2 failed sign-ins forgotten)"),
        "{out}"
    );
    let (status, body) = sign_in(&served.url, "alice", PASSWORD);
    assert_eq!(status, 200, "{body}");
    let login: LoginResponse = serde_json::from_value(body).unwrap();

    // The device, its token and when it expires (12 hours from now).
    let devices: Value = serde_json::from_str(&ok(d, &["devices", "--json"])).unwrap();
    let device = &devices[0];
    assert_eq!(device["token"], "active", "{devices}");
    let signed_in = time::OffsetDateTime::parse(
        device["signed_in_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = time::OffsetDateTime::parse(
        device["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let lifetime = (expires - signed_in).whole_seconds();
    assert!(
        (12 * 3600 - 2..=12 * 3600).contains(&lifetime),
        "{lifetime}"
    );
    let listed = ok(d, &["devices"]);
    assert!(listed.contains("token active (expires"), "{listed}");

    let id = login.device_id.to_string();
    let out = ok(d, &["revoke", &id]);
    assert!(out.contains("revoked alice's device"), "{out}");
    let me = reqwest::blocking::Client::new()
        .get(format!("{}/v1/me", served.url))
        .header("fieldbook-protocol", "1")
        .bearer_auth(&login.token)
        .send()
        .unwrap();
    assert_eq!(me.status(), 401);
    assert!(ok(d, &["devices"]).contains("token revoked"));
    let out = admin(d, &["revoke", &uuid::Uuid::now_v7().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no device"));
    let out = admin(d, &["user", "unlock", "nobody"]);
    assert_eq!(out.status.code(), Some(2));

    // Every failure is in the log, with the address it came from.
    drop(served);
    let log = std::fs::read_to_string(&log).unwrap();
    let failures: Vec<_> = log
        .lines()
        .filter(|l| l.contains("sign-in failed"))
        .collect();
    assert_eq!(failures.len(), 2, "{log}");
    assert!(
        failures
            .iter()
            .all(|l| l.contains("addr=127.0.0.1") && l.contains("user=\"alice\"")),
        "{log}"
    );
    assert!(log.contains("locked=true"), "{log}");
    assert!(log.contains("sign-in refused: locked"), "{log}");
}

#[test]
fn serve_refuses_a_token_lifetime_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["5x", "0d", "soon"] {
        let out = admin(dir.path(), &["serve", "--token-ttl", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--token-ttl"), "{err}");
    }
}
