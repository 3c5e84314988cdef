//! `fieldbook import csv|xlsx`: a spreadsheet's rows brought in as records through the
//! library's import (every row checked, nothing half-imported), with the summary, the
//! refused rows and the likely duplicates printed for people or as one JSON document.

use crate::render::count;
use crate::run::{print_json, with_progress};
use clap::{Args, Subcommand, ValueEnum};
use fieldbook_client::import::{
    self, ColumnChoice, Encoding, ImportOptions, ImportReport, OnError,
};
use fieldbook_client::{Kind, Store};
use fieldbook_core::dedupe::Reason;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ImportFormat {
    /// A CSV file: UTF-8 (with or without BOM), UTF-16 or GB18030; `,` `;` or tab.
    Csv {
        #[command(flatten)]
        common: Common,
        /// The file's encoding (detected unless given): utf-8, utf-16le, utf-16be, gb18030.
        #[arg(long)]
        encoding: Option<String>,
        /// The separator (detected unless given): `,`, `;` or `tab`.
        #[arg(long)]
        delimiter: Option<String>,
    },
    /// An Excel workbook (.xlsx; .xls and .ods are read too): its first sheet, or --sheet.
    Xlsx {
        #[command(flatten)]
        common: Common,
        /// The sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct Common {
    /// The kind of record each row becomes (account, contact, opportunity, product, ...).
    #[arg(long)]
    kind: String,
    file: PathBuf,
    /// Which field a column fills, over the guess from its header: COLUMN is a header or a
    /// column number from 1; an empty FIELD leaves the column out. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    map: Vec<String>,
    /// Check every row and list duplicates, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// When a row is refused: import the other rows (skip), or nothing (abort).
    #[arg(long, value_enum, default_value_t = OnErrorArg::Skip)]
    on_error: OnErrorArg,
    /// Write the refused rows (line, reason, the row) to this CSV file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OnErrorArg {
    Skip,
    Abort,
}

/// Input the command line refuses itself (an option's value, rows refused under
/// `--on-error abort`): exit code 2, like the library's bad-input errors.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

fn bad(what: String) -> anyhow::Error {
    anyhow::Error::new(BadInput(what))
}

fn delimiter(text: &str) -> anyhow::Result<u8> {
    Ok(match text {
        "," | "comma" => b',',
        ";" | "semicolon" => b';',
        "tab" | "\t" | "\\t" => b'\t',
        "|" | "pipe" => b'|',
        other => {
            return Err(bad(format!(
                "`{other}` is not a separator Fieldbook reads: use --delimiter , or ; or tab"
            )));
        }
    })
}

/// How many refused rows and duplicates are printed for people (all are in --json and the
/// report file).
const SHOWN: usize = 10;

pub fn run(store: &mut Store, format: ImportFormat, json: bool) -> anyhow::Result<()> {
    let (common, table) = match format {
        ImportFormat::Csv {
            common,
            encoding,
            delimiter: d,
        } => {
            let encoding = encoding
                .map(|e| e.parse::<Encoding>().map_err(bad))
                .transpose()?;
            let d = d.map(|d| delimiter(&d)).transpose()?;
            let table = import::read_file(&common.file, false, None, encoding, d)?;
            (common, table)
        }
        ImportFormat::Xlsx { common, sheet } => {
            let table = import::read_file(&common.file, true, sheet.as_deref(), None, None)?;
            (common, table)
        }
    };
    let kind = Kind::parse(&common.kind).map_err(fieldbook_client::ClientError::from)?;
    let columns = common
        .map
        .iter()
        .map(|m| {
            let o = fieldbook_core::import::Override::parse(m)
                .map_err(fieldbook_client::ClientError::from)?;
            Ok(ColumnChoice {
                column: o.column,
                field: o.field,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = ImportOptions {
        kind,
        columns,
        on_error: match common.on_error {
            OnErrorArg::Skip => OnError::Skip,
            OnErrorArg::Abort => OnError::Abort,
        },
        dry_run: common.dry_run,
    };
    let report = with_progress("import", |p| store.import(&table, &options, p))?;
    if let Some(path) = &common.report {
        report.write_rejected(path)?;
    }
    if json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(path) = &common.report {
            v["report"] = serde_json::to_value(path)?;
        }
        if let Some(e) = table.encoding {
            v["encoding"] = e.name().into();
        }
        print_json(&v);
    } else {
        print_summary(&report, &table, &common);
    }
    if report.aborted {
        return Err(bad(format!(
            "{} refused: nothing was imported (--on-error abort); fix them, or import the \
             others with --on-error skip",
            count(report.rejected.len() as u64, "row was", "rows were")
        )));
    }
    Ok(())
}

fn print_summary(r: &ImportReport, table: &import::Table, common: &Common) {
    let how = match (table.encoding, table.delimiter) {
        (Some(e), Some(d)) => format!(
            " ({e}, separated by {})",
            if d == b'\t' {
                "tabs".to_string()
            } else {
                format!("`{}`", d as char)
            }
        ),
        _ => String::new(),
    };
    out!(
        "Read {} of {}{how}; headers on line {}:",
        count(r.rows, "row", "rows"),
        common.file.display(),
        r.header_line
    );
    let cols: Vec<String> = r
        .columns
        .iter()
        .map(|c| match &c.field {
            Some(f) => format!("{} → {f}", c.column),
            None => format!("{} → (left out)", c.column),
        })
        .collect();
    out!("  {}", cols.join(", "));
    let plural = r.kind.plural();
    let refused = r.rejected.len() as u64;
    if r.dry_run {
        out!(
            "Dry run: {} would be imported, {} refused; nothing was written.",
            count(r.valid, r.kind.as_str(), plural),
            count(refused, "row", "rows")
        );
    } else if r.aborted {
        out!(
            "Nothing was imported: {} refused (--on-error abort).",
            count(refused, "row", "rows")
        );
    } else {
        out!(
            "Imported {}; {} refused.",
            count(r.imported, r.kind.as_str(), plural),
            count(refused, "row", "rows")
        );
    }
    for row in r.rejected.iter().take(SHOWN) {
        out!("  line {}: {}", row.line, row.reason);
    }
    if r.rejected.len() > SHOWN {
        out!("  ... and {} more", r.rejected.len() - SHOWN);
    }
    match &common.report {
        Some(path) if refused > 0 => out!("The refused rows are in {}.", path.display()),
        None if refused > 0 => {
            out!("(--report FILE writes the refused rows to a CSV file, to fix and import again)")
        }
        _ => {}
    }
    if !r.duplicates.is_empty() {
        out!(
            "Likely duplicates ({}; `fieldbook merge KEEP_ID OTHER_ID` merges two records):",
            r.duplicates.len()
        );
        for d in r.duplicates.iter().take(SHOWN) {
            let other = match d.other_line {
                Some(line) => format!("line {line}"),
                None => format!("{}", d.other_id),
            };
            out!(
                "  line {} {} ~ {other} {} (score {:.2}: {})",
                d.line,
                d.name,
                d.other_name,
                d.score,
                reasons(&d.reasons)
            );
        }
        if r.duplicates.len() > SHOWN {
            out!(
                "  ... and {} more (`fieldbook duplicates --kind {}` lists them all after the import)",
                r.duplicates.len() - SHOWN,
                r.kind
            );
        }
    }
}

/// A pair's reasons in words: "same name, same phone".
pub fn reasons(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            Reason::SameName => "same name".to_string(),
            Reason::SimilarName { similarity } => format!("similar name ({similarity:.2})"),
            Reason::SamePhone => "same phone".into(),
            Reason::SameEmail => "same e-mail".into(),
            Reason::SameDomain { domain } => format!("same domain {domain}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
