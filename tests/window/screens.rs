//! Every main screen with a realistic book (the demo generator's, Chinese and English
//! names), in English and Chinese, at 1280 and 390 px: no text may be cut or overflow
//! (`cut_text`), and each is saved as a screenshot named `SCREEN.LANGUAGE.WIDTH.png`
//! (`docs/screenshots/` holds a current set). The conflict screen shows a field two stores
//! changed at once, merged by a bundle.

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch, keys};
use serde_json::{Value, json};

fn store(user: &str) -> Fb {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", user, "--currency", "CNY"]);
    Fb {
        dir: fb.dir,
        user: user.into(),
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

/// A screen: its name in the screenshot, where it is, what shows once it is drawn.
struct Screen {
    name: &'static str,
    hash: String,
    ready: &'static str,
}

fn go(app: &AppWindow, screen: &Screen) {
    app.execute(
        "location.hash = arguments[0]; document.getElementById('main')?.scrollTo(0, 0);",
        json!([screen.hash]),
    );
    app.wait_for(screen.ready);
}

fn check_and_save(app: &AppWindow, name: &str) {
    let cut = app.cut_text();
    assert!(cut.is_empty(), "{name}: text does not fit: {cut:#?}");
    app.screenshot(name);
}

#[test]
fn every_main_screen_in_both_languages_at_both_widths() {
    let rep = store("wang");
    rep.ok(&["demo", "--records", "800", "--seed", "7"]);
    // A quote with lines, its deal and that deal's account: the account page and the quote.
    let quote = rep.json(&["list", "quote", "--limit", "1"])[0].clone();
    let deal = rep.json(&["show", quote["opportunity_id"].as_str().expect("deal")]);
    let account = deal["account_id"].as_str().expect("account").to_string();
    // Another account whose phone two stores changed at once.
    let accounts = rep.json(&["list", "account", "--limit", "5"]);
    let conflicted = id(&accounts[1]);
    let other = store("wang");
    other.absorb_from(&rep);
    rep.ok(&["set", &conflicted, "phone=0532-8688 1234"]);
    other.ok(&["set", &conflicted, "phone=0532-8688 9999"]);
    rep.absorb_from(&other);
    assert_eq!(rep.json(&["conflicts", &conflicted])[0]["field"], "phone");

    let app = AppWindow::launch(Launch::new(rep.path()));
    app.wait_for("[data-testid=greeting]");
    let screens = [
        Screen {
            name: "today",
            hash: "#/today".into(),
            ready: ".today-grid",
        },
        Screen {
            name: "accounts",
            hash: "#/accounts".into(),
            ready: ".account-row a",
        },
        Screen {
            name: "account",
            hash: format!("#/accounts/{account}"),
            ready: "[data-testid=timeline]",
        },
        Screen {
            name: "pipeline",
            hash: "#/pipeline".into(),
            ready: ".column[data-stage=lead] .deal-card",
        },
        Screen {
            name: "quote",
            hash: format!("#/quotes/{}", id(&quote)),
            ready: "tr[data-line]",
        },
        Screen {
            name: "settings",
            hash: "#/settings".into(),
            ready: ".settings .facts",
        },
    ];
    for locale in ["en", "zh-CN"] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        for (width, height) in [(1280, 800), (390, 844)] {
            app.set_size(width, height);
            for screen in &screens {
                go(&app, screen);
                check_and_save(&app, &format!("{}.{locale}.{width}", screen.name));
            }
            // Search: the global search's results, grouped by kind, over Today.
            go(&app, &screens[0]);
            let search = app.find("input[type=search][name=q]");
            search.clear();
            search.type_text("青岛");
            app.wait_for(".search-option[data-kind=account]");
            check_and_save(&app, &format!("search.{locale}.{width}"));
            search.type_text(keys::ESCAPE);
            search.clear();
            // A conflict, on the field itself.
            go(
                &app,
                &Screen {
                    name: "conflict",
                    hash: format!("#/accounts/{conflicted}"),
                    ready: "[data-field=phone] .conflict li button",
                },
            );
            app.execute(
                "document.querySelector('[data-field=phone]').scrollIntoView({block: 'center'})",
                json!([]),
            );
            check_and_save(&app, &format!("conflict.{locale}.{width}"));
        }
    }
}
