//! The data epoch: a number that moves after every committed change a cached answer could show, shared
//! by every instance (a Redis counter; in process without Redis). An instance that keeps finished answers
//! (the API's page cache) stamps each with the epoch read *before* running the query and serves it only
//! while the epoch still reads the same. Because the epoch moves *after* the commit and before the change's
//! own response is sent, a client that reads after its own action never gets an answer from before it, on
//! any instance.
//!
//! When Redis cannot be reached the epoch is unknown and nothing cached may be served: a move that could
//! not be recorded is remembered here and retried before this instance reads the epoch again.

use crate::Store;
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache key of the shared counter.
const KEY: &str = "data-epoch";

/// This instance's side of the epoch: how many moves failed since the shared counter last moved after them
/// (any number is paid by one move; what matters is that none is outstanding).
#[derive(Default)]
pub struct Epoch {
    owed: AtomicU64,
}

impl Store {
    /// The data epoch now; `None` when it cannot be known (Redis unreachable, or a move this instance owes
    /// could not be recorded yet): then no cached answer may be used.
    pub async fn data_epoch(&self) -> Option<u64> {
        self.settle_epoch().await;
        if self.epoch.owed.load(Ordering::Acquire) > 0 {
            return None;
        }
        match self.cache.counter(KEY).await {
            Ok(epoch) => Some(epoch),
            Err(e) => {
                tracing::warn!(error = %e, "cache unreachable; answers are not served from the page cache");
                None
            }
        }
    }

    /// Makes the move this instance owes, if any. The outbox relay calls it every round, so that other
    /// instances stop serving answers from before this instance's change as soon as Redis answers it
    /// again, even when no request comes here. Only a move that starts after the debt was seen pays it:
    /// another change's move still in flight may have reached Redis before the unrecorded commit.
    pub async fn settle_epoch(&self) {
        let owed = self.epoch.owed.load(Ordering::Acquire);
        if owed > 0 && self.cache.bump(KEY).await.is_ok() {
            // Paid, unless another move failed meanwhile: then that one is still owed.
            let _ = self.epoch.owed.compare_exchange(owed, 0, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    /// Moves the epoch on: called after a change commits. A failure is remembered and retried.
    pub async fn advance_epoch(&self) {
        if let Err(e) = self.cache.bump(KEY).await {
            self.epoch.owed.fetch_add(1, Ordering::AcqRel);
            tracing::warn!(error = %e, "cache unreachable; the data epoch will move when it is back");
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a panic is a failed test")]
mod tests {
    use crate::Store;
    use crate::cache::Cache;

    #[tokio::test]
    async fn moves_on_after_each_change() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.expect("an in-memory database");
        let store = Store::new(db, Cache::local());
        let first = store.data_epoch().await;
        assert!(first.is_some());
        store.advance_epoch().await;
        let second = store.data_epoch().await;
        assert!(second > first, "{second:?} after {first:?}");
        assert_eq!(store.data_epoch().await, second, "reading does not move it");
    }
}
