//! The library's side of trust: a store signs in only as its user, to its server
//! (structured errors, checked before any password is sent); `reset` and `logout` say what
//! waits; refusals the server told are kept; a rep's product is refused at once; a record a
//! merge left breaking a rule needs attention but never blocks another edit; parent loops;
//! product lines in the quote's currency; demo quotes priced; the attention of records
//! stored before schema 3 is filled in when the store is upgraded.

use crate::store::downgrade_to_schema_2;
use crate::support::{TestServer, engine, store, text};
use fieldbook_client::{Cancel, ClientError, Kind, ListQuery, Rule, Store, SyncEngine};
use fieldbook_core::CoreError;

#[test]
fn a_store_signs_in_only_as_its_user_and_only_to_its_server() {
    let server = TestServer::start();
    server.rep("alice");
    server.rep("carl");
    let other = TestServer::start();
    other.rep("alice");
    let (dir, _s) = store("alice");
    let mut e = SyncEngine::open(dir.path()).unwrap();
    // Refused before the request: the password is never sent for carl.
    let wrong = e
        .login(&server.url, "carl", "not even tried", None)
        .unwrap_err();
    assert!(
        matches!(&wrong, ClientError::WrongUser { store_user, given } if store_user == "alice" && given == "carl"),
        "{wrong:?}"
    );
    assert!(wrong.is_bad_input());
    assert!(matches!(
        e.login(&server.url, "no such user", "x", None),
        Err(ClientError::Core(CoreError::InvalidName { .. }))
    ));
    e.login(&server.url, "alice", crate::support::PASSWORD, None)
        .unwrap();
    let wrong = e
        .login(&other.url, "alice", crate::support::PASSWORD, None)
        .unwrap_err();
    assert!(
        matches!(&wrong, ClientError::WrongServer { bound, given } if *bound == server.url && *given == other.url),
        "{wrong:?}"
    );
    // The same server, written with a trailing slash, is the same server.
    e.login(
        &format!("{}/", server.url),
        "alice",
        crate::support::PASSWORD,
        None,
    )
    .unwrap();
    assert_eq!(
        e.store().sync_status().unwrap().user.as_deref(),
        Some("alice")
    );
}

#[test]
fn logout_counts_what_waits_and_reset_refuses_to_lose_it() {
    let server = TestServer::start();
    server.rep("alice");
    let (dir, mut s) = store("alice");
    let mut e = engine(&server, dir.path(), "alice");
    s.create(Kind::Account, &text(&[("name", "Acme")])).unwrap();
    let out = e.logout().unwrap();
    assert!(out.server_told);
    assert_eq!(out.pending, 1);
    let refused = e.reset(false).unwrap_err();
    assert!(
        matches!(refused, ClientError::ChangesWaiting { count: 1 }),
        "{refused:?}"
    );
    assert_eq!(s.outbox_len().unwrap(), 1, "nothing changed");
    let done = e.reset(true).unwrap();
    assert_eq!(done.discarded, 1);
    assert!(s.is_wiped());
    assert!(!dir.path().join("fieldbook.db").exists());
}

#[test]
fn what_the_server_refused_is_kept_and_a_reps_product_is_refused_at_once() {
    let server = TestServer::start();
    server.rep("alice");
    let (dir, mut s) = store("alice");
    // Before the first sign-in the role is unknown: the product goes up, and is refused.
    let product = s
        .create(Kind::Product, &text(&[("sku", "P-1"), ("name", "Pump")]))
        .unwrap();
    let mut e = engine(&server, dir.path(), "alice");
    let report = e.sync(&Cancel::new(), &mut |_| {}).unwrap();
    assert_eq!(report.refused.len(), 1);
    let refused = Store::open(dir.path())
        .unwrap()
        .sync_status()
        .unwrap()
        .refused;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].doc_id, product);
    assert_eq!(refused[0].hash, report.refused[0].hash);
    // A second sync does not forget it.
    e.sync(&Cancel::new(), &mut |_| {}).unwrap();
    assert_eq!(s.sync_status().unwrap().refused.len(), 1);
    let e = s
        .create(Kind::Product, &text(&[("sku", "P-2")]))
        .unwrap_err();
    assert!(
        matches!(e, ClientError::Rule(Rule::ProductsAreForAdmins { .. })),
        "{e:?}"
    );
    assert!(
        s.update(product, &text(&[("name", "Pump 2")])).is_err(),
        "editing a product is the admins' too"
    );
}

