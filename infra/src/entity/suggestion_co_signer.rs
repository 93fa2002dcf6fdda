use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_co_signers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub suggestion_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
