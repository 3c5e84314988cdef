//! The sync engine: signing in, pushing the outbox, pulling what changed, and a departed
//! user's handover. It holds its own [`Store`] (its own connection to the file) and its own
//! HTTP client, so a program can hold another `Store` for its UI and run the engine on a
//! background thread: the engine touches the store only in short transactions that start
//! once the data is here (none is open across a network wait), and the UI's writes take
//! their turn between them. Blocking calls; cancellable ([`Cancel`]); progress as typed
//! events ([`SyncEvent`]).
//!
//! Knows the server only through [`fieldbook_core::protocol`] and its HTTP API (`api`);
//! knows no SQL (it reads and writes through the store's typed methods).

mod api;
mod apply;
mod events;
mod pull;
mod reconcile;

pub use api::CA_CERT_ENV;
pub use apply::Applied;
pub use events::{Cancel, SyncEvent};
pub use pull::TX_BUDGET;
pub use reconcile::Reconciled;

use crate::error::{ClientError, Result};
use crate::store::Store;
use api::{Answer, Api, Http};
use fieldbook_core::protocol::{
    DeactivateRequest, DeactivateResponse, DeviceInfo, LoginRequest, LoginResponse,
    MAX_PUSH_CHANGES, Me, MovePreview, PROTOCOL_VERSION, PushRequest, PushResponse,
    QuarantineDecision, QuarantineDetail, QuarantineEntry, ReassignRequest, ReassignResponse,
    Refusal, RevokeResponse, TeamStatus,
};
use fieldbook_core::value::format_datetime;
use serde::{Deserialize, Serialize};
use std::path::Path;
use time::OffsetDateTime;
use uuid::Uuid;

/// At most this many bytes of changes in one push page.
const PUSH_PAGE_BYTES: usize = 2 << 20;

/// What one sync did.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SyncReport {
    pub pushed: u64,
    pub duplicates: u64,
    /// Changes the server refused; they are in its quarantine for a manager to review.
    pub refused: Vec<Refusal>,
    pub pulled: Applied,
    /// This user was deactivated: the device handed over what it held and its store was
    /// wiped (for every connection to it).
    pub wiped: bool,
    /// The server had been restored from a backup: this device sent again what it lacked
    /// and pulled everything again (with no one asked to do anything).
    #[serde(default)]
    pub reconciled: Option<Reconciled>,
}

/// Whether a server's answer says it keeps another log than this device synced with (it
/// was restored from a backup since).
fn log_changed(e: &ClientError) -> bool {
    matches!(e, ClientError::Server { status: 409, code, .. }
        if code == "log_changed" || code == "cursor_ahead")
}

/// What a sign-out did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LogoutReport {
    /// The server revoked the token (it could be reached).
    pub server_told: bool,
    /// Changes made here still waiting for the server (they go up after the next sign-in).
    pub pending: u64,
}

/// What a reset did.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResetReport {
    /// Changes that had not reached the server and are gone with the store.
    pub discarded: u64,
    /// The device was signed in and the server revoked its token.
    pub server_told: bool,
}

/// The sync engine of one store (see the module documentation).
pub struct SyncEngine {
    store: Store,
    http: Http,
}

impl SyncEngine {
    /// An engine on its own connection to the store in `dir`.
    pub fn open(dir: &Path) -> Result<SyncEngine> {
        Ok(SyncEngine::new(Store::open(dir)?))
    }

