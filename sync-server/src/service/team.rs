//! For managers: who in their teams holds knowledge the company does not have yet (each
//! device's last sync, the changes it held at its last contact, whether it wiped), and who
//! manages a team (a team is handed to another manager before its manager can leave).

use super::admin::{rescope, team_info};
use super::{Service, TeamInfo, admin_scope, need_user};
use crate::access::Requester;
use crate::error::{Result, ServerError};
use crate::names;
use crate::storage::StorageExt;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{
    DeviceInfo, DeviceStatus, MemberStatus, RiskWarning, Role, TeamStatus,
};
use fieldbook_core::value::format_datetime;
use std::collections::BTreeSet;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Whole days from `last_sync` to `now` (`None`: never synced, or unreadable).
fn days_since(last_sync: Option<&str>, now: OffsetDateTime) -> Option<i64> {
    let at = OffsetDateTime::parse(last_sync?, &Rfc3339).ok()?;
    Some((now - at).whole_days().max(0))
}

/// A device as the team view shows it, flagged as `warn_days` says.
pub fn device_status(d: DeviceInfo, warn_days: u32, now: OffsetDateTime) -> DeviceStatus {
    let days = days_since(d.last_sync.as_deref(), now);
    let mut warnings = Vec::new();
    if !d.wiped {
        if days.is_none_or(|n| n >= i64::from(warn_days)) {
            warnings.push(RiskWarning::NotSynced);
        }
        if d.pending > 0 {
            warnings.push(RiskWarning::Pending);
        }
    }
    DeviceStatus {
        device_id: d.device_id,
        name: d.name,
        last_sync: d.last_sync,
        days_since_sync: days,
        pending: d.pending,
        wiped: d.wiped,
        warnings,
    }
}

impl Service {
    /// Knowledge at risk, per user `by` may administer (managers: the members of their
    /// teams and themselves; admins: everyone): their devices, flagged after `warn_days`
    /// days without a sync or when they held unsynced changes at their last contact.
    pub fn team_status(&self, by: &Requester, warn_days: u32) -> Result<TeamStatus> {
        let by = by.clone();
        let now = OffsetDateTime::now_utc();
        self.storage.read(move |repo| {
            let scope = admin_scope(repo, &by)?;
            let mut members = Vec::new();
            let mut at_risk = 0;
            for u in repo.users()? {
                if !scope.covers(&u.name) {
                    continue;
                }
                let counts = repo.owned_counts(&u.name)?;
                let mut devices: Vec<DeviceStatus> = repo
                    .devices(Some(&u.name))?
                    .into_iter()
                    .map(|d| device_status(d, warn_days, now))
                    .collect();
                devices.sort_by(|a, b| b.last_sync.cmp(&a.last_sync));
                at_risk += devices.iter().filter(|d| !d.warnings.is_empty()).count() as u64;
                members.push(MemberStatus {
                    user: u.name,
                    role: u.role,
                    team: u.team,
                    active: u.active,
                    successor: u.successor,
                    accounts: counts.get(&Kind::Account).copied().unwrap_or(0),
                    records: counts.values().sum(),
                    devices,
                });
            }
            Ok(TeamStatus {
                as_of: format_datetime(now),
                warn_days,
                members,
                at_risk,
            })
        })
    }

    /// Gives a team another manager (admins). The old and the new manager's devices gain
    /// and lose the members' records at their next pull.
    pub fn set_team_manager(&self, by: &Requester, team: &str, manager: &str) -> Result<TeamInfo> {
        by.require_admin()?;
        names::team(team)?;
        let (team, manager) = (team.trim().to_string(), manager.trim().to_string());
        self.storage.write(move |repo| {
            let Some(old) = repo.team_manager(&team)? else {
                return Err(ServerError::NotFound(format!(
                    "there is no team `{team}` with a manager: add it with \
                     `fieldbook-server team add {team} --manager {manager}`"
                )));
            };
            let m = need_user(repo, &manager)?;
            if m.role != Role::Manager {
                return Err(ServerError::BadRequest(format!(
                    "{manager} is {} {}, not a manager: first `fieldbook-server user set {manager} --role manager`",
                    if m.role == Role::Admin { "an" } else { "a" },
                    m.role.as_str()
                )));
            }
            if !m.active {
                return Err(ServerError::Conflict(format!(
                    "{manager} is deactivated: name an active manager"
                )));
            }
            if old != manager {
                rescope(repo, BTreeSet::from([old, manager.clone()]), |repo| {
                    repo.set_team_manager(&team, &manager)
                })?;
            }
            team_info(repo, &team)
        })
    }
}
