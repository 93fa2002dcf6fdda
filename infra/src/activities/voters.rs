//! The voters' rating of a report to voters (述职测评), public and without login: each reporting deputy has a
//! link (a random token); a voter asks for a one-time code by SMS, then rates with it, once per phone.
//!
//! Phones are never stored: only a keyed digest (the opinions vault's HMAC), enough to refuse a second
//! rating from the same number. The code is a [`crate::one_time_code`] of the link's scope: stored only as a
//! keyed digest, valid 10 minutes and for a few tries. Code requests are throttled per phone and link and
//! per client address ([`crate::throttle`]).

use super::schedule_of;
use crate::consents;
use crate::entity::{activity, activity_participant, deputy, voter_rating};
use crate::error::Result;
use crate::one_time_code::{self, CodeKind};
use crate::sms::SmsSender;
use crate::throttle::{self, Throttle};
use crate::transaction;
use crate::vault::Vault;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Phone;
use edaibiao_domain::duty::activity::{self as rules, ActivityKind};
use edaibiao_domain::privacy::{Consent, PrivacyPurpose};
use edaibiao_domain::suggestion::Satisfaction;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// What the public page of a rating link shows.
#[derive(Debug, Clone)]
pub struct PublicReport {
    pub activity_id: Uuid,
    pub deputy_id: Uuid,
    pub title: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub deputy_name: String,
    /// Whether voters may rate now.
    pub open: bool,
}

/// The participant and activity behind a rating token, or NOT_FOUND.
async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<(activity_participant::Model, activity::Model)> {
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err("report to voters".into());
    }
    let participant = activity_participant::Entity::find()
        .filter(activity_participant::Column::RatingToken.eq(token))
        .one(db)
        .await?
        .ok_or("report to voters")?;
    let activity = activity::Entity::find_by_id(participant.activity_id).one(db).await?.ok_or("activity")?;
    if activity.kind != ActivityKind::ReportToVoters.as_str() {
        return Err("report to voters".into());
    }
    Ok((participant, activity))
}

/// The report a rating link is about, for its public page.
pub async fn report(store: &Store, token: &str) -> Result<PublicReport> {
    let (participant, activity) = by_token(&store.db, token).await?;
    let deputy_name = deputy::Entity::find_by_id(participant.deputy_id)
        .one(&store.db)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    let open =
        rules::check_voter_rating_open(ActivityKind::ReportToVoters, &schedule_of(&activity)?, Utc::now())
            .is_ok();
    Ok(PublicReport {
        activity_id: activity.id,
        deputy_id: participant.deputy_id,
        title: activity.title,
        place: activity.place,
        starts_at: activity.starts_at,
        ends_at: activity.ends_at,
        deputy_name,
        open,
    })
}

/// The codes of one rating link.
fn code_kind(vault: &Vault, token: &str) -> CodeKind {
    CodeKind { policy: rules::VOTER_CODE, scope: format!("voter-rating:{}", vault.digest("token", token)) }
}

/// Sends a one-time code to `phone` for rating through `token`, replacing an earlier code, once the voter
/// agreed to the voters' rating privacy notice (`privacy_consent`, its version; recorded with the code).
/// Returns when it expires.
pub async fn request_code(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    token: &str,
    phone: &str,
    privacy_consent: Option<&str>,
    client_address: &str,
) -> Result<DateTime<Utc>> {
    let phone = Phone::parse(phone)?;
    let consent = Consent::for_phone_code(privacy_consent)?;
    let (participant, activity) = by_token(&store.db, token).await?;
    let token = participant.rating_token.clone().unwrap_or_default();
    let now = Utc::now();
    rules::check_voter_rating_open(ActivityKind::ReportToVoters, &schedule_of(&activity)?, now)?;
    let phone_digest = vault.phone_digest(phone.as_str());
    let kind = code_kind(vault, &token);
    let per_address = Throttle::new(
        "voter-code:address",
        &vault.address_digest(client_address),
        rules::VOTER_CODE_REQUESTS_PER_ADDRESS,
    );
    let per_phone = Throttle::new(
        "voter-code:phone",
        &format!("{}:{phone_digest}", kind.scope),
        rules::VOTER_CODE_REQUESTS_PER_PHONE,
    );
    throttle::hit_all(&store.cache, &[&per_address, &per_phone]).await?;
    if already_rated(&store.db, &token, &phone_digest).await? {
        return Err(DomainError::conflict("this phone has already rated this report").into());
    }
    let (code, expires_at) = transaction::run(store, async |txn| {
        let by = consents::GivenBy { account: None, phone_digest: Some(&phone_digest) };
        consents::record(txn, &consent, PrivacyPurpose::VoterRating, activity.id, by, now).await?;
        one_time_code::issue(txn, vault, &kind, &phone_digest, now).await
    })
    .await?;
    let text = format!("【e代表】您正在为代表述职测评，验证码 {code}，10分钟内有效。如非本人操作请忽略。");
    sms.send(&phone, &text).await?;
    Ok(expires_at)
}

async fn already_rated(db: &impl ConnectionTrait, token: &str, phone_digest: &str) -> Result<bool> {
    Ok(voter_rating::Entity::find()
        .filter(voter_rating::Column::RatingToken.eq(token))
        .filter(voter_rating::Column::PhoneDigest.eq(phone_digest))
        .one(db)
        .await?
        .is_some())
}

/// A voter rates the report behind `token` with the code sent to `phone`: once per phone.
pub async fn rate(
    store: &Store,
    vault: &Vault,
    token: &str,
    phone: &str,
    code: &str,
    rating: Satisfaction,
) -> Result<()> {
    let phone = Phone::parse(phone)?;
    let code = rules::VOTER_CODE.parse(code)?;
    let (participant, activity) = by_token(&store.db, token).await?;
    let token = participant.rating_token.clone().unwrap_or_default();
    let phone_digest = vault.phone_digest(phone.as_str());
    let now = Utc::now();
    rules::check_voter_rating_open(ActivityKind::ReportToVoters, &schedule_of(&activity)?, now)?;
    if already_rated(&store.db, &token, &phone_digest).await? {
        return Err(DomainError::conflict("this phone has already rated this report").into());
    }
    let kind = code_kind(vault, &token);
    // The try is counted (and kept) before the code is compared; the code is used up with the rating.
    let matched = one_time_code::attempt(&store.db, vault, &kind, &phone_digest, &code, now).await?;
    transaction::run(store, async |txn| {
        one_time_code::consume(txn, &kind, matched).await?;
        voter_rating::ActiveModel {
            id: Set(Uuid::now_v7()),
            activity_id: Set(activity.id),
            deputy_id: Set(participant.deputy_id),
            rating_token: Set(token),
            phone_digest: Set(phone_digest),
            rating: Set(rating.as_str().to_owned()),
            created_at: Set(now),
        }
        .insert(txn)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "this phone has already rated this report"))?;
        Ok(())
    })
    .await
}
