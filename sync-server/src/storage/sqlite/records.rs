//! Record documents in SQL: reading them (whole, placed, as snapshots, by owner or
//! account), moving them between owners, and writing what a push did (its refusals into
//! the quarantine, `quarantine` holds the rest of it).
//! Knows nothing of Automerge or of who may see what.

use super::repo::{SqliteRepo, parse_kind, parse_uuid};
use crate::error::Result;
use crate::ownership::Placement;
use crate::push::{PushOutcome, StoredDoc};
use crate::storage::{
    Assignment, Counts, OwnerFilter, Pusher, RecordOwner, RecordRepo, StoredRecord, StoredSnapshot,
};
use fieldbook_core::Kind;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

fn placement_row(
    kind: String,
    owner: Option<String>,
    account: Option<String>,
) -> Result<Placement> {
    Ok(Placement {
        kind: parse_kind(&kind)?,
        owner,
        account_id: account.as_deref().map(parse_uuid).transpose()?,
    })
}

/// Where a record belongs and the log position of its last change.
pub(super) fn placed(conn: &Connection, id: Uuid) -> Result<Option<(Placement, i64)>> {
    let row = conn
        .prepare_cached("SELECT kind, owner, account_id, updated_seq FROM docs WHERE id = ?1")?
        .query_row([id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)?))
        })
        .optional()?;
    row.map(|(kind, owner, account, seq)| Ok((placement_row(kind, owner, account)?, seq)))
        .transpose()
}

/// A stored document and the log position of its last change.
pub(super) fn doc_at(conn: &Connection, id: Uuid) -> Result<Option<(StoredDoc, i64)>> {
    let row = conn
        .prepare_cached(
            "SELECT kind, owner, account_id, data, updated_seq FROM docs WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    row.map(|(kind, owner, account, data, seq)| {
        Ok((
            StoredDoc {
                placement: placement_row(kind, owner, account)?,
                data,
            },
            seq,
        ))
    })
    .transpose()
}

pub(super) fn is_known(conn: &Connection, hash: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM log WHERE hash = ?1")?
        .exists([hash])?)
}

fn record_owners(
    conn: &Connection,
    sql: &str,
    key: &[&dyn rusqlite::ToSql],
) -> Result<Vec<RecordOwner>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(key, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, owner) = row?;
        out.push(RecordOwner {
            id: parse_uuid(&id)?,
            kind: parse_kind(&kind)?,
            owner,
        });
    }
    Ok(out)
}

fn id_column(r: &rusqlite::Row<'_>) -> rusqlite::Result<String> {
    r.get(0)
}

