use crate::DomainError;
use std::fmt;

/// A mainland China mobile number, 11 digits starting with 1 and a second digit 3–9. It is the login name,
/// and private: [`Phone::masked`] is what anyone but those who must call back may see.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Accepts the bare number, with spaces or dashes, or with a `+86` / `86` prefix.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
        let digits = if digits.len() == 13 { digits.strip_prefix("86").unwrap_or(digits) } else { digits };
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Self(digits.to_owned()))
        } else {
            Err(DomainError::invalid("phone", "must be an 11-digit mobile number"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: enough to recognise, not enough to call.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// Debug output is masked so that a phone number never reaches a log by accident.
impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for raw in ["13812345678", "138 1234 5678", "+8613812345678", "8613812345678", "138-1234-5678"] {
            assert_eq!(Phone::parse(raw).map(|p| p.as_str().to_owned()), Ok("13812345678".into()), "{raw}");
        }
    }

    #[test]
    fn refuses_non_mobile_numbers() {
        for raw in ["", "12812345678", "1381234567", "138123456789", "1381234567a", "02012345678"] {
            assert!(Phone::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn masks_the_middle_digits_even_in_debug() {
        let phone = Phone::parse("13812345678").map_err(|e| e.to_string());
        let Ok(phone) = phone else { panic!("valid phone refused") };
        assert_eq!(phone.masked(), "138****5678");
        assert!(!format!("{phone:?}").contains("1234"));
    }
}
