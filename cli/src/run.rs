//! Arguments and dispatch: each command parses its text into the library's typed API
//! (`parse`), calls the [`Store`] or the [`SyncEngine`], and prints the typed result for
//! people (`render`) or as one JSON document (`json`).

use crate::errors;
use crate::json::{self, Tail};
use crate::parse;
use crate::remote;
use crate::render;
use clap::{Parser, Subcommand};
use fieldbook_client::{ClientError, Kind, ListQuery, Store};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value as Json, json};
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Parser, Debug)]
#[command(
    name = "fieldbook",
    version,
    about = "Fieldbook: your whole book of business, on your machine, offline."
)]
pub struct Cli {
    /// Where the store lives (default: $XDG_DATA_HOME/fieldbook or ~/.local/share/fieldbook).
    #[arg(long, env = "FIELDBOOK_DATA_DIR", global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print exactly one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create the local store.
    ///
    /// The store is encrypted with a passphrase (FIELDBOOK_PASSPHRASE, or typed twice at
    /// the terminal) unless --no-encryption is given.
    Init {
        #[arg(long)]
        user: String,
        /// Currency of new opportunities, quotes and products unless given.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// A plain store: anyone who can read its file reads the records.
        #[arg(long)]
        no_encryption: bool,
    },
    /// Encrypt a plain store with a passphrase (FIELDBOOK_PASSPHRASE, or typed twice).
    /// The app and other programs using the store must be closed.
    Encrypt,
    /// Change the passphrase of an encrypted store (the current one from
    /// FIELDBOOK_PASSPHRASE or typed, the new one from FIELDBOOK_NEW_PASSPHRASE or typed
    /// twice). The app and other programs using the store must be closed.
    Passphrase,
    /// Remember this store's key in the OS keyring (Secret Service, Keychain, Credential
    /// Manager), so it opens on this computer without the passphrase; or forget it.
    #[command(subcommand)]
    Keyring(crate::secret::KeyringCommand),
    /// Create a record: `fieldbook new account name="Acme GmbH" city=Berlin`. Prints its id.
    New {
        kind: String,
        #[arg(value_name = "FIELD=VALUE")]
        fields: Vec<String>,
    },
    /// Set fields of a record (an empty value clears the field).
    Set {
        id: String,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        fields: Vec<String>,
    },
    /// Clear fields of a record.
    Unset {
        id: String,
        #[arg(value_name = "FIELD", required = true)]
        fields: Vec<String>,
    },
    /// Every field, computed totals and open conflicts of a record.
    Show { id: String },
    /// Records of a kind: `fieldbook list opportunity stage=proposal`.
    List {
        kind: String,
        #[arg(value_name = "FIELD=VALUE")]
        filters: Vec<String>,
        /// Only records matching this text.
        #[arg(long)]
        search: Option<String>,
        /// At most this many (default: 50 for people, all with --json).
        #[arg(long)]
        limit: Option<usize>,
        /// Include deleted records.
        #[arg(long)]
        deleted: bool,
    },
    /// Mark a record deleted (it can be restored).
    Delete { id: String },
    /// Bring a deleted record back.
    Restore { id: String },
    /// Search every kind, best match first.
    Search {
        #[arg(required = true)]
        text: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Append a paragraph to an account's notes.
    Note {
        id: String,
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Add, change or remove quote lines.
    #[command(subcommand)]
    QuoteLine(QuoteLine),
    /// Who changed which field, when, from what to what; oldest first.
    History { id: String },
    /// Fields with concurrent values (of one record, or of all).
    Conflicts { id: Option<String> },
    /// Settle a conflict: `fieldbook resolve ID amount 12000`.
    Resolve {
        id: String,
        field: String,
        value: String,
    },
    /// Take everything out: one JSON file (--out), CSV files (--csv DIR), an XLSX workbook
    /// (--xlsx FILE), or each record's Automerge document (--automerge DIR). Formats:
    /// docs/formats.md.
    Export(crate::export::ExportArgs),
    /// Likely duplicate accounts and contacts (normalized names, phones, e-mail, domains).
    Duplicates {
        /// account or contact (default: both).
        #[arg(long)]
        kind: Option<String>,
        /// At most this many pairs per kind (default: 50 for people, all with --json).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Merge OTHER_ID into KEEP_ID: the kept record fills its empty fields from the other,
    /// the other's contacts, opportunities, activities, tasks and quotes move over, and the
    /// other is marked merged and deleted (both histories stay readable).
    Merge {
        keep: String,
        other: String,
        /// Whose value a field ends with: `--field phone=other` (or `=keep`). Repeatable.
        #[arg(long = "field", value_name = "FIELD=other|keep")]
        fields: Vec<String>,
    },
    /// Bring a spreadsheet's rows in as records: `fieldbook import csv --kind account FILE`.
    /// Columns are mapped from their headers (English or Chinese) unless --map says.
    #[command(subcommand)]
    Import(crate::import::ImportFormat),
    /// Every document of this store, for another store to absorb.
    Bundle {
        #[arg(long)]
        out: PathBuf,
    },
    /// Merge a bundle from another store.
    Absorb { file: PathBuf },
    /// Add a generated, realistic book of business.
    Demo {
        #[arg(long)]
        records: usize,
        /// The same seed makes the same book (default: a new one each time).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Open opportunities by stage: count, amount, weighted amount.
    Pipeline,
    /// Managers' reports over this device's copy (docs/reports.md): pipeline, forecast,
    /// winrate, stale, rfm, activity.
    Report(crate::report::ReportArgs),
    /// Exchange rates the reports convert money with.
    #[command(subcommand)]
    Rates(crate::report::Rates),
    /// Convert a lead into an account (new or existing), a contact and, optionally, an
    /// opportunity, in one step: `fieldbook convert LEAD_ID [--account ID]
    /// [--opportunity name=... amount=...]`.
    Convert(crate::followup::ConvertArgs),
    /// Renewals, likely reorders and overdue cases due today; `dismiss`, `snooze`, `renew`.
    Reminders(crate::followup::RemindersArgs),
    /// This device's settings: days to a case's due date by priority, when reminders start.
    Settings {
        #[command(subcommand)]
        cmd: Option<crate::followup::SettingsCmd>,
    },
    /// Sign in to a server and register this device (password from FIELDBOOK_PASSWORD or stdin).
    Login {
        url: String,
        user: String,
        /// The name the server shows for this device (default: "USER's HOST", from the
        /// operating system's host name).
        #[arg(long, value_name = "NAME")]
        device_name: Option<String>,
    },
    /// Push what changed here, then pull until caught up.
    Sync,
    /// Server, user, last successful sync, changes waiting to go up.
    Status,
    /// Sign out (the server revokes this device's token); changes waiting stay here.
    Logout,
    /// Delete this store from the device, so that it can serve another user or server
    /// (refused while changes made here have not reached the server, unless --force).
    Reset {
        /// Delete it even though changes made here would be lost.
        #[arg(long)]
        force: bool,
    },
    /// Move an account, with all its records, to another user (managers; needs the server).
    Reassign {
        account: String,
        #[arg(long)]
        to: String,
        /// Only say what would move (counts per kind) and what the losing devices still
        /// hold unsynced; move nothing.
        #[arg(long)]
        preview: bool,
    },
    /// Knowledge at risk in your teams (managers; admins: everyone): each user's devices,
    /// their last sync and the changes they held at their last contact (needs the server).
    Team {
        /// Flag a device after this many days without a sync.
        #[arg(long, value_name = "N", default_value_t = fieldbook_core::protocol::DEFAULT_WARN_DAYS)]
        warn_days: u32,
    },
    /// Review changes the server refused (managers: their teams'; admins: all): list,
    /// show, apply or discard them (needs the server).
    #[command(subcommand)]
    Quarantine(crate::quarantine::QuarantineCmd),
    /// This user's devices on the server, and revoking one (a lost laptop) (needs the server).
    #[command(subcommand)]
    Devices(crate::devices::DevicesCmd),
}

#[derive(Subcommand, Debug)]
enum QuoteLine {
    /// Add a line: `fieldbook quote-line add QUOTE product_id=... quantity=3`.
    Add {
        quote: String,
        #[arg(value_name = "FIELD=VALUE")]
        fields: Vec<String>,
    },
    /// Change a line's fields.
    Set {
        quote: String,
        line: String,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        fields: Vec<String>,
    },
    /// Remove a line.
    Remove { quote: String, line: String },
}

fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("fieldbook");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/fieldbook")
}

/// A progress bar on stderr; invisible when stderr is not a terminal.
fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::hidden();
    let template = format!("{what:>8} [{{bar:40}}] {{pos}}/{{len}} ({{eta}} left)");
    bar.set_style(
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}

/// Runs a long operation with a progress bar on stderr (hidden when not a terminal).
pub(crate) fn with_progress<T>(
    what: &str,
    f: impl FnOnce(&mut dyn FnMut(u64, u64)) -> Result<T, ClientError>,
) -> Result<T, ClientError> {
    let bar = progress_bar(what);
    let out = f(&mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    out
}

/// `encrypt` and `passphrase`: the store's file is copied under the new key and swapped in.
fn change_protection(dir: &std::path::Path, command: &Command, json: bool) -> anyhow::Result<()> {
    use crate::secret::{NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
    use fieldbook_client::{AtRest, Protection, at_rest};
    if !dir.join(fieldbook_client::store::STORE_FILE).is_file() {
        return Err(ClientError::NoStore(dir.to_path_buf()).into());
    }
    let encrypted = at_rest::at_rest(dir) == AtRest::Passphrase;
    let new = match (command, encrypted) {
        (Command::Encrypt, true) => anyhow::bail!(
            "this store is encrypted already: `fieldbook passphrase` changes its passphrase"
        ),
        (Command::Encrypt, false) => crate::secret::new(PASSPHRASE_ENV)?,
        (_, false) => anyhow::bail!(
            "this store is not encrypted: `fieldbook encrypt` encrypts it with a passphrase"
        ),
        (_, true) => {
            crate::secret::unlock_if_needed(dir)?;
            crate::secret::new(NEW_PASSPHRASE_ENV)?
        }
    };
    // The whole file is copied: a spinner while it is (stderr, hidden when not a terminal).
    let spinner = ProgressBar::new_spinner().with_message("encrypting a copy of the store");
    spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let done = at_rest::protect(dir, &Protection::passphrase(&new));
    spinner.finish_and_clear();
    done?;
    if json {
        print_json(&json!({"data_dir": dir, "encrypted": true}));
    } else if encrypted {
        out!(
            "The passphrase of the store in {} is changed.",
            dir.display()
        );
    } else {
        out!("The store in {} is encrypted.", dir.display());
    }
    Ok(())
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let (message, bad_input) = match e.downcast_ref::<ClientError>() {
                Some(c) => (errors::message(c), c.is_bad_input()),
                None if e.is::<crate::import::BadInput>() => (format!("{e:#}"), true),
                None => (format!("{e:#}"), false),
            };
            eprintln!("error: {}", crate::clean::terminal(&message));
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

pub(crate) fn print_json(v: &Json) {
    out!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn kind(s: &str) -> Result<Kind, ClientError> {
    Kind::parse(s).map_err(ClientError::from)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    let now = OffsetDateTime::now_utc();
    let json = cli.json;
    if let Command::Init {
        user,
        currency,
        no_encryption,
    } = &cli.command
    {
        if dir.join(fieldbook_client::store::STORE_FILE).exists() {
            return Err(ClientError::AlreadyExists(dir.clone()).into());
        }
        let protection = crate::secret::for_new_store(*no_encryption)?;
        let store = Store::init_with(&dir, user, currency, &protection)?;
        let s = store.settings();
        if json {
            print_json(
                &json!({"data_dir": dir, "user": s.user, "store_id": s.store_id.to_string(),
                "default_currency": s.default_currency, "device_code": s.device_code}),
            );
        } else {
            out!(
                "Created a store for {} in {} (currency {}{}).",
                s.user,
                dir.display(),
                s.default_currency,
                if *no_encryption {
                    ", not encrypted"
                } else {
                    ", encrypted"
                }
            );
        }
        return Ok(());
    }
    if matches!(cli.command, Command::Encrypt | Command::Passphrase) {
        return change_protection(&dir, &cli.command, json);
    }
    if let Command::Keyring(action) = &cli.command {
        return crate::secret::keyring(&dir, action, json);
    }
    crate::secret::unlock_if_needed(&dir)?;
    let mut store = Store::open(&dir)?;
    let writes = matches!(
        cli.command,
        Command::New { .. }
            | Command::Set { .. }
            | Command::Unset { .. }
            | Command::Delete { .. }
            | Command::Restore { .. }
            | Command::Note { .. }
            | Command::QuoteLine(_)
            | Command::Resolve { .. }
            | Command::Absorb { .. }
            | Command::Demo { .. }
            | Command::Convert(_)
            | Command::Import(_)
            | Command::Merge { .. }
    );
    match cli.command {
        Command::Init { .. } | Command::Encrypt | Command::Passphrase | Command::Keyring(_) => {
            unreachable!("handled above")
        }
        Command::New { kind: k, fields } => {
            let k = kind(&k)?;
            let id = store.create(k, &parse::record_values(k, &fields, now)?)?;
            if json {
                print_json(&json!({ "id": id.to_string() }));
            } else {
                out!("{id}");
            }
        }
        Command::Set { id, fields } => {
            let id = store.resolve_id(&id)?;
            let values = parse::record_values(store.kind_of(id)?, &fields, now)?;
            store.update(id, &values)?;
            updated(&store, id, json)?;
        }
        Command::Unset { id, fields } => {
            let id = store.resolve_id(&id)?;
            let values = parse::cleared(store.kind_of(id)?, &fields)?;
            store.update(id, &values)?;
            updated(&store, id, json)?;
        }
        Command::Show { id } => {
            let id = store.resolve_id(&id)?;
            let r = store.record(id)?;
            if json {
                // The record contract, as `export` writes it (an account's leads: `list
                // lead account_id=ID`).
                print_json(&Json::Object(json::record(&r, Tail::Conflicts)));
            } else {
                render::record(&r);
                crate::followup::account_extras(&store, &r, now.date())?;
            }
        }
        Command::List {
            kind: k,
            filters,
            search,
            limit,
            deleted,
        } => {
            let k = kind(&k)?;
            let people_limit = if json {
                None
            } else {
                Some(limit.unwrap_or(50))
            };
            let q = ListQuery {
                filters: parse::filters(k, &filters, now)?,
                search,
                limit: limit.or(people_limit.map(|l| l + 1)),
                include_deleted: deleted,
                ..ListQuery::default()
            };
            let mut rows = store.list(k, &q)?;
            if json {
                print_json(&Json::Array(
                    rows.iter()
                        .map(|r| Json::Object(json::record(r, Tail::ConflictMark)))
                        .collect(),
                ));
            } else {
                let shown = people_limit.unwrap_or(usize::MAX);
                let more = rows.len() > shown;
                rows.truncate(shown);
                render::list(k, &rows);
                if more {
                    eprintln!("(showing the first {shown}; use --limit N for more)");
                }
            }
        }
        Command::Delete { id } => deleted(&mut store, &id, true, json)?,
        Command::Restore { id } => deleted(&mut store, &id, false, json)?,
        Command::Search { text, limit } => {
            let hits = store.search(&text.join(" "), limit)?;
            if json {
                print_json(&serde_json::to_value(hits)?);
            } else {
                render::hits(&hits);
            }
        }
        Command::Note { id, text } => {
            let id = store.resolve_id(&id)?;
            store.append_note(id, &text.join(" "))?;
            updated(&store, id, json)?;
        }
        Command::QuoteLine(cmd) => quote_line(&mut store, cmd, json)?,
        Command::History { id } => {
            let id = store.resolve_id(&id)?;
            let h = store.history(id)?;
            if json {
                print_json(&serde_json::to_value(h)?);
            } else {
                render::history(&h);
            }
        }
        Command::Conflicts { id } => {
            let id = id.map(|i| store.resolve_id(&i)).transpose()?;
            let c = store.conflicts(id)?;
            if json {
                let flat: Vec<Json> = c
                    .iter()
                    .flat_map(|r| {
                        r.conflicts.iter().map(|c| {
                            json!({"id": r.id, "kind": r.kind, "title": r.title, "field": c.field, "values": c.values})
                        })
                    })
                    .collect();
                print_json(&Json::Array(flat));
            } else {
                render::conflicts(&c);
            }
        }
        Command::Resolve { id, field, value } => {
            let id = store.resolve_id(&id)?;
            let value = parse::conflict_value(store.kind_of(id)?, &field, &value, now)?;
            store.resolve(id, &field, value)?;
            updated(&store, id, json)?;
        }
        Command::Export(args) => crate::export::run(&store, args, json)?,
        Command::Duplicates { kind, limit } => {
            crate::merge::duplicates(&store, kind.as_deref(), limit, json)?
        }
        Command::Merge {
            keep,
            other,
            fields,
        } => crate::merge::merge(&mut store, &keep, &other, &fields, json)?,
        Command::Bundle { out } => {
            let n = with_progress("bundle", |p| store.bundle(&out, p))?;
            if json {
                print_json(&json!({"out": out, "documents": n}));
            } else {
                out!(
                    "Wrote {} to {}.",
                    render::count(n, "document", "documents"),
                    out.display()
                );
            }
        }
        Command::Import(format) => crate::import::run(&mut store, format, json)?,
        Command::Absorb { file } => {
            let report = with_progress("absorb", |p| store.absorb(&file, p))?;
            if json {
                print_json(&serde_json::to_value(&report)?);
            } else {
                out!(
                    "Absorbed {}: {}, {} updated, {}.",
                    render::count(report.documents, "document", "documents"),
                    render::count(report.new_records, "new record", "new records"),
                    report.updated_records,
                    render::count(report.new_changes, "new change", "new changes"),
                );
            }
        }
        Command::Demo { records, seed } => {
            let seed = seed.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
            let n = with_progress("demo", |p| store.demo(records, seed, p))?;
            if json {
                print_json(&json!({"records": n}));
            } else {
                out!("Added {}.", render::count(n, "demo record", "demo records"));
            }
        }
        Command::Login {
            url,
            user,
            device_name,
        } => return remote::login(store, &url, &user, device_name.as_deref(), json),
        Command::Sync => return remote::sync(store, json),
        Command::Status => return remote::status(store, json),
        Command::Logout => return remote::logout(store, json),
        Command::Reset { force } => return remote::reset(store, force, json),
        Command::Reassign {
            account,
            to,
            preview,
        } => {
            let id = store.resolve_id(&account)?;
            if preview {
                return crate::team::preview_reassign(store, id, &to, json);
            }
            return remote::reassign(store, id, &to, json);
        }
        Command::Team { warn_days } => return crate::team::team(store, warn_days, json),
        Command::Quarantine(cmd) => return crate::quarantine::run(store, &cmd, json),
        Command::Devices(cmd) => return crate::devices::run(store, &cmd, json),
        Command::Pipeline => {
            let p = store.pipeline()?;
            if json {
                print_json(&serde_json::to_value(p)?);
            } else {
                render::pipeline(&p, &store.counts()?);
            }
        }
        Command::Report(args) => crate::report::report(&store, &args, json)?,
        Command::Rates(cmd) => crate::report::rates(&mut store, &cmd, json)?,
        Command::Convert(args) => crate::followup::convert(&mut store, &args, json)?,
        Command::Reminders(args) => {
            if crate::followup::reminders(&mut store, &args, json)? {
                store.maintain()?;
            }
        }
        Command::Settings { cmd } => {
            crate::followup::settings(&mut store, &cmd, json)?;
        }
    }
    if writes {
        // After the write returned: housekeeping off the write path.
        store.maintain()?;
    }
    Ok(())
}

fn updated(store: &Store, id: uuid::Uuid, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(&Json::Object(json::record(
            &store.record(id)?,
            Tail::Conflicts,
        )));
    } else {
        out!("updated {id}");
    }
    Ok(())
}

fn deleted(store: &mut Store, id: &str, delete: bool, json: bool) -> anyhow::Result<()> {
    let id = store.resolve_id(id)?;
    let changed = store.set_deleted(id, delete)?;
    if json {
        print_json(&json!({"id": id.to_string(), "deleted": delete, "changed": changed}));
    } else {
        let word = if delete { "deleted" } else { "restored" };
        if changed {
            out!("{word} {id}");
        } else {
            out!("{id} was already {word}");
        }
    }
    Ok(())
}

fn quote_line(store: &mut Store, cmd: QuoteLine, json: bool) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let (quote, line) = match cmd {
        QuoteLine::Add { quote, fields } => {
            let q = store.resolve_id(&quote)?;
            let line = store.add_quote_line(q, &parse::line_values(&fields, now)?)?;
            (q, Some(line))
        }
        QuoteLine::Set {
            quote,
            line,
            fields,
        } => {
            let q = store.resolve_id(&quote)?;
            store.set_quote_line(q, &line, &parse::line_values(&fields, now)?)?;
            (q, None)
        }
        QuoteLine::Remove { quote, line } => {
            let q = store.resolve_id(&quote)?;
            store.remove_quote_line(q, &line)?;
            (q, None)
        }
    };
    if json {
        let mut r = json::record(&store.record(quote)?, Tail::Conflicts);
        if let Some(line) = &line {
            r.insert("line_id".into(), Json::String(line.clone()));
        }
        print_json(&Json::Object(r));
    } else {
        match line {
            Some(l) => render::line_added(&store.record(quote)?, &l),
            None => out!("updated {quote}"),
        }
    }
    Ok(())
}
