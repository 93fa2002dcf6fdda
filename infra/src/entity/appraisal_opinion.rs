use sea_orm::entity::prelude::*;

/// A citizens' opinion raised for an appraisal (tagged on the opinion form).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub opinion_id: Uuid,
    pub appraisal_id: Uuid,
    pub tagged_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
