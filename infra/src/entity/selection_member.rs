use sea_orm::entity::prelude::*;

/// A deputy on a selection's committee.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selection_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub selection_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
