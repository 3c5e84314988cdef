//! `fieldbook devices list|revoke`: this user's devices as the server knows them (when each
//! signed in, its last sync, its token and when that expires), and revoking one — a lost
//! laptop, from the phone. The server decides who may revoke what; this module only calls
//! the sync engine and prints.

use crate::run::print_json;
use clap::Subcommand;
use fieldbook_client::{Store, SyncEngine};
use uuid::Uuid;

#[derive(Subcommand, Debug)]
pub enum DevicesCmd {
    /// This user's devices: when each signed in and last synced, and its token.
    List,
    /// Revoke a device's token (`devices list` shows the ids): the server refuses it from
    /// now on; signing in again on that device makes a new one.
    Revoke { device: Uuid },
}

pub fn run(store: Store, cmd: &DevicesCmd, json: bool) -> anyhow::Result<()> {
    let mut engine = SyncEngine::new(store);
    match cmd {
        DevicesCmd::List => {
            let devices = engine.devices()?;
            if json {
                print_json(&serde_json::to_value(&devices)?);
                return Ok(());
            }
            for d in &devices {
                out!(
                    "{}  {}  signed in {}  last sync {}  token {}{}",
                    d.device_id,
                    d.name,
                    d.signed_in_at.as_deref().unwrap_or("?"),
                    d.last_sync.as_deref().unwrap_or("never"),
                    d.token.map_or("?", |t| t.as_str()),
                    d.expires_at
                        .as_deref()
                        .map(|e| format!(" (expires {e})"))
                        .unwrap_or_default()
                );
            }
        }
        DevicesCmd::Revoke { device } => {
            let done = engine.revoke_device(*device)?;
            if json {
                print_json(&serde_json::to_value(&done)?);
            } else if done.revoked > 0 {
                out!(
                    "Revoked {}'s device {}: the server refuses its token from now on.",
                    done.user,
                    done.device_id
                );
            } else {
                out!(
                    "{}'s device {} had no token left to revoke.",
                    done.user,
                    done.device_id
                );
            }
        }
    }
    Ok(())
}
