//! Documents that passed the guard's text checks, kept by the hash of their text: the app sends the same
//! few hundred operations over and over, so each is scanned, parsed and measured once per instance.
//!
//! Validation is not cached: async-graphql validates with the request's variables (a page size given as
//! a variable counts towards the cost limit), so its verdict belongs to a request, not to a text.
//!
//! The budget is in bytes of source text, so that a client sending a stream of distinct large documents
//! cannot make the cache hold more than a few megabytes of syntax trees; documents larger than
//! [`ParsedDocuments::LARGEST`] are not kept at all (no screen of the app sends one).

use async_graphql::parser::types::ExecutableDocument;
use edaibiao_infra::persisted_queries::DocumentHash;
use lru::LruCache;
use std::sync::{Arc, Mutex, PoisonError};

pub struct ParsedDocuments {
    inner: Mutex<Inner>,
    budget: usize,
}

struct Inner {
    documents: LruCache<DocumentHash, (Arc<ExecutableDocument>, usize)>,
    bytes: usize,
}

impl Default for ParsedDocuments {
    fn default() -> Self {
        Self::with_budget(Self::BUDGET)
    }
}

impl ParsedDocuments {
    /// Source bytes kept in all: about a thousand typical operations.
    pub const BUDGET: usize = 2 * 1024 * 1024;
    /// Largest document text kept.
    pub const LARGEST: usize = 16 * 1024;

    pub fn with_budget(budget: usize) -> Self {
        Self { inner: Mutex::new(Inner { documents: LruCache::unbounded(), bytes: 0 }), budget }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The map and its byte count are updated together under the lock; a panic cannot split them.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the document checked under `hash` (execution consumes its document).
    pub fn get(&self, hash: &DocumentHash) -> Option<ExecutableDocument> {
        let doc = self.inner().documents.get(hash).map(|(doc, _)| doc.clone())?;
        Some(ExecutableDocument::clone(&doc))
    }

    /// Keeps `doc`, checked from `len` bytes of text, evicting the least recently used past the budget.
    pub fn put(&self, hash: DocumentHash, doc: &ExecutableDocument, len: usize) {
        if len > Self::LARGEST || len > self.budget {
            return;
        }
        let mut inner = self.inner();
        if let Some((_, old)) = inner.documents.put(hash, (Arc::new(doc.clone()), len)) {
            inner.bytes -= old;
        }
        inner.bytes += len;
        while inner.bytes > self.budget {
            match inner.documents.pop_lru() {
                Some((_, (_, evicted))) => inner.bytes -= evicted,
                None => break,
            }
        }
    }

    /// How many documents are kept (tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner().documents.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn keeps_documents_within_the_byte_budget_least_recent_out_first() {
        let cache = ParsedDocuments::with_budget(40);
        let texts = ["{ a0 aa aaa aaaa }", "{ b0 bb bbb bbbb }", "{ c0 cc ccc cccc }"];
        let hashes: Vec<_> = texts.iter().map(|t| DocumentHash::of(t)).collect();
        cache.put(hashes[0], &parse(texts[0]), texts[0].len());
        cache.put(hashes[1], &parse(texts[1]), texts[1].len());
        assert!(cache.get(&hashes[0]).is_some(), "touched, so b is now the oldest");
        cache.put(hashes[2], &parse(texts[2]), texts[2].len());
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&hashes[1]).is_none());
        assert!(cache.get(&hashes[0]).is_some() && cache.get(&hashes[2]).is_some());
    }

    #[test]
    fn large_documents_are_not_kept() {
        let cache = ParsedDocuments::default();
        let text = format!("{{ a }} # {}", "x".repeat(ParsedDocuments::LARGEST));
        cache.put(DocumentHash::of(&text), &parse(&text), text.len());
        assert_eq!(cache.len(), 0);
    }

    /// What a cache hit saves on the benchmark's list query (`bench/documents.sh` runs it in release mode):
    /// the guard's checks and parse of the text, against a copy of the cached document.
    #[test]
    #[ignore = "a measurement, run by bench/documents.sh"]
    fn cost_of_a_miss_and_a_hit() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/list.graphql"))
            .unwrap_or_else(|e| panic!("{e}"));
        let limits = super::super::Limits::default();
        let rounds = 20_000u32;
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(super::super::check_document(std::hint::black_box(&text), &limits).is_ok());
        }
        let miss = started.elapsed() / rounds;
        let cache = ParsedDocuments::default();
        let hash = DocumentHash::of(&text);
        cache.put(hash, &parse(&text), text.len());
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(cache.get(&DocumentHash::of(std::hint::black_box(&text))));
        }
        let hit = started.elapsed() / rounds;
        println!("list query ({} bytes): checked and parsed {miss:?}, from the cache {hit:?}", text.len());
    }
}
