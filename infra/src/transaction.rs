//! One way to change stored state. Every use case that writes gives its work to [`run`] (or to
//! [`run_once`] when the request may be a mobile retry). The work gets one transaction, and the outcome is
//! decided here, once:
//!
//! - the work succeeded: commit, move the data epochs on (so no cached answer from before the change is
//!   served, [`crate::epoch`]: all of them, unless the work said exactly what it reached), then ring the
//!   outbox relay, so that the notifications, timeline messages and push jobs the work wrote in the same
//!   transaction go out at once;
//! - the work failed: roll back, so a refused action leaves nothing behind (not even its idempotency key);
//! - the request is a retry (same idempotency key, same client): do not act again, answer with the first
//!   request's result.
//!
//! An aggregate is changed under its row lock: [`lock`] makes concurrent actions on one record take turns,
//! each deciding on what the previous one left, and [`save`] writes the change only over the version that
//! was read (compare-and-set), so a lost race is a CONFLICT and never a silent overwrite. The write-ahead
//! order is the same everywhere: idempotency key, row lock, decide, save, events and notices, commit, ring.

use crate::epoch::Reach;
use crate::error::Result;
use crate::idempotency::{self, Idempotency};
use crate::{Db, Error, Store};
use edaibiao_domain::DomainError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    SqliteTransactionMode, TransactionOptions, TransactionTrait, UpdateMany,
};
use uuid::Uuid;

/// Runs `work` in one transaction: committed (and the outbox relay rung) when it returns `Ok`, rolled back
/// when it returns an error, which is passed on.
pub(crate) async fn run<T>(
    store: &Store,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T>,
) -> Result<T> {
    run_reaching(store, Reach::Everything, work).await
}

/// [`run`] for work whose reach is known before it starts: [`Reach::NOTHING`] for work that writes nothing a
/// kept answer shows (sessions), so that signing in and refreshing tokens leave every kept page good.
pub(crate) async fn run_reaching<T>(
    store: &Store,
    reach: Reach,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T>,
) -> Result<T> {
    run_saying_reach(store, async |txn| Ok((work(txn).await?, reach))).await
}

/// Runs `work` in one transaction, moving after the commit the epochs of what the work says it reached.
async fn run_saying_reach<T>(
    store: &Store,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<(T, Reach)>,
) -> Result<T> {
    let txn = begin(&store.db).await?;
    let outcome = work(&txn).await;
    finish_reaching(store, txn, outcome).await
}

/// [`run`] for a background job: on the jobs' pool, so a request's statement count stays its own.
pub(crate) async fn run_job<T>(
    store: &Store,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T>,
) -> Result<T> {
    let txn = begin(&store.jobs_db).await?;
    let outcome = work(&txn).await;
    finish(store, txn, outcome).await
}

/// Begins a transaction that can write without surprises: on SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), so a transaction that reads before it writes waits for the lock instead of failing
/// with `BUSY_SNAPSHOT` when another connection wrote in between; on PostgreSQL it is a plain transaction.
/// Only the delivery machinery that commits in steps (the outbox relay, push) calls this directly.
pub(crate) async fn begin(db: &Db) -> Result<DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: (db.get_database_backend() == DbBackend::Sqlite)
            .then_some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Whose idempotency key a request carries, and what it acts on or creates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key<'a> {
    /// The account that sent the key, or for anonymous requests a stable id of the client address.
    pub owner: Uuid,
    pub idempotency: &'a Idempotency<'a>,
    /// The record the request acts on or creates: a retry is answered with it.
    pub result: Uuid,
}

/// What a request that may be a retry did.
#[derive(Debug)]
pub(crate) enum Once<T> {
    /// It acted now; this is what its work returned.
    Done(T),
    /// A request with the same key acted before (or a twin racing this one won): answer with its result
    /// instead of acting twice.
    Replayed(Uuid),
}

/// [`run`] for a request that may carry an idempotency key. The key is recorded as the transaction's first
/// statement, before any row lock: a twin sent at the same moment waits on the key's unique index and,
/// once this request commits, is answered with its result; if this request fails, the key is rolled back
/// with everything else and the twin acts as if it were first.
pub(crate) async fn run_once<T>(
    store: &Store,
    key: Option<Key<'_>>,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T>,
) -> Result<Once<T>> {
    run_once_reaching(store, key, async |txn| Ok((work(txn).await?, Reach::Everything))).await
}

/// [`run_once`] for work that says what it reached ([`Reach`]): only the epochs of that move on after the
/// commit, so the answers kept of everything else stay good. Work that writes anything a kept answer shows
/// beyond what it names must say [`Reach::Everything`].
pub(crate) async fn run_once_reaching<T>(
    store: &Store,
    key: Option<Key<'_>>,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<(T, Reach)>,
) -> Result<Once<T>> {
    let Some(key) = key else {
        return run_saying_reach(store, work).await.map(Once::Done);
    };
    idempotency::check(key.idempotency)?;
    let txn = begin(&store.db).await?;
    match idempotency::record_first(&txn, key.owner, key.idempotency, key.result).await {
        Ok(()) => {}
        Err(Error::Domain(DomainError::Conflict(_))) => {
            rollback(txn).await;
            return replayed(store, key).await;
        }
        Err(err) => {
            rollback(txn).await;
            return Err(err);
        }
    }
    let outcome = work(&txn).await;
    finish_reaching(store, txn, outcome).await.map(Once::Done)
}

