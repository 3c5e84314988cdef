//! `absorb` of crafted bundles: every document passes the same checks as a value typed on
//! the device (kinds, types, enums, decimals, ranges, required fields, references of the
//! right kind, no parent loops, no record reusing another's id), all before anything is
//! written. A refused bundle exits 2 and changes nothing, not even its valid documents.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use fieldbook_tests::Fb;
use serde_json::Value;
use std::path::{Path, PathBuf};

const MAGIC: &[u8] = b"FIELDBOOK-BUNDLE-1\n";

fn read_bundle(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(MAGIC));
    let mut at = MAGIC.len();
    let take = |at: &mut usize| {
        let n = u64::from_be_bytes(bytes[*at..*at + 8].try_into().unwrap()) as usize;
        *at += 8;
        n
    };
    let count = take(&mut at);
    (0..count)
        .map(|_| {
            let len = take(&mut at);
            at += len;
            bytes[at - len..at].to_vec()
        })
        .collect()
}

fn write_bundle(path: &Path, docs: &[Vec<u8>], trailing: &[u8]) {
    let mut out = MAGIC.to_vec();
    out.extend((docs.len() as u64).to_be_bytes());
    for d in docs {
        out.extend((d.len() as u64).to_be_bytes());
        out.extend(d);
    }
    out.extend(trailing);
    std::fs::write(path, out).unwrap();
}

fn id_of(doc: &[u8]) -> String {
    let doc = AutoCommit::load(doc).unwrap();
    match doc.get(ROOT, "_id").unwrap() {
        Some((automerge::Value::Scalar(s), _)) => s.as_str().unwrap().to_string(),
        other => panic!("no _id: {other:?}"),
    }
}

/// The document `bytes` after one more change, by `by`, made by `f` on another actor.
fn edited(bytes: &[u8], by: &str, f: impl FnOnce(&mut AutoCommit)) -> Vec<u8> {
    let mut doc = AutoCommit::load(bytes)
        .unwrap()
        .with_actor(ActorId::random());
    f(&mut doc);
    doc.commit_with(
        CommitOptions::default()
            .with_message(by.to_string())
            .with_time(1_790_000_000),
    );
    doc.save()
}

/// Alice's small book, bundled: an account (and its parent), a deal, a quote with a line.
struct Book {
    alice: Fb,
    bundle: PathBuf,
    docs: Vec<Vec<u8>>,
    acme: String,
    parent: String,
    deal: String,
    quote: String,
}

fn book() -> Book {
    let alice = Fb::init("alice");
    let parent = alice.new_record("account", &["name=Acme Holding"]);
    let acme = alice.new_record(
        "account",
        &["name=Acme Industrial GmbH", &format!("parent_id={parent}")],
    );
    let deal = alice.new_record(
        "opportunity",
        &[
            &format!("account_id={acme}"),
            "name=Retrofit",
            "amount=1000",
        ],
    );
    let quote = alice.new_record("quote", &[&format!("opportunity_id={deal}"), "tax_pct=19"]);
    alice.ok(&[
        "quote-line",
        "add",
        &quote,
        "description=Pump",
        "quantity=2",
        "unit_price=100",
    ]);
    let bundle = alice.path().join("alice.fbb");
    alice.bundle_to(&bundle);
    let docs = read_bundle(&bundle);
    Book {
        alice,
        bundle,
        docs,
        acme,
        parent,
        deal,
        quote,
    }
}

impl Book {
    /// The bundle with the document of `id` replaced by `f` of it.
    fn with(&self, id: &str, f: impl FnOnce(&[u8]) -> Vec<u8>) -> PathBuf {
        let mut docs = self.docs.clone();
        let d = docs.iter_mut().find(|d| id_of(d) == id).expect("in bundle");
        *d = f(d);
        let path = self.alice.path().join(format!("crafted-{id}.fbb"));
        write_bundle(&path, &docs, b"");
        path
    }
}

/// What a store holds, to compare before and after: every record, and what waits to go up.
fn state(fb: &Fb) -> (Value, Value) {
    (fb.export_records(), fb.json(&["status"])["pending"].clone())
}

