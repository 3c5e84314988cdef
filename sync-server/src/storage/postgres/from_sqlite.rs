//! `fieldbook-server migrate --to postgres://...`: a SQLite data directory's data copied
//! into an empty PostgreSQL database, table by table in one transaction, rows as they are:
//! log positions (so devices' cursors stay valid), the log's identity (so no device
//! reconciles), quarantine ids, password hashes and tokens (nobody signs in again).
//!
//! Knows the SQLite schema (the newest: the directory is upgraded first) and PostgreSQL's,
//! nothing of what the rows mean.

use super::PgStorage;
use super::conn::wait;
use crate::error::{Result, ServerError};
use crate::storage::{DirLock, SqliteStorage};
use rusqlite::types::ValueRef;
use std::path::Path;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// Rows copied per statement.
const BATCH: usize = 2000;

/// The column types a copy converts between.
#[derive(Clone, Copy)]
enum Ty {
    Text,
    Uuid,
    Int,
    Bool,
    Bytes,
}

/// One table: what to read from SQLite, where to write it, and each column's type.
struct Table {
    name: &'static str,
    select: &'static str,
    insert: &'static str,
    types: &'static [Ty],
}

use Ty::{Bool, Bytes, Int, Text};
const UUID: Ty = Ty::Uuid;

const TABLES: &[Table] = &[
    Table {
        name: "users",
        select: "SELECT name, role, team, password_hash, active, created_at, failed_logins,
                 last_failed_login, locked_at FROM users",
        insert: "users (name, role, team, password_hash, active, created_at, failed_logins,
                 last_failed_login, locked_at)",
        types: &[Text, Text, Text, Text, Bool, Text, Int, Text, Text],
    },
    Table {
        name: "teams",
        select: "SELECT name, manager, created_at FROM teams",
        insert: "teams (name, manager, created_at)",
        types: &[Text, Text, Text],
    },
    Table {
        name: "devices",
        select: "SELECT id, user, name, created_at, last_sync, pending, wiped, pulled FROM devices",
        insert: "devices (id, user_name, name, created_at, last_sync, pending, wiped, pulled)",
        types: &[UUID, Text, Text, Text, Text, Int, Bool, Int],
    },
    Table {
        name: "tokens",
        select: "SELECT hash, user, device_id, created_at, state, expires_at FROM tokens",
        insert: "tokens (hash, user_name, device_id, created_at, state, expires_at)",
        types: &[Text, Text, UUID, Text, Text, Text],
    },
    Table {
        name: "docs",
        select: "SELECT id, kind, owner, account_id, data, record, conflicts FROM docs",
        insert: "docs (id, kind, owner, account_id, data, record, conflicts)",
        types: &[UUID, Text, Text, UUID, Bytes, Text, Int],
    },
    Table {
        name: "log",
        select: "SELECT seq, doc_id, event, hash, bytes, owner, old_owner, grantee, at, device_id
                 FROM log ORDER BY seq",
        insert: "log (seq, doc_id, event, hash, bytes, owner, old_owner, grantee, at, device_id)",
        types: &[Int, UUID, Text, Text, Bytes, Text, Text, Text, Text, UUID],
    },
    Table {
        name: "quarantine",
        select: "SELECT id, at, user, device_id, doc_id, kind, hash, reason, bytes, cause, state,
                 decided_by, decided_at FROM quarantine ORDER BY id",
        insert: "quarantine (id, at, user_name, device_id, doc_id, kind, hash, reason, bytes,
                 cause, state, decided_by, decided_at) OVERRIDING SYSTEM VALUE",
        types: &[
            Int, Text, Text, UUID, UUID, Text, Text, Text, Bytes, Text, Text, Text, Text,
        ],
    },
    Table {
        name: "assignments",
        select: "SELECT case_id, assignee, account_id FROM assignments",
        insert: "assignments (case_id, assignee, account_id)",
        types: &[UUID, Text, UUID],
    },
    Table {
        name: "report_rows",
        select: "SELECT kind, owner, id, account_id, created, name, stage, amount, currency,
                 probability, close_date, activity_kind, at, opportunity_id, source, status,
                 assignee, priority, due, resolved FROM report_rows",
        insert: "report_rows (kind, owner, id, account_id, created, name, stage, amount,
                 currency, probability, close_date, activity_kind, at, opportunity_id, source,
                 status, assignee, priority, due, resolved)",
        types: &[
            Text, Text, UUID, UUID, Text, Text, Text, Text, Text, Int, Text, Text, Text, UUID,
            Text, Text, Text, Text, Text, Text,
        ],
    },
];

/// A column of a batch.
enum Col {
    Text(Vec<Option<String>>),
    Uuid(Vec<Option<Uuid>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Bytes(Vec<Option<Vec<u8>>>),
}

impl Col {
    fn new(ty: Ty) -> Col {
        match ty {
            Ty::Text => Col::Text(Vec::new()),
            Ty::Uuid => Col::Uuid(Vec::new()),
            Ty::Int => Col::Int(Vec::new()),
            Ty::Bool => Col::Bool(Vec::new()),
            Ty::Bytes => Col::Bytes(Vec::new()),
        }
    }

    fn cast(&self) -> &'static str {
        match self {
            Col::Text(_) => "text[]",
            Col::Uuid(_) => "uuid[]",
            Col::Int(_) => "bigint[]",
            Col::Bool(_) => "boolean[]",
            Col::Bytes(_) => "bytea[]",
        }
    }

    fn param(&self) -> &(dyn ToSql + Sync) {
        match self {
            Col::Text(v) => v,
            Col::Uuid(v) => v,
            Col::Int(v) => v,
            Col::Bool(v) => v,
            Col::Bytes(v) => v,
        }
    }

