//! A D-Bus session bus of a test's own, as a desktop session has: the single-instance
//! plugin registers there, desktop notifications are sent there. [`BusMonitor`] records the
//! method calls matching a rule (`dbus-monitor`), to see what the app sent.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A session bus (`dbus-daemon --session`), stopped when dropped.
pub struct SessionBus {
    daemon: Child,
    /// What `DBUS_SESSION_BUS_ADDRESS` must say to reach it.
    pub address: String,
}

impl SessionBus {
    pub fn start() -> SessionBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            // What it says about services it starts (portals, a11y) is noise here.
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon (Debian package dbus)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        SessionBus {
            daemon,
            address: address.trim().to_string(),
        }
    }

    /// The names registered on the bus now.
    pub fn names(&self) -> Vec<String> {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.ListNames",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("dbus-send");
        String::from_utf8_lossy(&out.stdout)
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    /// Starts recording the messages matching `rule` (a D-Bus match rule).
    pub fn monitor(&self, rule: &str) -> BusMonitor {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("monitor.txt");
        let out = std::fs::File::create(&file).expect("the monitor's file");
        let child = Command::new("dbus-monitor")
            .args(["--address", &self.address, rule])
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-monitor (Debian package dbus)");
        BusMonitor {
            child,
            file,
            _dir: dir,
        }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// What `dbus-monitor` printed so far; stopped when dropped.
pub struct BusMonitor {
    child: Child,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl BusMonitor {
    /// Everything recorded so far, as `dbus-monitor` prints it.
    pub fn text(&self) -> String {
        std::fs::read_to_string(&self.file).unwrap_or_default()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
