//! What to do with one notification on its way to the phones, and how often to retry the gateway.

use super::{Category, Preferences};
use chrono::{DateTime, TimeDelta, Utc};

/// A notification older than this when the dispatcher first sees it is not pushed any more (the server
/// was down, or no gateway was configured): a day-old "new suggestion" buzz helps nobody. It stays in the
/// inbox.
pub const MAX_PUSH_AGE: TimeDelta = TimeDelta::hours(24);

/// Why a notification is not pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The person muted its category.
    Muted,
    /// The person has no phone registered.
    NoDevice,
}

impl SkipReason {
    /// Recorded with the notification.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Muted => "muted",
            SkipReason::NoDevice => "no device",
        }
    }
}

/// What the dispatcher does with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushDecision {
    /// Send it to the person's phones now.
    Push,
    /// Do not push it.
    Skip(SkipReason),
    /// Keep it for the person's daily digest.
    Digest,
    /// Too old to be worth pushing ([`MAX_PUSH_AGE`]).
    Expire,
}

/// Decides about a notification of `kind` created at `created_at`, for someone with `prefs` who has
/// (or has not) a phone registered. Checked in this order: age, muted category, phones, digest.
pub fn decide(
    prefs: &Preferences,
    kind: &str,
    has_devices: bool,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> PushDecision {
    if now - created_at > MAX_PUSH_AGE {
        PushDecision::Expire
    } else if !prefs.pushes(Category::of(kind)) {
        PushDecision::Skip(SkipReason::Muted)
    } else if !has_devices {
        PushDecision::Skip(SkipReason::NoDevice)
    } else if prefs.daily_digest {
        PushDecision::Digest
    } else {
        PushDecision::Push
    }
}

/// How often a push that the gateway could not take (it was down, overloaded or slow) is tried again:
/// exponential backoff from `base`, at most `cap` between tries, and `max_attempts` tries in all. No
/// randomness: the dispatcher picks retries up in batches anyway, so they do not all land at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushRetry {
    pub max_attempts: u32,
    pub base: TimeDelta,
    pub cap: TimeDelta,
}

impl Default for PushRetry {
    /// Six tries over about a minute: 2 s, 4 s, 8 s, 16 s and 32 s apart.
    fn default() -> Self {
        Self { max_attempts: 6, base: TimeDelta::seconds(2), cap: TimeDelta::minutes(5) }
    }
}

impl PushRetry {
    /// How long to wait after the `attempt`-th failed try (1 after the first): `base`, doubling each
    /// time, never more than `cap`.
    pub fn next_delay(&self, attempt: u32) -> TimeDelta {
        let doublings = attempt.saturating_sub(1).min(30);
        self.base.checked_mul(1 << doublings).map_or(self.cap, |delay| delay.min(self.cap))
    }

    /// Whether to stop after `attempts` failed tries.
    pub fn gives_up(&self, attempts: u32) -> bool {
        attempts >= self.max_attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::DigestTime;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn by_default_everything_is_pushed_one_by_one() {
        let prefs = Preferences::default();
        assert_eq!(decide(&prefs, "ASSIGNED", true, now(), now()), PushDecision::Push);
        assert_eq!(decide(&prefs, "SOMETHING_NEW", true, now(), now()), PushDecision::Push);
    }

    #[test]
    fn muted_categories_are_skipped_and_others_pushed() {
        let prefs = Preferences { push_muted: [Category::Reminder].into(), ..Preferences::default() };
        let skip = PushDecision::Skip(SkipReason::Muted);
        assert_eq!(decide(&prefs, "OVERDUE", true, now(), now()), skip);
        assert_eq!(decide(&prefs, "DEADLINE_NEAR", false, now(), now()), skip, "muted before no device");
        assert_eq!(decide(&prefs, "ANSWERED", true, now(), now()), PushDecision::Push);
    }

    #[test]
    fn without_a_phone_nothing_is_pushed() {
        let prefs = Preferences::default();
        assert_eq!(decide(&prefs, "ANSWERED", false, now(), now()), PushDecision::Skip(SkipReason::NoDevice));
        let digest = Preferences { daily_digest: true, ..prefs };
        assert_eq!(
            decide(&digest, "ANSWERED", false, now(), now()),
            PushDecision::Skip(SkipReason::NoDevice)
        );
    }

    #[test]
    fn digest_people_get_it_later_unless_muted() {
        let prefs = Preferences {
            push_muted: [Category::Work].into(),
            daily_digest: true,
            digest_time: DigestTime::default(),
        };
        assert_eq!(decide(&prefs, "ANSWERED", true, now(), now()), PushDecision::Digest);
        assert_eq!(decide(&prefs, "SUBMITTED", true, now(), now()), PushDecision::Skip(SkipReason::Muted));
    }

    #[test]
    fn old_notifications_expire() {
        let prefs = Preferences::default();
        let created = now() - MAX_PUSH_AGE;
        assert_eq!(decide(&prefs, "ANSWERED", true, created, now()), PushDecision::Push, "exactly a day");
        let older = created - TimeDelta::seconds(1);
        assert_eq!(decide(&prefs, "ANSWERED", true, older, now()), PushDecision::Expire);
        assert_eq!(decide(&prefs, "ANSWERED", false, older, now()), PushDecision::Expire);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let retry = PushRetry::default();
        let delays: Vec<i64> = (1..=6).map(|a| retry.next_delay(a).num_seconds()).collect();
        assert_eq!(delays, [2, 4, 8, 16, 32, 64]);
        assert_eq!(retry.next_delay(9), TimeDelta::minutes(5));
        assert_eq!(retry.next_delay(u32::MAX), TimeDelta::minutes(5));
        assert_eq!(retry.next_delay(0), TimeDelta::seconds(2));
    }

    #[test]
    fn retries_stop_after_the_bound() {
        let retry = PushRetry::default();
        assert!(!retry.gives_up(5));
        assert!(retry.gives_up(6));
        assert!(retry.gives_up(7));
        let once = PushRetry { max_attempts: 1, ..retry };
        assert!(once.gives_up(1));
    }
}
