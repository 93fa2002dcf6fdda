use sea_orm::entity::prelude::*;

/// How one person wants to be pushed. No row means the defaults: everything pushed, no digest.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: Uuid,
    /// JSON array of the categories not pushed (the inbox still gets them).
    pub push_muted: String,
    /// One push a day summing up, instead of one push per notification.
    pub daily_digest: bool,
    /// When the digest goes out, "HH:MM" in China Standard Time; null means the default.
    pub digest_time: Option<String>,
    pub last_digest_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
