//! Pub/sub between the relay and live subscribers. Each instance keeps one in-process channel per topic that
//! somebody listens to; with Redis, every instance also holds exactly one Redis subscription, through which
//! any instance's relay reaches every instance's subscribers.
//!
//! Messages may be lost (Redis restarts, a slow subscriber lags): subscribers never trust the bus to be
//! complete. Every message carries its topic's sequence number, and a subscriber that sees a gap, or is
//! told to resync, reads what it missed from the database (see [`crate::feed`]).

use crate::Error;
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// What a subscriber receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// A published record: its position in the topic and the record as JSON.
    Item { seq: i64, payload: Arc<str> },
    /// Messages may have been lost: read the database for anything newer than what you have.
    Resync,
}

/// Per-topic buffer. A subscriber further behind than this gets [`Signal::Resync`] and catches up from
/// the database, so the bound costs nothing but a query.
const TOPIC_BUFFER: usize = 16;

type Topics = HashMap<Box<str>, broadcast::Sender<Signal>>;

/// What a subscription is for: a feed of records, or a watch for one control signal (a session's end,
/// which every socket holds), kept apart so that [`Hub::topic_count`] counts feeds only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Feed,
    Watch,
}

/// The in-process side: live topics and their channels.
#[derive(Default)]
pub struct Hub {
    topics: Mutex<Topics>,
    watches: Mutex<Topics>,
}

impl Hub {
    fn lock(&self, kind: Kind) -> std::sync::MutexGuard<'_, Topics> {
        let map = match kind {
            Kind::Feed => &self.topics,
            Kind::Watch => &self.watches,
        };
        // The map stays consistent whatever panicked while it was held.
        map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Hands a message to this instance's subscribers of `topic`, if any.
    pub fn dispatch(&self, topic: &str, signal: Signal) {
        for kind in [Kind::Feed, Kind::Watch] {
            if let Some(sender) = self.lock(kind).get(topic) {
                let _ = sender.send(signal.clone());
            }
        }
    }

    /// Tells every subscriber to catch up from the database (after the bus may have dropped messages).
    pub fn resync_all(&self) {
        for kind in [Kind::Feed, Kind::Watch] {
            for sender in self.lock(kind).values() {
                let _ = sender.send(Signal::Resync);
            }
        }
    }

    /// Feed topics (an inbox, a timeline) with at least one subscriber here; watches are not counted.
    pub fn topic_count(&self) -> usize {
        self.lock(Kind::Feed).len()
    }

    fn subscribe(self: &Arc<Self>, topic: &str, kind: Kind) -> Subscription {
        let rx = self
            .lock(kind)
            .entry(topic.into())
            .or_insert_with(|| broadcast::channel(TOPIC_BUFFER).0)
            .subscribe();
        Subscription { rx, topic: topic.into(), kind, hub: self.clone() }
    }
}

/// A live subscription to one topic; unsubscribes when dropped.
pub struct Subscription {
    rx: broadcast::Receiver<Signal>,
    topic: Box<str>,
    kind: Kind,
    hub: Arc<Hub>,
}

impl Subscription {
    /// The next signal; a subscriber that fell behind gets [`Signal::Resync`]. `None` once the bus is gone.
    pub async fn recv(&mut self) -> Option<Signal> {
        match self.rx.recv().await {
            Ok(signal) => Some(signal),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Signal::Resync),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut topics = self.hub.lock(self.kind);
        // Our own receiver is still alive here, hence 1.
        if topics.get(&self.topic).is_some_and(|s| s.receiver_count() <= 1) {
            topics.remove(&self.topic);
        }
    }
}

/// The bus: in-process only, or fanned out through one Redis channel.
#[derive(Clone)]
pub struct Bus {
    hub: Arc<Hub>,
    redis: Option<RedisBus>,
}

#[derive(Clone)]
struct RedisBus {
    conn: ConnectionManager,
    channel: Arc<str>,
    listening: Arc<AtomicBool>,
}

impl Bus {
    /// One instance, no Redis: the relay hands messages straight to the hub.
    pub fn local() -> Self {
        Self { hub: Arc::default(), redis: None }
    }

    /// Fans out through the Redis channel `{prefix}:bus`, and starts this instance's one listener on it.
    pub async fn redis(url: &str, prefix: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let conn = client.get_connection_manager_with_config(config).await?;
        let channel: Arc<str> = Arc::from(format!("{prefix}:bus"));
        let hub = Arc::<Hub>::default();
        let listening = Arc::new(AtomicBool::new(false));
        tokio::spawn(listen(client, channel.clone(), Arc::downgrade(&hub), listening.clone()));
        Ok(Self { hub, redis: Some(RedisBus { conn, channel, listening }) })
    }

    pub fn subscribe(&self, topic: &str) -> Subscription {
        self.hub.subscribe(topic, Kind::Feed)
    }

