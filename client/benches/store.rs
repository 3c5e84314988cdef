//! Performance benchmark of the device store (issue #2).
//!
//! Builds a store of `FIELDBOOK_BENCH_RECORDS` generated records (default 100,000) in a
//! temporary directory through `Store::demo`, then measures, against the targets of the issue:
//! the import itself, `Store::open`, one field edit (`Store::update`, one fsync'd transaction
//! each), `Store::search` with words taken from the book, the pipeline and a by-stage list,
//! the size on disk, and `Store::show` / `Store::history` for reference. Prints the machine and
//! one table of latencies (p50/p95/p99/max from sorted samples) with PASS/FAIL per target.
//!
//! Run (release-like `bench` profile; a full run takes a few minutes):
//!
//! ```sh
//! cargo bench -p fieldbook-client --bench store
//! FIELDBOOK_BENCH_RECORDS=10000 cargo bench -p fieldbook-client --bench store   # quick run
//! ```
//!
//! `FIELDBOOK_BENCH_KEEP=1` keeps the generated store (its path is printed) for inspection.
//! `FIELDBOOK_BENCH_PASSPHRASE=...` makes the store encrypted (SQLCipher, issue #13) and
//! adds a row for unlocking it (the argon2id derivation plus the first read).
//!
//! The targets are for 100,000 records; with fewer records the import target is scaled down
//! linearly and the others are kept as they are. Results are written up in `BENCHMARKS.md`.

