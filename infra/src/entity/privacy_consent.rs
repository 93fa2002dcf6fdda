use sea_orm::entity::prelude::*;

/// A consent to the privacy notice, kept as proof with what it came with: the version agreed to and the
/// kinds of personal data it covered (no personal data itself).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_consents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What it came with: OPINION.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub notice_version: String,
    /// `PersonalDataKind` names, comma-separated.
    pub covers: String,
    /// The logged-in account that gave it, if any.
    pub account_id: Option<Uuid>,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
