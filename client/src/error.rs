//! The one error type of the client library. Each case says what went wrong in words any
//! program can show, and carries what a program needs to act on it; none names a command
//! (the command line adds its own hints). [`ClientError::is_bad_input`] separates what the
//! caller gave (fix the input; nothing changed) from failures of the machine, the store
//! or the network.

use fieldbook_core::{CoreError, Kind};
use std::path::PathBuf;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error)]
pub enum ClientError {
    /// A field, value or kind the caller gave (or a document that is not a record).
    #[error(transparent)]
    Core(#[from] CoreError),

    // --- What the caller asked for ---
    #[error("no record has the id `{0}`")]
    NotFound(String),

    #[error("`{0}` matches several records")]
    AmbiguousId(String),

    #[error("{id} is {}, not {}", found.a(), expected.a())]
    WrongKind {
        id: Uuid,
        found: Kind,
        expected: Kind,
    },

    #[error("{field}: {problem}")]
    BadReference { field: String, problem: RefProblem },

    /// A rule across fields or records that the write would break.
    #[error("{0}")]
    Rule(Rule),

    #[error("{} is not a Fieldbook bundle ({why})", path.display())]
    BadBundle { path: PathBuf, why: String },

    /// A document of a bundle failed the checks every value from elsewhere passes; nothing
    /// of the bundle was absorbed.
    #[error("{}: {}; nothing was absorbed", path.display(), refusal(id, source))]
    BundleRefused {
        path: PathBuf,
        id: Uuid,
        source: Box<ClientError>,
    },

    /// A demo book is made from its seed, ids included: the same seed makes the same records.
    #[error("the demo book of seed {seed} is in this store already")]
    DemoAlreadyAdded { seed: u64 },

    #[error("the user name must not be empty")]
    EmptyUserName,

    #[error("`{0}` is not an ISO 4217 currency code")]
    BadCurrency(String),

    #[error("`{0}` is not a server address (it starts with https:// or http://)")]
    BadServerUrl(String),

    #[error("{} holds no PEM certificate: {why}", path.display())]
    BadCaCert { path: PathBuf, why: String },

    /// A spreadsheet that cannot be read as given (encoding, quotes, not a workbook, no
    /// such sheet): the message says what would make it readable.
    #[error("{}: {why}", path.display())]
    UnreadableFile { path: PathBuf, why: String },

    /// No column of an import's file holds a field every record of its kind needs.
    #[error("no column of the file is {} `{field}`; its columns are: {columns}", kind.a())]
    MissingColumn {
        kind: Kind,
        field: String,
        columns: String,
    },

    /// A row that passed the import's checks failed when written (the store changed
    /// meanwhile, or the disk failed): the rows before it are written, in whole batches.
    #[error("the import stopped at line {line} with {written} row(s) written: {source}")]
    ImportStopped {
        line: u64,
        written: u64,
        source: Box<ClientError>,
    },

    /// A merge of two records that cannot be merged (other kinds, the same record, a
    /// record merged already, a kind that is not merged).
    #[error("{0}")]
    NotMergeable(String),

    /// A hand-over that cannot be asked for as given (no one to receive, nothing chosen).
    #[error("{0}")]
    BadHandover(String),

    /// A write to a record this store's user may not write (it belongs to another rep): the
    /// server would refuse it.
    #[error("{id} belongs to {owner}; this store's user {user} (a {role}) may not change it")]
    NotYours {
        id: Uuid,
        owner: String,
        user: String,
        role: String,
    },

    // --- The store ---
    #[error("there is no Fieldbook store in {}", .0.display())]
    NoStore(PathBuf),

    #[error("{} already holds a Fieldbook store", .0.display())]
    AlreadyExists(PathBuf),

    #[error(
        "this store was written by a newer Fieldbook (store schema {found}, this program knows up to {known}); nothing was changed"
    )]
    StoreTooNew { found: i64, known: i64 },

    /// An older store that must be upgraded before use (met only where it cannot be).
    #[error("this store was written by an older Fieldbook and must be upgraded first")]
    StoreTooOld,

    /// The store could be opened for reading only: this user may not write its file or
    /// its directory.
    #[error(
        "the store in {} is read-only for this user (the file or its directory is not writable): {why}",
        dir.display()
    )]
    ReadOnly { dir: PathBuf, why: &'static str },

    #[error("a stored document is damaged ({id}): {source}")]
    Damaged { id: String, source: Box<CoreError> },

    #[error("the store is damaged: {0}")]
    DamagedStore(String),

    /// Another connection wiped this store (a deactivated user's handover, or a reset): it
    /// is gone.
    #[error(
        "this store was wiped (its user was deactivated and its work handed over, or it was reset)"
    )]
    StoreWiped,

    /// The store is encrypted and this process has not unlocked it.
    #[error("the store in {} is encrypted: unlock it with its passphrase", .0.display())]
    Locked(PathBuf),

    /// No OS keyring answers here (no session bus, a headless machine, or turned off).
    #[error(
        "no OS keyring is available here ({0}): the passphrase stays the way to unlock this store"
    )]
    NoKeyring(String),

    #[error("the passphrase does not open this store")]
    WrongPassphrase,

    #[error("a passphrase needs at least {min} characters")]
    WeakPassphrase { min: usize },

    #[error("the store in {} is not encrypted: there is nothing to unlock", .0.display())]
    NotEncrypted(PathBuf),

    /// Re-keying swaps the whole file: no other connection may have it open.
    #[error(
        "the store in {} is open in another program (the app, a sync): close it and try again; nothing was changed",
        .0.display()
    )]
    StoreInUse(PathBuf),

    #[error("the store's database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    // --- The server ---
    #[error("this device is not signed in to a server")]
    NotLoggedIn,

    /// A store belongs to the user it was made for: its records are that user's work.
    #[error("this store belongs to {store_user}; it cannot sign in as {given}")]
    WrongUser { store_user: String, given: String },

    /// A store syncs with the server it first signed in to, and no other.
    #[error("this store syncs with {bound}; it cannot sign in to {given}")]
    WrongServer { bound: String, given: String },

    /// Changes made here that the server has not received would be lost.
    #[error("{count} change(s) made here have not reached the server yet")]
    ChangesWaiting { count: u64 },

    #[error(
        "cannot reach the server at {url} ({why}); nothing is lost: changes stay on this device"
    )]
    Offline { url: String, why: String },

    #[error("the server refused the sign-in or the token ({0})")]
    Unauthorized(String),

    #[error("this user was deactivated")]
    Deactivated,

    /// The server refused a request (or answered what this program cannot read).
    #[error("the server answered {status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },

    #[error("the sync was cancelled; what it finished is kept")]
    Cancelled,

    #[error("the download of pulled pages stopped before the last page")]
    PullInterrupted,
}

