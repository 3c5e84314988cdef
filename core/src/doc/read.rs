//! Reading a record document into a plain [`Record`]. Tolerant: a value of an unexpected
//! type (from a future version, or a hand-made document) is skipped, never a panic.

use super::{K_CREATED_AT, K_CREATED_BY, K_DELETED, K_UPDATED_AT, K_UPDATED_BY};
use crate::kind::Kind;
use crate::record::{Line, Record};
use crate::schema::{self, FieldSpec, FieldType};
use crate::value::Value;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use uuid::Uuid;

pub(crate) fn scalar_str<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (automerge::Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(v) => Some(v.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The greatest of concurrent string values (for metadata written with every change).
fn max_str<R: ReadDoc>(doc: &R, key: &str) -> String {
    doc.get_all(ROOT, key)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(v, _)| match v {
            automerge::Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(v) => Some(v.to_string()),
                _ => None,
            },
            _ => None,
        })
        .max()
        .unwrap_or_default()
}

pub(crate) fn list_strings<R: ReadDoc>(doc: &R, list: &ObjId) -> Vec<String> {
    (0..doc.length(list))
        .filter_map(|i| match doc.get(list, i).ok()?? {
            (automerge::Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(v) => Some(v.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Converts one stored scalar to a typed value for `spec`.
pub(crate) fn scalar_value(spec: &FieldSpec, s: &ScalarValue) -> Option<Value> {
    Some(match (spec.ty, s) {
        (FieldType::Ref(kind), ScalarValue::Str(v)) => Value::Ref(kind, Uuid::parse_str(v).ok()?),
        (FieldType::Int { .. }, ScalarValue::Int(i)) => Value::Int(*i),
        (FieldType::Coordinate { .. }, ScalarValue::F64(f)) => Value::Float(*f),
        (FieldType::Bool, ScalarValue::Boolean(b)) => Value::Bool(*b),
        (
            FieldType::Int { .. }
            | FieldType::Coordinate { .. }
            | FieldType::Bool
            | FieldType::Ref(_),
            _,
        ) => return None,
        (_, ScalarValue::Str(v)) => Value::Str(v.to_string()),
        _ => return None,
    })
}

/// The value of `spec` under `obj`, if present and well-typed.
pub(crate) fn field_value<R: ReadDoc>(doc: &R, obj: &ObjId, spec: &FieldSpec) -> Option<Value> {
    let (v, id) = doc.get(obj, spec.name).ok()??;
    match (spec.ty, v) {
        (FieldType::Notes, automerge::Value::Object(ObjType::Text)) => {
            Some(Value::Notes(doc.text(&id).ok()?)).filter(|v| v != &Value::Notes(String::new()))
        }
        (FieldType::Tags, automerge::Value::Object(ObjType::List)) => {
            let mut tags: Vec<String> = Vec::new();
            for t in list_strings(doc, &id) {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            Some(Value::Tags(tags)).filter(|v| v != &Value::Tags(vec![]))
        }
        (_, automerge::Value::Scalar(s)) => scalar_value(spec, s.as_ref()),
        _ => None,
    }
}

pub(crate) fn lines<R: ReadDoc>(doc: &R) -> Vec<(ObjId, Line)> {
    let Some((automerge::Value::Object(ObjType::List), list)) =
        doc.get(ROOT, "lines").ok().flatten()
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..doc.length(&list) {
        if let Some((automerge::Value::Object(ObjType::Map), obj)) =
            doc.get(&list, i).ok().flatten()
        {
            let Some(line_id) = scalar_str(doc, &obj, "line_id") else {
                continue;
            };
            let values = schema::LINE_FIELDS[1..]
                .iter()
                .filter_map(|spec| field_value(doc, &obj, spec).map(|v| (spec.name, v)))
                .collect();
            out.push((obj, Line { line_id, values }));
        }
    }
    out
}

pub(crate) fn record<R: ReadDoc>(doc: &R, id: Uuid, kind: Kind) -> Record {
    let values = schema::fields(kind)
        .iter()
        .filter(|spec| spec.ty != FieldType::Lines)
        .filter_map(|spec| field_value(doc, &ROOT, spec).map(|v| (spec.name, v)))
        .collect();
    let deleted = matches!(
        doc.get(ROOT, K_DELETED).ok().flatten(),
        Some((automerge::Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Boolean(true))
    );
    let created_at = scalar_str(doc, &ROOT, K_CREATED_AT).unwrap_or_default();
    let created_by = scalar_str(doc, &ROOT, K_CREATED_BY).unwrap_or_default();
    let updated_at = Some(max_str(doc, K_UPDATED_AT))
        .filter(|s| !s.is_empty())
        .unwrap_or(created_at.clone());
    let updated_by = Some(max_str(doc, K_UPDATED_BY))
        .filter(|s| !s.is_empty())
        .unwrap_or(created_by.clone());
    Record {
        id,
        kind,
        values,
        lines: lines(doc).into_iter().map(|(_, l)| l).collect(),
        created_at,
        created_by,
        updated_at,
        updated_by,
        deleted,
    }
}
