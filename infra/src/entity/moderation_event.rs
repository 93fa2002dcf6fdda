use sea_orm::entity::prelude::*;

/// A step of a moderated piece: hidden after reports, restored or removed by staff, with the reason.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    /// The state it went to: HIDDEN, VISIBLE (restored) or REMOVED.
    pub kind: String,
    /// Staff who decided; none for hiding after reports.
    pub actor_account_id: Option<Uuid>,
    pub reason: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
