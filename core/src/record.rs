//! A record as plain data, read out of its document, and what is computed from it
//! (effective probability, quote totals). Knows nothing of Automerge or storage.

use crate::kind::Kind;
use crate::money::{self, LineAmounts, QuoteTotals};
use crate::schema::{self, FieldType};
use crate::value::Value;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::str::FromStr;
use uuid::Uuid;

/// One line of a quote.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub line_id: String,
    /// Present line fields (from [`schema::LINE_FIELDS`], without `line_id`), in schema order.
    pub values: Vec<(&'static str, Value)>,
}

impl Line {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    fn decimal(&self, name: &str, default: Decimal) -> Decimal {
        decimal_of(self.get(name)).unwrap_or(default)
    }

    pub fn amounts(&self) -> LineAmounts {
        LineAmounts {
            quantity: self.decimal("quantity", Decimal::ONE),
            unit_price: self.decimal("unit_price", Decimal::ZERO),
            discount_pct: self.decimal("discount_pct", Decimal::ZERO),
        }
    }
}

fn decimal_of(v: Option<&Value>) -> Option<Decimal> {
    match v {
        Some(Value::Str(s)) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

/// A record's current state: the winning value of each field (see [`crate::doc`] for
/// conflicts), and its metadata. `owner` is not here: it is the server's, not the document's.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: Uuid,
    pub kind: Kind,
    /// Present fields in schema order (quote lines are in `lines`).
    pub values: Vec<(&'static str, Value)>,
    pub lines: Vec<Line>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub deleted: bool,
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The value of a string-like field.
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::Str(s) | Value::Notes(s) => Some(s),
            _ => None,
        }
    }

    pub fn decimal(&self, name: &str) -> Option<Decimal> {
        decimal_of(self.get(name))
    }

    /// The id this record refers to through `field`, if set.
    pub fn reference(&self, name: &str) -> Option<Uuid> {
        match self.get(name)? {
            Value::Ref(_, id) => Some(*id),
            _ => None,
        }
    }

    /// What names this record in lists and search results.
    pub fn title(&self) -> String {
        self.str(schema::title_field(self.kind))
            .unwrap_or_default()
            .to_string()
    }

    /// An opportunity's probability: as set, or following its stage.
    pub fn probability(&self) -> Option<i64> {
        if self.kind != Kind::Opportunity {
            return None;
        }
        match self.get("probability") {
            Some(Value::Int(p)) => Some(*p),
            _ => schema::stage_probability(self.str("stage").unwrap_or("lead")),
        }
    }

    /// A quote's totals, rounded to its currency.
    pub fn quote_totals(&self) -> Option<QuoteTotals> {
        if self.kind != Kind::Quote {
            return None;
        }
        let amounts: Vec<LineAmounts> = self.lines.iter().map(Line::amounts).collect();
        let tax = self.decimal("tax_pct").unwrap_or(Decimal::ZERO);
        Some(money::quote_totals(
            &amounts,
            tax,
            self.str("currency").unwrap_or(""),
        ))
    }

    /// The record as the JSON object of the public contract: `id`, `kind`, every field of the
    /// kind (null when unset), computed values, then the metadata.
    pub fn to_json(&self, owner: &str) -> Map<String, Json> {
        let mut m = Map::new();
        m.insert("id".into(), Json::String(self.id.to_string()));
        m.insert("kind".into(), Json::String(self.kind.as_str().into()));
        let totals = self.quote_totals();
        for spec in schema::fields(self.kind) {
            let v = match spec.ty {
                FieldType::Lines => Json::Array(
                    self.lines
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let total = totals.as_ref().and_then(|t| t.line_totals.get(i));
                            Json::Object(line_json(l, total))
                        })
                        .collect(),
                ),
                FieldType::Tags => self
                    .get(spec.name)
                    .map_or(Json::Array(vec![]), Value::to_json),
                FieldType::Notes => self
                    .get(spec.name)
                    .map_or(Json::String(String::new()), Value::to_json),
                _ if spec.name == "probability" => {
                    self.probability().map_or(Json::Null, Json::from)
                }
                _ => self.get(spec.name).map_or(Json::Null, Value::to_json),
            };
            m.insert(schema::output_name(spec).into(), v);
        }
        if let Some(t) = totals {
            m.insert("subtotal".into(), Json::String(t.subtotal.to_string()));
            m.insert("tax".into(), Json::String(t.tax.to_string()));
            m.insert("total".into(), Json::String(t.total.to_string()));
        }
        m.insert("created_at".into(), Json::String(self.created_at.clone()));
        m.insert("updated_at".into(), Json::String(self.updated_at.clone()));
        m.insert("created_by".into(), Json::String(self.created_by.clone()));
        m.insert("updated_by".into(), Json::String(self.updated_by.clone()));
        m.insert("deleted".into(), Json::Bool(self.deleted));
        m.insert("owner".into(), Json::String(owner.to_string()));
        m
    }
}

fn line_json(line: &Line, total: Option<&Decimal>) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("line_id".into(), Json::String(line.line_id.clone()));
    for spec in &schema::LINE_FIELDS[1..] {
        m.insert(
            spec.name.into(),
            line.get(spec.name).map_or(Json::Null, Value::to_json),
        );
    }
    m.insert(
        "total".into(),
        total.map_or(Json::Null, |t| Json::String(t.to_string())),
    );
    m
}
