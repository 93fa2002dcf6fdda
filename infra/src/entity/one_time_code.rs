use sea_orm::entity::prelude::*;

/// A one-time code sent by SMS, waiting to be typed: the code and the phone only as keyed digests.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "one_time_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What the code is for (`registration`, `password-reset`, `voter-rating:<link>`).
    pub scope: String,
    /// Whose it is: the phone's keyed digest.
    pub subject: String,
    pub code_hash: String,
    /// Tries so far, counted before each comparison.
    pub attempts: i32,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
