use sea_orm::entity::prelude::*;

/// A problem a group deputy found, before staff consolidate the list.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_findings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub appraisal_id: Uuid,
    pub deputy_id: Uuid,
    pub text: String,
    /// `INSPECTION` or `CITIZEN_OPINION`.
    pub source: String,
    pub opinion_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
