//! The `fieldbook-server` command line: its arguments (clap), where passwords come from,
//! and (in `run`) the administrative commands (users, teams, unlocking, reassignment,
//! deactivation, devices and revoking them, quarantine), run directly on the data directory's storage as the operator.
//!
//! Knows nothing of HTTP; `serve` itself is started by the binary's `main`.

mod quarantine;
mod run;

pub use run::run_admin;

use crate::error::{Result, ServerError};
use crate::guard::LoginPolicy;
use crate::http::Limits;
use clap::{Args, Parser, Subcommand, ValueEnum};
use fieldbook_core::protocol::Role;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

/// The environment variable a password may come from (scripts; tests).
pub const PASSWORD_ENV: &str = "FIELDBOOK_PASSWORD";

#[derive(Debug, Parser)]
#[command(
    name = "fieldbook-server",
    version,
    about = "Fieldbook's sync server, and the commands that administer its data directory"
)]
pub struct Cli {
    /// The server's data directory (its database is DIR/server.db), when it keeps its data
    /// in SQLite (the default).
    #[arg(long, env = "FIELDBOOK_SERVER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// A PostgreSQL database to keep the data in instead (postgres://USER[:PASSWORD]@HOST
    /// [:PORT]/DATABASE): several instances may serve the same one.
    #[arg(
        long,
        env = "FIELDBOOK_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the sync API until SIGTERM or ctrl-c.
    Serve(ServeArgs),
    /// Adds, changes and lists users.
    #[command(subcommand)]
    User(UserCommand),
    /// Adds and lists teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Moves accounts, with all their records, from one user to another.
    Reassign {
        #[arg(long, value_name = "NAME")]
        from: String,
        #[arg(long, value_name = "NAME")]
        to: String,
        /// Only these accounts (repeat the option); all of FROM's records if none.
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<Uuid>,
        #[arg(long)]
        json: bool,
    },
    /// Deactivates a user: their records go to the successor, their devices hand over and wipe.
    Deactivate {
        name: String,
        #[arg(long, value_name = "NAME")]
        successor: String,
        /// Only say what would move (per kind) and which of their devices hold unsynced
        /// changes; change nothing.
        #[arg(long)]
        preview: bool,
        #[arg(long)]
        json: bool,
    },
    /// Lists devices: last sync, changes held at last contact, whether wiped.
    Devices {
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Revokes a device's token (`devices` lists them): it is refused from now on and
    /// its user signs in again on it.
    Revoke {
        device: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Reviews refused changes: list, show, apply or discard them.
    #[command(subcommand)]
    Quarantine(QuarantineCommand),
    /// Writes a consistent copy of the server's data to a new file (safe while serving),
    /// and says how to restore it.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replaces the server's data with a backup (refused while the directory is served).
    /// The log gets a new identity: every device notices at its next sync and sends again
    /// what the backup lacks. The replaced database is kept in DIR/replaced-TIME/.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Moves the data directory's SQLite data into an empty PostgreSQL database (refused
    /// while the directory is served). Log positions and the log's identity move as they
    /// are: devices carry on from where they were, with nothing sent again. Then serve with
    /// --database URL.
    Migrate {
        /// The PostgreSQL database to fill (postgres://...); it must hold no Fieldbook data.
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

/// Where the server's data is.
#[derive(Clone, Debug)]
pub enum Place {
    /// SQLite in a data directory.
    Dir(PathBuf),
    /// A PostgreSQL database (its URL).
    Postgres(String),
}

impl Cli {
    /// Where the data is: `--database` when given, else `--data-dir`.
    pub fn place(&self) -> Result<Place> {
        match (&self.database, &self.data_dir) {
            (Some(url), _) if crate::storage::postgres::is_url(url) => {
                Ok(Place::Postgres(url.clone()))
            }
            (Some(url), _) => Err(ServerError::BadRequest(format!(
                "--database `{}` is not a PostgreSQL URL: write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or use --data-dir DIR for SQLite",
                crate::storage::postgres::redact(url)
            ))),
            (None, Some(dir)) => Ok(Place::Dir(dir.clone())),
            (None, None) => Err(ServerError::BadRequest(
                "say where the server's data is: --data-dir DIR (SQLite; or FIELDBOOK_SERVER_DATA_DIR) or --database postgres://... (or FIELDBOOK_DATABASE_URL)".into(),
            )),
        }
    }
}

impl Command {
    /// Whether the command may make a new database (the others refuse a directory
    /// without one: a mistyped --data-dir must not leave an empty database behind).
    pub fn creates_database(&self) -> bool {
        matches!(
            self,
            Command::Serve(_) | Command::User(UserCommand::Add { .. })
        )
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:7070", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// PEM certificate chain: serve HTTPS (needs --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of the certificate.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The built front-end to serve at `/` (the manager's web page; `npm run build` in
    /// `ui/` makes `ui/dist`, the default when it exists).
    #[arg(long, value_name = "DIR")]
    pub ui_dir: Option<PathBuf>,
    /// Serve no web page, only the API.
    #[arg(long, conflicts_with = "ui_dir")]
    pub no_ui: bool,
    /// How long a device's token lives from sign-in: a number with s, m, h or d (`90d`),
    /// or `never`.
    #[arg(long, default_value = "90d", value_name = "TIME", value_parser = parse_lifetime)]
    pub token_ttl: Lifetime,
    /// Failed sign-ins in a row that lock a user until an admin unlocks them (0: never).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub lock_after: u32,
    /// Seconds a request's head may take to arrive (an idle connection is closed after it).
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    pub header_timeout: u64,
    /// Bytes per second (KiB) a request body must arrive at, on average after its first
    /// 10 s; slower ones are answered 408.
    #[arg(long, default_value_t = 16, value_name = "KIB")]
    pub body_min_rate: u64,
    /// Requests one device token may have running at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub requests_per_token: usize,
    /// Connections one client address may hold open at once.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub connections_per_address: usize,
    /// A reverse proxy (its address) whose `x-forwarded-for` names the client, for the
    /// sign-in limits and the log (repeat for several).
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl ServeArgs {
    /// The sign-in policy these arguments ask for.
    pub fn policy(&self) -> LoginPolicy {
        LoginPolicy {
            lock_after: self.lock_after,
            token_ttl: self.token_ttl.0,
            ..LoginPolicy::default()
        }
    }

    /// The limits on clients these arguments ask for.
    pub fn limits(&self) -> Limits {
        Limits {
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            body_min_rate: self.body_min_rate.max(1) * 1024,
            requests_per_token: self.requests_per_token.max(1),
            connections_per_address: self.connections_per_address.max(1),
            trusted_proxies: self.trusted_proxies.clone(),
            ..Limits::default()
        }
    }
}

/// A token lifetime (`None`: tokens do not expire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime(pub Option<Duration>);

/// Parses `90d`, `12h`, `30m`, `45s` or `never`.
pub fn parse_lifetime(s: &str) -> std::result::Result<Lifetime, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("never") {
        return Ok(Lifetime(None));
    }
    let bad = || {
        format!("`{s}` is not a lifetime: write a number with s, m, h or d (e.g. 90d), or `never`")
    };
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => return Err(bad()),
    };
    if secs == 0 {
        return Err(format!(
            "a token lifetime of {s} would refuse every token: give more, or `never`"
        ));
    }
    Ok(Lifetime(Some(Duration::from_secs(secs))))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Rep,
    Manager,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Rep => Role::Rep,
            RoleArg::Manager => Role::Manager,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user. The password comes from --password-stdin, FIELDBOOK_PASSWORD, or a prompt.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The team the user is in (a manager joining a team without one manages it).
        #[arg(long)]
        team: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Changes a user's role, team or password.
    Set {
        name: String,
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        #[arg(long, conflicts_with = "no_team")]
        team: Option<String>,
        /// Take the user out of their team.
        #[arg(long)]
        no_team: bool,
        /// Set a new password, read from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Lets a user whose sign-in was locked after failed attempts sign in again.
    Unlock {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Adds a team managed by a manager.
    Add {
        team: String,
        #[arg(long, value_name = "NAME")]
        manager: String,
    },
    /// Gives a team another manager (before its manager leaves, for instance).
    Set {
        team: String,
        #[arg(long, value_name = "NAME")]
        manager: String,
    },
    /// Lists teams with their managers and members.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuarantineCommand {
    /// Lists refused changes waiting for a decision, oldest first.
    List {
        /// Decided ones too (applied, discarded).
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Shows one refused change: who signed it, when, why it was refused, what it writes.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Applies a refused change: today's checks run again, except the access rule that
    /// refused it (the author must still be the user who pushed it).
    Apply {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Discards a refused change for good (the entry stays, with who discarded it).
    Discard {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

/// Where a password is read from.
pub enum PasswordSource {
    /// The first line of standard input.
    Stdin,
    /// `FIELDBOOK_PASSWORD`, else a prompt on the terminal.
    EnvOrPrompt,
}

/// Reads a password for `user`.
pub fn read_password(user: &str, source: PasswordSource) -> Result<String> {
    if let PasswordSource::EnvOrPrompt = source
        && let Ok(p) = std::env::var(PASSWORD_ENV)
    {
        return Ok(p);
    }
    if let PasswordSource::EnvOrPrompt = source {
        eprint!("password for {user}: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(ServerError::io("standard input"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(ServerError::BadRequest(format!(
            "no password given for {user}: pipe it in with --password-stdin or set {PASSWORD_ENV}"
        )));
    }
    Ok(password)
}