    /// Listens to `topic` for a control signal (a session's end) rather than a feed of records. Delivered
    /// like any topic; not counted among the live topics.
    pub fn watch(&self, topic: &str) -> Subscription {
        self.hub.subscribe(topic, Kind::Watch)
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn backend_name(&self) -> &'static str {
        if self.redis.is_some() { "redis" } else { "in-process" }
    }

    /// Whether this instance currently receives what other instances publish.
    pub fn is_listening(&self) -> bool {
        self.redis.as_ref().is_none_or(|r| r.listening.load(Ordering::Relaxed))
    }

    /// Publishes messages `(topic, seq, payload)` in order, in one round trip.
    pub async fn publish(&self, messages: &[(&str, i64, &str)]) -> Result<(), Error> {
        let Some(redis) = &self.redis else {
            for (topic, seq, payload) in messages {
                self.hub.dispatch(topic, Signal::Item { seq: *seq, payload: Arc::from(*payload) });
            }
            return Ok(());
        };
        let mut pipe = redis::pipe();
        for (topic, seq, payload) in messages {
            pipe.publish(&*redis.channel, format!("{topic}\n{seq}\n{payload}")).ignore();
        }
        let _: () = pipe.query_async(&mut redis.conn.clone()).await?;
        Ok(())
    }
}

/// Splits a wire message `topic\nseq\npayload`.
fn parse(message: &str) -> Option<(&str, i64, &str)> {
    let (topic, rest) = message.split_once('\n')?;
    let (seq, payload) = rest.split_once('\n')?;
    Some((topic, seq.parse().ok()?, payload))
}

/// This instance's one Redis subscription, for as long as the hub lives. Reconnects with backoff; after
/// each (re)connection every local subscriber resyncs, since messages published meanwhile were missed.
async fn listen(
    client: redis::Client,
    channel: Arc<str>,
    hub: std::sync::Weak<Hub>,
    listening: Arc<AtomicBool>,
) {
    let mut backoff = Duration::from_millis(100);
    while hub.strong_count() > 0 {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => match pubsub.subscribe(&*channel).await {
                Ok(()) => {
                    listening.store(true, Ordering::Relaxed);
                    backoff = Duration::from_millis(100);
                    if let Some(hub) = hub.upgrade() {
                        hub.resync_all();
                    }
                    tracing::info!("bus: listening on redis");
                    let mut messages = pubsub.into_on_message();
                    while let Some(message) = messages.next().await {
                        let Some(hub) = hub.upgrade() else { return };
                        let Ok(text) = message.get_payload::<String>() else { continue };
                        if let Some((topic, seq, payload)) = parse(&text) {
                            hub.dispatch(topic, Signal::Item { seq, payload: Arc::from(payload) });
                        }
                    }
                    listening.store(false, Ordering::Relaxed);
                    tracing::warn!("bus: lost the redis subscription; reconnecting");
                }
                Err(e) => tracing::warn!(error = %e, "bus: cannot subscribe on redis"),
            },
            Err(e) => tracing::warn!(error = %e, "bus: cannot reach redis"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_messages_round_trip() {
        assert_eq!(parse("inbox:a\n7\n{\"x\":\"1\\n2\"}"), Some(("inbox:a", 7, "{\"x\":\"1\\n2\"}")));
        assert_eq!(parse("inbox:a\n7\nline\nbreak"), Some(("inbox:a", 7, "line\nbreak")));
        assert_eq!(parse("no-seq"), None);
        assert_eq!(parse("t\nx\np"), None);
    }

    #[tokio::test]
    async fn a_topic_lives_while_someone_listens() {
        let bus = Bus::local();
        let mut first = bus.subscribe("t");
        let second = bus.subscribe("t");
        assert_eq!(bus.hub().topic_count(), 1);
        let _ = bus.publish(&[("t", 1, "a"), ("other", 1, "b")]).await;
        assert_eq!(first.recv().await, Some(Signal::Item { seq: 1, payload: Arc::from("a") }));
        drop(second);
        assert_eq!(bus.hub().topic_count(), 1);
        drop(first);
        assert_eq!(bus.hub().topic_count(), 0);
    }

    #[tokio::test]
    async fn a_watch_hears_its_topic_but_is_not_a_live_topic() {
        let bus = Bus::local();
        let mut watch = bus.watch("session:a");
        assert_eq!(bus.hub().topic_count(), 0);
        let _ = bus.publish(&[("session:b", 1, "x"), ("session:a", 1, "y")]).await;
        assert_eq!(watch.recv().await, Some(Signal::Item { seq: 1, payload: Arc::from("y") }));
        bus.hub().resync_all();
        assert_eq!(watch.recv().await, Some(Signal::Resync));
    }

    #[tokio::test]
    async fn a_lagging_subscriber_is_told_to_resync() {
        let bus = Bus::local();
        let mut slow = bus.subscribe("t");
        for seq in 0..(TOPIC_BUFFER as i64 + 5) {
            let _ = bus.publish(&[("t", seq, "x")]).await;
        }
        assert_eq!(slow.recv().await, Some(Signal::Resync));
    }
}
