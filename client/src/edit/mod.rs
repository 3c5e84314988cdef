//! Writing records with typed values: create, update, delete/restore, notes, quote lines,
//! resolving conflicts. Everything given is checked (`check`: fields, values, references,
//! rules) before anything changes, then written in one transaction through the one merge
//! path (`merge`): the document, its outbox entry and its projections together.
//!
//! Knows nothing of SQL (it writes through `store::Tx`) or of text typed on a command line.

pub(crate) mod check;
mod convert;

pub use convert::{AccountChoice, AccountMatch, Conversion, Converted};

use crate::error::{ClientError, Result, Rule};
use crate::merge::{self, Origin};
use crate::model::FieldValues;
use crate::store::{Settings, Store, StoredDoc, Tx};
use check::{Mode, Target};
use fieldbook_core::doc::{Author, RecordDoc};
use fieldbook_core::schema::FieldSpec;
use fieldbook_core::value::{FieldValue, Value};
use fieldbook_core::{CoreError, Kind};
use time::OffsetDateTime;
use uuid::Uuid;

/// The field of `kind` named `name` (or its output name, `activity_kind`), or an error that
/// lists the kind's fields.
pub fn field(kind: Kind, name: &str) -> Result<&'static FieldSpec> {
    check::lookup(Target::Record(kind), name)
}

/// The quote line field named `name`, or an error that lists them.
pub fn line_field(name: &str) -> Result<&'static FieldSpec> {
    check::lookup(Target::Line, name)
}

