//! Finished answers kept in this instance's memory, so that a screen refreshed with nothing changed costs
//! neither SQL nor execution: the deputy's home list, asked again and again by phones.
//!
//! - **What is kept**: the serialized answer of a query that ran without errors and resolved only fields
//!   [`crate::graphql::cacheable`] lists, under the viewer (their [`Actor`]), the document, the operation
//!   name, the variables and the media type. Nothing else: an answer is never served to another viewer.
//! - **When it is served**: only while the shared data epochs ([`edaibiao_infra::epoch`]) read the numbers
//!   they read *before* the query ran: the global epoch and those of the list parts the answer read
//!   (`crate::graphql::cacheable::reads`; a deputy's own list reads their own part alone). Every committed
//!   change moves the epochs of what it reached after its commit and before its own response (a
//!   suggestion's step: the parts holding it; a session: none; anything else: the global epoch), so a
//!   client never gets an answer older than its own last action, whichever instance answers; other
//!   instances see the move at once through Redis. One deputy's new draft leaves every other deputy's kept
//!   list good. While the epochs cannot be read (Redis unreachable), nothing is served from here; an
//!   instance that could not record its move records it once Redis answers again, and until then others
//!   may serve an entry from before the change (at most [`TIME_TO_LIVE`]).
//! - **Bounds**: entries live at most [`TIME_TO_LIVE`] (deputies' and units' names come from the directory
//!   memo, which other instances refresh within its own 30 s); at most [`MAX_ENTRIES`] and [`MAX_BYTES`]
//!   are kept, and a full cache starts again empty. A move of the global epoch makes every entry useless,
//!   and the first answer stored at the new one drops them.
//! - **Cost**: a hit reads its epochs in one Redis round trip; a miss one more (two when a stale entry was
//!   found first). Only documents that have been cacheable before ([`PageCache::worth_asking`]) pay it;
//!   mutations and other queries pay one hash of their text and nothing else.
//! - A request with `Cache-Control: no-cache` is answered fresh (and the fresh answer kept).

use actix_web::http::header::EntityTag;
use actix_web::web::Bytes;
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::ListPart;
use edaibiao_infra::epoch::Stamp;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest an answer is kept, whatever the epochs say.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(30);
/// The most answers kept.
pub const MAX_ENTRIES: usize = 20_000;
/// The most bytes of answers kept.
pub const MAX_BYTES: usize = 128 * 1024 * 1024;
/// The most documents remembered as cacheable.
const MAX_DOCUMENTS: usize = 10_000;

/// What an answer is kept under: everything the answer depends on besides stored data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub viewer: Option<Actor>,
    /// The media type the answer is written in.
    pub representation: &'static str,
    /// Whether it is a GET, whose kept answer carries its `ETag`.
    pub conditional: bool,
    pub operation_name: Option<String>,
    pub variables: String,
    pub query: String,
}

/// A document and operation name, by hash ([`PageCache::document`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document(u64);

/// A kept answer.
#[derive(Clone)]
pub struct Page {
    pub body: Bytes,
    /// The `ETag` of a GET's answer.
    pub tag: Option<EntityTag>,
}

struct Entry {
    page: Page,
    /// The list parts the answer read, and the epochs it was computed at (the global one, then theirs).
    parts: Vec<ListPart>,
    stamp: Stamp,
    stored: Instant,
}

#[derive(Default)]
struct Pages {
    /// The newest global epoch seen: every entry was stamped with it.
    epoch: u64,
    entries: HashMap<PageKey, Entry>,
    bytes: usize,
}

/// This instance's kept answers.
pub struct PageCache {
    pages: Mutex<Pages>,
    /// Hashes of (document, operation) that produced a keepable answer before.
    documents: Mutex<HashSet<u64>>,
    hasher: RandomState,
}

impl Default for PageCache {
    fn default() -> Self {
        Self { pages: Mutex::default(), documents: Mutex::default(), hasher: RandomState::new() }
    }
}

