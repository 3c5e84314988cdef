//! The storage conformance suite: one set of tests every [`Storage`] backend must pass,
//! written once over the trait and run through the service layer, as the server runs it.
//! It covers transactions (a failed write changes nothing, a read is one snapshot,
//! bookkeeping lands), sign-in and tokens (failures, locks, waits, expiry, revocation), pushes (placement, refusals into quarantine,
//! duplicates), pulls (bootstrap paging, cursors, grants and drops), reassignment,
//! deactivation and handover, the quarantine (and decisions on it), administrative rules,
//! concurrent pushes (and a log read gap-free while they commit), trust: authorship, values, writes made before a device learned of a
//! move, parent loops, retries of what waited, the log's identity and reconcile; and
//! records shared beyond scope (cases with their assignees; personal records); the report
//! projection and the scope of reports; knowledge at risk, previews of moves, and teams
//! never left without a manager.
//!
//! A backend runs the suite with one line in a test file, given a function or closure
//! that makes a fresh, empty backend for each test:
//!
//! ```no_run
//! mod sqlite {
//!     fieldbook_server::storage_conformance!(|| {
//!         let dir = tempfile::tempdir().unwrap();
//!         let storage = fieldbook_server::SqliteStorage::open(dir.path()).unwrap();
//!         fieldbook_server::storage::conformance::Fresh::new(storage, dir)
//!     });
//! }
//! ```
//!
//! (`sync-server/tests/server/conformance.rs` does this for SQLite.)
//!
//! Knows nothing of a particular backend.

mod admin;
mod concurrency;
mod fixtures;
mod logins;
mod moves;
mod pull;
mod push;
mod reports;
mod sessions;
mod shares;
mod team;
mod transactions;
mod trust;

pub use admin::*;
pub use concurrency::*;
pub use fixtures::{Device, Doc, PASSWORD, World};
pub use logins::*;
pub use moves::*;
pub use pull::*;
pub use push::*;
pub use reports::*;
pub use sessions::*;
pub use shares::*;
pub use team::*;
pub use transactions::*;
pub use trust::*;

use super::Storage;
use std::any::Any;
use std::sync::Arc;

/// A fresh, empty backend for one test.
pub struct Fresh {
    pub storage: Arc<dyn Storage>,
    /// What must outlive the backend (a temporary directory, a database to drop); dropped
    /// after it.
    pub keep: Box<dyn Any + Send + Sync>,
}

impl Fresh {
    pub fn new(storage: impl Storage, keep: impl Any + Send + Sync) -> Fresh {
        Fresh {
            storage: Arc::new(storage),
            keep: Box::new(keep),
        }
    }
}

/// Runs the conformance suite as `#[test]`s, each on a backend from `$fresh` (an
/// expression callable as `Fn() -> Fresh`). Use it once per backend, in its own module.
#[macro_export]
macro_rules! storage_conformance {
    ($fresh:expr) => {
        $crate::storage_conformance!(@tests $fresh;
            a_failed_write_changes_nothing,
            a_read_sees_one_snapshot,
            bookkeeping_lands_once_settled,
            tokens_resolve_until_revoked,
            sign_in_needs_the_password_and_an_active_user,
            failed_sign_ins_lock_a_user_until_an_admin_unlocks,
            attempts_wait_after_failures_per_user_and_per_address,
            tokens_expire_and_devices_are_revoked_one_by_one,
            new_records_are_placed_by_what_they_hang_on,
            refused_changes_go_to_quarantine_and_change_nothing,
            a_resent_change_is_a_duplicate,
            products_are_written_by_admins_and_seen_by_all,
            bootstrap_pages_then_continues_from_where_it_began,
            an_empty_bootstrap_ends_at_once_and_a_cursor_ahead_is_refused,
            ordinary_pulls_group_changes_and_give_owners_for_own_changes,
            team_changes_grant_and_revoke_records,
            a_change_never_reaches_a_device_that_does_not_hold_the_record,
            reassignment_moves_records_and_tells_every_device,
            reassignment_rules,
            deactivation_limits_tokens_to_one_handover_that_wipes,
            a_handover_follows_successors_who_left_too,
            deactivation_rules,
            the_quarantine_is_shown_within_the_requesters_teams,
            users_and_teams_are_administered_by_admins,
            managers_see_and_act_within_their_teams,
            the_same_changes_from_many_devices_at_once_are_stored_once,
            concurrent_edits_of_one_record_are_all_kept,
            a_reassignment_racing_pushes_takes_whole_pages,
            a_team_change_racing_pushes_counts_for_every_later_page,
            the_log_is_read_gap_free_while_pushes_commit,
            a_change_is_its_pushers_and_stamps_cannot_say_otherwise,
            writes_made_before_learning_of_a_move_reach_the_new_owner,
            account_parents_make_no_loop,
            refused_changes_are_applied_discarded_or_retried,
            the_log_has_an_identity_and_reconcile_names_what_it_lacks,
            a_case_reaches_its_assignee_with_its_account_and_contacts_only,
            personal_records_reach_their_owners_devices_only,
            a_converted_lead_hangs_on_its_account_and_moves_with_it,
            the_report_projection_follows_pushes_moves_and_deletes,
            reports_cover_what_the_asker_sees,
            team_status_shows_each_devices_sync_and_what_it_holds,
            previews_count_what_would_move_and_write_nothing,
            a_team_is_never_left_without_a_manager,
        );
    };
    (@tests $fresh:expr; $($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                $crate::storage::conformance::$test(($fresh)())
            }
        )*
    };
}
