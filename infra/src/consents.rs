//! Consents to the privacy notices (`domain::privacy`), kept as proof with what they came with: the
//! purpose and the thing the data was given for, the notice's version, the kinds of personal data covered,
//! and who gave it — the account, or for a phone without one its keyed digest (never the phone itself).

use crate::entity::privacy_consent;
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Who gave a consent.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GivenBy<'a> {
    pub account: Option<Uuid>,
    pub phone_digest: Option<&'a str>,
}

/// Records `consent`, given for `purpose` on `subject_id` (the opinion, the activity, the appraisal or the
/// draft), in the caller's transaction.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    consent: &Consent,
    purpose: PrivacyPurpose,
    subject_id: Uuid,
    by: GivenBy<'_>,
    at: DateTime<Utc>,
) -> Result<()> {
    privacy_consent::Entity::insert(privacy_consent::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject_kind: Set(purpose.as_str().to_owned()),
        subject_id: Set(subject_id),
        notice_version: Set(consent.notice_version.to_owned()),
        covers: Set(consent.covers_text()),
        account_id: Set(by.account),
        phone_digest: Set(by.phone_digest.map(str::to_owned)),
        given_at: Set(at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
