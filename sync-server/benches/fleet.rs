//! A company's fleet on each backend, side by side in one run: 1,000 devices (250 reps with
//! four each, in 25 teams) over SQLite, over PostgreSQL with one instance, and over
//! PostgreSQL with three instances (three storages, each with its own pool, on one
//! database; devices spread over them round-robin). In-process: the service over each
//! backend, no HTTP (the sync bench measures HTTP).
//!
//! 1. Load: each rep's first device pushes its book (accounts created, in pages of 1000),
//!    16 devices at a time.
//! 2. Steady state: every device in turn, 32 at a time, pushes a page of 10 edits to its
//!    rep's records and pulls what changed since its cursor.
//!
//! Printed per backend: changes/s of each phase, push and pull p50/p99, the database's size.
//!
//! ```sh
//! source scripts/postgres.sh   # then start a server with fsync on, or name your own:
//! FIELDBOOK_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres \
//!     cargo bench -p fieldbook-server --bench fleet
//! FIELDBOOK_BENCH_RECORDS=20000 ...   # records in all (default 100,000)
//! ```
//!
//! The PostgreSQL server should run with its defaults (fsync and synchronous commit on), as
//! SQLite runs with `synchronous=FULL`; the bench makes a database of its own and drops it.

use automerge::ActorId;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{ChangeEnvelope, PullRequest, PushRequest, Role};
use fieldbook_core::schema;
use fieldbook_core::value::Value;
use fieldbook_server::auth;
use fieldbook_server::service::{Service, Session};
use fieldbook_server::storage::postgres::ScratchDatabase;
use fieldbook_server::storage::{NewDevice, NewUserRow, StorageExt};
use fieldbook_server::{PgStorage, SqliteStorage, Storage};
use parking_lot::Mutex;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const REPS: usize = 250;
const DEVICES_PER_REP: usize = 4;
const TEAM_SIZE: usize = 10;
const PAGE: usize = 1000;
const EDITS: usize = 10;

/// One device: its session on its instance, its rep's records, its cursor.
struct Device {
    service: usize,
    session: Session,
    rep: usize,
    cursor: u64,
}

fn spec(kind: Kind, name: &str) -> &'static schema::FieldSpec {
    schema::field(kind, name).unwrap()
}

fn book(n: usize, user: &str) -> (Vec<RecordDoc>, Vec<ChangeEnvelope>) {
    let author = Author::now(user);
    let actor = ActorId::random();
    let mut docs = Vec::new();
    let mut envs = Vec::new();
    for i in 0..n {
        let mut doc = RecordDoc::create(
            Kind::Account,
            Uuid::now_v7(),
            &actor,
            &author,
            &[
                (
                    spec(Kind::Account, "name"),
                    Value::Str(format!("{user} account {i}")),
                ),
                (spec(Kind::Account, "city"), Value::Str("Lyon".into())),
            ],
        )
        .unwrap();
        envs.push(ChangeEnvelope {
            doc_id: doc.id(),
            kind: doc.kind(),
            bytes: doc.commit(&author).unwrap().unwrap(),
        });
        docs.push(doc);
    }
    (docs, envs)
}

fn rep(i: usize) -> String {
    format!("rep{i:03}")
}

