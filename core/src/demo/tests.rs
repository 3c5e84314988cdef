use super::*;
use crate::schema::{FieldType, LINE_FIELDS, fields};
use std::collections::{HashMap, HashSet};
use time::macros::date;

const TODAY: Date = date!(2026 - 05 - 14);

fn book(n: usize, seed: u64) -> Vec<DemoRecord> {
    generate(n, seed, TODAY).collect()
}

fn is_decimal(v: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    match unsigned.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(unsigned),
    }
}

/// Checks one value against its type; `seen` maps the ids yielded so far to their kinds.
fn check(ty: FieldType, v: &str, seen: &HashMap<Uuid, Kind>) -> Result<(), String> {
    let ok = match ty {
        FieldType::Text => !v.trim().is_empty() && !v.contains('\n'),
        FieldType::LongText | FieldType::User => !v.trim().is_empty(),
        FieldType::Notes | FieldType::Lines => false,
        FieldType::Url => !v.is_empty() && !v.contains(char::is_whitespace) && !v.contains(':'),
        FieldType::Email => {
            v.split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                && v.is_ascii()
                && !v.contains(' ')
        }
        FieldType::Decimal => is_decimal(v),
        FieldType::Percent => is_decimal(v) && (0.0..=100.0).contains(&v.parse::<f64>().unwrap()),
        FieldType::Currency => v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()),
        FieldType::Date => {
            time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
        }
        FieldType::DateTime => {
            v.ends_with('Z')
                && time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
                    .is_ok()
        }
        FieldType::Int { min, max } => v.parse::<i64>().is_ok_and(|i| (min..=max).contains(&i)),
        FieldType::Coordinate { min, max } => {
            is_decimal(v)
                && v.parse::<f64>()
                    .is_ok_and(|f| (min as f64..=max as f64).contains(&f))
        }
        FieldType::Bool => v == "true" || v == "false",
        FieldType::Enum(values) => values.contains(&v),
        FieldType::Ref(kind) => {
            let id = Uuid::parse_str(v).map_err(|e| format!("{v}: {e}"))?;
            if id.hyphenated().to_string() != v {
                return Err(format!("{v} is not a lowercase hyphenated uuid"));
            }
            match seen.get(&id) {
                Some(k) if *k == kind => true,
                Some(k) => return Err(format!("{v} is a {k}, not a {kind}")),
                None => return Err(format!("{v} does not refer to an earlier record")),
            }
        }
        FieldType::Tags => v.split(',').all(|t| !t.trim().is_empty()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("`{v}` is not a valid {ty:?}"))
    }
}

fn check_book(records: &[DemoRecord]) {
    let mut seen: HashMap<Uuid, Kind> = HashMap::new();
    for r in records {
        let specs = fields(r.kind);
        let mut names = HashSet::new();
        for (name, value) in &r.fields {
            assert!(!["notes", "lines", "number"].contains(name), "{r:?}");
            assert!(names.insert(*name), "duplicate field {name} in {r:?}");
            let spec = specs
                .iter()
                .find(|s| s.name == *name)
                .unwrap_or_else(|| panic!("{name} on {r:?}"));
            check(spec.ty, value, &seen).unwrap_or_else(|e| panic!("{}.{name}: {e}", r.kind));
            assert!(
                !value.contains(['{', '}']),
                "unfilled template in {name}: {value}"
            );
        }
        for spec in specs {
            if spec.required && !["notes", "lines", "number"].contains(&spec.name) {
                assert!(
                    r.get(spec.name).is_some(),
                    "{} lacks {}: {r:?}",
                    r.kind,
                    spec.name
                );
            }
        }
        if r.kind == Kind::Account {
            assert!(r.notes.len() <= 3);
            assert!(
                r.notes
                    .iter()
                    .all(|p| !p.trim().is_empty() && !p.contains('{'))
            );
        } else {
            assert!(r.notes.is_empty());
        }
        if r.kind == Kind::Quote {
            assert!((1..=5).contains(&r.lines.len()), "{r:?}");
            for line in &r.lines {
                let mut names = HashSet::new();
                for (name, value) in line {
                    assert_ne!(*name, "line_id");
                    assert!(names.insert(*name));
                    let spec = LINE_FIELDS.iter().find(|s| s.name == *name).unwrap();
                    check(spec.ty, value, &seen).unwrap_or_else(|e| panic!("line {name}: {e}"));
                }
                assert!(
                    names.contains("product_id")
                        || (names.contains("description") && names.contains("unit_price"))
                );
                assert!(names.contains("quantity"));
            }
        } else {
            assert!(r.lines.is_empty());
        }
        assert!(seen.insert(r.id, r.kind).is_none(), "duplicate id {}", r.id);
        assert_eq!(r.id.get_version_num(), 7);
    }
}

