//! The kinds of record Fieldbook keeps. Knows nothing of fields or storage.

use crate::error::CoreError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A kind of record. Its `as_str` name is part of the public contract (CLI, exports, sync).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Account,
    Contact,
    Opportunity,
    Quote,
    Activity,
    Task,
    Product,
    /// A person met at a fair or on a visit, not yet a customer; converted into an account,
    /// a contact and perhaps an opportunity.
    Lead,
    /// A service request (complaint, repair) on an account, assigned to someone to resolve.
    Case,
    /// A user's dismissal or snooze of one reminder: personal (only its owner receives it),
    /// so it follows that user to their other devices and no one else.
    Dismissal,
}

impl Kind {
    /// Every kind, in the order records are created by the demo and listed in exports:
    /// a kind only refers to kinds before it (products come first for quote lines).
    pub const ALL: [Kind; 10] = [
        Kind::Product,
        Kind::Account,
        Kind::Contact,
        Kind::Opportunity,
        Kind::Quote,
        Kind::Activity,
        Kind::Task,
        Kind::Lead,
        Kind::Case,
        Kind::Dismissal,
    ];

    /// Whether records of this kind are one user's own business: the server sends them to
    /// their owner's devices only (not to managers), and lists for people leave them out.
    pub fn is_personal(self) -> bool {
        self == Kind::Dismissal
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Account => "account",
            Kind::Contact => "contact",
            Kind::Opportunity => "opportunity",
            Kind::Quote => "quote",
            Kind::Activity => "activity",
            Kind::Task => "task",
            Kind::Product => "product",
            Kind::Lead => "lead",
            Kind::Case => "case",
            Kind::Dismissal => "dismissal",
        }
    }

    /// The kind with its article, for messages: "an account", "a contact".
    pub fn a(self) -> &'static str {
        match self {
            Kind::Account => "an account",
            Kind::Contact => "a contact",
            Kind::Opportunity => "an opportunity",
            Kind::Quote => "a quote",
            Kind::Activity => "an activity",
            Kind::Task => "a task",
            Kind::Product => "a product",
            Kind::Lead => "a lead",
            Kind::Case => "a case",
            Kind::Dismissal => "a dismissal",
        }
    }

    /// The plural, for counts: "accounts", "opportunities".
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Account => "accounts",
            Kind::Contact => "contacts",
            Kind::Opportunity => "opportunities",
            Kind::Quote => "quotes",
            Kind::Activity => "activities",
            Kind::Task => "tasks",
            Kind::Product => "products",
            Kind::Lead => "leads",
            Kind::Case => "cases",
            Kind::Dismissal => "dismissals",
        }
    }

    /// Parses a kind name; accepts the plural too (`accounts`), since people type it.
    pub fn parse(s: &str) -> Result<Kind, CoreError> {
        let lower = s.trim().to_ascii_lowercase();
        let singular = match lower.as_str() {
            "opportunities" => "opportunity",
            "activities" => "activity",
            other => other.strip_suffix('s').unwrap_or(other),
        };
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower || k.as_str() == singular)
            .ok_or_else(|| CoreError::UnknownKind(s.to_string()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_singular_and_plural() {
        assert_eq!(Kind::parse("account").unwrap(), Kind::Account);
        assert_eq!(Kind::parse("Opportunities").unwrap(), Kind::Opportunity);
        assert_eq!(Kind::parse("activities").unwrap(), Kind::Activity);
        assert_eq!(Kind::parse("cases").unwrap(), Kind::Case);
        assert_eq!(Kind::parse("Leads").unwrap(), Kind::Lead);
        assert!(Kind::parse("widget").is_err());
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()).unwrap(), k);
        }
    }
}
