//! Driving the real desktop app window: `fieldbook-app` started by `tauri-driver` (which
//! runs WebKitWebDriver), spoken to over plain W3C WebDriver HTTP. Needs an X display: the
//! test script runs the tests under `xvfb-run -a`.
//!
//! Each [`AppWindow`] has its own `tauri-driver` on free ports and its own directories: the
//! store (`FIELDBOOK_DATA_DIR`), and `XDG_CONFIG_HOME` / `XDG_DATA_HOME` / `XDG_CACHE_HOME`
//! (window state, the webview's local storage and caches), so tests run side by side and
//! leave nothing in the user's home. Dropping it ends the session (closing the app) and
//! stops the driver.
//!
//! ```no_run
//! use fieldbook_tests::window::{AppWindow, Launch};
//! let store = tempfile::tempdir().unwrap();
//! let app = AppWindow::launch(Launch::new(store.path()));
//! app.wait_for("input[name=user]").type_text("王芳");
//! app.find("button[type=submit]").click();
//! app.wait_for_text("[data-testid=greeting]", "Hello, 王芳");
//! app.screenshot("today.en.1280");
//! ```

mod bus;
mod launch;
mod page;

pub use bus::{BusMonitor, SessionBus};
pub use launch::{Launch, app_bin, screenshot_dir};
pub use page::keys;

use base64::Engine as _;
use launch::{free_port, tauri_driver};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The W3C key of an element reference in WebDriver answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a `wait_*` waits before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// The app running in a real window, driven through WebDriver.
pub struct AppWindow {
    http: reqwest::blocking::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
    driver: Child,
    _home: Option<TempDir>,
}

/// An element of the window's page.
pub struct Element<'a> {
    app: &'a AppWindow,
    id: String,
    css: String,
}

impl AppWindow {
    /// Starts `tauri-driver`, then the app in a new WebDriver session, and waits until the
    /// page has loaded.
    pub fn launch(launch: Launch) -> AppWindow {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no X display: run the window tests under `xvfb-run -a` (./scripts/test.sh does)"
        );
        let (mut home_tmp, home) = match &launch.home {
            Some(h) => (None, h.clone()),
            None => {
                let t = tempfile::tempdir().expect("temp dir");
                let p = t.path().to_path_buf();
                (Some(t), p)
            }
        };
        // A driver that fails to make the session (its WebKitWebDriver lost a race for its
        // port on a busy machine) is replaced, twice at most; the app never started.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let native_port = free_port();
            let mut cmd = Command::new(tauri_driver());
            cmd.arg("--port")
                .arg(port.to_string())
                .arg("--native-port")
                .arg(native_port.to_string())
                .env("FIELDBOOK_DATA_DIR", &launch.data_dir)
                .env("XDG_CONFIG_HOME", home.join("config"))
                .env("XDG_DATA_HOME", home.join("data"))
                .env("XDG_CACHE_HOME", home.join("cache"))
                .stdout(Stdio::null());
            // Stores made by `Fb::init` are encrypted: the app unlocks them from the
            // environment, unless the test drives the unlock screen.
            if launch.passphrase_from_env {
                cmd.env("FIELDBOOK_PASSPHRASE", crate::TEST_PASSPHRASE);
            } else {
                cmd.env_remove("FIELDBOOK_PASSPHRASE");
            }
            for (k, v) in &launch.env {
                cmd.env(k, v);
            }
            let driver = cmd.spawn().expect("start tauri-driver");
            let http = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client");
            let base = format!("http://127.0.0.1:{port}");
            let mut app = AppWindow {
                http,
                session: String::new(),
                driver,
                _home: None,
            };
            app.wait_until_ready(&base);
            let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
                "application": launch.app.clone().unwrap_or_else(app_bin),
            }}}});
            let answer = match app.try_call(
                reqwest::Method::POST,
                &format!("{base}/session"),
                Some(caps),
            ) {
                Ok(answer) => answer,
                Err(e) if attempt < 3 => {
                    eprintln!("window: no session from the driver on {base} ({e}); another driver");
                    continue;
                }
                Err(e) => panic!("{e}"),
            };
            let id = answer["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no session id in {answer}"));
            app.session = format!("{base}/session/{id}");
            app._home = home_tmp.take();
            app.wait_until(WAIT, "the page to load", || {
                let state = app.execute("return document.readyState", json!([]));
                (state == "complete").then_some(())
            });
            if let Some((width, height)) = launch.size {
                app.set_size(width, height);
            }
            return app;
        }
    }

    fn wait_until_ready(&mut self, base: &str) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.driver.try_wait().expect("tauri-driver status") {
                panic!("tauri-driver exited at start ({status}): is WebKitWebDriver installed?");
            }
            let ready = self
                .http
                .get(format!("{base}/status"))
                .send()
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return;
            }
            assert!(
                start.elapsed() < WAIT,
                "tauri-driver did not answer on {base} in {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One WebDriver call; its `value`, or a panic that quotes the driver's error.
    fn call(&self, method: reqwest::Method, url: &str, body: Option<Value>) -> Value {
        self.try_call(method, url, body)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// One WebDriver call; its `value`, or the driver's error (or why none came).
    fn try_call(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method.clone(), url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().map_err(|e| format!("{method} {url}: {e}"))?;
        let status = resp.status();
        let json: Value = resp
            .json()
            .map_err(|e| format!("{method} {url}: not JSON ({e})"))?;
        if !status.is_success() {
            return Err(format!(
                "{method} {url}: {status}: {} {}",
                json["value"]["error"], json["value"]["message"]
            ));
        }
        Ok(json["value"].clone())
    }

    fn session_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("{}{path}", self.session), body)
    }

    /// Polls `f` until it gives a value; panics naming `what` after `timeout`.
    pub fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut() -> Option<T>,
    ) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = f() {
                return v;
            }
            assert!(start.elapsed() < timeout, "waited {timeout:?} for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page; its result.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.session_call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Every element matching the CSS selector, now.
    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        let found = self.session_call(
            reqwest::Method::POST,
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .map(|a| a.iter().map(|e| self.element(e, css)).collect())
            .unwrap_or_default()
    }

    fn element(&self, value: &Value, css: &str) -> Element<'_> {
        Element {
            app: self,
            id: value[ELEMENT_KEY]
                .as_str()
                .unwrap_or_else(|| panic!("not an element: {value}"))
                .to_string(),
            css: css.to_string(),
        }
    }

    /// The one element matching `css`, now; panics if there is none.
    pub fn find(&self, css: &str) -> Element<'_> {
        self.find_all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches `{css}`"))
    }

    /// The first element matching `css` once there is one.
    pub fn wait_for(&self, css: &str) -> Element<'_> {
        self.wait_until(WAIT, &format!("an element matching `{css}`"), || {
            self.find_all(css).into_iter().next()
        })
    }

    /// The first element matching `css` once its visible text is `text`.
    pub fn wait_for_text(&self, css: &str, text: &str) -> Element<'_> {
        let mut last = String::new();
        let found = self.wait_until_opt(|| {
            let el = self.find_all(css).into_iter().next()?;
            last = el.text();
            (last == text).then_some(el)
        });
        found.unwrap_or_else(|| {
            panic!("waited {WAIT:?} for `{css}` to read {text:?}; it reads {last:?}")
        })
    }

    fn wait_until_opt<T>(&self, mut f: impl FnMut() -> Option<T>) -> Option<T> {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(v) = f() {
                return Some(v);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// Sets the window's outer size and waits until the page sees the new width.
    pub fn set_size(&self, width: u32, height: u32) {
        self.session_call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
        self.wait_until(WAIT, &format!("the page to be {width} px wide"), || {
            (self.execute("return window.innerWidth", json!([])) == json!(width)).then_some(())
        });
    }

    /// The window's outer size, as the window manager sees it.
    pub fn size(&self) -> (u64, u64) {
        let rect = self.session_call(reqwest::Method::GET, "/window/rect", None);
        (
            rect["width"].as_u64().expect("width"),
            rect["height"].as_u64().expect("height"),
        )
    }

    /// Saves a PNG of the window as `<screenshot_dir>/<name>.png`; returns its path. Waits
    /// for two frames first, so what changed last is painted.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        self.session_call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({
                "script": "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": [],
            })),
        );
        let b64 = self.session_call(reqwest::Method::GET, "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64 screenshot"))
            .expect("valid base64");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Text that does not fit where it is shown: elements whose own text is cut (their
    /// content is wider or taller than their box and the overflow is hidden or elided), and
    /// a page wider than the window. Empty when everything fits.
    pub fn cut_text(&self) -> Vec<String> {
        let found = self.execute(CUT_TEXT_JS, json!([]));
        serde_json::from_value(found).expect("list of strings")
    }

    /// Closes the window as a user would (the app saves its window state and exits).
    pub fn close_window(&self) {
        self.session_call(reqwest::Method::DELETE, "/window", None);
    }
}

