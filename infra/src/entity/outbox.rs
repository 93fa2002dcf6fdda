use sea_orm::entity::prelude::*;

/// A message committed with the change it reports, waiting for the relay to publish it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Who listens: `inbox:{account}` or `suggestion:{id}`.
    pub topic: String,
    /// The message's position within its topic.
    pub seq: i64,
    /// The record as JSON.
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
