//! The `fieldbook-server` binary: administrative commands on a data directory, exit codes,
//! and `serve` (its listening line, a clean stop on SIGTERM, durability across a kill).

use crate::support::{PASSWORD, account};
use fieldbook_core::protocol::{
    LoginRequest, LoginResponse, PROTOCOL_HEADER, PullRequest, PullResponse, PushRequest,
};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fieldbook-server"))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("FIELDBOOK_PASSWORD", PASSWORD)
        .env_remove("FIELDBOOK_SERVER_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let out = run(dir, args);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

#[test]
fn users_and_teams_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["user", "add", "mia", "--role", "manager"]);
    ok(d, &["team", "add", "east", "--manager", "mia"]);
    let out = ok(
        d,
        &["user", "add", "alice", "--role", "rep", "--team", "east"],
    );
    assert!(out.contains("added alice (rep, team east)"), "{out}");
    // A password piped in.
    let mut child = bin()
        .arg("--data-dir")
        .arg(d)
        .args(["user", "add", "bob", "--role", "rep", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped password\n")
        .unwrap();
    assert!(child.wait().unwrap().success());

    let users = json(d, &["user", "list", "--json"]);
    let names: Vec<_> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob", "mia"]);
    assert_eq!(users[0]["team"], "east");
    assert_eq!(users[0]["active"], true);
    let out = ok(
        d,
        &["user", "set", "bob", "--team", "east", "--role", "admin"],
    );
    assert!(out.contains("bob: admin, team east"), "{out}");
    let teams = json(d, &["team", "list", "--json"]);
    assert_eq!(teams[0]["manager"], "mia");
    assert_eq!(teams[0]["members"], serde_json::json!(["alice", "bob"]));
    // The data directory from the environment.
    let out = bin()
        .env("FIELDBOOK_SERVER_DATA_DIR", d)
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("mia"));

    // Bad input: exit 2 with what to do.
    let err = fails(d, &["user", "add", "alice", "--role", "rep"], 2);
    assert!(
        err.contains("exists already") && err.contains("user set"),
        "{err}"
    );
    fails(d, &["user", "add", "x", "--role", "boss"], 2);
    let err = fails(d, &["user", "add", "bad name", "--role", "rep"], 2);
    assert!(err.contains("not a valid user name"), "{err}");
    let err = fails(d, &["team", "add", "west", "--manager", "alice"], 2);
    assert!(err.contains("--role manager"), "{err}");
    let err = fails(d, &["user", "set", "nobody", "--role", "rep"], 2);
    assert!(err.contains("no user `nobody`"), "{err}");
    // A team nobody made is refused (issue 8 §7): `team add` first.
    let err = fails(
        d,
        &["user", "add", "nomad", "--role", "rep", "--team", "nowhere"],
        2,
    );
    assert!(err.contains("team add nowhere"), "{err}");
    let err = fails(d, &["user", "set", "alice", "--team", "nowhere"], 2);
    assert!(err.contains("team add nowhere"), "{err}");
    let listed = ok(d, &["user", "list"]);
    assert!(
        !listed.contains("nomad") && !listed.contains("nowhere"),
        "{listed}"
    );
    assert!(!ok(d, &["team", "list"]).contains("nowhere"));
    // A mistyped data directory: refused, and nothing is made there.
    let typo = d.join("typo");
    let err = fails(&typo, &["user", "list"], 2);
    assert!(err.contains("no server database"), "{err}");
    assert!(!typo.exists(), "no directory, no database");
    let out = bin()
        .args(["user", "list"])
        .env_remove("FIELDBOOK_SERVER_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "no data dir");
    let out = bin()
        .arg("--data-dir")
        .arg(d)
        .args(["user", "add", "carl", "--role", "rep"])
        .env_remove("FIELDBOOK_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password-stdin"));
}

