//! The reads and writes of one transaction, as every backend offers them: [`Repo`], made of
//! [`UserRepo`] (users and teams), [`DeviceRepo`] (devices and tokens), [`RecordRepo`]
//! (documents and their owners), [`LogRepo`] (the change log), [`QuarantineRepo`]
//! (refused changes and the decisions on them) and [`ReportRepo`] (the report projection),
//! with the rows they take and give.
//!
//! Each method is one plain read or write: no method checks a right, a name or a rule, and
//! none decides what a user sees (filters such as [`OwnerFilter`] and [`LogFilter`] are
//! index ranges the service layer combines). Times arrive formatted (RFC 3339, UTC).

use crate::error::Result;
use crate::ownership::Placement;
use crate::pull::LogEntry;
use crate::push::{PushOutcome, StoredDoc};
use crate::storage::ReportRepo;
use fieldbook_core::Kind;
use fieldbook_core::protocol::{DeviceInfo, QuarantineEntry, QuarantineState, Role, UserInfo};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Every read and write of one transaction.
pub trait Repo: UserRepo + DeviceRepo + RecordRepo + LogRepo + QuarantineRepo + ReportRepo {}

impl<T: UserRepo + DeviceRepo + RecordRepo + LogRepo + QuarantineRepo + ReportRepo + ?Sized> Repo
    for T
{
}

/// A user to store (the password already hashed).
#[derive(Clone, Debug)]
pub struct NewUserRow {
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub password_hash: String,
}

/// Changes to a user's row; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct UserUpdate {
    pub role: Option<Role>,
    /// `Some(None)` takes the user out of their team.
    pub team: Option<Option<String>>,
    pub password_hash: Option<String>,
}

/// Users and teams.
pub trait UserRepo {
    fn user(&mut self, name: &str) -> Result<Option<UserInfo>>;
    /// Every user, by name.
    fn users(&mut self) -> Result<Vec<UserInfo>>;
    fn password_hash(&mut self, name: &str) -> Result<Option<String>>;
    fn insert_user(&mut self, user: &NewUserRow, at: &str) -> Result<()>;
    fn update_user(&mut self, name: &str, update: &UserUpdate) -> Result<()>;
    /// Marks a user inactive, with who took over their records.
    fn deactivate_user(&mut self, name: &str, successor: &str) -> Result<()>;
    fn team_manager(&mut self, team: &str) -> Result<Option<String>>;
    fn insert_team(&mut self, team: &str, manager: &str, at: &str) -> Result<()>;
    /// Gives an existing team another manager.
    fn set_team_manager(&mut self, team: &str, manager: &str) -> Result<()>;
    /// Every team name: teams with a manager and teams only named by their members.
    fn team_names(&mut self) -> Result<Vec<String>>;
    /// The members of a team, by name.
    fn team_members(&mut self, team: &str) -> Result<Vec<String>>;
    /// The members of every team `manager` manages.
    fn managed_members(&mut self, manager: &str) -> Result<Vec<String>>;
}

/// What a token is good for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenState {
    Active,
    /// Revoked (signed out, or a handover done): good for nothing.
    Revoked,
    /// Its user was deactivated.
    Deactivated,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Revoked => "revoked",
            TokenState::Deactivated => "deactivated",
        }
    }

    pub fn parse(s: &str) -> Option<TokenState> {
        match s {
            "active" => Some(TokenState::Active),
            "revoked" => Some(TokenState::Revoked),
            "deactivated" => Some(TokenState::Deactivated),
            _ => None,
        }
    }
}

/// A token with its user and device, as stored.
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub user: String,
    pub device_id: Uuid,
    pub state: TokenState,
    pub role: Role,
    pub team: Option<String>,
    pub successor: Option<String>,
    /// Changes the device held at its last contact.
    pub pending: u64,
}

/// A device signing in, with its first token.
#[derive(Clone, Debug)]
pub struct NewDevice<'a> {
    pub id: Uuid,
    pub user: &'a str,
    pub name: &'a str,
    pub token_hash: &'a str,
}

