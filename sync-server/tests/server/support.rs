//! Test support: a real server (the library's `serve` on 127.0.0.1:0 over a temporary data
//! directory), users made through the service layer as the operator, HTTP clients that speak the protocol, and
//! record documents built with `fieldbook_core::doc::RecordDoc` as a device would.

use automerge::ActorId;
use fieldbook_core::Kind;
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, LoginResponse, NewUser, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PullItem, PullRequest, PullResponse, PushRequest, PushResponse, Role,
};
use fieldbook_core::schema;
use fieldbook_core::value::Value;
use fieldbook_server::access::Requester;
use fieldbook_server::guard::LoginPolicy;
use fieldbook_server::{AppState, Limits, Service, SqliteStorage};
use serde::Serialize;
use serde_json::Value as Json;
use std::sync::Arc;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery staple";

/// A server on a free port, stopped when dropped.
pub struct TestServer {
    pub url: String,
    pub storage: Arc<SqliteStorage>,
    /// The service the server runs, over the same storage.
    pub service: Service,
    dir: Option<TempDir>,
    policy: LoginPolicy,
    limits: Limits,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<fieldbook_server::Result<()>>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(LoginPolicy::default(), Limits::default()).await
    }

    /// A server signing in under `policy`, holding clients to `limits`.
    pub async fn start_with(policy: LoginPolicy, limits: Limits) -> TestServer {
        TestServer::start_in(tempfile::tempdir().unwrap(), policy, limits).await
    }

    /// Stops the server and starts it again over the same data directory.
    pub async fn restart(mut self) -> TestServer {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        let dir = self.dir.take().expect("a data directory");
        let (policy, limits) = (self.policy.clone(), self.limits.clone());
        // The old storage closes before the new one opens.
        drop(self);
        TestServer::start_in(dir, policy, limits).await
    }

    async fn start_in(dir: TempDir, policy: LoginPolicy, limits: Limits) -> TestServer {
        let storage = Arc::new(SqliteStorage::open(dir.path()).unwrap());
        let state = AppState::with_service(
            Service::with_policy(storage.clone(), policy.clone()),
            limits.clone(),
        );
        let service = state.service().clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(fieldbook_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestServer {
            url,
            storage,
            service,
            dir: Some(dir),
            policy,
            limits,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    pub fn user(&self, name: &str, role: Role, team: Option<&str>) {
        self.service
            .add_user(
                &Requester::Operator,
                NewUser {
                    name: name.into(),
                    role,
                    team: team.map(String::from),
                    password: PASSWORD.into(),
                },
            )
            .unwrap();
    }

    pub fn team(&self, team: &str, manager: &str) {
        self.service
            .add_team(&Requester::Operator, team, manager)
            .unwrap();
    }

    pub fn log_len(&self) -> u64 {
        self.service.counts().unwrap().log
    }

    pub async fn login(&self, user: &str) -> Client {
        let (status, client) = self.try_login(user, PASSWORD).await;
        assert_eq!(status, 200, "login {user}");
        client.unwrap()
    }

    /// Signs in with `password`: the status, and the signed-in device when it worked.
    pub async fn try_login(&self, user: &str, password: &str) -> (u16, Option<Client>) {
        let (status, _, body) = self.sign_in(user, password).await;
        if status != 200 {
            return (status, None);
        }
        let login: LoginResponse = serde_json::from_value(body).unwrap();
        let client = Client {
            http: reqwest::Client::new(),
            base: self.url.clone(),
            token: login.token,
            device_id: login.device_id,
            cursor: 0,
            snapshot_after: None,
        };
        (status, Some(client))
    }

    /// POSTs a sign-in: the status, the headers and the body.
    pub async fn sign_in(
        &self,
        user: &str,
        password: &str,
    ) -> (u16, reqwest::header::HeaderMap, Json) {
        let resp = reqwest::Client::new()
            .post(format!("{}/v1/login", self.url))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .json(&LoginRequest {
                user: user.into(),
                password: password.into(),
                device_name: format!("{user}'s laptop"),
            })
            .send()
            .await
            .unwrap();
        let headers = resp.headers().clone();
        let (status, body) = answer(resp).await;
        (status, headers, body)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// One signed-in device.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub device_id: Uuid,
    pub cursor: u64,
    pub snapshot_after: Option<Uuid>,
}

impl Client {
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&self.token)
    }

    /// POSTs JSON; returns the status and the body as JSON (null when empty).
    pub async fn post<B: Serialize>(&self, path: &str, body: &B) -> (u16, Json) {
        let resp = self
            .request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .unwrap();
        answer(resp).await
    }

    pub async fn get(&self, path: &str) -> (u16, Json) {
        let resp = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        answer(resp).await
    }

    pub async fn push(&self, changes: Vec<ChangeEnvelope>) -> (u16, PushResponse) {
        self.push_to("/v1/push", changes, None).await
    }

    pub async fn push_to(
        &self,
        path: &str,
        changes: Vec<ChangeEnvelope>,
        pending: Option<u64>,
    ) -> (u16, PushResponse) {
        let pending = pending.unwrap_or(changes.len() as u64);
        let (status, body) = self
            .post(
                path,
                &PushRequest {
                    protocol: PROTOCOL_VERSION,
                    changes,
                    pending,
                    log_id: None,
                },
            )
            .await;
        let resp =
            serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{status} {body}: {e}"));
        (status, resp)
    }

    /// One pull page from the client's position (which it then keeps).
    pub async fn pull_page(&mut self, limit: Option<u32>) -> PullResponse {
        let (status, body) = self
            .post(
                "/v1/pull",
                &PullRequest {
                    protocol: PROTOCOL_VERSION,
                    cursor: self.cursor,
                    snapshot_after: self.snapshot_after,
                    limit,
                    pending: 0,
                    log_id: None,
                },
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let page: PullResponse = serde_json::from_value(body).unwrap();
        self.cursor = page.cursor;
        self.snapshot_after = page.snapshot_after;
        page
    }

    /// Pulls until caught up; returns every item.
    pub async fn pull_all(&mut self) -> Vec<PullItem> {
        let mut items = Vec::new();
        for _ in 0..1000 {
            let page = self.pull_page(None).await;
            items.extend(page.items);
            if !page.more {
                return items;
            }
        }
        panic!("pull never caught up");
    }
}

pub async fn answer(resp: reqwest::Response) -> (u16, Json) {
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Json::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Json::String(String::from_utf8_lossy(&bytes).into()))
    };
    (status, body)
}

