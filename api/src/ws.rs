//! GraphQL subscriptions over WebSocket, `graphql-transport-ws` protocol (what the `graphql-ws` client
//! library speaks). async-graphql runs the protocol; this module adds what it leaves to the server:
//! authentication in `connection_init` (refused with 4403), the init timeout (4408), an early subscribe
//! (4401), and WebSocket pings that find dead phones.
//!
//! Each connection is one task and a few small buffers, with no actor and no per-connection Redis
//! subscription: live items come from this instance's bus (see `infra::bus`).

use crate::auth::{Auth, authenticate};
use crate::graphql::loaders;
use crate::graphql::subscription::AccessExpiry;
use crate::http::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{CloseCode, CloseReason, Message, Session};
use async_graphql::Data;
use async_graphql::http::{WebSocketProtocols, WsMessage};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

/// The one subprotocol served.
const PROTOCOL: &str = "graphql-transport-ws";
/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings, and how long it waits for any sign of life before closing.
const PING_EVERY: Duration = Duration::from_secs(30);
const SILENCE_LIMIT: Duration = Duration::from_secs(90);
/// Largest client message accepted (a subscribe message with its query).
const MAX_FRAME: usize = 64 * 1024;

/// What went wrong in the handshake, for the close code.
#[derive(Default)]
struct Handshake {
    refused: AtomicBool,
    acknowledged: AtomicBool,
}

pub async fn subscriptions(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let offered = req
        .headers()
        .get_all("sec-websocket-protocol")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL);
    if !offered {
        return Ok(HttpResponse::BadRequest().body("use the graphql-transport-ws subprotocol"));
    }
    let (response, session, messages) = actix_ws::handle_with_protocols(&req, body, &[PROTOCOL])?;
    actix_web::rt::spawn(serve(state, session, messages.max_frame_size(MAX_FRAME)));
    Ok(response)
}

fn now_secs() -> i64 {
    Utc::now().timestamp()
}

/// Counts open WebSocket connections for `/metrics`, also when a connection's task ends early.
struct Open;

impl Open {
    fn new() -> Self {
        metrics::gauge!("ws_connections").increment(1.0);
        Self
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        metrics::gauge!("ws_connections").decrement(1.0);
    }
}

async fn serve(state: web::Data<AppState>, session: Session, messages: actix_ws::MessageStream) {
    let _open = Open::new();
    let last_heard = Arc::new(AtomicI64::new(now_secs()));
    let handshake = Arc::new(Handshake::default());

    // Client frames: text goes to the protocol, pings are answered, a close or error ends the input.
    let heard = last_heard.clone();
    let ponger = session.clone();
    let input = Box::pin(
        messages
            .take_while(|m| std::future::ready(matches!(m, Ok(m) if !matches!(m, Message::Close(_)))))
            .filter_map(move |m| {
                heard.store(now_secs(), Ordering::Relaxed);
                let mut ponger = ponger.clone();
                async move {
                    match m {
                        Ok(Message::Text(text)) => Some(text.into_bytes()),
                        Ok(Message::Binary(bytes)) => Some(bytes),
                        Ok(Message::Ping(bytes)) => {
                            let _ = ponger.pong(&bytes).await;
                            None
                        }
                        _ => None,
                    }
                }
            }),
    );

    let services = state.services.clone();
    let init = handshake.clone();
    let mut protocol =
        async_graphql::http::WebSocket::new(state.schema.clone(), input, WebSocketProtocols::GraphQLWS)
            .on_connection_init(move |payload| async move {
                match connection_data(&services, &payload).await {
                    Ok(data) => Ok(data),
                    Err(message) => {
                        init.refused.store(true, Ordering::Relaxed);
                        Err(async_graphql::Error::new(message))
                    }
                }
            });

    let mut session = session;
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let close = loop {
        tokio::select! {
            message = protocol.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if !handshake.acknowledged.load(Ordering::Relaxed) && text.contains("\"connection_ack\"") {
                        handshake.acknowledged.store(true, Ordering::Relaxed);
                    }
                    if session.text(text).await.is_err() {
                        return;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break Some(close_reason(&handshake, code, reason)),
                None => break None,
            },
            () = &mut init_deadline, if !handshake.acknowledged.load(Ordering::Relaxed) => {
                break Some(reason(4408, "Connection initialisation timeout"));
            }
            _ = ping.tick() => {
                let silent = now_secs() - last_heard.load(Ordering::Relaxed);
                if silent > SILENCE_LIMIT.as_secs() as i64 {
                    break None;
                }
                if session.ping(b"").await.is_err() {
                    return;
                }
            }
        }
    };
    let _ = session.close(close).await;
}

fn reason(code: u16, description: &str) -> CloseReason {
    CloseReason { code: CloseCode::Other(code), description: Some(description.to_owned()) }
}

/// The protocol's close codes where async-graphql uses generic ones.
fn close_reason(handshake: &Handshake, code: u16, description: String) -> CloseReason {
    match code {
        1002 if handshake.refused.load(Ordering::Relaxed) => reason(4403, "Forbidden"),
        1011 if !handshake.acknowledged.load(Ordering::Relaxed) => reason(4401, "Unauthorized"),
        _ => CloseReason { code: CloseCode::Other(code), description: Some(description) },
    }
}

/// The context of a connection from its `connection_init` payload: the viewer behind the access token
/// (`{"authorization": "Bearer …"}`, or `{"token": "…"}`), when it expires, and fresh data loaders.
async fn connection_data(
    services: &crate::graphql::Services,
    payload: &serde_json::Value,
) -> Result<Data, &'static str> {
    let field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str);
    let header = field("authorization")
        .or_else(|| field("Authorization"))
        .map(str::to_owned)
        .or_else(|| field("token").map(|t| format!("Bearer {t}")))
        .ok_or("connection_init needs {\"authorization\": \"Bearer <access token>\"}")?;
    let auth = authenticate(&services.store, &services.keys, Some(&header))
        .await
        .map_err(|_| "the access token is invalid, expired or revoked")?;
    let Auth::Viewer(_) = &auth else { return Err("log in first") };
    let token = header.trim_start_matches("Bearer ").trim();
    let expires = services
        .keys
        .verify(token)
        .ok()
        .and_then(|claims| DateTime::<Utc>::from_timestamp(claims.exp, 0))
        .ok_or("the access token is invalid")?;
    let mut data = Data::default();
    data.insert(auth);
    data.insert(AccessExpiry(expires));
    data.insert(loaders::loaders(services.store.clone()));
    Ok(data)
}
