//! Test support: an in-process `fieldbook-server` (the library's `serve` over SQLite
//! storage in a temporary directory, on its own runtime thread, stopped when dropped),
//! users made as an operator would, and device stores signed in to it.

use fieldbook_client::{FieldValue, FieldValues, Kind, Store, SyncEngine};
use fieldbook_core::protocol::{
    DeactivateRequest, NewUser, PROTOCOL_HEADER, PROTOCOL_VERSION, Role,
};
use fieldbook_server::access::Requester;
use fieldbook_server::service::Service;
use fieldbook_server::{AppState, SqliteStorage};
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestServer {
    pub url: String,
    /// The service the server runs (for what only the operator does: teams).
    pub service: Service,
    admin_token: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: TempDir,
}

impl TestServer {
    /// A server with one admin, `ada`.
    pub fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        let service = Service::new(storage.clone());
        // The first admin, as `fieldbook-server user add` makes it; the rest goes through
        // the HTTP API with ada's token.
        Service::new(storage.clone())
            .add_user(
                &Requester::Operator,
                NewUser {
                    name: "ada".into(),
                    role: Role::Admin,
                    team: None,
                    password: PASSWORD.into(),
                },
            )
            .unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (bound, url) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                bound
                    .send(format!("http://{}", listener.local_addr().unwrap()))
                    .unwrap();
                fieldbook_server::serve(listener, AppState::new(storage), async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let url = url.recv().unwrap();
        let mut s = TestServer {
            url,
            service,
            admin_token: String::new(),
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        };
        s.admin_token = s.token("ada");
        s
    }

    /// Signs `user` in (a new device) and returns the token.
    pub fn token(&self, user: &str) -> String {
        let resp: serde_json::Value = reqwest::blocking::Client::new()
            .post(format!("{}/v1/login", self.url))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(&serde_json::json!({"user": user, "password": PASSWORD, "device_name": "admin"}))
            .send()
            .unwrap()
            .json()
            .unwrap();
        resp["token"].as_str().unwrap().to_string()
    }

    fn admin(&self, path: &str, body: &impl serde::Serialize) {
        let resp = reqwest::blocking::Client::new()
            .post(format!("{}{path}", self.url))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&self.admin_token)
            .json(body)
            .send()
            .unwrap();
        assert!(
            resp.status().is_success(),
            "{path}: {}",
            resp.text().unwrap()
        );
    }

    /// The names of `user`'s devices, as the server lists them.
    pub fn device_names(&self, user: &str) -> Vec<String> {
        let devices: Vec<fieldbook_core::protocol::DeviceInfo> = reqwest::blocking::Client::new()
            .get(format!("{}/v1/admin/devices?user={user}", self.url))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&self.admin_token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        devices.into_iter().map(|d| d.name).collect()
    }

    /// Adds a rep.
    pub fn rep(&self, name: &str) {
        self.admin(
            "/v1/admin/users",
            &NewUser {
                name: name.into(),
                role: Role::Rep,
                team: None,
                password: PASSWORD.into(),
            },
        );
    }

    /// Deactivates `user`, giving their accounts to `successor`.
    pub fn deactivate(&self, user: &str, successor: &str) {
        self.admin(
            "/v1/admin/deactivate",
            &DeactivateRequest {
                user: user.into(),
                successor: successor.into(),
            },
        );
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A new store for `user` in its own directory.
pub fn store(user: &str) -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path(), user, "EUR").unwrap();
    (dir, store)
}

/// A sync engine on its own connection to the store in `dir`, signed in as `user`.
pub fn engine(server: &TestServer, dir: &Path, user: &str) -> SyncEngine {
    let mut e = SyncEngine::open(dir).unwrap();
    e.login(&server.url, user, PASSWORD, Some("test device"))
        .unwrap();
    e
}

/// Field values from `(field, text)` pairs.
pub fn text(pairs: &[(&str, &str)]) -> FieldValues {
    pairs
        .iter()
        .map(|(f, v)| (f.to_string(), Some(FieldValue::Text(v.to_string()))))
        .collect()
}

/// The names of the live accounts of a store, sorted.
pub fn account_names(store: &Store) -> Vec<String> {
    let mut v: Vec<String> = store
        .list(Kind::Account, &Default::default())
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    v.sort();
    v
}
