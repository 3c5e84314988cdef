//! One instance per store, and a relaunch right after a quit. The single-instance plugin
//! (D-Bus on Linux) forwards a second launch to the instance that owns the store's bus
//! name and exits; but an instance that is closing still owns the name for a moment while
//! it no longer answers, and the plugin then fails the new launch ("failed to forward
//! arguments to the running instance"). Before the plugin runs, [`wait_for_closing`]
//! waits (a few seconds at most) until the name is free or its owner answers.
//!
//! Knows nothing of the store or the UI: a bus name in, a wait out.

use std::time::{Duration, Instant};

/// The app's identifier (tauri.conf.json), the plugin's bus name when no data directory
/// is named.
pub const IDENTIFIER: &str = "com.fieldbook.desktop";

/// How long a closing instance may take to let go of the name.
const CLOSING: Duration = Duration::from_secs(5);

/// The bus name the single-instance plugin claims for `dbus_id`, and its object path.
fn name_and_path(dbus_id: &str) -> (String, String) {
    let name = format!("{dbus_id}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    (name, path)
}

/// Returns once the store's bus name is free or owned by an instance that answers (the
/// plugin then forwards this launch to it), or after [`CLOSING`]. Without a session bus
/// there is nothing to wait for.
#[cfg(target_os = "linux")]
pub fn wait_for_closing(dbus_id: &str) {
    let (name, path) = name_and_path(dbus_id);
    let Ok(bus) = zbus::blocking::Connection::session() else {
        return;
    };
    let Ok(dbus) = zbus::blocking::fdo::DBusProxy::new(&bus) else {
        return;
    };
    let Ok(well_known) = zbus::names::BusName::try_from(name.as_str()) else {
        return;
    };
    let start = Instant::now();
    while start.elapsed() < CLOSING {
        let Ok(owner) = dbus.get_name_owner(well_known.clone()) else {
            return; // free: this launch becomes the instance
        };
        let answers = bus
            .call_method(
                Some(owner.as_str()),
                path.as_str(),
                Some("org.freedesktop.DBus.Peer"),
                "Ping",
                &(),
            )
            .is_ok();
        if answers {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(not(target_os = "linux"))]
pub fn wait_for_closing(_dbus_id: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_the_configs() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], IDENTIFIER);
    }

    #[test]
    fn the_name_and_path_are_the_plugins() {
        let (name, path) = name_and_path("com.fieldbook.desktop.s00ab");
        assert_eq!(name, "com.fieldbook.desktop.s00ab.SingleInstance");
        assert_eq!(path, "/com/fieldbook/desktop/s00ab/SingleInstance");
    }
}
