//! A rep's day in the real window against a real `fieldbook-server` (issue #9's scenario):
//! sign in, a Chinese-named account found by two characters, a contact and deals, stages
//! moved on the board (dragged, and by the keyboard way; lost asks why), a quote with two
//! lines checked to the cent, a visit logged; the server stopped (the app says offline and
//! keeps working), started again (the app syncs by itself); a second device of the same rep
//! (the `fieldbook` command on its own store) sees every change; a conflict made there is
//! shown on the field in the app, with both values, and settled there.

use fieldbook_tests::window::{AppWindow, Launch, keys};
use fieldbook_tests::{Fb, PASSWORD, Server};
use serde_json::Value;

/// A store for `user` in CNY, through the command line.
fn store(user: &str) -> Fb {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", user, "--currency", "CNY"]);
    Fb {
        dir: fb.dir,
        user: user.into(),
    }
}

/// The id in a record page's `data-id`, once the page shows.
fn page_id(app: &AppWindow, css: &str) -> String {
    app.wait_for(css).attribute("data-id").expect("data-id")
}

/// Waits until the app's store has nothing waiting to go up and its badge says so.
fn wait_synced(app: &AppWindow, store: &Fb) {
    app.wait_until(
        fieldbook_tests::window::WAIT,
        "every change to reach the server",
        || (store.json(&["status"])["pending"] == 0).then_some(()),
    );
    app.wait_for_text_containing(".sync-text", "Synced");
}

