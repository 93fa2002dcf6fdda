//! A small key-value cache with expiry, in Redis when configured (shared by every API instance) or in
//! process otherwise. It holds only what can be lost: throttling counters and revocation marks that
//! outlive their tokens by no more than an access token's lifetime.

use crate::Error;
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub enum Cache {
    Local(Arc<LocalCache>),
    Redis {
        conn: ConnectionManager,
        prefix: Arc<str>,
        /// Counts here while Redis is unreachable, so throttling still holds per instance.
        fallback: Arc<LocalCache>,
    },
}

impl Cache {
    /// Redis at `url`, every key under `prefix` (so tests and deployments can share one server), or the
    /// in-process cache when `url` is `None`.
    pub async fn connect(url: Option<&str>, prefix: &str) -> Result<Self, Error> {
        let Some(url) = url else { return Ok(Self::local()) };
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2);
        let conn = redis::Client::open(url)?.get_connection_manager_with_config(config).await?;
        Ok(Self::Redis { conn, prefix: Arc::from(prefix), fallback: Arc::default() })
    }

    pub fn local() -> Self {
        Self::Local(Arc::new(LocalCache::default()))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Cache::Local(_) => "in-process",
            Cache::Redis { .. } => "redis",
        }
    }

    fn key(prefix: &str, key: &str) -> String {
        format!("{prefix}:{key}")
    }

    /// Checks that the cache answers.
    pub async fn ping(&self) -> Result<(), Error> {
        match self {
            Cache::Local(_) => Ok(()),
            Cache::Redis { conn, .. } => {
                let _: String = redis::cmd("PING").query_async(&mut conn.clone()).await?;
                Ok(())
            }
        }
    }

    pub async fn set_ex(&self, key: &str, value: &str, ttl: Duration) -> Result<(), Error> {
        match self {
            Cache::Local(local) => {
                local.set(key, value, ttl);
                Ok(())
            }
            Cache::Redis { conn, prefix, .. } => {
                let secs = ttl.as_secs().max(1);
                let _: () = conn.clone().set_ex(Self::key(prefix, key), value, secs).await?;
                Ok(())
            }
        }
    }

    pub async fn del(&self, key: &str) -> Result<(), Error> {
        match self {
            Cache::Local(local) => {
                local.del(key);
                Ok(())
            }
            Cache::Redis { conn, prefix, .. } => {
                let _: () = conn.clone().del(Self::key(prefix, key)).await?;
                Ok(())
            }
        }
    }

    /// Reads several keys in one round trip.
    pub async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<String>>, Error> {
        match self {
            Cache::Local(local) => Ok(keys.iter().map(|k| local.get(k)).collect()),
            Cache::Redis { conn, prefix, .. } => {
                let full: Vec<String> = keys.iter().map(|k| Self::key(prefix, k)).collect();
                Ok(redis::cmd("MGET").arg(&full).query_async(&mut conn.clone()).await?)
            }
        }
    }

    /// Reads a fixed-window counter without changing it: `(count, seconds until the window ends)`.
    pub async fn window_count(&self, key: &str) -> Result<(u64, u64), Error> {
        match self {
            Cache::Local(local) => Ok(local.window(key)),
            Cache::Redis { conn, prefix, fallback } => {
                let full = Self::key(prefix, key);
                let read: Result<(Option<u64>, i64), _> =
                    redis::pipe().get(&full).ttl(&full).query_async(&mut conn.clone()).await;
                match read {
                    Ok((count, ttl)) => Ok((count.unwrap_or(0), u64::try_from(ttl).unwrap_or(0))),
                    Err(e) => {
                        tracing::warn!(error = %e, "cache: redis unreachable; counting in process");
                        Ok(fallback.window(key))
                    }
                }
            }
        }
    }

    /// Adds one to a fixed-window counter that starts with the first increment and expires `window`
    /// later. Returns `(count, seconds until the window ends)`. Atomic on Redis (MULTI/EXEC).
    pub async fn window_incr(&self, key: &str, window: Duration) -> Result<(u64, u64), Error> {
        match self {
            Cache::Local(local) => Ok(local.incr(key, window)),
            Cache::Redis { conn, prefix, fallback } => {
                let full = Self::key(prefix, key);
                let counted: Result<(u64, i64), _> = redis::pipe()
                    .atomic()
                    .cmd("SET")
                    .arg(&full)
                    .arg(0)
                    .arg("EX")
                    .arg(window.as_secs().max(1))
                    .arg("NX")
                    .ignore()
                    .incr(&full, 1)
                    .ttl(&full)
                    .query_async(&mut conn.clone())
                    .await;
                match counted {
                    Ok((count, ttl)) => Ok((count, u64::try_from(ttl).unwrap_or(0))),
                    Err(e) => {
                        tracing::warn!(error = %e, "cache: redis unreachable; counting in process");
                        Ok(fallback.incr(key, window))
                    }
                }
            }
        }
    }
}

