//! The report projection in SQL (`report_rows`): each stored record's [`ReportRow`]
//! written with its document, moved with its owner, and read back as report rows by kind
//! and owner. Knows nothing of who may see what or of what the figures mean.

use super::repo::{PgRepo, unsigned};
use crate::error::Result;
use crate::reporting::ReportRow;
use crate::storage::ReportRepo;
use fieldbook_core::Kind;
use fieldbook_core::report::{
    Account, Activities, Activity, Book, Case, Deal, Deals, Lead, Needs, or_default,
};
use fieldbook_core::value::{format_date, parse_date};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::Date;
use tokio_postgres::Row;
use uuid::Uuid;

/// Replaces the rows of the records `ids` with `rows` (each with its owner): a record
/// without one in `rows` (deleted, or a kind the reports do not read) has none after.
pub(super) fn replace_rows(
    repo: &mut PgRepo<'_>,
    ids: &[Uuid],
    rows: &[(&ReportRow, &str)],
) -> Result<()> {
    let ids: Vec<Uuid> = ids.to_vec();
    repo.exec("DELETE FROM report_rows WHERE id = ANY($1)", &[&ids])?;
    if rows.is_empty() {
        return Ok(());
    }
    let d = |d: Option<Date>| d.map(format_date);
    let col = |f: &dyn Fn(&ReportRow) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|(r, _)| f(r)).collect()
    };
    let kinds: Vec<&str> = rows.iter().map(|(r, _)| r.kind.as_str()).collect();
    let owners: Vec<&str> = rows.iter().map(|(_, o)| *o).collect();
    let row_ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
    let accounts: Vec<Option<Uuid>> = rows.iter().map(|(r, _)| r.account_id).collect();
    let created: Vec<String> = rows.iter().map(|(r, _)| format_date(r.created)).collect();
    let probability: Vec<Option<i64>> = rows.iter().map(|(r, _)| r.probability).collect();
    let opportunities: Vec<Option<Uuid>> = rows.iter().map(|(r, _)| r.opportunity_id).collect();
    let name = col(&|r| r.name.clone());
    let stage = col(&|r| r.stage.clone());
    let amount = col(&|r| r.amount.map(|a| a.to_string()));
    let currency = col(&|r| r.currency.clone());
    let close = col(&|r| d(r.close_date));
    let activity = col(&|r| r.activity_kind.clone());
    let at = col(&|r| d(r.at));
    let source = col(&|r| r.source.clone());
    let status = col(&|r| r.status.clone());
    let assignee = col(&|r| r.assignee.clone());
    let priority = col(&|r| r.priority.clone());
    let due = col(&|r| d(r.due));
    let resolved = col(&|r| d(r.resolved));
    repo.exec(
        "INSERT INTO report_rows (kind, owner, id, account_id, created, name, stage, amount,
           currency, probability, close_date, activity_kind, at, opportunity_id, source,
           status, assignee, priority, due, resolved)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[],
           $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
           $12::text[], $13::text[], $14::uuid[], $15::text[], $16::text[], $17::text[],
           $18::text[], $19::text[], $20::text[])",
        &[
            &kinds,
            &owners,
            &row_ids,
            &accounts,
            &created,
            &name,
            &stage,
            &amount,
            &currency,
            &probability,
            &close,
            &activity,
            &at,
            &opportunities,
            &source,
            &status,
            &assignee,
            &priority,
            &due,
            &resolved,
        ],
    )?;
    Ok(())
}

/// Gives the row of a record to another owner.
pub(super) fn move_row(repo: &mut PgRepo<'_>, id: Uuid, owner: &str) -> Result<()> {
    repo.exec(
        "UPDATE report_rows SET owner = $2 WHERE id = $1",
        &[&id, &owner],
    )?;
    Ok(())
}

fn text(r: &Row, i: usize) -> Option<&str> {
    r.get::<_, Option<&str>>(i)
}

fn day(r: &Row, i: usize) -> Option<Date> {
    text(r, i).and_then(parse_date)
}

fn decimal(r: &Row, i: usize) -> Option<Decimal> {
    text(r, i).and_then(|s| Decimal::from_str(s).ok())
}

fn owned(r: &Row, i: usize) -> Option<String> {
    text(r, i).map(String::from)
}

