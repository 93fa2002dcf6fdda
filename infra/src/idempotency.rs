//! Idempotency keys: the first request with a key records it in the transaction that acts; a retry finds it
//! and gets the same result back instead of acting twice. A key belongs to an owner: the account that sent
//! it, or for anonymous requests a stable id of the client address, so "the same key from the same client"
//! acts once.

use crate::entity::idempotency_key;
use crate::error::Result;
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::text::bounded;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// A client's idempotency key for one operation.
#[derive(Debug, Clone, Copy)]
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub operation: &'static str,
}

/// Looks the key up; `Some(result)` means the request was already done.
pub async fn find(db: &impl ConnectionTrait, owner: Uuid, idem: &Idempotency<'_>) -> Result<Option<Uuid>> {
    let found = idempotency_key::Entity::find_by_id((owner, idem.key.to_owned())).one(db).await?;
    match found {
        Some(row) if row.operation != idem.operation => {
            Err(DomainError::conflict("this idempotency key was used for another operation").into())
        }
        Some(row) => Ok(Some(row.result_id)),
        None => Ok(None),
    }
}

pub fn check(idem: &Idempotency<'_>) -> Result<()> {
    bounded("idempotencyKey", idem.key, 8, 100)?;
    Ok(())
}

/// Records the key for `result_id` as the first statement of `txn` (a write first: SQLite then takes its
/// write lock at once). A concurrent twin waits on the key's unique index and then fails with CONFLICT.
pub(crate) async fn record_first(
    txn: &impl ConnectionTrait,
    owner: Uuid,
    idem: &Idempotency<'_>,
    result_id: Uuid,
) -> Result<()> {
    check(idem)?;
    let row = idempotency_key::ActiveModel {
        account_id: Set(owner),
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
