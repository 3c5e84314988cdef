use super::*;
use crate::schema::field;
use crate::value::parse;
use serde_json::json;
use time::macros::datetime;

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16].as_slice())
}

fn author(user: &str, minute: u8) -> Author {
    Author {
        user: user.into(),
        at: datetime!(2026-11-23 09:00 UTC) + time::Duration::minutes(minute.into()),
    }
}

fn v(kind: Kind, f: &str, raw: &str) -> (&'static FieldSpec, Value) {
    let spec = field(kind, f).unwrap();
    (
        spec,
        parse(spec, raw, OffsetDateTime::UNIX_EPOCH)
            .unwrap()
            .unwrap(),
    )
}

fn opportunity(by: &str) -> (RecordDoc, Vec<u8>) {
    let id = Uuid::now_v7();
    let acc = Uuid::now_v7().to_string();
    let mut d = RecordDoc::create(
        Kind::Opportunity,
        id,
        &actor(1),
        &author(by, 0),
        &[
            v(Kind::Opportunity, "account_id", &acc),
            v(Kind::Opportunity, "name", "Line 3 retrofit"),
        ],
    )
    .unwrap();
    d.commit(&author(by, 0)).unwrap().unwrap();
    let saved = d.save();
    (d, saved)
}

/// A second device's copy of a document.
fn copy(bytes: &[u8], n: u8) -> RecordDoc {
    RecordDoc::load(bytes, &actor(n)).unwrap()
}

#[test]
fn create_read_round_trip() {
    let (d, _) = opportunity("alice");
    let r = d.read();
    assert_eq!(r.kind, Kind::Opportunity);
    assert_eq!(r.str("name"), Some("Line 3 retrofit"));
    assert_eq!(r.created_by, "alice");
    assert_eq!(r.created_at, "2026-11-23T09:00:00Z");
    assert_eq!(r.probability(), Some(10), "follows the default stage");
    assert!(!r.deleted);
}

#[test]
fn missing_required_field_is_refused() {
    let err = RecordDoc::create(
        Kind::Contact,
        Uuid::now_v7(),
        &actor(1),
        &author("a", 0),
        &[v(Kind::Contact, "name", "张伟")],
    )
    .err()
    .unwrap();
    assert!(
        matches!(err, CoreError::MissingRequired { ref field, .. } if field == "account_id"),
        "{err}"
    );
}

#[test]
fn different_fields_both_kept_same_field_is_a_conflict_with_authors() {
    let (_, saved) = opportunity("alice");
    let mut a = copy(&saved, 2);
    let mut b = copy(&saved, 3);
    let (s, val) = v(Kind::Opportunity, "stage", "proposal");
    a.set(s, Some(val)).unwrap();
    let (s, val) = v(Kind::Opportunity, "amount", "12000.00");
    a.set(s, Some(val)).unwrap();
    let ca = a.commit(&author("alice", 5)).unwrap().unwrap();
    let (s, val) = v(Kind::Opportunity, "next_step", "Send drawings");
    b.set(s, Some(val)).unwrap();
    let (s, val) = v(Kind::Opportunity, "amount", "15000.00");
    b.set(s, Some(val)).unwrap();
    let cb = b.commit(&author("bob", 6)).unwrap().unwrap();

    assert_eq!(a.merge_bytes(&cb).unwrap().len(), 1);
    assert_eq!(b.merge_bytes(&ca).unwrap().len(), 1);
    assert!(
        b.merge_bytes(&ca).unwrap().is_empty(),
        "a resend changes nothing"
    );
    let (ra, rb) = (a.read(), b.read());
    assert_eq!(ra, rb);
    assert_eq!(ra.str("stage"), Some("proposal"));
    assert_eq!(ra.str("next_step"), Some("Send drawings"));

    let conflicts = a.conflicts().unwrap();
    assert_eq!(conflicts, b.conflicts().unwrap());
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field, "amount");
    let mut seen: Vec<_> = conflicts[0]
        .values
        .iter()
        .map(|c| (c.value.clone(), c.by.clone(), c.at.clone()))
        .collect();
    seen.sort_by(|x, y| x.1.cmp(&y.1));
    assert_eq!(
        seen,
        vec![
            (
                json!("12000.00"),
                "alice".into(),
                "2026-11-23T09:05:00Z".into()
            ),
            (
                json!("15000.00"),
                "bob".into(),
                "2026-11-23T09:06:00Z".into()
            ),
        ]
    );
    assert_eq!(conflicts[0].values.iter().filter(|c| c.shown).count(), 1);

    // Resolving is an ordinary edit that supersedes both values.
    let (s, val) = v(Kind::Opportunity, "amount", "13500.00");
    a.set(s, Some(val)).unwrap();
    let resolution = a.commit(&author("carol", 9)).unwrap().unwrap();
    b.merge_bytes(&resolution).unwrap();
    assert!(a.conflicts().unwrap().is_empty());
    assert!(b.conflicts().unwrap().is_empty());
    assert_eq!(b.read().str("amount"), Some("13500.00"));
}

