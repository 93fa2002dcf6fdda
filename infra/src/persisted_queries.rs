//! GraphQL documents registered under their SHA-256 (Apollo's automatic persisted queries): a client sends
//! the hash alone, and the full text only once the server has said it does not know it.
//!
//! Registered documents live in Redis when it is configured, so that one registration serves every
//! instance, and expire after [`PersistedQueries::TTL`] (a client re-registers on the next miss). Each
//! instance keeps the documents it used last in a bounded LRU in front, so a hot operation costs no round
//! trip; without Redis that LRU is the store. Losing a document costs one extra round trip, never an
//! error, so every cache failure is logged and treated as a miss.

use crate::cache::Cache;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::fmt;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The SHA-256 of a document's text, as clients name it: 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentHash([u8; 32]);

impl DocumentHash {
    /// The hash of `text`, byte for byte as the client sent it.
    pub fn of(text: &str) -> Self {
        Self(Sha256::digest(text.as_bytes()).into())
    }

    /// Reads 64 hex digits (either case); anything else is not a document hash.
    pub fn parse(hex: &str) -> Option<Self> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let high = (pair[0] as char).to_digit(16)?;
            let low = (pair[1] as char).to_digit(16)?;
            out[i] = u8::try_from(high * 16 + low).ok()?;
        }
        Some(Self(out))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for DocumentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentHash({})", self.to_hex())
    }
}

impl fmt::Display for DocumentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The registered documents: Redis (if configured) behind a per-instance LRU.
pub struct PersistedQueries {
    cache: Cache,
    recent: Mutex<LruCache<DocumentHash, Arc<str>>>,
}

impl PersistedQueries {
    /// How long a registration lives in Redis.
    pub const TTL: Duration = Duration::from_secs(7 * 24 * 3600);
    /// Documents each instance keeps in memory (the app has a few hundred operations).
    pub const RECENT: usize = 2_000;

    pub fn new(cache: Cache) -> Self {
        let capacity = NonZeroUsize::new(Self::RECENT).unwrap_or(NonZeroUsize::MIN);
        Self { cache, recent: Mutex::new(LruCache::new(capacity)) }
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, LruCache<DocumentHash, Arc<str>>> {
        // Nothing can be left half-written in an LRU by a panic elsewhere; a poisoned lock is fine.
        self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn key(hash: &DocumentHash) -> String {
        format!("apq:{hash}")
    }

    /// The document registered under `hash`, if any instance registered it and it has not expired.
    pub async fn get(&self, hash: &DocumentHash) -> Option<Arc<str>> {
        if let Some(text) = self.recent().get(hash) {
            return Some(text.clone());
        }
        if matches!(self.cache, Cache::Local(_)) {
            return None;
        }
        match self.cache.get_many(&[Self::key(hash)]).await {
            Ok(mut found) => {
                let text: Arc<str> = Arc::from(found.pop().flatten()?);
                // Redis holds only what `put` checked, but a shared server is not to be trusted blindly.
                if DocumentHash::of(&text) != *hash {
                    tracing::warn!(%hash, "persisted query: stored text does not match its hash");
                    return None;
                }
                self.recent().put(*hash, text.clone());
                Some(text)
            }
            Err(e) => {
                tracing::warn!(error = %e, "persisted query: lookup failed; answering not found");
                None
            }
        }
    }

    /// Registers `text` under its own hash.
    pub async fn put(&self, text: &str) {
        let hash = DocumentHash::of(text);
        self.recent().put(hash, Arc::from(text));
        if matches!(self.cache, Cache::Local(_)) {
            return;
        }
        if let Err(e) = self.cache.set_ex(&Self::key(&hash), text, Self::TTL).await {
            tracing::warn!(error = %e, "persisted query: registration not shared; other instances will ask again");
        }
    }

    /// Forgets every document this instance holds in memory.
    #[cfg(test)]
    fn forget_recent(&self) {
        self.recent().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_read_back_and_refuse_what_is_not_hex() {
        let hash = DocumentHash::of("{ __typename }");
        // Known value: sha256("{ __typename }").
        assert_eq!(hash.to_hex(), "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b");
        assert_eq!(DocumentHash::parse(&hash.to_hex()), Some(hash));
        assert_eq!(DocumentHash::parse(&hash.to_hex().to_uppercase()), Some(hash));
        for bad in ["", "abc", &"g".repeat(64), &"a".repeat(63), &"a".repeat(65), &"é".repeat(32)] {
            assert_eq!(DocumentHash::parse(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn registered_documents_are_found_by_hash_only() {
        let store = PersistedQueries::new(Cache::local());
        let hash = DocumentHash::of("{ a }");
        assert!(store.get(&hash).await.is_none());
        store.put("{ a }").await;
        assert_eq!(store.get(&hash).await.as_deref(), Some("{ a }"));
        store.forget_recent();
        assert!(store.get(&hash).await.is_none(), "without Redis the memory is the store");
    }
}
