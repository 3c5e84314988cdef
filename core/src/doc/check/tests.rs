use super::*;
use crate::doc::{Author, RecordDoc};
use automerge::ActorId;
use automerge::transaction::Transactable;
use time::macros::datetime;

fn author(user: &str) -> Author {
    Author {
        user: user.into(),
        at: datetime!(2026-11-23 09:00 UTC),
    }
}

fn typed(kind: Kind, f: &str, raw: &str) -> (&'static FieldSpec, Value) {
    let spec = schema::field(kind, f).unwrap();
    let v = value::parse(spec, raw, OffsetDateTime::UNIX_EPOCH)
        .unwrap()
        .unwrap();
    (spec, v)
}

/// A committed record made the way the device makes one.
fn make(kind: Kind, fields: &[(&str, &str)]) -> RecordDoc {
    let values: Vec<_> = fields.iter().map(|(f, v)| typed(kind, f, v)).collect();
    let mut d = RecordDoc::create(
        kind,
        Uuid::now_v7(),
        &ActorId::random(),
        &author("alice"),
        &values,
    )
    .unwrap();
    d.commit(&author("alice")).unwrap().unwrap();
    d
}

fn deal() -> RecordDoc {
    let acc = Uuid::now_v7().to_string();
    make(
        Kind::Opportunity,
        &[
            ("account_id", &acc),
            ("name", "Retrofit"),
            ("amount", "100.00"),
        ],
    )
}

/// Applies `edit` to a copy of `d` as a hostile client would (raw Automerge), then checks it.
fn crafted(d: &mut RecordDoc, edit: impl FnOnce(&mut AutoCommit)) -> Result<Written> {
    let kind = d.kind();
    let before = State::capture(d.automerge());
    let mut after = d.automerge().fork();
    edit(&mut after);
    after.commit();
    check_write(kind, Some(&before), &after).and_then(|w| w.check_rules(None).map(|()| w))
}

#[test]
fn a_record_made_on_a_device_passes_with_what_it_wrote() {
    let mut d = deal();
    let w = check_write(Kind::Opportunity, None, d.automerge()).unwrap();
    assert!(w.created);
    assert!(w.touched.contains(&"name") && w.touched.contains(&"amount"));
    assert_eq!(w.references.len(), 1);
    assert_eq!(w.references[0].0, "account_id");
    assert_eq!(w.stamped_by, vec!["alice".to_string()]);
    w.check_rules(None).unwrap();
}

/// A hostile client's edit of a raw document.
type Crafted = Box<dyn FnOnce(&mut AutoCommit)>;

#[test]
fn values_the_schema_forbids_are_refused_like_typed_ones() {
    let cases: Vec<(&str, Crafted)> = vec![
        (
            "stage",
            Box::new(|d| d.put(ROOT, "stage", "bogus").unwrap()),
        ),
        (
            "amount",
            Box::new(|d| d.put(ROOT, "amount", "abc").unwrap()),
        ),
        (
            "amount",
            Box::new(|d| d.put(ROOT, "amount", "1e400").unwrap()),
        ),
        ("amount", Box::new(|d| d.put(ROOT, "amount", 12.5).unwrap())),
        (
            "currency",
            Box::new(|d| d.put(ROOT, "currency", "eur").unwrap()),
        ),
        (
            "probability",
            Box::new(|d| d.put(ROOT, "probability", "40").unwrap()),
        ),
        (
            "probability",
            Box::new(|d| d.put(ROOT, "probability", 140).unwrap()),
        ),
        (
            "close_date",
            Box::new(|d| d.put(ROOT, "close_date", "2026-02-30").unwrap()),
        ),
        (
            "name",
            Box::new(|d| d.put(ROOT, "name", "Evil\u{1b}[2J").unwrap()),
        ),
    ];
    for (field, edit) in cases {
        let mut d = deal();
        let e = crafted(&mut d, edit).unwrap_err();
        assert!(
            matches!(&e, CoreError::InvalidValue { field: f, .. } if f == field),
            "{field}: {e}"
        );
    }
}

