//! The rows the managers' reports are computed from ([`fieldbook_core::report::Book`]),
//! read from the projections — never by loading documents — and only what the report
//! asked for: open or closed deals, accounts, activities whole or only the latest day per
//! account and per deal, leads, cases. The figures themselves are `core::report`'s.

use super::Store;
use crate::error::Result;
use fieldbook_core::Kind;
use fieldbook_core::report::{Account, Activity, Book, Deal, Lead, or_default};
use fieldbook_core::value::parse_date;
use rusqlite::{Row, params_from_iter};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

pub use fieldbook_core::report::{Activities, Deals, Needs};

/// What to read for a report: the rows it needs, of these owners (`None`: all).
#[derive(Clone, Debug)]
pub struct BookQuery {
    pub needs: Needs,
    pub owners: Option<Vec<String>>,
}

/// The day of an RFC 3339 time or a date.
fn day(text: &str) -> Option<Date> {
    text.get(..10).and_then(parse_date)
}

fn uuid(row: &Row, i: usize) -> rusqlite::Result<Option<Uuid>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .and_then(|s| Uuid::parse_str(&s).ok()))
}

impl Store {
    /// The rows for a report (see [`BookQuery`]). Deleted records never count.
    pub fn report_book(&self, q: &BookQuery) -> Result<Book> {
        let db = self.db()?;
        let (owner_sql, owners): (String, Vec<String>) = match &q.owners {
            Some(o) => (
                format!(" AND r.owner IN ({})", vec!["?"; o.len().max(1)].join(", ")),
                if o.is_empty() {
                    vec![String::new()]
                } else {
                    o.clone()
                },
            ),
            None => (String::new(), Vec::new()),
        };
        let mut book = Book::default();
        let stages = match q.needs.deals {
            Deals::None => None,
            Deals::Open => Some(" AND p.stage IN ('lead', 'qualified', 'proposal', 'negotiation')"),
            Deals::Closed => Some(" AND p.stage IN ('won', 'lost')"),
            Deals::All => Some(""),
        };
        if let Some(stages) = stages {
            let sql = format!(
                "SELECT p.id, p.account_id, p.name, r.owner, p.stage, p.amount, p.currency,
                        p.probability, p.close_date, r.created_at
                 FROM p_opportunity p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0{stages}{owner_sql}"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(&owners), |row| {
                Ok((
                    uuid(row, 0)?,
                    uuid(row, 1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, Option<i64>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                    row.get::<_, String>(9)?,
                ))
            })?;
            for row in rows {
                let (id, account, name, owner, stage, amount, currency, p, close, created) = row?;
                let (Some(id), Some(account_id), Some(created)) = (id, account, day(&created))
                else {
                    continue;
                };
                book.deals.push(Deal {
                    id,
                    account_id,
                    name: name.unwrap_or_default(),
                    owner,
                    stage: stage.unwrap_or_else(|| "lead".into()),
                    amount: amount.and_then(|a| Decimal::from_str(&a).ok()),
                    currency: currency.unwrap_or_default(),
                    probability: p.unwrap_or(0),
                    close_date: close.as_deref().and_then(parse_date),
                    created,
                });
            }
        }
        if q.needs.accounts {
            let sql = format!(
                "SELECT p.id, p.name, r.owner, r.created_at
                 FROM p_account p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0{owner_sql}"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(&owners), |row| {
                Ok((
                    uuid(row, 0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (id, name, owner, created) = row?;
                let (Some(id), Some(created)) = (id, day(&created)) else {
                    continue;
                };
                book.accounts.push(Account {
                    id,
                    name: name.unwrap_or_default(),
                    owner,
                    created,
                });
            }
        }
        let sql = match q.needs.activities {
            Activities::None => None,
            // One row per owner, kind and day: all that activity per week reads.
            Activities::All => Some(format!(
                "SELECT r.owner, p.kind, substr(p.at, 1, 10), NULL, NULL, count(*)
                 FROM p_activity p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0 AND p.at IS NOT NULL{owner_sql}
                 GROUP BY r.owner, p.kind, substr(p.at, 1, 10)"
            )),
            // Stale deals and accounts are judged by activity on them, whoever logged it.
            Activities::Latest => Some(
                "SELECT '', '', max(p.at), p.account_id, p.opportunity_id, 1
                 FROM p_activity p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0 AND p.at IS NOT NULL
                 GROUP BY p.account_id, p.opportunity_id"
                    .to_string(),
            ),
        };
        if let Some(sql) = sql {
            let mut stmt = db.prepare_cached(&sql)?;
            let params: &[String] = if q.needs.activities == Activities::All {
                &owners
            } else {
                &[]
            };
            let rows = stmt.query_map(params_from_iter(params), |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    uuid(row, 3)?,
                    uuid(row, 4)?,
                    row.get::<_, i64>(5)?,
                ))
            })?;
            let grouped = q.needs.activities == Activities::All;
            for row in rows {
                let (owner, kind, at, account, opportunity, count) = row?;
                let (Some(on), Some(account_id)) =
                    (day(&at), account.or(grouped.then_some(Uuid::nil())))
                else {
                    continue;
                };
                book.activities.push(Activity {
                    owner,
                    kind: kind.unwrap_or_else(|| "note".into()),
                    on,
                    account_id,
                    opportunity_id: opportunity,
                    count: count.max(0) as u64,
                });
            }
        }
        if q.needs.leads {
            let sql = format!(
                "SELECT p.id, r.owner, p.source, p.status, r.created_at, p.opportunity_id
                 FROM p_lead p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0{owner_sql}"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(&owners))?;
            while let Some(row) = rows.next()? {
                let created: String = row.get(4)?;
                let (Some(id), Some(created)) = (uuid(row, 0)?, day(&created)) else {
                    continue;
                };
                book.leads.push(Lead {
                    id,
                    owner: row.get(1)?,
                    source: row.get(2)?,
                    status: or_default(Kind::Lead, "status", row.get(3)?),
                    created,
                    opportunity_id: uuid(row, 5)?,
                });
            }
        }
        if q.needs.cases {
            let sql = format!(
                "SELECT p.id, p.account_id, p.subject, r.owner, p.assignee, p.priority, p.status,
                        p.due, r.created_at, p.resolved_at
                 FROM p_case p JOIN records r ON r.id = p.id
                 WHERE r.deleted = 0{owner_sql}"
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(&owners), super::kinds::case_row)?;
            for row in rows {
                if let Some(c) = row? {
                    book.cases.push(c);
                }
            }
        }
        Ok(book)
    }
}
