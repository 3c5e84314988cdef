//! One app instance per store: a second launch on the same store hands over to the first
//! and exits; a launch on another store gets its own window. Uses a private D-Bus session
//! bus, as a desktop session has (the single-instance plugin finds the first app there).

use fieldbook_tests::Fb;
use fieldbook_tests::window::{AppWindow, Launch, SessionBus, WAIT, app_bin};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The names of the app instances registered on the bus now.
fn instances(bus: &SessionBus) -> Vec<String> {
    bus.names()
        .into_iter()
        .filter(|n| n.starts_with("com.fieldbook.desktop.") && n.ends_with(".SingleInstance"))
        .collect()
}

/// The app started directly (not through WebDriver) on `store`.
fn start_app(bus: &SessionBus, store: &Path, home: &Path) -> Child {
    Command::new(app_bin())
        .env("FIELDBOOK_DATA_DIR", store)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fieldbook-app")
}

#[test]
fn one_instance_per_store() {
    let bus = SessionBus::start();
    let store = Fb::init_plain("rep");
    let home = tempfile::tempdir().expect("temp dir");
    let app =
        AppWindow::launch(Launch::new(store.path()).env("DBUS_SESSION_BUS_ADDRESS", &bus.address));
    app.wait_for("nav");
    app.wait_until(WAIT, "the first app on the bus", || {
        (instances(&bus).len() == 1).then_some(())
    });

    // The same store again: hands over to the first and exits, successfully.
    let mut second = start_app(&bus, store.path(), home.path());
    let status = app.wait_until(WAIT, "the second launch to exit", || {
        second.try_wait().expect("status")
    });
    assert!(status.success(), "the second launch exited with {status}");
    app.wait_for("nav");

    // Another store: its own instance.
    let other = Fb::init_plain("rep");
    let mut third = start_app(&bus, other.path(), home.path());
    app.wait_until(WAIT, "a second instance on the bus", || {
        (instances(&bus).len() == 2).then_some(())
    });
    assert!(
        third.try_wait().expect("status").is_none(),
        "the other store's app runs"
    );
    let _ = third.kill();
    let _ = third.wait();
}