/// A bundle's refused record in words: "record ID is refused: WHY" (or "record ID writes
/// ..." for what no edit may do).
fn refusal(id: &Uuid, why: &ClientError) -> String {
    match why {
        ClientError::Core(CoreError::Forbidden(what)) => format!("record {id} {what}"),
        why => format!("record {id} is refused: {why}"),
    }
}

/// What is wrong with a reference to another record.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RefProblem {
    #[error("no record has the id {id}")]
    Missing { id: Uuid, kind: Kind },
    #[error("{id} is {}, not {}", found.a(), expected.a())]
    WrongKind {
        id: Uuid,
        found: Kind,
        expected: Kind,
    },
    #[error("{id} is deleted")]
    Deleted { id: Uuid },
}

/// A rule a write would break. Nothing was changed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Rule {
    #[error("sku `{sku}` is already used by product {by}: SKUs are unique")]
    SkuTaken { sku: String, by: String },
    #[error(
        "a quote line needs a price: a unit_price, or the product_id of a product with a price"
    )]
    LineNeedsPrice,
    #[error("only admins may change the product catalogue; this store's user is {role}")]
    ProductsAreForAdmins { role: String },
    #[error(
        "the product's price is in {product} and the quote is in {quote}: a price is not converted (there are no exchange rates yet)"
    )]
    CurrencyDiffers { product: String, quote: String },
    #[error("the note is empty")]
    EmptyNote,
    #[error("only accounts and leads have notes; this is {}: record it as an activity", .0.a())]
    NotesOnlyOnAccounts(Kind),
    #[error("contact {contact} is not a contact of account {account}")]
    ContactOfAnotherAccount { contact: Uuid, account: Uuid },
    #[error("lead {id} is converted already (into account {account})")]
    AlreadyConverted { id: Uuid, account: Uuid },
    #[error(
        "lead {0} has no company to name its account: give an existing account, or set its company"
    )]
    LeadWithoutCompany(Uuid),
    /// A lead's company may be an account held here already: the caller chooses.
    #[error("{company} may be an account already: {matches}")]
    AccountMayExist { company: String, matches: String },
    #[error("`{0}` is not a reminder due today")]
    UnknownReminder(String),
    #[error("only a renewal reminder makes a renewal opportunity; `{0}` is not one")]
    NotARenewal(String),
    #[error("{0}")]
    BadSetting(String),
    #[error("`{0}` cannot be filtered on: search its text instead")]
    NotFilterable(String),
    #[error("a list cannot be sorted by `{0}`")]
    NotSortable(String),
    #[error("record {id} is {} here but {} in the bundle: not merged", here.a(), incoming.a())]
    KindDiffers {
        id: Uuid,
        here: Kind,
        incoming: Kind,
    },
}

