use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub sitting_key: String,
    pub session_number: Option<i32>,
    pub recess_year: Option<i32>,
    pub lead_deputy_id: Uuid,
    pub title: String,
    pub content: String,
    pub category: String,
    pub state: String,
    pub version: i32,
    pub serial: Option<String>,
    pub mode: Option<String>,
    pub lead_unit_id: Option<Uuid>,
    pub assigned_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub key_supervised: bool,
    pub flagged: bool,
    pub has_public_answer: bool,
    pub reminded_due_soon_for: Option<DateTimeUtc>,
    pub reminded_overdue_for: Option<DateTimeUtc>,
    pub snapshot: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When it was first submitted (kept by `suggestions::duty_facts`); what the duty record dates it by.
    pub first_submitted_at: Option<DateTimeUtc>,
    /// The lead deputy's group, kept by `suggestions::lead_group` (for the table by deputy group).
    pub lead_group_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
