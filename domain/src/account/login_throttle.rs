use crate::DomainError;

/// Throttles password guessing per phone number: after `max_failures` failed logins within `window_secs`,
/// further attempts are refused until the window has passed. A successful login clears the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub max_failures: u64,
    pub window_secs: u64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self { max_failures: 5, window_secs: 15 * 60 }
    }
}

impl LoginThrottle {
    /// Decides on an attempt given the failures counted so far in the current window and the seconds
    /// until that window ends.
    pub fn check(&self, failures_so_far: u64, window_left_secs: u64) -> Result<(), DomainError> {
        if failures_so_far >= self.max_failures {
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
    fn allows_up_to_the_limit_then_refuses() {
        let throttle = LoginThrottle::default();
        for failures in 0..5 {
            assert!(throttle.check(failures, 900).is_ok());
        }
        assert_eq!(throttle.check(5, 120), Err(DomainError::RateLimited { retry_after_secs: 120 }));
        assert_eq!(throttle.check(9, 0), Err(DomainError::RateLimited { retry_after_secs: 1 }));
    }
}
