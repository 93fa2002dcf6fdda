use sea_orm::entity::prelude::*;

/// A contact (联系代表) of a committee or a standing-committee member with a deputy: exactly one of
/// `committee_id` and `member_id` is set.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deputy_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub committee_id: Option<Uuid>,
    pub member_id: Option<Uuid>,
    pub deputy_id: Uuid,
    pub contacted_on: Date,
    /// `VISIT`, `PHONE`, `MEETING` or `ONLINE`.
    pub method: String,
    pub content: String,
    pub recorded_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
