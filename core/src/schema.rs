//! The field contract of every kind: names, types, what is required, what may be edited.
//!
//! This table is the single source of truth for field names: the CLI, the projection
//! tables, exports and (later) the sync server and the app all read it. It knows nothing
//! of Automerge or storage.

use crate::kind::Kind;

/// The field linking a merged record to the record it was merged into (see
/// [`merged_into_field`]).
pub const MERGED_INTO: &str = "merged_into";

/// Opportunity stages, in pipeline order.
pub const STAGES: &[&str] = &[
    "lead",
    "qualified",
    "proposal",
    "negotiation",
    "won",
    "lost",
];
/// Stages of deals still in play.
pub const OPEN_STAGES: &[&str] = &["lead", "qualified", "proposal", "negotiation"];
pub const QUOTE_STATUSES: &[&str] = &["draft", "sent", "accepted", "rejected", "expired"];
pub const ACTIVITY_KINDS: &[&str] = &["visit", "call", "meeting", "email", "note"];
/// Where a lead came from.
pub const LEAD_SOURCES: &[&str] = &["fair", "referral", "web", "visit", "call", "other"];
/// A lead's way, in order: worked on, then qualified or disqualified, then converted.
pub const LEAD_STATUSES: &[&str] = &["new", "contacted", "qualified", "disqualified", "converted"];
/// A case's priority, lowest first.
pub const CASE_PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];
/// A case's way, in order.
pub const CASE_STATUSES: &[&str] = &[
    "new",
    "in_progress",
    "waiting_on_customer",
    "resolved",
    "closed",
];
/// Statuses of cases still waiting for someone to resolve them.
pub const OPEN_CASE_STATUSES: &[&str] = &["new", "in_progress", "waiting_on_customer"];

/// Days from a case's creation to its default due date, by priority (a store may set
/// others).
pub fn case_due_days(priority: &str) -> Option<i64> {
    Some(match priority {
        "urgent" => 1,
        "high" => 3,
        "normal" => 7,
        "low" => 14,
        _ => return None,
    })
}

/// The probability (percent) an opportunity has at a stage unless set explicitly.
pub fn stage_probability(stage: &str) -> Option<i64> {
    Some(match stage {
        "lead" => 10,
        "qualified" => 25,
        "proposal" => 50,
        "negotiation" => 75,
        "won" => 100,
        "lost" => 0,
        _ => return None,
    })
}

/// How a field's value is written, checked and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A short single-line string.
    Text,
    /// A longer free text, replaced as a whole (activity bodies).
    LongText,
    /// Collaborative text (Automerge `Text`): concurrent additions interleave.
    Notes,
    /// An e-mail address (must contain `@`).
    Email,
    /// A web address: `example.com`, `www.example.com/about`, or an `http(s)://` URL; no
    /// other scheme (`javascript:`, `data:`, `file:`) is accepted.
    Url,
    /// A decimal number (money, quantities), kept as its exact decimal string.
    Decimal,
    /// A decimal percentage between 0 and 100.
    Percent,
    /// An ISO 4217 currency code.
    Currency,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A moment, RFC 3339, stored in UTC.
    DateTime,
    /// A whole number within bounds.
    Int {
        min: i64,
        max: i64,
    },
    /// A coordinate in degrees within bounds.
    Coordinate {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
    /// The id of a record of the given kind.
    Ref(Kind),
    /// A list of short strings (a JSON array, or comma-separated on the command line).
    Tags,
    /// The lines of a quote; edited only through the quote-line operations.
    Lines,
    /// A user name (task assignee).
    User,
}

/// Whether and how a field may be changed after the record exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// `set`/`unset` freely.
    Free,
    /// Given at creation only; changing it is a deliberate operation, not a field edit
    /// (moving a contact to another account).
    CreateOnly,
    /// Assigned by Fieldbook (quote numbers); never given by the user.
    Assigned,
    /// Changed through dedicated operations only (quote lines; a lead's links to what it
    /// was converted into).
    Dedicated,
    /// Written once by a merge, on a record that had no value yet (`merged_into`); never
    /// given by the user, never changed once written.
    Merge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    pub edit: Edit,
}

const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
        edit: Edit::Free,
    }
}
const fn req(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: true,
        edit: Edit::Free,
    }
}
/// The record this one was merged into (a duplicate) or continues as (a child moved to the
/// record its parent was merged into). Written once, by a merge; the record is deleted then.
const fn merged_into(kind: Kind) -> FieldSpec {
    FieldSpec {
        name: MERGED_INTO,
        ty: FieldType::Ref(kind),
        required: false,
        edit: Edit::Merge,
    }
}
const fn parent(name: &'static str, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        ty: FieldType::Ref(kind),
        required: true,
        edit: Edit::CreateOnly,
    }
}

/// A link written by a dedicated operation (converting a lead), never by `set`.
const fn dedicated(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
        edit: Edit::Dedicated,
    }
}

