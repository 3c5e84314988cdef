//! Leads, cases and reminders over real store files: a lead converted in one transaction
//! (new account, existing account, with and without an opportunity; its history kept and
//! found from the account; nothing written when one part is refused), cases' due dates
//! from their priority and the store's settings, and reminders read from projections,
//! dismissed, snoozed and turned into a renewal opportunity.

use crate::support::{store, text};
use fieldbook_client::edit::{AccountChoice, Conversion};
use fieldbook_client::settings::Setting;
use fieldbook_client::{ClientError, FieldValue, Kind, Rule, Store};
use fieldbook_core::CoreError;
use fieldbook_core::reminders::Reason;
use fieldbook_core::value::format_date;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

fn field(s: &Store, id: Uuid, name: &str) -> Option<String> {
    s.record(id).unwrap().fields.get(name).map(|v| match v {
        FieldValue::Text(t) => t.clone(),
        other => other.to_json().to_string(),
    })
}

fn lead(s: &mut Store, name: &str, company: Option<&str>) -> Uuid {
    let mut v = vec![
        ("name", name),
        ("title", "Buyer"),
        ("phone", "+86 532 8888 0000"),
    ];
    if let Some(c) = company {
        v.push(("company", c));
    }
    v.push(("source", "fair"));
    s.create(Kind::Lead, &text(&v)).unwrap()
}

fn count(s: &Store, kind: Kind) -> usize {
    s.list(kind, &Default::default()).unwrap().len()
}

#[test]
fn a_lead_converts_into_a_new_account_and_contact_and_keeps_its_history() {
    let (_dir, mut s) = store("alice");
    let l = lead(&mut s, "Wang Wei", Some("青岛啤酒股份有限公司"));
    s.update(l, &text(&[("status", "qualified")])).unwrap();
    let done = s
        .convert_lead(
            l,
            &Conversion {
                account: AccountChoice::New,
                opportunity: None,
            },
        )
        .unwrap();
    assert!(done.account_created && done.opportunity.is_none());
    assert_eq!(
        field(&s, done.account, "name").as_deref(),
        Some("青岛啤酒股份有限公司")
    );
    assert_eq!(field(&s, done.contact, "name").as_deref(), Some("Wang Wei"));
    assert_eq!(field(&s, done.contact, "title").as_deref(), Some("Buyer"));
    assert_eq!(
        field(&s, done.contact, "account_id"),
        Some(done.account.to_string())
    );
    assert_eq!(field(&s, l, "status").as_deref(), Some("converted"));
    assert_eq!(field(&s, l, "account_id"), Some(done.account.to_string()));
    assert_eq!(field(&s, l, "contact_id"), Some(done.contact.to_string()));
    assert!(field(&s, l, "converted_at").is_some());
    // The account finds its lead, whose history is whole: captured, qualified, converted.
    let from: Vec<Uuid> = s
        .leads_of_account(done.account)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(from, [l]);
    let statuses: Vec<_> = s
        .history(l)
        .unwrap()
        .into_iter()
        .filter(|h| h.field == "status")
        .map(|h| h.to)
        .collect();
    assert_eq!(
        statuses,
        ["new", "qualified", "converted"].map(|v| Some(FieldValue::Text(v.into())))
    );
    // Converting again is refused and writes nothing.
    let again = s.convert_lead(
        l,
        &Conversion {
            account: AccountChoice::New,
            opportunity: None,
        },
    );
    assert!(matches!(
        again,
        Err(ClientError::Rule(Rule::AlreadyConverted { .. }))
    ));
    assert_eq!((count(&s, Kind::Account), count(&s, Kind::Contact)), (1, 1));
}

#[test]
fn a_lead_attaches_to_an_existing_account_with_an_opportunity_offered_by_name() {
    let (_dir, mut s) = store("alice");
    let acme = s
        .create(Kind::Account, &text(&[("name", "ACME GmbH")]))
        .unwrap();
    s.create(Kind::Account, &text(&[("name", "Northwind")]))
        .unwrap();
    let l = lead(&mut s, "Anna Roth", Some("Acme"));
    let offered = s.account_matches(l).unwrap();
    assert_eq!(offered.iter().map(|m| m.id).collect::<Vec<_>>(), [acme]);
    assert_eq!(offered[0].score, 1.0);
    let opp = text(&[("name", "Pumps 2027"), ("amount", "12000")]);
    let done = s
        .convert_lead(
            l,
            &Conversion {
                account: AccountChoice::Existing { id: acme },
                opportunity: Some(opp),
            },
        )
        .unwrap();
    assert_eq!((done.account, done.account_created), (acme, false));
    let o = done.opportunity.expect("an opportunity");
    assert_eq!(field(&s, o, "account_id"), Some(acme.to_string()));
    assert_eq!(field(&s, o, "stage").as_deref(), Some("qualified"));
    assert_eq!(field(&s, o, "amount").as_deref(), Some("12000"));
    assert_eq!(field(&s, l, "opportunity_id"), Some(o.to_string()));
    assert_eq!(count(&s, Kind::Account), 2, "no new account");
    // The lead shows in search, and in the funnel as a won deal once the deal is won.
    assert!(s.search("Anna", 10).unwrap().iter().any(|h| h.id == l));
}

