//! The checks every write passes before it changes anything: fields exist and may be
//! written, values have their field's type and form (core's rules), references name
//! records of the right kind, and rules across fields and records hold. Also the values a
//! new record or quote line gets when not given.

use crate::error::{ClientError, RefProblem, Result, Rule};
use crate::model::FieldValues;
use crate::store::Tx;
use fieldbook_core::doc::field_names;
use fieldbook_core::protocol::Role;
use fieldbook_core::record::Record;
use fieldbook_core::rules;
use fieldbook_core::schema::{self, Edit, FieldSpec};
use fieldbook_core::value::{self, Value};
use fieldbook_core::{CoreError, Kind};
use time::OffsetDateTime;
use uuid::Uuid;

/// Checked field values: `None` clears the field.
pub(crate) type Assignments = Vec<(&'static FieldSpec, Option<Value>)>;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Update,
}

/// What a set of field values is about: a record of a kind, or a quote line.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    Record(Kind),
    Line,
}

impl Target {
    fn a(self) -> &'static str {
        match self {
            Target::Record(kind) => kind.a(),
            Target::Line => "a quote line",
        }
    }
}

/// The field of `target` named `name` (or its output name).
pub(crate) fn lookup(target: Target, name: &str) -> Result<&'static FieldSpec> {
    let found = match target {
        Target::Record(kind) => schema::field(kind, name),
        Target::Line => schema::LINE_FIELDS.iter().find(|s| s.name == name),
    };
    found.ok_or_else(|| {
        let known = match target {
            Target::Record(kind) => field_names(kind),
            Target::Line => schema::LINE_FIELDS[1..]
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(", "),
        };
        CoreError::UnknownField {
            kind: target.a().to_string(),
            field: name.into(),
            known,
        }
        .into()
    })
}

fn check_editable(spec: &FieldSpec, mode: Mode) -> Result<()> {
    let why = match (spec.edit, mode) {
        (Edit::Free, _) | (Edit::CreateOnly, Mode::Create) => return Ok(()),
        (Edit::Assigned, _) => "Fieldbook assigns it",
        (Edit::Merge, _) => "a merge of duplicates writes it",
        (Edit::Dedicated, _) if spec.ty == schema::FieldType::Lines => {
            "quote lines are changed line by line (add, set, remove a line)"
        }
        // A lead recorded as converted already (imported, or the demo's) names what it
        // became when it is created.
        (Edit::Dedicated, Mode::Create) => return Ok(()),
        (Edit::Dedicated, _) => "it is written when the lead is converted",
        (Edit::CreateOnly, Mode::Update) => {
            "it is set when the record is created; moving a record to another parent is not a field edit"
        }
    };
    Err(CoreError::NotEditable {
        field: spec.name.into(),
        why: why.into(),
    }
    .into())
}

/// One field given for a write, once its value is checked.
fn assign(
    target: Target,
    spec: &'static FieldSpec,
    value: Option<Value>,
    mode: Mode,
    out: &mut Assignments,
) -> Result<()> {
    if value.is_none() && spec.required {
        return Err(CoreError::MissingRequired {
            kind: target.a().into(),
            field: spec.name.into(),
        }
        .into());
    }
    if mode == Mode::Create && value.is_none() {
        return Ok(());
    }
    out.retain(|(s, _)| s.name != spec.name);
    out.push((spec, value));
    Ok(())
}

/// Refuses a write the server would refuse for the store user's role, when the store knows
/// it (from the last sign-in): the product catalogue is the admins'.
pub(crate) fn may_write(tx: &Tx, kind: Kind) -> Result<()> {
    role_allows(kind, tx.role()?.as_deref())
}

/// Whether a user of `role` (as of the last sign-in; `None` before one) may write records
/// of `kind`: the product catalogue is the admins'.
pub(crate) fn role_allows(kind: Kind, role: Option<&str>) -> Result<()> {
    if kind == Kind::Product
        && let Some(role) = role
        && Role::parse(role).is_some_and(|r| r != Role::Admin)
    {
        return Err(ClientError::Rule(Rule::ProductsAreForAdmins {
            role: format!("a {role}"),
        }));
    }
    Ok(())
}

