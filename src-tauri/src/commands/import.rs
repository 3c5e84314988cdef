//! The import wizard's commands: choose a file (the OS dialog), preview it with its columns
//! mapped (guessed from English and Chinese headers, or as chosen), check every row without
//! writing (what would be refused, likely duplicates), import with progress
//! ([`ImportProgress`] events), and save the refused rows as CSV.
//!
//! The reading, mapping, checks and writes are `fieldbook_client::import`'s. An import runs
//! on its own connection to the store, off the window's thread, so the other screens keep
//! reading meanwhile. The file last read is kept (a mapping changed in the wizard does not
//! read a large file again), and so is the last report, whose refused rows may be saved.

use crate::error::AppError;
use crate::events::ImportProgress;
use crate::state::AppState;
use fieldbook_client::import::{
    self, ColumnChoice, ColumnMapping, Encoding, ImportOptions, ImportReport, LikelyDuplicate,
    OnError, RejectedRow, Table,
};
use fieldbook_client::{ClientError, Kind, Store};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt as _;
use tauri_specta::Event as _;

/// Rows of the file the preview shows.
const PREVIEW_ROWS: usize = 8;
/// Refused rows and likely duplicates a summary carries (the saved report has every
/// refused row).
const LISTED: usize = 200;
/// Progress is told at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What the wizard keeps between its steps.
#[derive(Default)]
pub struct ImportState {
    /// The file last read, and how.
    file: Mutex<Option<ReadFile>>,
    /// The last import's report (its refused rows are saved from it).
    report: Mutex<Option<ImportReport>>,
}

struct ReadFile {
    path: PathBuf,
    encoding: Option<Encoding>,
    modified: Option<SystemTime>,
    len: u64,
    table: Arc<Table>,
}

/// The file the wizard imports, and how to read it.
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSource {
    pub path: String,
    /// A CSV file's encoding (`utf-8`, `utf-16le`, `utf-16be`, `gb18030`); `null`: detected.
    pub encoding: Option<String>,
}

/// A file as the import would read it: how, its header row and mapping, its first rows.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    pub file_name: String,
    /// The encoding the file was read with (CSV; `null` for a workbook).
    pub encoding: Option<String>,
    /// The line (CSV) or row (workbook) of the headers, from 1.
    pub header_line: u64,
    pub columns: Vec<ColumnMapping>,
    pub rows: Vec<Vec<String>>,
    /// Rows below the headers with something in them.
    pub total_rows: u64,
    /// Required fields no column fills yet: the import is refused until one does.
    pub missing: Vec<String>,
    /// The fields a column may fill.
    pub importable: Vec<String>,
}

/// What an import did, or (a check) would do; at most [`LISTED`] refused rows and likely
/// duplicates listed, the counts say how many there are.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub kind: Kind,
    pub rows: u64,
    pub valid: u64,
    pub imported: u64,
    pub rejected_count: u64,
    pub rejected: Vec<RejectedRow>,
    pub headers: Vec<String>,
    pub duplicates_found: u64,
    pub duplicates: Vec<LikelyDuplicate>,
    pub dry_run: bool,
    pub aborted: bool,
}

impl From<&ImportReport> for ImportSummary {
    fn from(r: &ImportReport) -> ImportSummary {
        ImportSummary {
            kind: r.kind,
            rows: r.rows,
            valid: r.valid,
            imported: r.imported,
            rejected_count: r.rejected.len() as u64,
            rejected: r.rejected.iter().take(LISTED).cloned().collect(),
            headers: r.headers.clone(),
            duplicates_found: r.duplicates_found,
            duplicates: r.duplicates.iter().take(LISTED).cloned().collect(),
            dry_run: r.dry_run,
            aborted: r.aborted,
        }
    }
}

/// A workbook by its name; anything else is read as CSV text.
fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods"))
}

impl ImportState {
    /// The file's rows: the copy read last, when the file has not changed since.
    fn table(&self, source: &ImportSource) -> Result<Arc<Table>, AppError> {
        let path = PathBuf::from(&source.path);
        let encoding = source
            .encoding
            .as_deref()
            .map(str::parse::<Encoding>)
            .transpose()
            .map_err(|why| AppError {
                kind: crate::error::ErrorKind::BadInput,
                message: why,
            })?;
        let meta = std::fs::metadata(&path).map_err(|source| ClientError::Io {
            path: path.clone(),
            source,
        })?;
        let modified = meta.modified().ok();
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = file.as_ref()
            && f.path == path
            && f.encoding == encoding
            && f.modified == modified
            && f.len == meta.len()
        {
            return Ok(f.table.clone());
        }
        let table = Arc::new(import::read_file(
            &path,
            is_workbook(&path),
            None,
            encoding,
            None,
        )?);
        *file = Some(ReadFile {
            path,
            encoding,
            modified,
            len: meta.len(),
            table: table.clone(),
        });
        Ok(table)
    }
}

