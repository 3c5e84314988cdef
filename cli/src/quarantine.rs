//! `fieldbook quarantine list|show|apply|discard`: changes the server refused, reviewed by
//! managers (their teams') and admins (all) from a device. The server decides who may see
//! and do what; this module only calls the sync engine and prints.

use crate::run::print_json;
use clap::Subcommand;
use fieldbook_client::{Store, SyncEngine};
use fieldbook_core::protocol::{QuarantineDecision, QuarantineEntry, QuarantineState};

#[derive(Subcommand, Debug)]
pub enum QuarantineCmd {
    /// Refused changes waiting for a decision, oldest first.
    List {
        /// Decided ones too (applied, discarded).
        #[arg(long)]
        all: bool,
    },
    /// One refused change: who signed it, when, why it was refused, what it writes.
    Show { id: i64 },
    /// Apply it: the server checks it again, except for the access rule that refused it.
    Apply { id: i64 },
    /// Discard it for good (the server keeps a record of who did, and when).
    Discard { id: i64 },
}

fn line(q: &QuarantineEntry) -> String {
    let state = match q.state {
        QuarantineState::Open if q.waiting_for_deps => {
            "waiting for changes it depends on".to_string()
        }
        QuarantineState::Open => "waiting for a decision".to_string(),
        s => format!(
            "{} by {}",
            s.as_str(),
            q.decided_by.as_deref().unwrap_or("someone")
        ),
    };
    format!(
        "#{}  {}  {} by {}  ({state})\n      {}",
        q.id, q.at, q.kind, q.user, q.reason
    )
}

fn decided(d: &QuarantineDecision, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(&serde_json::to_value(d)?);
        return Ok(());
    }
    out!(
        "#{} {}: {} {} of {}.",
        d.entry.id,
        d.entry.state.as_str(),
        d.entry.kind,
        d.entry.doc_id,
        d.entry.user
    );
    if d.also_applied > 0 {
        out!(
            "{} that waited for it went in too.",
            crate::render::count(d.also_applied, "other change", "other changes")
        );
    }
    Ok(())
}

pub fn run(store: Store, cmd: &QuarantineCmd, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    match cmd {
        QuarantineCmd::List { all } => {
            let entries = engine.quarantine(*all)?;
            if json {
                print_json(&serde_json::to_value(&entries)?);
            } else if entries.is_empty() {
                out!("No refused change waits for a decision.");
            } else {
                for q in &entries {
                    out!("{}", line(q));
                }
            }
        }
        QuarantineCmd::Show { id } => {
            let d = engine.quarantined(*id)?;
            if json {
                print_json(&serde_json::to_value(&d)?);
                return Ok(());
            }
            out!("{}", line(&d.entry));
            out!("record:   {} {}", d.entry.kind, d.entry.doc_id);
            out!(
                "owner:    {}",
                d.owner
                    .as_deref()
                    .unwrap_or("no one (a product, or not on the server)")
            );
            out!("signed:   {} at {}", d.author, d.made_at);
            if d.writes.is_empty() {
                out!("writes:   (the server lacks what it depends on)");
            }
            for w in &d.writes {
                out!("writes:   {} = {}", w.field, w.value);
            }
        }
        QuarantineCmd::Apply { id } => decided(&engine.apply_quarantined(*id)?, json)?,
        QuarantineCmd::Discard { id } => decided(&engine.discard_quarantined(*id)?, json)?,
    }
    Ok(())
}
