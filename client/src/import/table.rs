//! Reading a spreadsheet file into rows of text, as people's files come: CSV in UTF-8 (with
//! or without a byte-order mark), UTF-16 or GB18030 (Chinese Excel exports), separated by
//! commas, semicolons or tabs — each detected, or given — and XLSX (the first sheet, or a
//! named one) through calamine. Every row keeps the line (CSV) or row number (XLSX) people
//! see in their program, for the report of rejected rows.
//!
//! Knows nothing of fields or records: [`fieldbook_core::import`] maps the columns.

use encoding_rs::{Encoding as Codec, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use std::fmt;
use std::str::FromStr;

/// A text encoding of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    fn codec(self) -> &'static Codec {
        match self {
            Encoding::Utf8 => UTF_8,
            Encoding::Utf16Le => UTF_16LE,
            Encoding::Utf16Be => UTF_16BE,
            Encoding::Gb18030 => GB18030,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(
            match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "utf-8" | "utf8" => Encoding::Utf8,
                "utf-16" | "utf-16le" | "utf16" | "utf16le" => Encoding::Utf16Le,
                "utf-16be" | "utf16be" => Encoding::Utf16Be,
                "gb18030" | "gbk" | "gb2312" | "cp936" => Encoding::Gb18030,
                _ => {
                    return Err(format!(
                        "`{s}` is not an encoding Fieldbook reads: use utf-8, utf-16le, utf-16be or gb18030"
                    ));
                }
            },
        )
    }
}

/// One row of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line (CSV) or row number (XLSX) where the row starts, counting from 1.
    pub line: u64,
    pub cells: Vec<String>,
}

/// A file's rows, and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// How the text was decoded (CSV only).
    pub encoding: Option<Encoding>,
    /// The separator (CSV only).
    pub delimiter: Option<u8>,
}

/// Why a file could not be read; the message says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The encoding of `bytes`: its byte-order mark; else UTF-16 if every other byte is mostly
/// zero (text without a mark); else UTF-8 if the bytes are valid UTF-8; else GB18030.
pub fn detect_encoding(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16Le;
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16Be;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if half > 0 && zeros_at(1) * 3 > half {
        return Encoding::Utf16Le;
    }
    if half > 0 && zeros_at(0) * 3 > half {
        return Encoding::Utf16Be;
    }
    // Text in UTF-8 never holds NUL bytes; UTF-16 without a mark is caught above.
    if std::str::from_utf8(bytes).is_ok() {
        return Encoding::Utf8;
    }
    Encoding::Gb18030
}

/// Decodes `bytes` as `encoding` (a byte-order mark is dropped); bytes that are not valid
/// in it are an error, never silently replaced.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, Unreadable> {
    let codec = encoding.codec();
    let body = match Codec::for_bom(bytes) {
        Some((bom_codec, len)) if bom_codec == codec => &bytes[len..],
        _ => bytes,
    };
    codec
        .decode_without_bom_handling_and_without_replacement(body)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            Unreadable(format!(
                "the file is not valid {encoding} text: give its encoding with --encoding \
                 (utf-8, utf-16le, utf-16be or gb18030)"
            ))
        })
}

/// The separator of CSV text: the one of `,` `;` tab found the same number of times (and
/// at least once) on the most of the first lines, quotes respected; `,` when none is.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    let mut best = (b',', 0usize, 0usize);
    for d in [',', ';', '\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let Some(&mode) = counts
            .iter()
            .filter(|c| **c > 0)
            .max_by_key(|c| counts.iter().filter(|x| x == c).count())
        else {
            continue;
        };
        let agree = counts.iter().filter(|c| **c == mode).count();
        if (agree, mode) > (best.1, best.2) {
            best = (d as u8, agree, mode);
        }
    }
    best.0
}

/// Reads CSV bytes. `encoding` and `delimiter` are detected when not given.
pub fn read_csv(
    bytes: &[u8],
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
) -> Result<Table, Unreadable> {
    let encoding = encoding.unwrap_or_else(|| detect_encoding(bytes));
    let mut text = decode(bytes, encoding)?;
    // Windows line ends (Excel writes them) as `\n`: the CSV reader counts a `\r\n` as
    // one line but dates the next row before it, which would number every row after the
    // first one line too low (a line break inside a quoted cell becomes `\n` too).
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => rows.push(Row {
                line: record.position().map_or(line, |p| p.line()),
                cells: record.iter().map(str::to_string).collect(),
            }),
            Err(e) => {
                return Err(Unreadable(format!(
                    "line {}: {e}; check the file's quotes, or give --delimiter",
                    e.position().map_or(line, |p| p.line())
                )));
            }
        }
    }
    Ok(Table {
        rows,
        encoding: Some(encoding),
        delimiter: Some(delimiter),
    })
}

/// The text of one spreadsheet cell, as it would be typed: whole numbers without `.0`,
/// dates `YYYY-MM-DD` (times RFC 3339), booleans `true`/`false`.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads an XLSX (or XLS, ODS) workbook's first sheet, or the sheet named `sheet`.
pub fn read_workbook(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Table, Unreadable> {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            Unreadable(format!(
                "not a spreadsheet Fieldbook can read ({e}); save it as .xlsx or .csv"
            ))
        })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Unreadable(format!(
                    "the workbook has no sheet `{s}`; its sheets are: {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Unreadable("the workbook has no sheet".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Unreadable(format!("sheet `{name}` cannot be read: {e}")))?;
    // A sheet whose data starts below row 1 or right of column A keeps its numbering.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            line: u64::from(first_row) + i as u64 + 1,
            cells: std::iter::repeat_n(String::new(), first_col as usize)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect();
    Ok(Table {
        rows,
        encoding: None,
        delimiter: None,
    })
}

#[cfg(test)]
mod tests;
