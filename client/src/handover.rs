//! A hand-over: moving one account, a selection, or all of a rep's accounts to another
//! user. What would move is counted here from this device's copy ([`Store::handover_preview`],
//! offline, for the confirmation); the move itself is the server's
//! ([`crate::SyncEngine::reassign_accounts`]), and every device learns it at its next sync.

use crate::error::{ClientError, Result};
use crate::store::Store;
use fieldbook_core::Kind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What to hand over: the named accounts (each with what hangs on it), or, with none
/// named, everything `from` owns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Handover {
    /// Whose records move (required when no account is named).
    pub from: Option<String>,
    pub accounts: Vec<Uuid>,
    /// Who receives them.
    pub to: String,
}

/// How many records of one kind would move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KindCount {
    pub kind: Kind,
    pub count: u64,
}

/// What a hand-over would move, as this device knows it (the server may hold more:
/// records this device has not pulled yet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HandoverPreview {
    /// Per kind, in the order of [`Kind::ALL`]; kinds with nothing to move left out.
    pub kinds: Vec<KindCount>,
    pub total: u64,
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
        })
    }
}

impl Store {
    /// What `handover` would move, counted from this device's copy.
    pub fn handover_preview(&self, handover: &Handover) -> Result<HandoverPreview> {
        let h = handover.checked()?;
        let counts = self.records_moving(h.from.as_deref(), &h.accounts)?;
        let kinds: Vec<KindCount> = Kind::ALL
            .iter()
            .filter_map(|k| counts.get(k).map(|&count| KindCount { kind: *k, count }))
            .collect();
        Ok(HandoverPreview {
            total: kinds.iter().map(|k| k.count).sum(),
            kinds,
        })
    }
}
