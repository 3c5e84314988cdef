//! Crash durability, end to end: `kill -9` of the real `fieldbook` binary at any moment —
//! in the middle of a small write, or in the middle of a large `absorb` — leaves a store
//! that opens, holds every write that had returned (was acknowledged by a successful exit)
//! and nothing half-written; an interrupted absorb, run again, completes the store exactly.
//!
//! Kill delays are random (seeded from the clock; the seed is printed, and
//! `FIELDBOOK_CRASH_SEED=<seed>` replays the same delays) and adapt to the machine's speed
//! so that most kills really land while the process runs.
#![cfg(unix)]

use fieldbook_tests::Fb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Every record kind, as the command line spells it.
const KINDS: [&str; 10] = [
    "product",
    "account",
    "contact",
    "opportunity",
    "quote",
    "activity",
    "task",
    "lead",
    "case",
    "dismissal",
];

/// The seed of the random kill delays: `FIELDBOOK_CRASH_SEED` if set, else the clock.
fn seed() -> u64 {
    let seed = std::env::var("FIELDBOOK_CRASH_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("clock after 1970")
                .as_nanos() as u64
        });
    println!("random kill delays: seed {seed} (replay with FIELDBOOK_CRASH_SEED={seed})");
    seed
}

/// How a process that was to be killed ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// It had exited successfully before the kill: its write was acknowledged.
    Returned,
    /// The SIGKILL ended it while it ran.
    Killed,
}

/// Starts `cmd` (stdout discarded, stderr kept for diagnosis).
fn spawn(mut cmd: Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start fieldbook")
}

/// Waits `delay`, then sends SIGKILL to `child` unless it has already finished, and reaps
/// it. A process that ended by itself must have succeeded: a write that fails on its own
/// (a locked or damaged store after an earlier kill) fails the test.
fn kill_after(mut child: Child, delay: Duration, what: &str) -> End {
    std::thread::sleep(delay);
    if child.try_wait().expect("poll the child").is_none() {
        // `Child::kill` is SIGKILL on Unix; a child that exited meanwhile is unaffected.
        child.kill().expect("kill -9 the child");
    }
    let out = child.wait_with_output().expect("reap the child");
    if out.status.success() {
        return End::Returned;
    }
    assert_eq!(
        out.status.signal(),
        Some(9),
        "{what} failed by itself ({}) instead of being killed: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    End::Killed
}

fn as_array(v: Value, what: &str) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        other => panic!("{what}: expected a JSON array, got {other}"),
    }
}

