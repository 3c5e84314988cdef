//! First run against a company server that speaks HTTPS with its own certificate
//! authority: without `FIELDBOOK_CA_CERT` the sign-in is refused with a problem in words and
//! the rep can go on offline; with it, the first-run form signs in at once, the app syncs,
//! and a second device of the same rep sees what the app wrote. The shortcuts panel (`?`)
//! lists every shortcut, the lead capture's among them. Signing out from Settings keeps
//! the work on the device.

use fieldbook_tests::window::{AppWindow, Launch, keys};
use fieldbook_tests::{Fb, PASSWORD, Server};

fn first_run(app: &AppWindow, url: &str) {
    app.wait_for("input[name=user]").type_text("wang");
    let currency = app.find("input[name=currency]");
    currency.clear();
    currency.type_text("CNY");
    app.find("input[name=connect]").click();
    app.wait_for("input[name=url]").type_text(url);
    app.find("input[name=password]").type_text(PASSWORD);
    app.find("button[type=submit]").click();
}

#[test]
fn first_run_signs_in_over_https_trusting_the_ca_of_fieldbook_ca_cert() {
    let certs = tempfile::tempdir().expect("temp dir");
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("a certificate");
    let (cert_file, key_file) = (certs.path().join("cert.pem"), certs.path().join("key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).expect("write key");
    let server = Server::start_tls(cert_file.clone(), key_file);
    assert!(server.url.starts_with("https://"), "{}", server.url);
    server.user("wang", "rep", None);

    // A certificate nobody vouched for: refused, said in words; the store is made anyway
    // and the rep goes on offline.
    let untrusting = Fb::empty();
    {
        let app = AppWindow::launch(Launch::new(untrusting.path()));
        first_run(&app, &server.url);
        app.wait_for("form [data-problem]");
        app.find("form button.plain").click();
        app.wait_for("[data-testid=greeting]");
        app.wait_for_text_containing(".sync-text", "On this device only");
    }

    // The team's certificate authority given: signed in from the first-run form.
    let trusting = Fb::empty();
    let ca = cert_file.display().to_string();
    let app = AppWindow::launch(
        Launch::new(trusting.path())
            .env("FIELDBOOK_CA_CERT", &ca)
            .env("FIELDBOOK_SYNC_EVERY_SECS", "3"),
    );
    first_run(&app, &server.url);
    app.wait_for_text("[data-testid=greeting]", "Hello, wang");
    app.wait_for_attribute("[data-testid=sync-badge]", "data-phase", "idle");
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for(".accounts .screen-head button").click();
    app.wait_for(".new-account input[name=name]")
        .type_text("Over TLS 股份");
    app.find(".new-account button[type=submit]").click();
    app.wait_for_text("#account-title", "Over TLS 股份");
    app.wait_for_text_containing(".sync-text", "Synced");

    let second = Fb::init("wang");
    let login = second
        .cmd()
        .args(["login", &server.url, "wang"])
        .env("FIELDBOOK_PASSWORD", PASSWORD)
        .env("FIELDBOOK_CA_CERT", &cert_file)
        .output()
        .expect("run fieldbook login");
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );
    app.wait_until(
        fieldbook_tests::window::WAIT,
        "the account to reach the second device",
        || {
            let out = second
                .cmd()
                .args(["--json", "sync"])
                .env("FIELDBOOK_CA_CERT", &cert_file)
                .output()
                .expect("run fieldbook sync");
            assert!(out.status.success());
            (second.names("account") == ["Over TLS 股份"]).then_some(())
        },
    );

    // The shortcuts panel, from the keyboard.
    app.find("nav a[data-screen=today]").click();
    app.wait_for("[data-testid=greeting]");
    app.find("main").type_text("?");
    app.wait_for("dialog.help[open]");
    let listed: Vec<String> = app
        .find_all("dialog.help kbd")
        .iter()
        .map(|k| k.text())
        .collect();
    for shortcut in ["Ctrl K", "Ctrl L", "Ctrl Shift L", "?"] {
        assert!(
            listed.iter().any(|k| k == shortcut),
            "{shortcut} in {listed:?}"
        );
    }
    app.find("dialog.help button[type=submit]").click();
    app.wait_gone("dialog.help[open]");
    app.find("main").type_text(keys::ESCAPE);

    // Signed out from Settings: the sign-in form is back, the work stays on the device.
    app.find("nav a[data-screen=settings]").click();
    app.wait_for_text_containing("[data-testid=signed-in]", "wang");
    app.find("section[aria-labelledby=server-title] button")
        .click();
    app.wait_for("input[name=login-user]");
    app.wait_gone("[data-testid=signed-in]");
    app.wait_for_text_containing(".sync-text", "Signed out");
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for_text_containing(".account-row a", "Over TLS 股份");
}
