//! `fieldbook export` in every format, read back by other tools: JSON (docs/formats.md),
//! CSV per kind (UTF-8 with BOM; GB18030 on request) that imports again, an XLSX workbook
//! read with calamine, and each record's `.automerge` file opened by the JavaScript
//! Automerge library from npm (tests/automerge-js), whose fields, notes and history must
//! match `fieldbook show` and `fieldbook history`.

use fieldbook_tests::Fb;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A small book in two scripts, with edits, notes, a quote line, and a deleted record.
fn book(fb: &Fb) -> (String, String, String) {
    let beer = fb.new_record(
        "account",
        &[
            "name=青岛啤酒股份有限公司",
            "city=青岛",
            "tags=重点客户,beer",
        ],
    );
    fb.ok(&["note", &beer, "第一次拜访：采购经理张伟。"]);
    fb.ok(&["set", &beer, "phone=0532-85955555"]);
    fb.ok(&[
        "note",
        &beer,
        "Second visit, \"quotes\", commas, and\nlines.",
    ]);
    let opp = fb.new_record(
        "opportunity",
        &[
            &format!("account_id={beer}"),
            "name=二号线改造",
            "amount=123456789012.123456",
            "currency=CNY",
        ],
    );
    let quote = fb.new_record("quote", &[&format!("opportunity_id={opp}"), "tax_pct=13"]);
    fb.json(&[
        "quote-line",
        "add",
        &quote,
        "description=灌装机",
        "quantity=2",
        "unit_price=1999.99",
    ]);
    let gone = fb.new_record("account", &["name=Gone GmbH"]);
    fb.ok(&["delete", &gone]);
    (beer, opp, quote)
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_files_per_kind_are_utf8_with_a_bom_and_import_again() {
    let fb = Fb::init("alice");
    let (beer, opp, _) = book(&fb);
    let dir = fb.path().join("csv");
    let r = fb.json(&["export", "--csv", s(&dir)]);
    let tables: Vec<(&str, u64)> = r["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["rows"].as_u64().unwrap()))
        .collect();
    assert!(
        tables.contains(&("accounts", 1)),
        "the deleted one is left out: {tables:?}"
    );
    assert!(tables.contains(&("quote_lines", 1)), "{tables:?}");
    let bytes = std::fs::read(dir.join("accounts.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a BOM, for Excel"
    );
    let rows = csv_rows(&bytes[3..]);
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    assert_eq!(rows[0][0], "id");
    assert_eq!(rows[1][col("id")], beer);
    assert_eq!(rows[1][col("name")], "青岛啤酒股份有限公司");
    assert_eq!(rows[1][col("tags")], "重点客户, beer");
    assert_eq!(
        rows[1][col("notes")],
        "第一次拜访：采购经理张伟。\n\nSecond visit, \"quotes\", commas, and\nlines."
    );
    assert_eq!(rows[1][col("deleted")], "false");
    let opps = csv_rows(&std::fs::read(dir.join("opportunities.csv")).unwrap()[3..]);
    let amount = opps[0].iter().position(|h| h == "amount").unwrap();
    assert_eq!(
        opps[1][amount], "123456789012.123456",
        "exact, never rounded"
    );
    assert_eq!(opps[1][0], opp);

    let all = fb.path().join("all");
    fb.ok(&["export", "--csv", s(&all), "--deleted", "--kind", "account"]);
    let names: Vec<_> = std::fs::read_dir(&all)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["accounts.csv"]);
    let rows = csv_rows(&std::fs::read(all.join("accounts.csv")).unwrap()[3..]);
    assert_eq!(rows.len(), 3, "with the deleted one");

    // What leaves as CSV comes back in: a new store imports the file as it is.
    let other = Fb::init("bob");
    let r = other.json(&[
        "import",
        "csv",
        "--kind",
        "account",
        s(&dir.join("accounts.csv")),
    ]);
    assert_eq!(r["imported"], 1, "{r}");
    let copy = &other.json(&["list", "account"])[0];
    let original = fb.json(&["show", &beer]);
    for f in ["name", "city", "phone", "tags", "notes"] {
        assert_eq!(copy[f], original[f], "{f}");
    }
}

#[test]
fn csv_files_can_be_gb18030() {
    let fb = Fb::init("alice");
    book(&fb);
    let dir = fb.path().join("gb");
    fb.ok(&["export", "--csv", s(&dir), "--encoding", "gb18030"]);
    let bytes = std::fs::read(dir.join("accounts.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(text.contains("青岛啤酒股份有限公司"), "{text}");
    let (code, err) = fb.fails(&["export", "--csv", s(&dir), "--encoding", "big5"]);
    assert_eq!(code, 2);
    assert!(err.contains("gb18030"), "{err}");
    let (code, err) = fb.fails(&["export", "--out", "x.json", "--encoding", "gb18030"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn an_xlsx_workbook_has_a_sheet_per_kind_with_numbers_as_numbers() {
    use calamine::{Data, Reader};
    let fb = Fb::init("alice");
    let (beer, _, quote) = book(&fb);
    let file = fb.path().join("book.xlsx");
    let out = fb.ok(&["export", "--xlsx", s(&file)]);
    assert!(out.contains("1 accounts"), "{out}");
    let mut wb = calamine::open_workbook_auto(&file).expect("an XLSX calamine reads");
    let sheets = wb.sheet_names();
    for name in [
        "products",
        "accounts",
        "contacts",
        "opportunities",
        "quotes",
        "quote_lines",
    ] {
        assert!(sheets.iter().any(|s| s == name), "{name} in {sheets:?}");
    }
    let accounts = wb.worksheet_range("accounts").unwrap();
    let header: Vec<String> = accounts
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row: Vec<&Data> = accounts.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[at("id")], &Data::String(beer.clone()));
    assert_eq!(row[at("city")], &Data::String("青岛".into()));
    assert_eq!(row[at("deleted")], &Data::Bool(false));
    let lines = wb.worksheet_range("quote_lines").unwrap();
    let header: Vec<String> = lines
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let line: Vec<&Data> = lines.rows().nth(1).unwrap().iter().collect();
    assert_eq!(line[at("quote_id")], &Data::String(quote));
    assert_eq!(line[at("unit_price")], &Data::Float(1999.99));
    assert_eq!(line[at("total")], &Data::Float(3999.98));
    let opps = wb.worksheet_range("opportunities").unwrap();
    let header: Vec<String> = opps
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let amount = header.iter().position(|h| h == "amount").unwrap();
    assert_eq!(
        opps.rows().nth(1).unwrap()[amount],
        Data::String("123456789012.123456".into()),
        "a number a float cannot hold exactly stays text"
    );
}

/// The directory of the JavaScript checker, with its packages installed.
fn automerge_js() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("automerge-js");
    assert!(
        dir.join("node_modules/@automerge/automerge").is_dir(),
        "{} has no node_modules: run scripts/setup.sh (it runs `npm ci` there)",
        dir.display()
    );
    dir
}

/// Milliseconds since 1970 of an RFC 3339 time as `history` prints it.
fn millis(at: &str) -> i64 {
    let t = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .expect("an RFC 3339 time");
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

#[test]
fn automerge_files_open_in_the_javascript_library_with_fields_notes_and_history() {
    let fb = Fb::init("alice");
    let (beer, opp, quote) = book(&fb);
    let dir = fb.path().join("am");
    let r = fb.json(&["export", "--automerge", s(&dir)]);
    assert_eq!(r["documents"], 4, "every record, the deleted one too: {r}");

    let js = automerge_js();
    let out = Command::new("node")
        .arg(js.join("read.mjs"))
        .arg(&dir)
        .current_dir(&js)
        .output()
        .expect("run node (Node.js 20 or newer; scripts/setup.sh checks it)");
    assert!(
        out.status.success(),
        "node read.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Value = serde_json::from_slice(&out.stdout).expect("node printed JSON");
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 4);
    for id in [&beer, &opp, &quote] {
        let doc = docs
            .iter()
            .find(|d| d["file"] == format!("{id}.automerge"))
            .unwrap_or_else(|| panic!("{id}.automerge"));
        let root = &doc["root"];
        let shown = fb.json(&["show", id]);
        assert_eq!(root["_id"], id.as_str());
        assert_eq!(root["_kind"], shown["kind"]);
        assert_eq!(root["_created_by"], shown["created_by"]);
        assert_eq!(root["_updated_at"], shown["updated_at"]);
        assert_eq!(root["deleted"], shown["deleted"]);
        // Every field `show` has, the document has, with the same value (`show` adds
        // computed ones: effective probability, quote totals and line totals).
        for (field, value) in shown.as_object().unwrap() {
            let in_doc = &root[field.as_str()];
            match field.as_str() {
                "id" | "kind" | "created_at" | "updated_at" | "created_by" | "updated_by"
                | "deleted" | "owner" | "attention" | "conflicts" | "subtotal" | "tax"
                | "total" | "probability" => {}
                "lines" => {
                    let lines = value.as_array().unwrap();
                    assert_eq!(in_doc.as_array().unwrap().len(), lines.len());
                    for (l, d) in lines.iter().zip(in_doc.as_array().unwrap()) {
                        for f in ["line_id", "description", "quantity", "unit_price"] {
                            assert_eq!(d[f], l[f], "{id} line {f}");
                        }
                    }
                }
                "tags" if value.as_array().is_some_and(|a| a.is_empty()) => {}
                "notes" if value == "" => {}
                _ if value.is_null() => assert!(in_doc.is_null(), "{id} {field}: {in_doc}"),
                _ => assert_eq!(in_doc, value, "{id} {field}"),
            }
        }
        // History: what the library shows changing from one change to the next (by whom,
        // when) is what `history` lists.
        let key_of = |field: &str| {
            if field == "activity_kind" {
                "kind"
            } else {
                field
            }
            .to_string()
        };
        let mut expected: Vec<(String, i64, String, Value)> = fb
            .json(&["history", id])
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["field"].as_str().unwrap().starts_with("lines."))
            .map(|e| {
                let at = millis(e["at"].as_str().unwrap()) / 1000;
                let field = key_of(e["field"].as_str().unwrap());
                (
                    e["by"].as_str().unwrap().to_string(),
                    at,
                    field,
                    e["to"].clone(),
                )
            })
            .collect();
        let mut seen: Vec<(String, i64, String, Value)> = Vec::new();
        let empty = json!({});
        let mut before = &empty;
        for state in doc["history"].as_array().unwrap() {
            let after = &state["state"];
            let mut keys: Vec<&String> = after.as_object().unwrap().keys().collect();
            keys.extend(before.as_object().unwrap().keys());
            keys.sort();
            keys.dedup();
            for key in keys {
                let (old, new) = (&before[key.as_str()], &after[key.as_str()]);
                // Empty notes and tags read as unset, as in `history`; a new record's
                // `deleted: false` is no change; lines are compared above.
                let blank = |v: &Value| v.is_null() || *v == json!("") || *v == json!([]);
                if key.starts_with('_')
                    || key == "lines"
                    || old == new
                    || (blank(old) && blank(new))
                    || (key == "deleted" && old.is_null())
                {
                    continue;
                }
                let to = if blank(new) { Value::Null } else { new.clone() };
                let by = state["by"].as_str().unwrap().to_string();
                seen.push((by, state["at"].as_i64().unwrap() / 1000, key.clone(), to));
            }
            before = after;
        }
        let order = |v: &mut Vec<(String, i64, String, Value)>| {
            v.sort_by(|a, b| (a.1, &a.2, a.3.to_string()).cmp(&(b.1, &b.2, b.3.to_string())))
        };
        order(&mut expected);
        order(&mut seen);
        assert_eq!(
            seen, expected,
            "{id}: the library's history and `fieldbook history`"
        );
        assert!(!seen.is_empty());
    }
    // The notes' text, with both paragraphs, in the library's own text type.
    let beer_doc = docs
        .iter()
        .find(|d| d["file"] == format!("{beer}.automerge"))
        .unwrap();
    assert_eq!(
        beer_doc["root"]["notes"],
        "第一次拜访：采购经理张伟。\n\nSecond visit, \"quotes\", commas, and\nlines."
    );
    assert_eq!(
        beer_doc["history"].as_array().unwrap().len(),
        4,
        "create, note, set, note"
    );
}
