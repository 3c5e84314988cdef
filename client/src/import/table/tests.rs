use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn cells(t: &Table) -> Vec<(u64, Vec<&str>)> {
    t.rows
        .iter()
        .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn utf8_with_a_mark_and_semicolons() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("Firma;Ort;Umsatz\nMüller GmbH;Köln;\"1.234,50\"\n".as_bytes());
    let t = read_csv(&bytes, None, None).unwrap();
    assert_eq!(t.encoding, Some(Encoding::Utf8));
    assert_eq!(t.delimiter, Some(b';'));
    assert_eq!(
        cells(&t),
        vec![
            (1, vec!["Firma", "Ort", "Umsatz"]),
            (2, vec!["Müller GmbH", "Köln", "1.234,50"])
        ]
    );
}

#[test]
fn gb18030_from_a_chinese_excel_export() {
    let text = "公司名称,电话,城市\r\n青岛啤酒股份有限公司,0532-85955555,青岛\r\n";
    let (bytes, _, unmappable) = GB18030.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "not UTF-8 by accident"
    );
    let t = read_csv(&bytes, None, None).unwrap();
    assert_eq!(t.encoding, Some(Encoding::Gb18030));
    assert_eq!(
        t.rows[1].cells,
        vec!["青岛啤酒股份有限公司", "0532-85955555", "青岛"]
    );
}

#[test]
fn windows_line_ends_keep_the_line_numbers_people_see() {
    let text =
        "客户清单 2026,,\r\n,,\r\n公司名称,备注,城市\r\nA,\"two\r\nlines\",青岛\r\nB,,上海\r\n";
    let t = read_csv(text.as_bytes(), None, None).unwrap();
    assert_eq!(
        cells(&t),
        vec![
            (1, vec!["客户清单 2026", "", ""]),
            (2, vec!["", "", ""]),
            (3, vec!["公司名称", "备注", "城市"]),
            (4, vec!["A", "two\nlines", "青岛"]),
            (6, vec!["B", "", "上海"]),
        ]
    );
}

#[test]
fn utf16_with_tabs_and_quoted_newlines_keep_their_line_numbers() {
    let text = "name\tnotes\tcity\n\"Acme\"\t\"two\nlines\"\tBerlin\nBolt\t\"a, b; c\"\tParis\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let t = read_csv(&bytes, None, None).unwrap();
    assert_eq!(t.encoding, Some(Encoding::Utf16Le));
    assert_eq!(t.delimiter, Some(b'\t'));
    assert_eq!(
        cells(&t),
        vec![
            (1, vec!["name", "notes", "city"]),
            (2, vec!["Acme", "two\nlines", "Berlin"]),
            (4, vec!["Bolt", "a, b; c", "Paris"]),
        ]
    );
    // Without a mark too.
    let t = read_csv(&bytes[2..], None, None).unwrap();
    assert_eq!(t.encoding, Some(Encoding::Utf16Le));
}

#[test]
fn wrong_encodings_and_bad_quotes_say_what_to_do() {
    let (gbk, _, _) = GB18030.encode("公司名称\n");
    let e = read_csv(&gbk, Some(Encoding::Utf8), None).unwrap_err();
    assert!(e.0.contains("--encoding"), "{e}");
    assert_eq!(
        "GBK".parse::<Encoding>().unwrap(),
        Encoding::Gb18030,
        "common aliases"
    );
    assert!(
        "latin-9"
            .parse::<Encoding>()
            .unwrap_err()
            .contains("gb18030")
    );
    // A single comma-separated column of names with commas quoted.
    assert_eq!(detect_delimiter("name\n\"A, B\"\n\"C, D\"\n"), b',');
}

#[test]
fn an_xlsx_sheet_with_numbers_dates_and_chinese() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户").unwrap();
    ws.write_string(2, 1, "公司名称").unwrap();
    ws.write_string(2, 2, "金额").unwrap();
    ws.write_string(2, 3, "预计成交日期").unwrap();
    ws.write_string(3, 1, "青岛啤酒").unwrap();
    ws.write_number(3, 2, 125000).unwrap();
    let date = ExcelDateTime::from_ymd(2027, 2, 28).unwrap();
    ws.write_datetime_with_format(3, 3, &date, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    ws.write_string(4, 1, "Acme").unwrap();
    ws.write_number(4, 2, 1999.99).unwrap();
    let second = wb.add_worksheet();
    second.set_name("Other").unwrap();
    second.write_string(0, 0, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let t = read_workbook(bytes.clone(), None).unwrap();
    assert_eq!(
        cells(&t),
        vec![
            (3, vec!["", "公司名称", "金额", "预计成交日期"]),
            (4, vec!["", "青岛啤酒", "125000", "2027-02-28"]),
            (5, vec!["", "Acme", "1999.99", ""]),
        ]
    );
    let other = read_workbook(bytes.clone(), Some("Other")).unwrap();
    assert_eq!(other.rows[0].cells, vec!["x"]);
    let e = read_workbook(bytes, Some("Nope")).unwrap_err();
    assert!(e.0.contains("客户, Other"), "{e}");
    assert!(read_workbook(b"not a workbook".to_vec(), None).is_err());
}