fn str_field<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` is not a string in {record}"))
}

/// Every record of the store (deleted ones too), kind by kind, through `list`.
fn list_all(fb: &Fb) -> Vec<Value> {
    KINDS
        .iter()
        .flat_map(|kind| as_array(fb.json(&["list", kind, "--deleted"]), kind))
        .collect()
}

/// Records keyed by id; fails on a duplicate id.
fn by_id(records: Vec<Value>, what: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for r in records {
        let id = str_field(&r, "id").to_string();
        assert!(
            out.insert(id.clone(), r).is_none(),
            "{what}: the id {id} appears twice"
        );
    }
    out
}

/// The paragraphs of an account's notes, as `note` appends them.
fn paragraphs(notes: &str) -> Vec<&str> {
    notes
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. Small writes
// ---------------------------------------------------------------------------------------

const WRITE_ITERATIONS: usize = 45;

/// What the store must hold after each kill, given what was attempted and acknowledged.
#[derive(Default)]
struct Expected {
    /// The phone values the account may show: the last acknowledged one (or the initial
    /// one), followed by every value attempted after it.
    phone_allowed: Vec<String>,
    notes_attempted: BTreeMap<String, usize>,
    notes_acked: Vec<String>,
    contacts_attempted: BTreeSet<String>,
    contacts_acked: BTreeSet<String>,
}

/// Checks the store against `exp`; returns whether `value` (the phone, note paragraph or
/// contact name just attempted) is in the store.
fn check_writes(fb: &Fb, account: &str, exp: &Expected, value: &str, when: &str) -> bool {
    // The store opens and the record reads.
    let shown = fb.json(&["show", account]);
    assert_eq!(str_field(&shown, "id"), account, "{when}");
    assert_eq!(str_field(&shown, "name"), "Kill Test GmbH", "{when}");

    let phone = str_field(&shown, "phone");
    assert!(
        exp.phone_allowed.iter().any(|p| p == phone),
        "{when}: the phone is {phone:?}, but only the last acknowledged value or a later \
         attempt may be there: {:?}",
        exp.phone_allowed
    );

    let notes = str_field(&shown, "notes");
    let found = paragraphs(notes);
    for acked in &exp.notes_acked {
        assert!(
            found.contains(&acked.as_str()),
            "{when}: the acknowledged note {acked:?} is lost; notes are {notes:?}"
        );
    }
    let mut last = None;
    for p in &found {
        let Some(&i) = exp.notes_attempted.get(*p) else {
            panic!("{when}: the notes hold a paragraph never written: {p:?} (notes {notes:?})");
        };
        assert!(
            last.is_none_or(|l| l < i),
            "{when}: note paragraphs duplicated or out of order: {notes:?}"
        );
        last = Some(i);
    }

    let contacts = as_array(fb.json(&["list", "contact"]), "contacts");
    let mut names = BTreeSet::new();
    for c in &contacts {
        let name = str_field(c, "name");
        assert_eq!(str_field(c, "account_id"), account, "{when}: {c}");
        assert!(
            exp.contacts_attempted.contains(name),
            "{when}: a contact nobody created: {c}"
        );
        assert!(
            names.insert(name.to_string()),
            "{when}: the contact {name} exists twice"
        );
    }
    for acked in &exp.contacts_acked {
        assert!(
            names.contains(acked),
            "{when}: the acknowledged contact {acked} is lost; contacts are {names:?}"
        );
    }
    phone == value || found.contains(&value) || names.contains(value)
}

#[test]
fn kill_during_writes_loses_no_acknowledged_write() {
    let mut rng = StdRng::seed_from_u64(seed());
    let fb = Fb::init("kim");
    let account = fb.new_record("account", &["name=Kill Test GmbH", "phone=initial"]);
    let mut exp = Expected {
        phone_allowed: vec!["initial".into()],
        ..Expected::default()
    };
    // Upper bound of the random delay before the kill, in ms. Starts at about the time one
    // command takes here (start-up and unlocking included: a loaded machine takes far
    // longer) and adapts: it grows after a kill and shrinks after a write that returned,
    // settling where about 70% of the kills interrupt a running process.
    let started = std::time::Instant::now();
    fb.ok(&["set", &account, "phone=initial"]);
    let mut max_delay_ms = (started.elapsed().as_secs_f64() * 1000.0 * 1.2).clamp(15.0, 2000.0);
    // [returned, killed] per operation: set, note, new contact.
    let mut ends = [[0u32; 2]; 3];
    // Killed runs whose write had committed anyway (the kill came after the commit).
    let mut committed_then_killed = 0;

    for i in 0..WRITE_ITERATIONS {
        let op = i % 3;
        let mut cmd = fb.cmd();
        let value = match op {
            0 => {
                let phone = format!("+49 30 {i:04}");
                cmd.args(["set", &account, &format!("phone={phone}")]);
                exp.phone_allowed.push(phone.clone());
                phone
            }
            1 => {
                let text = format!("paragraph {i}");
                cmd.args(["note", &account, &text]);
                exp.notes_attempted.insert(text.clone(), i);
                text
            }
            _ => {
                let name = format!("c{i}");
                cmd.args([
                    "new",
                    "contact",
                    &format!("account_id={account}"),
                    &format!("name={name}"),
                ]);
                exp.contacts_attempted.insert(name.clone());
                name
            }
        };
        let delay = Duration::from_secs_f64(rng.random_range(0.0..max_delay_ms) / 1000.0);
        let end = kill_after(spawn(cmd), delay, &format!("write {i}"));
        match end {
            End::Returned => {
                ends[op][0] += 1;
                max_delay_ms = (max_delay_ms * 0.8).max(0.5);
                match op {
                    0 => exp.phone_allowed = vec![value.clone()],
                    1 => exp.notes_acked.push(value.clone()),
                    _ => {
                        exp.contacts_acked.insert(value.clone());
                    }
                }
            }
            End::Killed => {
                ends[op][1] += 1;
                max_delay_ms = (max_delay_ms * 1.1).min(2000.0);
            }
        }
        let visible = check_writes(
            &fb,
            &account,
            &exp,
            &value,
            &format!("after write {i} ({end:?} after {delay:?})"),
        );
        assert!(
            visible || end == End::Killed,
            "write {i} returned but is not visible"
        );
        if visible && end == End::Killed {
            committed_then_killed += 1;
        }
    }

    let returned: u32 = ends.iter().map(|e| e[0]).sum();
    let killed: u32 = ends.iter().map(|e| e[1]).sum();
    println!(
        "{WRITE_ITERATIONS} writes: {returned} acknowledged, {killed} killed while running \
         (set {:?}, note {:?}, new contact {:?} as [acknowledged, killed]); final delay bound \
         {max_delay_ms:.1} ms; {committed_then_killed} killed writes had committed",
        ends[0], ends[1], ends[2]
    );
    assert!(
        killed >= 5,
        "only {killed} of {WRITE_ITERATIONS} kills interrupted a running write: this run proves little"
    );
    assert!(
        returned >= 3,
        "only {returned} of {WRITE_ITERATIONS} writes returned before the kill: too few acknowledged writes to check"
    );

    // After all that, the store still takes writes and keeps them.
    fb.ok(&["set", &account, "phone=final"]);
    fb.ok(&["note", &account, "the last word"]);
    let shown = fb.json(&["show", &account]);
    assert_eq!(shown["phone"], "final");
    assert!(str_field(&shown, "notes").ends_with("the last word"));

    // Every kind lists, the export reads every document, and both agree.
    let listed = by_id(list_all(&fb), "list");
    let exported = by_id(as_array(fb.export_records(), "export"), "export");
    assert_eq!(
        listed.keys().collect::<Vec<_>>(),
        exported.keys().collect::<Vec<_>>(),
        "the projection (list) and the documents (export) disagree on which records exist"
    );
    assert_eq!(exported[&account], shown);
    let contacts = exported.values().filter(|r| r["kind"] == "contact").count();
    assert!(contacts >= exp.contacts_acked.len());
}

// ---------------------------------------------------------------------------------------
// 2. A large absorb
// ---------------------------------------------------------------------------------------

/// The source store of the absorb test has at least this many records.
const SOURCE_MIN: usize = 1500;
/// Demo records asked for (the demo adds several kinds with notes and quote lines).
const DEMO_RECORDS: &str = "1600";
/// When to kill the absorb, as fractions of how long a whole absorb took. An absorb first
/// checks every document, writing nothing (about half of its time), then merges them in
/// batches: the later points fall among the batches.
const KILL_POINTS: [f64; 3] = [0.45, 0.7, 0.85];

/// Creates records with `new`, several processes at a time, until `fb` holds at least
/// `want` (used only when `demo` adds too few records).
fn fill_with_new(fb: &Fb, have: usize, want: usize) {
    const AT_ONCE: usize = 6;
    let mut accounts: Vec<String> = Vec::new();
    let mut n = have;
    while n < want {
        let children: Vec<(bool, Child)> = (0..AT_ONCE)
            .map(|j| {
                let k = n + j;
                let mut cmd = fb.cmd();
                cmd.args(["--json", "new"]);
                let parent = |a: &[String]| format!("account_id={}", a[k % a.len()]);
                let is_account = match (accounts.is_empty(), k % 4) {
                    (true, _) | (_, 0) => {
                        cmd.args(["account", &format!("name=Filler account {k}"), "city=Lyon"]);
                        true
                    }
                    (_, 1) => {
                        cmd.args(["contact", &parent(&accounts), &format!("name=Filler {k}")]);
                        false
                    }
                    (_, 2) => {
                        cmd.args(["opportunity", &parent(&accounts), &format!("name=Deal {k}")]);
                        false
                    }
                    _ => {
                        cmd.args(["task", &format!("title=Filler task {k}")]);
                        false
                    }
                };
                let child = cmd
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start fieldbook new");
                (is_account, child)
            })
            .collect();
        for (is_account, child) in children {
            let out = child.wait_with_output().expect("wait for fieldbook new");
            assert!(
                out.status.success(),
                "fieldbook new failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: Value = serde_json::from_slice(&out.stdout).expect("new prints JSON");
            if is_account {
                accounts.push(str_field(&v, "id").to_string());
            }
            n += 1;
        }
    }
}

/// A copy of a store that no process has open.
fn copy_store(from: &Fb) -> Fb {
    let to = Fb {
        dir: tempfile::tempdir().expect("temp dir"),
        user: from.user.clone(),
    };
    for entry in std::fs::read_dir(from.path()).expect("read the store dir") {
        let entry = entry.expect("a dir entry");
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("fieldbook.")
        {
            // The store file, its log, and the key file of an encrypted store.
            std::fs::copy(entry.path(), to.path().join(entry.file_name())).expect("copy");
        }
    }
    to
}

/// The target's own records, each as `show` prints it.
fn snapshot(fb: &Fb, ids: &[String]) -> BTreeMap<String, Value> {
    ids.iter()
        .map(|id| (id.clone(), fb.json(&["show", id])))
        .collect()
}

fn absorb_cmd(fb: &Fb, bundle: &Path) -> Command {
    let mut cmd = fb.cmd();
    cmd.arg("absorb").arg(bundle);
    cmd
}

#[test]
fn kill_during_large_absorb_keeps_the_store_usable_and_complete_after_retry() {
    let started = Instant::now();

    // The source: hand-made records with histories (edits, notes), then a demo book.
    let source = Fb::init("sam");
    for a in 0..6 {
        let acc = source.new_record(
            "account",
            &[&format!("name=Source account {a}"), "city=Porto"],
        );
        source.ok(&["set", &acc, &format!("phone=+351 {a}"), "tags=key,north"]);
        source.ok(&["note", &acc, &format!("Met the buyer ({a}).")]);
        source.new_record(
            "contact",
            &[&format!("account_id={acc}"), &format!("name=Buyer {a}")],
        );
        let opp = source.new_record(
            "opportunity",
            &[
                &format!("account_id={acc}"),
                &format!("name=Deal {a}"),
                "amount=9999.99",
            ],
        );
        source.ok(&["set", &opp, "stage=proposal"]);
    }
    source.ok(&["demo", "--records", DEMO_RECORDS]);
    let mut source_count = list_all(&source).len();
    if source_count < SOURCE_MIN {
        println!("demo added too few records ({source_count} in all): creating them with `new`");
        fill_with_new(&source, source_count, SOURCE_MIN);
        source_count = list_all(&source).len();
    }
    assert!(source_count >= SOURCE_MIN, "{source_count} source records");
    let bundle_dir = tempfile::tempdir().expect("temp dir");
    let bundle = bundle_dir.path().join("source.fbb");
    source.bundle_to(&bundle);
    let source_records = by_id(as_array(source.export_records(), "source export"), "source");
    assert_eq!(source_records.len(), source_count);

    // The target: records of its own, with acknowledged edits.
    let target = Fb::init("tia");
    let own_account = target.new_record("account", &["name=Target own account", "city=Graz"]);
    target.ok(&["set", &own_account, "phone=+43 316 000"]);
    target.ok(&["note", &own_account, "Our own first note."]);
    let mut own_ids = vec![
        own_account.clone(),
        target.new_record(
            "contact",
            &[&format!("account_id={own_account}"), "name=Own contact"],
        ),
        target.new_record(
            "opportunity",
            &[
                &format!("account_id={own_account}"),
                "name=Own deal",
                "amount=420.00",
            ],
        ),
        target.new_record("task", &["title=Own task", "due=2031-01-15"]),
    ];
    own_ids.sort();
    assert!(
        own_ids.iter().all(|id| !source_records.contains_key(id)),
        "the target's ids must differ from the source's"
    );
    let mut own = snapshot(&target, &own_ids);
    let own_count = own.len();
    let setup = started.elapsed();

    // How long a whole absorb takes, on a copy of the target.
    let scratch = copy_store(&target);
    let t = Instant::now();
    let out = absorb_cmd(&scratch, &bundle).output().expect("run absorb");
    let full = t.elapsed();
    assert!(
        out.status.success(),
        "absorb on the scratch copy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(list_all(&scratch).len(), own_count + source_count);
    drop(scratch);
    println!(
        "source: {source_count} records (setup {setup:.1?}); one whole absorb takes {full:.1?}"
    );

    // Kill absorbs part-way; after each kill the store opens, keeps everything it had
    // (its own records and the batches absorbed so far), takes a new write and keeps it.
    let mut estimate = full;
    let mut interrupted = Vec::new();
    let mut attempts = 0;
    let mut floor = own_count;
    while interrupted.len() < KILL_POINTS.len() {
        attempts += 1;
        assert!(
            attempts <= 2 * KILL_POINTS.len(),
            "after {attempts} attempts only {} absorbs were killed while running: {interrupted:?}",
            interrupted.len()
        );
        let point = KILL_POINTS[interrupted.len()];
        let delay = estimate.mul_f64(point);
        let end = kill_after(spawn(absorb_cmd(&target, &bundle)), delay, "absorb");
        let when = format!("after the absorb killed at {delay:.1?} ({end:?})");

        assert_eq!(
            snapshot(&target, &own_ids),
            own,
            "{when}: the target's own records changed"
        );
        let listed = by_id(list_all(&target), &when);
        let count = listed.len();
        assert!(
            (floor..=own_count + source_count).contains(&count),
            "{when}: {count} records; expected between {floor} (before) and {} (all)",
            own_count + source_count
        );
        for id in listed.keys() {
            assert!(
                own.contains_key(id) || source_records.contains_key(id),
                "{when}: a record that is in neither store: {id}"
            );
        }
        // Documents and projection agree, and every absorbed record is whole.
        let exported = by_id(as_array(target.export_records(), &when), &when);
        assert_eq!(
            exported.keys().collect::<Vec<_>>(),
            listed.keys().collect::<Vec<_>>(),
            "{when}: the documents (export) and the projection (list) disagree"
        );
        for (id, record) in &exported {
            if let Some(want) = source_records.get(id) {
                assert_eq!(record, want, "{when}: absorbed record {id} differs");
            }
        }

        // Still usable: a write returns and stays.
        let text = format!("Written after kill {attempts}.");
        target.ok(&["note", &own_account, &text]);
        own = snapshot(&target, &own_ids);
        assert!(str_field(&own[&own_account], "notes").ends_with(&text));

        println!(
            "kill {attempts} at {delay:.1?}: {end:?}; {} of {source_count} source records absorbed",
            count - own_count
        );
        match end {
            End::Killed => interrupted.push((delay, count - own_count)),
            // Too late (the machine got faster): aim earlier from now on.
            End::Returned => estimate = estimate.mul_f64(0.5),
        }
        floor = count;
    }

    // Absorbing again completes the store: every source record, identical, exactly once,
    // and the target's own records (with every acknowledged write) untouched.
    target.ok(&["absorb", bundle.to_str().expect("utf-8 path")]);
    let exported = by_id(
        as_array(target.export_records(), "final export"),
        "final export",
    );
    assert_eq!(exported.len(), own_count + source_count);
    for (id, want) in &source_records {
        let Some(got) = exported.get(id) else {
            panic!("source record {id} is missing after the absorb completed");
        };
        assert_eq!(got, want, "source record {id} differs after the absorb");
    }
    for (id, want) in &own {
        assert_eq!(&exported[id], want, "the target's own record {id} changed");
    }
    assert!(
        interrupted.iter().any(|&(_, absorbed)| absorbed > 0),
        "no kill happened after a batch had been committed: {interrupted:?}"
    );
    println!(
        "interrupted absorbs (delay, source records absorbed): {interrupted:?}; test took {:.1?}",
        started.elapsed()
    );
}
