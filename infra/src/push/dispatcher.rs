//! The push dispatcher: takes the notifications whose push is due, decides about each with the domain's
//! [`decide`], hands the ones to push to the gateway, and records what happened.
//!
//! Safe with several instances: a batch is claimed in a short transaction (on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so instances take different rows) by moving its `push_next_at` a
//! [`LEASE`] ahead; the pushes then go out without holding a transaction or a connection open, and each
//! result is recorded by itself. A dispatcher that dies mid-batch leaves its claims to expire and be
//! taken again: a push may then go out twice, never zero times.

use super::gateway::{Gateway, Outcome, PushMessage, Target};
use super::preferences::Stored;
use super::{LEASE, SEND_CONCURRENCY, devices, preferences};
use crate::Store;
use crate::entity::{device, notification};
use crate::error::Result;
use crate::notifications::PushState;
use chrono::{DateTime, Utc};
use edaibiao_domain::notification::{Category, PushDecision, PushRetry, decide, next_digest_at};
use futures_util::StreamExt;
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Notifications claimed per run; the next run takes the rest.
pub const BATCH: u64 = 100;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Taken by the gateway.
    pub sent: usize,
    /// Not taken this time; tried again later.
    pub retried: usize,
    /// Refused for good, or retried until the bound.
    pub failed: usize,
    /// Not pushed: muted category or no phone.
    pub skipped: usize,
    /// Kept for the daily digest.
    pub digest: usize,
    /// Too old to push.
    pub expired: usize,
}

impl Stats {
    /// How many notifications the run dealt with.
    pub fn total(&self) -> usize {
        self.sent + self.retried + self.failed + self.skipped + self.digest + self.expired
    }

    fn add(&mut self, other: Stats) {
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.digest += other.digest;
        self.expired += other.expired;
    }
}

/// Claims up to [`BATCH`] notifications whose push is due at `now`.
async fn claim(store: &Store, now: DateTime<Utc>) -> Result<Vec<notification::Model>> {
    let due = notification::Entity::find()
        .filter(notification::Column::PushState.eq(PushState::Pending.as_str()))
        .filter(notification::Column::PushNextAt.lte(now));
    // A plain read first, so that an idle dispatcher does not take SQLite's write lock every second.
    let any: Option<Uuid> = due
        .clone()
        .select_only()
        .column(notification::Column::Id)
        .limit(1)
        .into_tuple()
        .one(&store.jobs_db)
        .await?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    let txn = crate::transaction::begin(&store.jobs_db).await?;
    let mut rows = due
        .order_by_asc(notification::Column::PushNextAt)
        .order_by_asc(notification::Column::Id)
        .limit(BATCH)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await?;
    if !rows.is_empty() {
        let until = now + LEASE;
        notification::Entity::update_many()
            .col_expr(notification::Column::PushNextAt, Expr::value(until))
            .filter(notification::Column::Id.is_in(rows.iter().map(|n| n.id)))
            .exec(&txn)
            .await?;
        for row in &mut rows {
            row.push_next_at = Some(until);
        }
    }
    txn.commit().await?;
    Ok(rows)
}

/// Pushes what is due at `now` (one batch) and records the outcomes.
pub async fn dispatch_due(
    store: &Store,
    gateway: &Gateway,
    retry: &PushRetry,
    now: DateTime<Utc>,
) -> Result<Stats> {
    let claimed = claim(store, now).await?;
    if claimed.is_empty() {
        return Ok(Stats::default());
    }
    let mut accounts: Vec<Uuid> = claimed.iter().map(|n| n.account_id).collect();
    accounts.sort_unstable();
    accounts.dedup();
    let prefs = preferences::for_accounts(&store.jobs_db, &accounts).await?;
    let mut phones: HashMap<Uuid, Vec<device::Model>> = HashMap::new();
    for d in devices::for_accounts(&store.jobs_db, &accounts).await? {
        phones.entry(d.account_id).or_default().push(d);
    }

    let mut stats = Stats::default();
    let mut to_push = Vec::new();
    for n in claimed {
        let stored = prefs.get(&n.account_id).cloned().unwrap_or_default();
        let targets = phones.get(&n.account_id).map(Vec::as_slice).unwrap_or_default();
        let decision = decide(&stored.prefs, &n.kind, !targets.is_empty(), n.created_at, now);
        let (state, next_at, error) = match decision {
            PushDecision::Push => {
                to_push.push((n, targets.iter().map(Target::from).collect::<Vec<_>>()));
                continue;
            }
            PushDecision::Skip(reason) => {
                stats.skipped += 1;
                (PushState::Skipped, None, Some(reason.as_str().to_owned()))
            }
            PushDecision::Expire => {
                stats.expired += 1;
                (PushState::Expired, None, None)
            }
            PushDecision::Digest => {
                stats.digest += 1;
                (PushState::Digest, Some(digest_time(&stored, n.created_at)), None)
            }
        };
        record(store, &n, state, n.push_attempts, next_at, error).await?;
    }

    let results: Vec<Result<Stats>> = futures_util::stream::iter(to_push)
        .map(|(n, targets)| push_one(store, gateway, retry, n, targets, now))
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    for result in results {
        stats.add(result?);
    }
    Ok(stats)
}