/// Absorbing `bundle` into `fb` fails with exit code 2 and a message holding `says`, and
/// changes nothing.
fn refused(fb: &Fb, bundle: &Path, says: &[&str]) {
    let before = state(fb);
    let (code, err) = fb.fails(&["absorb", bundle.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    for s in says {
        assert!(err.contains(s), "`{s}` not in: {err}");
    }
    assert!(err.contains("nothing was absorbed"), "{err}");
    assert_eq!(state(fb), before, "a refused absorb changed the store");
}

#[test]
fn a_bundle_with_a_value_the_schema_forbids_is_refused_whole() {
    let b = book();
    let bob = Fb::init("bob");
    let set = |key: &'static str, v: &'static str| {
        move |d: &[u8]| {
            edited(d, "alice", |doc| {
                doc.put(ROOT, key, v).unwrap();
            })
        }
    };
    // A value out of range, a value not of its enum, a record without its required name.
    refused(
        &bob,
        &b.with(&b.quote, set("tax_pct", "-50")),
        &["tax_pct", "-50"],
    );
    refused(
        &bob,
        &b.with(&b.deal, set("stage", "bogus")),
        &["stage", "bogus"],
    );
    refused(&bob, &b.with(&b.deal, set("amount", "abc")), &["amount"]);
    refused(&bob, &b.with(&b.acme, set("name", "")), &["needs `name`"]);
    refused(
        &bob,
        &b.with(&b.acme, set("website", "javascript:alert(1)")),
        &["website"],
    );
    // A line's quantity that no decimal holds.
    let huge_quantity = b.with(&b.quote, |d| {
        edited(d, "alice", |doc| {
            let (_, lines) = doc.get(ROOT, "lines").unwrap().unwrap();
            let (_, line) = doc.get(&lines, 0).unwrap().unwrap();
            doc.put(&line, "quantity", "1e400").unwrap();
        })
    });
    refused(&bob, &huge_quantity, &["quantity", "1e400"]);
    // The same documents, untouched, go in.
    bob.ok(&["absorb", b.bundle.to_str().unwrap()]);
    assert_eq!(bob.json(&["show", &b.quote])["total"], "238.00");
    // And a bad change on top of a record bob holds is refused too.
    refused(&bob, &b.with(&b.quote, set("tax_pct", "-50")), &["tax_pct"]);
    assert_eq!(bob.json(&["show", &b.quote])["tax_pct"], "19");
}

#[test]
fn references_must_name_a_record_of_the_right_kind_and_parents_make_no_loop() {
    let b = book();
    let bob = Fb::init("bob");
    let missing = uuid::Uuid::now_v7().to_string();
    let to_missing = b.with(&b.acme, |d| {
        edited(d, "alice", |doc| {
            doc.put(ROOT, "parent_id", missing.as_str()).unwrap();
        })
    });
    refused(&bob, &to_missing, &["parent_id", &missing]);
    // A parent that is a deal, not an account.
    let deal = b.deal.clone();
    let wrong_kind = b.with(&b.acme, |d| {
        edited(d, "alice", |doc| {
            doc.put(ROOT, "parent_id", deal.as_str()).unwrap();
        })
    });
    refused(&bob, &wrong_kind, &["parent_id", "an opportunity"]);
    // The parent made a child of its child: A → B → A.
    let acme = b.acme.clone();
    let looped = b.with(&b.parent, |d| {
        edited(d, "alice", |doc| {
            doc.put(ROOT, "parent_id", acme.as_str()).unwrap();
        })
    });
    refused(&bob, &looped, &["loop"]);
    // References to records in the bundle itself are fine: the clean bundle goes in whole.
    bob.ok(&["absorb", b.bundle.to_str().unwrap()]);
    assert_eq!(bob.json(&["show", &b.acme])["parent_id"], b.parent);
}

#[test]
fn another_record_reusing_an_id_and_bytes_after_the_last_document_are_refused() {
    let b = book();
    let bob = Fb::init("bob");
    bob.ok(&["absorb", b.bundle.to_str().unwrap()]);
    assert_eq!(bob.json(&["show", &b.acme])["created_by"], "alice");
    // Eve makes a document of her own with Acme's id: it does not share Acme's history.
    let acme_id = uuid::Uuid::parse_str(&b.acme).unwrap();
    let forged = b.with(&b.acme, |_| {
        let name = fieldbook_core::schema::field(fieldbook_core::Kind::Account, "name").unwrap();
        let mut doc = fieldbook_core::doc::RecordDoc::create(
            fieldbook_core::Kind::Account,
            acme_id,
            &ActorId::random(),
            &fieldbook_core::doc::Author::now("eve"),
            &[(
                name,
                fieldbook_core::value::Value::Str("Acme (eve's)".into()),
            )],
        )
        .unwrap();
        doc.commit(&fieldbook_core::doc::Author::now("eve"))
            .unwrap();
        doc.save()
    });
    refused(&bob, &forged, &[&b.acme, "reuses an existing record's id"]);
    assert_eq!(bob.json(&["show", &b.acme])["created_by"], "alice");

    let carol = Fb::init("carol");
    let garbage = b.alice.path().join("garbage.fbb");
    write_bundle(&garbage, &b.docs, b"trailing garbage");
    let before = state(&carol);
    let (code, err) = carol.fails(&["absorb", garbage.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bytes follow its last document"), "{err}");
    assert_eq!(state(&carol), before);
    // A document that is not an Automerge document at all.
    let mut docs = b.docs.clone();
    docs.push(b"not a document".to_vec());
    write_bundle(&garbage, &docs, b"");
    let (code, err) = carol.fails(&["absorb", garbage.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(state(&carol), before);
}
