//! The managers' reports over a real store: the rows come from the projections (owners,
//! creation days, deleted records left out, activities per deal and account), the figures
//! from `core::report`, money per currency or converted with the store's rates.

use crate::support::{store, text};
use fieldbook_client::report::{Report, ReportKind, ReportRequest};
use fieldbook_client::{FieldValue, Kind};
use fieldbook_core::report::{Amounts, Filter, GroupBy, Period, RfmRules, StaleRules};
use fieldbook_core::value::format_date;
use rust_decimal::Decimal;
use std::str::FromStr;
use time::{Duration, OffsetDateTime};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn amounts(pairs: &[(&str, &str)]) -> Amounts {
    Amounts(pairs.iter().map(|(c, a)| (c.to_string(), dec(a))).collect())
}

fn ask(kind: ReportKind) -> ReportRequest {
    ReportRequest {
        kind,
        filter: Filter::default(),
        currency: None,
        today: None,
    }
}

#[test]
fn reports_read_what_the_store_holds() {
    let (_dir, mut s) = store("alice");
    let today = OffsetDateTime::now_utc().date();
    let day = |d: i64| format_date(today + Duration::days(d));
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let bolt = s
        .create(Kind::Account, &text(&[("name", "青岛啤酒")]))
        .unwrap();
    let deal = |s: &mut fieldbook_client::Store,
                acc: uuid::Uuid,
                name: &str,
                stage: &str,
                amount: &str,
                cur: &str,
                close: String| {
        s.create(
            Kind::Opportunity,
            &text(&[
                ("account_id", &acc.to_string()),
                ("name", name),
                ("stage", stage),
                ("amount", amount),
                ("currency", cur),
                ("close_date", &close),
            ]),
        )
        .unwrap()
    };
    let d1 = deal(&mut s, acme, "Pumps", "proposal", "2000.00", "EUR", day(10));
    deal(
        &mut s,
        acme,
        "Valves",
        "negotiation",
        "1234.56",
        "EUR",
        day(20),
    );
    deal(
        &mut s,
        bolt,
        "Tanks",
        "qualified",
        "5000.00",
        "CNY",
        day(-5),
    );
    deal(&mut s, bolt, "Old win", "won", "800.00", "CNY", day(0));
    let gone = deal(&mut s, bolt, "Deleted", "lead", "999.00", "EUR", day(3));
    s.set_deleted(gone, true).unwrap();
    let mut lost = text(&[("account_id", &acme.to_string()), ("name", "Lost one")]);
    lost.insert("stage".into(), Some(FieldValue::Text("lost".into())));
    lost.insert("loss_reason".into(), Some(FieldValue::Text("price".into())));
    lost.insert("close_date".into(), Some(FieldValue::Text(day(0))));
    s.create(Kind::Opportunity, &lost).unwrap();
    s.create(
        Kind::Activity,
        &text(&[
            ("account_id", &acme.to_string()),
            ("opportunity_id", &d1.to_string()),
            ("kind", "visit"),
            ("subject", "Site visit"),
        ]),
    )
    .unwrap();

    // Pipeline: 2000 × 50% + 1234.56 × 75% = 1925.92 EUR; 5000 × 25% CNY; the deleted deal
    // is not there.
    let Report::Pipeline(p) = s
        .report(&ask(ReportKind::Pipeline { by: GroupBy::Stage }))
        .unwrap()
    else {
        panic!("pipeline")
    };
    assert_eq!(p.total.count, 3);
    assert_eq!(
        p.total.amount,
        amounts(&[("CNY", "5000.00"), ("EUR", "3234.56")])
    );
    assert_eq!(
        p.total.weighted,
        amounts(&[("CNY", "1250.00"), ("EUR", "1925.92")])
    );

    // Converted with the store's rates: 3234.56 × 7.80 + 5000 = 30229.568.
    s.set_rate("eur", dec("7.80"), "cny").unwrap();
    let mut conv = ask(ReportKind::Pipeline { by: GroupBy::Owner });
    conv.currency = Some("CNY".into());
    let Report::Pipeline(p) = s.report(&conv).unwrap() else {
        panic!()
    };
    assert_eq!(p.rows.len(), 1);
    assert_eq!(p.rows[0].group, "alice");
    assert_eq!(p.total.amount, amounts(&[("CNY", "30229.57")]));

    // Win rate: one won (created today, won today: 0 days), one lost.
    let Report::Winrate(w) = s.report(&ask(ReportKind::Winrate)).unwrap() else {
        panic!()
    };
    assert_eq!((w.owners[0].won, w.owners[0].lost), (1, 1));
    assert_eq!(w.owners[0].avg_days_to_win, Some(dec("0.0")));

    // Stale: the qualified deal's close date passed; nothing is quiet yet.
    let Report::Stale(st) = s
        .report(&ask(ReportKind::Stale {
            rules: StaleRules::default(),
        }))
        .unwrap()
    else {
        panic!()
    };
    let names: Vec<_> = st
        .deals
        .iter()
        .map(|d| (d.name.as_str(), d.overdue))
        .collect();
    assert_eq!(names, vec![("Tanks", true)]);
    assert!(st.accounts.is_empty());
    // A month and more later, the visit keeps Pumps fresh for 30 days, but not 40.
    let mut later = ask(ReportKind::Stale {
        rules: StaleRules::default(),
    });
    later.today = Some(today + Duration::days(40));
    let Report::Stale(st) = s.report(&later).unwrap() else {
        panic!()
    };
    assert_eq!(
        st.deals.len(),
        3,
        "every open deal, quiet or past its close date"
    );

    // RFM in the default currency (EUR) with the rates: 800 CNY is not convertible into
    // EUR (the rates are into CNY), so it is left out; in CNY it counts.
    let Report::Rfm(r) = s
        .report(&ask(ReportKind::Rfm {
            rules: RfmRules::default(),
        }))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(r.currency, "EUR");
    assert_eq!(r.left_out, vec!["CNY".to_string()]);
    let mut in_cny = ask(ReportKind::Rfm {
        rules: RfmRules::default(),
    });
    in_cny.currency = Some("CNY".into());
    let Report::Rfm(r) = s.report(&in_cny).unwrap() else {
        panic!()
    };
    assert_eq!(r.accounts.len(), 1);
    assert_eq!(r.accounts[0].name, "青岛啤酒");
    assert_eq!(r.accounts[0].monetary, dec("800.00"));
    assert_eq!(r.unscored, 1);

    // Activity per week; forecast has the won deal in this month.
    let Report::Activity { weeks } = s.report(&ask(ReportKind::Activity)).unwrap() else {
        panic!()
    };
    assert_eq!(weeks.len(), 1);
    assert_eq!(weeks[0].by_kind.get("visit"), Some(&1));
    let Report::Forecast(f) = s
        .report(&ask(ReportKind::Forecast { by: Period::Month }))
        .unwrap()
    else {
        panic!()
    };
    let this_month = Period::Month.label(today);
    let now = f.periods.iter().find(|p| p.period == this_month).unwrap();
    assert_eq!(now.closed.get("CNY"), dec("800.00"));

    // Only another owner's records: nothing.
    let mut bob = ask(ReportKind::Pipeline { by: GroupBy::Stage });
    bob.filter.owners = Some(vec!["bob".into()]);
    let Report::Pipeline(p) = s.report(&bob).unwrap() else {
        panic!()
    };
    assert_eq!(p.total.count, 0);
}

#[test]
fn rates_are_checked_and_kept_per_base() {
    let (_dir, mut s) = store("alice");
    assert!(s.rates().unwrap().is_none());
    assert!(s.set_rate("XXQ", dec("1"), "CNY").is_err());
    assert!(s.set_rate("USD", dec("-1"), "CNY").is_err());
    assert!(s.set_rate("CNY", dec("1"), "CNY").is_err());
    s.set_rate("USD", dec("7.10"), "CNY").unwrap();
    let r = s.set_rate("EUR", dec("7.80"), "CNY").unwrap();
    assert_eq!(r.rates.len(), 2);
    let r = s.set_rate("USD", dec("0.92"), "EUR").unwrap();
    assert_eq!(r.base, "EUR");
    assert_eq!(r.rates.len(), 1, "a new base starts a new table");
    assert_eq!(s.rates().unwrap(), Some(r));
}