/// Finds cut text in the page (see the script's opening comment).
const CUT_TEXT_JS: &str = include_str!("cut_text.js");

impl Drop for AppWindow {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Ends the session, which closes the app; then the driver, which stops
            // WebKitWebDriver on SIGTERM.
            let _ = self.http.delete(&self.session).send();
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.driver.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.driver.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Element<'_> {
    fn path(&self, tail: &str) -> String {
        format!("/element/{}{tail}", self.id)
    }

    pub fn click(&self) {
        self.app
            .session_call(reqwest::Method::POST, &self.path("/click"), Some(json!({})));
    }

    /// Types `text` as keystrokes (any script: 中文 too; `\u{E007}` is Enter).
    pub fn type_text(&self, text: &str) {
        self.app.session_call(
            reqwest::Method::POST,
            &self.path("/value"),
            Some(json!({"text": text})),
        );
    }

    pub fn clear(&self) {
        self.app
            .session_call(reqwest::Method::POST, &self.path("/clear"), Some(json!({})));
    }

    /// The element's rendered text (`innerText`). WebKitWebDriver's own "element text"
    /// answers "" for some visible elements (text in a box with `overflow: hidden`).
    pub fn text(&self) -> String {
        let v = self.app.execute(
            "return arguments[0].innerText",
            json!([{ ELEMENT_KEY: self.id }]),
        );
        v.as_str().unwrap_or_default().trim().to_string()
    }

    /// A DOM property (`value`, `checked`, …) as JSON.
    pub fn property(&self, name: &str) -> Value {
        self.app.session_call(
            reqwest::Method::GET,
            &self.path(&format!("/property/{name}")),
            None,
        )
    }

    /// An attribute (`aria-pressed`, `href`, …); `None` when absent.
    pub fn attribute(&self, name: &str) -> Option<String> {
        let v = self.app.session_call(
            reqwest::Method::GET,
            &self.path(&format!("/attribute/{name}")),
            None,
        );
        v.as_str().map(str::to_string)
    }

    /// Whether this element has keyboard focus.
    pub fn is_focused(&self) -> bool {
        let active = self
            .app
            .session_call(reqwest::Method::GET, "/element/active", None);
        active[ELEMENT_KEY].as_str() == Some(self.id.as_str())
    }

    /// The selector this element was found by (for messages).
    pub fn selector(&self) -> &str {
        &self.css
    }
}
