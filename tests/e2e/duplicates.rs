//! `fieldbook duplicates` and `fieldbook merge` on real stores: likely duplicates in
//! Chinese and Latin scripts (hand-made pairs that must and must not match), a merge that
//! fills the kept record's gaps and carries every child over, both histories readable, a
//! merge that syncs to the user's other device, and merges refused (other kinds, merged or
//! deleted records, another rep's records).

use fieldbook_tests::{Fb, Server};
use serde_json::Value;
use std::collections::BTreeSet;

/// The pairs `duplicates` finds, as sets of the two names.
fn pairs(fb: &Fb, kind: &str) -> Vec<(BTreeSet<String>, Value)> {
    fb.json(&["duplicates", "--kind", kind])
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            let names = [p["a_name"].as_str(), p["b_name"].as_str()]
                .into_iter()
                .map(|n| n.unwrap_or_default().to_string())
                .collect();
            (names, p["reasons"].clone())
        })
        .collect()
}

fn set(a: &str, b: &str) -> BTreeSet<String> {
    [a.to_string(), b.to_string()].into()
}

#[test]
fn duplicates_are_found_in_chinese_and_latin_scripts_and_unlike_records_are_not() {
    let fb = Fb::init("alice");
    for fields in [
        vec!["name=青岛啤酒股份有限公司", "city=青岛"],
        vec!["name=青岛啤酒"],
        vec!["name=ＡＣＭＥ　Industrial GmbH"],
        vec!["name=Acme Industrial Co., Ltd."],
        vec![
            "name=Globex Inc.",
            "website=https://www.globex.example/contact",
        ],
        vec!["name=Globex Handels", "email=info@globex.example"],
        vec!["name=海尔集团", "phone=+86 532 8893 9999"],
        vec!["name=Haier Deutschland", "phone=0532-88939999"],
        // Must not match: another company of the same city, the same public mail host,
        // short phones.
        vec!["name=青岛港集团有限公司", "city=青岛"],
        vec!["name=Initech", "email=sales@gmail.com", "phone=12345"],
        vec!["name=Umbrella", "email=info@gmail.com", "phone=12345"],
    ] {
        fb.new_record("account", &fields);
    }
    let found = pairs(&fb, "account");
    let names: Vec<&BTreeSet<String>> = found.iter().map(|(n, _)| n).collect();
    for expected in [
        set("青岛啤酒股份有限公司", "青岛啤酒"),
        set("ＡＣＭＥ　Industrial GmbH", "Acme Industrial Co., Ltd."),
        set("Globex Inc.", "Globex Handels"),
        set("海尔集团", "Haier Deutschland"),
    ] {
        assert!(
            names.contains(&&expected),
            "{expected:?} not found in {names:?}"
        );
    }
    assert_eq!(found.len(), 4, "nothing else matches: {names:?}");
    let globex = found
        .iter()
        .find(|(n, _)| n.contains("Globex Inc."))
        .unwrap();
    assert_eq!(globex.1[0]["reason"], "same_domain");
    assert_eq!(globex.1[0]["domain"], "globex.example");

    let a = fb.new_record("account", &["name=Acme"]);
    for fields in [
        vec!["name=张伟", "email=zhang.wei@tsingtao.example"],
        vec!["name=张 伟", "phone=13800138000"],
        vec!["name=Zhang Wei", "email=ZHANG.WEI@tsingtao.example"],
        vec!["name=李娜", "phone=+86 138 0013 8000"],
        vec!["name=王芳", "email=wang@qq.com"],
        vec!["name=王磊", "email=wanglei@qq.com"],
    ] {
        let mut f = vec![format!("account_id={a}")];
        f.extend(fields.iter().map(|s| s.to_string()));
        let f: Vec<&str> = f.iter().map(String::as_str).collect();
        fb.new_record("contact", &f);
    }
    let found = pairs(&fb, "contact");
    let names: Vec<&BTreeSet<String>> = found.iter().map(|(n, _)| n).collect();
    for expected in [
        set("张伟", "张 伟"),
        set("张伟", "Zhang Wei"),
        set("张 伟", "李娜"),
    ] {
        assert!(
            names.contains(&&expected),
            "{expected:?} not found in {names:?}"
        );
    }
    assert!(!names.contains(&&set("王芳", "王磊")), "{names:?}");

    let out = fb.ok(&["duplicates"]);
    assert!(out.contains("accounts: 4 likely duplicate pairs"), "{out}");
    assert!(out.contains("same name"), "{out}");
    assert!(out.contains("fieldbook merge KEEP_ID OTHER_ID"), "{out}");
    let (code, err) = fb.fails(&["duplicates", "--kind", "product"]);
    assert_eq!(code, 2);
    assert!(err.contains("products are not compared"), "{err}");
}

/// An account to keep, and its duplicate with a book of its own.
struct Pair {
    keep: String,
    other: String,
    contact: String,
    opportunity: String,
    quote: String,
    activity: String,
    task: String,
    child: String,
}

