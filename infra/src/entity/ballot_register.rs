use sea_orm::entity::prelude::*;

/// Who voted in which ballot box, and when: never what they chose (see `ballot_tally`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_register")]
pub struct Model {
    /// What the box decides: `PROJECT_ROUND`, `PROJECT_RATING`, `APPRAISAL_CHOICE`, `APPRAISAL_SATISFACTION`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub box_kind: String,
    /// The round, project or appraisal the box belongs to.
    #[sea_orm(primary_key, auto_increment = false)]
    pub box_id: Uuid,
    /// `deputy:<uuid>`, `account:<uuid>` or `phone:<keyed digest>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub voter: String,
    pub cast_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
