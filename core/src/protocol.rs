//! The sync protocol, version 1: the messages a device and the server exchange, and their
//! limits. Transport-free: JSON bodies over HTTP(S), gzip-compressed, are described in
//! `docs/protocol.md`; this module only defines their shape, so both sides agree by type.
//!
//! Pushes carry raw Automerge change bytes (idempotent: a change is known by its hash).
//! Pulls return, after the device's cursor, what it may see: changes, whole documents
//! (snapshots, with their projection) for newly visible records, drop orders for records no
//! longer visible, and owner updates. Knows nothing of HTTP, SQLite or access rules.

use crate::kind::Kind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

mod team;
pub use team::*;

/// The protocol version this build speaks. Sent with every request.
pub const PROTOCOL_VERSION: u32 = 1;
/// The header that carries it.
pub const PROTOCOL_HEADER: &str = "fieldbook-protocol";
/// At most this many changes in one push.
pub const MAX_PUSH_CHANGES: usize = 1000;
/// At most this many bytes in one request body, after decompression.
pub const MAX_BODY_BYTES: usize = 8 << 20;
/// At most this many items in one pull page (the server may send fewer).
pub const MAX_PULL_ITEMS: u32 = 2000;
/// At most this many records in one reconcile request.
pub const MAX_RECONCILE_DOCS: usize = 2000;

/// Base64 for byte fields in JSON.
pub mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }

    /// The same, for a list of byte strings.
    pub mod list {
        use super::STANDARD;
        use base64::Engine;
        use serde::ser::SerializeSeq;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(items.len()))?;
            for i in items {
                seq.serialize_element(&STANDARD.encode(i))?;
            }
            seq.end()
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
            Vec::<String>::deserialize(d)?
                .iter()
                .map(|t| {
                    STANDARD
                        .decode(t.as_bytes())
                        .map_err(serde::de::Error::custom)
                })
                .collect()
        }
    }
}

/// What a user may do: see and edit their own accounts (rep), their team's (manager), or
/// everything and the product catalogue (admin).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Manager,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rep" => Some(Role::Rep),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// `POST /v1/login`: a password exchanged for a device token.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoginRequest {
    pub user: String,
    pub password: String,
    /// A name people recognise ("alice's laptop").
    pub device_name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoginResponse {
    /// Bearer token for every later request; the server keeps only its hash.
    pub token: String,
    pub device_id: Uuid,
    pub user: String,
    pub role: Role,
    pub team: Option<String>,
}

/// One change made on a device, as pushed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeEnvelope {
    pub doc_id: Uuid,
    pub kind: Kind,
    #[serde(with = "b64")]
    pub bytes: Vec<u8>,
}

/// `POST /v1/push` (and `POST /v1/handover` for a deactivated user's last push).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    /// Oldest first, at most [`MAX_PUSH_CHANGES`].
    pub changes: Vec<ChangeEnvelope>,
    /// Changes the device still holds, this page included (shown to managers).
    pub pending: u64,
    /// The identity of the log the device last synced with ([`PullResponse::log_id`]): a
    /// server whose log is another (restored from a backup) refuses the push with 409
    /// `log_changed` and applies nothing, so the device reconciles first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_id: Option<Uuid>,
}

/// A change the server refused and set aside in quarantine (never dropped).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub doc_id: Uuid,
    /// Hex hash of the change.
    pub hash: String,
    pub reason: String,
}

/// The answer to a push: 200 when everything was taken, 403 when some changes were
/// refused (they are in quarantine; the device may drop them from its outbox either way).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PushResponse {
    /// Changes new to the server, now applied.
    pub accepted: u64,
    /// Changes the server already had (a resend).
    pub duplicates: u64,
    pub refused: Vec<Refusal>,
    /// For a handover: the device must now wipe its local copy.
    #[serde(default)]
    pub wipe: bool,
    /// The identity of the server's log (a new one after a restore from a backup).
    #[serde(default)]
    pub log_id: Option<Uuid>,
    /// When the server received the accepted changes (RFC 3339, server time).
    #[serde(default)]
    pub received_at: Option<String>,
    /// The hashes of the changes accepted by this push (received at `received_at`).
    #[serde(default)]
    pub received: Vec<String>,
}

