use sea_orm::entity::prelude::*;

/// A draft law published for comment (法规草案征求意见): its current version and that version's period.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_laws")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub description: String,
    pub current_version: i32,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
