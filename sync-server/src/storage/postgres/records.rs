//! Record documents in SQL: reading them (whole, placed, as snapshots, by owner or
//! account), moving them between owners, and writing what a push did: its log entries and
//! documents each in one statement (arrays unnested), its refusals into the quarantine.
//! Knows nothing of Automerge or of who may see what.

use super::repo::{PgRepo, parse_kind, unsigned};
use crate::error::Result;
use crate::ownership::Placement;
use crate::push::{PushOutcome, StoredDoc};
use crate::storage::{
    Assignment, Counts, OwnerFilter, Pusher, RecordOwner, RecordRepo, StoredRecord, StoredSnapshot,
};
use fieldbook_core::Kind;
use std::collections::BTreeMap;
use tokio_postgres::Row;
use uuid::Uuid;

fn placement(r: &Row, at: usize) -> Result<Placement> {
    Ok(Placement {
        kind: parse_kind(r.get(at))?,
        owner: r.get(at + 1),
        account_id: r.get(at + 2),
    })
}

fn record_owners(rows: Vec<Row>) -> Result<Vec<RecordOwner>> {
    rows.iter()
        .map(|r| {
            Ok(RecordOwner {
                id: r.get(0),
                kind: parse_kind(r.get(1))?,
                owner: r.get(2),
            })
        })
        .collect()
}

