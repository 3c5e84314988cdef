//! A manager's team dashboard and hand-over in the real window, against a real
//! `fieldbook-server` (issue #10, §3): two reps' books reach the manager's device through
//! the server; the dashboard draws the team's pipeline, forecast, win rates, RFM grid,
//! stale deals, accounts at risk and activities from that copy, with the figures the
//! `fieldbook report` command computes on the same store (to the cent); a stale deal opens;
//! an RFM cell lists its accounts; one account is handed over to the other rep, after a
//! confirmation that counts what moves, and the manager's device learns the new owner at
//! its next sync; then a rep leaves (deactivated, everything to the other rep) after a
//! confirmation that warns of it. Screenshots `team.LANGUAGE.WIDTH.png`,
//! `handover.LANGUAGE.WIDTH.png` and `handover-leaves.LANGUAGE.390.png`, checked for cut
//! text.

use fieldbook_tests::window::{AppWindow, Launch, WAIT};
use fieldbook_tests::{Fb, Server};
use serde_json::{Value, json};

fn store(user: &str) -> Fb {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", user, "--currency", "CNY"]);
    Fb {
        dir: fb.dir,
        user: user.into(),
    }
}

/// A decimal string as English formats CNY: `CN¥1,234.50`.
fn cny_en(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("CN¥{grouped}.{:0<2}", frac)
}

/// Clicks the centre of the RFM grid's cell (r, f): the chart's grid leaves 40 px on the
/// left, 8 on the right, 8 above and 44 below (views/dashboard/options.ts), R runs across
/// and F upwards.
fn click_rfm_cell(app: &AppWindow, r: u64, f: u64) {
    let chart = app.find("[data-testid=rfm-chart]");
    let rect = app.execute(
        "const r = document.querySelector('[data-testid=rfm-chart]').getBoundingClientRect(); return [r.width, r.height];",
        json!([]),
    );
    let (w, h) = (rect[0].as_f64().unwrap(), rect[1].as_f64().unwrap());
    let (cell_w, cell_h) = ((w - 48.0) / 5.0, (h - 52.0) / 5.0);
    let x = 40.0 + (r as f64 - 0.5) * cell_w - w / 2.0;
    let y = 8.0 + (5.0 - f as f64 + 0.5) * cell_h - h / 2.0;
    app.click_at(&chart, x.round() as i64, y.round() as i64);
}

