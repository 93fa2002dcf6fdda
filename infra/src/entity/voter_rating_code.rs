use sea_orm::entity::prelude::*;

/// A one-time code sent to a voter's phone to confirm a rating: the code only as a hash, the phone only as
/// a keyed digest.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "voter_rating_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub rating_token: String,
    pub phone_digest: String,
    pub code_hash: String,
    /// Wrong codes tried so far.
    pub attempts: i32,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
