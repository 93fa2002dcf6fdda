//! Throttles over the cache's fixed-window counters, shared by every guarded path (logins, one-time code
//! requests, check-in codes). An attempt is counted *before* the work it guards, atomically, so that
//! concurrent attempts cannot all read "under the limit" and go ahead: of N simultaneous attempts at most
//! `max` pass. Work that turned out not to count (a successful login, an attempt refused by another
//! limit) is given back with [`Throttle::refund`] or [`Throttle::clear`].
//!
//! While Redis is unreachable the cache counts in process, so throttling still holds per instance.

use crate::cache::Cache;
use crate::error::Result;
use edaibiao_domain::rate_limit::RateLimit;
use std::time::Duration;

/// One counter: a key and the limit it enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    key: String,
    limit: RateLimit,
}

impl Throttle {
    /// The counter of `subject` (a phone's or address's digest, an id) within `scope` (what is counted).
    pub fn new(scope: &str, subject: &str, limit: RateLimit) -> Self {
        Self { key: format!("throttle:{scope}:{subject}"), limit }
    }

    /// Counts one attempt and refuses it (RATE_LIMITED with the seconds left) past the limit.
    pub async fn hit(&self, cache: &Cache) -> Result<()> {
        let (count, left) = cache.window_incr(&self.key, Duration::from_secs(self.limit.window_secs)).await?;
        self.limit.admit(count, left)?;
        Ok(())
    }

    /// Gives back one counted attempt. Best effort: a cache failure is logged, not returned, so that it
    /// never turns a success into an error.
    pub async fn refund(&self, cache: &Cache) {
        if let Err(e) = cache.window_refund(&self.key).await {
            tracing::warn!(error = %e, "throttle: refund failed");
        }
    }

    /// Forgets every counted attempt (after a success that proves the subject). Best effort, as
    /// [`Throttle::refund`].
    pub async fn clear(&self, cache: &Cache) {
        if let Err(e) = cache.del(&self.key).await {
            tracing::warn!(error = %e, "throttle: clear failed");
        }
    }
}

/// Counts one attempt on each throttle in order and stops at the first refusal; the throttles counted
/// before it are refunded, so an attempt refused by one limit costs nothing against the others.
pub async fn hit_all(cache: &Cache, throttles: &[&Throttle]) -> Result<()> {
    for (i, throttle) in throttles.iter().enumerate() {
        if let Err(refused) = throttle.hit(cache).await {
            for earlier in throttles.iter().take(i) {
                earlier.refund(cache).await;
            }
            return Err(refused);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use edaibiao_domain::DomainError;

    #[tokio::test]
    async fn of_many_concurrent_attempts_at_most_the_limit_pass() {
        let cache = Cache::local();
        let throttle = Throttle::new("test", "one", RateLimit::new(5, 60));
        let tries = (0..30).map(|_| throttle.hit(&cache));
        let passed = futures_util::future::join_all(tries).await.into_iter().filter(Result::is_ok).count();
        assert_eq!(passed, 5);
        let refused = throttle.hit(&cache).await;
        assert!(matches!(refused, Err(crate::Error::Domain(DomainError::RateLimited { .. }))), "{refused:?}");
    }

    #[tokio::test]
    async fn a_refusal_by_a_later_limit_is_refunded_to_the_earlier_ones() {
        let cache = Cache::local();
        let wide = Throttle::new("test", "address", RateLimit::new(3, 60));
        let narrow = Throttle::new("test", "phone", RateLimit::new(1, 60));
        assert!(hit_all(&cache, &[&wide, &narrow]).await.is_ok());
        for _ in 0..5 {
            assert!(hit_all(&cache, &[&wide, &narrow]).await.is_err());
        }
        // Only the attempt that passed is counted against the wide limit.
        assert_eq!(cache.window_count("throttle:test:address").await.ok().map(|c| c.0), Some(1));
        narrow.clear(&cache).await;
        assert!(hit_all(&cache, &[&wide, &narrow]).await.is_ok());
    }
}
