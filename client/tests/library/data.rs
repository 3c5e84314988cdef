//! Data in and out through the library's API, as the app calls it: an import's preview and
//! its run (a report, nothing half-written), likely duplicates, a merge, the tables and
//! Automerge files an export writes, and a store from before `merged_into` upgraded.

use crate::store::downgrade_to_schema_4;
use crate::support::{store, text};
use fieldbook_client::duplicates::{FieldChoice, Side};
use fieldbook_client::import::{self, ColumnChoice, ImportOptions, OnError};
use fieldbook_client::{FieldValue, Kind, ListQuery, Store};

fn table(csv: &str) -> import::Table {
    import::table::read_csv(csv.as_bytes(), None, None).unwrap()
}

fn options(kind: Kind, on_error: OnError) -> ImportOptions {
    ImportOptions {
        kind,
        columns: Vec::new(),
        on_error,
        dry_run: false,
    }
}

fn count(s: &Store, kind: Kind) -> usize {
    s.list(kind, &ListQuery::default()).unwrap().len()
}

#[test]
fn a_preview_shows_a_mapping_that_lacks_a_required_column_and_the_import_refuses_it() {
    let (_dir, mut s) = store("alice");
    let t = table("Spalte A,Spalte B\nAcme GmbH,Berlin\n");
    let preview = s.import_preview(&t, Kind::Account, &[], 5).unwrap();
    assert_eq!(preview.missing, ["name"]);
    assert!(preview.importable.iter().any(|f| f == "name"));
    assert!(!preview.importable.iter().any(|f| f == "merged_into"));
    let err = s
        .import(&t, &options(Kind::Account, OnError::Skip), &mut |_, _| {})
        .unwrap_err();
    assert!(
        matches!(err, fieldbook_client::ClientError::MissingColumn { .. }),
        "{err}"
    );
    // Mapped by hand (by column number), nothing is missing and the row imports.
    let by_hand = [ColumnChoice {
        column: "1".into(),
        field: "name".into(),
    }];
    let preview = s.import_preview(&t, Kind::Account, &by_hand, 5).unwrap();
    assert!(preview.missing.is_empty());
    let mut options = options(Kind::Account, OnError::Skip);
    options.columns = by_hand.to_vec();
    assert_eq!(s.import(&t, &options, &mut |_, _| {}).unwrap().imported, 1);
    assert_eq!(count(&s, Kind::Account), 1);
}

