//! The change log in SQL: its head, ranges of positions through the per-owner and
//! per-grantee indexes, one entry as a device pulls it, and the entries administrative
//! moves append (at positions handed out under the log's lock: `repo.rs`). Knows nothing
//! of what a user may see: the service combines the ranges.

use super::repo::{PgRepo, parse_kind, unsigned};
use crate::error::{Result, ServerError};
use crate::pull::{Event, LogEntry};
use crate::storage::{LogFilter, LogRepo, ScopeEvent};
use uuid::Uuid;

impl LogRepo for PgRepo<'_> {
    fn log_head(&mut self) -> Result<u64> {
        Ok(unsigned(
            self.one("SELECT coalesce(max(seq), 0) FROM log", &[])?
                .get(0),
        ))
    }

    fn log_seqs(
        &mut self,
        filter: LogFilter<'_>,
        after: u64,
        upto: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        let (after, upto) = (
            after.min(i64::MAX as u64) as i64,
            upto.min(i64::MAX as u64) as i64,
        );
        let n = limit.min(i64::MAX as usize) as i64;
        let range = "seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3";
        let rows = match filter {
            LogFilter::AllFor(user) => self.rows(
                &format!("SELECT seq FROM log WHERE (grantee IS NULL OR grantee = $4) AND {range}"),
                &[&after, &upto, &n, &user],
            )?,
            LogFilter::Owner(owner) => self.rows(
                &format!("SELECT seq FROM log WHERE grantee IS NULL AND owner = $4 AND {range}"),
                &[&after, &upto, &n, &owner],
            )?,
            LogFilter::OldOwner(owner) => self.rows(
                &format!("SELECT seq FROM log WHERE old_owner = $4 AND {range}"),
                &[&after, &upto, &n, &owner],
            )?,
            LogFilter::Nobody => self.rows(
                &format!("SELECT seq FROM log WHERE grantee IS NULL AND owner IS NULL AND {range}"),
                &[&after, &upto, &n],
            )?,
            LogFilter::Grantee(user) => self.rows(
                &format!("SELECT seq FROM log WHERE grantee = $4 AND {range}"),
                &[&after, &upto, &n, &user],
            )?,
            LogFilter::Device(id) => self.rows(
                &format!("SELECT seq FROM log WHERE device_id = $4 AND {range}"),
                &[&after, &upto, &n, &id],
            )?,
            LogFilter::Doc(id) => self.rows(
                &format!("SELECT seq FROM log WHERE grantee IS NULL AND doc_id = $4 AND {range}"),
                &[&after, &upto, &n, &id],
            )?,
        };
        Ok(rows.iter().map(|r| unsigned(r.get(0))).collect())
    }

    fn log_entry(&mut self, seq: u64, device: Uuid) -> Result<Option<LogEntry>> {
        let Some(r) = self.opt(
            "SELECT l.doc_id, l.event, l.bytes, l.owner, l.old_owner, d.kind, d.owner,
                    coalesce(l.device_id = $2, FALSE), l.at
             FROM log l JOIN docs d ON d.id = l.doc_id WHERE l.seq = $1",
            &[&(seq as i64), &device],
        )?
        else {
            return Ok(None);
        };
        let event = match r.get::<_, &str>(1) {
            "change" => Event::Change {
                bytes: r.get::<_, Option<Vec<u8>>>(2).unwrap_or_default(),
                owner_then: r.get(3),
            },
            "owner" => Event::Owner {
                old: r.get(4),
                new: r.get(3),
            },
            "grant" => Event::Grant,
            "revoke" => Event::Revoke,
            other => return Err(ServerError::Damaged(format!("log event `{other}`"))),
        };
        Ok(Some(LogEntry {
            seq,
            doc_id: r.get(0),
            kind: parse_kind(r.get(5))?,
            owner_now: r.get(6),
            own: r.get(7),
            at: r.get(8),
            event,
        }))
    }

    fn has_scope_entries(&mut self, grantee: &str, after: u64, upto: u64) -> Result<bool> {
        Ok(self
            .opt(
                "SELECT 1 FROM log WHERE grantee = $1 AND seq > $2 AND seq <= $3 LIMIT 1",
                &[
                    &grantee,
                    &(after as i64),
                    &(upto.min(i64::MAX as u64) as i64),
                ],
            )?
            .is_some())
    }

    fn granted(&mut self, grantee: &str, doc: Uuid, after: u64, upto: u64) -> Result<bool> {
        Ok(self
            .opt(
                "SELECT 1 FROM log WHERE grantee = $1 AND doc_id = $2 AND seq > $3 AND seq <= $4
                 AND event = 'grant' LIMIT 1",
                &[
                    &grantee,
                    &doc,
                    &(after as i64),
                    &(upto.min(i64::MAX as u64) as i64),
                ],
            )?
            .is_some())
    }

    fn owner_after(&mut self, doc: Uuid, after: u64) -> Result<Option<Option<String>>> {
        Ok(self
            .opt(
                "SELECT old_owner FROM log WHERE doc_id = $1 AND event = 'owner' AND seq > $2
                 ORDER BY seq LIMIT 1",
                &[&doc, &(after as i64)],
            )?
            .map(|r| r.get(0)))
    }

    fn log_id(&mut self) -> Result<Uuid> {
        let id: String = self
            .one("SELECT value FROM identity WHERE key = 'log_id'", &[])?
            .get(0);
        Uuid::parse_str(&id).map_err(|_| ServerError::Damaged(format!("log id `{id}`")))
    }

    fn append_owner(&mut self, doc: Uuid, new: &str, old: Option<&str>, at: &str) -> Result<()> {
        let seq = self.next_seq()?;
        self.exec(
            "INSERT INTO log (seq, doc_id, event, owner, old_owner, at)
             VALUES ($1, $2, 'owner', $3, $4, $5)",
            &[&seq, &doc, &new, &old, &at],
        )?;
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
        let seq = self.next_seq()?;
        self.exec(
            "INSERT INTO log (seq, doc_id, event, owner, grantee, at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&seq, &doc, &event, &owner, &grantee, &at],
        )?;
        Ok(())
    }
}