const ACCOUNT: &[FieldSpec] = &[
    req("name", FieldType::Text),
    f("industry", FieldType::Text),
    f("phone", FieldType::Text),
    f("email", FieldType::Email),
    f("website", FieldType::Url),
    f("address", FieldType::Text),
    f("city", FieldType::Text),
    f("country", FieldType::Text),
    f("tags", FieldType::Tags),
    f("notes", FieldType::Notes),
    f("parent_id", FieldType::Ref(Kind::Account)),
    merged_into(Kind::Account),
    // Days before a renewal date its reminder starts, for this account (unset: the
    // store's default, 60).
    f("renewal_days", FieldType::Int { min: 0, max: 3650 }),
];

const CONTACT: &[FieldSpec] = &[
    parent("account_id", Kind::Account),
    req("name", FieldType::Text),
    f("title", FieldType::Text),
    f("email", FieldType::Email),
    f("phone", FieldType::Text),
    f("role", FieldType::Text),
    merged_into(Kind::Contact),
];

const OPPORTUNITY: &[FieldSpec] = &[
    parent("account_id", Kind::Account),
    req("name", FieldType::Text),
    f("stage", FieldType::Enum(STAGES)),
    f("amount", FieldType::Decimal),
    f("currency", FieldType::Currency),
    f("close_date", FieldType::Date),
    f("probability", FieldType::Int { min: 0, max: 100 }),
    f("next_step", FieldType::Text),
    f("loss_reason", FieldType::Text),
    merged_into(Kind::Opportunity),
    // When a contract or warranty ends: a renewal reminder starts some days before.
    f("renewal_date", FieldType::Date),
    // The deal this one renews (made by the renewal reminder's action).
    FieldSpec {
        name: "renews_id",
        ty: FieldType::Ref(Kind::Opportunity),
        required: false,
        edit: Edit::CreateOnly,
    },
];

const QUOTE: &[FieldSpec] = &[
    parent("opportunity_id", Kind::Opportunity),
    FieldSpec {
        name: "number",
        ty: FieldType::Text,
        required: false,
        edit: Edit::Assigned,
    },
    f("currency", FieldType::Currency),
    f("valid_until", FieldType::Date),
    f("status", FieldType::Enum(QUOTE_STATUSES)),
    f("tax_pct", FieldType::Percent),
    FieldSpec {
        name: "lines",
        ty: FieldType::Lines,
        required: false,
        edit: Edit::Dedicated,
    },
    merged_into(Kind::Quote),
];

const ACTIVITY: &[FieldSpec] = &[
    parent("account_id", Kind::Account),
    f("kind", FieldType::Enum(ACTIVITY_KINDS)),
    f("subject", FieldType::Text),
    f("body", FieldType::LongText),
    f("at", FieldType::DateTime),
    f("contact_id", FieldType::Ref(Kind::Contact)),
    f("opportunity_id", FieldType::Ref(Kind::Opportunity)),
    f("lat", FieldType::Coordinate { min: -90, max: 90 }),
    f(
        "lon",
        FieldType::Coordinate {
            min: -180,
            max: 180,
        },
    ),
    merged_into(Kind::Activity),
];

const TASK: &[FieldSpec] = &[
    req("title", FieldType::Text),
    f("due", FieldType::Date),
    f("account_id", FieldType::Ref(Kind::Account)),
    f("opportunity_id", FieldType::Ref(Kind::Opportunity)),
    f("done", FieldType::Bool),
    f("assignee", FieldType::User),
];

const PRODUCT: &[FieldSpec] = &[
    req("sku", FieldType::Text),
    f("name", FieldType::Text),
    f("unit_price", FieldType::Decimal),
    f("currency", FieldType::Currency),
];

const LEAD: &[FieldSpec] = &[
    req("name", FieldType::Text),
    f("company", FieldType::Text),
    f("title", FieldType::Text),
    f("phone", FieldType::Text),
    f("email", FieldType::Email),
    f("source", FieldType::Enum(LEAD_SOURCES)),
    f("status", FieldType::Enum(LEAD_STATUSES)),
    f("disqualify_reason", FieldType::Text),
    f("notes", FieldType::Notes),
    // What the lead became, written when it is converted.
    dedicated("account_id", FieldType::Ref(Kind::Account)),
    dedicated("contact_id", FieldType::Ref(Kind::Contact)),
    dedicated("opportunity_id", FieldType::Ref(Kind::Opportunity)),
    dedicated("converted_at", FieldType::DateTime),
];

const CASE: &[FieldSpec] = &[
    parent("account_id", Kind::Account),
    f("contact_id", FieldType::Ref(Kind::Contact)),
    req("subject", FieldType::Text),
    f("description", FieldType::LongText),
    f("priority", FieldType::Enum(CASE_PRIORITIES)),
    f("status", FieldType::Enum(CASE_STATUSES)),
    f("assignee", FieldType::User),
    f("due", FieldType::Date),
    f("resolution", FieldType::LongText),
    // When it was resolved (or closed), for the time to resolve.
    f("resolved_at", FieldType::DateTime),
    // A case carried over to the kept account when its account was merged.
    merged_into(Kind::Case),
];

