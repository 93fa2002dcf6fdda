use sea_orm::entity::prelude::*;

/// A meeting considering a bill that its lead sponsor was invited to (列席), and whether they attended.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bill_meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub bill_id: Uuid,
    /// 1, 2, … per bill.
    pub number: i32,
    pub title: String,
    pub held_at: DateTimeUtc,
    /// Null until recorded.
    pub attended: Option<bool>,
    pub recorded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
