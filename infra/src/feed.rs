//! Live feeds for subscribers: an inbox, or one suggestion's timeline. A feed first replays what the
//! subscriber missed (everything after its last position), then goes live, with neither gap nor duplicate.
//!
//! Every record in a feed has a gap-free position (an inbox's `seq`, a timeline's `seq`) that commits in
//! order. So the feed subscribes to the bus *before* reading the backlog, drops what it already has, and
//! whenever the bus skips a number (a lost message, a lagging subscriber, a Redis reconnect) reads the
//! missing ones from the database.

use crate::Store;
use crate::bus::{Signal, Subscription};
use crate::entity::{notification, suggestion_event};
use crate::error::Result;
use futures_util::Stream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use uuid::Uuid;

/// Who listens to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// One account's notifications.
    Inbox(Uuid),
    /// One suggestion's timeline events.
    Suggestion(Uuid),
    /// One login session's end: its live sockets close when a message arrives here (see
    /// [`crate::sessions`]). Not a feed: nothing to replay, the database says whether it has ended.
    Session(Uuid),
}

impl Topic {
    pub fn key(&self) -> String {
        match self {
            Topic::Inbox(id) => format!("inbox:{id}"),
            Topic::Suggestion(id) => format!("suggestion:{id}"),
            Topic::Session(id) => format!("session:{id}"),
        }
    }
}

/// Records read back in catch-up, per query.
const CATCH_UP_BATCH: u64 = 200;

/// A record that flows through a feed.
pub trait FeedRecord: DeserializeOwned + Send + 'static {
    fn position(&self) -> i64;
    /// Records of the topic after `after`, in order, at most `CATCH_UP_BATCH`.
    fn after(store: &Store, topic: Topic, after: i64) -> impl Future<Output = Result<Vec<Self>>> + Send;
    /// The last position of the topic now.
    fn latest(store: &Store, topic: Topic) -> impl Future<Output = Result<i64>> + Send;
}

fn owner(topic: Topic) -> Uuid {
    match topic {
        Topic::Inbox(id) | Topic::Suggestion(id) | Topic::Session(id) => id,
    }
}

impl FeedRecord for notification::Model {
    fn position(&self) -> i64 {
        self.seq.unwrap_or_default()
    }
    async fn after(store: &Store, topic: Topic, after: i64) -> Result<Vec<Self>> {
        Ok(notification::Entity::find()
            .filter(notification::Column::AccountId.eq(owner(topic)))
            .filter(notification::Column::Seq.gt(after))
            .order_by_asc(notification::Column::Seq)
            .limit(CATCH_UP_BATCH)
            .all(&store.db)
            .await?)
    }
    async fn latest(store: &Store, topic: Topic) -> Result<i64> {
        let last: Option<Option<i64>> = notification::Entity::find()
            .select_only()
            .column_as(notification::Column::Seq.max(), "last")
            .filter(notification::Column::AccountId.eq(owner(topic)))
            .into_tuple()
            .one(&store.db)
            .await?;
        Ok(last.flatten().unwrap_or_default())
    }
}

impl FeedRecord for suggestion_event::Model {
    fn position(&self) -> i64 {
        i64::from(self.seq)
    }
    async fn after(store: &Store, topic: Topic, after: i64) -> Result<Vec<Self>> {
        Ok(suggestion_event::Entity::find()
            .filter(suggestion_event::Column::SuggestionId.eq(owner(topic)))
            .filter(suggestion_event::Column::Seq.gt(after))
            .order_by_asc(suggestion_event::Column::Seq)
            .limit(CATCH_UP_BATCH)
            .all(&store.db)
            .await?)
    }
    async fn latest(store: &Store, topic: Topic) -> Result<i64> {
        let last: Option<Option<i32>> = suggestion_event::Entity::find()
            .select_only()
            .column_as(suggestion_event::Column::Seq.max(), "last")
            .filter(suggestion_event::Column::SuggestionId.eq(owner(topic)))
            .into_tuple()
            .one(&store.db)
            .await?;
        Ok(last.flatten().map(i64::from).unwrap_or_default())
    }
}

