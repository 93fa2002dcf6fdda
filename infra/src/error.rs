use edaibiao_domain::DomainError;
use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

/// What can go wrong below the API: a business rule said no, or the database or cache failed.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("cache error: {0}")]
    Cache(#[from] redis::RedisError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Turns a unique-constraint violation into a CONFLICT with `message`; other errors pass through.
    pub(crate) fn unique_as_conflict(err: DbErr, message: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => DomainError::conflict(message).into(),
            _ => Error::Db(err),
        }
    }
}

impl From<&'static str> for Error {
    fn from(not_found: &'static str) -> Self {
        DomainError::NotFound(not_found).into()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a value the database holds into its domain type, when a record is loaded. A value that does not
/// parse is corrupt data: an internal error (logged where the request fails), never the caller's bad input,
/// so the `DomainError` is not passed on as one.
pub(crate) fn stored<T>(what: &'static str, id: uuid::Uuid, parsed: Result<T, DomainError>) -> Result<T> {
    parsed.map_err(|e| Error::Internal(format!("stored {what} of {id} does not parse: {e}")))
}
