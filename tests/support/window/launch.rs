//! What a window test starts: the app binary, `tauri-driver`, and how to launch them
//! ([`Launch`]); where screenshots go.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// The `fieldbook-app` binary built alongside these tests.
pub fn app_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("FIELDBOOK_APP_BIN") {
        return PathBuf::from(p);
    }
    let bin = crate::fieldbook_bin().with_file_name("fieldbook-app");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first (the test script does)",
        bin.display()
    );
    bin
}

/// Where screenshots go: `FIELDBOOK_SCREENSHOTS`, else `screenshots/` in the target directory.
pub fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FIELDBOOK_SCREENSHOTS") {
        return PathBuf::from(dir);
    }
    let target = app_bin()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("target/<profile>/fieldbook-app");
    target.join("screenshots")
}

/// `tauri-driver`: on the PATH, or where scripts/setup.sh installs it.
pub(super) fn tauri_driver() -> PathBuf {
    let tools = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/fieldbook/tools/bin/tauri-driver"));
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("tauri-driver"))
            .find(|p| p.is_file())
    });
    on_path.or(tools.filter(|p| p.is_file())).expect(
        "tauri-driver is missing: run scripts/setup.sh (it runs `cargo install tauri-driver`)",
    )
}

/// A port free now and never handed out before in this process: two windows starting at
/// once never get the same one (the driver's native port is bound only when a session
/// starts, so the OS could give it out again meanwhile).
pub(super) fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// How to start the app.
pub struct Launch {
    pub(super) data_dir: PathBuf,
    /// XDG directories; kept between launches when given (window state survives a restart).
    pub(super) home: Option<PathBuf>,
    pub(super) size: Option<(u32, u32)>,
    pub(super) env: Vec<(String, String)>,
    /// The app binary (default: [`app_bin`]).
    pub(super) app: Option<PathBuf>,
    /// Whether the app gets `FIELDBOOK_PASSPHRASE` (the tests' passphrase, which unlocks
    /// the stores `Fb::init` makes).
    pub(super) passphrase_from_env: bool,
}

impl Launch {
    /// The app on the store directory `data_dir` (which may hold no store yet), in a window
    /// of 1280×800, in English, compositing on the GPU (`FIELDBOOK_GPU=1`: WebKitWebDriver
    /// takes no screenshot of a page drawn without it; the app's default is tried by the
    /// benchmark).
    pub fn new(data_dir: &Path) -> Launch {
        Launch {
            data_dir: data_dir.to_path_buf(),
            home: None,
            size: Some((1280, 800)),
            env: vec![
                ("LANG".into(), "en_US.UTF-8".into()),
                ("FIELDBOOK_GPU".into(), "1".into()),
            ],
            app: None,
            passphrase_from_env: true,
        }
    }

    /// Keeps the app's config, data and cache directories in `home` (instead of a fresh
    /// temporary one), e.g. to see what a second launch remembers.
    pub fn home(mut self, home: &Path) -> Launch {
        self.home = Some(home.to_path_buf());
        self
    }

    /// The window's size once it is shown.
    pub fn size(mut self, width: u32, height: u32) -> Launch {
        self.size = Some((width, height));
        self
    }

    /// Leaves the window at the size the app itself chose (or restored).
    pub fn keep_size(mut self) -> Launch {
        self.size = None;
        self
    }

    /// Another app binary than the one built beside the tests (a release build).
    pub fn app(mut self, bin: &Path) -> Launch {
        self.app = Some(bin.to_path_buf());
        self
    }

    /// No `FIELDBOOK_PASSPHRASE`: an encrypted store stays locked until the window's
    /// unlock screen is given its passphrase.
    pub fn locked(mut self) -> Launch {
        self.passphrase_from_env = false;
        self
    }

    /// Another environment variable for the app (e.g. `FIELDBOOK_CA_CERT`).
    pub fn env(mut self, key: &str, value: &str) -> Launch {
        self.env.push((key.into(), value.into()));
        self
    }
}
