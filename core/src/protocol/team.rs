//! What the managers' endpoints exchange (docs/protocol.md, "Managers"): the team's
//! knowledge at risk (`GET /v1/team`) and the preview of a reassignment or a departure
//! (`POST /v1/admin/reassign/preview`, `POST /v1/admin/deactivate/preview`).

use super::{DeviceInfo, Role};
use crate::Kind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days without a sync after which a device is flagged (`warn_days` overrides it).
pub const DEFAULT_WARN_DAYS: u32 = 3;

/// `GET /v1/team`: per user the asker may see, their devices and what they may hold that
/// the company does not have yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamStatus {
    /// When the server worked it out (RFC 3339, UTC).
    pub as_of: String,
    /// A device is flagged after this many days without a sync.
    pub warn_days: u32,
    /// By name.
    pub members: Vec<MemberStatus>,
    /// How many devices are flagged, over all members.
    pub at_risk: u64,
}

/// One user, as `GET /v1/team` shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberStatus {
    pub user: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
    pub successor: Option<String>,
    /// Accounts they own on the server.
    pub accounts: u64,
    /// Records they own on the server (accounts included).
    pub records: u64,
    /// Their devices, newest sync first.
    pub devices: Vec<DeviceStatus>,
}

/// One device and whether it holds knowledge at risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceStatus {
    pub device_id: uuid::Uuid,
    pub name: String,
    /// Its last completed sync (RFC 3339), or `None` if it never synced.
    pub last_sync: Option<String>,
    /// Whole days since `last_sync` (`None`: never synced).
    pub days_since_sync: Option<i64>,
    /// Changes it held at its last contact.
    pub pending: u64,
    /// It handed over and wiped its copy.
    pub wiped: bool,
    /// Why it is flagged (empty: it is not; a wiped device never is).
    pub warnings: Vec<RiskWarning>,
}

/// Why a device is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RiskWarning {
    /// No sync for `warn_days` days or more, or never.
    NotSynced,
    /// Held changes the server does not have at its last contact.
    Pending,
}

/// What a reassignment or a departure would do, worked out with the same rules and
/// nothing written.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MovePreview {
    /// Who the records would go to.
    pub to: String,
    pub accounts: u64,
    pub records: u64,
    /// Records per kind.
    pub kinds: BTreeMap<Kind, u64>,
    /// Devices of the user(s) losing the records that held unsynced changes at their last
    /// contact (not wiped): what they still hold reaches the company only at their next
    /// sync (or handover).
    pub devices_with_pending: Vec<DeviceInfo>,
}

/// `POST /v1/admin/team-manager`: who manages a team (admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamManagerRequest {
    pub team: String,
    pub manager: String,
}

/// `GET /v1/records?kind=K`: a page of the records of one kind the user sees, as their
/// projections (`Record::to_json`, `owner` included), in id order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordsPage {
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Ask again with `after` = this for the next page; `None`: the last page.
    pub next: Option<uuid::Uuid>,
}