#[test]
fn notes_typed_on_two_devices_keep_both_paragraphs() {
    let id = Uuid::now_v7();
    let mut d = RecordDoc::create(
        Kind::Account,
        id,
        &actor(1),
        &author("a", 0),
        &[v(Kind::Account, "name", "青岛啤酒股份有限公司")],
    )
    .unwrap();
    d.append_note("First visit: met purchasing.").unwrap();
    d.commit(&author("a", 0)).unwrap();
    let saved = d.save();
    let mut a = copy(&saved, 2);
    let mut b = copy(&saved, 3);
    a.append_note("Alice: wants a quote for line 3.").unwrap();
    b.append_note("Bob: 采购经理下周出差。").unwrap();
    let ca = a.commit(&author("alice", 1)).unwrap().unwrap();
    let cb = b.commit(&author("bob", 2)).unwrap().unwrap();
    a.merge_bytes(&cb).unwrap();
    b.merge_bytes(&ca).unwrap();
    let na = a.read().str("notes").unwrap().to_string();
    assert_eq!(na, b.read().str("notes").unwrap());
    assert!(na.starts_with("First visit: met purchasing."));
    assert!(na.contains("Alice: wants a quote for line 3."), "{na}");
    assert!(na.contains("Bob: 采购经理下周出差。"), "{na}");
    assert!(a.conflicts().unwrap().is_empty());
}

#[test]
fn quote_lines_merge_per_line_and_compute_totals() {
    let opp = Uuid::now_v7().to_string();
    let mut q = RecordDoc::create(
        Kind::Quote,
        Uuid::now_v7(),
        &actor(1),
        &author("a", 0),
        &[
            v(Kind::Quote, "opportunity_id", &opp),
            v(Kind::Quote, "currency", "EUR"),
            v(Kind::Quote, "tax_pct", "19"),
        ],
    )
    .unwrap();
    let line = |f: &str, raw: &str| {
        let spec = schema::LINE_FIELDS.iter().find(|s| s.name == f).unwrap();
        (
            spec,
            parse(spec, raw, OffsetDateTime::UNIX_EPOCH)
                .unwrap()
                .unwrap(),
        )
    };
    q.add_line(
        "l1",
        &[
            line("description", "Pump"),
            line("quantity", "3"),
            line("unit_price", "19.99"),
        ],
    )
    .unwrap();
    q.commit(&author("a", 0)).unwrap();
    let saved = q.save();
    let mut a = copy(&saved, 2);
    let mut b = copy(&saved, 3);
    a.add_line(
        "l2",
        &[
            line("description", "Install"),
            line("unit_price", "100"),
            line("discount_pct", "10"),
        ],
    )
    .unwrap();
    let ca = a.commit(&author("alice", 1)).unwrap().unwrap();
    let (s, val) = line("quantity", "4");
    b.set_line("l1", &[(s, Some(val))]).unwrap();
    let cb = b.commit(&author("bob", 2)).unwrap().unwrap();
    a.merge_bytes(&cb).unwrap();
    b.merge_bytes(&ca).unwrap();
    let r = a.read();
    assert_eq!(r, b.read());
    assert_eq!(r.lines.len(), 2);
    let t = r.quote_totals().unwrap();
    // 4 × 19.99 = 79.96; 100 × 90% = 90.00; subtotal 169.96; tax 19% = 32.2924 → 32.29
    assert_eq!(t.subtotal.to_string(), "169.96");
    assert_eq!(t.tax.to_string(), "32.29");
    assert_eq!(t.total.to_string(), "202.25");
    let j = r.to_json("alice");
    assert_eq!(j["lines"][1]["total"], json!("90.00"));
    assert_eq!(j["total"], json!("202.25"));
    a.remove_line("l1").unwrap();
    a.commit(&author("alice", 3)).unwrap();
    assert_eq!(a.read().lines.len(), 1);
    assert!(matches!(
        a.remove_line("l1"),
        Err(CoreError::UnknownLine(_))
    ));
}

