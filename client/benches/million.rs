//! The device at a million records (issue #15): every read a rep's screen or command makes,
//! against a generated book of `FIELDBOOK_BENCH_RECORDS` records (default 1,000,000), with
//! wall time (p50/p99) and this thread's CPU time beside it (the machine is shared).
//!
//! Not part of CI (generating the book takes minutes): without `FIELDBOOK_BENCH_MILLION=1`
//! it only says how to run it.
//!
//! ```sh
//! cargo build --release -p fieldbook-cli
//! FIELDBOOK_BENCH_MILLION=1 FIELDBOOK_BENCH_CLI=$CARGO_TARGET_DIR/release/fieldbook \
//!     cargo bench -p fieldbook-client --bench million
//! ```
//!
//! The generated store is cached in `$HOME/.cache/fieldbook/bench/` under a key made of the
//! record count, the seed, the schema version and a hash of the generator's first records
//! (so a changed generator makes a new book); `FIELDBOOK_BENCH_FRESH=1` generates it again.
//! The import's own figures (time, CPU, peak disk, largest WAL, size per record) are measured
//! when it is generated and kept beside it. Each run works on a copy of the cached store.
//! With `FIELDBOOK_BENCH_CLI` (the `fieldbook` binary), whole commands are timed too, each
//! a new process, with the CPU time of the child from `/proc/self/stat`.

use fieldbook_client::store::{SCHEMA_VERSION, STORE_FILE};
use fieldbook_client::{FieldValue, FieldValues, Filter, ListQuery, Store};
use fieldbook_core::Kind;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SEED: u64 = 2;
const OPENS: usize = 20;
const RUNS: usize = 50;
const SHOWS: usize = 300;
const EDITS: usize = 200;
const CLI_RUNS: usize = 15;
/// The targets of issue #15: in-process p99, and a whole command.
const TARGET: Duration = Duration::from_millis(50);
const CLI_TARGET: Duration = Duration::from_millis(60);

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// CPU time of the calling thread (`/proc/thread-self/schedstat`, nanoseconds on a CPU).
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// `/proc/self/stat` fields 14-17: user and system time of this process (all threads) and
/// of its waited-for children, in clock ticks (100 per second here).
fn process_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    let at = |i: usize| f.get(i - 3).copied().unwrap_or(0);
    (at(14) + at(15), at(16) + at(17))
}

fn tick() -> Duration {
    Duration::from_millis(10)
}

struct Row {
    name: String,
    wall: Vec<Duration>,
    cpu: Duration,
    target: Option<Duration>,
    note: String,
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Runs `f` `n` times: wall time of each, and this thread's CPU time in all.
fn measure<T>(n: usize, mut f: impl FnMut(usize) -> Res<T>) -> Res<(Vec<Duration>, Duration, T)> {
    let mut wall = Vec::with_capacity(n);
    let cpu0 = thread_cpu();
    let mut last = None;
    for i in 0..n {
        let t = Instant::now();
        last = Some(f(i)?);
        wall.push(t.elapsed());
    }
    let last = last.ok_or("no runs")?;
    Ok((wall, thread_cpu() - cpu0, last))
}

impl Row {
    fn new(name: impl Into<String>, (wall, cpu): (Vec<Duration>, Duration)) -> Row {
        let mut wall = wall;
        wall.sort();
        Row {
            name: name.into(),
            wall,
            cpu,
            target: Some(TARGET),
            note: String::new(),
        }
    }
    fn note(mut self, n: impl Into<String>) -> Row {
        self.note = n.into();
        self
    }
    fn target(mut self, t: Option<Duration>) -> Row {
        self.target = t;
        self
    }
    fn verdict(&self) -> &'static str {
        match self.target {
            None => "",
            Some(t) if pct(&self.wall, 99.0) < t => "PASS",
            Some(_) => "FAIL",
        }
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "\n| {:<44} | {:>4} | {:>7} | {:>7} | {:>7} | {:>8} | {:<6} | {:<4} | note",
        "measurement (ms)", "n", "p50", "p99", "max", "cpu/op", "target", ""
    );
    println!(
        "|{}|------|---------|---------|---------|----------|--------|------|-----",
        "-".repeat(46)
    );
    for r in rows {
        let n = r.wall.len().max(1) as u32;
        println!(
            "| {:<44} | {:>4} | {:>7} | {:>7} | {:>7} | {:>8} | {:<6} | {:<4} | {}",
            r.name,
            r.wall.len(),
            ms(pct(&r.wall, 50.0)),
            ms(pct(&r.wall, 99.0)),
            ms(pct(&r.wall, 100.0)),
            ms(r.cpu / n),
            r.target.map_or("-".into(), |t| format!("< {}", ms(t))),
            r.verdict(),
            r.note
        );
    }
}

