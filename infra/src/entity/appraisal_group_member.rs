use sea_orm::entity::prelude::*;

/// A deputy of an appraisal group.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_group_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub appraisal_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
