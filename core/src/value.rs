//! Turning what a person typed (`field=value`) into a checked, canonical value.
//!
//! Canonical forms are part of the contract: decimals as exact decimal strings, dates
//! `YYYY-MM-DD`, times RFC 3339 in UTC, lists as JSON arrays. Knows nothing of Automerge
//! or storage; the caller checks that references name existing records.

use crate::error::{CoreError, Result};
use crate::kind::Kind;
use crate::money;
use crate::names;
use crate::schema::{FieldSpec, FieldType};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::str::FromStr;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// The most integer digits a money amount or quantity may have: beyond it is a typo, and
/// quantity × price of two such numbers still fits exactly in a decimal.
const MAX_INTEGER_DIGITS: u32 = 12;
const MAX_DECIMAL_PLACES: u32 = 6;

/// A checked field value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Every string-like type, in its canonical form (text, e-mail, decimal, date, ...).
    Str(String),
    /// A reference to a record of `kind`.
    Ref(Kind, Uuid),
    Int(i64),
    Float(f64),
    Bool(bool),
    Tags(Vec<String>),
    /// The whole text of a collaborative notes field.
    Notes(String),
}

impl Value {
    /// The value as it appears in JSON output.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Str(s) | Value::Notes(s) => Json::String(s.clone()),
            Value::Ref(_, id) => Json::String(id.to_string()),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Bool(b) => Json::Bool(*b),
            Value::Tags(t) => Json::Array(t.iter().cloned().map(Json::String).collect()),
        }
    }
}

impl From<Value> for FieldValue {
    fn from(v: Value) -> FieldValue {
        match v {
            Value::Str(s) | Value::Notes(s) => FieldValue::Text(s),
            Value::Ref(_, id) => FieldValue::Text(id.to_string()),
            Value::Int(i) => FieldValue::Int(i),
            Value::Float(f) => FieldValue::Float(f),
            Value::Bool(b) => FieldValue::Bool(b),
            Value::Tags(t) => FieldValue::Tags(t),
        }
    }
}

/// A field's value as a program gives and receives it: the JSON types of the record
/// contract. Decimals (money, quantities, percentages) are exact decimal strings, dates
/// `YYYY-MM-DD`, times RFC 3339 strings, references record ids as strings, tags a list.
/// Plain serde data (serialized untagged: `true`, `3`, `2.5`, `"text"`, `["a", "b"]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Int(i64),
    /// Coordinates only; money is never a float.
    Float(f64),
    Text(String),
    Tags(Vec<String>),
}

impl FieldValue {
    /// The value as JSON (what the record contract shows).
    pub fn to_json(&self) -> Json {
        match self {
            FieldValue::Bool(b) => Json::Bool(*b),
            FieldValue::Int(i) => Json::from(*i),
            FieldValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number)
            }
            FieldValue::Text(s) => Json::String(s.clone()),
            FieldValue::Tags(t) => Json::Array(t.iter().cloned().map(Json::String).collect()),
        }
    }

    /// A value of the record contract's JSON; `None` for null. A value of another shape
    /// (never written by Fieldbook) is kept as its JSON text.
    pub fn from_json(json: &Json) -> Option<FieldValue> {
        Some(match json {
            Json::Null => return None,
            Json::Bool(b) => FieldValue::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => FieldValue::Int(i),
                None => FieldValue::Float(n.as_f64().unwrap_or(0.0)),
            },
            Json::String(s) => FieldValue::Text(s.clone()),
            Json::Array(items) if items.iter().all(Json::is_string) => FieldValue::Tags(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
            ),
            other => FieldValue::Text(other.to_string()),
        })
    }
}