fn digest_time(stored: &Stored, created_at: DateTime<Utc>) -> DateTime<Utc> {
    next_digest_at(&stored.prefs, stored.last_digest_at, created_at)
}

async fn push_one(
    store: &Store,
    gateway: &Gateway,
    retry: &PushRetry,
    n: notification::Model,
    devices: Vec<Target>,
    now: DateTime<Utc>,
) -> Result<Stats> {
    let badge = crate::notifications::unread_count(store, n.account_id).await?;
    let message = PushMessage {
        notification_id: n.id,
        account_id: n.account_id,
        devices,
        title: n.title.clone(),
        body: n.body.clone(),
        kind: n.kind.clone(),
        category: Category::of(&n.kind).as_str().to_owned(),
        subject_kind: n.subject_kind.clone(),
        subject_id: n.subject_id,
        badge,
        digest_of: Vec::new(),
    };
    let outcome = gateway.send(&message).await;
    let attempts = n.push_attempts.saturating_add(1);
    let tries = u32::try_from(attempts).unwrap_or(u32::MAX);
    let mut stats = Stats::default();
    match outcome {
        Outcome::Delivered => {
            stats.sent += 1;
            record(store, &n, PushState::Sent, attempts, None, None).await?;
        }
        Outcome::Retry(error) if !retry.gives_up(tries) => {
            stats.retried += 1;
            let next = now + retry.next_delay(tries);
            tracing::debug!(notification = %n.id, attempts, error = %error, "push not taken; will retry");
            record(store, &n, PushState::Pending, attempts, Some(next), Some(error)).await?;
        }
        Outcome::Retry(error) => {
            stats.failed += 1;
            let error = format!("gave up after {attempts} attempts: {error}");
            tracing::warn!(notification = %n.id, error = %error, "push failed");
            record(store, &n, PushState::Failed, attempts, None, Some(error)).await?;
        }
        Outcome::Permanent(error) => {
            stats.failed += 1;
            tracing::warn!(notification = %n.id, error = %error, "push refused by the gateway");
            record(store, &n, PushState::Failed, attempts, None, Some(error)).await?;
        }
    }
    Ok(stats)
}

/// Stores the push state of a claimed notification.
async fn record(
    store: &Store,
    n: &notification::Model,
    state: PushState,
    attempts: i32,
    next_at: Option<DateTime<Utc>>,
    error: Option<String>,
) -> Result<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::PushState, Expr::value(state.as_str()))
        .col_expr(notification::Column::PushAttempts, Expr::value(attempts))
        .col_expr(notification::Column::PushNextAt, Expr::value(next_at))
        .col_expr(notification::Column::PushError, Expr::value(error))
        .filter(notification::Column::Id.eq(n.id))
        .filter(notification::Column::PushState.eq(PushState::Pending.as_str()))
        .exec(&store.jobs_db)
        .await?;
    Ok(())
}

/// Runs the dispatcher and the daily digests every `every` until the task is dropped, logging failures
/// and carrying on.
pub async fn run_forever(store: Store, gateway: Gateway, every: std::time::Duration) {
    let retry = PushRetry::default();
    tracing::info!(gateway = gateway.url(), "push dispatcher started");
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        // A full batch means more may be waiting: go on at once.
        loop {
            match dispatch_due(&store, &gateway, &retry, Utc::now()).await {
                Ok(stats) if stats.total() == 0 => break,
                Ok(stats) => {
                    tracing::debug!(?stats, "pushes dispatched");
                    if stats.total() < BATCH as usize {
                        break;
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "push dispatch failed; will retry");
                    break;
                }
            }
        }
        match super::digest::send_digests(&store, &gateway, &retry, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "daily digests sent"),
            Err(err) => tracing::warn!(error = %err, "daily digests failed; will retry"),
        }
    }
}
