//! Merging proved: several real stores (real SQLite files) make random creates, edits,
//! deletes, notes and quote-line changes, exchange bundles in random orders, and end with
//! identical exports; concurrent edits of one field become conflicts visible everywhere.

use fieldbook_client::{FieldValue, FieldValues, ListQuery, Store};
use fieldbook_core::Kind;
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

struct Device {
    _dir: TempDir,
    store: Store,
}

fn device(user: &str) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path(), user, "EUR").unwrap();
    Device { _dir: dir, store }
}

/// Field values from `(field, value)` pairs (whole numbers as numbers, the rest as text).
fn vals(pairs: &[(&str, String)]) -> FieldValues {
    pairs
        .iter()
        .map(|(f, v)| {
            let value = match (*f, v.parse::<i64>()) {
                ("probability", Ok(i)) => FieldValue::Int(i),
                ("tags", _) => FieldValue::Tags(v.split(',').map(str::to_string).collect()),
                _ => FieldValue::Text(v.clone()),
            };
            (f.to_string(), Some(value))
        })
        .collect()
}

fn no_progress() -> impl FnMut(u64, u64) {
    |_, _| {}
}

/// Hands everything `from` knows to `to`, through a bundle file.
fn carry(from: &Device, to: &mut Device, scratch: &Path) {
    let file = scratch.join("carry.fbb");
    from.store.bundle(&file, &mut no_progress()).unwrap();
    to.store.absorb(&file, &mut no_progress()).unwrap();
}

fn export(d: &Device, scratch: &Path) -> Value {
    let file = scratch.join("export.json");
    d.store.export(&file, &mut no_progress()).unwrap();
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["records"].clone()
}

fn ids(d: &Device, kind: Kind) -> Vec<String> {
    let q = ListQuery {
        include_deleted: true,
        ..ListQuery::default()
    };
    let mut v: Vec<String> = d
        .store
        .list(kind, &q)
        .unwrap()
        .into_iter()
        .map(|r| r.id.to_string())
        .collect();
    v.sort();
    v
}

/// Records not deleted: the only ones a new child may point to.
fn live_ids(d: &Device, kind: Kind) -> Vec<String> {
    let mut v: Vec<String> = d
        .store
        .list(kind, &ListQuery::default())
        .unwrap()
        .into_iter()
        .map(|r| r.id.to_string())
        .collect();
    v.sort();
    v
}

fn pick(v: &[String], n: usize) -> Option<&String> {
    if v.is_empty() {
        None
    } else {
        Some(&v[n % v.len()])
    }
}

#[derive(Clone, Debug)]
enum Op {
    NewAccount(u8),
    NewContact(usize, u8),
    NewOpportunity(usize, u16),
    EditOpportunity(usize, u8, u16),
    EditAccount(usize, u8),
    Note(usize, u8),
    Delete(usize, bool),
    NewQuote(usize),
    AddLine(usize, u8, u8),
    SetLine(usize, usize, u8),
    RemoveLine(usize, usize),
    Exchange(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::NewAccount),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Op::NewContact(a, b)),
        (any::<usize>(), any::<u16>()).prop_map(|(a, b)| Op::NewOpportunity(a, b)),
        (any::<usize>(), 0u8..6, any::<u16>()).prop_map(|(a, b, c)| Op::EditOpportunity(a, b, c)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Op::EditAccount(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Op::Note(a, b)),
        (any::<usize>(), any::<bool>()).prop_map(|(a, b)| Op::Delete(a, b)),
        any::<usize>().prop_map(Op::NewQuote),
        (any::<usize>(), 1u8..9, any::<u8>()).prop_map(|(a, b, c)| Op::AddLine(a, b, c)),
        (any::<usize>(), any::<usize>(), 1u8..9).prop_map(|(a, b, c)| Op::SetLine(a, b, c)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::RemoveLine(a, b)),
        any::<usize>().prop_map(Op::Exchange),
    ]
}

