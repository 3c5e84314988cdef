//! Faults during sync: kill -9 of a client in the middle of a sync, and of the server in the
//! middle of a push, again and again (20 rounds here; `--ignored` runs a 200-round soak).
//! Afterwards every device converges, no acknowledged write is lost, nothing is duplicated.

use fieldbook_tests::{Fb, Server};
use rand::{Rng, SeedableRng};
use std::time::Duration;

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

fn rounds(default: usize) -> usize {
    std::env::var("FIELDBOOK_SOAK_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

fn faults(rounds: usize) {
    let seed: u64 = std::env::var("FIELDBOOK_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("faults: seed {seed} (FIELDBOOK_FAULT_SEED replays it), {rounds} rounds");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut server = Server::start();
    server.user("alice", "rep", None);
    server.user("ada", "admin", None);
    let laptop = device(&server, "alice");
    let phone = device(&server, "alice");
    let l_acc = laptop.new_record("account", &["name=Laptop's account"]);
    let p_acc = phone.new_record("account", &["name=Phone's account"]);
    laptop.sync();
    phone.sync();

    // Every write below returned: it is acknowledged and must survive.
    let mut contacts = 0;
    let (mut laptop_phone, mut phone_city) = (String::new(), String::new());
    let (mut killed_clients, mut killed_servers) = (0, 0);
    for round in 0..rounds {
        for i in 0..8 {
            laptop.new_record(
                "contact",
                &[
                    &format!("account_id={l_acc}"),
                    &format!("name=L{round}-{i}"),
                ],
            );
            phone.new_record(
                "contact",
                &[
                    &format!("account_id={p_acc}"),
                    &format!("name=P{round}-{i}"),
                ],
            );
            contacts += 2;
        }
        laptop_phone = format!("+49 {round}");
        laptop.ok(&["set", &l_acc, &format!("phone={laptop_phone}")]);
        phone_city = format!("City {round}");
        phone.ok(&["set", &p_acc, &format!("city={phone_city}")]);
        phone.ok(&["note", &l_acc, &format!("round {round} from the phone")]);

        let who = if round % 2 == 0 { &laptop } else { &phone };
        let mut child = who
            .cmd()
            .args(["--json", "sync"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.random_range(5..60)));
        if round % 4 < 2 {
            if child.try_wait().unwrap().is_none() {
                killed_clients += 1;
            }
            let _ = child.kill();
            let _ = child.wait();
        } else {
            server.kill();
            killed_servers += 1;
            let _ = child.wait();
            server.restart();
        }
    }
    eprintln!("faults: killed {killed_clients} clients mid-sync, {killed_servers} servers");
    assert!(
        killed_clients + killed_servers >= rounds / 2,
        "the kills must land while work is under way"
    );

    eprintln!(
        "faults: server at {}; its last log lines:\n{}",
        server.url,
        server.log_tail(5)
    );
    for _ in 0..3 {
        laptop.sync();
        phone.sync();
    }
    let fresh = device(&server, "alice");
    fresh.sync();
    let admin = device(&server, "ada");
    admin.sync();
    let records = |fb: &Fb| {
        let mut all = Vec::new();
        for kind in ["account", "contact"] {
            let mut v = fb
                .json(&["list", kind, "--deleted"])
                .as_array()
                .unwrap()
                .clone();
            v.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
            all.extend(v);
        }
        all
    };
    let truth = records(&fresh);
    assert_eq!(records(&laptop), truth, "laptop differs from the server");
    assert_eq!(records(&phone), truth, "phone differs from the server");
    assert_eq!(records(&admin), truth, "admin differs");
    let names = fresh.names("contact");
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicated contacts");
    assert_eq!(
        names.len(),
        contacts,
        "every acknowledged contact arrived exactly once"
    );
    let l = fresh.json(&["show", &l_acc]);
    assert_eq!(l["phone"], laptop_phone.as_str());
    let notes = l["notes"].as_str().unwrap();
    for round in 0..rounds {
        assert_eq!(
            notes
                .matches(&format!("round {round} from the phone"))
                .count(),
            1,
            "note of round {round}"
        );
    }
    assert_eq!(fresh.json(&["show", &p_acc])["city"], phone_city.as_str());
    for fb in [&laptop, &phone] {
        assert_eq!(fb.json(&["status"])["pending"], 0);
    }
}

#[test]
fn e_kill_clients_mid_sync_and_the_server_mid_push_loses_and_duplicates_nothing() {
    faults(rounds(20));
}

#[test]
#[ignore = "a longer soak: cargo test -p fieldbook-tests --test e2e -- --ignored soak"]
fn e_soak_kill_clients_and_server_for_200_rounds() {
    faults(rounds(200));
}
