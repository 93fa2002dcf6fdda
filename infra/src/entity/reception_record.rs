use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub station_id: Uuid,
    /// The reception day it belongs to, if any (no foreign key).
    pub reception_day_id: Option<Uuid>,
    pub received_at: DateTimeUtc,
    pub visitors: i32,
    pub recorded_by_account_id: Uuid,
    pub recorder_deputy_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
