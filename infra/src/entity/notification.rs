use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// Position in the account's inbox: 1, 2, 3… without gaps, in commit order (subscribers resume by it).
    pub seq: Option<i64>,
    /// PENDING, SENT, SKIPPED, DIGEST (waits for the daily digest), DIGESTED, FAILED or EXPIRED.
    #[serde(skip, default = "pending")]
    pub push_state: String,
    #[serde(skip)]
    pub push_attempts: i32,
    #[serde(skip)]
    pub push_next_at: Option<DateTimeUtc>,
    #[serde(skip)]
    pub push_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

fn pending() -> String {
    "PENDING".to_owned()
}
