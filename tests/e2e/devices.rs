//! A user's own devices from the command line: listing them with their tokens, revoking a
//! lost laptop from the phone (the laptop is refused, keeps its data, and signs in again),
//! and what a device says when guessing is slowed down.

use fieldbook_tests::{Backend, Fb, PASSWORD, Server};

fn a_user_lists_their_devices_and_revokes_a_lost_one(backend: Backend) {
    let server = Server::start_on(backend);
    server.user("alice", "rep", None);
    let laptop = Fb::init("alice");
    laptop.login(&server);
    laptop.new_record("account", &["name=青岛啤酒"]);
    laptop.sync();
    let phone = Fb::init("alice");
    phone.login(&server);

    let devices = phone.json(&["devices", "list"]);
    let devices = devices.as_array().unwrap();
    assert_eq!(devices.len(), 2, "{devices:?}");
    assert!(
        devices
            .iter()
            .all(|d| d["token"] == "active" && d["expires_at"].is_string())
    );
    // The laptop signed in first.
    let lost = devices[0]["device_id"].as_str().unwrap().to_string();
    let out = phone.ok(&["devices", "revoke", &lost]);
    assert!(out.contains("Revoked alice's device"), "{out}");

    // The laptop is refused from now on, and keeps what it holds.
    let (_, err) = laptop.fails(&["sync"]);
    assert!(
        err.contains("revoked") && err.contains("sign in again"),
        "{err}"
    );
    assert_eq!(laptop.names("account"), ["青岛啤酒"]);
    let listed = phone.ok(&["devices", "list"]);
    assert!(listed.contains("token revoked"), "{listed}");
    assert!(server.admin(&["devices"]).contains("token revoked"));
    // Signing in again gives it a new token.
    laptop.login(&server);
    laptop.sync();
    assert_eq!(
        phone.json(&["devices", "list"]).as_array().unwrap().len(),
        3
    );
}

fn guessing_a_password_from_a_device_is_told_how_long_to_wait(backend: Backend) {
    let server = Server::start_on(backend);
    server.user("alice", "rep", None);
    let fb = Fb::init("alice");
    let attempt = |password: &str| {
        fb.cmd()
            .args(["login", &server.url, "alice"])
            .env("FIELDBOOK_PASSWORD", password)
            .output()
            .unwrap()
    };
    for _ in 0..3 {
        let out = attempt("not the password");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("wrong user name or password"), "{err}");
    }
    // The fourth waits, whatever the password: the device says for how long.
    let out = attempt(PASSWORD);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("try again in 1 s"), "{err}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    fb.login(&server);
}

on_both_backends!(
    a_user_lists_their_devices_and_revokes_a_lost_one,
    guessing_a_password_from_a_device_is_told_how_long_to_wait,
);
