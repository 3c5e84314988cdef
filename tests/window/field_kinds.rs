//! Leads, cases and reminders in the real window against a real `fieldbook-server` (issue
//! #11's scenario): a case's due days set in Settings; a lead captured offline with the
//! shortcut and converted onto the existing account its company matches (with a deal); a
//! case logged for a colleague in another team, which reaches her at the next sync and
//! comes back resolved (she resolves it through the `fieldbook` command as herself);
//! reminders in Today: an overdue case snoozed (the store keeps the dismissal), a likely
//! reorder with its reason, a renewal turned into the prefilled renewal deal; a lead found
//! by the global search, another disqualified with its reason. On the way, the new screens
//! in both languages at 1280 and 390 px: no text cut, each saved as a screenshot.

use fieldbook_tests::window::{AppWindow, Launch, WAIT, keys};
use fieldbook_tests::{Fb, Server};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

/// Team east (manager mia; rep alice), team west (manager wes; rep carol).
fn company() -> Server {
    let s = Server::start();
    s.user("mia", "manager", None);
    s.user("wes", "manager", None);
    s.admin(&["team", "add", "east", "--manager", "mia"]);
    s.admin(&["team", "add", "west", "--manager", "wes"]);
    s.user("alice", "rep", Some("east"));
    s.user("carol", "rep", Some("west"));
    s
}

/// A store for `user` in CNY, signed in to `server`.
fn device(server: &Server, user: &str) -> Fb {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", user, "--currency", "CNY"]);
    let fb = Fb {
        dir: fb.dir,
        user: user.into(),
    };
    fb.login(server);
    fb
}

fn day(offset: i64) -> String {
    let d = OffsetDateTime::now_utc().date() + Duration::days(offset);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_string()
}

/// Waits until the app's store has nothing waiting to go up and its badge says so.
fn wait_synced(app: &AppWindow, store: &Fb) {
    app.wait_until(WAIT, "every change to reach the server", || {
        (store.json(&["status"])["pending"] == 0).then_some(())
    });
    app.wait_for_text_containing(".sync-text", "Synced");
}

fn go(app: &AppWindow, hash: &str, ready: &str) {
    app.execute(
        "location.hash = arguments[0]; document.getElementById('main')?.scrollTo(0, 0);",
        json!([hash]),
    );
    app.wait_for(ready);
}

fn check_and_save(app: &AppWindow, name: &str) {
    let cut = app.cut_text();
    assert!(cut.is_empty(), "{name}: text does not fit: {cut:#?}");
    app.screenshot(name);
}

fn scroll_to(app: &AppWindow, css: &str) {
    app.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})",
        json!([css]),
    );
}

