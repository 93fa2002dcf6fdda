//! The ways a business rule can refuse. The API edge maps each variant once to a GraphQL error code.

use thiserror::Error;

/// Why a rule refused an action.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// No valid identity: missing, expired, tampered or revoked credentials, or a wrong password.
    #[error("{0}")]
    Unauthenticated(String),
    /// The actor is known but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist, or the actor may not know that it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The action clashes with the current state (wrong state, duplicate, lost a race).
    #[error("{0}")]
    Conflict(String),
    /// An input value breaks a rule; `field` names the input.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Too many attempts; try again after the given number of seconds.
    #[error("too many attempts, retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
}

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid { field, reason: reason.into() }
    }

    /// Shorthand for [`DomainError::Forbidden`].
    pub fn forbidden(reason: impl Into<String>) -> Self {
        Self::Forbidden(reason.into())
    }

    /// Shorthand for [`DomainError::Conflict`].
    pub fn conflict(reason: impl Into<String>) -> Self {
        Self::Conflict(reason.into())
    }
}
