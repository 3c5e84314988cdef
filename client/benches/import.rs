//! Benchmark of spreadsheet import (issue #12): `FIELDBOOK_BENCH_ROWS` rows (default
//! 100,000) of accounts, as a Chinese Excel export writes them (GB18030, Chinese headers:
//! 公司名称, 电话, 城市, 网址, ...), read and imported into a fresh store through
//! `Store::import`: every row checked by core's rules, likely duplicates found against the
//! rows above, every record a real Automerge document written with its outbox entry and
//! projections, in transactions of 1,000 rows. Then the same for contacts, each row naming
//! its account by name (a look-up per row).
//!
//! The rows come from the demo generator (`fieldbook_core::demo`, seed 7): half Chinese,
//! half Latin companies, with phones, websites, tags and notes.
//!
//! ```sh
//! cargo bench -p fieldbook-client --bench import
//! FIELDBOOK_BENCH_ROWS=10000 cargo bench -p fieldbook-client --bench import   # quick run
//! ```
//!
//! Target: 100,000 rows in under 10 s (read + check + write), scaled linearly for fewer.

use fieldbook_client::Store;
use fieldbook_client::import::{self, Encoding, ImportOptions, OnError};
use fieldbook_core::Kind;
use std::collections::HashMap;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const SEED: u64 = 7;

/// CSV text of `n` accounts and of one contact per account.
fn rows(n: usize) -> (String, String) {
    let today = time::OffsetDateTime::now_utc().date();
    let mut accounts = String::from("公司名称,电话,城市,国家,行业,网址,标签,备注\n");
    let mut contacts = String::from("客户名称,姓名,职位,手机,邮箱\n");
    let mut names: HashMap<uuid::Uuid, String> = HashMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut done_accounts = 0;
    let mut done_contacts = 0;
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for rec in fieldbook_core::demo::generate(usize::MAX / 2, SEED, today) {
        let get = |f: &str| {
            rec.fields
                .iter()
                .find(|(k, _)| *k == f)
                .map_or("", |(_, v)| v.as_str())
        };
        match rec.kind {
            Kind::Account if done_accounts < n => {
                // Names repeat in a large generated book; a suffix keeps most apart (the
                // importer lists the rest as likely duplicates, as it should).
                let mut name = get("name").to_string();
                let seen = taken.entry(name.clone()).or_default();
                *seen += 1;
                if *seen > 1 {
                    name = format!("{name} {seen}");
                }
                names.insert(rec.id, name.clone());
                accounts.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    q(&name),
                    q(get("phone")),
                    q(get("city")),
                    q(get("country")),
                    q(get("industry")),
                    q(get("website")),
                    q(get("tags")),
                    q(&rec.notes.join("\n\n")),
                ));
                done_accounts += 1;
            }
            Kind::Contact if done_contacts < n => {
                let Some(account) = rec
                    .fields
                    .iter()
                    .find(|(k, _)| *k == "account_id")
                    .and_then(|(_, v)| uuid::Uuid::parse_str(v).ok())
                    .and_then(|id| names.get(&id))
                else {
                    continue;
                };
                contacts.push_str(&format!(
                    "{},{},{},{},{}\n",
                    q(account),
                    q(get("name")),
                    q(get("title")),
                    q(get("phone")),
                    q(get("email")),
                ));
                done_contacts += 1;
            }
            _ => {}
        }
        if done_accounts >= n && done_contacts >= n {
            break;
        }
    }
    (accounts, contacts)
}

fn run(store: &mut Store, csv: &[u8], kind: Kind, target: Duration) -> Res<()> {
    let started = Instant::now();
    let table = import::table::read_csv(csv, None, None).map_err(|e| e.0)?;
    let read = started.elapsed();
    let options = ImportOptions {
        kind,
        columns: Vec::new(),
        on_error: OnError::Skip,
        dry_run: false,
    };
    let report = store.import(&table, &options, &mut |_, _| {})?;
    let total = started.elapsed();
    let ok = if total < target { "PASS" } else { "FAIL" };
    println!(
        "| import {} ({}) | {} | {} | {:.2} s | {:.2} s | {:.0} rows/s | {} | < {:.1} s | {ok} |",
        kind.plural(),
        table.encoding.map_or("-", |e| e.name()),
        report.rows,
        report.imported,
        read.as_secs_f64(),
        total.as_secs_f64(),
        report.rows as f64 / total.as_secs_f64(),
        report.duplicates.len(),
        target.as_secs_f64(),
    );
    if !report.rejected.is_empty() {
        println!(
            "  {} rows refused, the first: line {}: {}",
            report.rejected.len(),
            report.rejected[0].line,
            report.rejected[0].reason
        );
    }
    Ok(())
}

fn main() -> Res<()> {
    let n: usize = std::env::var("FIELDBOOK_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let target = Duration::from_secs_f64(10.0 * n as f64 / 100_000.0);
    let (accounts, contacts) = rows(n);
    let gb = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
    let (accounts, contacts) = (gb(&accounts), gb(&contacts));
    assert_eq!(
        import::table::detect_encoding(&accounts),
        Encoding::Gb18030,
        "the bench's file must be GB18030"
    );
    let dir = tempfile::tempdir()?;
    let mut store = Store::init(dir.path(), "bench", "CNY")?;
    println!(
        "{n} rows per kind; {} cores; accounts file {:.1} MB, contacts file {:.1} MB",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        accounts.len() as f64 / 1e6,
        contacts.len() as f64 / 1e6
    );
    println!("| run | rows | imported | read | total | rate | likely duplicates | target | met? |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|---|");
    run(&mut store, &accounts, Kind::Account, target)?;
    run(&mut store, &contacts, Kind::Contact, target)?;
    println!(
        "store size on disk: {:.0} MB",
        store.size_on_disk() as f64 / 1e6
    );
    Ok(())
}
