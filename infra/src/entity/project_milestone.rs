use sea_orm::entity::prelude::*;

/// A dated step of a project.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_milestones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub position: i32,
    pub title: String,
    pub due_at: DateTimeUtc,
    pub state: String,
    pub done_at: Option<DateTimeUtc>,
    /// The last reminder sent (DUE_SOON, OVERDUE): the job's compare-and-set marker.
    pub reminded: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
