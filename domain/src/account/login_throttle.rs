//! Throttles password guessing: every login attempt is counted before the password is checked, per phone
//! number and per client address. Past either limit further attempts are refused (RATE_LIMITED) until the
//! window has passed, even with the right password. A successful login clears the phone's count and gives
//! back its address's one, so a shared address stays usable by those who know their passwords.

use crate::rate_limit::RateLimit;

/// Wrong passwords one phone number may be tried with within 15 minutes (login and password change).
pub const LOGIN_ATTEMPTS_PER_PHONE: RateLimit = RateLimit::new(5, 15 * 60);

/// Wrong passwords one client address may try within 15 minutes, over every phone number.
pub const LOGIN_ATTEMPTS_PER_ADDRESS: RateLimit = RateLimit::new(30, 15 * 60);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn five_wrong_passwords_per_phone_and_thirty_per_address_in_fifteen_minutes() {
        assert_eq!(LOGIN_ATTEMPTS_PER_PHONE.admit(5, 900), Ok(()));
        assert_eq!(
            LOGIN_ATTEMPTS_PER_PHONE.admit(6, 120),
            Err(DomainError::RateLimited { retry_after_secs: 120 })
        );
        assert_eq!(LOGIN_ATTEMPTS_PER_ADDRESS.admit(30, 900), Ok(()));
        assert!(LOGIN_ATTEMPTS_PER_ADDRESS.admit(31, 900).is_err());
        assert_eq!(LOGIN_ATTEMPTS_PER_PHONE.window_secs, 900);
    }
}
