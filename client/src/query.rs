//! Reading records as typed values: one record with its conflicts, lists with filters,
//! history and open conflicts. Lists read projections (through the store's typed rows); a
//! document is loaded only for one record, its history, or its conflicts. Knows no SQL.

use crate::error::{ClientError, Result, Rule};
use crate::model::{Conflict, HistoryEntry, RecordConflicts, RecordView, SyncStatus};
use crate::store::{Clause, ListSql, Sort, Store};
use fieldbook_core::rules;
use fieldbook_core::schema::{self, FieldSpec, FieldType};
use fieldbook_core::value::{self, FieldValue};
use fieldbook_core::{CoreError, Kind};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// What `list` is asked for (every part may be left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ListQuery {
    /// Every filter must hold.
    pub filters: Vec<Filter>,
    /// Only records matching this text.
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub include_deleted: bool,
    /// Only the records of this account (the account itself, its contacts, deals, quotes,
    /// activities and tasks).
    pub account: Option<Uuid>,
    /// The order of the list.
    pub order: ListOrder,
    /// Where a page starts: after this record (the `next` of the page before).
    pub after: Option<ListCursor>,
}

/// The order of a list. Pages follow one another by the sort value and id of their last
/// record (keyset paging): a page costs the same wherever it starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ListOrder {
    /// Most recently changed first.
    #[default]
    Recent,
    /// By a field of the kind (its projection column); records without a value last; ties
    /// by id. Decimals sort by their value.
    Field { field: String, descending: bool },
}

/// Where the next page starts: the sort value and the id of the last record of a page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListCursor {
    pub value: Option<FieldValue>,
    pub id: Uuid,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListPage {
    pub records: Vec<RecordView>,
    /// The cursor of the next page; `None` when this page is the last.
    pub next: Option<ListCursor>,
}

/// An equality filter: a field of the kind (by name), or `owner`, `created_by`,
/// `updated_by`. `None` matches records where the field is unset; on a tags field, a text
/// matches records carrying that tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Filter {
    pub field: String,
    pub value: Option<FieldValue>,
}

/// What a filter can name besides the kind's fields.
pub const META_FILTERS: &[&str] = &["owner", "created_by", "updated_by"];

