//! What a pull sends: for each log entry after the device's cursor, whether and how the
//! user sees it (changes, a snapshot, a drop order or an owner update), and the page of
//! items built from those decisions (consecutive changes of one record go in one item).
//!
//! The log holds four events: `change` (with the record's owner when it was made),
//! `owner` (a reassignment, old and new owner), and `grant`/`revoke` (the user's own scope
//! changed: a team or role change made a record visible or invisible to them).
//!
//! Knows nothing of SQL or HTTP: backends read the entries and the snapshots.

use crate::access::Viewer;
use crate::error::{Result, ServerError};
use fieldbook_core::Kind;
use fieldbook_core::protocol::{MAX_PULL_ITEMS, PullItem};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

/// A pull page stops growing past this many bytes of changes and documents.
pub const PAGE_BYTES: usize = 6 << 20;

/// One entry of the log, as a pull reads it.
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub seq: u64,
    pub doc_id: Uuid,
    pub kind: Kind,
    /// The record's owner now.
    pub owner_now: Option<String>,
    /// A change pushed by the pulling device itself.
    pub own: bool,
    /// When the server wrote the entry (for a change: when it was received).
    pub at: String,
    pub event: Event,
}

#[derive(Clone, Debug)]
pub enum Event {
    Change {
        bytes: Vec<u8>,
        /// The record's owner when the change was made.
        owner_then: Option<String>,
    },
    Owner {
        old: Option<String>,
        new: Option<String>,
    },
    /// The record became visible to the pulling user (their scope grew).
    Grant,
    /// The record stopped being visible to the pulling user (their scope shrank).
    Revoke,
}

/// What to send for one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Skip,
    Changes,
    Snapshot,
    Drop,
    Owner(String),
}

/// Decides what `viewer` receives for `entry`. `granted_later`: whether a later entry
/// grants this record to the user (a snapshot will bring it whole).
///
/// A change is sent only if the user saw the record when it was made and sees it now, and
/// no later grant or reassignment brings the whole record anyway: a device must never
/// receive changes of a record it does not hold. The device that pushed a change has it:
/// it gets only the record's owner (what a record made before signing in learns at its
/// first sync), not the change again; or, if it may not see the record now (it wrote to
/// what moved away before it knew, or created something under it), the order to drop it,
/// so no orphan stays behind. A record shared with the user (a case assigned to them, its
/// account and contacts) is seen for as long as the share holds: its changes after the
/// share's grant are sent, and a move between owners only updates its owner.
pub fn decide(viewer: &Viewer<'_>, entry: &LogEntry, granted_later: bool) -> Decision {
    let (kind, doc) = (entry.kind, entry.doc_id);
    let sees = |owner: Option<&str>| viewer.sees(kind, doc, owner);
    let now = sees(entry.owner_now.as_deref());
    match &entry.event {
        Event::Change { .. } if entry.own && !now => Decision::Drop,
        Event::Change { owner_then, .. } => {
            if !(now && sees(owner_then.as_deref()) && !granted_later) {
                Decision::Skip
            } else if entry.own {
                Decision::Owner(entry.owner_now.clone().unwrap_or_default())
            } else {
                Decision::Changes
            }
        }
        Event::Owner { old, new } => {
            let before = sees(old.as_deref());
            let after = sees(new.as_deref());
            // A shared record is seen whoever owns it: (true, true), its owner changes.
            match (before, after) {
                (true, false) => Decision::Drop,
                (false, true) if now => Decision::Snapshot,
                (true, true) => Decision::Owner(new.clone().unwrap_or_default()),
                _ => Decision::Skip,
            }
        }
        Event::Grant if now => Decision::Snapshot,
        Event::Revoke if !now => Decision::Drop,
        Event::Grant | Event::Revoke => Decision::Skip,
    }
}

/// The number of items a request may have, from its `limit`.
pub fn page_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(MAX_PULL_ITEMS).clamp(1, MAX_PULL_ITEMS) as usize
}

/// A snapshot item from a stored document and its projection (stored without `owner`).
pub fn snapshot(
    doc_id: Uuid,
    kind: Kind,
    owner: Option<&str>,
    doc: Vec<u8>,
    record: &str,
    conflicts: u32,
) -> Result<PullItem> {
    let mut record: Map<String, Json> = serde_json::from_str(record)
        .map_err(|e| ServerError::Damaged(format!("projection of {doc_id}: {e}")))?;
    let owner = owner.unwrap_or_default().to_string();
    record.insert("owner".into(), Json::String(owner.clone()));
    Ok(PullItem::Snapshot {
        doc_id,
        kind,
        owner,
        doc,
        record,
        conflicts,
    })
}

