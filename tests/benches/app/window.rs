//! The window's part: the release app on the bench's store, driven through tauri-driver
//! (`fieldbook_tests::window`). Times are taken in the page (`performance.now()`), except the
//! launch, which is timed from here: from asking tauri-driver for a session (which starts
//! the app) to the first screen drawn with its data.

use crate::{Res, header, ms, row};
use fieldbook_tests::window::{AppWindow, Launch};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const LAUNCHES: usize = 5;
const QUERIES: &[&str] = &[
    "青岛", "有限", "sequ", "机械", "dair", "科技", "nord", "医药", "eng", "集团",
];

fn app_bin() -> Res<PathBuf> {
    if let Some(p) = std::env::var_os("FIELDBOOK_APP_BIN") {
        return Ok(PathBuf::from(p));
    }
    // target/release/deps/app-HASH → target/release/fieldbook-app
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("fieldbook-app"))
        .ok_or("no target directory")?;
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: cargo build --release -p fieldbook-app",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// Samples in milliseconds (JSON numbers) as durations.
fn durations(v: &Value) -> Vec<Duration> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_f64)
                .map(|ms| Duration::from_secs_f64(ms / 1000.0))
                .collect()
        })
        .unwrap_or_default()
}

/// Resident and proportional memory of a process and its descendants (kB), by name.
fn memory(root: u32) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let pss = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        out.push((name.trim().to_string(), field("VmRSS:"), pss));
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")) {
            todo.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// The app's process: the child of WebKitWebDriver whose executable is the app.
fn app_pid(bin: &Path) -> Option<u32> {
    let name: String = bin
        .file_name()?
        .to_string_lossy()
        .chars()
        .take(15)
        .collect();
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name)
        })
}

pub fn run(dir: &Path, account: &str) -> Res<()> {
    let bin = app_bin()?;
    let launch = || {
        Launch::new(dir)
            .app(&bin)
            .env("FIELDBOOK_SYNC_EVERY_SECS", "3600")
    };
    header(&format!("The window ({})", bin.display()));
    let mut first = Vec::new();
    let mut in_page = Vec::new();
    for _ in 0..LAUNCHES {
        let start = Instant::now();
        let app = AppWindow::launch(launch());
        app.wait_for(".today-grid .panel");
        first.push(start.elapsed());
        let nav = app.execute("return performance.now()", json!([]));
        in_page.push(Duration::from_secs_f64(
            nav.as_f64().unwrap_or(0.0) / 1000.0,
        ));
    }
    row(
        "launch → Today drawn with its data (tauri-driver session incl.)",
        first,
        Some(Duration::from_millis(1000)),
    );
    row("page load → Today drawn (in the page)", in_page, None);

    let app = AppWindow::launch(launch());
    app.wait_for(".today-grid .panel");
    // Keystroke → results on screen: from each `input` event to the popup's next change.
    let lat = app.execute_async(include_str!("search.js"), json!([QUERIES]));
    row(
        "search keystroke → results on screen",
        durations(&lat),
        Some(Duration::from_millis(50)),
    );

    // Account page: from the hash change to its related lists and timeline drawn, with
    // nothing cached (the page reloaded before each).
    let mut opened = Vec::new();
    for _ in 0..5 {
        app.execute("location.hash = '#/today'; location.reload()", json!([]));
        std::thread::sleep(Duration::from_millis(300));
        app.wait_for(".today-grid .panel");
        let took = app.execute_async(
            "const [id, done] = arguments; const t0 = performance.now();
             location.hash = '#/accounts/' + id;
             const check = () => document.querySelector('[data-testid=timeline]') && document.querySelectorAll('.related .list').length >= 4
               ? done([performance.now() - t0]) : requestAnimationFrame(check);
             check();",
            json!([account]),
        );
        opened.extend(durations(&took));
    }
    row(
        "account page with 50 related → drawn",
        opened,
        Some(Duration::from_millis(100)),
    );

    // Scrolling the accounts list: frame times while it scrolls 3 s.
    app.execute("location.hash = '#/accounts'", json!([]));
    app.wait_for(".account-row a");
    let frames = app.execute_async(include_str!("scroll.js"), json!([]));
    let mut f = durations(&frames);
    f.sort();
    let fps = f.len() as f64 / f.iter().map(Duration::as_secs_f64).sum::<f64>().max(0.001);
    let slow = f.iter().filter(|d| d.as_millis() > 20).count();
    println!(
        "\nScrolling the accounts list for 3 s: {} frames, {fps:.0} fps, {slow} frames over 20 ms, worst {} ms",
        f.len(),
        ms(*f.last().unwrap_or(&Duration::ZERO))
    );

    // Idle: back on Today, nothing happening for 10 s.
    app.execute("location.hash = '#/today'", json!([]));
    app.wait_for(".today-grid .panel");
    std::thread::sleep(Duration::from_secs(10));
    let pid = app_pid(&bin).ok_or("the app's process was not found")?;
    println!("\nMemory at idle on Today (kB):\n\n| process | RSS | PSS |\n|---|---|---|");
    let (mut rss, mut pss) = (0, 0);
    for (name, r, p) in memory(pid) {
        println!("| {name} | {r} | {p} |");
        rss += r;
        pss += p;
    }
    println!("| **all** | {rss} | **{pss}** |");
    Ok(())
}