/// The cache key: record count, seed, schema, and what the generator makes (its first
/// records, with a fixed date: the book's dates follow the day it is generated).
fn cache_key(records: usize) -> String {
    let day = time::Date::from_calendar_date(2026, time::Month::January, 1).expect("a date");
    let mut h = std::hash::DefaultHasher::new();
    for r in fieldbook_core::demo::generate(records, SEED, day).take(500) {
        format!("{r:?}").hash(&mut h);
    }
    format!(
        "book-{records}-seed{SEED}-schema{SCHEMA_VERSION}-gen{:016x}",
        h.finish()
    )
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Generates the book into `dir/store`, sampling the disk it takes as it goes; returns the
/// import's report (also kept as `dir/import.txt`).
fn generate(dir: &Path, records: usize) -> Res<String> {
    let store_dir = dir.join("store");
    let mut store = Store::init(&store_dir, "bench", "EUR")?;
    let done = AtomicBool::new(false);
    let (peak, peak_wal) = (AtomicU64::new(0), AtomicU64::new(0));
    let wal = store_dir.join(format!("{STORE_FILE}-wal"));
    let ticks0 = process_ticks().0;
    let start = Instant::now();
    let added = std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(dir_size(&store_dir), Ordering::Relaxed);
                let w = std::fs::metadata(&wal).map_or(0, |m| m.len());
                peak_wal.fetch_max(w, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let mut last = Instant::now();
        let added = store.demo(records, SEED, &mut |d, t| {
            if last.elapsed() > Duration::from_secs(10) || d == t {
                eprintln!("  import: {d}/{t} ({:.0} s)", start.elapsed().as_secs_f64());
                last = Instant::now();
            }
        });
        done.store(true, Ordering::Relaxed);
        added
    })?;
    let took = start.elapsed();
    let cpu = tick() * (process_ticks().0 - ticks0) as u32;
    drop(store);
    let size = dir_size(&store_dir);
    let peak = peak.load(Ordering::Relaxed).max(size);
    let report = format!(
        "import {added} records (Store::demo): {:.1} s wall, {:.1} s CPU ({:.0} records/s)\n\
         store on disk: {:.1} MB, {:.0} bytes/record\n\
         peak disk while importing: {:.1} MB ({:.2}x the store); largest WAL {:.1} MB\n",
        took.as_secs_f64(),
        cpu.as_secs_f64(),
        added as f64 / took.as_secs_f64(),
        size as f64 / 1e6,
        size as f64 / added as f64,
        peak as f64 / 1e6,
        peak as f64 / size as f64,
        peak_wal.load(Ordering::Relaxed) as f64 / 1e6,
    );
    std::fs::write(dir.join("import.txt"), &report)?;
    Ok(report)
}

