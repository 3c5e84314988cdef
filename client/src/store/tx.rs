//! One write transaction, as typed operations: documents, projections, the outbox queue,
//! settings, and the look-ups the write checks need. Other modules write only through
//! this; the SQL stays in the store module. Search rows are gathered and written at
//! commit, after every other row: a statement that needs a statement journal (an upsert)
//! makes FTS5 write its pending rows as a new segment, so interleaving them would write a
//! segment per record. A pull, whose new records are plain inserts, writes them at once
//! instead (`search_rows_at_once`), so that its commit has little left to do.

use super::Settings;
use super::attention;
use super::docs::StoredDoc;
use super::outbox;
use super::projection::{self, RowState, SearchRow};
use super::shared::Shared;
use crate::error::Result;
use fieldbook_core::Kind;
use fieldbook_core::doc::RecordDoc;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

pub(crate) struct Tx<'a> {
    tx: Transaction<'a>,
    settings: &'a Settings,
    shared: &'a Shared,
    search: Vec<SearchRow>,
    search_at_once: bool,
    /// Records were stored that may have arrived before their parent (absorb, pull).
    fix_parents: bool,
    /// How the number of live records of each kind changed (written to `tallies` at
    /// commit, in one statement per kind rather than one per record).
    live: std::collections::BTreeMap<Kind, i64>,
}

/// What a quote line takes from its product.
#[derive(Default)]
pub(crate) struct ProductForLine {
    pub name: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
}

/// What a write checks about a record it refers to.
pub(crate) struct RefState {
    pub kind: Option<Kind>,
    pub deleted: bool,
}

impl<'a> Tx<'a> {
    pub(super) fn new(tx: Transaction<'a>, settings: &'a Settings, shared: &'a Shared) -> Tx<'a> {
        Tx {
            tx,
            settings,
            shared,
            search: Vec::new(),
            search_at_once: false,
            fix_parents: false,
            live: Default::default(),
        }
    }

    pub(super) fn conn(&self) -> &Connection {
        &self.tx
    }

    pub(super) fn commit(self) -> Result<()> {
        for (kind, by) in &self.live {
            if *by != 0 {
                projection::tally_live(&self.tx, *kind, *by)?;
            }
        }
        projection::write_search(&self.tx, &self.search)?;
        if self.fix_parents {
            projection::fix_parent_accounts(&self.tx)?;
        }
        self.tx.commit()?;
        Ok(())
    }

    pub fn settings(&self) -> &Settings {
        self.settings
    }

    /// Writes each search row with its record's other rows, not at commit (see above).
    pub fn search_rows_at_once(&mut self) {
        self.search_at_once = true;
    }

    fn search_row(&mut self, row: SearchRow) -> Result<()> {
        *self.live.entry(row.kind()).or_default() += row.live();
        if self.search_at_once {
            projection::write_search(&self.tx, &[row])
        } else {
            self.search.push(row);
            Ok(())
        }
    }

    /// Whether another connection waits to write: a long transaction should end soon.
    pub fn others_waiting(&self) -> bool {
        self.shared.others_waiting()
    }

    // --- Documents ---

    pub fn load(&self, id: Uuid) -> Result<Option<StoredDoc>> {
        StoredDoc::load(&self.tx, id, &self.settings.actor)
    }

    /// Stores a document new here, saved whole.
    pub fn insert_doc(&self, doc: &mut RecordDoc) -> Result<()> {
        StoredDoc::insert(&self.tx, doc)
    }

    /// Stores a document created here as its one creating change, queued for the server.
    pub fn insert_created(&self, doc: &RecordDoc, change: &[u8]) -> Result<()> {
        StoredDoc::insert_created(&self.tx, doc, change)
    }

    /// Stores a record created here as its one creating change, queued for the server (its
    /// document built elsewhere, e.g. on an import's worker thread).
    pub fn insert_created_change(&self, id: Uuid, kind: Kind, change: &[u8]) -> Result<()> {
        StoredDoc::insert_created_change(&self.tx, id, kind, change)
    }

    /// Stores a document new here as the bytes it came in (a snapshot), without loading it.
    pub fn insert_raw(&self, id: Uuid, kind: Kind, bytes: &[u8]) -> Result<()> {
        StoredDoc::insert_raw(&self.tx, id, kind, bytes)
    }

    /// Appends changes to a held document (compacting now and then), and queues them for
    /// the server if `queue`.
    pub fn append(&self, stored: &mut StoredDoc, changes: &[Vec<u8>], queue: bool) -> Result<()> {
        stored.append(&self.tx, changes, queue)
    }

    // --- The outbox ---

    /// Queues a change for the server (with its own copy of its bytes: for changes not
    /// stored as they are, such as those of a document saved whole).
    pub fn queue(&self, doc_id: Uuid, change: &[u8]) -> Result<()> {
        outbox::append(&self.tx, doc_id, change)
    }

    /// Drops the changes the server acknowledged (up to `last_seq`).
    pub fn acknowledge(&self, last_seq: i64) -> Result<()> {
        outbox::acknowledge(&self.tx, last_seq)
    }

    // --- Projections ---

    /// Rewrites a record's projection rows from its document; `owner` is the server's word
    /// (`None` keeps the row's owner, or makes the creator owner of a new row).
    pub fn project(&mut self, doc: &mut RecordDoc, owner: Option<&str>) -> Result<()> {
        let conflicts = doc.conflicts()?.len();
        let record = doc.read();
        let attention = attention::of_record(&record);
        let json = record.to_json(owner.unwrap_or(""));
        let state = RowState {
            conflicts,
            attention: attention.as_deref(),
        };
        let row = projection::upsert_json(&self.tx, doc.kind(), &json, state, owner)?;
        self.fix_parents |= owner.is_some();
        self.search_row(row)
    }

    /// Writes the projection rows of a record created here just now, from its JSON and the
    /// rules it breaks as read from its document (a new document has no conflicts).
    pub fn project_new(
        &mut self,
        kind: Kind,
        record: &Map<String, Json>,
        attention: Option<&str>,
    ) -> Result<()> {
        let state = RowState {
            conflicts: 0,
            attention,
        };
        let row = projection::insert_new_json(&self.tx, kind, record, state)?;
        self.search_row(row)
    }

    /// Writes the projection rows of a record this store did not hold, from the record JSON
    /// the server sent with its snapshot.
    pub fn project_snapshot(
        &mut self,
        kind: Kind,
        record: &Map<String, Json>,
        conflicts: usize,
        owner: &str,
    ) -> Result<()> {
        let attention = attention::of_json(kind, record);
        let state = RowState {
            conflicts,
            attention: attention.as_deref(),
        };
        let row = projection::insert_json(&self.tx, kind, record, state, owner)?;
        self.fix_parents = true;
        self.search_row(row)
    }

    /// Records that quotes and tasks may have arrived before their opportunity.
    pub fn parents_may_follow(&mut self) {
        self.fix_parents = true;
    }

    pub fn set_owner(&self, id: Uuid, owner: &str) -> Result<()> {
        projection::set_owner(&self.tx, &id.to_string(), owner)
    }

    /// Removes a record and everything derived from it, outbox entries included.
    pub fn remove(&mut self, id: Uuid) -> Result<()> {
        if let Some(kind) = projection::remove(&self.tx, &id.to_string())? {
            *self.live.entry(kind).or_default() -= 1;
        }
        outbox::forget(&self.tx, id)
    }

    // --- Look-ups for the write checks ---

    /// The kind and deletion mark of a record, if held.
    pub fn ref_state(&self, id: Uuid) -> Result<Option<RefState>> {
        ref_state(&self.tx, id)
    }

    /// The live product other than `except` that uses `sku`, if any.
    pub fn product_with_sku(&self, sku: &str, except: Option<Uuid>) -> Result<Option<String>> {
        let except = except.map(|e| e.to_string()).unwrap_or_default();
        Ok(self
            .tx
            .prepare_cached(
                "SELECT p.id FROM p_product p JOIN records r ON r.id = p.id
                 WHERE p.sku = ?1 AND p.id != ?2 AND r.deleted = 0",
            )?
            .query_row([sku, &except], |r| r.get(0))
            .optional()?)
    }

    /// Whether any product (even deleted) uses `sku`.
    pub fn sku_exists(&self, sku: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM p_product WHERE sku = ?1")?
            .exists([sku])?)
    }

