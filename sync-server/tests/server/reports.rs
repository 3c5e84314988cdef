//! `GET /v1/reports/{name}` over HTTP: figures from the server's own data, limited to what
//! the token's user sees; the refusals an attacker meets (another team's owners or team, a
//! rep's token, a deactivated user's token, bad parameters); and the report projection
//! filled for data stored before it existed.

use crate::support::{TestServer, account, company, opportunity, text};
use fieldbook_core::protocol::{DeactivateRequest, Role};
use fieldbook_core::value::Value;
use fieldbook_server::SqliteStorage;
use fieldbook_server::access::Requester;
use fieldbook_server::service::Service;
use std::sync::Arc;

/// Each rep of the company (and walt's rep zoe, team west) with one account and one open
/// deal of 1000 EUR in proposal (50 %).
async fn with_deals() -> TestServer {
    let s = company().await;
    s.user("walt", Role::Manager, None);
    s.team("west", "walt");
    s.service
        .update_user(
            &Requester::Operator,
            "zoe",
            fieldbook_server::service::UserChange {
                team: Some(Some("west".into())),
                ..Default::default()
            },
        )
        .unwrap();
    for user in ["alice", "bob", "zoe"] {
        let device = s.login(user).await;
        let (a, ae) = account(user, &format!("{user} GmbH"));
        let (mut o, oe) = opportunity(user, a.id(), "Pumps");
        let edit = [
            o.set("stage", text("proposal")),
            o.set("amount", text("1000")),
            o.set("currency", text("EUR")),
            o.set("close_date", Value::Str("2026-12-20".into())),
        ];
        let mut changes = vec![ae, oe];
        changes.extend(edit);
        let (status, r) = device.push(changes).await;
        assert_eq!((status, r.accepted), (200, 6), "{r:?}");
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_gets_the_teams_pipeline_from_the_server() {
    let s = with_deals().await;
    let mia = s.login("mia").await;
    let (status, body) = mia.get("/v1/reports/pipeline?by=owner").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["report"], "pipeline");
    let groups: Vec<&str> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["alice", "bob"], "{body}");
    assert_eq!(body["total"]["count"], 2);
    assert_eq!(body["total"]["amount"]["EUR"], "2000.00");
    assert_eq!(body["total"]["weighted"]["EUR"], "1000.00");

    // Converted with rates given in the request.
    let (status, body) = mia
        .get("/v1/reports/pipeline?team=east&currency=CNY&rates=EUR:7.5")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"]["amount"]["CNY"], "15000.00", "{body}");
    assert_eq!(body["currencies"]["mode"], "converted");

    // Every report answers.
    for name in [
        "forecast?by=quarter",
        "winrate?from=2026-01-01&to=2026-12-31",
        "stale?days=10&account_days=20&today=2027-01-15",
        "rfm?window_days=400",
        "activity",
        "funnel?by=source",
        "cases",
    ] {
        let (status, body) = mia.get(&format!("/v1/reports/{name}")).await;
        assert_eq!(status, 200, "{name}: {body}");
    }
    let (_, stale) = mia.get("/v1/reports/stale?today=2027-01-15").await;
    assert_eq!(stale["deals"].as_array().unwrap().len(), 2, "{stale}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_beyond_the_askers_scope_are_refused() {
    let s = with_deals().await;
    let alice = s.login("alice").await;
    // A rep: own book only.
    let (status, body) = alice.get("/v1/reports/pipeline?by=owner").await;
    assert_eq!(status, 200);
    assert_eq!(body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(body["rows"][0]["group"], "alice");
    for attack in [
        "/v1/reports/pipeline?owner=bob",
        "/v1/reports/pipeline?owner=alice,zoe",
        "/v1/reports/pipeline?team=west",
        "/v1/reports/pipeline?team=east",
        "/v1/reports/rfm?owner=zoe",
    ] {
        let (status, body) = alice.get(attack).await;
        assert_eq!(status, 403, "{attack}: {body}");
        assert_eq!(body["error"], "forbidden", "{body}");
    }
    // A manager: not another team's.
    let mia = s.login("mia").await;
    for attack in [
        "/v1/reports/stale?team=west",
        "/v1/reports/forecast?owner=zoe",
    ] {
        let (status, body) = mia.get(attack).await;
        assert_eq!(status, 403, "{attack}: {body}");
    }
    // Bad parameters: 400 (or 404 for an unknown report), saying what to write.
    for (bad, want) in [
        ("/v1/reports/pipeline?by=month", 400),
        ("/v1/reports/pipeline?from=yesterday", 400),
        ("/v1/reports/pipeline?currency=XYZ", 400),
        ("/v1/reports/pipeline?rates=EUR:7", 400),
        ("/v1/reports/pipeline?currency=CNY&rates=EUR", 400),
        ("/v1/reports/stale?days=0", 400),
        ("/v1/reports/pipeline?colour=red", 400),
        ("/v1/reports/salaries", 404),
    ] {
        let (status, body) = mia.get(bad).await;
        assert_eq!(status, want, "{bad}: {body}");
        assert!(body["message"].as_str().unwrap().len() > 10, "{body}");
    }
    // No token, another's made-up token: 401.
    let resp = reqwest::Client::new()
        .get(format!("{}/v1/reports/pipeline", s.url))
        .header(fieldbook_core::protocol::PROTOCOL_HEADER, "1")
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // A deactivated user's token: 410, nothing of the report.
    let bob = s.login("bob").await;
    s.service
        .deactivate(
            &Requester::Operator,
            &DeactivateRequest {
                user: "bob".into(),
                successor: "alice".into(),
            },
        )
        .unwrap();
    let (status, body) = bob.get("/v1/reports/pipeline").await;
    assert_eq!(status, 410, "{body}");
    assert!(body.get("rows").is_none());
    // Bob's deal is alice's now, in her report.
    let (_, body) = alice.get("/v1/reports/pipeline").await;
    assert_eq!(body["total"]["count"], 2, "{body}");
}

#[test]
fn the_report_projection_is_filled_for_data_stored_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
    let service = Service::new(storage.clone());
    service
        .add_user(
            &Requester::Operator,
            fieldbook_core::protocol::NewUser {
                name: "alice".into(),
                role: Role::Rep,
                team: None,
                password: crate::support::PASSWORD.into(),
            },
        )
        .unwrap();
    let login = service
        .login(&fieldbook_core::protocol::LoginRequest {
            user: "alice".into(),
            password: crate::support::PASSWORD.into(),
            device_name: "laptop".into(),
        })
        .unwrap();
    let session = service
        .authenticate(&fieldbook_server::auth::token_hash(&login.token))
        .unwrap();
    let (a, ae) = account("alice", "Acme");
    let (mut o, oe) = opportunity("alice", a.id(), "Pumps");
    let staged = o.set("stage", text("qualified"));
    service
        .push(
            &session,
            fieldbook_core::protocol::PushRequest {
                protocol: fieldbook_core::protocol::PROTOCOL_VERSION,
                changes: vec![ae, oe, staged],
                pending: 0,
                log_id: None,
            },
        )
        .unwrap();
    drop((service, storage));
    // As a server of schema 4 left it: no projection (and none of schema 6's sign-in
    // guard, which comes after it).
    let conn = rusqlite::Connection::open(dir.path().join("server.db")).unwrap();
    conn.execute_batch(
        "DROP INDEX tokens_device;
         ALTER TABLE tokens DROP COLUMN expires_at;
         ALTER TABLE users DROP COLUMN failed_logins;
         ALTER TABLE users DROP COLUMN last_failed_login;
         ALTER TABLE users DROP COLUMN locked_at;
         DROP TABLE report_rows;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);

    let service = Service::new(Arc::new(SqliteStorage::open(dir.path()).unwrap()));
    let report = service
        .report(
            &Requester::Operator,
            &fieldbook_server::service::ReportAsk {
                kind: fieldbook_core::report::ReportKind::Pipeline {
                    by: fieldbook_core::report::GroupBy::Owner,
                },
                filter: Default::default(),
                team: None,
                currency: None,
                rates: Default::default(),
                today: None,
            },
        )
        .unwrap();
    let fieldbook_core::report::Report::Pipeline(p) = report else {
        panic!("{report:?}")
    };
    assert_eq!((p.total.count, p.rows[0].group.as_str()), (1, "alice"));
}
