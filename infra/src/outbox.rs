//! The transactional outbox and its relay. Whatever subscribers should hear is written to `outbox` in the
//! transaction of the change itself; the relay publishes committed rows to the bus and marks them sent.
//! If the bus is down the rows wait, and go out in order once it is back; nothing is lost on a crash
//! between commit and publish, because publishing starts from the table.

use crate::Store;
use crate::bus::Bus;
use crate::entity::outbox;
use crate::error::Result;
use crate::feed::Topic;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// Rows published per round trip.
const BATCH: u64 = 256;
/// Published rows are kept this long (for inspection), then deleted.
const KEEP_PUBLISHED: chrono::Duration = chrono::Duration::hours(24);

/// An outbox row for `record`, to be added in the transaction that made it.
pub(crate) fn message<T: Serialize>(
    topic: &Topic,
    seq: i64,
    record: &T,
    now: DateTime<Utc>,
) -> Result<outbox::ActiveModel> {
    let payload =
        serde_json::to_string(record).map_err(|e| crate::Error::Internal(format!("outbox payload: {e}")))?;
    Ok(outbox::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        topic: Set(topic.key()),
        seq: Set(seq),
        payload: Set(payload),
        created_at: Set(now),
        published_at: Set(None),
    })
}

/// Adds rows in the caller's transaction.
pub(crate) async fn add(db: &impl ConnectionTrait, rows: Vec<outbox::ActiveModel>) -> Result<()> {
    if !rows.is_empty() {
        outbox::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// How the relay is doing, for `/healthz` and metrics.
#[derive(Default)]
pub struct RelayHealth {
    failing: AtomicBool,
    published: AtomicU64,
}

impl RelayHealth {
    /// Whether the last attempt to publish failed (the bus is unreachable; rows are waiting).
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// Rows this instance has published.
    pub fn published(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }
}

/// Wakes the relay right after a commit, so delivery does not wait for the next poll.
#[derive(Default)]
pub struct Doorbell(Notify);

impl Doorbell {
    pub fn ring(&self) {
        self.0.notify_one();
    }
}

/// Publishes the outbox for as long as the process runs: at once when this instance commits something,
/// and every `poll` for rows other instances committed and could not publish (they crashed, say).
pub async fn relay_forever(store: Store, bus: Bus, health: Arc<RelayHealth>, poll: Duration) {
    let mut backoff = Duration::from_millis(200);
    let mut rounds: u64 = 0;
    loop {
        tokio::select! {
            () = store.doorbell.0.notified() => {}
            () = tokio::time::sleep(poll) => {}
        }
        store.settle_epoch().await;
        loop {
            match relay_once(&store, &bus).await {
                Ok(sent) => {
                    if health.failing.swap(false, Ordering::Relaxed) {
                        tracing::info!("outbox relay: publishing again");
                    }
                    backoff = Duration::from_millis(200);
                    health.published.fetch_add(sent, Ordering::Relaxed);
                    if sent < BATCH {
                        break;
                    }
                }
                Err(e) => {
                    if !health.failing.swap(true, Ordering::Relaxed) {
                        tracing::error!(error = %e, "outbox relay: cannot publish; messages wait in the outbox");
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
        rounds += 1;
        if rounds.is_multiple_of(1000)
            && let Err(e) = purge(&store).await
        {
            tracing::warn!(error = %e, "outbox relay: cannot purge published rows");
        }
    }
}

/// Publishes one batch of committed, unpublished rows in order and marks them. Returns how many.
///
/// On PostgreSQL the batch is locked with SKIP LOCKED, so several instances' relays share the work
/// instead of sending twice. SQLite serves one instance, which has one relay. A crash between publish
/// and mark sends a batch twice; subscribers drop what they already have by its sequence number.
pub async fn relay_once(store: &Store, bus: &Bus) -> Result<u64> {
    let pending = outbox::Entity::find()
        .filter(outbox::Column::PublishedAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH);
    let db = &store.jobs_db;
    if db.get_database_backend() == DbBackend::Postgres {
        let txn = crate::transaction::begin(db).await?;
        let rows = pending.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked).all(&txn).await?;
        let sent = publish(&txn, bus, &rows).await?;
        txn.commit().await?;
        Ok(sent)
    } else {
        let rows = pending.all(db).await?;
        publish(db, bus, &rows).await
    }
}

async fn publish(db: &impl ConnectionTrait, bus: &Bus, rows: &[outbox::Model]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let messages: Vec<(&str, i64, &str)> =
        rows.iter().map(|r| (r.topic.as_str(), r.seq, r.payload.as_str())).collect();
    bus.publish(&messages).await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::PublishedAt, Expr::value(Utc::now()))
        .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(db)
        .await?;
    Ok(rows.len() as u64)
}

/// Rows not yet published, for `/healthz`.
pub async fn backlog(store: &Store) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find().filter(outbox::Column::PublishedAt.is_null()).count(&store.db).await?)
}

async fn purge(store: &Store) -> Result<()> {
    outbox::Entity::delete_many()
        .filter(outbox::Column::PublishedAt.lt(Utc::now() - KEEP_PUBLISHED))
        .exec(&store.jobs_db)
        .await?;
    Ok(())
}