impl ClientError {
    /// Whether the caller caused this by what they gave (exit code 2 on the command line):
    /// nothing was changed, and changing the input fixes it. Everything else is a failure
    /// of the machine, the store or the network (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ClientError::Core(e) => e.is_bad_input(),
            ClientError::NotFound(_)
            | ClientError::AmbiguousId(_)
            | ClientError::WrongKind { .. }
            | ClientError::BadReference { .. }
            | ClientError::Rule(_)
            | ClientError::BadBundle { .. }
            | ClientError::BundleRefused { .. }
            | ClientError::EmptyUserName
            | ClientError::DemoAlreadyAdded { .. }
            | ClientError::BadCurrency(_)
            | ClientError::BadServerUrl(_)
            | ClientError::BadCaCert { .. }
            | ClientError::AlreadyExists(_)
            | ClientError::WrongUser { .. }
            | ClientError::WrongServer { .. }
            | ClientError::ChangesWaiting { .. }
            | ClientError::WrongPassphrase
            | ClientError::WeakPassphrase { .. }
            | ClientError::NotEncrypted(_)
            | ClientError::UnreadableFile { .. }
            | ClientError::MissingColumn { .. }
            | ClientError::NotMergeable(_)
            | ClientError::BadHandover(_)
            | ClientError::NotYours { .. } => true,
            ClientError::ImportStopped { source, .. } => source.is_bad_input(),
            ClientError::Server { status, .. } => (400..500).contains(status),
            ClientError::NoStore(_)
            | ClientError::StoreTooNew { .. }
            | ClientError::StoreTooOld
            | ClientError::ReadOnly { .. }
            | ClientError::Damaged { .. }
            | ClientError::DamagedStore(_)
            | ClientError::StoreWiped
            | ClientError::Locked(_)
            | ClientError::NoKeyring(_)
            | ClientError::StoreInUse(_)
            | ClientError::Sqlite(_)
            | ClientError::Io { .. }
            | ClientError::NotLoggedIn
            | ClientError::Offline { .. }
            | ClientError::Unauthorized(_)
            | ClientError::Deactivated
            | ClientError::Cancelled
            | ClientError::PullInterrupted => false,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ClientError {
        let path = path.into();
        move |source| ClientError::Io { path, source }
    }

    pub(crate) fn damaged(id: Uuid) -> impl FnOnce(CoreError) -> ClientError {
        move |source| ClientError::Damaged {
            id: id.to_string(),
            source: Box::new(source),
        }
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;
