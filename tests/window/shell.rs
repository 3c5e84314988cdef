//! The shell on a fresh store: first run, the frame and its navigation, the language switch
//! at run time, both widths, the global search, and what the webview's `Intl` can do.

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch, WAIT};
use serde_json::json;

fn assert_fits(app: &AppWindow, what: &str) {
    let cut = app.cut_text();
    assert!(cut.is_empty(), "{what}: text does not fit: {cut:#?}");
}

fn nav_labels(app: &AppWindow) -> Vec<String> {
    app.find_all("nav a span")
        .iter()
        .map(|e| e.text())
        .collect()
}

#[test]
fn first_run_then_shell_in_both_languages_and_widths() {
    let store = Fb::empty();
    let app = AppWindow::launch(Launch::new(store.path()));

    // First run: no store yet. A name of blanks is refused by Rust, shown, and changes nothing.
    // (This store goes without a passphrase: `at_rest.rs` tests the protected first run.)
    let name = app.wait_for("input[name=user]");
    app.screenshot("first-run.en.1280");
    app.find("input[name=protect][value=none]").click();
    name.type_text("   ");
    app.find("button[type=submit]").click();
    let alert = app.wait_for("[role=alert]");
    assert!(
        alert.text().contains("must not be empty"),
        "{}",
        alert.text()
    );
    assert!(!store.path().join("fieldbook.db").exists());

    // A Chinese name typed as keystrokes; the currency upper-cased.
    name.clear();
    name.type_text("王芳");
    let currency = app.find("input[name=currency]");
    currency.clear();
    currency.type_text("cny");
    assert_eq!(currency.property("value"), json!("CNY"));
    app.find("button[type=submit]").click();

    app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
    assert!(
        store.path().join("fieldbook.db").is_file(),
        "the app made its store where FIELDBOOK_DATA_DIR says"
    );
    assert_eq!(
        nav_labels(&app),
        [
            "Today", "Accounts", "Leads", "Pipeline", "Quotes", "Tasks", "Search", "Settings"
        ]
    );
    assert_eq!(
        app.find("nav a[aria-current=page]")
            .attribute("data-screen")
            .as_deref(),
        Some("today")
    );
    app.wait_for_text(".sync-text", "On this device only");

    // The same store through the command line: a write there shows as waiting here.
    store.ok(&["new", "account", "name=青岛啤酒"]);
    app.wait_for_text(".sync-text", "On this device only · 1 change waiting");
    assert_fits(&app, "Today, English, 1280 px");
    app.screenshot("today.en.1280");

    // Chinese at run time, without a reload.
    app.find("button[data-locale=zh-CN]").click();
    app.wait_for_text("[data-testid=greeting]", "您好，王芳");
    assert_eq!(
        nav_labels(&app),
        [
            "今日", "客户", "线索", "商机", "报价", "任务", "搜索", "设置"
        ]
    );
    assert_eq!(
        app.execute("return document.documentElement.lang", json!([])),
        json!("zh-CN")
    );
    assert_eq!(
        app.find("button[data-locale=zh-CN]")
            .attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    app.wait_for_text(".sync-text", "仅在本设备 · 1 项更改待上传");
    assert_fits(&app, "Today, Chinese, 1280 px");
    app.screenshot("today.zh-CN.1280");

    app.find("nav a[data-screen=settings]").click();
    app.wait_for_text("main h1", "设置");
    let facts: Vec<String> = app.find_all(".facts dd").iter().map(|e| e.text()).collect();
    assert_eq!(facts[0], "王芳");
    assert_eq!(facts[1], "CNY");
    assert_eq!(facts[2], "无（离线工作）");
    assert_eq!(facts[4], store.path().display().to_string());
    assert_fits(&app, "Settings, Chinese, 1280 px");
    app.screenshot("settings.zh-CN.1280");

    // A phone's width: every label still whole.
    app.set_size(390, 844);
    assert_fits(&app, "Settings, Chinese, 390 px");
    app.screenshot("settings.zh-CN.390");
    app.find("nav a[data-screen=today]").click();
    app.wait_for_text("main h1", "今日");
    assert_fits(&app, "Today, Chinese, 390 px");
    app.screenshot("today.zh-CN.390");

    // Back to English.
    app.find("button[data-locale=en]").click();
    app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
    assert_eq!(nav_labels(&app)[0], "Today");
    assert_fits(&app, "Today, English, 390 px");
    app.screenshot("today.en.390");
    app.find("nav a[data-screen=settings]").click();
    app.wait_for_text("main h1", "Settings");
    assert_fits(&app, "Settings, English, 390 px");
    app.screenshot("settings.en.390");
}

#[test]
fn global_search_takes_chinese_and_opens_the_search_screen() {
    let store = Fb::init_plain("rep");
    let app = AppWindow::launch(Launch::new(store.path()));
    let search = app.wait_for("input[type=search]");
    assert_eq!(
        search.attribute("aria-label").as_deref(),
        Some("Search everything")
    );

    // Ctrl-K focuses it from anywhere.
    app.find("nav a[data-screen=pipeline]").click();
    app.wait_for_text("main h1", "Pipeline");
    assert!(!search.is_focused());
    app.find("main").type_text("\u{E009}k\u{E000}");
    assert!(
        search.is_focused(),
        "Ctrl-K moves the focus to the search field"
    );

    search.type_text("青岛\u{E007}");
    app.wait_for_text("main h1", "Search");
    assert_eq!(app.find("main .lead").text(), "“青岛”");
    let hash = app.execute("return decodeURIComponent(location.hash)", json!([]));
    assert_eq!(hash, json!("#/search?q=青岛"));
}

/// `ui/src/format/money.ts` hands exact decimal strings to `Intl.NumberFormat`: this is the
/// webview's engine (WebKitGTK's JavaScriptCore), not Node's, doing it without a float.
#[test]
fn the_webview_formats_exact_decimal_strings() {
    let store = Fb::init_plain("rep");
    let app = AppWindow::launch(Launch::new(store.path()));
    app.wait_for("nav");
    let formatted = app.execute(
        r#"const f = (l, c, v) => new Intl.NumberFormat(l, {style: "currency", currency: c}).format(v);
           return [f("zh-CN", "CNY", "1234.5"), f("de-DE", "EUR", "1234.5"),
                   f("en-US", "USD", "9007199254740993.01"),
                   new Intl.DateTimeFormat("zh-CN", {dateStyle: "medium", timeZone: "UTC"}).format(Date.UTC(2026, 10, 5)),
                   new Intl.RelativeTimeFormat("zh-CN", {numeric: "auto"}).format(-5, "minute")]"#,
        json!([]),
    );
    let plain: Vec<String> = formatted
        .as_array()
        .expect("array")
        .iter()
        .map(|v| {
            v.as_str()
                .expect("string")
                .replace(['\u{a0}', '\u{202f}'], " ")
        })
        .collect();
    assert_eq!(
        plain,
        [
            "¥1,234.50",
            "1.234,50 €",
            "$9,007,199,254,740,993.01",
            "2026年11月5日",
            "5分钟前"
        ]
    );
}

/// The window's size is saved as it changes (not only on a clean close: WebDriver ends the
/// app without one) and restored at the next start.
#[test]
fn the_window_size_is_remembered() {
    let store = Fb::init_plain("rep");
    let home = tempfile::tempdir().expect("temp dir");
    let saved = home
        .path()
        .join("config/com.fieldbook.desktop/.window-state.json");
    let first = AppWindow::launch(Launch::new(store.path()).home(home.path()).size(900, 700));
    first.wait_for("nav");
    let size = first.size();
    assert_eq!(size, (900, 700));
    first.wait_until(WAIT, "the window state to be saved", || {
        let json = std::fs::read_to_string(&saved).ok()?;
        json.contains("900").then_some(())
    });
    drop(first);

    let second = AppWindow::launch(Launch::new(store.path()).home(home.path()).keep_size());
    second.wait_for("nav");
    assert_eq!(second.size(), size);
}

/// The check every screenshot relies on finds what it must: a label too long for its tab
/// and a word that makes the screen scroll sideways.
#[test]
fn the_cut_text_check_finds_cut_text() {
    let store = Fb::init_plain("rep");
    let app = AppWindow::launch(Launch::new(store.path()).size(390, 844));
    app.wait_for("nav");
    assert_fits(&app, "Today, English, 390 px");
    app.execute(
        "document.querySelector('nav a span').textContent = 'A label far too long for a tab';
         document.querySelector('main p').textContent = 'x'.repeat(300);",
        json!([]),
    );
    let cut = app.cut_text();
    assert!(
        cut.iter().any(|c| c.contains("A label far too long")),
        "{cut:?}"
    );
    assert!(cut.iter().any(|c| c.starts_with("main:")), "{cut:?}");
}
