//! Every figure below was worked out by hand from this book (see the comments); the
//! reports must give exactly these, to the cent.

use super::*;
use crate::value::parse_date;
use std::str::FromStr;

fn day(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

const TODAY: &str = "2026-11-30";

struct D(
    u128,
    u128,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

/// Accounts A1..A6 are ids 1..6; deals D1..D13 are ids 101..113.
fn book() -> Book {
    let accounts = [
        (1, "Acme", "alice", "2026-01-01"),
        (2, "Bolt", "alice", "2026-01-01"),
        (3, "青岛啤酒", "bob", "2026-01-01"),
        (4, "Delta", "bob", "2025-01-01"),
        (5, "Echo", "bob", "2026-05-01"),
        (6, "Foxtrot", "carl", "2026-01-01"),
    ]
    .into_iter()
    .map(|(n, name, owner, created)| Account {
        id: id(n),
        name: name.into(),
        owner: owner.into(),
        created: day(created),
    })
    .collect();
    // (deal, account, owner, stage, amount, currency, probability, close, created)
    let deals = [
        D(
            101,
            1,
            "alice",
            "lead",
            "1000.00",
            "EUR",
            10,
            "2026-12-15",
            "2026-10-01",
        ),
        D(
            102,
            1,
            "alice",
            "proposal",
            "2000.00",
            "EUR",
            50,
            "2026-12-20",
            "2026-09-01",
        ),
        D(
            103,
            2,
            "alice",
            "negotiation",
            "3000.00",
            "EUR",
            75,
            "2027-01-10",
            "2026-08-01",
        ),
        D(
            104,
            3,
            "bob",
            "qualified",
            "5000.00",
            "CNY",
            25,
            "2026-11-10",
            "2026-06-01",
        ),
        D(
            105,
            3,
            "bob",
            "won",
            "10000.00",
            "CNY",
            100,
            "2026-11-01",
            "2026-09-02",
        ),
        D(
            106,
            3,
            "bob",
            "won",
            "8000.00",
            "CNY",
            100,
            "2026-06-01",
            "2026-03-03",
        ),
        D(
            107,
            4,
            "bob",
            "lost",
            "4000.00",
            "CNY",
            0,
            "2026-10-15",
            "2026-07-01",
        ),
        D(
            108,
            1,
            "alice",
            "won",
            "1500.00",
            "EUR",
            100,
            "2026-11-20",
            "2026-10-21",
        ),
        D(
            109,
            2,
            "alice",
            "lost",
            "500.00",
            "EUR",
            0,
            "2026-09-30",
            "2026-09-01",
        ),
        D(
            110,
            4,
            "bob",
            "won",
            "2000.00",
            "USD",
            100,
            "2025-10-01",
            "2025-09-01",
        ),
        D(
            111,
            6,
            "carl",
            "won",
            "700.00",
            "EUR",
            100,
            "2026-11-29",
            "2026-11-19",
        ),
        D(
            112,
            2,
            "alice",
            "negotiation",
            "1234.56",
            "EUR",
            60,
            "2026-12-31",
            "2026-11-25",
        ),
        D(
            113,
            6,
            "carl",
            "won",
            "100.00",
            "USD",
            100,
            "2026-11-15",
            "2026-11-01",
        ),
    ]
    .into_iter()
    .map(
        |D(n, acc, owner, stage, amount, currency, p, close, created)| Deal {
            id: id(n),
            account_id: id(acc),
            name: format!("D{}", n - 100),
            owner: owner.into(),
            stage: stage.into(),
            amount: Some(dec(amount)),
            currency: currency.into(),
            probability: p,
            close_date: Some(day(close)),
            created: day(created),
        },
    )
    .collect();
    let activities = [
        ("alice", "visit", "2026-11-25", 1, Some(101)),
        ("alice", "call", "2026-10-20", 2, Some(103)),
        ("bob", "meeting", "2026-11-28", 3, None),
        ("bob", "email", "2026-08-01", 4, None),
        ("alice", "note", "2026-11-24", 1, Some(102)),
        ("carl", "call", "2026-11-29", 6, None),
    ]
    .into_iter()
    .map(|(owner, kind, on, acc, opp)| Activity {
        owner: owner.into(),
        kind: kind.into(),
        on: day(on),
        account_id: id(acc),
        opportunity_id: opp.map(id),
        count: 1,
    })
    .collect();
    Book {
        deals,
        accounts,
        activities,
        ..Book::default()
    }
}

fn amounts(pairs: &[(&str, &str)]) -> Amounts {
    Amounts(pairs.iter().map(|(c, a)| (c.to_string(), dec(a))).collect())
}

fn cny_rates() -> Rates {
    Rates {
        base: "CNY".into(),
        rates: [("EUR".to_string(), dec("7.80"))].into(),
    }
}

#[test]
fn pipeline_by_stage_owner_and_converted() {
    let b = book();
    let p = pipeline(&b, &Filter::default(), GroupBy::Stage, None);
    let row = |g: &str| p.rows.iter().find(|r| r.group == g).unwrap().clone();
    assert_eq!(p.rows.len(), 4, "every open stage, in order");
    assert_eq!(p.rows[0].group, "lead");
    assert_eq!(row("lead").count, 1);
    assert_eq!(row("lead").amount, amounts(&[("EUR", "1000.00")]));
    assert_eq!(row("lead").weighted, amounts(&[("EUR", "100.00")]));
    assert_eq!(row("qualified").weighted, amounts(&[("CNY", "1250.00")]));
    assert_eq!(row("proposal").weighted, amounts(&[("EUR", "1000.00")]));
    // 3000 × 75% + 1234.56 × 60% = 2250 + 740.736
    assert_eq!(row("negotiation").count, 2);
    assert_eq!(row("negotiation").amount, amounts(&[("EUR", "4234.56")]));
    assert_eq!(row("negotiation").weighted, amounts(&[("EUR", "2990.74")]));
    assert_eq!(p.total.count, 5);
    assert_eq!(
        p.total.amount,
        amounts(&[("CNY", "5000.00"), ("EUR", "7234.56")])
    );
    assert_eq!(
        p.total.weighted,
        amounts(&[("CNY", "1250.00"), ("EUR", "4090.74")])
    );
    assert_eq!(p.currencies, Currencies::PerCurrency);

    let by_owner = pipeline(&b, &Filter::default(), GroupBy::Owner, None);
    let owners: Vec<_> = by_owner
        .rows
        .iter()
        .map(|r| (r.group.as_str(), r.count))
        .collect();
    assert_eq!(owners, vec![("alice", 4), ("bob", 1)]);

    // 7234.56 × 7.80 + 5000 = 61429.568; weighted 4090.736 × 7.80 + 1250 = 33157.7408
    let conv = pipeline(&b, &Filter::default(), GroupBy::Stage, Some(&cny_rates()));
    assert_eq!(conv.total.amount, amounts(&[("CNY", "61429.57")]));
    assert_eq!(conv.total.weighted, amounts(&[("CNY", "33157.74")]));
    assert!(
        matches!(conv.currencies, Currencies::Converted { ref base, ref unconverted, .. } if base == "CNY" && unconverted.is_empty())
    );

    let alice = Filter {
        owners: Some(vec!["alice".into()]),
        from: Some(day("2026-12-01")),
        to: Some(day("2026-12-31")),
    };
    let p = pipeline(&b, &alice, GroupBy::Stage, None);
    assert_eq!(p.total.count, 3, "D1, D2, D12 close in December");
}

#[test]
fn forecast_by_month_and_quarter() {
    let b = book();
    let f = forecast(&b, &Filter::default(), Period::Month, None);
    let labels: Vec<_> = f.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(
        labels,
        vec!["2025-10", "2026-06", "2026-11", "2026-12", "2027-01"]
    );
    let nov = &f.periods[2];
    assert_eq!(nov.deals, 5);
    assert_eq!(
        nov.closed,
        amounts(&[("CNY", "10000.00"), ("EUR", "2200.00"), ("USD", "100.00")])
    );
    assert_eq!(nov.commit, nov.closed);
    // + D4 qualified 5000 CNY at 25%
    assert_eq!(
        nov.best_case,
        amounts(&[("CNY", "11250.00"), ("EUR", "2200.00"), ("USD", "100.00")])
    );
    let dec_ = &f.periods[3];
    assert!(dec_.closed.0.is_empty());
    assert_eq!(dec_.commit, amounts(&[("EUR", "1234.56")]));
    // 1234.56 + 1000 × 10% + 2000 × 50%
    assert_eq!(dec_.best_case, amounts(&[("EUR", "2334.56")]));
    let q = forecast(&b, &Filter::default(), Period::Quarter, None);
    let labels: Vec<_> = q.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(labels, vec!["2025-Q4", "2026-Q2", "2026-Q4", "2027-Q1"]);
    let q4 = &q.periods[2];
    assert_eq!(q4.deals, 8);
    assert_eq!(
        q4.commit,
        amounts(&[("CNY", "10000.00"), ("EUR", "3434.56"), ("USD", "100.00")])
    );
    assert_eq!(
        q4.best_case,
        amounts(&[("CNY", "11250.00"), ("EUR", "4534.56"), ("USD", "100.00")])
    );
    assert_eq!(q.periods[3].commit, amounts(&[("EUR", "3000.00")]));
}

#[test]
fn win_rates_with_and_without_a_period() {
    let b = book();
    let w = winrate(&b, &Filter::default(), None);
    let names: Vec<_> = w.owners.iter().map(|o| o.owner.as_str()).collect();
    assert_eq!(names, vec!["alice", "bob", "carl"]);
    let alice = &w.owners[0];
    assert_eq!((alice.won, alice.lost), (1, 1));
    assert_eq!(alice.rate_by_count, dec("50.0"));
    assert_eq!(alice.rate_by_amount["EUR"], dec("75.0"));
    assert_eq!(alice.avg_days_to_win, Some(dec("30.0")));
    let bob = &w.owners[1];
    assert_eq!((bob.won, bob.lost), (3, 1));
    assert_eq!(bob.rate_by_count, dec("75.0"));
    assert_eq!(bob.rate_by_amount["CNY"], dec("81.8"), "18000 / 22000");
    assert_eq!(bob.rate_by_amount["USD"], dec("100.0"));
    assert_eq!(
        bob.won_amount,
        amounts(&[("CNY", "18000.00"), ("USD", "2000.00")])
    );
    assert_eq!(bob.avg_days_to_win, Some(dec("60.0")), "(60 + 90 + 30) / 3");
    let carl = &w.owners[2];
    assert_eq!(carl.avg_days_to_win, Some(dec("12.0")), "(10 + 14) / 2");

    let autumn = Filter {
        owners: None,
        from: Some(day("2026-10-01")),
        to: Some(day("2026-11-30")),
    };
    let w = winrate(&b, &autumn, None);
    assert_eq!((w.owners[0].won, w.owners[0].lost), (1, 0));
    assert_eq!(w.owners[0].rate_by_count, dec("100.0"));
    assert_eq!(w.owners[1].rate_by_count, dec("50.0"));
    assert_eq!(
        w.owners[1].rate_by_amount["CNY"],
        dec("71.4"),
        "10000 / 14000"
    );
}

#[test]
fn stale_deals_and_accounts_at_risk() {
    let b = book();
    let s = stale(&b, &Filter::default(), StaleRules::default(), day(TODAY));
    let deals: Vec<_> = s
        .deals
        .iter()
        .map(|d| (d.name.as_str(), d.days_quiet, d.quiet, d.overdue))
        .collect();
    assert_eq!(
        deals,
        vec![("D4", 182, true, true), ("D3", 41, true, false)],
        "D4: nothing logged since its creation on 06-01 and past its close date; D3: last call 10-20"
    );
    let accounts: Vec<_> = s
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a.days_quiet))
        .collect();
    assert_eq!(
        accounts,
        vec![("Echo", 213), ("Delta", 121)],
        "Echo: nothing since its creation on 05-01; Delta: last e-mail 08-01, last win 2025-10-01"
    );
    let bob = Filter {
        owners: Some(vec!["bob".into()]),
        ..Filter::default()
    };
    assert_eq!(
        stale(&b, &bob, StaleRules::default(), day(TODAY))
            .deals
            .len(),
        1
    );
    let strict = StaleRules {
        deal_days: 5,
        account_days: 30,
    };
    let s = stale(&b, &Filter::default(), strict, day(TODAY));
    let names: Vec<_> = s.deals.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["D4", "D3", "D2", "D1", "D12"],
        "D2 quiet 6 days; D1 (last visit 11-25) and D12 (created 11-25) 5 days each"
    );
}