    fn push(&mut self, v: ValueRef<'_>, table: &str) -> Result<()> {
        let damaged = |what: &str| ServerError::Damaged(format!("{table}: {what}"));
        let text = |v: ValueRef<'_>| -> Result<Option<String>> {
            match v {
                ValueRef::Null => Ok(None),
                ValueRef::Text(t) => Ok(Some(
                    std::str::from_utf8(t)
                        .map_err(|_| damaged("text that is not UTF-8"))?
                        .to_string(),
                )),
                ValueRef::Integer(i) => Ok(Some(i.to_string())),
                ValueRef::Real(r) => Ok(Some(r.to_string())),
                ValueRef::Blob(_) => Err(damaged("bytes where text belongs")),
            }
        };
        match self {
            Col::Text(c) => c.push(text(v)?),
            Col::Uuid(c) => c.push(
                text(v)?
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        Uuid::parse_str(&s).map_err(|_| damaged(&format!("`{s}` is not an id")))
                    })
                    .transpose()?,
            ),
            Col::Int(c) => c.push(match v {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i),
                _ => return Err(damaged("a number that is not an integer")),
            }),
            Col::Bool(c) => c.push(match v {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i != 0),
                _ => return Err(damaged("a flag that is not 0 or 1")),
            }),
            Col::Bytes(c) => c.push(match v {
                ValueRef::Null => None,
                ValueRef::Blob(b) => Some(b.to_vec()),
                ValueRef::Text(t) => Some(t.to_vec()),
                _ => return Err(damaged("a number where bytes belong")),
            }),
        }
        Ok(())
    }
}

/// What a move copied, per table, and the log's identity.
#[derive(Clone, Debug)]
pub struct Moved {
    pub tables: Vec<(&'static str, u64)>,
    pub log_head: u64,
    pub log_id: Uuid,
}

/// Copies the SQLite data of `dir` into the empty PostgreSQL database `url`.
pub fn from_sqlite(dir: &Path, url: &str) -> Result<Moved> {
    // Upgrades the directory's schema first (and refuses a directory without a database).
    drop(SqliteStorage::open_existing(dir)?);
    let _lock = DirLock::acquire(dir, "move its data")?;
    let source = rusqlite::Connection::open_with_flags(
        dir.join("server.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let target = PgStorage::open(url)?;
    let client = target.conns.get()?;
    let held: i64 = wait(client.query_one(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM docs) + (SELECT count(*) FROM log)",
        &[],
    ))?
    .get(0);
    if held > 0 {
        return Err(ServerError::Conflict(format!(
            "the database {} holds Fieldbook data already: name an empty database (CREATE DATABASE ...)",
            target.name()
        )));
    }
    let sqlite = source.unchecked_transaction()?;
    wait(client.batch_execute("BEGIN ISOLATION LEVEL SERIALIZABLE"))?;
    let out = copy(&sqlite, &client);
    match out {
        Ok(moved) => {
            wait(client.batch_execute("COMMIT"))?;
            Ok(moved)
        }
        Err(e) => {
            let _ = wait(client.batch_execute("ROLLBACK"));
            Err(e)
        }
    }
}

fn copy(sqlite: &rusqlite::Connection, client: &deadpool_postgres::Object) -> Result<Moved> {
    let mut tables = Vec::new();
    for t in TABLES {
        let mut stmt = sqlite.prepare(t.select)?;
        let mut rows = stmt.query([])?;
        let mut cols: Vec<Col> = t.types.iter().map(|ty| Col::new(*ty)).collect();
        let (mut n, mut in_batch) = (0u64, 0usize);
        while let Some(r) = rows.next()? {
            for (i, col) in cols.iter_mut().enumerate() {
                col.push(r.get_ref(i)?, t.name)?;
            }
            n += 1;
            in_batch += 1;
            if in_batch == BATCH {
                insert(client, t, &cols)?;
                cols = t.types.iter().map(|ty| Col::new(*ty)).collect();
                in_batch = 0;
            }
        }
        if in_batch > 0 {
            insert(client, t, &cols)?;
        }
        tables.push((t.name, n));
    }
    // Successors refer to users: set once every user is there.
    let mut stmt =
        sqlite.prepare("SELECT name, successor FROM users WHERE successor IS NOT NULL")?;
    let pairs: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, successor) in &pairs {
        wait(client.execute(
            "UPDATE users SET successor = $2 WHERE name = $1",
            &[name, successor],
        ))?;
    }
    let log_id: String =
        sqlite.query_row("SELECT value FROM identity WHERE key = 'log_id'", [], |r| {
            r.get(0)
        })?;
    let log_id =
        Uuid::parse_str(&log_id).map_err(|_| ServerError::Damaged(format!("log id `{log_id}`")))?;
    wait(client.execute(
        "UPDATE identity SET value = $1 WHERE key = 'log_id'",
        &[&log_id.to_string()],
    ))?;
    wait(client.batch_execute(
        "SELECT setval(pg_get_serial_sequence('quarantine', 'id'),
                       coalesce((SELECT max(id) FROM quarantine), 0) + 1, false)",
    ))?;
    let log_head: i64 =
        wait(client.query_one("SELECT coalesce(max(seq), 0) FROM log", &[]))?.get(0);
    Ok(Moved {
        tables,
        log_head: log_head.max(0) as u64,
        log_id,
    })
}

fn insert(client: &deadpool_postgres::Object, t: &Table, cols: &[Col]) -> Result<()> {
    let unnest: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}", i + 1, c.cast()))
        .collect();
    let sql = format!(
        "INSERT INTO {} SELECT * FROM unnest({})",
        t.insert,
        unnest.join(", ")
    );
    let params: Vec<&(dyn ToSql + Sync)> = cols.iter().map(Col::param).collect();
    wait(client.execute(&sql, &params))?;
    Ok(())
}
