use sea_orm::entity::prelude::*;

/// One step on a deputy report's timeline.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deputy_report_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub report_id: Uuid,
    pub seq: i32,
    pub kind: String,
    pub actor_account_id: Option<Uuid>,
    pub actor_role: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub payload: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