#[test]
fn a_refused_conversion_writes_nothing() {
    let (_dir, mut s) = store("alice");
    let l = lead(&mut s, "Li Na", None);
    // No company to name a new account after.
    let e = s
        .convert_lead(
            l,
            &Conversion {
                account: AccountChoice::New,
                opportunity: None,
            },
        )
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Rule(Rule::LeadWithoutCompany(_))),
        "{e}"
    );
    // An opportunity the rules refuse (lost without a reason): no account, no contact.
    let l2 = lead(&mut s, "Zhang San", Some("Haier"));
    let e = s
        .convert_lead(
            l2,
            &Conversion {
                account: AccountChoice::New,
                opportunity: Some(text(&[("name", "Fridges"), ("stage", "lost")])),
            },
        )
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Core(CoreError::RuleBroken { .. })),
        "{e}"
    );
    // An account that is a contact's id.
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let c = s
        .create(
            Kind::Contact,
            &text(&[("account_id", &acme.to_string()), ("name", "X")]),
        )
        .unwrap();
    let e = s
        .convert_lead(
            l2,
            &Conversion {
                account: AccountChoice::Existing { id: c },
                opportunity: None,
            },
        )
        .unwrap_err();
    assert!(matches!(e, ClientError::BadReference { .. }), "{e}");
    assert_eq!(
        (
            count(&s, Kind::Account),
            count(&s, Kind::Contact),
            count(&s, Kind::Opportunity)
        ),
        (1, 1, 0)
    );
    assert_eq!(field(&s, l2, "status").as_deref(), Some("new"));
    // A lead's links are the conversion's to write.
    let e = s
        .update(l2, &text(&[("account_id", &acme.to_string())]))
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Core(CoreError::NotEditable { .. })),
        "{e}"
    );
    // Converted only by converting.
    let e = s.update(l2, &text(&[("status", "converted")])).unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "converted_needs_account",
                ..
            })
        ),
        "{e}"
    );
    // Disqualified needs a reason.
    let e = s
        .update(l2, &text(&[("status", "disqualified")]))
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "disqualified_needs_reason",
                ..
            })
        ),
        "{e}"
    );
    s.update(
        l2,
        &text(&[
            ("status", "disqualified"),
            ("disqualify_reason", "no budget"),
        ]),
    )
    .unwrap();
}

#[test]
fn cases_are_due_by_priority_and_the_stores_settings() {
    let (_dir, mut s) = store("alice");
    let today = OffsetDateTime::now_utc().date();
    let day = |d: i64| format_date(today + Duration::days(d));
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let a = acme.to_string();
    let case = |s: &mut Store, extra: &[(&str, &str)]| {
        let mut v = vec![("account_id", a.as_str()), ("subject", "Pump leaks")];
        v.extend_from_slice(extra);
        s.create(Kind::Case, &text(&v)).unwrap()
    };
    for (priority, days) in [("urgent", 1), ("high", 3), ("normal", 7), ("low", 14)] {
        let c = case(&mut s, &[("priority", priority)]);
        assert_eq!(field(&s, c, "due"), Some(day(days)), "{priority}");
    }
    let c = case(&mut s, &[]);
    assert_eq!(field(&s, c, "priority").as_deref(), Some("normal"));
    assert_eq!(field(&s, c, "status").as_deref(), Some("new"));
    assert_eq!(field(&s, c, "due"), Some(day(7)));
    assert_eq!(field(&s, c, "assignee").as_deref(), Some("alice"));
    // Given: kept.
    let c = case(&mut s, &[("priority", "urgent"), ("due", "2030-01-01")]);
    assert_eq!(field(&s, c, "due").as_deref(), Some("2030-01-01"));
    // The store's settings.
    s.set_preference(Setting::parse("case_due.urgent").unwrap(), 2)
        .unwrap();
    let c = case(&mut s, &[("priority", "urgent")]);
    assert_eq!(field(&s, c, "due"), Some(day(2)));
    assert!(Setting::parse("case_due.whenever").is_err());
    assert!(s.set_preference(Setting::RenewalDays, -1).is_err());
    assert_eq!(s.preferences().unwrap().case_due_days.days("urgent"), 2);

    // Resolved needs a resolution; resolving stamps the time, reopening clears it.
    let e = s.update(c, &text(&[("status", "resolved")])).unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "resolved_needs_resolution",
                ..
            })
        ),
        "{e}"
    );
    s.update(
        c,
        &text(&[("status", "resolved"), ("resolution", "new seal")]),
    )
    .unwrap();
    assert!(field(&s, c, "resolved_at").is_some());
    s.update(c, &text(&[("status", "in_progress")])).unwrap();
    assert!(field(&s, c, "resolved_at").is_none());
    // A case's contact is one of its account's.
    let other = s
        .create(Kind::Account, &text(&[("name", "Other")]))
        .unwrap();
    let stranger = s
        .create(
            Kind::Contact,
            &text(&[("account_id", &other.to_string()), ("name", "Stranger")]),
        )
        .unwrap();
    let e = s
        .update(c, &text(&[("contact_id", &stranger.to_string())]))
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Rule(Rule::ContactOfAnotherAccount { .. })),
        "{e}"
    );
}

