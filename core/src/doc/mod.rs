//! One record as one small Automerge document: creating it, editing it field by field,
//! committing each edit as one change attributed to a user, and merging other copies.
//!
//! Document layout (a contract between devices and the server):
//! - root map keys `_kind`, `_id`, `_created_at`, `_created_by` (written once),
//!   `_updated_at`, `_updated_by` (written with every change), `deleted` (bool);
//! - one key per field of the kind (see [`crate::schema`]): scalars as strings, integers,
//!   floats or booleans; `tags` a list of strings; `notes` a Text; `lines` a list of maps,
//!   each with its `line_id`. Lists and texts are created with the record, so two devices
//!   never create competing objects under one key.
//! - every change's message is the author's user name; its time is milliseconds since 1970.
//!
//! Knows nothing of storage or the network: it takes and returns bytes.

mod audit;
pub mod check;
mod notes;
mod read;

pub use audit::{Conflict, ConflictValue, HistoryEntry};
pub use notes::{NotesEdit, heads_to_strings};

use crate::error::{CoreError, Result};
use crate::kind::Kind;
use crate::record::Record;
use crate::schema::{self, FieldSpec, FieldType};
use crate::value::{Value, format_datetime};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, hydrate,
};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) const K_KIND: &str = "_kind";
pub(crate) const K_ID: &str = "_id";
pub(crate) const K_CREATED_AT: &str = "_created_at";
pub(crate) const K_CREATED_BY: &str = "_created_by";
pub(crate) const K_UPDATED_AT: &str = "_updated_at";
pub(crate) const K_UPDATED_BY: &str = "_updated_by";
pub(crate) const K_DELETED: &str = "deleted";

/// Who makes an edit, and when.
#[derive(Clone, Debug)]
pub struct Author {
    pub user: String,
    pub at: OffsetDateTime,
}

impl Author {
    pub fn now(user: &str) -> Author {
        Author {
            user: user.to_string(),
            at: OffsetDateTime::now_utc(),
        }
    }

    fn millis(&self) -> i64 {
        (self.at.unix_timestamp_nanos() / 1_000_000) as i64
    }
}

/// A record's Automerge document.
pub struct RecordDoc {
    doc: AutoCommit,
    id: Uuid,
    kind: Kind,
    /// The pending change already carries `_updated_at`/`_updated_by` (a creation).
    stamped: bool,
}

