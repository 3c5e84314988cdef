//! Leads, cases and reminders through the real `fieldbook` binary, on real stores and a
//! real `fieldbook-server`: a lead captured offline and converted (its company matched to
//! an existing account), a case logged for a colleague in another team that reaches them
//! with its account and contacts and nothing else, and comes back resolved; a reminder
//! dismissed on one device that stays dismissed on the user's other device and never
//! reaches their manager; a renewal reminder turned into an opportunity.

use fieldbook_tests::{Fb, Server};
use serde_json::Value;

/// Team east (manager mia; rep alice), team west (manager wes; rep carol).
fn company() -> Server {
    let s = Server::start();
    s.user("mia", "manager", None);
    s.user("wes", "manager", None);
    s.admin(&["team", "add", "east", "--manager", "mia"]);
    s.admin(&["team", "add", "west", "--manager", "wes"]);
    s.user("alice", "rep", Some("east"));
    s.user("carol", "rep", Some("west"));
    s
}

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

fn titles(fb: &Fb, kind: &str) -> Vec<String> {
    let field = match kind {
        "case" => "subject",
        _ => "name",
    };
    let mut v: Vec<String> = fb
        .json(&["list", kind])
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r[field].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_lead_is_captured_offline_and_converted_in_one_step() {
    let alice = Fb::init("alice");
    let existing = alice.new_record("account", &["name=Haier Group"]);
    let lead = alice.new_record(
        "lead",
        &[
            "name=Zhang Wei",
            "company=海尔集团 Haier Group Co., Ltd.",
            "source=fair",
            "email=zw@haier.example",
        ],
    );
    // Bad input: a clear message, exit 2, nothing changed.
    let (code, err) = alice.fails(&["set", &lead, "status=disqualified"]);
    assert_eq!(code, 2);
    assert!(err.contains("disqualify_reason"), "{err}");
    let (code, err) = alice.fails(&["new", "lead", "company=Nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("name"), "{err}");
    // Without --account: the likely existing account is offered, nothing is made.
    let (code, err) = alice.fails(&["convert", &lead]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&existing) && err.contains("--account"),
        "{err}"
    );
    assert_eq!(titles(&alice, "account"), ["Haier Group"]);
    let done = alice.json(&[
        "convert",
        &lead,
        "--account",
        &existing,
        "--opportunity",
        "name=Fridges 2027",
        "amount=25000",
    ]);
    assert_eq!(done["account"], existing.as_str());
    assert_eq!(done["account_created"], false);
    let contact = done["contact"].as_str().unwrap();
    assert_eq!(alice.json(&["show", contact])["email"], "zw@haier.example");
    let opp = done["opportunity"].as_str().unwrap();
    assert_eq!(alice.json(&["show", opp])["amount"], "25000");
    let l = alice.json(&["show", &lead]);
    assert_eq!(
        (l["status"].as_str(), l["opportunity_id"].as_str()),
        (Some("converted"), Some(opp))
    );
    // The account shows where it came from; the lead's history is there.
    let from = alice.json(&["list", "lead", &format!("account_id={existing}")]);
    assert_eq!(from.as_array().unwrap().len(), 1);
    assert_eq!(from[0]["id"], lead.as_str());
    assert!(
        alice
            .ok(&["show", &existing])
            .contains(&format!("from lead Zhang Wei ({lead})"))
    );
    let history = alice.json(&["history", &lead]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["field"] == "status" && h["to"] == "converted")
    );
    // A second lead of a company not held: a new account, no opportunity.
    let other = alice.new_record("lead", &["name=Anna Roth", "company=Roth Pumpen GmbH"]);
    let done = alice.json(&["convert", &other]);
    assert_eq!(done["account_created"], true);
    assert!(done["opportunity"].is_null());
    assert_eq!(
        titles(&alice, "account"),
        ["Haier Group", "Roth Pumpen GmbH"]
    );
    // The funnel counts both.
    let f = alice.json(&["report", "funnel"]);
    assert_eq!(f["total"]["leads"], 2);
    assert_eq!(f["total"]["qualified"], 2);
    assert_eq!(f["total"]["opportunities"], 1);
    let hits = alice.json(&["search", "Zhang"]);
    assert!(
        hits.as_array().unwrap().iter().any(|h| h["kind"] == "lead"),
        "{hits}"
    );
}

#[test]
fn a_case_reaches_its_assignee_in_another_team_and_comes_back_resolved() {
    let server = company();
    let alice = device(&server, "alice");
    let carol = device(&server, "carol");
    let mia = device(&server, "mia");
    let acc = alice.new_record("account", &["name=Acme Pumps", "phone=+49 30 1234"]);
    alice.new_record(
        "contact",
        &[&format!("account_id={acc}"), "name=Priya Shah"],
    );
    alice.new_record(
        "opportunity",
        &[
            &format!("account_id={acc}"),
            "name=Secret deal",
            "amount=90000",
        ],
    );
    alice.new_record(
        "activity",
        &[
            &format!("account_id={acc}"),
            "subject=Price talk",
            "body=they pay up to 95k",
        ],
    );
    // Logged on a visit, offline, for carol (team west).
    let case = alice.new_record(
        "case",
        &[
            &format!("account_id={acc}"),
            "subject=Pump leaks",
            "priority=high",
            "assignee=carol",
        ],
    );
    assert_eq!(
        alice.json(&["show", &case])["due"].as_str().map(str::len),
        Some(10)
    );
    alice.sync();
    carol.sync();
    // Carol sees the case, the account and its contact; nothing else of the account.
    assert_eq!(titles(&carol, "case"), ["Pump leaks"]);
    assert_eq!(titles(&carol, "account"), ["Acme Pumps"]);
    assert_eq!(titles(&carol, "contact"), ["Priya Shah"]);
    assert!(titles(&carol, "opportunity").is_empty());
    assert!(
        carol
            .json(&["list", "activity"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        carol
            .json(&["search", "Secret"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    // She resolves it; it comes back to alice's device (and her manager's).
    let (code, err) = carol.fails(&["set", &case, "status=resolved"]);
    assert_eq!(code, 2, "{err}");
    carol.ok(&[
        "set",
        &case,
        "status=resolved",
        "resolution=Replaced the seal",
    ]);
    let pushed = carol.sync();
    assert_eq!(
        pushed["refused"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{pushed}"
    );
    alice.sync();
    mia.sync();
    for fb in [&alice, &mia] {
        let c = fb.json(&["show", &case]);
        assert_eq!(
            (
                c["status"].as_str(),
                c["resolution"].as_str(),
                c["updated_by"].as_str()
            ),
            (Some("resolved"), Some("Replaced the seal"), Some("carol"))
        );
    }
    // What carol may not do: edit the account she only sees.
    carol.ok(&["set", &acc, "name=Mine now"]);
    carol.sync();
    let status = carol.json(&["status"]);
    assert_eq!(
        status["refused"].as_array().map(Vec::len),
        Some(1),
        "{status}"
    );
    alice.sync();
    assert_eq!(alice.json(&["show", &acc])["name"], "Acme Pumps");
    // Handed back to alice: carol's device drops the case and the account.
    alice.ok(&["set", &case, "assignee=alice"]);
    alice.sync();
    carol.sync();
    assert!(titles(&carol, "case").is_empty());
    assert!(titles(&carol, "contact").is_empty());
}

#[test]
fn a_dismissal_follows_its_user_and_a_renewal_becomes_an_opportunity() {
    let server = company();
    let laptop = device(&server, "alice");
    let phone = device(&server, "alice");
    let mia = device(&server, "mia");
    let acc = laptop.new_record("account", &["name=Acme"]);
    let today = "2026-11-30";
    let won = laptop.new_record(
        "opportunity",
        &[
            &format!("account_id={acc}"),
            "name=Maintenance 2026",
            "stage=won",
            "amount=4800",
            "close_date=2025-12-31",
            "renewal_date=2026-12-31",
        ],
    );
    laptop.sync();
    phone.sync();
    mia.sync();
    let due = |fb: &Fb| -> Vec<String> {
        fb.json(&["reminders", "--today", today])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap().to_string())
            .collect()
    };
    let key = format!("renewal:{won}");
    assert_eq!(due(&phone), std::slice::from_ref(&key));
    let shown = phone.ok(&["reminders", "--today", today]);
    assert!(
        shown.contains("renewal of \"Maintenance 2026\" due 2026-12-31"),
        "{shown}"
    );
    // Snoozed on the laptop: hidden on the phone too after a sync, not on the manager's.
    laptop.ok(&[
        "reminders",
        "snooze",
        &key,
        "--until",
        "2026-12-05",
        "--today",
        today,
    ]);
    assert!(due(&laptop).is_empty());
    laptop.sync();
    phone.sync();
    mia.sync();
    assert!(due(&phone).is_empty());
    assert!(
        mia.json(&["list", "dismissal"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let later = phone.json(&["reminders", "--today", "2026-12-05"]);
    assert_eq!(
        later.as_array().map(Vec::len),
        Some(1),
        "the snooze is over: {later}"
    );
    // Renewed from the phone: the opportunity is prefilled and linked; the reminder ends.
    let r = phone.json(&["reminders", "renew", "renewal:", "--today", today]);
    let opp = r["opportunity"].as_str().unwrap();
    let o = phone.json(&["show", opp]);
    assert_eq!(
        (
            o["name"].as_str(),
            o["amount"].as_str(),
            o["renews_id"].as_str(),
            o["close_date"].as_str()
        ),
        (
            Some("Maintenance 2026 (renewal)"),
            Some("4800"),
            Some(won.as_str()),
            Some("2026-12-31")
        )
    );
    phone.sync();
    laptop.sync();
    assert!(due(&laptop).is_empty());
    let (code, err) = laptop.fails(&["reminders", "renew", "renewal:", "--today", today]);
    assert_eq!(code, 2);
    assert!(err.contains("fieldbook reminders"), "{err}");
    let _: Value = laptop.json(&["show", opp]);
}
