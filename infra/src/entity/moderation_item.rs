use sea_orm::entity::prelude::*;

/// One moderated piece of public content: its state, its open reports and the last decision on it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// DRAFT_COMMENT.
    pub content_kind: String,
    pub content_id: Uuid,
    pub congress_id: Uuid,
    /// The account told of decisions, if the author has one.
    pub author_account_id: Option<Uuid>,
    /// The contact point whose workers entered the piece, told instead of an account.
    pub author_station_id: Option<Uuid>,
    /// VISIBLE, HIDDEN or REMOVED.
    pub state: String,
    /// Reports no decision has closed yet.
    pub open_reports: i32,
    pub total_reports: i32,
    pub hidden_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