/// The cached book (generated if missing) and its import report.
fn cached_book(records: usize) -> Res<(PathBuf, String)> {
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    let root = PathBuf::from(home).join(".cache/fieldbook/bench");
    let key = cache_key(records);
    let dir = root.join(&key);
    if std::env::var_os("FIELDBOOK_BENCH_FRESH").is_some() && dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    if !dir.join("import.txt").is_file() {
        let building = root.join(format!("{key}.building"));
        if building.exists() {
            std::fs::remove_dir_all(&building)?;
        }
        std::fs::create_dir_all(&building)?;
        println!(
            "generating {records} records into {} ...",
            building.display()
        );
        generate(&building, records)?;
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::rename(&building, &dir)?;
    }
    let report = std::fs::read_to_string(dir.join("import.txt"))?;
    Ok((dir.join("store"), report))
}

/// Copies a store (closed, checkpointed: one file) to work on.
fn copy_store(from: &Path, to: &Path) -> Res<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join(entry.file_name()))?;
    }
    Ok(())
}

/// The commonest three-letter starts of Latin words in account names.
fn latin_prefixes(store: &Store, n: usize) -> Res<Vec<String>> {
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    let q = ListQuery {
        limit: Some(20_000),
        ..Default::default()
    };
    for r in store.list(Kind::Account, &q)? {
        for w in r.title.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 4 {
                *counts.entry(w[..3].to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(v.into_iter().take(n).map(|(w, _)| w).collect())
}

fn main() -> Res<()> {
    if std::env::var_os("FIELDBOOK_BENCH_MILLION").is_none() {
        println!(
            "million: skipped (set FIELDBOOK_BENCH_MILLION=1; it generates a book of a million \
             records once, minutes, cached in ~/.cache/fieldbook/bench)"
        );
        return Ok(());
    }
    let records: usize = match std::env::var("FIELDBOOK_BENCH_RECORDS") {
        Ok(v) => v.trim().replace('_', "").parse()?,
        Err(_) => 1_000_000,
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {} CPUs, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (cached, report) = cached_book(records)?;
    print!("{report}");
    let tmp = tempfile::tempdir_in(cached.parent().and_then(Path::parent).ok_or("no cache")?)?;
    let dir = tmp.path().join("store");
    copy_store(&cached, &dir)?;
    let mut rows: Vec<Row> = Vec::new();

    let (w, c, _) = measure(OPENS, |_| Ok(Store::open(&dir)?))?;
    rows.push(Row::new("open (Store::open)", (w, c)));
    let mut store = Store::open(&dir)?;
    let (w, c, st) = measure(RUNS * 4, |_| Ok(store.sync_status()?))?;
    rows.push(
        Row::new("status (Store::sync_status)", (w, c))
            .note(format!("{} changes waiting", st.pending)),
    );

    // ---- search: the commonest fragments, and Latin prefixes ----
    let mut queries: Vec<String> = vec!["有限公司".into(), "公司".into(), "科技".into()];
    queries.extend(latin_prefixes(&store, 4)?);
    for q in &queries {
        let (w, c, hits) = measure(RUNS, |_| Ok(store.search(q, 20)?))?;
        rows.push(
            Row::new(format!("search {q:?} (limit 20)"), (w, c))
                .note(format!("{} hits shown", hits.len())),
        );
    }

    // ---- lists, as `fieldbook list KIND field=value` shows them (51 asked, 50 shown) ----
    let lists: [(Kind, &str, &str); 4] = [
        (Kind::Opportunity, "stage", "proposal"),
        (Kind::Opportunity, "stage", "negotiation"),
        (Kind::Account, "country", "中国"),
        (Kind::Task, "done", "false"),
    ];
    for (kind, field, shown) in lists {
        let value = match shown {
            "false" => FieldValue::Bool(false),
            v => FieldValue::Text(v.into()),
        };
        let q = ListQuery {
            filters: vec![Filter {
                field: field.into(),
                value: Some(value.clone()),
            }],
            limit: Some(51),
            ..Default::default()
        };
        let (w, c, found) = measure(RUNS, |_| Ok(store.list(kind, &q)?))?;
        rows.push(
            Row::new(format!("list {kind} {field}={shown} --limit 50"), (w, c))
                .note(format!("{} rows", found.len())),
        );
    }
    let (w, c, stages) = measure(RUNS, |_| Ok(store.pipeline()?))?;
    let open: u64 = stages.iter().map(|s| s.count).sum();
    rows.push(
        Row::new("pipeline (Store::pipeline)", (w, c)).note(format!("{open} open opportunities")),
    );
    let (w, c, counts) = measure(RUNS, |_| Ok(store.counts()?))?;
    let live: u64 = counts.values().sum();
    rows.push(
        Row::new("book counts (Store::counts, pipeline's line)", (w, c))
            .note(format!("{live} live records")),
    );

    // ---- one record: show, an edit, history ----
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut pool = Vec::new();
    for kind in [Kind::Account, Kind::Contact, Kind::Opportunity, Kind::Quote] {
        let q = ListQuery {
            limit: Some(2_000),
            ..Default::default()
        };
        pool.extend(store.list(kind, &q)?.into_iter().map(|r| r.id));
    }
    let (w, c, _) = measure(SHOWS, |_| {
        Ok(store.record(*pool.choose(&mut rng).ok_or("no records")?)?)
    })?;
    rows.push(Row::new("show (Store::record)", (w, c)).note("random account/contact/deal/quote"));
    let opportunities: Vec<_> = store
        .list(
            Kind::Opportunity,
            &ListQuery {
                limit: Some(1_000),
                ..Default::default()
            },
        )?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut edited = Vec::new();
    let (w, c, _) = measure(EDITS, |i| {
        let id = *opportunities.choose(&mut rng).ok_or("no deals")?;
        edited.push(id);
        let v: FieldValues = [(
            "next_step".to_string(),
            Some(FieldValue::Text(format!("Call back ({i})"))),
        )]
        .into();
        Ok(store.update(id, &v)?)
    })?;
    rows.push(
        Row::new("edit one field (Store::update, fsync)", (w, c))
            .target(None)
            .note("opportunity next_step"),
    );
    let (w, c, _) = measure(SHOWS, |_| {
        Ok(store.history(*edited.choose(&mut rng).ok_or("no edits")?)?)
    })?;
    rows.push(Row::new("history (Store::history)", (w, c)).note("deals edited above"));
    store.maintain()?;
    let show_id = pool[0];
    let history_id = edited[0];
    drop(store);

    // ---- whole commands, each a new process ----
    if let Some(cli) = std::env::var_os("FIELDBOOK_BENCH_CLI") {
        let show = show_id.to_string();
        let history = history_id.to_string();
        let mut commands: Vec<Vec<String>> = Vec::new();
        for q in &queries {
            commands.push(vec!["search".into(), q.clone()]);
        }
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        commands.push(words("list opportunity stage=proposal --limit 50"));
        commands.push(words("list account country=中国 --limit 50"));
        commands.push(words("pipeline"));
        commands.push(words("status"));
        commands.push(vec!["show".into(), show]);
        commands.push(vec!["history".into(), history]);
        for args in commands {
            let c0 = process_ticks().1;
            let (w, _, ok) = measure(CLI_RUNS, |_| {
                let out = std::process::Command::new(&cli)
                    .args(&args)
                    .env("FIELDBOOK_DATA_DIR", &dir)
                    .env_remove("FIELDBOOK_PASSPHRASE")
                    .output()?;
                Ok(out.status.success())
            })?;
            let cpu = tick() * (process_ticks().1 - c0) as u32;
            rows.push(
                Row::new(format!("cli: fieldbook {}", args.join(" ")), (w, cpu))
                    .target(Some(CLI_TARGET))
                    .note(if ok { "" } else { "FAILED" }),
            );
        }
    }
    print_table(&rows);
    let failed = rows.iter().filter(|r| r.verdict() == "FAIL").count();
    println!(
        "{failed} of {} targets missed",
        rows.iter().filter(|r| r.target.is_some()).count()
    );
    Ok(())
}