/// Checks a typed value for a field: the same rules and canonical forms as [`parse`] (an
/// empty text clears the field, as in `parse`), and the value must have the field's JSON
/// type (a decimal may be given as a whole number, a coordinate as either number).
pub fn check(spec: &FieldSpec, value: &FieldValue, now: OffsetDateTime) -> Result<Option<Value>> {
    let text = match (spec.ty, value) {
        (FieldType::Bool, FieldValue::Bool(b)) => b.to_string(),
        (FieldType::Int { .. } | FieldType::Coordinate { .. }, FieldValue::Int(i)) => i.to_string(),
        (FieldType::Coordinate { .. }, FieldValue::Float(f)) => f.to_string(),
        (FieldType::Decimal | FieldType::Percent, FieldValue::Int(i)) => i.to_string(),
        (FieldType::Tags, FieldValue::Tags(t)) => Json::from(t.clone()).to_string(),
        (FieldType::Lines, _) => return Err(lines_not_editable(spec)),
        (
            FieldType::Text
            | FieldType::LongText
            | FieldType::Notes
            | FieldType::Email
            | FieldType::Url
            | FieldType::Decimal
            | FieldType::Percent
            | FieldType::Currency
            | FieldType::Date
            | FieldType::DateTime
            | FieldType::Enum(_)
            | FieldType::Ref(_)
            | FieldType::User,
            FieldValue::Text(s),
        ) => s.clone(),
        (ty, other) => {
            return Err(invalid(
                spec,
                &other.to_json().to_string(),
                expected_type(ty),
            ));
        }
    };
    parse(spec, &text, now)
}

fn lines_not_editable(spec: &FieldSpec) -> CoreError {
    CoreError::NotEditable {
        field: spec.name.to_string(),
        why: "quote lines are changed line by line (add, set, remove a line)".into(),
    }
}

/// What JSON type a field takes, for an error about a value of another.
fn expected_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Bool => "true or false",
        FieldType::Int { .. } => "a whole number",
        FieldType::Coordinate { .. } => "a number of degrees",
        FieldType::Decimal | FieldType::Percent => "a decimal number as a string, e.g. \"1234.50\"",
        FieldType::Tags => "a list of strings",
        _ => "a string",
    }
}

/// Splits `field=value` at the first `=`.
pub fn parse_assignment(arg: &str) -> Result<(&str, &str)> {
    match arg.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => Ok((field.trim(), value)),
        _ => Err(CoreError::NotAnAssignment(arg.to_string())),
    }
}

fn invalid(spec: &FieldSpec, raw: &str, expected: impl Into<String>) -> CoreError {
    CoreError::InvalidValue {
        field: spec.name.to_string(),
        value: raw.to_string(),
        expected: expected.into(),
    }
}

