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
    let infos = change_infos(doc);
    let mut out = Vec::new();
    for spec in schema::fields(kind).iter().filter(|s| can_conflict(s)) {
        out.extend(conflict_at(
            doc,
            &infos,
            &ROOT,
            spec.name,
            Some(spec),
            spec.name.into(),
        )?);
    }
    out.extend(conflict_at(
        doc,
        &infos,
        &ROOT,
        K_DELETED,
        None,
        K_DELETED.into(),
    )?);
    for (obj, line) in read::lines(doc) {
        for spec in &schema::LINE_FIELDS[1..] {
            let label = format!("lines.{}.{}", line.line_id, spec.name);
            out.extend(conflict_at(
                doc,
                &infos,
                &obj,
                spec.name,
                Some(spec),
                label,
            )?);
        }
    }
    Ok(out)
}

/// The record's user-visible state as a flat map: field → JSON value.
fn flat(doc: &AutoCommit, id: Uuid, kind: Kind) -> BTreeMap<String, Json> {
    let r = read::record(doc, id, kind);
    let mut m: BTreeMap<String, Json> = r
        .values
        .iter()
        .map(|(n, v)| ((*n).to_string(), v.to_json()))
        .collect();
    m.insert(K_DELETED.into(), Json::Bool(r.deleted));
    for line in &r.lines {
        for (n, v) in &line.values {
            m.insert(format!("lines.{}.{}", line.line_id, n), v.to_json());
        }
    }
    m
}

pub(crate) fn history(doc: &mut AutoCommit, id: Uuid, kind: Kind) -> Result<Vec<HistoryEntry>> {
    let changes = doc.get_changes(&[]);
    let mut replay = AutoCommit::new();
    let mut before = BTreeMap::new();
    let mut out = Vec::new();
    for change in changes {
        let by = change.message().unwrap_or_default().to_string();
        let at = format_millis(change.timestamp());
        replay.apply_changes([change])?;
        let after = flat(&replay, id, kind);
        let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in keys {
            let from = before.get(key).cloned().unwrap_or(Json::Null);
            let to = after.get(key).cloned().unwrap_or(Json::Null);
            // A new record starts as not deleted: that is no change worth listing.
            if from != to && !(key == K_DELETED && from == Json::Null && to == Json::Bool(false)) {
                out.push(HistoryEntry {
                    at: at.clone(),
                    by: by.clone(),
                    field: key.clone(),
                    from,
                    to,
                });
            }
        }
        before = after;
    }
    Ok(out)
}