/// Devices and tokens.
pub trait DeviceRepo {
    fn token(&mut self, token_hash: &str) -> Result<Option<TokenRow>>;
    /// Stores a device and its first token (active).
    fn insert_device(&mut self, device: &NewDevice<'_>, at: &str) -> Result<()>;
    fn set_token_state(&mut self, token_hash: &str, state: TokenState) -> Result<()>;
    /// Turns a user's active tokens into deactivated ones; returns how many.
    fn deactivate_tokens(&mut self, user: &str) -> Result<u64>;
    /// Records how many changes a device holds.
    fn set_pending(&mut self, device: Uuid, pending: u64) -> Result<()>;
    /// Records a completed sync and what the device still holds.
    fn device_synced(&mut self, device: Uuid, pending: u64, at: &str) -> Result<()>;
    /// Records that a device handed over and wiped its copy.
    fn device_wiped(&mut self, device: Uuid, at: &str) -> Result<()>;
    /// Devices by user and age; `user` narrows to one user's.
    fn devices(&mut self, user: Option<&str>) -> Result<Vec<DeviceInfo>>;
    /// The highest log position a pull sent the device (0 if none).
    fn device_learned(&mut self, device: Uuid) -> Result<u64>;
    /// Raises the highest log position a pull sent the device to `upto` (never lowers it).
    fn device_pulled(&mut self, device: Uuid, upto: u64) -> Result<()>;
}

/// Which records by owner.
#[derive(Clone, Copy, Debug)]
pub enum OwnerFilter<'a> {
    Any,
    Owner(&'a str),
    /// Records that belong to no one (products).
    Nobody,
}

/// A record, its kind and its owner (`None`: a product).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordOwner {
    pub id: Uuid,
    pub kind: Kind,
    pub owner: Option<String>,
}

/// A stored record as a snapshot sends it: its document and projection (without `owner`).
#[derive(Clone, Debug)]
pub struct StoredSnapshot {
    pub id: Uuid,
    pub kind: Kind,
    pub owner: Option<String>,
    pub data: Vec<u8>,
    pub record: String,
    pub conflicts: u32,
}

/// A stored record's projection (`Record::to_json` without `owner`) and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: Uuid,
    pub kind: Kind,
    pub owner: Option<String>,
    pub record: String,
}

/// A case assigned to someone, with the account it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub case: Uuid,
    pub account: Uuid,
}

/// A quarantined change whole: its entry and its bytes.
#[derive(Clone, Debug)]
pub struct QuarantinedChange {
    pub entry: QuarantineEntry,
    pub bytes: Vec<u8>,
}

/// Who pushed, for the log and the quarantine.
#[derive(Clone, Copy, Debug)]
pub struct Pusher<'a> {
    pub user: &'a str,
    pub device: Uuid,
}