#[test]
fn required_fields_identity_parent_and_unknown_keys() {
    let mut d = deal();
    let e = crafted(&mut d, |d| d.delete(ROOT, "name").unwrap()).unwrap_err();
    assert!(matches!(e, CoreError::MissingRequired { .. }), "{e}");
    let e = crafted(&mut d, |d| d.put(ROOT, "name", "  ").unwrap()).unwrap_err();
    assert!(matches!(e, CoreError::MissingRequired { .. }), "{e}");
    let e = crafted(&mut d, |d| d.put(ROOT, "_created_by", "eve").unwrap()).unwrap_err();
    assert!(e.to_string().contains("_created_by"), "{e}");
    let other = Uuid::now_v7().to_string();
    let e = crafted(&mut d, |d| d.put(ROOT, "account_id", other).unwrap()).unwrap_err();
    assert!(matches!(e, CoreError::NotEditable { .. }), "{e}");
    let e = crafted(&mut d, |d| d.put(ROOT, "owner", "mallory").unwrap()).unwrap_err();
    assert!(e.to_string().contains("owner"), "{e}");
    let e = crafted(&mut d, |d| d.put(ROOT, "deleted", "yes").unwrap()).unwrap_err();
    assert!(e.to_string().contains("deleted"), "{e}");
    let e = crafted(&mut d, |d| {
        d.put(ROOT, "_updated_by", "not a name").unwrap()
    })
    .unwrap_err();
    assert!(e.to_string().contains("user name"), "{e}");
    // A valid edit passes and says what it touched and who stamped it.
    let w = crafted(&mut d, |d| {
        d.put(ROOT, "stage", "proposal").unwrap();
        d.put(ROOT, "_updated_by", "bob").unwrap();
    })
    .unwrap();
    assert_eq!(w.touched, vec!["stage"]);
    assert_eq!(w.stamped_by, vec!["bob".to_string()]);
}

#[test]
fn a_record_created_without_a_required_field_is_refused() {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "_kind", "account").unwrap();
    doc.put(ROOT, "_id", Uuid::now_v7().to_string()).unwrap();
    doc.put(ROOT, "_created_at", "2026-11-23T09:00:00Z")
        .unwrap();
    doc.put(ROOT, "_created_by", "eve").unwrap();
    doc.commit();
    let e = check_write(Kind::Account, None, &doc).unwrap_err();
    assert!(matches!(e, CoreError::MissingRequired { .. }), "{e}");
    doc.put(ROOT, "name", "Acme").unwrap();
    doc.put(ROOT, "website", "javascript:alert(1)").unwrap();
    let e = check_write(Kind::Account, None, &doc).unwrap_err();
    assert!(matches!(e, CoreError::InvalidValue { .. }), "{e}");
    doc.put(ROOT, "website", "acme.example").unwrap();
    doc.put(ROOT, "_kind", "contact").unwrap();
    assert!(
        check_write(Kind::Account, None, &doc).is_err(),
        "kind mismatch"
    );
}

#[test]
fn quote_lines_are_checked_line_by_line() {
    let opp = Uuid::now_v7().to_string();
    let mut q = make(Kind::Quote, &[("opportunity_id", &opp), ("tax_pct", "19")]);
    let (pspec, pid) = typed(Kind::Quote, "opportunity_id", &Uuid::now_v7().to_string());
    let _ = (pspec, pid);
    q.add_line(
        "l1",
        &[
            (
                schema::LINE_FIELDS
                    .iter()
                    .find(|s| s.name == "quantity")
                    .unwrap(),
                Value::Str("2".into()),
            ),
            (
                schema::LINE_FIELDS
                    .iter()
                    .find(|s| s.name == "product_id")
                    .unwrap(),
                Value::Ref(Kind::Product, Uuid::now_v7()),
            ),
        ],
    )
    .unwrap();
    q.commit(&author("alice")).unwrap();
    let before = State::capture(q.automerge());
    let mut after = q.automerge().fork();
    let (automerge::Value::Object(ObjType::List), list) =
        after.get(ROOT, "lines").unwrap().unwrap()
    else {
        panic!("lines")
    };
    let (_, line) = after.get(&list, 0).unwrap().unwrap();
    after.put(&line, "quantity", "1e400").unwrap();
    after.commit();
    let e = check_write(Kind::Quote, Some(&before), &after).unwrap_err();
    assert!(e.to_string().contains("quantity"), "{e}");

    let mut after = q.automerge().fork();
    let line = after.insert_object(&list, 1, ObjType::Map).unwrap();
    after.put(&line, "line_id", "l2").unwrap();
    after.put(&line, "discount_pct", "150").unwrap();
    after.commit();
    let e = check_write(Kind::Quote, Some(&before), &after).unwrap_err();
    assert!(e.to_string().contains("discount_pct"), "{e}");

    let e = crafted(&mut q, |d| d.put(ROOT, "tax_pct", "-50").unwrap()).unwrap_err();
    assert!(e.to_string().contains("tax_pct"), "{e}");
    let e = crafted(&mut q, |d| d.put(ROOT, "number", "Q-FORGED-0001").unwrap()).unwrap_err();
    assert!(matches!(e, CoreError::NotEditable { .. }), "{e}");

    // The references a whole new quote carries include its lines' products.
    let w = check_write(Kind::Quote, None, q.automerge()).unwrap();
    assert!(
        w.references
            .iter()
            .any(|(f, k, _)| *f == "product_id" && *k == Kind::Product)
    );
}

