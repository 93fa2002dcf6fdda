use sea_orm::entity::prelude::*;

/// A candidate subject of a vote on whom to appraise, with its result once the vote is closed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_choice_candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub choice_id: Uuid,
    /// 1, 2, 3 … in the order staff listed them.
    pub position: i32,
    pub unit_id: Uuid,
    /// `UNIT_WORK` or `OFFICIAL`.
    pub subject_kind: String,
    pub topic: Option<String>,
    pub official_name: Option<String>,
    pub official_post: Option<String>,
    pub votes: Option<i32>,
    pub rank: Option<i32>,
    /// `PASSED`, `FAILED` or `TIED`.
    pub verdict: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
