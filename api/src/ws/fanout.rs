//! Fan-out executed once: sockets that ask the same thing and may see the same things share one
//! execution of their subscription. Each item is resolved and serialized once, by the execution's own
//! task; every member writes that payload under its own operation id.
//!
//! Sharing must not cost anyone an item. A socket joins a running execution only while the execution has
//! sent nothing yet, or when the execution follows from "now": one that starts by replaying what its
//! first client missed (`after`) is private once it has sent anything, since a late joiner would miss
//! the replay. The resolver says which it is through [`Replay`]. A member that falls [`BACKLOG`] items
//! behind is told so ([`Heard::Behind`]) rather than silently skipped: its socket reconnects and resumes.

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use tokio::sync::broadcast;

/// Items a member may fall behind its execution before it is dropped from it.
pub const BACKLOG: usize = 64;

/// What tells executions apart: everything their payloads depend on.
pub trait Key: Clone + Eq + std::hash::Hash + Send + Sync + 'static {}

impl<K: Clone + Eq + std::hash::Hash + Send + Sync + 'static> Key for K {}

/// What an execution sends its members.
#[derive(Debug, Clone)]
enum Frame {
    /// The serialized payload of a `next` message.
    Next(Arc<str>),
    End,
}

/// What a member hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// The payload of the next `next` message, as JSON.
    Next(Arc<str>),
    /// The execution is over: `complete`.
    End,
    /// The member fell too far behind and has lost items: it must resume from what it has.
    Behind,
}

/// Marked by a subscription resolver whose stream begins with history (resumed with `after`), so that
/// nobody joins its execution once it has sent something.
#[derive(Debug, Clone, Default)]
pub struct Replay(Arc<AtomicBool>);