#[test]
fn reminders_from_projections_dismissed_snoozed_and_renewed() {
    let (_dir, mut s) = store("alice");
    let today = OffsetDateTime::now_utc().date();
    let day = |d: i64| format_date(today + Duration::days(d));
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let a = acme.to_string();
    let product = s
        .create(
            Kind::Product,
            &text(&[("sku", "P-1"), ("name", "Pump"), ("unit_price", "500")]),
        )
        .unwrap();
    let deal = |s: &mut Store, name: &str, stage: &str, close: String, renewal: Option<String>| {
        let mut v = vec![
            ("account_id", a.clone()),
            ("name", name.to_string()),
            ("stage", stage.to_string()),
            ("amount", "1000".to_string()),
            ("close_date", close),
        ];
        if let Some(r) = renewal {
            v.push(("renewal_date", r));
        }
        if stage == "lost" {
            v.push(("loss_reason", "price".to_string()));
        }
        let pairs: Vec<(&str, &str)> = v.iter().map(|(f, x)| (*f, x.as_str())).collect();
        s.create(Kind::Opportunity, &text(&pairs)).unwrap()
    };
    // Wins 60 and 58 days apart (a lost deal in between): median 59, last 30 days ago ->
    // a reorder due in 29 days: not yet (14); the contract's renewal in 45 days: yes (60).
    deal(&mut s, "First", "won", day(-148), None);
    deal(&mut s, "Second", "won", day(-88), None);
    deal(&mut s, "Lost one", "lost", day(-50), Some(day(10)));
    let third = deal(&mut s, "Service contract", "won", day(-30), Some(day(45)));
    let quote = s
        .create(
            Kind::Quote,
            &text(&[
                ("opportunity_id", &third.to_string()),
                ("status", "accepted"),
            ]),
        )
        .unwrap();
    s.add_quote_line(
        quote,
        &text(&[("product_id", &product.to_string()), ("quantity", "2")]),
    )
    .unwrap();
    let due = s.reminders(today).unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    let renewal = &due[0];
    assert_eq!(renewal.reminder.key, format!("renewal:{third}"));
    assert_eq!(renewal.reminder.days_left, 45);
    assert_eq!(renewal.account, "Acme");
    // 20 days later the reorder is due as well (in 9 days), with its reason.
    let later = s.reminders(today + Duration::days(20)).unwrap();
    let reorder = later
        .iter()
        .find(|r| matches!(r.reminder.reason, Reason::Reorder { .. }))
        .expect("a reorder");
    assert_eq!(reorder.reminder.days_left, 9);
    assert_eq!(
        reorder.text,
        format!("bought every ~59 days; last {}", day(-30))
    );
    // Only a renewal renews.
    assert!(matches!(
        s.renew(&reorder.reminder.key, today + Duration::days(20)),
        Err(ClientError::Rule(Rule::NotARenewal(_)))
    ));
    // A shorter lead time on the account: no renewal reminder yet.
    s.update(
        acme,
        &[("renewal_days".to_string(), Some(FieldValue::Int(30)))].into(),
    )
    .unwrap();
    assert!(s.reminders(today).unwrap().is_empty());
    s.update(acme, &[("renewal_days".to_string(), None)].into())
        .unwrap();

    // Snoozed for 3 days, then back; dismissed for good.
    let key = s
        .dismiss_reminder("renewal:", Some(today + Duration::days(3)), today)
        .unwrap();
    assert_eq!(key, format!("renewal:{third}"), "a key's start is enough");
    assert!(s.reminders(today).unwrap().is_empty());
    assert_eq!(s.reminders(today + Duration::days(3)).unwrap().len(), 1);
    s.dismiss_reminder(&key, None, today).unwrap();
    assert!(s.reminders(today + Duration::days(3)).unwrap().is_empty());
    assert_eq!(count(&s, Kind::Dismissal), 1, "one record per reminder");
    assert!(
        s.search("renewal", 10).unwrap().is_empty(),
        "personal: not searched"
    );
    assert!(matches!(
        s.dismiss_reminder("reorder:nothing", None, today),
        Err(ClientError::Rule(Rule::UnknownReminder(_)))
    ));

    // Renewing (a dismissed reminder too): the opportunity, prefilled and linked, and a
    // draft quote with the products of the accepted quote; the reminder ends.
    let r = s.renew(&key, today).unwrap();
    assert_eq!(r.renews, third);
    let o = r.opportunity;
    assert_eq!(
        field(&s, o, "name").as_deref(),
        Some("Service contract (renewal)")
    );
    assert_eq!(field(&s, o, "account_id"), Some(a.clone()));
    assert_eq!(field(&s, o, "amount").as_deref(), Some("1000"));
    assert_eq!(field(&s, o, "renews_id"), Some(third.to_string()));
    assert_eq!(field(&s, o, "close_date"), Some(day(45)));
    let q = s.record(r.quote.expect("a quote")).unwrap();
    assert_eq!(q.lines.len(), 1);
    assert_eq!(
        q.lines[0].fields.get("product_id"),
        Some(&FieldValue::Text(product.to_string()))
    );
    assert_eq!(
        q.lines[0].fields.get("quantity"),
        Some(&FieldValue::Text("2".into()))
    );
    assert_eq!(
        q.fields.get("status"),
        Some(&FieldValue::Text("draft".into()))
    );
    assert!(matches!(
        s.renew(&key, today),
        Err(ClientError::Rule(Rule::UnknownReminder(_)))
    ));
    // The renewal deal is a deal opened after the last win: no reorder is due now.
    assert!(s.reminders(today + Duration::days(20)).unwrap().is_empty());
}