#[test]
fn an_old_bad_value_does_not_block_an_edit_of_another_field() {
    let mut d = deal();
    // Written before values were checked everywhere (e.g. absorbed from a bundle).
    d.automerge().put(ROOT, "amount", "abc").unwrap();
    d.automerge().commit();
    let w = crafted(&mut d, |d| d.put(ROOT, "next_step", "Call back").unwrap()).unwrap();
    assert_eq!(w.touched, vec!["next_step"]);
}

#[test]
fn a_rule_broken_by_a_merge_blocks_neither_side_but_a_rule_broken_by_one_change_does() {
    let mut base = deal();
    base.set(
        schema::field(Kind::Opportunity, "loss_reason").unwrap(),
        Some(Value::Str("price".into())),
    )
    .unwrap();
    base.commit(&author("alice")).unwrap();
    let saved = base.save();
    // Device A sets the deal lost (the reason is there); device B clears the reason.
    let mut a = RecordDoc::load(&saved, &ActorId::random()).unwrap();
    a.set(
        schema::field(Kind::Opportunity, "stage").unwrap(),
        Some(Value::Str("lost".into())),
    )
    .unwrap();
    a.commit(&author("alice")).unwrap();
    let mut b = RecordDoc::load(&saved, &ActorId::random()).unwrap();
    b.set(
        schema::field(Kind::Opportunity, "loss_reason").unwrap(),
        None,
    )
    .unwrap();
    let b_change = b.commit(&author("bob")).unwrap().unwrap();
    let b_change = Change::from_bytes(b_change).unwrap();

    // The server has A's change, then B's arrives.
    let mut server = a.automerge().fork();
    let before = State::capture(&server);
    let mut merged = server.fork();
    merged.apply_changes([b_change.clone()]).unwrap();
    let w = check_write(Kind::Opportunity, Some(&before), &merged).unwrap();
    assert_eq!(w.touched, vec!["loss_reason"]);
    assert!(w.check_rules(None).is_err(), "the merge broke the rule");
    let view = author_view(&mut server, &b_change, Kind::Opportunity, base.id()).unwrap();
    w.check_rules(Some(&view))
        .expect("B's own view keeps the rule");
    let merged_record = read::record(&merged, base.id(), Kind::Opportunity);
    assert_eq!(rules::attention(&merged_record).len(), 1, "needs attention");

    // One change that sets lost and clears the reason is refused in its own view too.
    let mut c = RecordDoc::load(&saved, &ActorId::random()).unwrap();
    c.set(
        schema::field(Kind::Opportunity, "stage").unwrap(),
        Some(Value::Str("lost".into())),
    )
    .unwrap();
    c.set(
        schema::field(Kind::Opportunity, "loss_reason").unwrap(),
        None,
    )
    .unwrap();
    let c_change = Change::from_bytes(c.commit(&author("carl")).unwrap().unwrap()).unwrap();
    let mut server = base.automerge().fork();
    let view = author_view(&mut server, &c_change, Kind::Opportunity, base.id()).unwrap();
    assert!(rules::check_touched(&view, &["stage", "loss_reason"]).is_err());
}

#[test]
fn a_document_reusing_an_id_is_told_apart_from_a_copy() {
    let mut d = deal();
    let mut copy = d.automerge().fork();
    copy.put(ROOT, "next_step", "x").unwrap();
    copy.commit();
    check_same_record(d.automerge(), &mut copy).unwrap();
    // Same id, made independently.
    let mut impostor = AutoCommit::new();
    impostor.put(ROOT, "_kind", "opportunity").unwrap();
    impostor.put(ROOT, "_id", d.id().to_string()).unwrap();
    impostor.commit();
    assert!(check_same_record(d.automerge(), &mut impostor).is_err());
    let root = impostor.get_changes(&[]).into_iter().next().unwrap();
    assert!(is_second_creation(d.automerge(), &root));
    let own = d.automerge().get_changes(&[]).into_iter().next().unwrap();
    assert!(!is_second_creation(d.automerge(), &own));
}
