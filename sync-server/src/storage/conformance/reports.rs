//! The report projection: every pushed record of a reported kind has its row with its
//! owner, an edit replaces it, a reassignment moves it, a deletion removes it; reads
//! narrow by owner. And the service's reports cover exactly what the asker may see: a rep
//! their own book, a manager their teams, an admin everything; anything else is refused.

use super::Fresh;
use super::fixtures::{Doc, World, text};
use crate::access::Requester;
use crate::error::ServerError;
use crate::service::ReportAsk;
use crate::storage::StorageExt;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{ReassignRequest, Role};
use fieldbook_core::report::{Activities, Book, Deals, Filter, GroupBy, Needs, Report, ReportKind};
use fieldbook_core::value::{Value, parse_date};
use rust_decimal::Decimal;
use uuid::Uuid;

const EVERYTHING: Needs = Needs {
    deals: Deals::All,
    accounts: true,
    activities: Activities::All,
    leads: true,
    cases: true,
};

fn book(w: &World, owners: Option<&[&str]>) -> Book {
    let owners: Option<Vec<String>> = owners.map(|o| o.iter().map(|s| s.to_string()).collect());
    w.service
        .storage()
        .read(move |repo| repo.report_book(&EVERYTHING, owners.as_deref()))
        .unwrap()
}

/// A deal on `account` at `stage` for `amount` EUR, closing on `close`.
fn deal(
    user: &str,
    account: Uuid,
    name: &str,
    stage: &str,
    amount: &str,
    close: &str,
) -> (Doc, fieldbook_core::protocol::ChangeEnvelope) {
    Doc::create(
        Kind::Opportunity,
        user,
        &[
            ("account_id", Value::Ref(Kind::Account, account)),
            ("name", text(name)),
            ("stage", text(stage)),
            ("amount", text(amount)),
            ("currency", text("EUR")),
            ("close_date", text(close)),
        ],
    )
}

pub fn the_report_projection_follows_pushes_moves_and_deletes(fresh: Fresh) {
    let w = World::company(fresh);
    let alice = w.login("alice");
    let (acme, a) = Doc::account("alice", "Acme");
    let (mut pumps, o) = deal(
        "alice",
        acme.id(),
        "Pumps",
        "proposal",
        "1200.50",
        "2026-12-15",
    );
    let (_, v) = Doc::create(
        Kind::Activity,
        "alice",
        &[
            ("account_id", Value::Ref(Kind::Account, acme.id())),
            ("kind", text("visit")),
            ("at", text("2026-11-20T09:30:00Z")),
            ("opportunity_id", Value::Ref(Kind::Opportunity, pumps.id())),
        ],
    );
    let (contact, c) = Doc::child(Kind::Contact, "alice", acme.id(), "Wang Wei");
    assert_eq!(alice.push(vec![a, o, v, c]).accepted, 4);

    let b = book(&w, None);
    assert_eq!(b.accounts.len(), 1, "contacts are not reported: {b:?}");
    assert_eq!(
        (b.accounts[0].id, b.accounts[0].name.as_str()),
        (acme.id(), "Acme")
    );
    assert_eq!(b.accounts[0].owner, "alice");
    let d = &b.deals[0];
    assert_eq!(
        (d.id, d.account_id, d.name.as_str()),
        (pumps.id(), acme.id(), "Pumps")
    );
    assert_eq!((d.stage.as_str(), d.currency.as_str()), ("proposal", "EUR"));
    assert_eq!(d.amount, Some(Decimal::new(120050, 2)));
    assert_eq!(d.probability, 50, "the stage's probability");
    assert_eq!(d.close_date, parse_date("2026-12-15"));
    let act = &b.activities[0];
    assert_eq!((act.kind.as_str(), act.owner.as_str()), ("visit", "alice"));
    assert_eq!(
        (act.on, act.count, act.opportunity_id),
        (parse_date("2026-11-20").unwrap(), 1, None),
        "per owner, kind and day"
    );
    let latest = w
        .service
        .storage()
        .read(|repo| {
            repo.report_book(
                &Needs {
                    activities: Activities::Latest,
                    ..EVERYTHING
                },
                Some(&["alice".to_string()]),
            )
        })
        .unwrap();
    let l = &latest.activities[0];
    assert_eq!(
        (l.on, l.account_id, l.opportunity_id),
        (
            parse_date("2026-11-20").unwrap(),
            acme.id(),
            Some(pumps.id())
        ),
        "the latest day per account and deal"
    );
    assert!(!b.deals.iter().any(|d| d.id == contact.id()));

    // An edit replaces the row.
    assert_eq!(
        alice.push(vec![pumps.set("stage", "negotiation")]).accepted,
        1
    );
    let b = book(&w, None);
    assert_eq!(
        (b.deals.len(), b.deals[0].stage.as_str()),
        (1, "negotiation")
    );
    // Only the deals a report needs are read.
    let open = w
        .service
        .storage()
        .read(|repo| {
            repo.report_book(
                &Needs {
                    deals: Deals::Closed,
                    ..EVERYTHING
                },
                None,
            )
        })
        .unwrap();
    assert!(open.deals.is_empty());

    // A reassignment moves every row of the account.
    w.service
        .reassign(
            &Requester::Operator,
            &ReassignRequest {
                from: None,
                to: "bob".into(),
                accounts: vec![acme.id()],
            },
        )
        .unwrap();
    let alices = book(&w, Some(&["alice"]));
    assert!(alices.accounts.is_empty() && alices.deals.is_empty() && alices.activities.is_empty());
    let bobs = book(&w, Some(&["bob", "zoe"]));
    assert_eq!(
        (bobs.accounts.len(), bobs.deals.len(), bobs.activities.len()),
        (1, 1, 1)
    );
    assert!(bobs.deals.iter().all(|d| d.owner == "bob"));
    assert!(
        book(&w, Some(&[])).accounts.is_empty(),
        "no owners: nothing"
    );

    // A deletion removes the row.
    let bob = w.login("bob");
    let mut bobs_deal = pumps.fork("bob");
    bobs_deal.doc.set_deleted(true).unwrap();
    assert_eq!(bob.push(vec![bobs_deal.commit()]).accepted, 1);
    let b = book(&w, None);
    assert!(b.deals.is_empty(), "{b:?}");
    assert_eq!(b.accounts.len(), 1);
}