/// Users, teams and devices written straight into storage (one password hash for all:
/// argon2 per user would dominate the setup).
fn setup(storage: &dyn Storage, services: &[Service]) -> Vec<Device> {
    let hash = auth::Passwords::standard().hash("bench password").unwrap();
    let at = "2026-12-01T00:00:00Z";
    let teams = REPS / TEAM_SIZE;
    let mut tokens = Vec::new();
    storage
        .write({
            let hash = hash.clone();
            move |repo| {
                for t in 0..teams {
                    let manager = format!("mgr{t:02}");
                    repo.insert_user(
                        &NewUserRow {
                            name: manager.clone(),
                            role: Role::Manager,
                            team: None,
                            password_hash: hash.clone(),
                        },
                        at,
                    )?;
                    repo.insert_team(&format!("team{t:02}"), &manager, at)?;
                }
                for r in 0..REPS {
                    repo.insert_user(
                        &NewUserRow {
                            name: rep(r),
                            role: Role::Rep,
                            team: Some(format!("team{:02}", r / TEAM_SIZE)),
                            password_hash: hash.clone(),
                        },
                        at,
                    )?;
                }
                Ok(())
            }
        })
        .unwrap();
    for r in 0..REPS {
        for d in 0..DEVICES_PER_REP {
            let token = auth::new_token();
            tokens.push((r, d, auth::token_hash(&token)));
        }
    }
    let rows = tokens.clone();
    storage
        .write(move |repo| {
            for (r, d, hash) in &rows {
                repo.insert_device(
                    &NewDevice {
                        id: Uuid::new_v4(),
                        user: &rep(*r),
                        name: &format!("device {d}"),
                        token_hash: hash,
                        expires_at: None,
                    },
                    at,
                )?;
            }
            Ok(())
        })
        .unwrap();
    tokens
        .iter()
        .enumerate()
        .map(|(i, (r, _, hash))| {
            let service = i % services.len();
            Device {
                service,
                session: services[service].authenticate(hash).unwrap(),
                rep: *r,
                cursor: 0,
            }
        })
        .collect()
}

/// Runs `job(i)` for every `i < n` on `threads` threads; each job's duration.
fn run(n: usize, threads: usize, job: impl Fn(usize) + Sync) -> (Duration, Vec<Duration>) {
    let next = AtomicUsize::new(0);
    let times = Mutex::new(Vec::with_capacity(n));
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let t = Instant::now();
                    job(i);
                    times.lock().push(t.elapsed());
                }
            });
        }
    });
    let mut times = times.into_inner();
    times.sort();
    (start.elapsed(), times)
}

