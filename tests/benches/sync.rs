//! End-to-end sync benchmark (issue #3): a real `fieldbook-server` process (release build)
//! on 127.0.0.1, real device stores (`fieldbook_client::Store` used as a library, as the
//! desktop app uses it), and simulated devices speaking the HTTP API directly.
//!
//! Phases, against the targets of the issue:
//! 1. **Book and bootstrap.** One store (rep `alice`) gets `Store::demo(N)`, signs in and
//!    syncs (its push is timed, and the pull of its own changes that follows). Then a new
//!    store signs in as alice and syncs: the bootstrap, checked record for record by kind.
//!    Then (`uiwrites`) a third device bootstraps the same way while a UI thread, on its own
//!    `Store` on the same file, writes every 20 ms: the latency of each write, and whether
//!    any met `SQLITE_BUSY`, during a pull of the whole book.
//! 2. **Everyday syncs.** On the bootstrapped device: 100 `Store::update`s on random
//!    records (the UI's store), then a timed `SyncEngine::sync` (its own connection; push
//!    100 + pull), 30 times; then 30 syncs with nothing to do.
//! 3. **200 devices** (100 reps with a laptop and a phone each) on one async thread of this
//!    process, with pre-made pages (Automerge changes made with `RecordDoc`, JSON, gzip) so
//!    the load generator stays light. Each device loops: push a page of 50 changes to its
//!    own records (10 new, 40 edits), then pull until caught up. Paced at the target load
//!    (5,000 changes/s in all), paced at 1,000 changes/s, and back to back (capacity).
//! 4. **Growth and memory.** The server's VmRSS/VmHWM (`/proc/PID/status`) idle, at N
//!    records, after the device runs, and while other reps' books (generated with
//!    `fieldbook_core::demo`, pushed in pages of 1,000 by two devices at a time) grow the
//!    server to 10 × N records. Then phase 2 again at that size: at once, and after the
//!    disk has written back what the growth left dirty (`sync`).
//!
//! Run (release-like `bench` profile; the server binary must be built first; a full run
//! takes about 13 minutes):
//!
//! ```sh
//! export CARGO_TARGET_DIR=/root/.cache/fieldbook/target
//! cargo build --release --workspace --bins
//! cargo bench -p fieldbook-tests --bench sync
//! FIELDBOOK_BENCH_RECORDS=10000 cargo bench -p fieldbook-tests --bench sync   # quick run
//! ```
//!
//! Knobs: `FIELDBOOK_BENCH_RECORDS` (alice's book, default 100,000; the server grows to ten
//! times that), `FIELDBOOK_BENCH_GROW_TO` (that size), `FIELDBOOK_BENCH_DEVICES` (200),
//! `FIELDBOOK_BENCH_RUN_SECS` (20 per device run), `FIELDBOOK_SERVER_BIN` (else
//! `fieldbook-server` next to this bench's profile directory), `FIELDBOOK_BENCH_PERF=DIR`
//! (records `perf record --call-graph dwarf` of the server during the device runs and the
//! syncs at full size into DIR), `FIELDBOOK_BENCH_PHASES` (a comma-separated subset of
//! `bootstrap`, `uiwrites`, `sync100`, `devices`, `growth`; default: all. Phase 1 always runs: the
//! others need its device. `sync100` is phase 2, `devices` phase 3, `growth` phase 4 with
//! its syncs). The server inherits the environment (e.g. `MALLOC_ARENA_MAX`) and logs to a
//! file at its default level (info). `FIELDBOOK_BENCH_PASSPHRASE=...` makes the device
//! stores encrypted (SQLCipher, issue #13), to compare bootstrap and syncs with and without.
//! Results are written up in `BENCHMARKS.md`.

use fieldbook_client::{
    Cancel, FieldValue, FieldValues, ListQuery, Protection, Store, SyncEngine, SyncEvent, exchange,
};
use fieldbook_core::Kind;
use fieldbook_core::demo::DemoRecord;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, LoginResponse, MAX_PUSH_CHANGES, NewUser, PROTOCOL_HEADER,
    PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse, Role,
};
use fieldbook_core::schema::{self, FieldSpec};
use fieldbook_core::value::{self, Value};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
/// One simulated device's pushes made in advance (gzip'd bodies): its first, then the runs'.
type Pages = (Vec<u8>, Vec<Vec<u8>>);

/// Seed of alice's book and of every random choice, so runs are comparable.
const SEED: u64 = 3;
const PASSWORD: &str = "bench password 3";
/// Timed rounds of "100 edits, then sync" and of syncs with nothing to do.
const SYNC_ROUNDS: usize = 30;
const CHANGED_PER_SYNC: usize = 100;
/// Changes in one device's push during the device runs: a fifth new records, the rest edits.
const DEVICE_PAGE: usize = 50;
/// Records each simulated device creates before the runs (so it has records to edit).
const DEVICE_SEED_RECORDS: usize = 50;
/// The load the first paced run offers, in changes per second, all devices together.
const TARGET_RATE: f64 = 5000.0;
/// The second paced run's: every device syncs 50 changes every 10 s.
const LIGHT_RATE: f64 = 1000.0;
/// Pages made in advance for the unpaced run, per device, as a multiple of what the
/// target rate would use (a device that runs out stops, and the run says so).
const UNPACED_HEADROOM: f64 = 2.0;
/// The header the real client sends with every request (changes it still holds).
const PENDING_HEADER: &str = "fieldbook-pending";

// ---------------------------------------------------------------- statistics and table

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
    if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// What a row's target limits.
#[derive(Clone, Copy)]
enum Target {
    None,
    P50Below(Duration),
    P99Below(Duration),
    TotalBelow(Duration),
    /// Every sample below this.
    MaxBelow(Duration),
    /// At least this many per second (the row's `rate`).
    RateAtLeast(f64),
}

struct Row {
    name: String,
    samples: Vec<Duration>,
    target: Target,
    /// A throughput, for rate targets.
    rate: Option<f64>,
    note: String,
}

impl Row {
    fn new(name: impl Into<String>, mut samples: Vec<Duration>) -> Row {
        samples.sort();
        Row {
            name: name.into(),
            samples,
            target: Target::None,
            rate: None,
            note: String::new(),
        }
    }

    /// A throughput row: `n` items in `took`.
    fn rate(name: impl Into<String>, n: u64, took: Duration, unit: &str) -> Row {
        let r = n as f64 / took.as_secs_f64().max(1e-9);
        let mut row = Row::new(name, vec![took]);
        row.rate = Some(r);
        row.note = format!(
            "{n} {unit} in {:.1} s = {r:.0} {unit}/s",
            took.as_secs_f64()
        );
        row
    }

    fn target(mut self, t: Target) -> Row {
        self.target = t;
        self
    }

    fn note(mut self, note: impl Into<String>) -> Row {
        let note = note.into();
        self.note = if self.note.is_empty() {
            note
        } else {
            format!("{}; {note}", self.note)
        };
        self
    }

    fn p(&self, p: f64) -> Duration {
        percentile(&self.samples, p)
    }