#[test]
fn an_import_is_previewed_then_run_and_reports_what_it_refused() {
    let (_dir, mut s) = store("alice");
    let t = table(
        "客户清单\n公司名称,电话,城市,Umsatz\n青岛啤酒股份有限公司,0532-85955555,青岛,1\n,123,上海,2\nAcme GmbH,,Berlin,3\n",
    );
    let preview = s
        .import_preview(
            &t,
            Kind::Account,
            &[ColumnChoice {
                column: "Umsatz".into(),
                field: String::new(),
            }],
            1,
        )
        .unwrap();
    assert_eq!(preview.header_line, 2);
    let fields: Vec<Option<&str>> = preview.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(fields, [Some("name"), Some("phone"), Some("city"), None]);
    assert_eq!(
        preview.rows,
        [["青岛啤酒股份有限公司", "0532-85955555", "青岛", "1"]]
    );

    let mut calls = Vec::new();
    let aborted = s
        .import(
            &t,
            &options(Kind::Account, OnError::Abort),
            &mut |done, total| calls.push((done, total)),
        )
        .unwrap();
    assert!(aborted.aborted);
    assert_eq!(aborted.imported, 0);
    assert_eq!(count(&s, Kind::Account), 0, "abort: nothing written");
    assert!(calls.is_empty());

    let r = s
        .import(&t, &options(Kind::Account, OnError::Skip), &mut |_, _| {})
        .unwrap();
    assert_eq!((r.rows, r.valid, r.imported), (3, 2, 2));
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].line, 4);
    assert!(
        r.rejected[0].reason.contains("`name` is empty"),
        "{:?}",
        r.rejected
    );
    assert_eq!(count(&s, Kind::Account), 2);
    // Imported records are documents like typed ones: they have a history and wait in
    // the outbox for the server.
    let beer = s
        .list(
            Kind::Account,
            &ListQuery {
                search: Some("青岛".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(s.history(beer[0].id).unwrap()[0].by, "alice");
    assert_eq!(s.outbox_len().unwrap(), 2);

    let report = _dir.path().join("refused.csv");
    r.write_rejected(&report).unwrap();
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(
        text.starts_with("\u{feff}line,reason,公司名称,电话,城市,Umsatz\n4,"),
        "{text}"
    );
}

#[test]
fn duplicates_and_a_merge_through_the_library() {
    let (_dir, mut s) = store("alice");
    let keep = s
        .create(
            Kind::Account,
            &text(&[("name", "青岛啤酒股份有限公司"), ("city", "青岛")]),
        )
        .unwrap();
    let other = s
        .create(
            Kind::Account,
            &text(&[
                ("name", "青岛啤酒"),
                ("city", "Qingdao"),
                ("phone", "0532-85955555"),
            ]),
        )
        .unwrap();
    let contact = s
        .create(
            Kind::Contact,
            &text(&[("account_id", &other.to_string()), ("name", "张伟")]),
        )
        .unwrap();
    let pairs = s.duplicates(Kind::Account).unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!((pairs[0].a, pairs[0].b), (keep, other));

    let r = s
        .merge(
            keep,
            other,
            &[FieldChoice {
                field: "city".into(),
                side: Side::Other,
            }],
        )
        .unwrap();
    assert_eq!(r.fields, ["phone", "city"]);
    assert_eq!(r.moved.len(), 1);
    assert_eq!(r.moved[0].from, contact);
    let kept = s.record(keep).unwrap();
    assert_eq!(kept.fields["city"].to_json(), "Qingdao");
    let moved = s.record(r.moved[0].to).unwrap();
    assert_eq!(moved.fields["account_id"].to_json(), keep.to_string());
    assert_eq!(moved.fields["name"].to_json(), "张伟");
    let merged = s.record(other).unwrap();
    assert!(merged.deleted);
    assert_eq!(merged.fields["merged_into"].to_json(), keep.to_string());
    assert!(s.duplicates(Kind::Account).unwrap().is_empty());
    // A failed merge changes nothing.
    let before = s.outbox_len().unwrap();
    assert!(s.merge(keep, other, &[]).is_err());
    assert!(s.merge(keep, keep, &[]).is_err());
    assert_eq!(s.outbox_len().unwrap(), before);
}

#[test]
fn exports_write_tables_and_automerge_files_that_load() {
    let (dir, mut s) = store("alice");
    let mut values = text(&[("name", "Acme")]);
    values.insert(
        "tags".into(),
        Some(FieldValue::Tags(vec!["a".into(), "b".into()])),
    );
    let acc = s.create(Kind::Account, &values).unwrap();
    s.append_note(acc, "多行\n备注").unwrap();
    let csv = dir.path().join("csv");
    let tables = s
        .export_csv(
            &csv,
            &[Kind::Account],
            false,
            import::Encoding::Utf8,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].rows, 1);
    // What leaves comes back in: the file reads as an import of the same account.
    let back = import::read_file(&csv.join("accounts.csv"), false, None, None, None).unwrap();
    let preview = s.import_preview(&back, Kind::Account, &[], 5).unwrap();
    let row = &preview.rows[0];
    let col = |f: &str| {
        preview
            .columns
            .iter()
            .position(|c| c.field.as_deref() == Some(f))
            .unwrap()
    };
    assert_eq!(row[col("name")], "Acme");
    assert_eq!(row[col("tags")], "a, b");
    assert_eq!(row[col("notes")], "多行\n备注");

    let am = dir.path().join("am");
    assert_eq!(s.export_automerge(&am, &mut |_, _| {}).unwrap(), 1);
    let bytes = std::fs::read(am.join(format!("{acc}.automerge"))).unwrap();
    let doc = automerge::AutoCommit::load(&bytes).unwrap();
    let record = fieldbook_core::doc::RecordDoc::from_automerge(doc)
        .unwrap()
        .read();
    assert_eq!(record.str("notes"), Some("多行\n备注"));
    assert_eq!(record.title(), "Acme");
}

#[test]
fn a_store_from_before_merged_into_is_upgraded_and_merges() {
    let (dir, mut s) = store("alice");
    let a = s.create(Kind::Account, &text(&[("name", "A")])).unwrap();
    let b = s.create(Kind::Account, &text(&[("name", "A.")])).unwrap();
    drop(s);
    downgrade_to_schema_4(&dir.path().join("fieldbook.db"));
    let mut s = Store::open(dir.path()).unwrap();
    s.merge(a, b, &[]).unwrap();
    let all = s
        .list(
            Kind::Account,
            &ListQuery {
                include_deleted: true,
                ..Default::default()
            },
        )
        .unwrap();
    let merged = all.iter().find(|r| r.id == b).unwrap();
    assert_eq!(merged.fields["merged_into"].to_json(), a.to_string());
}
