use sea_orm::entity::prelude::*;

/// A deputy's question on a candidate and its unit's answer.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub candidate_id: Uuid,
    pub deputy_id: Uuid,
    pub asked_by: Uuid,
    pub question: String,
    pub answer: Option<String>,
    pub answered_by: Option<Uuid>,
    pub asked_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