pub(crate) fn new_line_id() -> String {
    Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// Commits the pending edits of a loaded document by `author` and writes what they touch.
pub(crate) fn save_edit(tx: &mut Tx, stored: &mut StoredDoc, author: &Author) -> Result<()> {
    if let Some(change) = stored.doc.commit(author)? {
        merge::write_held(tx, stored, &[change], Origin::Here)?;
    }
    Ok(())
}

/// Stores a record created here (its creation is pending in `doc`).
pub(crate) fn save_new(tx: &mut Tx, doc: &mut RecordDoc, author: &Author) -> Result<()> {
    let change = doc.commit(author)?.ok_or_else(|| {
        ClientError::Core(CoreError::NotARecord("a new record without fields".into()))
    })?;
    merge::write_new(tx, doc, Some(&change), Origin::Here)?;
    Ok(())
}

/// Creates record `id` of `kind` with checked `values` in the caller's transaction: the
/// store's checks (references, rules across records and fields) and defaults, then the
/// document, its outbox entry and its projections. The caller checked `may_write`.
pub(crate) fn create_in(
    tx: &mut Tx,
    kind: Kind,
    id: Uuid,
    values: check::Assignments,
    now: OffsetDateTime,
) -> Result<()> {
    let values = check::prepare_new(tx, kind, id, values, now)?;
    let created = build_created(tx.settings(), kind, id, &values, now)?;
    merge::write_created(tx, &created)
}

/// The document of a new record from its complete, checked values (`check::prepare_new`),
/// by this store's user at `now`: created, checked against the rules across fields,
/// committed as its one change, and read for its projection. Needs no store: an import
/// builds many on worker threads while the store writes others.
pub(crate) fn build_created(
    settings: &Settings,
    kind: Kind,
    id: Uuid,
    values: &[(&'static FieldSpec, Value)],
    now: OffsetDateTime,
) -> Result<merge::Created> {
    let author = Author {
        user: settings.user.clone(),
        at: now,
    };
    let mut doc = RecordDoc::create(kind, id, &settings.actor, &author, values)?;
    // What the document reads as, without reading it back (tests check it is the same).
    let record = RecordDoc::created_record(kind, id, &author, values);
    debug_assert_eq!(record, doc.read(), "a created record reads as it was made");
    check::new_record_rules(&record)?;
    let change = doc.commit(&author)?.ok_or_else(|| {
        ClientError::Core(CoreError::NotARecord("a new record without fields".into()))
    })?;
    Ok(merge::Created {
        id,
        kind,
        change,
        json: record.to_json(""),
        attention: crate::store::attention::of_record(&record),
    })
}

/// Creates a new record (a new id) in the caller's transaction, as [`Store::create`] does:
/// the role's rule first, then [`create_in`]; returns its id.
pub(crate) fn create_here(
    tx: &mut Tx,
    kind: Kind,
    values: check::Assignments,
    now: OffsetDateTime,
) -> Result<Uuid> {
    check::may_write(tx, kind)?;
    let id = Uuid::now_v7();
    create_in(tx, kind, id, values, now)?;
    Ok(id)
}

/// Loads a record of `kind` in the caller's transaction, lets `change` edit it, then
/// commits the edit by this store's user and writes what it touched.
pub(crate) fn edit_in<T>(
    tx: &mut Tx,
    id: Uuid,
    only: Option<Kind>,
    now: OffsetDateTime,
    change: impl FnOnce(&Tx, &mut RecordDoc) -> Result<T>,
) -> Result<T> {
    let mut stored = tx
        .load(id)?
        .ok_or_else(|| ClientError::NotFound(id.to_string()))?;
    if let Some(kind) = only
        && stored.doc.kind() != kind
    {
        return Err(ClientError::WrongKind {
            id,
            found: stored.doc.kind(),
            expected: kind,
        });
    }
    check::may_write(tx, stored.doc.kind())?;
    let out = change(tx, &mut stored.doc)?;
    let author = Author {
        user: tx.settings().user.clone(),
        at: now,
    };
    save_edit(tx, &mut stored, &author)?;
    Ok(out)
}

impl Store {
    /// Creates a record of `kind` with `values` (by field name); returns its id. Fields not
    /// given get their defaults (a quote its number, an activity the time, a case its
    /// assignee and due date, ...).
    pub fn create(&mut self, kind: Kind, values: &FieldValues) -> Result<Uuid> {
        let now = OffsetDateTime::now_utc();
        let values = check::from_values(Target::Record(kind), values, Mode::Create, now)?;
        self.write(|tx| create_here(tx, kind, values, now))
    }

    /// Refuses, before anything is read or written, records of a kind this store's user may
    /// not write (products, unless an admin).
    pub fn may_write_kind(&self, kind: Kind) -> Result<()> {
        check::role_allows(kind, self.sync_state()?.role.as_deref())
    }

    /// Loads a record (of `only` that kind, if given), lets `change` edit its document,
    /// then commits the edit by this store's user and writes everything it touches, all in
    /// one transaction. Returns what `change` returned.
    fn edit_record<T>(
        &mut self,
        id: Uuid,
        only: Option<Kind>,
        change: impl FnOnce(&Tx, &mut RecordDoc, OffsetDateTime) -> Result<T>,
    ) -> Result<T> {
        let now = OffsetDateTime::now_utc();
        self.write(|tx| edit_in(tx, id, only, now, |tx, doc| change(tx, doc, now)))
    }

    /// Sets fields (`None` clears one).
    pub fn update(&mut self, id: Uuid, values: &FieldValues) -> Result<()> {
        self.edit_record(id, None, |tx, doc, now| {
            let values = check::from_values(Target::Record(doc.kind()), values, Mode::Update, now)?;
            set_fields(tx, doc, values, now)
        })
    }

    /// Marks a record deleted (`true`) or restores it (`false`). Returns whether it changed.
    pub fn set_deleted(&mut self, id: Uuid, deleted: bool) -> Result<bool> {
        self.edit_record(id, None, |_, doc, _| {
            if doc.read().deleted == deleted {
                return Ok(false);
            }
            doc.set_deleted(deleted)?;
            Ok(true)
        })
    }

    /// Appends a paragraph to the notes of an account or a lead (others' additions
    /// interleave).
    pub fn append_note(&mut self, id: Uuid, text: &str) -> Result<()> {
        if text.trim().is_empty() {
            return Err(ClientError::Rule(Rule::EmptyNote));
        }
        self.edit_record(id, None, |_, doc, _| {
            if !matches!(doc.kind(), Kind::Account | Kind::Lead) {
                return Err(ClientError::Rule(Rule::NotesOnlyOnAccounts(doc.kind())));
            }
            Ok(doc.append_note(text)?)
        })
    }

    /// Sets an account's notes to `text`, as an edit of `base`: the notes as they read at
    /// `heads` (the record's `heads` when the editor read it). Only the characters that
    /// differ between `base` and `text` change, and what was written meanwhile (pulled, or
    /// typed elsewhere) stays. Returns the heads at which the notes read `text`: the next
    /// edit from the same editor starts there.
    pub fn edit_notes(
        &mut self,
        id: Uuid,
        heads: &[String],
        base: &str,
        text: &str,
    ) -> Result<Vec<String>> {
        let now = OffsetDateTime::now_utc();
        self.write(|tx| {
            let mut stored = tx
                .load(id)?
                .ok_or_else(|| ClientError::NotFound(id.to_string()))?;
            if stored.doc.kind() != Kind::Account {
                return Err(ClientError::Rule(Rule::NotesOnlyOnAccounts(
                    stored.doc.kind(),
                )));
            }
            let author = Author {
                user: tx.settings().user.clone(),
                at: now,
            };
            let edit = stored.doc.edit_notes(heads, base, text, &author)?;
            if let Some(change) = edit.change {
                merge::write_held(tx, &mut stored, &[change], Origin::Here)?;
            }
            Ok(edit.heads)
        })
    }

    /// Adds a line to a quote; returns the new line's id. A line of a product gets the
    /// product's name and price unless given; a line needs a price.
    pub fn add_quote_line(&mut self, quote: Uuid, values: &FieldValues) -> Result<String> {
        self.edit_record(quote, Some(Kind::Quote), |tx, doc, now| {
            let mut values = check::from_values(Target::Line, values, Mode::Create, now)?;
            check::references(tx, &values)?;
            let currency = doc.read().str("currency").map(str::to_string);
            check::complete_line(tx, currency.as_deref(), &mut values, now)?;
            let line_id = new_line_id();
            let values: Vec<_> = values
                .into_iter()
                .filter_map(|(s, v)| v.map(|v| (s, v)))
                .collect();
            doc.add_line(&line_id, &values)?;
            Ok(line_id)
        })
    }

    /// Sets (or, with `None`, clears) fields of a quote line.
    pub fn set_quote_line(
        &mut self,
        quote: Uuid,
        line_id: &str,
        values: &FieldValues,
    ) -> Result<()> {
        self.edit_record(quote, Some(Kind::Quote), |tx, doc, now| {
            let values = check::from_values(Target::Line, values, Mode::Update, now)?;
            check::references(tx, &values)?;
            Ok(doc.set_line(line_id, &values)?)
        })
    }

    pub fn remove_quote_line(&mut self, quote: Uuid, line_id: &str) -> Result<()> {
        self.edit_record(quote, Some(Kind::Quote), |_, doc, _| {
            Ok(doc.remove_line(line_id)?)
        })
    }

    /// Settles the conflict on `field` (a field name, `deleted`, or `lines.LINE_ID.FIELD`)
    /// with `value`; the settling merges like any edit.
    pub fn resolve(&mut self, id: Uuid, field: &str, value: Option<FieldValue>) -> Result<()> {
        self.edit_record(id, None, |tx, doc, now| {
            let open = doc.conflicts()?;
            let kind = doc.kind();
            let canonical = match field.strip_prefix("lines.") {
                Some(_) => field.to_string(),
                None if field == "deleted" => field.to_string(),
                None => check::lookup(Target::Record(kind), field)?.name.to_string(),
            };
            if !open.iter().any(|c| c.field == canonical) {
                return Err(CoreError::NoConflict(field.into()).into());
            }
            let one = |name: &str| -> FieldValues { [(name.to_string(), value.clone())].into() };
            match canonical
                .strip_prefix("lines.")
                .and_then(|rest| rest.split_once('.'))
            {
                Some((line_id, name)) => {
                    let values = check::from_values(Target::Line, &one(name), Mode::Update, now)?;
                    check::references(tx, &values)?;
                    doc.set_line(line_id, &values)?;
                }
                None if canonical == "deleted" => {
                    doc.set_deleted(value == Some(FieldValue::Bool(true)))?;
                }
                None => {
                    let values = check::from_values(
                        Target::Record(kind),
                        &one(&canonical),
                        Mode::Update,
                        now,
                    )?;
                    set_fields(tx, doc, values, now)?;
                }
            }
            Ok(())
        })
    }
}

/// Checks field values against the store, sets them, and checks the rules they touch on
/// the record as it then is (a refusal rolls the whole write back).
fn set_fields(
    tx: &Tx,
    doc: &mut RecordDoc,
    mut values: check::Assignments,
    now: OffsetDateTime,
) -> Result<()> {
    let record = doc.read();
    check::case_follow_ups(&record, &mut values, now)?;
    check::references(tx, &values)?;
    let account = record.reference("account_id");
    check::record_rules(tx, doc.kind(), doc.id(), account, &values)?;
    for (spec, v) in &values {
        doc.set(spec, v.clone())?;
    }
    check::touched_rules(&doc.read(), &values)
}