const DISMISSAL: &[FieldSpec] = &[
    // The reminder's stable key (`renewal:DEAL`, `reorder:ACCOUNT:DAY`, `case:CASE`).
    FieldSpec {
        name: "key",
        ty: FieldType::Text,
        required: true,
        edit: Edit::CreateOnly,
    },
    // Snoozed until this day; unset: dismissed for good.
    f("until", FieldType::Date),
];

/// The fields of one quote line (`line_id` is assigned).
pub const LINE_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "line_id",
        ty: FieldType::Text,
        required: false,
        edit: Edit::Assigned,
    },
    f("description", FieldType::Text),
    f("product_id", FieldType::Ref(Kind::Product)),
    f("quantity", FieldType::Decimal),
    f("unit_price", FieldType::Decimal),
    f("discount_pct", FieldType::Percent),
];

/// The metadata every record shows besides its fields (all read-only).
pub const META_FIELDS: &[&str] = &[
    "id",
    "kind",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted",
    "owner",
];

/// The fields of a kind, in display order.
pub fn fields(kind: Kind) -> &'static [FieldSpec] {
    match kind {
        Kind::Account => ACCOUNT,
        Kind::Contact => CONTACT,
        Kind::Opportunity => OPPORTUNITY,
        Kind::Quote => QUOTE,
        Kind::Activity => ACTIVITY,
        Kind::Task => TASK,
        Kind::Product => PRODUCT,
        Kind::Lead => LEAD,
        Kind::Case => CASE,
        Kind::Dismissal => DISMISSAL,
    }
}

/// The kind's `merged_into` field, if records of the kind can be merged or moved by a merge
/// (accounts and contacts; the opportunities, quotes and activities that move with them).
pub fn merged_into_field(kind: Kind) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|f| f.name == MERGED_INTO)
}

/// The field of a kind with this name (or its output name, see [`output_name`]), if any.
pub fn field(kind: Kind, name: &str) -> Option<&'static FieldSpec> {
    fields(kind)
        .iter()
        .find(|f| f.name == name || output_name(f) == name)
}

/// The name a field has in JSON output. Every record shows its record kind as `kind`, so the
/// activity's own `kind` field (visit, call, ...) is shown as `activity_kind`; both names are
/// accepted on input.
pub fn output_name(spec: &FieldSpec) -> &'static str {
    if spec.name == "kind" {
        "activity_kind"
    } else {
        spec.name
    }
}

/// The field that names a record of this kind in lists and search results.
pub fn title_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Account | Kind::Contact | Kind::Opportunity | Kind::Product | Kind::Lead => "name",
        Kind::Quote => "number",
        Kind::Activity | Kind::Case => "subject",
        Kind::Task => "title",
        Kind::Dismissal => "key",
    }
}

/// The record this one belongs to (for a child of an account, the account), if any.
pub fn parent_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Contact | Kind::Opportunity | Kind::Activity | Kind::Case => Some("account_id"),
        Kind::Quote => Some("opportunity_id"),
        Kind::Task => Some("account_id"),
        Kind::Account | Kind::Product | Kind::Lead | Kind::Dismissal => None,
    }
}

/// Values a field takes when a new record does not give one (besides computed ones).
pub fn static_default(kind: Kind, field: &str) -> Option<&'static str> {
    match (kind, field) {
        (Kind::Opportunity, "stage") => Some("lead"),
        (Kind::Quote, "status") => Some("draft"),
        (Kind::Quote, "tax_pct") => Some("0"),
        (Kind::Activity, "kind") => Some("note"),
        (Kind::Task, "done") => Some("false"),
        (Kind::Lead, "status") => Some("new"),
        (Kind::Case, "priority") => Some("normal"),
        (Kind::Case, "status") => Some("new"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_unique_snake_case_and_not_meta() {
        for kind in Kind::ALL {
            let names: Vec<_> = fields(kind).iter().map(|f| f.name).collect();
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{kind}");
            for n in names {
                assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
                let out = output_name(field(kind, n).unwrap());
                assert!(!META_FIELDS.contains(&out), "{out}");
            }
        }
    }

    #[test]
    fn every_case_priority_has_due_days() {
        for p in CASE_PRIORITIES {
            assert!(case_due_days(p).is_some(), "{p}");
        }
        assert_eq!(case_due_days("urgent"), Some(1));
        assert_eq!(case_due_days("low"), Some(14));
        assert!(OPEN_CASE_STATUSES.iter().all(|s| CASE_STATUSES.contains(s)));
    }

    #[test]
    fn every_stage_has_a_probability() {
        for s in STAGES {
            assert!(stage_probability(s).is_some());
        }
    }
}
