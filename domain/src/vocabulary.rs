//! Closed vocabularies with a stable stored name per value (states, kinds, categories), declared once.

/// Declares an enum whose values each have a stored name: `as_str`, `parse` (BAD_USER_INPUT naming the
/// type for an unknown name), `ALL`, and serde in SCREAMING_SNAKE_CASE.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::DomainError> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::DomainError::invalid(stringify!($name), format!("unknown value {raw:?}"))),
                }
            }
        }
    };
}
