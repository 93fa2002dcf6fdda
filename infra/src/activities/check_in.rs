//! Check-in (签到): a deputy scans the activity's rotating code at the venue, or staff check them in.
//!
//! The code is the HMAC-SHA-256 of the activity id and the number of the current 60-second period under
//! the activity's own secret, as 8 digits: nobody can work out the next code from earlier ones, and a
//! photo of the code shared away from the venue stops working within two minutes. Tries are throttled per
//! deputy and activity (`CHECK_IN_ATTEMPTS`), so the code cannot be guessed.

use super::{Activity, participant_of, schedule_of};
use crate::Store;
use crate::entity::{activity, activity_participant};
use crate::error::Result;
use crate::throttle::Throttle;
use crate::transaction;
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::activity as rules;
use ring::hmac;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use uuid::Uuid;

/// The code shown at the venue now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInCode {
    pub code: String,
    /// When it turns; the next one is shown then (this one is still accepted for another period).
    pub expires_at: DateTime<Utc>,
}

/// The code of `activity` for period `window`.
fn code_for(activity: &activity::Model, window: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, activity.check_in_secret.as_bytes());
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(activity.id.as_bytes());
    ctx.update(&window.to_be_bytes());
    let tag = ctx.sign();
    let mut first = [0u8; 4];
    first.copy_from_slice(tag.as_ref().get(..4).unwrap_or(&[0; 4]));
    format!("{:08}", u32::from_be_bytes(first) % 100_000_000)
}

/// Whether `code` is the current or the previous code, compared without an early exit.
fn accepts(activity: &activity::Model, code: &str, now: DateTime<Utc>) -> bool {
    rules::accepted_check_in_windows(now)
        .iter()
        .fold(false, |ok, window| ok | same_bytes(code_for(activity, *window).as_bytes(), code.as_bytes()))
}

/// Equality whose time depends only on the lengths.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// The current code for the venue's screen, for staff of the congress, while check-in is open.
pub async fn check_in_code(store: &Store, actor: &Actor, activity_id: Uuid) -> Result<CheckInCode> {
    let activity = activity::Entity::find_by_id(activity_id).one(&store.db).await?.ok_or("activity")?;
    rules::check_organiser(actor, activity.congress_id, super::leader_of(&store.db, &activity).await?)?;
    let now = Utc::now();
    if !rules::check_in_open(&schedule_of(&activity)?, now) {
        return Err(DomainError::conflict(
            "check-in is open only from 30 minutes before the start to the end",
        )
        .into());
    }
    Ok(CheckInCode {
        code: code_for(&activity, rules::check_in_code_window(now)),
        expires_at: rules::check_in_code_expires_at(now),
    })
}

/// Who checks a participant in: the deputy scanning the code, or an organiser checking in this deputy.
enum Who {
    Scanning,
    Organiser(Uuid),
}

/// Marks a participant present.
async fn mark_present(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    who: Who,
    code: Option<&str>,
) -> Result<activity::Model> {
    let guesses = transaction::run(store, async |txn| {
        let activity = transaction::lock::<activity::Entity>(txn, activity_id).await?;
        let deputy_id = match who {
            Who::Scanning => rules::acting_deputy(actor, activity.congress_id)?,
            Who::Organiser(deputy_id) => {
                rules::check_organiser(actor, activity.congress_id, super::leader_of(txn, &activity).await?)?;
                deputy_id
            }
        };
        let row = activity_participant::Entity::find_by_id((activity.id, deputy_id))
            .one(txn)
            .await?
            .ok_or("participant")?;
        let now = Utc::now();
        let schedule = schedule_of(&activity)?;
        rules::check_check_in(&schedule, &participant_of(&row)?, now)?;
        let guesses =
            Throttle::new("check-in", &format!("{}:{deputy_id}", activity.id), rules::CHECK_IN_ATTEMPTS);
        if let Some(code) = code {
            // Counted before the code is compared: of any number of tries at once, at most the limit are.
            guesses.hit(&store.cache).await?;
            if !accepts(&activity, code.trim(), now) {
                return Err(
                    DomainError::invalid("code", "the code is wrong or has expired; scan it again").into()
                );
            }
        }
        let mut model: activity_participant::ActiveModel = row.into();
        model.checked_in_at = Set(Some(now));
        model.checked_in_by = Set(Some(actor.user_id));
        model.update(txn).await?;
        Ok((guesses, activity))
    })
    .await?;
    let (guesses, activity) = guesses;
    guesses.clear(&store.cache).await;
    Ok(activity)
}

/// A participant checks in with the code scanned at the venue.
pub async fn check_in_with_code(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    code: &str,
) -> Result<Activity> {
    if code.trim().is_empty() || code.len() > 64 {
        return Err(DomainError::invalid("code", "scan the code shown at the venue").into());
    }
    Activity::from_row(mark_present(store, actor, activity_id, Who::Scanning, Some(code)).await?)
}

/// Staff check a participant in (someone without a phone, or a failed scan).
pub async fn check_in_participant(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    deputy_id: Uuid,
) -> Result<Activity> {
    Activity::from_row(mark_present(store, actor, activity_id, Who::Organiser(deputy_id), None).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(secret: &str) -> activity::Model {
        let now = Utc::now();
        activity::Model {
            id: Uuid::from_u128(7),
            congress_id: Uuid::from_u128(1),
            kind: "TRAINING".into(),
            title: "t".into(),
            place: "p".into(),
            starts_at: now,
            ends_at: now + chrono::Duration::hours(1),
            organiser_account_id: Uuid::from_u128(2),
            deputy_group_id: None,
            participation: "ASSIGNED".into(),
            capacity: None,
            check_in_secret: secret.into(),
            created_at: now,
            updated_at: now,
            version: 1,
            professional_group_id: None,
        }
    }

    #[test]
    fn codes_are_eight_digits_that_turn_each_period_and_depend_on_the_secret() {
        let a = activity("secret one");
        let code = code_for(&a, 1000);
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(code, code_for(&a, 1000));
        assert_ne!(code, code_for(&a, 1001));
        assert_ne!(code, code_for(&activity("secret two"), 1000));
    }

    #[test]
    fn the_current_and_previous_codes_are_accepted() {
        let a = activity("s");
        let now = Utc::now();
        let current = code_for(&a, rules::check_in_code_window(now));
        let previous = code_for(&a, rules::check_in_code_window(now) - 1);
        let older = code_for(&a, rules::check_in_code_window(now) - 2);
        assert!(accepts(&a, &current, now));
        assert!(accepts(&a, &previous, now));
        assert!(!accepts(&a, &older, now) || older == current || older == previous);
        assert!(!accepts(&a, "", now));
    }
}
