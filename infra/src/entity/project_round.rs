use sea_orm::entity::prelude::*;

/// A year's vote on livelihood projects (票决).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_rounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub title: String,
    pub form: String,
    pub seats: i32,
    pub state: String,
    /// The deputies of the congress when the vote closed.
    pub electorate: Option<i32>,
    pub rating_state: String,
    /// The deputies of the congress when the rating closed.
    pub rating_electorate: Option<i32>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
