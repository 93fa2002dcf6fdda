use sea_orm::entity::prelude::*;

/// A citizen following a suggestion with a public answer, to hear its later steps.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_followers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub suggestion_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
