//! Editing collaborative notes as a person does: the editor read the notes at some point
//! (the document's heads then), the person typed, and the new text is applied as the
//! splices between the two texts *at that point*, then merged into the document as it is
//! now. Words another device added meanwhile (pulled while the person typed, or made
//! offline elsewhere) stay: the edit touches only the characters the person changed.

use super::{Author, RecordDoc};
use crate::error::{CoreError, Result};
use crate::schema::{self, FieldType};
use automerge::transaction::Transactable;
use automerge::{ChangeHash, ObjType, ROOT, ReadDoc};
use std::str::FromStr;

/// What an edit of the notes wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotesEdit {
    /// The new change's bytes (for the outbox and the stored document); `None` when the
    /// text was unchanged.
    pub change: Option<Vec<u8>>,
    /// Heads at which the notes read exactly the text written: where the editor's next edit
    /// starts from (the document itself may hold more by now, merged from elsewhere).
    pub heads: Vec<String>,
}

/// Document heads as text (hex hashes), as programs carry them.
pub fn heads_to_strings(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ToString::to_string).collect()
}

fn parse_heads(heads: &[String]) -> Result<Vec<ChangeHash>> {
    heads
        .iter()
        .map(|h| {
            ChangeHash::from_str(h).map_err(|_| CoreError::InvalidValue {
                field: "heads".into(),
                value: h.clone(),
                expected: "a change hash (64 hex digits) as read with the record".into(),
            })
        })
        .collect()
}

impl RecordDoc {
    /// The document's heads as text.
    pub fn heads_text(&mut self) -> Vec<String> {
        heads_to_strings(&self.doc.get_heads())
    }

    /// Sets the notes to `new`, as an edit of `base`: the notes as they read at `heads`
    /// (the heads the editor read them at). The splices from `base` to `new` are made on a
    /// copy of the document at `heads`, committed by `author`, and merged here, so changes
    /// made since `heads` are kept. Refused, changing nothing, when the notes at `heads`
    /// are not `base` or a head is unknown here.
    pub fn edit_notes(
        &mut self,
        heads: &[String],
        base: &str,
        new: &str,
        author: &Author,
    ) -> Result<NotesEdit> {
        let spec = schema::fields(self.kind)
            .iter()
            .find(|f| f.ty == FieldType::Notes)
            .ok_or_else(|| CoreError::NotEditable {
                field: "notes".into(),
                why: format!("{} has no notes", self.kind.a()),
            })?;
        let at = parse_heads(heads)?;
        let unknown = |_| CoreError::NotEditable {
            field: "notes".into(),
            why: "the version they were read at is not on this device; read the record again"
                .into(),
        };
        let current = self.doc.get_heads();
        let same_point = {
            let (mut a, mut b) = (at.clone(), current.clone());
            a.sort();
            b.sort();
            a == b
        };
        // Edited where the document stands: an ordinary edit by this device.
        // Edited from an older point: on a copy at that point (its own actor), merged back.
        let mut fork = if same_point {
            None
        } else {
            Some(RecordDoc {
                doc: self.doc.fork_at(&at).map_err(unknown)?,
                id: self.id,
                kind: self.kind,
                stamped: false,
            })
        };
        let target = fork.as_mut().unwrap_or(self);
        let text = match target.doc.get(ROOT, spec.name)? {
            Some((automerge::Value::Object(ObjType::Text), id)) => Some(id),
            _ => None,
        };
        let read = match &text {
            Some(id) => target.doc.text(id)?,
            None => String::new(),
        };
        if read != base {
            return Err(CoreError::NotEditable {
                field: "notes".into(),
                why: "they changed since they were read in a way this edit does not start from; read the record again".into(),
            });
        }
        let text = match text {
            Some(id) => id,
            None => target.doc.put_object(ROOT, spec.name, ObjType::Text)?,
        };
        target.doc.update_text(&text, new)?;
        let change = target.commit(author)?;
        let heads = target.heads_text();
        if let (Some(_), Some(bytes)) = (&fork, &change) {
            self.merge_bytes(bytes)?;
        }
        Ok(NotesEdit { change, heads })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::value::Value;
    use automerge::ActorId;
    use uuid::Uuid;

    fn account(actor: &ActorId, notes: &str) -> RecordDoc {
        let name = schema::field(Kind::Account, "name").unwrap();
        let spec = schema::field(Kind::Account, "notes").unwrap();
        let mut doc = RecordDoc::create(
            Kind::Account,
            Uuid::now_v7(),
            actor,
            &Author::now("alice"),
            &[
                (name, Value::Str("Acme".into())),
                (spec, Value::Notes(notes.into())),
            ],
        )
        .unwrap();
        doc.commit(&Author::now("alice")).unwrap();
        doc
    }

    fn notes(doc: &RecordDoc) -> String {
        doc.read().str("notes").unwrap_or_default().to_string()
    }

    #[test]
    fn an_edit_from_an_older_point_keeps_what_was_written_since() {
        let mut doc = account(&ActorId::random(), "Call back in May.");
        let read_at = doc.heads_text();
        // Someone else's words arrive while the person types.
        doc.edit_notes(
            &read_at,
            "Call back in May.",
            "Call back in May. Budget approved.",
            &Author::now("bob"),
        )
        .unwrap();
        let edit = doc
            .edit_notes(
                &read_at,
                "Call back in May.",
                "Visit: call back in May.",
                &Author::now("alice"),
            )
            .unwrap();
        assert!(edit.change.is_some());
        assert_eq!(notes(&doc), "Visit: call back in May. Budget approved.");
        // The heads returned read the text written, so typing on continues from there.
        let more = doc
            .edit_notes(
                &edit.heads,
                "Visit: call back in May.",
                "Visit: call back in June.",
                &Author::now("alice"),
            )
            .unwrap();
        assert!(more.change.is_some());
        assert_eq!(notes(&doc), "Visit: call back in June. Budget approved.");
    }

    #[test]
    fn an_edit_that_does_not_start_from_the_text_read_changes_nothing() {
        let mut doc = account(&ActorId::random(), "abc");
        let heads = doc.heads_text();
        let err = doc
            .edit_notes(&heads, "xyz", "xyz!", &Author::now("alice"))
            .unwrap_err();
        assert!(matches!(err, CoreError::NotEditable { .. }), "{err}");
        let err = doc
            .edit_notes(&["00".repeat(32)], "abc", "abcd", &Author::now("alice"))
            .unwrap_err();
        assert!(matches!(err, CoreError::NotEditable { .. }), "{err}");
        let err = doc
            .edit_notes(&["zz".into()], "abc", "abcd", &Author::now("alice"))
            .unwrap_err();
        assert!(matches!(err, CoreError::InvalidValue { .. }), "{err}");
        assert_eq!(notes(&doc), "abc");
        assert_eq!(doc.heads_text(), heads);
        let same = doc
            .edit_notes(&heads, "abc", "abc", &Author::now("alice"))
            .unwrap();
        assert_eq!(
            same,
            NotesEdit {
                change: None,
                heads
            }
        );
    }
}
