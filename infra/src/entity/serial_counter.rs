use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "serial_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub congress_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sitting_key: String,
    pub last_value: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
