//! Moving a running team from SQLite to PostgreSQL with `fieldbook-server migrate --to`:
//! every row arrives, devices carry on with the same URL and cursors (nothing sent twice,
//! nothing missed, no reconcile), a second move into the same database is refused.

use fieldbook_tests::{Fb, Server};
use std::collections::BTreeSet;

fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::init(user);
    fb.login(server);
    fb
}

fn account_names(fb: &Fb) -> BTreeSet<String> {
    fb.names("account").into_iter().collect()
}

fn sqlite_count(server: &Server, sql: &str) -> u64 {
    let db = rusqlite::Connection::open(server.dir.path().join("server.db")).unwrap();
    db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as u64
}

#[test]
fn a_team_moves_from_sqlite_to_postgres_and_carries_on() {
    let mut server = Server::start();
    server.user("mia", "manager", None);
    server.admin(&["team", "add", "east", "--manager", "mia"]);
    server.user("alice", "rep", Some("east"));
    let alice = device(&server, "alice");
    alice.ok(&["demo", "--records", "200", "--seed", "3"]);
    alice.sync();
    let mia = device(&server, "mia");
    mia.sync();
    // Alice's work after mia's last pull: mia's cursor must still find it after the move.
    let late = alice.new_record("account", &["name=Late Lamps Ltd"]);
    alice.sync();

    let counts: Vec<(&str, u64)> = ["users", "devices", "tokens", "docs", "log", "quarantine"]
        .into_iter()
        .map(|t| {
            (
                t,
                sqlite_count(&server, &format!("SELECT count(*) FROM {t}")),
            )
        })
        .collect();
    let head = sqlite_count(&server, "SELECT max(seq) FROM log");
    let db = rusqlite::Connection::open(server.dir.path().join("server.db")).unwrap();
    let log_id: String = db
        .query_row("SELECT value FROM identity WHERE key = 'log_id'", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(db);

    let out = server.move_to_postgres();
    for (table, n) in &counts {
        assert!(
            out.contains(&format!("{table}: {n} row(s)")),
            "{table} {n}:\n{out}"
        );
        let there: u64 = server
            .sql(&format!("SELECT count(*) FROM {table}"))
            .parse()
            .unwrap();
        assert_eq!(there, *n, "{table}");
    }
    assert!(out.contains(&format!("log at {head}")), "{out}");
    assert_eq!(
        server.sql("SELECT value FROM identity WHERE key = 'log_id'"),
        log_id
    );

    // Same URL, same log: mia's next pull brings exactly what she lacked, alice has
    // nothing to send again, and new work goes both ways.
    mia.sync();
    assert!(mia.names("account").contains(&"Late Lamps Ltd".to_string()));
    assert_eq!(account_names(&mia), account_names(&alice));
    let log_before = server.sql("SELECT count(*) FROM log");
    alice.sync();
    assert_eq!(server.sql("SELECT count(*) FROM log"), log_before);
    alice.ok(&["set", &late, "phone=+44 20 7946 0001"]);
    alice.sync();
    mia.sync();
    let phone = mia.json(&["show", &late]);
    assert_eq!(phone["phone"], "+44 20 7946 0001", "{phone}");
    // A new device bootstraps the whole book from PostgreSQL.
    let laptop = device(&server, "mia");
    laptop.sync();
    assert_eq!(account_names(&laptop), account_names(&alice));

    // Moving again into a database that holds data is refused.
    let dir = server.dir.path().to_str().unwrap().to_string();
    let url = server.database_url().unwrap().to_string();
    let out = std::process::Command::new(fieldbook_tests::server_bin())
        .args(["--data-dir", &dir, "migrate", "--to", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds Fieldbook data already"));
}
