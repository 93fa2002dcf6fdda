//! Proving a phone by SMS for sign-up and password reset, without telling anyone whether the phone
//! already has an account: a code request gets the same answer for every phone, and every request that is
//! not throttled sends exactly one text message to that phone (a code, or a note that says why there is
//! none), so only the phone's holder learns anything.

use crate::one_time_code::{CodePolicy, SMS_CODE};
use crate::rate_limit::RateLimit;

/// The codes for sign-up and password reset.
pub const ACCOUNT_CODE: CodePolicy = SMS_CODE;

/// Code requests one phone number may make per purpose within 10 minutes (each sends a text message).
pub const CODE_REQUESTS_PER_PHONE: RateLimit = RateLimit::new(3, 10 * 60);

/// Code requests one client address may make within an hour, over every phone and purpose.
pub const CODE_REQUESTS_PER_ADDRESS: RateLimit = RateLimit::new(30, 60 * 60);

/// What a code proves the phone for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// A citizen signs up with a phone that has no account yet.
    Registration,
    /// The holder of an account's phone sets a new password.
    PasswordReset,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::PasswordReset => "password-reset",
        }
    }

    /// Whether a code is sent, given whether the phone already has an account: sign-up needs a phone
    /// without one, a reset a phone with one. Otherwise the phone gets a note instead.
    pub fn sends_code(self, has_account: bool) -> bool {
        match self {
            Self::Registration => !has_account,
            Self::PasswordReset => has_account,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_goes_only_where_it_can_be_used() {
        assert!(CodePurpose::Registration.sends_code(false));
        assert!(!CodePurpose::Registration.sends_code(true));
        assert!(CodePurpose::PasswordReset.sends_code(true));
        assert!(!CodePurpose::PasswordReset.sends_code(false));
        assert_ne!(CodePurpose::Registration.as_str(), CodePurpose::PasswordReset.as_str());
    }
}
