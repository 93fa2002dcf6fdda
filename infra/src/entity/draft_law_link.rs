use sea_orm::entity::prelude::*;

/// A deputy linked to a draft law (挂钩联系法规项目).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_law_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