impl PageCache {
    fn pages(&self) -> std::sync::MutexGuard<'_, Pages> {
        // Every critical section leaves the map whole; a poisoned lock is usable.
        self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn documents(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.documents.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Names a document and operation without copying them: asking about it costs a hash, not a
    /// [`PageKey`] (which requests that were never keepable, mutations among them, never build).
    pub fn document(&self, query: &str, operation_name: Option<&str>) -> Document {
        Document(self.hasher.hash_one((query, operation_name)))
    }

    /// Whether reading the epochs could pay off: the document gave a keepable answer before. (A hash
    /// collision here costs one needless read, never a wrong answer.)
    pub fn worth_asking(&self, document: Document) -> bool {
        self.documents().contains(&document.0)
    }

    /// Remembers that the document gives keepable answers.
    pub fn learn(&self, document: Document) {
        let mut documents = self.documents();
        if documents.len() >= MAX_DOCUMENTS {
            documents.clear();
        }
        documents.insert(document.0);
    }

    /// The list parts the answer kept under `key` read: the epochs to read to know whether it is fresh.
    pub fn parts_of(&self, key: &PageKey) -> Option<Vec<ListPart>> {
        self.pages().entries.get(key).map(|entry| entry.parts.clone())
    }

    /// The answer kept under `key`, if it was stamped with the epochs read now for its parts (`stamp`) and
    /// is still fresh.
    pub fn get(&self, key: &PageKey, stamp: &Stamp) -> Option<Page> {
        let pages = self.pages();
        if pages.epoch != stamp.global() {
            return None;
        }
        let entry = pages.entries.get(key)?;
        (entry.stamp == *stamp && entry.stored.elapsed() < TIME_TO_LIVE).then(|| entry.page.clone())
    }

    /// Keeps `page`, the answer of a query that read list `parts` and started at `stamp` (of those parts).
    /// An answer from before the newest global epoch seen is dropped; the first from a newer one drops all
    /// others.
    pub fn put(&self, key: PageKey, parts: Vec<ListPart>, stamp: Stamp, page: Page) {
        let key_size = key.query.len() + key.variables.len();
        let size = page.body.len() + key_size;
        let mut pages = self.pages();
        let epoch = stamp.global();
        if epoch < pages.epoch {
            return;
        }
        if epoch > pages.epoch || pages.entries.len() >= MAX_ENTRIES || pages.bytes + size > MAX_BYTES {
            pages.entries.clear();
            pages.bytes = 0;
            pages.epoch = epoch;
        }
        if size > MAX_BYTES {
            return;
        }
        pages.bytes += size;
        if let Some(old) = pages.entries.insert(key, Entry { page, parts, stamp, stored: Instant::now() }) {
            pages.bytes -= old.page.body.len() + key_size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(variables: &str) -> PageKey {
        PageKey {
            viewer: None,
            representation: "application/json",
            conditional: false,
            operation_name: None,
            variables: variables.into(),
            query: "{ suggestions { totalCount } }".into(),
        }
    }

    fn page(body: &'static str) -> Page {
        Page { body: Bytes::from_static(body.as_bytes()), tag: None }
    }

    fn body(cache: &PageCache, key: &PageKey, epochs: &[u64]) -> Option<Bytes> {
        cache.get(key, &Stamp::from(epochs.to_vec())).map(|p| p.body)
    }

    fn put(cache: &PageCache, key: PageKey, epochs: &[u64], page: Page) {
        cache.put(key, Vec::new(), Stamp::from(epochs.to_vec()), page);
    }

    #[test]
    fn serves_an_answer_only_at_the_epochs_it_started_at() {
        let cache = PageCache::default();
        put(&cache, key("{}"), &[5, 1], page("five"));
        assert_eq!(body(&cache, &key("{}"), &[5, 1]).as_deref(), Some(&b"five"[..]));
        assert_eq!(body(&cache, &key("{}"), &[5, 2]), None, "its part's epoch moved on");
        assert_eq!(body(&cache, &key("{}"), &[6, 1]), None, "the global epoch moved on");
        assert_eq!(body(&cache, &key("{\"x\":1}"), &[5, 1]), None, "other variables");
        // Another page's part moving leaves this one good.
        put(&cache, key("{\"y\":1}"), &[5, 7], page("other"));
        assert_eq!(body(&cache, &key("{}"), &[5, 1]).as_deref(), Some(&b"five"[..]));
        // A query that started before the newest global epoch seen is not kept...
        put(&cache, key("{}"), &[6, 1], page("six"));
        put(&cache, key("{\"x\":1}"), &[5, 1], page("late"));
        assert_eq!(body(&cache, &key("{\"x\":1}"), &[5, 1]), None);
        assert_eq!(body(&cache, &key("{\"x\":1}"), &[6, 1]), None);
        // ...and the first of a newer one drops the rest.
        assert_eq!(body(&cache, &key("{\"y\":1}"), &[5, 7]), None);
        assert_eq!(body(&cache, &key("{}"), &[6, 1]).as_deref(), Some(&b"six"[..]));
    }

    #[test]
    fn keeps_viewers_apart() {
        let cache = PageCache::default();
        let mut theirs = key("{}");
        theirs.viewer = Some(Actor {
            user_id: uuid::Uuid::from_u128(1),
            role: edaibiao_domain::account::Role::Deputy,
            congress_id: None,
            unit_id: None,
            deputy_id: None,
            station_id: None,
        });
        put(&cache, theirs.clone(), &[1], page("theirs"));
        assert_eq!(body(&cache, &key("{}"), &[1]), None);
        assert!(body(&cache, &theirs, &[1]).is_some());
    }

    #[test]
    fn learns_which_documents_are_worth_asking_about() {
        let cache = PageCache::default();
        let page = key("{}");
        let document = cache.document(&page.query, page.operation_name.as_deref());
        assert!(!cache.worth_asking(document));
        cache.learn(document);
        assert!(cache.worth_asking(cache.document(&page.query, None)), "whatever the variables");
        assert!(!cache.worth_asking(cache.document(&page.query, Some("Other"))), "another operation");
    }
}
