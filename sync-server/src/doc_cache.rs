//! Recently written record documents, kept loaded so the next push that changes them does
//! not parse them again (devices tend to edit what they just wrote). Each entry is tagged
//! with the log position of the record's last change; an entry whose tag differs from the
//! stored record's is never used. Bounded: at most [`DocCache::CAPACITY`] documents, an
//! arbitrary one evicted when full (a few KiB each).
//!
//! Knows nothing of storage: backends look entries up by the version they read and put
//! documents back only after the write that produced them committed.

use fieldbook_core::doc::RecordDoc;
use std::collections::HashMap;
use std::sync::Mutex;
use uuid::Uuid;

pub struct DocCache {
    docs: Mutex<HashMap<Uuid, (i64, RecordDoc)>>,
}

impl Default for DocCache {
    fn default() -> Self {
        DocCache {
            docs: Mutex::new(HashMap::new()),
        }
    }
}

impl DocCache {
    pub const CAPACITY: usize = 8192;

    /// The document of `id` at `version`, taken out of the cache (a push changes it).
    pub fn take(&self, id: Uuid, version: i64) -> Option<RecordDoc> {
        let mut docs = self.docs.lock().unwrap_or_else(|p| p.into_inner());
        match docs.remove(&id) {
            Some((v, doc)) if v == version => Some(doc),
            _ => None,
        }
    }

    /// Keeps `doc` as the record's document at `version` (its last change's log position).
    pub fn put(&self, id: Uuid, version: i64, doc: RecordDoc) {
        let mut docs = self.docs.lock().unwrap_or_else(|p| p.into_inner());
        if docs.len() >= Self::CAPACITY
            && !docs.contains_key(&id)
            && let Some(evict) = docs.keys().next().copied()
        {
            docs.remove(&evict);
        }
        match docs.get(&id) {
            // A later version is there already (pushes finish in any order).
            Some((v, _)) if *v > version => {}
            _ => {
                docs.insert(id, (version, doc));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.docs.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use fieldbook_core::Kind;
    use fieldbook_core::doc::Author;

    fn doc() -> RecordDoc {
        let author = Author {
            user: "alice".into(),
            at: time::OffsetDateTime::now_utc(),
        };
        let name = fieldbook_core::schema::field(Kind::Account, "name").unwrap();
        let value = fieldbook_core::value::Value::Str("Acme".into());
        let mut d = RecordDoc::create(
            Kind::Account,
            Uuid::now_v7(),
            &ActorId::random(),
            &author,
            &[(name, value)],
        )
        .unwrap();
        d.commit(&author).unwrap();
        d
    }

    #[test]
    fn only_the_version_that_was_put_comes_back_and_only_once() {
        let cache = DocCache::default();
        let d = doc();
        let id = d.id();
        cache.put(id, 7, d);
        assert!(cache.take(id, 6).is_none(), "another version is never used");
        assert!(cache.take(id, 7).is_none(), "and the stale entry is gone");
        cache.put(id, 9, doc());
        cache.put(id, 8, doc());
        assert!(
            cache.take(id, 9).is_some(),
            "an older put does not replace a newer one"
        );
        assert!(cache.take(id, 9).is_none(), "taken out");
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let cache = DocCache::default();
        let bytes = doc().save();
        for i in 0..DocCache::CAPACITY + 10 {
            let copy = RecordDoc::load(&bytes, &ActorId::random()).unwrap();
            cache.put(Uuid::from_u128(i as u128), 1, copy);
        }
        assert_eq!(cache.len(), DocCache::CAPACITY);
    }
}