impl RecordRepo for SqliteRepo<'_> {
    fn is_known_change(&mut self, hash: &str) -> Result<bool> {
        is_known(self.conn, hash)
    }

    fn doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>> {
        Ok(doc_at(self.conn, id)?.map(|(doc, _)| doc))
    }

    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>> {
        Ok(placed(self.conn, id)?.map(|(p, _)| p))
    }

    fn snapshot(&mut self, id: Uuid) -> Result<Option<StoredSnapshot>> {
        let row = self
            .conn
            .prepare_cached("SELECT kind, owner, data, record, conflicts FROM docs WHERE id = ?1")?
            .query_row([id.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                ))
            })
            .optional()?;
        row.map(|(kind, owner, data, record, conflicts)| {
            Ok(StoredSnapshot {
                id,
                kind: parse_kind(&kind)?,
                owner,
                data,
                record,
                conflicts,
            })
        })
        .transpose()
    }

    fn doc_ids(
        &mut self,
        owner: OwnerFilter<'_>,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<Uuid>> {
        let after = after.map(|a| a.to_string()).unwrap_or_default();
        let n = limit as i64;
        let mut stmt;
        let rows = match owner {
            OwnerFilter::Any => {
                stmt = self
                    .conn
                    .prepare_cached("SELECT id FROM docs WHERE id > ?1 ORDER BY id LIMIT ?2")?;
                stmt.query_map(params![after, n], id_column)?
            }
            OwnerFilter::Owner(o) => {
                stmt = self.conn.prepare_cached(
                    "SELECT id FROM docs WHERE owner = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                )?;
                stmt.query_map(params![o, after, n], id_column)?
            }
            OwnerFilter::Nobody => {
                stmt = self.conn.prepare_cached(
                    "SELECT id FROM docs WHERE owner IS NULL AND id > ?1 ORDER BY id LIMIT ?2",
                )?;
                stmt.query_map(params![after, n], id_column)?
            }
        };
        let mut out = Vec::new();
        for id in rows {
            out.push(parse_uuid(&id?)?);
        }
        Ok(out)
    }

    fn records_owned_by(&mut self, owner: &str) -> Result<Vec<RecordOwner>> {
        record_owners(
            self.conn,
            "SELECT id, kind, owner FROM docs WHERE owner = ?1 ORDER BY id",
            &[&owner],
        )
    }

    fn records_of_account(&mut self, account: Uuid) -> Result<Vec<RecordOwner>> {
        record_owners(
            self.conn,
            "SELECT id, kind, owner FROM docs WHERE account_id = ?1 ORDER BY id",
            &[&account.to_string()],
        )
    }

    fn records_page(
        &mut self,
        kind: Kind,
        owners: Option<&[String]>,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<StoredRecord>> {
        let owners: &[String] = match owners {
            Some([]) => return Ok(Vec::new()),
            Some(o) => o,
            None => &[],
        };
        // ?1 the kind, ?2 the cursor, ?3 the limit, ?4.. the owners.
        let by_owner = if owners.is_empty() {
            String::new()
        } else {
            let marks: Vec<String> = (0..owners.len()).map(|i| format!("?{}", i + 4)).collect();
            format!(" AND owner IN ({})", marks.join(", "))
        };
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![
            Box::new(kind.as_str()),
            Box::new(after.map(|a| a.to_string()).unwrap_or_default()),
            Box::new(limit as i64),
        ];
        values.extend(
            owners
                .iter()
                .map(|o| Box::new(o.clone()) as Box<dyn rusqlite::ToSql>),
        );
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, owner, record FROM docs WHERE kind = ?1{by_owner} AND id > ?2
             ORDER BY id LIMIT ?3"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(
            values.iter().map(|v| v.as_ref()),
        ))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(StoredRecord {
                id: parse_uuid(&r.get::<_, String>(0)?)?,
                kind,
                owner: r.get(1)?,
                record: r.get(2)?,
            });
        }
        Ok(out)
    }

    fn owned_counts(&mut self, owner: &str) -> Result<BTreeMap<Kind, u64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, count(*) FROM docs WHERE owner = ?1 GROUP BY kind")?;
        let mut rows = stmt.query([owner])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            out.insert(
                parse_kind(&r.get::<_, String>(0)?)?,
                r.get::<_, i64>(1)? as u64,
            );
        }
        Ok(out)
    }

    fn owned_records(&mut self) -> Result<Vec<RecordOwner>> {
        record_owners(
            self.conn,
            "SELECT id, kind, owner FROM docs WHERE owner IS NOT NULL ORDER BY id",
            &[],
        )
    }

    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>> {
        let parent: Option<Option<String>> = self
            .conn
            .prepare_cached(
                "SELECT json_extract(record, '$.parent_id') FROM docs
                 WHERE id = ?1 AND kind = 'account'",
            )?
            .query_row([id.to_string()], |r| r.get(0))
            .optional()?;
        Ok(parent
            .flatten()
            .filter(|p| !p.is_empty())
            .and_then(|p| Uuid::parse_str(&p).ok()))
    }

    fn set_owner(&mut self, id: Uuid, owner: &str) -> Result<()> {
        self.scope_changed()?;
        self.conn
            .prepare_cached("UPDATE docs SET owner = ?2 WHERE id = ?1")?
            .execute(params![id.to_string(), owner])?;
        super::reports::move_row(self.conn, id, owner)
    }

    fn store_push(&mut self, out: &PushOutcome, by: Pusher<'_>, at: &str) -> Result<()> {
        let conn = self.conn;
        let mut last_seq: HashMap<Uuid, i64> = HashMap::new();
        let mut log = conn.prepare_cached(
            "INSERT INTO log (doc_id, event, hash, bytes, owner, at, device_id)
             VALUES (?1, 'change', ?2, ?3, ?4, ?5, ?6)",
        )?;
        let device = by.device.to_string();
        for a in &out.accepted {
            log.execute(params![
                a.doc_id.to_string(),
                a.hash,
                a.bytes,
                a.owner,
                at,
                device
            ])?;
            last_seq.insert(a.doc_id, conn.last_insert_rowid());
        }
        let mut upsert = conn.prepare_cached(
            "INSERT INTO docs (id, kind, owner, account_id, data, chunks, record, conflicts, updated_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, data = excluded.data,
               chunks = excluded.chunks, record = excluded.record, conflicts = excluded.conflicts,
               updated_seq = excluded.updated_seq",
        )?;
        for d in &out.docs {
            upsert.execute(params![
                d.id.to_string(),
                d.placement.kind.as_str(),
                d.placement.owner,
                d.placement.account_id.map(|a| a.to_string()),
                d.data,
                // `chunks`: documents are stored saved whole (older rows may have chunks).
                0,
                d.record,
                d.conflicts,
                last_seq.get(&d.id).copied().unwrap_or(0),
            ])?;
            match (&d.report, &d.placement.owner) {
                (Some(row), Some(owner)) => super::reports::put_row(conn, row, owner)?,
                _ => super::reports::remove_row(conn, d.id)?,
            }
        }
        let mut quarantine = conn.prepare_cached(
            "INSERT INTO quarantine (at, user, device_id, doc_id, kind, hash, reason, bytes, cause)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for q in &out.refused {
            quarantine.execute(params![
                at,
                by.user,
                device,
                q.doc_id.to_string(),
                q.kind.as_str(),
                q.hash,
                q.reason,
                q.bytes,
                q.cause.as_str(),
            ])?;
        }
        Ok(())
    }

    fn set_assignee(&mut self, case: Uuid, account: Uuid, assignee: Option<&str>) -> Result<()> {
        match assignee {
            Some(user) => self
                .conn
                .prepare_cached(
                    "INSERT INTO assignments (case_id, assignee, account_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id) DO UPDATE SET assignee = excluded.assignee,
                       account_id = excluded.account_id",
                )?
                .execute(params![case.to_string(), user, account.to_string()])?,
            None => self
                .conn
                .prepare_cached("DELETE FROM assignments WHERE case_id = ?1")?
                .execute([case.to_string()])?,
        };
        Ok(())
    }

    fn assigned_to(&mut self, user: &str) -> Result<Vec<Assignment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT case_id, account_id FROM assignments WHERE assignee = ?1 ORDER BY case_id",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (case, account) = row?;
            out.push(Assignment {
                case: parse_uuid(&case)?,
                account: parse_uuid(&account)?,
            });
        }
        Ok(out)
    }

    fn counts(&mut self) -> Result<Counts> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            docs: count("SELECT count(*) FROM docs")?,
            log: count("SELECT coalesce(max(seq), 0) FROM log")?,
            quarantine: count("SELECT count(*) FROM quarantine")?,
            users: count("SELECT count(*) FROM users")?,
            devices: count("SELECT count(*) FROM devices")?,
        })
    }
}
