//! Support for the end-to-end tests: finding the real `fieldbook` binary and driving it
//! against real store directories, real `fieldbook-server` processes, and ([`window`]) the
//! desktop app's real window. Knows nothing of the store's internals.

mod pg;
mod proxy;
pub use proxy::Proxy;
pub mod window;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use tempfile::TempDir;

/// The `fieldbook` binary built alongside these tests (`target/<profile>/fieldbook`).
pub fn fieldbook_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("FIELDBOOK_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let bin = profile_dir.join("fieldbook");
    assert!(
        bin.is_file(),
        "{} is missing: build it first with `cargo build --workspace --bins` (the test script does)",
        bin.display()
    );
    bin
}

/// The passphrase of every store the tests make (they are encrypted, as a user's are).
pub const TEST_PASSPHRASE: &str = "fieldbook test passphrase";

/// A store in its own temporary directory, driven through the real command line.
pub struct Fb {
    pub dir: TempDir,
    pub user: String,
}

impl Fb {
    /// A new store for `user` (currency EUR).
    pub fn init(user: &str) -> Fb {
        let fb = Fb {
            dir: tempfile::tempdir().expect("temp dir"),
            user: user.into(),
        };
        fb.ok(&["init", "--user", user, "--currency", "EUR"]);
        fb
    }

    /// A new plain (unencrypted) store for `user`.
    pub fn init_plain(user: &str) -> Fb {
        let fb = Fb {
            dir: tempfile::tempdir().expect("temp dir"),
            user: user.into(),
        };
        fb.ok(&[
            "init",
            "--user",
            user,
            "--currency",
            "EUR",
            "--no-encryption",
        ]);
        fb
    }

    /// A directory with no store yet.
    pub fn empty() -> Fb {
        Fb {
            dir: tempfile::tempdir().expect("temp dir"),
            user: String::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A `fieldbook` command on this store.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(fieldbook_bin());
        c.arg("--data-dir").arg(self.dir.path());
        c.env_remove("FIELDBOOK_DATA_DIR");
        c.env("FIELDBOOK_PASSPHRASE", TEST_PASSPHRASE);
        c.env_remove("FIELDBOOK_NEW_PASSPHRASE");
        c
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run fieldbook")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "fieldbook {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs a command with `--json` that must succeed; returns the one JSON document it printed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("fieldbook {args:?} printed no single JSON document ({e}): {text}")
        })
    }

    /// Creates a record; returns its id.
    pub fn new_record(&self, kind: &str, fields: &[&str]) -> String {
        let mut args = vec!["new", kind];
        args.extend_from_slice(fields);
        self.json(&args)["id"].as_str().expect("an id").to_string()
    }

    /// Runs a command that must fail; returns (exit code, stderr).
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.output(args);
        assert!(
            !out.status.success(),
            "fieldbook {args:?} should have failed"
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Everything in the store, as `export` writes it (without the export's own timestamp).
    pub fn export_records(&self) -> Value {
        let file = self.dir.path().join("export-for-test.json");
        self.ok(&["export", "--out", file.to_str().expect("utf-8 path")]);
        let v: Value = serde_json::from_slice(&std::fs::read(&file).expect("export file"))
            .expect("export is JSON");
        v["records"].clone()
    }

    /// Writes a bundle of this store to `file`.
    pub fn bundle_to(&self, file: &Path) {
        self.ok(&["bundle", "--out", file.to_str().expect("utf-8 path")]);
    }

    /// Absorbs another store's bundle.
    pub fn absorb_from(&self, other: &Fb) {
        let file = other
            .dir
            .path()
            .join(format!("bundle-for-{}.fbb", self.user));
        other.bundle_to(&file);
        self.ok(&["absorb", file.to_str().expect("utf-8 path")]);
    }
}

/// The `fieldbook-server` binary built alongside these tests.
pub fn server_bin() -> PathBuf {
    let bin = fieldbook_bin().with_file_name("fieldbook-server");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first",
        bin.display()
    );
    bin
}

/// A real `fieldbook-server` process on 127.0.0.1 and a free port, with its own data
/// directory (its log; its SQLite database unless it serves a PostgreSQL one); killed
/// when dropped.
pub struct Server {
    pub dir: TempDir,
    pub url: String,
    child: Option<std::process::Child>,
    /// `--tls-cert` and `--tls-key`, when serving HTTPS.
    tls: Option<(PathBuf, PathBuf)>,
    /// The PostgreSQL database it serves (shared with other instances), if not SQLite.
    database: Option<Arc<pg::Database>>,
}

/// Where a test's server keeps its data: one test body runs on both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in the server's data directory (the default).
    Sqlite,
    /// A database of the test's own on the tests' PostgreSQL (FIELDBOOK_TEST_DATABASE_URL).
    Postgres,
}

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

impl Server {
    /// Starts a server on a new data directory.
    pub fn start() -> Server {
        Server::start_on(Backend::Sqlite)
    }

