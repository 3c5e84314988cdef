//! The reads behind leads, cases and reminders, from the projections (no document is
//! loaded): account names for a lead's likely matches, the records converted leads became
//! part of, and the few rows reminders need — won deals' days, the latest deal opened per
//! account, deals with a renewal date, per-account lead times, the user's dismissals, and
//! overdue cases.

use super::{Store, projection};
use crate::error::Result;
use crate::model::RecordView;
use fieldbook_core::Kind;
use fieldbook_core::reminders::{DealRow, Dismissals};
use fieldbook_core::report::{Case, or_default};
use fieldbook_core::value::parse_date;
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use time::Date;
use uuid::Uuid;

fn uuid(row: &Row, i: usize) -> rusqlite::Result<Option<Uuid>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .and_then(|s| Uuid::parse_str(&s).ok()))
}

fn date(row: &Row, i: usize) -> rusqlite::Result<Option<Date>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .and_then(|s| s.get(..10).and_then(parse_date)))
}

/// What reminders are computed from, as read for one user on one day.
#[derive(Clone, Debug, Default)]
pub struct ReminderRows {
    /// Won deals (for reorders), the latest open deal of each account with 3 wins or more
    /// (its creation day is all a reorder needs), and every live deal with a renewal date
    /// that is not lost and not renewed yet.
    pub deals: Vec<DealRow>,
    /// Open cases assigned to the user or on the user's accounts, due before today.
    pub cases: Vec<Case>,
    /// Accounts' own renewal lead times.
    pub renewal_days: BTreeMap<Uuid, i64>,
    pub dismissals: Dismissals,
}

