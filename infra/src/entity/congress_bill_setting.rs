use sea_orm::entity::prelude::*;

/// A congress's bill settings: its co-sponsor threshold (null: its level's default) and the session in
/// progress (null: the recess).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "congress_bill_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub congress_id: Uuid,
    pub co_sponsor_threshold: Option<i32>,
    pub session_number: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