#[test]
fn rfm_scores_segments_and_left_out_currencies() {
    let b = book();
    let r = rfm(
        &b,
        &Filter::default(),
        &RfmRules::default(),
        "CNY",
        Some(&cny_rates()),
        day(TODAY),
    );
    let rows: Vec<_> = r
        .accounts
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.recency_days,
                a.frequency,
                a.monetary.to_string(),
                (a.r, a.f, a.m),
                a.segment.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "青岛啤酒",
                29,
                2,
                "18000.00".to_string(),
                (2, 3, 4),
                "at_risk"
            ),
            ("Foxtrot", 1, 2, "5460.00".to_string(), (4, 3, 2), "mgc"),
            ("Acme", 10, 1, "11700.00".to_string(), (3, 2, 3), "mgc"),
            ("Delta", 425, 0, "0.00".to_string(), (1, 1, 1), LOW_VALUE),
        ]
    );
    assert_eq!(r.unscored, 2, "Bolt and Echo never won a deal");
    assert_eq!(
        r.left_out,
        vec!["USD".to_string()],
        "D13 in USD has no rate"
    );
    // Without rates, EUR deals are left out of CNY monetary value.
    let plain = rfm(
        &b,
        &Filter::default(),
        &RfmRules::default(),
        "CNY",
        None,
        day(TODAY),
    );
    let acme = plain.accounts.iter().find(|a| a.name == "Acme").unwrap();
    assert_eq!(acme.monetary, dec("0.00"));
    assert_eq!(plain.left_out, vec!["EUR".to_string(), "USD".to_string()]);
}

