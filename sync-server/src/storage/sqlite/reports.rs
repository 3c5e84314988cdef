//! The report projection in SQL (`report_rows`, schema 5): each stored record's
//! [`ReportRow`] written with its document, moved with its owner, filled for older data
//! right after the migration, and read back as report rows by kind and owner.
//! Knows nothing of who may see what or of what the figures mean.

use super::repo::{SqliteRepo, parse_kind, parse_uuid};
use crate::error::Result;
use crate::reporting::ReportRow;
use crate::storage::ReportRepo;
use fieldbook_core::Kind;
use fieldbook_core::report::{
    Account, Activities, Activity, Book, Case, Deal, Deals, Lead, Needs, or_default,
};
use fieldbook_core::value::{format_date, parse_date};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, params, params_from_iter};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

/// Stores the row of record `row.id` (owned by `owner`), replacing the one before.
pub(super) fn put_row(conn: &Connection, row: &ReportRow, owner: &str) -> Result<()> {
    let d = |d: Option<Date>| d.map(format_date);
    let id = row.id.to_string();
    // The key holds the owner: a row whose owner changed is replaced, not updated.
    conn.prepare_cached("DELETE FROM report_rows WHERE id = ?1")?
        .execute([&id])?;
    conn.prepare_cached(
        "INSERT INTO report_rows (kind, owner, id, account_id, created, name, stage, amount,
           currency, probability, close_date, activity_kind, at, opportunity_id, source,
           status, assignee, priority, due, resolved)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
           ?18, ?19, ?20)",
    )?
    .execute(params![
        row.kind.as_str(),
        owner,
        id,
        row.account_id.map(|a| a.to_string()),
        format_date(row.created),
        row.name,
        row.stage,
        row.amount.map(|a| a.to_string()),
        row.currency,
        row.probability,
        d(row.close_date),
        row.activity_kind,
        d(row.at),
        row.opportunity_id.map(|o| o.to_string()),
        row.source,
        row.status,
        row.assignee,
        row.priority,
        d(row.due),
        d(row.resolved),
    ])?;
    Ok(())
}

/// Removes the row of a record (deleted, or never reported).
pub(super) fn remove_row(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM report_rows WHERE id = ?1")?
        .execute([id.to_string()])?;
    Ok(())
}

/// Gives the row of a record to another owner.
pub(super) fn move_row(conn: &Connection, id: Uuid, owner: &str) -> Result<()> {
    conn.prepare_cached("UPDATE report_rows SET owner = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), owner])?;
    Ok(())
}

/// Fills the projection from every stored record's projection (run once, right after the
/// migration that made the table, in its transaction). Returns how many rows it wrote.
pub(super) fn backfill(conn: &Connection) -> Result<u64> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, owner, record FROM docs
         WHERE owner IS NOT NULL AND kind IN ('account', 'opportunity', 'activity', 'lead', 'case')",
    )?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let (id, kind, owner, record): (String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        if let Some(row) =
            ReportRow::from_projection_text(parse_uuid(&id)?, parse_kind(&kind)?, &record)
        {
            put_row(conn, &row, &owner)?;
            n += 1;
        }
    }
    Ok(n)
}

/// A text column, borrowed (reports read hundreds of thousands of rows: no copies of
/// what is only parsed).
fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    })
}

fn day(r: &Row, i: usize) -> rusqlite::Result<Option<Date>> {
    Ok(text(r, i)?.and_then(parse_date))
}

fn uuid(r: &Row, i: usize) -> rusqlite::Result<Option<Uuid>> {
    Ok(text(r, i)?.and_then(|s| Uuid::try_parse(s).ok()))
}

fn decimal(r: &Row, i: usize) -> rusqlite::Result<Option<Decimal>> {
    Ok(text(r, i)?.and_then(|s| Decimal::from_str(s).ok()))
}

/// ` AND owner IN (?, ...)` and its values (an empty list matches nothing).
fn owner_clause(owners: Option<&[String]>) -> (String, Vec<String>) {
    match owners {
        None => (String::new(), Vec::new()),
        Some([]) => (" AND 0".into(), Vec::new()),
        Some(o) => (
            format!(" AND owner IN ({})", vec!["?"; o.len()].join(", ")),
            o.to_vec(),
        ),
    }
}