fn pipeline(
    w: &World,
    by: &Requester,
    owners: Option<&[&str]>,
    team: Option<&str>,
) -> crate::error::Result<Report> {
    w.service.report(
        by,
        &ReportAsk {
            kind: ReportKind::Pipeline { by: GroupBy::Owner },
            filter: Filter {
                owners: owners.map(|o| o.iter().map(|s| s.to_string()).collect()),
                ..Filter::default()
            },
            team: team.map(String::from),
            currency: None,
            rates: Default::default(),
            today: None,
        },
    )
}

/// The owners of a pipeline-by-owner report's rows.
fn owners(r: crate::error::Result<Report>) -> Vec<String> {
    match r.unwrap() {
        Report::Pipeline(p) => p.rows.into_iter().map(|r| r.group).collect(),
        other => panic!("not a pipeline: {other:?}"),
    }
}

fn forbidden(r: crate::error::Result<Report>) {
    assert!(matches!(r, Err(ServerError::Forbidden(_))), "{r:?}");
}

pub fn reports_cover_what_the_asker_sees(fresh: Fresh) {
    let w = World::company(fresh);
    w.user("walt", Role::Manager, None);
    w.service
        .add_team(&Requester::Operator, "west", "walt")
        .unwrap();
    w.set_team("zoe", Some("west"));
    for user in ["alice", "bob", "zoe"] {
        let device = w.login(user);
        let (account, a) = Doc::account(user, &format!("{user}'s account"));
        let (_, o) = deal(user, account.id(), "Deal", "qualified", "100", "2026-12-01");
        assert_eq!(device.push(vec![a, o]).accepted, 2);
    }
    let (alice, mia, walt) = (
        w.login("alice").user(),
        w.login("mia").user(),
        w.login("walt").user(),
    );
    let root = w.login("root").user();

    assert_eq!(owners(pipeline(&w, &alice, None, None)), ["alice"]);
    assert_eq!(owners(pipeline(&w, &mia, None, None)), ["alice", "bob"]);
    assert_eq!(
        owners(pipeline(&w, &mia, None, Some("east"))),
        ["alice", "bob"]
    );
    assert_eq!(
        owners(pipeline(&w, &mia, Some(&["bob"]), Some("east"))),
        ["bob"]
    );
    assert_eq!(owners(pipeline(&w, &walt, None, None)), ["zoe"]);
    assert_eq!(
        owners(pipeline(&w, &root, None, None)),
        ["alice", "bob", "zoe"]
    );
    assert_eq!(owners(pipeline(&w, &root, None, Some("west"))), ["zoe"]);

    // Asking beyond one's scope is refused, never narrowed.
    forbidden(pipeline(&w, &alice, Some(&["bob"]), None));
    forbidden(pipeline(&w, &alice, None, Some("east")));
    forbidden(pipeline(&w, &alice, None, Some("west")));
    forbidden(pipeline(&w, &mia, None, Some("west")));
    forbidden(pipeline(&w, &mia, Some(&["zoe"]), None));
    forbidden(pipeline(&w, &walt, Some(&["alice", "zoe"]), None));
    let r = pipeline(&w, &root, None, Some("north"));
    assert!(matches!(r, Err(ServerError::NotFound(_))), "{r:?}");
}
