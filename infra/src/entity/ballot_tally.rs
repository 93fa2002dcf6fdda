use sea_orm::entity::prelude::*;

/// How many ballots in a box put `mark` against `candidate_id`: counts only, no ballot of its own.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub box_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub box_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: Uuid,
    /// A `Mark` of the domain's ballot module.
    #[sea_orm(primary_key, auto_increment = false)]
    pub mark: String,
    pub votes: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