    /// An engine on `store` (open one for it; another `Store` may serve the UI).
    pub fn new(store: Store) -> SyncEngine {
        SyncEngine {
            store,
            http: Http::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn into_store(self) -> Store {
        self.store
    }

    /// The signed-in device's API, telling the server how many changes the device holds.
    fn api(&mut self) -> Result<Api> {
        let state = self.store.sync_state()?;
        let url = state.server_url.ok_or(ClientError::NotLoggedIn)?;
        let token = state.token.ok_or(ClientError::NotLoggedIn)?;
        let mut api = Api::new(self.http.client(&url)?, &url, Some(token));
        api.set_pending(self.store.outbox_len()?);
        Ok(api)
    }

    /// Whether this store may sign in to `url` as `user`, checked with no network (so a
    /// program can ask before it asks for a password): a server address, a valid user
    /// name, the store's own user ([`ClientError::WrongUser`]) and, once it signed in, its
    /// own server ([`ClientError::WrongServer`]).
    pub fn check_login(&self, url: &str, user: &str) -> Result<()> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ClientError::BadServerUrl(url.to_string()));
        }
        let user = user.trim();
        fieldbook_core::names::user(user)?;
        let store_user = &self.store.settings().user;
        if user != store_user {
            return Err(ClientError::WrongUser {
                store_user: store_user.clone(),
                given: user.to_string(),
            });
        }
        if let Some(bound) = self.store.sync_state()?.bound_server
            && bound != url
        {
            return Err(ClientError::WrongServer {
                bound,
                given: url.to_string(),
            });
        }
        Ok(())
    }

    /// Signs in to `url` as `user`, registering this device as `device_name` (by default
    /// "USER's HOST", the host name from the operating system). Nothing else changes:
    /// records made before the first sign-in become the user's at the first sync.
    ///
    /// A store signs in only as its own user (the one it was made for), and only to the
    /// server it first signed in to: anything else is refused before the password leaves
    /// the device (see [`SyncEngine::check_login`]), and nothing changes.
    pub fn login(
        &mut self,
        url: &str,
        user: &str,
        password: &str,
        device_name: Option<&str>,
    ) -> Result<LoginResponse> {
        self.check_login(url, user)?;
        let url = url.trim().trim_end_matches('/');
        let user = user.trim();
        let device_name = match device_name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => name.to_string(),
            None => format!("{user}'s {}", crate::device::host_name()),
        };
        let req = LoginRequest {
            user: user.into(),
            password: password.into(),
            device_name,
        };
        // A new session: a new HTTP client, kept for the syncs that follow.
        self.http.forget();
        let api = Api::new(self.http.client(url)?, url, None);
        let resp: LoginResponse = match api.post("/v1/login", &req)? {
            Answer::Ok(r) | Answer::Refused(r) => r,
            Answer::Deactivated => return Err(ClientError::Deactivated),
        };
        if resp.user != self.store.settings().user {
            // The server knows the name otherwise: this token is not for this store.
            let api = Api::new(self.http.client(url)?, url, Some(resp.token.clone()));
            let _ = api.post::<_, serde_json::Value>("/v1/logout", &serde_json::json!({}));
            self.http.forget();
            return Err(ClientError::WrongUser {
                store_user: self.store.settings().user.clone(),
                given: resp.user,
            });
        }
        self.store.write(|tx| {
            tx.set_login(
                url,
                &resp.user,
                resp.role.as_str(),
                &resp.token,
                &resp.device_id.to_string(),
            )
        })?;
        Ok(resp)
    }

    /// Signs out: the server revokes this device's token at once. Works offline too (the
    /// token is forgotten here; an administrator can still revoke it on the server).
    /// Changes waiting here stay, and go up after the next sign-in (the report counts them).
    pub fn logout(&mut self) -> Result<LogoutReport> {
        let server_told = match self.api() {
            Ok(api) => api
                .post::<_, serde_json::Value>("/v1/logout", &serde_json::json!({}))
                .is_ok(),
            Err(ClientError::NotLoggedIn) => return Err(ClientError::NotLoggedIn),
            Err(_) => false,
        };
        self.http.forget();
        self.store.write(|tx| tx.forget_token())?;
        Ok(LogoutReport {
            server_told,
            pending: self.store.outbox_len()?,
        })
    }

    /// Deletes this store from the device (for every connection to it, as a wipe does),
    /// signing out first if signed in. Refused while changes made here wait to reach the
    /// server ([`ClientError::ChangesWaiting`]) unless `force`: they would be lost.
    pub fn reset(&mut self, force: bool) -> Result<ResetReport> {
        let pending = self.store.outbox_len()?;
        if pending > 0 && !force {
            return Err(ClientError::ChangesWaiting { count: pending });
        }
        let server_told = match self.logout() {
            Ok(r) => r.server_told,
            Err(ClientError::NotLoggedIn) => false,
            Err(e) => return Err(e),
        };
        self.store.wipe()?;
        Ok(ResetReport {
            discarded: pending,
            server_told,
        })
    }

    /// Whether the server answers this device's token now (who it says we are).
    pub fn check_online(&mut self) -> Result<Me> {
        match self.api()?.get("/v1/me")? {
            Answer::Ok(me) | Answer::Refused(me) => Ok(me),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Asks the server to move an account, with all its records, to another user
    /// (managers within their team, admins).
    pub fn reassign(&mut self, account: Uuid, to: &str) -> Result<ReassignResponse> {
        self.reassign_accounts(&crate::handover::Handover {
            from: None,
            accounts: vec![account],
            to: to.into(),
            leaves: false,
        })
    }

    /// Asks the server to move the named accounts (each with every record that belongs to
    /// it), or all of `from`'s records, to `to` (managers within their team, admins); with
    /// `leaves`, deactivates `from` with `to` as successor.
    pub fn reassign_accounts(
        &mut self,
        handover: &crate::handover::Handover,
    ) -> Result<ReassignResponse> {
        let h = handover.checked()?;
        if let (true, Some(user)) = (h.leaves, h.from.clone()) {
            let req = DeactivateRequest {
                user,
                successor: h.to,
            };
            return match self.api()?.post("/v1/admin/deactivate", &req)? {
                Answer::<DeactivateResponse>::Ok(r) | Answer::Refused(r) => Ok(ReassignResponse {
                    accounts: r.accounts,
                    records: r.records,
                }),
                Answer::Deactivated => Err(ClientError::Deactivated),
            };
        }
        let req = ReassignRequest {
            from: h.from,
            to: h.to,
            accounts: h.accounts,
        };
        match self.api()?.post("/v1/admin/reassign", &req)? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// What moving an account (with its records) to `to` would do, nothing written: counts
    /// per kind, and which devices losing it held unsynced changes at their last contact.
    pub fn preview_reassign(&mut self, account: Uuid, to: &str) -> Result<MovePreview> {
        self.preview_reassign_accounts(&crate::handover::Handover {
            from: None,
            accounts: vec![account],
            to: to.into(),
            leaves: false,
        })
    }

    /// What a hand-over would move (the named accounts with their records, or all of
    /// `from`'s), nothing written: counts per kind, and the devices losing them that held
    /// unsynced changes at their last contact.
    pub fn preview_reassign_accounts(
        &mut self,
        handover: &crate::handover::Handover,
    ) -> Result<MovePreview> {
        let h = handover.checked()?;
        if let (true, Some(user)) = (h.leaves, h.from.clone()) {
            let req = DeactivateRequest {
                user,
                successor: h.to,
            };
            return match self.api()?.post("/v1/admin/deactivate/preview", &req)? {
                Answer::Ok(r) | Answer::Refused(r) => Ok(r),
                Answer::Deactivated => Err(ClientError::Deactivated),
            };
        }
        let req = ReassignRequest {
            from: h.from,
            to: h.to,
            accounts: h.accounts,
        };
        match self.api()?.post("/v1/admin/reassign/preview", &req)? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Knowledge at risk in the teams this user manages (admins: everyone): each user's
    /// devices, their last sync and the changes they held at their last contact, flagged
    /// after `warn_days` days without a sync.
    pub fn team_status(&mut self, warn_days: u32) -> Result<TeamStatus> {
        match self
            .api()?
            .get(&format!("/v1/team?warn_days={warn_days}"))?
        {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Pushes every change waiting here, then pulls until caught up. If the user was
    /// deactivated, hands over what this device holds and wipes the store (every
    /// connection to it refuses to work from then on; `report.wiped` says so).
    ///
    /// A server restored from a backup since the last sync (its log has another identity,
    /// or this device's position is past its end) is reconciled with first: this device
    /// sends again its user's changes the server lacks and pulls everything again, merging
    /// ([`Reconciled`] in the report).
    pub fn sync(
        &mut self,
        cancel: &Cancel,
        on_event: &mut dyn FnMut(SyncEvent),
    ) -> Result<SyncReport> {
        let mut api = self.api()?;
        let mut report = SyncReport::default();
        let active = match self.exchange(&mut api, cancel, &mut report, on_event) {
            Err(e) if log_changed(&e) => {
                report.reconciled = Some(reconcile::reconcile(&mut self.store, &api, cancel)?);
                self.exchange(&mut api, cancel, &mut report, on_event)?
            }
            other => other?,
        };
        if !active {
            self.push_all(&mut api, "/v1/handover", cancel, &mut report, on_event)?;
            report.wiped = true;
            // The engine keeps its (now closed) store: every use answers `StoreWiped`.
            self.store.wipe()?;
        }
        // `last_sync` was stored with the last pulled page.
        Ok(report)
    }

    /// Push, then pull. Returns `false` if the user was deactivated.
    fn exchange(
        &mut self,
        api: &mut Api,
        cancel: &Cancel,
        report: &mut SyncReport,
        on_event: &mut dyn FnMut(SyncEvent),
    ) -> Result<bool> {
        Ok(self.push_all(api, "/v1/push", cancel, report, on_event)?
            && pull::pull_all(&mut self.store, api, cancel, &mut report.pulled, on_event)?)
    }

    /// This user's devices as the server knows them: when each signed in, its last sync,
    /// and its token (active, expired, revoked) with its expiry.
    pub fn devices(&mut self) -> Result<Vec<DeviceInfo>> {
        match self.api()?.get("/v1/devices")? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Revokes a device's token on the server (one of this user's, or for managers and
    /// admins, their teams' or anyone's): it is refused from then on.
    pub fn revoke_device(&mut self, device: Uuid) -> Result<RevokeResponse> {
        let path = format!("/v1/devices/{device}/revoke");
        match self.api()?.post(&path, &serde_json::json!({}))? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Refused changes waiting in the server's quarantine that this user may review
    /// (managers: their teams'; admins: all); `all`: decided ones too.
    pub fn quarantine(&mut self, all: bool) -> Result<Vec<QuarantineEntry>> {
        let path = if all {
            "/v1/admin/quarantine?all=true"
        } else {
            "/v1/admin/quarantine"
        };
        match self.api()?.get(path)? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// One refused change in full: who signed it, when, why, and what it writes.
    pub fn quarantined(&mut self, id: i64) -> Result<QuarantineDetail> {
        match self.api()?.get(&format!("/v1/admin/quarantine/{id}"))? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Applies a refused change as this user's decision (managers within their teams):
    /// the server checks it again, except for the access rule that refused it.
    pub fn apply_quarantined(&mut self, id: i64) -> Result<QuarantineDecision> {
        self.decide_quarantined(id, "apply")
    }

    /// Discards a refused change for good (the server keeps a record of the decision).
    pub fn discard_quarantined(&mut self, id: i64) -> Result<QuarantineDecision> {
        self.decide_quarantined(id, "discard")
    }

    fn decide_quarantined(&mut self, id: i64, what: &str) -> Result<QuarantineDecision> {
        let path = format!("/v1/admin/quarantine/{id}/{what}");
        match self.api()?.post(&path, &serde_json::json!({}))? {
            Answer::Ok(r) | Answer::Refused(r) => Ok(r),
            Answer::Deactivated => Err(ClientError::Deactivated),
        }
    }

    /// Pushes the outbox in pages to `path`: what was waiting when the push began, so that
    /// a user typing all along cannot keep the sync from ending (a write made meanwhile
    /// goes with the next sync). A handover is the device's last word and takes all.
    /// Returns `false` if the user was deactivated.
    fn push_all(
        &mut self,
        api: &mut Api,
        path: &str,
        cancel: &Cancel,
        report: &mut SyncReport,
        on_event: &mut dyn FnMut(SyncEvent),
    ) -> Result<bool> {
        let total = self.store.outbox_len()?;
        let handover = path == "/v1/handover";
        let mut sent = 0;
        let upto = match self.store.outbox_last_seq()? {
            _ if handover => i64::MAX,
            Some(last) => last,
            None => return Ok(true),
        };
        loop {
            cancel.check()?;
            let pending = self.store.outbox_len()?;
            let page = self
                .store
                .outbox_page(MAX_PUSH_CHANGES, PUSH_PAGE_BYTES, upto)?;
            // A handover always reaches the server, even with nothing left to hand over:
            // that is how the server learns the device is wiping.
            let (changes, last_seq) = match page {
                Some(p) => (p.changes, Some(p.last_seq)),
                None if handover && sent == 0 => (Vec::new(), None),
                None => return Ok(true),
            };
            if changes.is_empty()
                && let Some(last) = last_seq
            {
                // Only changes of records dropped meanwhile: nothing to send.
                self.store.write(|tx| tx.acknowledge(last))?;
                continue;
            }
            let n = changes.len() as u64;
            api.set_pending(pending);
            let req = PushRequest {
                protocol: PROTOCOL_VERSION,
                changes,
                pending,
                log_id: self.store.sync_state()?.log_id,
            };
            let resp: PushResponse = match api.post(path, &req)? {
                Answer::Ok(r) | Answer::Refused(r) => r,
                Answer::Deactivated => return Ok(false),
            };
            // Taken, known, or kept in the server's quarantine: in every case safe there.
            // What it refused is remembered until dealt with (`status` shows it).
            let at = format_datetime(OffsetDateTime::now_utc());
            self.store.write(|tx| {
                if let Some(last) = last_seq {
                    tx.acknowledge(last)?;
                }
                if let Some(received) = &resp.received_at {
                    let receipts = resp
                        .received
                        .iter()
                        .map(|h| (h.as_str(), received.as_str()));
                    tx.remember_receipts(receipts)?;
                }
                tx.remember_refused(&resp.refused, &at)
            })?;
            report.pushed += resp.accepted;
            report.duplicates += resp.duplicates;
            report.refused.extend(resp.refused);
            sent += n;
            on_event(SyncEvent::Pushed { sent, total });
            if resp.wipe || last_seq.is_none() {
                return Ok(true);
            }
        }
    }
}
