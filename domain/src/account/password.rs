use crate::DomainError;
use std::fmt;

/// A password someone wants to set: 8 to 128 characters, with at least one letter and one digit.
/// Only hashes are stored; this type exists so that weak passwords never reach the hasher.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let len = raw.chars().count();
        if len < 8 {
            return Err(DomainError::invalid("password", "must have at least 8 characters"));
        }
        if len > 128 {
            return Err(DomainError::invalid("password", "must have at most 128 characters"));
        }
        if !raw.chars().any(char::is_alphabetic) || !raw.chars().any(|c| c.is_ascii_digit()) {
            return Err(DomainError::invalid("password", "must contain a letter and a digit"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never printed.
impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_mix() {
        assert!(NewPassword::parse("abc12345").is_ok());
        assert!(NewPassword::parse("abc1234").is_err());
        assert!(NewPassword::parse("abcdefgh").is_err());
        assert!(NewPassword::parse("12345678").is_err());
        assert!(NewPassword::parse(&format!("a1{}", "x".repeat(127))).is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let Ok(pw) = NewPassword::parse("secret123") else { panic!("valid password refused") };
        assert!(!format!("{pw:?}").contains("secret"));
    }
}
