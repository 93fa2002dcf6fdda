//! Idempotency keys: the first request with a key records it in the transaction that acts; a retry finds it
//! and gets the same result back instead of acting twice. A key belongs to an owner: the account that sent
//! it, or for anonymous requests a stable id of the client address, so "the same key from the same client"
//! acts once.

use crate::entity::idempotency_key;
use crate::error::Result;
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::text::bounded;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, TransactionTrait,
};
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
pub async fn record_first(
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

/// Returns the earlier result if the key was used, or records it for `result_id` in `txn` (whose row lock
/// is already held).
pub async fn claim(
    txn: &impl ConnectionTrait,
    owner: Uuid,
    idem: Option<&Idempotency<'_>>,
    result_id: Uuid,
) -> Result<Option<Uuid>> {
    let Some(idem) = idem else { return Ok(None) };
    check(idem)?;
    if let Some(done) = find(txn, owner, idem).await? {
        return Ok(Some(done));
    }
    record_first(txn, owner, idem, result_id).await?;
    Ok(None)
}

/// How the transaction of a request that creates something began.
pub enum Begun {
    /// The first time: act in this transaction, which has the key (if any) recorded already.
    Fresh(DatabaseTransaction),
    /// A retry of a request that is done (or finishing): answer with this, its result.
    Replay(Uuid),
}

/// Begins the transaction that creates `result_id`, recording the key (if any) as its first statement. When
/// a twin with the same key got there first, rolls back and returns the twin's result instead.
pub async fn begin(
    db: &DatabaseConnection,
    owner: Uuid,
    idem: Option<&Idempotency<'_>>,
    result_id: Uuid,
) -> Result<Begun> {
    let txn = db.begin().await?;
    let Some(idem) = idem else { return Ok(Begun::Fresh(txn)) };
    match record_first(&txn, owner, idem, result_id).await {
        Ok(()) => Ok(Begun::Fresh(txn)),
        Err(crate::Error::Domain(DomainError::Conflict(_))) => {
            txn.rollback().await?;
            let done = find(db, owner, idem).await?.ok_or("idempotency key")?;
            Ok(Begun::Replay(done))
        }
        Err(err) => Err(err),
    }
}
