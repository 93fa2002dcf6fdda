use sea_orm::entity::prelude::*;

/// A selection (评选) of best suggestions or model deputies.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "selections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    /// `BEST_SUGGESTION` or `MODEL_DEPUTY`.
    pub kind: String,
    /// `COMMITTEE_VOTE` or `STAFF_DECISION`.
    pub method: String,
    pub year: i32,
    pub title: String,
    pub places: i32,
    /// `NOMINATING`, `VOTING`, `DECIDED`, `PUBLISHED` or `CANCELLED`.
    pub state: String,
    /// The committee's size (0 for a staff decision), fixed when it opens.
    pub electorate: i32,
    /// Ballots cast, copied when the vote closed.
    pub turnout: Option<i32>,
    /// Whether more than half of the committee voted, once closed.
    pub quorum: Option<bool>,
    pub created_by: Uuid,
    pub version: i32,
    pub opened_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
