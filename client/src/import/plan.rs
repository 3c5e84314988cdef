//! From a spreadsheet's rows of text to records ready to write, or to the reasons a row is
//! refused. Every cell passes core's rules for its field ([`value::parse`]); a row needs
//! every required field; rules across fields hold ([`rules::check_touched`]); a product's
//! SKU is free (in the store and in the rows above); a reference column names a live record
//! by id or by name ([`Names`]). Nothing here writes: the rows are checked against what the
//! store held when the import began, and written by the normal write path afterwards.

use fieldbook_core::dedupe::{self, Subject};
use fieldbook_core::record::Record;
use fieldbook_core::schema::{self, FieldSpec, FieldType};
use fieldbook_core::value::{self, Value};
use fieldbook_core::{Kind, rules};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

/// A row that passed every check: the record it becomes.
#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub line: u64,
    pub id: Uuid,
    pub values: Vec<(&'static FieldSpec, Value)>,
}

/// The records of one kind a reference column may name: by id, by name as written (case
/// and surrounding spaces aside), or by name as compared for duplicates (`青岛啤酒` finds
/// `青岛啤酒股份有限公司`) when that names only one.
pub(crate) struct Names {
    kind: Kind,
    ids: HashSet<Uuid>,
    exact: HashMap<String, Vec<Uuid>>,
    normalized: HashMap<String, Vec<Uuid>>,
}

fn subject(kind: Kind) -> Subject {
    if kind == Kind::Account {
        Subject::Company
    } else {
        Subject::Person
    }
}

fn exact_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Names {
    pub fn new(kind: Kind, titles: Vec<(Uuid, String)>) -> Names {
        let mut names = Names {
            kind,
            ids: HashSet::with_capacity(titles.len()),
            exact: HashMap::with_capacity(titles.len()),
            normalized: HashMap::with_capacity(titles.len()),
        };
        for (id, title) in titles {
            names.ids.insert(id);
            if title.trim().is_empty() {
                continue;
            }
            names.exact.entry(exact_key(&title)).or_default().push(id);
            let n = dedupe::normalize_name(&title, subject(kind));
            if !n.is_empty() {
                names.normalized.entry(n).or_default().push(id);
            }
        }
        names
    }

    /// The record `text` names: its id, or its name.
    pub fn resolve(&self, text: &str) -> Result<Uuid, String> {
        let t = text.trim();
        let what = self.kind.plural();
        if let Ok(id) = Uuid::parse_str(t) {
            return if self.ids.contains(&id) {
                Ok(id)
            } else {
                Err(format!("no live {} here has the id {id}", self.kind))
            };
        }
        let pick = |found: Option<&Vec<Uuid>>| match found.map(Vec::as_slice) {
            Some([one]) => Some(Ok(*one)),
            Some(many) if many.len() > 1 => Some(Err(format!(
                "{} {what} are named `{t}`: give the id of the one you mean",
                many.len()
            ))),
            _ => None,
        };
        if let Some(found) = pick(self.exact.get(&exact_key(t))) {
            return found;
        }
        let n = dedupe::normalize_name(t, subject(self.kind));
        if let Some(found) = pick(self.normalized.get(&n)) {
            return found;
        }
        Err(format!(
            "no {} is named `{t}`: import the {what} first, or give an id",
            self.kind
        ))
    }
}

/// What the rows are checked against: the records reference columns may name, and the
/// SKUs already in use.
pub(crate) struct Context {
    pub kind: Kind,
    pub names: HashMap<Kind, Names>,
    /// Live products by SKU, then the SKUs of rows above (by line).
    pub skus: HashMap<String, Uuid>,
    pub file_skus: HashMap<String, u64>,
    pub now: OffsetDateTime,
}

