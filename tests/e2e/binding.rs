//! One store, one user, one server, on a real server process: a copy of alice's store does
//! not sign in as carl, a store does not move to another server, `reset` deletes a store
//! only when nothing would be lost (or when forced), `logout` warns of changes waiting,
//! `init` refuses names the server would refuse; a rep's product is refused at once; what
//! the server refused stays in `status`; a refused token is told apart from "offline".

use fieldbook_tests::{Fb, PASSWORD, Server};
use std::path::Path;

fn company() -> Server {
    let s = Server::start();
    s.user("ada", "admin", None);
    s.user("mia", "manager", None);
    s.admin(&["team", "add", "east", "--manager", "mia"]);
    s.user("alice", "rep", Some("east"));
    s.user("carl", "rep", Some("east"));
    s
}

/// `fieldbook login URL USER` on `fb` (password given), its exit code and stderr.
fn login(fb: &Fb, url: &str, user: &str) -> (i32, String) {
    let out = fb
        .cmd()
        .args(["login", url, user])
        .env("FIELDBOOK_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn store_bytes(fb: &Fb) -> Vec<u8> {
    std::fs::read(fb.path().join("fieldbook.db")).unwrap()
}

#[test]
fn a_copy_of_alices_store_does_not_sign_in_as_carl_nor_to_another_server() {
    let server = company();
    let alice = Fb::init("alice");
    alice.login(&server);
    for name in ["Alice One", "Alice Two"] {
        alice.new_record("account", &[&format!("name={name}")]);
    }
    alice.sync();
    alice.ok(&["logout"]);

    // A copy of the store, signed out: carl is refused before any password is sent.
    let copy = Fb::empty();
    copy_dir(alice.path(), copy.path());
    let before = store_bytes(&copy);
    let (code, err) = login(&copy, &server.url, "carl");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("belongs to alice") && err.contains("cannot sign in as carl"),
        "{err}"
    );
    assert!(
        err.contains("fieldbook reset") && err.contains("--data-dir"),
        "{err}"
    );
    assert_eq!(
        store_bytes(&copy),
        before,
        "the refused login changed the store"
    );
    let status = copy.json(&["status"]);
    assert_eq!(status["user"], serde_json::Value::Null, "{status}");
    assert_eq!(status["store_user"], "alice");

    // Another server is refused too, even for alice.
    let other = company();
    let (code, err) = login(&alice, &other.url, "alice");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("syncs with {}", server.url)) && err.contains(&other.url),
        "{err}"
    );
    // Her own server takes her back, and she syncs as before.
    alice.login(&server);
    assert_eq!(alice.sync()["pushed"], 0);
    // On carl's own device, carl sees none of alice's accounts.
    let carl = Fb::init("carl");
    carl.login(&server);
    carl.sync();
    assert!(carl.names("account").is_empty());
}