impl RecordRepo for PgRepo<'_> {
    fn is_known_change(&mut self, hash: &str) -> Result<bool> {
        Ok(self
            .opt("SELECT 1 FROM log WHERE hash = $1", &[&hash])?
            .is_some())
    }

    fn doc(&mut self, id: Uuid) -> Result<Option<StoredDoc>> {
        self.opt(
            "SELECT kind, owner, account_id, data FROM docs WHERE id = $1",
            &[&id],
        )?
        .map(|r| {
            Ok(StoredDoc {
                placement: placement(&r, 0)?,
                data: r.get(3),
            })
        })
        .transpose()
    }

    fn placement(&mut self, id: Uuid) -> Result<Option<Placement>> {
        self.opt(
            "SELECT kind, owner, account_id FROM docs WHERE id = $1",
            &[&id],
        )?
        .map(|r| placement(&r, 0))
        .transpose()
    }

    fn snapshot(&mut self, id: Uuid) -> Result<Option<StoredSnapshot>> {
        self.opt(
            "SELECT kind, owner, data, record, conflicts FROM docs WHERE id = $1",
            &[&id],
        )?
        .map(|r| {
            Ok(StoredSnapshot {
                id,
                kind: parse_kind(r.get(0))?,
                owner: r.get(1),
                data: r.get(2),
                record: r.get(3),
                conflicts: unsigned(r.get(4)) as u32,
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
        let n = limit.min(i64::MAX as usize) as i64;
        let rows = match owner {
            OwnerFilter::Any => self.rows(
                "SELECT id FROM docs WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2",
                &[&after, &n],
            )?,
            OwnerFilter::Owner(o) => self.rows(
                "SELECT id FROM docs WHERE owner = $3 AND ($1::uuid IS NULL OR id > $1::uuid)
                 ORDER BY id LIMIT $2",
                &[&after, &n, &o],
            )?,
            OwnerFilter::Nobody => self.rows(
                "SELECT id FROM docs WHERE owner IS NULL AND ($1::uuid IS NULL OR id > $1::uuid)
                 ORDER BY id LIMIT $2",
                &[&after, &n],
            )?,
        };
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn records_owned_by(&mut self, owner: &str) -> Result<Vec<RecordOwner>> {
        record_owners(self.rows(
            "SELECT id, kind, owner FROM docs WHERE owner = $1 ORDER BY id",
            &[&owner],
        )?)
    }

    fn records_of_account(&mut self, account: Uuid) -> Result<Vec<RecordOwner>> {
        record_owners(self.rows(
            "SELECT id, kind, owner FROM docs WHERE account_id = $1 ORDER BY id",
            &[&account],
        )?)
    }

    fn records_page(
        &mut self,
        kind: Kind,
        owners: Option<&[String]>,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<StoredRecord>> {
        if owners.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let owners: Option<Vec<String>> = owners.map(<[String]>::to_vec);
        let n = limit.min(i64::MAX as usize) as i64;
        self.rows(
            "SELECT id, owner, record FROM docs
             WHERE kind = $1 AND ($2::text[] IS NULL OR owner = ANY($2::text[]))
               AND ($3::uuid IS NULL OR id > $3::uuid)
             ORDER BY id LIMIT $4",
            &[&kind.as_str(), &owners, &after, &n],
        )?
        .iter()
        .map(|r| {
            Ok(StoredRecord {
                id: r.get(0),
                kind,
                owner: r.get(1),
                record: r.get(2),
            })
        })
        .collect()
    }

    fn owned_counts(&mut self, owner: &str) -> Result<BTreeMap<Kind, u64>> {
        let mut out = BTreeMap::new();
        for r in self.rows(
            "SELECT kind, count(*) FROM docs WHERE owner = $1 GROUP BY kind",
            &[&owner],
        )? {
            out.insert(parse_kind(r.get(0))?, unsigned(r.get(1)));
        }
        Ok(out)
    }

    fn owned_records(&mut self) -> Result<Vec<RecordOwner>> {
        record_owners(self.rows(
            "SELECT id, kind, owner FROM docs WHERE owner IS NOT NULL ORDER BY id",
            &[],
        )?)
    }

    fn account_parent(&mut self, id: Uuid) -> Result<Option<Uuid>> {
        let parent: Option<String> = self
            .opt(
                "SELECT record::json ->> 'parent_id' FROM docs WHERE id = $1 AND kind = 'account'",
                &[&id],
            )?
            .and_then(|r| r.get(0));
        Ok(parent
            .filter(|p| !p.is_empty())
            .and_then(|p| Uuid::parse_str(&p).ok()))
    }

    fn set_owner(&mut self, id: Uuid, owner: &str) -> Result<()> {
        self.exec("UPDATE docs SET owner = $2 WHERE id = $1", &[&id, &owner])?;
        super::reports::move_row(self, id, owner)
    }

    fn store_push(&mut self, out: &PushOutcome, by: Pusher<'_>, at: &str) -> Result<()> {
        if !out.accepted.is_empty() {
            let mut seqs = Vec::with_capacity(out.accepted.len());
            for _ in &out.accepted {
                seqs.push(self.next_seq()?);
            }
            let docs: Vec<Uuid> = out.accepted.iter().map(|a| a.doc_id).collect();
            let hashes: Vec<&str> = out.accepted.iter().map(|a| a.hash.as_str()).collect();
            let bytes: Vec<&[u8]> = out.accepted.iter().map(|a| a.bytes.as_slice()).collect();
            let owners: Vec<Option<&str>> =
                out.accepted.iter().map(|a| a.owner.as_deref()).collect();
            self.exec(
                "INSERT INTO log (seq, doc_id, event, hash, bytes, owner, at, device_id)
                 SELECT s, d, 'change', h, b, o, $5, $6
                 FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bytea[], $7::text[])
                   AS t (s, d, h, b, o)",
                &[&seqs, &docs, &hashes, &bytes, &at, &by.device, &owners],
            )?;
        }
        if !out.docs.is_empty() {
            let ids: Vec<Uuid> = out.docs.iter().map(|d| d.id).collect();
            let kinds: Vec<&str> = out.docs.iter().map(|d| d.placement.kind.as_str()).collect();
            let owners: Vec<Option<&str>> = out
                .docs
                .iter()
                .map(|d| d.placement.owner.as_deref())
                .collect();
            let accounts: Vec<Option<Uuid>> =
                out.docs.iter().map(|d| d.placement.account_id).collect();
            let data: Vec<&[u8]> = out.docs.iter().map(|d| d.data.as_slice()).collect();
            let records: Vec<&str> = out.docs.iter().map(|d| d.record.as_str()).collect();
            let conflicts: Vec<i64> = out.docs.iter().map(|d| i64::from(d.conflicts)).collect();
            self.exec(
                "INSERT INTO docs (id, kind, owner, account_id, data, record, conflicts)
                 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[],
                                      $5::bytea[], $6::text[], $7::bigint[])
                 ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,
                   data = excluded.data, record = excluded.record, conflicts = excluded.conflicts",
                &[
                    &ids, &kinds, &owners, &accounts, &data, &records, &conflicts,
                ],
            )?;
            let rows: Vec<_> = out
                .docs
                .iter()
                .filter_map(|d| match (&d.report, &d.placement.owner) {
                    (Some(row), Some(owner)) => Some((row, owner.as_str())),
                    _ => None,
                })
                .collect();
            super::reports::replace_rows(self, &ids, &rows)?;
        }
        for q in &out.refused {
            self.exec(
                "INSERT INTO quarantine (at, user_name, device_id, doc_id, kind, hash, reason, bytes, cause)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &at,
                    &by.user,
                    &by.device,
                    &q.doc_id,
                    &q.kind.as_str(),
                    &q.hash,
                    &q.reason,
                    &q.bytes,
                    &q.cause.as_str(),
                ],
            )?;
        }
        Ok(())
    }

    fn set_assignee(&mut self, case: Uuid, account: Uuid, assignee: Option<&str>) -> Result<()> {
        match assignee {
            Some(user) => self.exec(
                "INSERT INTO assignments (case_id, assignee, account_id) VALUES ($1, $2, $3)
                 ON CONFLICT (case_id) DO UPDATE SET assignee = excluded.assignee,
                   account_id = excluded.account_id",
                &[&case, &user, &account],
            )?,
            None => self.exec("DELETE FROM assignments WHERE case_id = $1", &[&case])?,
        };
        Ok(())
    }

    fn assigned_to(&mut self, user: &str) -> Result<Vec<Assignment>> {
        Ok(self
            .rows(
                "SELECT case_id, account_id FROM assignments WHERE assignee = $1 ORDER BY case_id",
                &[&user],
            )?
            .iter()
            .map(|r| Assignment {
                case: r.get(0),
                account: r.get(1),
            })
            .collect())
    }

    fn counts(&mut self) -> Result<Counts> {
        let r = self.one(
            "SELECT (SELECT count(*) FROM docs), (SELECT coalesce(max(seq), 0) FROM log),
                    (SELECT count(*) FROM quarantine), (SELECT count(*) FROM users),
                    (SELECT count(*) FROM devices)",
            &[],
        )?;
        Ok(Counts {
            docs: unsigned(r.get(0)),
            log: unsigned(r.get(1)),
            quarantine: unsigned(r.get(2)),
            users: unsigned(r.get(3)),
            devices: unsigned(r.get(4)),
        })
    }
}