fn pair(fb: &Fb) -> Pair {
    let keep = fb.new_record(
        "account",
        &["name=青岛啤酒股份有限公司", "city=青岛", "tags=key account"],
    );
    let other = fb.new_record(
        "account",
        &[
            "name=Tsingtao Brewery",
            "phone=0532-85955555",
            "city=Qingdao",
            "website=tsingtao.com.cn",
            "tags=beer,key account",
        ],
    );
    fb.ok(&["note", &other, "Met the buyer at the fair."]);
    let contact = fb.new_record("contact", &[&format!("account_id={other}"), "name=张伟"]);
    let opportunity = fb.new_record(
        "opportunity",
        &[
            &format!("account_id={other}"),
            "name=Line 2",
            "amount=120000",
            "currency=CNY",
            "stage=proposal",
        ],
    );
    let quote = fb.new_record("quote", &[&format!("opportunity_id={opportunity}")]);
    fb.json(&[
        "quote-line",
        "add",
        &quote,
        "description=Filler",
        "quantity=2",
        "unit_price=5000",
    ]);
    let activity = fb.new_record(
        "activity",
        &[
            &format!("account_id={other}"),
            &format!("contact_id={contact}"),
            &format!("opportunity_id={opportunity}"),
            "subject=拜访",
        ],
    );
    let task = fb.new_record(
        "task",
        &[&format!("account_id={other}"), "title=Send the offer"],
    );
    let child = fb.new_record(
        "account",
        &["name=Tsingtao Xi'an", &format!("parent_id={other}")],
    );
    Pair {
        keep,
        other,
        contact,
        opportunity,
        quote,
        activity,
        task,
        child,
    }
}

/// The live record of `kind` whose `field` is `value` (exactly one).
fn only(fb: &Fb, kind: &str, field: &str, value: &str) -> Value {
    let all = fb.json(&["list", kind, &format!("{field}={value}")]);
    let all = all.as_array().expect("a list");
    assert_eq!(all.len(), 1, "{kind} with {field}={value}: {all:?}");
    all[0].clone()
}

