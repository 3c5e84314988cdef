//! A quote's print view: the page's `@media print` rules, applied to the window as it is
//! (WebDriver cannot open the system print dialog), leave the quote alone on the page: no
//! frame, no navigation, no editing controls; the customer, the lines and the totals
//! (computed by Rust) shown, nothing cut at an A4 page's width (794 px at 96 dpi). Saved as
//! `quote-print.LANGUAGE.794.png`.

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch};
use serde_json::{Value, json};

/// Copies every rule of the page's `@media print` blocks (but `@page`) into a sheet of its
/// own, unconditioned, through the CSS object model (the app's CSP allows no inline style).
const APPLY_PRINT_RULES: &str = r#"
const rules = [];
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (rule instanceof CSSMediaRule && rule.media.mediaText.includes("print")) {
      for (const inner of rule.cssRules) {
        if (!(inner instanceof CSSPageRule)) rules.push(inner.cssText);
      }
    }
  }
}
const sheet = document.styleSheets[document.styleSheets.length - 1];
for (const text of rules) sheet.insertRule(text, sheet.cssRules.length);
return rules.length;
"#;

/// The elements matching `css` that are drawn (displayed, with a size).
fn shown(app: &AppWindow, css: &str) -> u64 {
    let n = app.execute(
        "return [...document.querySelectorAll(arguments[0])]
           .filter((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)
           .length;",
        json!([css]),
    );
    n.as_u64().expect("a count")
}

#[test]
fn a_quote_prints_alone_on_an_a4_page() {
    let fb = Fb::empty();
    fb.ok(&["init", "--user", "wang", "--currency", "CNY"]);
    let rep = Fb {
        dir: fb.dir,
        user: "wang".into(),
    };
    rep.ok(&["demo", "--records", "300", "--seed", "7"]);
    let quote: Value = rep.json(&["list", "quote", "--limit", "1"])[0].clone();
    let id = quote["id"].as_str().expect("an id").to_string();
    let total = rep.json(&["show", &id])["total"]
        .as_str()
        .expect("a total")
        .to_string();

    for locale in ["en", "zh-CN"] {
        let app = AppWindow::launch(Launch::new(rep.path()));
        app.wait_for("[data-testid=greeting]");
        app.find(&format!("button[data-locale={locale}]")).click();
        app.wait_for_attribute("html", "lang", locale);
        app.set_size(794, 1123);
        app.execute(
            "location.hash = arguments[0]",
            json!([format!("#/quotes/{id}")]),
        );
        app.wait_for("tr[data-line]");
        app.wait_for(".print-customer");
        let applied = app.execute(APPLY_PRINT_RULES, json!([]));
        assert!(applied.as_u64().unwrap_or(0) > 5, "print rules: {applied}");

        for gone in [
            ".topbar",
            ".nav",
            ".no-print",
            "dialog",
            "input[type=search]",
        ] {
            assert_eq!(shown(&app, gone), 0, "{gone} is printed");
        }
        for kept in [
            ".print-customer",
            "#quote-title",
            "tr[data-line]",
            "[data-testid=quote-totals]",
        ] {
            assert!(shown(&app, kept) > 0, "{kept} is not printed");
        }
        // The total as Rust computed it, formatted for the locale: its digits are there.
        let printed = app.find("[data-testid=quote-totals]").text();
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        assert!(
            digits(&printed).contains(&digits(&total)),
            "total {total} in {printed:?}"
        );
        let cut = app.cut_text();
        assert!(cut.is_empty(), "print view, {locale}: {cut:#?}");
        app.screenshot(&format!("quote-print.{locale}.794"));
    }
}