/// Parses a typed-in value for a field. `Ok(None)` means the value is empty (the field is
/// to be cleared). `now` is used for the word `now` in date-time fields.
pub fn parse(spec: &FieldSpec, raw: &str, now: OffsetDateTime) -> Result<Option<Value>> {
    if spec.ty != FieldType::Notes && raw.trim().is_empty() {
        return Ok(None);
    }
    let t = raw.trim();
    // Control characters (escape sequences among them) have no place in a field: they would
    // reach terminals and screens as commands. Long texts keep line breaks and tabs.
    let multiline = matches!(spec.ty, FieldType::LongText | FieldType::Notes);
    if raw
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(invalid(
            spec,
            &raw.escape_default().to_string(),
            "text without control characters (such as terminal escape sequences)",
        ));
    }
    let v = match spec.ty {
        FieldType::Text => Value::Str(t.to_string()),
        FieldType::User => {
            if !names::is_valid(t) {
                return Err(invalid(
                    spec,
                    raw,
                    "a user name: 1 to 64 letters, digits, `.`, `_`, `-` or `@`",
                ));
            }
            Value::Str(t.to_string())
        }
        FieldType::LongText => Value::Str(raw.to_string()),
        FieldType::Notes => Value::Notes(raw.to_string()),
        FieldType::Url => {
            if !is_web_address(t) {
                return Err(invalid(
                    spec,
                    raw,
                    "a web address such as example.com or https://example.com/about",
                ));
            }
            Value::Str(t.to_string())
        }
        FieldType::Email => {
            let ok = t
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                && !t.contains(char::is_whitespace);
            if !ok {
                return Err(invalid(
                    spec,
                    raw,
                    "an e-mail address like name@example.com",
                ));
            }
            Value::Str(t.to_string())
        }
        FieldType::Decimal => Value::Str(parse_decimal(spec, t)?.to_string()),
        FieldType::Percent => {
            let d = parse_decimal(spec, t.trim_end_matches('%'))?;
            if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
                return Err(invalid(spec, raw, "a percentage from 0 to 100, e.g. 12.5"));
            }
            Value::Str(d.to_string())
        }
        FieldType::Currency => {
            let code = t.to_ascii_uppercase();
            if !money::is_currency(&code) {
                return Err(invalid(
                    spec,
                    raw,
                    "an ISO 4217 currency code such as EUR, USD, CNY",
                ));
            }
            Value::Str(code)
        }
        FieldType::Date => {
            Value::Str(format_date(parse_date(t).ok_or_else(|| {
                invalid(spec, raw, "a date written YYYY-MM-DD, e.g. 2026-12-31")
            })?))
        }
        FieldType::DateTime => {
            let at = if t.eq_ignore_ascii_case("now") {
                now
            } else {
                OffsetDateTime::parse(t, &Rfc3339).map_err(|_| {
                    invalid(
                        spec,
                        raw,
                        "a time in RFC 3339, e.g. 2026-11-23T14:30:00Z, or `now`",
                    )
                })?
            };
            Value::Str(format_datetime(at))
        }
        FieldType::Int { min, max } => {
            let i: i64 = t
                .parse()
                .map_err(|_| invalid(spec, raw, format!("a whole number from {min} to {max}")))?;
            if i < min || i > max {
                return Err(invalid(
                    spec,
                    raw,
                    format!("a whole number from {min} to {max}"),
                ));
            }
            Value::Int(i)
        }
        FieldType::Coordinate { min, max } => {
            let f: f64 = t.parse().map_err(|_| {
                invalid(
                    spec,
                    raw,
                    format!("degrees from {min} to {max}, e.g. 36.0671"),
                )
            })?;
            if !f.is_finite() || f < min as f64 || f > max as f64 {
                return Err(invalid(spec, raw, format!("degrees from {min} to {max}")));
            }
            Value::Float(f)
        }
        FieldType::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ => return Err(invalid(spec, raw, "true or false")),
        },
        FieldType::Enum(options) => {
            let lower = t.to_ascii_lowercase();
            match options.iter().find(|o| **o == lower) {
                Some(o) => Value::Str((*o).to_string()),
                None => return Err(invalid(spec, raw, format!("one of {}", options.join(", ")))),
            }
        }
        FieldType::Ref(kind) => {
            let id = Uuid::parse_str(t)
                .map_err(|_| invalid(spec, raw, format!("the id of a {kind}")))?;
            Value::Ref(kind, id)
        }
        FieldType::Tags => Value::Tags(parse_tags(spec, raw)?),
        FieldType::Lines => return Err(lines_not_editable(spec)),
    };
    Ok(Some(v))
}

fn parse_decimal(spec: &FieldSpec, t: &str) -> Result<Decimal> {
    let d = Decimal::from_str(t)
        .ok()
        .filter(|_| !t.contains(['e', 'E']))
        .ok_or_else(|| invalid(spec, t, "a decimal number written with a dot, e.g. 1234.50"))?;
    if d.scale() > MAX_DECIMAL_PLACES {
        return Err(invalid(
            spec,
            t,
            format!("at most {MAX_DECIMAL_PLACES} decimal places"),
        ));
    }
    let integer_digits = d.trunc().abs().to_string().trim_start_matches('0').len() as u32;
    if integer_digits > MAX_INTEGER_DIGITS {
        return Err(invalid(
            spec,
            t,
            format!("at most {MAX_INTEGER_DIGITS} digits before the dot"),
        ));
    }
    Ok(d)
}

