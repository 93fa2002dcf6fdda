use sea_orm::entity::prelude::*;

/// One numbered problem of an appraisal's list and the unit's latest answer to it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub appraisal_id: Uuid,
    pub number: i32,
    pub problem: String,
    /// `OPEN`, `ANSWERED`, `RETURNED` or `ACCEPTED`.
    pub state: String,
    pub answer: Option<String>,
    pub done_by: Option<Date>,
    pub answered_at: Option<DateTimeUtc>,
    pub return_reason: Option<String>,
    pub returns: i32,
    pub accepted_at: Option<DateTimeUtc>,
    /// Who last accepted or returned the answer.
    pub decided_by: Option<Uuid>,
    /// When the unit was reminded that the item is overdue (once).
    pub reminded_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
