use sea_orm::entity::prelude::*;

/// A phone registered for mobile push.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "devices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    /// IOS, ANDROID or HARMONY.
    pub platform: String,
    /// The push token the phone's vendor service issued; unique: a phone belongs to whoever registered it
    /// last.
    pub token: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
