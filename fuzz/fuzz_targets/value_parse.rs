//! Typed-in values: parsing never panics, and a parsed value's canonical text parses back
//! to the same value (what the document gate relies on).
#![no_main]

use fieldbook_core::Kind;
use fieldbook_core::schema::{self, FieldType};
use fieldbook_core::value::{self, Value};
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let specs: Vec<_> = Kind::ALL
        .iter()
        .flat_map(|k| schema::fields(*k).iter())
        .chain(schema::LINE_FIELDS.iter())
        .collect();
    let spec = specs[pick as usize % specs.len()];
    let text = String::from_utf8_lossy(rest);
    let _ = value::parse_assignment(&text);
    let Ok(Some(v)) = value::parse(spec, &text, OffsetDateTime::UNIX_EPOCH) else {
        return;
    };
    let canonical = match &v {
        Value::Str(s) | Value::Notes(s) => s.clone(),
        Value::Ref(_, id) => id.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Tags(t) => format!("{t:?}").replace('\\', "\\\\"),
    };
    if matches!(spec.ty, FieldType::Tags) {
        return;
    }
    let again = value::parse(spec, &canonical, OffsetDateTime::UNIX_EPOCH)
        .unwrap_or_else(|e| panic!("{}: canonical `{canonical}` refused: {e}", spec.name));
    assert_eq!(again, Some(v), "{}: `{text}` -> `{canonical}`", spec.name);
});
