//! Writing records: create, edit, clear, delete/restore, notes, quote lines, resolving
//! conflicts. Everything typed is parsed and checked (fields, forms, references, rules)
//! before the one transaction that applies it, so bad input changes nothing.

use crate::error::{ClientError, Result};
use crate::store::{Settings, Store, StoredDoc, projection, push_outbox, set_meta};
use fieldbook_core::doc::{Author, RecordDoc, field_names};
use fieldbook_core::record::Record;
use fieldbook_core::schema::{self, Edit, FieldSpec};
use fieldbook_core::value::{self, Value};
use fieldbook_core::{CoreError, Kind};
use rusqlite::{Connection, OptionalExtension};
use time::OffsetDateTime;
use uuid::Uuid;

/// Parsed `field=value` arguments: `None` clears the field.
pub(crate) type Assignments = Vec<(&'static FieldSpec, Option<Value>)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Update,
}

/// What a set of `field=value` arguments is about: a record of a kind, or a quote line.
#[derive(Clone, Copy)]
enum Target {
    Record(Kind),
    Line,
}

fn lookup(target: Target, name: &str) -> Result<&'static FieldSpec> {
    let (found, what, known) = match target {
        Target::Record(kind) => (
            schema::field(kind, name),
            kind.a().to_string(),
            field_names(kind),
        ),
        Target::Line => (
            schema::LINE_FIELDS.iter().find(|s| s.name == name),
            "a quote line".to_string(),
            schema::LINE_FIELDS[1..]
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    found.ok_or_else(|| {
        CoreError::UnknownField {
            kind: what,
            field: name.into(),
            known,
        }
        .into()
    })
}

fn parse_args(
    target: Target,
    args: &[String],
    mode: Mode,
    now: OffsetDateTime,
) -> Result<Assignments> {
    let mut out: Assignments = Vec::new();
    for arg in args {
        let (name, raw) = value::parse_assignment(arg)?;
        let spec = lookup(target, name)?;
        check_editable(spec, mode)?;
        let v = value::parse(spec, raw, now)?;
        if v.is_none() && spec.required {
            let what = match target {
                Target::Record(kind) => kind.a(),
                Target::Line => "a quote line",
            };
            return Err(CoreError::MissingRequired {
                kind: what.into(),
                field: spec.name.into(),
            }
            .into());
        }
        out.retain(|(s, _)| s.name != spec.name);
        out.push((spec, v));
    }
    Ok(out)
}

fn check_editable(spec: &FieldSpec, mode: Mode) -> Result<()> {
    let why = match (spec.edit, mode) {
        (Edit::Free, _) | (Edit::CreateOnly, Mode::Create) => return Ok(()),
        (Edit::Assigned, _) => "Fieldbook assigns it".to_string(),
        (Edit::Dedicated, _) => "use `fieldbook quote-line add|set|remove`".to_string(),
        (Edit::CreateOnly, Mode::Update) => {
            "it is set when the record is created; moving a record to another parent is not a field edit".to_string()
        }
    };
    Err(CoreError::NotEditable {
        field: spec.name.into(),
        why,
    }
    .into())
}

/// Checks that every reference names an existing, not deleted record of the right kind.
fn check_references(conn: &Connection, values: &Assignments) -> Result<()> {
    for (spec, v) in values {
        let Some(Value::Ref(kind, id)) = v else {
            continue;
        };
        let found: Option<(String, bool)> = conn
            .prepare_cached("SELECT kind, deleted FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let problem = match found {
            None => format!("no record has the id {id}: `fieldbook list {kind}` shows ids"),
            Some((k, _)) if k != kind.as_str() => {
                let found = Kind::parse(&k).map_or("another kind of record", Kind::a);
                format!("{id} is {found}, not {}", kind.a())
            }
            Some((_, true)) => format!("{id} is deleted: `fieldbook restore {id}` first"),
            Some(_) => continue,
        };
        return Err(ClientError::BadReference {
            field: spec.name.into(),
            problem,
        });
    }
    Ok(())
}

fn given<'a>(values: &'a Assignments, name: &str) -> Option<&'a Option<Value>> {
    values.iter().find(|(s, _)| s.name == name).map(|(_, v)| v)
}

