use sea_orm::entity::prelude::*;

/// A document to look up (资料): a law, a report, a rule.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    pub category: String,
    pub url: Option<String>,
    pub public: bool,
    pub created_by: Uuid,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
