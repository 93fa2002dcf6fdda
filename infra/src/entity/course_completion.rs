use sea_orm::entity::prelude::*;

/// A deputy's completion of a course, once per course and deputy.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course_completions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub material_id: Uuid,
    pub congress_id: Uuid,
    pub deputy_id: Uuid,
    pub seconds_spent: Option<i32>,
    pub completed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
