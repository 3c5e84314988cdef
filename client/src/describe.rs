//! The field contract of every kind (`fieldbook_core::schema`) as plain data, for programs
//! that build their forms, columns and pickers from it instead of retyping names: kinds,
//! fields with their types and whether they may be edited, stages, activity kinds, quote
//! statuses. Knows nothing of storage.

use fieldbook_core::Kind;
use fieldbook_core::schema::{self, Edit, FieldSpec, FieldType};
use serde::{Deserialize, Serialize};

/// What a field holds and how it is entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Notes,
    Email,
    Url,
    /// An exact decimal (money, quantities), entered and shown as a decimal string.
    Decimal,
    /// A percentage between 0 and 100, as a decimal string.
    Percent,
    Currency,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339.
    DateTime,
    Int {
        min: i64,
        max: i64,
    },
    Coordinate {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of `values`.
    Enum {
        values: Vec<String>,
    },
    /// The id of a record of `kind`.
    Ref {
        kind: Kind,
    },
    Tags,
    Lines,
    User,
}

/// One field of a kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldInfo {
    /// The name records carry it under (an activity's `kind` is `activity_kind`).
    pub name: String,
    pub kind: FieldKind,
    pub required: bool,
    /// Whether an update may set it (not: given at creation only, assigned, or edited
    /// through its own operations).
    pub editable: bool,
}

/// The fields of one kind, in display order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KindInfo {
    pub kind: Kind,
    /// The field that names a record of this kind.
    pub title_field: String,
    pub fields: Vec<FieldInfo>,
    /// A user's own records (dismissed reminders): only their devices receive them, and
    /// screens that list records for people leave them out.
    pub personal: bool,
}

/// The whole contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SchemaInfo {
    pub kinds: Vec<KindInfo>,
    /// Opportunity stages in pipeline order, and those still in play.
    pub stages: Vec<String>,
    pub open_stages: Vec<String>,
    pub activity_kinds: Vec<String>,
    pub quote_statuses: Vec<String>,
    /// A case's statuses while it is still to be worked on (an open case past its due day
    /// is overdue).
    pub open_case_statuses: Vec<String>,
    /// The fields of a quote line.
    pub line_fields: Vec<FieldInfo>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn field_kind(ty: FieldType) -> FieldKind {
    match ty {
        FieldType::Text => FieldKind::Text,
        FieldType::LongText => FieldKind::LongText,
        FieldType::Notes => FieldKind::Notes,
        FieldType::Email => FieldKind::Email,
        FieldType::Url => FieldKind::Url,
        FieldType::Decimal => FieldKind::Decimal,
        FieldType::Percent => FieldKind::Percent,
        FieldType::Currency => FieldKind::Currency,
        FieldType::Date => FieldKind::Date,
        FieldType::DateTime => FieldKind::DateTime,
        FieldType::Int { min, max } => FieldKind::Int { min, max },
        FieldType::Coordinate { min, max } => FieldKind::Coordinate { min, max },
        FieldType::Bool => FieldKind::Bool,
        FieldType::Enum(values) => FieldKind::Enum {
            values: strings(values),
        },
        FieldType::Ref(kind) => FieldKind::Ref { kind },
        FieldType::Tags => FieldKind::Tags,
        FieldType::Lines => FieldKind::Lines,
        FieldType::User => FieldKind::User,
    }
}

fn field_info(spec: &FieldSpec) -> FieldInfo {
    FieldInfo {
        name: schema::output_name(spec).to_string(),
        kind: field_kind(spec.ty),
        required: spec.required,
        editable: spec.edit == Edit::Free,
    }
}

/// The field contract of every kind.
pub fn schema_info() -> SchemaInfo {
    SchemaInfo {
        kinds: Kind::ALL
            .iter()
            .map(|&kind| KindInfo {
                kind,
                title_field: schema::title_field(kind).to_string(),
                fields: schema::fields(kind).iter().map(field_info).collect(),
                personal: kind.is_personal(),
            })
            .collect(),
        stages: strings(schema::STAGES),
        open_stages: strings(schema::OPEN_STAGES),
        activity_kinds: strings(schema::ACTIVITY_KINDS),
        quote_statuses: strings(schema::QUOTE_STATUSES),
        open_case_statuses: strings(schema::OPEN_CASE_STATUSES),
        line_fields: schema::LINE_FIELDS.iter().map(field_info).collect(),
    }
}