#[test]
fn history_lists_each_field_change_with_author_oldest_first() {
    let (mut d, _) = opportunity("alice");
    let (s, val) = v(Kind::Opportunity, "stage", "qualified");
    d.set(s, Some(val)).unwrap();
    d.commit(&author("bob", 10)).unwrap();
    let (s, val) = v(Kind::Opportunity, "stage", "won");
    d.set(s, Some(val)).unwrap();
    d.set(field(Kind::Opportunity, "name").unwrap(), None).ok();
    d.rollback();
    let (s, val) = v(Kind::Opportunity, "stage", "won");
    d.set(s, Some(val)).unwrap();
    d.commit(&author("carol", 20)).unwrap();
    let h = d.history().unwrap();
    let stage: Vec<_> = h.iter().filter(|e| e.field == "stage").collect();
    assert_eq!(stage.len(), 2, "{h:?}");
    assert_eq!(
        (stage[0].by.as_str(), &stage[0].from, &stage[0].to),
        ("bob", &json!(null), &json!("qualified"))
    );
    assert_eq!(
        (stage[1].by.as_str(), &stage[1].from, &stage[1].to),
        ("carol", &json!("qualified"), &json!("won"))
    );
    assert_eq!(stage[1].at, "2026-11-23T09:20:00Z");
    assert_eq!(h[0].by, "alice");
    assert!(
        h.iter()
            .any(|e| e.field == "name" && e.to == json!("Line 3 retrofit"))
    );
}

#[test]
fn deleting_and_restoring_is_recorded() {
    let (mut d, _) = opportunity("alice");
    d.set_deleted(true).unwrap();
    d.commit(&author("bob", 1)).unwrap();
    assert!(d.read().deleted);
    d.set_deleted(false).unwrap();
    d.commit(&author("bob", 2)).unwrap();
    assert!(!d.read().deleted);
    let h = d.history().unwrap();
    assert_eq!(h.iter().filter(|e| e.field == "deleted").count(), 2);
}

#[test]
fn a_document_that_is_not_a_record_is_refused() {
    let mut other = AutoCommit::new();
    other.put(ROOT, "hello", "world").unwrap();
    let bytes = other.save();
    assert!(matches!(
        RecordDoc::load(&bytes, &actor(1)),
        Err(CoreError::NotARecord(_))
    ));
    assert!(RecordDoc::load(b"garbage", &actor(1)).is_err());
}

#[test]
fn a_created_record_is_what_its_document_reads_as() {
    let acc = Uuid::now_v7().to_string();
    let cases: Vec<(Kind, Vec<(&'static FieldSpec, Value)>)> = vec![
        (
            Kind::Account,
            vec![
                v(Kind::Account, "tags", "b,a,b"),
                v(Kind::Account, "name", "青岛啤酒股份有限公司"),
                v(Kind::Account, "notes", "拜访\n\nsecond"),
                v(Kind::Account, "parent_id", &acc),
                v(Kind::Account, "website", "www.tsingtao.com.cn"),
            ],
        ),
        (
            Kind::Account,
            vec![
                v(Kind::Account, "name", "Empty notes and tags"),
                (
                    field(Kind::Account, "notes").unwrap(),
                    Value::Notes(String::new()),
                ),
                (
                    field(Kind::Account, "tags").unwrap(),
                    Value::Tags(Vec::new()),
                ),
            ],
        ),
        (
            Kind::Opportunity,
            vec![
                v(Kind::Opportunity, "account_id", &acc),
                v(Kind::Opportunity, "name", "Deal"),
                v(Kind::Opportunity, "probability", "40"),
                v(Kind::Opportunity, "amount", "1250000.50"),
                v(Kind::Opportunity, "close_date", "2026-12-31"),
            ],
        ),
        (
            Kind::Activity,
            vec![
                v(Kind::Activity, "account_id", &acc),
                v(Kind::Activity, "kind", "visit"),
                v(Kind::Activity, "lat", "36.07"),
                v(Kind::Activity, "body", "  two\nlines "),
                v(Kind::Activity, "at", "2026-11-23T09:30:00Z"),
            ],
        ),
        (
            Kind::Task,
            vec![
                v(Kind::Task, "title", "Call"),
                v(Kind::Task, "done", "true"),
            ],
        ),
    ];
    for (kind, values) in cases {
        let id = Uuid::now_v7();
        let by = author("alice", 3);
        let d = RecordDoc::create(kind, id, &actor(1), &by, &values).unwrap();
        assert_eq!(
            RecordDoc::created_record(kind, id, &by, &values),
            d.read(),
            "{kind}"
        );
    }
}
