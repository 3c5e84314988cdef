//! The `fieldbook` command line as people and scripts use it: one JSON document per command
//! with `--json`, exit code 2 and a helpful message for bad input (which changes nothing),
//! search in English and Chinese, history and conflicts across two stores.

use fieldbook_tests::Fb;
use serde_json::{Value, json};

/// A small book: an account with a contact, an opportunity, a product and a quote.
struct Book {
    acme: String,
    brewery: String,
    zhang: String,
    opp: String,
    product: String,
    quote: String,
}

fn book(fb: &Fb) -> Book {
    let acme = fb.new_record(
        "account",
        &[
            "name=Acme Industrial GmbH",
            "city=Berlin",
            "tags=key account,metal",
        ],
    );
    let brewery = fb.new_record(
        "account",
        &["name=青岛啤酒股份有限公司", "city=青岛", "country=中国"],
    );
    let zhang = fb.new_record(
        "contact",
        &[
            &format!("account_id={brewery}"),
            "name=张伟",
            "title=采购经理",
        ],
    );
    let opp = fb.new_record(
        "opportunity",
        &[
            &format!("account_id={acme}"),
            "name=Line 3 retrofit",
            "amount=125000.00",
        ],
    );
    let product = fb.new_record(
        "product",
        &["sku=FB-PMP-0001", "name=Pump P-200", "unit_price=1999.99"],
    );
    let quote = fb.new_record("quote", &[&format!("opportunity_id={opp}"), "tax_pct=19"]);
    Book {
        acme,
        brewery,
        zhang,
        opp,
        product,
        quote,
    }
}

