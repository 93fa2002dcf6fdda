use sea_orm::entity::prelude::*;

/// A consent to the privacy notice, kept as proof with what it came with: the version agreed to and the
/// kinds of personal data it covered (no personal data itself).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_consents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The purpose (`PrivacyPurpose`): OPINION, VOTER_RATING, APPRAISAL_VOTE or DRAFT_COMMENT; `subject_id` is
    /// the opinion, the activity, the appraisal or the draft law.
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub notice_version: String,
    /// `PersonalDataKind` names, comma-separated.
    pub covers: String,
    /// The logged-in account that gave it, if any.
    pub account_id: Option<Uuid>,
    /// For a phone without an account (a code request): its keyed digest, never the phone.
    pub phone_digest: Option<String>,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
