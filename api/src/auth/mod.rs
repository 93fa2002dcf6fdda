//! Who is asking: access tokens (JWT, HS256 only) and the viewer they identify.

mod token;

pub use token::{AccessClaims, TokenKeys};

use edaibiao_domain::account::Actor;
use edaibiao_infra::{Store, sessions};
use uuid::Uuid;

/// The authenticated person behind a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    /// The session (refresh-token family) the access token belongs to.
    pub session_id: Uuid,
}

/// Where a request came from: the client's IP address as the proxy in front reports it
/// (`X-Forwarded-For` / `Forwarded`), else the peer address. For per-address rate limits of public
/// mutations; behind no proxy the header is the client's word, so limits also count per phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// What the `Authorization` header said.
#[derive(Debug, Clone)]
pub enum Auth {
    Anonymous,
    Viewer(Viewer),
}

impl Auth {
    pub fn viewer(&self) -> Option<&Viewer> {
        match self {
            Auth::Anonymous => None,
            Auth::Viewer(viewer) => Some(viewer),
        }
    }
}

/// Why a presented token was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the access token is invalid or expired")]
    Invalid,
    #[error("the session has ended; log in again")]
    Revoked,
    #[error("the Authorization header must be `Bearer <token>`")]
    Malformed,
    #[error(transparent)]
    Store(#[from] edaibiao_infra::Error),
}

/// Resolves an `Authorization` header value (or a WebSocket `connection_init` token) to a viewer.
pub async fn authenticate(store: &Store, keys: &TokenKeys, header: Option<&str>) -> Result<Auth, AuthError> {
    let Some(header) = header else { return Ok(Auth::Anonymous) };
    let token = header.strip_prefix("Bearer ").ok_or(AuthError::Malformed)?.trim();
    let claims = keys.verify(token).map_err(|_| AuthError::Invalid)?;
    let viewer = claims.viewer().ok_or(AuthError::Invalid)?;
    if !sessions::is_active(store, viewer.session_id).await? {
        return Err(AuthError::Revoked);
    }
    Ok(Auth::Viewer(viewer))
}