#[test]
fn a_missing_store_says_to_run_init() {
    let fb = Fb::empty();
    let (code, err) = fb.fails(&["list", "account"]);
    assert_eq!(code, 1);
    assert!(err.contains("fieldbook init --user"), "{err}");
    let fb = Fb::init("alice");
    let (code, err) = fb.fails(&["init", "--user", "alice"]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds a Fieldbook store"), "{err}");
}

#[test]
fn every_command_prints_exactly_one_json_document() {
    let fb = Fb::init("alice");
    let b = book(&fb);
    let line = fb.json(&[
        "quote-line",
        "add",
        &b.quote,
        &format!("product_id={}", b.product),
        "quantity=3",
    ]);
    let line_id = line["line_id"].as_str().unwrap().to_string();
    assert_eq!(line["lines"][0]["total"], "5999.97");
    assert_eq!(line["total"], "7139.96", "5999.97 + 19% tax 1139.99");
    let file = fb.path().join("x.json");
    let bundle = fb.path().join("x.fbb");
    let commands: Vec<Vec<String>> = vec![
        vec!["show".into(), b.opp.clone()],
        vec!["set".into(), b.opp.clone(), "stage=proposal".into()],
        vec!["unset".into(), b.opp.clone(), "amount".into()],
        vec!["list".into(), "opportunity".into()],
        vec!["search".into(), "acme".into()],
        vec![
            "note".into(),
            b.acme.clone(),
            "Met the plant manager.".into(),
        ],
        vec![
            "quote-line".into(),
            "set".into(),
            b.quote.clone(),
            line_id.clone(),
            "quantity=2".into(),
        ],
        vec![
            "quote-line".into(),
            "remove".into(),
            b.quote.clone(),
            line_id,
        ],
        vec!["history".into(), b.opp.clone()],
        vec!["conflicts".into()],
        vec!["conflicts".into(), b.opp.clone()],
        vec!["delete".into(), b.zhang.clone()],
        vec!["restore".into(), b.zhang.clone()],
        vec!["pipeline".into()],
        vec![
            "export".into(),
            "--out".into(),
            file.to_string_lossy().into(),
        ],
        vec![
            "bundle".into(),
            "--out".into(),
            bundle.to_string_lossy().into(),
        ],
        vec!["absorb".into(), bundle.to_string_lossy().into()],
    ];
    for c in commands {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        let v = fb.json(&args);
        let expect_array = matches!(
            args[0],
            "list" | "search" | "history" | "conflicts" | "pipeline"
        );
        assert_eq!(v.is_array(), expect_array, "{args:?} printed {v}");
    }
    let shown = fb.json(&["show", &b.opp]);
    assert_eq!(shown["stage"], "proposal");
    assert_eq!(shown["probability"], 50, "probability follows the stage");
    assert_eq!(shown["amount"], Value::Null);
    for key in [
        "id",
        "kind",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "deleted",
        "owner",
        "conflicts",
    ] {
        assert!(shown.get(key).is_some(), "show lacks {key}: {shown}");
    }
    assert_eq!(
        fb.json(&["show", &b.acme])["tags"],
        json!(["key account", "metal"])
    );
    let notes = fb.json(&["show", &b.acme])["notes"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(notes, "Met the plant manager.");
}

#[test]
fn bad_input_exits_2_says_what_to_do_and_changes_nothing() {
    let fb = Fb::init("alice");
    let b = book(&fb);
    let before = fb.export_records();
    let missing = "01a20000-0000-7000-8000-000000000000";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["new".into(), "widget".into(), "name=x".into()],
            "unknown kind",
        ),
        (
            vec!["new".into(), "account".into(), "colour=red".into()],
            "has no field `colour`",
        ),
        (
            vec!["new".into(), "account".into(), "city=Berlin".into()],
            "needs `name`",
        ),
        (
            vec!["new".into(), "contact".into(), "name=Bob".into()],
            "needs `account_id`",
        ),
        (
            vec![
                "new".into(),
                "contact".into(),
                format!("account_id={missing}"),
                "name=Bob".into(),
            ],
            "no record has the id",
        ),
        (
            vec![
                "new".into(),
                "contact".into(),
                format!("account_id={}", b.opp),
                "name=Bob".into(),
            ],
            "is an opportunity, not an account",
        ),
        (
            vec!["set".into(), b.opp.clone(), "amount=12,50".into()],
            "decimal number written with a dot",
        ),
        (
            vec!["set".into(), b.opp.clone(), "close_date=31/12/2026".into()],
            "YYYY-MM-DD",
        ),
        (
            vec!["set".into(), b.opp.clone(), "stage=closed".into()],
            "one of lead, qualified",
        ),
        (
            vec!["set".into(), b.opp.clone(), "stage=lost".into()],
            "needs a reason",
        ),
        (
            vec!["set".into(), b.opp.clone(), "probability=120".into()],
            "from 0 to 100",
        ),
        (
            vec!["set".into(), b.opp.clone(), "currency=EURO".into()],
            "ISO 4217",
        ),
        (
            vec![
                "set".into(),
                b.opp.clone(),
                format!("account_id={}", b.brewery),
            ],
            "cannot be changed",
        ),
        (
            vec!["set".into(), b.quote.clone(), "number=Q-1".into()],
            "Fieldbook assigns it",
        ),
        (
            vec!["set".into(), b.quote.clone(), "lines=[]".into()],
            "quote-line",
        ),
        (
            vec!["set".into(), missing.into(), "name=x".into()],
            "no record has the id",
        ),
        (
            vec!["set".into(), b.acme.clone(), "nonsense".into()],
            "field=value",
        ),
        (
            vec!["unset".into(), b.acme.clone(), "name".into()],
            "needs `name`",
        ),
        (
            vec!["new".into(), "product".into(), "sku=FB-PMP-0001".into()],
            "already used",
        ),
        (
            vec![
                "quote-line".into(),
                "add".into(),
                b.quote.clone(),
                "description=Service".into(),
            ],
            "needs a price",
        ),
        (
            vec![
                "quote-line".into(),
                "remove".into(),
                b.quote.clone(),
                "nope".into(),
            ],
            "has no line",
        ),
        (
            vec!["note".into(), b.opp.clone(), "text".into()],
            "only accounts and leads have notes",
        ),
        (
            vec!["resolve".into(), b.opp.clone(), "amount".into(), "5".into()],
            "no open conflict",
        ),
        (
            vec![
                "absorb".into(),
                fb.path().join("fieldbook.db").to_string_lossy().into(),
            ],
            "not a Fieldbook bundle",
        ),
    ];
    for (args, hint) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, err) = fb.fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(hint), "{args:?}: expected `{hint}` in: {err}");
    }
    assert_eq!(fb.export_records(), before, "bad input changed the store");
}