/// The value a field will have after `values` are applied to `current`.
fn after<'a>(
    current: Option<&'a Record>,
    values: &'a Assignments,
    name: &str,
) -> Option<&'a Value> {
    match given(values, name) {
        Some(v) => v.as_ref(),
        None => current.and_then(|r| r.get(name)),
    }
}

/// Rules across fields, checked against the record as it will be.
fn check_rules(
    conn: &Connection,
    kind: Kind,
    id: Uuid,
    current: Option<&Record>,
    values: &Assignments,
) -> Result<()> {
    if kind == Kind::Opportunity
        && after(current, values, "stage") == Some(&Value::Str("lost".into()))
        && after(current, values, "loss_reason").is_none()
    {
        return Err(ClientError::Invalid(
            "a lost opportunity needs a reason: add loss_reason=\"...\" (e.g. loss_reason=\"price too high\")".into(),
        ));
    }
    if kind == Kind::Product
        && let Some(Some(Value::Str(sku))) = given(values, "sku")
    {
        let taken: Option<String> = conn
            .prepare_cached(
                "SELECT p.id FROM p_product p JOIN records r ON r.id = p.id
                 WHERE p.sku = ?1 AND p.id != ?2 AND r.deleted = 0",
            )?
            .query_row([sku.as_str(), &id.to_string()], |r| r.get(0))
            .optional()?;
        if let Some(other) = taken {
            return Err(ClientError::Invalid(format!(
                "sku `{sku}` is already used by product {other}: SKUs are unique"
            )));
        }
    }
    if kind == Kind::Account
        && let Some(Some(Value::Ref(_, parent))) = given(values, "parent_id")
        && *parent == id
    {
        return Err(ClientError::Invalid(
            "an account cannot be its own parent".into(),
        ));
    }
    Ok(())
}

fn text_of(conn: &Connection, sql: &str, id: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id.to_string()], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Fills in what a new record gets when not given: static defaults, currencies, the time of
/// an activity, the assignee of a task, and a quote's number.
fn fill_defaults(
    conn: &Connection,
    s: &Settings,
    kind: Kind,
    values: &mut Assignments,
    now: OffsetDateTime,
) -> Result<()> {
    let add = |values: &mut Assignments, name: &str, raw: &str| -> Result<()> {
        if given(values, name).is_none() {
            let spec = schema::field(kind, name).expect("default for a known field");
            if let Some(v) = value::parse(spec, raw, now)? {
                values.push((spec, Some(v)));
            }
        }
        Ok(())
    };
    for spec in schema::fields(kind) {
        if let Some(d) = schema::static_default(kind, spec.name) {
            add(values, spec.name, d)?;
        }
    }
    match kind {
        Kind::Opportunity | Kind::Product => add(values, "currency", &s.default_currency)?,
        Kind::Quote => {
            let opp_currency = match given(values, "opportunity_id") {
                Some(Some(Value::Ref(_, opp))) => text_of(
                    conn,
                    "SELECT currency FROM p_opportunity WHERE id = ?1",
                    *opp,
                )?,
                _ => None,
            };
            add(
                values,
                "currency",
                opp_currency.as_deref().unwrap_or(&s.default_currency),
            )?;
            let seq: i64 = conn
                .query_row("SELECT value FROM meta WHERE key = 'quote_seq'", [], |r| {
                    r.get::<_, String>(0)
                })?
                .parse()
                .unwrap_or(0)
                + 1;
            set_meta(conn, "quote_seq", &seq.to_string())?;
            let spec = schema::field(kind, "number").expect("quotes have numbers");
            values.push((
                spec,
                Some(Value::Str(format!("Q-{}-{seq:04}", s.device_code))),
            ));
        }
        Kind::Activity => add(values, "at", "now")?,
        Kind::Task => add(values, "assignee", &s.user)?,
        Kind::Account | Kind::Contact => {}
    }
    Ok(())
}

