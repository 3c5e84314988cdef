//! Encryption at rest in the window: an encrypted store opens on the unlock screen and on
//! nothing else; a wrong passphrase is refused and said; the right one opens Today. First
//! run protects the new store (a short passphrase refused with the reason, two different
//! typings caught); Settings change the passphrase, and encrypt a plain store whose files
//! then reveal nothing. Screenshots: `unlock.*`, `first-run-protect.*`, `settings-at-rest.*`.

use fieldbook_tests::window::{AppWindow, Launch, keys};
use fieldbook_tests::{Fb, TEST_PASSPHRASE};
use std::path::Path;

fn check_and_save(app: &AppWindow, name: &str) {
    let cut = app.cut_text();
    assert!(cut.is_empty(), "{name}: text does not fit: {cut:#?}");
    app.screenshot(name);
}

/// Whether any of the store's files holds `needle` as plain bytes.
fn files_hold(dir: &Path, needle: &str) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        name.starts_with("fieldbook.db")
            && std::fs::read(&p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
    })
}

fn unlock(app: &AppWindow, passphrase: &str) {
    let field = app.wait_for("input[name=passphrase]");
    field.clear();
    field.type_text(passphrase);
    field.type_text(keys::ENTER);
}

#[test]
fn an_encrypted_store_opens_on_the_unlock_screen_and_only_its_passphrase_opens_it() {
    let store = Fb::init("wang");
    store.ok(&["new", "account", "name=青岛啤酒股份有限公司"]);
    // No OS keyring here: nothing to remember the key in, so nothing offers to.
    let app = AppWindow::launch(
        Launch::new(store.path())
            .locked()
            .env("FIELDBOOK_KEYRING", "off"),
    );
    app.wait_for("input[name=passphrase]");
    assert!(
        app.find_all("nav").is_empty() && app.find_all("[data-testid=greeting]").is_empty(),
        "nothing but the unlock screen while the store is locked"
    );
    assert!(app.find_all("input[name=remember]").is_empty());
    check_and_save(&app, "unlock.en.1280");

    unlock(&app, "not the passphrase");
    app.wait_for_text_containing("[role=alert]", "does not open this store");
    assert!(app.find_all("nav").is_empty());
    check_and_save(&app, "unlock-wrong.en.1280");
    app.set_size(390, 844);
    check_and_save(&app, "unlock-wrong.en.390");

    app.find("button[data-locale=zh-CN]").click();
    app.wait_for_text_containing("[role=alert]", "此口令无法打开这个数据库");
    check_and_save(&app, "unlock-wrong.zh-CN.390");
    app.set_size(1280, 800);
    check_and_save(&app, "unlock-wrong.zh-CN.1280");
    app.find("button[data-locale=en]").click();

    unlock(&app, TEST_PASSPHRASE);
    app.wait_for_text("[data-testid=greeting]", "Hello, wang");
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for_text(".account-row a .account-name", "青岛啤酒股份有限公司");
}

#[test]
fn first_run_protects_the_new_store_and_settings_change_its_passphrase() {
    let store = Fb::empty();
    let home = tempfile::tempdir().expect("temp dir");
    let app = AppWindow::launch(Launch::new(store.path()).locked().home(home.path()));
    app.wait_for("input[name=user]").type_text("王芳");
    assert_eq!(
        app.find("input[name=protect][value=passphrase]")
            .property("checked"),
        serde_json::json!(true),
        "protection is offered first"
    );
    let first = app.find("input[name=new-passphrase]");
    let second = app.find("input[name=repeat-passphrase]");

    // Too short: Rust refuses it with the reason; no store is made.
    first.type_text("short");
    second.type_text("short");
    app.find("button[type=submit]").click();
    app.wait_for_text_containing("[role=alert]", "at least 8 characters");
    assert!(!store.path().join("fieldbook.db").exists());

    // Two typings that differ: caught before anything is sent.
    first.clear();
    first.type_text("first passphrase 1");
    second.clear();
    second.type_text("first passphrase 2");
    app.wait_for("[data-testid=passphrase-mismatch]");
    app.find("button[data-locale=zh-CN]").click();
    app.wait_for_text_containing("[data-testid=passphrase-mismatch]", "两次输入的口令不一致");
    check_and_save(&app, "first-run-protect.zh-CN.1280");
    app.set_size(390, 844);
    check_and_save(&app, "first-run-protect.zh-CN.390");
    app.find("button[data-locale=en]").click();
    check_and_save(&app, "first-run-protect.en.390");
    app.set_size(1280, 800);
    check_and_save(&app, "first-run-protect.en.1280");
    app.find("button[type=submit]").click();
    assert!(!store.path().join("fieldbook.db").exists());

    second.clear();
    second.type_text("first passphrase 1");
    app.find("button[type=submit]").click();
    app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
    assert!(store.path().join("fieldbook.key").is_file(), "encrypted");

    // Settings: the current passphrase is checked before anything changes.
    app.find("nav a[data-screen=settings]").click();
    app.wait_for_attribute("[data-testid=at-rest-status]", "data-encrypted", "true");
    let current = app.wait_for("input[name=current-passphrase]");
    current.type_text("wrong passphrase");
    app.find(".rekey input[name=new-passphrase]")
        .type_text(TEST_PASSPHRASE);
    app.find(".rekey input[name=repeat-passphrase]")
        .type_text(TEST_PASSPHRASE);
    app.find(".rekey button[type=submit]").click();
    app.wait_for_text_containing(".rekey [role=alert]", "does not open this store");
    current.clear();
    current.type_text("first passphrase 1");
    app.find(".rekey button[type=submit]").click();
    app.wait_for_text_containing("[data-testid=at-rest-done]", "The passphrase is changed");
    check_and_save(&app, "settings-passphrase.en.1280");
    // The app goes on with its store reopened; the command line opens it with the new one.
    app.find("nav a[data-screen=today]").click();
    app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
    let fb = Fb {
        dir: store.dir,
        user: "王芳".into(),
    };
    fb.ok(&["list", "account"]);
    drop(app);

    // The next start asks again: the old passphrase no longer opens the store.
    let app = AppWindow::launch(Launch::new(fb.path()).locked().home(home.path()));
    unlock(&app, "first passphrase 1");
    app.wait_for_text_containing("[role=alert]", "does not open this store");
    unlock(&app, TEST_PASSPHRASE);
    app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
}

