//! Mobile push: the phones people register, their push preferences, and the dispatcher that hands each
//! notification to an HTTP push gateway (which speaks to APNs, FCM, HarmonyOS Push Kit…).
//!
//! Every notification is written PENDING. The dispatcher ([`dispatcher::run_forever`]) runs only when a
//! gateway is configured; without one, notifications stay PENDING, and once a gateway is configured
//! those older than [`MAX_PUSH_AGE`](edaibiao_domain::notification::MAX_PUSH_AGE) are marked EXPIRED
//! instead of buzzing phones about old news. The inbox is never affected: it shows every notification
//! whatever happens to its push.

pub mod devices;
pub mod digest;
pub mod dispatcher;
pub mod gateway;
pub mod preferences;

pub use dispatcher::{Stats, dispatch_due, run_forever};
pub use gateway::{Gateway, Outcome, PushMessage};

use crate::entity::notification;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, DbBackend, TransactionOptions, TransactionTrait};

/// How long a claimed notification is left alone by other dispatchers while this one sends it. Sends
/// run at most [`SEND_CONCURRENCY`] at a time with the gateway's timeout, so a batch finishes well within
/// it; a dispatcher that dies mid-batch leaves its claims to be retried when the lease ends.
pub const LEASE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Gateway requests in flight at once per dispatcher.
pub const SEND_CONCURRENCY: usize = 8;

/// A transaction that can write without surprises: on SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), so a transaction that reads before it writes cannot fail with `BUSY_SNAPSHOT`
/// when another connection wrote in between; on PostgreSQL it is a plain transaction.
pub(crate) async fn begin_write(db: &crate::Db) -> Result<DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: (db.get_database_backend() == DbBackend::Sqlite)
            .then_some(sea_orm::SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Whether a stored notification is past the time its push was due (a claim ended, a retry came due).
pub(crate) fn due(n: &notification::Model, now: DateTime<Utc>) -> bool {
    n.push_next_at.is_none_or(|at| at <= now)
}