/// A page of items being built.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<PullItem>,
    pub bytes: usize,
}

impl Page {
    /// Adds a change received at `at`, merged into the previous item when it is of the
    /// same record.
    pub fn push_change(
        &mut self,
        doc_id: Uuid,
        kind: Kind,
        owner: Option<&str>,
        bytes: Vec<u8>,
        at: String,
    ) {
        self.bytes += bytes.len() + at.len();
        if let Some(PullItem::Changes {
            doc_id: last,
            changes,
            received_at,
            ..
        }) = self.items.last_mut()
            && *last == doc_id
        {
            changes.push(bytes);
            received_at.push(at);
            return;
        }
        self.items.push(PullItem::Changes {
            doc_id,
            kind,
            owner: owner.unwrap_or_default().to_string(),
            changes: vec![bytes],
            received_at: vec![at],
        });
    }

    pub fn push(&mut self, item: PullItem) {
        if let PullItem::Snapshot { doc, .. } = &item {
            self.bytes += doc.len() * 2;
        }
        // The same owner of the same record twice in a row says nothing new.
        if let (PullItem::Owner { .. }, Some(last)) = (&item, self.items.last())
            && *last == item
        {
            return;
        }
        self.items.push(item);
    }

    /// Whether the page has reached `limit` items or its byte budget.
    pub fn full(&self, limit: usize) -> bool {
        self.items.len() >= limit || self.bytes >= PAGE_BYTES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Scope, Shares};
    use fieldbook_core::protocol::Role;

    /// Decides for a user with `scope` and no shares.
    fn decide_for(scope: &Scope, user: &str, entry: &LogEntry, later: bool) -> Decision {
        let shares = Shares::default();
        decide(
            &Viewer {
                user,
                scope,
                shares: &shares,
            },
            entry,
            later,
        )
    }

    fn entry(owner_now: Option<&str>, event: Event) -> LogEntry {
        LogEntry {
            seq: 1,
            doc_id: Uuid::nil(),
            kind: Kind::Account,
            owner_now: owner_now.map(String::from),
            own: false,
            at: "2026-01-01T00:00:00Z".into(),
            event,
        }
    }

    fn change(then: Option<&str>) -> Event {
        Event::Change {
            bytes: vec![1],
            owner_then: then.map(String::from),
        }
    }

    fn owner(old: &str, new: &str) -> Event {
        Event::Owner {
            old: Some(old.into()),
            new: Some(new.into()),
        }
    }

    #[test]
    fn reassignment_drops_for_the_old_owner_and_snapshots_for_the_new() {
        let alice = Scope::of(Role::Rep, "alice", []);
        let bob = Scope::of(Role::Rep, "bob", []);
        let moved = entry(Some("bob"), owner("alice", "bob"));
        assert_eq!(decide_for(&alice, "alice", &moved, false), Decision::Drop);
        assert_eq!(decide_for(&bob, "bob", &moved, false), Decision::Snapshot);
        let boss = Scope::of(Role::Manager, "mia", ["alice".into(), "bob".into()]);
        assert_eq!(
            decide_for(&boss, "mia", &moved, false),
            Decision::Owner("bob".into())
        );
        // Moved on again to someone bob cannot see: no snapshot of what bob may not see.
        let gone = entry(Some("carol"), owner("alice", "bob"));
        assert_eq!(decide_for(&bob, "bob", &gone, false), Decision::Skip);
    }

    #[test]
    fn changes_go_only_to_who_saw_the_record_then_and_now() {
        let alice = Scope::of(Role::Rep, "alice", []);
        assert_eq!(
            decide_for(
                &alice,
                "alice",
                &entry(Some("alice"), change(Some("alice"))),
                false
            ),
            Decision::Changes
        );
        assert_eq!(
            decide_for(
                &alice,
                "alice",
                &entry(Some("alice"), change(Some("carol"))),
                false
            ),
            Decision::Skip
        );
        assert_eq!(
            decide_for(
                &alice,
                "alice",
                &entry(Some("bob"), change(Some("alice"))),
                false
            ),
            Decision::Skip
        );
        assert_eq!(
            decide_for(
                &alice,
                "alice",
                &entry(Some("alice"), change(Some("alice"))),
                true
            ),
            Decision::Skip
        );
        assert_eq!(
            decide_for(&alice, "alice", &entry(None, change(None)), false),
            Decision::Changes,
            "products"
        );
        // The device that pushed it learns the owner only; a record it may not see, nothing.
        let mine = LogEntry {
            own: true,
            ..entry(Some("alice"), change(Some("alice")))
        };
        assert_eq!(
            decide_for(&alice, "alice", &mine, false),
            Decision::Owner("alice".into())
        );
        // Her own write to what moved away before she knew: she drops it (no orphan).
        let moved_away = LogEntry {
            own: true,
            ..entry(Some("bob"), change(Some("alice")))
        };
        assert_eq!(
            decide_for(&alice, "alice", &moved_away, false),
            Decision::Drop
        );
    }

