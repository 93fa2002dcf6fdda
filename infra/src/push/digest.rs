//! Daily digests: for people who chose one push a day, what waited (state DIGEST) goes out as one push
//! at their digest time ("您有 N 条新通知" and the newest titles), and is then DIGESTED.
//!
//! Each waiting notification carries the time its digest is due in `push_next_at`. At that time the
//! person's notifications are claimed (on PostgreSQL with `FOR UPDATE SKIP LOCKED`) and the rule is
//! checked again with the current preferences: a new digest time reschedules them, a digest turned off
//! sends them at once. A gateway that cannot take the digest is retried like a single push.

use super::gateway::{Gateway, Outcome, PushMessage, Target};
use super::{LEASE, devices, due, preferences};
use crate::Store;
use crate::entity::notification;
use crate::error::Result;
use crate::notifications::PushState;
use chrono::{DateTime, Utc};
use edaibiao_domain::notification::{PushRetry, SkipReason, digest_due, next_digest_at};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// People whose digest is looked at per run; the next run takes the rest.
const ACCOUNTS_PER_RUN: u64 = 100;
/// Notifications summed up in one digest at most; more wait for the next one.
const MAX_PER_DIGEST: u64 = 500;
/// Titles quoted in the digest's body.
const TITLES_SHOWN: usize = 3;

/// The digest's title and body: how many, and the newest titles (newest first, without repeats).
pub fn digest_text(titles_newest_first: &[&str]) -> (String, String) {
    let title = format!("您有 {} 条新通知", titles_newest_first.len());
    let mut shown: Vec<&str> = Vec::new();
    for t in titles_newest_first {
        if !shown.contains(t) {
            shown.push(t);
        }
    }
    let more = shown.len() > TITLES_SHOWN;
    shown.truncate(TITLES_SHOWN);
    let mut body = shown.join("；");
    if more {
        body.push_str("……");
    }
    (title, body)
}

/// Sends the digests due at `now`; returns how many went out.
pub async fn send_digests(
    store: &Store,
    gateway: &Gateway,
    retry: &PushRetry,
    now: DateTime<Utc>,
) -> Result<usize> {
    let accounts: Vec<Uuid> = notification::Entity::find()
        .select_only()
        .column(notification::Column::AccountId)
        .distinct()
        .filter(notification::Column::PushState.eq(PushState::Digest.as_str()))
        .filter(notification::Column::PushNextAt.lte(now))
        .limit(ACCOUNTS_PER_RUN)
        .into_tuple()
        .all(&store.jobs_db)
        .await?;
    let mut sent = 0;
    for account_id in accounts {
        if digest_one(store, gateway, retry, account_id, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Looks at one person's waiting notifications; returns whether a digest went out.
async fn digest_one(
    store: &Store,
    gateway: &Gateway,
    retry: &PushRetry,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let txn = crate::transaction::begin(&store.jobs_db).await?;
    let waiting = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::PushState.eq(PushState::Digest.as_str()))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(MAX_PER_DIGEST)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await?;
    // Another dispatcher took them, or a retry is not due yet.
    let (Some(oldest), true) = (waiting.last(), waiting.iter().any(|n| due(n, now))) else {
        txn.rollback().await?;
        return Ok(false);
    };
    let stored =
        preferences::for_accounts(&txn, &[account_id]).await?.remove(&account_id).unwrap_or_default();
    let ids: Vec<Uuid> = waiting.iter().map(|n| n.id).collect();
    if !digest_due(&stored.prefs, stored.last_digest_at, oldest.created_at, now) {
        // The digest time moved: wait for the new one.
        let at = next_digest_at(&stored.prefs, stored.last_digest_at, oldest.created_at);
        set_next_at(&txn, &ids, at).await?;
        txn.commit().await?;
        return Ok(false);
    }
    set_next_at(&txn, &ids, now + LEASE).await?;
    txn.commit().await?;

    let targets: Vec<Target> =
        devices::for_accounts(&store.jobs_db, &[account_id]).await?.iter().map(Target::from).collect();
    if targets.is_empty() {
        let no_device = Some(SkipReason::NoDevice.as_str().to_owned());
        update(&store.jobs_db, &ids, PushState::Skipped, None, None, no_device).await?;
        return Ok(false);
    }
    let titles: Vec<&str> = waiting.iter().map(|n| n.title.as_str()).collect();
    let (title, body) = digest_text(&titles);
    let newest = &waiting[0];
    let message = PushMessage {
        notification_id: newest.id,
        account_id,
        devices: targets,
        title,
        body: Some(body),
        kind: "DIGEST".to_owned(),
        category: "DIGEST".to_owned(),
        subject_kind: "Inbox".to_owned(),
        subject_id: None,
        badge: crate::notifications::unread_count(store, account_id).await?,
        digest_of: ids.clone(),
    };
    // The digest counts as one attempt for each notification in it; the most-tried one decides when to
    // give up.
    let attempts = waiting.iter().map(|n| n.push_attempts).max().unwrap_or_default().saturating_add(1);
    let tries = u32::try_from(attempts).unwrap_or(u32::MAX);
    match gateway.send(&message).await {
        Outcome::Delivered => {
            let txn = crate::transaction::begin(&store.jobs_db).await?;
            update(&txn, &ids, PushState::Digested, Some(attempts), None, None).await?;
            preferences::mark_digest_sent(&txn, account_id, now).await?;
            txn.commit().await?;
            Ok(true)
        }
        Outcome::Retry(error) if !retry.gives_up(tries) => {
            tracing::debug!(%account_id, attempts, error = %error, "digest not taken; will retry");
            let next = now + retry.next_delay(tries);
            update(&store.jobs_db, &ids, PushState::Digest, Some(attempts), Some(next), Some(error)).await?;
            Ok(false)
        }
        Outcome::Retry(error) | Outcome::Permanent(error) => {
            let error = if tries > 1 { format!("gave up after {attempts} attempts: {error}") } else { error };
            tracing::warn!(%account_id, error = %error, "digest push failed");
            update(&store.jobs_db, &ids, PushState::Failed, Some(attempts), None, Some(error)).await?;
            Ok(false)
        }
    }
}

async fn set_next_at(db: &impl ConnectionTrait, ids: &[Uuid], at: DateTime<Utc>) -> Result<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::PushNextAt, Expr::value(at))
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Stores the push state of a digest's notifications (still DIGEST, that is: not taken meanwhile).
async fn update(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    state: PushState,
    attempts: Option<i32>,
    next_at: Option<DateTime<Utc>>,
    error: Option<String>,
) -> Result<()> {
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::PushState, Expr::value(state.as_str()))
        .col_expr(notification::Column::PushNextAt, Expr::value(next_at))
        .col_expr(notification::Column::PushError, Expr::value(error));
    if let Some(attempts) = attempts {
        update = update.col_expr(notification::Column::PushAttempts, Expr::value(attempts));
    }
    update
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .filter(notification::Column::PushState.eq(PushState::Digest.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_counts_everything_and_quotes_the_newest_titles_once() {
        let (title, body) = digest_text(&["建议已答复", "建议已交办", "建议已答复"]);
        assert_eq!(title, "您有 3 条新通知");
        assert_eq!(body, "建议已答复；建议已交办");
        let (_, body) = digest_text(&["a", "b", "c", "d"]);
        assert_eq!(body, "a；b；c……");
    }
}