/// `POST /v1/pull`: what happened after `cursor` that this device may see.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol: u32,
    /// 0 for a device that has nothing yet: it first receives snapshots of everything it
    /// may see (in pages, by `snapshot_after`), then changes after the returned cursor.
    pub cursor: u64,
    /// During a bootstrap: the last document id received.
    pub snapshot_after: Option<Uuid>,
    /// At most this many items (capped at [`MAX_PULL_ITEMS`]).
    pub limit: Option<u32>,
    /// Changes the device still holds (shown to managers).
    pub pending: u64,
    /// The identity of the log the cursor is a position in (see [`PushRequest::log_id`]):
    /// another log answers 409 `log_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_id: Option<Uuid>,
}

/// A page of what a device should apply, in order.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PullResponse {
    pub items: Vec<PullItem>,
    /// The cursor to send next (store it with the items, in one transaction).
    pub cursor: u64,
    /// During a bootstrap: send it back as `snapshot_after`; `None` once complete.
    pub snapshot_after: Option<Uuid>,
    /// Whether more is waiting: pull again at once.
    pub more: bool,
    /// The identity of the server's log: store it, and send it with later requests.
    #[serde(default)]
    pub log_id: Option<Uuid>,
    /// On the last page (`more` false): the hashes of this user's refused changes still
    /// waiting in the quarantine. A refusal the device remembers that is not listed was
    /// dealt with (applied or discarded). `None` from servers that do not say.
    #[serde(default)]
    pub open_refusals: Option<Vec<String>>,
}

/// One thing to apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PullItem {
    /// New changes of a record (merge them; a record not held yet starts from them).
    Changes {
        doc_id: Uuid,
        kind: Kind,
        owner: String,
        #[serde(with = "b64::list")]
        changes: Vec<Vec<u8>>,
        /// When the server received each change (RFC 3339, server time), in the order of
        /// `changes`; empty from servers that do not say.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        received_at: Vec<String>,
    },
    /// A whole record, newly visible or bootstrapped: its saved document and its projection
    /// (`record` is what `show` prints, without `conflicts`), so the device need not load it.
    Snapshot {
        doc_id: Uuid,
        kind: Kind,
        owner: String,
        #[serde(with = "b64")]
        doc: Vec<u8>,
        record: Map<String, Json>,
        conflicts: u32,
    },
    /// The record is no longer visible to this user: remove the local copy.
    Drop { doc_id: Uuid },
    /// The record (still visible) has a new owner.
    Owner { doc_id: Uuid, owner: String },
}

/// Every error body: a stable code and a sentence saying what to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
}

/// `GET /v1/me`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Me {
    pub user: String,
    pub role: Role,
    pub team: Option<String>,
    pub device_id: Uuid,
}

/// A user, as admin listings show it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
    pub successor: Option<String>,
    /// Signing in is locked after repeated failed attempts until an admin unlocks it
    /// (absent from older servers).
    #[serde(default)]
    pub locked: bool,
}

/// `POST /v1/admin/users`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub password: String,
}

/// `POST /v1/admin/reassign`: every account of `from` (or only `accounts`) goes to `to`,
/// with all their records.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReassignRequest {
    pub from: Option<String>,
    pub to: String,
    #[serde(default)]
    pub accounts: Vec<Uuid>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReassignResponse {
    pub accounts: u64,
    pub records: u64,
}

/// `POST /v1/admin/deactivate` (and `/v1/admin/deactivate/preview`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeactivateRequest {
    pub user: String,
    pub successor: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeactivateResponse {
    pub accounts: u64,
    pub records: u64,
    pub tokens_revoked: u64,
    /// Devices of the user that held changes not yet synced at their last contact.
    pub devices_with_pending: Vec<DeviceInfo>,
}

/// A device, as `devices` lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub user: String,
    pub name: String,
    /// RFC 3339, or `None` if it never synced.
    pub last_sync: Option<String>,
    /// Changes it held at its last contact.
    pub pending: u64,
    /// Whether it has handed over and wiped (a deactivated user's device).
    pub wiped: bool,
    /// When it signed in (RFC 3339; absent from older servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_at: Option<String>,
    /// When its token stops working (RFC 3339; `None`: it does not expire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// What its token is good for now (absent from older servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenStatus>,
}

/// A device token's state, as device listings show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    /// Past its expiry: the user signs in again.
    Expired,
    /// Signed out, revoked by an administrator or the user, or handed over.
    Revoked,
    /// Its user was deactivated: good for one handover.
    Deactivated,
}

impl TokenStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStatus::Active => "active",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked => "revoked",
            TokenStatus::Deactivated => "deactivated",
        }
    }
}

