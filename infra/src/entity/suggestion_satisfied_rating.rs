use sea_orm::entity::prelude::*;

/// An official rating of SATISFIED on a suggestion (a RATED event of its timeline, by `seq`), kept with the
/// event (`suggestions::duty_facts`): an entry of the rating deputy's duty record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_satisfied_ratings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub suggestion_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub rated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
