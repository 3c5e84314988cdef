//! Reading a record document into a plain [`Record`]. Tolerant: a value of an unexpected
//! type (from a future version, or a hand-made document) is skipped, never a panic.
//!
//! A map is read in one pass over its entries ([`Entries`]) rather than one lookup per
//! schema field: a lookup seeks through the document's operations each time, and reading
//! records is what every projection, validation and merge does.

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

/// The visible entries of one map, read in one pass, sorted by key.
pub(crate) struct Entries {
    items: Vec<(String, automerge::Value<'static>, ObjId, bool)>,
}

impl Entries {
    pub(crate) fn of<R: ReadDoc>(doc: &R, obj: &ObjId) -> Entries {
        let mut items: Vec<_> = doc
            .map_range(obj, ..)
            .map(|item| {
                let id = item.id();
                (
                    item.key.into_owned(),
                    item.value.into_value(),
                    id,
                    item.conflict,
                )
            })
            .collect();
        // Sorted here, so lookups do not depend on the order Automerge yields keys in.
        items.sort_by(|a, b| a.0.cmp(&b.0));
        Entries { items }
    }

    /// The winning value of `key` and its id, as `ReadDoc::get` gives them.
    fn get(&self, key: &str) -> Option<(&automerge::Value<'static>, &ObjId)> {
        let i = self
            .items
            .binary_search_by(|(k, ..)| k.as_str().cmp(key))
            .ok()?;
        let (_, v, id, _) = &self.items[i];
        Some((v, id))
    }

    fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            (automerge::Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(v) => Some(v.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether concurrent values of `key` exist.
    pub(crate) fn conflicted(&self, key: &str) -> bool {
        self.items
            .binary_search_by(|(k, ..)| k.as_str().cmp(key))
            .is_ok_and(|i| self.items[i].3)
    }

    /// The value of `spec`, if present and well-typed.
    fn field<R: ReadDoc>(&self, doc: &R, spec: &FieldSpec) -> Option<Value> {
        let (v, id) = self.get(spec.name)?;
        convert(doc, spec, v, id)
    }
}

fn convert<R: ReadDoc>(
    doc: &R,
    spec: &FieldSpec,
    v: &automerge::Value<'_>,
    id: &ObjId,
) -> Option<Value> {
    match (spec.ty, v) {
        (FieldType::Notes, automerge::Value::Object(ObjType::Text)) => {
            Some(Value::Notes(doc.text(id).ok()?)).filter(|v| v != &Value::Notes(String::new()))
        }
        (FieldType::Tags, automerge::Value::Object(ObjType::List)) => {
            let mut tags: Vec<String> = Vec::new();
            for t in list_strings(doc, id) {
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
            let entries = Entries::of(doc, &obj);
            let Some(line_id) = entries.str("line_id") else {
                continue;
            };
            let values = schema::LINE_FIELDS[1..]
                .iter()
                .filter_map(|spec| entries.field(doc, spec).map(|v| (spec.name, v)))
                .collect();
            out.push((obj, Line { line_id, values }));
        }
    }
    out
}

pub(crate) fn record<R: ReadDoc>(doc: &R, id: Uuid, kind: Kind) -> Record {
    let root = Entries::of(doc, &ROOT);
    let values = schema::fields(kind)
        .iter()
        .filter(|spec| spec.ty != FieldType::Lines)
        .filter_map(|spec| root.field(doc, spec).map(|v| (spec.name, v)))
        .collect();
    let deleted = matches!(
        root.get(K_DELETED),
        Some((automerge::Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Boolean(true))
    );
    let created_at = root.str(K_CREATED_AT).unwrap_or_default();
    let created_by = root.str(K_CREATED_BY).unwrap_or_default();
    // Concurrent writers each stamp these: the greatest wins, whichever Automerge shows.
    let stamp = |key: &str| {
        if root.conflicted(key) {
            max_str(doc, key)
        } else {
            root.str(key).unwrap_or_default()
        }
    };
    let updated_at = Some(stamp(K_UPDATED_AT))
        .filter(|s| !s.is_empty())
        .unwrap_or(created_at.clone());
    let updated_by = Some(stamp(K_UPDATED_BY))
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
