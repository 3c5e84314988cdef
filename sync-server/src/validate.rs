//! Checking a pushed change against what a record document may become: a valid Automerge
//! change whose dependencies are known, that keeps what the record is (`_kind`, `_id`,
//! `_created_at`, `_created_by`) and its parent (`account_id` of a contact, opportunity or
//! activity; `opportunity_id` of a quote), and that writes no root key the schema does not
//! know (such as `owner`, which is server metadata).
//!
//! Failures are sentences for the quarantine (`Err(String)`). Knows nothing of storage,
//! HTTP or who may write what (see `access`).

use automerge::{AutoCommit, Change, ChangeHash, ROOT, ReadDoc};
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use fieldbook_core::protocol::ChangeEnvelope;
use fieldbook_core::record::Record;
use fieldbook_core::schema;
use sha2::{Digest, Sha256};

/// Root keys every record has besides its fields.
pub const META_KEYS: &[&str] = &[
    "_kind",
    "_id",
    "_created_at",
    "_created_by",
    "_updated_at",
    "_updated_by",
    "deleted",
];

/// Root keys written once, at creation.
const IDENTITY_KEYS: &[&str] = &["_kind", "_id", "_created_at", "_created_by"];

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

/// The dependencies of `change` that `doc` does not hold.
pub fn missing_deps(doc: &mut AutoCommit, change: &Change) -> Vec<ChangeHash> {
    doc.get_missing_deps(change.deps())
}

/// Explains missing dependencies.
pub fn missing_deps_reason(missing: &[ChangeHash]) -> String {
    let first = missing.first().map(|h| h.to_string()).unwrap_or_default();
    format!(
        "depends on {} change(s) the server does not have (e.g. {}); they were refused or never sent",
        missing.len(),
        &first[..first.len().min(12)]
    )
}

/// What a record is and hangs on: the values of its identity keys and fixed parent, as
/// they stand (all concurrent values, so a competing write shows too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity(Vec<(&'static str, Vec<String>)>);

/// Reads the identity of a record document of `kind`.
pub fn identity(doc: &AutoCommit, kind: Kind) -> Identity {
    let keys = IDENTITY_KEYS.iter().copied().chain(fixed_parent(kind));
    Identity(
        keys.map(|k| {
            let values = doc
                .get_all(ROOT, k)
                .unwrap_or_default()
                .into_iter()
                .map(|(v, _)| format!("{v:?}"))
                .collect();
            (k, values)
        })
        .collect(),
    )
}

/// Refuses a change that altered the identity or the fixed parent.
pub fn check_identity(before: &Identity, after: &Identity) -> Result<(), String> {
    for ((key, old), (_, new)) in before.0.iter().zip(&after.0) {
        if old != new {
            return Err(if key.starts_with('_') {
                format!("changes `{key}`, which says what the record is; it is written once")
            } else {
                format!(
                    "changes `{key}`; moving a record to another parent is done by reassigning, not by editing"
                )
            });
        }
    }
    Ok(())
}

/// Refuses a document with a root key outside the schema of `kind`.
pub fn check_keys(doc: &AutoCommit, kind: Kind) -> Result<(), String> {
    let fields = schema::fields(kind);
    for key in doc.keys(ROOT) {
        let known =
            META_KEYS.contains(&key.as_str()) || fields.iter().any(|f| f.name == key.as_str());
        if !known {
            let hint = if key == "owner" {
                " (owners are the server's to set: ask a manager to reassign)"
            } else {
                ""
            };
            return Err(format!(
                "writes `{key}`, which {} does not have{hint}",
                kind.a()
            ));
        }
    }
    Ok(())
}

/// Checks a record just created from a pushed change against its envelope; returns what it
/// reads as.
pub fn check_new(doc: &mut RecordDoc, env: &ChangeEnvelope) -> Result<Record, String> {
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
    let record = doc.read();
    if record.created_at.is_empty() || record.created_by.is_empty() {
        return Err("creates a record without `_created_at` and `_created_by`".into());
    }
    if let Some(parent) = fixed_parent(env.kind)
        && record.reference(parent).is_none()
    {
        return Err(format!(
            "creates {} without a valid `{parent}`",
            env.kind.a()
        ));
    }
    check_keys(doc.automerge(), env.kind)?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use automerge::transaction::Transactable;
    use fieldbook_core::doc::Author;
    use fieldbook_core::value::Value;
    use uuid::Uuid;

    fn contact() -> (RecordDoc, Vec<u8>) {
        let spec = |n| schema::field(Kind::Contact, n).unwrap();
        let mut doc = RecordDoc::create(
            Kind::Contact,
            Uuid::now_v7(),
            &ActorId::random(),
            &Author::now("alice"),
            &[
                (
                    spec("account_id"),
                    Value::Ref(Kind::Account, Uuid::now_v7()),
                ),
                (spec("name"), Value::Str("Ann".into())),
            ],
        )
        .unwrap();
        let bytes = doc.commit(&Author::now("alice")).unwrap().unwrap();
        (doc, bytes)
    }

    #[test]
    fn a_new_record_passes_and_a_wrong_envelope_does_not() {
        let (mut doc, _) = contact();
        let env = ChangeEnvelope {
            doc_id: doc.id(),
            kind: Kind::Contact,
            bytes: vec![],
        };
        check_new(&mut doc, &env).unwrap();
        let wrong = ChangeEnvelope {
            kind: Kind::Account,
            ..env.clone()
        };
        assert!(
            check_new(&mut doc, &wrong)
                .unwrap_err()
                .contains("sent as an account")
        );
        let other = ChangeEnvelope {
            doc_id: Uuid::now_v7(),
            ..env
        };
        assert!(check_new(&mut doc, &other).is_err());
    }

    #[test]
    fn identity_and_parent_are_fixed_and_owner_is_unknown() {
        let (mut doc, _) = contact();
        let before = identity(doc.automerge(), Kind::Contact);
        doc.automerge()
            .put(ROOT, "account_id", Uuid::now_v7().to_string())
            .unwrap();
        let after = identity(doc.automerge(), Kind::Contact);
        assert!(
            check_identity(&before, &after)
                .unwrap_err()
                .contains("account_id")
        );
        assert!(check_keys(doc.automerge(), Kind::Contact).is_ok());
        doc.automerge().put(ROOT, "owner", "mallory").unwrap();
        assert!(
            check_keys(doc.automerge(), Kind::Contact)
                .unwrap_err()
                .contains("owner")
        );
    }

    #[test]
    fn garbage_is_not_a_change_and_missing_deps_are_named() {
        assert!(parse(b"not a change").is_err());
        let (mut doc, first) = contact();
        doc.set(
            schema::field(Kind::Contact, "title").unwrap(),
            Some(Value::Str("CEO".into())),
        )
        .unwrap();
        let second = doc.commit(&Author::now("alice")).unwrap().unwrap();
        let change = parse(&second).unwrap();
        let mut empty = AutoCommit::new();
        assert_eq!(missing_deps(&mut empty, &change).len(), 1);
        empty.load_incremental(&first).unwrap();
        assert!(missing_deps(&mut empty, &change).is_empty());
    }
}