#[test]
fn quintiles_share_scores_on_ties() {
    let v: Vec<Decimal> = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9]
        .into_iter()
        .map(Decimal::from)
        .collect();
    assert_eq!(rfm_quintiles(&v), vec![1, 1, 1, 2, 3, 3, 4, 4, 5, 5]);
}

fn rfm_quintiles(v: &[Decimal]) -> Vec<u8> {
    // The scores of accounts whose amounts are `v`, one won deal each, the same day.
    let book = Book {
        accounts: (0..v.len())
            .map(|i| Account {
                id: id(i as u128 + 1),
                name: format!("{i:02}"),
                owner: "x".into(),
                created: day("2026-01-01"),
            })
            .collect(),
        deals: v
            .iter()
            .enumerate()
            .map(|(i, a)| Deal {
                id: id(1000 + i as u128),
                account_id: id(i as u128 + 1),
                name: String::new(),
                owner: "x".into(),
                stage: "won".into(),
                amount: Some(*a),
                currency: "EUR".into(),
                probability: 100,
                close_date: Some(day("2026-11-01")),
                created: day("2026-10-01"),
            })
            .collect(),
        ..Book::default()
    };
    let r = rfm(
        &book,
        &Filter::default(),
        &RfmRules::default(),
        "EUR",
        None,
        day(TODAY),
    );
    let mut by_name: Vec<_> = r.accounts.iter().map(|a| (a.name.clone(), a.m)).collect();
    by_name.sort();
    by_name.into_iter().map(|(_, m)| m).collect()
}

