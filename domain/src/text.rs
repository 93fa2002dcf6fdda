//! Bounded, trimmed text: names, titles, addresses. Lengths count characters, not bytes, because
//! most text here is Chinese.

use crate::DomainError;

/// Trims `raw` and checks that it has between `min` and `max` characters and no control characters
/// other than line breaks and tabs.
pub fn bounded(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        return Err(if min == 1 {
            DomainError::invalid(field, "must not be empty")
        } else {
            DomainError::invalid(field, format!("must have at least {min} characters"))
        });
    }
    if len > max {
        return Err(DomainError::invalid(field, format!("must have at most {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(DomainError::invalid(field, "must not contain control characters"));
    }
    Ok(value.to_owned())
}

/// Like [`bounded`] but an empty or blank value means "not given".
pub fn optional(field: &'static str, raw: Option<&str>, max: usize) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded(field, value, 1, max).map(Some),
    }
}

/// Declares a trimmed text value of 1 to `$max` characters with one `parse`; holding one proves the rule
/// was checked. The field name is the caller's, so an error points at the argument the client sent.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            /// Trimmed, 1 to [`Self::MAX_CHARS`] characters, no control characters but line breaks and tabs.
            pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
                bounded(field, raw, 1, Self::MAX_CHARS).map(Self)
            }

            /// Like [`Self::parse`], but a missing or blank value is `None`.
            pub fn parse_optional(field: &'static str, raw: Option<&str>) -> Result<Option<Self>, DomainError> {
                optional(field, raw, Self::MAX_CHARS).map(|text| text.map(Self))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }

        /// Tests write literals; a literal that breaks the rule fails the test at once.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::parse("test", raw).expect("a valid literal")
            }
        }
    };
}

bounded_text!(
    /// A suggestion's title: 1–100 characters.
    Title,
    100
);
bounded_text!(
    /// The body of a suggestion or of a unit's answer: 1–20,000 characters.
    Body,
    20_000
);
bounded_text!(
    /// A suggestion's category: 1–30 characters.
    Category,
    30
);
bounded_text!(
    /// A reason, note, summary or comment: 1–2,000 characters.
    Note,
    2000
);
bounded_text!(
    /// A longer statement: a co-unit's opinion, an answer's reasons. 1–5,000 characters.
    Statement,
    5000
);
bounded_text!(
    /// A person's name, or the name an answer is signed with: 1–50 characters.
    PersonName,
    50
);
bounded_text!(
    /// A name of a body, post or item (the leader or committee supervising, a quota's item): 1–100
    /// characters.
    Label,
    100
);

/// A filter's search text: trimmed, at most [`SearchText::MAX_CHARS`] characters, no control characters.
/// Databases refuse or slow down on huge `LIKE` patterns (SQLite: "pattern too complex"), so a needle is
/// bounded before any query is built; holding one proves it was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// Longer than any name, title word or tag a person searches for.
    pub const MAX_CHARS: usize = 50;

    /// `None` for a missing or blank filter.
    pub fn parse(field: &'static str, raw: Option<&str>) -> Result<Option<Self>, DomainError> {
        optional(field, raw, Self::MAX_CHARS).map(|text| text.map(Self))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An absolute `http` or `https` URL of at most 2,000 characters (photos, attachments).
pub fn web_url(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let value = bounded(field, raw, 1, 2000)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| DomainError::invalid(field, "must be an http(s) URL"))?;
    if rest.is_empty() || rest.starts_with('/') || value.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(field, "must be an http(s) URL with a host"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let name = "张".repeat(50);
        assert_eq!(bounded("name", &name, 1, 50).as_deref(), Ok(name.as_str()));
        assert!(bounded("name", &"张".repeat(51), 1, 50).is_err());
    }

    #[test]
    fn trims_and_refuses_blank() {
        assert_eq!(bounded("name", "  李四 ", 1, 10), Ok("李四".to_owned()));
        assert_eq!(bounded("name", "   ", 1, 10), Err(DomainError::invalid("name", "must not be empty")));
    }

    #[test]
    fn refuses_control_characters_but_keeps_line_breaks() {
        assert!(bounded("bio", "a\u{0}b", 1, 10).is_err());
        assert!(bounded("bio", "a\nb", 1, 10).is_ok());
    }

    #[test]
    fn optional_blank_is_none() {
        assert_eq!(optional("bio", Some("  "), 10), Ok(None));
        assert_eq!(optional("bio", None, 10), Ok(None));
        assert_eq!(optional("bio", Some(" x "), 10), Ok(Some("x".into())));
    }

    #[test]
    fn search_text_is_bounded() {
        assert_eq!(
            SearchText::parse("q", Some(" 交通 ")).map(|t| t.map(SearchText::into_string)),
            Ok(Some("交通".into()))
        );
        assert_eq!(SearchText::parse("q", Some("")), Ok(None));
        assert!(SearchText::parse("q", Some(&"张".repeat(51))).is_err());
        assert!(SearchText::parse("q", Some("\u{0}")).is_err());
    }

    #[test]
    fn bounded_types_keep_their_rule_and_the_callers_field() {
        assert_eq!(Note::parse("reason", " 请补充 ").map(Note::into_string), Ok("请补充".into()));
        assert_eq!(Note::parse("reason", " "), Err(DomainError::invalid("reason", "must not be empty")));
        assert!(Note::parse("note", &"字".repeat(2000)).is_ok());
        assert_eq!(
            Note::parse("note", &"字".repeat(2001)),
            Err(DomainError::invalid("note", "must have at most 2000 characters"))
        );
        assert_eq!(Note::parse_optional("reason", Some("  ")), Ok(None));
        assert!(Statement::parse("text", &"字".repeat(5001)).is_err());
        assert!(PersonName::parse("name", &"张".repeat(51)).is_err());
        assert!(Title::parse("title", &"题".repeat(101)).is_err());
        assert!(Label::parse("supervisor", "a\u{0}b").is_err());
    }

    #[test]
    fn web_url_needs_scheme_and_host() {
        assert!(web_url("photoUrl", "https://cdn.example.cn/a.jpg").is_ok());
        assert!(web_url("photoUrl", "javascript:alert(1)").is_err());
        assert!(web_url("photoUrl", "https:///a").is_err());
        assert!(web_url("photoUrl", "https://a b").is_err());
    }
}
