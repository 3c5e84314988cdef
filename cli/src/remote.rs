//! The commands that concern the store's server: `login`, `logout`, `status`, `sync`
//! (which reconciles with a server restored from a backup by itself), `reassign`, and
//! `reset` (which deletes the store, so that the device can serve another
//! user or server). Each takes the open store, runs the sync engine on it, and prints the
//! typed result for people or as one JSON document.

use crate::render;
use crate::run::print_json;
use fieldbook_client::model::SyncStatus;
use fieldbook_client::{Cancel, ClientError, Store, SyncEngine, SyncEvent};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use uuid::Uuid;

/// How the server answered this device just now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// It answered and knows this device's token.
    Online,
    /// It could not be reached (or failed): changes wait here.
    Offline,
    /// It answered, but refused the token (revoked, or the device was removed).
    TokenRefused,
    /// It answered that this user was deactivated.
    Deactivated,
    /// The device is signed out (or never signed in).
    SignedOut,
}

impl Connection {
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Online => "online",
            Connection::Offline => "offline",
            Connection::TokenRefused => "token_refused",
            Connection::Deactivated => "deactivated",
            Connection::SignedOut => "signed_out",
        }
    }
}

fn read_password(user: &str) -> anyhow::Result<String> {
    Ok(match std::env::var("FIELDBOOK_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("password for {user}: ");
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\n', '\r']).to_string()
        }
    })
}

pub fn login(
    store: Store,
    url: &str,
    user: &str,
    device_name: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    // Refused before the password is asked for: another user, another server.
    engine.check_login(url, user)?;
    let password = read_password(user)?;
    let r = engine.login(url, user, &password, device_name)?;
    if json {
        print_json(
            &json!({"user": r.user, "role": r.role, "team": r.team, "device_id": r.device_id.to_string(), "server": url}),
        );
    } else {
        out!(
            "Signed in to {url} as {} ({}). Run `fieldbook sync` to exchange changes.",
            r.user,
            r.role.as_str()
        );
    }
    Ok(())
}

pub fn logout(store: Store, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    let r = engine.logout()?;
    if json {
        print_json(
            &json!({"logged_out": true, "server_revoked": r.server_told, "pending": r.pending}),
        );
        return Ok(());
    }
    if r.server_told {
        out!("Signed out; the server revoked this device's token.");
    } else {
        out!(
            "Signed out here, but the server could not be reached: ask an administrator to revoke this device."
        );
    }
    if r.pending > 0 {
        eprintln!(
            "warning: {} made here {} not reached the server yet: {} on this device and {} up after \
             `fieldbook login` and `fieldbook sync`",
            render::count(r.pending, "change", "changes"),
            if r.pending == 1 { "has" } else { "have" },
            if r.pending == 1 {
                "it stays"
            } else {
                "they stay"
            },
            if r.pending == 1 { "goes" } else { "go" },
        );
    }
    Ok(())
}

pub fn reset(store: Store, force: bool, json: bool) -> anyhow::Result<()> {
    let dir = store.dir().to_path_buf();
    let mut engine = SyncEngine::new(store);
    let r = engine.reset(force)?;
    if json {
        print_json(
            &json!({"reset": true, "data_dir": dir, "discarded": r.discarded, "server_revoked": r.server_told}),
        );
        return Ok(());
    }
    out!("Deleted the store in {}.", dir.display());
    if r.discarded > 0 {
        out!(
            "{} that never reached the server {} discarded.",
            render::count(r.discarded, "change", "changes"),
            if r.discarded == 1 { "was" } else { "were" }
        );
    }
    out!("`fieldbook init --user NAME` makes a new one, for any user.");
    Ok(())
}

pub fn status(store: Store, json: bool) -> anyhow::Result<()> {
    let st = store.sync_status()?;
    let mut engine = SyncEngine::new(store);
    let connection = match engine.check_online() {
        Ok(_) => Connection::Online,
        Err(ClientError::NotLoggedIn) => Connection::SignedOut,
        Err(ClientError::Unauthorized(_)) => Connection::TokenRefused,
        Err(ClientError::Deactivated) => Connection::Deactivated,
        Err(_) => Connection::Offline,
    };
    if json {
        let mut v = serde_json::to_value(&st)?;
        v["online"] = match connection {
            Connection::SignedOut => serde_json::Value::Null,
            c => json!(c == Connection::Online),
        };
        v["connection"] = json!(connection.as_str());
        print_json(&v);
    } else {
        print_status(&st, connection);
    }
    Ok(())
}