/// Checks typed field values for a write.
pub(crate) fn from_values(
    target: Target,
    values: &FieldValues,
    mode: Mode,
    now: OffsetDateTime,
) -> Result<Assignments> {
    let mut out = Assignments::new();
    for (name, v) in values {
        let spec = lookup(target, name)?;
        check_editable(spec, mode)?;
        let v = match v {
            Some(v) => value::check(spec, v, now)?,
            None => None,
        };
        assign(target, spec, v, mode, &mut out)?;
    }
    Ok(out)
}

/// Checks field values written as text (the demo generator's), in order.
pub(crate) fn from_text(
    target: Target,
    values: &[(&str, &str)],
    mode: Mode,
    now: OffsetDateTime,
) -> Result<Assignments> {
    let mut out = Assignments::new();
    for (name, raw) in values {
        let spec = lookup(target, name)?;
        check_editable(spec, mode)?;
        let v = value::parse(spec, raw, now)?;
        assign(target, spec, v, mode, &mut out)?;
    }
    Ok(out)
}

/// Checks that every reference names an existing, not deleted record of the right kind.
pub(crate) fn references(tx: &Tx, values: &Assignments) -> Result<()> {
    for (spec, v) in values {
        let Some(Value::Ref(kind, id)) = v else {
            continue;
        };
        let problem = match tx.ref_state(*id)? {
            None => RefProblem::Missing {
                id: *id,
                kind: *kind,
            },
            Some(found) if found.kind != Some(*kind) => match found.kind {
                Some(found) => RefProblem::WrongKind {
                    id: *id,
                    found,
                    expected: *kind,
                },
                None => RefProblem::Missing {
                    id: *id,
                    kind: *kind,
                },
            },
            Some(found) if found.deleted => RefProblem::Deleted { id: *id },
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

/// Rules across records, checked before the write: a product's SKU is unique, an
/// account's new parent does not make a loop of parents (A → B → A), and a case's contact
/// is one of its account's (`account`: the case's account when it exists already).
pub(crate) fn record_rules(
    tx: &Tx,
    kind: Kind,
    id: Uuid,
    account: Option<Uuid>,
    values: &Assignments,
) -> Result<()> {
    if kind == Kind::Case
        && let Some(Some(Value::Ref(_, contact))) = given(values, "contact_id")
    {
        let account = match given(values, "account_id") {
            Some(Some(Value::Ref(_, a))) => Some(*a),
            _ => account,
        };
        let of_contact = tx.account_of(*contact)?;
        if let Some(account) = account
            && of_contact != Some(account)
        {
            return Err(ClientError::Rule(Rule::ContactOfAnotherAccount {
                contact: *contact,
                account,
            }));
        }
    }
    if kind == Kind::Product
        && let Some(Some(Value::Str(sku))) = given(values, "sku")
        && let Some(by) = tx.product_with_sku(sku, Some(id))?
    {
        return Err(ClientError::Rule(Rule::SkuTaken {
            sku: sku.clone(),
            by,
        }));
    }
    if kind == Kind::Account
        && let Some(Some(Value::Ref(_, parent))) = given(values, "parent_id")
        && *parent != id
    {
        // (Its own parent is a rule across fields: `touched_rules`.)
        let mut failed = None;
        let checked = rules::check_parent(id, *parent, |x| match tx.parent_of(x) {
            Ok(p) => p,
            Err(e) => {
                failed.get_or_insert(e);
                None
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        checked?;
    }
    Ok(())
}

/// Rules across fields ([`rules`]), on the record as the write leaves it: a write is
/// refused only when it touched one of a rule's fields and leaves the rule broken, so a
/// record that needs attention (a merge broke a rule) never blocks an edit of another field.
pub(crate) fn touched_rules(record: &Record, values: &Assignments) -> Result<()> {
    let touched: Vec<&str> = values.iter().map(|(s, _)| s.name).collect();
    Ok(rules::check_touched(record, &touched)?)
}

/// Rules across fields for a new record: every field it has was written by its creation.
pub(crate) fn new_record_rules(record: &Record) -> Result<()> {
    let touched: Vec<&str> = record.values.iter().map(|(name, _)| *name).collect();
    Ok(rules::check_touched(record, &touched)?)
}

/// Fills in what a new record gets when not given: static defaults, currencies, the time of
/// an activity, the assignee of a task, and a quote's number.
pub(crate) fn fill_defaults(
    tx: &Tx,
    kind: Kind,
    values: &mut Assignments,
    now: OffsetDateTime,
) -> Result<()> {
    let s = tx.settings().clone();
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
                Some(Some(Value::Ref(_, opp))) => tx.opportunity_currency(*opp)?,
                _ => None,
            };
            add(
                values,
                "currency",
                opp_currency.as_deref().unwrap_or(&s.default_currency),
            )?;
            let seq = tx.next_quote_seq()?;
            let spec = schema::field(kind, "number").expect("quotes have numbers");
            values.push((
                spec,
                Some(Value::Str(format!("Q-{}-{seq:04}", s.device_code))),
            ));
        }
        Kind::Activity => add(values, "at", "now")?,
        Kind::Task => add(values, "assignee", &s.user)?,
        Kind::Case => {
            add(values, "assignee", &s.user)?;
            let priority = match given(values, "priority") {
                Some(Some(Value::Str(p))) => p.clone(),
                _ => "normal".to_string(),
            };
            let days = crate::settings::case_due_days(tx)?.days(&priority);
            let due = now.date() + time::Duration::days(days);
            add(values, "due", &value::format_date(due))?;
            if let Some(Some(Value::Str(status))) = given(values, "status")
                && !schema::OPEN_CASE_STATUSES.contains(&status.as_str())
            {
                add(values, "resolved_at", "now")?;
            }
        }
        Kind::Account | Kind::Contact | Kind::Lead | Kind::Dismissal => {}
    }
    Ok(())
}

/// What a case's edit implies besides its fields: a case resolved (or closed) now gets
/// the time (`resolved_at`) unless given or already set; one opened again loses it.
pub(crate) fn case_follow_ups(
    record: &Record,
    values: &mut Assignments,
    now: OffsetDateTime,
) -> Result<()> {
    if record.kind != Kind::Case || given(values, "resolved_at").is_some() {
        return Ok(());
    }
    let Some(status) = given(values, "status") else {
        return Ok(());
    };
    let open = match status {
        Some(Value::Str(s)) => schema::OPEN_CASE_STATUSES.contains(&s.as_str()),
        _ => true,
    };
    let spec = schema::field(Kind::Case, "resolved_at").expect("cases have resolved_at");
    match (open, record.get("resolved_at").is_some()) {
        (false, false) => values.push((spec, value::parse(spec, "now", now)?)),
        (true, true) => values.push((spec, None)),
        _ => {}
    }
    Ok(())
}

/// A new record's values, checked and completed, ready for `RecordDoc::create`.
pub(crate) fn prepare_new(
    tx: &Tx,
    kind: Kind,
    id: Uuid,
    mut values: Assignments,
    now: OffsetDateTime,
) -> Result<Vec<(&'static FieldSpec, Value)>> {
    values.retain(|(_, v)| v.is_some());
    references(tx, &values)?;
    record_rules(tx, kind, id, None, &values)?;
    fill_defaults(tx, kind, &mut values, now)?;
    Ok(values
        .into_iter()
        .filter_map(|(s, v)| v.map(|v| (s, v)))
        .collect())
}

/// A new line's defaults: one unit, the product's name and price; a price is required. A
/// price is taken from a product only in the quote's currency (`quote_currency`): there
/// are no exchange rates yet.
pub(crate) fn complete_line(
    tx: &Tx,
    quote_currency: Option<&str>,
    values: &mut Assignments,
    now: OffsetDateTime,
) -> Result<()> {
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
        let p = tx.product_for_line(product)?;
        if given(values, "unit_price").is_none()
            && p.price.is_some()
            && let (Some(product_currency), Some(quote)) = (&p.currency, quote_currency)
            && product_currency != quote
        {
            return Err(ClientError::Rule(Rule::CurrencyDiffers {
                product: product_currency.clone(),
                quote: quote.to_string(),
            }));
        }
        add(values, "unit_price", p.price)?;
        add(values, "description", p.name)?;
    }
    add(values, "quantity", Some("1".into()))?;
    if given(values, "unit_price").is_none() {
        return Err(ClientError::Rule(Rule::LineNeedsPrice));
    }
    Ok(())
}