#[test]
fn a_plain_store_is_encrypted_from_settings_and_its_files_then_reveal_nothing() {
    const NAME: &str = "Quillfeather Hydraulik";
    let store = Fb::init_plain("wang");
    store.ok(&["new", "account", &format!("name={NAME}")]);
    assert!(
        files_hold(store.path(), NAME),
        "the control: a plain store shows it"
    );
    let app = AppWindow::launch(Launch::new(store.path()).locked());
    app.wait_for("[data-testid=greeting]");
    app.find("nav a[data-screen=settings]").click();
    app.wait_for_attribute("[data-testid=at-rest-status]", "data-encrypted", "false");
    for (locale, width, height) in [
        ("en", 1280, 800),
        ("zh-CN", 1280, 800),
        ("zh-CN", 390, 844),
        ("en", 390, 844),
    ] {
        app.find(&format!("button[data-locale={locale}]")).click();
        app.set_size(width, height);
        app.execute(
            "document.querySelector('.at-rest').scrollIntoView({block: 'start'})",
            serde_json::json!([]),
        );
        check_and_save(&app, &format!("settings-at-rest.{locale}.{width}"));
    }
    app.find("button[data-locale=en]").click();
    app.set_size(1280, 800);

    app.find(".rekey input[name=new-passphrase]")
        .type_text(TEST_PASSPHRASE);
    app.find(".rekey input[name=repeat-passphrase]")
        .type_text(TEST_PASSPHRASE);
    app.find(".rekey button[type=submit]").click();
    let outcome = app.wait_for("[data-testid=at-rest-done], .rekey [role=alert]");
    assert!(
        outcome.text().contains("The store is encrypted"),
        "{}",
        outcome.text()
    );
    app.wait_for_attribute("[data-testid=at-rest-status]", "data-encrypted", "true");
    assert!(
        !files_hold(store.path(), NAME),
        "the encrypted files reveal nothing"
    );

    // The app reads and writes its reopened store.
    app.find("nav a[data-screen=accounts]").click();
    app.wait_for_text(".account-row a .account-name", NAME);
    store.ok(&["list", "account"]);
}

/// The key remembered at unlock (where an OS keyring answers) opens the store at the next
/// start without the unlock screen, until Settings forget it. Where none answers (the test
/// script's main run), the unlock screen offers nothing to remember it with. The script
/// runs it again inside `dbus-run-session` with gnome-keyring and FIELDBOOK_TEST_KEYRING=1
/// (a missing keyring fails it); there the app's three launches also show that a launch
/// right after a quit waits for the closing instance (`instance.rs`).
#[test]
fn keyring_remembers_the_key_at_unlock_until_settings_forget_it() {
    let store = Fb::init("wang");
    let home = tempfile::tempdir().expect("temp dir");
    let launch = || Launch::new(store.path()).locked().home(home.path());
    if store.json(&["keyring", "status"])["keyring"] != true {
        assert_ne!(
            std::env::var("FIELDBOOK_TEST_KEYRING").as_deref(),
            Ok("1"),
            "FIELDBOOK_TEST_KEYRING=1 but no OS keyring answers"
        );
        let app = AppWindow::launch(launch());
        app.wait_for("input[name=passphrase]");
        assert!(app.find_all("input[name=remember]").is_empty());
        return;
    }
    {
        let app = AppWindow::launch(launch());
        app.wait_for("input[name=remember]").click();
        unlock(&app, TEST_PASSPHRASE);
        app.wait_for_text("[data-testid=greeting]", "Hello, wang");
    }
    // Remembered: straight to Today; Settings say so, and forget it.
    {
        let app = AppWindow::launch(launch());
        app.wait_for_text("[data-testid=greeting]", "Hello, wang");
        app.find("nav a[data-screen=settings]").click();
        let remember = app.wait_for(".remember input[name=remember]");
        assert_eq!(remember.property("checked"), serde_json::json!(true));
        check_and_save(&app, "settings-keyring.en.1280");
        remember.click();
        app.wait_until(
            fieldbook_tests::window::WAIT,
            "the key to be forgotten",
            || (store.json(&["keyring", "status"])["remembered"] == false).then_some(()),
        );
    }
    let app = AppWindow::launch(launch());
    app.wait_for("input[name=passphrase]");
}