/// Whether `t` is a web address a browser may open: a host (with an optional port and path)
/// or an `http://`/`https://` URL. Anything with another scheme (`javascript:alert(1)`,
/// `data:...`, `file:///...`) is not.
fn is_web_address(t: &str) -> bool {
    if t.is_empty() || t.len() > 2048 || t.contains(char::is_whitespace) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        lower.as_str()
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // `host:port` is a host; `word:anything-else` is a scheme, and only http(s) is allowed.
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return false,
        None => authority,
    };
    !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn parse_tags(spec: &FieldSpec, raw: &str) -> Result<Vec<String>> {
    let t = raw.trim();
    let items: Vec<String> = if t.starts_with('[') {
        serde_json::from_str::<Vec<String>>(t).map_err(|_| {
            invalid(
                spec,
                raw,
                "a JSON array of strings, or words separated by commas",
            )
        })?
    } else {
        t.split(',').map(str::to_string).collect()
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim().to_string();
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

pub fn format_date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:30:00Z`.
pub fn format_datetime(at: OffsetDateTime) -> String {
    let at = at
        .to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

/// A time given as milliseconds since the epoch, formatted as [`format_datetime`].
pub fn format_millis(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(format_datetime)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::field;

    fn p(kind: Kind, f: &str, raw: &str) -> Result<Option<Value>> {
        parse(field(kind, f).unwrap(), raw, OffsetDateTime::UNIX_EPOCH)
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            p(Kind::Opportunity, "amount", " 1200.50 ").unwrap(),
            Some(Value::Str("1200.50".into()))
        );
        assert_eq!(
            p(Kind::Opportunity, "currency", "eur").unwrap(),
            Some(Value::Str("EUR".into()))
        );
        assert_eq!(
            p(Kind::Opportunity, "stage", "Won").unwrap(),
            Some(Value::Str("won".into()))
        );
        assert_eq!(
            p(Kind::Opportunity, "probability", "40").unwrap(),
            Some(Value::Int(40))
        );
        assert_eq!(
            p(Kind::Activity, "at", "2026-11-23T15:30:00+01:00").unwrap(),
            Some(Value::Str("2026-11-23T14:30:00Z".into()))
        );
        assert_eq!(
            p(Kind::Task, "done", "yes").unwrap(),
            Some(Value::Bool(true))
        );
        assert_eq!(
            p(Kind::Account, "tags", "key, renewal,key").unwrap(),
            Some(Value::Tags(vec!["key".into(), "renewal".into()]))
        );
        assert_eq!(
            p(Kind::Account, "tags", r#"["a,b","c"]"#).unwrap(),
            Some(Value::Tags(vec!["a,b".into(), "c".into()]))
        );
        assert_eq!(p(Kind::Account, "phone", "  ").unwrap(), None);
    }

    #[test]
    fn rejects_wrong_forms_with_a_hint() {
        for (k, f, raw) in [
            (Kind::Opportunity, "amount", "12,50"),
            (Kind::Opportunity, "amount", "1e5"),
            (Kind::Opportunity, "amount", "1234567890123456"),
            (Kind::Opportunity, "currency", "EURO"),
            (Kind::Opportunity, "stage", "closed"),
            (Kind::Opportunity, "probability", "101"),
            (Kind::Opportunity, "close_date", "2026-13-01"),
            (Kind::Opportunity, "close_date", "23/11/2026"),
            (Kind::Contact, "email", "bob"),
            (Kind::Contact, "account_id", "not-an-id"),
            (Kind::Quote, "tax_pct", "120"),
            (Kind::Activity, "lat", "91"),
            (Kind::Task, "done", "maybe"),
            (Kind::Account, "website", "javascript:alert(1)"),
            (Kind::Account, "website", "JavaScript:alert(1)"),
            (Kind::Account, "website", "data:text/html,<b>x</b>"),
            (Kind::Account, "website", "file:///etc/passwd"),
            (Kind::Account, "website", "https://"),
            (Kind::Account, "website", "exa mple.com"),
            (Kind::Account, "name", "Acme\u{1b}[2J"),
            (Kind::Account, "name", "Acme\nGmbH"),
            (Kind::Activity, "body", "ok\u{7}bell"),
            (Kind::Task, "assignee", "two words"),
        ] {
            let err = p(k, f, raw).unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidValue { .. }),
                "{f}={raw}: {err}"
            );
            assert!(err.to_string().contains(f), "{err}");
        }
        assert!(matches!(
            p(Kind::Quote, "lines", "x"),
            Err(CoreError::NotEditable { .. })
        ));
    }

    #[test]
    fn web_addresses_and_multiline_texts() {
        for ok in [
            "example.com",
            "www.example.com/about?x=1",
            "https://example.com",
            "HTTP://Example.com:8080/a",
            "localhost:8080",
            "青岛啤酒.中国",
        ] {
            assert!(p(Kind::Account, "website", ok).is_ok(), "{ok}");
        }
        assert_eq!(
            p(Kind::Activity, "body", "line 1\n\tline 2").unwrap(),
            Some(Value::Str("line 1\n\tline 2".into()))
        );
    }

    #[test]
    fn typed_values_are_checked_like_typed_in_text() {
        let c = |kind: Kind, f: &str, v: FieldValue| {
            check(field(kind, f).unwrap(), &v, OffsetDateTime::UNIX_EPOCH)
        };
        assert_eq!(
            c(
                Kind::Opportunity,
                "amount",
                FieldValue::Text(" 1200.50 ".into())
            )
            .unwrap(),
            Some(Value::Str("1200.50".into()))
        );
        assert_eq!(
            c(Kind::Opportunity, "amount", FieldValue::Int(3)).unwrap(),
            Some(Value::Str("3".into()))
        );
        assert_eq!(
            c(Kind::Opportunity, "stage", FieldValue::Text("Won".into())).unwrap(),
            Some(Value::Str("won".into()))
        );
        assert_eq!(
            c(Kind::Task, "done", FieldValue::Bool(true)).unwrap(),
            Some(Value::Bool(true))
        );
        assert_eq!(
            c(Kind::Activity, "lat", FieldValue::Float(36.07)).unwrap(),
            Some(Value::Float(36.07))
        );
        assert_eq!(
            c(
                Kind::Account,
                "tags",
                FieldValue::Tags(vec![" a".into(), "a".into()])
            )
            .unwrap(),
            Some(Value::Tags(vec!["a".into()]))
        );
        for (k, f, v) in [
            (Kind::Opportunity, "amount", FieldValue::Float(1.5)),
            (
                Kind::Opportunity,
                "probability",
                FieldValue::Text("40".into()),
            ),
            (Kind::Opportunity, "probability", FieldValue::Int(101)),
            (Kind::Task, "done", FieldValue::Text("yes".into())),
            (Kind::Account, "tags", FieldValue::Text("a,b".into())),
            (Kind::Contact, "email", FieldValue::Text("bob".into())),
        ] {
            let err = c(k, f, v.clone()).unwrap_err();
            assert!(
                matches!(err, CoreError::InvalidValue { .. }),
                "{f}={v:?}: {err}"
            );
        }
        assert!(matches!(
            c(Kind::Quote, "lines", FieldValue::Tags(vec![])),
            Err(CoreError::NotEditable { .. })
        ));
    }

    #[test]
    fn field_values_round_trip_through_json() {
        for v in [
            FieldValue::Bool(false),
            FieldValue::Int(-3),
            FieldValue::Float(2.5),
            FieldValue::Text("x".into()),
            FieldValue::Tags(vec!["a".into()]),
        ] {
            assert_eq!(FieldValue::from_json(&v.to_json()), Some(v.clone()));
            let text = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<FieldValue>(&text).unwrap(), v);
        }
        assert_eq!(FieldValue::from_json(&Json::Null), None);
    }

    #[test]
    fn assignments() {
        assert_eq!(parse_assignment("name=A=B").unwrap(), ("name", "A=B"));
        assert!(parse_assignment("name").is_err());
        assert!(parse_assignment("=x").is_err());
    }
}
