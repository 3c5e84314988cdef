//! The gate for documents and changes that arrive from elsewhere (a push on the server, a
//! bundle being absorbed): every value a change wrote passes the same field rules as a value
//! typed on the device ([`crate::value::parse`], canonical form included), what the record
//! is cannot be rewritten, required fields stay filled, and rules across fields hold for
//! the fields the change touched ([`Written::check_rules`], which the caller runs on the
//! record as the change's author saw it).
//!
//! It compares the document before ([`State`], captured before merging) and after. Only
//! values the change brought are checked, so a value from an older version never blocks a
//! later edit. References are returned for the caller to resolve (only it knows which
//! records exist); so are the user names the change stamped, for the server's authorship
//! check. Knows nothing of storage, the network or who may write what.

use super::read;
use super::{K_CREATED_AT, K_CREATED_BY, K_DELETED, K_ID, K_KIND, K_UPDATED_AT, K_UPDATED_BY};
use crate::error::{CoreError, Result};
use crate::kind::Kind;
use crate::record::Record;
use crate::schema::{self, Edit, FieldSpec, FieldType};
use crate::value::{self, Value};
use crate::{names, rules};
use automerge::{AutoCommit, Change, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Root keys every record has besides its fields.
pub const META_KEYS: &[&str] = &[
    K_KIND,
    K_ID,
    K_CREATED_AT,
    K_CREATED_BY,
    K_UPDATED_AT,
    K_UPDATED_BY,
    K_DELETED,
];

/// Root keys written once, at creation: what the record is.
const IDENTITY_KEYS: &[&str] = &[K_KIND, K_ID, K_CREATED_AT, K_CREATED_BY];

/// The stored values of one key (every concurrent value), as comparable text.
type Reprs = Vec<String>;

/// What a document held before a change: every root key's values, the content of its
/// notes and tags, and each quote line by id. Cheap (one pass over a small document).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    keys: BTreeMap<String, Reprs>,
    lines: BTreeMap<String, BTreeMap<String, Reprs>>,
}

fn repr(doc: &AutoCommit, v: &automerge::Value<'_>, id: &ObjId) -> String {
    match v {
        automerge::Value::Scalar(s) => format!("{:?}", s.as_ref()),
        automerge::Value::Object(ObjType::Text) => {
            format!("text {id} {:?}", doc.text(id).unwrap_or_default())
        }
        automerge::Value::Object(ObjType::List) => {
            // Tags: their strings; lines are compared line by line (`State::lines`).
            format!("list {id} {:?}", read::list_strings(doc, id))
        }
        automerge::Value::Object(t) => format!("{t:?} {id}"),
    }
}

fn reprs(doc: &AutoCommit, obj: &ObjId, key: &str) -> Reprs {
    let mut out: Reprs = doc
        .get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .map(|(v, id)| repr(doc, &v, &id))
        .collect();
    out.sort();
    out
}

fn line_maps(doc: &AutoCommit) -> BTreeMap<String, (ObjId, BTreeMap<String, Reprs>)> {
    let mut out = BTreeMap::new();
    let Some((automerge::Value::Object(ObjType::List), list)) =
        doc.get(ROOT, "lines").ok().flatten()
    else {
        return out;
    };
    for i in 0..doc.length(&list) {
        if let Some((automerge::Value::Object(ObjType::Map), obj)) =
            doc.get(&list, i).ok().flatten()
        {
            let id = read::scalar_str(doc, &obj, "line_id").unwrap_or_default();
            let keys = doc
                .keys(&obj)
                .map(|k| {
                    let r = reprs(doc, &obj, &k);
                    (k, r)
                })
                .collect();
            out.insert(id, (obj, keys));
        }
    }
    out
}

impl State {
    /// Captures `doc` as it stands.
    pub fn capture(doc: &AutoCommit) -> State {
        State {
            keys: doc
                .keys(ROOT)
                .map(|k| (k.clone(), reprs(doc, &ROOT, &k)))
                .collect(),
            lines: line_maps(doc)
                .into_iter()
                .map(|(id, (_, keys))| (id, keys))
                .collect(),
        }
    }

    fn reprs(&self, key: &str) -> &[String] {
        self.keys.get(key).map_or(&[], Vec::as_slice)
    }
}

/// What an accepted write did, for the caller's own checks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    /// The record was created by this write.
    pub created: bool,
    /// Fields whose value or content changed.
    pub touched: Vec<&'static str>,
    /// References the write set (`product_id` of quote lines included): the caller checks
    /// that each names a record of that kind.
    pub references: Vec<(&'static str, Kind, Uuid)>,
    /// User names the write stamped as author (`_created_by`, `_updated_by`).
    pub stamped_by: Vec<String>,
    /// The record after the write.
    pub record: Option<Record>,
}