#[test]
fn search_finds_prefixes_and_any_two_chinese_characters_best_match_first() {
    let fb = Fb::init("alice");
    let b = book(&fb);
    fb.new_record(
        "account",
        &["name=Northwind Traders", "industry=Acme-compatible tooling"],
    );
    let titles = |q: &str| -> Vec<String> {
        fb.json(&["search", q])
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles("acm")[0],
        "Acme Industrial GmbH",
        "title match ranks before the body match"
    );
    assert_eq!(titles("acm").len(), 2);
    assert_eq!(titles("青岛"), vec!["青岛啤酒股份有限公司"]);
    assert_eq!(titles("啤酒股份"), vec!["青岛啤酒股份有限公司"]);
    assert_eq!(titles("张伟"), vec!["张伟"]);
    assert!(titles("zzzz").is_empty());
    assert!(
        titles("\"NEAR(").is_empty(),
        "operators typed by people are not syntax"
    );
    let listed = fb.json(&["list", "contact", "--search", "采购"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    fb.ok(&["delete", &b.zhang]);
    assert!(titles("张伟").is_empty(), "deleted records are not found");
    fb.ok(&["restore", &b.zhang]);
    assert_eq!(titles("张伟"), vec!["张伟"]);
}

#[test]
fn list_filters_by_fields_tags_and_owner() {
    let fb = Fb::init("alice");
    let b = book(&fb);
    let other = fb.new_record(
        "opportunity",
        &[
            &format!("account_id={}", b.brewery),
            "name=冷库扩建项目",
            "stage=Qualified",
        ],
    );
    let count = |args: &[&str]| fb.json(args).as_array().unwrap().len();
    assert_eq!(count(&["list", "opportunity"]), 2);
    assert_eq!(count(&["list", "opportunity", "stage=qualified"]), 1);
    assert_eq!(count(&["list", "opportunities", "stage=lead"]), 1);
    assert_eq!(count(&["list", "account", "tags=metal"]), 1);
    assert_eq!(count(&["list", "account", "owner=alice"]), 2);
    assert_eq!(count(&["list", "account", "owner=bob"]), 0);
    assert_eq!(count(&["list", "opportunity", "--limit", "1"]), 1);
    fb.ok(&["delete", &other]);
    assert_eq!(count(&["list", "opportunity"]), 1);
    assert_eq!(count(&["list", "opportunity", "--deleted"]), 2);
    let (code, err) = fb.fails(&["list", "opportunity", "color=red"]);
    assert_eq!(code, 2, "{err}");
    let human = fb.ok(&["list", "opportunity"]);
    assert!(
        human.contains("EUR 125,000.00"),
        "money is shown with its currency: {human}"
    );
}

#[test]
fn history_and_conflicts_across_two_stores_name_their_authors() {
    let alice = Fb::init("alice");
    let bob = Fb::init("bob");
    let b = book(&alice);
    bob.absorb_from(&alice);
    alice.ok(&["set", &b.opp, "amount=130000", "next_step=Send drawings"]);
    bob.ok(&["set", &b.opp, "amount=150000", "close_date=2027-03-31"]);
    bob.ok(&["note", &b.acme, "Bob: they want a discount."]);
    alice.ok(&["note", &b.acme, "Alice: plant visit on Monday."]);
    alice.absorb_from(&bob);
    bob.absorb_from(&alice);

    for fb in [&alice, &bob] {
        let c = fb.json(&["conflicts"]);
        let c = c.as_array().unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0]["field"], "amount");
        let mut values: Vec<(String, String)> = c[0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["by"].as_str().unwrap().into(),
                    v["value"].as_str().unwrap().into(),
                )
            })
            .collect();
        values.sort();
        assert_eq!(
            values,
            vec![
                ("alice".into(), "130000".into()),
                ("bob".into(), "150000".into())
            ]
        );
        let opp = fb.json(&["show", &b.opp]);
        assert_eq!(
            (opp["next_step"].as_str(), opp["close_date"].as_str()),
            (Some("Send drawings"), Some("2027-03-31"))
        );
        let notes = fb.json(&["show", &b.acme])["notes"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            notes.contains("Bob: they want a discount.")
                && notes.contains("Alice: plant visit on Monday.")
        );
        let human = fb.ok(&["show", &b.opp]);
        assert!(human.contains("CONFLICTS"), "{human}");
    }
    let history = alice.json(&["history", &b.opp]);
    let amount: Vec<(String, Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["field"] == "amount")
        .map(|e| {
            (
                e["by"].as_str().unwrap().to_string(),
                e["from"].clone(),
                e["to"].clone(),
            )
        })
        .collect();
    assert_eq!(amount[0], ("alice".into(), Value::Null, json!("125000.00")));
    assert!(
        amount
            .iter()
            .any(|(by, _, to)| by == "bob" && to == "150000"),
        "{amount:?}"
    );
    assert!(
        amount
            .iter()
            .any(|(by, _, to)| by == "alice" && to == "130000"),
        "{amount:?}"
    );

    alice.ok(&["resolve", &b.opp, "amount", "140000"]);
    bob.absorb_from(&alice);
    for fb in [&alice, &bob] {
        assert_eq!(fb.json(&["conflicts"]), json!([]));
        assert_eq!(fb.json(&["show", &b.opp])["amount"], "140000");
    }
}

