//! One-time codes sent by SMS to prove a phone is at hand (a voter's rating, a citizen's sign-up, a
//! password reset): how long a code is, how long it lives, how many wrong tries it takes.
//!
//! Every try is counted before the code is compared, so concurrent guesses cannot exceed the limit.

use crate::DomainError;
use chrono::{DateTime, Duration, Utc};

/// The shape and life of a kind of code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePolicy {
    /// Decimal digits in a code.
    pub digits: usize,
    /// How long a code is valid after it was sent.
    pub ttl: Duration,
    /// How many tries (right or wrong) one code takes; after that a new code is needed.
    pub max_attempts: u32,
}

/// Codes sent by SMS: six digits, valid 10 minutes, five tries.
pub const SMS_CODE: CodePolicy = CodePolicy { digits: 6, ttl: Duration::minutes(10), max_attempts: 5 };

impl CodePolicy {
    /// A code as typed: surrounding spaces dropped, exactly [`CodePolicy::digits`] ASCII digits.
    pub fn parse(&self, raw: &str) -> Result<String, DomainError> {
        let code = raw.trim();
        if code.len() == self.digits && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(code.to_owned())
        } else {
            Err(DomainError::invalid("code", format!("must be the {} digits sent by SMS", self.digits)))
        }
    }

    /// Turns random bits into a code of this policy's length (leading zeros kept).
    pub fn code_from(&self, random: u64) -> String {
        let digits = u32::try_from(self.digits.min(18)).unwrap_or(18);
        let modulus = 10u64.pow(digits);
        format!("{:0width$}", random % modulus, width = self.digits)
    }

    /// When a code sent at `now` expires.
    pub fn expires_at(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + self.ttl
    }

    /// Decides on a try. `attempts` counts the tries so far *including this one*; `matches` is whether the
    /// typed code is the stored one. A code that expired or whose tries are used up is refused even when
    /// it matches. Every refusal is the same bad input on `code`, the same as when no code is waiting
    /// ([`CodePolicy::no_code`]): whether a code was sent to a phone must not show.
    pub fn check(
        &self,
        expires_at: DateTime<Utc>,
        attempts: u32,
        matches: bool,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        if now >= expires_at || attempts > self.max_attempts || !matches {
            return Err(self.no_code());
        }
        Ok(())
    }

    /// The one refusal of a code: wrong, expired, used up, or none waiting (never sent, used, replaced).
    pub fn no_code(&self) -> DomainError {
        DomainError::invalid("code", "the code is wrong or has expired; ask for a new one")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, minute, 0).single().unwrap_or_default()
    }

    #[test]
    fn codes_are_six_digits_as_typed() {
        assert_eq!(SMS_CODE.parse(" 012345 "), Ok("012345".to_owned()));
        for bad in ["12345", "1234567", "12345a", "", "１２３４５６"] {
            assert!(SMS_CODE.parse(bad).is_err(), "{bad}");
        }
        assert_eq!(SMS_CODE.code_from(42), "000042");
        assert_eq!(SMS_CODE.code_from(123_456_789), "456789");
        assert!(SMS_CODE.parse(&SMS_CODE.code_from(u64::MAX)).is_ok());
    }

    #[test]
    fn a_code_is_tried_a_few_times_before_it_expires() {
        let expires = SMS_CODE.expires_at(at(0));
        assert_eq!(expires, at(10));
        assert_eq!(SMS_CODE.check(expires, 1, true, at(0)), Ok(()));
        assert!(SMS_CODE.check(expires, 1, false, at(0)).is_err(), "wrong");
        assert!(SMS_CODE.check(expires, 1, true, at(10)).is_err(), "expired");
        assert_eq!(SMS_CODE.check(expires, SMS_CODE.max_attempts, true, at(9)), Ok(()), "last try");
        assert!(SMS_CODE.check(expires, SMS_CODE.max_attempts + 1, true, at(9)).is_err(), "used up");
        // Whatever the reason, the refusal reads the same.
        for refused in [
            SMS_CODE.check(expires, 1, false, at(0)),
            SMS_CODE.check(expires, 1, true, at(10)),
            SMS_CODE.check(expires, SMS_CODE.max_attempts + 1, true, at(9)),
        ] {
            assert_eq!(refused, Err(SMS_CODE.no_code()));
        }
    }
}