#[test]
fn leads_cases_and_reminders_offline_and_after_sync() {
    let mut server = company();
    let alice = device(&server, "alice");
    let carol = device(&server, "carol");
    // Alice's book before the day: an account whose name a lead's company will match, a
    // won deal whose contract ends in a month, a case already past its due day, and a
    // lead met earlier (for the screens).
    let haier = alice.new_record("account", &["name=海尔集团", "city=青岛"]);
    let won = alice.new_record(
        "opportunity",
        &[
            &format!("account_id={haier}"),
            "name=冷库维保 2026",
            "amount=36000",
            "stage=won",
            &format!("close_date={}", day(-335)),
            &format!("renewal_date={}", day(30)),
        ],
    );
    let late = alice.new_record(
        "case",
        &[
            &format!("account_id={haier}"),
            "subject=Invoice copy missing",
            "priority=low",
            &format!("due={}", day(-3)),
        ],
    );
    let tsingtao = alice.new_record("account", &["name=青岛啤酒", "city=青岛"]);
    // An account that bought every 30 days: its next order is expected today.
    let midea = alice.new_record("account", &["name=美的集团"]);
    for (n, ago) in [(1, -90), (2, -60), (3, -30)] {
        alice.new_record(
            "opportunity",
            &[
                &format!("account_id={midea}"),
                &format!("name=空调配件 第{n}批"),
                "amount=12000",
                "stage=won",
                &format!("close_date={}", day(ago)),
            ],
        );
    }
    alice.new_record(
        "lead",
        &[
            "name=王芳",
            "company=青岛啤酒股份有限公司",
            "title=采购经理",
            "source=fair",
            "status=contacted",
            "phone=0532-8596 0000",
        ],
    );
    alice.sync();
    carol.sync();
    // The day starts offline.
    server.kill();
    let app = AppWindow::launch(
        Launch::new(alice.path())
            .env("FIELDBOOK_SYNC_EVERY_SECS", "3")
            .env("FIELDBOOK_SYNC_RETRY_MAX_SECS", "2"),
    );
    app.wait_for("[data-testid=greeting]");
    app.wait_for_attribute("[data-testid=sync-badge]", "data-phase", "offline");

    // This device's own default, in Settings: a high-priority case is due in 2 days.
    app.find("nav a[data-screen=settings]").click();
    let high = "form[data-setting='case_due.high']";
    let days = app.wait_for(&format!("{high} input"));
    days.clear();
    days.type_text("2");
    app.find(&format!("{high} button[type=submit]")).click();
    app.wait_until(WAIT, "the setting to be saved", || {
        (alice.json(&["settings"])["case_due_days"]["high"] == 2).then_some(())
    });
    app.find("nav a[data-screen=today]").click();
    app.wait_for("[data-testid=greeting]");

    // A lead captured with the shortcut, in a few keystrokes.
    app.find("main")
        .type_text(&format!("{}{}l{}", keys::CONTROL, keys::SHIFT, keys::NULL));
    app.wait_for("dialog.lead-capture[open] input[name=name]")
        .type_text("张伟");
    app.find("dialog.lead-capture input[name=company]")
        .type_text(&format!("海尔集团股份有限公司{}", keys::ENTER));
    app.wait_for_text_containing("[data-testid=lead-saved]", "张伟");
    let leads = alice.json(&["list", "lead"]);
    let lead = leads
        .as_array()
        .expect("a list")
        .iter()
        .find(|l| l["name"] == "张伟")
        .map(|l| text(l, "id"))
        .expect("the captured lead");
    assert_eq!(text(&alice.json(&["show", &lead]), "status"), "new");

    // Converted from its page onto the account its company matches, with a deal.
    app.find("nav a[data-screen=leads]").click();
    app.wait_for_text_containing("[data-testid=leads]", "张伟");
    app.find(&format!(".lead-row[data-id=\"{lead}\"] a"))
        .click();
    app.wait_for(&format!("article.lead-page[data-id=\"{lead}\"]"));
    app.wait_for(&format!(
        "input[name=convert-account][value=\"{haier}\"]:checked"
    ));
    app.find("input[name=with-deal]").click();
    app.wait_for("input[name=deal-name]").type_text("冰箱 2027");
    app.find("input[name=deal-amount]").type_text("50000");
    app.find("[data-testid=convert]").click();
    app.wait_for(&format!("article.account-page[data-id=\"{haier}\"]"));
    app.wait_for_text_containing("[data-testid=contacts]", "张伟");
    app.wait_for_text_containing("[data-section=deals-title] .list", "冰箱 2027");
    let converted = alice.json(&["show", &lead]);
    assert_eq!(
        (text(&converted, "status"), text(&converted, "account_id")),
        ("converted".into(), haier.clone())
    );
    // The lead stays one click away from the account, converted, with what it became.
    app.wait_for_text_containing("[data-testid=account-leads]", "张伟");
    app.find("[data-testid=account-leads] a").click();
    app.wait_for_attribute("[data-testid=lead-status]", "data-status", "converted");
    app.wait_for_text_containing("[data-testid=converted] a[data-became=account]", "海尔集团");
    app.wait_for_text_containing("[data-testid=converted] a[data-became=contact]", "张伟");
    app.wait_for_text_containing(
        "[data-testid=converted] a[data-became=opportunity]",
        "冰箱 2027",
    );
    app.find("[data-testid=converted] a[data-became=account]")
        .click();
    app.wait_for(&format!("article.account-page[data-id=\"{haier}\"]"));
    // The overdue case is flagged beside the account's name.
    app.wait_for_text_containing("[data-testid=overdue-cases]", "1 overdue case");

    // A case logged on the visit for carol, in another team.
    app.find("[data-section=cases-title] .panel-head button")
        .click();
    app.wait_for("form[data-kind=case] input[name=subject]")
        .type_text("压缩机漏油");
    app.choose("form[data-kind=case] select[name=priority]", "high");
    let contact = text(&converted, "contact_id");
    app.choose("form[data-kind=case] select[name=contact]", &contact);
    app.find("form[data-kind=case] input[name=assignee]")
        .type_text("carol");
    app.find("form[data-kind=case] button[type=submit]").click();
    app.wait_for_text_containing("[data-testid=cases]", "压缩机漏油");
    let case = alice
        .json(&["list", "case"])
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["subject"] == "压缩机漏油")
        .map(|c| text(c, "id"))
        .expect("the case");
    let logged = alice.json(&["show", &case]);
    assert_eq!(
        (text(&logged, "assignee"), text(&logged, "due")),
        ("carol".into(), day(2)),
        "a high-priority case is due in the days Settings say"
    );
    app.wait_for_text_containing(&format!(".case-row[data-id=\"{case}\"]"), "carol");
    assert_eq!(text(&logged, "contact_id"), contact);
    // Its subject opens its details, each edited in place.
    app.find(&format!(
        ".case-row[data-id=\"{case}\"] button.case-subject"
    ))
    .click();
    app.wait_for_text_containing(
        &format!(".case-row[data-id=\"{case}\"] [data-field=assignee]"),
        "carol",
    );
    app.wait_for_text_containing(".sync-text", "Offline");

    // Back online: the app syncs by itself; carol's device receives the case.
    server.restart();
    wait_synced(&app, &alice);
    carol.sync();
    let hers = carol.json(&["show", &case]);
    assert_eq!(text(&hers, "subject"), "压缩机漏油");
    // She resolves it as herself; it comes back to the app at its next sync.
    carol.ok(&["set", &case, "status=resolved", "resolution=更换了密封圈"]);
    let pushed = carol.sync();
    assert_eq!(
        pushed["refused"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{pushed}"
    );
    app.wait_for_attribute(
        &format!(".case-row[data-id=\"{case}\"]"),
        "data-status",
        "resolved",
    );
    app.wait_for_text_containing(
        &format!(".case-row[data-id=\"{case}\"] [data-testid=resolution]"),
        "更换了密封圈",
    );

    // The new screens, in both languages and at both widths.
    let other_lead = alice
        .json(&["list", "lead"])
        .as_array()
        .expect("a list")
        .iter()
        .find(|l| l["name"] == "王芳")
        .map(|l| text(l, "id"))
        .expect("the earlier lead");
    for locale in ["en", "zh-CN"] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        for (width, height) in [(1280, 800), (390, 844)] {
            app.set_size(width, height);
            go(&app, "#/today", "[data-testid=reminders] .reminder");
            scroll_to(&app, "[data-testid=reminders]");
            check_and_save(&app, &format!("reminders.{locale}.{width}"));
            go(&app, "#/leads", "[data-testid=leads] .lead-row");
            check_and_save(&app, &format!("leads.{locale}.{width}"));
            go(
                &app,
                &format!("#/leads/{other_lead}"),
                &format!("input[name=convert-account][value=\"{tsingtao}\"]:checked"),
            );
            check_and_save(&app, &format!("lead.{locale}.{width}"));
            app.execute(
                "window.dispatchEvent(new CustomEvent('fieldbook:capture-lead'))",
                json!([]),
            );
            app.wait_for("dialog.lead-capture[open]");
            check_and_save(&app, &format!("lead-capture.{locale}.{width}"));
            app.find("dialog.lead-capture input[name=name]")
                .type_text(keys::ESCAPE);
            app.wait_gone("dialog.lead-capture[open]");
            go(
                &app,
                &format!("#/accounts/{haier}"),
                "[data-testid=cases] .case-row",
            );
            scroll_to(&app, "[data-section=cases-title]");
            check_and_save(&app, &format!("cases.{locale}.{width}"));
        }
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);

    // Reminders in Today: the overdue case snoozed for a week (kept in the store, so the
    // command line no longer lists it), the renewal turned into its deal.
    go(&app, "#/today", "[data-testid=reminders] .reminder");
    // A likely reorder, with its reason.
    let reorder = format!(".reminder[data-key=\"reorder:{midea}:{}\"]", day(-30));
    app.wait_for_text_containing(&reorder, "美的集团");
    app.wait_for_text_containing(&reorder, "Bought every ~30 days; last");
    let snoozed = format!("case:{late}:{}", day(-3));
    let row = format!(".reminder[data-key=\"{snoozed}\"]");
    app.wait_for_text_containing(&row, "Invoice copy missing");
    app.find(&format!("{row} button[data-action=snooze]"))
        .click();
    app.wait_gone(&row);
    let listed = alice.json(&["reminders"]);
    assert!(
        !listed.to_string().contains(&snoozed),
        "a snoozed reminder is left out: {listed}"
    );
    let renewal = format!(".reminder[data-key=\"renewal:{won}\"]");
    app.wait_for_text_containing(&renewal, "冷库维保 2026");
    app.find(&format!("{renewal} button[data-action=renew]"))
        .click();
    app.wait_for_text_containing("[data-testid=renews]", "冷库维保 2026");
    let renewed = alice
        .json(&["list", "opportunity"])
        .as_array()
        .expect("a list")
        .iter()
        .find(|o| o["renews_id"] == won.as_str())
        .cloned()
        .expect("the renewal deal");
    assert_eq!(
        (
            text(&renewed, "name"),
            text(&renewed, "amount"),
            text(&renewed, "account_id"),
            text(&renewed, "close_date")
        ),
        (
            "冷库维保 2026 (renewal)".into(),
            "36000".into(),
            haier.clone(),
            day(30)
        )
    );
    app.wait_for(&format!(
        "article.deal-page[data-id=\"{}\"]",
        text(&renewed, "id")
    ));
    go(&app, "#/today", "[data-testid=reminders]");
    app.wait_gone(&renewal);

    // Leads are found by the global search like any record; choosing one opens its page.
    let search = app.find("input[type=search][name=q]");
    search.type_text("张伟");
    app.wait_for_text_containing(".search-option[data-kind=lead]", "张伟");
    app.find(".search-option[data-kind=lead]").click();
    app.wait_for(&format!("article.lead-page[data-id=\"{lead}\"]"));

    // The other lead is not a fit: disqualified with its reason, in one step.
    go(
        &app,
        &format!("#/leads/{other_lead}"),
        "[data-testid=disqualify]",
    );
    app.find("[data-testid=disqualify]").click();
    app.wait_for("input[name=disqualify-reason]")
        .type_text(&format!("已有长期供应商{}", keys::ENTER));
    app.wait_for_attribute("[data-testid=lead-status]", "data-status", "disqualified");
    let gone = alice.json(&["show", &other_lead]);
    assert_eq!(
        (text(&gone, "status"), text(&gone, "disqualify_reason")),
        ("disqualified".into(), "已有长期供应商".into())
    );
}
