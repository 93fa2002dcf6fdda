use sea_orm::entity::prelude::*;

/// A reader's report of a moderated piece: one per account per piece.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "content_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub reporter_account_id: Uuid,
    /// A `ReportReason`.
    pub reason: String,
    pub note: Option<String>,
    /// Not closed by a decision yet.
    pub open: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
