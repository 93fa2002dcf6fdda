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

/// The key of a row that has no UUID of its own, only the pair it joins: a part of a suggestion — a
/// co-signer (the suggestion and the deputy), a unit's part (the suggestion and the unit), or an answer (the
/// suggestion, the unit and when the answer was given, in microseconds since the epoch) — or a participant
/// of an activity (the activity and the deputy).
///
/// Such rows are keyed by the pair in the database (`suggestion_co_signers`, `suggestion_units`,
/// `activity_participants`; answers live in the suggestion's snapshot only), so the global ID carries the
/// key itself: `base64url("Type:owner:member[:micros]")`. A UUID derived from the pair (v5) would be one-way
/// and need a stored column or a scan to look up; this keeps it stateless, stable for as long as the row
/// exists, and as opaque to clients as every other ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartKey {
    /// The row it belongs to: the suggestion, or the activity of a participant.
    pub owner: Uuid,
    /// The deputy of a co-signer or a participant, the unit of a part or of an answer.
    pub member: Uuid,
    /// When an answer was given (µs since the epoch); `None` for everything else.
    pub at: Option<i64>,
}

/// The global ID of the `kind` part `key`.
pub fn encode_part(kind: &str, key: PartKey) -> ID {
    let PartKey { owner, member, at } = key;
    let text = match at {
        Some(at) => format!("{kind}:{owner}:{member}:{at}"),
        None => format!("{kind}:{owner}:{member}"),
    };
    ID(URL_SAFE_NO_PAD.encode(text))
}

/// Splits the global ID of a part into its type name and key; `None` for any other ID.
pub fn decode_part(id: &ID) -> Option<(String, PartKey)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut pieces = text.split(':');
    let kind = pieces.next()?;
    let owner = Uuid::parse_str(pieces.next()?).ok()?;
    let member = Uuid::parse_str(pieces.next()?).ok()?;
    let at = pieces.next().map(str::parse::<i64>).transpose().ok()?;
    if pieces.next().is_some() {
        return None;
    }
    Some((kind.to_owned(), PartKey { owner, member, at }))
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

    #[test]
    fn part_keys_round_trip_and_are_not_plain_ids() {
        let (suggestion, member) = (Uuid::now_v7(), Uuid::now_v7());
        for at in [None, Some(1_767_225_600_123_456), Some(-5)] {
            let key = PartKey { owner: suggestion, member, at };
            let id = encode_part("Answer", key);
            assert_eq!(decode_part(&id), Some(("Answer".to_owned(), key)));
            assert_eq!(decode_any(&id), None, "a part's ID is not a plain one");
        }
        // A plain ID is not a part's, and neither is garbage or a key with extra pieces.
        assert_eq!(decode_part(&encode("Deputy", suggestion)), None);
        assert_eq!(decode_part(&ID("garbage".into())), None);
        let extra = ID(URL_SAFE_NO_PAD.encode(format!("HandlingPart:{suggestion}:{member}:1:2")));
        assert_eq!(decode_part(&extra), None);
        let bad_at = ID(URL_SAFE_NO_PAD.encode(format!("Answer:{suggestion}:{member}:soon")));
        assert_eq!(decode_part(&bad_at), None);
    }
}
