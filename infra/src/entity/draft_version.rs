use sea_orm::entity::prelude::*;

/// One published version of a draft law and its comment period.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
