//! GraphQL subscriptions over WebSocket, `graphql-transport-ws` protocol (what the `graphql-ws` client
//! library speaks). async-graphql runs the protocol; this module adds what it leaves to the server:
//! authentication in `connection_init` (refused with 4403), the init timeout (4408), an early subscribe
//! (4401), WebSocket pings that find dead phones, closing with 4403 when the connection's session ends
//! (logout, refresh-token reuse, password change; on any instance, through the bus), and closing with
//! 1001 (going away) when the server shuts down, so phones reconnect to another instance at once.
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
use edaibiao_infra::bus::{Signal, Subscription};
use edaibiao_infra::sessions;
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::{oneshot, watch};
use uuid::Uuid;

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

/// Tells this instance's sockets that the server is stopping. The sender side stays with the
/// application; a dropped sender means "never".
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// The trigger and the signal the sockets listen to.
    pub fn channel() -> (watch::Sender<bool>, Self) {
        let (tx, rx) = watch::channel(false);
        (tx, Self(rx))
    }

    /// Resolves once shutdown has begun (never, if the trigger is dropped without firing).
    async fn begun(mut self) {
        loop {
            if *self.0.borrow_and_update() {
                return;
            }
            if self.0.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

pub async fn subscriptions(
    state: web::Data<AppState>,
    shutdown: web::Data<Shutdown>,
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
    let shutdown = shutdown.get_ref().clone();
    actix_web::rt::spawn(serve(state, shutdown, session, messages.max_frame_size(MAX_FRAME)));
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

/// The next signal that the session ended, or never when not watching (yet).
async fn session_signal(watch: &mut Option<Subscription>) -> Option<Signal> {
    match watch {
        Some(watch) => watch.recv().await,
        None => std::future::pending().await,
    }
}

async fn serve(
    state: web::Data<AppState>,
    shutdown: Shutdown,
    session: Session,
    messages: actix_ws::MessageStream,
) {
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
    // The accepted connection's session and the watch on its end, handed from `connection_init` to here.
    let (watched_tx, mut watched_rx) = oneshot::channel::<(Uuid, Subscription)>();
    let watched_tx = Arc::new(Mutex::new(Some(watched_tx)));
    let mut protocol =
        async_graphql::http::WebSocket::new(state.schema.clone(), input, WebSocketProtocols::GraphQLWS)
            .on_connection_init(move |payload| async move {
                match connection_data(&services, &payload).await {
                    Ok((data, watched)) => {
                        let tx = watched_tx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                        if let Some(tx) = tx {
                            let _ = tx.send(watched);
                        }
                        Ok(data)
                    }
                    Err(message) => {
                        init.refused.store(true, Ordering::Relaxed);
                        Err(async_graphql::Error::new(message))
                    }
                }
            });
    let mut session_id = None;
    let mut ended: Option<Subscription> = None;
    let shutting_down = shutdown.begun();
    tokio::pin!(shutting_down);

    let mut session = session;
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let close = loop {
        tokio::select! {
            // Shutdown and a session's end come first: once either has happened, nothing more is sent.
            biased;
            () = &mut shutting_down => break Some(going_away()),
            signal = session_signal(&mut ended) => match signal {
                Some(Signal::Item { .. }) => break Some(reason(4403, "Forbidden")),
                // Messages may have been lost: the database says whether the session still holds.
                Some(Signal::Resync) => {
                    let Some(id) = session_id else { continue };
                    match sessions::is_active_in_db(&state.services.store.db, id).await {
                        Ok(false) => break Some(reason(4403, "Forbidden")),
                        Ok(true) => {}
                        Err(e) => tracing::warn!(error = %e, "cannot check a socket's session"),
                    }
                }
                None => ended = None,
            },
            watched = &mut watched_rx, if session_id.is_none() => match watched {
                Ok((id, watch)) => {
                    session_id = Some(id);
                    ended = Some(watch);
                }
                // `connection_init` was refused, or never comes; nothing to watch.
                Err(_) => session_id = Some(Uuid::nil()),
            },
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

/// 1001: the server is stopping; the client reconnects (to another instance).
fn going_away() -> CloseReason {
    CloseReason { code: CloseCode::Away, description: Some("server shutting down".to_owned()) }
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
/// (`{"authorization": "Bearer …"}`, or `{"token": "…"}`), when it expires, and fresh data loaders; and
/// the watch on its session's end, started before the session is checked so that no revocation falls
/// between the check and the watch.
async fn connection_data(
    services: &crate::graphql::Services,
    payload: &serde_json::Value,
) -> Result<(Data, (Uuid, Subscription)), &'static str> {
    let field = |name: &str| payload.get(name).and_then(serde_json::Value::as_str);
    let header = field("authorization")
        .or_else(|| field("Authorization"))
        .map(str::to_owned)
        .or_else(|| field("token").map(|t| format!("Bearer {t}")))
        .ok_or("connection_init needs {\"authorization\": \"Bearer <access token>\"}")?;
    let token = header.trim_start_matches("Bearer ").trim();
    let claims = services.keys.verify(token).map_err(|_| "the access token is invalid")?;
    let watch = sessions::watch(&services.store, claims.sid);
    let auth = authenticate(&services.store, &services.keys, Some(&header))
        .await
        .map_err(|_| "the access token is invalid, expired or revoked")?;
    let Auth::Viewer(viewer) = &auth else { return Err("log in first") };
    let session_id = viewer.session_id;
    let expires = DateTime::<Utc>::from_timestamp(claims.exp, 0).ok_or("the access token is invalid")?;
    let mut data = Data::default();
    data.insert(auth);
    data.insert(AccessExpiry(expires));
    data.insert(loaders::loaders(services.store.clone()));
    Ok((data, (session_id, watch)))
}
