//! The one place where errors become GraphQL errors. Every resolver returns [`ApiResult`], so an
//! infrastructure error can only reach the client through this mapping: logged in full here, shown as
//! INTERNAL without details there.

use async_graphql::ErrorExtensions;
use edaibiao_domain::DomainError;

/// A GraphQL error with its `extensions.code` set. Deliberately not `Display`, so that it cannot slip
/// through async-graphql's blanket "anything printable" conversion.
#[derive(Clone)]
pub struct ApiError(async_graphql::Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self(async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code)))
    }

    pub fn unauthenticated() -> Self {
        Self::new("UNAUTHENTICATED", "log in first")
    }

    pub fn bad_input(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::invalid(field, reason).into()
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.0
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let message = err.to_string();
        match err {
            DomainError::Unauthenticated(_) => Self::new("UNAUTHENTICATED", message),
            DomainError::Forbidden(_) => Self::new("FORBIDDEN", message),
            DomainError::NotFound(_) => Self::new("NOT_FOUND", message),
            DomainError::Conflict(_) => Self::new("CONFLICT", message),
            DomainError::Invalid { field, .. } => {
                Self(Self::new("BAD_USER_INPUT", message).0.extend_with(|_, e| e.set("field", field)))
            }
            DomainError::RateLimited { retry_after_secs } => Self(
                Self::new("RATE_LIMITED", message)
                    .0
                    .extend_with(|_, e| e.set("retryAfterSeconds", retry_after_secs)),
            ),
        }
    }
}

impl From<edaibiao_infra::Error> for ApiError {
    fn from(err: edaibiao_infra::Error) -> Self {
        match err {
            edaibiao_infra::Error::Domain(domain) => domain.into(),
            other => {
                tracing::error!(error = %other, "request failed");
                Self::new("INTERNAL", "internal error; it has been logged")
            }
        }
    }
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(err: crate::auth::AuthError) -> Self {
        match err {
            crate::auth::AuthError::Store(store) => store.into(),
            other => Self::new("UNAUTHENTICATED", other.to_string()),
        }
    }
}
