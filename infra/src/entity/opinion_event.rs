use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opinion_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub opinion_id: Uuid,
    pub seq: i32,
    pub kind: String,
    /// Who acted; null for the public (submission, rating) and the system (timeout).
    pub actor_account_id: Option<Uuid>,
    pub actor_role: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    /// Shown on the public timeline (without the note).
    pub public: bool,
    pub payload: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