impl Store {
    /// Every live account's id and name.
    pub(crate) fn account_names(&self) -> Result<Vec<(Uuid, String)>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT id, name FROM p_account WHERE deleted = 0 AND name IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((uuid(r, 0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            if let (Some(id), name) = row? {
                out.push((id, name));
            }
        }
        Ok(out)
    }

    /// The leads converted into (or attached to) an account, oldest first: where the
    /// account came from, with their history.
    pub fn leads_of_account(&self, account: Uuid) -> Result<Vec<RecordView>> {
        let sql = format!(
            "{} WHERE r.deleted = 0 AND p.account_id = ?1 ORDER BY r.created_at, r.id",
            projection::select_sql(Kind::Lead)
        );
        let db = self.db()?;
        let mut stmt = db.prepare_cached(&sql)?;
        let rows = stmt.query_map([account.to_string()], |row| {
            projection::row_view(Kind::Lead, row)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What names a record in lists (an account's name), if held.
    pub(crate) fn title_of(&self, id: Uuid) -> Result<Option<String>> {
        Ok(self
            .db()?
            .prepare_cached("SELECT title FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?)
    }

    /// The latest live dismissal `user` made of the reminder `key`, if any.
    pub(crate) fn dismissal_of(&self, user: &str, key: &str) -> Result<Option<Uuid>> {
        let id: Option<Option<Uuid>> = self
            .db()?
            .prepare_cached(
                "SELECT d.id FROM p_dismissal d JOIN records r ON r.id = d.id
                 WHERE d.key = ?1 AND r.owner = ?2 AND d.deleted = 0
                 ORDER BY r.updated_at DESC LIMIT 1",
            )?
            .query_row(params![key, user], |r| uuid(r, 0))
            .optional()?;
        Ok(id.flatten())
    }

    /// A deal's quote whose products a renewal takes: its accepted quote, else its latest.
    pub(crate) fn quote_of(&self, deal: Uuid) -> Result<Option<Uuid>> {
        let id: Option<Option<Uuid>> = self
            .db()?
            .prepare_cached(
                "SELECT q.id FROM p_quote q JOIN records r ON r.id = q.id
                 WHERE q.opportunity_id = ?1 AND q.deleted = 0
                 ORDER BY q.status = 'accepted' DESC, r.created_at DESC, q.id LIMIT 1",
            )?
            .query_row([deal.to_string()], |r| uuid(r, 0))
            .optional()?;
        Ok(id.flatten())
    }

    /// The rows reminders for `user` on `today` are computed from.
    pub fn reminder_rows(&self, user: &str, today: Date) -> Result<ReminderRows> {
        let db = self.db()?;
        let mut out = ReminderRows::default();
        let deal = |id, account_id, stage: &str, created| DealRow {
            id,
            account_id,
            name: String::new(),
            stage: stage.into(),
            amount: None,
            currency: String::new(),
            close_date: None,
            created,
            renewal_date: None,
            renews: None,
        };
        // Won deals: the days of the purchases (through the pipeline index).
        let mut deals: Vec<DealRow> = Vec::new();
        let mut stmt = db.prepare_cached(
            "SELECT id, account_id, close_date FROM p_opportunity
             WHERE deleted = 0 AND stage = 'won' AND close_date IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(id), Some(account), Some(closed)) = (uuid(r, 0)?, uuid(r, 1)?, date(r, 2)?)
            {
                let mut row = deal(id, account, "won", closed);
                row.close_date = Some(closed);
                deals.push(row);
            }
        }
        // A reorder is predicted from 3 wins: only those accounts' latest open deal
        // matters (none is due once a deal was opened after the last win).
        let mut wins: HashMap<Uuid, usize> = HashMap::new();
        for d in &deals {
            *wins.entry(d.account_id).or_default() += 1;
        }
        let mut stmt = db.prepare_cached(
            "SELECT max(r.created_at) FROM p_opportunity p CROSS JOIN records r ON r.id = p.id
             WHERE p.account_id = ?1 AND p.deleted = 0
               AND p.stage IN ('lead', 'qualified', 'proposal', 'negotiation')",
        )?;
        for (account, _) in wins.iter().filter(|(_, n)| **n >= 3) {
            let latest = stmt.query_row([account.to_string()], |r| date(r, 0))?;
            if let Some(created) = latest {
                deals.push(deal(Uuid::nil(), *account, "lead", created));
            }
        }
        // Deals with a renewal date (a partial index holds only them; `+` keeps the planner
        // off the wider `deleted` index), less those renewed already; a won one is already
        // in for its day.
        let renewed: HashSet<Uuid> = {
            let mut stmt = db.prepare_cached(
                "SELECT renews_id FROM p_opportunity WHERE renews_id IS NOT NULL AND deleted = 0",
            )?;
            let ids = stmt.query_map([], |r| uuid(r, 0))?;
            ids.filter_map(|i| i.ok().flatten()).collect()
        };
        let at: HashMap<Uuid, usize> = deals
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.id.is_nil())
            .map(|(i, d)| (d.id, i))
            .collect();
        let mut stmt = db.prepare_cached(
            "SELECT p.id, p.account_id, p.name, p.stage, p.amount, p.currency, p.close_date,
                    r.created_at, p.renewal_date
             FROM p_opportunity p CROSS JOIN records r ON r.id = p.id
             WHERE p.renewal_date IS NOT NULL AND +p.deleted = 0 AND p.stage != 'lost'",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(id), Some(account), Some(created), Some(renewal)) =
                (uuid(r, 0)?, uuid(r, 1)?, date(r, 7)?, date(r, 8)?)
            else {
                continue;
            };
            if renewed.contains(&id) {
                continue;
            }
            let stage: Option<String> = r.get(3)?;
            let mut row = DealRow {
                name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                amount: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|a| Decimal::from_str(&a).ok()),
                currency: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                close_date: date(r, 6)?,
                renewal_date: Some(renewal),
                ..deal(id, account, stage.as_deref().unwrap_or("lead"), created)
            };
            match at.get(&id) {
                Some(&i) => {
                    row.created = deals[i].created;
                    deals[i] = row;
                }
                None => deals.push(row),
            }
        }
        out.deals = deals;
        let mut stmt = db.prepare_cached(
            "SELECT id, renewal_days FROM p_account WHERE deleted = 0 AND renewal_days IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(id), Some(days)) = (uuid(r, 0)?, r.get::<_, Option<i64>>(1)?) {
                out.renewal_days.insert(id, days);
            }
        }
        // The user's own dismissals (a manager also holds their team's).
        let mut stmt = db.prepare_cached(
            "SELECT d.key, d.until FROM p_dismissal d CROSS JOIN records r ON r.id = d.id
             WHERE d.deleted = 0 AND r.owner = ?1 AND d.key IS NOT NULL
             ORDER BY r.updated_at",
        )?;
        let mut rows = stmt.query([user])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            // The latest word on a key counts (two devices may each have made one).
            out.dismissals.dismissed.retain(|k| *k != key);
            match r.get::<_, Option<String>>(1)? {
                Some(until) => {
                    out.dismissals.snoozed.insert(key, until);
                }
                None => {
                    out.dismissals.snoozed.remove(&key);
                    out.dismissals.dismissed.push(key);
                }
            }
        }
        out.cases = self.cases_due_before(Some(user), today)?;
        Ok(out)
    }

    /// Every open case held here whose due day is before `today` (for an account's page,
    /// Today, a manager's view).
    pub fn overdue_cases(&self, today: Date) -> Result<Vec<Case>> {
        self.cases_due_before(None, today)
    }

    /// Open cases of one account due before `today` (its page: read through the account's
    /// cases, not every overdue case of a large book).
    pub fn overdue_cases_of(&self, account: Uuid, today: Date) -> Result<Vec<Case>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT p.id, p.account_id, p.subject, r.owner, p.assignee, p.priority, p.status,
                    p.due, r.created_at, p.resolved_at
             FROM p_case p CROSS JOIN records r ON r.id = p.id
             WHERE p.account_id = ?2 AND p.deleted = 0
               AND p.status IN ('new', 'in_progress', 'waiting_on_customer') AND p.due < ?1",
        )?;
        let today = fieldbook_core::value::format_date(today);
        let rows = stmt.query_map(params![today, account.to_string()], case_row)?;
        Ok(rows
            .filter_map(|r| r.transpose())
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Open cases due before `today`: of `user` (assigned to them, or on their accounts),
    /// or every one held here.
    pub(crate) fn cases_due_before(&self, user: Option<&str>, today: Date) -> Result<Vec<Case>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT p.id, p.account_id, p.subject, r.owner, p.assignee, p.priority, p.status,
                    p.due, r.created_at, p.resolved_at
             FROM p_case p CROSS JOIN records r ON r.id = p.id
             WHERE p.deleted = 0 AND p.status IN ('new', 'in_progress', 'waiting_on_customer')
               AND p.due < ?1 AND (?2 IS NULL OR p.assignee = ?2 OR r.owner = ?2)",
        )?;
        let today = fieldbook_core::value::format_date(today);
        let rows = stmt.query_map(params![today, user], case_row)?;
        Ok(rows
            .filter_map(|r| r.transpose())
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// A case from a row of `id, account_id, subject, owner, assignee, priority, status, due,
/// created_at, resolved_at`.
pub(super) fn case_row(r: &Row) -> rusqlite::Result<Option<Case>> {
    let (Some(id), Some(account_id), Some(created)) = (uuid(r, 0)?, uuid(r, 1)?, date(r, 8)?)
    else {
        return Ok(None);
    };
    Ok(Some(Case {
        id,
        account_id,
        subject: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        owner: r.get(3)?,
        assignee: r.get(4)?,
        priority: or_default(Kind::Case, "priority", r.get(5)?),
        status: or_default(Kind::Case, "status", r.get(6)?),
        due: date(r, 7)?,
        created,
        resolved: date(r, 9)?,
    }))
}