impl Cache {
    /// Reads counters that never expire (absent reads 0), in one round trip. Unlike the throttles, no
    /// in-process fallback: a counter shared by instances is either read from Redis or not known.
    pub async fn counters(&self, keys: &[String]) -> Result<Vec<u64>, Error> {
        match self {
            Cache::Local(local) => {
                Ok(keys.iter().map(|k| local.get(k).and_then(|v| v.parse().ok()).unwrap_or(0)).collect())
            }
            Cache::Redis { conn, prefix, .. } => {
                let full: Vec<String> = keys.iter().map(|k| Self::key(prefix, k)).collect();
                let values: Vec<Option<u64>> =
                    redis::cmd("MGET").arg(&full).query_async(&mut conn.clone()).await?;
                Ok(values.into_iter().map(Option::unwrap_or_default).collect())
            }
        }
    }

    /// Moves a counter that never expires on, to one more than it was or to `floor` if that is more, and
    /// returns the new value; an absent counter starts at `floor`. Atomic on Redis (one script).
    pub async fn bump_to_at_least(&self, key: &str, floor: u64) -> Result<u64, Error> {
        const BUMP: &str = "local v = redis.call('INCR', KEYS[1]) \
            if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) return tonumber(ARGV[1]) end \
            return v";
        match self {
            Cache::Local(local) => Ok(local.bump_to_at_least(key, floor)),
            Cache::Redis { conn, prefix, .. } => Ok(redis::cmd("EVAL")
                .arg(BUMP)
                .arg(1)
                .arg(Self::key(prefix, key))
                .arg(floor)
                .query_async(&mut conn.clone())
                .await?),
        }
    }

