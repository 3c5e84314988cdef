//! The `fieldbook` command: a thin `main` over [`fieldbook_client::cli`].

fn main() -> std::process::ExitCode {
    fieldbook_client::cli::main()
}