    /// An account's parent account, if it has one.
    pub fn parent_of(&self, id: Uuid) -> Result<Option<Uuid>> {
        parent_of(&self.tx, id)
    }

    /// The account a record belongs to (an account's is itself), if held.
    pub fn account_of(&self, id: Uuid) -> Result<Option<Uuid>> {
        Ok(self
            .text_of("SELECT account_id FROM records WHERE id = ?1", id)?
            .and_then(|a| Uuid::parse_str(&a).ok()))
    }

    /// A setting kept as text, by key (read in this transaction).
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        super::meta::get(&self.tx, key)
    }

    /// A record's owner (the server's word, or its creator before the first sync).
    pub fn owner_of(&self, id: Uuid) -> Result<Option<String>> {
        self.text_of("SELECT owner FROM records WHERE id = ?1", id)
    }

    /// An opportunity's currency.
    pub fn opportunity_currency(&self, id: Uuid) -> Result<Option<String>> {
        self.text_of("SELECT currency FROM p_opportunity WHERE id = ?1", id)
    }

    /// What a quote line takes from a product: its name, unit price and currency.
    pub fn product_for_line(&self, id: Uuid) -> Result<ProductForLine> {
        Ok(self
            .tx
            .prepare_cached("SELECT name, unit_price, currency FROM p_product WHERE id = ?1")?
            .query_row([id.to_string()], |r| {
                Ok(ProductForLine {
                    name: r.get(0)?,
                    price: r.get(1)?,
                    currency: r.get(2)?,
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    fn text_of(&self, sql: &str, id: Uuid) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row([id.to_string()], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }
}

/// The kind and deletion mark of a record, if held.
pub(super) fn ref_state(conn: &Connection, id: Uuid) -> Result<Option<RefState>> {
    let found: Option<(String, bool)> = conn
        .prepare_cached("SELECT kind, deleted FROM records WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.map(|(k, deleted)| RefState {
        kind: Kind::parse(&k).ok(),
        deleted,
    }))
}

/// An account's parent account, if it has one.
pub(super) fn parent_of(conn: &Connection, id: Uuid) -> Result<Option<Uuid>> {
    let parent: Option<String> = conn
        .prepare_cached("SELECT parent_id FROM p_account WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten();
    Ok(parent.and_then(|p| Uuid::parse_str(&p).ok()))
}
