//! The same report on a manager's device (after a sync) and on the server
//! (`GET /v1/reports/NAME`) agree on the same data: two reps' demo books reach the server,
//! the manager's store pulls them, and every report, per currency and converted, is the
//! same JSON from both.

use crate::support::{PASSWORD, TestServer, engine, store};
use fieldbook_client::report::{ReportKind, ReportRequest};
use fieldbook_client::{Cancel, SyncEvent};
use fieldbook_core::protocol::{NewUser, PROTOCOL_HEADER, PROTOCOL_VERSION, Role};
use fieldbook_core::report::{Filter, FunnelBy, GroupBy, Period, RfmRules, StaleRules};
use fieldbook_core::value::parse_date;
use fieldbook_server::access::Requester;
use rust_decimal::Decimal;
use std::str::FromStr;

fn quiet() -> impl FnMut(SyncEvent) {
    |_| {}
}

#[test]
fn a_managers_device_and_the_server_give_the_same_reports() {
    let server = TestServer::start();
    let op = Requester::Operator;
    let user = |name: &str, role: Role, team: Option<&str>| {
        server
            .service
            .add_user(
                &op,
                NewUser {
                    name: name.into(),
                    role,
                    team: team.map(String::from),
                    password: PASSWORD.into(),
                },
            )
            .unwrap();
    };
    user("mia", Role::Manager, None);
    server.service.add_team(&op, "east", "mia").unwrap();
    user("alice", Role::Rep, Some("east"));
    user("bob", Role::Rep, Some("east"));
    user("zoe", Role::Rep, None);
    for (name, seed) in [("alice", 1), ("bob", 2), ("zoe", 3)] {
        let (dir, mut book) = store(name);
        book.demo(1_200, seed, &mut |_, _| {}).unwrap();
        engine(&server, dir.path(), name)
            .sync(&Cancel::new(), &mut quiet())
            .unwrap();
    }
    let (mia_dir, mut mia) = store("mia");
    engine(&server, mia_dir.path(), "mia")
        .sync(&Cancel::new(), &mut quiet())
        .unwrap();
    mia.set_rate("USD", Decimal::from_str("7.10").unwrap(), "CNY")
        .unwrap();
    mia.set_rate("EUR", Decimal::from_str("7.80").unwrap(), "CNY")
        .unwrap();

    let token = server.token("mia");
    let http = reqwest::blocking::Client::new();
    let from_server = |query: &str| -> serde_json::Value {
        let resp = http
            .get(format!("{}/v1/reports/{query}", server.url))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&token)
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200, "{query}");
        resp.json().unwrap()
    };
    let today = parse_date("2026-11-30").unwrap();
    let year = Filter {
        from: parse_date("2026-01-01"),
        to: parse_date("2026-12-31"),
        ..Filter::default()
    };
    let cases: Vec<(ReportKind, Filter, &str)> = vec![
        (
            ReportKind::Pipeline { by: GroupBy::Stage },
            Filter::default(),
            "pipeline",
        ),
        (
            ReportKind::Pipeline { by: GroupBy::Owner },
            Filter::default(),
            "pipeline?by=owner",
        ),
        (
            ReportKind::Forecast { by: Period::Month },
            Filter::default(),
            "forecast",
        ),
        (
            ReportKind::Forecast {
                by: Period::Quarter,
            },
            year.clone(),
            "forecast?by=quarter&from=2026-01-01&to=2026-12-31",
        ),
        (
            ReportKind::Winrate,
            year.clone(),
            "winrate?from=2026-01-01&to=2026-12-31",
        ),
        (
            ReportKind::Stale {
                rules: StaleRules::default(),
            },
            Filter::default(),
            "stale",
        ),
        (
            ReportKind::Rfm {
                rules: RfmRules::default(),
            },
            Filter::default(),
            "rfm",
        ),
        (ReportKind::Activity, Filter::default(), "activity"),
        (
            ReportKind::Funnel {
                by: FunnelBy::Owner,
            },
            Filter::default(),
            "funnel",
        ),
        (
            ReportKind::Funnel {
                by: FunnelBy::Source,
            },
            year,
            "funnel?by=source&from=2026-01-01&to=2026-12-31",
        ),
        (ReportKind::Cases, Filter::default(), "cases"),
        (
            ReportKind::Pipeline { by: GroupBy::Owner },
            Filter {
                owners: Some(vec!["bob".into()]),
                ..Filter::default()
            },
            "pipeline?by=owner&owner=bob",
        ),
    ];
    let mut nonempty = 0;
    for (kind, filter, query) in cases {
        for convert in [false, true] {
            let local = mia
                .report(&ReportRequest {
                    kind: kind.clone(),
                    filter: filter.clone(),
                    currency: convert.then(|| "CNY".to_string()),
                    today: Some(today),
                })
                .unwrap();
            let local = serde_json::to_value(&local).unwrap();
            let sep = if query.contains('?') { '&' } else { '?' };
            let mut q = format!("{query}{sep}today=2026-11-30");
            if convert {
                q.push_str("&currency=CNY&rates=USD:7.10,EUR:7.80");
            }
            let remote = from_server(&q);
            assert_eq!(local, remote, "{q}");
            if local.to_string().len() > 400 {
                nonempty += 1;
            }
        }
    }
    assert!(
        nonempty >= 20,
        "the reports have data to compare: {nonempty}"
    );
    // Zoe (in no team of mia's) is in neither.
    let owners = from_server("pipeline?by=owner&today=2026-11-30");
    let groups: Vec<&str> = owners["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["alice", "bob"]);
}