/// Commits the pending edits of a loaded document and writes everything they touch.
fn save_edit(conn: &Connection, stored: &mut StoredDoc, author: &Author) -> Result<bool> {
    let Some(change) = stored.doc.commit(author)? else {
        return Ok(false);
    };
    stored.append(conn, std::slice::from_ref(&change))?;
    push_outbox(conn, stored.doc.id(), &change)?;
    let conflicts = stored.doc.conflicts()?.len();
    let row = projection::upsert(conn, &stored.doc.read(), conflicts)?;
    projection::write_search(conn, &[row])?;
    Ok(true)
}

/// Stores a document created here (its creation is pending in `doc`). Its search row is
/// added to `search`, for the caller to write (at once, or with a whole batch).
pub(crate) fn save_new(
    conn: &Connection,
    doc: &mut RecordDoc,
    author: &Author,
    search: &mut Vec<projection::SearchRow>,
) -> Result<()> {
    let change = doc
        .commit(author)?
        .ok_or_else(|| ClientError::Invalid("nothing to create".into()))?;
    StoredDoc::insert_created(conn, doc, &change)?;
    push_outbox(conn, doc.id(), &change)?;
    search.push(projection::upsert(conn, &doc.read(), 0)?);
    Ok(())
}

/// A new record's values, checked and completed, ready for [`RecordDoc::create`].
pub(crate) fn prepare_new(
    conn: &Connection,
    s: &Settings,
    kind: Kind,
    id: Uuid,
    args: &[String],
    now: OffsetDateTime,
) -> Result<Vec<(&'static FieldSpec, Value)>> {
    let mut values = parse_args(Target::Record(kind), args, Mode::Create, now)?;
    values.retain(|(_, v)| v.is_some());
    check_references(conn, &values)?;
    check_rules(conn, kind, id, None, &values)?;
    fill_defaults(conn, s, kind, &mut values, now)?;
    Ok(values
        .into_iter()
        .filter_map(|(s, v)| v.map(|v| (s, v)))
        .collect())
}

fn load(conn: &Connection, s: &Settings, id: Uuid) -> Result<StoredDoc> {
    StoredDoc::load(conn, id, &s.actor)?.ok_or_else(|| ClientError::NotFound(id.to_string()))
}

fn new_line_id() -> String {
    Uuid::new_v4().simple().to_string()[..8].to_string()
}