/// The account's inbox as a live feed, resumed after position `resume_after`.
pub fn inbox(
    store: Store,
    account_id: Uuid,
    resume_after: Option<i64>,
) -> impl Stream<Item = Result<crate::notifications::Notification>> + Send {
    use futures_util::StreamExt;
    follow::<notification::Model>(store, Topic::Inbox(account_id), resume_after)
        .map(|item| item.map(Into::into))
}

/// One suggestion's timeline as a live feed, resumed after position `resume_after`.
pub fn timeline(
    store: Store,
    suggestion_id: Uuid,
    resume_after: Option<i64>,
) -> impl Stream<Item = Result<crate::suggestions::SuggestionEvent>> + Send {
    use futures_util::StreamExt;
    follow::<suggestion_event::Model>(store, Topic::Suggestion(suggestion_id), resume_after)
        .map(|item| item.map(Into::into))
}

/// Position of a notification in its inbox, if it is the account's.
pub async fn inbox_position(store: &Store, account_id: Uuid, notification_id: Uuid) -> Result<Option<i64>> {
    let seq: Option<Option<i64>> = notification::Entity::find_by_id(notification_id)
        .select_only()
        .column(notification::Column::Seq)
        .filter(notification::Column::AccountId.eq(account_id))
        .into_tuple()
        .one(&store.db)
        .await?;
    Ok(seq.flatten())
}

/// Position of a timeline event, if it belongs to the suggestion.
pub async fn timeline_position(store: &Store, suggestion_id: Uuid, event_id: Uuid) -> Result<Option<i64>> {
    let seq: Option<i32> = suggestion_event::Entity::find_by_id(event_id)
        .select_only()
        .column(suggestion_event::Column::Seq)
        .filter(suggestion_event::Column::SuggestionId.eq(suggestion_id))
        .into_tuple()
        .one(&store.db)
        .await?;
    Ok(seq.map(i64::from))
}

struct Follower<R> {
    store: Store,
    topic: Topic,
    subscription: Subscription,
    /// The last position handed out; `None` until the start point is known.
    last: Option<i64>,
    resume_after: Option<i64>,
    queue: VecDeque<R>,
    failed: bool,
}

impl<R: FeedRecord> Follower<R> {
    /// Reads everything after `last` into the queue.
    async fn catch_up(&mut self, last: i64) -> Result<()> {
        let mut last = last;
        loop {
            let batch = R::after(&self.store, self.topic, last).await?;
            let full = batch.len() as u64 >= CATCH_UP_BATCH;
            if let Some(newest) = batch.last() {
                last = newest.position();
            }
            self.queue.extend(batch);
            if !full {
                break;
            }
        }
        self.last = Some(last);
        Ok(())
    }

    async fn next(&mut self) -> Option<Result<R>> {
        loop {
            if let Some(record) = self.queue.pop_front() {
                return Some(Ok(record));
            }
            if self.failed {
                return None;
            }
            let step = match self.last {
                None => match self.resume_after {
                    Some(after) => self.catch_up(after).await,
                    None => R::latest(&self.store, self.topic).await.map(|latest| self.last = Some(latest)),
                },
                Some(last) => match self.subscription.recv().await? {
                    Signal::Item { seq, .. } if seq <= last => Ok(()),
                    Signal::Item { seq, payload } if seq == last + 1 => {
                        match serde_json::from_str::<R>(&payload) {
                            Ok(record) => {
                                self.last = Some(seq);
                                return Some(Ok(record));
                            }
                            Err(_) => self.catch_up(last).await,
                        }
                    }
                    // A gap: what is missing is committed, since positions commit in order.
                    Signal::Item { .. } | Signal::Resync => self.catch_up(last).await,
                },
            };
            if let Err(e) = step {
                self.failed = true;
                return Some(Err(e));
            }
        }
    }
}

/// Follows a topic: replays what comes after `resume_after` (or starts from now when `None`), then live.
/// Ends after reporting an error; the client resumes from the last record it got.
pub fn follow<R: FeedRecord>(
    store: Store,
    topic: Topic,
    resume_after: Option<i64>,
) -> impl Stream<Item = Result<R>> + Send {
    let subscription = store.bus.subscribe(&topic.key());
    let follower = Follower {
        store,
        topic,
        subscription,
        last: None,
        resume_after,
        queue: VecDeque::new(),
        failed: false,
    };
    futures_util::stream::unfold(follower, |mut f| async move { f.next().await.map(|item| (item, f)) })
}
