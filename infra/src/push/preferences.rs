//! Each person's push preferences. No row means the defaults: everything pushed one by one.

use crate::Store;
use crate::entity::{notification, notification_preference};
use crate::error::Result;
use crate::notifications::PushState;
use chrono::{DateTime, Utc};
use edaibiao_domain::notification::{Category, DigestTime, Preferences};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// Preferences as stored, with the time of the last digest sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub prefs: Preferences,
    pub last_digest_at: Option<DateTime<Utc>>,
}

impl Stored {
    /// Reads a row. Values that no longer parse (a category renamed, say) fall back to the defaults
    /// rather than stopping pushes.
    fn from_row(row: notification_preference::Model) -> Self {
        let names: Vec<String> = serde_json::from_str(&row.push_muted).unwrap_or_default();
        let prefs = Preferences {
            push_muted: names.iter().filter_map(|n| Category::parse(n)).collect(),
            daily_digest: row.daily_digest,
            digest_time: row.digest_time.and_then(|t| DigestTime::parse(&t).ok()).unwrap_or_default(),
        };
        Self { prefs, last_digest_at: row.last_digest_at }
    }
}

/// The account's preferences (the defaults when it never set any).
pub async fn get(store: &Store, account_id: Uuid) -> Result<Preferences> {
    Ok(for_accounts(&store.db, &[account_id]).await?.remove(&account_id).unwrap_or_default().prefs)
}

/// The stored preferences of several accounts in one query; accounts without a row are missing.
pub async fn for_accounts(db: &impl ConnectionTrait, account_ids: &[Uuid]) -> Result<HashMap<Uuid, Stored>> {
    if account_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = notification_preference::Entity::find()
        .filter(notification_preference::Column::AccountId.is_in(account_ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| (row.account_id, Stored::from_row(row))).collect())
}

/// Saves the account's preferences. Notifications waiting for a digest are looked at again by the next
/// dispatcher run, so a new digest time or turning the digest off applies to them too.
pub async fn set(
    store: &Store,
    account_id: Uuid,
    prefs: &Preferences,
    now: DateTime<Utc>,
) -> Result<Preferences> {
    let muted: Vec<&str> = prefs.push_muted.iter().map(|c| c.as_str()).collect();
    let muted = serde_json::to_string(&muted).map_err(|e| crate::Error::Internal(format!("muted: {e}")))?;
    let row = notification_preference::ActiveModel {
        account_id: Set(account_id),
        push_muted: Set(muted),
        daily_digest: Set(prefs.daily_digest),
        digest_time: Set(Some(prefs.digest_time.to_string())),
        last_digest_at: Set(None),
        updated_at: Set(now),
    };
    let upsert = OnConflict::column(notification_preference::Column::AccountId)
        .update_columns([
            notification_preference::Column::PushMuted,
            notification_preference::Column::DailyDigest,
            notification_preference::Column::DigestTime,
            notification_preference::Column::UpdatedAt,
        ])
        .to_owned();
    crate::transaction::run(store, async |txn| {
        notification_preference::Entity::insert(row).on_conflict(upsert).exec_without_returning(txn).await?;
        notification::Entity::update_many()
            .col_expr(notification::Column::PushNextAt, Expr::value(now))
            .filter(notification::Column::AccountId.eq(account_id))
            .filter(notification::Column::PushState.eq(PushState::Digest.as_str()))
            .filter(notification::Column::PushNextAt.gt(now))
            .exec(txn)
            .await?;
        Ok(())
    })
    .await?;
    Ok(prefs.clone())
}

/// Records that the account's digest went out at `at`.
pub(crate) async fn mark_digest_sent(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    at: DateTime<Utc>,
) -> Result<()> {
    let row = notification_preference::ActiveModel {
        account_id: Set(account_id),
        push_muted: Set("[]".to_owned()),
        daily_digest: Set(false),
        digest_time: Set(None),
        last_digest_at: Set(Some(at)),
        updated_at: Set(at),
    };
    let upsert = OnConflict::column(notification_preference::Column::AccountId)
        .update_column(notification_preference::Column::LastDigestAt)
        .to_owned();
    notification_preference::Entity::insert(row).on_conflict(upsert).exec_without_returning(db).await?;
    Ok(())
}
