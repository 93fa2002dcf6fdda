use sea_orm::entity::prelude::*;

/// An activity (履职活动): its schedule, who organised it and how deputies join. `check_in_secret` keys the
/// rotating check-in code, so Debug leaves it out.
#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: String,
    pub title: String,
    pub place: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub organiser_account_id: Uuid,
    pub deputy_group_id: Option<Uuid>,
    /// `ASSIGNED` or `OPEN`.
    pub participation: String,
    /// The number of places of an `OPEN` activity.
    pub capacity: Option<i32>,
    pub check_in_secret: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The professional group (专业小组) whose activity this is, if any.
    pub professional_group_id: Option<Uuid>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("activity::Model")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("starts_at", &self.starts_at)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
