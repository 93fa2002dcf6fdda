use sea_orm::entity::prelude::*;

/// Something a deputy did outside the system, reported by them and verified or rejected by staff.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub title: String,
    pub note: String,
    pub happened_on: Date,
    pub attachment_url: Option<String>,
    /// PENDING, VERIFIED or REJECTED.
    pub status: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub reason: Option<String>,
    pub version: i32,
    /// The archive kind of an entry staff recorded (SESSION_SPEECH); null for a deputy's own entry, which
    /// counts as VERIFIED_OTHER once verified.
    pub kind: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
