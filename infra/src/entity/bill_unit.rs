use sea_orm::entity::prelude::*;

/// A unit a bill is assigned to.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bill_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bill_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
