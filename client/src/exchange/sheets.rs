//! Records as tables any spreadsheet program or script reads: one table per kind (and one
//! of quote lines), written as CSV files (UTF-8 with a byte-order mark, so Excel reads it;
//! GB18030 or UTF-16 on request) or as one XLSX workbook with a sheet per table.
//!
//! Columns: `id`, every field of the kind by its output name (as in JSON), the computed
//! values (a quote's `subtotal`, `tax`, `total`), then `created_at`, `updated_at`,
//! `created_by`, `updated_by`, `deleted`, `owner`. Tags are joined with `, `; money and
//! quantities are exact decimal strings in CSV and numbers in XLSX when a number holds
//! them exactly. The headers are the schema's field names, so a file can be imported again.

use super::{Progress, write_atomically};
use crate::error::{ClientError, Result};
use crate::import::Encoding;
use crate::model::RecordView;
use crate::store::Store;
use fieldbook_core::schema::{self, FieldType};
use fieldbook_core::{Kind, value::FieldValue};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// An exact decimal (money, quantities, percentages) or a whole number.
    Number(String),
    Bool(bool),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) | Cell::Number(t) => t.clone(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// One table: a kind's records, or the quote lines.
struct Sheet {
    /// `accounts`, `contacts`, ..., `quote_lines`: the CSV file's and the sheet's name.
    name: String,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// A file or sheet written, and its rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedTable {
    pub name: String,
    /// The CSV file (`None` for a sheet of a workbook).
    pub path: Option<PathBuf>,
    pub rows: u64,
}

const META: &[&str] = &[
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted",
    "owner",
];

fn is_number(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::Decimal
            | FieldType::Percent
            | FieldType::Int { .. }
            | FieldType::Coordinate { .. }
    )
}

fn cell(v: Option<&FieldValue>, number: bool) -> Cell {
    match v {
        None => Cell::Empty,
        Some(FieldValue::Bool(b)) => Cell::Bool(*b),
        Some(FieldValue::Int(i)) => Cell::Number(i.to_string()),
        Some(FieldValue::Float(f)) => Cell::Number(f.to_string()),
        Some(FieldValue::Tags(t)) => Cell::Text(t.join(", ")),
        Some(FieldValue::Text(t)) if number => Cell::Number(t.clone()),
        Some(FieldValue::Text(t)) => Cell::Text(t.clone()),
    }
}

