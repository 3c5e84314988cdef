//! The managers' side of the command line against a real `fieldbook-server`: `fieldbook
//! team` shows whose laptop holds work the server lacks, `reassign --preview` says what
//! would move without moving it, a team's manager leaves only after `fieldbook-server team
//! set` gave the team another one.

use fieldbook_tests::{Backend, Fb, Server};

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

fn a_manager_sees_knowledge_at_risk_previews_a_move_and_hands_a_team_on(backend: Backend) {
    let server = Server::start_on(backend);
    server.user("mia", "manager", None);
    server.user("max", "manager", None);
    server.admin(&["team", "add", "east", "--manager", "mia"]);
    server.user("alice", "rep", Some("east"));
    server.user("bob", "rep", Some("east"));
    let alice = device(&server, "alice");
    let acc = alice.new_record("account", &["name=Loyal Customer Ltd"]);
    alice.new_record(
        "contact",
        &[&format!("account_id={acc}"), "name=Priya Shah"],
    );
    alice.sync();
    // Work the server has not seen yet, told at the next contact.
    alice.ok(&["set", &acc, "phone=+44 20 7946 0000"]);
    alice.json(&["status"]);
    let mia = device(&server, "mia");
    mia.sync();

    let team = mia.json(&["team"]);
    assert_eq!(team["warn_days"], 3);
    let members = team["members"].as_array().unwrap();
    let alices = members.iter().find(|m| m["user"] == "alice").unwrap();
    assert_eq!(alices["accounts"], 1);
    assert_eq!(alices["devices"][0]["pending"], 1, "{team}");
    assert_eq!(alices["devices"][0]["warnings"][0], "pending");
    let shown = mia.ok(&["team", "--warn-days", "0"]);
    assert!(shown.contains("alice (rep, team east)"), "{shown}");
    assert!(shown.contains("held 1 change not on the server"), "{shown}");

    let preview = mia.json(&["reassign", &acc, "--to", "bob", "--preview"]);
    assert_eq!(
        (preview["accounts"].as_u64(), preview["records"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(preview["kinds"]["contact"], 1);
    assert_eq!(preview["devices_with_pending"][0]["pending"], 1);
    let shown = mia.ok(&["reassign", &acc, "--to", "bob", "--preview"]);
    assert!(
        shown.contains("Would move 1 account and 2 records"),
        "{shown}"
    );
    assert!(shown.contains("Nothing moved"), "{shown}");
    assert_eq!(mia.json(&["show", &acc])["owner"], "alice", "nothing moved");

    // A rep is refused the team view.
    let (code, err) = alice.fails(&["team"]);
    assert_ne!(code, 0);
    assert!(err.contains("only managers and admins"), "{err}");

    // The server's preview of a departure moves nothing either.
    let out = server.admin(&["deactivate", "alice", "--successor", "bob", "--preview"]);
    assert!(
        out.contains("would move 1 account(s), 2 record(s)"),
        "{out}"
    );
    assert!(out.contains("alice's device"), "{out}");
    assert_eq!(mia.json(&["show", &acc])["owner"], "alice");

    // The manager of a team cannot leave before the team has another manager.
    let out = server.admin_fails(&["deactivate", "mia", "--successor", "max"]);
    assert!(out.contains("team set east --manager"), "{out}");
    let out = server.admin(&["team", "set", "east", "--manager", "max"]);
    assert!(out.contains("team east is managed by max now"), "{out}");
    server.admin(&["deactivate", "mia", "--successor", "max"]);
    let max = device(&server, "max");
    max.sync();
    assert_eq!(max.names("account"), ["Loyal Customer Ltd"]);
}

on_both_backends!(a_manager_sees_knowledge_at_risk_previews_a_move_and_hands_a_team_on,);
