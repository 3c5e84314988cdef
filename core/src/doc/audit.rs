//! What a record document remembers: open conflicts (concurrent values of one field, each
//! with who wrote it and when) and the full history of field changes.
//!
//! Authors come from the changes themselves (their message is the user name, their time
//! milliseconds since 1970), so any copy of a document tells the same story.

use super::K_DELETED;
use super::read;
use crate::error::Result;
use crate::kind::Kind;
use crate::schema::{self, FieldSpec, FieldType};
use crate::value::format_millis;
use automerge::{ActorId, AutoCommit, ObjId, ROOT, ReadDoc, ScalarValue};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One of the concurrent values of a field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictValue {
    pub value: Json,
    /// User name of the author.
    pub by: String,
    /// When it was written (RFC 3339).
    pub at: String,
    /// Whether this is the value shown until the conflict is resolved.
    pub shown: bool,
}

/// A field with concurrent values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// The field: a field name, or `lines.LINE_ID.FIELD` for a quote line.
    pub field: String,
    pub values: Vec<ConflictValue>,
}

/// One field changed by one change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub by: String,
    pub field: String,
    pub from: Json,
    pub to: Json,
    /// The change's hash (hex): where a device keeps when the server received it.
    pub change: String,
}

struct ChangeInfo {
    actor: ActorId,
    start_op: u64,
    max_op: u64,
    by: String,
    at_ms: i64,
}

fn change_infos(doc: &mut AutoCommit) -> Vec<ChangeInfo> {
    doc.get_changes_meta(&[])
        .into_iter()
        .map(|m| ChangeInfo {
            actor: m.actor.into_owned(),
            start_op: m.start_op,
            max_op: m.max_op,
            by: m.message.map(|s| s.into_owned()).unwrap_or_default(),
            at_ms: m.timestamp,
        })
        .collect()
}

fn author_of<'a>(infos: &'a [ChangeInfo], id: &ObjId) -> Option<&'a ChangeInfo> {
    match id {
        ObjId::Id(counter, actor, _) => infos
            .iter()
            .find(|c| &c.actor == actor && c.start_op <= *counter && *counter <= c.max_op),
        ObjId::Root => None,
    }
}

