//! Lists as the app reads them: pages in a chosen order that follow one another by keyset
//! (every record once, in order, whatever the page size), counts, the records of one
//! account, and the agenda of a day.

use crate::support::{store, text};
use fieldbook_client::{ClientError, FieldValue, Kind, ListOrder, ListQuery, Rule, Store};

fn all_pages(store: &Store, kind: Kind, q: &ListQuery, page: usize) -> Vec<String> {
    let mut q = ListQuery {
        limit: Some(page),
        ..q.clone()
    };
    let mut titles = Vec::new();
    loop {
        let p = store.list_page(kind, &q).unwrap();
        assert!(p.records.len() <= page);
        titles.extend(p.records.into_iter().map(|r| r.title));
        match p.next {
            Some(next) => q.after = Some(next),
            None => return titles,
        }
    }
}

#[test]
fn keyset_pages_give_every_record_once_in_order() {
    let (_dir, mut s) = store("alice");
    // Names with ties, Chinese and Latin; some deals without an amount.
    let names = [
        "Acme",
        "acme",
        "Acme",
        "青岛啤酒",
        "Bosch",
        "北京",
        "Zeta",
        "Acme",
    ];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let acc = s.create(Kind::Account, &text(&[("name", name)])).unwrap();
        ids.push(acc);
        let mut deal = text(&[
            ("account_id", &acc.to_string()),
            ("name", &format!("Deal {i}")),
        ]);
        if i % 3 != 0 {
            deal.insert(
                "amount".into(),
                Some(FieldValue::Text(format!("{}", (i * 7) % 5 * 100 + 5))),
            );
        }
        s.create(Kind::Opportunity, &deal).unwrap();
    }
    let by_name = ListQuery {
        order: ListOrder::Field {
            field: "name".into(),
            descending: false,
        },
        ..ListQuery::default()
    };
    let mut sorted: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    sorted.sort();
    for page in [1, 2, 3, 100] {
        assert_eq!(
            all_pages(&s, Kind::Account, &by_name, page),
            sorted,
            "page of {page}"
        );
    }
    let desc = ListQuery {
        order: ListOrder::Field {
            field: "name".into(),
            descending: true,
        },
        ..ListQuery::default()
    };
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_eq!(all_pages(&s, Kind::Account, &desc, 3), reversed);
    // Most recent first (the default order), in pages too.
    let recent = all_pages(&s, Kind::Account, &ListQuery::default(), 3);
    let mut recent_sorted = recent.clone();
    recent_sorted.sort();
    assert_eq!(recent_sorted, sorted);

    // Decimals sort by value, records without one last.
    let by_amount = ListQuery {
        order: ListOrder::Field {
            field: "amount".into(),
            descending: false,
        },
        ..ListQuery::default()
    };
    let amounts: Vec<Option<f64>> = {
        let mut q = ListQuery {
            limit: Some(2),
            ..by_amount.clone()
        };
        let mut out = Vec::new();
        loop {
            let p = s.list_page(Kind::Opportunity, &q).unwrap();
            out.extend(p.records.iter().map(|r| match r.fields.get("amount") {
                Some(FieldValue::Text(a)) => Some(a.parse::<f64>().unwrap()),
                _ => None,
            }));
            match p.next {
                Some(n) => q.after = Some(n),
                None => break out,
            }
        }
    };
    assert_eq!(amounts.len(), names.len());
    let (with, without): (Vec<Option<f64>>, Vec<Option<f64>>) =
        amounts.iter().partition(|a| a.is_some());
    assert_eq!(without.len(), 3);
    assert!(
        amounts[..with.len()].iter().all(Option::is_some),
        "{amounts:?}"
    );
    assert!(with.windows(2).all(|w| w[0] <= w[1]), "{amounts:?}");

    // A filter, a search and the count agree with the pages.
    let acme = ListQuery {
        search: Some("acme".into()),
        ..by_name.clone()
    };
    assert_eq!(s.count(Kind::Account, &acme).unwrap(), 4);
    assert_eq!(all_pages(&s, Kind::Account, &acme, 3).len(), 4);
    let chinese = ListQuery {
        search: Some("青岛".into()),
        ..by_name.clone()
    };
    assert_eq!(all_pages(&s, Kind::Account, &chinese, 10), ["青岛啤酒"]);
    assert_eq!(s.count(Kind::Account, &ListQuery::default()).unwrap(), 8);

    // One account's records.
    let of_first = ListQuery {
        account: Some(ids[1]),
        ..ListQuery::default()
    };
    assert_eq!(all_pages(&s, Kind::Opportunity, &of_first, 10), ["Deal 1"]);
    assert_eq!(s.count(Kind::Account, &of_first).unwrap(), 1);

    // What cannot order a list is refused.
    for field in ["notes", "tags", "nope"] {
        let q = ListQuery {
            order: ListOrder::Field {
                field: field.into(),
                descending: false,
            },
            ..ListQuery::default()
        };
        let err = s.list_page(Kind::Account, &q).unwrap_err();
        assert!(err.is_bad_input(), "{field}: {err}");
    }
    let q = ListQuery {
        order: ListOrder::Field {
            field: "tags".into(),
            descending: false,
        },
        ..ListQuery::default()
    };
    assert!(matches!(
        s.list_page(Kind::Account, &q),
        Err(ClientError::Rule(Rule::NotSortable(_)))
    ));
}

