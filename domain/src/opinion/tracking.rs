//! The tracking code a citizen gets for an opinion: the key to its status and to rating it, so it must be
//! unguessable. 80 random bits written as 16 Crockford base32 characters in groups of four
//! (`K7Q3-9XWD-M2P4-RTB8`): no I, L, O or U, so it reads aloud and types without mix-ups, and reading it
//! back forgives case, spaces and the letters people confuse with digits.

use crate::DomainError;
use crate::rate_limit::RateLimit;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random bytes a code is made of: 80 bits, far beyond guessing at any rate the API allows.
pub const TRACKING_CODE_BYTES: usize = 10;

/// Lookups of codes that open nothing, per client address: a citizen mistyping their code a few times is
/// never stopped, a script walking the code space is after twenty misses in ten minutes (the codes' 80 bits
/// make guessing hopeless anyway; this keeps it from costing the database).
pub const TRACKING_MISSES_PER_ADDRESS: RateLimit = RateLimit::new(20, 10 * 60);

/// Characters of a code without the dashes.
const LENGTH: usize = 16;

/// A well-formed tracking code, in its canonical form (upper case, grouped by dashes).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// The code for 80 random bits (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; TRACKING_CODE_BYTES]) -> Self {
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let chars: String = (0..LENGTH)
            .rev()
            .map(|i| char::from(ALPHABET[usize::try_from((bits >> (i * 5)) & 0x1f).unwrap_or(0)]))
            .collect();
        Self(group(&chars))
    }

    /// Reads a code as a person typed it: any case, with or without dashes and spaces; O reads as 0 and
    /// I or L as 1.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let refuse = || DomainError::invalid("trackingCode", "is not a tracking code");
        let mut chars = String::with_capacity(LENGTH);
        for c in raw.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(refuse());
            }
            chars.push(c);
            if chars.len() > LENGTH {
                return Err(refuse());
            }
        }
        if chars.len() != LENGTH {
            return Err(refuse());
        }
        Ok(Self(group(&chars)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn group(chars: &str) -> String {
    let mut out = String::with_capacity(LENGTH + 3);
    for (i, c) in chars.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// Debug shows only the first group: the code is a bearer key and stays out of logs.
impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrackingCode({}-…)", self.0.get(..4).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_random_bits_make_sixteen_grouped_characters() {
        let code = TrackingCode::from_random([0xff; TRACKING_CODE_BYTES]);
        assert_eq!(code.as_str(), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = TrackingCode::from_random([0; TRACKING_CODE_BYTES]);
        assert_eq!(code.as_str(), "0000-0000-0000-0000");
        let code = TrackingCode::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23]);
        assert_eq!(code.as_str().len(), 19);
        assert_eq!(code.as_str().split('-').count(), 4);
        assert!(code.as_str().chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn distinct_bits_give_distinct_codes() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..=255u8 {
            for j in [0u8, 1, 128, 255] {
                let mut bytes = [0u8; TRACKING_CODE_BYTES];
                bytes[0] = i;
                bytes[9] = j;
                assert!(seen.insert(TrackingCode::from_random(bytes)));
            }
        }
    }

    #[test]
    fn reading_forgives_case_spacing_and_look_alikes() {
        let code = TrackingCode::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23]);
        let typed = code.as_str().to_ascii_lowercase().replace('-', " ");
        assert_eq!(TrackingCode::parse(&typed), Ok(code.clone()));
        assert_eq!(TrackingCode::parse(&code.as_str().replace('-', "")), Ok(code));
        assert_eq!(
            TrackingCode::parse("oooo-iiii-llll-0000").map(|c| c.as_str().to_owned()),
            Ok("0000-1111-1111-0000".to_owned())
        );
    }

    #[test]
    fn refuses_what_is_not_a_code() {
        for raw in
            ["", "ABCD", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQRU", "ABCD-EFGH-JKMN-PQR!", "码码码码"]
        {
            assert!(TrackingCode::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn debug_does_not_show_the_code() {
        let code = TrackingCode::from_random([7; TRACKING_CODE_BYTES]);
        assert!(!format!("{code:?}").contains(&code.as_str()[5..]));
    }
}