    #[test]
    fn a_shared_case_and_its_account_reach_the_assignee_and_only_while_shared() {
        let carol = Scope::of(Role::Rep, "carol", []);
        let (case, account, deal) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let shares = Shares {
            cases: [case].into(),
            context: [account].into(),
        };
        let viewer = Viewer {
            user: "carol",
            scope: &carol,
            shares: &shares,
        };
        let of = |doc, kind, event| LogEntry {
            doc_id: doc,
            kind,
            ..entry(Some("alice"), event)
        };
        let change_of = |doc, kind| of(doc, kind, change(Some("alice")));
        assert_eq!(
            decide(&viewer, &change_of(case, Kind::Case), false),
            Decision::Changes
        );
        assert_eq!(
            decide(&viewer, &change_of(account, Kind::Account), false),
            Decision::Changes
        );
        assert_eq!(
            decide(&viewer, &change_of(deal, Kind::Opportunity), false),
            Decision::Skip
        );
        // Shared later in the window: the grant's snapshot brings it whole.
        assert_eq!(
            decide(&viewer, &change_of(case, Kind::Case), true),
            Decision::Skip
        );
        assert_eq!(
            decide(&viewer, &of(case, Kind::Case, Event::Grant), false),
            Decision::Snapshot
        );
        // A revoke while still shared (another case on the account) drops nothing.
        assert_eq!(
            decide(&viewer, &of(account, Kind::Account, Event::Revoke), false),
            Decision::Skip
        );
        // Once the share is over, the revoke drops it.
        let none = Shares::default();
        let after = Viewer {
            shares: &none,
            ..viewer
        };
        assert_eq!(
            decide(&after, &of(case, Kind::Case, Event::Revoke), false),
            Decision::Drop
        );
        assert_eq!(
            decide(&after, &change_of(case, Kind::Case), false),
            Decision::Skip
        );
        // The account moves to another rep: the assignee learns its new owner.
        let moved = of(account, Kind::Account, owner("alice", "bob"));
        assert_eq!(
            decide(&viewer, &moved, false),
            Decision::Owner("bob".into())
        );
        assert_eq!(decide(&after, &moved, false), Decision::Skip);
    }

    #[test]
    fn grants_snapshot_and_revokes_drop() {
        let boss = Scope::of(Role::Manager, "mia", ["alice".into()]);
        assert_eq!(
            decide_for(&boss, "mia", &entry(Some("alice"), Event::Grant), false),
            Decision::Snapshot
        );
        assert_eq!(
            decide_for(&boss, "mia", &entry(Some("zoe"), Event::Revoke), false),
            Decision::Drop
        );
        assert_eq!(
            decide_for(&boss, "mia", &entry(Some("alice"), Event::Revoke), false),
            Decision::Skip
        );
    }

    #[test]
    fn consecutive_changes_of_one_record_share_an_item() {
        let mut page = Page::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let at = || "2026-01-01T00:00:00Z".to_string();
        page.push_change(a, Kind::Account, Some("alice"), vec![1], at());
        page.push_change(a, Kind::Account, Some("alice"), vec![2], at());
        page.push_change(b, Kind::Account, Some("alice"), vec![3], at());
        page.push_change(a, Kind::Account, Some("alice"), vec![4], at());
        assert_eq!(page.items.len(), 3);
        assert!(
            matches!(&page.items[0], PullItem::Changes { changes, received_at, .. }
            if changes.len() == 2 && received_at.len() == 2)
        );
        assert!(!page.full(4) && page.full(3));
        assert_eq!(page_limit(Some(0)), 1);
        assert_eq!(page_limit(Some(99_999)), MAX_PULL_ITEMS as usize);
    }
}
