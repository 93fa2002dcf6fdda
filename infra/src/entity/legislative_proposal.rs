use sea_orm::entity::prelude::*;

/// A law a deputy or citizen proposes for a call's plan, and what staff made of it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "legislative_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub call_id: Uuid,
    pub congress_id: Uuid,
    /// DEPUTY or CITIZEN.
    pub source_kind: String,
    pub account_id: Uuid,
    pub deputy_id: Option<Uuid>,
    pub law_title: String,
    /// MAKE or AMEND.
    pub kind: String,
    pub reason: String,
    /// PENDING, TAKEN, MERGED or NOT_TAKEN.
    pub outcome: String,
    pub outcome_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