/// `POST /v1/devices/{id}/revoke` (and the admin form): what was revoked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevokeResponse {
    pub device_id: Uuid,
    pub user: String,
    /// Tokens that were still good and are refused from now on (0: it was revoked already).
    pub revoked: u64,
}

/// `POST /v1/admin/users/{name}/unlock`: the user may sign in again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnlockResponse {
    pub user: String,
    /// Whether it was locked.
    pub was_locked: bool,
    /// The failed attempts that were forgotten.
    pub failures: u32,
}

/// A refused push kept for review, as `quarantine list` shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QuarantineEntry {
    pub id: i64,
    /// When it was refused.
    pub at: String,
    /// Who pushed it.
    pub user: String,
    pub device_id: Uuid,
    pub doc_id: Uuid,
    pub kind: Kind,
    pub hash: String,
    pub reason: String,
    /// Whether it waits for a decision, or was applied or discarded.
    #[serde(default)]
    pub state: QuarantineState,
    /// Refused for changes it depends on that the server lacked: retried by itself when
    /// changes of its record arrive.
    #[serde(default)]
    pub waiting_for_deps: bool,
    /// Who applied or discarded it, and when.
    #[serde(default)]
    pub decided_by: Option<String>,
    #[serde(default)]
    pub decided_at: Option<String>,
}

/// Where a quarantined change stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuarantineState {
    /// Waiting for a manager's or admin's decision.
    #[default]
    Open,
    /// Applied: it is in the log like any accepted change.
    Applied,
    /// Discarded: kept only as a record of the decision.
    Discarded,
}

impl QuarantineState {
    pub fn as_str(self) -> &'static str {
        match self {
            QuarantineState::Open => "open",
            QuarantineState::Applied => "applied",
            QuarantineState::Discarded => "discarded",
        }
    }

    pub fn parse(s: &str) -> Option<QuarantineState> {
        match s {
            "open" => Some(QuarantineState::Open),
            "applied" => Some(QuarantineState::Applied),
            "discarded" => Some(QuarantineState::Discarded),
            _ => None,
        }
    }
}

/// `GET /v1/admin/quarantine/{id}`: one refused change in full: what it would write.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QuarantineDetail {
    pub entry: QuarantineEntry,
    /// The user name the change names as its author.
    pub author: String,
    /// When its author made it (RFC 3339, the device's clock).
    pub made_at: String,
    /// The fields it writes, with the values it writes (JSON), when the record is on the
    /// server and holds what the change depends on; else empty.
    pub writes: Vec<WrittenField>,
    /// The record's owner now (`None`: a product, or not on the server).
    pub owner: Option<String>,
}

/// A field a quarantined change writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WrittenField {
    pub field: String,
    pub value: Json,
}

/// `POST /v1/admin/quarantine/{id}/apply` and `.../discard`: the decision taken.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QuarantineDecision {
    pub entry: QuarantineEntry,
    /// Other changes that waited for this one (missing dependencies) and went in with it.
    #[serde(default)]
    pub also_applied: u64,
}

/// `POST /v1/reconcile`: after the server's log changed (restored from a backup), the
/// device asks which of its records the server lacks changes of.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReconcileRequest {
    pub protocol: u32,
    /// At most [`MAX_RECONCILE_DOCS`].
    pub docs: Vec<DocHeads>,
}

/// A record and the hashes of its latest changes (hex).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocHeads {
    pub doc_id: Uuid,
    pub heads: Vec<String>,
}

/// For each asked record of which the server lacks a change: the server's own heads
/// (empty when it does not have the record). Records it is up to date with are left out.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ReconcileResponse {
    pub log_id: Option<Uuid>,
    pub behind: Vec<DocHeads>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_round_trip_through_json_with_base64_bytes() {
        let items = vec![
            PullItem::Changes {
                doc_id: Uuid::nil(),
                kind: Kind::Account,
                owner: "alice".into(),
                changes: vec![vec![0, 1, 255]],
                received_at: vec!["2026-01-02T03:04:05Z".into()],
            },
            PullItem::Drop {
                doc_id: Uuid::nil(),
            },
        ];
        let text = serde_json::to_string(&items).unwrap();
        assert!(
            text.contains(r#""type":"changes""#) && text.contains(r#""AAH/""#),
            "{text}"
        );
        let back: Vec<PullItem> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, items);
        assert!(serde_json::from_str::<ChangeEnvelope>(r#"{"doc_id":"00000000-0000-0000-0000-000000000000","kind":"account","bytes":"%%%"}"#).is_err());
    }
}
