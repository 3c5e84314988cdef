//! `fieldbook report` and `fieldbook rates` on a real store file: figures as JSON, CSV for
//! spreadsheets, tables for people, and bad flags refused with exit code 2.

use fieldbook_tests::Fb;

#[test]
fn reports_and_rates_from_the_command_line() {
    let fb = Fb::init("alice");
    let acme = fb.new_record("account", &["name=Acme"]);
    let qingdao = fb.new_record("account", &["name=青岛啤酒"]);
    let acc = |id: &str| format!("account_id={id}");
    fb.new_record(
        "opportunity",
        &[
            &acc(&acme),
            "name=Pumps",
            "stage=proposal",
            "amount=2000.00",
            "currency=EUR",
        ],
    );
    fb.new_record(
        "opportunity",
        &[
            &acc(&qingdao),
            "name=Tanks",
            "stage=qualified",
            "amount=5000",
            "currency=CNY",
        ],
    );
    fb.new_record(
        "opportunity",
        &[
            &acc(&qingdao),
            "name=Won",
            "stage=won",
            "amount=800",
            "currency=CNY",
            "close_date=2026-11-02",
        ],
    );

    let p = fb.json(&["report", "pipeline"]);
    assert_eq!(p["report"], "pipeline");
    assert_eq!(p["total"]["count"], 2);
    assert_eq!(p["total"]["amount"]["EUR"], "2000.00");
    assert_eq!(p["total"]["weighted"]["CNY"], "1250.00", "5000 at 25%");

    fb.ok(&["rates", "set", "EUR", "7.80", "--base", "CNY"]);
    let p = fb.json(&["report", "pipeline", "--currency", "cny"]);
    assert_eq!(
        p["total"]["amount"]["CNY"], "20600.00",
        "2000 × 7.80 + 5000"
    );
    assert_eq!(p["currencies"]["mode"], "converted");
    assert!(fb.ok(&["rates", "list"]).contains("1 EUR = 7.8 CNY"));

    let csv = fb.ok(&["report", "forecast", "--by", "quarter", "--csv"]);
    assert_eq!(
        csv.lines().next(),
        Some("period,deals,currency,closed,commit,best_case")
    );
    assert!(csv.contains("2026-Q4,1,CNY,800.00,800.00,800.00"), "{csv}");
    let people = fb.ok(&["report", "pipeline", "--by", "owner"]);
    assert!(
        people.contains("alice") && people.contains("EUR 2,000.00"),
        "{people}"
    );
    let rfm = fb.json(&[
        "report",
        "rfm",
        "--currency",
        "CNY",
        "--today",
        "2026-11-30",
    ]);
    assert_eq!(rfm["accounts"][0]["name"], "青岛啤酒");
    assert_eq!(rfm["accounts"][0]["recency_days"], 28);

    for bad in [
        &["report", "pipeline", "--by", "month"][..],
        &["report", "stale", "--from", "30/11/2026"],
        &["report", "winrate", "--currency", "EURO"],
        &["rates", "set", "USD", "seven", "--base", "CNY"],
        &["rates", "set", "USD", "7.1", "--base", "XYZ"],
    ] {
        let (code, err) = fb.fails(bad);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(!err.is_empty());
    }
}
