//! Throwaway databases for tests: [`ScratchDatabase`] makes a database with a random name
//! on the server that [`test_admin_url`] names (`FIELDBOOK_TEST_DATABASE_URL`, set by
//! `scripts/test.sh`) and drops it when dropped, so tests run in parallel, each on its own.

use super::conn::{Conns, redact, wait};
use crate::error::{Result, ServerError};

/// The variable naming the PostgreSQL server tests use (a URL to a database the user may
/// create databases from, e.g. `postgres://postgres@127.0.0.1:PORT/postgres`).
pub const TEST_URL_ENV: &str = "FIELDBOOK_TEST_DATABASE_URL";

/// The PostgreSQL server tests run against. Panics, saying how to get one, when it is not
/// set: a PostgreSQL test must not pass without PostgreSQL.
pub fn test_admin_url() -> String {
    match std::env::var(TEST_URL_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{TEST_URL_ENV} is not set: this test needs a PostgreSQL server. Run the tests with \
             scripts/test.sh, or start one for this shell with \
             `source scripts/postgres.sh && pg_start` (Debian's postgresql; scripts/setup.sh \
             installs it) and run cargo test again"
        ),
    }
}

/// A database of its own, dropped (with any connection still open to it) when dropped.
pub struct ScratchDatabase {
    admin: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// A new, empty database on the server `admin_url` names.
    pub fn create(admin_url: &str) -> Result<ScratchDatabase> {
        let name = format!("fieldbook_test_{}", uuid::Uuid::new_v4().simple());
        admin(admin_url, &format!("CREATE DATABASE {name}"))?;
        let url = with_database(admin_url, &name)?;
        Ok(ScratchDatabase {
            admin: admin_url.to_string(),
            name,
            url,
        })
    }

    /// A new database on the tests' server ([`test_admin_url`]).
    pub fn for_test() -> ScratchDatabase {
        ScratchDatabase::create(&test_admin_url())
            .unwrap_or_else(|e| panic!("cannot make a test database: {e}"))
    }

    /// Its URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = admin(&self.admin, &sql) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// Runs one statement on its own connection to `url`.
fn admin(url: &str, sql: &str) -> Result<()> {
    let conns = Conns::new(url, 1)?;
    let client = conns.connect().map_err(|e| {
        ServerError::Storage(format!("cannot reach PostgreSQL at {}: {e}", redact(url)).into())
    })?;
    wait(client.batch_execute(sql))?;
    Ok(())
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let rest = base.split_once("://").map(|(_, r)| r).unwrap_or(base);
    let out = match rest.find('/') {
        Some(i) => format!("{}/{name}", &base[..base.len() - rest.len() + i]),
        None => format!("{base}/{name}"),
    };
    Ok(match query {
        Some(q) => format!("{out}?{q}"),
        None => out,
    })
}