impl RecordDoc {
    /// A new record. `values` must already be checked; required fields are checked here.
    /// The creation is pending until [`RecordDoc::commit`].
    pub fn create(
        kind: Kind,
        id: Uuid,
        actor: &ActorId,
        author: &Author,
        values: &[(&'static FieldSpec, Value)],
    ) -> Result<RecordDoc> {
        for spec in schema::fields(kind) {
            if spec.required && !values.iter().any(|(s, _)| s.name == spec.name) {
                return Err(CoreError::MissingRequired {
                    kind: kind.a().into(),
                    field: spec.name.into(),
                });
            }
        }
        // The whole initial record goes in as one batch: two op-set splices instead of one
        // per key, which is most of the cost of creating a document.
        let mut doc = AutoCommit::new().with_actor(actor.clone());
        let enc = doc.text_encoding();
        let str_ = |s: &str| hydrate::Value::scalar(ScalarValue::Str(s.into()));
        let mut root: HashMap<String, hydrate::Value> = HashMap::new();
        root.insert(K_KIND.into(), str_(kind.as_str()));
        root.insert(K_ID.into(), str_(&id.to_string()));
        let at = format_datetime(author.at);
        for key in [K_CREATED_AT, K_UPDATED_AT] {
            root.insert(key.into(), str_(&at));
        }
        for key in [K_CREATED_BY, K_UPDATED_BY] {
            root.insert(key.into(), str_(&author.user));
        }
        root.insert(K_DELETED.into(), hydrate::Value::scalar(false));
        for spec in schema::fields(kind) {
            match spec.ty {
                FieldType::Notes => root.insert(spec.name.into(), hydrate::Value::text(enc, "")),
                FieldType::Tags | FieldType::Lines => {
                    root.insert(spec.name.into(), hydrate::Value::list())
                }
                _ => None,
            };
        }
        for (spec, v) in values {
            let hv = match v {
                Value::Notes(t) => hydrate::Value::text(enc, t),
                Value::Tags(tags) => {
                    hydrate::Value::from(tags.iter().map(|t| str_(t)).collect::<Vec<_>>())
                }
                other => hydrate::Value::scalar(scalar_of(spec, other.clone())?),
            };
            root.insert(spec.name.into(), hv);
        }
        doc.init_root_from_hydrate(&hydrate::Map::from(root))?;
        Ok(RecordDoc {
            doc,
            id,
            kind,
            stamped: true,
        })
    }

    /// Loads a stored document (a saved document, optionally followed by more changes).
    pub fn load(bytes: &[u8], actor: &ActorId) -> Result<RecordDoc> {
        let doc = AutoCommit::load(bytes)?.with_actor(actor.clone());
        Self::from_automerge(doc)
    }

    /// Wraps a document received from elsewhere, checking that it is a record.
    pub fn from_automerge(doc: AutoCommit) -> Result<RecordDoc> {
        let kind = match doc.get(ROOT, K_KIND)? {
            Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(k) => Kind::parse(k)
                    .map_err(|_| CoreError::NotARecord(format!("unknown kind {k}")))?,
                _ => return Err(CoreError::NotARecord("`_kind` is not a string".into())),
            },
            _ => return Err(CoreError::NotARecord("no `_kind`".into())),
        };
        let id = match doc.get(ROOT, K_ID)? {
            Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(i) => {
                    Uuid::parse_str(i).map_err(|_| CoreError::NotARecord("bad `_id`".into()))?
                }
                _ => return Err(CoreError::NotARecord("`_id` is not a string".into())),
            },
            _ => return Err(CoreError::NotARecord("no `_id`".into())),
        };
        Ok(RecordDoc {
            doc,
            id,
            kind,
            stamped: false,
        })
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Sets (or, with `None`, clears) a field. Notes are replaced as a text diff, tags as a
    /// list diff, so concurrent edits elsewhere merge.
    pub fn set(&mut self, spec: &'static FieldSpec, value: Option<Value>) -> Result<()> {
        self.put_field(&ROOT, spec, value)
    }

    fn put_field(&mut self, obj: &ObjId, spec: &FieldSpec, value: Option<Value>) -> Result<()> {
        match (spec.ty, value) {
            (FieldType::Notes, v) => {
                let text = self.ensure_object(spec.name, ObjType::Text)?;
                let new = match v {
                    Some(Value::Notes(s)) | Some(Value::Str(s)) => s,
                    _ => String::new(),
                };
                self.doc.update_text(&text, new)?;
            }
            (FieldType::Tags, v) => {
                let list = self.ensure_object(spec.name, ObjType::List)?;
                let new = match v {
                    Some(Value::Tags(t)) => t,
                    _ => Vec::new(),
                };
                self.replace_tags(&list, &new)?;
            }
            (_, None) => {
                if self.doc.get(obj, spec.name)?.is_some() {
                    self.doc.delete(obj, spec.name)?;
                }
            }
            (_, Some(v)) => {
                self.doc.put(obj, spec.name, scalar_of(spec, v)?)?;
            }
        }
        Ok(())
    }

    fn ensure_object(&mut self, key: &str, ty: ObjType) -> Result<ObjId> {
        match self.doc.get(ROOT, key)? {
            Some((automerge::Value::Object(t), id)) if t == ty => Ok(id),
            _ => Ok(self.doc.put_object(ROOT, key, ty)?),
        }
    }

    fn replace_tags(&mut self, list: &ObjId, new: &[String]) -> Result<()> {
        let current = read::list_strings(&self.doc, list);
        for (i, tag) in current.iter().enumerate().rev() {
            if !new.contains(tag) {
                self.doc.delete(list, i)?;
            }
        }
        let mut len = self.doc.length(list);
        for tag in new {
            if !current.contains(tag) {
                self.doc.insert(list, len, tag.as_str())?;
                len += 1;
            }
        }
        Ok(())
    }

    /// Appends a paragraph to the notes (a Text, so others' additions interleave).
    pub fn append_note(&mut self, paragraph: &str) -> Result<()> {
        let spec = schema::fields(self.kind)
            .iter()
            .find(|f| f.ty == FieldType::Notes)
            .ok_or_else(|| CoreError::UnknownField {
                kind: self.kind.a().into(),
                field: "notes".into(),
                known: field_names(self.kind),
            })?;
        let text = self.ensure_object(spec.name, ObjType::Text)?;
        let len = self.doc.length(&text);
        let mut insert = String::new();
        if len > 0 {
            insert.push_str("\n\n");
        }
        insert.push_str(paragraph.trim());
        self.doc.splice_text(&text, len, 0, &insert)?;
        Ok(())
    }

    pub fn set_deleted(&mut self, deleted: bool) -> Result<()> {
        self.doc.put(ROOT, K_DELETED, deleted)?;
        Ok(())
    }

    fn lines_obj(&mut self) -> Result<ObjId> {
        if self.kind != Kind::Quote {
            return Err(CoreError::NotEditable {
                field: "lines".into(),
                why: format!("{} has no lines; only quotes do", self.kind.a()),
            });
        }
        self.ensure_object("lines", ObjType::List)
    }

    fn line_index(&mut self, line_id: &str) -> Result<(ObjId, usize, ObjId)> {
        let list = self.lines_obj()?;
        for i in 0..self.doc.length(&list) {
            if let Some((automerge::Value::Object(ObjType::Map), line)) = self.doc.get(&list, i)?
                && read::scalar_str(&self.doc, &line, "line_id").as_deref() == Some(line_id)
            {
                return Ok((list, i, line));
            }
        }
        Err(CoreError::UnknownLine(line_id.to_string()))
    }

    /// Appends a quote line with the given id and values.
    pub fn add_line(
        &mut self,
        line_id: &str,
        values: &[(&'static FieldSpec, Value)],
    ) -> Result<()> {
        let list = self.lines_obj()?;
        let len = self.doc.length(&list);
        let line = self.doc.insert_object(&list, len, ObjType::Map)?;
        self.doc.put(&line, "line_id", line_id)?;
        for (spec, v) in values {
            self.put_field(&line, spec, Some(v.clone()))?;
        }
        Ok(())
    }

    /// Sets (or clears, with `None`) fields of one quote line.
    pub fn set_line(
        &mut self,
        line_id: &str,
        values: &[(&'static FieldSpec, Option<Value>)],
    ) -> Result<()> {
        let (_, _, line) = self.line_index(line_id)?;
        for (spec, v) in values {
            self.put_field(&line, spec, v.clone())?;
        }
        Ok(())
    }

    pub fn remove_line(&mut self, line_id: &str) -> Result<()> {
        let (list, i, _) = self.line_index(line_id)?;
        self.doc.delete(&list, i)?;
        Ok(())
    }

    /// Commits the pending edits as one change by `author`. Returns the change's bytes (for
    /// the outbox and the stored document), or `None` if nothing was edited.
    pub fn commit(&mut self, author: &Author) -> Result<Option<Vec<u8>>> {
        if self.doc.pending_ops() == 0 {
            return Ok(None);
        }
        if !std::mem::take(&mut self.stamped) {
            self.doc
                .put(ROOT, K_UPDATED_AT, format_datetime(author.at))?;
            self.doc.put(ROOT, K_UPDATED_BY, author.user.as_str())?;
        }
        let opts = CommitOptions::default()
            .with_message(author.user.clone())
            .with_time(author.millis());
        if self.doc.commit_with(opts).is_none() {
            return Ok(None);
        }
        Ok(self
            .doc
            .get_last_local_change()
            .map(|c| c.raw_bytes().to_vec()))
    }

    /// Throws away edits not yet committed.
    pub fn rollback(&mut self) {
        self.doc.rollback();
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Merges saved documents or changes from another copy; returns the raw bytes of each
    /// change that was new here (in causal order).
    pub fn merge_bytes(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
        let before = self.doc.get_heads();
        self.doc.load_incremental(bytes)?;
        let new = self.doc.get_changes(&before);
        Ok(new.iter().map(|c| c.raw_bytes().to_vec()).collect())
    }

    /// The current state of the record (winning values; see [`RecordDoc::conflicts`]).
    pub fn read(&self) -> Record {
        read::record(&self.doc, self.id, self.kind)
    }

    /// Fields that hold concurrent values, each with who wrote it and when.
    pub fn conflicts(&mut self) -> Result<Vec<Conflict>> {
        audit::conflicts(&mut self.doc, self.kind)
    }

    /// Every field change, oldest first, with author, time and the values before and after.
    pub fn history(&mut self) -> Result<Vec<HistoryEntry>> {
        audit::history(&mut self.doc, self.id, self.kind)
    }

    /// The underlying document (for the sync layer).
    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }
}

/// How a single value is stored.
fn scalar_of(spec: &FieldSpec, v: Value) -> Result<ScalarValue> {
    Ok(match v {
        Value::Str(s) | Value::Notes(s) => ScalarValue::Str(s.into()),
        Value::Ref(_, id) => ScalarValue::Str(id.to_string().into()),
        Value::Int(i) => ScalarValue::Int(i),
        Value::Float(f) => ScalarValue::F64(f),
        Value::Bool(b) => ScalarValue::Boolean(b),
        Value::Tags(_) => {
            return Err(CoreError::InvalidValue {
                field: spec.name.into(),
                value: "[...]".into(),
                expected: "a single value, not a list".into(),
            });
        }
    })
}

/// The field names of a kind, for error messages.
pub fn field_names(kind: Kind) -> String {
    schema::fields(kind)
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
