//! The `fieldbook-server` binary: parses the command line, serves (with logging to stderr
//! and a clean stop on SIGTERM or ctrl-c) or runs an administrative command, and turns
//! errors into exit codes: 2 for bad input (with what to do), 1 for anything else. The only
//! place that uses `anyhow`; knows nothing of routes or SQL.

use anyhow::Context;
use clap::Parser;
use fieldbook_server::cli::{self, Cli, Command, Place, ServeArgs};
use fieldbook_server::storage::postgres::{self, redact};
use fieldbook_server::{
    AppState, DirLock, PgStorage, ServerError, Service, SqliteStorage, Storage, tls,
};
use std::io::IsTerminal;
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
    let place = cli.place()?;
    match (&cli.command, &place) {
        (Command::Serve(args), _) => serve(&place, args),
        (Command::Restore { from }, Place::Dir(dir)) => {
            let r = SqliteStorage::restore(dir, from)?;
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
        (Command::Restore { from }, Place::Postgres(url)) => {
            let r = postgres::restore(url, from)?;
            println!(
                "restored {} into {}: {} record(s), log at {}; the log's new identity is {}",
                from.display(),
                redact(url),
                r.records,
                r.log_head,
                r.log_id
            );
            println!(
                "devices notice at their next sync and send again what the backup lacks; nobody needs to sign in again"
            );
            Ok(())
        }
        (Command::Migrate { to }, Place::Dir(dir)) => {
            if !postgres::is_url(to) {
                return Err(ServerError::BadRequest(format!(
                    "--to `{}` is not a PostgreSQL URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
                    redact(to)
                ))
                .into());
            }
            let moved = postgres::from_sqlite(dir, to)?;
            for (table, n) in &moved.tables {
                println!("{table}: {n} row(s)");
            }
            println!(
                "moved {} into {}: log at {}, its identity {} kept (devices carry on from where they were)",
                dir.display(),
                redact(to),
                moved.log_head,
                moved.log_id
            );
            println!(
                "serve it with `fieldbook-server --database {} serve` (or FIELDBOOK_DATABASE_URL); {} is left as it was",
                redact(to),
                dir.display()
            );
            Ok(())
        }
        (Command::Migrate { .. }, Place::Postgres(_)) => Err(ServerError::BadRequest(
            "`migrate --to URL` moves a SQLite data directory: give --data-dir DIR, not --database"
                .into(),
        )
        .into()),
        (command, place) => {
            let storage = open(place, command.creates_database())?;
            let service = Service::new(storage);
            let stdout = std::io::stdout();
            cli::run_admin(&service, command, &mut stdout.lock())?;
            Ok(())
        }
    }
}

/// The storage at `place`, made when missing if `create`.
fn open(place: &Place, create: bool) -> fieldbook_server::Result<Arc<dyn Storage>> {
    Ok(match (place, create) {
        (Place::Dir(dir), true) => Arc::new(SqliteStorage::open(dir)?),
        (Place::Dir(dir), false) => Arc::new(SqliteStorage::open_existing(dir)?),
        (Place::Postgres(url), true) => Arc::new(PgStorage::open(url)?),
        (Place::Postgres(url), false) => Arc::new(PgStorage::open_existing(url)?),
    })
}

fn serve(place: &Place, args: &ServeArgs) -> anyhow::Result<()> {
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
    // Held until the server stops: `restore` and `migrate` refuse while it is. A
    // PostgreSQL database is served by as many instances as wanted.
    let _lock = match place {
        Place::Dir(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Some(DirLock::acquire(dir, "serve it again")?)
        }
        Place::Postgres(_) => None,
    };
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
    let storage = open(place, true)?;
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
        let data = match place {
            Place::Dir(dir) => dir.display().to_string(),
            Place::Postgres(url) => redact(url),
        };
        tracing::info!(%addr, scheme, data, "serving");
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
