use sea_orm::entity::prelude::*;

/// A deputy on duty at a reception day.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_day_deputies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reception_day_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
