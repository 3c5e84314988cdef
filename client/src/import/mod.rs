//! Bringing records in from spreadsheets: [`table`] reads CSV and XLSX files into rows of
//! text; the header row is found and the columns are mapped to fields by
//! [`fieldbook_core::import`] (guessed from English and Chinese headers, or chosen);
//! `plan` checks every row by core's rules and finds its references by id or name; the rows
//! that pass are written by the normal write path (`write`), as real documents that sync.
//!
//! Nothing is half-imported. Every row is checked before anything is written; with
//! [`OnError::Abort`] one refused row means nothing is written, with [`OnError::Skip`]
//! exactly the rows that passed are. Writes go in batches, one transaction each. Likely
//! duplicates of the new records, among themselves and with the records held, are listed.
//!
//! Knows nothing of SQL (it reads and writes through the store's typed API) or of command
//! lines; the report of refused rows is written as CSV by [`ImportReport::write_rejected`].

mod dups;
mod plan;
pub mod table;
mod write;

use crate::error::{ClientError, Result};
use crate::exchange::Progress;
use crate::store::Store;
use fieldbook_core::dedupe::Reason;
use fieldbook_core::import::{self as mapping, Override};
use fieldbook_core::{Kind, schema};
use plan::{Context, Names, Planned};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
pub use table::{Encoding, Row, Table};
use time::OffsetDateTime;
use uuid::Uuid;

/// What to do with the other rows when a row is refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Import exactly the rows that pass; report the others.
    #[default]
    Skip,
    /// Import nothing if any row is refused.
    Abort,
}

/// A column mapped by hand: `column` is a header or a column number (from 1); `field` a
/// field name, or empty to leave the column out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnChoice {
    pub column: String,
    pub field: String,
}

/// The most likely duplicates an import lists (the best of each row first): past this
/// many, `fieldbook duplicates` after the import is the tool.
pub const DUPLICATES_LISTED: usize = 1000;

/// Imports of at least this many records end by merging the search index into one segment.
const OPTIMIZE_FROM: u64 = 5 * write::BATCH as u64;

/// What an import is asked to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOptions {
    pub kind: Kind,
    /// Columns mapped by hand, over the guesses.
    pub columns: Vec<ColumnChoice>,
    pub on_error: OnError,
    /// Check every row and find duplicates, but write nothing.
    pub dry_run: bool,
}

/// One column of the file and the field it fills (`None`: left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnMapping {
    pub column: String,
    pub field: Option<String>,
}

/// How a file would be read: its header row, each column's field, its first rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPreview {
    /// The line (CSV) or row (XLSX) of the headers, from 1.
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
    /// The first rows below the headers, as read.
    pub rows: Vec<Vec<String>>,
    /// Required fields no column fills yet (an import refuses the file until one does).
    pub missing: Vec<String>,
    /// The fields a column may fill.
    pub importable: Vec<String>,
}

/// A row that was not imported, and why (every problem it has).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RejectedRow {
    /// The line (CSV) or row (XLSX) as the user's program shows it.
    pub line: u64,
    pub reason: String,
    /// The row's cells, as read.
    pub cells: Vec<String>,
}

/// A new record that looks like another: a record held here, or another row of the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LikelyDuplicate {
    pub line: u64,
    /// The id the row's record has (not written in a dry run).
    pub id: Uuid,
    pub name: String,
    pub other_id: Uuid,
    /// The other's line, when it is a row of the file too.
    pub other_line: Option<u64>,
    pub other_name: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    pub kind: Kind,
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
    /// Rows below the headers with something in them.
    pub rows: u64,
    /// Rows that passed every check.
    pub valid: u64,
    /// Records written (0 in a dry run, or when aborted).
    pub imported: u64,
    pub rejected: Vec<RejectedRow>,
    /// Likely duplicates, by line (at most [`DUPLICATES_LISTED`]; `duplicates_found` says
    /// how many were found).
    pub duplicates: Vec<LikelyDuplicate>,
    pub duplicates_found: u64,
    pub dry_run: bool,
    pub on_error: OnError,
    /// Some row was refused under [`OnError::Abort`]: nothing was written.
    pub aborted: bool,
    /// The file's headers (the report of refused rows repeats them).
    pub headers: Vec<String>,
}

