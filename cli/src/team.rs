//! `fieldbook team`: knowledge at risk in the teams the user manages (admins: everyone),
//! from the server: per user and device, the last sync, the changes it held at its last
//! contact, whether it wiped, flagged after some days without a sync; and the preview of
//! `fieldbook reassign --preview`. The server decides who may see what; this module only
//! calls the sync engine and prints.

use crate::render;
use crate::run::print_json;
use fieldbook_client::{Store, SyncEngine};
use fieldbook_core::protocol::{DeviceStatus, MovePreview, RiskWarning, TeamStatus};
use uuid::Uuid;

fn warning(d: &DeviceStatus, warn_days: u32) -> String {
    let mut parts = Vec::new();
    if d.warnings.contains(&RiskWarning::NotSynced) {
        parts.push(match d.days_since_sync {
            Some(n) => format!("no sync for {n} days (≥ {warn_days})"),
            None => "never synced".to_string(),
        });
    }
    if d.warnings.contains(&RiskWarning::Pending) {
        parts.push(format!(
            "held {} not on the server",
            render::count(d.pending, "change", "changes")
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  ⚠ {}", parts.join("; "))
    }
}

fn print_team(t: &TeamStatus) {
    for m in &t.members {
        let state = match (&m.active, &m.successor) {
            (true, _) => String::new(),
            (false, Some(s)) => format!(", deactivated (successor {s})"),
            (false, None) => ", deactivated".into(),
        };
        out!(
            "{} ({}{}{}): {}, {} in all",
            m.user,
            m.role.as_str(),
            m.team
                .as_deref()
                .map(|t| format!(", team {t}"))
                .unwrap_or_default(),
            state,
            render::count(m.accounts, "account", "accounts"),
            render::count(m.records, "record", "records"),
        );
        if m.devices.is_empty() {
            out!("    no device signed in");
        }
        for d in &m.devices {
            let synced = match (&d.last_sync, d.days_since_sync) {
                (Some(at), Some(n)) => format!("last sync {at} ({n} d ago)"),
                (Some(at), None) => format!("last sync {at}"),
                _ => "never synced".into(),
            };
            let wiped = if d.wiped { ", wiped" } else { "" };
            out!(
                "    {}: {synced}, {} pending{wiped}{}",
                d.name,
                d.pending,
                warning(d, t.warn_days)
            );
        }
    }
    out!(
        "{} at risk (no sync for {} days or more, or unsynced changes).",
        render::count(t.at_risk, "device", "devices"),
        t.warn_days
    );
}

/// Runs `fieldbook team`.
pub fn team(store: Store, warn_days: u32, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    let t = engine.team_status(warn_days)?;
    if json {
        print_json(&serde_json::to_value(&t)?);
    } else {
        print_team(&t);
    }
    Ok(())
}

fn print_preview(p: &MovePreview) {
    let kinds: Vec<String> = p.kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    out!(
        "Would move {} and {} in all to {}: {}.",
        render::count(p.accounts, "account", "accounts"),
        render::count(p.records, "record", "records"),
        p.to,
        if kinds.is_empty() {
            "nothing".to_string()
        } else {
            kinds.join(", ")
        }
    );
    if p.devices_with_pending.is_empty() {
        out!("No device losing them held unsynced changes at its last contact.");
    }
    for d in &p.devices_with_pending {
        out!(
            "⚠ {}'s device {} held {} not on the server at its last contact ({}).",
            d.user,
            d.name,
            render::count(d.pending, "change", "changes"),
            d.last_sync.as_deref().unwrap_or("never synced")
        );
    }
    out!("Nothing moved: run it again without --preview to move them.");
}

/// Runs `fieldbook reassign ACCOUNT --to USER --preview`.
pub fn preview_reassign(store: Store, account: Uuid, to: &str, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    let p = engine.preview_reassign(account, to)?;
    if json {
        print_json(&serde_json::to_value(&p)?);
    } else {
        print_preview(&p);
    }
    Ok(())
}
