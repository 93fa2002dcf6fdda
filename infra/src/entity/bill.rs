use sea_orm::entity::prelude::*;

/// One bill (议案) with its current state.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub lead_deputy_id: Uuid,
    /// The delegation that tabled it, if one did.
    pub delegation_id: Option<Uuid>,
    pub title: String,
    pub reason: String,
    pub provisions: String,
    pub state: String,
    pub version: i32,
    pub serial: Option<String>,
    pub session_number: Option<i32>,
    pub tabled_at: Option<DateTimeUtc>,
    /// `PRESIDIUM` or `STANDING_COMMITTEE`.
    pub decided_by: Option<String>,
    /// `ON_AGENDA`, `REFERRED` or `CONVERTED`.
    pub disposition: Option<String>,
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// The suggestion it was converted to.
    pub suggestion_id: Option<Uuid>,
    pub committee_id: Option<Uuid>,
    pub assigned_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub review_report: Option<String>,
    pub review_decision: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub close_note: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub rating_attitude: Option<String>,
    pub rating_result: Option<String>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
