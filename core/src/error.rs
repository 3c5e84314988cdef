//! The one error type of the core crate. Every case a user can cause says what is wrong in
//! words any program can show; none names a command (a command line adds its own hints).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CoreError {
    #[error(
        "unknown kind `{0}`: use one of account, contact, opportunity, quote, activity, task, product, lead, case"
    )]
    UnknownKind(String),

    #[error("{kind} has no field `{field}`; its fields are: {known}")]
    UnknownField {
        kind: String,
        field: String,
        known: String,
    },

    #[error("`{field}` = `{value}` is not valid: {expected}")]
    InvalidValue {
        field: String,
        value: String,
        expected: String,
    },

    #[error("{kind} needs `{field}`")]
    /// `kind` is written with its article ("a contact").
    MissingRequired { kind: String, field: String },

    #[error("`{field}` cannot be changed here: {why}")]
    NotEditable { field: String, why: String },

    #[error("`{0}` is not of the form field=value")]
    NotAnAssignment(String),

    #[error("this quote has no line `{0}`")]
    UnknownLine(String),

    #[error("`{0}` has no open conflict")]
    NoConflict(String),

    #[error(
        "`{name}` is not a valid {what} name: use 1 to 64 letters, digits, `.`, `_`, `-` or `@` (e.g. alice or east-coast)"
    )]
    InvalidName { what: &'static str, name: String },

    /// A rule across fields (see [`crate::rules`]) that a write would leave broken.
    #[error("{message}")]
    RuleBroken { rule: &'static str, message: String },

    /// A change or document received from elsewhere that does something no edit may do
    /// (rewrite what the record is, reuse another record's id, ...).
    #[error("{0}")]
    Forbidden(String),

    #[error("this document is not a Fieldbook record: {0}")]
    NotARecord(String),

    #[error("automerge: {0}")]
    Automerge(Box<automerge::AutomergeError>),
}

impl From<automerge::AutomergeError> for CoreError {
    fn from(e: automerge::AutomergeError) -> Self {
        CoreError::Automerge(Box::new(e))
    }
}

impl CoreError {
    /// Whether the user caused this error by what they typed (as opposed to a broken document).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, CoreError::NotARecord(_) | CoreError::Automerge(_))
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
