//! Phones registered for push: their platform and the token their vendor's push service issued.

use crate::DomainError;
use std::fmt;

/// The phone's operating system, which decides the vendor push service the gateway uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Apple iOS (APNs).
    Ios,
    /// Android (FCM or a vendor channel).
    Android,
    /// Huawei HarmonyOS (Push Kit).
    Harmony,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Ios, Platform::Android, Platform::Harmony];

    /// The stored and published name, e.g. `IOS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Ios => "IOS",
            Platform::Android => "ANDROID",
            Platform::Harmony => "HARMONY",
        }
    }

    /// The platform named `name` (as [`Platform::as_str`] writes it).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// A push token: 1 to [`DeviceToken::MAX_LEN`] visible ASCII characters (no spaces or control
/// characters), as every vendor issues them. Its `Debug` and `Display` show only a prefix, so that a
/// token never reaches a log in full.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DeviceToken(String);

impl DeviceToken {
    /// Longest token accepted.
    pub const MAX_LEN: usize = 4096;

    /// Checks a token as the phone sent it; surrounding whitespace is dropped.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let token = raw.trim();
        if token.is_empty() {
            return Err(DomainError::invalid("token", "must not be empty"));
        }
        if token.len() > Self::MAX_LEN {
            return Err(DomainError::invalid(
                "token",
                format!("must have at most {} characters", Self::MAX_LEN),
            ));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(DomainError::invalid("token", "must be printable ASCII without spaces"));
        }
        Ok(Self(token.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A token shortened for logs: its first six characters and its length.
    pub fn mask(token: &str) -> String {
        let prefix: String = token.chars().take(6).collect();
        format!("{prefix}…({} chars)", token.chars().count())
    }
}

impl fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceToken({})", Self::mask(&self.0))
    }
}

impl fmt::Display for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Self::mask(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_round_trip() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
        }
        assert_eq!(Platform::parse("WINDOWS"), None);
    }

    #[test]
    fn vendor_tokens_are_accepted_and_trimmed() {
        let apns = "a1b2c3d4".repeat(8);
        assert_eq!(DeviceToken::parse(&apns).map(|t| t.as_str().to_owned()), Ok(apns.clone()));
        let fcm = "dQw4w9WgXcQ:APA91bH-x_y.z~0";
        assert!(DeviceToken::parse(fcm).is_ok());
        assert_eq!(DeviceToken::parse(" abc\n").map(|t| t.as_str().to_owned()), Ok("abc".to_owned()));
    }

    #[test]
    fn empty_long_or_odd_tokens_are_refused() {
        let invalid =
            |raw: &str| matches!(DeviceToken::parse(raw), Err(DomainError::Invalid { field: "token", .. }));
        assert!(invalid(""));
        assert!(invalid("   "));
        assert!(invalid(&"x".repeat(DeviceToken::MAX_LEN + 1)));
        assert!(DeviceToken::parse(&"x".repeat(DeviceToken::MAX_LEN)).is_ok());
        assert!(invalid("ab cd"));
        assert!(invalid("ab\u{7}cd"));
        assert!(invalid("令牌"));
    }

    #[test]
    fn tokens_never_print_in_full() {
        let token = DeviceToken::parse("abcdefghijklmnop").unwrap();
        assert_eq!(token.to_string(), "abcdef…(16 chars)");
        assert!(!format!("{token:?}").contains("ghijkl"));
    }
}
