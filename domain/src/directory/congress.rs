use crate::DomainError;

/// The five levels of people's congresses (五级人大). Serialised (e.g. in cached deputy cards) as its
/// [`CongressLevel::as_str`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CongressLevel {
    National,
    Provincial,
    City,
    County,
    Township,
}

impl CongressLevel {
    pub const ALL: [CongressLevel; 5] = [
        CongressLevel::National,
        CongressLevel::Provincial,
        CongressLevel::City,
        CongressLevel::County,
        CongressLevel::Township,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CongressLevel::National => "NATIONAL",
            CongressLevel::Provincial => "PROVINCIAL",
            CongressLevel::City => "CITY",
            CongressLevel::County => "COUNTY",
            CongressLevel::Township => "TOWNSHIP",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("level", format!("unknown congress level {raw:?}")))
    }
}

/// The ordinal of a congress term (届), e.g. 17 for the 17th. Terms are five years; no congress has
/// reached a hundred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term(i32);

impl Term {
    pub fn parse(raw: i32) -> Result<Self, DomainError> {
        if (1..=99).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(DomainError::invalid("term", "must be between 1 and 99"))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip() {
        for level in CongressLevel::ALL {
            assert_eq!(CongressLevel::parse(level.as_str()), Ok(level));
        }
        assert!(CongressLevel::parse("VILLAGE").is_err());
    }

    #[test]
    fn term_is_bounded() {
        assert!(Term::parse(0).is_err());
        assert_eq!(Term::parse(17).map(Term::get), Ok(17));
        assert!(Term::parse(100).is_err());
    }
}
