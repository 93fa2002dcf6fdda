//! The configurable numbers of opinion handling.

use crate::DomainError;

/// At most `max` within `window_secs`, counted in fixed windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u64,
    pub window_secs: u64,
}

impl RateLimit {
    /// Decides on an attempt given its number in the current window (1 for the first) and the seconds until
    /// the window ends.
    pub fn check(&self, attempt: u64, window_left_secs: u64) -> Result<(), DomainError> {
        if attempt > self.max {
            Err(DomainError::RateLimited { retry_after_secs: window_left_secs.max(1) })
        } else {
            Ok(())
        }
    }
}

/// How opinions are handled. Defaults: closed 15 days after the feedback if the citizen does not rate;
/// at most 10 public submissions an hour from one client address and 5 a day with one phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpinionPolicy {
    pub close_after_feedback_days: i64,
    pub per_address: RateLimit,
    pub per_phone: RateLimit,
}

impl Default for OpinionPolicy {
    fn default() -> Self {
        Self {
            close_after_feedback_days: 15,
            per_address: RateLimit { max: 10, window_secs: 3600 },
            per_phone: RateLimit { max: 5, window_secs: 24 * 3600 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_then_says_when_to_retry() {
        let limit = RateLimit { max: 3, window_secs: 60 };
        for attempt in 1..=3 {
            assert!(limit.check(attempt, 50).is_ok());
        }
        assert_eq!(limit.check(4, 42), Err(DomainError::RateLimited { retry_after_secs: 42 }));
        assert_eq!(limit.check(9, 0), Err(DomainError::RateLimited { retry_after_secs: 1 }));
    }
}
