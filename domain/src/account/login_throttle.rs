use crate::rate_limit::RateLimit;

/// Throttles password guessing: every login attempt is counted before the password is checked, per
/// phone number and per client address. Past either limit further attempts are refused (RATE_LIMITED)
/// until the window has passed, even with the right password. A successful login clears the phone's
/// count and gives back its address's one, so a shared address stays usable by those who know their
/// passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Wrong passwords one phone number may be tried with.
    pub per_phone: RateLimit,
    /// Wrong passwords one client address may try, over every phone number.
    pub per_address: RateLimit,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self { per_phone: RateLimit::new(5, 15 * 60), per_address: RateLimit::new(30, 15 * 60) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn five_wrong_passwords_per_phone_and_thirty_per_address_in_fifteen_minutes() {
        let throttle = LoginThrottle::default();
        assert_eq!(throttle.per_phone.admit(5, 900), Ok(()));
        assert_eq!(throttle.per_phone.admit(6, 120), Err(DomainError::RateLimited { retry_after_secs: 120 }));
        assert_eq!(throttle.per_address.admit(30, 900), Ok(()));
        assert!(throttle.per_address.admit(31, 900).is_err());
        assert_eq!(throttle.per_phone.window_secs, 900);
    }
}