/// Reads an import file: a workbook (`.xlsx`, `.xls`, `.ods`) or CSV text.
pub fn read_file(
    path: &Path,
    workbook: bool,
    sheet: Option<&str>,
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(ClientError::io(path))?;
    let table = if workbook {
        table::read_workbook(bytes, sheet)
    } else {
        table::read_csv(&bytes, encoding, delimiter)
    };
    table.map_err(|e| ClientError::UnreadableFile {
        path: path.to_path_buf(),
        why: e.0,
    })
}

/// The header row and each column's field.
struct Layout {
    header: usize,
    headers: Vec<String>,
    mapping: Vec<Option<&'static schema::FieldSpec>>,
}

fn layout(table: &Table, kind: Kind, columns: &[ColumnChoice]) -> Result<Layout> {
    let first: Vec<Vec<String>> = table
        .rows
        .iter()
        .take(10)
        .map(|r| r.cells.clone())
        .collect();
    if first.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        return Err(ClientError::MissingColumn {
            kind,
            field: schema::title_field(kind).into(),
            columns: "none (the file is empty)".into(),
        });
    }
    let header = mapping::header_row(&first, kind);
    let headers: Vec<String> = table.rows[header]
        .cells
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let overrides: Vec<Override> = columns
        .iter()
        .map(|c| Override {
            column: c.column.clone(),
            field: c.field.clone(),
        })
        .collect();
    let mapping = mapping::map_columns(kind, &headers, &overrides)?;
    Ok(Layout {
        header,
        headers,
        mapping,
    })
}

impl Layout {
    /// Required fields of `kind` no column fills.
    fn missing(&self, kind: Kind) -> Vec<&'static str> {
        schema::fields(kind)
            .iter()
            .filter(|s| s.required && !self.mapping.iter().flatten().any(|m| m.name == s.name))
            .map(|s| s.name)
            .collect()
    }

    /// Refuses a file that leaves a required field without a column.
    fn complete(self, kind: Kind) -> Result<Layout> {
        match self.missing(kind).first() {
            Some(field) => Err(ClientError::MissingColumn {
                kind,
                field: (*field).into(),
                columns: self.headers.join(", "),
            }),
            None => Ok(self),
        }
    }
}

fn column_mappings(l: &Layout) -> Vec<ColumnMapping> {
    l.headers
        .iter()
        .zip(&l.mapping)
        .map(|(h, s)| ColumnMapping {
            column: h.clone(),
            field: s.map(|s| s.name.to_string()),
        })
        .collect()
}

impl Store {
    /// How `table` would be imported as records of `kind`: the header row, each column's
    /// field (guessed, or as `columns` choose), the first `sample` rows, and the required
    /// fields still without a column (so a mapping can be completed by hand).
    pub fn import_preview(
        &self,
        table: &Table,
        kind: Kind,
        columns: &[ColumnChoice],
        sample: usize,
    ) -> Result<ImportPreview> {
        let l = layout(table, kind, columns)?;
        Ok(ImportPreview {
            header_line: table.rows[l.header].line,
            columns: column_mappings(&l),
            rows: table.rows[l.header + 1..]
                .iter()
                .take(sample)
                .map(|r| r.cells.clone())
                .collect(),
            missing: l.missing(kind).into_iter().map(String::from).collect(),
            importable: mapping::importable_fields(kind)
                .into_iter()
                .map(String::from)
                .collect(),
        })
    }

