//! # fieldbook-cli
//!
//! The `fieldbook` command: arguments parsed into the client library's typed API, and its
//! typed results printed for people or as exactly one JSON document (`--json`). Errors
//! become a message on stderr (the library's words plus the command's hints) and an exit
//! code: 2 for bad input, 1 for anything else. Knows nothing of SQL or HTTP.
//!
//! Layout: `run` (arguments and dispatch), `parse` (text → typed values), `json` (the
//! record contract's JSON), `render` (output for people), `errors` (messages and hints).

/// Like `println!`, but a closed stdout (`fieldbook list ... | head`) is not a crash.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

mod errors;
mod json;
mod parse;
mod render;
mod report;
mod run;

fn main() -> std::process::ExitCode {
    run::main()
}