impl ReportRepo for SqliteRepo<'_> {
    fn report_book(&mut self, needs: &Needs, owners: Option<&[String]>) -> Result<Book> {
        let conn = self.conn;
        let (by_owner, values) = owner_clause(owners);
        let mut book = Book::default();
        let stages = match needs.deals {
            Deals::None => None,
            Deals::Open => Some(" AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')"),
            Deals::Closed => Some(" AND stage IN ('won', 'lost')"),
            Deals::All => Some(""),
        };
        if let Some(stages) = stages {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, account_id, name, owner, stage, amount, currency, probability,
                        close_date, created
                 FROM report_rows WHERE kind = 'opportunity'{stages}{by_owner}"
            ))?;
            let mut rows = stmt.query(params_from_iter(&values))?;
            while let Some(r) = rows.next()? {
                let (Some(id), Some(account_id), Some(created)) =
                    (uuid(r, 0)?, uuid(r, 1)?, day(r, 9)?)
                else {
                    continue;
                };
                book.deals.push(Deal {
                    id,
                    account_id,
                    name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    owner: r.get(3)?,
                    stage: r
                        .get::<_, Option<String>>(4)?
                        .unwrap_or_else(|| "lead".into()),
                    amount: decimal(r, 5)?,
                    currency: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    probability: r.get::<_, Option<i64>>(7)?.unwrap_or(0),
                    close_date: day(r, 8)?,
                    created,
                });
            }
        }
        if needs.accounts {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, name, owner, created FROM report_rows WHERE kind = 'account'{by_owner}"
            ))?;
            let mut rows = stmt.query(params_from_iter(&values))?;
            while let Some(r) = rows.next()? {
                let (Some(id), Some(created)) = (uuid(r, 0)?, day(r, 3)?) else {
                    continue;
                };
                book.accounts.push(Account {
                    id,
                    name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    owner: r.get(2)?,
                    created,
                });
            }
        }
        let activities = match needs.activities {
            Activities::None => None,
            // One row per owner, kind and day (`report_rows_week` covers it).
            Activities::All => Some(format!(
                "SELECT owner, activity_kind, at, NULL, NULL, count(*) FROM report_rows
                 WHERE kind = 'activity' AND at IS NOT NULL{by_owner}
                 GROUP BY owner, activity_kind, at"
            )),
            // Deals and accounts are judged by activity on them, whoever logged it; an
            // activity has its account's owner, so the owners' activities are all of them
            // (`report_rows_latest` covers it).
            Activities::Latest => Some(format!(
                "SELECT '', '', max(at), account_id, opportunity_id, 1 FROM report_rows
                 WHERE kind = 'activity' AND at IS NOT NULL{by_owner}
                 GROUP BY owner, account_id, opportunity_id"
            )),
        };
        if let Some(sql) = activities {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(&values))?;
            let grouped = needs.activities == Activities::All;
            while let Some(r) = rows.next()? {
                let account = uuid(r, 3)?.or(grouped.then_some(Uuid::nil()));
                let (Some(on), Some(account_id)) = (day(r, 2)?, account) else {
                    continue;
                };
                book.activities.push(Activity {
                    owner: r.get(0)?,
                    kind: r
                        .get::<_, Option<String>>(1)?
                        .unwrap_or_else(|| "note".into()),
                    on,
                    account_id,
                    opportunity_id: uuid(r, 4)?,
                    count: r.get::<_, i64>(5)?.max(0) as u64,
                });
            }
        }
        if needs.leads {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, owner, source, status, created, opportunity_id FROM report_rows
                 WHERE kind = 'lead'{by_owner}"
            ))?;
            let mut rows = stmt.query(params_from_iter(&values))?;
            while let Some(r) = rows.next()? {
                let (Some(id), Some(created)) = (uuid(r, 0)?, day(r, 4)?) else {
                    continue;
                };
                book.leads.push(Lead {
                    id,
                    owner: r.get(1)?,
                    source: r.get(2)?,
                    status: or_default(Kind::Lead, "status", r.get(3)?),
                    created,
                    opportunity_id: uuid(r, 5)?,
                });
            }
        }
        if needs.cases {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, account_id, name, owner, assignee, priority, status, due, created,
                        resolved
                 FROM report_rows WHERE kind = 'case'{by_owner}"
            ))?;
            let mut rows = stmt.query(params_from_iter(&values))?;
            while let Some(r) = rows.next()? {
                let (Some(id), Some(account_id), Some(created)) =
                    (uuid(r, 0)?, uuid(r, 1)?, day(r, 8)?)
                else {
                    continue;
                };
                book.cases.push(Case {
                    id,
                    account_id,
                    subject: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    owner: r.get(3)?,
                    assignee: r.get(4)?,
                    priority: or_default(Kind::Case, "priority", r.get(5)?),
                    status: or_default(Kind::Case, "status", r.get(6)?),
                    due: day(r, 7)?,
                    created,
                    resolved: day(r, 9)?,
                });
            }
        }
        Ok(book)
    }
}
