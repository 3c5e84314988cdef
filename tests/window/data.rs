//! The data tools in the window: a GB18030 CSV with Chinese headers brought in through the
//! import wizard (its preview and guessed mapping, a column mapped by hand, every row
//! checked, the import with its progress, the summary with the refused row), the accounts
//! then found; the likely duplicate pair it made merged with a value chosen by hand.
//! Screenshots: `import-mapping.*`, `import-check.*`, `import-done.*`, `duplicates.*`,
//! `merge.*`.

use fieldbook_tests::Fb;
use fieldbook_tests::window::AppWindow;
use fieldbook_tests::window::Launch;
use serde_json::json;

const SIZES: [(&str, u32, u32); 4] = [
    ("en", 1280, 800),
    ("zh-CN", 1280, 800),
    ("zh-CN", 390, 844),
    ("en", 390, 844),
];

/// Each language and width in turn: no cut text, a screenshot; then English at 1280 again.
fn shots(app: &AppWindow, name: &str, top: &str) {
    for (locale, width, height) in SIZES {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        app.set_size(width, height);
        app.execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})",
            json!([top]),
        );
        let cut = app.cut_text();
        assert!(
            cut.is_empty(),
            "{name} {locale} {width}: text does not fit: {cut:#?}"
        );
        app.screenshot(&format!("{name}.{locale}.{width}"));
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);
}

fn select_value(app: &AppWindow, css: &str) -> String {
    app.find(css)
        .property("value")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_gb18030_csv_is_imported_through_the_wizard_and_a_duplicate_pair_merged() {
    let store = Fb::init_plain("wang");
    let held = store.new_record(
        "account",
        &[
            "name=青岛啤酒股份有限公司",
            "phone=0532-85955555",
            "city=青岛",
        ],
    );
    // As Chinese Excel saves it: GB18030, a title line above the headers, CRLF.
    let csv = "客户名单\r\n公司名称,电话,城市,备注,所在省份\r\n\
               青岛啤酒有限公司,0532-85955555,青岛市,老客户,山东\r\n\
               上海电气集团,021-62750000,上海,,上海\r\n\
               ,010-12345678,北京,缺少名称,北京\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(csv);
    assert!(!unmappable);
    let files = tempfile::tempdir().expect("temp dir");
    let file = files.path().join("customers-gb18030.csv");
    std::fs::write(&file, &bytes).expect("write the CSV");

    let app = AppWindow::launch(Launch::new(store.path()));
    app.wait_for("[data-testid=greeting]");
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for("a[href='#/import']").click();

    // The file, typed (the OS's dialog is the other way in).
    app.wait_for("[data-step=source]");
    app.find("input[name=path]")
        .type_text(&file.display().to_string());
    app.find("[data-step=source] button[type=submit]").click();

    // The preview: decoded as GB18030, headers on line 2, the columns guessed.
    app.wait_for("[data-step=mapping]");
    app.wait_for_text_containing(
        "[data-testid=import-facts]",
        "3 rows below the headers on line 2",
    );
    app.wait_for_text_containing("[data-testid=import-facts]", "GB18030");
    let guessed: Vec<String> = (1..=5)
        .map(|i| select_value(&app, &format!("select[name=map-{i}]")))
        .collect();
    assert_eq!(guessed, ["name", "phone", "city", "notes", ""]);
    app.wait_for_text_containing(".mapping-column[data-column='1'] .samples", "上海电气集团");
    // The province column, mapped by hand to the address.
    app.choose("select[name=map-5]", "address");
    app.wait_until(
        fieldbook_tests::window::WAIT,
        "the mapping to be taken",
        || (select_value(&app, "select[name=map-5]") == "address").then_some(()),
    );
    shots(&app, "import-mapping", ".import");

    // Every row checked, nothing written yet.
    app.find("[data-testid=import-check]").click();
    app.wait_for("[data-step=check]");
    let count = |id: &str| app.find(&format!("[data-count={id}] dd")).text();
    assert_eq!(
        [count("rows"), count("valid"), count("refused")],
        ["3", "2", "1"]
    );
    app.wait_for("[data-testid=import-refused] [data-line='5']");
    app.wait_for("[data-testid=import-duplicates] [data-line='3']");
    assert_eq!(
        store.json(&["list", "account"]).as_array().unwrap().len(),
        1
    );
    shots(&app, "import-check", "[data-step=check]");

    // The import, then its summary.
    app.find("[data-step=check] button.primary").click();
    app.wait_for_text("[data-testid=import-outcome]", "2 records imported");
    app.wait_for("[data-step=done] [data-testid=import-refused] [data-line='5']");
    shots(&app, "import-done", "[data-step=done]");
    let accounts = store.json(&["list", "account"]);
    let names: Vec<&str> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default())
        .collect();
    assert!(
        names.contains(&"上海电气集团") && names.contains(&"青岛啤酒有限公司"),
        "{names:?}"
    );
    let shanghai = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "上海电气集团")
        .unwrap();
    assert_eq!(shanghai["address"], "上海", "the column mapped by hand");

    // The accounts are found in the list.
    app.find("[data-step=done] a[href='#/accounts']").click();
    let filter = app.wait_for("input[name=filter]");
    filter.type_text("上海电气");
    app.wait_for_text(".account-row a .account-name", "上海电气集团");

    // The duplicate pair the import made: reviewed, merged with the imported city kept.
    app.execute("location.hash = '#/duplicates'", json!([]));
    let pair = app.wait_for(".pair-row");
    assert!(
        pair.text().contains("青岛啤酒股份有限公司"),
        "{}",
        pair.text()
    );
    shots(&app, "duplicates", ".duplicates");
    app.find(".pair-row button").click();
    app.wait_for_text("[data-testid=merge-keep]", "青岛啤酒股份有限公司");
    app.wait_for("[data-field=city] input[value=other]").click();
    shots(&app, "merge", "[data-testid=merge-pair]");
    app.find("[data-testid=merge-pair] button[type=submit]")
        .click();
    app.wait_for_text_containing("[data-testid=merged]", "Merged into 青岛啤酒股份有限公司");
    app.wait_for("[data-testid=no-duplicates]");

    let kept = store.json(&["show", &held]);
    assert_eq!(kept["city"], "青岛市", "the value chosen by hand");
    assert_eq!(
        kept["notes"], "老客户",
        "an empty field filled from the other"
    );
    let live = store.json(&["list", "account"]);
    assert_eq!(
        live.as_array().unwrap().len(),
        2,
        "the merged one is gone: {live}"
    );
}
