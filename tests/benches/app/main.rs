//! The desktop app's speed with a 100,000-record store (issue #9, section 5).
//!
//! 1. **Rust's part** of each screen: the `fieldbook-client` calls its commands make (the
//!    commands only convert arguments and answers), on a store of `FIELDBOOK_BENCH_RECORDS`
//!    generated records (default 100,000) plus one account with 50 related records: the
//!    first screen (open, settings, sync state, the day's agenda), the accounts list's first
//!    page and count, a search keystroke (2 Chinese characters or a 3-letter prefix, limit
//!    20 as the header's search asks), the account page with 50 related records, the
//!    pipeline board.
//! 2. **The real window** (when `DISPLAY` is set, e.g. under `xvfb-run`): the release app
//!    (`FIELDBOOK_APP_BIN`, else `fieldbook-app` beside this bench) on the same store,
//!    through tauri-driver: launch to the first usable screen, keystroke to results on
//!    screen, an account page opened, the accounts list scrolled (frames), and the memory
//!    of the app and its WebKit processes at idle (`window.rs`).
//!
//! Run (release-like `bench` profile):
//!
//! ```sh
//! (cd ui && npm run build) && cargo build --release -p fieldbook-app
//! xvfb-run -a cargo bench -p fieldbook-tests --bench app
//! FIELDBOOK_BENCH_RECORDS=10000 …      # quicker; FIELDBOOK_BENCH_STORE=DIR keeps the store
//! ```
//!
//! Results are written up in `BENCHMARKS.md`.

mod window;

use fieldbook_client::{FieldValue, FieldValues, Filter, ListOrder, ListQuery, Store};
use fieldbook_core::Kind;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 2;
const RUNS: usize = 30;
const SEARCHES: usize = 500;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// One row of the results: samples against an upper limit on their p95 (or none).
pub(crate) fn row(name: &str, mut samples: Vec<Duration>, p95_below: Option<Duration>) {
    samples.sort();
    let p95 = percentile(&samples, 95.0);
    let verdict = match p95_below {
        Some(limit) if p95 < limit => format!("p95 < {} ms: PASS", limit.as_millis()),
        Some(limit) => format!("p95 < {} ms: FAIL", limit.as_millis()),
        None => String::new(),
    };
    println!(
        "| {name} | {} | {} | {} | {} | {} | {verdict} |",
        samples.len(),
        ms(percentile(&samples, 50.0)),
        ms(p95),
        ms(percentile(&samples, 99.0)),
        ms(*samples.last().unwrap_or(&Duration::ZERO)),
    );
}

pub(crate) fn header(title: &str) {
    println!("\n{title}\n");
    println!("| what | n | p50 ms | p95 ms | p99 ms | max ms | target |");
    println!("|---|---|---|---|---|---|---|");
}

fn time<T>(f: impl FnOnce() -> Res<T>) -> Res<(Duration, T)> {
    let start = Instant::now();
    let v = f()?;
    Ok((start.elapsed(), v))
}

fn text(v: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(v.into()))
}

