use sea_orm::entity::prelude::*;

/// A learning material (在线学习资料) published to deputies.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "learning_materials")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub title: String,
    pub body: String,
    /// ARTICLE, PDF or VIDEO.
    pub kind: String,
    pub category: String,
    pub url: Option<String>,
    /// ALL_DEPUTIES, DEPUTY_GROUP or ASSIGNED.
    pub audience_kind: String,
    pub deputy_group_id: Option<Uuid>,
    pub created_by: Uuid,
    pub published_at: DateTimeUtc,
    /// The compare-and-set token of an edit or withdrawal.
    pub version: i32,
    /// When staff last edited it.
    pub updated_at: Option<DateTimeUtc>,
    /// When staff withdrew it: it has left lists and search (its completions stay in the archive).
    pub withdrawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
