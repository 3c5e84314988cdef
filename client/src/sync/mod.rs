//! The sync engine: signing in, pushing the outbox, pulling what changed, and a departed
//! user's handover and wipe. Blocking calls, meant for a background thread (the desktop app)
//! or the command line; the store is only ever touched in short transactions that start
//! once the data is here, so the user is never kept waiting on the network.
//!
//! Knows the server only through [`fieldbook_core::protocol`] and its HTTP API (`api`).

mod api;
mod apply;

pub(crate) use api::HttpCache;
pub use apply::Applied;

use crate::error::{ClientError, Result};
use crate::store::{STORE_FILE, Store, set_meta};
use api::{Answer, Api};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    ChangeEnvelope, LoginRequest, LoginResponse, MAX_PUSH_CHANGES, PROTOCOL_VERSION, PullRequest,
    PullResponse, PushRequest, PushResponse, ReassignRequest, ReassignResponse, Refusal,
};
use fieldbook_core::value::format_datetime;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::sync::mpsc;
use time::OffsetDateTime;
use uuid::Uuid;

/// At most this many bytes of changes in one push page.
const PUSH_PAGE_BYTES: usize = 2 << 20;
/// Pulled pages waiting, downloaded and parsed, while one is applied.
const PULL_AHEAD: usize = 1;
/// Pulled pages already waiting are applied in one transaction up to this many items.
const COMMIT_ITEMS: usize = 10_000;

/// What `fieldbook status` shows. Readable with no network.
#[derive(Clone, Debug, Serialize)]
pub struct SyncStatus {
    pub server: Option<String>,
    pub user: Option<String>,
    pub role: Option<String>,
    pub device_id: Option<String>,
    /// RFC 3339 time of the last sync that completed.
    pub last_sync: Option<String>,
    /// Changes made here that the server has not acknowledged yet.
    pub pending: u64,
}

/// What one sync did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    pub pushed: u64,
    pub duplicates: u64,
    /// Changes the server refused; they are in its quarantine for a manager to review.
    pub refused: Vec<Refusal>,
    pub pulled: Applied,
    /// This user was deactivated: the device handed over what it held and wiped its copy.
    pub wiped: bool,
}

/// Progress of a sync, for a progress bar: what phase, and how many items so far.
#[derive(Clone, Copy, Debug)]
pub enum Progress {
    Pushing { sent: u64, total: u64 },
    Pulling { received: u64 },
}

impl Store {
    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// The signed-in device's API (on the store's kept HTTP client), telling the server how
    /// many changes the device holds now.
    fn api(&self) -> Result<Api> {
        let url = self.meta("server_url")?.ok_or(ClientError::NotLoggedIn)?;
        let token = self.meta("token")?.ok_or(ClientError::NotLoggedIn)?;
        let mut api = Api::new(self.http.client(&url)?, &url, Some(token));
        api.set_pending(self.outbox_len()?);
        Ok(api)
    }