/// A `serve` process, killed when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = bin()
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = lines.next().unwrap().unwrap();
        let url = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{line}"))
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
            "{url}"
        );
        std::thread::spawn(move || lines.for_each(drop));
        Served { child, url }
    }

    fn signal(&self, sig: &str) {
        let status = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn login(http: &reqwest::blocking::Client, url: &str, user: &str) -> LoginResponse {
    let resp = http
        .post(format!("{url}/v1/login"))
        .header("fieldbook-protocol", "1")
        .json(&LoginRequest {
            user: user.into(),
            password: PASSWORD.into(),
            device_name: "cli test".into(),
        })
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().unwrap()
}

#[test]
fn serve_stops_on_sigterm_and_keeps_what_it_acknowledged_through_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["user", "add", "alice", "--role", "rep"]);
    ok(d, &["user", "add", "bob", "--role", "rep"]);
    let http = reqwest::blocking::Client::new();

    let mut served = Served::start(d);
    let alice = login(&http, &served.url, "alice");
    let (acme, env) = account("alice", "Acme");
    let resp = http
        .post(format!("{}/v1/push", served.url))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(&alice.token)
        .json(&PushRequest {
            protocol: 1,
            changes: vec![env],
            pending: 1,
            log_id: None,
        })
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    // Killed at once: what was acknowledged is on disk.
    served.signal("-KILL");
    assert!(!served.child.wait().unwrap().success());
    served = Served::start(d);
    let pull = |url: &str, token: &str| -> PullResponse {
        http.post(format!("{url}/v1/pull"))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(token)
            .json(&PullRequest {
                protocol: 1,
                cursor: 0,
                snapshot_after: None,
                limit: None,
                pending: 0,
                log_id: None,
            })
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    let page = pull(&served.url, &alice.token);
    assert_eq!(crate::support::snapshots(&page.items), vec![acme.id()]);

    // Admin commands work beside the running server.
    let moved = ok(d, &["reassign", "--from", "alice", "--to", "bob"]);
    assert!(moved.contains("moved 1 account(s), 1 record(s)"), "{moved}");
    let again = json(d, &["reassign", "--from", "alice", "--to", "bob", "--json"]);
    assert_eq!(again, serde_json::json!({"accounts": 0, "records": 0}));
    let bob = login(&http, &served.url, "bob");
    let page = pull(&served.url, &bob.token);
    assert_eq!(crate::support::snapshots(&page.items), vec![acme.id()]);
    let devices = json(d, &["devices", "--json"]);
    assert_eq!(devices.as_array().unwrap().len(), 2);
    let devices = json(d, &["devices", "--user", "bob", "--json"]);
    assert_eq!(devices[0]["user"], "bob");
    assert!(devices[0]["last_sync"].is_string());

    let out = json(d, &["deactivate", "alice", "--successor", "bob", "--json"]);
    assert_eq!(out["tokens_revoked"], 1, "{out}");
    assert_eq!(out["accounts"], 0, "already moved");
    let resp = http
        .get(format!("{}/v1/me", served.url))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(&alice.token)
        .send()
        .unwrap();
    assert_eq!(resp.status(), 410);
    let err = fails(d, &["deactivate", "alice", "--successor", "bob"], 2);
    assert!(err.contains("deactivated"), "{err}");
    let q = json(d, &["quarantine", "list", "--json"]);
    assert_eq!(q, serde_json::json!([]));

    served.signal("-TERM");
    let status = served.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn serve_refuses_a_missing_certificate_and_a_busy_port() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = d.join("nope.pem");
    let out = bin()
        .arg("--data-dir")
        .arg(d)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&missing)
        .arg("--tls-key")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.pem"));
    let out = bin()
        .arg("--data-dir")
        .arg(d)
        .args(["serve", "--tls-cert", "x.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--tls-cert needs --tls-key");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = bin()
        .arg("--data-dir")
        .arg(d)
        .args(["serve", "--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[test]
fn a_backup_restores_to_a_working_server_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["user", "add", "ada", "--role", "admin"]);
    let file = d.join("backup.db");
    let out = ok(d, &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.contains("backed up"), "{out}");
    // A second backup to the same file is refused, not overwritten.
    fails(d, &["backup", "--out", file.to_str().unwrap()], 2);
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&file, restored.path().join("server.db")).unwrap();
    let users = json(restored.path(), &["user", "list", "--json"]);
    assert_eq!(users[0]["name"], "ada");
}

/// `restore`: refused while the directory is served and for a file that is not a backup of
/// this server; otherwise the backup's data is back, under a new log identity, and the
/// replaced database is kept.
#[test]
fn restore_refuses_a_served_directory_and_a_stranger_file_then_brings_a_backup_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["user", "add", "alice", "--role", "rep"]);
    let backup = d.join("backup.db");
    let out = ok(d, &["backup", "--out", backup.to_str().unwrap()]);
    assert!(out.contains("restore --from"), "{out}");
    ok(d, &["user", "add", "bob", "--role", "rep"]);
    let http = reqwest::blocking::Client::new();
    let served = Served::start(d);
    let log_id = |url: &str| -> String {
        let alice = login(&http, url, "alice");
        let page: PullResponse = http
            .post(format!("{url}/v1/pull"))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(&alice.token)
            .json(&serde_json::json!({"protocol": 1, "cursor": 0, "pending": 0}))
            .send()
            .unwrap()
            .json()
            .unwrap();
        page.log_id
            .expect("pulls say which log they come from")
            .to_string()
    };
    let before = log_id(&served.url);

    // Not while it is served; not a file that is no backup.
    let from = backup.to_str().unwrap();
    let err = fails(d, &["restore", "--from", from], 2);
    assert!(
        err.contains("running fieldbook-server") && err.contains("stop it"),
        "{err}"
    );
    let mut served = served;
    served.signal("-TERM");
    assert!(served.child.wait().unwrap().success());
    let stranger = d.join("stranger.db");
    std::fs::write(&stranger, b"not a database at all").unwrap();
    let err = fails(d, &["restore", "--from", stranger.to_str().unwrap()], 2);
    assert!(err.contains("not a backup"), "{err}");
    let err = fails(d, &["restore", "--from", "/nonexistent/file.db"], 2);
    assert!(err.contains("no file"), "{err}");
    assert!(ok(d, &["user", "list"]).contains("bob"), "nothing changed");

    let out = ok(d, &["restore", "--from", from]);
    assert!(out.contains("new identity"), "{out}");
    let listed = ok(d, &["user", "list"]);
    assert!(
        listed.contains("alice") && !listed.contains("bob"),
        "{listed}"
    );
    let kept: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("replaced-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    assert!(kept[0].path().join("server.db").is_file());
    let served = Served::start(d);
    assert_ne!(log_id(&served.url), before, "a restored log is another log");
}
