//! Merging proved: several real stores (real SQLite files) make random creates, edits,
//! deletes, notes and quote-line changes, exchange bundles in random orders, and end with
//! identical exports; concurrent edits of one field become conflicts visible everywhere.

use fieldbook_client::{ListQuery, Store};
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
        .map(|r| r["id"].as_str().unwrap().to_string())
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
        .map(|r| r["id"].as_str().unwrap().to_string())
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
                .create(Kind::Account, &[format!("name={name}")])
                .unwrap();
        }
        Op::NewContact(a, x) => {
            let accounts = live_ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                d.store
                    .create(
                        Kind::Contact,
                        &[format!("account_id={acc}"), format!("name=张伟{x}")],
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
                        &[
                            format!("account_id={acc}"),
                            "name=Deal".into(),
                            format!("amount={amount}.50"),
                        ],
                    )
                    .unwrap();
            }
        }
        Op::EditOpportunity(o, field, v) => {
            let opps = ids(d, Kind::Opportunity);
            if let Some(opp) = pick(&opps, *o) {
                let id = d.store.resolve_id(opp).unwrap();
                let args = match field {
                    0 => vec![format!("amount={v}")],
                    1 => vec![format!(
                        "stage={}",
                        ["lead", "qualified", "proposal", "negotiation", "won"][*v as usize % 5]
                    )],
                    2 => vec!["stage=lost".into(), format!("loss_reason=reason {v}")],
                    3 => vec![format!("next_step=call back {v}")],
                    4 => vec![format!("probability={}", v % 101)],
                    _ => vec![format!("close_date=2027-0{}-1{}", v % 9 + 1, v % 10)],
                };
                d.store.update(id, &args).unwrap();
            }
        }
        Op::EditAccount(a, v) => {
            let accounts = ids(d, Kind::Account);
            if let Some(acc) = pick(&accounts, *a) {
                let id = d.store.resolve_id(acc).unwrap();
                let args = match v % 3 {
                    0 => vec![format!("city=City {v}")],
                    1 => vec![format!("tags=t{},t{}", v % 4, v % 5)],
                    _ => vec![format!("phone=+49 {v}")],
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
                        &[format!("opportunity_id={opp}"), "tax_pct=19".into()],
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
                        &[
                            format!("description=item {price}"),
                            format!("quantity={qty}"),
                            format!("unit_price={price}.99"),
                        ],
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
            let lines: Vec<String> = d.store.show(id).unwrap()["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["line_id"].as_str().unwrap().to_string())
                .collect();
            let Some(line) = pick(&lines, *l) else { return };
            if let Op::SetLine(_, _, qty) = op {
                d.store
                    .set_quote_line(id, line, &[format!("quantity={qty}")])
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
        devices[0].store.create(Kind::Account, &["name=Shared GmbH".into()]).unwrap();
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
            for mut row in listed {
                let id = devices[0].store.resolve_id(row["id"].as_str().unwrap()).unwrap();
                let mut shown = devices[0].store.show(id).unwrap();
                shown.remove("conflicts");
                row.remove("has_conflicts");
                prop_assert_eq!(Value::Object(row), Value::Object(shown));
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
        .create(Kind::Account, &["name=Acme".into()])
        .unwrap();
    let opp = alice
        .store
        .create(
            Kind::Opportunity,
            &[
                format!("account_id={acc}"),
                "name=Retrofit".into(),
                "amount=1000".into(),
            ],
        )
        .unwrap();
    carry(&alice, &mut bob, scratch.path());

    alice
        .store
        .update(opp, &["amount=1200".into(), "next_step=demo".into()])
        .unwrap();
    bob.store
        .update(opp, &["amount=1500".into(), "close_date=2027-03-31".into()])
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
            .map(|v| (v.by.clone(), v.value.as_str().unwrap().to_string()))
            .collect();
        who.sort();
        assert_eq!(
            who,
            vec![
                ("alice".into(), "1200".into()),
                ("bob".into(), "1500".into())
            ]
        );
        let shown = d.store.show(opp).unwrap();
        assert_eq!(shown["next_step"], "demo", "different fields are both kept");
        assert_eq!(shown["close_date"], "2027-03-31");
        let notes = d.store.show(acc).unwrap()["notes"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            notes.contains("Alice was here") && notes.contains("Bob was here"),
            "{notes}"
        );
    }

    bob.store.resolve(opp, "amount", "1350").unwrap();
    carry(&bob, &mut alice, scratch.path());
    for d in [&alice, &bob] {
        assert!(d.store.conflicts(None).unwrap().is_empty());
        assert_eq!(d.store.show(opp).unwrap()["amount"], "1350");
    }
    assert!(
        alice.store.resolve(opp, "amount", "1").is_err(),
        "no conflict left to resolve"
    );
}