    /// Signs in to `url` as `user`, registering this device. Nothing else changes: records
    /// made before the first sign-in become the user's at the first sync.
    pub fn login(&mut self, url: &str, user: &str, password: &str) -> Result<LoginResponse> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ClientError::Invalid(format!(
                "`{url}` is not a server address: use e.g. https://fieldbook.example.com or http://127.0.0.1:7070"
            )));
        }
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "a device".into());
        let req = LoginRequest {
            user: user.trim().into(),
            password: password.into(),
            device_name: format!("{}'s {}", user.trim(), host),
        };
        // A new session: a new HTTP client, kept for the syncs that follow.
        self.http.forget();
        let api = Api::new(self.http.client(url)?, url, None);
        let resp: LoginResponse = match api.post("/v1/login", &req)? {
            Answer::Ok(r) | Answer::Refused(r) => r,
            Answer::Deactivated => {
                return Err(ClientError::Unauthorized(format!("{user} was deactivated")));
            }
        };
        let changed_server = self.meta("server_url")?.as_deref() != Some(url);
        self.write(|tx, _| {
            set_meta(tx, "server_url", url)?;
            set_meta(tx, "server_user", &resp.user)?;
            set_meta(tx, "role", resp.role.as_str())?;
            set_meta(tx, "token", &resp.token)?;
            set_meta(tx, "device_id", &resp.device_id.to_string())?;
            if changed_server {
                // Another server knows nothing of what this one pulled: start over.
                set_meta(tx, "cursor", "0")?;
                tx.execute("DELETE FROM meta WHERE key = 'snapshot_after'", [])?;
            }
            Ok(())
        })?;
        Ok(resp)
    }

    /// Signs out: the server revokes this device's token at once. Works offline too (the
    /// token is forgotten here; an administrator can still revoke it on the server).
    pub fn logout(&mut self) -> Result<bool> {
        let told_server = match self.api() {
            Ok(api) => api
                .post::<_, serde_json::Value>("/v1/logout", &serde_json::json!({}))
                .is_ok(),
            Err(ClientError::NotLoggedIn) => return Err(ClientError::NotLoggedIn),
            Err(_) => false,
        };
        self.http.forget();
        self.write(|tx, _| {
            tx.execute("DELETE FROM meta WHERE key IN ('token', 'role')", [])?;
            Ok(())
        })?;
        Ok(told_server)
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(SyncStatus {
            server: self.meta("server_url")?,
            user: self
                .meta("server_user")?
                .filter(|_| self.meta("token").ok().flatten().is_some()),
            role: self.meta("role")?,
            device_id: self.meta("device_id")?,
            last_sync: self.meta("last_sync")?,
            pending: self.outbox_len()?,
        })
    }

    /// Whether the server answers this device's token now (for `status`).
    pub fn check_online(&self) -> Result<fieldbook_core::protocol::Me> {
        match self.api()?.get("/v1/me")? {
            Answer::Ok(me) | Answer::Refused(me) => Ok(me),
            Answer::Deactivated => Err(ClientError::Unauthorized(
                "this user was deactivated".into(),
            )),
        }
    }

    /// Pushes every change waiting here, then pulls until caught up.
    pub fn sync(&mut self, progress: &mut dyn FnMut(Progress)) -> Result<SyncReport> {
        let mut api = self.api()?;
        let mut report = SyncReport::default();
        let active = self.push_all(&mut api, "/v1/push", &mut report, progress)?
            && self.pull_all(&mut api, &mut report, progress)?;
        if !active {
            // Deactivated: hand over what this device holds, then wipe it (the caller
            // deletes the files with `Store::wipe`).
            self.push_all(&mut api, "/v1/handover", &mut report, progress)?;
            report.wiped = true;
            return Ok(report);
        }
        // `last_sync` was stored with the last pulled page.
        Ok(report)
    }

    /// Reads the oldest page of the outbox.
    fn outbox_page(&self) -> Result<(Vec<i64>, Vec<ChangeEnvelope>)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.seq, o.doc_id, d.kind, o.change FROM outbox o LEFT JOIN docs d ON d.id = o.doc_id
             ORDER BY o.seq LIMIT ?1",
        )?;
        let mut rows = stmt.query([MAX_PUSH_CHANGES as i64])?;
        let (mut seqs, mut changes, mut bytes) = (Vec::new(), Vec::new(), 0usize);
        while let Some(row) = rows.next()? {
            let change: Vec<u8> = row.get(3)?;
            if bytes + change.len() > PUSH_PAGE_BYTES && !changes.is_empty() {
                break;
            }
            bytes += change.len();
            let doc_id: String = row.get(1)?;
            let kind: Option<String> = row.get(2)?;
            let (Ok(doc_id), Some(Ok(kind))) =
                (Uuid::parse_str(&doc_id), kind.as_deref().map(Kind::parse))
            else {
                continue;
            };
            seqs.push(row.get(0)?);
            changes.push(ChangeEnvelope {
                doc_id,
                kind,
                bytes: change,
            });
        }
        Ok((seqs, changes))
    }

    /// Pushes the outbox in pages to `path`. Returns `false` if the user was deactivated.
    fn push_all(
        &mut self,
        api: &mut Api,
        path: &str,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<bool> {
        let total = self.outbox_len()?;
        let handover = path == "/v1/handover";
        let mut sent = 0;
        loop {
            let pending = self.outbox_len()?;
            let (seqs, changes) = self.outbox_page()?;
            // A handover always reaches the server, even with nothing left to hand over:
            // that is how the server learns the device is wiping.
            if changes.is_empty() && !(handover && sent == 0) {
                return Ok(true);
            }
            let n = changes.len() as u64;
            api.set_pending(pending);
            let req = PushRequest {
                protocol: PROTOCOL_VERSION,
                changes,
                pending,
            };
            let resp: PushResponse = match api.post(path, &req)? {
                Answer::Ok(r) | Answer::Refused(r) => r,
                Answer::Deactivated => return Ok(false),
            };
            // Taken, known, or kept in the server's quarantine: in every case safe there.
            let last = *seqs.last().unwrap_or(&0);
            self.write(|tx, _| {
                tx.execute("DELETE FROM outbox WHERE seq <= ?1", params![last])?;
                Ok(())
            })?;
            report.pushed += resp.accepted;
            report.duplicates += resp.duplicates;
            report.refused.extend(resp.refused);
            sent += n;
            progress(Progress::Pushing { sent, total });
            if resp.wipe {
                return Ok(true);
            }
        }
    }

    /// Pulls until caught up. A thread downloads and parses the next page while this one
    /// applies the current one (the store is only touched here). Each page is applied with
    /// its cursor in one transaction; when the next page is already waiting (a bootstrap,
    /// a long absence), up to [`COMMIT_ITEMS`] items of pages share one, which still holds
    /// the cursor of its last page: a crash loses no more than pages pulled again later.
    fn pull_all(
        &mut self,
        api: &mut Api,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<bool> {
        let cursor: u64 = self
            .meta("cursor")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let snapshot_after = self
            .meta("snapshot_after")?
            .and_then(|s| Uuid::parse_str(&s).ok());
        // What the push left; nothing is added to the outbox while pulling.
        let pending = self.outbox_len()?;
        api.set_pending(pending);
        // The first page on this thread: most syncs need no other.
        let first: Result<Answer<PullResponse>> =
            api.post("/v1/pull", &pull_request(cursor, snapshot_after, pending));
        let Some((cursor, snapshot_after)) = more_after(&first) else {
            return self.apply_pages(first, None, report, progress);
        };
        let fetcher = api.clone();
        std::thread::scope(|scope| {
            let (pages, arriving) = mpsc::sync_channel(PULL_AHEAD);
            scope.spawn(move || fetch_pages(&fetcher, cursor, snapshot_after, pending, &pages));
            // Returning drops `arriving`, which stops the fetcher after its current request.
            self.apply_pages(first, Some(&arriving), report, progress)
        })
    }

    /// Applies `first`, then the pages `fetch_pages` sends (if it runs), in order, until one
    /// says there is no more. A transaction starts once a page is here, never while waiting
    /// on the network.
    fn apply_pages(
        &mut self,
        first: Result<Answer<PullResponse>>,
        arriving: Option<&mpsc::Receiver<Result<Answer<PullResponse>>>>,
        report: &mut SyncReport,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<bool> {
        let stopped = || ClientError::Invalid("the download of pulled pages stopped".into());
        let mut received = 0u64;
        let mut first = Some(first);
        loop {
            let mut answer = match (first.take(), arriving) {
                (Some(a), _) => a,
                (None, Some(arriving)) => arriving.recv().map_err(|_| stopped())?,
                (None, None) => return Err(stopped()),
            };
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Items received after each page of this transaction, for progress.
            let mut done = Vec::new();
            let mut items = 0;
            let more = loop {
                let page: PullResponse = match answer {
                    Ok(Answer::Ok(p) | Answer::Refused(p)) => p,
                    // Pages applied so far are as good as any: keep them.
                    Ok(Answer::Deactivated) => {
                        tx.commit()?;
                        return Ok(false);
                    }
                    Err(e) => {
                        tx.commit()?;
                        return Err(e);
                    }
                };
                items += page.items.len();
                received += page.items.len() as u64;
                let more = page.more;
                apply::page(&tx, &self.settings, page.items, &mut report.pulled)?;
                set_meta(&tx, "cursor", &page.cursor.to_string())?;
                match page.snapshot_after {
                    Some(after) => set_meta(&tx, "snapshot_after", &after.to_string())?,
                    None => {
                        tx.execute("DELETE FROM meta WHERE key = 'snapshot_after'", [])?;
                    }
                }
                done.push(received);
                if !more {
                    // Caught up: the sync is complete when this commits.
                    let now = format_datetime(OffsetDateTime::now_utc());
                    set_meta(&tx, "last_sync", &now)?;
                }
                if !more || items >= COMMIT_ITEMS {
                    break more;
                }
                // Only a page already here joins this transaction.
                answer = match arriving.map(mpsc::Receiver::try_recv) {
                    Some(Ok(a)) => a,
                    Some(Err(mpsc::TryRecvError::Empty)) => break more,
                    None | Some(Err(mpsc::TryRecvError::Disconnected)) => return Err(stopped()),
                };
            };
            tx.commit()?;
            for received in done {
                progress(Progress::Pulling { received });
            }
            if !more {
                return Ok(true);
            }
        }
    }

    /// Asks the server to move an account, with all its records, to another user
    /// (managers within their team, admins).
    pub fn reassign(&self, account: Uuid, to: &str) -> Result<ReassignResponse> {
        let req = ReassignRequest {
            from: None,
            to: to.trim().into(),
            accounts: vec![account],
        };
        match self.api()?.post("/v1/admin/reassign", &req)? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Unauthorized(
                "this user was deactivated".into(),
            )),
        }
    }

    /// Deletes this device's copy (after a departed user's handover). Consumes the store.
    pub fn wipe(self) -> Result<()> {
        let dir = self.dir().to_path_buf();
        drop(self);
        for suffix in ["", "-wal", "-shm"] {
            let f = dir.join(format!("{STORE_FILE}{suffix}"));
            if f.exists() {
                std::fs::remove_file(&f).map_err(ClientError::io(&f))?;
            }
        }
        crate::store::sync_dir(&dir)
    }
}

fn pull_request(cursor: u64, snapshot_after: Option<Uuid>, pending: u64) -> PullRequest {
    PullRequest {
        protocol: PROTOCOL_VERSION,
        cursor,
        snapshot_after,
        limit: None,
        pending,
    }
}

/// Where to pull from next, if a pulled page says there is more.
fn more_after(answer: &Result<Answer<PullResponse>>) -> Option<(u64, Option<Uuid>)> {
    match answer {
        Ok(Answer::Ok(p) | Answer::Refused(p)) if p.more => Some((p.cursor, p.snapshot_after)),
        _ => None,
    }
}

/// Pulls pages one after the other from `cursor` on, sending each answer (or error) to the
/// applier, until a page says there is no more, a call fails, or the applier stops listening.
fn fetch_pages(
    api: &Api,
    mut cursor: u64,
    mut snapshot_after: Option<Uuid>,
    pending: u64,
    pages: &mpsc::SyncSender<Result<Answer<PullResponse>>>,
) {
    loop {
        let answer = api.post("/v1/pull", &pull_request(cursor, snapshot_after, pending));
        let next = more_after(&answer);
        if pages.send(answer).is_err() {
            return;
        }
        let Some(next) = next else { return };
        (cursor, snapshot_after) = next;
    }
}