use fieldbook_client::store::STORE_FILE;
use fieldbook_client::{FieldValue, FieldValues, Filter, ListQuery, Store};
use fieldbook_core::Kind;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::io::{Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

/// Seed of the generated book (and of every random choice below), so runs are comparable.
const SEED: u64 = 2;
const OPENS: usize = 20;
const FSYNCS: usize = 200;
const EDITS: usize = 1000;
const EDIT_WARMUP: usize = 10;
/// The app runs `Store::maintain` when the user pauses; the bench, every this many edits.
const MAINTAIN_EVERY: usize = 25;
/// An edit whose commit writes more WAL pages than this is counted apart (merge work).
const BIG_WRITE: u32 = 100;
const SEARCHES: usize = 500;
const SEARCH_LIMIT: usize = 20; // as `fieldbook search`
const LIST_RUNS: usize = 50;
const SHOWS: usize = 500;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One row of the results table.
struct Row {
    name: String,
    samples: Vec<Duration>,
    /// What the target limits, and the limit (e.g. `p99 < 5 ms`).
    target: Option<(Stat, Duration)>,
    note: String,
}

#[derive(Clone, Copy)]
enum Stat {
    P99,
    Total,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank: the smallest sample with at least p% of the samples at or below it.
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

impl Row {
    fn new(name: impl Into<String>, samples: Vec<Duration>) -> Row {
        let mut samples = samples;
        samples.sort();
        Row {
            name: name.into(),
            samples,
            target: None,
            note: String::new(),
        }
    }

    fn target(mut self, stat: Stat, limit: Duration) -> Row {
        self.target = Some((stat, limit));
        self
    }

    fn note(mut self, note: impl Into<String>) -> Row {
        self.note = note.into();
        self
    }

    fn p(&self, p: f64) -> Duration {
        percentile(&self.samples, p)
    }

    /// The target column and PASS/FAIL.
    fn verdict(&self) -> (String, &'static str) {
        let Some((stat, limit)) = self.target else {
            return ("-".into(), "");
        };
        let (label, value) = match stat {
            Stat::P99 => ("p99", self.p(99.0)),
            Stat::Total => ("total", self.p(100.0)),
        };
        let ok = if value < limit { "PASS" } else { "FAIL" };
        (format!("{label} < {} ms", ms(limit)), ok)
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "\n| {:<38} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:<16} | {:<4} | note",
        "measurement (ms)", "n", "p50", "p95", "p99", "max", "target", ""
    );
    println!(
        "|{}|{}|{}|{}|{}|{}|{}|{}|-----",
        "-".repeat(40),
        "-".repeat(7),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(10),
        "-".repeat(18),
        "-".repeat(6)
    );
    for r in rows {
        let (target, ok) = r.verdict();
        println!(
            "| {:<38} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:<16} | {:<4} | {}",
            r.name,
            r.samples.len(),
            ms(r.p(50.0)),
            ms(r.p(95.0)),
            ms(r.p(99.0)),
            ms(r.p(100.0)),
            target,
            ok,
            r.note
        );
    }
}

fn time<T>(f: impl FnOnce() -> Res<T>) -> Res<(Duration, T)> {
    let start = Instant::now();
    let out = f()?;
    Ok((start.elapsed(), out))
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kb = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {model}, {cpus} CPUs, {:.1} GiB RAM, load average {}",
        mem_kb as f64 / 1024.0 / 1024.0,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// Ids of every live record of `kind`, resolved to Uuids through the public API.
fn ids_of(store: &Store, kind: Kind) -> Res<Vec<uuid::Uuid>> {
    let rows = store.list(kind, &ListQuery::default())?;
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        ids.push(store.resolve_id(&row.id.to_string())?);
    }
    ids.sort_unstable();
    Ok(ids)
}

/// One measured edit.
struct Edit {
    id: uuid::Uuid,
    time: Duration,
    /// WAL pages (frames) the edit's commit appended.
    pages: u32,
    /// Whether SQLite ran its auto-checkpoint after the commit.
    checkpointed: bool,
}

/// Why an edit took what it took, as far as the WAL tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EditClass {
    Ordinary,
    /// Its commit wrote more than `BIG_WRITE` pages (FTS5 segment merging).
    BigWrite,
    /// SQLite ran its auto-checkpoint after its commit.
    Checkpoint,
}

#[derive(Clone, Copy)]
struct WalState {
    salts: [u8; 8],
    frames: u32,
}

/// The WAL's salts (WAL header bytes 16..24, new whenever SQLite restarts the WAL after a
/// complete checkpoint) and its number of valid frames (`mxFrame`, bytes 16..20 of the
/// wal-index header in `-shm`, native byte order); see <https://sqlite.org/walformat.html>.
fn wal_state(dir: &std::path::Path) -> Option<WalState> {
    let read = |suffix: &str, n: usize| -> Option<Vec<u8>> {
        let mut buf = vec![0u8; n];
        let mut file = std::fs::File::open(dir.join(format!("{STORE_FILE}{suffix}"))).ok()?;
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    let header = read("-wal", 24)?;
    let index = read("-shm", 20)?;
    Some(WalState {
        salts: header[16..24].try_into().ok()?,
        frames: u32::from_ne_bytes(index[16..20].try_into().ok()?),
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Search queries as a user types them, taken from the book: 3–4 letter prefixes of English
/// words in account and contact names, 2–4 character fragments of Chinese company names, and
/// Chinese contact names (whole, or the two-character given name).
fn search_queries(store: &Store, rng: &mut StdRng, n: usize) -> Res<Vec<String>> {
    let names = |kind: Kind| -> Res<Vec<String>> {
        Ok(store
            .list(kind, &ListQuery::default())?
            .into_iter()
            .map(|r| r.title)
            .collect())
    };
    // Sorted: list order follows `updated_at`, which the timed edits above make vary.
    let mut accounts = names(Kind::Account)?;
    let mut contacts = names(Kind::Contact)?;
    accounts.sort_unstable();
    contacts.sort_unstable();
    let mut latin: Vec<String> = Vec::new();
    let mut han_accounts: Vec<Vec<char>> = Vec::new();
    let mut han_people: Vec<Vec<char>> = Vec::new();
    for (name, is_account) in accounts
        .iter()
        .map(|a| (a, true))
        .chain(contacts.iter().map(|c| (c, false)))
    {
        let han: Vec<char> = name.chars().filter(|c| is_han(*c)).collect();
        if han.len() >= 2 {
            if is_account {
                han_accounts.push(han);
            } else {
                han_people.push(han);
            }
            continue;
        }
        for word in name.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() >= 3 && word.is_ascii() {
                latin.push(word.to_ascii_lowercase());
            }
        }
    }
    if latin.is_empty() || han_accounts.is_empty() || han_people.is_empty() {
        return Err("the book has too few names to draw search queries from".into());
    }
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let q = match rng.random_range(0..10) {
            // English prefix, e.g. "acm", "nort"
            0..=3 => {
                let w = latin.choose(rng).ok_or("no words")?;
                let len = rng.random_range(3..=4).min(w.len());
                w[..len].to_string()
            }
            // Fragment of a Chinese company name, e.g. "青岛", "股份", "机械制造"
            4..=7 => {
                let name = han_accounts.choose(rng).ok_or("no names")?;
                let len = rng.random_range(2..=4).min(name.len());
                let start = rng.random_range(0..=name.len() - len);
                name[start..start + len].iter().collect()
            }
            // A Chinese contact: the full name or the given name
            _ => {
                let name = han_people.choose(rng).ok_or("no names")?;
                if rng.random_bool(0.5) || name.len() < 3 {
                    name.iter().collect()
                } else {
                    name[1..].iter().collect()
                }
            }
        };
        out.push(q);
    }
    Ok(out)
}

fn main() -> Res<()> {
    let records: usize = match std::env::var("FIELDBOOK_BENCH_RECORDS") {
        Ok(v) => v.trim().replace('_', "").parse()?,
        Err(_) => 100_000,
    };
    print_machine();
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("store");
    // FIELDBOOK_BENCH_KEEP=1 keeps the store afterwards (for `sqlite3`, profiling, ...).
    let keep = std::env::var_os("FIELDBOOK_BENCH_KEEP").is_some();
    println!("store: {} records in {}", records, dir.display());
    let mut rows: Vec<Row> = Vec::new();
    let mut rng = StdRng::seed_from_u64(SEED);

    // ---- import: the whole book through the normal write path (batches of 1,000) ----
    let passphrase = std::env::var("FIELDBOOK_BENCH_PASSPHRASE").ok();
    let protection = match &passphrase {
        Some(p) => fieldbook_client::Protection::passphrase(p),
        None => fieldbook_client::Protection::None,
    };
    println!(
        "encrypted at rest: {}",
        if passphrase.is_some() {
            "yes (SQLCipher)"
        } else {
            "no"
        }
    );
    let mut store = Store::init_with(&dir, "bench", "EUR", &protection)?;
    let mut last_report = Instant::now();
    let (import, added) = time(|| {
        Ok(store.demo(records, SEED, &mut |done, total| {
            if last_report.elapsed() > Duration::from_secs(5) || done == total {
                eprintln!("  import: {done}/{total}");
                last_report = Instant::now();
            }
        })?)
    })?;
    let rate = added as f64 / import.as_secs_f64();
    let import_limit = Duration::from_secs_f64(30.0 * records as f64 / 100_000.0);
    rows.push(
        Row::new(format!("import {records} (Store::demo)"), vec![import])
            .target(Stat::Total, import_limit)
            .note(format!("{rate:.0} records/s")),
    );

    // ---- size on disk ----
    store.checkpoint()?;
    let size = store.size_on_disk();
    let counts = store.counts()?;
    println!(
        "size on disk: {:.1} MB ({} bytes), {:.0} bytes/record; records: {}",
        size as f64 / 1e6,
        size,
        size as f64 / added as f64,
        counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // ---- open (the page cache is warm: the store was just written) ----
    drop(store);
    let mut opens = Vec::with_capacity(OPENS);
    for _ in 0..OPENS {
        let (d, s) = time(|| Ok(Store::open(&dir)?))?;
        opens.push(d);
        drop(s);
    }
    rows.push(Row::new("open (Store::open)", opens).target(Stat::P99, Duration::from_millis(500)));
    if let Some(p) = &passphrase {
        let mut unlocks = Vec::new();
        for _ in 0..5 {
            fieldbook_client::at_rest::lock(&dir);
            let (d, ()) = time(|| Ok(fieldbook_client::at_rest::unlock(&dir, p)?))?;
            unlocks.push(d);
        }
        rows.push(Row::new("unlock (argon2id + first read)", unlocks));
    }
    let mut store = Store::open(&dir)?;
    store.checkpoint()?;

    // ---- ids ----
    let opportunities = ids_of(&store, Kind::Opportunity)?;
    let accounts = ids_of(&store, Kind::Account)?;
    let quotes = ids_of(&store, Kind::Quote)?;
    let contacts = ids_of(&store, Kind::Contact)?;

    // ---- the disk's floor for a durable write: 4 KiB rewritten in place + fdatasync ----
    let probe = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&probe)?;
    let block = vec![0x5au8; 4096];
    let mut syncs = Vec::with_capacity(FSYNCS);
    for _ in 0..FSYNCS {
        let (d, ()) = time(|| {
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&block)?;
            Ok(file.sync_data()?)
        })?;
        syncs.push(d);
    }
    drop(file);
    std::fs::remove_file(&probe)?;
    rows.push(Row::new("disk: 4 KiB write + fdatasync", syncs).note("floor of one durable commit"));

    // ---- one field edit: one transaction, fsync'd, on random opportunities/accounts ----
    // Besides its time, each edit's cost in WAL pages is read from the wal-index (`-shm`),
    // and whether it ran SQLite's auto-checkpoint (WAL at 1,000 pages) from the WAL header:
    // the write after a checkpoint restarts the WAL with new salts.
    let mut edits: Vec<Edit> = Vec::with_capacity(EDITS);
    let mut maintenance: Vec<Duration> = Vec::new();
    let mut before = wal_state(&dir);
    let mut after_maintain = false;
    for i in 0..EDIT_WARMUP + EDITS {
        // What the app does when the user pauses: housekeeping off the write path.
        if i % MAINTAIN_EVERY == MAINTAIN_EVERY - 1 {
            let (took, ()) = time(|| Ok(store.maintain()?))?;
            maintenance.push(took);
            before = wal_state(&dir);
            after_maintain = true;
        }
        let (id, arg) = if rng.random_bool(0.5) {
            let id = *opportunities.choose(&mut rng).ok_or("no opportunities")?;
            let arg = (
                "next_step",
                format!("Call back about the revised offer ({i})"),
            );
            (id, arg)
        } else {
            let id = *accounts.choose(&mut rng).ok_or("no accounts")?;
            let arg = (
                "phone",
                format!("+49 30 {:08}", rng.random_range(0..100_000_000)),
            );
            (id, arg)
        };
        let values: FieldValues = [(arg.0.to_string(), Some(FieldValue::Text(arg.1)))].into();
        let (took, ()) = time(|| Ok(store.update(id, &values)?))?;
        let after = wal_state(&dir);
        // A WAL restarted right after `maintain` checkpointed it is no checkpoint of this edit.
        let restarted = before.map(|b| b.salts) != after.map(|a| a.salts);
        if restarted
            && !std::mem::take(&mut after_maintain)
            && let Some(last) = edits.last_mut()
        {
            last.checkpointed = true;
        }
        let pages = match (before, after) {
            (Some(b), Some(a)) if !restarted => a.frames.saturating_sub(b.frames),
            (_, a) => a.map_or(0, |a| a.frames),
        };
        before = after;
        edits.push(Edit {
            id,
            time: took,
            pages,
            checkpointed: false,
        });
    }
    let edits = edits.split_off(EDIT_WARMUP);
    let edited: Vec<uuid::Uuid> = edits.iter().map(|e| e.id).collect();
    let class = |e: &Edit| {
        if e.checkpointed {
            EditClass::Checkpoint
        } else if e.pages > BIG_WRITE {
            EditClass::BigWrite
        } else {
            EditClass::Ordinary
        }
    };
    let times = |c: EditClass| -> Vec<Duration> {
        let picked = edits.iter().filter(|e| class(e) == c);
        picked.map(|e| e.time).collect()
    };
    let median_pages = |c: EditClass| -> u32 {
        let mut p: Vec<u32> = edits
            .iter()
            .filter(|e| class(e) == c)
            .map(|e| e.pages)
            .collect();
        p.sort_unstable();
        p.get(p.len() / 2).copied().unwrap_or(0)
    };
    rows.push(
        Row::new(
            "edit one field (Store::update)",
            edits.iter().map(|e| e.time).collect(),
        )
        .target(Stat::P99, Duration::from_millis(5))
        .note("opportunity next_step / account phone; split below"),
    );
    rows.push(
        Row::new("  ordinary edits", times(EditClass::Ordinary)).note(format!(
            "~{} WAL pages each",
            median_pages(EditClass::Ordinary)
        )),
    );
    rows.push(
        Row::new(
            format!("  edits writing > {BIG_WRITE} pages"),
            times(EditClass::BigWrite),
        )
        .note(format!(
            "~{} WAL pages each: FTS5 automerge work",
            median_pages(EditClass::BigWrite)
        )),
    );
    rows.push(
        Row::new(
            "  edits running the auto-checkpoint",
            times(EditClass::Checkpoint),
        )
        .note(format!(
            "~{} WAL pages + copying the WAL into the db",
            median_pages(EditClass::Checkpoint)
        )),
    );

    rows.push(
        Row::new(
            format!("maintain (every {MAINTAIN_EVERY} edits, at idle)"),
            maintenance,
        )
        .note("FTS5 merge of 64 pages + passive WAL checkpoint; not in the edit path"),
    );

    // ---- search with words from the book ----
    let queries = search_queries(&store, &mut rng, SEARCHES)?;
    println!("search queries, e.g.: {}", queries[..12].join(", "));
    let mut searches = Vec::with_capacity(SEARCHES);
    let mut hits = 0usize;
    let mut slowest = (Duration::ZERO, String::new());
    for q in &queries {
        let (d, found) = time(|| Ok(store.search(q, SEARCH_LIMIT)?))?;
        hits += found.len();
        if d > slowest.0 {
            slowest = (d, q.clone());
        }
        searches.push(d);
    }
    rows.push(
        Row::new("search (Store::search, limit 20)", searches)
            .target(Stat::P99, Duration::from_millis(20))
            .note(format!(
                "{:.1} hits/query; slowest {:?}",
                hits as f64 / queries.len() as f64,
                slowest.1
            )),
    );

    // ---- pipeline and a by-stage list ----
    let mut pipeline = Vec::with_capacity(LIST_RUNS);
    let mut open_deals = 0;
    for _ in 0..LIST_RUNS {
        let (d, stages) = time(|| Ok(store.pipeline()?))?;
        open_deals = stages.iter().map(|s| s.count).sum::<u64>();
        pipeline.push(d);
    }
    rows.push(
        Row::new("pipeline (Store::pipeline)", pipeline)
            .target(Stat::P99, Duration::from_millis(50))
            .note(format!("{open_deals} open opportunities")),
    );
    let by_stage = ListQuery {
        filters: vec![Filter {
            field: "stage".into(),
            value: Some(FieldValue::Text("proposal".into())),
        }],
        ..Default::default()
    };
    let mut lists = Vec::with_capacity(LIST_RUNS);
    let mut listed = 0;
    for _ in 0..LIST_RUNS {
        let (d, found) = time(|| Ok(store.list(Kind::Opportunity, &by_stage)?))?;
        listed = found.len();
        lists.push(d);
    }
    rows.push(
        Row::new("list opportunity stage=proposal", lists)
            .target(Stat::P99, Duration::from_millis(50))
            .note(format!("{listed} rows, typed records")),
    );

    // ---- show and history (one Automerge document each) ----
    let mut pool: Vec<uuid::Uuid> = Vec::new();
    for ids in [&accounts, &contacts, &opportunities, &quotes] {
        pool.extend(ids.iter().copied());
    }
    let mut shows = Vec::with_capacity(SHOWS);
    for _ in 0..SHOWS {
        let id = *pool.choose(&mut rng).ok_or("no records")?;
        let (d, _) = time(|| Ok(store.record(id)?))?;
        shows.push(d);
    }
    rows.push(
        Row::new("show (Store::record)", shows).note("random account/contact/opportunity/quote"),
    );
    let mut histories = Vec::with_capacity(SHOWS);
    for _ in 0..SHOWS {
        let id = *edited.choose(&mut rng).ok_or("no edits")?;
        let (d, _) = time(|| Ok(store.history(id)?))?;
        histories.push(d);
    }
    rows.push(Row::new("history (Store::history)", histories).note("records edited above"));

    print_table(&rows);
    println!(
        "\nsize on disk after checkpoint: {:.1} MB, {:.0} bytes/record (reported, no target)",
        size as f64 / 1e6,
        size as f64 / added as f64
    );
    if keep {
        println!("store kept in {}", tmp.keep().join("store").display());
    }
    let failed = rows.iter().filter(|r| r.verdict().1 == "FAIL").count();
    println!(
        "{failed} of {} targets missed",
        rows.iter().filter(|r| r.target.is_some()).count()
    );
    Ok(())
}
