//! Checking one pushed change on its own: a valid Automerge change, signed by the user who
//! pushes it, whose dependencies the server holds, that does not create a second record
//! under an existing id, and whose values pass the same rules as a value typed on a device
//! (`fieldbook_core::doc::check`: types, enums, ranges, canonical forms, identity written
//! once, required fields kept, `owner` and unknown keys refused, rules across fields on the
//! record as the change's author saw it). Stamps (`_created_by`, `_updated_by`) must name
//! the pushing user too: history that went through the server is evidence.
//!
//! What needs other records (references, parent loops, placement, access) is the push
//! engine's (`push`) and `ownership`'s. Failures are sentences for the quarantine
//! (`Err(String)`). Knows nothing of storage, HTTP or who may write what.

use automerge::{AutoCommit, Change, ChangeHash};
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::doc::check::{self, State, Written};
use fieldbook_core::protocol::ChangeEnvelope;
use fieldbook_core::record::Record;
use sha2::{Digest, Sha256};

/// The field that ties a record to its parent for good (changing it is a move, not an edit).
pub fn fixed_parent(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Contact | Kind::Opportunity | Kind::Activity | Kind::Case => Some("account_id"),
        Kind::Quote => Some("opportunity_id"),
        // A lead's account is written when it is converted (checked as a relink).
        Kind::Account | Kind::Task | Kind::Product | Kind::Lead | Kind::Dismissal => None,
    }
}

/// Parses change bytes.
pub fn parse(bytes: &[u8]) -> Result<Change, String> {
    Change::from_bytes(bytes.to_vec())
        .map_err(|e| format!("not a valid Automerge change ({e}); it is kept in quarantine"))
}

/// The hash a refused change is known by: its Automerge hash when it parses, else the
/// SHA-256 of its bytes.
pub fn bytes_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The user a change names as its author (its message), `""` if none.
pub fn author(change: &Change) -> &str {
    change.message().unwrap_or("")
}

/// Refuses a change whose author is not `user`, the user whose token pushes it.
pub fn check_author(change: &Change, user: &str) -> Result<(), String> {
    let by = author(change);
    if by == user {
        return Ok(());
    }
    Err(if by.is_empty() {
        format!("names no author; a change pushed by {user} must be signed by {user}")
    } else {
        format!(
            "is signed by `{by}` but was pushed by {user}: a change's author is the user who pushes it"
        )
    })
}