    /// Sets a counter that never expires to `value` unless it exists (Redis `SET NX`).
    pub async fn start_counter(&self, key: &str, value: u64) -> Result<(), Error> {
        match self {
            Cache::Local(local) => {
                local.bump_to_at_least(key, value);
                Ok(())
            }
            Cache::Redis { conn, prefix, .. } => {
                let _: Option<String> = redis::cmd("SET")
                    .arg(Self::key(prefix, key))
                    .arg(value)
                    .arg("NX")
                    .query_async(&mut conn.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Adds one to each of several counters that never expire, in one round trip (each `INCR` atomic; an
    /// error may leave some moved).
    pub async fn bump_many(&self, keys: &[String]) -> Result<(), Error> {
        match self {
            Cache::Local(local) => {
                for key in keys {
                    local.bump(key);
                }
                Ok(())
            }
            Cache::Redis { conn, prefix, .. } => {
                let mut pipe = redis::pipe();
                for key in keys {
                    pipe.incr(Self::key(prefix, key), 1).ignore();
                }
                let () = pipe.query_async(&mut conn.clone()).await?;
                Ok(())
            }
        }
    }
}

impl Cache {
    /// Takes one back from a fixed-window counter (never below zero, keeping the window's end), for an
    /// attempt that turned out not to count. A counter that does not exist stays absent. Atomic on Redis
    /// (one script).
    pub async fn window_refund(&self, key: &str) -> Result<(), Error> {
        const REFUND: &str = "local v = tonumber(redis.call('GET', KEYS[1])) \
            if v and v > 0 then return redis.call('DECR', KEYS[1]) end return 0";
        match self {
            Cache::Local(local) => {
                local.decr(key);
                Ok(())
            }
            Cache::Redis { conn, prefix, fallback } => {
                let refunded: Result<i64, _> = redis::cmd("EVAL")
                    .arg(REFUND)
                    .arg(1)
                    .arg(Self::key(prefix, key))
                    .query_async(&mut conn.clone())
                    .await;
                if let Err(e) = refunded {
                    tracing::warn!(error = %e, "cache: redis unreachable; refunding in process");
                    fallback.decr(key);
                }
                Ok(())
            }
        }
    }
}

/// The in-process cache: a map with expiry times, swept lazily. Enough for one instance; several
/// instances need Redis to agree.
#[derive(Default)]
pub struct LocalCache {
    entries: Mutex<HashMap<String, (String, Instant)>>,
}

impl LocalCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Instant)>> {
        // A panic while holding this lock cannot leave the map inconsistent, so a poisoned lock is fine.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, key: &str) -> Option<String> {
        let now = Instant::now();
        self.lock().get(key).filter(|(_, expires)| *expires > now).map(|(v, _)| v.clone())
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() > 10_000 {
            map.retain(|_, (_, expires)| *expires > now);
        }
        map.insert(key.to_owned(), (value.to_owned(), now + ttl));
    }

    fn del(&self, key: &str) {
        self.lock().remove(key);
    }

    fn window(&self, key: &str) -> (u64, u64) {
        let now = Instant::now();
        match self.lock().get(key) {
            Some((count, expires)) if *expires > now => {
                (count.parse().unwrap_or(0), expires.duration_since(now).as_secs())
            }
            _ => (0, 0),
        }
    }

    fn decr(&self, key: &str) {
        let now = Instant::now();
        if let Some(entry) = self.lock().get_mut(key)
            && entry.1 > now
        {
            let count = entry.0.parse::<u64>().unwrap_or(0).saturating_sub(1);
            entry.0 = count.to_string();
        }
    }

    /// Adds one to a counter kept for as long as the process runs.
    fn bump(&self, key: &str) -> u64 {
        self.bump_to_at_least(key, 0)
    }

    /// Adds one to a counter kept for as long as the process runs, or sets it to `floor` if that is more.
    fn bump_to_at_least(&self, key: &str, floor: u64) -> u64 {
        let forever = Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600);
        let mut map = self.lock();
        let entry = map.entry(key.to_owned()).or_insert_with(|| ("0".to_owned(), forever));
        let count = (entry.0.parse::<u64>().unwrap_or(0) + 1).max(floor);
        *entry = (count.to_string(), forever);
        count
    }

    fn incr(&self, key: &str, window: Duration) -> (u64, u64) {
        let now = Instant::now();
        let mut map = self.lock();
        let entry = map.entry(key.to_owned()).or_insert_with(|| ("0".to_owned(), now + window));
        if entry.1 <= now {
            *entry = ("0".to_owned(), now + window);
        }
        let count = entry.0.parse::<u64>().unwrap_or(0) + 1;
        entry.0 = count.to_string();
        (count, entry.1.duration_since(now).as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_values_expire() {
        let cache = Cache::local();
        let _ = cache.set_ex("a", "1", Duration::from_millis(30)).await;
        assert_eq!(cache.get_many(&["a".into(), "b".into()]).await.ok(), Some(vec![Some("1".into()), None]));
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(cache.get_many(&["a".into()]).await.ok(), Some(vec![None]));
    }

    #[tokio::test]
    async fn local_window_counts_then_resets() {
        let cache = Cache::local();
        let window = Duration::from_millis(50);
        assert_eq!(cache.window_incr("k", window).await.ok().map(|c| c.0), Some(1));
        assert_eq!(cache.window_incr("k", window).await.ok().map(|c| c.0), Some(2));
        assert_eq!(cache.window_count("k").await.ok().map(|c| c.0), Some(2));
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(cache.window_count("k").await.ok().map(|c| c.0), Some(0));
        assert_eq!(cache.window_incr("k", window).await.ok().map(|c| c.0), Some(1));
    }

    #[tokio::test]
    async fn local_refund_takes_one_back_but_never_below_zero() {
        let cache = Cache::local();
        let window = Duration::from_secs(60);
        let _ = cache.window_incr("k", window).await;
        let _ = cache.window_incr("k", window).await;
        assert!(cache.window_refund("k").await.is_ok());
        assert_eq!(cache.window_count("k").await.ok().map(|c| c.0), Some(1));
        let _ = cache.window_refund("k").await;
        let _ = cache.window_refund("k").await;
        assert_eq!(cache.window_count("k").await.ok().map(|c| c.0), Some(0));
        let _ = cache.window_refund("absent").await;
        assert_eq!(cache.window_count("absent").await.ok(), Some((0, 0)));
    }
}
