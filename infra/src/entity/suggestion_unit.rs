use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestion_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub suggestion_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub role: String,
    /// The part's current answer class (statistics projection; null until answered).
    pub answer_class: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    /// The lead deputy's rating of the current answer, attitude and result taken together (the worse).
    pub rating: Option<String>,
    /// The deputy's rating of an implemented B-class result.
    pub result_rating: Option<String>,
    /// For an answered part: whether the unit recorded a contact with the deputy before answering (沟通).
    pub contacted: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
