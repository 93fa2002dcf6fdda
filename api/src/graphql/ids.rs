//! Global IDs (Relay): `base64url("Type:uuid")`, opaque to clients, and unique across types so that
//! `node(id)` can find anything.

use super::error::{ApiError, ApiResult};
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// The global ID of the `kind` record `id`.
pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Splits a global ID into its type name and UUID.
pub fn decode_any(id: &ID) -> Option<(String, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(uuid).ok()?))
}

/// The UUID of a global ID that must be of `kind`; `field` names the argument for the error.
pub fn decode(kind: &str, field: &'static str, id: &ID) -> ApiResult<Uuid> {
    match decode_any(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(ApiError::bad_input(field, format!("is not a {kind} ID"))),
    }
}

/// Like [`decode`] for an optional argument.
pub fn decode_opt(kind: &str, field: &'static str, id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|id| decode(kind, field, id)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_type() {
        let uuid = Uuid::now_v7();
        let id = encode("Deputy", uuid);
        assert_eq!(decode_any(&id), Some(("Deputy".to_owned(), uuid)));
        assert_eq!(decode("Deputy", "id", &id).ok(), Some(uuid));
        assert!(decode("Congress", "id", &id).is_err());
        assert!(decode("Deputy", "id", &ID("garbage".into())).is_err());
    }
}