    /// Starts a server keeping its data in `backend` (a new, empty database).
    pub fn start_on(backend: Backend) -> Server {
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(Arc::new(pg::Database::create())),
        };
        Server::start_over(database)
    }

    fn start_over(database: Option<Arc<pg::Database>>) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut s = Server {
            dir,
            url: String::new(),
            child: None,
            tls: None,
            database,
        };
        s.restart();
        s
    }

    /// Another instance serving this one's PostgreSQL database, on a port of its own.
    pub fn another_instance(&self) -> Server {
        let db = self.database.clone();
        assert!(
            db.is_some(),
            "only a PostgreSQL database is served by several instances"
        );
        Server::start_over(db)
    }

    /// Moves this SQLite server's data into a new PostgreSQL database with `fieldbook-server
    /// migrate --to` (the server stopped first), then serves that database on the same
    /// port: devices keep their URL. Returns what `migrate` printed.
    pub fn move_to_postgres(&mut self) -> String {
        assert!(self.database.is_none(), "already on PostgreSQL");
        let db = pg::Database::create();
        // Refused while the directory is served.
        let running = self.admin_fails(&["migrate", "--to", db.url()]);
        assert!(running.contains("stop it"), "{running}");
        self.kill();
        let out = self.admin(&["migrate", "--to", db.url()]);
        self.database = Some(Arc::new(db));
        self.restart();
        out
    }

    /// The PostgreSQL database served, if not SQLite.
    pub fn database_url(&self) -> Option<&str> {
        self.database.as_deref().map(pg::Database::url)
    }

    /// Runs SQL on the PostgreSQL database served (psql's unaligned output).
    pub fn sql(&self, sql: &str) -> String {
        let url = self.database_url().expect("a server on PostgreSQL");
        pg::query(url, sql)
    }

    /// `--data-dir DIR` or `--database URL`: where the data is, for any command.
    fn place(&self) -> Vec<std::ffi::OsString> {
        match &self.database {
            Some(db) => vec!["--database".into(), db.url().into()],
            None => vec!["--data-dir".into(), self.dir.path().into()],
        }
    }

    /// Starts a server speaking HTTPS with this certificate and key (PEM files).
    pub fn start_tls(cert: PathBuf, key: PathBuf) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut s = Server {
            dir,
            url: String::new(),
            child: None,
            tls: Some((cert, key)),
            database: None,
        };
        s.restart();
        s
    }

    /// Starts the server process (again) on the same data directory, on a new port.
    pub fn restart(&mut self) {
        use std::io::BufRead;
        self.kill();
        // The first start takes a free port; later ones keep it (clients remember the URL).
        let listen = match self.url.rsplit_once(':') {
            Some((_, port)) => format!("127.0.0.1:{port}"),
            None => "127.0.0.1:0".to_string(),
        };
        for _attempt in 0..50 {
            let mut cmd = Command::new(server_bin());
            cmd.args(self.place()).args(["serve", "--listen", &listen]);
            if let Some((cert, key)) = &self.tls {
                cmd.arg("--tls-cert").arg(cert).arg("--tls-key").arg(key);
            }
            // This checkout's front-end, named: the binary's own default is the checkout it
            // was built in, which differs when checkouts share a target directory.
            let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist");
            if ui.join("index.html").is_file() {
                cmd.arg("--ui-dir").arg(ui);
            }
            let mut child = cmd
                .stdout(std::process::Stdio::piped())
                .stderr(self.log())
                .spawn()
                .expect("start fieldbook-server");
            let stdout = child.stdout.take().expect("server stdout");
            let mut lines = std::io::BufReader::new(stdout).lines();
            let url = lines.by_ref().map_while(|l| l.ok()).find_map(|line| {
                line.trim()
                    .strip_prefix("listening on ")
                    .map(|u| u.trim().to_string())
            });
            if let Some(url) = url {
                // Keep draining stdout so the server never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines {});
                self.url = url;
                self.child = Some(child);
                return;
            }
            // The port may be a moment from free after a kill: try again.
            let _ = child.wait();
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!(
            "fieldbook-server did not start on {listen}:\n{}",
            self.log_tail(20)
        );
    }

    /// The server's log file (appended to across restarts), for a failing test to show.
    fn log(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("server log")
    }

    /// The last lines the server logged.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Runs an admin command (`user add ...`, `reassign ...`) on the data directory.
    pub fn admin(&self, args: &[&str]) -> String {
        let out = Command::new(server_bin())
            .args(self.place())
            .args(args)
            .env("FIELDBOOK_PASSWORD", PASSWORD)
            .output()
            .expect("run fieldbook-server");
        assert!(
            out.status.success(),
            "fieldbook-server {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs an admin command, whatever comes of it.
    pub fn admin_output(&self, args: &[&str]) -> Output {
        Command::new(server_bin())
            .args(self.place())
            .args(args)
            .env("FIELDBOOK_PASSWORD", PASSWORD)
            .output()
            .expect("run fieldbook-server")
    }

    /// Runs an admin command that must fail; returns its error output.
    pub fn admin_fails(&self, args: &[&str]) -> String {
        let out = Command::new(server_bin())
            .args(self.place())
            .args(args)
            .env("FIELDBOOK_PASSWORD", PASSWORD)
            .output()
            .expect("run fieldbook-server");
        assert!(
            !out.status.success(),
            "fieldbook-server {args:?} succeeded: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Adds a user with [`PASSWORD`].
    pub fn user(&self, name: &str, role: &str, team: Option<&str>) {
        let mut args = vec!["user", "add", name, "--role", role];
        if let Some(t) = team {
            args.extend(["--team", t]);
        }
        self.admin(&args);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Fb {
    /// Signs this store in to `server` as its user (with [`PASSWORD`]).
    pub fn login(&self, server: &Server) {
        let out = self
            .cmd()
            .args(["login", &server.url, &self.user])
            .env("FIELDBOOK_PASSWORD", PASSWORD)
            .output()
            .expect("run fieldbook login");
        assert!(
            out.status.success(),
            "login failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Syncs; returns the sync report.
    pub fn sync(&self) -> Value {
        self.json(&["sync"])
    }

    /// Names of the records of `kind` this store holds (deleted ones too).
    pub fn names(&self, kind: &str) -> Vec<String> {
        let field = if kind == "quote" { "number" } else { "name" };
        let mut v: Vec<String> = self
            .json(&["list", kind, "--deleted"])
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| r[field].as_str().unwrap_or_default().to_string())
            .collect();
        v.sort();
        v
    }
}