#[test]
fn activity_per_owner_per_week() {
    let b = book();
    let rows: Vec<_> = activity(&b, &Filter::default())
        .into_iter()
        .map(|r| {
            (
                r.owner,
                r.week,
                r.by_kind.into_iter().collect::<Vec<_>>(),
                r.total,
            )
        })
        .collect();
    let k = |pairs: &[(&str, u64)]| {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), *b))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rows,
        vec![
            ("alice".into(), "2026-W43".into(), k(&[("call", 1)]), 1),
            (
                "alice".into(),
                "2026-W48".into(),
                k(&[("note", 1), ("visit", 1)]),
                2
            ),
            ("bob".into(), "2026-W31".into(), k(&[("email", 1)]), 1),
            ("bob".into(), "2026-W48".into(), k(&[("meeting", 1)]), 1),
            ("carl".into(), "2026-W48".into(), k(&[("call", 1)]), 1),
        ]
    );
}

#[test]
fn reports_serialize_money_as_exact_strings_and_days_as_dates() {
    let b = book();
    let s = serde_json::to_value(stale(
        &b,
        &Filter::default(),
        StaleRules::default(),
        day(TODAY),
    ))
    .unwrap();
    assert_eq!(s["today"], "2026-11-30");
    assert_eq!(s["deals"][0]["amount"], "5000.00");
    assert_eq!(s["deals"][0]["close_date"], "2026-11-10");
    let p = serde_json::to_value(pipeline(&b, &Filter::default(), GroupBy::Stage, None)).unwrap();
    assert_eq!(p["total"]["weighted"]["EUR"], "4090.74");
    assert_eq!(p["currencies"]["mode"], "per_currency");
}
