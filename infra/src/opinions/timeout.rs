//! The closing job: an opinion whose citizen has not rated the feedback within the policy's days is closed
//! by the system. Safe with several instances: each opinion is closed in its own transaction that locks it
//! and lets the domain decide again, so a second instance (or a rating that came first) finds nothing to do.

use super::record::{self, StepBy};
use crate::entity::opinion;
use crate::error::Result;
use crate::transaction;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::opinion::{OpinionPolicy, OpinionState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// How many opinions one run closes at most; the next run takes the rest.
const BATCH: u64 = 200;

/// Closes the opinions due at `now`; returns how many this call closed.
pub async fn close_due(store: &Store, policy: &OpinionPolicy, now: DateTime<Utc>) -> Result<usize> {
    let due: Vec<Uuid> = opinion::Entity::find()
        .select_only()
        .column(opinion::Column::Id)
        .filter(opinion::Column::State.eq(OpinionState::FeedbackGiven.as_str()))
        .filter(opinion::Column::FeedbackAt.lte(now - Duration::days(policy.close_after_feedback_days)))
        .limit(BATCH)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut closed = 0;
    for id in due {
        if close_one(store, policy, id, now).await? {
            closed += 1;
        }
    }
    Ok(closed)
}

/// Closes one opinion if it is still due; `false` when someone got there first.
async fn close_one(store: &Store, policy: &OpinionPolicy, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let closed = transaction::run(store, async |txn| {
        let Some(row) = transaction::try_lock::<opinion::Entity>(txn, id).await? else { return Ok(false) };
        let mut current = record::aggregate(&row.snapshot)?;
        let events = match current.close_if_due(now, policy) {
            Ok(events) => events,
            Err(DomainError::Conflict(_)) => return Ok(false),
            Err(other) => return Err(Error::from(other)),
        };
        record::append(txn, StepBy::SYSTEM, &mut current, events, now).await?;
        Ok(true)
    })
    .await;
    match closed {
        // Somebody acted on it meanwhile: it is no longer this job's.
        Err(Error::Domain(DomainError::Conflict(_))) => Ok(false),
        other => other,
    }
}

/// Runs the job every `every` until the task is dropped, logging failures and carrying on.
pub async fn run_forever(store: Store, policy: OpinionPolicy, every: std::time::Duration) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match close_due(&store, &policy, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "opinions closed after the rating period"),
            Err(err) => tracing::warn!(error = %err, "closing opinions failed; will retry"),
        }
    }
}
