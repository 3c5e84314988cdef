//! The managers' web page, end to end (issue #10, §4): a real `fieldbook-server` with a
//! team's books (two reps' demo books synced up), and Debian's Chromium driven by
//! playwright-core (`tests/web/manager.mjs`): a manager signs in, sees the pipeline (the
//! figures a device computes from the same data after a sync, to the cent) and the forecast
//! chart, opens a stale deal, hands one account over; a rep of another team is refused the
//! team's report (403). Here: the rep's device drops the account at its next sync and the
//! receiving rep's device gets it.

use fieldbook_tests::{Fb, PASSWORD, Server};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn store(user: &str) -> Fb {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", user, "--currency", "CNY"]);
    Fb {
        dir: fb.dir,
        user: user.into(),
    }
}

/// The browser check's directory, with playwright-core installed, and Chromium.
fn web_check() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "{} has no node_modules: run scripts/setup.sh (it runs `npm ci` there)",
        dir.display()
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "Debian's chromium is missing: run scripts/setup.sh (it installs it)"
    );
    dir
}

#[test]
fn a_manager_in_a_browser_sees_the_team_and_hands_an_account_over() {
    let js = web_check();
    // The server serves the repository's built front-end (ui/dist) at `/`.
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../ui/dist/index.html")
            .exists(),
        "ui/dist is missing: build the front-end (`cd ui && npm run build`; test.sh does)"
    );
    let server = Server::start();
    server.user("mia", "manager", None);
    server.user("wes", "manager", None);
    server.admin(&["team", "add", "east", "--manager", "mia"]);
    server.admin(&["team", "add", "west", "--manager", "wes"]);
    server.user("carol", "rep", Some("west"));
    let mut reps = Vec::new();
    for (user, seed) in [("wang", "7"), ("li", "8")] {
        server.user(user, "rep", Some("east"));
        let rep = store(user);
        rep.login(&server);
        rep.ok(&["demo", "--records", "300", "--seed", seed]);
        rep.sync();
        reps.push(rep);
    }
    // The figures a manager's device computes from the same data.
    let mia = store("mia");
    mia.login(&server);
    mia.sync();
    let pipeline = mia.json(&["report", "pipeline", "--json"]);
    let stale = mia.json(&["report", "stale", "--json"]);
    let deal = &stale["deals"][0];
    let expect = json!({
        "manager": "mia",
        "currency": "CNY",
        "pipeline": pipeline["rows"],
        "staleDeal": {"id": deal["id"], "amount": deal["amount"], "currency": deal["currency"]},
        "from": "wang",
        "to": "li",
        "otherRep": "carol",
        "team": "east",
    });

    let out = Command::new("node")
        .arg(js.join("manager.mjs"))
        .current_dir(&js)
        .env("FB_SERVER", &server.url)
        .env("FB_PASSWORD", PASSWORD)
        .env("FB_EXPECT", expect.to_string())
        .env("FB_SCREENSHOTS", fieldbook_tests::window::screenshot_dir())
        .output()
        .expect("run node (Node.js 20 or newer; scripts/setup.sh checks it)");
    assert!(
        out.status.success(),
        "node manager.mjs failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let moved: Value = serde_json::from_slice(&out.stdout).expect("node printed JSON");
    let account = moved["account"].as_str().expect("an account id");
    let name = moved["name"].as_str().expect("its name");

    // The rep's device drops its deals at its next sync; the other rep's device gets them.
    let (wang, li) = (&reps[0], &reps[1]);
    let deals_of = |fb: &Fb| -> usize {
        fb.json(&[
            "list",
            "opportunity",
            &format!("account_id={account}"),
            "--deleted",
        ])
        .as_array()
        .expect("a list")
        .len()
    };
    let deals = deals_of(wang);
    wang.sync();
    li.sync();
    // Its deals leave the rep's device. (The account itself stays there, owned by li, only
    // while a case on it is assigned to wang: a case's assignee keeps seeing its account.)
    assert_eq!(deals_of(li), deals, "{name}'s deals did not all reach li");
    assert_eq!(
        deals_of(wang),
        0,
        "{name}'s deals are still on wang's device"
    );
    if let Some(kept) = wang
        .json(&["list", "account", "--deleted"])
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == account).cloned())
    {
        assert_eq!(
            kept["owner"], "li",
            "wang's device still thinks {name} is his"
        );
        let cases = wang.json(&[
            "list",
            "case",
            &format!("account_id={account}"),
            "assignee=wang",
        ]);
        assert!(
            !cases.as_array().expect("a list").is_empty(),
            "{name} stayed on wang's device with no case of his on it"
        );
    }
    assert_eq!(li.json(&["show", account])["owner"], "li");
}
