//! The reads behind a rep's day: open tasks due by a date, open deals closing between two
//! dates, the latest activities. Typed rows from the projections; no document is loaded.

use super::{Store, projection};
use crate::error::Result;
use crate::model::RecordView;
use fieldbook_core::Kind;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

impl Store {
    fn agenda_rows(&self, kind: Kind, tail: &str, params: Vec<Sql>) -> Result<Vec<RecordView>> {
        let sql = format!(
            "{} WHERE r.deleted = 0 AND {tail}",
            projection::select_sql(kind)
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
            "coalesce(p.done, 0) = 0 AND p.due IS NOT NULL AND p.due <= ?1
             ORDER BY p.due, r.id LIMIT ?2",
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
             AND p.close_date >= ?1 AND p.close_date <= ?2
             ORDER BY p.close_date, r.id LIMIT ?3",
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
            "1 ORDER BY p.at IS NULL, p.at DESC, r.id LIMIT ?1",
            vec![Sql::Integer(limit as i64)],
        )
    }
}
