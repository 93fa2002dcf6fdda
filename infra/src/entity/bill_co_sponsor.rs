use sea_orm::entity::prelude::*;

/// A deputy invited to co-sponsor a bill, and their answer.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bill_co_sponsors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bill_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub deputy_id: Uuid,
    /// `INVITED`, `CONFIRMED` or `DECLINED`.
    pub status: String,
    pub invited_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
