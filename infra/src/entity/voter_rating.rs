use sea_orm::entity::prelude::*;

/// One voter's rating of a deputy's report to voters (述职测评); one per phone (kept as a keyed digest) and
/// rating link.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "voter_ratings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub deputy_id: Uuid,
    pub rating_token: String,
    pub phone_digest: String,
    /// `SATISFIED`, `BASICALLY_SATISFIED` or `DISSATISFIED`.
    pub rating: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
