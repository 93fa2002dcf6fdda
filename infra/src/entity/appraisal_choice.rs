use sea_orm::entity::prelude::*;

/// A vote of named members on whom to appraise (审议票决出被评议单位).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_choices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub title: String,
    /// How many subjects each ballot may choose (the appraisals planned).
    pub seats: i32,
    /// `VOTING` or `CLOSED`.
    pub state: String,
    /// How many members were named to vote.
    pub electorate: i32,
    /// Ballots cast, copied when closed.
    pub turnout: Option<i32>,
    pub opened_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
