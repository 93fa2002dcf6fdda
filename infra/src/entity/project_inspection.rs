use sea_orm::entity::prelude::*;

/// A supervision group deputy's inspection, with the rectification asked and answered.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_inspections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub deputy_id: Uuid,
    pub findings: String,
    pub rectification_requested: bool,
    pub rectification_deadline: Option<DateTimeUtc>,
    pub rectification_answer: Option<String>,
    pub rectified_by: Option<Uuid>,
    pub rectified_at: Option<DateTimeUtc>,
    pub inspected_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