fn field(record: &Value, name: &str) -> String {
    match &record[name] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn a_reps_day_offline_and_online() {
    let mut server = Server::start();
    server.user("wang", "rep", None);
    server.user("ada", "admin", None);
    // The catalogue comes from an admin's device through the server.
    let ada = store("ada");
    ada.login(&server);
    ada.new_record(
        "product",
        &[
            "sku=TSG-500",
            "name=Tsingtao Lager 500ml",
            "unit_price=12.50",
        ],
    );
    ada.sync();

    let rep = store("wang");
    let app = AppWindow::launch(
        Launch::new(rep.path())
            .env("FIELDBOOK_SYNC_EVERY_SECS", "3")
            .env("FIELDBOOK_SYNC_RETRY_MAX_SECS", "2"),
    );

    // Sign in from Settings.
    app.wait_for("nav a[data-screen=settings]").click();
    app.wait_for("input[name=url]").type_text(&server.url);
    app.find("input[name=login-user]").type_text("wang");
    app.find("input[name=password]").type_text(PASSWORD);
    app.find("form[aria-labelledby=sign-in-title] button[type=submit]")
        .click();
    app.wait_for_text_containing("[data-testid=signed-in]", "wang");
    app.wait_for_attribute("[data-testid=sync-badge]", "data-phase", "idle");

    // A new account with a Chinese name.
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for(".accounts .screen-head button").click();
    app.wait_for(".new-account input[name=name]")
        .type_text("青岛啤酒股份");
    app.find(".new-account input[name=city]").type_text("青岛");
    app.find(".new-account button[type=submit]").click();
    let account = page_id(&app, "article.account-page");
    app.wait_for_text("#account-title", "青岛啤酒股份");

    // Found again by two characters in the global search; Enter opens it.
    app.find("nav a[data-screen=today]").click();
    app.wait_for_text("main h1", "Today");
    let search = app.find("input[type=search][name=q]");
    search.type_text("啤酒");
    app.wait_for_text_containing(".search-option[data-kind=account]", "青岛啤酒股份");
    search.type_text(keys::ENTER);
    assert_eq!(page_id(&app, "article.account-page"), account);

    // A contact and two deals.
    app.wait_for("[data-section=contacts-title] .panel-head button")
        .click();
    app.wait_for("form[data-kind=contact] input[name=name]")
        .type_text("李娜");
    app.find("form[data-kind=contact] input[name=title]")
        .type_text("采购经理");
    app.find("form[data-kind=contact] button[type=submit]")
        .click();
    app.wait_for_text_containing("[data-testid=contacts]", "李娜");
    for (name, amount) in [("生啤供应 2027", "120000"), ("试饮活动", "8000")] {
        app.find("[data-section=deals-title] .panel-head button")
            .click();
        app.wait_for("form[data-kind=opportunity] input[name=name]")
            .type_text(name);
        app.find("form[data-kind=opportunity] input[name=amount]")
            .type_text(amount);
        app.find("form[data-kind=opportunity] button[type=submit]")
            .click();
        app.wait_for_text_containing("[data-section=deals-title] .list", name);
    }
    let deals = rep.json(&["list", "opportunity"]);
    let deal_id = |name: &str| {
        deals
            .as_array()
            .expect("a list")
            .iter()
            .find(|d| d["name"] == name)
            .map(|d| field(d, "id"))
            .expect("the deal")
    };
    let (big, small) = (deal_id("生啤供应 2027"), deal_id("试饮活动"));

    // The board: the keyboard way (the card's stage menu), then a drag.
    app.find("nav a[data-screen=pipeline]").click();
    let card = |id: &str| format!(".deal-card[data-id=\"{id}\"]");
    app.wait_for(&card(&big));
    app.choose(&format!("{} select[name=stage]", card(&big)), "qualified");
    app.wait_for(&format!(".column[data-stage=qualified] {}", card(&big)));
    app.wait_for_text(
        ".column[data-stage=qualified] [data-testid=column-count]",
        "1",
    );
    let from = app.find(&format!("{} .deal-meta", card(&big)));
    let to = app.find(".column[data-stage=proposal] .column-head");
    app.drag(&from, &to);
    app.wait_for(&format!(".column[data-stage=proposal] {}", card(&big)));
    assert_eq!(field(&rep.json(&["show", &big]), "stage"), "proposal");
    // Lost asks why first.
    app.choose(&format!("{} select[name=stage]", card(&small)), "lost");
    app.wait_for("dialog.loss-dialog[open] input[name=loss_reason]")
        .type_text("价格太高");
    app.find("dialog.loss-dialog button[type=submit]").click();
    app.wait_for(&format!(".column[data-stage=lost] {}", card(&small)));
    app.screenshot("pipeline.en.1280");

    // A quote on the big deal: a product from the catalogue and a line of our own.
    app.find(&format!("{} a.deal-title", card(&big))).click();
    app.wait_for("[aria-labelledby=deal-quotes-title] .panel-head button")
        .click();
    let quote = page_id(&app, "article.quote-editor");
    app.wait_for("[data-field=tax_pct] button.field-value")
        .click();
    app.wait_for("input[name=tax_pct]")
        .type_text(&format!("13{}", keys::ENTER));
    app.wait_for_text_containing("[data-field=tax_pct] button.field-value", "13");
    app.find("input[name=product-search]").type_text("Lager");
    app.wait_for(".product-option").click();
    app.wait_for("tr[data-line] input[name=quantity]");
    let quantity = app.find("tr[data-line] input[name=quantity]");
    quantity.clear();
    quantity.type_text(&format!("24{}", keys::ENTER));
    app.wait_for_text_containing("tr[data-line] .line-total", "300.00");
    app.find("input[name=product-search]").type_text("安装服务");
    app.find("input[name=new-price]").type_text("199.99");
    let qty = app.find("input[name=new-quantity]");
    qty.clear();
    qty.type_text("3");
    app.find(".own-line button[type=submit]").click();
    app.wait_until(fieldbook_tests::window::WAIT, "two lines", || {
        (app.find_all("tr[data-line]").len() == 2).then_some(())
    });
    // 24 × 12.50 + 3 × 199.99 = 899.97; 13 % tax = 116.9961 → 117.00; 1,016.97.
    app.wait_for_text_containing("[data-total=subtotal]", "899.97");
    app.wait_for_text_containing("[data-total=tax]", "117.00");
    app.wait_for_text_containing("[data-total=total]", "1,016.97");
    let shown = rep.json(&["show", &quote]);
    assert_eq!(
        (
            field(&shown, "subtotal"),
            field(&shown, "tax"),
            field(&shown, "total")
        ),
        ("899.97".into(), "117.00".into(), "1016.97".into())
    );
    app.screenshot("quote.en.1280");

    // A visit, logged from the account's page with the shortcut.
    app.execute(
        &format!("location.hash = '#/accounts/{account}'"),
        serde_json::json!([]),
    );
    app.wait_for_text("#account-title", "青岛啤酒股份");
    app.find("main")
        .type_text(&format!("{}l{}", keys::CONTROL, keys::NULL));
    app.wait_for_text(
        "dialog.quick-log[open] [data-testid=log-account]",
        "青岛啤酒股份",
    );
    app.find("dialog.quick-log input[name=subject]")
        .type_text("首次拜访");
    app.find("dialog.quick-log textarea[name=body]")
        .type_text(&format!(
            "试饮反馈很好{}{}{}",
            keys::CONTROL,
            keys::ENTER,
            keys::NULL
        ));
    app.wait_for_text_containing("[data-testid=timeline]", "首次拜访");

    // The server goes away: the app says so and keeps working.
    server.kill();
    app.wait_for_attribute("[data-testid=sync-badge]", "data-phase", "offline");
    app.find("[data-field=phone] button.field-value").click();
    app.wait_for("input[name=phone]")
        .type_text(&format!("0532-8888 8888{}", keys::ENTER));
    app.wait_for_text_containing("[data-field=phone] button.field-value", "0532-8888 8888");
    app.find("[data-section=tasks-title] .panel-head button")
        .click();
    app.wait_for("form[data-kind=task] input[name=title]")
        .type_text("寄样品");
    app.find("form[data-kind=task] button[type=submit]").click();
    app.wait_for_text_containing("[data-section=tasks-title] .list", "寄样品");
    app.find("[data-section=tasks-title] .task-row input[type=checkbox]")
        .click();
    app.wait_gone("[data-section=tasks-title] .task-row");
    app.wait_for_text_containing(".sync-text", "Offline");
    app.wait_for_text_containing(".sync-text", "changes waiting");

    // Back: the app syncs by itself.
    server.restart();
    wait_synced(&app, &rep);

    // A second device of the same rep sees every change.
    let second = store("wang");
    second.login(&server);
    second.sync();
    let shown = second.json(&["show", &account]);
    assert_eq!(field(&shown, "name"), "青岛啤酒股份");
    assert_eq!(field(&shown, "phone"), "0532-8888 8888");
    let contacts = second.json(&["list", "contact"]);
    assert_eq!(contacts[0]["name"], "李娜");
    assert_eq!(field(&second.json(&["show", &big]), "stage"), "proposal");
    let lost = second.json(&["show", &small]);
    assert_eq!(
        (field(&lost, "stage"), field(&lost, "loss_reason")),
        ("lost".into(), "价格太高".into())
    );
    assert_eq!(field(&second.json(&["show", &quote]), "total"), "1016.97");
    let activities = second.json(&["list", "activity"]);
    assert_eq!(activities[0]["subject"], "首次拜访");
    assert_eq!(activities[0]["activity_kind"], "visit");
    let tasks = second.json(&["list", "task"]);
    assert_eq!(
        (tasks[0]["title"].clone(), tasks[0]["done"].clone()),
        ("寄样品".into(), true.into())
    );

    // The same field changed on both devices before either saw the other's change.
    second.ok(&["set", &account, "phone=0532-1111 1111"]);
    app.find("[data-field=phone] button.field-value").click();
    let phone = app.wait_for("input[name=phone]");
    phone.clear();
    phone.type_text(&format!("0532-2222 2222{}", keys::ENTER));
    app.wait_for_text_containing("[data-field=phone] button.field-value", "0532-2222 2222");
    wait_synced(&app, &rep);
    second.sync();
    let conflict = "[data-field=phone] .conflict";
    app.wait_for_text_containing(conflict, "0532-1111 1111");
    let text = app.find(conflict).text();
    assert!(text.contains("0532-2222 2222"), "{text}");
    assert!(text.contains("by wang"), "{text}");
    app.screenshot("conflict.en.1280");
    // Settled in one click: keep the second device's value.
    app.find(&format!(
        "{conflict} li button[aria-label=\"Keep “0532-1111 1111”\"]"
    ))
    .click();
    app.wait_gone(conflict);
    app.wait_for_text_containing("[data-field=phone] button.field-value", "0532-1111 1111");
    wait_synced(&app, &rep);
    second.sync();
    let settled = second.json(&["show", &account]);
    assert_eq!(field(&settled, "phone"), "0532-1111 1111");
    assert!(
        second
            .json(&["conflicts", &account])
            .as_array()
            .is_none_or(Vec::is_empty),
        "{}",
        second.json(&["conflicts", &account])
    );
}