impl ReportRepo for PgRepo<'_> {
    fn report_book(&mut self, needs: &Needs, owners: Option<&[String]>) -> Result<Book> {
        if owners.is_some_and(<[String]>::is_empty) {
            return Ok(Book::default());
        }
        let owners: Option<Vec<String>> = owners.map(<[String]>::to_vec);
        let by_owner = " AND ($1::text[] IS NULL OR owner = ANY($1::text[]))";
        let mut book = Book::default();
        let stages = match needs.deals {
            Deals::None => None,
            Deals::Open => Some(" AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')"),
            Deals::Closed => Some(" AND stage IN ('won', 'lost')"),
            Deals::All => Some(""),
        };
        if let Some(stages) = stages {
            for r in self.rows(
                &format!(
                    "SELECT id, account_id, name, owner, stage, amount, currency, probability,
                            close_date, created
                     FROM report_rows WHERE kind = 'opportunity'{stages}{by_owner}"
                ),
                &[&owners],
            )? {
                let (Some(id), Some(account_id), Some(created)) =
                    (r.get::<_, Option<Uuid>>(0), r.get(1), day(&r, 9))
                else {
                    continue;
                };
                book.deals.push(Deal {
                    id,
                    account_id,
                    name: owned(&r, 2).unwrap_or_default(),
                    owner: r.get(3),
                    stage: owned(&r, 4).unwrap_or_else(|| "lead".into()),
                    amount: decimal(&r, 5),
                    currency: owned(&r, 6).unwrap_or_default(),
                    probability: r.get::<_, Option<i64>>(7).unwrap_or(0),
                    close_date: day(&r, 8),
                    created,
                });
            }
        }
        if needs.accounts {
            for r in self.rows(
                &format!(
                    "SELECT id, name, owner, created FROM report_rows WHERE kind = 'account'{by_owner}"
                ),
                &[&owners],
            )? {
                let Some(created) = day(&r, 3) else {
                    continue;
                };
                book.accounts.push(Account {
                    id: r.get(0),
                    name: owned(&r, 1).unwrap_or_default(),
                    owner: r.get(2),
                    created,
                });
            }
        }
        let activities = match needs.activities {
            Activities::None => None,
            Activities::All => Some(format!(
                "SELECT owner, activity_kind, at, NULL::uuid, NULL::uuid, count(*) FROM report_rows
                 WHERE kind = 'activity' AND at IS NOT NULL{by_owner}
                 GROUP BY owner, activity_kind, at"
            )),
            Activities::Latest => Some(format!(
                "SELECT '', '', max(at), account_id, opportunity_id, 1::bigint FROM report_rows
                 WHERE kind = 'activity' AND at IS NOT NULL{by_owner}
                 GROUP BY owner, account_id, opportunity_id"
            )),
        };
        if let Some(sql) = activities {
            let grouped = needs.activities == Activities::All;
            for r in self.rows(&sql, &[&owners])? {
                let account = r
                    .get::<_, Option<Uuid>>(3)
                    .or(grouped.then_some(Uuid::nil()));
                let (Some(on), Some(account_id)) = (day(&r, 2), account) else {
                    continue;
                };
                book.activities.push(Activity {
                    owner: r.get(0),
                    kind: owned(&r, 1).unwrap_or_else(|| "note".into()),
                    on,
                    account_id,
                    opportunity_id: r.get(4),
                    count: unsigned(r.get(5)),
                });
            }
        }
        if needs.leads {
            for r in self.rows(
                &format!(
                    "SELECT id, owner, source, status, created, opportunity_id FROM report_rows
                     WHERE kind = 'lead'{by_owner}"
                ),
                &[&owners],
            )? {
                let Some(created) = day(&r, 4) else {
                    continue;
                };
                book.leads.push(Lead {
                    id: r.get(0),
                    owner: r.get(1),
                    source: r.get(2),
                    status: or_default(Kind::Lead, "status", r.get(3)),
                    created,
                    opportunity_id: r.get(5),
                });
            }
        }
        if needs.cases {
            for r in self.rows(
                &format!(
                    "SELECT id, account_id, name, owner, assignee, priority, status, due, created,
                            resolved
                     FROM report_rows WHERE kind = 'case'{by_owner}"
                ),
                &[&owners],
            )? {
                let (Some(account_id), Some(created)) = (r.get::<_, Option<Uuid>>(1), day(&r, 8))
                else {
                    continue;
                };
                book.cases.push(Case {
                    id: r.get(0),
                    account_id,
                    subject: owned(&r, 2).unwrap_or_default(),
                    owner: r.get(3),
                    assignee: r.get(4),
                    priority: or_default(Kind::Case, "priority", r.get(5)),
                    status: or_default(Kind::Case, "status", r.get(6)),
                    due: day(&r, 7),
                    created,
                    resolved: day(&r, 9),
                });
            }
        }
        Ok(book)
    }
}
