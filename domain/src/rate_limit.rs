//! Fixed-window rate limits: at most `max` attempts within `window_secs`, counted *before* the work they
//! guard (a password check, a code comparison, an SMS), so that concurrent attempts cannot slip past the
//! limit between a read and a write.

use crate::DomainError;

/// At most `max` attempts per window of `window_secs` seconds, the window starting with the first attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u64,
    pub window_secs: u64,
}

impl RateLimit {
    pub const fn new(max: u64, window_secs: u64) -> Self {
        Self { max, window_secs }
    }

    /// Decides on an attempt that has already been counted: `count` includes it, `window_left_secs` is
    /// how long the current window still runs. Past the limit the answer is RATE_LIMITED until the window
    /// ends.
    pub fn admit(&self, count: u64, window_left_secs: u64) -> Result<(), DomainError> {
        if count > self.max {
            Err(DomainError::RateLimited { retry_after_secs: window_left_secs.max(1) })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_max_counted_attempts_then_refuses_until_the_window_ends() {
        let limit = RateLimit::new(5, 900);
        for count in 1..=5 {
            assert_eq!(limit.admit(count, 900), Ok(()), "attempt {count}");
        }
        assert_eq!(limit.admit(6, 120), Err(DomainError::RateLimited { retry_after_secs: 120 }));
        assert_eq!(limit.admit(60, 0), Err(DomainError::RateLimited { retry_after_secs: 1 }));
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        assert!(RateLimit::new(0, 60).admit(1, 60).is_err());
    }
}
