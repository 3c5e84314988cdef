//! Throughput of the sync server (the service over SQLite storage, and HTTP), with what a
//! device sends in practice:
//! creation changes of accounts and their contacts, then one edit each, in pages of 1000,
//! a resend (all duplicates), a bootstrap pull of every record in pages of 2000, and the
//! pull of the edits made meanwhile. Then the same pushes and bootstrap through HTTP
//! (JSON, base64, gzip) on 127.0.0.1.
//!
//! Run (release-like `bench` profile):
//!
//! ```sh
//! cargo bench -p fieldbook-server --bench sync
//! FIELDBOOK_BENCH_RECORDS=4000 cargo bench -p fieldbook-server --bench sync   # quick run
//! ```
//!
//! `synchronous=FULL`: every page is one fsync'd transaction, so the disk matters; the
//! machine and the numbers are printed. Each row also gives the CPU time the process spent
//! on it (all threads, from `/proc/self/stat`): on a machine shared with other work, wall
//! times follow the load, CPU time much less.

use automerge::ActorId;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, LoginResponse, NewUser, PROTOCOL_HEADER, PullRequest,
    PullResponse, PushRequest, PushResponse, Role,
};
use fieldbook_core::schema;
use fieldbook_core::value::Value;
use fieldbook_server::access::Requester;
use fieldbook_server::auth;
use fieldbook_server::service::{Service, Session};
use fieldbook_server::{AppState, SqliteStorage};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const PAGE: usize = 1000;

fn spec(kind: Kind, name: &str) -> &'static schema::FieldSpec {
    schema::field(kind, name).unwrap()
}

/// `n` records (accounts, each followed by a contact) and their creating changes.
fn book(n: usize, user: &str) -> (Vec<RecordDoc>, Vec<ChangeEnvelope>) {
    let author = Author::now(user);
    let actor = ActorId::random();
    let (mut docs, mut envs) = (Vec::new(), Vec::new());
    let mut push = |mut doc: RecordDoc| {
        let bytes = doc.commit(&author).unwrap().unwrap();
        envs.push(ChangeEnvelope {
            doc_id: doc.id(),
            kind: doc.kind(),
            bytes,
        });
        docs.push(doc);
    };
    for i in 0..n / 2 {
        let account = RecordDoc::create(
            Kind::Account,
            Uuid::now_v7(),
            &actor,
            &author,
            &[
                (
                    spec(Kind::Account, "name"),
                    Value::Str(format!("Account {i}")),
                ),
                (spec(Kind::Account, "city"), Value::Str("Lyon".into())),
            ],
        )
        .unwrap();
        let id = account.id();
        push(account);
        push(
            RecordDoc::create(
                Kind::Contact,
                Uuid::now_v7(),
                &actor,
                &author,
                &[
                    (
                        spec(Kind::Contact, "account_id"),
                        Value::Ref(Kind::Account, id),
                    ),
                    (
                        spec(Kind::Contact, "name"),
                        Value::Str(format!("Contact {i}")),
                    ),
                ],
            )
            .unwrap(),
        );
    }
    (docs, envs)
}

fn edits(docs: &mut [RecordDoc], user: &str, value: &str) -> Vec<ChangeEnvelope> {
    let author = Author::now(user);
    docs.iter_mut()
        .map(|d| {
            let field = if d.kind() == Kind::Account {
                "phone"
            } else {
                "title"
            };
            d.set(spec(d.kind(), field), Some(Value::Str(value.into())))
                .unwrap();
            ChangeEnvelope {
                doc_id: d.id(),
                kind: d.kind(),
                bytes: d.commit(&author).unwrap().unwrap(),
            }
        })
        .collect()
}

fn per_sec(n: usize, d: Duration) -> String {
    format!("{:>9.0}/s", n as f64 / d.as_secs_f64())
}

/// CPU time of this process so far, all threads (user + system; Linux clock ticks of
/// 10 ms).
fn process_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name, which is in parentheses: utime and stime are the
    // 12th and 13th of them.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn report(what: &str, n: usize, unit: &str, pages: &mut [Duration], cpu_since: Duration) {
    pages.sort();
    let total: Duration = pages.iter().sum();
    println!(
        "{what:<44} {n:>7} {unit:<8} {:>8.2} s {} page p50 {:>7.1} ms max {:>7.1} ms cpu {:>6.2} s",
        total.as_secs_f64(),
        per_sec(n, total),
        pages[pages.len() / 2].as_secs_f64() * 1e3,
        pages[pages.len() - 1].as_secs_f64() * 1e3,
        (process_cpu() - cpu_since).as_secs_f64()
    );
}

fn push_pages(service: &Service, s: &Session, envs: &[ChangeEnvelope]) -> Vec<Duration> {
    envs.chunks(PAGE)
        .map(|page| {
            let t = Instant::now();
            let r = service
                .push(
                    s,
                    PushRequest {
                        protocol: 1,
                        changes: page.to_vec(),
                        pending: page.len() as u64,
                        log_id: None,
                    },
                )
                .unwrap();
            assert!(r.refused.is_empty(), "{:?}", r.refused.first());
            t.elapsed()
        })
        .collect()
}