fn text_cell(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// The table of a kind's records.
fn kind_sheet(kind: Kind, records: &[RecordView]) -> Sheet {
    let fields: Vec<_> = schema::fields(kind)
        .iter()
        .filter(|s| s.ty != FieldType::Lines)
        .collect();
    let totals = kind == Kind::Quote;
    let mut headers = vec!["id".to_string()];
    headers.extend(fields.iter().map(|s| schema::output_name(s).to_string()));
    if totals {
        headers.extend(["subtotal", "tax", "total"].map(String::from));
    }
    headers.extend(META.iter().map(|m| m.to_string()));
    let rows = records
        .iter()
        .map(|r| {
            let mut row = vec![Cell::Text(r.id.to_string())];
            for s in &fields {
                row.push(cell(r.fields.get(schema::output_name(s)), is_number(s.ty)));
            }
            if totals {
                let t = r.totals.as_ref();
                for v in [
                    t.map(|t| &t.subtotal),
                    t.map(|t| &t.tax),
                    t.map(|t| &t.total),
                ] {
                    row.push(v.map_or(Cell::Empty, |v| Cell::Number(v.clone())));
                }
            }
            for m in [&r.created_at, &r.updated_at, &r.created_by, &r.updated_by] {
                row.push(text_cell(m));
            }
            row.push(Cell::Bool(r.deleted));
            row.push(text_cell(&r.owner));
            row
        })
        .collect();
    Sheet {
        name: kind.plural().to_string(),
        headers,
        rows,
    }
}

/// The table of every quote line: its quote, then its fields and total.
fn lines_sheet(quotes: &[RecordView]) -> Sheet {
    let fields = &schema::LINE_FIELDS[1..];
    let mut headers = vec!["quote_id".to_string(), "line_id".to_string()];
    headers.extend(fields.iter().map(|s| s.name.to_string()));
    headers.push("total".into());
    let rows = quotes
        .iter()
        .flat_map(|q| {
            q.lines.iter().map(move |l| {
                let mut row = vec![Cell::Text(q.id.to_string()), Cell::Text(l.line_id.clone())];
                for s in fields {
                    row.push(cell(l.fields.get(s.name), is_number(s.ty)));
                }
                row.push(l.total.clone().map_or(Cell::Empty, Cell::Number));
                row
            })
        })
        .collect();
    Sheet {
        name: "quote_lines".into(),
        headers,
        rows,
    }
}

impl Store {
    /// The tables of `kinds` (the quote lines with quotes), deleted records too if asked.
    fn sheets(&self, kinds: &[Kind], include_deleted: bool) -> Result<Vec<Sheet>> {
        let mut out = Vec::new();
        for &kind in kinds {
            let mut records = self.list(
                kind,
                &crate::ListQuery {
                    include_deleted,
                    ..Default::default()
                },
            )?;
            records.sort_by_key(|r| r.id);
            out.push(kind_sheet(kind, &records));
            if kind == Kind::Quote {
                out.push(lines_sheet(&records));
            }
        }
        Ok(out)
    }

    /// Writes one CSV file per table into `dir` (made if missing): `accounts.csv`,
    /// `contacts.csv`, ..., `quote_lines.csv`, each written whole or not at all.
    pub fn export_csv(
        &self,
        dir: &Path,
        kinds: &[Kind],
        include_deleted: bool,
        encoding: Encoding,
        progress: Progress,
    ) -> Result<Vec<ExportedTable>> {
        if dir.is_file() {
            return Err(ClientError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "is a file: give a directory for the CSV files",
                ),
            });
        }
        std::fs::create_dir_all(dir).map_err(ClientError::io(dir))?;
        let sheets = self.sheets(kinds, include_deleted)?;
        let total = sheets.len() as u64;
        let mut out = Vec::new();
        for (i, sheet) in sheets.iter().enumerate() {
            let path = dir.join(format!("{}.csv", sheet.name));
            let mut text = Vec::new();
            {
                let mut w = csv::WriterBuilder::new().from_writer(&mut text);
                let csv_err = |e: csv::Error| ClientError::Io {
                    path: path.clone(),
                    source: e.into(),
                };
                w.write_record(&sheet.headers).map_err(csv_err)?;
                for row in &sheet.rows {
                    w.write_record(row.iter().map(Cell::text))
                        .map_err(csv_err)?;
                }
                w.flush().map_err(ClientError::io(&path))?;
            }
            let text = String::from_utf8(text).unwrap_or_default();
            let bytes = encode(&text, encoding);
            write_atomically(&path, |w| {
                w.write_all(&bytes).map_err(ClientError::io(&path))
            })?;
            out.push(ExportedTable {
                name: sheet.name.clone(),
                path: Some(path),
                rows: sheet.rows.len() as u64,
            });
            progress(i as u64 + 1, total);
        }
        Ok(out)
    }

    /// Writes one XLSX workbook with a sheet per table (header row frozen).
    pub fn export_xlsx(
        &self,
        out: &Path,
        kinds: &[Kind],
        include_deleted: bool,
        progress: Progress,
    ) -> Result<Vec<ExportedTable>> {
        use rust_xlsxwriter::{Format, Workbook};
        let sheets = self.sheets(kinds, include_deleted)?;
        let total = sheets.len() as u64;
        let xlsx_err = |e: rust_xlsxwriter::XlsxError| ClientError::Io {
            path: out.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        };
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let mut written = Vec::new();
        for (i, sheet) in sheets.iter().enumerate() {
            let ws = book.add_worksheet();
            ws.set_name(&sheet.name).map_err(xlsx_err)?;
            for (c, h) in sheet.headers.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, h, &bold)
                    .map_err(xlsx_err)?;
            }
            ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
            for (r, row) in sheet.rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, v) in row.iter().enumerate() {
                    let c = c as u16;
                    match v {
                        Cell::Empty => {}
                        Cell::Text(t) => {
                            ws.write_string(r, c, t).map_err(xlsx_err)?;
                        }
                        Cell::Bool(b) => {
                            ws.write_boolean(r, c, *b).map_err(xlsx_err)?;
                        }
                        Cell::Number(n) => match exact_f64(n) {
                            Some(f) => {
                                ws.write_number(r, c, f).map_err(xlsx_err)?;
                            }
                            None => {
                                ws.write_string(r, c, n).map_err(xlsx_err)?;
                            }
                        },
                    }
                }
            }
            written.push(ExportedTable {
                name: sheet.name.clone(),
                path: None,
                rows: sheet.rows.len() as u64,
            });
            progress(i as u64 + 1, total);
        }
        let bytes = book.save_to_buffer().map_err(xlsx_err)?;
        write_atomically(out, |w| w.write_all(&bytes).map_err(ClientError::io(out)))?;
        Ok(written)
    }
}

/// The number a decimal string is, when a float holds it exactly enough to print back the
/// same decimal (else it is written as text, never rounded).
fn exact_f64(s: &str) -> Option<f64> {
    let d = Decimal::from_str(s).ok()?;
    let f: f64 = s.parse().ok()?;
    (Decimal::from_str(&f.to_string()).ok()? == d).then_some(f)
}

/// CSV text in `encoding`: UTF-8 and UTF-16 with their byte-order marks (so spreadsheet
/// programs recognise them), GB18030 as is.
fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => {
            let mut out = b"\xEF\xBB\xBF".to_vec();
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Utf16Le => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        Encoding::Utf16Be => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        Encoding::Gb18030 => {
            let (bytes, _, _) = encoding_rs::GB18030.encode(text);
            bytes.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_numbers_only_when_exact() {
        assert_eq!(exact_f64("1999.99"), Some(1999.99));
        assert_eq!(exact_f64("125000"), Some(125000.0));
        assert_eq!(exact_f64("123456789012.123456"), None);
        assert_eq!(exact_f64("abc"), None);
    }

    #[test]
    fn csv_text_is_encoded_as_asked() {
        assert_eq!(encode("a", Encoding::Utf8), b"\xEF\xBB\xBFa");
        assert_eq!(encode("青", Encoding::Gb18030), vec![0xC7, 0xE0]);
        assert_eq!(encode("a", Encoding::Utf16Le), vec![0xFF, 0xFE, b'a', 0]);
        let decoded = crate::import::table::decode(
            &encode("青岛,Berlin", Encoding::Gb18030),
            Encoding::Gb18030,
        );
        assert_eq!(decoded.unwrap(), "青岛,Berlin");
    }
}
