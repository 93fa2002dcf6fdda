use sea_orm::entity::prelude::*;

/// A candidate project of a round.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub title: String,
    pub description: String,
    pub unit_id: Uuid,
    pub budget_fen: i64,
    pub expected_outcome: String,
    /// JSON `[{"title": …, "dueAt": …}]`.
    pub milestones: String,
    /// JSON `[{"kind": "Suggestion" | "Opinion", "id": …}]`.
    pub sources: String,
    pub rank: Option<i32>,
    /// PASSED, FAILED or TIED once the vote closed.
    pub verdict: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