#[test]
fn a_record_that_needs_attention_blocks_no_edit_of_another_field() {
    let (_a, mut laptop) = store("alice");
    let (_b, mut phone) = store("alice");
    let acc = laptop
        .create(Kind::Account, &text(&[("name", "Acme")]))
        .unwrap();
    let deal = laptop
        .create(
            Kind::Opportunity,
            &text(&[
                ("account_id", &acc.to_string()),
                ("name", "Deal"),
                ("stage", "negotiation"),
                ("loss_reason", "price"),
            ]),
        )
        .unwrap();
    let carry = |from: &Store, to: &mut Store| {
        let file = tempfile::NamedTempFile::new().unwrap();
        from.bundle(file.path(), &mut |_, _| {}).unwrap();
        to.absorb(file.path(), &mut |_, _| {}).unwrap();
    };
    carry(&laptop, &mut phone);
    laptop.update(deal, &text(&[("stage", "lost")])).unwrap();
    let mut clear = fieldbook_client::FieldValues::new();
    clear.insert("loss_reason".into(), None);
    phone.update(deal, &clear).unwrap();
    carry(&laptop, &mut phone);
    let r = phone.record(deal).unwrap();
    assert_eq!(r.attention.len(), 1);
    assert_eq!(r.attention[0].rule, "lost_needs_reason");
    let listed = phone
        .list(Kind::Opportunity, &ListQuery::default())
        .unwrap();
    assert_eq!(listed[0].attention, r.attention, "lists carry it too");
    phone.update(deal, &text(&[("amount", "100")])).unwrap();
    let e = phone.update(deal, &text(&[("stage", "lost")])).unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "lost_needs_reason",
                ..
            })
        ),
        "{e:?}"
    );
    phone
        .update(deal, &text(&[("loss_reason", "budget")]))
        .unwrap();
    assert!(phone.record(deal).unwrap().attention.is_empty());
    assert!(
        phone
            .list(Kind::Opportunity, &ListQuery::default())
            .unwrap()[0]
            .attention
            .is_empty()
    );
}

#[test]
fn parent_loops_are_refused() {
    let (_d, mut s) = store("alice");
    let a = s.create(Kind::Account, &text(&[("name", "A")])).unwrap();
    let b = s
        .create(
            Kind::Account,
            &text(&[("name", "B"), ("parent_id", &a.to_string())]),
        )
        .unwrap();
    let e = s
        .update(a, &text(&[("parent_id", &b.to_string())]))
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "no_parent_cycle",
                ..
            })
        ),
        "{e:?}"
    );
    let e = s
        .update(a, &text(&[("parent_id", &a.to_string())]))
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Core(CoreError::RuleBroken {
                rule: "not_own_parent",
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn product_lines_take_the_price_in_the_quotes_currency_and_demo_quotes_are_priced() {
    let (_d, mut s) = store("alice");
    let acc = s.create(Kind::Account, &text(&[("name", "A")])).unwrap();
    let deal = s
        .create(
            Kind::Opportunity,
            &text(&[("account_id", &acc.to_string()), ("name", "D")]),
        )
        .unwrap();
    let quote = s
        .create(Kind::Quote, &text(&[("opportunity_id", &deal.to_string())]))
        .unwrap();
    let usd = s
        .create(
            Kind::Product,
            &text(&[("sku", "U"), ("unit_price", "100"), ("currency", "USD")]),
        )
        .unwrap();
    let e = s
        .add_quote_line(quote, &text(&[("product_id", &usd.to_string())]))
        .unwrap_err();
    assert!(
        matches!(&e, ClientError::Rule(Rule::CurrencyDiffers { product, quote }) if product == "USD" && quote == "EUR"),
        "{e:?}"
    );
    assert!(s.record(quote).unwrap().lines.is_empty());

    let (_d, mut demo) = store("alice");
    demo.demo(600, 11, &mut |_, _| {}).unwrap();
    let quotes = demo.list(Kind::Quote, &ListQuery::default()).unwrap();
    assert!(!quotes.is_empty());
    for q in quotes {
        assert!(!q.lines.is_empty());
        let total = q.totals.unwrap().total;
        assert_ne!(
            total.trim_start_matches(['0', '.']),
            "",
            "{} totals {total}",
            q.title
        );
    }
    let before = demo.outbox_len().unwrap();
    let e = demo.demo(600, 11, &mut |_, _| {}).unwrap_err();
    assert!(
        matches!(e, ClientError::DemoAlreadyAdded { seed: 11 }),
        "{e:?}"
    );
    assert_eq!(demo.outbox_len().unwrap(), before);
}

#[test]
fn records_from_before_schema_3_get_their_attention_at_the_upgrade() {
    let (dir, mut s) = store("alice");
    let acc = s.create(Kind::Account, &text(&[("name", "A")])).unwrap();
    let deal = s
        .create(
            Kind::Opportunity,
            &text(&[("account_id", &acc.to_string()), ("name", "D")]),
        )
        .unwrap();
    drop(s);
    let path = dir.path().join("fieldbook.db");
    downgrade_to_schema_2(&path);
    // What an older program's merge could leave: lost, without a reason.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE p_opportunity SET stage = 'lost', loss_reason = NULL WHERE id = ?1",
            [deal.to_string()],
        )
        .unwrap();
    let s = Store::open(dir.path()).unwrap();
    let listed = s.list(Kind::Opportunity, &ListQuery::default()).unwrap();
    assert_eq!(listed[0].attention.len(), 1, "{listed:?}");
    assert_eq!(listed[0].attention[0].rule, "lost_needs_reason");
}