/// The result of the request that holds `key` already. A key used for another operation is a CONFLICT.
async fn replayed<T>(store: &Store, key: Key<'_>) -> Result<Once<T>> {
    match idempotency::find(&store.db, key.owner, key.idempotency).await? {
        Some(done) => Ok(Once::Replayed(done)),
        // The request holding the key failed and rolled back between our attempt and this read.
        None => Err(DomainError::conflict("the same request is being processed; try again").into()),
    }
}

/// Commits and rings on success; rolls back on failure and passes the work's error on.
async fn finish<T>(store: &Store, txn: DatabaseTransaction, outcome: Result<T>) -> Result<T> {
    finish_reaching(store, txn, outcome.map(|value| (value, Reach::Everything))).await
}

/// [`finish`], moving only the epochs of what the work reached.
async fn finish_reaching<T>(
    store: &Store,
    txn: DatabaseTransaction,
    outcome: Result<(T, Reach)>,
) -> Result<T> {
    match outcome {
        Ok((value, reach)) => {
            txn.commit().await?;
            // After the commit, before the caller answers: a read after this action sees it (crate::epoch).
            store.advance_epochs(&reach).await;
            store.doorbell.ring();
            Ok(value)
        }
        Err(err) => {
            rollback(txn).await;
            Err(err)
        }
    }
}

/// Rolls back; a failure to do so is logged, not returned, so the caller sees why the work failed. (The
/// connection is discarded with the transaction either way.)
async fn rollback(txn: DatabaseTransaction) {
    if let Err(err) = txn.rollback().await {
        tracing::warn!(%err, "rollback failed");
    }
}

/// A table whose rows are changed under a row lock and a version: the home of an aggregate.
pub(crate) trait Versioned: EntityTrait {
    /// What NOT_FOUND and CONFLICT name ("suggestion").
    const WHAT: &'static str;
    fn id_column() -> Self::Column;
    fn version_column() -> Self::Column;
}

/// Locks row `id` for the rest of the transaction and reads it; NOT_FOUND when there is none.
pub(crate) async fn lock<E: Versioned>(txn: &DatabaseTransaction, id: Uuid) -> Result<E::Model> {
    try_lock::<E>(txn, id).await?.ok_or_else(|| DomainError::NotFound(E::WHAT).into())
}

/// [`lock`] for a row that may be gone. The lock is a write (the version set to itself), so concurrent
/// actions queue here; on SQLite it also takes the database's write lock up front, so the transaction never
/// has to upgrade a read.
pub(crate) async fn try_lock<E: Versioned>(txn: &DatabaseTransaction, id: Uuid) -> Result<Option<E::Model>> {
    let locked = E::update_many()
        .col_expr(E::version_column(), Expr::col(E::version_column()))
        .filter(E::id_column().eq(id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Ok(None);
    }
    Ok(E::find().filter(E::id_column().eq(id)).one(txn).await?)
}

/// Saves `update` to row `id` only if it still has the version that was read, setting `new_version`;
/// CONFLICT when somebody changed the row meanwhile.
pub(crate) async fn save<E: Versioned>(
    txn: &impl ConnectionTrait,
    id: Uuid,
    read_version: i32,
    new_version: i32,
    update: UpdateMany<E>,
) -> Result<()> {
    let saved = update
        .col_expr(E::version_column(), Expr::value(new_version))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(read_version))
        .exec(txn)
        .await?;
    if saved.rows_affected != 1 {
        return Err(DomainError::conflict(format!(
            "the {} was changed meanwhile; reload and try again",
            E::WHAT
        ))
        .into());
    }
    Ok(())
}

/// Declares the [`Versioned`] tables: each aggregate's row, with its `id` and `version` columns.
macro_rules! versioned {
    ($($module:ident => $what:literal),+ $(,)?) => {
        $(impl Versioned for crate::entity::$module::Entity {
            const WHAT: &'static str = $what;
            fn id_column() -> Self::Column {
                crate::entity::$module::Column::Id
            }
            fn version_column() -> Self::Column {
                crate::entity::$module::Column::Version
            }
        })+
    };
}

versioned!(
    suggestion => "suggestion",
    opinion => "opinion",
    deputy_report => "deputy report",
    duty_evaluation => "duty evaluation",
    duty_entry => "duty entry",
    activity => "activity",
    project_round => "project round",
    livelihood_project => "livelihood project",
    project_inspection => "inspection",
    appraisal => "appraisal",
    appraisal_item => "appraisal item",
    appraisal_choice => "appraisal choice",
    bill => "bill",
    legislative_call => "legislative call",
    legislative_proposal => "legislative proposal",
    draft_law => "draft law",
    draft_comment => "draft comment",
    learning_material => "learning material",
    selection => "selection",
    moderation_item => "moderation item",
);
