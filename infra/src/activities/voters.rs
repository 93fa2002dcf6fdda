//! The voters' rating of a report to voters (述职测评), public and without login: each reporting deputy has a
//! link (a random token); a voter asks for a one-time code by SMS, then rates with it, once per phone.
//!
//! Phones are never stored: only a keyed digest (the opinions vault's HMAC), enough to refuse a second
//! rating from the same number. The code is stored only as a keyed digest too, valid 10 minutes and for a
//! few wrong tries.

use super::schedule_of;
use crate::entity::{activity, activity_participant, deputy, voter_rating, voter_rating_code};
use crate::error::Result;
use crate::opinions::Vault;
use crate::sms::SmsSender;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{LoginThrottle, Phone};
use edaibiao_domain::duty::activity::{self as rules, ActivityKind};
use edaibiao_domain::suggestion::Satisfaction;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use std::time::Duration;
use uuid::Uuid;

/// Codes one phone may ask for per rating link within 10 minutes.
pub const PER_PHONE: LoginThrottle = LoginThrottle { max_failures: 3, window_secs: 600 };
/// Codes one client address may ask for within an hour (a polling station's shared Wi-Fi stays usable).
pub const PER_ADDRESS: LoginThrottle = LoginThrottle { max_failures: 30, window_secs: 3600 };

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

/// Counts one more request in a window and refuses past the limit.
async fn throttle(store: &Store, key: &str, limit: LoginThrottle) -> Result<()> {
    let (count, left) = store.cache.window_incr(key, Duration::from_secs(limit.window_secs)).await?;
    limit.check(count.saturating_sub(1), left)?;
    Ok(())
}

fn code_digest(vault: &Vault, token: &str, phone_digest: &str, code: &str) -> String {
    vault.digest("voter code", &format!("{token}\u{0}{phone_digest}\u{0}{code}"))
}

fn random_code() -> Result<String> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{:06}", u32::from_be_bytes(bytes) % 1_000_000))
}

/// Sends a one-time code to `phone` for rating through `token`, replacing an earlier code. Returns when it
/// expires.
pub async fn request_code(
    store: &Store,
    vault: &Vault,
    sms: &dyn SmsSender,
    token: &str,
    phone: &str,
    client_address: &str,
) -> Result<DateTime<Utc>> {
    let phone = Phone::parse(phone)?;
    let (participant, activity) = by_token(&store.db, token).await?;
    let token = participant.rating_token.clone().unwrap_or_default();
    let now = Utc::now();
    rules::check_voter_rating_open(ActivityKind::ReportToVoters, &schedule_of(&activity)?, now)?;
    let phone_digest = vault.digest("phone", phone.as_str());
    throttle(store, &format!("voter:code:address:{}", vault.digest("address", client_address)), PER_ADDRESS)
        .await?;
    throttle(store, &format!("voter:code:phone:{}:{phone_digest}", vault.digest("token", &token)), PER_PHONE)
        .await?;
    if already_rated(&store.db, &token, &phone_digest).await? {
        return Err(DomainError::conflict("this phone has already rated this report").into());
    }
    let code = random_code()?;
    let expires_at = now + rules::VOTER_CODE_TTL;
    let txn = store.db.begin().await?;
    voter_rating_code::Entity::delete_many()
        .filter(voter_rating_code::Column::RatingToken.eq(&token))
        .filter(voter_rating_code::Column::PhoneDigest.eq(&phone_digest))
        .exec(&txn)
        .await?;
    voter_rating_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        rating_token: Set(token.clone()),
        phone_digest: Set(phone_digest.clone()),
        code_hash: Set(code_digest(vault, &token, &phone_digest, &code)),
        attempts: Set(0),
        expires_at: Set(expires_at),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
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
    let code = rules::parse_voter_code(code)?;
    let (participant, activity) = by_token(&store.db, token).await?;
    let token = participant.rating_token.clone().unwrap_or_default();
    let phone_digest = vault.digest("phone", phone.as_str());
    let txn = store.db.begin().await?;
    // A write first: SQLite takes its write lock now; PostgreSQL queues tries of the same code here.
    voter_rating_code::Entity::update_many()
        .col_expr(voter_rating_code::Column::Attempts, Expr::col(voter_rating_code::Column::Attempts))
        .filter(voter_rating_code::Column::RatingToken.eq(&token))
        .filter(voter_rating_code::Column::PhoneDigest.eq(&phone_digest))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    rules::check_voter_rating_open(ActivityKind::ReportToVoters, &schedule_of(&activity)?, now)?;
    if already_rated(&txn, &token, &phone_digest).await? {
        return Err(DomainError::conflict("this phone has already rated this report").into());
    }
    let stored = voter_rating_code::Entity::find()
        .filter(voter_rating_code::Column::RatingToken.eq(&token))
        .filter(voter_rating_code::Column::PhoneDigest.eq(&phone_digest))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::invalid("code", "ask for a code first"))?;
    let expected = code_digest(vault, &token, &phone_digest, &code);
    let matches = super::check_in::same_bytes(expected.as_bytes(), stored.code_hash.as_bytes());
    let attempts = u32::try_from(stored.attempts).unwrap_or(u32::MAX);
    if let Err(refused) = rules::check_voter_code(stored.expires_at, attempts, matches, now) {
        if !matches {
            let mut model: voter_rating_code::ActiveModel = stored.into();
            model.attempts = Set(i32::try_from(attempts.saturating_add(1)).unwrap_or(i32::MAX));
            model.update(&txn).await?;
            txn.commit().await?;
        }
        return Err(refused.into());
    }
    voter_rating_code::Entity::delete_by_id(stored.id).exec(&txn).await?;
    voter_rating::ActiveModel {
        id: Set(Uuid::now_v7()),
        activity_id: Set(activity.id),
        deputy_id: Set(participant.deputy_id),
        rating_token: Set(token),
        phone_digest: Set(phone_digest),
        rating: Set(rating.as_str().to_owned()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| Error::unique_as_conflict(e, "this phone has already rated this report"))?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_their_digest_binds_token_and_phone() {
        let Ok(code) = random_code() else { panic!("code") };
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        let vault = Vault::development();
        let a = code_digest(&vault, "t", "p", "123456");
        assert_eq!(a, code_digest(&vault, "t", "p", "123456"));
        assert_ne!(a, code_digest(&vault, "t", "q", "123456"));
        assert_ne!(a, code_digest(&vault, "u", "p", "123456"));
        assert!(!a.contains("123456"));
    }
}