#[test]
fn the_agenda_splits_tasks_by_day_and_finds_deals_closing_this_month() {
    let (_dir, mut s) = store("alice");
    let acc = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let acc_id = acc.to_string();
    for (title, due) in [
        ("late", "2026-11-02"),
        ("today", "2026-11-05"),
        ("friday", "2026-11-07"),
        ("next week", "2026-11-11"),
        ("later", "2026-12-01"),
    ] {
        s.create(
            Kind::Task,
            &text(&[("title", title), ("due", due), ("account_id", &acc_id)]),
        )
        .unwrap();
    }
    let done = s
        .create(
            Kind::Task,
            &text(&[("title", "done late"), ("due", "2026-11-01")]),
        )
        .unwrap();
    s.update(
        done,
        &[("done".to_string(), Some(FieldValue::Bool(true)))].into(),
    )
    .unwrap();
    for (name, stage, close) in [
        ("this month", "proposal", "2026-11-30"),
        ("first day", "lead", "2026-11-01"),
        ("won already", "won", "2026-11-10"),
        ("next month", "proposal", "2026-12-01"),
    ] {
        s.create(
            Kind::Opportunity,
            &text(&[
                ("account_id", &acc_id),
                ("name", name),
                ("stage", stage),
                ("close_date", close),
            ]),
        )
        .unwrap();
    }
    for (subject, at) in [
        ("older", "2026-11-01T09:00:00Z"),
        ("newer", "2026-11-04T09:00:00Z"),
    ] {
        s.create(
            Kind::Activity,
            &text(&[("account_id", &acc_id), ("subject", subject), ("at", at)]),
        )
        .unwrap();
    }
    let day = s.agenda("2026-11-05").unwrap();
    let titles =
        |v: &[fieldbook_client::RecordView]| v.iter().map(|r| r.title.clone()).collect::<Vec<_>>();
    assert_eq!(day.today, "2026-11-05");
    assert_eq!(titles(&day.overdue), ["late"]);
    assert_eq!(titles(&day.due_today), ["today"]);
    assert_eq!(titles(&day.due_soon), ["friday", "next week"]);
    assert_eq!(titles(&day.closing), ["first day", "this month"]);
    assert_eq!(titles(&day.activities), ["newer", "older"]);
    assert!(s.agenda("5.11.2026").unwrap_err().is_bad_input());
}