fn invalid(field: &str, value: impl Into<String>, expected: impl Into<String>) -> CoreError {
    CoreError::InvalidValue {
        field: field.into(),
        value: value.into(),
        expected: expected.into(),
    }
}

/// The text a stored scalar would have been typed as, for [`value::parse`].
fn typed_as(s: &ScalarValue) -> Option<String> {
    Some(match s {
        ScalarValue::Str(v) => v.to_string(),
        ScalarValue::Int(i) => i.to_string(),
        ScalarValue::Uint(u) => u.to_string(),
        ScalarValue::F64(f) => f.to_string(),
        ScalarValue::Boolean(b) => b.to_string(),
        _ => return None,
    })
}

/// Checks one stored scalar against its field: the right stored type, and a value that
/// typing it would have produced exactly (canonical form, bounds, enums, dates, decimals).
fn check_scalar(spec: &FieldSpec, s: &ScalarValue) -> Result<Option<Value>> {
    let Some(text) = typed_as(s) else {
        return Err(invalid(
            spec.name,
            format!("{s:?}"),
            "a value of the field's type",
        ));
    };
    let stored_ok = matches!(
        (spec.ty, s),
        (
            FieldType::Int { .. },
            ScalarValue::Int(_) | ScalarValue::Uint(_)
        ) | (FieldType::Coordinate { .. }, ScalarValue::F64(_))
            | (FieldType::Bool, ScalarValue::Boolean(_))
    ) || (!matches!(
        spec.ty,
        FieldType::Int { .. } | FieldType::Coordinate { .. } | FieldType::Bool
    ) && matches!(s, ScalarValue::Str(_)));
    if !stored_ok {
        return Err(invalid(
            spec.name,
            text,
            "a value stored with the field's type (e.g. a number as a number)",
        ));
    }
    if spec.ty != FieldType::LongText && text.trim().is_empty() {
        // A cleared value (required fields are checked by the caller).
        return Ok(None);
    }
    let parsed = value::parse(spec, &text, OffsetDateTime::UNIX_EPOCH)?;
    let canonical = match &parsed {
        None => String::new(),
        Some(Value::Str(v) | Value::Notes(v)) => v.clone(),
        Some(Value::Ref(_, id)) => id.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(f)) => f.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Tags(_)) => return Err(invalid(spec.name, text, "a list, not one value")),
    };
    if canonical != text {
        return Err(invalid(
            spec.name,
            text,
            format!("`{canonical}`, the form this value is written in"),
        ));
    }
    Ok(parsed)
}

fn check_text(spec: &FieldSpec, text: &str) -> Result<()> {
    value::parse(spec, text, OffsetDateTime::UNIX_EPOCH).map(|_| ())
}

fn check_tags(spec: &FieldSpec, doc: &AutoCommit, list: &ObjId) -> Result<()> {
    for i in 0..doc.length(list) {
        let tag = match doc.get(list, i).ok().flatten() {
            Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(t) => t.to_string(),
                other => return Err(invalid(spec.name, format!("{other:?}"), "a list of words")),
            },
            _ => return Err(invalid(spec.name, "[...]", "a list of words")),
        };
        let parsed = value::parse(
            spec,
            &serde_json::json!([tag]).to_string(),
            OffsetDateTime::UNIX_EPOCH,
        )?;
        if tag.chars().any(char::is_control) || parsed != Some(Value::Tags(vec![tag.clone()])) {
            return Err(invalid(
                spec.name,
                tag,
                "a non-empty word without spaces around it",
            ));
        }
    }
    Ok(())
}

