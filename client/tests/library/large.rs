//! What a large book changes (issue #15): a search matching more records than it ranks at
//! once still puts title matches first, and a list page looked for along the kind's index
//! is the page the whole query gives, a rare value found past the walk.

use crate::support::{store, text};
use fieldbook_client::import::{self, ImportOptions, OnError};
use fieldbook_client::{FieldValue, Filter, Kind, ListQuery, Store};

/// Past the 2,000 matches a search ranks at once, and the 2,000 records a list walks.
const MANY: usize = 2_100;

/// A store with one account "Zebra Works" in Rare City, then `MANY` accounts in "Zebra
/// Town" (imported: one transaction per thousand).
fn book() -> (tempfile::TempDir, Store) {
    let (dir, mut s) = store("alice");
    s.create(
        Kind::Account,
        &text(&[("name", "Zebra Works"), ("city", "Rare City")]),
    )
    .unwrap();
    let mut csv = String::from("name,city\n");
    for i in 0..MANY {
        csv.push_str(&format!("Account {i},Zebra Town\n"));
    }
    let table = import::table::read_csv(csv.as_bytes(), None, None).unwrap();
    let options = ImportOptions {
        kind: Kind::Account,
        columns: Vec::new(),
        on_error: OnError::Abort,
        dry_run: false,
    };
    let report = s.import(&table, &options, &mut |_, _| {}).unwrap();
    assert_eq!(report.imported, MANY as u64);
    (dir, s)
}

fn city(value: &str, limit: Option<usize>) -> ListQuery {
    ListQuery {
        filters: vec![Filter {
            field: "city".into(),
            value: Some(FieldValue::Text(value.into())),
        }],
        limit,
        ..Default::default()
    }
}

#[test]
fn a_large_book_finds_titles_first_and_lists_pages_as_the_whole_query_would() {
    let (_dir, s) = book();

    // 2,101 matches: more than are ranked at once. The one title match, the oldest
    // record, comes first; the rest are body matches (the city).
    let hits = s.search("zebra", 20).unwrap();
    assert_eq!(hits.len(), 20);
    assert_eq!(hits[0].title, "Zebra Works");
    assert!(hits[1..].iter().all(|h| h.title.starts_with("Account ")));

    // A page of a common value: the first 50 of the whole query.
    let all = s.list(Kind::Account, &city("Zebra Town", None)).unwrap();
    assert_eq!(all.len(), MANY);
    let page = s
        .list(Kind::Account, &city("Zebra Town", Some(50)))
        .unwrap();
    let ids = |v: &[fieldbook_client::RecordView]| v.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(&page), ids(&all[..50]));
    // A rare value lies past the 2,000 records walked: the query over the kind finds it.
    let rare = s.list(Kind::Account, &city("Rare City", Some(5))).unwrap();
    assert_eq!(rare.len(), 1);
    assert_eq!(
        rare[0].fields["name"],
        FieldValue::Text("Zebra Works".into())
    );
    // Pages with a cursor give every record once, in order.
    let mut seen = Vec::new();
    let mut q = city("Zebra Town", Some(700));
    loop {
        let p = s.list_page(Kind::Account, &q).unwrap();
        seen.extend(p.records.iter().map(|r| r.id));
        match p.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ids(&all));
}