#[test]
fn overdue_cases_are_reminders_of_their_assignee_and_owner() {
    let (_dir, mut s) = store("alice");
    let today = OffsetDateTime::now_utc().date();
    let acme = s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let c = s
        .create(
            Kind::Case,
            &text(&[
                ("account_id", &acme.to_string()),
                ("subject", "Pump leaks"),
                ("priority", "urgent"),
                ("assignee", "bob"),
            ]),
        )
        .unwrap();
    assert!(s.reminders(today).unwrap().is_empty(), "due tomorrow");
    let due = s.reminders(today + Duration::days(3)).unwrap();
    assert_eq!(due.len(), 1);
    assert!(matches!(&due[0].reminder.reason, Reason::OverdueCase { case, .. } if *case == c));
    assert_eq!(due[0].reminder.days_left, -2);
    s.update(c, &text(&[("status", "resolved"), ("resolution", "done")]))
        .unwrap();
    assert!(s.reminders(today + Duration::days(3)).unwrap().is_empty());
}

#[test]
fn merging_duplicate_accounts_carries_their_cases_and_leads_over() {
    let (_dir, mut s) = store("alice");
    let keep = s
        .create(Kind::Account, &text(&[("name", "Haier")]))
        .unwrap();
    let other = s
        .create(Kind::Account, &text(&[("name", "Haier Group")]))
        .unwrap();
    let l = lead(&mut s, "Zhang Wei", Some("Haier"));
    s.convert_lead(
        l,
        &Conversion {
            account: AccountChoice::Existing { id: other },
            opportunity: None,
        },
    )
    .unwrap();
    let case = s
        .create(
            Kind::Case,
            &text(&[
                ("account_id", &other.to_string()),
                ("subject", "Fridge too warm"),
                ("priority", "high"),
            ]),
        )
        .unwrap();
    let report = s.merge(keep, other, &[]).unwrap();
    // The case is created again under the kept account, linked from the old one.
    let moved = report
        .moved
        .iter()
        .find(|m| m.from == case)
        .expect("the case moved");
    assert_eq!(field(&s, moved.to, "account_id"), Some(keep.to_string()));
    assert_eq!(
        field(&s, moved.to, "subject").as_deref(),
        Some("Fridge too warm")
    );
    assert_eq!(field(&s, case, "merged_into"), Some(moved.to.to_string()));
    // The lead now hangs on the kept account: its history is found there.
    assert_eq!(field(&s, l, "account_id"), Some(keep.to_string()));
    let from: Vec<Uuid> = s
        .leads_of_account(keep)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(from, [l]);
}
