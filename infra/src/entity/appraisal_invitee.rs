use sea_orm::entity::prelude::*;

/// A citizen invited to an appraisal's satisfaction vote, by the keyed digest of their phone.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_invitees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub appraisal_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub phone_digest: String,
    pub invited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