/// Applies one operation on device `i`. Operations are always valid for what the device knows.
fn apply(devices: &mut [Device], i: usize, op: &Op, scratch: &Path) {
    let n = devices.len();
    let d = &mut devices[i];
    match op {
        Op::NewAccount(x) => {
            let name = if x % 2 == 0 {
                format!("Acme {x}")
            } else {
                format!("青岛{x}有限公司")
            };
            d.store
                .create(Kind::Account, &vals(&[("name", name)]))
                .unwrap();
        }
        Op::NewContact(a, x) => {
            let accounts = live_ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                d.store
                    .create(
                        Kind::Contact,
                        &vals(&[
                            ("account_id", acc.to_string()),
                            ("name", format!("张伟{x}")),
                        ]),
                    )
                    .unwrap();
            }
        }
        Op::NewOpportunity(a, amount) => {
            let accounts = live_ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                d.store
                    .create(
                        Kind::Opportunity,
                        &vals(&[
                            ("account_id", acc.to_string()),
                            ("name", "Deal".into()),
                            ("amount", format!("{amount}.50")),
                        ]),
                    )
                    .unwrap();
            }
        }
        Op::EditOpportunity(o, field, v) => {
            let opps = ids(d, Kind::Opportunity);
            if let Some(opp) = pick(&opps, *o) {
                let id = d.store.resolve_id(opp).unwrap();
                let args = match field {
                    0 => vals(&[("amount", v.to_string())]),
                    1 => vals(&[(
                        "stage",
                        ["lead", "qualified", "proposal", "negotiation", "won"][*v as usize % 5]
                            .to_string(),
                    )]),
                    2 => vals(&[
                        ("stage", "lost".into()),
                        ("loss_reason", format!("reason {v}")),
                    ]),
                    3 => vals(&[("next_step", format!("call back {v}"))]),
                    4 => vals(&[("probability", (v % 101).to_string())]),
                    _ => vals(&[("close_date", format!("2027-0{}-1{}", v % 9 + 1, v % 10))]),
                };
                d.store.update(id, &args).unwrap();
            }
        }
        Op::EditAccount(a, v) => {
            let accounts = ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                let id = d.store.resolve_id(acc).unwrap();
                let args = match v % 3 {
                    0 => vals(&[("city", format!("City {v}"))]),
                    1 => vals(&[("tags", format!("t{},t{}", v % 4, v % 5))]),
                    _ => vals(&[("phone", format!("+49 {v}"))]),
                };
                d.store.update(id, &args).unwrap();
            }
        }
        Op::Note(a, v) => {
            let accounts = ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                let id = d.store.resolve_id(acc).unwrap();
                d.store
                    .append_note(id, &format!("note {v} from device {i}"))
                    .unwrap();
            }
        }
        Op::Delete(r, delete) => {
            let mut all = ids(d, Kind::Account);
            all.extend(ids(d, Kind::Contact));
            if let Some(rec) = pick(&all, *r) {
                let id = d.store.resolve_id(rec).unwrap();
                d.store.set_deleted(id, *delete).unwrap();
            }
        }
        Op::NewQuote(o) => {
            let opps = live_ids(d, Kind::Opportunity);
            if let Some(opp) = pick(&opps, *o) {
                d.store
                    .create(
                        Kind::Quote,
                        &vals(&[
                            ("opportunity_id", opp.to_string()),
                            ("tax_pct", "19".into()),
                        ]),
                    )
                    .unwrap();
            }
        }
        Op::AddLine(q, qty, price) => {
            let quotes = ids(d, Kind::Quote);
            if let Some(quote) = pick(&quotes, *q) {
                let id = d.store.resolve_id(quote).unwrap();
                d.store
                    .add_quote_line(
                        id,
                        &vals(&[
                            ("description", format!("item {price}")),
                            ("quantity", qty.to_string()),
                            ("unit_price", format!("{price}.99")),
                        ]),
                    )
                    .unwrap();
            }
        }
        Op::SetLine(q, l, _) | Op::RemoveLine(q, l) => {
            let quotes = ids(d, Kind::Quote);
            let Some(quote) = pick(&quotes, *q) else {
                return;
            };
            let id = d.store.resolve_id(quote).unwrap();
            let lines: Vec<String> = d
                .store
                .record(id)
                .unwrap()
                .lines
                .iter()
                .map(|l| l.line_id.clone())
                .collect();
            let Some(line) = pick(&lines, *l) else { return };
            if let Op::SetLine(_, _, qty) = op {
                d.store
                    .set_quote_line(id, line, &vals(&[("quantity", qty.to_string())]))
                    .unwrap();
            } else {
                d.store.remove_quote_line(id, line).unwrap();
            }
        }
        Op::Exchange(j) => {
            let j = j % n;
            if j != i {
                let (from, to) = if j < i {
                    let (a, b) = devices.split_at_mut(i);
                    (&a[j], &mut b[0])
                } else {
                    let (a, b) = devices.split_at_mut(j);
                    (&b[0], &mut a[i])
                };
                carry(from, to, scratch);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn stores_exchanging_bundles_in_any_order_converge(
        n in 3usize..=5,
        ops in prop::collection::vec((any::<usize>(), op()), 10..40),
        final_order in prop::collection::vec((any::<usize>(), any::<usize>()), 0..8),
    ) {
        let scratch = tempfile::tempdir().unwrap();
        let mut devices: Vec<Device> = (0..n).map(|i| device(&format!("rep{i}"))).collect();
        // A shared starting book, as after a first exchange.
        devices[0].store.create(Kind::Account, &vals(&[("name", "Shared GmbH".into())])).unwrap();
        for i in 1..n {
            let (a, b) = devices.split_at_mut(i);
            carry(&a[0], &mut b[0], scratch.path());
        }
        for (who, op) in &ops {
            apply(&mut devices, who % n, op, scratch.path());
        }
        // Some random exchanges, then everyone hands everything to everyone.
        for (a, b) in &final_order {
            let (a, b) = (a % n, b % n);
            if a != b {
                apply(&mut devices, b, &Op::Exchange(a), scratch.path());
            }
        }
        for _round in 0..2 {
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        apply(&mut devices, j, &Op::Exchange(i), scratch.path());
                    }
                }
            }
        }
        let first = export(&devices[0], scratch.path());
        for d in &devices[1..] {
            prop_assert_eq!(&export(d, scratch.path()), &first);
        }
        // Projections agree with documents: every record listed is shown the same.
        for kind in [Kind::Account, Kind::Opportunity, Kind::Quote] {
            let listed = devices[0].store.list(kind, &ListQuery { include_deleted: true, ..ListQuery::default() }).unwrap();
            for row in listed {
                let mut shown = devices[0].store.record(row.id).unwrap();
                shown.conflicts.clear();
                shown.heads.clear();
                prop_assert_eq!(row, shown);
            }
        }
    }
}

