//! Idempotency keys: the first request with a key records it in its own transaction; a retry finds it and
//! gets the same suggestion back instead of acting twice.

use super::Idempotency;
use crate::entity::idempotency_key;
use crate::error::Result;
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::text::bounded;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Looks the key up; `Some(result)` means the request was already done.
pub(super) async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    idem: &Idempotency<'_>,
) -> Result<Option<Uuid>> {
    let found = idempotency_key::Entity::find_by_id((actor.user_id, idem.key.to_owned())).one(db).await?;
    match found {
        Some(row) if row.operation != idem.operation => {
            Err(DomainError::conflict("this idempotency key was used for another operation").into())
        }
        Some(row) => Ok(Some(row.result_id)),
        None => Ok(None),
    }
}

/// Records the key for `result_id` as the first statement of `txn`, for requests that have no row to lock
/// (creation): a concurrent retry waits on the key's unique index, then fails with CONFLICT and looks the
/// first result up. Writing first also spares SQLite a read-then-write upgrade, which it refuses under load.
pub(super) async fn record_first(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    idem: &Idempotency<'_>,
    result_id: Uuid,
) -> Result<()> {
    bounded("idempotencyKey", idem.key, 8, 100)?;
    insert(txn, actor, idem, result_id).await
}

async fn insert(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    idem: &Idempotency<'_>,
    result_id: Uuid,
) -> Result<()> {
    let row = idempotency_key::ActiveModel {
        account_id: Set(actor.user_id),
        key: Set(idem.key.to_owned()),
        operation: Set(idem.operation.to_owned()),
        result_id: Set(result_id),
        created_at: Set(Utc::now()),
    };
    idempotency_key::Entity::insert(row)
        .exec(txn)
        .await
        .map_err(|e| crate::Error::unique_as_conflict(e, "the same request is being processed"))?;
    Ok(())
}

/// Returns the earlier result if the key was used, or records it for `result_id` in `txn`.
pub(super) async fn claim(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    idem: Option<&Idempotency<'_>>,
    result_id: Uuid,
) -> Result<Option<Uuid>> {
    let Some(idem) = idem else { return Ok(None) };
    bounded("idempotencyKey", idem.key, 8, 100)?;
    if let Some(done) = find(txn, actor, idem).await? {
        return Ok(Some(done));
    }
    insert(txn, actor, idem, result_id).await?;
    Ok(None)
}