#[test]
fn yields_exactly_n_records() {
    for n in [0, 1, 2, 5, 10, 11, 1000] {
        let book = generate(n, 7, TODAY);
        assert_eq!(book.len(), n);
        assert_eq!(book.count(), n, "n = {n}");
    }
}

#[test]
fn is_deterministic_for_a_seed() {
    let a = book(1000, 42);
    let b = book(1000, 42);
    let c = book(1000, 43);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_ne!(a[0].id, c[0].id);
    assert_ne!(format!("{a:?}"), format!("{c:?}"));
}

#[test]
fn every_record_is_valid_and_refers_only_backwards() {
    for (n, seed) in [(1, 1), (10, 2), (10, 3), (57, 4), (1000, 5), (20_000, 6)] {
        check_book(&book(n, seed));
    }
}

#[test]
fn small_books_start_with_products_then_an_account() {
    for seed in 0..20 {
        let b = book(10, seed);
        let first_other = b.iter().position(|r| r.kind != Kind::Product).unwrap();
        assert!(b[first_other..].iter().all(|r| r.kind != Kind::Product));
        assert_eq!(b[first_other].kind, Kind::Account);
    }
    assert_eq!(book(1, 9)[0].kind, Kind::Account);
}

#[test]
fn kinds_follow_the_expected_mix() {
    let b = book(100_000, 11);
    let count = |k: Kind| b.iter().filter(|r| r.kind == k).count() as f64;
    let accounts = count(Kind::Account);
    assert!((8_500.0..=11_500.0).contains(&accounts), "{accounts}");
    let per = |k: Kind| count(k) / accounts;
    assert!((1.8..=2.2).contains(&per(Kind::Contact)));
    assert!((1.3..=1.7).contains(&per(Kind::Opportunity)));
    assert!(
        (0.4..=0.65).contains(&per(Kind::Quote)),
        "{}",
        per(Kind::Quote)
    );
    assert!((3.2..=3.8).contains(&per(Kind::Activity)));
    assert!((1.3..=1.7).contains(&per(Kind::Task)));
    let products = count(Kind::Product);
    assert!((20.0..=60.0).contains(&products));
    let stages: Vec<&str> = b.iter().filter_map(|r| r.get("stage")).collect();
    let share = |s: &str| stages.iter().filter(|x| **x == s).count() as f64 / stages.len() as f64;
    assert!((share("lead") - 0.30).abs() < 0.02);
    assert!((share("lost") - 0.06).abs() < 0.01);
    assert!(
        (0.35..=0.55).contains(&per(Kind::Lead)),
        "{}",
        per(Kind::Lead)
    );
    assert!(
        (0.4..=0.6).contains(&per(Kind::Case)),
        "{}",
        per(Kind::Case)
    );
    let won: Vec<_> = b.iter().filter(|r| r.get("stage") == Some("won")).collect();
    let renewing = won
        .iter()
        .filter(|r| r.get("renewal_date").is_some())
        .count() as f64;
    assert!(
        (renewing / won.len() as f64 - 0.3).abs() < 0.05,
        "{renewing} of {}",
        won.len()
    );
}