    fn verdict(&self) -> (String, &'static str) {
        let ok = |b: bool| if b { "PASS" } else { "FAIL" };
        match self.target {
            Target::None => ("-".into(), ""),
            Target::P50Below(l) => (format!("p50 < {} ms", ms(l)), ok(self.p(50.0) < l)),
            Target::P99Below(l) => (format!("p99 < {} ms", ms(l)), ok(self.p(99.0) < l)),
            Target::TotalBelow(l) => (format!("< {:.1} s", l.as_secs_f64()), ok(self.p(100.0) < l)),
            Target::MaxBelow(l) => (format!("max < {} ms", ms(l)), ok(self.p(100.0) < l)),
            Target::RateAtLeast(r) => (
                format!(">= {r:.0}/s"),
                ok(self.rate.is_some_and(|x| x >= r)),
            ),
        }
    }
}

fn print_table(title: &str, rows: &[Row]) {
    println!("\n{title}\n");
    println!(
        "| {:<52} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:<14} | {:<4} | note",
        "measurement (ms)", "n", "p50", "p95", "p99", "max", "target", ""
    );
    println!(
        "|{}|------:|---------:|---------:|---------:|---------:|{}|------|-----",
        "-".repeat(54),
        "-".repeat(16)
    );
    for r in rows {
        let (target, ok) = r.verdict();
        println!(
            "| {:<52} | {:>5} | {:>8} | {:>8} | {:>8} | {:>8} | {:<14} | {:<4} | {}",
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

fn env_num(name: &str, default: usize) -> Res<usize> {
    match std::env::var(name) {
        Ok(v) => Ok(v.trim().replace('_', "").parse()?),
        Err(_) => Ok(default),
    }
}

/// The phases `FIELDBOOK_BENCH_PHASES` may name (see the module's documentation).
const PHASES: [&str; 5] = ["bootstrap", "uiwrites", "sync100", "devices", "growth"];

/// The phases to run: every one unless `FIELDBOOK_BENCH_PHASES` names some.
fn phases() -> Res<Vec<&'static str>> {
    let Ok(list) = std::env::var("FIELDBOOK_BENCH_PHASES") else {
        return Ok(PHASES.to_vec());
    };
    let mut chosen = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let phase = PHASES.iter().find(|p| **p == name).ok_or_else(|| {
            format!(
                "FIELDBOOK_BENCH_PHASES: unknown phase `{name}` (known: {})",
                PHASES.join(", ")
            )
        })?;
        chosen.push(*phase);
    }
    Ok(chosen)
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_once(':'))
            .map_or("?".to_string(), |(_, m)| m.trim().to_string())
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kb = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    println!(
        "machine: {} ({} MHz, cache {}), {cpus} CPUs shared by the server and the load generator, \
         {:.1} GiB RAM, Linux {}, load average {}",
        field("model name"),
        field("cpu MHz"),
        field("cache size"),
        mem_kb as f64 / 1024.0 / 1024.0,
        kernel.trim(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

// ---------------------------------------------------------------- the server process

/// A `fieldbook-server` process started by the bench (so its PID is known), on its own data
/// directory; killed when dropped.
struct ServerProc {
    dir: tempfile::TempDir,
    url: String,
    child: Child,
    clock_ticks: f64,
}

/// Memory of the server process, from `/proc/PID/status`, in KiB.
#[derive(Clone, Copy)]
struct Mem {
    rss: u64,
    hwm: u64,
}

fn server_bin() -> Res<PathBuf> {
    if let Some(p) = std::env::var_os("FIELDBOOK_SERVER_BIN") {
        return Ok(PathBuf::from(p));
    }
    // target/<profile>/deps/sync-<hash> → target/<profile>/fieldbook-server
    let exe = std::env::current_exe()?;
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("bench executable outside target/<profile>/deps")?;
    let bin = profile.join("fieldbook-server");
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release --workspace --bins` first, or set FIELDBOOK_SERVER_BIN",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

impl ServerProc {
    fn start() -> Res<ServerProc> {
        let bin = server_bin()?;
        let dir = tempfile::tempdir()?;
        // An administrator, to add the other users through the API.
        let out = Command::new(&bin)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["user", "add", "ada", "--role", "admin"])
            .env("FIELDBOOK_PASSWORD", PASSWORD)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "fieldbook-server user add failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        let log = std::fs::File::create(dir.path().join("server.log"))?;
        let mut child = Command::new(&bin)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no server stdout")?;
        let mut lines = std::io::BufReader::new(stdout).lines();
        let url = lines.by_ref().map_while(|l| l.ok()).find_map(|line| {
            line.trim()
                .strip_prefix("listening on ")
                .map(|u| u.trim().to_string())
        });
        let Some(url) = url else {
            let _ = child.kill();
            return Err("fieldbook-server did not start (see its log)".into());
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let clock_ticks = Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0);
        Ok(ServerProc {
            dir,
            url,
            child,
            clock_ticks,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn mem(&self) -> Mem {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let kb = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        Mem {
            rss: kb("VmRSS:"),
            hwm: kb("VmHWM:"),
        }
    }

    /// CPU seconds (user + system) the server has used so far.
    fn cpu(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.pid()), self.clock_ticks)
    }

    /// Bytes the server process has read from and written to the disk so far
    /// (`/proc/PID/io`: `read_bytes`, `write_bytes`; page-cache hits are not reads).
    fn io(&self) -> (u64, u64) {
        let io = std::fs::read_to_string(format!("/proc/{}/io", self.pid())).unwrap_or_default();
        let get = |key: &str| {
            io.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        (get("read_bytes:"), get("write_bytes:"))
    }

    /// Bytes of the database and its WAL.
    fn db_bytes(&self) -> u64 {
        ["server.db", "server.db-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(self.dir.path().join(f)).ok())
            .map(|m| m.len())
            .sum()
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of a `/proc/.../stat` file, in seconds.
fn cpu_seconds(stat_file: &str, ticks: f64) -> f64 {
    let stat = std::fs::read_to_string(stat_file).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is the first; utime
    // and stime are fields 14 and 15 of the whole line.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / ticks
}

/// CPU seconds of this process (the load generator and the client stores).
fn own_cpu(ticks: f64) -> f64 {
    cpu_seconds("/proc/self/stat", ticks)
}

// ---------------------------------------------------------------- plain HTTP (setup, bulk)

fn http() -> Res<reqwest::blocking::Client> {
    Ok(reqwest::blocking::Client::builder()
        .gzip(true)
        .timeout(Duration::from_secs(300))
        .build()?)
}

fn login(http: &reqwest::blocking::Client, url: &str, user: &str) -> Res<LoginResponse> {
    let resp = http
        .post(format!("{url}/v1/login"))
        .header("fieldbook-protocol", "1")
        .json(&LoginRequest {
            user: user.into(),
            password: PASSWORD.into(),
            device_name: format!("{user}'s bench device"),
        })
        .send()?;
    if !resp.status().is_success() {
        return Err(format!("login {user}: {} {}", resp.status(), resp.text()?).into());
    }
    Ok(resp.json()?)
}

fn add_user(http: &reqwest::blocking::Client, url: &str, admin_token: &str, name: &str) -> Res<()> {
    let resp = http
        .post(format!("{url}/v1/admin/users"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .bearer_auth(admin_token)
        .json(&NewUser {
            name: name.into(),
            role: Role::Rep,
            team: None,
            password: PASSWORD.into(),
        })
        .send()?;
    if !resp.status().is_success() {
        return Err(format!("add user {name}: {} {}", resp.status(), resp.text()?).into());
    }
    Ok(())
}

/// Records stored on the server (`fieldbook_docs` of `/metrics`).
fn server_docs(http: &reqwest::blocking::Client, url: &str) -> Res<u64> {
    let text = http.get(format!("{url}/metrics")).send()?.text()?;
    text.lines()
        .find_map(|l| l.strip_prefix("fieldbook_docs "))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| "no fieldbook_docs in /metrics".into())
}

/// Sum (seconds) and count of one of the server's latency histograms (`/metrics`).
fn server_hist(http: &reqwest::blocking::Client, url: &str, name: &str) -> Res<(f64, f64)> {
    let text = http.get(format!("{url}/metrics")).send()?.text()?;
    let value = |suffix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}_{suffix} ")))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok((value("sum"), value("count")))
}

/// The server's own mean time for pushes and pulls over `f` (from `/metrics`), and what it
/// read from and wrote to the disk meanwhile.
fn server_means<T>(
    http: &reqwest::blocking::Client,
    server: &ServerProc,
    f: impl FnOnce() -> Res<T>,
) -> Res<(T, String)> {
    let url = server.url.as_str();
    let io0 = server.io();
    let names = [
        "fieldbook_push_duration_seconds",
        "fieldbook_pull_duration_seconds",
    ];
    let before: Vec<_> = names
        .iter()
        .map(|n| server_hist(http, url, n))
        .collect::<Res<_>>()?;
    let out = f()?;
    let mut means = Vec::new();
    for (n, (s0, c0)) in names.iter().zip(before) {
        let (s1, c1) = server_hist(http, url, n)?;
        let what = if n.contains("push") { "push" } else { "pull" };
        means.push(format!(
            "{what} {:.1} ms",
            (s1 - s0) / (c1 - c0).max(1.0) * 1000.0
        ));
    }
    let io1 = server.io();
    Ok((
        out,
        format!(
            "server's own mean: {}; server disk reads {:.1} MB, writes {:.1} MB",
            means.join(", "),
            (io1.0 - io0.0) as f64 / 1e6,
            (io1.1 - io0.1) as f64 / 1e6
        ),
    ))
}

/// A push body as the client sends it: JSON, gzip (fast).
fn push_body(changes: Vec<ChangeEnvelope>) -> Res<Vec<u8>> {
    let pending = changes.len() as u64;
    let json = serde_json::to_vec(&PushRequest {
        protocol: PROTOCOL_VERSION,
        changes,
        pending,
        log_id: None,
    })?;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(json.len() / 2),
        flate2::Compression::fast(),
    );
    gz.write_all(&json)?;
    Ok(gz.finish()?)
}

fn push_blocking(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    body: Vec<u8>,
    pending: usize,
) -> Res<PushResponse> {
    let resp = http
        .post(format!("{url}/v1/push"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header(PENDING_HEADER, pending.to_string())
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .bearer_auth(token)
        .body(body)
        .send()?;
    let status = resp.status();
    if !(status.is_success() || status.as_u16() == 403) {
        return Err(format!("push: {status} {}", resp.text()?).into());
    }
    Ok(resp.json()?)
}

// ---------------------------------------------------------------- changes made by hand

fn spec(kind: Kind, name: &str) -> &'static FieldSpec {
    schema::field(kind, name).expect("a field of the schema")
}

/// One simulated device's records, as Automerge documents, to make its changes with.
struct DeviceGen {
    user: String,
    actor: automerge::ActorId,
    rng: StdRng,
    docs: Vec<RecordDoc>,
    accounts: Vec<usize>,
    made: usize,
}

impl DeviceGen {
    fn new(user: &str, seed: u64) -> DeviceGen {
        DeviceGen {
            user: user.into(),
            actor: automerge::ActorId::random(),
            rng: StdRng::seed_from_u64(seed),
            docs: Vec::new(),
            accounts: Vec::new(),
            made: 0,
        }
    }

    fn envelope(doc: &mut RecordDoc, author: &Author) -> Res<ChangeEnvelope> {
        Ok(ChangeEnvelope {
            doc_id: doc.id(),
            kind: doc.kind(),
            bytes: doc.commit(author)?.ok_or("an edit without a change")?,
        })
    }

    fn create(&mut self, kind: Kind) -> Res<ChangeEnvelope> {
        let author = Author::now(&self.user);
        self.made += 1;
        let n = self.made;
        let account = self
            .accounts
            .choose(&mut self.rng)
            .map(|&i| self.docs[i].id());
        let (kind, values) = match (kind, account) {
            (Kind::Contact, Some(a)) => (
                kind,
                vec![
                    (spec(kind, "account_id"), Value::Ref(Kind::Account, a)),
                    (spec(kind, "name"), Value::Str(format!("Contact {n}"))),
                    (spec(kind, "title"), Value::Str("Buyer".into())),
                    (spec(kind, "email"), Value::Str(format!("c{n}@example.com"))),
                ],
            ),
            (Kind::Opportunity, Some(a)) => (
                kind,
                vec![
                    (spec(kind, "account_id"), Value::Ref(Kind::Account, a)),
                    (spec(kind, "name"), Value::Str(format!("Deal {n}"))),
                    (spec(kind, "stage"), Value::Str("qualified".into())),
                    (spec(kind, "amount"), Value::Str(format!("{}.00", n * 100))),
                    (spec(kind, "currency"), Value::Str("EUR".into())),
                ],
            ),
            _ => (
                Kind::Account,
                vec![
                    (
                        spec(Kind::Account, "name"),
                        Value::Str(format!("{} account {n}", self.user)),
                    ),
                    (spec(Kind::Account, "city"), Value::Str("Lyon".into())),
                    (
                        spec(Kind::Account, "phone"),
                        Value::Str("+33 4 00 00 00 00".into()),
                    ),
                ],
            ),
        };
        let mut doc = RecordDoc::create(kind, Uuid::now_v7(), &self.actor, &author, &values)?;
        let env = Self::envelope(&mut doc, &author)?;
        if kind == Kind::Account {
            self.accounts.push(self.docs.len());
        }
        self.docs.push(doc);
        Ok(env)
    }

    fn edit(&mut self) -> Res<ChangeEnvelope> {
        let author = Author::now(&self.user);
        let i = self.rng.random_range(0..self.docs.len());
        let v = self.rng.random_range(0..1_000_000u32);
        let doc = &mut self.docs[i];
        let (field, value) = match doc.kind() {
            Kind::Account => ("phone", format!("+33 4 {v:06}")),
            Kind::Contact => ("title", format!("Buyer {v}")),
            _ => ("next_step", format!("Call back ({v})")),
        };
        doc.set(spec(doc.kind(), field), Some(Value::Str(value)))?;
        Self::envelope(doc, &author)
    }

    /// The first push: accounts, then contacts and opportunities on them.
    fn seed_page(&mut self) -> Res<Vec<ChangeEnvelope>> {
        let mut out = Vec::with_capacity(DEVICE_SEED_RECORDS);
        for i in 0..DEVICE_SEED_RECORDS {
            let kind = match i * 5 / DEVICE_SEED_RECORDS {
                0 | 1 => Kind::Account,
                2 | 3 => Kind::Contact,
                _ => Kind::Opportunity,
            };
            out.push(self.create(kind)?);
        }
        Ok(out)
    }

    /// A page of the runs: a fifth new records (accounts, contacts, opportunities), the
    /// rest edits of this device's records.
    fn page(&mut self, n: usize) -> Res<Vec<ChangeEnvelope>> {
        let new = n / 5;
        let mut out = Vec::with_capacity(n);
        for i in 0..new {
            let kind = [Kind::Account, Kind::Contact, Kind::Opportunity][i % 3];
            out.push(self.create(kind)?);
        }
        for _ in new..n {
            out.push(self.edit()?);
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------- the device runs

/// A simulated device: its token, its cursor and the pages it will push, in order.
struct Device {
    token: String,
    cursor: u64,
    pages: Vec<Vec<u8>>,
    next: usize,
}

#[derive(Default)]
struct DeviceStats {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    accepted: u64,
    refused: u64,
    duplicates: u64,
    pulled_items: u64,
    errors: Vec<String>,
    ran_out: bool,
}

impl DeviceStats {
    fn absorb(&mut self, o: DeviceStats) {
        self.push.extend(o.push);
        self.pull.extend(o.pull);
        self.accepted += o.accepted;
        self.refused += o.refused;
        self.duplicates += o.duplicates;
        self.pulled_items += o.pulled_items;
        self.errors.extend(o.errors);
        self.ran_out |= o.ran_out;
    }
}

async fn push_async(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: Vec<u8>,
) -> Res<PushResponse> {
    let resp = http
        .post(format!("{url}/v1/push"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header(PENDING_HEADER, DEVICE_PAGE.to_string())
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .bearer_auth(token)
        .body(body)
        .send()
        .await?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !(status.is_success() || status.as_u16() == 403) {
        return Err(format!("push: {status} {}", String::from_utf8_lossy(&bytes)).into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

async fn pull_async(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    cursor: u64,
    snapshot_after: Option<Uuid>,
) -> Res<PullResponse> {
    let resp = http
        .post(format!("{url}/v1/pull"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        // As the real client: the count it held when the sync began.
        .header(PENDING_HEADER, DEVICE_PAGE.to_string())
        .bearer_auth(token)
        .json(&PullRequest {
            protocol: PROTOCOL_VERSION,
            cursor,
            snapshot_after,
            limit: None,
            pending: 0,
            log_id: None,
        })
        .send()
        .await?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        return Err(format!("pull: {status} {}", String::from_utf8_lossy(&bytes)).into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

/// Pulls until caught up; returns the requests' times.
async fn pull_all(
    http: &reqwest::Client,
    url: &str,
    dev: &mut Device,
    stats: &mut DeviceStats,
) -> Res<()> {
    let mut after = None;
    loop {
        let t = Instant::now();
        let page = pull_async(http, url, &dev.token, dev.cursor, after).await?;
        stats.pull.push(t.elapsed());
        stats.pulled_items += page.items.len() as u64;
        dev.cursor = page.cursor;
        after = page.snapshot_after;
        if !page.more {
            return Ok(());
        }
    }
}

/// One device's loop until `deadline`: push its next page, then pull until caught up.
/// `period`: paced (one sync per period, starting at `first`); `None`: back to back.
async fn device_loop(
    http: reqwest::Client,
    url: Arc<str>,
    mut dev: Device,
    first: tokio::time::Instant,
    period: Option<Duration>,
    deadline: tokio::time::Instant,
) -> (Device, DeviceStats) {
    let mut stats = DeviceStats::default();
    let mut k = 0u32;
    loop {
        if let Some(p) = period {
            let due = first + p * k;
            if due >= deadline {
                break;
            }
            tokio::time::sleep_until(due).await;
        }
        // A device that fell behind its pace does not catch up after the end.
        if tokio::time::Instant::now() >= deadline {
            break;
        }
        k += 1;
        let Some(body) = dev.pages.get(dev.next).cloned() else {
            stats.ran_out = true;
            break;
        };
        dev.next += 1;
        let t = Instant::now();
        match push_async(&http, &url, &dev.token, body).await {
            Ok(r) => {
                stats.push.push(t.elapsed());
                stats.accepted += r.accepted;
                stats.duplicates += r.duplicates;
                stats.refused += r.refused.len() as u64;
            }
            Err(e) => {
                stats.errors.push(e.to_string());
                continue;
            }
        }
        if let Err(e) = pull_all(&http, &url, &mut dev, &mut stats).await {
            stats.errors.push(e.to_string());
        }
    }
    (dev, stats)
}

/// `perf record` (DWARF call stacks: the release build keeps no frame pointers) of the server
/// for `secs` seconds into `DIR/NAME.perf.data`.
fn perf_server(server: &ServerProc, dir: &Path, name: &str, secs: u64) -> Res<Child> {
    Ok(Command::new("perf")
        .args([
            "record",
            "-F",
            "499",
            "--call-graph",
            "dwarf,16384",
            "-p",
            &server.pid().to_string(),
            "-o",
        ])
        .arg(dir.join(format!("{name}.perf.data")))
        .args(["--", "sleep", &secs.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

/// What one device run measured.
struct RunResult {
    stats: DeviceStats,
    took: Duration,
    server_cpu: f64,
    own_cpu: f64,
}

fn run_devices(
    rt: &tokio::runtime::Runtime,
    server: &ServerProc,
    devices: &mut Vec<Device>,
    period: Option<Duration>,
    secs: u64,
    perf: Option<(&Path, &str)>,
) -> Res<RunResult> {
    let http = reqwest::Client::builder()
        .gzip(true)
        .timeout(Duration::from_secs(120))
        .build()?;
    let url: Arc<str> = server.url.clone().into();
    let perf = perf
        .map(|(dir, name)| perf_server(server, dir, name, secs))
        .transpose()?;
    let (cpu0, own0) = (server.cpu(), own_cpu(server.clock_ticks));
    let start = Instant::now();
    let n = devices.len() as u32;
    let results = rt.block_on(async {
        let t0 = tokio::time::Instant::now();
        let deadline = t0 + Duration::from_secs(secs);
        let mut set = tokio::task::JoinSet::new();
        for (i, dev) in devices.drain(..).enumerate() {
            // Paced devices start spread over one period.
            let first = t0 + period.map_or(Duration::ZERO, |p| p * i as u32 / n);
            set.spawn(device_loop(
                http.clone(),
                url.clone(),
                dev,
                first,
                period,
                deadline,
            ));
        }
        set.join_all().await
    });
    let took = start.elapsed();
    let (server_cpu, own) = (server.cpu() - cpu0, own_cpu(server.clock_ticks) - own0);
    if let Some(mut p) = perf {
        let _ = p.wait();
    }
    let mut stats = DeviceStats::default();
    for (dev, s) in results {
        devices.push(dev);
        stats.absorb(s);
    }
    Ok(RunResult {
        stats,
        took,
        server_cpu,
        own_cpu: own,
    })
}

// ---------------------------------------------------------------- other reps' books (growth)

/// A record of a generated book as the device's `demo` would create it (the same checks
/// are not repeated: the generator's values are valid), as its creating change.
fn demo_change(
    rec: &DemoRecord,
    user: &str,
    actor: &automerge::ActorId,
    quote_seq: &mut u64,
    now: OffsetDateTime,
) -> Res<ChangeEnvelope> {
    let kind = rec.kind;
    let mut values: Vec<(&'static FieldSpec, Value)> = Vec::with_capacity(rec.fields.len() + 4);
    for (name, raw) in &rec.fields {
        let spec = schema::field(kind, name).ok_or("a generated field outside the schema")?;
        if let Some(v) = value::parse(spec, raw, now)? {
            values.push((spec, v));
        }
    }
    let default = |values: &mut Vec<(&'static FieldSpec, Value)>, name: &str, raw: &str| {
        if !values.iter().any(|(s, _)| s.name == name) {
            let spec = schema::field(kind, name).ok_or("a default outside the schema")?;
            if let Some(v) = value::parse(spec, raw, now)? {
                values.push((spec, v));
            }
        }
        Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    };
    for spec in schema::fields(kind) {
        if let Some(d) = schema::static_default(kind, spec.name) {
            default(&mut values, spec.name, d)?;
        }
    }
    match kind {
        Kind::Opportunity | Kind::Quote => default(&mut values, "currency", "EUR")?,
        Kind::Activity => default(&mut values, "at", "now")?,
        Kind::Task => default(&mut values, "assignee", user)?,
        _ => {}
    }
    if kind == Kind::Quote {
        *quote_seq += 1;
        values.push((
            spec(kind, "number"),
            Value::Str(format!("Q-{user}-{quote_seq:05}")),
        ));
    }
    let author = Author {
        user: user.into(),
        at: now,
    };
    let mut doc = RecordDoc::create(kind, rec.id, actor, &author, &values)?;
    for paragraph in &rec.notes {
        doc.append_note(paragraph)?;
    }
    for (i, line) in rec.lines.iter().enumerate() {
        let mut lv = Vec::new();
        for (name, raw) in line {
            if let Some(spec) = schema::LINE_FIELDS.iter().find(|s| s.name == *name)
                && let Some(v) = value::parse(spec, raw, now)?
            {
                lv.push((spec, v));
            }
        }
        doc.add_line(&format!("{:08x}", i + 1), &lv)?;
    }
    Ok(ChangeEnvelope {
        doc_id: rec.id,
        kind,
        bytes: doc.commit(&author)?.ok_or("a record without a change")?,
    })
}

/// Pushes a generated book of `n` records (products left out: reps may not write them) as
/// `user`, in pages of 1,000. Returns the changes accepted.
fn push_book(url: &str, user: &str, n: usize, seed: u64, progress: &dyn Fn(u64)) -> Res<u64> {
    let http = http()?;
    let token = login(&http, url, user)?.token;
    let actor = automerge::ActorId::random();
    let now = OffsetDateTime::now_utc();
    let mut book = fieldbook_core::demo::generate(n, seed, now.date())
        .filter(|r| r.kind != Kind::Product)
        .peekable();
    let (mut quote_seq, mut accepted) = (0u64, 0u64);
    while book.peek().is_some() {
        let mut page = Vec::with_capacity(MAX_PUSH_CHANGES);
        for rec in book.by_ref().take(MAX_PUSH_CHANGES) {
            page.push(demo_change(&rec, user, &actor, &mut quote_seq, now)?);
        }
        let len = page.len();
        let r = push_blocking(&http, url, &token, push_body(page)?, len)?;
        if !r.refused.is_empty() {
            return Err(format!("{user}'s book: refused {:?}", r.refused.first()).into());
        }
        accepted += r.accepted;
        progress(r.accepted);
    }
    Ok(accepted)
}

// ---------------------------------------------------------------- device stores

/// Ids of every live record of `kind` in a store.
fn ids_of(store: &Store, kind: Kind) -> Res<Vec<Uuid>> {
    let mut ids = Vec::new();
    for row in store.list(kind, &ListQuery::default())? {
        ids.push(row.id);
    }
    ids.sort_unstable();
    Ok(ids)
}

/// Times of one sync: in all, its push phase (request and outbox), its pull phase
/// (requests and applying the pages).
#[derive(Default)]
struct SyncTimes {
    total: Vec<Duration>,
    push: Vec<Duration>,
    pull: Vec<Duration>,
}

/// One field set to a text.
fn text_value(field: &str, v: String) -> FieldValues {
    [(field.to_string(), Some(FieldValue::Text(v)))].into()
}

/// `rounds` × (100 edits of random records on the UI's store, idle housekeeping, then a
/// timed sync by the engine, on its own connection to the same file: the app's arrangement).
fn changed_syncs(engine: &mut SyncEngine, rng: &mut StdRng, rounds: usize) -> Res<SyncTimes> {
    let mut store = Store::open(engine.store().dir())?;
    let mut targets: Vec<(Uuid, &str)> = Vec::new();
    for (kind, field) in [
        (Kind::Account, "phone"),
        (Kind::Contact, "title"),
        (Kind::Opportunity, "next_step"),
    ] {
        targets.extend(ids_of(&store, kind)?.into_iter().map(|id| (id, field)));
    }
    let mut times = SyncTimes::default();
    for round in 0..rounds + 1 {
        let chosen: Vec<_> = targets
            .choose_multiple(rng, CHANGED_PER_SYNC)
            .copied()
            .collect();
        for (id, field) in chosen {
            let v: u32 = rng.random_range(0..1_000_000);
            store.update(id, &text_value(field, format!("edit {v}")))?;
        }
        // What the app does when the user pauses, before its next sync.
        store.maintain()?;
        let t = Instant::now();
        let (mut pushed, mut pulled) = (Duration::ZERO, Duration::ZERO);
        let report = engine.sync(&Cancel::new(), &mut |e| match e {
            SyncEvent::Pushed { .. } => pushed = t.elapsed(),
            SyncEvent::Pulled { .. } => pulled = t.elapsed(),
        })?;
        let took = t.elapsed();
        if report.pushed != CHANGED_PER_SYNC as u64 || !report.refused.is_empty() {
            return Err(format!(
                "a sync of {CHANGED_PER_SYNC} edits pushed {} (refused {})",
                report.pushed,
                report.refused.len()
            )
            .into());
        }
        // The first round is a warm-up.
        if round > 0 {
            times.total.push(took);
            times.push.push(pushed);
            times.pull.push(pulled.saturating_sub(pushed));
        }
    }
    Ok(times)
}

fn push_sync_rows(rows: &mut Vec<Row>, times: SyncTimes, on_server: u64, note: &str) {
    rows.push(
        Row::new(
            format!("sync of {CHANGED_PER_SYNC} changed records ({on_server} on server)"),
            times.total,
        )
        .target(Target::P50Below(Duration::from_millis(50)))
        .note(format!(
            "push 100, pull them back; 1 warm-up round not counted; {note}"
        )),
    );
    rows.push(
        Row::new("  of which: push phase (request + outbox)", times.push)
            .note("includes making the HTTP client"),
    );
    rows.push(
        Row::new("  of which: pull phase (request + apply)", times.pull)
            .note("the device's own 100 changes come back"),
    );
}

fn idle_syncs(engine: &mut SyncEngine, rounds: usize) -> Res<Vec<Duration>> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let report = engine.sync(&Cancel::new(), &mut |_| {})?;
        times.push(t.elapsed());
        if report.pushed != 0 {
            return Err("a sync with nothing to do pushed something".into());
        }
    }
    Ok(times)
}

/// A new device bootstraps alice's book while its UI (another `Store` on the same file, on
/// another thread) writes one field every 20 ms, as a rep typing during the first sync
/// would. Every UI write must succeed; their latencies are the rows.
fn ui_writes_during_pull(rows: &mut Vec<Row>, url: &str, tmp: &Path, expect: u64) -> Res<()> {
    let dir = tmp.join("alice-tablet");
    let mut ui = new_store(&dir, "alice")?;
    let own = ui.create(
        Kind::Account,
        &text_value("name", "Tablet's own account".into()),
    )?;
    let mut engine = SyncEngine::open(&dir)?;
    engine.login(url, "alice", PASSWORD, None)?;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let done = done.clone();
        std::thread::spawn(move || -> Res<(Vec<Duration>, Vec<Duration>, usize)> {
            let (mut lat, mut waits, mut failed, mut i) = (Vec::new(), Vec::new(), 0, 0u64);
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let t = Instant::now();
                match ui.update(own, &text_value("phone", format!("+49 30 {i:08}"))) {
                    Ok(()) => {
                        lat.push(t.elapsed());
                        waits.push(ui.last_write_wait());
                    }
                    Err(e) => {
                        eprintln!("  UI write failed during the pull: {e}");
                        failed += 1;
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok((lat, waits, failed))
        })
    };
    let t = Instant::now();
    let mut transactions = 0;
    let report = engine.sync(&Cancel::new(), &mut |e| {
        if let SyncEvent::Pulled { .. } = e {
            transactions += 1;
        }
    });
    let took = t.elapsed();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let (lat, waits, failed) = writer.join().map_err(|_| "the UI writer panicked")??;
    let report = report?;
    let held = engine.store().counts()?.values().sum::<u64>();
    if held < expect || failed > 0 {
        return Err(format!(
            "UI writes during a pull: {failed} failed; the device holds {held} records, expected at least {expect}"
        )
        .into());
    }
    rows.push(
        Row::rate(
            "bootstrap while the UI writes (sync)",
            held,
            took,
            "records",
        )
        .note(format!(
            "{transactions} transactions, {} new records",
            report.pulled.new_records
        )),
    );
    rows.push(
        Row::new("  UI write during that pull (Store::update)", lat).note(format!(
            "every 20 ms on its own connection; {failed} failed (SQLITE_BUSY or other)"
        )),
    );
    rows.push(
        Row::new("  of which: waiting for the write turn", waits)
            .target(Target::MaxBelow(Duration::from_millis(100)))
            .note("Store::last_write_wait: behind the sync's transaction"),
    );
    Ok(())
}

/// 200 × (4 KiB rewritten in place + `fdatasync`) in `dir`: the disk's floor for one
/// durable commit.
fn fsync_floor(dir: &Path) -> Res<Vec<Duration>> {
    use std::io::{Seek, SeekFrom};
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = vec![0x5au8; 4096];
    let mut times = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&block)?;
        file.sync_data()?;
        times.push(t.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    Ok(times)
}

/// A `/proc/meminfo` value (system-wide), in KiB.
fn meminfo_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Dirty pages waiting to be written back, system-wide, in KiB.
fn dirty_kb() -> u64 {
    meminfo_kb("Dirty:")
}

fn total(counts: &std::collections::BTreeMap<String, u64>) -> u64 {
    counts.values().sum()
}

// ---------------------------------------------------------------- main

struct MemRow {
    phase: String,
    docs: u64,
    mem: Mem,
    db: u64,
}

fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

fn main() -> Res<()> {
    let records = env_num("FIELDBOOK_BENCH_RECORDS", 100_000)?;
    let n_devices = env_num("FIELDBOOK_BENCH_DEVICES", 200)?.max(2) / 2 * 2;
    let run_secs = env_num("FIELDBOOK_BENCH_RUN_SECS", 20)? as u64;
    let grow_to = env_num("FIELDBOOK_BENCH_GROW_TO", records * 10)?;
    let perf_dir = std::env::var_os("FIELDBOOK_BENCH_PERF").map(PathBuf::from);
    let phases = phases()?;
    let scale = records as f64 / 100_000.0;
    print_machine();
    println!(
        "sync bench: book of {records} records, {n_devices} devices for {run_secs} s per run, server grown to {grow_to} records{}",
        std::env::var("MALLOC_ARENA_MAX").map_or(String::new(), |v| format!(
            ", MALLOC_ARENA_MAX={v} (the server inherits it)"
        ))
    );
    if phases.len() < PHASES.len() {
        println!(
            "phases: {} (FIELDBOOK_BENCH_PHASES; the book and its bootstrap always run)",
            phases.join(", ")
        );
    }

    let server = ServerProc::start()?;
    let http = http()?;
    println!(
        "server: pid {}, {}, data {}",
        server.pid(),
        server.url,
        server.dir.path().display()
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut mems: Vec<MemRow> = Vec::new();
    let mut note_mem = |phase: &str, server: &ServerProc, http: &reqwest::blocking::Client| {
        let row = MemRow {
            phase: phase.into(),
            docs: server_docs(http, &server.url).unwrap_or(0),
            mem: server.mem(),
            db: server.db_bytes(),
        };
        println!(
            "  memory {phase}: {} records, VmRSS {}, VmHWM {}, database {:.0} MB",
            row.docs,
            mib(row.mem.rss),
            mib(row.mem.hwm),
            row.db as f64 / 1e6
        );
        mems.push(row);
    };
    std::thread::sleep(Duration::from_millis(500));
    note_mem("idle, empty", &server, &http);
    rows.push(
        Row::new(
            "disk: 4 KiB write + fdatasync",
            fsync_floor(server.dir.path())?,
        )
        .note("floor of one durable commit, for context"),
    );

    let ada = login(&http, &server.url, "ada")?.token;
    add_user(&http, &server.url, &ada, "alice")?;
    let tmp = tempfile::tempdir()?;
    let mut rng = StdRng::seed_from_u64(SEED);

    // ---- 1. alice's book: made on one device, pushed, then bootstrapped on a new one ----
    let mut laptop = new_store(&tmp.path().join("alice-laptop"), "alice")?;
    let mut last = Instant::now();
    let mut progress = |done: u64, all: u64| {
        if last.elapsed() > Duration::from_secs(10) || done == all {
            eprintln!("  demo: {done}/{all}");
            last = Instant::now();
        }
    };
    let progress: exchange::Progress = &mut progress;
    let t = Instant::now();
    let added = laptop.demo(records, SEED, progress)?;
    rows.push(
        Row::rate(
            "book: Store::demo (device, no network)",
            added,
            t.elapsed(),
            "records",
        )
        .note("context only"),
    );
    let source_counts: std::collections::BTreeMap<String, u64> = laptop
        .counts()?
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    let mut laptop = SyncEngine::new(laptop);
    laptop.login(&server.url, "alice", PASSWORD, None)?;
    let t = Instant::now();
    let (mut push_done, mut pulled) = (Duration::ZERO, 0);
    let (report, first_means) = server_means(&http, &server, || {
        Ok(laptop.sync(&Cancel::new(), &mut |e| match e {
            SyncEvent::Pushed { .. } => push_done = t.elapsed(),
            SyncEvent::Pulled { received, .. } => pulled = received,
        })?)
    })?;
    let first_sync = t.elapsed();
    let products = source_counts.get("product").copied().unwrap_or(0);
    rows.push(
        Row::rate(
            "first sync: push of the whole book",
            report.pushed + report.refused.len() as u64,
            push_done,
            "changes",
        )
        .note(format!(
            "{} accepted, {} products refused to a rep (quarantined)",
            report.pushed,
            report.refused.len()
        )),
    );
    rows.push(
        Row::rate(
            "first sync: then pull (its own records, back)",
            pulled,
            first_sync - push_done,
            "items",
        )
        .note(format!(
            "cursor 0 means a bootstrap: snapshots of the records it just pushed; {} new, {} updated; {first_means} per request",
            report.pulled.new_records, report.pulled.updated_records
        )),
    );
    note_mem("after alice's book was pushed", &server, &http);

    let mut phone = SyncEngine::new(new_store(&tmp.path().join("alice-phone"), "alice")?);
    let t = Instant::now();
    phone.login(&server.url, "alice", PASSWORD, None)?;
    rows.push(Row::new("new device: Store::login", vec![t.elapsed()]).note("argon2 on the server"));
    let t = Instant::now();
    let mut pages = 0;
    let (server_pull0, _) = server_hist(&http, &server.url, "fieldbook_pull_duration_seconds")?;
    let report = phone.sync(&Cancel::new(), &mut |e| {
        if let SyncEvent::Pulled { .. } = e {
            pages += 1;
        }
    })?;
    let bootstrap = t.elapsed();
    let (server_pull1, _) = server_hist(&http, &server.url, "fieldbook_pull_duration_seconds")?;
    let counts: std::collections::BTreeMap<String, u64> = phone
        .store()
        .counts()?
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    let mut expected = source_counts.clone();
    expected.remove("product");
    if counts != expected {
        return Err(
            format!("bootstrap: the new device holds {counts:?}, expected {expected:?}").into(),
        );
    }
    rows.push(
        Row::rate("bootstrap of the book on a new device (sync)", total(&counts), bootstrap, "records")
            .target(Target::TotalBelow(Duration::from_secs_f64(10.0 * scale)))
            .note(format!(
                "{pages} transactions; every kind's count matches the first device's ({products} products were not the rep's to push); {} applied; the server spent {:.1} s answering",
                report.pulled.new_records,
                server_pull1 - server_pull0
            )),
    );
    note_mem("after the bootstrap", &server, &http);

    // ---- 1b. the app's arrangement during a bootstrap: UI writes while the engine pulls ----
    if phases.contains(&"uiwrites") {
        ui_writes_during_pull(&mut rows, &server.url, tmp.path(), total(&counts))?;
    }

    // ---- 2. everyday syncs on the bootstrapped device ----
    if phases.contains(&"sync100") {
        let (times, means) = server_means(&http, &server, || {
            changed_syncs(&mut phone, &mut rng, SYNC_ROUNDS)
        })?;
        push_sync_rows(&mut rows, times, records as u64, &means);
        let times = idle_syncs(&mut phone, SYNC_ROUNDS)?;
        rows.push(Row::new("sync with nothing to do", times).note("one pull"));
        let mut clients = Vec::new();
        for _ in 0..SYNC_ROUNDS {
            let t = Instant::now();
            let c = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .connect_timeout(Duration::from_secs(10))
                .gzip(true)
                .build()?;
            clients.push(t.elapsed());
            drop(c);
        }
        rows.push(
            Row::new(
                "  of which: a new HTTP client (as every sync makes)",
                clients,
            )
            .note("reqwest::blocking::Client::build, measured apart"),
        );
    }
    // ---- 3. 200 devices ----
    if phases.contains(&"devices") {
        let users = n_devices / 2;
        let t = Instant::now();
        for u in 0..users {
            add_user(&http, &server.url, &ada, &format!("rep{u:03}"))?;
        }
        let mut tokens = Vec::with_capacity(n_devices);
        for d in 0..n_devices {
            tokens.push(login(&http, &server.url, &format!("rep{:03}", d / 2))?.token);
        }
        println!(
            "  {users} users and {n_devices} devices signed in ({:.1} s)",
            t.elapsed().as_secs_f64()
        );
        let period =
            |rate: f64| Duration::from_secs_f64(n_devices as f64 * DEVICE_PAGE as f64 / rate);
        let pages_at =
            |rate: f64| (run_secs as f64 / period(rate).as_secs_f64()).ceil() as usize + 1;
        let paced_pages = pages_at(TARGET_RATE) + pages_at(LIGHT_RATE);
        let unpaced_pages = (pages_at(TARGET_RATE) as f64 * UNPACED_HEADROOM).ceil() as usize;
        let t = Instant::now();
        // Seed pages and run pages, made in advance on every core.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let made: Vec<Res<Vec<Pages>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|th| {
                    s.spawn(move || {
                        let mut out = Vec::new();
                        for d in (th..n_devices).step_by(threads) {
                            let mut g =
                                DeviceGen::new(&format!("rep{:03}", d / 2), SEED + d as u64);
                            let seed = push_body(g.seed_page()?)?;
                            let mut pages = Vec::with_capacity(paced_pages + unpaced_pages);
                            for _ in 0..paced_pages + unpaced_pages {
                                pages.push(push_body(g.page(DEVICE_PAGE)?)?);
                            }
                            out.push((seed, pages));
                        }
                        Ok(out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("generator panicked".into()))
                })
                .collect()
        });
        let mut slots: Vec<Option<Pages>> = (0..n_devices).map(|_| None).collect();
        for (th, part) in made.into_iter().enumerate() {
            for (j, item) in part?.into_iter().enumerate() {
                slots[th + j * threads] = Some(item);
            }
        }
        let mut devices = Vec::with_capacity(n_devices);
        let mut seeds = Vec::with_capacity(n_devices);
        for (slot, token) in slots.into_iter().zip(tokens) {
            let (seed, pages) = slot.ok_or("a device without pages")?;
            seeds.push(seed);
            devices.push(Device {
                token,
                cursor: 0,
                pages,
                next: 0,
            });
        }
        let bytes: usize = devices.iter().flat_map(|d| &d.pages).map(Vec::len).sum();
        println!(
            "  pages made in advance: {} per device ({:.0} MB gzip'd) in {:.1} s",
            paced_pages + unpaced_pages,
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        // Seeding (not timed): each device pushes its first records, then bootstraps.
        let seed_http = reqwest::Client::builder().gzip(true).build()?;
        let url: Arc<str> = server.url.clone().into();
        let seeded: Vec<Res<Device>> = rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for (mut dev, body) in devices.drain(..).zip(seeds) {
                let (http, url) = (seed_http.clone(), url.clone());
                set.spawn(async move {
                    push_async(&http, &url, &dev.token, body).await?;
                    let mut stats = DeviceStats::default();
                    pull_all(&http, &url, &mut dev, &mut stats).await?;
                    Ok(dev)
                });
            }
            set.join_all().await
        });
        for d in seeded {
            devices.push(d?);
        }
        let perf = perf_dir.as_deref();
        for (name, rate) in [
            ("paced", Some(TARGET_RATE)),
            ("light", Some(LIGHT_RATE)),
            ("unpaced", None),
        ] {
            let paced = rate.is_some();
            let label = match rate {
                Some(r) => format!("{n_devices} devices paced at {r:.0} changes/s"),
                None => format!("{n_devices} devices back to back"),
            };
            println!("  run: {label} for {run_secs} s");
            let r = run_devices(
                &rt,
                &server,
                &mut devices,
                rate.map(period),
                run_secs,
                perf.map(|d| (d, name)),
            )?;
            let s = &r.stats;
            if !s.errors.is_empty() {
                println!("  {} errors, first: {}", s.errors.len(), s.errors[0]);
            }
            let cpu = format!(
                "server used {:.2} of {threads} cores, load generator {:.2}",
                r.server_cpu / r.took.as_secs_f64(),
                r.own_cpu / r.took.as_secs_f64()
            );
            let ran_out = if s.ran_out {
                "; SOME DEVICES RAN OUT OF PAGES"
            } else {
                ""
            };
            let (pushes, pulls) = (s.push.len(), s.pull.len());
            rows.push(
            Row::rate(format!("{label}: accepted"), s.accepted, r.took, "changes")
                .target(if rate == Some(LIGHT_RATE) {
                    Target::None
                } else {
                    Target::RateAtLeast(TARGET_RATE)
                })
                .note(format!(
                    "{pushes} pushes, {pulls} pulls ({} items), {} refused, {} duplicates, {} errors; {cpu}{ran_out}",
                    s.pulled_items,
                    s.refused,
                    s.duplicates,
                    s.errors.len()
                )),
        );
            let latency_target = if rate == Some(TARGET_RATE) {
                Target::P99Below(Duration::from_millis(200))
            } else {
                Target::None
            };
            let why = if paced {
                "client-side, request to last byte".to_string()
            } else {
                format!(
                    "closed loop: {n_devices} requests always in flight, so latency = {n_devices} / requests per second"
                )
            };
            rows.push(
                Row::new(format!("{label}: push of {DEVICE_PAGE}"), s.push.clone())
                    .target(latency_target)
                    .note(why.clone()),
            );
            rows.push(
                Row::new(format!("{label}: pull"), s.pull.clone())
                    .target(latency_target)
                    .note(why),
            );
        }
        drop(rt);
        std::thread::sleep(Duration::from_secs(1));
        note_mem("after the device runs (idle)", &server, &http);
    }
    // ---- 4. the server grows: other reps' books, pushed by two devices at a time ----
    let checkpoints = if !phases.contains(&"growth") {
        Vec::new()
    } else {
        let start_docs = server_docs(&http, &server.url)?;
        let book = records.max(1000);
        let books = (grow_to.saturating_sub(start_docs as usize)).div_ceil(book);
        let t = Instant::now();
        let pushed = std::sync::atomic::AtomicU64::new(0);
        let next_book = std::sync::atomic::AtomicUsize::new(0);
        for b in 0..books {
            add_user(&http, &server.url, &ada, &format!("bulk{b:02}"))?;
        }
        let cpu0 = server.cpu();
        let checkpoints = std::sync::Mutex::new(Vec::new());
        let results: Vec<Res<()>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    loop {
                        let b = next_book.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if b >= books {
                            return Ok(());
                        }
                        push_book(&server.url, &format!("bulk{b:02}"), book, 100 + b as u64, &|n| {
                            let before = pushed.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
                            let step = book as u64;
                            if (before + n) / step > before / step {
                                let total = start_docs + before + n;
                                let m = server.mem();
                                eprintln!(
                                    "  growth: {total} records on the server, {:.0} changes/s, VmRSS {}",
                                    (before + n) as f64 / t.elapsed().as_secs_f64(),
                                    mib(m.rss)
                                );
                                if let Ok(mut c) = checkpoints.lock() {
                                    c.push((total, m));
                                }
                            }
                        })?;
                    }
                })
            })
            .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|_| Err("a pushing thread panicked".into()))
                })
                .collect()
        });
        for r in results {
            r?;
        }
        let grow_time = t.elapsed();
        let grown = pushed.load(std::sync::atomic::Ordering::SeqCst);
        rows.push(
            Row::rate(
                format!("growth: {books} more reps' books, 2 devices pushing"),
                grown,
                grow_time,
                "changes",
            )
            .note(format!(
                "pages of {MAX_PUSH_CHANGES} new records; server used {:.2} cores",
                (server.cpu() - cpu0) / grow_time.as_secs_f64()
            )),
        );
        let checkpoints = checkpoints.into_inner().unwrap_or_default();
        std::thread::sleep(Duration::from_secs(1));
        note_mem("grown (idle)", &server, &http);

        // ---- the everyday syncs again, with the server ten times larger: at once (the disk
        // still writing back what the growth wrote), then once the disk has settled ----
        let docs = server_docs(&http, &server.url)?;
        for settled in [false, true] {
            let when = if settled {
                let dirty = dirty_kb();
                let t = Instant::now();
                Command::new("sync").status()?;
                let took = t.elapsed();
                std::thread::sleep(Duration::from_secs(5));
                println!(
                    "  disk settled: `sync` wrote back {} of dirty pages in {:.1} s",
                    mib(dirty),
                    took.as_secs_f64()
                );
                "disk settled"
            } else {
                "right after the growth"
            };
            rows.push(
                Row::new(
                    format!("disk: 4 KiB write + fdatasync ({when})"),
                    fsync_floor(server.dir.path())?,
                )
                .note(format!(
                    "page cache {}, of which dirty {}",
                    mib(meminfo_kb("Cached:")),
                    mib(dirty_kb())
                )),
            );
            let perf = perf_dir
                .as_deref()
                .map(|d| perf_server(&server, d, &format!("grown-{}", u8::from(settled)), 15))
                .transpose()?;
            let (times, means) = server_means(&http, &server, || {
                changed_syncs(&mut phone, &mut rng, SYNC_ROUNDS)
            })?;
            if let Some(mut p) = perf {
                let _ = p.wait();
            }
            push_sync_rows(
                &mut rows,
                times,
                docs,
                &format!("{when}; alice's book is still the same size; {means}"),
            );
        }
        let times = idle_syncs(&mut phone, SYNC_ROUNDS)?;
        rows.push(Row::new(
            format!("sync with nothing to do ({docs} on server)"),
            times,
        ));
        checkpoints
    };
    note_mem("at the end", &server, &http);

    // ---- report ----
    print_machine();
    print_table("Results", &rows);
    println!("\nServer memory (VmRSS now, VmHWM = peak so far)\n");
    println!("| phase | records on server | VmRSS | VmHWM | database + WAL |");
    println!("|---|---:|---:|---:|---:|");
    for m in &mems {
        println!(
            "| {} | {} | {} | {} | {:.0} MB |",
            m.phase,
            m.docs,
            mib(m.mem.rss),
            mib(m.mem.hwm),
            m.db as f64 / 1e6
        );
    }
    println!("\nVmRSS while the server grew (pushing):");
    for (n, m) in &checkpoints {
        println!(
            "  {n:>9} records: VmRSS {}, VmHWM {}",
            mib(m.rss),
            mib(m.hwm)
        );
    }
    // Bounded: under the same load (the growth's pushes), VmRSS at the end is within 25% of
    // VmRSS at the first checkpoint, while the records grew several times.
    if let (Some((n0, m0)), Some((n1, m1))) = (checkpoints.first(), checkpoints.last()) {
        let ok = m1.rss as f64 <= m0.rss as f64 * 1.25;
        println!(
            "\nbounded memory: while pushing, VmRSS {} at {n0} records and {} at {n1} records ({:.1}x the records): {} (target: within 25%)",
            mib(m0.rss),
            mib(m1.rss),
            *n1 as f64 / *n0 as f64,
            if ok { "PASS" } else { "FAIL" },
        );
    }
    Ok(())
}

/// A device store: encrypted with `FIELDBOOK_BENCH_PASSPHRASE` when it is set, else plain.
fn new_store(dir: &Path, user: &str) -> Res<Store> {
    let protection = match std::env::var("FIELDBOOK_BENCH_PASSPHRASE") {
        Ok(p) => Protection::passphrase(&p),
        Err(_) => Protection::None,
    };
    Ok(Store::init_with(dir, user, "EUR", &protection)?)
}