fn pull_all(service: &Service, s: &Session, cursor: u64) -> (usize, u64, Vec<Duration>) {
    let (mut items, mut cursor, mut after, mut times) = (0, cursor, None, Vec::new());
    loop {
        let t = Instant::now();
        let page = service
            .pull(
                s,
                &PullRequest {
                    protocol: 1,
                    cursor,
                    snapshot_after: after,
                    limit: None,
                    pending: 0,
                    log_id: None,
                },
            )
            .unwrap();
        times.push(t.elapsed());
        items += page.items.len();
        cursor = page.cursor;
        after = page.snapshot_after;
        if !page.more {
            return (items, cursor, times);
        }
    }
}

fn add_alice(service: &Service) {
    service
        .add_user(
            &Requester::Operator,
            NewUser {
                name: "alice".into(),
                role: Role::Rep,
                team: None,
                password: "bench password".into(),
            },
        )
        .unwrap();
}

fn main() {
    let n: usize = std::env::var("FIELDBOOK_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    println!(
        "fieldbook-server sync bench: {n} records, {} cpus, {}",
        std::thread::available_parallelism().map_or(0, |p| p.get()),
        std::env::consts::ARCH
    );
    let dir = tempfile::tempdir().unwrap();
    let service = Service::new(Arc::new(SqliteStorage::open(dir.path()).unwrap()));
    add_alice(&service);
    let login = service
        .login(&LoginRequest {
            user: "alice".into(),
            password: "bench password".into(),
            device_name: "bench".into(),
        })
        .unwrap();
    let session = service
        .authenticate(&auth::token_hash(&login.token))
        .unwrap();

    let (mut docs, creations) = book(n, "alice");
    let cpu = process_cpu();
    let mut t = push_pages(&service, &session, &creations);
    report("push: creations (new records)", n, "changes", &mut t, cpu);
    let changes = edits(&mut docs, "alice", "edited");
    let cpu = process_cpu();
    let mut t = push_pages(&service, &session, &changes);
    report(
        "push: one edit per stored record",
        n,
        "changes",
        &mut t,
        cpu,
    );
    let cpu = process_cpu();
    let mut t = push_pages(&service, &session, &changes);
    report(
        "push: the same again (duplicates)",
        n,
        "changes",
        &mut t,
        cpu,
    );

    let cpu = process_cpu();
    let (items, cursor, mut t) = pull_all(&service, &session, 0);
    assert_eq!(items, n);
    report("pull: bootstrap, snapshots", items, "records", &mut t, cpu);
    let more = edits(&mut docs, "alice", "edited again");
    push_pages(&service, &session, &more);
    let cpu = process_cpu();
    let (items, _, mut t) = pull_all(&service, &session, cursor);
    assert_eq!(items, n);
    report(
        "pull: ordinary, one change per record",
        items,
        "changes",
        &mut t,
        cpu,
    );

    // The same through HTTP.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open_sqlite(dir.path()).unwrap();
        add_alice(state.service());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(fieldbook_server::serve(
            listener,
            state,
            std::future::pending(),
        ));
        let http = reqwest::Client::builder().gzip(true).build().unwrap();
        let login: LoginResponse = http
            .post(format!("{url}/v1/login"))
            .header("fieldbook-protocol", "1")
            .json(&LoginRequest {
                user: "alice".into(),
                password: "bench password".into(),
                device_name: "bench".into(),
            })
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut times = Vec::new();
        let cpu = process_cpu();
        for page in creations.chunks(PAGE) {
            let body = serde_json::to_vec(&PushRequest {
                protocol: 1,
                changes: page.to_vec(),
                pending: 0,
                log_id: None,
            })
            .unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, &body).unwrap();
            let body = gz.finish().unwrap();
            let t = Instant::now();
            let r: PushResponse = http
                .post(format!("{url}/v1/push"))
                .header(PROTOCOL_HEADER, "1")
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .bearer_auth(&login.token)
                .body(body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            times.push(t.elapsed());
            assert_eq!(r.accepted as usize, page.len());
        }
        report("http push: creations, gzip", n, "changes", &mut times, cpu);
        let (mut cursor, mut after, mut items) = (0, None, 0);
        let mut times = Vec::new();
        let cpu = process_cpu();
        loop {
            let t = Instant::now();
            let page: PullResponse = http
                .post(format!("{url}/v1/pull"))
                .header(PROTOCOL_HEADER, "1")
                .bearer_auth(&login.token)
                .json(&PullRequest {
                    protocol: 1,
                    cursor,
                    snapshot_after: after,
                    limit: None,
                    pending: 0,
                    log_id: None,
                })
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            times.push(t.elapsed());
            items += page.items.len();
            cursor = page.cursor;
            after = page.snapshot_after;
            if after.is_none() {
                break;
            }
        }
        assert_eq!(items, n);
        report(
            "http pull: bootstrap, gzip",
            items,
            "records",
            &mut times,
            cpu,
        );
    });
}
