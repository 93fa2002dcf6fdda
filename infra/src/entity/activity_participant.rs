use sea_orm::entity::prelude::*;

/// One deputy at one activity: how they joined, check-in, leave and, for a report to voters, the token of
/// the public rating link.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
    /// `ASSIGNED` or `REGISTERED`.
    pub joined: String,
    pub checked_in_at: Option<DateTimeUtc>,
    /// The account that checked the deputy in (the deputy's own when they scanned the code).
    pub checked_in_by: Option<Uuid>,
    /// `PENDING`, `APPROVED` or `REJECTED`.
    pub leave_status: Option<String>,
    pub leave_reason: Option<String>,
    pub leave_requested_at: Option<DateTimeUtc>,
    pub leave_decided_at: Option<DateTimeUtc>,
    pub leave_decided_by: Option<Uuid>,
    /// The public rating link's token (REPORT_TO_VOTERS only).
    pub rating_token: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