fn values(pairs: &[(&str, Option<FieldValue>)]) -> FieldValues {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The store: built with `Store::demo`, or the one `FIELDBOOK_BENCH_STORE` names (made there
/// the first time), with one account of 50 related records. Returns its dir and that account.
fn build(records: usize) -> Res<(PathBuf, Option<tempfile::TempDir>, String)> {
    let (dir, tmp) = match std::env::var_os("FIELDBOOK_BENCH_STORE") {
        Some(d) => (PathBuf::from(d), None),
        None => {
            let t = tempfile::tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let marker = dir.join("bench-account");
    if let Ok(id) = std::fs::read_to_string(&marker) {
        return Ok((dir, tmp, id));
    }
    let mut store = Store::init(&dir, "wang", "CNY")?;
    let (took, n) = time(|| Ok(store.demo(records, SEED, &mut |_, _| {})?))?;
    println!(
        "store: {n} demo records in {:.1} s at {}",
        took.as_secs_f64(),
        dir.display()
    );
    let account = store.create(
        Kind::Account,
        &values(&[
            ("name", text("青岛基准啤酒有限公司")),
            ("city", text("青岛")),
        ]),
    )?;
    let acc = text(&account.to_string());
    for i in 0..10 {
        let n = format!("{i}");
        store.create(
            Kind::Contact,
            &values(&[
                ("account_id", acc.clone()),
                ("name", text(&format!("联系人{n}"))),
            ]),
        )?;
        let deal = store.create(
            Kind::Opportunity,
            &values(&[
                ("account_id", acc.clone()),
                ("name", text(&format!("商机{n}"))),
                ("amount", text("12000.50")),
            ]),
        )?;
        store.create(
            Kind::Quote,
            &values(&[("opportunity_id", text(&deal.to_string()))]),
        )?;
        store.create(
            Kind::Activity,
            &values(&[
                ("account_id", acc.clone()),
                ("subject", text(&format!("拜访{n}"))),
                ("kind", text("visit")),
            ]),
        )?;
        store.create(
            Kind::Task,
            &values(&[
                ("account_id", acc.clone()),
                ("title", text(&format!("任务{n}"))),
            ]),
        )?;
    }
    store.checkpoint()?;
    std::fs::write(&marker, account.to_string())?;
    Ok((dir, tmp, account.to_string()))
}

fn q(parts: impl FnOnce(&mut ListQuery)) -> ListQuery {
    let mut q = ListQuery::default();
    parts(&mut q);
    q
}

fn by(field: &str, descending: bool) -> ListOrder {
    ListOrder::Field {
        field: field.into(),
        descending,
    }
}

/// What the account page asks for (`AccountPage`, `Related`, `Timeline`).
fn account_page(store: &Store, id: uuid::Uuid) -> Res<usize> {
    let mut n = 0;
    store.record(id)?;
    for (kind, order) in [
        (Kind::Contact, by("name", false)),
        (Kind::Opportunity, by("close_date", false)),
        (Kind::Quote, ListOrder::Recent),
        (Kind::Activity, by("at", true)),
    ] {
        n += store
            .list_page(
                kind,
                &q(|q| {
                    q.account = Some(id);
                    q.order = order;
                    q.limit = Some(200);
                }),
            )?
            .records
            .len();
    }
    n += store
        .list_page(
            Kind::Task,
            &q(|q| {
                q.account = Some(id);
                q.order = by("due", false);
                q.limit = Some(200);
                q.filters = vec![Filter {
                    field: "done".into(),
                    value: Some(FieldValue::Bool(false)),
                }];
            }),
        )?
        .records
        .len();
    Ok(n)
}

fn rust_part(dir: &Path, account: &str) -> Res<()> {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    header("Rust's part (the client calls the commands make)");
    let mut first = Vec::new();
    for _ in 0..RUNS {
        first.push(
            time(|| {
                let store = Store::open(dir)?;
                store.settings();
                store.sync_status()?;
                Ok(store.agenda(&today)?)
            })?
            .0,
        );
    }
    row(
        "first screen: open + settings + sync state + agenda",
        first,
        Some(Duration::from_millis(1000)),
    );

    let store = Store::open(dir)?;
    let mut list = Vec::new();
    for _ in 0..RUNS {
        list.push(
            time(|| {
                store.count(Kind::Account, &q(|q| q.order = by("name", false)))?;
                Ok(store.list_page(
                    Kind::Account,
                    &q(|q| {
                        q.order = by("name", false);
                        q.limit = Some(200);
                    }),
                )?)
            })?
            .0,
        );
    }
    row("accounts: count + first page of 200 by name", list, None);

    // Queries as people type them: fragments of Chinese names, prefixes of English ones.
    let names: Vec<String> = store
        .list_page(Kind::Account, &q(|q| q.limit = Some(2000)))?
        .records
        .into_iter()
        .map(|r| r.title)
        .collect();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut searches = Vec::new();
    for _ in 0..SEARCHES {
        let name = names.choose(&mut rng).ok_or("no accounts")?;
        let chars: Vec<char> = name.chars().collect();
        let query: String = if chars[0].is_ascii() {
            chars.iter().take(3).collect::<String>().to_lowercase()
        } else {
            let at = rng.random_range(0..chars.len().saturating_sub(1).max(1));
            chars[at..].iter().take(2).collect()
        };
        searches.push(time(|| Ok(store.search(&query, 20)?))?.0);
    }
    row(
        "search keystroke (Store::search, limit 20)",
        searches,
        Some(Duration::from_millis(16)),
    );

    let id = uuid::Uuid::parse_str(account)?;
    let related = account_page(&store, id)?;
    let mut page = Vec::new();
    for _ in 0..RUNS {
        page.push(time(|| account_page(&store, id))?.0);
    }
    row(
        &format!("account page ({related} related records)"),
        page,
        Some(Duration::from_millis(100)),
    );

    let mut board = Vec::new();
    for _ in 0..RUNS {
        board.push(
            time(|| {
                store.pipeline_board()?;
                for stage in fieldbook_core::schema::STAGES {
                    store.list_page(
                        Kind::Opportunity,
                        &q(|q| {
                            q.filters = vec![Filter {
                                field: "stage".into(),
                                value: text(stage),
                            }];
                            q.order = by("close_date", false);
                            q.limit = Some(30);
                        }),
                    )?;
                }
                Ok(())
            })?
            .0,
        );
    }
    row(
        "pipeline board: sums of 6 stages + 30 cards each",
        board,
        None,
    );
    Ok(())
}

fn main() -> Res<()> {
    let records: usize = std::env::var("FIELDBOOK_BENCH_RECORDS")
        .ok()
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100_000);
    let (dir, _tmp, account) = build(records)?;
    rust_part(&dir, &account)?;
    if std::env::var_os("DISPLAY").is_some() {
        window::run(&dir, &account)?;
    } else {
        println!("\nNo DISPLAY: the window's part is skipped (run under xvfb-run -a).");
    }
    Ok(())
}
