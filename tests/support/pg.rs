//! PostgreSQL databases for end-to-end tests: one per test, with a random name, on the
//! server `FIELDBOOK_TEST_DATABASE_URL` names (scripts/test.sh starts one), made and
//! dropped with Debian's `psql`. A test asking for one without that server fails and says
//! how to run it: it never passes without PostgreSQL.

use std::path::PathBuf;
use std::process::Command;

/// A database of a test's own, dropped (connections and all) when dropped.
pub struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    pub fn create() -> Database {
        let admin = match std::env::var("FIELDBOOK_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => panic!(
                "FIELDBOOK_TEST_DATABASE_URL is not set: this test needs a PostgreSQL server. \
                 Run the tests with scripts/test.sh, or start one for this shell with \
                 `source scripts/postgres.sh && pg_start` and run cargo test again"
            ),
        };
        let name = format!("fieldbook_e2e_{:016x}", rand_u64());
        if let Err(e) = psql(&admin, &format!("CREATE DATABASE {name}")) {
            panic!("cannot make a test database: {e}");
        }
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Database { admin, name, url }
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = psql(&self.admin, &sql) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// `psql` on the PATH, else the newest of Debian's `/usr/lib/postgresql/VERSION/bin`.
fn psql_bin() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("psql"))
            .find(|p| p.is_file())
    });
    on_path
        .or_else(|| {
            let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
                .ok()?
                .flatten()
                .filter_map(|e| {
                    let v = e.file_name().to_str()?.parse().ok()?;
                    let p = e.path().join("bin/psql");
                    p.is_file().then_some((v, p))
                })
                .collect();
            found.sort();
            found.pop().map(|(_, p)| p)
        })
        .expect("psql is missing: scripts/setup.sh installs Debian's postgresql")
}

fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new(psql_bin())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// One query's result as psql prints it unaligned (`-tA`), trimmed.
pub fn query(url: &str, sql: &str) -> String {
    let out = Command::new(psql_bin())
        .args([
            "-X",
            "-q",
            "-tA",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
