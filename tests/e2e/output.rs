//! What people read and meet on the command line: a record that needs attention (a merge
//! broke a rule) shown and never blocking another edit; parent loops refused; quote lines
//! from products (price, currency); demo quotes with real totals and a seed used twice;
//! a read-only store still read; escape sequences never sent to the terminal raw; file
//! errors that name the file once; `--help` naming only files that exist; counts in the
//! singular for one; percentages one way; amounts formatted in `conflicts`.

use fieldbook_tests::{Fb, fieldbook_bin};
use serde_json::Value;

/// Two stores of alice, exchanging bundles.
fn exchange(from: &Fb, to: &Fb) {
    let file = from.path().join("for-the-other.fbb");
    from.bundle_to(&file);
    to.ok(&["absorb", file.to_str().unwrap()]);
}

#[test]
fn a_rule_broken_by_a_merge_needs_attention_and_blocks_no_other_edit() {
    let laptop = Fb::init("alice");
    let phone = Fb::init("alice");
    let acc = laptop.new_record("account", &["name=Acme"]);
    let deal = laptop.new_record(
        "opportunity",
        &[
            &format!("account_id={acc}"),
            "name=Retrofit",
            "stage=negotiation",
            "loss_reason=price",
        ],
    );
    exchange(&laptop, &phone);
    // Each edit is valid where it is made; together they break "a lost deal has a reason".
    laptop.ok(&["set", &deal, "stage=lost"]);
    phone.ok(&["unset", &deal, "loss_reason"]);
    exchange(&laptop, &phone);
    let shown = phone.json(&["show", &deal]);
    assert_eq!(
        (shown["stage"].as_str(), &shown["loss_reason"]),
        (Some("lost"), &Value::Null)
    );
    assert_eq!(
        shown["attention"][0]["rule"], "lost_needs_reason",
        "{shown}"
    );
    assert_eq!(
        phone.json(&["list", "opportunity"])[0]["attention"][0]["rule"],
        "lost_needs_reason"
    );
    let text = phone.ok(&["show", &deal]);
    assert!(
        text.contains("NEEDS ATTENTION") && text.contains("a lost opportunity needs a reason"),
        "{text}"
    );
    let list = phone.ok(&["list", "opportunity"]);
    assert!(
        list.contains("needs attention: stage, loss_reason")
            && list.contains("1 record needs attention"),
        "{list}"
    );
    // Another field can be edited (it could not before), the rule's own fields only fixed.
    phone.ok(&["set", &deal, "amount=5000", "next_step=call back"]);
    let (code, err) = phone.fails(&["set", &deal, "stage=lost"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("loss_reason"), "{err}");
    phone.ok(&["set", &deal, "loss_reason=budget cut"]);
    assert_eq!(
        phone.json(&["show", &deal])["attention"],
        serde_json::json!([])
    );
    assert!(!phone.ok(&["list", "opportunity"]).contains("attention"));
}

#[test]
fn an_account_parent_loop_is_refused() {
    let fb = Fb::init("alice");
    let a = fb.new_record("account", &["name=A"]);
    let b = fb.new_record("account", &["name=B", &format!("parent_id={a}")]);
    let c = fb.new_record("account", &["name=C", &format!("parent_id={b}")]);
    for (child, parent) in [(&a, &b), (&a, &c), (&a, &a)] {
        let (code, err) = fb.fails(&["set", child, &format!("parent_id={parent}")]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("loop") || err.contains("its own parent"),
            "{err}"
        );
    }
    assert_eq!(fb.json(&["show", &a])["parent_id"], Value::Null);
    fb.ok(&["set", &c, &format!("parent_id={a}")]);
}

#[test]
fn a_quote_line_from_a_product_takes_its_price_in_the_quotes_currency_only() {
    let fb = Fb::init("alice");
    let acc = fb.new_record("account", &["name=Acme"]);
    let deal = fb.new_record("opportunity", &[&format!("account_id={acc}"), "name=Deal"]);
    let quote = fb.new_record("quote", &[&format!("opportunity_id={deal}"), "tax_pct=19"]);
    let eur = fb.new_record(
        "product",
        &[
            "sku=P-EUR",
            "name=Pump P-200",
            "unit_price=1999.99",
            "currency=EUR",
        ],
    );
    let usd = fb.new_record(
        "product",
        &["sku=P-USD", "name=Valve", "unit_price=100", "currency=USD"],
    );
    let added = fb.ok(&[
        "quote-line",
        "add",
        &quote,
        &format!("product_id={eur}"),
        "quantity=3",
        "discount_pct=5",
    ]);
    assert!(
        added.contains("3 × Pump P-200 at EUR 1,999.99, 5% off = EUR 5,699.97")
            && added.contains("total is now EUR 6,782.96"),
        "{added}"
    );
    let (code, err) = fb.fails(&["quote-line", "add", &quote, &format!("product_id={usd}")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("in USD and the quote is in EUR") && err.contains("unit_price"),
        "{err}"
    );
    // With a price of its own, in the quote's currency, the line is the rep's to make.
    fb.ok(&[
        "quote-line",
        "add",
        &quote,
        &format!("product_id={usd}"),
        "unit_price=92",
    ]);
    let lines = fb.json(&["show", &quote])["lines"].clone();
    assert_eq!(lines[1]["description"], "Valve");
    assert_eq!(lines[1]["unit_price"], "92");
}

#[test]
fn demo_quotes_have_totals_and_a_seed_used_twice_says_so() {
    let fb = Fb::init("alice");
    fb.ok(&["demo", "--records", "800", "--seed", "5"]);
    let quotes = fb.json(&["list", "quote"]);
    let quotes = quotes.as_array().unwrap();
    assert!(quotes.len() > 20, "{}", quotes.len());
    for q in quotes {
        let lines = q["lines"].as_array().unwrap();
        assert!(!lines.is_empty());
        for l in lines {
            assert!(l["unit_price"].is_string(), "a line without a price: {l}");
        }
        let total: f64 = q["total"].as_str().unwrap().parse().unwrap();
        assert!(total > 0.0, "quote {} totals {}", q["number"], q["total"]);
    }
    let before = fb.json(&["status"])["pending"].clone();
    let (code, err) = fb.fails(&["demo", "--records", "800", "--seed", "5"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("seed 5 is in this store already") && !err.contains("UNIQUE"),
        "{err}"
    );
    assert_eq!(fb.json(&["status"])["pending"], before);
}

/// Runs the binary as the unprivileged user `nobody` (root writes any file, whatever its
/// mode), from a copy readable by that user.
fn as_nobody(fb: &Fb, args: &[&str]) -> std::process::Output {
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("fieldbook");
    std::fs::copy(fieldbook_bin(), &bin).unwrap();
    let mode = |p: &std::path::Path, m: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode(bin_dir.path(), 0o755);
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    cmd.arg("--data-dir").arg(fb.path()).args(args);
    cmd.env_remove("FIELDBOOK_DATA_DIR");
    cmd.env("FIELDBOOK_PASSPHRASE", fieldbook_tests::TEST_PASSPHRASE);
    cmd.output().expect("run fieldbook as another user")
}

#[test]
fn a_read_only_store_can_still_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let fb = Fb::init("alice");
    let acc = fb.new_record("account", &["name=Acme", "city=Berlin"]);
    // Readable by everyone, writable by no one but its owner (the file and the directory).
    for (p, m) in [
        (fb.path().to_path_buf(), 0o555),
        (fb.path().join("fieldbook.db"), 0o444),
    ] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
    }
    let export = tempfile::tempdir().unwrap();
    std::fs::set_permissions(export.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out_file = export.path().join("out.json");
    let runs: [&[&str]; 3] = [
        &["list", "account"],
        &["show", &acc],
        &["export", "--out", out_file.to_str().unwrap()],
    ];
    for args in runs {
        let out = as_nobody(&fb, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Acme") || args[0] == "export");
    }
    assert!(
        std::fs::read_to_string(&out_file)
            .unwrap()
            .contains("Berlin")
    );
    let out = as_nobody(&fb, &["set", &acc, "city=Paris"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
    std::fs::set_permissions(fb.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(fb.json(&["show", &acc])["city"], "Berlin");
}

#[test]
fn escape_sequences_never_reach_the_terminal_raw() {
    let fb = Fb::init("alice");
    let acc = fb.new_record("account", &["name=Acme"]);
    // A name from elsewhere (an older store, another program) holding escape sequences.
    let evil = "Acme\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}";
    let conn = crate::raw::db(&fb);
    conn.execute("UPDATE p_account SET name = ?1", [evil])
        .unwrap();
    conn.execute("UPDATE records SET title = ?1", [evil])
        .unwrap();
    let list = fb.ok(&["list", "account"]);
    assert!(
        !list.contains('\u{1b}') && !list.contains('\u{7}') && !list.contains('\u{202e}'),
        "{list:?}"
    );
    assert!(list.contains("Acme\\u{1b}[2J"), "{list}");
    let search = fb.ok(&["search", "acme"]);
    assert!(!search.contains('\u{1b}'), "{search:?}");
    // In errors too: what was typed is shown, not run.
    let (_, err) = fb.fails(&["show", "\u{1b}[31mred"]);
    assert!(
        !err.contains('\u{1b}') && err.contains("\\u{1b}[31mred"),
        "{err:?}"
    );
    // JSON escapes them itself.
    let json = String::from_utf8(fb.output(&["--json", "list", "account"]).stdout).unwrap();
    assert!(
        !json.contains('\u{1b}') && json.contains("\\u001b"),
        "{json}"
    );
    let _ = acc;
}

#[test]
fn file_errors_name_the_file_once_and_never_a_temporary_one() {
    let fb = Fb::init("alice");
    fb.new_record("account", &["name=Acme"]);
    let missing = fb.path().join("no-such-dir").join("out.json");
    let into_dir = fb.path().to_str().unwrap().to_string();
    for args in [
        vec!["export", "--out", missing.to_str().unwrap()],
        vec!["bundle", "--out", missing.to_str().unwrap()],
        vec!["export", "--out", &into_dir],
        vec!["absorb", missing.to_str().unwrap()],
    ] {
        let (code, err) = fb.fails(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(!err.contains("partial"), "{args:?}: {err}");
        assert!(err.matches("(os error").count() <= 1, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        let file = args.last().unwrap();
        assert!(err.contains(file), "{args:?}: {err}");
    }
}

#[test]
fn help_names_only_files_that_exist() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = 0;
    let commands = [
        "", "init", "export", "bundle", "absorb", "login", "status", "reset", "logout", "sync",
    ];
    for c in commands {
        let mut args = vec![];
        if !c.is_empty() {
            args.push(c);
        }
        args.push("--help");
        let out = std::process::Command::new(fieldbook_bin())
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for word in text.split(|c: char| c.is_whitespace() || "()[],;`".contains(c)) {
            let word = word.trim_end_matches(['.', ':']);
            if word.starts_with("docs/") {
                seen += 1;
                assert!(
                    repo.join(word).is_file(),
                    "`{c} --help` names {word}, which does not exist"
                );
            }
        }
    }
    assert!(seen > 0, "no help names docs/formats.md");
}

#[test]
fn counts_percentages_conflicts_and_moving_read_as_people_write() {
    let fb = Fb::init("alice");
    let acc = fb.new_record("account", &["name=Acme"]);
    let deal = fb.new_record(
        "opportunity",
        &[
            &format!("account_id={acc}"),
            "name=Deal",
            "amount=1234.5",
            "stage=proposal",
        ],
    );
    let book = fb.ok(&["pipeline"]);
    assert!(
        book.contains("1 account,") && book.contains("1 opportunity,"),
        "{book}"
    );
    assert!(book.contains("0 quotes"), "{book}");
    let file = fb.path().join("one.json");
    assert!(
        fb.ok(&["export", "--out", file.to_str().unwrap()])
            .contains("Exported 2 records")
    );
    // Percentages: one way, `50%`, in a list and on the record.
    assert!(fb.ok(&["list", "opportunity"]).contains("50%"));
    let shown = fb.ok(&["show", &deal]);
    assert!(
        shown
            .lines()
            .any(|l| l.trim_start().starts_with("probability") && l.trim_end().ends_with(" 50%")),
        "{shown}"
    );
    assert!(shown.contains("EUR 1,234.50"), "{shown}");
    // Conflicts: amounts with their currency.
    let other = Fb::init("alice");
    exchange(&fb, &other);
    fb.ok(&["set", &deal, "amount=1500"]);
    other.ok(&["set", &deal, "amount=1800"]);
    exchange(&other, &fb);
    let conflicts = fb.ok(&["conflicts"]);
    assert!(
        conflicts.contains("EUR 1,500.00") && conflicts.contains("EUR 1,800.00"),
        "{conflicts}"
    );
    // Moving a record is not a field edit, and the message says what is.
    let other_acc = fb.new_record("account", &["name=Other"]);
    let (code, err) = fb.fails(&["set", &deal, &format!("account_id={other_acc}")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fieldbook new")
            && err.contains("fieldbook delete")
            && err.contains("reassign"),
        "{err}"
    );
}
