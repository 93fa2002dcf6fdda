//! The `graphql-transport-ws` messages (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>):
//! what a client may send, and the text of what the server sends.

use serde::Deserialize;
use serde_json::Value;

/// A message from the client. Anything else closes the socket with 4400.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    ConnectionInit {
        payload: Option<Value>,
    },
    /// Answered with `pong`; a payload is allowed and ignored.
    Ping {},
    Pong {},
    /// `payload` is a GraphQL request: `query`, `variables`, `operationName`, `extensions`.
    Subscribe {
        id: String,
        payload: Value,
    },
    Complete {
        id: String,
    },
}

impl ClientMessage {
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// The protocol's close codes.
pub mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const SUBSCRIBER_EXISTS: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
    /// Not the protocol's: WebSocket's "try again later", for a socket dropped from a fan-out it could not
    /// keep up with. Clients reconnect and resume.
    pub const TRY_AGAIN_LATER: u16 = 1013;
}

pub const CONNECTION_ACK: &str = r#"{"type":"connection_ack"}"#;
pub const PONG: &str = r#"{"type":"pong"}"#;

/// `{"id":…,"type":"next","payload":…}` around a payload already serialized (once, for every member).
pub fn next(id: &str, payload: &str) -> String {
    let id = quoted(id);
    let mut frame = String::with_capacity(id.len() + payload.len() + 34);
    frame.push_str(r#"{"id":"#);
    frame.push_str(&id);
    frame.push_str(r#","type":"next","payload":"#);
    frame.push_str(payload);
    frame.push('}');
    frame
}

/// A GraphQL response as a `next` payload.
pub fn payload(response: &async_graphql::Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|_| {
        r#"{"data":null,"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_owned()
    })
}

pub fn complete(id: &str) -> String {
    format!(r#"{{"id":{},"type":"complete"}}"#, quoted(id))
}

fn quoted(id: &str) -> String {
    Value::from(id).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn frames_are_json_with_the_id_escaped() {
        let frame: Value = serde_json::from_str(&next("a\"b", r#"{"data":{"x":1}}"#)).unwrap_or_default();
        assert_eq!(frame, json!({ "id": "a\"b", "type": "next", "payload": { "data": { "x": 1 } } }));
        let frame: Value = serde_json::from_str(&complete("\n")).unwrap_or_default();
        assert_eq!(frame, json!({ "id": "\n", "type": "complete" }));
    }

    #[test]
    fn client_messages_parse_and_the_rest_is_refused() {
        assert!(matches!(
            ClientMessage::parse(br#"{"type":"subscribe","id":"1","payload":{"query":"subscription{x}"}}"#),
            Ok(ClientMessage::Subscribe { id, .. }) if id == "1"
        ));
        assert!(matches!(
            ClientMessage::parse(br#"{"type":"connection_init"}"#),
            Ok(ClientMessage::ConnectionInit { payload: None })
        ));
        assert!(matches!(
            ClientMessage::parse(br#"{"type":"ping","payload":{"a":1}}"#),
            Ok(ClientMessage::Ping {})
        ));
        assert!(ClientMessage::parse(br#"{"type":"start","id":"1","payload":{}}"#).is_err());
        assert!(ClientMessage::parse(br#"{"type":"subscribe","payload":{}}"#).is_err());
        assert!(ClientMessage::parse(b"[]").is_err());
    }
}
