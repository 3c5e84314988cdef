//! Benchmark of `fieldbook reminders` on a large store (issue #11): the reminders due
//! today (renewals, predicted reorders, overdue cases), read from the projections of a store
//! of `FIELDBOOK_BENCH_RECORDS` generated records (default 100,000: `Store::demo`, seed 2,
//! whose won deals carry renewal dates three times in ten and whose accounts have cases).
//!
//! Measures, with `std::time::Instant` over `RUNS` runs each (warm page cache, as on a
//! laptop in use):
//! - `Store::reminders(today)`: the library call the app and the CLI make;
//! - `Store::open` + `Store::reminders`: what one `fieldbook reminders` does in-process;
//! - the real command, `fieldbook --json reminders`, spawned (process start included), when
//!   the `fieldbook` binary of this profile is built (`cargo build --release -p
//!   fieldbook-cli` for the `bench` profile, which shares `release`'s directory).
//!
//! ```sh
//! cargo bench -p fieldbook-client --bench reminders
//! FIELDBOOK_BENCH_RECORDS=10000 cargo bench -p fieldbook-client --bench reminders  # quick
//! ```
//!
//! The target (< 50 ms for the command on 100,000 records) is checked on the p95 of the
//! wall time. Each row also gives the CPU time per run (user + system, of this process for
//! the library calls, of the children for the command; Linux clock ticks of 10 ms, so an
//! average): wall times follow a shared machine's load, CPU time much less.

use fieldbook_client::Store;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const SEED: u64 = 2;
const RUNS: usize = 50;
const TARGET: Duration = Duration::from_millis(50);

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// CPU time (user + system) of this process and of its waited-for children so far.
fn cpu() -> (Duration, Duration) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name (in parentheses): utime, stime, cutime, cstime are the 12th
    // to 15th fields.
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = |i: usize| fields.get(i).copied().unwrap_or(0);
    (
        Duration::from_millis((ticks(11) + ticks(12)) * 10),
        Duration::from_millis((ticks(13) + ticks(14)) * 10),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn report(name: &str, mut samples: Vec<Duration>, cpu: Duration, target: bool) {
    samples.sort();
    let p95 = percentile(&samples, 95.0);
    let verdict = match (target, p95 < TARGET) {
        (false, _) => "",
        (true, true) => "PASS (p95 < 50 ms)",
        (true, false) => "FAIL (p95 >= 50 ms)",
    };
    println!(
        "| {name:<44} | {:>4} | {:>7} | {:>7} | {:>7} | {:>7} | {verdict}",
        samples.len(),
        ms(percentile(&samples, 50.0)),
        ms(p95),
        ms(percentile(&samples, 100.0)),
        ms(cpu / samples.len() as u32),
    );
}

/// The `fieldbook` binary built next to this bench, if any.
fn fieldbook_bin() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("fieldbook");
    bin.is_file().then_some(bin)
}

fn main() -> Res<()> {
    let records: usize = match std::env::var("FIELDBOOK_BENCH_RECORDS") {
        Ok(v) => v.trim().replace('_', "").parse()?,
        Err(_) => 100_000,
    };
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("store");
    let mut store = Store::init(&dir, "bench", "EUR")?;
    let started = Instant::now();
    store.demo(records, SEED, &mut |_, _| {})?;
    store.checkpoint()?;
    let counts = store.counts()?;
    println!(
        "store: {records} records made in {:.1} s ({}); load average {}",
        started.elapsed().as_secs_f64(),
        counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let today = time::OffsetDateTime::now_utc().date();
    let due = store.reminders(today)?;
    let kinds = |prefix: &str| {
        due.iter()
            .filter(|r| r.reminder.key.starts_with(prefix))
            .count()
    };
    println!(
        "reminders due today: {} ({} renewals, {} reorders, {} overdue cases)",
        due.len(),
        kinds("renewal:"),
        kinds("reorder:"),
        kinds("case:")
    );
    println!(
        "\n| {:<44} | {:>4} | {:>7} | {:>7} | {:>7} | {:>7} | target",
        "measurement (ms)", "n", "p50", "p95", "max", "cpu/run"
    );
    println!(
        "|{}|------|---------|---------|---------|---------|-------",
        "-".repeat(46)
    );

    let mut samples = Vec::with_capacity(RUNS);
    let before = cpu().0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = store.reminders(today)?;
        samples.push(t.elapsed());
        assert_eq!(r.len(), due.len());
    }
    report("Store::reminders(today)", samples, cpu().0 - before, false);
    drop(store);

    let mut samples = Vec::with_capacity(RUNS);
    let before = cpu().0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let s = Store::open(&dir)?;
        let r = s.reminders(today)?;
        samples.push(t.elapsed());
        assert_eq!(r.len(), due.len());
    }
    report(
        "Store::open + Store::reminders",
        samples,
        cpu().0 - before,
        true,
    );

    match fieldbook_bin() {
        None => println!("(no `fieldbook` binary next to this bench: the command is not timed)"),
        Some(bin) => {
            let mut samples = Vec::with_capacity(RUNS);
            let before = cpu().1;
            for _ in 0..RUNS {
                let t = Instant::now();
                let out = Command::new(&bin)
                    .arg("--data-dir")
                    .arg(&dir)
                    .args(["--json", "reminders"])
                    .output()?;
                samples.push(t.elapsed());
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            report(
                "fieldbook --json reminders (process)",
                samples,
                cpu().1 - before,
                true,
            );
        }
    }
    if std::env::var_os("FIELDBOOK_BENCH_KEEP").is_some() {
        println!("kept: {}", tmp.keep().display());
    }
    Ok(())
}
