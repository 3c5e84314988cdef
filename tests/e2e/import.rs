//! `fieldbook import csv|xlsx` on real files: a Chinese Excel export in GB18030 with a
//! title above its Chinese headers, an XLSX workbook with a named sheet, contacts finding
//! their account by name or id, the report of refused rows, `--on-error abort` against
//! `skip`, a dry run, likely duplicates, bad input that changes nothing, and imported
//! records that sync like any other.

use fieldbook_tests::{Fb, Server};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

fn file(fb: &Fb, name: &str, bytes: &[u8]) -> PathBuf {
    let p = fb.path().join(name);
    std::fs::write(&p, bytes).expect("write the file");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The rows of a report file (UTF-8 with a BOM): header first.
fn report_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("the report file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

fn by_name(fb: &Fb, kind: &str, name: &str) -> Value {
    fb.json(&["list", kind])
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} named {name}"))
        .clone()
}

#[test]
fn a_chinese_excel_export_in_gb18030_imports_under_its_chinese_headers() {
    let fb = Fb::init("alice");
    let text = "客户清单 2026,,,,\r\n,,,,\r\n公司名称,电话,城市,网址,备注\r\n\
                青岛啤酒股份有限公司,0532-85955555,青岛,www.tsingtao.com.cn,老客户，每季度拜访\r\n\
                Acme Industrial GmbH,+49 30 1234567,Berlin,https://acme.example,\r\n\
                ,,,,\r\n\
                深圳华强电子有限公司,0755-83000000,深圳,,\r\n";
    let path = file(&fb, "客户.csv", &gb18030(text));
    let r = fb.json(&["import", "csv", "--kind", "account", s(&path)]);
    assert_eq!(r["encoding"], "gb18030", "{r}");
    assert_eq!(r["header_line"], 3);
    assert_eq!(r["rows"], 3, "the empty row is no row: {r}");
    assert_eq!(r["imported"], 3);
    assert_eq!(r["rejected"], Value::Array(vec![]));
    let fields: Vec<&str> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(fields, ["name", "phone", "city", "website", "notes"]);

    let beer = by_name(&fb, "account", "青岛啤酒股份有限公司");
    assert_eq!(beer["phone"], "0532-85955555");
    assert_eq!(beer["city"], "青岛");
    let shown = fb.json(&["show", beer["id"].as_str().unwrap()]);
    assert_eq!(shown["notes"], "老客户，每季度拜访");
    assert_eq!(shown["created_by"], "alice");
    // Searchable like anything typed.
    let hits = fb.json(&["search", "华强"]);
    assert_eq!(hits[0]["title"], "深圳华强电子有限公司", "{hits}");

    // People get a summary with the mapping.
    let more = file(
        &fb,
        "more.csv",
        &gb18030("公司名称,城市\r\n华为技术有限公司,深圳\r\n"),
    );
    let out = fb.ok(&["import", "csv", "--kind", "accounts", s(&more)]);
    assert!(out.contains("Read 1 row of"), "{out}");
    assert!(out.contains("公司名称 → name, 城市 → city"), "{out}");
    assert!(out.contains("Imported 1 account; 0 rows refused."), "{out}");
}

#[test]
fn contacts_and_opportunities_find_their_account_by_name_or_id() {
    let fb = Fb::init("alice");
    let beer = fb.new_record("account", &["name=青岛啤酒股份有限公司"]);
    let acme = fb.new_record("account", &["name=Acme Industrial GmbH"]);
    let csv = format!(
        "Company,Full Name,Job Title,E-Mail\n\
         青岛啤酒,张伟,采购经理,zhang.wei@tsingtao.example\n\
         {acme},Anna Schmidt,Einkauf,anna@acme.example\n\
         acme industrial gmbh,Ben Weber,CTO,\n"
    );
    let path = file(&fb, "contacts.csv", csv.as_bytes());
    let r = fb.json(&["import", "csv", "--kind", "contact", s(&path)]);
    assert_eq!(r["imported"], 3, "{r}");
    assert_eq!(by_name(&fb, "contact", "张伟")["account_id"], beer.as_str());
    assert_eq!(
        by_name(&fb, "contact", "Anna Schmidt")["account_id"],
        acme.as_str()
    );
    assert_eq!(
        by_name(&fb, "contact", "Ben Weber")["account_id"],
        acme.as_str()
    );

    let deals = "客户名称;商机名称;阶段;金额;币种;预计成交日期\n\
                 青岛啤酒股份有限公司;二号线改造;proposal;1250000.50;CNY;2026-12-31\n";
    let path = file(&fb, "deals.csv", deals.as_bytes());
    let r = fb.json(&["import", "csv", "--kind", "opportunity", s(&path)]);
    assert_eq!(r["imported"], 1, "{r}");
    let deal = by_name(&fb, "opportunity", "二号线改造");
    assert_eq!(deal["account_id"], beer.as_str());
    assert_eq!(deal["amount"], "1250000.50");
    assert_eq!(deal["currency"], "CNY");
    assert_eq!(deal["probability"], 50);
}

/// Opportunities: two good rows around four that break a rule each.
fn mixed_deals(fb: &Fb) -> PathBuf {
    let text = "account,name,stage,amount,close date,loss reason\n\
                Acme,Good one,qualified,1000,2026-12-01,\n\
                Acme,Bad amount,lead,12x,,\n\
                Nobody GmbH,No account,lead,5,,\n\
                Acme,Lost without reason,lost,100,,\n\
                Acme,,lead,1,2026-02-30,\n\
                Acme,Good two,lost,200,,price\n";
    file(fb, "deals.csv", text.as_bytes())
}

#[test]
fn refused_rows_are_reported_by_line_and_reason_and_skip_imports_exactly_the_others() {
    let fb = Fb::init("alice");
    fb.new_record("account", &["name=Acme"]);
    let path = mixed_deals(&fb);
    let report = fb.path().join("refused.csv");
    let r = fb.json(&[
        "import",
        "csv",
        "--kind",
        "opportunity",
        s(&path),
        "--report",
        s(&report),
    ]);
    assert_eq!(r["rows"], 6);
    assert_eq!(r["valid"], 2);
    assert_eq!(r["imported"], 2);
    assert_eq!(fb.names("opportunity"), ["Good one", "Good two"]);
    let lines: Vec<u64> = r["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5, 6]);

    let rows = report_rows(&report);
    assert_eq!(
        rows[0],
        [
            "line",
            "reason",
            "account",
            "name",
            "stage",
            "amount",
            "close date",
            "loss reason"
        ]
    );
    let reason = |line: &str| {
        rows.iter()
            .find(|r| r[0] == line)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("line {line} is not in the report: {rows:?}"))
    };
    assert!(
        reason("3").contains("column `amount` (amount)"),
        "{}",
        reason("3")
    );
    assert!(
        reason("4").contains("no account is named `Nobody GmbH`"),
        "{}",
        reason("4")
    );
    assert!(
        reason("5").contains("lost opportunity needs a reason"),
        "{}",
        reason("5")
    );
    let five = reason("6");
    assert!(five.contains("`name` is empty"), "{five}");
    assert!(
        five.contains("close_date"),
        "every problem of the row: {five}"
    );
    // The row itself follows, to fix and import again.
    assert_eq!(rows[1][2..], ["Acme", "Bad amount", "lead", "12x", "", ""]);

    let out = fb.ok(&[
        "import",
        "csv",
        "--kind",
        "opportunity",
        s(&path),
        "--dry-run",
    ]);
    assert!(
        out.contains("Dry run: 2 opportunities would be imported, 4 rows refused"),
        "{out}"
    );
    assert!(
        out.contains("line 4: column `account` (account_id): no account is named"),
        "{out}"
    );
    assert_eq!(fb.names("opportunity").len(), 2, "a dry run writes nothing");
}

#[test]
fn abort_imports_nothing_when_any_row_is_refused() {
    let fb = Fb::init("alice");
    fb.new_record("account", &["name=Acme"]);
    let path = mixed_deals(&fb);
    let (code, err) = fb.fails(&[
        "import",
        "csv",
        "--kind",
        "opportunity",
        s(&path),
        "--on-error",
        "abort",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("4 rows were refused: nothing was imported"),
        "{err}"
    );
    assert!(fb.names("opportunity").is_empty());
    // With --json the report still comes, as one document.
    let out = fb.output(&[
        "--json",
        "import",
        "csv",
        "--kind",
        "opportunity",
        s(&path),
        "--on-error",
        "abort",
    ]);
    let r: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(r["aborted"], true);
    assert_eq!(r["imported"], 0);
    assert_eq!(r["rejected"].as_array().unwrap().len(), 4);

    let good = file(
        &fb,
        "good.csv",
        b"account,name,amount\nAcme,One,1\nAcme,Two,2\nacme,Three,3\n",
    );
    let r = fb.json(&[
        "import",
        "csv",
        "--kind",
        "opportunity",
        s(&good),
        "--on-error",
        "abort",
    ]);
    assert_eq!(r["imported"], 3);
    assert_eq!(fb.names("opportunity"), ["One", "Three", "Two"]);
}

#[test]
fn an_xlsx_workbook_imports_from_its_first_or_a_named_sheet_with_columns_mapped_by_hand() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let fb = Fb::init("alice");
    let mut wb = Workbook::new();
    let first = wb.add_worksheet();
    first.set_name("Produkte").unwrap();
    for (c, h) in ["SKU", "Produktname", "Preis", "Währung"]
        .iter()
        .enumerate()
    {
        first.write_string(0, c as u16, *h).unwrap();
    }
    first.write_string(1, 0, "FB-1").unwrap();
    first.write_string(1, 1, "Pumpe P-200").unwrap();
    first.write_number(1, 2, 1999.99).unwrap();
    first.write_string(1, 3, "EUR").unwrap();
    first.write_string(2, 0, "FB-1").unwrap();
    first.write_string(2, 1, "Doppelt").unwrap();
    let second = wb.add_worksheet();
    second.set_name("Kunden").unwrap();
    for (c, h) in ["Firma", "Ort", "Telefon", "Seit"].iter().enumerate() {
        second.write_string(0, c as u16, *h).unwrap();
    }
    second
        .write_string(1, 0, "Müller Maschinenbau GmbH")
        .unwrap();
    second.write_string(1, 1, "Stuttgart").unwrap();
    second.write_number(1, 2, 711_123_456.0).unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    second
        .write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2019, 5, 1).unwrap(), &date)
        .unwrap();
    let path = file(&fb, "book.xlsx", &wb.save_to_buffer().unwrap());

    let r = fb.json(&[
        "import",
        "xlsx",
        "--kind",
        "product",
        s(&path),
        "--map",
        "Produktname=name",
        "--map",
        "3=unit_price",
        "--map",
        "Währung=currency",
    ]);
    assert_eq!(r["imported"], 1, "{r}");
    assert_eq!(r["rejected"][0]["line"], 3);
    assert!(
        r["rejected"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("already used on line 2"),
        "{r}"
    );
    let pump = by_name(&fb, "product", "Pumpe P-200");
    assert_eq!(pump["unit_price"], "1999.99");

    let r = fb.json(&[
        "import",
        "xlsx",
        "--kind",
        "account",
        s(&path),
        "--sheet",
        "Kunden",
        "--map",
        "Ort=city",
        "--map",
        "Telefon=phone",
    ]);
    assert_eq!(r["imported"], 1, "{r}");
    let columns = &r["columns"];
    assert_eq!(columns[3]["field"], Value::Null, "Seit is left out");
    let m = by_name(&fb, "account", "Müller Maschinenbau GmbH");
    assert_eq!(m["city"], "Stuttgart");
    assert_eq!(m["phone"], "711123456");

    let (code, err) = fb.fails(&[
        "import",
        "xlsx",
        "--kind",
        "account",
        s(&path),
        "--sheet",
        "Nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("its sheets are: Produkte, Kunden"), "{err}");
}

#[test]
fn likely_duplicates_are_listed_against_the_book_and_within_the_file() {
    let fb = Fb::init("alice");
    let beer = fb.new_record(
        "account",
        &["name=青岛啤酒股份有限公司", "phone=0532-85955555"],
    );
    let text = "公司名称,电话,网址\n\
                青岛啤酒,,\n\
                Acme Industrial GmbH,,https://www.acme.example/de\n\
                ACME Industrial,,acme.example\n\
                深圳华强电子有限公司,+86 532 8595 5555,\n";
    let path = file(&fb, "dups.csv", text.as_bytes());
    let r = fb.json(&["import", "csv", "--kind", "account", s(&path), "--dry-run"]);
    let d = r["duplicates"].as_array().unwrap();
    let beer_pair = d
        .iter()
        .find(|x| x["line"] == 2)
        .expect("青岛啤酒 is a duplicate");
    assert_eq!(beer_pair["other_id"], beer.as_str());
    assert_eq!(beer_pair["other_line"], Value::Null);
    assert_eq!(beer_pair["reasons"][0]["reason"], "same_name");
    let acme = d
        .iter()
        .find(|x| x["line"] == 4)
        .expect("ACME is a duplicate of line 3");
    assert_eq!(acme["other_line"], 3);
    let phone = d.iter().find(|x| x["line"] == 5).expect("the same phone");
    assert_eq!(phone["other_id"], beer.as_str());
    assert_eq!(phone["reasons"][0]["reason"], "same_phone");
    assert_eq!(fb.names("account").len(), 1, "a dry run writes nothing");

    let out = fb.ok(&["import", "csv", "--kind", "account", s(&path)]);
    assert!(out.contains("Likely duplicates (3;"), "{out}");
    assert!(out.contains("line 2 青岛啤酒 ~"), "{out}");
    assert_eq!(
        fb.names("account").len(),
        5,
        "duplicates are imported, and listed"
    );
}

#[test]
fn bad_input_says_what_to_do_and_changes_nothing() {
    let fb = Fb::init("alice");
    let path = file(&fb, "a.csv", "Firma,Ort\nAcme,Berlin\n".as_bytes());
    let (code, err) = fb.fails(&["import", "csv", "--kind", "contact", s(&path)]);
    assert_eq!(code, 2);
    // `Firma` is the contact's company (its account): the name is what is missing.
    assert!(
        err.contains("no column of the file is a contact `name`"),
        "{err}"
    );
    assert!(err.contains("--map"), "{err}");
    let (code, err) = fb.fails(&[
        "import",
        "csv",
        "--kind",
        "account",
        s(&path),
        "--map",
        "Ort=colour",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("has no field `colour`"), "{err}");
    let (code, err) = fb.fails(&["import", "csv", "--kind", "widget", s(&path)]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown kind `widget`"), "{err}");
    let (code, err) = fb.fails(&[
        "import",
        "csv",
        "--kind",
        "account",
        s(&path),
        "--encoding",
        "latin9",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("use utf-8, utf-16le, utf-16be or gb18030"),
        "{err}"
    );
    let broken = file(&fb, "b.csv", &[0xFF, 0x00, 0x41, 0xC3]);
    let (code, err) = fb.fails(&[
        "import",
        "csv",
        "--kind",
        "account",
        s(&broken),
        "--encoding",
        "utf-8",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not valid utf-8"), "{err}");
    let (code, err) = fb.fails(&["import", "csv", "--kind", "account", "/nonexistent/x.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/x.csv"), "{err}");
    assert!(fb.names("account").is_empty());
}

#[test]
fn imported_records_are_documents_that_sync_to_another_device() {
    let server = Server::start();
    server.user("alice", "rep", None);
    let laptop = Fb::init("alice");
    laptop.login(&server);
    let path = file(
        &laptop,
        "a.csv",
        &gb18030("公司名称,城市\n上海电气集团股份有限公司,上海\n杭州娃哈哈集团有限公司,杭州\n"),
    );
    laptop.ok(&["import", "csv", "--kind", "account", s(&path)]);
    let pushed = laptop.sync();
    assert_eq!(pushed["pushed"], 2, "{pushed}");
    let phone = Fb::init("alice");
    phone.login(&server);
    phone.sync();
    assert_eq!(
        phone.names("account"),
        ["上海电气集团股份有限公司", "杭州娃哈哈集团有限公司"]
    );
}