/// The kinds a mapping's reference columns name.
pub(crate) fn referenced_kinds(mapping: &[Option<&'static FieldSpec>]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = mapping
        .iter()
        .flatten()
        .filter_map(|s| match s.ty {
            FieldType::Ref(k) => Some(k),
            _ => None,
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Checks one row; its record's values, or why it is refused (every problem of the row).
pub(crate) fn plan_row(
    ctx: &mut Context,
    headers: &[String],
    mapping: &[Option<&'static FieldSpec>],
    line: u64,
    cells: &[String],
) -> Result<Planned, String> {
    let mut problems: Vec<String> = Vec::new();
    // Fields whose cell was refused: not reported again as empty.
    let mut refused: Vec<&str> = Vec::new();
    let mut values: Vec<(&'static FieldSpec, Value)> = Vec::new();
    for (i, spec) in mapping.iter().enumerate() {
        let (Some(spec), Some(cell)) = (spec, cells.get(i)) else {
            continue;
        };
        if cell.trim().is_empty() {
            continue;
        }
        let column = headers.get(i).map_or("", String::as_str);
        let parsed = match spec.ty {
            FieldType::Ref(k) => match ctx.names.get(&k).map(|n| n.resolve(cell)) {
                Some(Ok(id)) => Ok(Some(Value::Ref(k, id))),
                Some(Err(why)) => Err(why),
                None => Err(format!("no {k} can be looked up")),
            },
            _ => value::parse(spec, cell, ctx.now).map_err(|e| e.to_string()),
        };
        match parsed {
            Ok(Some(v)) => values.push((spec, v)),
            Ok(None) => {}
            Err(why) => {
                refused.push(spec.name);
                problems.push(format!("column `{column}` ({}): {why}", spec.name));
            }
        }
    }
    for spec in schema::fields(ctx.kind).iter().filter(|s| s.required) {
        let given = values.iter().any(|(s, _)| s.name == spec.name);
        if !given && !refused.contains(&spec.name) {
            problems.push(format!(
                "`{}` is empty ({} needs it)",
                spec.name,
                ctx.kind.a()
            ));
        }
    }
    let id = Uuid::now_v7();
    if problems.is_empty() {
        let record = Record {
            id,
            kind: ctx.kind,
            values: values.iter().map(|(s, v)| (s.name, v.clone())).collect(),
            lines: Vec::new(),
            created_at: String::new(),
            created_by: String::new(),
            updated_at: String::new(),
            updated_by: String::new(),
            deleted: false,
        };
        let touched: Vec<&str> = values.iter().map(|(s, _)| s.name).collect();
        if let Err(e) = rules::check_touched(&record, &touched) {
            problems.push(e.to_string());
        }
    }
    if let Some((_, Value::Str(sku))) = values.iter().find(|(s, _)| s.name == "sku")
        && ctx.kind == Kind::Product
    {
        if let Some(by) = ctx.skus.get(sku) {
            problems.push(format!(
                "sku `{sku}` is already used by product {by}: SKUs are unique"
            ));
        } else if let Some(above) = ctx.file_skus.get(sku) {
            problems.push(format!("sku `{sku}` is already used on line {above}"));
        } else if problems.is_empty() {
            ctx.file_skus.insert(sku.clone(), line);
        }
    }
    if problems.is_empty() {
        Ok(Planned { line, id, values })
    } else {
        Err(problems.join("; "))
    }
}

/// What duplicate detection compares of a planned record.
pub(crate) fn candidate(kind: Kind, p: &Planned) -> dedupe::Candidate {
    let text = |name: &str| {
        p.values.iter().find_map(|(s, v)| match v {
            Value::Str(t) if s.name == name => Some(t.clone()),
            _ => None,
        })
    };
    dedupe::Candidate {
        id: p.id,
        name: text(schema::title_field(kind)).unwrap_or_default(),
        phone: text("phone"),
        email: text("email"),
        website: text("website"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_by_id_exact_name_or_normalized_name() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let names = Names::new(
            Kind::Account,
            vec![
                (a, "青岛啤酒股份有限公司".into()),
                (b, "Acme GmbH".into()),
                (c, "Acme GmbH".into()),
            ],
        );
        assert_eq!(names.resolve(&a.to_string()), Ok(a));
        assert_eq!(names.resolve(" 青岛啤酒股份有限公司 "), Ok(a));
        assert_eq!(names.resolve("青岛啤酒"), Ok(a));
        let e = names.resolve("acme gmbh").unwrap_err();
        assert!(e.contains("2 accounts are named"), "{e}");
        let e = names.resolve("Nobody Ltd").unwrap_err();
        assert!(e.contains("no account is named `Nobody Ltd`"), "{e}");
        let e = names.resolve(&Uuid::now_v7().to_string()).unwrap_err();
        assert!(e.contains("no live account"), "{e}");
    }

    fn ctx(kind: Kind) -> Context {
        Context {
            kind,
            names: HashMap::new(),
            skus: HashMap::new(),
            file_skus: HashMap::new(),
            now: OffsetDateTime::now_utc(),
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_row_reports_every_problem_it_has() {
        let headers = row(&["Name", "Stage", "Amount", "Account"]);
        let mut c = ctx(Kind::Opportunity);
        c.names
            .insert(Kind::Account, Names::new(Kind::Account, Vec::new()));
        let mapping =
            fieldbook_core::import::map_columns(Kind::Opportunity, &headers, &[]).unwrap();
        let e = plan_row(
            &mut c,
            &headers,
            &mapping,
            7,
            &row(&["", "won?", "12x", "Acme"]),
        )
        .unwrap_err();
        assert!(e.contains("column `Stage` (stage)"), "{e}");
        assert!(e.contains("column `Amount` (amount)"), "{e}");
        assert!(e.contains("no account is named `Acme`"), "{e}");
        assert!(e.contains("`name` is empty"), "{e}");
        // The account's problem is said once, not again as "empty".
        assert!(!e.contains("`account_id` is empty"), "{e}");
    }

    #[test]
    fn rules_across_fields_and_skus_are_checked() {
        let headers = row(&["Name", "Stage", "Account"]);
        let acme = Uuid::now_v7();
        let mut c = ctx(Kind::Opportunity);
        c.names.insert(
            Kind::Account,
            Names::new(Kind::Account, vec![(acme, "Acme".into())]),
        );
        let mapping =
            fieldbook_core::import::map_columns(Kind::Opportunity, &headers, &[]).unwrap();
        let e = plan_row(
            &mut c,
            &headers,
            &mapping,
            2,
            &row(&["Deal", "lost", "Acme"]),
        )
        .unwrap_err();
        assert!(e.contains("lost opportunity needs a reason"), "{e}");
        let ok = plan_row(
            &mut c,
            &headers,
            &mapping,
            3,
            &row(&["Deal", "won", "acme"]),
        )
        .unwrap();
        assert!(
            ok.values
                .iter()
                .any(|(_, v)| *v == Value::Ref(Kind::Account, acme))
        );

        let headers = row(&["SKU", "Name"]);
        let mut c = ctx(Kind::Product);
        c.skus.insert("P-1".into(), Uuid::now_v7());
        let mapping = fieldbook_core::import::map_columns(Kind::Product, &headers, &[]).unwrap();
        assert!(plan_row(&mut c, &headers, &mapping, 2, &row(&["P-1", "x"])).is_err());
        assert!(plan_row(&mut c, &headers, &mapping, 3, &row(&["P-2", "x"])).is_ok());
        let e = plan_row(&mut c, &headers, &mapping, 4, &row(&["P-2", "y"])).unwrap_err();
        assert!(e.contains("already used on line 3"), "{e}");
    }
}