#[test]
fn leads_and_cases_tell_a_consistent_story() {
    let b = book(20_000, 5);
    let by_id: HashMap<Uuid, &DemoRecord> = b.iter().map(|r| (r.id, r)).collect();
    let day = |r: &DemoRecord, f: &str| {
        r.get(f)
            .and_then(|v| v.get(..10))
            .and_then(crate::value::parse_date)
    };
    let (mut converted, mut open_cases, mut overdue) = (0, 0, 0);
    for r in &b {
        match r.kind {
            Kind::Lead if r.get("status") == Some("converted") => {
                converted += 1;
                let account = by_id[&r.get("account_id").unwrap().parse::<Uuid>().unwrap()];
                assert_eq!(r.get("company"), account.get("name"));
                assert!(r.created < account.created, "captured before its account");
                assert!(day(r, "converted_at") == Some(account.created));
            }
            Kind::Lead => {
                assert!(r.get("account_id").is_none());
                if r.get("status") == Some("disqualified") {
                    assert!(r.get("disqualify_reason").is_some());
                }
            }
            Kind::Case => {
                let due = day(r, "due").unwrap();
                assert!(due > r.created && r.created <= TODAY);
                match r.get("status") {
                    Some("resolved" | "closed") => {
                        assert!(r.get("resolution").is_some());
                        let resolved = day(r, "resolved_at").unwrap();
                        assert!(resolved >= r.created && resolved <= TODAY);
                    }
                    _ => {
                        assert!(r.get("resolved_at").is_none());
                        open_cases += 1;
                        overdue += usize::from(due < TODAY);
                    }
                }
            }
            _ => {}
        }
    }
    assert!(
        converted > 100 && open_cases > 100 && overdue > 10,
        "{converted} {open_cases} {overdue}"
    );
}

#[test]
fn skus_are_unique() {
    for seed in 0..30 {
        let skus: Vec<String> = generate(2000, seed, TODAY)
            .filter(|r| r.kind == Kind::Product)
            .map(|r| r.get("sku").unwrap().to_string())
            .collect();
        let unique: HashSet<_> = skus.iter().collect();
        assert_eq!(unique.len(), skus.len());
        assert!(
            skus.iter().all(|s| s.starts_with("FB-") && s.len() == 11),
            "{skus:?}"
        );
    }
}

