//! `fieldbook-server quarantine list|show|apply|discard`: refused changes reviewed and
//! dealt with by the operator, through the service (which checks and decides); this module
//! only prints. Knows nothing of HTTP or of a backend.

use super::QuarantineCommand;
use super::run::{json_out, line};
use crate::access::Requester;
use crate::error::Result;
use crate::service::Service;
use fieldbook_core::protocol::{QuarantineDecision, QuarantineEntry, QuarantineState};
use std::io::Write;

fn summary(q: &QuarantineEntry) -> String {
    let state = match q.state {
        QuarantineState::Open if q.waiting_for_deps => {
            "open, waiting for what it depends on".into()
        }
        QuarantineState::Open => "open".to_string(),
        s => format!(
            "{} by {} at {}",
            s.as_str(),
            q.decided_by.as_deref().unwrap_or("?"),
            q.decided_at.as_deref().unwrap_or("?")
        ),
    };
    format!(
        "#{} {} pushed by {} (device {}) for {} {} [{state}]: {}",
        q.id,
        q.at,
        q.user,
        q.device_id,
        q.kind.as_str(),
        q.doc_id,
        q.reason
    )
}

fn decided(out: &mut dyn Write, d: &QuarantineDecision, json: bool) -> Result<()> {
    if json {
        return json_out(out, d);
    }
    line(out, summary(&d.entry))?;
    if d.also_applied > 0 {
        line(
            out,
            format!(
                "{} other change(s) that waited for it went in too",
                d.also_applied
            ),
        )?;
    }
    Ok(())
}

/// Runs a quarantine command as `by`.
pub fn run(
    service: &Service,
    by: &Requester,
    command: &QuarantineCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        QuarantineCommand::List { all, json } => {
            let entries = service.quarantine(by, *all)?;
            if *json {
                return json_out(out, &entries);
            }
            if entries.is_empty() {
                return line(
                    out,
                    if *all {
                        "the quarantine is empty: no change was ever refused"
                    } else {
                        "no refused change waits for a decision"
                    },
                );
            }
            for q in &entries {
                line(out, summary(q))?;
            }
            Ok(())
        }
        QuarantineCommand::Show { id, json } => {
            let d = service.quarantined(by, *id)?;
            if *json {
                return json_out(out, &d);
            }
            line(out, summary(&d.entry))?;
            line(
                out,
                format!(
                    "signed by {} at {}; hash {}",
                    if d.author.is_empty() {
                        "no one"
                    } else {
                        &d.author
                    },
                    d.made_at,
                    d.entry.hash
                ),
            )?;
            line(
                out,
                format!(
                    "record owned by {}",
                    d.owner
                        .as_deref()
                        .unwrap_or("no one (a product, or not on the server)")
                ),
            )?;
            if d.writes.is_empty() {
                return line(
                    out,
                    "what it writes cannot be shown: the server lacks what it depends on",
                );
            }
            line(out, "it writes:")?;
            for w in &d.writes {
                line(out, format!("  {} = {}", w.field, w.value))?;
            }
            Ok(())
        }
        QuarantineCommand::Apply { id, json } => {
            decided(out, &service.apply_quarantined(by, *id)?, *json)
        }
        QuarantineCommand::Discard { id, json } => {
            decided(out, &service.discard_quarantined(by, *id)?, *json)
        }
    }
}