    /// Imports the rows of `table` as records (see the module doc). Refused rows are in the
    /// report; an error means nothing of the file could be imported (a file the mapping does
    /// not fit, a kind this user may not write), or a write failed after the checks.
    pub fn import(
        &mut self,
        table: &Table,
        options: &ImportOptions,
        progress: Progress,
    ) -> Result<ImportReport> {
        let kind = options.kind;
        if !options.dry_run {
            self.writable()?;
        }
        self.may_write_kind(kind)?;
        let l = layout(table, kind, &options.columns)?.complete(kind)?;
        let data: Vec<&Row> = table.rows[l.header + 1..]
            .iter()
            .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let total = data.len() as u64;

        let mut names = HashMap::new();
        for k in plan::referenced_kinds(&l.mapping) {
            names.insert(k, Names::new(k, self.titles(k)?));
        }
        let skus = if kind == Kind::Product {
            self.skus()?
        } else {
            HashMap::new()
        };
        let mut ctx = Context {
            kind,
            names,
            skus,
            file_skus: HashMap::new(),
            now: OffsetDateTime::now_utc(),
        };
        let mut planned: Vec<Planned> = Vec::with_capacity(data.len());
        let mut rejected = Vec::new();
        for row in &data {
            match plan::plan_row(&mut ctx, &l.headers, &l.mapping, row.line, &row.cells) {
                Ok(p) => planned.push(p),
                Err(reason) => rejected.push(RejectedRow {
                    line: row.line,
                    reason,
                    cells: row.cells.clone(),
                }),
            }
        }
        let compared = dups::Compared::gather(self, kind, &planned)?;
        let valid = planned.len() as u64;
        let aborted = options.on_error == OnError::Abort && !rejected.is_empty();
        let write = !(options.dry_run || aborted);
        let rows: HashMap<u64, &Row> = data.iter().map(|r| (r.line, *r)).collect();
        // Likely duplicates are worked out on their own thread while the rows are written
        // (from what the store held before: the new records are compared as rows).
        let (written, found) = std::thread::scope(|scope| {
            let found = compared.map(|c| scope.spawn(move || c.find()));
            let mut refused = Vec::new();
            let written = if write {
                let mut done = |n| progress(n, valid);
                write::write_planned(
                    self,
                    kind,
                    planned,
                    options.on_error,
                    ctx.now,
                    &mut done,
                    &mut refused,
                )
                .map(|n| (n, refused))
            } else {
                Ok((0, refused))
            };
            let found = found.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            (written, found.unwrap_or_default())
        });
        let (imported, refused) = written?;
        rejected.extend(refused.into_iter().map(|(line, reason)| RejectedRow {
            line,
            reason,
            cells: rows.get(&line).map(|r| r.cells.clone()).unwrap_or_default(),
        }));
        rejected.sort_by_key(|r| r.line);
        let (duplicates, duplicates_found) = found;
        // A large import leaves the search index in many segments: merged into one now, so
        // that no later edit pays for it. (A small one's few are merged by `maintain`, in
        // bounded steps: merging a large store's whole index would cost more than it.)
        if imported >= OPTIMIZE_FROM {
            self.optimize()?;
        }
        Ok(ImportReport {
            kind,
            header_line: table.rows[l.header].line,
            columns: column_mappings(&l),
            rows: total,
            valid,
            imported,
            rejected,
            duplicates,
            duplicates_found,
            dry_run: options.dry_run,
            on_error: options.on_error,
            aborted,
            headers: l.headers,
        })
    }
}

impl ImportReport {
    /// Writes the refused rows as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
    /// read it): `line`, `reason`, then the file's own columns, so that the rows can be
    /// fixed where they are and imported again.
    pub fn write_rejected(&self, path: &Path) -> Result<()> {
        crate::exchange::write_atomically(path, |w| {
            let io = |e: std::io::Error| ClientError::Io {
                path: path.to_path_buf(),
                source: e,
            };
            w.write_all(b"\xEF\xBB\xBF").map_err(io)?;
            let mut csv = csv::WriterBuilder::new().flexible(true).from_writer(w);
            let csv_err = |e: csv::Error| io(e.into());
            let mut header = vec!["line".to_string(), "reason".to_string()];
            header.extend(self.headers.iter().cloned());
            csv.write_record(&header).map_err(csv_err)?;
            for r in &self.rejected {
                let mut rec = vec![r.line.to_string(), r.reason.clone()];
                rec.extend(r.cells.iter().cloned());
                csv.write_record(&rec).map_err(csv_err)?;
            }
            csv.flush().map_err(io)
        })
    }
}