/// Record documents, their owners, and the quarantine.
pub trait RecordRepo {
    /// Whether a change with this hash is in the log already.
    fn is_known_change(&mut self, hash: &str) -> Result<bool>;
    /// A stored document, whole.
    fn doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>>;
    /// Where a stored record belongs, without its document.
    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>>;
    fn snapshot(&mut self, id: Uuid) -> Result<Option<StoredSnapshot>>;
    /// Up to `limit` record ids after `after` (from the first without), in id order.
    fn doc_ids(
        &mut self,
        owner: OwnerFilter<'_>,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<Uuid>>;
    /// Every record `owner` owns, by id.
    fn records_owned_by(&mut self, owner: &str) -> Result<Vec<RecordOwner>>;
    /// Every record that belongs to an account (the account included), by id.
    fn records_of_account(&mut self, account: Uuid) -> Result<Vec<RecordOwner>>;
    /// Up to `limit` records of `kind` owned by one of `owners` (`None`: any owner, products
    /// included), after `after` in id order, with their projections (no documents).
    fn records_page(
        &mut self,
        kind: Kind,
        owners: Option<&[String]>,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<StoredRecord>>;
    /// How many records `owner` owns, per kind (kinds with none left out).
    fn owned_counts(&mut self, owner: &str) -> Result<BTreeMap<Kind, u64>>;
    /// Every record that has an owner, by id.
    fn owned_records(&mut self) -> Result<Vec<RecordOwner>>;
    /// A stored account's parent account (`parent_id`), if it has one.
    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>>;
    /// Gives a record to another owner (the log entry is [`LogRepo::append_owner`]); its
    /// report row (if any) follows.
    fn set_owner(&mut self, id: Uuid, owner: &str) -> Result<()>;
    /// Writes what a push page did: its accepted changes appended to the log in order
    /// (received at `at`), each changed document with its projection and its report row
    /// (replaced, or removed when the document has none), and its refusals in the
    /// quarantine (open, with their cause).
    fn store_push(&mut self, outcome: &PushOutcome, by: Pusher<'_>, at: &str) -> Result<()>;
    /// Records who a case is assigned to (`None`: no one), on `account`.
    fn set_assignee(&mut self, case: Uuid, account: Uuid, assignee: Option<&str>) -> Result<()>;
    /// The cases assigned to `user`, by case id.
    fn assigned_to(&mut self, user: &str) -> Result<Vec<Assignment>>;
    fn counts(&mut self) -> Result<Counts>;
}

/// The quarantine: refused changes, kept whole until a person applies or discards them
/// (the row stays, as the record of the decision).
pub trait QuarantineRepo {
    /// Refused changes, oldest first: those still open, or all of them.
    fn quarantine(&mut self, open_only: bool) -> Result<Vec<QuarantineEntry>>;
    /// One quarantined change, whole.
    fn quarantined(&mut self, id: i64) -> Result<Option<QuarantinedChange>>;
    /// Records the decision on a quarantined change (applied or discarded), by whom, when.
    fn decide_quarantined(
        &mut self,
        id: i64,
        state: QuarantineState,
        by: &str,
        at: &str,
    ) -> Result<()>;
    /// Records why an open quarantined change, tried again, is still refused.
    fn refused_again(&mut self, id: i64, reason: &str, waiting_for_deps: bool) -> Result<()>;
    /// Marks the open quarantined changes with these hashes applied (they are in the log
    /// now, resent or retried); returns how many.
    fn settle_quarantined(&mut self, hashes: &[&str], by: &str, at: &str) -> Result<u64>;
    /// The open entries of these records refused for missing dependencies, oldest first.
    fn waiting_for_deps(&mut self, docs: &[Uuid]) -> Result<Vec<i64>>;
    /// The hashes of the open quarantined changes a user pushed (from any device: a store
    /// signed in again is another device to the server, and remembers refusals from before).
    fn open_refusals(&mut self, user: &str) -> Result<Vec<String>>;
}

/// Log entries after a position, by what the indexes know of them.
#[derive(Clone, Copy, Debug)]
pub enum LogFilter<'a> {
    /// Every entry but grants and revokes for someone other than this user.
    AllFor(&'a str),
    /// Changes and moves with this owner (the record's owner then, or its new owner).
    Owner(&'a str),
    /// Moves away from this owner.
    OldOwner(&'a str),
    /// Changes of records that belong to no one (products).
    Nobody,
    /// Grants and revokes for this user.
    Grantee(&'a str),
    /// Changes pushed by this device (whoever owns their records).
    Device(Uuid),
    /// Changes and moves of one record (not its grants and revokes).
    Doc(Uuid),
}

/// A change of what a user sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeEvent {
    /// The record became visible to the user.
    Grant,
    /// The record stopped being visible to the user.
    Revoke,
}

/// The change log.
pub trait LogRepo {
    /// The position of the last entry (0 when empty).
    fn log_head(&mut self) -> Result<u64>;
    /// Up to `limit` positions in `after + 1 ..= upto` that match `filter`, in order.
    fn log_seqs(
        &mut self,
        filter: LogFilter<'_>,
        after: u64,
        upto: u64,
        limit: usize,
    ) -> Result<Vec<u64>>;
    /// The entry at `seq`, as `device` pulls it (`own`: the device pushed it).
    fn log_entry(&mut self, seq: u64, device: Uuid) -> Result<Option<LogEntry>>;
    /// Whether any grant or revoke for `grantee` is in `after + 1 ..= upto`.
    fn has_scope_entries(&mut self, grantee: &str, after: u64, upto: u64) -> Result<bool>;
    /// Whether `doc` is granted to `grantee` in `after + 1 ..= upto`.
    fn granted(&mut self, grantee: &str, doc: Uuid, after: u64, upto: u64) -> Result<bool>;
    /// If `doc` moved to another owner after position `after`: the owner it had then (the
    /// old owner of its first move after `after`).
    fn owner_after(&mut self, doc: Uuid, after: u64) -> Result<Option<Option<String>>>;
    /// The identity of this log (a new one after a restore from a backup).
    fn log_id(&mut self) -> Result<Uuid>;
    /// Appends a move of a record from `old` to `new`.
    fn append_owner(&mut self, doc: Uuid, new: &str, old: Option<&str>, at: &str) -> Result<()>;
    /// Appends a grant or revoke of a record (owned by `owner`) for `grantee`.
    fn append_scope(
        &mut self,
        doc: Uuid,
        event: ScopeEvent,
        owner: &str,
        grantee: &str,
        at: &str,
    ) -> Result<()>;
}

/// What `/metrics` shows of the stored data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub docs: u64,
    pub log: u64,
    pub quarantine: u64,
    pub users: u64,
    pub devices: u64,
}
