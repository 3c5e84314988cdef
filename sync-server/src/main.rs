//! The `fieldbook-server` binary: parses the command line, serves (with logging to stderr
//! and a clean stop on SIGTERM or ctrl-c) or runs an administrative command, and turns
//! errors into exit codes: 2 for bad input (with what to do), 1 for anything else. The only
//! place that uses `anyhow`; knows nothing of routes or SQL.

use anyhow::Context;
use clap::Parser;
use fieldbook_server::cli::{self, Cli, Command, ServeArgs};
use fieldbook_server::{AppState, DirLock, ServerError, Service, SqliteStorage, tls};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fieldbook-server: {e:#}");
            let bad_input = e
                .downcast_ref::<ServerError>()
                .is_some_and(|e| e.is_bad_input());
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => serve(&cli.data_dir, args),
        Command::Restore { from } => {
            let r = SqliteStorage::restore(&cli.data_dir, from)?;
            println!(
                "restored {} into {}: {} record(s), log at {}; the log's new identity is {}",
                from.display(),
                r.database.display(),
                r.records,
                r.log_head,
                r.log_id
            );
            println!(
                "devices notice at their next sync and send again what the backup lacks; nobody needs to sign in again"
            );
            if let Some(aside) = r.replaced {
                println!("the replaced database is kept in {}", aside.display());
            }
            Ok(())
        }
        command => {
            let storage = if command.creates_database() {
                SqliteStorage::open(&cli.data_dir)?
            } else {
                SqliteStorage::open_existing(&cli.data_dir)?
            };
            let service = Service::new(Arc::new(storage));
            let stdout = std::io::stdout();
            cli::run_admin(&service, command, &mut stdout.lock())?;
            Ok(())
        }
    }
}

fn serve(dir: &Path, args: &ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load_config(cert, key)?),
        _ => None,
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Held until the server stops: `restore` refuses while it is.
    let _lock = DirLock::acquire(dir, "serve it again")?;
    let ui_dir = match (&args.ui_dir, args.no_ui) {
        (_, true) => None,
        (Some(d), _) => {
            if !d.join("index.html").is_file() {
                anyhow::bail!(
                    "{} holds no index.html: build the front-end (`npm run build` in ui/) or name its dist directory",
                    d.display()
                );
            }
            Some(d.clone())
        }
        (None, false) => fieldbook_server::http_web::default_ui_dir(),
    };
    match &ui_dir {
        Some(d) => tracing::info!(ui = %d.display(), "serving the web page at /"),
        None => tracing::info!("no web page (no built front-end): the API only"),
    }
    let storage = Arc::new(SqliteStorage::open(dir)?);
    let state = AppState::with_service(Service::with_policy(storage, args.policy()), args.limits())
        .with_ui_dir(ui_dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        println!("listening on {scheme}://{addr}");
        tracing::info!(%addr, scheme, data_dir = %dir.display(), "serving");
        match tls {
            Some(config) => fieldbook_server::serve_tls(listener, config, state, stop()).await?,
            None => fieldbook_server::serve(listener, state, stop()).await?,
        }
        tracing::info!("stopped");
        Ok(())
    })
}

/// Completes at SIGTERM or ctrl-c.
async fn stop() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("stopping: finishing requests in flight");
}
