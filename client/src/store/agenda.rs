//! The reads behind a rep's day: open tasks due by a date, open deals closing between two
//! dates, the latest activities. Typed rows from the projections; no document is loaded.
//! Each picks its few rows from the kind's projection alone (which carries `deleted`), then
//! joins them with `records`: never a walk over every record of the store.

use super::{Store, projection};
use crate::error::Result;
use crate::model::RecordView;
use fieldbook_core::Kind;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

impl Store {
    /// The rows of `kind` whose projection meets `filter`, in `order` (over the projection's
    /// columns, `p.`), at most `limit` (the last parameter).
    fn agenda_rows(
        &self,
        kind: Kind,
        filter: &str,
        order: &str,
        params: Vec<Sql>,
    ) -> Result<Vec<RecordView>> {
        let limit = params.len();
        let sql = format!(
            "{select} WHERE p.id IN (SELECT p.id FROM p_{kind} p WHERE p.deleted = 0 AND {filter}
                                  ORDER BY {order} LIMIT ?{limit})
             ORDER BY {order}",
            select = projection::select_sql(kind)
        );
        let db = self.db()?;
        let mut stmt = db.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |row| {
            projection::row_view(kind, row)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tasks not done whose due date is on or before `until` (`YYYY-MM-DD`), earliest
    /// first.
    pub(crate) fn tasks_due_by(&self, until: &str, limit: usize) -> Result<Vec<RecordView>> {
        self.agenda_rows(
            Kind::Task,
            "coalesce(p.done, 0) = 0 AND p.due IS NOT NULL AND p.due <= ?1",
            "p.due, p.id",
            vec![Sql::Text(until.into()), Sql::Integer(limit as i64)],
        )
    }

    /// Deals still open whose close date is between `from` and `to` (inclusive), soonest
    /// first.
    pub(crate) fn deals_closing(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<RecordView>> {
        self.agenda_rows(
            Kind::Opportunity,
            "p.stage IN ('lead', 'qualified', 'proposal', 'negotiation')
             AND p.close_date >= ?1 AND p.close_date <= ?2",
            "p.close_date, p.id",
            vec![
                Sql::Text(from.into()),
                Sql::Text(to.into()),
                Sql::Integer(limit as i64),
            ],
        )
    }

    /// The latest activities, by when they happened.
    pub(crate) fn latest_activities(&self, limit: usize) -> Result<Vec<RecordView>> {
        self.agenda_rows(
            Kind::Activity,
            "1",
            "p.at IS NULL, p.at DESC, p.id",
            vec![Sql::Integer(limit as i64)],
        )
    }
}
