//! # fieldbook-cli
//!
//! The `fieldbook` command: arguments parsed into the client library's typed API, and its
//! typed results printed for people or as exactly one JSON document (`--json`). Errors
//! become a message on stderr (the library's words plus the command's hints) and an exit
//! code: 2 for bad input, 1 for anything else. Knows nothing of SQL or HTTP.
//!
//! Layout: `run` (arguments and dispatch), `remote` (the commands about the server: login,
//! sync, status, logout, reset, reassign), `import` (spreadsheets in), `export` (JSON, CSV,
//! XLSX, Automerge files out), `merge` (duplicates and merging them), `parse` (text →
//! typed values), `json` (the record contract's JSON), `render` (output for people),
//! `errors` (messages and hints), `clean` (no control character reaches a terminal raw), `secret` (passphrases
//! of encrypted stores).

/// Like `println!`, but a closed stdout (`fieldbook list ... | head`) is not a crash, and no
/// control character reaches the terminal raw (`clean`).
macro_rules! out {
    () => {
        out!("")
    };
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($t)*);
        let _ = writeln!(std::io::stdout().lock(), "{}", crate::clean::terminal(&line));
    }};
}

mod clean;
mod columns;
mod devices;
mod errors;
mod export;
mod followup;
mod import;
mod json;
mod merge;
mod parse;
mod quarantine;
mod remote;
mod render;
mod report;
mod run;
mod secret;
mod team;

fn main() -> std::process::ExitCode {
    run::main()
}