#[test]
fn reset_deletes_a_store_only_when_nothing_would_be_lost_and_logout_warns() {
    let server = company();
    let alice = Fb::init("alice");
    alice.login(&server);
    alice.new_record("account", &["name=Unsent GmbH"]);
    // Signing out with a change waiting: a warning, and the change stays.
    let out = alice.output(&["logout"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: 1 change made here has not reached the server"),
        "{err}"
    );
    assert_eq!(alice.json(&["status"])["pending"], 1);
    let before = store_bytes(&alice);
    let (code, err) = alice.fails(&["reset"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("1 change(s) made here have not reached the server")
            && err.contains("--force"),
        "{err}"
    );
    assert_eq!(store_bytes(&alice), before);
    // After a sync nothing would be lost: reset deletes the store.
    alice.login(&server);
    alice.sync();
    let done = alice.ok(&["reset"]);
    assert!(done.contains("Deleted the store"), "{done}");
    assert!(!alice.path().join("fieldbook.db").exists());
    // The directory can now serve carl.
    alice.ok(&["init", "--user", "carl"]);
    let (code, err) = login(&alice, &server.url, "carl");
    assert_eq!(code, 0, "{err}");

    // --force loses what waited, and says so.
    let bob = Fb::init("bob");
    bob.new_record("account", &["name=Lost on purpose"]);
    let done = bob.ok(&["reset", "--force"]);
    assert!(
        done.contains("1 change that never reached the server was discarded"),
        "{done}"
    );
    assert!(!bob.path().join("fieldbook.db").exists());
}

#[test]
fn init_refuses_a_name_the_server_would_refuse() {
    for bad in ["alice smith", "a/b", "\u{1b}[31mred"] {
        let fb = Fb::empty();
        let (code, err) = fb.fails(&["init", "--user", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("is not a valid user name"), "{err}");
        assert!(!fb.path().join("fieldbook.db").exists());
    }
    let fb = Fb::empty();
    fb.ok(&["init", "--user", "王芳"]);
}

#[test]
fn a_reps_product_is_refused_at_once_and_what_the_server_refused_stays_in_status() {
    let server = company();
    let alice = Fb::init("alice");
    // Before the first sign-in the store does not know alice is a rep: the server refuses.
    alice.new_record("product", &["sku=FB-1", "name=Pump", "unit_price=10"]);
    alice.login(&server);
    let report = alice.sync();
    assert_eq!(report["refused"].as_array().unwrap().len(), 1, "{report}");
    // Now it knows: refused here at once, nothing queued.
    let (code, err) = alice.fails(&["new", "product", "sku=FB-2", "name=Valve"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("only admins may change the product catalogue"),
        "{err}"
    );
    let product = alice.json(&["list", "product"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _) = alice.fails(&["set", &product, "unit_price=12"]);
    assert_eq!(code, 2);
    // Signed out, the role is still known.
    alice.ok(&["logout"]);
    let (code, _) = alice.fails(&["new", "product", "sku=FB-3"]);
    assert_eq!(code, 2);
    alice.login(&server);
    // The refusal is kept, with its reason, at every later status: not only once.
    alice.sync();
    for _ in 0..2 {
        let status = alice.json(&["status"]);
        let refused = status["refused"].as_array().unwrap();
        assert_eq!(refused.len(), 1, "{status}");
        assert_eq!(refused[0]["doc_id"], product.as_str());
        assert!(
            refused[0]["reason"]
                .as_str()
                .unwrap()
                .contains("product catalogue"),
            "{status}"
        );
        let text = alice.ok(&["status"]);
        assert!(
            text.contains("refused:    1 change the server refused") && text.contains("1 ×"),
            "{text}"
        );
    }
    // An admin's store writes products.
    let ada = Fb::init("ada");
    ada.login(&server);
    ada.new_record("product", &["sku=FB-9", "name=Valve"]);
}

#[test]
fn status_tells_a_refused_token_from_offline() {
    let mut server = company();
    let alice = Fb::init("alice");
    alice.login(&server);
    assert_eq!(alice.json(&["status"])["connection"], "online");
    // The server answers but no longer knows this device's token.
    crate::raw::db(&alice)
        .execute("UPDATE meta SET value = 'revoked' WHERE key = 'token'", [])
        .unwrap();
    let status = alice.json(&["status"]);
    assert_eq!(status["connection"], "token_refused", "{status}");
    let text = alice.ok(&["status"]);
    assert!(
        text.contains("refused this device's token") && !text.contains("offline"),
        "{text}"
    );
    assert!(
        text.contains(&format!("fieldbook login {} alice", server.url)),
        "{text}"
    );
    // A server that does not answer is "offline".
    server.kill();
    let text = alice.ok(&["status"]);
    assert!(
        text.contains("offline (changes wait here safely)"),
        "{text}"
    );
    // Signed out: said so, with the way back.
    alice.ok(&["logout"]);
    let text = alice.ok(&["status"]);
    assert!(text.contains("signed out: `fieldbook login"), "{text}");
}
