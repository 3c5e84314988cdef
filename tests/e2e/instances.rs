//! Several `fieldbook-server` instances over one PostgreSQL database, as an operator runs
//! them behind a load balancer: devices spread over three instances converge; an instance
//! killed with SIGKILL in the middle of a device's push loses nothing it acknowledged, and
//! the device carries on through another; administrative commands act on the shared
//! database; the log stays gap-free.

use fieldbook_tests::{Backend, Fb, PASSWORD, Proxy, Server};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn login(fb: &Fb, url: &str) {
    let out = fb
        .cmd()
        .args(["login", url, &fb.user])
        .env("FIELDBOOK_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "login {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pending(fb: &Fb) -> u64 {
    fb.json(&["status"])["pending"].as_u64().expect("pending")
}

fn account_ids(fb: &Fb) -> BTreeSet<String> {
    fb.json(&["list", "account"])
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_string())
        .collect()
}

/// Changes the database holds (in the log, or refused into the quarantine).
fn stored(server: &Server) -> u64 {
    server
        .sql("SELECT (SELECT count(*) FROM log WHERE event = 'change') + (SELECT count(*) FROM quarantine)")
        .parse()
        .unwrap()
}

#[test]
fn three_instances_converge_and_a_killed_one_loses_nothing_acknowledged() {
    let mut a = Server::start_on(Backend::Postgres);
    let b = a.another_instance();
    let c = b.another_instance();
    // Administration through any instance's database.
    a.user("mia", "manager", None);
    b.admin(&["team", "add", "east", "--manager", "mia"]);
    c.user("alice", "rep", Some("east"));
    a.user("bob", "rep", Some("east"));

    // Alice's laptop reaches the instances through a load balancer, now in front of A.
    let balancer = Proxy::start(&a.url);
    let alice = Fb::init("alice");
    login(&alice, &balancer.url);
    alice.ok(&["demo", "--records", "3000", "--seed", "7"]);
    let total = pending(&alice);
    assert!(total >= 3000, "{total}");

    let bob = Fb::init("bob");
    login(&bob, &b.url);
    let bobs = bob.new_record("account", &["name=Bob's Bakery"]);
    bob.sync();

    // Kill A (SIGKILL) while alice's pages are going up: after the first is stored and
    // before the last.
    let before = stored(&a);
    let mut sync = alice.cmd().args(["sync"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let at_kill = loop {
        let n = stored(&a) - before;
        if n > 0 {
            a.kill();
            break n;
        }
        assert!(
            Instant::now() < deadline,
            "no page of alice's reached the database"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = sync.wait();
    assert!(
        at_kill < total,
        "the kill came after every page was stored ({at_kill} of {total}): nothing was in flight"
    );
    // What the device counts as acknowledged is in the database.
    let acknowledged = total - pending(&alice);
    let held = stored(&b) - before;
    assert!(
        held >= acknowledged,
        "{acknowledged} change(s) acknowledged, {held} stored"
    );

    // The balancer now sends alice to B: she carries on with nothing to do by hand.
    balancer.point_to(&b.url);
    alice.sync();
    assert_eq!(pending(&alice), 0);

    // Mia, on C, sees everything of her team; bob's account reaches alice after an admin
    // moves it (through C's database) and alice syncs through the balancer.
    let mia = Fb::init("mia");
    login(&mia, &c.url);
    mia.sync();
    let mut team = account_ids(&alice);
    team.insert(bobs.clone());
    assert_eq!(account_ids(&mia), team);
    c.admin(&["reassign", "--from", "bob", "--to", "alice"]);
    alice.sync();
    assert!(account_ids(&alice).contains(&bobs));
    bob.sync();
    assert!(!account_ids(&bob).contains(&bobs));
    let devices = b.admin(&["devices", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&devices)
            .unwrap()
            .as_array()
            .map(Vec::len),
        Some(3),
        "{devices}"
    );

    // The log is gap-free: positions 1..=N, N entries.
    assert_eq!(
        c.sql("SELECT count(*) = coalesce(max(seq), 0) AND min(seq) = 1 FROM log"),
        "t"
    );
}