#[test]
fn a_merge_fills_the_gaps_moves_every_child_and_keeps_both_histories() {
    let fb = Fb::init("alice");
    let p = pair(&fb);
    let quote_before = fb.json(&["show", &p.quote]);
    let r = fb.json(&["merge", &p.keep, &p.other]);
    assert_eq!(r["kept"], p.keep.as_str());
    let fields: Vec<&str> = r["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phone", "website", "tags", "notes"], "{r}");

    let kept = fb.json(&["show", &p.keep]);
    assert_eq!(kept["name"], "青岛啤酒股份有限公司", "the kept name stays");
    assert_eq!(kept["city"], "青岛", "a value it has is kept");
    assert_eq!(kept["phone"], "0532-85955555");
    assert_eq!(kept["tags"], serde_json::json!(["key account", "beer"]));
    assert_eq!(kept["notes"], "Met the buyer at the fair.");

    let merged = fb.json(&["show", &p.other]);
    assert_eq!(merged["deleted"], true);
    assert_eq!(merged["merged_into"], p.keep.as_str());
    assert!(
        fb.names("account")
            .contains(&"Tsingtao Brewery".to_string())
    );
    let listed: Vec<String> = fb
        .json(&["list", "account"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !listed.contains(&"Tsingtao Brewery".into()),
        "merged is not live"
    );

    // Children: created again under the kept account, each old one linked to its copy.
    let contact = only(&fb, "contact", "account_id", &p.keep);
    assert_eq!(contact["name"], "张伟");
    assert_eq!(
        fb.json(&["show", &p.contact])["merged_into"],
        contact["id"],
        "the old contact links to its copy"
    );
    let opp = only(&fb, "opportunity", "account_id", &p.keep);
    assert_eq!(opp["amount"], "120000");
    assert_eq!(opp["stage"], "proposal");
    let quote = only(&fb, "quote", "opportunity_id", opp["id"].as_str().unwrap());
    assert_eq!(
        quote["number"], quote_before["number"],
        "a quote keeps its number"
    );
    assert_eq!(quote["lines"], quote_before["lines"], "and its lines");
    assert_eq!(quote["total"], quote_before["total"]);
    assert_eq!(fb.json(&["show", &p.quote])["deleted"], true);
    let activity = only(&fb, "activity", "account_id", &p.keep);
    assert_eq!(
        activity["contact_id"], contact["id"],
        "follows the moved contact"
    );
    assert_eq!(activity["opportunity_id"], opp["id"], "and the moved deal");
    assert_eq!(
        fb.json(&["show", &p.activity])["merged_into"],
        activity["id"]
    );
    // Editable references change in place: the same task and sub-account.
    assert_eq!(fb.json(&["show", &p.task])["account_id"], p.keep.as_str());
    assert_eq!(fb.json(&["show", &p.child])["parent_id"], p.keep.as_str());
    assert_eq!(fb.json(&["show", &p.opportunity])["merged_into"], opp["id"],);

    // Both histories tell it: who merged, when, what changed.
    let h = fb.json(&["history", &p.other]);
    let last = h.as_array().unwrap().iter().rev();
    let fields: Vec<&str> = last.map(|e| e["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"merged_into"), "{h}");
    assert!(fields.contains(&"deleted"), "{h}");
    assert!(
        fields.contains(&"phone"),
        "the other's own history stays: {h}"
    );
    let h = fb.json(&["history", &p.keep]);
    let phone = h
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "phone")
        .expect("the kept record's history shows what it took");
    assert_eq!(phone["to"], "0532-85955555");
    assert_eq!(phone["by"], "alice");

    // A merged record is not merged again, nor is anything merged into it.
    let (code, err) = fb.fails(&["merge", &p.keep, &p.other]);
    assert_eq!(code, 2);
    assert!(err.contains("is deleted"), "{err}");
    let people = fb.ok(&["merge", &p.keep, &p.child]);
    assert!(people.contains("Merged"), "{people}");
}

#[test]
fn fields_can_be_chosen_and_bad_merges_are_refused_without_a_change() {
    let fb = Fb::init("alice");
    let a = fb.new_record("account", &["name=Acme GmbH", "city=Berlin", "phone=030 1"]);
    let b = fb.new_record("account", &["name=ACME", "city=München"]);
    let c = fb.new_record("contact", &[&format!("account_id={a}"), "name=Anna"]);
    for (args, says) in [
        (vec!["merge", &a, &a], "cannot be merged into itself"),
        (vec!["merge", &a, &c], "only records of one kind merge"),
        (
            vec!["merge", &a, &b, "--field", "city=theirs"],
            "city=other or city=keep",
        ),
        (
            vec!["merge", &a, &b, "--field", "colour=other"],
            "has no field `colour`",
        ),
        (
            vec!["merge", &a, &b, "--field", "merged_into=other"],
            "merged_into",
        ),
    ] {
        let (code, err) = fb.fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(fb.json(&["show", &b])["deleted"], false, "nothing changed");
    let r = fb.json(&[
        "merge",
        &a,
        &b,
        "--field",
        "city=other",
        "--field",
        "phone=other",
    ]);
    assert_eq!(r["fields"], serde_json::json!(["phone", "city"]));
    let kept = fb.json(&["show", &a]);
    assert_eq!(kept["city"], "München");
    assert_eq!(
        kept["phone"],
        Value::Null,
        "the other had none: chosen, so cleared"
    );
    let p = fb.new_record("product", &["sku=P1"]);
    let q = fb.new_record("product", &["sku=P2"]);
    let (code, err) = fb.fails(&["merge", &p, &q]);
    assert_eq!(code, 2);
    assert!(
        err.contains("products are not compared for duplicates or merged"),
        "{err}"
    );
}

#[test]
fn a_merge_syncs_to_the_users_other_device() {
    let server = Server::start();
    server.user("alice", "rep", None);
    let laptop = Fb::init("alice");
    laptop.login(&server);
    let p = pair(&laptop);
    laptop.sync();
    let phone = Fb::init("alice");
    phone.login(&server);
    phone.sync();
    laptop.json(&["merge", &p.keep, &p.other]);
    let pushed = laptop.sync();
    assert_eq!(pushed["refused"], Value::Array(vec![]), "{pushed}");
    phone.sync();
    let merged = phone.json(&["show", &p.other]);
    assert_eq!(merged["merged_into"], p.keep.as_str());
    assert_eq!(merged["deleted"], true);
    assert_eq!(phone.json(&["show", &p.keep])["phone"], "0532-85955555");
    let contact = only(&phone, "contact", "account_id", &p.keep);
    assert_eq!(contact["name"], "张伟");
    let quotes = phone.json(&["list", "quote"]);
    assert_eq!(quotes.as_array().unwrap().len(), 1, "{quotes}");
    assert_eq!(quotes[0]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(phone.json(&["status"])["refused"], Value::Array(vec![]));
}

#[test]
fn a_rep_may_not_merge_another_reps_records() {
    let server = Server::start();
    server.user("alice", "rep", None);
    // Bob's records reach Alice's store by hand (a bundle): hers to read, not to change.
    let bob = Fb::init("bob");
    let b1 = bob.new_record("account", &["name=Bob Co"]);
    let b2 = bob.new_record("account", &["name=Bob Company"]);
    let alice = Fb::init("alice");
    alice.login(&server);
    alice.absorb_from(&bob);
    let mine = alice.new_record("account", &["name=Bob Co."]);
    for (keep, other) in [(&b1, &b2), (&mine, &b1)] {
        let (code, err) = alice.fails(&["merge", keep, other]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("belongs to bob"), "{err}");
        assert!(err.contains("nothing was changed"), "{err}");
    }
    assert_eq!(alice.json(&["show", &b1])["deleted"], false);
    assert_eq!(alice.json(&["show", &mine])["phone"], Value::Null);
}
