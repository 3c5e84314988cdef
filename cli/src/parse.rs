//! Text typed on the command line (`field=value`, filters, a conflict's value) turned into
//! the library's typed values, by the schema's rules (`fieldbook_core::value::parse`).

use fieldbook_client::edit;
use fieldbook_client::query::{self, FilterField};
use fieldbook_client::{ClientError, FieldValue, FieldValues, Filter, Kind};
use fieldbook_core::schema::{FieldSpec, FieldType};
use fieldbook_core::value;
use time::OffsetDateTime;

type Result<T> = std::result::Result<T, ClientError>;

/// One typed-in value of a field (`None`: empty, which clears the field).
fn typed(spec: &FieldSpec, raw: &str, now: OffsetDateTime) -> Result<Option<FieldValue>> {
    Ok(value::parse(spec, raw, now)?.map(FieldValue::from))
}

/// `field=value` arguments for a record of `kind` (an empty value clears the field).
pub fn record_values(kind: Kind, args: &[String], now: OffsetDateTime) -> Result<FieldValues> {
    values(args, now, |name| edit::field(kind, name))
}

/// `field=value` arguments for a quote line.
pub fn line_values(args: &[String], now: OffsetDateTime) -> Result<FieldValues> {
    values(args, now, edit::line_field)
}

fn values(
    args: &[String],
    now: OffsetDateTime,
    lookup: impl Fn(&str) -> Result<&'static FieldSpec>,
) -> Result<FieldValues> {
    let mut out = FieldValues::new();
    for arg in args {
        let (name, raw) = value::parse_assignment(arg)?;
        let spec = lookup(name)?;
        out.insert(spec.name.to_string(), typed(spec, raw, now)?);
    }
    Ok(out)
}

/// Field names to clear (`unset ID phone email`).
pub fn cleared(kind: Kind, fields: &[String]) -> Result<FieldValues> {
    let mut out = FieldValues::new();
    for f in fields {
        let spec = edit::field(kind, f.trim_end_matches('='))?;
        out.insert(spec.name.to_string(), None);
    }
    Ok(out)
}

/// `field=value` filters of a list (`owner=alice`, `tags=key`, `stage=proposal`).
pub fn filters(kind: Kind, args: &[String], now: OffsetDateTime) -> Result<Vec<Filter>> {
    args.iter()
        .map(|arg| {
            let (name, raw) = value::parse_assignment(arg)?;
            let value = match query::filter_field(kind, name)? {
                FilterField::Meta(_) => Some(FieldValue::Text(raw.trim().to_string())),
                FilterField::Field(spec) if spec.ty == FieldType::Tags => {
                    Some(FieldValue::Text(raw.trim().to_string()))
                }
                FilterField::Field(spec) => typed(spec, raw, now)?,
            };
            Ok(Filter {
                field: name.to_string(),
                value,
            })
        })
        .collect()
}

/// The value settling a conflict on `field` of a record of `kind`.
pub fn conflict_value(
    kind: Kind,
    field: &str,
    raw: &str,
    now: OffsetDateTime,
) -> Result<Option<FieldValue>> {
    if field == "deleted" {
        let yes = matches!(
            raw.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "1"
        );
        return Ok(Some(FieldValue::Bool(yes)));
    }
    match field
        .strip_prefix("lines.")
        .and_then(|rest| rest.split_once('.'))
    {
        Some((_, name)) => typed(edit::line_field(name)?, raw, now),
        None => typed(edit::field(kind, field)?, raw, now),
    }
}