#[test]
fn lost_opportunities_have_a_loss_reason_and_dates_fit_the_stage() {
    let b = book(20_000, 12);
    let mut lost = 0;
    for r in b.iter().filter(|r| r.kind == Kind::Opportunity) {
        let stage = r.get("stage").unwrap();
        let close = Date::parse(
            r.get("close_date").unwrap(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap();
        if stage == "lost" {
            lost += 1;
            assert!(r.get("loss_reason").is_some_and(|s| !s.is_empty()));
        } else {
            assert!(r.get("loss_reason").is_none());
        }
        if stage == "won" || stage == "lost" {
            assert!(close < TODAY);
        } else {
            assert!(close > TODAY && close <= TODAY + Duration::days(275));
        }
    }
    assert!(lost > 0);
}

#[test]
fn activities_are_in_the_past_and_tasks_around_today() {
    let b = book(20_000, 13);
    let now = TODAY.midnight().assume_utc();
    let mut done_past = (0, 0);
    for r in &b {
        if let Some(at) = r.get("at") {
            let at =
                time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                    .unwrap();
            assert!(at < now + Duration::hours(8) && at > now - Duration::days(735));
        }
        if r.kind == Kind::Task {
            let due = Date::parse(
                r.get("due").unwrap(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .unwrap();
            assert!(due >= TODAY - Duration::days(30) && due <= TODAY + Duration::days(60));
            if due < TODAY {
                done_past.0 += 1;
                done_past.1 += usize::from(r.get("done") == Some("true"));
            } else {
                assert!(r.get("done").is_none());
            }
        }
    }
    let share = done_past.1 as f64 / done_past.0 as f64;
    assert!((0.3..0.5).contains(&share), "{share}");
}

#[test]
fn quote_lines_use_products_of_the_quote_currency() {
    let b = book(20_000, 14);
    let currency: HashMap<String, &str> = b
        .iter()
        .filter(|r| r.kind == Kind::Product)
        .map(|r| (r.id.to_string(), r.get("currency").unwrap()))
        .collect();
    let mut product_lines = 0;
    for q in b.iter().filter(|r| r.kind == Kind::Quote) {
        for line in &q.lines {
            if let Some((_, p)) = line.iter().find(|(f, _)| *f == "product_id") {
                product_lines += 1;
                assert_eq!(Some(currency[p]), q.get("currency"));
            }
        }
    }
    assert!(product_lines > 100);
}

#[test]
fn a_book_has_chinese_and_western_accounts() {
    let b = book(1000, 15);
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let contacts: Vec<&str> = b
        .iter()
        .filter(|r| r.kind == Kind::Contact)
        .map(|r| r.get("name").unwrap())
        .collect();
    assert!(contacts.iter().any(|n| cjk(n)));
    assert!(contacts.iter().any(|n| !cjk(n)));
    let accounts: Vec<&DemoRecord> = b.iter().filter(|r| r.kind == Kind::Account).collect();
    assert!(
        accounts
            .iter()
            .any(|a| a.get("country") == Some("中国") && a.get("name").unwrap().ends_with("公司"))
    );
    assert!(accounts.iter().any(|a| a.get("country") != Some("中国")));
    for a in accounts {
        let chinese = a.get("country") == Some("中国");
        assert_eq!(cjk(a.get("name").unwrap()), chinese, "{a:?}");
    }
    let currencies: HashSet<&str> = b.iter().filter_map(|r| r.get("currency")).collect();
    assert!(
        currencies.contains("CNY") && (currencies.contains("EUR") || currencies.contains("USD"))
    );
}

#[test]
fn every_activity_text_list_has_one_without_a_deal() {
    for lists in [SUBJECTS_EN, SUBJECTS_ZH, BODIES_EN, BODIES_ZH] {
        for list in lists {
            assert!(list.iter().any(|t| !t.contains("{o}")), "{list:?}");
        }
    }
}

#[test]
fn formatting_helpers() {
    assert_eq!(cents(1_250_000), "12500.00");
    assert_eq!(cents(124_990), "1249.90");
    assert_eq!(coordinate(360_671), "36.0671");
    assert_eq!(coordinate(-876_298), "-87.6298");
    assert_eq!(coordinate(-3763), "-0.3763");
    assert_eq!(date_string(date!(2026 - 01 - 02)), "2026-01-02");
    assert_eq!(ascii_fold("Lefèvre"), "lefevre");
    assert_eq!(ascii_fold("O'Brien"), "obrien");
    assert_eq!(ascii_fold("van den Berg"), "vandenberg");
    assert_eq!(ascii_fold("Müller"), "mueller");
}

/// `cargo test --release -- --ignored --nocapture speed`
#[test]
#[ignore]
fn speed_100k() {
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for r in generate(100_000, 1, TODAY) {
        bytes += r.fields.iter().map(|(_, v)| v.len()).sum::<usize>();
    }
    let elapsed = start.elapsed();
    println!("100,000 records in {elapsed:?} ({bytes} bytes of values)");
    assert!(elapsed < std::time::Duration::from_secs(1));
}

#[test]
fn records_are_created_before_what_happens_to_them() {
    let records = book(3000, 11);
    let mut account_created = None;
    let mut opp_created = HashMap::new();
    for r in &records {
        assert!(r.created <= TODAY, "{r:?}");
        let day = |f: &str| {
            r.get(f)
                .and_then(|v| v.get(..10))
                .and_then(crate::value::parse_date)
        };
        match r.kind {
            Kind::Product => assert!(r.created < TODAY),
            Kind::Account => account_created = Some(r.created),
            // The lead an account was converted from came first.
            Kind::Lead if r.get("status") == Some("converted") => {
                assert!(r.created < account_created.unwrap(), "{r:?}")
            }
            _ => assert!(r.created >= account_created.unwrap(), "{r:?}"),
        }
        match r.kind {
            Kind::Activity => assert_eq!(Some(r.created), day("at")),
            Kind::Opportunity => {
                if matches!(r.get("stage"), Some("won" | "lost")) {
                    assert!(Some(r.created) <= day("close_date"), "{r:?}");
                }
                opp_created.insert(r.id.to_string(), r.created);
            }
            Kind::Quote => assert!(r.created >= opp_created[r.get("opportunity_id").unwrap()]),
            _ => {}
        }
    }
    // Not all on one day: accounts are spread over the last years.
    let accounts: std::collections::HashSet<_> = records
        .iter()
        .filter(|r| r.kind == Kind::Account)
        .map(|r| r.created)
        .collect();
    assert!(accounts.len() > 50, "{}", accounts.len());
}