/// Refuses a change that writes another name than `user` into `_created_by` or
/// `_updated_by` (even the name already there). Whether the record then names its last
/// author is [`check_applied`]'s to see (Automerge drops a write of an unchanged value, so a
/// change by the last author need not stamp again).
pub fn check_stamped(change: &Change, user: &str) -> Result<(), String> {
    use automerge::ScalarValue;
    use automerge::legacy::{Key, ObjectId, OpType};
    for op in change.decode().operations {
        let (ObjectId::Root, Key::Map(key)) = (&op.obj, &op.key) else {
            continue;
        };
        if key != "_created_by" && key != "_updated_by" {
            continue;
        }
        match &op.action {
            OpType::Put(ScalarValue::Str(v)) if v.as_str() == user => {}
            OpType::Put(ScalarValue::Str(v)) => {
                return Err(format!(
                    "stamps `{v}` as the record's author (`{key}`) but was pushed by {user}: a change's author is the user who pushes it"
                ));
            }
            _ => {
                return Err(format!(
                    "writes `{key}` with something else than a user name"
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a record that, as the change's author saw it after writing, does not name
/// `user` as its last author (`_updated_by`).
fn check_last_author(record: &Record, user: &str) -> Result<(), String> {
    if record.updated_by == user {
        return Ok(());
    }
    Err(format!(
        "leaves `{}` as the record's last author (`_updated_by`) but was pushed by {user}: a change stamps its author",
        record.updated_by
    ))
}

/// Refuses a write that stamped another user than `user` as `_created_by` or `_updated_by`.
pub fn check_stamps(written: &Written, user: &str) -> Result<(), String> {
    match written.stamped_by.iter().find(|s| s.as_str() != user) {
        None => Ok(()),
        Some(other) => Err(format!(
            "stamps `{other}` as the record's author but was pushed by {user}: a change's author is the user who pushes it"
        )),
    }
}

/// The dependencies of `change` that `doc` does not hold.
pub fn missing_deps(doc: &mut AutoCommit, change: &Change) -> Vec<ChangeHash> {
    doc.get_missing_deps(change.deps())
}

/// Explains missing dependencies.
pub fn missing_deps_reason(missing: &[ChangeHash]) -> String {
    let first = missing.first().map(|h| h.to_string()).unwrap_or_default();
    format!(
        "depends on {} change(s) the server does not have (e.g. {}); they were refused or never sent. It is retried when they arrive",
        missing.len(),
        &first[..first.len().min(12)]
    )
}

/// Refuses a change with no dependencies that a stored record does not hold: another
/// document reusing the record's id.
pub fn check_not_second_creation(doc: &mut AutoCommit, change: &Change) -> Result<(), String> {
    if check::is_second_creation(doc, change) {
        return Err(
            "creates a different record under an existing record's id (it does not share its history)"
                .into(),
        );
    }
    Ok(())
}

/// Checks a record just created from a pushed change by `user`: it is what its envelope
/// says, every value passes `check_write`, and `user` is its author. Returns what the
/// change wrote.
pub fn check_new(doc: &mut RecordDoc, env: &ChangeEnvelope, user: &str) -> Result<Written, String> {
    if doc.id() != env.doc_id {
        return Err(format!(
            "creates record {} but was sent for {}",
            doc.id(),
            env.doc_id
        ));
    }
    if doc.kind() != env.kind {
        return Err(format!(
            "creates {} but was sent as {}",
            doc.kind().a(),
            env.kind.a()
        ));
    }
    let written = check::check_write(env.kind, None, doc.automerge()).map_err(|e| e.to_string())?;
    let record = written.record.as_ref();
    if let Some(parent) = fixed_parent(env.kind)
        && record.and_then(|r| r.reference(parent)).is_none()
    {
        return Err(format!(
            "creates {} without a valid `{parent}`",
            env.kind.a()
        ));
    }
    // A new record has one change: its author saw what it holds.
    written.check_rules(None).map_err(|e| e.to_string())?;
    check_stamps(&written, user)?;
    if let Some(r) = record {
        check_last_author(r, user)?;
    }
    Ok(written)
}

/// Checks what `change` by `user`, just applied to `doc` (a stored record of `kind`),
/// wrote: `before` is the document's state and `heads` its heads before it. Rules across
/// fields, and who the record names as its last author, hold on the record as the change's
/// author saw it: a change concurrent with others may leave a rule broken by their merge
/// (the record then "needs attention").
pub fn check_applied(
    kind: Kind,
    before: &State,
    heads: &[ChangeHash],
    doc: &mut RecordDoc,
    change: &Change,
    user: &str,
) -> Result<Written, String> {
    let written =
        check::check_write(kind, Some(before), doc.automerge()).map_err(|e| e.to_string())?;
    check_stamps(&written, user)?;
    let mut deps = change.deps().to_vec();
    deps.sort();
    let mut heads = heads.to_vec();
    heads.sort();
    let view = if deps == heads {
        None
    } else {
        let id = doc.id();
        Some(
            check::author_view(doc.automerge(), change, kind, id)
                .map_err(|e| format!("cannot be read as its author saw it ({e})"))?,
        )
    };
    written
        .check_rules(view.as_ref())
        .map_err(|e| e.to_string())?;
    if let Some(record) = view.as_ref().or(written.record.as_ref()) {
        check_last_author(record, user)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use fieldbook_core::doc::Author;
    use fieldbook_core::schema;
    use fieldbook_core::value::Value;
    use uuid::Uuid;

    fn spec(kind: Kind, name: &str) -> &'static schema::FieldSpec {
        schema::field(kind, name).unwrap()
    }

    fn contact(by: &str) -> (RecordDoc, Vec<u8>) {
        let mut doc = RecordDoc::create(
            Kind::Contact,
            Uuid::now_v7(),
            &ActorId::random(),
            &Author::now(by),
            &[
                (
                    spec(Kind::Contact, "account_id"),
                    Value::Ref(Kind::Account, Uuid::now_v7()),
                ),
                (spec(Kind::Contact, "name"), Value::Str("Ann".into())),
            ],
        )
        .unwrap();
        let bytes = doc.commit(&Author::now(by)).unwrap().unwrap();
        (doc, bytes)
    }

    #[test]
    fn a_new_record_passes_and_a_wrong_envelope_does_not() {
        let (mut doc, _) = contact("alice");
        let env = ChangeEnvelope {
            doc_id: doc.id(),
            kind: Kind::Contact,
            bytes: vec![],
        };
        let written = check_new(&mut doc, &env, "alice").unwrap();
        assert!(
            check_new(&mut doc, &env, "bob")
                .unwrap_err()
                .contains("`alice`")
        );
        assert_eq!(written.stamped_by, ["alice"]);
        assert!(check_stamps(&written, "alice").is_ok());
        assert!(
            check_stamps(&written, "bob")
                .unwrap_err()
                .contains("`alice`")
        );
        let wrong = ChangeEnvelope {
            kind: Kind::Account,
            ..env.clone()
        };
        assert!(
            check_new(&mut doc, &wrong, "alice")
                .unwrap_err()
                .contains("sent as an account")
        );
        let other = ChangeEnvelope {
            doc_id: Uuid::now_v7(),
            ..env
        };
        assert!(check_new(&mut doc, &other, "alice").is_err());
    }

    #[test]
    fn the_author_is_the_pushing_user() {
        let (_, bytes) = contact("max");
        let change = parse(&bytes).unwrap();
        assert_eq!(author(&change), "max");
        assert!(check_author(&change, "max").is_ok());
        let why = check_author(&change, "carl").unwrap_err();
        assert!(why.contains("`max`") && why.contains("carl"), "{why}");
    }

    #[test]
    fn bad_values_identity_and_second_creations_are_refused() {
        use automerge::ROOT;
        use automerge::transaction::Transactable;
        let (mut doc, bytes) = contact("alice");
        let change = parse(&bytes).unwrap();
        let state = State::capture(doc.automerge());
        let heads = doc.heads();
        doc.automerge()
            .put(ROOT, "email", "not an address")
            .unwrap();
        doc.automerge().commit();
        let last = doc.automerge().get_last_local_change().unwrap().clone();
        let why = check_applied(Kind::Contact, &state, &heads, &mut doc, &last, "alice");
        assert!(why.unwrap_err().contains("email"));
        // A valid value by someone who leaves alice named as the last author.
        let (mut quiet, _) = contact("alice");
        let (state, heads) = (State::capture(quiet.automerge()), quiet.heads());
        quiet.automerge().put(ROOT, "title", "CEO").unwrap();
        quiet.automerge().commit();
        let last = quiet.automerge().get_last_local_change().unwrap().clone();
        let why = check_applied(Kind::Contact, &state, &heads, &mut quiet, &last, "bob");
        assert!(why.unwrap_err().contains("last author"));
        assert!(check_stamped(&last, "bob").is_ok());
        // An unrelated creation under the same id.
        let (mut other, _) = contact("alice");
        assert!(check_not_second_creation(other.automerge(), &change).is_err());
        assert!(check_not_second_creation(doc.automerge(), &change).is_ok());
    }

    #[test]
    fn garbage_is_not_a_change_and_missing_deps_are_named() {
        assert!(parse(b"not a change").is_err());
        let (mut doc, first) = contact("alice");
        doc.set(spec(Kind::Contact, "title"), Some(Value::Str("CEO".into())))
            .unwrap();
        let second = doc.commit(&Author::now("alice")).unwrap().unwrap();
        let change = parse(&second).unwrap();
        let mut empty = AutoCommit::new();
        assert_eq!(missing_deps(&mut empty, &change).len(), 1);
        empty.load_incremental(&first).unwrap();
        assert!(missing_deps(&mut empty, &change).is_empty());
    }
}
