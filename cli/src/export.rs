//! `fieldbook export`: everything as one JSON file (`--out`), tables as CSV files
//! (`--csv DIR`) or one XLSX workbook (`--xlsx FILE`), or each record's Automerge document
//! as a standard `.automerge` file (`--automerge DIR`). Formats: docs/formats.md.

use crate::render::count;
use crate::run::{print_json, with_progress};
use clap::{ArgGroup, Args};
use fieldbook_client::exchange::ExportedTable;
use fieldbook_client::import::Encoding;
use fieldbook_client::{ClientError, Kind, Store};
use serde_json::json;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("format").required(true).args(["out", "csv", "xlsx", "automerge"])))]
pub struct ExportArgs {
    /// Everything (every record, deleted ones too, with conflicts) as one JSON file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// One CSV file per kind (and quote_lines.csv) into this directory; UTF-8 with BOM.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// One XLSX workbook, a sheet per kind (and quote_lines).
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Each record's Automerge document as DIR/ID.automerge (history included).
    #[arg(long, value_name = "DIR")]
    automerge: Option<PathBuf>,
    /// The CSV files' encoding: utf-8 (with BOM, the default), gb18030, utf-16le, utf-16be.
    #[arg(long)]
    encoding: Option<String>,
    /// Only these kinds (CSV, XLSX): `--kind account,contact`.
    #[arg(long, value_delimiter = ',')]
    kind: Vec<String>,
    /// Deleted (and merged) records too (CSV, XLSX; JSON and Automerge files always hold them).
    #[arg(long)]
    deleted: bool,
}

fn kinds(names: &[String]) -> Result<Vec<Kind>, ClientError> {
    if names.is_empty() {
        return Ok(Kind::ALL.to_vec());
    }
    names
        .iter()
        .map(|n| Kind::parse(n).map_err(ClientError::from))
        .collect()
}

fn tables_done(tables: &[ExportedTable], to: &std::path::Path, json: bool) {
    if json {
        print_json(&json!({ "out": to, "tables": tables }));
    } else {
        let parts: Vec<String> = tables
            .iter()
            .map(|t| format!("{} {}", t.rows, t.name))
            .collect();
        out!("Exported {} to {}.", parts.join(", "), to.display());
    }
}

pub fn run(store: &Store, args: ExportArgs, json: bool) -> anyhow::Result<()> {
    if args.encoding.is_some() && args.csv.is_none() {
        return Err(anyhow::Error::new(crate::import::BadInput(
            "--encoding is for --csv DIR (JSON is UTF-8; XLSX and Automerge files have none)"
                .into(),
        )));
    }
    if (!args.kind.is_empty() || args.deleted) && args.csv.is_none() && args.xlsx.is_none() {
        return Err(anyhow::Error::new(crate::import::BadInput(
            "--kind and --deleted are for --csv and --xlsx (JSON and Automerge exports hold \
             every record)"
                .into(),
        )));
    }
    if let Some(out) = args.out {
        let n = with_progress("export", |p| store.export(&out, p))?;
        if json {
            print_json(&json!({"out": out, "records": n}));
        } else {
            out!(
                "Exported {} to {}.",
                count(n, "record", "records"),
                out.display()
            );
        }
    } else if let Some(dir) = args.csv {
        let encoding = match &args.encoding {
            Some(e) => e
                .parse::<Encoding>()
                .map_err(|e| anyhow::Error::new(crate::import::BadInput(e)))?,
            None => Encoding::Utf8,
        };
        let kinds = kinds(&args.kind)?;
        let tables = with_progress("export", |p| {
            store.export_csv(&dir, &kinds, args.deleted, encoding, p)
        })?;
        tables_done(&tables, &dir, json);
    } else if let Some(file) = args.xlsx {
        let kinds = kinds(&args.kind)?;
        let tables = with_progress("export", |p| {
            store.export_xlsx(&file, &kinds, args.deleted, p)
        })?;
        tables_done(&tables, &file, json);
    } else if let Some(dir) = args.automerge {
        let n = with_progress("export", |p| store.export_automerge(&dir, p))?;
        if json {
            print_json(&json!({"out": dir, "documents": n}));
        } else {
            out!(
                "Wrote {} to {} (one ID.automerge file each).",
                count(n, "Automerge document", "Automerge documents"),
                dir.display()
            );
        }
    }
    Ok(())
}
