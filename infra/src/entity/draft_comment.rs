use sea_orm::entity::prelude::*;

/// A comment on an article (or the whole) of one version of a draft law, and what staff made of it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_comments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub draft_id: Uuid,
    pub draft_version: i32,
    pub article_id: Option<Uuid>,
    /// The article's id, or `WHOLE`.
    pub scope_key: String,
    /// Who, for "one comment per article per person per version".
    pub commenter_key: String,
    /// DEPUTY, CITIZEN, PHONE or CONTACT_POINT.
    pub source_kind: String,
    pub account_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub station_id: Option<Uuid>,
    /// The phone of a PHONE commenter, sealed.
    pub phone_sealed: Option<String>,
    pub phone_digest: Option<String>,
    pub content: String,
    /// How many people an entry stands for (a contact point's offline collection; 1 otherwise).
    pub offline_count: i32,
    pub offline_source: Option<String>,
    /// PENDING, ADOPTED, PARTLY_ADOPTED or NOT_ADOPTED.
    pub outcome: String,
    pub outcome_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
