//! Erasing a citizen's contact details from an opinion, everywhere they are stored: the aggregate's
//! snapshot, the sealed, digested and masked phone columns, the stored submission on the timeline, and the
//! reception matter it came from. The timeline gains a CONTACT_ERASED step that says so. Run by the
//! retention job ([`erase_due`]) and, within the account's deletion, for every opinion it submitted.

use super::record::{self, StepBy};
use crate::entity::{opinion, opinion_event, reception_matter};
use crate::error::Result;
use crate::{Error, Store, transaction};
use chrono::{DateTime, Duration, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::opinion::{ErasureReason, Event, OpinionEventKind, OpinionPolicy, OpinionState};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// How many opinions one round of the retention job erases at most; the next round takes the rest.
const BATCH: u64 = 200;

/// Erases the contact details of opinion `id` for `reason`, in the caller's transaction; `false` when there
/// was nothing left to erase. RETENTION before the period has run out is CONFLICT.
pub(crate) async fn erase(
    txn: &DatabaseTransaction,
    id: Uuid,
    reason: ErasureReason,
    policy: &OpinionPolicy,
    now: DateTime<Utc>,
) -> Result<bool> {
    let row = transaction::lock::<opinion::Entity>(txn, id).await?;
    let mut current = record::aggregate(&row.snapshot)?;
    let events = current.erase_contact(reason, now, policy)?;
    let erased = !events.is_empty();
    if erased {
        record::append(txn, StepBy::SYSTEM, &mut current, events, now).await?;
    }
    opinion::Entity::update_many()
        .col_expr(opinion::Column::ContactPhoneSealed, Expr::value(Option::<String>::None))
        .col_expr(opinion::Column::ContactPhoneDigest, Expr::value(Option::<String>::None))
        .col_expr(opinion::Column::ContactPhoneMasked, Expr::value(Option::<String>::None))
        .col_expr(opinion::Column::ContactErasedAt, Expr::value(now))
        .filter(opinion::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if erased {
        scrub_submission(txn, id, reason).await?;
        reception_matter::Entity::update_many()
            .col_expr(reception_matter::Column::ContactName, Expr::value(Option::<String>::None))
            .filter(reception_matter::Column::OpinionId.eq(id))
            .exec(txn)
            .await?;
    }
    Ok(erased)
}

/// Rewrites the stored submission without the contact details (the one place history is rewritten: the
/// law asks that they be gone, not hidden).
async fn scrub_submission(db: &impl ConnectionTrait, id: Uuid, reason: ErasureReason) -> Result<()> {
    let submissions = opinion_event::Entity::find()
        .filter(opinion_event::Column::OpinionId.eq(id))
        .filter(opinion_event::Column::Kind.eq(OpinionEventKind::Submitted.as_str()))
        .all(db)
        .await?;
    for row in submissions {
        let event: Event = serde_json::from_str(&row.payload)
            .map_err(|e| Error::Internal(format!("opinion event {}: {e}", row.id)))?;
        let payload = serde_json::to_string(&event.without_contact(reason))
            .map_err(|e| Error::Internal(format!("opinion event: {e}")))?;
        opinion_event::Entity::update(opinion_event::ActiveModel {
            id: Set(row.id),
            payload: Set(payload),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The retention job's round: erases the contact details of closed opinions past `contact_retention_days`
/// at `now`; returns how many held any. Safe with several instances: each opinion is erased in its own
/// transaction that locks it, and one erased meanwhile is found with nothing left.
pub async fn erase_due(store: &Store, policy: &OpinionPolicy, now: DateTime<Utc>) -> Result<usize> {
    let due: Vec<Uuid> = opinion::Entity::find()
        .select_only()
        .column(opinion::Column::Id)
        .filter(opinion::Column::ContactErasedAt.is_null())
        .filter(opinion::Column::ClosedAt.lte(now - Duration::days(policy.contact_retention_days)))
        .filter(opinion::Column::State.eq(OpinionState::Closed.as_str()))
        .limit(BATCH)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut erased = 0;
    for id in due {
        let outcome = transaction::run_job(store, async |txn| {
            erase(txn, id, ErasureReason::Retention, policy, now).await
        })
        .await;
        match outcome {
            Ok(true) => erased += 1,
            Ok(false) | Err(Error::Domain(DomainError::Conflict(_))) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(erased)
}
