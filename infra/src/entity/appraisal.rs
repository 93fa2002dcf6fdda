use sea_orm::entity::prelude::*;

/// An appraisal (评议) of a unit's special work or of an appointed official, with its schedule, the unit's
/// reports and, once published, the result copied from the closed ballot box.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    /// `UNIT_WORK` or `OFFICIAL`.
    pub subject_kind: String,
    /// The unit appraised, or the one answering for the official.
    pub unit_id: Uuid,
    pub topic: Option<String>,
    pub official_name: Option<String>,
    pub official_post: Option<String>,
    pub state: String,
    pub report_due: Date,
    pub rectification_due: Date,
    pub voting_from: Date,
    pub voting_until: Date,
    pub written_report: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub oral_report_on: Option<Date>,
    pub items_issued_at: Option<DateTimeUtc>,
    pub voting_opened_at: Option<DateTimeUtc>,
    /// The deputies of the congress when voting opened.
    pub electorate: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    pub turnout: Option<i32>,
    pub satisfied: Option<i32>,
    pub basically_satisfied: Option<i32>,
    pub dissatisfied: Option<i32>,
    /// The satisfaction rate in percent.
    pub score: Option<f64>,
    pub satisfactory: bool,
    pub further_required: bool,
    pub further_report: Option<String>,
    pub further_submitted_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The candidate of the vote on whom to appraise that this appraisal carries out.
    pub choice_candidate_id: Option<Uuid>,
    /// The link token of the citizens' satisfaction vote, made when citizens are first invited.
    pub citizen_token: Option<String>,
    pub citizen_turnout: Option<i32>,
    pub citizen_satisfied: Option<i32>,
    pub citizen_basically_satisfied: Option<i32>,
    pub citizen_dissatisfied: Option<i32>,
    pub citizen_score: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