/// The OS's file dialog: a spreadsheet to import, or `null` when the user closed it.
#[tauri::command(async)]
#[specta::specta]
pub fn pick_import_file(app: AppHandle) -> Result<Option<String>, AppError> {
    let picked = app
        .dialog()
        .file()
        .add_filter(
            "CSV, Excel",
            &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"],
        )
        .blocking_pick_file();
    picked
        .map(|p| p.into_path().map(|p| p.display().to_string()))
        .transpose()
        .map_err(|e| AppError::failed(e.to_string()))
}

/// How `source` would be imported as records of `kind`: the columns mapped (guessed, or as
/// `columns` choose) and the first rows.
#[tauri::command(async)]
#[specta::specta]
pub fn import_preview(
    state: State<'_, AppState>,
    import: State<'_, ImportState>,
    source: ImportSource,
    kind: Kind,
    columns: Vec<ColumnChoice>,
) -> Result<ImportPreviewView, AppError> {
    let table = import.table(&source)?;
    let preview = super::read(&state, |s| {
        s.import_preview(&table, kind, &columns, PREVIEW_ROWS)
    })?;
    let below = table
        .rows
        .iter()
        .filter(|r| r.line > preview.header_line && r.cells.iter().any(|c| !c.trim().is_empty()));
    Ok(ImportPreviewView {
        file_name: Path::new(&source.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| source.path.clone()),
        encoding: table.encoding.map(|e| e.name().to_string()),
        header_line: preview.header_line,
        columns: preview.columns,
        rows: preview.rows,
        total_rows: below.count() as u64,
        missing: preview.missing,
        importable: preview.importable,
    })
}

/// Checks every row of `source` as `options` would import it, writing nothing: what would
/// be refused, and the likely duplicates.
#[tauri::command(async)]
#[specta::specta]
pub fn import_check(
    state: State<'_, AppState>,
    import: State<'_, ImportState>,
    source: ImportSource,
    kind: Kind,
    columns: Vec<ColumnChoice>,
) -> Result<ImportSummary, AppError> {
    let options = ImportOptions {
        kind,
        columns,
        on_error: OnError::Skip,
        dry_run: true,
    };
    run(&state, &import, &source, &options, &mut |_, _| {})
}

/// Imports `source`: every row checked first; under `abort` one refused row means nothing
/// is written, under `skip` exactly the rows that pass are. `ImportProgress` events say
/// how far the writes are.
#[tauri::command(async)]
#[specta::specta]
pub fn import_run(
    app: AppHandle,
    state: State<'_, AppState>,
    import: State<'_, ImportState>,
    source: ImportSource,
    kind: Kind,
    columns: Vec<ColumnChoice>,
    on_error: OnError,
) -> Result<ImportSummary, AppError> {
    let options = ImportOptions {
        kind,
        columns,
        on_error,
        dry_run: false,
    };
    let mut last = Instant::now() - PROGRESS_EVERY;
    let mut progress = |done: u64, total: u64| {
        if done == total || last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            let _ = ImportProgress { done, total }.emit(&app);
        }
    };
    let summary = run(&state, &import, &source, &options, &mut progress)?;
    if summary.imported > 0 {
        // Every screen reading records refreshes; the sync sends the new records soon.
        state.written(Vec::new());
    }
    Ok(summary)
}

fn run(
    state: &AppState,
    import: &ImportState,
    source: &ImportSource,
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportSummary, AppError> {
    let table = import.table(source)?;
    let _busy = state.begin_import()?;
    let mut store = Store::open(state.data_dir())?;
    let report = store.import(&table, options, progress)?;
    drop(store);
    let summary = ImportSummary::from(&report);
    *import.report.lock().unwrap_or_else(|e| e.into_inner()) = Some(report);
    Ok(summary)
}

/// Saves the last import's refused rows as CSV where the user chooses (the OS's save
/// dialog): line, reason, then the file's own columns, to fix and import again. `null`
/// when the user closed the dialog.
#[tauri::command(async)]
#[specta::specta]
pub fn save_rejected_rows(
    app: AppHandle,
    import: State<'_, ImportState>,
) -> Result<Option<String>, AppError> {
    let report = import.report.lock().unwrap_or_else(|e| e.into_inner());
    let report = report
        .as_ref()
        .ok_or_else(|| AppError::failed("no import has run yet: there is no report to save"))?;
    let Some(chosen) = app
        .dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name("rejected-rows.csv")
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|e| AppError::failed(e.to_string()))?;
    report.write_rejected(&path)?;
    Ok(Some(path.display().to_string()))
}