fn pct(times: &[Duration], p: f64) -> f64 {
    let i = ((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1));
    times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn push(service: &Service, session: &Session, changes: Vec<ChangeEnvelope>) {
    let n = changes.len() as u64;
    let r = service
        .push(
            session,
            PushRequest {
                protocol: 1,
                changes,
                pending: n,
                log_id: None,
            },
        )
        .unwrap();
    assert!(r.refused.is_empty(), "{:?}", r.refused.first());
}

fn pull(service: &Service, device: &mut Device) -> usize {
    let mut items = 0;
    loop {
        let page = service
            .pull(
                &device.session,
                &PullRequest {
                    protocol: 1,
                    cursor: device.cursor,
                    snapshot_after: None,
                    limit: None,
                    pending: 0,
                    log_id: None,
                },
            )
            .unwrap();
        items += page.items.len();
        device.cursor = page.cursor;
        if !page.more {
            return items;
        }
    }
}

fn bench(name: &str, storages: Vec<Arc<dyn Storage>>, records: usize, size: &dyn Fn() -> u64) {
    let services: Vec<Service> = storages.iter().map(|s| Service::new(s.clone())).collect();
    let mut devices = setup(storages[0].as_ref(), &services);
    let per_rep = records / REPS;
    let books: Vec<Mutex<Vec<RecordDoc>>> = (0..REPS).map(|_| Mutex::new(Vec::new())).collect();
    let pages: Vec<Mutex<Vec<ChangeEnvelope>>> =
        (0..REPS).map(|_| Mutex::new(Vec::new())).collect();
    for r in 0..REPS {
        let (docs, envs) = book(per_rep, &rep(r));
        *books[r].lock() = docs;
        *pages[r].lock() = envs;
    }
    // 1. Load: each rep's first device pushes its whole book.
    let (wall, times) = run(REPS, 16, |r| {
        let d = &devices[r * DEVICES_PER_REP];
        let envs = std::mem::take(&mut *pages[r].lock());
        for page in envs.chunks(PAGE) {
            push(&services[d.service], &d.session, page.to_vec());
        }
    });
    println!(
        "{name:<22} load   {:>7} changes {:>7.1} s {:>7.0}/s  push p50 {:>7.1} ms p99 {:>7.1} ms",
        per_rep * REPS,
        wall.as_secs_f64(),
        (per_rep * REPS) as f64 / wall.as_secs_f64(),
        pct(&times, 0.5),
        pct(&times, 0.99)
    );
    // Every device catches up first (a bootstrap each would dominate; its cursor is the head).
    let head = services[0].counts().unwrap().log;
    for d in &mut devices {
        d.cursor = head;
    }
    // 2. Steady state: each device pushes 10 edits, then pulls.
    let devices: Vec<Mutex<Device>> = devices.into_iter().map(Mutex::new).collect();
    let push_times = Mutex::new(Vec::new());
    let pulled = AtomicUsize::new(0);
    let (wall, pull_times) = run(devices.len(), 32, |i| {
        let mut d = devices[i].lock();
        let author = Author::now(&rep(d.rep));
        let changes: Vec<ChangeEnvelope> = {
            let mut docs = books[d.rep].lock();
            let n = docs.len();
            (0..EDITS.min(n))
                .map(|k| {
                    let doc = &mut docs[(i * EDITS + k) % n];
                    doc.set(
                        spec(Kind::Account, "phone"),
                        Some(Value::Str(format!("+33 {i} {k}"))),
                    )
                    .unwrap();
                    ChangeEnvelope {
                        doc_id: doc.id(),
                        kind: doc.kind(),
                        bytes: doc.commit(&author).unwrap().unwrap(),
                    }
                })
                .collect()
        };
        let t = Instant::now();
        push(&services[d.service], &d.session, changes);
        push_times.lock().push(t.elapsed());
        let service = &services[d.service];
        pulled.fetch_add(pull(service, &mut d), Ordering::Relaxed);
    });
    let mut push_times = push_times.into_inner();
    push_times.sort();
    let n = devices.len() * EDITS;
    println!(
        "{name:<22} steady {:>7} changes {:>7.1} s {:>7.0}/s  push p50 {:>7.1} ms p99 {:>7.1} ms; push+pull p50 {:>7.1} ms p99 {:>7.1} ms; {} items pulled",
        n,
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        pct(&push_times, 0.5),
        pct(&push_times, 0.99),
        pct(&pull_times, 0.5),
        pct(&pull_times, 0.99),
        pulled.load(Ordering::Relaxed)
    );
    let retried: u64 = storages
        .iter()
        .flat_map(|s| s.metrics())
        .filter(|m| m.name == "fieldbook_pg_writes_retried_total")
        .map(|m| m.value)
        .sum();
    println!(
        "{name:<22} size   {:>7.1} MB; writes run again after a conflict: {retried}",
        size() as f64 / 1e6
    );
}

fn main() {
    let records: usize = std::env::var("FIELDBOOK_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!(
        "fieldbook-server fleet bench: {} devices, {records} records, {} cpus",
        REPS * DEVICES_PER_REP,
        std::thread::available_parallelism().map_or(0, |p| p.get()),
    );
    let dir = tempfile::tempdir().unwrap();
    {
        let sqlite: Arc<dyn Storage> = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        let path = dir.path().to_path_buf();
        bench("sqlite", vec![sqlite.clone()], records, &|| {
            sqlite.settle().unwrap();
            ["server.db", "server.db-wal"]
                .iter()
                .filter_map(|f| std::fs::metadata(path.join(f)).ok())
                .map(|m| m.len())
                .sum()
        });
    }
    let Ok(admin) = std::env::var("FIELDBOOK_BENCH_DATABASE_URL") else {
        println!("postgres: skipped (set FIELDBOOK_BENCH_DATABASE_URL)");
        return;
    };
    for instances in [1, 3] {
        let db = ScratchDatabase::create(&admin).unwrap();
        let storages: Vec<Arc<dyn Storage>> = (0..instances)
            .map(|_| Arc::new(PgStorage::open(db.url()).unwrap()) as Arc<dyn Storage>)
            .collect();
        bench(
            &format!("postgres x{instances}"),
            storages.clone(),
            records,
            &|| pg_size(db.url()),
        );
        drop(storages);
    }
}

/// The database's size on disk, through psql.
fn pg_size(url: &str) -> u64 {
    let psql = fieldbook_server::storage::postgres::tool("psql").unwrap();
    let out = std::process::Command::new(psql)
        .args([
            "-X",
            "-tA",
            "-d",
            url,
            "-c",
            "SELECT pg_database_size(current_database())",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}