/// What a list filter names.
#[derive(Clone, Copy, Debug)]
pub enum FilterField {
    /// `owner`, `created_by` or `updated_by`.
    Meta(&'static str),
    Field(&'static FieldSpec),
}

/// The field a list of `kind` may be filtered on by `name`.
pub fn filter_field(kind: Kind, name: &str) -> Result<FilterField> {
    if let Some(m) = META_FILTERS.iter().find(|m| **m == name) {
        return Ok(FilterField::Meta(m));
    }
    let spec = schema::field(kind, name).ok_or_else(|| CoreError::UnknownField {
        kind: kind.a().into(),
        field: name.into(),
        known: format!(
            "{}, {}",
            fieldbook_core::doc::field_names(kind),
            META_FILTERS.join(", ")
        ),
    })?;
    if matches!(spec.ty, FieldType::Notes | FieldType::Lines) {
        return Err(ClientError::Rule(Rule::NotFilterable(name.into())));
    }
    Ok(FilterField::Field(spec))
}

fn clause(kind: Kind, f: &Filter, now: OffsetDateTime) -> Result<Clause> {
    let text = |v: &Option<FieldValue>| match v {
        Some(FieldValue::Text(t)) => Ok(t.trim().to_string()),
        Some(other) => Err(ClientError::Core(CoreError::InvalidValue {
            field: f.field.clone(),
            value: other.to_json().to_string(),
            expected: "a text".into(),
        })),
        None => Ok(String::new()),
    };
    Ok(match filter_field(kind, &f.field)? {
        FilterField::Meta(name) => Clause::Meta(name, text(&f.value)?),
        FilterField::Field(spec) if spec.ty == FieldType::Tags => {
            Clause::HasTag(spec.name, text(&f.value)?)
        }
        FilterField::Field(spec) => match f.value.as_ref().map(|v| value::check(spec, v, now)) {
            None | Some(Ok(None)) => Clause::IsNull(spec.name),
            Some(Ok(Some(v))) => Clause::Equals(spec.name, v.into()),
            Some(Err(e)) => return Err(e.into()),
        },
    })
}

impl Store {
    /// Server, user, last sync and changes waiting to go up. Readable with no network.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let st = self.sync_state()?;
        Ok(SyncStatus {
            server: st.server_url.or(st.bound_server),
            user: st.server_user.filter(|_| st.token.is_some()),
            role: st.role,
            device_id: st.device_id,
            last_sync: st.last_sync,
            pending: self.outbox_len()?,
            store_user: self.settings().user.clone(),
            refused: self.refused_changes()?,
        })
    }

    /// Every field, computed values, metadata and open conflicts of one record.
    pub fn record(&self, id: Uuid) -> Result<RecordView> {
        let mut stored = self.load_doc(id)?;
        let record = stored.doc.read();
        let json = record.to_json(&self.owner_of(id)?);
        let mut view =
            RecordView::from_json(&json).ok_or_else(|| ClientError::NotFound(id.to_string()))?;
        view.attention = rules::attention(&record);
        view.conflicts = stored
            .doc
            .conflicts()?
            .into_iter()
            .map(Conflict::from)
            .collect();
        view.has_conflicts = !view.conflicts.is_empty();
        view.heads = stored.doc.heads_text();
        Ok(view)
    }

    /// Every field change of a record, oldest first, with when the server received each
    /// change when it said so.
    pub fn history(&self, id: Uuid) -> Result<Vec<HistoryEntry>> {
        let mut entries: Vec<HistoryEntry> = self
            .load_doc(id)?
            .doc
            .history()?
            .into_iter()
            .map(HistoryEntry::from)
            .collect();
        let mut known: std::collections::HashMap<String, Option<String>> = Default::default();
        for e in &mut entries {
            if !known.contains_key(&e.change) {
                let at = self.received_at(&e.change)?;
                known.insert(e.change.clone(), at);
            }
            e.received_at = known[&e.change].clone();
        }
        Ok(entries)
    }

    /// Open conflicts of one record, or of every record that has some.
    pub fn conflicts(&self, id: Option<Uuid>) -> Result<Vec<RecordConflicts>> {
        let ids = match id {
            Some(id) => {
                self.kind_of(id)?;
                vec![id]
            }
            None => self.ids_with_conflicts()?,
        };
        let mut out = Vec::new();
        for id in ids {
            let mut stored = self.load_doc(id)?;
            let conflicts = stored.doc.conflicts()?;
            if conflicts.is_empty() {
                continue;
            }
            let r = stored.doc.read();
            out.push(RecordConflicts {
                id,
                kind: r.kind,
                title: r.title(),
                currency: r.str("currency").map(str::to_string),
                conflicts: conflicts.into_iter().map(Conflict::from).collect(),
            });
        }
        Ok(out)
    }

    /// Records of a kind matching the query, in its order (most recently changed first by
    /// default), from `after` on, at most `limit` (from the projections: no document is
    /// loaded; `conflicts` is empty, `has_conflicts` says).
    pub fn list(&self, kind: Kind, q: &ListQuery) -> Result<Vec<RecordView>> {
        self.list_rows(kind, &list_sql(kind, q)?)
    }

    /// One page of a list (`limit` records, 100 if not given) and the cursor of the next.
    pub fn list_page(&self, kind: Kind, q: &ListQuery) -> Result<ListPage> {
        let limit = q.limit.unwrap_or(100).max(1);
        let mut sql = list_sql(kind, q)?;
        sql.limit = Some(limit);
        let records = self.list_rows(kind, &sql)?;
        let next = match records.last() {
            Some(last) if records.len() == limit => Some(ListCursor {
                value: match &sql.sort {
                    Sort::Updated => Some(FieldValue::Text(last.updated_at.clone())),
                    Sort::Column { spec, .. } => {
                        last.fields.get(schema::output_name(spec)).cloned()
                    }
                },
                id: last.id,
            }),
            _ => None,
        };
        Ok(ListPage { records, next })
    }

    /// How many records of a kind match the query (its filters, search, account; not its
    /// cursor or limit).
    pub fn count(&self, kind: Kind, q: &ListQuery) -> Result<u64> {
        let mut sql = list_sql(kind, q)?;
        sql.after = None;
        self.count_rows(kind, &sql)
    }
}

/// A list query checked against the kind's schema.
fn list_sql(kind: Kind, q: &ListQuery) -> Result<ListSql> {
    let now = OffsetDateTime::now_utc();
    let mut clauses = q
        .filters
        .iter()
        .map(|f| clause(kind, f, now))
        .collect::<Result<Vec<_>>>()?;
    if let Some(account) = q.account {
        clauses.push(Clause::Account(account.to_string()));
    }
    let sort = match &q.order {
        ListOrder::Recent => Sort::Updated,
        ListOrder::Field { field, descending } => match filter_field(kind, field)? {
            FilterField::Field(spec) if spec.ty != FieldType::Tags => Sort::Column {
                spec,
                descending: *descending,
            },
            _ => return Err(ClientError::Rule(Rule::NotSortable(field.clone()))),
        },
    };
    let after = q
        .after
        .as_ref()
        .map(|c| (c.value.clone(), c.id.to_string()));
    Ok(ListSql {
        clauses,
        search: q.search.clone(),
        limit: q.limit,
        include_deleted: q.include_deleted,
        sort,
        after,
    })
}
