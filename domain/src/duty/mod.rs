//! Duty performance (履职): activities and attendance, points, quotas and the yearly evaluation.
//!
//! Pure rules only. The duty archive (`DutyArchive`) that feeds them is assembled by callers from the
//! system's own records (suggestions, opinions, activities, reception days) and handed in as
//! [`points::PointEntry`] values; nothing here reads or stores anything.

/// A closed vocabulary with a stable stored name per value (as in `suggestion::kinds`).
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, crate::DomainError> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::DomainError::invalid(stringify!($name), format!("unknown value {raw:?}"))),
                }
            }
        }
    };
}

pub mod activity;
pub mod evaluation;
pub mod points;
pub mod quota;
