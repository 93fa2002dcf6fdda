use sea_orm::entity::prelude::*;

/// A login session: the chain of refresh tokens it issues shares its id (`refresh_tokens.family_id`), and
/// its access tokens carry it (`sid`). The row is the authority on whether the session still holds;
/// the cache only remembers the answer briefly.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub created_at: DateTimeUtc,
    /// When the session ended (logout, refresh-token reuse, password change); `None` while it holds.
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
