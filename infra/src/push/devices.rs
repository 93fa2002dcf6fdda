//! Phones registered for push. A token belongs to whoever registered it last: a phone handed to someone
//! else, who logs in and registers, stops receiving the previous holder's notifications.

use crate::Error;
use crate::Store;
use crate::entity::device;
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::notification::{DeviceToken, Platform};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// Phones kept per person; registering one more forgets the one registered longest ago (apps reinstalled
/// over the years leave dead tokens behind).
pub const MAX_DEVICES_PER_ACCOUNT: usize = 10;

/// A phone registered for push, as its holder sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: Uuid,
    pub account_id: Uuid,
    pub platform: Platform,
    /// The push token, as the phone registered it.
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Device {
    fn from_row(row: device::Model) -> Result<Self> {
        let platform = Platform::parse(&row.platform)
            .ok_or_else(|| Error::Internal(format!("stored platform of device {} does not parse", row.id)))?;
        Ok(Self {
            platform,
            id: row.id,
            account_id: row.account_id,
            token: row.token,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Registers `token` for `account_id`, or moves it to them if another account had it. Registering the
/// same token again refreshes it.
pub async fn register(
    store: &Store,
    account_id: Uuid,
    platform: Platform,
    token: &DeviceToken,
    now: DateTime<Utc>,
) -> Result<Device> {
    let row = device::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        platform: Set(platform.as_str().to_owned()),
        token: Set(token.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let upsert = OnConflict::column(device::Column::Token)
        .update_columns([device::Column::AccountId, device::Column::Platform, device::Column::UpdatedAt])
        .to_owned();
    device::Entity::insert(row).on_conflict(upsert).exec_without_returning(&store.db).await?;
    let stale: Vec<Uuid> = device::Entity::find()
        .select_only()
        .column(device::Column::Id)
        .filter(device::Column::AccountId.eq(account_id))
        .order_by_desc(device::Column::UpdatedAt)
        .order_by_desc(device::Column::Id)
        .into_tuple::<Uuid>()
        .all(&store.db)
        .await?
        .into_iter()
        .skip(MAX_DEVICES_PER_ACCOUNT)
        .collect();
    if !stale.is_empty() {
        device::Entity::delete_many().filter(device::Column::Id.is_in(stale)).exec(&store.db).await?;
    }
    let found =
        device::Entity::find().filter(device::Column::Token.eq(token.as_str())).one(&store.db).await?;
    let device = found.ok_or("device")?;
    tracing::info!(%account_id, platform = platform.as_str(), token = %token, "device registered");
    Device::from_row(device)
}

/// Forgets the account's phone with `token`; returns whether there was one. Another account's token is
/// left alone (and reported as not found).
pub async fn unregister(store: &Store, account_id: Uuid, token: &str) -> Result<bool> {
    let deleted = device::Entity::delete_many()
        .filter(device::Column::AccountId.eq(account_id))
        .filter(device::Column::Token.eq(token.trim()))
        .exec(&store.db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// The account's phones, most recently registered first.
pub async fn list(store: &Store, account_id: Uuid) -> Result<Vec<Device>> {
    for_accounts(&store.db, &[account_id]).await?.into_iter().map(Device::from_row).collect()
}

/// The phones of several accounts in one query, most recently registered first.
pub(crate) async fn for_accounts(
    db: &impl ConnectionTrait,
    account_ids: &[Uuid],
) -> Result<Vec<device::Model>> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(device::Entity::find()
        .filter(device::Column::AccountId.is_in(account_ids.iter().copied()))
        .order_by_desc(device::Column::UpdatedAt)
        .order_by_desc(device::Column::Id)
        .all(db)
        .await?)
}