fn scalar_json(spec: Option<&FieldSpec>, s: &ScalarValue) -> Json {
    if let Some(v) = spec.and_then(|spec| read::scalar_value(spec, s)) {
        return v.to_json();
    }
    match s {
        ScalarValue::Str(v) => Json::String(v.to_string()),
        ScalarValue::Int(i) => Json::from(*i),
        ScalarValue::Boolean(b) => Json::Bool(*b),
        ScalarValue::F64(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        other => Json::String(other.to_string()),
    }
}

fn conflict_at(
    doc: &AutoCommit,
    infos: &[ChangeInfo],
    obj: &ObjId,
    key: &str,
    spec: Option<&FieldSpec>,
    label: String,
) -> Result<Option<Conflict>> {
    let all = doc.get_all(obj, key)?;
    if all.len() < 2 {
        return Ok(None);
    }
    let shown = doc.get(obj, key)?.map(|(_, id)| id);
    let values = all
        .iter()
        .map(|(v, id)| {
            let value = match v {
                automerge::Value::Scalar(s) => scalar_json(spec, s.as_ref()),
                automerge::Value::Object(t) => Json::String(format!("({t:?})")),
            };
            let info = author_of(infos, id);
            ConflictValue {
                value,
                by: info.map(|i| i.by.clone()).unwrap_or_default(),
                at: info.map(|i| format_millis(i.at_ms)).unwrap_or_default(),
                shown: shown.as_ref() == Some(id),
            }
        })
        .collect();
    Ok(Some(Conflict {
        field: label,
        values,
    }))
}

/// Whether a field's concurrent values can be a conflict (lists and texts merge instead).
fn can_conflict(spec: &FieldSpec) -> bool {
    !matches!(
        spec.ty,
        FieldType::Notes | FieldType::Tags | FieldType::Lines
    )
}

pub(crate) fn conflicts(doc: &mut AutoCommit, kind: Kind) -> Result<Vec<Conflict>> {
    // Which fields hold concurrent values, from one pass per map; the authors of the
    // values are looked up only for those (most records have none).
    let mut found: Vec<(ObjId, &'static str, Option<&FieldSpec>, String)> = Vec::new();
    let root = read::Entries::of(doc, &ROOT);
    for spec in schema::fields(kind).iter().filter(|s| can_conflict(s)) {
        if root.conflicted(spec.name) {
            found.push((ROOT, spec.name, Some(spec), spec.name.into()));
        }
    }
    if root.conflicted(K_DELETED) {
        found.push((ROOT, K_DELETED, None, K_DELETED.into()));
    }
    for (obj, line) in read::lines(doc) {
        let entries = read::Entries::of(doc, &obj);
        for spec in &schema::LINE_FIELDS[1..] {
            if entries.conflicted(spec.name) {
                let label = format!("lines.{}.{}", line.line_id, spec.name);
                found.push((obj.clone(), spec.name, Some(spec), label));
            }
        }
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let infos = change_infos(doc);
    let mut out = Vec::new();
    for (obj, key, spec, label) in found {
        out.extend(conflict_at(doc, &infos, &obj, key, spec, label)?);
    }
    Ok(out)
}

/// The merged texts and lists of a record (notes, tags, set of line ids), whose history is
/// told by comparing them before and after each change rather than op by op.
fn merged_state(doc: &AutoCommit, id: Uuid, kind: Kind) -> BTreeMap<String, Json> {
    let r = read::record(doc, id, kind);
    let mut m = BTreeMap::new();
    for spec in schema::fields(kind) {
        if matches!(spec.ty, FieldType::Notes | FieldType::Tags) {
            m.insert(
                spec.name.to_string(),
                r.get(spec.name).map_or(Json::Null, |v| v.to_json()),
            );
        }
    }
    m
}

/// A scalar written by an operation, as the record's JSON would show it.
fn written(kind: Kind, in_line: bool, name: &str, v: &ScalarValue) -> Json {
    let spec = if in_line {
        schema::LINE_FIELDS.iter().find(|s| s.name == name)
    } else {
        schema::field(kind, name)
    };
    scalar_json(spec, v)
}

fn joined(values: Vec<Json>) -> Json {
    match values.len() {
        0 => Json::Null,
        1 => values.into_iter().next().unwrap_or(Json::Null),
        _ => Json::Array(values),
    }
}

/// Every write to every field, oldest first: the value written and the value(s) it replaced
/// (what its author saw). A write that lost a concurrent race is listed too: history is what
/// people did, not only what won.
pub(crate) fn history(doc: &mut AutoCommit, id: Uuid, kind: Kind) -> Result<Vec<HistoryEntry>> {
    use automerge::legacy::{Key, ObjectId, OpId, OpType};
    use std::collections::HashMap;

    let changes = doc.get_changes(&[]);
    let mut replay = AutoCommit::new();
    let mut before = merged_state(&replay, id, kind);
    // Every scalar value written so far, by the id of the operation that wrote it.
    let mut values: HashMap<OpId, Json> = HashMap::new();
    // Line maps (by the id of the operation that made them) and their line ids.
    let mut lines: HashMap<OpId, String> = HashMap::new();
    let mut out = Vec::new();
    for change in changes {
        let by = change.message().unwrap_or_default().to_string();
        let at = format_millis(change.timestamp());
        let hash = change.hash().to_string();
        let expanded = change.decode();
        let start = expanded.start_op.get();
        // Line ids are written in the same change that makes the line: find them first.
        for op in &expanded.operations {
            if let (ObjectId::Id(obj), Key::Map(name), OpType::Put(ScalarValue::Str(line_id))) =
                (&op.obj, &op.key, &op.action)
                && name == "line_id"
            {
                lines.insert(obj.clone(), line_id.to_string());
            }
        }
        for (i, op) in expanded.operations.iter().enumerate() {
            let op_id = OpId(start + i as u64, expanded.actor_id.clone());
            let (label, in_line, name) = match (&op.obj, &op.key) {
                (ObjectId::Root, Key::Map(name)) if !name.starts_with('_') => {
                    let label = schema::field(kind, name)
                        .map_or(name.to_string(), |s| schema::output_name(s).to_string());
                    (label, false, name.to_string())
                }
                (ObjectId::Id(obj), Key::Map(name)) if name != "line_id" => match lines.get(obj) {
                    Some(line) => (format!("lines.{line}.{name}"), true, name.to_string()),
                    None => continue,
                },
                (ObjectId::Id(_), Key::Seq(automerge::legacy::ElementId::Id(elem)))
                    if matches!(op.action, OpType::Delete) =>
                {
                    match lines.get(elem) {
                        Some(line) => (format!("lines.{line}"), true, String::new()),
                        None => continue,
                    }
                }
                _ => continue,
            };
            let from = joined(
                op.pred
                    .iter()
                    .filter_map(|p| values.get(p).cloned())
                    .collect(),
            );
            let to = match &op.action {
                OpType::Put(v) => written(kind, in_line, &name, v),
                OpType::Delete if name.is_empty() => {
                    out.push(HistoryEntry {
                        at: at.clone(),
                        by: by.clone(),
                        field: label,
                        from: Json::String("(line)".into()),
                        to: Json::Null,
                        change: hash.clone(),
                    });
                    continue;
                }
                OpType::Delete => Json::Null,
                _ => continue,
            };
            values.insert(op_id, to.clone());
            // A new record starts as not deleted: that is no change worth listing.
            if name == K_DELETED && from.is_null() && to == Json::Bool(false) {
                continue;
            }
            out.push(HistoryEntry {
                at: at.clone(),
                by: by.clone(),
                field: label,
                from,
                to,
                change: hash.clone(),
            });
        }
        replay.apply_changes([change])?;
        let after = merged_state(&replay, id, kind);
        for (key, to) in &after {
            let from = before.get(key).cloned().unwrap_or(Json::Null);
            if &from != to {
                out.push(HistoryEntry {
                    at: at.clone(),
                    by: by.clone(),
                    field: key.clone(),
                    from,
                    to: to.clone(),
                    change: hash.clone(),
                });
            }
        }
        before = after;
    }
    Ok(out)
}