impl Store {
    /// Finds a record's full id from a full id or an unambiguous prefix of one.
    pub fn resolve_id(&self, text: &str) -> Result<Uuid> {
        let t = text.trim().to_ascii_lowercase();
        if let Ok(id) = Uuid::parse_str(&t) {
            return Ok(id);
        }
        let hex_ok = t.len() >= 4 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !hex_ok {
            return Err(ClientError::NotFound(text.into()));
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM records WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([&t], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Uuid::parse_str(one).map_err(|_| ClientError::NotFound(text.into())),
            [] => Err(ClientError::NotFound(text.into())),
            _ => Err(ClientError::Invalid(format!(
                "`{text}` matches several records: type more of the id"
            ))),
        }
    }

    /// Creates a record from `field=value` arguments; returns its id.
    pub fn create(&mut self, kind: Kind, args: &[String]) -> Result<Uuid> {
        let now = OffsetDateTime::now_utc();
        self.write(|tx, s| {
            let id = Uuid::now_v7();
            let values = prepare_new(tx, s, kind, id, args, now)?;
            let author = Author {
                user: s.user.clone(),
                at: now,
            };
            let mut doc = RecordDoc::create(kind, id, &s.actor, &author, &values)?;
            let mut search = Vec::new();
            save_new(tx, &mut doc, &author, &mut search)?;
            projection::write_search(tx, &search)?;
            Ok(id)
        })
    }

    /// Loads a record (of `only` that kind, if given), lets `change` edit its document,
    /// then commits the edit by this store's user and writes everything it touches, all in
    /// one transaction. Returns what `change` returned.
    fn edit_record<T>(
        &mut self,
        id: Uuid,
        only: Option<Kind>,
        change: impl FnOnce(&Connection, &mut RecordDoc, OffsetDateTime) -> Result<T>,
    ) -> Result<T> {
        let now = OffsetDateTime::now_utc();
        self.write(|tx, s| {
            let mut stored = load(tx, s, id)?;
            if let Some(kind) = only
                && stored.doc.kind() != kind
            {
                return Err(ClientError::Invalid(format!(
                    "{id} is {}, not {}",
                    stored.doc.kind().a(),
                    kind.a()
                )));
            }
            let out = change(tx, &mut stored.doc, now)?;
            save_edit(
                tx,
                &mut stored,
                &Author {
                    user: s.user.clone(),
                    at: now,
                },
            )?;
            Ok(out)
        })
    }

    /// Sets fields from `field=value` arguments (an empty value clears the field).
    pub fn update(&mut self, id: Uuid, args: &[String]) -> Result<()> {
        self.edit_record(id, None, |tx, doc, now| {
            let values = parse_args(Target::Record(doc.kind()), args, Mode::Update, now)?;
            set_fields(tx, doc, values)
        })
    }

    /// Clears fields.
    pub fn unset(&mut self, id: Uuid, fields: &[String]) -> Result<()> {
        let args: Vec<String> = fields
            .iter()
            .map(|f| format!("{}=", f.trim_end_matches('=')))
            .collect();
        self.update(id, &args)
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

    /// Appends a paragraph to an account's notes.
    pub fn append_note(&mut self, id: Uuid, text: &str) -> Result<()> {
        if text.trim().is_empty() {
            return Err(ClientError::Invalid(
                "the note is empty: `fieldbook note ID \"what happened\"`".into(),
            ));
        }
        self.edit_record(id, None, |_, doc, _| {
            if doc.kind() != Kind::Account {
                return Err(ClientError::Invalid(format!(
                    "only accounts have notes; this is {}: record it as an activity \
                     (`fieldbook new activity account_id=... kind=note body=...`)",
                    doc.kind().a()
                )));
            }
            Ok(doc.append_note(text)?)
        })
    }

    /// Adds a line to a quote; returns the new line's id.
    pub fn add_quote_line(&mut self, quote: Uuid, args: &[String]) -> Result<String> {
        self.edit_record(quote, Some(Kind::Quote), |tx, doc, now| {
            let mut values = parse_args(Target::Line, args, Mode::Create, now)?;
            values.retain(|(_, v)| v.is_some());
            check_references(tx, &values)?;
            complete_line(tx, &mut values, now)?;
            let line_id = new_line_id();
            let values: Vec<_> = values
                .into_iter()
                .filter_map(|(s, v)| v.map(|v| (s, v)))
                .collect();
            doc.add_line(&line_id, &values)?;
            Ok(line_id)
        })
    }

    /// Sets (or, with an empty value, clears) fields of a quote line.
    pub fn set_quote_line(&mut self, quote: Uuid, line_id: &str, args: &[String]) -> Result<()> {
        self.edit_record(quote, Some(Kind::Quote), |tx, doc, now| {
            let values = parse_args(Target::Line, args, Mode::Update, now)?;
            check_references(tx, &values)?;
            Ok(doc.set_line(line_id, &values)?)
        })
    }

    pub fn remove_quote_line(&mut self, quote: Uuid, line_id: &str) -> Result<()> {
        self.edit_record(quote, Some(Kind::Quote), |_, doc, _| {
            Ok(doc.remove_line(line_id)?)
        })
    }

    /// Settles a conflict on `field` (or `lines.LINE_ID.FIELD`) with `value`.
    pub fn resolve(&mut self, id: Uuid, field: &str, raw: &str) -> Result<()> {
        self.edit_record(id, None, |tx, doc, now| {
            let open = doc.conflicts()?;
            let kind = doc.kind();
            let canonical = match field.strip_prefix("lines.") {
                Some(_) => field.to_string(),
                None => lookup(Target::Record(kind), field)?.name.to_string(),
            };
            if !open.iter().any(|c| c.field == canonical) {
                return Err(CoreError::NoConflict(field.into()).into());
            }
            match canonical
                .strip_prefix("lines.")
                .and_then(|rest| rest.split_once('.'))
            {
                Some((line_id, name)) => {
                    let values =
                        parse_args(Target::Line, &[format!("{name}={raw}")], Mode::Update, now)?;
                    check_references(tx, &values)?;
                    doc.set_line(line_id, &values)?;
                }
                None if canonical == "deleted" => {
                    let d = matches!(
                        raw.trim().to_ascii_lowercase().as_str(),
                        "true" | "yes" | "1"
                    );
                    doc.set_deleted(d)?;
                }
                None => {
                    let values = parse_args(
                        Target::Record(kind),
                        &[format!("{canonical}={raw}")],
                        Mode::Update,
                        now,
                    )?;
                    set_fields(tx, doc, values)?;
                }
            }
            Ok(())
        })
    }
}

/// Checks parsed field values against the store and the record, then sets them.
fn set_fields(tx: &Connection, doc: &mut RecordDoc, values: Assignments) -> Result<()> {
    check_references(tx, &values)?;
    check_rules(tx, doc.kind(), doc.id(), Some(&doc.read()), &values)?;
    for (spec, v) in values {
        doc.set(spec, v)?;
    }
    Ok(())
}

/// A new line's defaults: one unit, the product's name and price; a price is required.
fn complete_line(conn: &Connection, values: &mut Assignments, now: OffsetDateTime) -> Result<()> {
    let spec = |n: &str| {
        schema::LINE_FIELDS
            .iter()
            .find(|s| s.name == n)
            .expect("line field")
    };
    let add = |values: &mut Assignments, name: &str, raw: Option<String>| -> Result<()> {
        if let Some(raw) = raw
            && given(values, name).is_none()
            && let Some(v) = value::parse(spec(name), &raw, now)?
        {
            values.push((spec(name), Some(v)));
        }
        Ok(())
    };
    if let Some(Some(Value::Ref(_, product))) = given(values, "product_id").cloned() {
        add(
            values,
            "unit_price",
            text_of(
                conn,
                "SELECT unit_price FROM p_product WHERE id = ?1",
                product,
            )?,
        )?;
        add(
            values,
            "description",
            text_of(conn, "SELECT name FROM p_product WHERE id = ?1", product)?,
        )?;
    }
    add(values, "quantity", Some("1".into()))?;
    if given(values, "unit_price").is_none() {
        return Err(ClientError::Invalid(
            "a quote line needs a price: add unit_price=... or product_id=... of a product with a price".into(),
        ));
    }
    Ok(())
}

/// Merges a document from elsewhere (a bundle, later the server) into the store: new
/// records are stored whole, known ones gain the changes they lacked. Every new change
/// goes to the outbox.
pub(crate) fn merge_into(
    tx: &Connection,
    s: &Settings,
    mut incoming: RecordDoc,
    report: &mut crate::exchange::AbsorbReport,
    search: &mut Vec<projection::SearchRow>,
) -> Result<()> {
    let id = incoming.id();
    match StoredDoc::load(tx, id, &s.actor)? {
        Some(mut stored) => {
            if stored.doc.kind() != incoming.kind() {
                return Err(ClientError::Invalid(format!(
                    "record {id} is {} here but {} in the bundle: not merged",
                    stored.doc.kind().a(),
                    incoming.kind().a()
                )));
            }
            let saved = incoming.save();
            let new = stored.doc.merge_bytes(&saved)?;
            if new.is_empty() {
                return Ok(());
            }
            stored.append(tx, &new)?;
            for c in &new {
                push_outbox(tx, id, c)?;
            }
            let conflicts = stored.doc.conflicts()?.len();
            search.push(projection::upsert(tx, &stored.doc.read(), conflicts)?);
            report.updated_records += 1;
            report.new_changes += new.len() as u64;
        }
        None => {
            StoredDoc::insert(tx, &mut incoming)?;
            let changes = incoming.automerge().get_changes(&[]);
            for c in &changes {
                push_outbox(tx, id, c.raw_bytes())?;
            }
            let conflicts = incoming.conflicts()?.len();
            search.push(projection::upsert(tx, &incoming.read(), conflicts)?);
            report.new_records += 1;
            report.new_changes += changes.len() as u64;
        }
    }
    Ok(())
}
