use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub deputy_id: Uuid,
    /// The deputy's name when the result was computed.
    pub deputy_name: String,
    pub deputy_group_id: Option<Uuid>,
    pub points_total: i64,
    pub points_score: f64,
    pub voter_rating_score: f64,
    pub no_voter_rating: bool,
    pub voters_satisfied: i32,
    pub voters_basically_satisfied: i32,
    pub voters_dissatisfied: i32,
    pub group_assessment_score: f64,
    pub combined: f64,
    pub grade: String,
    pub congress_rank: i32,
    /// JSON: the ledger lines that deducted points and the parts' shortfalls (`evaluations::Costs`).
    pub costs: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
