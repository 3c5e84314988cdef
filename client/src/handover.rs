//! A hand-over: moving one account, a selection, or all of a rep's accounts to another
//! user — or a departure: the rep deactivated, everything theirs to a successor, their
//! devices handing over what they hold and wiping. Checked here before the server is
//! asked. The server counts what would move
//! ([`crate::SyncEngine::preview_reassign_accounts`]) and moves it
//! ([`crate::SyncEngine::reassign_accounts`]); every device learns it at its next sync.

use crate::error::{ClientError, Result};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What to hand over: the named accounts (each with what hangs on it), or, with none
/// named, everything `from` owns; with `leaves`, `from` leaves the company too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Handover {
    /// Whose records move (required when no account is named).
    pub from: Option<String>,
    pub accounts: Vec<Uuid>,
    /// Who receives them.
    pub to: String,
    /// `from` leaves: deactivated (signed out everywhere), every record of theirs to `to`,
    /// their devices hand over what they still hold and wipe at their next sync. Names
    /// `from` and no accounts.
    #[serde(default)]
    pub leaves: bool,
}

impl Handover {
    /// The request checked: someone to give to, and whose or which accounts.
    pub fn checked(&self) -> Result<Handover> {
        let to = self.to.trim();
        let from = self
            .from
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if to.is_empty() {
            return Err(ClientError::BadHandover(
                "say who receives the accounts".into(),
            ));
        }
        if self.leaves && (from.is_none() || !self.accounts.is_empty()) {
            return Err(ClientError::BadHandover(
                "a departure hands over everything: name who leaves, and no accounts".into(),
            ));
        }
        if self.accounts.is_empty() && from.is_none() {
            return Err(ClientError::BadHandover(
                "choose the accounts to move, or whose accounts".into(),
            ));
        }
        if from == Some(to) {
            return Err(ClientError::BadHandover(format!(
                "{to} already owns these accounts: choose someone else to receive them"
            )));
        }
        Ok(Handover {
            from: from.map(str::to_string),
            accounts: self.accounts.clone(),
            to: to.to_string(),
            leaves: self.leaves,
        })
    }
}
