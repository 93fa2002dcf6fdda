use sea_orm::entity::prelude::*;

/// A nominee of a selection, with its result once decided.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selection_candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub selection_id: Uuid,
    /// 1, 2, 3 … in the order of nomination.
    pub position: i32,
    /// The suggestion or deputy nominated (unique per selection).
    pub subject_id: Uuid,
    /// The suggestion (BEST_SUGGESTION).
    pub suggestion_id: Option<Uuid>,
    /// The deputy a win is credited to: the suggestion's lead deputy, or the deputy nominated.
    pub deputy_id: Uuid,
    /// The account that nominated.
    pub nominated_by: Uuid,
    /// The deputy group on whose behalf, if any.
    pub group_id: Option<Uuid>,
    pub reason: String,
    pub votes: Option<i32>,
    pub rank: Option<i32>,
    /// `PASSED`, `FAILED` or `TIED`, once decided.
    pub verdict: Option<String>,
    /// Why staff chose it (a staff decision).
    pub decision_reason: Option<String>,
    pub nominated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
