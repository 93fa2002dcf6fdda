use sea_orm::entity::prelude::*;

/// A numbered article of one version of a draft law.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draft_articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub draft_id: Uuid,
    pub draft_version: i32,
    pub position: i32,
    pub chapter: String,
    pub number: String,
    pub text: String,
    /// What changed from the article it continues (a later version).
    pub change_note: Option<String>,
    /// The article of the previous version it continues.
    pub based_on: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
