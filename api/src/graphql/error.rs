//! The one place where errors get their code: [`ErrorCode`] names each kind of refusal once, with the
//! GraphQL `extensions.code` and the HTTP status that go with it, and every endpoint (GraphQL, QR codes,
//! exports, voters' pages) answers through it. Every resolver returns [`ApiResult`], so an infrastructure
//! error can only reach the client through this mapping: logged in full here, shown as INTERNAL without
//! details there.

use actix_web::http::StatusCode;
use async_graphql::ErrorExtensions;
use edaibiao_domain::DomainError;

/// Every code a client can see, each with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    Internal,
    /// A request that is not a GraphQL request at all (unreadable body, wrong content type).
    BadRequest,
    PayloadTooLarge,
    MethodNotAllowed,
    PersistedQueryNotFound,
    GraphqlParseFailed,
    GraphqlValidationFailed,
    QueryTooComplex,
    QueryTooDeep,
    /// Not one of the trusted documents, where only those run.
    OperationNotTrusted,
}

impl ErrorCode {
    const ALL: [Self; 16] = [
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::BadUserInput,
        Self::Conflict,
        Self::RateLimited,
        Self::Internal,
        Self::BadRequest,
        Self::PayloadTooLarge,
        Self::MethodNotAllowed,
        Self::PersistedQueryNotFound,
        Self::GraphqlParseFailed,
        Self::GraphqlValidationFailed,
        Self::QueryTooComplex,
        Self::QueryTooDeep,
        Self::OperationNotTrusted,
    ];

    /// The code a GraphQL error carries in `extensions.code`, if it is one of these.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The GraphQL `extensions.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
            Self::BadRequest => "BAD_REQUEST",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::QueryTooComplex => "QUERY_TOO_COMPLEX",
            Self::QueryTooDeep => "QUERY_TOO_DEEP",
            Self::OperationNotTrusted => "OPERATION_NOT_TRUSTED",
        }
    }

    /// The HTTP status of a plain HTTP endpoint refusing with this code. GraphQL over HTTP decides its
    /// statuses by the media type (`http::graphql`).
    pub const fn status(self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::OperationNotTrusted => StatusCode::FORBIDDEN,
            Self::NotFound | Self::PersistedQueryNotFound => StatusCode::NOT_FOUND,
            Self::BadUserInput
            | Self::BadRequest
            | Self::GraphqlParseFailed
            | Self::GraphqlValidationFailed
            | Self::QueryTooComplex
            | Self::QueryTooDeep => StatusCode::BAD_REQUEST,
            Self::Conflict => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }
}

/// A GraphQL error with its `extensions.code` set. Deliberately not `Display`, so that it cannot slip
/// through async-graphql's blanket "anything printable" conversion.
#[derive(Clone)]
pub struct ApiError {
    code: ErrorCode,
    retry_after_secs: Option<u64>,
    error: async_graphql::Error,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let error = async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code.as_str()));
        Self { code, retry_after_secs: None, error }
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "log in first")
    }

    pub fn bad_input(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::invalid(field, reason).into()
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// When a rate-limited client may try again.
    pub fn retry_after_secs(&self) -> Option<u64> {
        self.retry_after_secs
    }

    pub fn message(&self) -> &str {
        &self.error.message
    }

    fn extend(mut self, name: &'static str, value: impl Into<async_graphql::Value>) -> Self {
        let value = value.into();
        self.error = self.error.extend_with(|_, e| e.set(name, value));
        self
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.error
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let message = err.to_string();
        match err {
            DomainError::Unauthenticated(_) => Self::new(ErrorCode::Unauthenticated, message),
            DomainError::Forbidden(_) => Self::new(ErrorCode::Forbidden, message),
            DomainError::NotFound(_) => Self::new(ErrorCode::NotFound, message),
            DomainError::Conflict(_) => Self::new(ErrorCode::Conflict, message),
            DomainError::Invalid { field, .. } => {
                Self::new(ErrorCode::BadUserInput, message).extend("field", field)
            }
            DomainError::RateLimited { retry_after_secs } => {
                let mut err =
                    Self::new(ErrorCode::RateLimited, message).extend("retryAfterSeconds", retry_after_secs);
                err.retry_after_secs = Some(retry_after_secs);
                err
            }
        }
    }
}

impl From<edaibiao_infra::Error> for ApiError {
    fn from(err: edaibiao_infra::Error) -> Self {
        match err {
            edaibiao_infra::Error::Domain(domain) => domain.into(),
            other => {
                tracing::error!(error = %other, "request failed");
                Self::new(ErrorCode::Internal, "internal error; it has been logged")
            }
        }
    }
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(err: crate::auth::AuthError) -> Self {
        match err {
            crate::auth::AuthError::Store(store) => store.into(),
            other => Self::new(ErrorCode::Unauthenticated, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_domain_refusal_has_one_code_and_status() {
        let cases = [
            (DomainError::Unauthenticated("x".into()), "UNAUTHENTICATED", 401),
            (DomainError::forbidden("x"), "FORBIDDEN", 403),
            (DomainError::NotFound("deputy"), "NOT_FOUND", 404),
            (DomainError::invalid("year", "x"), "BAD_USER_INPUT", 400),
            (DomainError::conflict("x"), "CONFLICT", 409),
            (DomainError::RateLimited { retry_after_secs: 7 }, "RATE_LIMITED", 429),
        ];
        for (domain, code, status) in cases {
            let err = ApiError::from(domain);
            assert_eq!((err.code().as_str(), err.code().status().as_u16()), (code, status));
            let graphql: async_graphql::Error = err.into();
            let shown = graphql.extensions.as_ref().and_then(|e| e.get("code")).cloned();
            assert_eq!(shown, Some(async_graphql::Value::from(code)));
        }
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("SOMETHING_ELSE"), None);
        let limited = ApiError::from(DomainError::RateLimited { retry_after_secs: 7 });
        assert_eq!(limited.retry_after_secs(), Some(7));
    }
}