#[test]
fn quote_numbers_made_offline_on_two_devices_never_collide() {
    let alice = Fb::init("alice");
    let bob = Fb::init("bob");
    let b = book(&alice);
    bob.absorb_from(&alice);
    let q2 = alice.new_record("quote", &[&format!("opportunity_id={}", b.opp)]);
    let q3 = bob.new_record("quote", &[&format!("opportunity_id={}", b.opp)]);
    let n1 = alice.json(&["show", &b.quote])["number"]
        .as_str()
        .unwrap()
        .to_string();
    let n2 = alice.json(&["show", &q2])["number"]
        .as_str()
        .unwrap()
        .to_string();
    let n3 = bob.json(&["show", &q3])["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(n1.ends_with("-0001") && n2.ends_with("-0002"), "{n1} {n2}");
    assert_ne!(n2, n3);
    assert_ne!(n1, n3);
    assert_eq!(
        alice.json(&["show", &q2])["currency"],
        "EUR",
        "from the opportunity"
    );
}

#[test]
fn people_get_readable_output() {
    let fb = Fb::init("alice");
    let b = book(&fb);
    fb.ok(&[
        "quote-line",
        "add",
        &b.quote,
        &format!("product_id={}", b.product),
        "quantity=2",
        "discount_pct=10",
    ]);
    let shown = fb.ok(&["show", &b.quote]);
    assert!(shown.contains("EUR 3,599.98"), "{shown}");
    let pipeline = fb.ok(&["pipeline"]);
    assert!(
        pipeline.contains("lead (10%)")
            && pipeline.contains("EUR 125,000.00")
            && pipeline.contains("EUR 12,500.00"),
        "{pipeline}"
    );
    let list = fb.ok(&["list", "contact"]);
    assert!(list.contains("张伟") && list.contains("采购经理"), "{list}");
}