/// Checks one quote line that is new or changed.
fn check_line(
    doc: &AutoCommit,
    line_id: &str,
    obj: &ObjId,
    references: &mut Vec<(&'static str, Kind, Uuid)>,
) -> Result<()> {
    if line_id.is_empty() || line_id.len() > 64 || line_id.chars().any(char::is_control) {
        return Err(invalid("lines.line_id", line_id, "a short line id"));
    }
    for key in doc.keys(obj) {
        if key == "line_id" {
            continue;
        }
        let Some(spec) = schema::LINE_FIELDS[1..].iter().find(|s| s.name == key) else {
            return Err(CoreError::UnknownField {
                kind: "a quote line".into(),
                field: key,
                known: schema::LINE_FIELDS[1..]
                    .iter()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        for (v, _) in doc.get_all(obj, &key).unwrap_or_default() {
            let automerge::Value::Scalar(s) = v else {
                return Err(invalid(spec.name, "{...}", "a single value"));
            };
            if let Some(Value::Ref(kind, id)) = check_scalar(spec, s.as_ref())? {
                references.push((spec.name, kind, id));
            }
        }
    }
    Ok(())
}

fn winning_empty(doc: &AutoCommit, spec: &FieldSpec) -> bool {
    match doc.get(ROOT, spec.name).ok().flatten() {
        None => true,
        Some((automerge::Value::Scalar(s), _)) => {
            matches!(s.as_ref(), ScalarValue::Str(v) if v.trim().is_empty())
        }
        Some(_) => false,
    }
}

/// Checks the document `after` of `kind` against `before` (the same document before the
/// write, or `None` when the write creates it). Refuses with the same errors a typed value
/// would get; a write that changes nothing passes.
pub fn check_write(kind: Kind, before: Option<&State>, after: &AutoCommit) -> Result<Written> {
    let empty = State::default();
    let was = before.unwrap_or(&empty);
    let mut written = Written {
        created: before.is_none(),
        ..Written::default()
    };
    let fields = schema::fields(kind);
    for key in after.keys(ROOT) {
        if !META_KEYS.contains(&key.as_str()) && !fields.iter().any(|f| f.name == key) {
            let hint = if key == "owner" {
                " (owners are set by the server: a manager reassigns)"
            } else {
                ""
            };
            return Err(CoreError::Forbidden(format!(
                "writes `{key}`, which {} does not have{hint}",
                kind.a()
            )));
        }
    }
    check_meta(kind, was, before.is_some(), after, &mut written)?;
    for spec in fields {
        let now = reprs(after, &ROOT, spec.name);
        let then = was.reprs(spec.name);
        let lines_changed = spec.ty == FieldType::Lines && line_maps_changed(was, after);
        if now.as_slice() == then && !lines_changed {
            continue;
        }
        written.touched.push(spec.name);
        // A merge writes `merged_into` once, on a record that had none.
        let merge_once = spec.edit == Edit::Merge && then.is_empty() && now.len() == 1;
        if before.is_some()
            && !merge_once
            && matches!(spec.edit, Edit::CreateOnly | Edit::Assigned | Edit::Merge)
        {
            return Err(CoreError::NotEditable {
                field: spec.name.into(),
                why: match spec.edit {
                    Edit::Assigned => "it is assigned once, when the record is created".into(),
                    Edit::Merge => "it is written once, by the merge of a duplicate".into(),
                    _ => {
                        "it is set when the record is created; moving a record is not a field edit"
                            .into()
                    }
                },
            });
        }
        for (v, id) in after.get_all(ROOT, spec.name).unwrap_or_default() {
            let r = repr(after, &v, &id);
            let content_only = then.contains(&r);
            match (spec.ty, &v) {
                (FieldType::Notes, automerge::Value::Object(ObjType::Text)) => {
                    if !content_only {
                        check_text(spec, &after.text(&id).unwrap_or_default())?;
                    }
                }
                (FieldType::Tags, automerge::Value::Object(ObjType::List)) => {
                    if !content_only {
                        check_tags(spec, after, &id)?;
                    }
                }
                (FieldType::Lines, automerge::Value::Object(ObjType::List)) => {}
                (FieldType::Notes | FieldType::Tags | FieldType::Lines, _) => {
                    return Err(invalid(
                        spec.name,
                        r,
                        "the kind of object the field is made of (text or list)",
                    ));
                }
                (_, automerge::Value::Scalar(s)) => {
                    if content_only {
                        continue;
                    }
                    if let Some(Value::Ref(kind, rid)) = check_scalar(spec, s.as_ref())? {
                        written.references.push((spec.name, kind, rid));
                    }
                }
                (_, automerge::Value::Object(_)) => {
                    return Err(invalid(spec.name, r, "a single value"));
                }
            }
        }
        if spec.required && winning_empty(after, spec) {
            return Err(CoreError::MissingRequired {
                kind: kind.a().into(),
                field: spec.name.into(),
            });
        }
        if lines_changed {
            for (line_id, (obj, keys)) in line_maps(after) {
                if was.lines.get(&line_id) != Some(&keys) {
                    check_line(after, &line_id, &obj, &mut written.references)?;
                }
            }
        }
    }
    if before.is_none() {
        for spec in fields.iter().filter(|s| s.required) {
            if winning_empty(after, spec) {
                return Err(CoreError::MissingRequired {
                    kind: kind.a().into(),
                    field: spec.name.into(),
                });
            }
        }
    }
    let id = match after.get(ROOT, K_ID).ok().flatten() {
        Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(v) => Uuid::parse_str(v).ok(),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| CoreError::NotARecord("no valid `_id`".into()))?;
    written.record = Some(read::record(after, id, kind));
    Ok(written)
}

impl Written {
    /// Refuses the write if it touched a field of a rule across fields (see [`rules`]) and
    /// left it broken in `view`: the record as the writer saw it ([`author_view`] for a
    /// change that arrived concurrently with others), or, by default, as it is now.
    pub fn check_rules(&self, view: Option<&Record>) -> Result<()> {
        match view.or(self.record.as_ref()) {
            Some(record) => rules::check_touched(record, &self.touched),
            None => Ok(()),
        }
    }
}

fn line_maps_changed(was: &State, after: &AutoCommit) -> bool {
    let now: BTreeMap<String, BTreeMap<String, Reprs>> = line_maps(after)
        .into_iter()
        .map(|(id, (_, keys))| (id, keys))
        .collect();
    now != was.lines
}

/// Checks the metadata keys: what the record is (written once), the stamps of who wrote it
/// and when, and the deletion mark.
fn check_meta(
    kind: Kind,
    was: &State,
    existed: bool,
    after: &AutoCommit,
    written: &mut Written,
) -> Result<()> {
    for key in META_KEYS {
        let now = reprs(after, &ROOT, key);
        let then = was.reprs(key);
        if now.as_slice() == then {
            continue;
        }
        if existed && IDENTITY_KEYS.contains(key) {
            return Err(CoreError::Forbidden(format!(
                "changes `{key}`, which says what the record is; it is written once"
            )));
        }
        let values = after.get_all(ROOT, *key).unwrap_or_default();
        if IDENTITY_KEYS.contains(key) && values.len() != 1 {
            return Err(CoreError::Forbidden(format!(
                "writes `{key}` {} times; it is written once",
                values.len()
            )));
        }
        for (v, id) in values {
            if then.contains(&repr(after, &v, &id)) {
                continue;
            }
            let automerge::Value::Scalar(s) = v else {
                return Err(CoreError::Forbidden(format!("writes an object at `{key}`")));
            };
            let s = s.as_ref();
            let ok = match (*key, s) {
                (K_DELETED, ScalarValue::Boolean(_)) => true,
                (K_KIND, ScalarValue::Str(k)) => k.as_str() == kind.as_str(),
                (K_ID, ScalarValue::Str(v)) => {
                    Uuid::parse_str(v).is_ok_and(|u| u.to_string() == v.as_str())
                }
                (K_CREATED_AT | K_UPDATED_AT, ScalarValue::Str(v)) => {
                    OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
                        .is_ok_and(|t| value::format_datetime(t) == v.as_str())
                }
                (K_CREATED_BY | K_UPDATED_BY, ScalarValue::Str(v)) => {
                    written.stamped_by.push(v.to_string());
                    names::is_valid(v)
                }
                _ => false,
            };
            if !ok {
                return Err(CoreError::Forbidden(format!(
                    "writes `{key}` = {s:?}, which is not a valid {}",
                    match *key {
                        K_DELETED => "deletion mark (true or false)",
                        K_KIND => "kind for this record",
                        K_ID => "record id",
                        K_CREATED_BY | K_UPDATED_BY => "user name",
                        _ => "time (RFC 3339, UTC, whole seconds)",
                    }
                )));
            }
        }
    }
    written.stamped_by.sort();
    written.stamped_by.dedup();
    Ok(())
}

/// The change that created a document: its one change without dependencies. Every copy of
/// a record shares it; a document that does not is another record reusing the id.
pub fn creation(doc: &mut AutoCommit) -> Option<ChangeHash> {
    doc.get_changes(&[])
        .into_iter()
        .find(|c| c.deps().is_empty())
        .map(|c| c.hash())
}

/// Refuses `incoming` as a copy of `local` when it does not descend from the same creation.
pub fn check_same_record(local: &mut AutoCommit, incoming: &mut AutoCommit) -> Result<()> {
    match creation(local) {
        Some(hash) if incoming.get_change_by_hash(&hash).is_some() => Ok(()),
        None => Ok(()),
        Some(_) => Err(CoreError::Forbidden(
            "is a different record that reuses an existing record's id (it does not share its history)"
                .into(),
        )),
    }
}

/// Whether `change` would be a second creation of a document that exists: a change with no
/// dependencies that the document does not hold.
pub fn is_second_creation(doc: &mut AutoCommit, change: &Change) -> bool {
    change.deps().is_empty() && doc.get_change_by_hash(&change.hash()).is_none()
}

/// The record as the author of `change` saw it after writing it: the document at the
/// change's dependencies, plus the change. Used to tell a change that broke a rule across
/// fields by itself from one whose merge with a concurrent change did (which is allowed,
/// and shows as "needs attention").
pub fn author_view(doc: &mut AutoCommit, change: &Change, kind: Kind, id: Uuid) -> Result<Record> {
    let mut view = doc.fork_at(change.deps())?;
    view.apply_changes([change.clone()])?;
    Ok(read::record(&view, id, kind))
}

#[cfg(test)]
mod tests;