#[test]
fn same_field_in_two_stores_is_a_conflict_in_both_until_resolved_once() {
    let scratch = tempfile::tempdir().unwrap();
    let mut alice = device("alice");
    let mut bob = device("bob");
    let acc = alice
        .store
        .create(Kind::Account, &vals(&[("name", "Acme".into())]))
        .unwrap();
    let opp = alice
        .store
        .create(
            Kind::Opportunity,
            &vals(&[
                ("account_id", acc.to_string()),
                ("name", "Retrofit".into()),
                ("amount", "1000".into()),
            ]),
        )
        .unwrap();
    carry(&alice, &mut bob, scratch.path());

    alice
        .store
        .update(
            opp,
            &vals(&[("amount", "1200".into()), ("next_step", "demo".into())]),
        )
        .unwrap();
    bob.store
        .update(
            opp,
            &vals(&[
                ("amount", "1500".into()),
                ("close_date", "2027-03-31".into()),
            ]),
        )
        .unwrap();
    alice.store.append_note(acc, "Alice was here").unwrap();
    bob.store.append_note(acc, "Bob was here").unwrap();
    carry(&alice, &mut bob, scratch.path());
    carry(&bob, &mut alice, scratch.path());

    for d in [&alice, &bob] {
        let c = d.store.conflicts(None).unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].conflicts.len(), 1);
        let conflict = &c[0].conflicts[0];
        assert_eq!(conflict.field, "amount");
        let mut who: Vec<(String, String)> = conflict
            .values
            .iter()
            .map(|v| match &v.value {
                Some(FieldValue::Text(t)) => (v.by.clone(), t.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        who.sort();
        assert_eq!(
            who,
            vec![
                ("alice".into(), "1200".into()),
                ("bob".into(), "1500".into())
            ]
        );
        let shown = d.store.record(opp).unwrap();
        let text = |v: Option<&FieldValue>| match v {
            Some(FieldValue::Text(t)) => t.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            text(shown.fields.get("next_step")),
            "demo",
            "different fields are both kept"
        );
        assert_eq!(text(shown.fields.get("close_date")), "2027-03-31");
        let notes = text(d.store.record(acc).unwrap().fields.get("notes"));
        assert!(
            notes.contains("Alice was here") && notes.contains("Bob was here"),
            "{notes}"
        );
    }

    let amount = |a: &str| Some(FieldValue::Text(a.into()));
    bob.store.resolve(opp, "amount", amount("1350")).unwrap();
    carry(&bob, &mut alice, scratch.path());
    for d in [&alice, &bob] {
        assert!(d.store.conflicts(None).unwrap().is_empty());
        assert_eq!(
            d.store.record(opp).unwrap().fields.get("amount"),
            amount("1350").as_ref()
        );
    }
    assert!(
        alice.store.resolve(opp, "amount", amount("1")).is_err(),
        "no conflict left to resolve"
    );
}
