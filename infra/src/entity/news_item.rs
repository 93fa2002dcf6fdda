use sea_orm::entity::prelude::*;

/// An item of the congress's news feed (人大工作动态).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "news_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    pub important: bool,
    pub created_by: Uuid,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
