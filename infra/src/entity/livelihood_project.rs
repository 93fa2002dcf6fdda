use sea_orm::entity::prelude::*;

/// A project followed to the end: VOTED (a round's passed candidate) or MAJOR.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "livelihood_projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: String,
    pub year: i32,
    pub round_id: Option<Uuid>,
    pub candidate_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub unit_id: Uuid,
    pub budget_fen: i64,
    pub expected_outcome: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