#[test]
fn a_manager_sees_the_team_and_hands_an_account_over() {
    let server = Server::start();
    server.user("mia", "manager", None);
    server.admin(&["team", "add", "east", "--manager", "mia"]);
    for (user, seed) in [("wang", "7"), ("li", "8")] {
        server.user(user, "rep", Some("east"));
        let rep = store(user);
        rep.login(&server);
        rep.ok(&["demo", "--records", "300", "--seed", seed]);
        rep.sync();
    }
    let mia = store("mia");
    mia.login(&server);
    mia.sync();
    let pipeline = mia.json(&["report", "pipeline", "--json"]);
    let rfm = mia.json(&["report", "rfm", "--json"]);
    let stale = mia.json(&["report", "stale", "--json"]);
    assert!(
        !stale["deals"].as_array().unwrap().is_empty(),
        "the demo books have stale deals"
    );

    let app = AppWindow::launch(Launch::new(mia.path()));
    app.wait_for("nav a[data-screen=team]").click();
    app.wait_for("[data-testid=pipeline-chart] svg");
    app.wait_for("[data-testid=forecast-chart] svg");
    app.wait_for("[data-testid=winrate-chart] svg");
    app.wait_for("[data-testid=activity-chart] svg");
    // Knowledge at risk: both reps' devices, as the server last heard from them.
    app.wait_for("[data-testid=devices] li[data-user=wang]");
    app.wait_for("[data-testid=devices] li[data-user=li]");

    // The pipeline's figures are the report's, to the cent.
    for row in pipeline["rows"].as_array().unwrap() {
        let stage = row["group"].as_str().unwrap();
        let li = app.find(&format!(
            "[data-testid=pipeline-rows] li[data-stage={stage}]"
        ));
        let text = li.text();
        let count = row["count"].as_u64().unwrap();
        assert!(text.contains(&format!("{count} deal")), "{stage}: {text}");
        let amount = row["amount"]["CNY"].as_str().unwrap_or("0");
        assert!(
            text.contains(&cny_en(amount)),
            "{stage}: {text} lacks {amount}"
        );
    }

    // Both languages, both widths, nothing cut.
    for locale in ["en", "zh-CN"] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        for (width, height) in [(1280, 800), (390, 844)] {
            app.set_size(width, height);
            app.wait_for("[data-testid=pipeline-chart] svg");
            // The top, then the cards further down.
            for (name, card) in [
                ("team", None),
                ("team-charts", Some("winrate")),
                ("team-stale", Some("stale")),
                ("team-devices", Some("activity")),
            ] {
                match card {
                    None => app.execute("document.getElementById('main').scrollTo(0, 0)", json!([])),
                    Some(card) => app.execute(
                        "document.querySelector(`[data-card=${arguments[0]}]`).scrollIntoView({block: 'start'})",
                        json!([card]),
                    ),
                };
                let cut = app.cut_text();
                assert!(cut.is_empty(), "{name}.{locale}.{width}: {cut:#?}");
                app.screenshot(&format!("{name}.{locale}.{width}"));
            }
        }
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);

    // An RFM cell lists its accounts.
    let scored = rfm["accounts"].as_array().unwrap();
    let first = &scored[0];
    let (r, f) = (first["r"].as_u64().unwrap(), first["f"].as_u64().unwrap());
    let in_cell = scored
        .iter()
        .filter(|a| a["r"] == first["r"] && a["f"] == first["f"])
        .count();
    app.execute(
        "document.querySelector('[data-card=rfm]').scrollIntoView({block: 'center'})",
        json!([]),
    );
    click_rfm_cell(&app, r, f);
    app.wait_for_text_containing(
        "[data-testid=rfm-accounts]",
        first["name"].as_str().unwrap(),
    );
    assert_eq!(app.find_all("[data-testid=rfm-accounts] li").len(), in_cell);
    app.execute(
        "document.querySelector('[data-card=rfm]').scrollIntoView({block: 'start'})",
        json!([]),
    );
    let cut = app.cut_text();
    assert!(cut.is_empty(), "team-rfm: {cut:#?}");
    app.screenshot("team-rfm.en.1280");

    // The stalest deal opens.
    let deal = stale["deals"][0]["id"].as_str().unwrap().to_string();
    app.find(&format!("[data-testid=stale-deals] li[data-id='{deal}'] a"))
        .click();
    assert_eq!(
        app.wait_for("article.deal-page")
            .attribute("data-id")
            .as_deref(),
        Some(deal.as_str())
    );

    // Hand one of wang's accounts over to li.
    app.execute("location.hash = '#/team'", json!([]));
    app.wait_for(".dashboard a[href='#/handover']").click();
    app.wait_for("select[name=from]");
    app.choose("select[name=from]", "wang");
    let account = app.wait_for("[data-testid=handover-accounts] input[name=account]");
    let id = account.attribute("value").expect("an account id");
    account.click();
    app.find("input[name=to]").type_text("li");
    app.find(".handover form button[type=submit]").click();
    let confirm = app.wait_for("[data-testid=handover-confirm]");
    let moving = mia
        .json(&["list", "contact", &format!("account_id={id}")])
        .as_array()
        .unwrap()
        .len();
    let contacts = if moving > 0 {
        app.find("[data-testid=handover-confirm] li[data-kind=contact]")
            .text()
    } else {
        String::new()
    };
    assert!(contacts.contains(&moving.to_string()), "{contacts}");
    assert!(confirm.text().contains("Move to li?"));
    for locale in ["en", "zh-CN"] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        for (width, height) in [(1280, 800), (390, 844)] {
            app.set_size(width, height);
            app.execute(
                "document.querySelector('[data-testid=handover-confirm]').scrollIntoView({block: 'end'})",
                json!([]),
            );
            let cut = app.cut_text();
            assert!(cut.is_empty(), "handover.{locale}.{width}: {cut:#?}");
            app.screenshot(&format!("handover.{locale}.{width}"));
        }
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);
    app.find("[data-testid=handover-confirm-button]").click();
    app.wait_for_text_containing("[data-testid=handover-done]", "to li");

    // The server moved it; the manager's device learns it at the sync that follows.
    app.wait_until(WAIT, "the new owner to reach the manager's device", || {
        let shown: Value = mia.json(&["show", &id]);
        (shown["owner"] == "li").then_some(())
    });

    // wang leaves the company: everything of his goes to li, and he is deactivated.
    app.find(".handover input[name=scope][value=leaves]")
        .click();
    app.find(".handover form button[type=submit]").click();
    let warning = app.wait_for("[data-testid=handover-leaves]");
    assert!(
        warning.text().contains("wang will be deactivated"),
        "{}",
        warning.text()
    );
    let left = mia
        .json(&["list", "account", "owner=wang"])
        .as_array()
        .unwrap()
        .len();
    let accounts = app
        .find("[data-testid=handover-confirm] li[data-kind=account]")
        .text();
    assert!(accounts.contains(&left.to_string()), "{accounts}");
    for locale in ["en", "zh-CN"] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        app.set_size(390, 844);
        app.execute(
            "document.querySelector('[data-testid=handover-confirm]').scrollIntoView({block: 'start'})",
            json!([]),
        );
        let cut = app.cut_text();
        assert!(cut.is_empty(), "handover-leaves.{locale}.390: {cut:#?}");
        app.screenshot(&format!("handover-leaves.{locale}.390"));
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);
    app.find("[data-testid=handover-confirm-button]").click();
    app.wait_for_text_containing("[data-testid=handover-done]", "wang is deactivated");
    let users = server.admin(&["user", "list"]);
    let wang = users
        .lines()
        .find(|l| l.contains("wang"))
        .unwrap_or_default();
    assert!(wang.contains("deactivated"), "{users}");
    app.wait_until(
        WAIT,
        "wang's accounts to reach the manager's device as li's",
        || {
            let left = mia.json(&["list", "account", "owner=wang"]);
            left.as_array().unwrap().is_empty().then_some(())
        },
    );
}