impl Replay {
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn is_marked(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Whether an execution has sent anything, and whether it is over; checked and changed together with
/// sending or joining, so that no joiner slips between a check and a send.
#[derive(Default)]
struct Progress {
    sent: bool,
    ended: bool,
}

struct Channel {
    tx: broadcast::Sender<Frame>,
    progress: Mutex<Progress>,
}

impl Channel {
    fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn send(&self, frame: Frame) {
        let mut progress = self.progress();
        progress.sent = true;
        progress.ended |= matches!(frame, Frame::End);
        // No member left is not an error: the execution is aborted when the last one goes.
        let _ = self.tx.send(frame);
    }

    fn join(&self, replay: &Replay) -> Option<broadcast::Receiver<Frame>> {
        let progress = self.progress();
        let open = !progress.ended && (!progress.sent || !replay.is_marked());
        open.then(|| self.tx.subscribe())
    }
}

/// One running execution; it stops when its last member goes.
struct Execution<K: Key> {
    key: K,
    channel: Arc<Channel>,
    replay: Replay,
    task: tokio::task::JoinHandle<()>,
    registry: Weak<Registry<K>>,
}

impl<K: Key> Drop for Execution<K> {
    fn drop(&mut self) {
        self.task.abort();
        if let Some(registry) = self.registry.upgrade() {
            registry.executions.fetch_sub(1, Ordering::Relaxed);
            let mut executions = registry.lock();
            if executions.get(&self.key).is_some_and(|e| e.strong_count() == 0) {
                executions.remove(&self.key);
            }
        }
    }
}

/// Executions that take joiners, by key; and how many executions and members there are in all (some run
/// apart from the registry: replaced by a newer one under their key).
struct Registry<K: Key> {
    joinable: Mutex<HashMap<K, Weak<Execution<K>>>>,
    executions: AtomicUsize,
    members: AtomicUsize,
}

impl<K: Key> Registry<K> {
    fn lock(&self) -> MutexGuard<'_, HashMap<K, Weak<Execution<K>>>> {
        self.joinable.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// This instance's running executions, by what they were asked and for whom.
pub struct Fanout<K: Key>(Arc<Registry<K>>);

impl<K: Key> Default for Fanout<K> {
    fn default() -> Self {
        Self(Arc::new(Registry {
            joinable: Mutex::default(),
            executions: AtomicUsize::new(0),
            members: AtomicUsize::new(0),
        }))
    }
}

impl<K: Key> Clone for Fanout<K> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// One socket's operation in an execution.
pub struct Member<K: Key> {
    execution: Arc<Execution<K>>,
    rx: broadcast::Receiver<Frame>,
}

impl<K: Key> Member<K> {
    fn new(execution: Arc<Execution<K>>, rx: broadcast::Receiver<Frame>) -> Self {
        if let Some(registry) = execution.registry.upgrade() {
            registry.members.fetch_add(1, Ordering::Relaxed);
        }
        Self { execution, rx }
    }

    /// The next thing to tell the client.
    pub async fn recv(&mut self) -> Heard {
        match self.rx.recv().await {
            Ok(Frame::Next(payload)) => Heard::Next(payload),
            Ok(Frame::End) | Err(broadcast::error::RecvError::Closed) => Heard::End,
            Err(broadcast::error::RecvError::Lagged(_)) => Heard::Behind,
        }
    }

    /// Whether this member shares its execution with others.
    #[cfg(test)]
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.execution) > 1
    }
}

impl<K: Key> Drop for Member<K> {
    fn drop(&mut self) {
        if let Some(registry) = self.execution.registry.upgrade() {
            registry.members.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// How many executions run and how many operations they serve, for `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub executions: usize,
    pub members: usize,
}

impl<K: Key> Fanout<K> {
    /// Joins the execution running for `key`, or starts one with the payloads `start` yields (given the
    /// [`Replay`] mark its resolver may set). `key` must say everything the payloads depend on: the
    /// request and the viewer's visibility.
    pub fn join(&self, key: K, start: impl FnOnce(Replay) -> BoxStream<'static, String>) -> Member<K> {
        // Upgraded outside the lock: dropping the last reference locks the registry.
        let running = self.0.lock().get(&key).and_then(Weak::upgrade);
        if let Some(execution) = running
            && let Some(rx) = execution.channel.join(&execution.replay)
        {
            return Member::new(execution, rx);
        }
        let replay = Replay::default();
        let payloads = start(replay.clone());
        let (tx, rx) = broadcast::channel(BACKLOG);
        let channel = Arc::new(Channel { tx, progress: Mutex::default() });
        let task = tokio::spawn(run(payloads, channel.clone()));
        let execution = Arc::new(Execution {
            key: key.clone(),
            channel,
            replay,
            task,
            registry: Arc::downgrade(&self.0),
        });
        self.0.executions.fetch_add(1, Ordering::Relaxed);
        // Replaces a private or finished execution under the same key; dropping a `Weak` runs no `Drop`.
        self.0.lock().insert(key, Arc::downgrade(&execution));
        Member::new(execution, rx)
    }

    pub fn counts(&self) -> Counts {
        Counts {
            executions: self.0.executions.load(Ordering::Relaxed),
            members: self.0.members.load(Ordering::Relaxed),
        }
    }
}

async fn run(mut payloads: BoxStream<'static, String>, channel: Arc<Channel>) {
    while let Some(payload) = payloads.next().await {
        channel.send(Frame::Next(payload.into()));
    }
    channel.send(Frame::End);
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    /// A source the test feeds by hand, and how many times it was started.
    fn source(
        starts: &Arc<std::sync::atomic::AtomicUsize>,
    ) -> (mpsc::UnboundedSender<String>, impl FnOnce(Replay) -> BoxStream<'static, String> + use<>) {
        fed(starts, false)
    }

    /// [`source`], replaying history (as a resolver resuming with `after`) when `replays`.
    fn fed(
        starts: &Arc<std::sync::atomic::AtomicUsize>,
        replays: bool,
    ) -> (mpsc::UnboundedSender<String>, impl FnOnce(Replay) -> BoxStream<'static, String> + use<>) {
        let (tx, rx) = mpsc::unbounded_channel::<String>();
        let starts = starts.clone();
        let start = move |replay: Replay| {
            starts.fetch_add(1, Ordering::Relaxed);
            if replays {
                replay.mark();
            }
            futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
                .boxed()
        };
        (tx, start)
    }

    fn next(payload: &str) -> Heard {
        Heard::Next(Arc::from(payload))
    }

    #[tokio::test]
    async fn members_with_one_key_share_one_execution_until_the_last_goes() {
        let fanout = Fanout::<String>::default();
        let starts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (feed, start) = source(&starts);
        let mut first = fanout.join("k".into(), start);
        let (_, again) = source(&starts);
        let mut second = fanout.join("k".into(), again);
        let (_other_feed, other) = source(&starts);
        let _other = fanout.join("other".into(), other);
        assert_eq!(starts.load(Ordering::Relaxed), 2, "the second member joined the first execution");
        assert_eq!(fanout.counts(), Counts { executions: 2, members: 3 });
        assert!(first.is_shared() && second.is_shared());

        let _ = feed.send("a".into());
        assert_eq!((first.recv().await, second.recv().await), (next("a"), next("a")));
        drop(first);
        let _ = feed.send("b".into());
        assert_eq!(second.recv().await, next("b"), "the execution lives while a member does");
        drop(second);
        assert_eq!(fanout.counts(), Counts { executions: 1, members: 1 });
        for _ in 0..100 {
            if feed.is_closed() {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(feed.is_closed(), "the last member's going stops the execution");
    }

    #[tokio::test]
    async fn a_replaying_execution_takes_no_one_once_it_has_sent() {
        let fanout = Fanout::<String>::default();
        let starts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        // Started apart from `starts`, which counts the executions the joiners start.
        let (tx, replaying) = fed(&Arc::default(), true);
        let mut first = fanout.join("k".into(), replaying);
        // Before anything is sent, joining loses nothing.
        let (_, again) = source(&starts);
        let mut early = fanout.join("k".into(), again);
        assert_eq!(starts.load(Ordering::Relaxed), 0);
        let _ = tx.send("history".into());
        assert_eq!((first.recv().await, early.recv().await), (next("history"), next("history")));
        // Afterwards a joiner would miss the history: it gets an execution of its own.
        let (_late_feed, late) = source(&starts);
        let late = fanout.join("k".into(), late);
        assert_eq!(starts.load(Ordering::Relaxed), 1);
        assert!(!late.is_shared());
        assert_eq!(
            fanout.counts(),
            Counts { executions: 2, members: 3 },
            "the replaced execution still counts"
        );
    }

    #[tokio::test]
    async fn a_live_execution_takes_joiners_after_it_has_sent() {
        let fanout = Fanout::<String>::default();
        let starts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (feed, start) = source(&starts);
        let mut first = fanout.join("k".into(), start);
        let _ = feed.send("old".into());
        assert_eq!(first.recv().await, next("old"));
        let (_, again) = source(&starts);
        let mut late = fanout.join("k".into(), again);
        assert_eq!(starts.load(Ordering::Relaxed), 1);
        let _ = feed.send("new".into());
        assert_eq!(late.recv().await, next("new"), "a late joiner hears what comes after it joined");
        drop(feed);
        assert_eq!((first.recv().await, first.recv().await), (next("new"), Heard::End));
        assert_eq!(late.recv().await, Heard::End);
        // A finished execution takes no one: the next asker starts afresh.
        let (_, fresh) = source(&starts);
        let _fresh = fanout.join("k".into(), fresh);
        assert_eq!(starts.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn a_member_too_far_behind_is_told() {
        let fanout = Fanout::<String>::default();
        let starts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (feed, start) = source(&starts);
        let mut fast = fanout.join("k".into(), start);
        let (_, again) = source(&starts);
        let mut slow = fanout.join("k".into(), again);
        for i in 0..=BACKLOG {
            let _ = feed.send(i.to_string());
            assert_eq!(fast.recv().await, next(&i.to_string()));
        }
        assert_eq!(slow.recv().await, Heard::Behind);
    }
}
