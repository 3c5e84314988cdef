//! Reads for bulk work over a whole kind: the names records go by (to find an import row's
//! account by name), the product SKUs in use, what duplicate detection compares, and the
//! records that refer to one record (what a merge moves). Every read returns typed rows
//! from the projections; no document is loaded.

use super::{Store, Tx};
use crate::error::Result;
use fieldbook_core::Kind;
use fieldbook_core::dedupe::Candidate;
use fieldbook_core::schema::{self, FieldType};
use rusqlite::Connection;
use std::collections::HashMap;
use uuid::Uuid;

/// A live record that refers to another through one of its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Referrer {
    pub id: Uuid,
    pub kind: Kind,
    /// The field holding the reference.
    pub field: &'static str,
}

fn uuid(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

impl Store {
    /// How many documents the store holds (deleted records included).
    pub(crate) fn doc_count(&self) -> Result<u64> {
        Ok(self
            .db()?
            .query_row("SELECT count(*) FROM docs", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The id and title of every live record of `kind`.
    pub fn titles(&self, kind: Kind) -> Result<Vec<(Uuid, String)>> {
        let db = self.db()?;
        let mut stmt =
            db.prepare_cached("SELECT id, title FROM records WHERE kind = ?1 AND deleted = 0")?;
        let rows = stmt.query_map([kind.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title) = row?;
            if let Some(id) = uuid(&id) {
                out.push((id, title));
            }
        }
        Ok(out)
    }

    /// The SKU of every live product, with its id.
    pub(crate) fn skus(&self) -> Result<HashMap<String, Uuid>> {
        let db = self.db()?;
        let mut stmt = db.prepare_cached(
            "SELECT sku, id FROM p_product WHERE deleted = 0 AND sku IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (sku, id) = row?;
            if let Some(id) = uuid(&id) {
                out.insert(sku, id);
            }
        }
        Ok(out)
    }

    /// What duplicate detection compares of every live record of `kind`: its title, and its
    /// `phone`, `email` and `website` where the kind has them.
    pub(crate) fn dedupe_candidates(&self, kind: Kind) -> Result<Vec<Candidate>> {
        let has = |f: &str| schema::fields(kind).iter().any(|s| s.name == f);
        let col = |f: &str| {
            if has(f) {
                format!("p.{f}")
            } else {
                "NULL".to_string()
            }
        };
        let sql = format!(
            "SELECT p.id, r.title, {}, {}, {} FROM p_{kind} p JOIN records r ON r.id = p.id
             WHERE p.deleted = 0",
            col("phone"),
            col("email"),
            col("website")
        );
        let db = self.db()?;
        let mut stmt = db.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, phone, email, website) = row?;
            if let Some(id) = uuid(&id) {
                out.push(Candidate {
                    id,
                    name,
                    phone,
                    email,
                    website,
                });
            }
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// The live records that refer to `id` (of `kind`), as this transaction sees them.
    pub fn referrers(&self, id: Uuid, kind: Kind) -> Result<Vec<Referrer>> {
        referrers(self.conn(), id, kind)
    }
}

/// The live records that refer to `id` through a field of theirs (children through their
/// parent field, activities through `contact_id`, accounts through `parent_id`, ...), the
/// record itself aside; ordered by kind (as [`Kind::ALL`]) then id.
fn referrers(db: &Connection, id: Uuid, kind: Kind) -> Result<Vec<Referrer>> {
    let mut out = Vec::new();
    for k in Kind::ALL {
        for spec in schema::fields(k) {
            if spec.ty != FieldType::Ref(kind) || spec.name == schema::MERGED_INTO {
                continue;
            }
            let sql = format!(
                "SELECT id FROM p_{k} WHERE {} = ?1 AND deleted = 0 AND id != ?1 ORDER BY id",
                spec.name
            );
            let mut stmt = db.prepare_cached(&sql)?;
            let ids = stmt.query_map([id.to_string()], |r| r.get::<_, String>(0))?;
            for found in ids {
                if let Some(found) = uuid(&found?) {
                    out.push(Referrer {
                        id: found,
                        kind: k,
                        field: spec.name,
                    });
                }
            }
        }
    }
    Ok(out)
}
