//! The change log in SQL: its head, ranges of positions through the per-owner and
//! per-grantee indexes, one entry as a device pulls it, and the entries administrative
//! moves append. Knows nothing of what a user may see: the service combines the ranges.

use super::repo::{SqliteRepo, parse_kind, parse_uuid};
use crate::error::{Result, ServerError};
use crate::pull::{Event, LogEntry};
use crate::storage::{LogFilter, LogRepo, ScopeEvent};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

fn seq_column(r: &rusqlite::Row<'_>) -> rusqlite::Result<i64> {
    r.get(0)
}

impl LogRepo for SqliteRepo<'_> {
    fn log_head(&mut self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM log")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    fn log_seqs(
        &mut self,
        filter: LogFilter<'_>,
        after: u64,
        upto: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        let doc;
        let device;
        let (sql, key) = match filter {
            LogFilter::AllFor(user) => (
                "SELECT seq FROM log WHERE seq > ?2 AND seq <= ?3 AND (grantee IS NULL OR grantee = ?1)
                 ORDER BY seq LIMIT ?4",
                Some(user),
            ),
            LogFilter::Owner(owner) => (
                "SELECT seq FROM log WHERE grantee IS NULL AND owner = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
                Some(owner),
            ),
            LogFilter::OldOwner(owner) => (
                "SELECT seq FROM log WHERE old_owner = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
                Some(owner),
            ),
            LogFilter::Nobody => (
                "SELECT seq FROM log WHERE grantee IS NULL AND owner IS NULL AND ?1 IS NULL
                 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4",
                None,
            ),
            LogFilter::Grantee(user) => (
                "SELECT seq FROM log WHERE grantee = ?1 AND seq > ?2 AND seq <= ?3
                 ORDER BY seq LIMIT ?4",
                Some(user),
            ),
            LogFilter::Device(id) => {
                device = id.to_string();
                (
                    "SELECT seq FROM log WHERE device_id = ?1 AND seq > ?2 AND seq <= ?3
                     ORDER BY seq LIMIT ?4",
                    Some(device.as_str()),
                )
            }
            LogFilter::Doc(id) => {
                doc = id.to_string();
                (
                    "SELECT seq FROM log WHERE grantee IS NULL AND doc_id = ?1 AND seq > ?2
                     AND seq <= ?3 ORDER BY seq LIMIT ?4",
                    Some(doc.as_str()),
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(
            params![key, after as i64, upto as i64, limit as i64],
            seq_column,
        )?;
        let mut out = Vec::new();
        for seq in rows {
            out.push(seq? as u64);
        }
        Ok(out)
    }

    fn log_entry(&mut self, seq: u64, device: Uuid) -> Result<Option<LogEntry>> {
        // Once per entry of a pull page: the device's id as text without an allocation.
        let mut text = Uuid::encode_buffer();
        let device = &*device.hyphenated().encode_lower(&mut text);
        let row = self
            .conn
            .prepare_cached(
                "SELECT l.doc_id, l.event, l.bytes, l.owner, l.old_owner, d.kind, d.owner,
                        l.device_id IS NOT NULL AND l.device_id = ?2, l.at
                 FROM log l JOIN docs d ON d.id = l.doc_id WHERE l.seq = ?1",
            )?
            .query_row(params![seq as i64, device], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<Vec<u8>>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, bool>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })
            .optional()?;
        let Some((doc, event, bytes, owner, old_owner, kind, owner_now, own, at)) = row else {
            return Ok(None);
        };
        let event = match event.as_str() {
            "change" => Event::Change {
                bytes: bytes.unwrap_or_default(),
                owner_then: owner,
            },
            "owner" => Event::Owner {
                old: old_owner,
                new: owner,
            },
            "grant" => Event::Grant,
            "revoke" => Event::Revoke,
            other => return Err(ServerError::Damaged(format!("log event `{other}`"))),
        };
        Ok(Some(LogEntry {
            seq,
            doc_id: parse_uuid(&doc)?,
            kind: parse_kind(&kind)?,
            owner_now,
            own,
            at,
            event,
        }))
    }

    fn has_scope_entries(&mut self, grantee: &str, after: u64, upto: u64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM log WHERE grantee = ?1 AND seq > ?2 AND seq <= ?3 LIMIT 1",
            )?
            .exists(params![grantee, after as i64, upto as i64])?)
    }

    fn granted(&mut self, grantee: &str, doc: Uuid, after: u64, upto: u64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM log WHERE grantee = ?1 AND doc_id = ?2 AND seq > ?3 AND seq <= ?4
                 AND event = 'grant' LIMIT 1",
            )?
            .exists(params![grantee, doc.to_string(), after as i64, upto as i64])?)
    }

    fn owner_after(&mut self, doc: Uuid, after: u64) -> Result<Option<Option<String>>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT old_owner FROM log WHERE doc_id = ?1 AND event = 'owner' AND seq > ?2
                 ORDER BY seq LIMIT 1",
            )?
            .query_row(params![doc.to_string(), after as i64], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?)
    }

    fn log_id(&mut self) -> Result<Uuid> {
        let id: String = self
            .conn
            .prepare_cached("SELECT value FROM identity WHERE key = 'log_id'")?
            .query_row([], |r| r.get(0))?;
        Uuid::parse_str(&id).map_err(|_| ServerError::Damaged(format!("log id `{id}`")))
    }

    fn append_owner(&mut self, doc: Uuid, new: &str, old: Option<&str>, at: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO log (doc_id, event, owner, old_owner, at)
                 VALUES (?1, 'owner', ?2, ?3, ?4)",
            )?
            .execute(params![doc.to_string(), new, old, at])?;
        Ok(())
    }

    fn append_scope(
        &mut self,
        doc: Uuid,
        event: ScopeEvent,
        owner: &str,
        grantee: &str,
        at: &str,
    ) -> Result<()> {
        let event = match event {
            ScopeEvent::Grant => "grant",
            ScopeEvent::Revoke => "revoke",
        };
        self.conn
            .prepare_cached(
                "INSERT INTO log (doc_id, event, owner, grantee, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![doc.to_string(), event, owner, grantee, at])?;
        Ok(())
    }
}