pub fn reassign(store: Store, account: Uuid, to: &str, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    let r = engine.reassign(account, to)?;
    if json {
        print_json(&serde_json::to_value(&r)?);
    } else {
        out!(
            "Moved {} and {} to {to}. Their devices get them at the next sync.",
            render::count(r.accounts, "account", "accounts"),
            render::count(r.records, "record", "records"),
        );
    }
    Ok(())
}

pub fn sync(store: Store, json: bool) -> anyhow::Result<()> {
    let bar = ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut engine = SyncEngine::new(store);
    let report = engine.sync(&Cancel::new(), &mut |e| match e {
        SyncEvent::Pushed { sent, total } => {
            bar.set_message(format!("pushing {sent}/{total} changes"))
        }
        SyncEvent::Pulled { received, .. } => bar.set_message(format!("pulled {received} items")),
    })?;
    bar.finish_and_clear();
    if json {
        print_json(&serde_json::to_value(&report)?);
        return Ok(());
    }
    if report.wiped {
        let held = report.pushed + report.refused.len() as u64;
        out!(
            "This user was deactivated. The {} this device held {} handed to the company; \
             the local copy is now wiped.",
            render::count(held, "change", "changes"),
            if held == 1 { "was" } else { "were" }
        );
        return Ok(());
    }
    if let Some(r) = &report.reconciled {
        out!(
            "The server had been restored from a backup: sent again {} it lacked ({}), then pulled everything again.",
            render::count(r.changes_sent_again, "change", "changes"),
            render::count(r.records_behind, "record", "records"),
        );
    }
    let p = &report.pulled;
    out!(
        "Pushed {}{}; pulled {}, {} updated, {} removed.",
        render::count(report.pushed, "change", "changes"),
        if report.duplicates > 0 {
            format!(" ({} already there)", report.duplicates)
        } else {
            String::new()
        },
        render::count(p.new_records, "new record", "new records"),
        p.updated_records,
        p.removed_records
    );
    for r in &report.refused {
        eprintln!(
            "{}",
            crate::clean::terminal(&format!(
                "refused: {} ({}): {} — kept in the server's quarantine for review",
                r.doc_id, r.hash, r.reason
            ))
        );
    }
    if !report.refused.is_empty() {
        eprintln!("(`fieldbook status` lists what the server refused until it is dealt with)");
    }
    if p.refusals_dealt_with > 0 {
        out!(
            "{} the server had refused {} dealt with by a manager since.",
            render::count(p.refusals_dealt_with, "change", "changes"),
            if p.refusals_dealt_with == 1 {
                "was"
            } else {
                "were"
            }
        );
    }
    Ok(())
}

/// The sync state for people: where, as whom, how the server answered, what waits and what
/// it refused (grouped by reason).
fn print_status(st: &SyncStatus, connection: Connection) {
    let login = format!(
        "`fieldbook login {} {}`",
        st.server.as_deref().unwrap_or("URL"),
        st.store_user
    );
    match &st.server {
        Some(server) => {
            let state = match connection {
                Connection::Online => "online".to_string(),
                Connection::Offline => "offline (changes wait here safely)".to_string(),
                Connection::TokenRefused => format!(
                    "the server answers but refused this device's token (signed out there): {login}"
                ),
                Connection::Deactivated => {
                    "this user was deactivated; `fieldbook sync` hands over what is here".into()
                }
                Connection::SignedOut => format!("signed out: {login}"),
            };
            out!("server:     {server} ({state})");
        }
        None => out!("server:     none (work is local; {login} to sync)"),
    }
    let role = st
        .role
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    out!("user:       {}{role}", st.store_user);
    out!("last sync:  {}", st.last_sync.as_deref().unwrap_or("never"));
    out!(
        "waiting:    {} not yet on the server",
        render::count(st.pending, "change", "changes")
    );
    if st.refused.is_empty() {
        return;
    }
    out!(
        "refused:    {} the server refused, kept in its quarantine for a manager to review:",
        render::count(st.refused.len() as u64, "change", "changes")
    );
    let mut reasons: Vec<(&str, u64)> = Vec::new();
    for r in &st.refused {
        match reasons.iter_mut().find(|(reason, _)| *reason == r.reason) {
            Some((_, n)) => *n += 1,
            None => reasons.push((&r.reason, 1)),
        }
    }
    for (reason, n) in reasons {
        out!("            {n} × {reason}");
    }
}
