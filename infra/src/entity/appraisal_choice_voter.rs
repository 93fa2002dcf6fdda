use sea_orm::entity::prelude::*;

/// A member named to vote on whom to appraise.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_choice_voters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub choice_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
