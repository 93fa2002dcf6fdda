use sea_orm::entity::prelude::*;

/// A deputy's report of constituents' views: the aggregate as JSON (`snapshot`) and the columns lists
/// filter on.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deputy_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub title: String,
    pub category: String,
    pub station_id: Option<Uuid>,
    pub state: String,
    pub version: i32,
    pub forwarded_unit_id: Option<Uuid>,
    pub snapshot: String,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