/// A record being edited on a "device".
pub struct Doc {
    pub doc: RecordDoc,
    pub user: String,
}

fn spec(kind: Kind, name: &str) -> &'static schema::FieldSpec {
    schema::field(kind, name).unwrap_or_else(|| panic!("{kind} has no {name}"))
}

impl Doc {
    /// Creates a record; returns it and the envelope of its creating change.
    pub fn create(kind: Kind, user: &str, values: &[(&str, Value)]) -> (Doc, ChangeEnvelope) {
        let values: Vec<_> = values
            .iter()
            .map(|(n, v)| (spec(kind, n), v.clone()))
            .collect();
        let author = Author::now(user);
        let mut doc =
            RecordDoc::create(kind, Uuid::now_v7(), &ActorId::random(), &author, &values).unwrap();
        let bytes = doc.commit(&author).unwrap().unwrap();
        let env = ChangeEnvelope {
            doc_id: doc.id(),
            kind,
            bytes,
        };
        (
            Doc {
                doc,
                user: user.into(),
            },
            env,
        )
    }

    pub fn id(&self) -> Uuid {
        self.doc.id()
    }

    /// Sets a field and commits.
    pub fn set(&mut self, field: &str, value: Value) -> ChangeEnvelope {
        self.doc
            .set(spec(self.doc.kind(), field), Some(value))
            .unwrap();
        self.commit()
    }

    pub fn commit(&mut self) -> ChangeEnvelope {
        let bytes = self
            .doc
            .commit(&Author::now(&self.user))
            .unwrap()
            .expect("something to commit");
        ChangeEnvelope {
            doc_id: self.doc.id(),
            kind: self.doc.kind(),
            bytes,
        }
    }

    /// A hand-made change, as a hostile client could send one: `edit` writes straight into
    /// the document (no field checks, no stamps) and the change is signed `author`.
    pub fn craft(
        &mut self,
        author: &str,
        edit: impl FnOnce(&mut automerge::AutoCommit),
    ) -> ChangeEnvelope {
        let am = self.doc.automerge();
        edit(am);
        am.commit_with(automerge::transaction::CommitOptions::default().with_message(author));
        let bytes = am
            .get_last_local_change()
            .expect("a crafted change")
            .raw_bytes()
            .to_vec();
        ChangeEnvelope {
            doc_id: self.doc.id(),
            kind: self.doc.kind(),
            bytes,
        }
    }

    /// A copy on another device (same history, another actor), written by `user`.
    pub fn fork(&mut self, user: &str) -> Doc {
        let saved = self.doc.save();
        Doc {
            doc: RecordDoc::load(&saved, &ActorId::random()).unwrap(),
            user: user.into(),
        }
    }
}

pub fn text(s: &str) -> Value {
    Value::Str(s.into())
}

pub fn account(user: &str, name: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(Kind::Account, user, &[("name", text(name))])
}

pub fn contact(user: &str, account: Uuid, name: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(
        Kind::Contact,
        user,
        &[
            ("account_id", Value::Ref(Kind::Account, account)),
            ("name", text(name)),
        ],
    )
}

pub fn opportunity(user: &str, account: Uuid, name: &str) -> (Doc, ChangeEnvelope) {
    Doc::create(
        Kind::Opportunity,
        user,
        &[
            ("account_id", Value::Ref(Kind::Account, account)),
            ("name", text(name)),
        ],
    )
}

/// The ids of the records items make visible (snapshots and changes), in order.
pub fn shown(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Snapshot { doc_id, .. } | PullItem::Changes { doc_id, .. } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

pub fn snapshots(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Snapshot { doc_id, .. } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

pub fn drops(items: &[PullItem]) -> Vec<Uuid> {
    items
        .iter()
        .filter_map(|i| match i {
            PullItem::Drop { doc_id } => Some(*doc_id),
            _ => None,
        })
        .collect()
}

/// A team: manager `mia` of team `east` with reps `alice` and `bob`; rep `zoe` in no
/// team; admin `root`.
pub async fn company() -> TestServer {
    let s = TestServer::start().await;
    s.user("root", Role::Admin, None);
    s.user("mia", Role::Manager, None);
    s.team("east", "mia");
    s.user("alice", Role::Rep, Some("east"));
    s.user("bob", Role::Rep, Some("east"));
    s.user("zoe", Role::Rep, None);
    s
}
