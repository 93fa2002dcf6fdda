//! GraphQL subscriptions over WebSocket, `graphql-transport-ws` protocol (what the `graphql-ws` client
//! library speaks), driven here rather than by async-graphql's driver so that one execution can serve
//! many sockets ([`fanout`]). Besides the protocol (authentication in `connection_init`, refused with
//! 4403; the init timeout, 4408; an early subscribe, 4401; a reused id, 4409; anything unreadable, 4400),
//! this module adds what the protocol leaves to the server: WebSocket pings that find dead phones,
//! ending subscriptions with UNAUTHENTICATED when the access token expires, closing with 4403 when the
//! connection's session ends (logout, refresh-token reuse, password change; on any instance, through the
//! bus), closing with 1001 (going away) when the server shuts down, so phones reconnect to another
//! instance at once, and closing with 1013 (try again later) a socket so slow that it fell behind its
//! shared execution, so that it reconnects and resumes with `after` instead of silently missing items.
//!
//! Each connection is one task and a few small buffers, with no actor and no per-connection Redis
//! subscription: live items come from this instance's bus (see `infra::bus`), through executions shared by
//! every socket that asked the same thing and may see the same things.

mod fanout;
mod protocol;
mod socket;

use crate::auth::{Auth, Viewer, authenticate};
use crate::graphql::error::{ApiError, ErrorCode};
use crate::graphql::loaders;
use crate::http::AppState;
use actix_codec::Framed;
use actix_http::body::BodySize;
use actix_http::ws::{CloseCode, CloseReason};
use actix_http::{Method, Request, Response, StatusCode, h1};
use actix_web::web;
use async_graphql::Data;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_infra::bus::{Signal, Subscription};
use edaibiao_infra::sessions;
pub use fanout::Replay;
use fanout::{Fanout, Heard, Member};
use futures_util::stream::{AbortHandle, Abortable, BoxStream, SelectAll};
use futures_util::{SinkExt, StreamExt};
use protocol::{ClientMessage, close};
use socket::{Incoming, Socket};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

/// The one subprotocol served.
const PROTOCOL: &str = "graphql-transport-ws";
/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings, and how long it waits for any sign of life before closing.
const PING_EVERY: Duration = Duration::from_secs(30);
const SILENCE_LIMIT: Duration = Duration::from_secs(90);
/// Largest client message accepted (a subscribe message with its query).
const MAX_FRAME: usize = 64 * 1024;
/// Operations one connection may run at once: an app needs a handful; each costs an execution.
const MAX_OPERATIONS: usize = 32;

/// What an execution's payloads depend on: who asks (their visibility) and what they asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asked {
    viewer: Actor,
    /// The subscribe message's payload (query, variables, operation name, extensions) as JSON.
    request: String,
}

/// This instance's running subscriptions.
pub type Live = Fanout<Asked>;

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

/// Serves a WebSocket upgrade (actix-http hands every HTTP/1 request asking to upgrade here, with its
/// connection): the `graphql-transport-ws` subprotocol on `/graphql`, nothing else. Answers the handshake,
/// then serves the socket on a task of its own, so the HTTP connection and its buffers are gone.
pub async fn upgrade(
    state: web::Data<AppState>,
    shutdown: Shutdown,
    (req, mut framed): (Request, Framed<TcpStream, h1::Codec>),
) -> Result<(), actix_web::Error> {
    let handshake = if req.path() != "/graphql" {
        Err((StatusCode::NOT_FOUND, "WebSockets are served on /graphql only"))
    } else if req.method() != Method::GET {
        Err((StatusCode::METHOD_NOT_ALLOWED, "a WebSocket opens with GET"))
    } else if !offers_protocol(&req) {
        Err((StatusCode::BAD_REQUEST, "use the graphql-transport-ws subprotocol"))
    } else {
        actix_http::ws::handshake(req.head())
            .map_err(|_| (StatusCode::BAD_REQUEST, "not a valid WebSocket handshake"))
    };
    let mut accepted = match handshake {
        Ok(accepted) => accepted,
        Err((status, message)) => {
            let refusal = Response::build(status)
                .content_type("text/plain; charset=utf-8")
                // The connection ends with the upgrade service: the client must not reuse it.
                .force_close()
                .finish()
                .drop_body();
            let body = bytes::Bytes::from_static(message.as_bytes());
            framed.send((refusal, BodySize::Sized(body.len() as u64)).into()).await?;
            framed.send(h1::Message::Chunk(Some(body))).await?;
            framed.send(h1::Message::Chunk(None)).await?;
            return Ok(());
        }
    };
    let response = accepted.insert_header(("sec-websocket-protocol", PROTOCOL)).finish().drop_body();
    framed.send((response, BodySize::None).into()).await?;
    let parts = framed.into_parts();
    let socket = Socket::new(parts.io, parts.read_buf, MAX_FRAME);
    actix_web::rt::spawn(serve(state, shutdown, socket));
    Ok(())
}

fn offers_protocol(req: &Request) -> bool {
    req.head()
        .headers()
        .get_all("sec-websocket-protocol")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL)
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

/// A connection past `connection_init`: who it is, until when.
struct Accepted {
    viewer: Viewer,
    expires: DateTime<Utc>,
}

/// What one client message asks of the connection.
enum Step {
    Continue,
    Close(CloseReason),
    /// The peer is gone: nothing more can be sent.
    Gone,
}

/// The operations of one connection: their ids, and what their executions tell them, merged.
#[derive(Default)]
struct Operations {
    ids: HashMap<Arc<str>, AbortHandle>,
    heard: SelectAll<BoxStream<'static, (Arc<str>, Heard)>>,
}

impl Operations {
    fn start(&mut self, id: Arc<str>, member: Member<Asked>) {
        let (handle, registration) = AbortHandle::new_pair();
        let tagged = id.clone();
        let heard = futures_util::stream::unfold(Some(member), move |member| {
            let id = tagged.clone();
            async move {
                let mut member = member?;
                let heard = member.recv().await;
                let more = matches!(heard, Heard::Next(_));
                Some(((id, heard), more.then_some(member)))
            }
        });
        self.heard.push(Abortable::new(heard, registration).boxed());
        self.ids.insert(id, handle);
    }

    /// Ends an operation the client completed; its execution goes on for the others.
    fn stop(&mut self, id: &str) {
        if let Some(handle) = self.ids.remove(id) {
            handle.abort();
        }
    }

    /// Ends them all, returning their ids.
    fn stop_all(&mut self) -> Vec<Arc<str>> {
        let ids = self
            .ids
            .drain()
            .map(|(id, handle)| {
                handle.abort();
                id
            })
            .collect();
        self.heard = SelectAll::new();
        ids
    }
}

async fn serve(state: web::Data<AppState>, shutdown: Shutdown, mut socket: Socket) {
    let _open = Open::new();
    let mut last_heard = Instant::now();
    let mut accepted: Option<Accepted> = None;
    let mut expired = false;
    let mut ended: Option<Subscription> = None;
    let mut operations = Operations::default();
    let shutting_down = shutdown.begun();
    tokio::pin!(shutting_down);

    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    // Reset to the token's expiry once the connection is accepted.
    let expiry = tokio::time::sleep(Duration::from_secs(u32::MAX.into()));
    tokio::pin!(expiry);
    let close = loop {
        tokio::select! {
            // Shutdown and a session's end come first: once either has happened, nothing more is sent.
            biased;
            () = &mut shutting_down => break Some(going_away()),
            signal = session_signal(&mut ended) => match signal {
                Some(Signal::Item { .. }) => break Some(reason(close::FORBIDDEN, "Forbidden")),
                // Messages may have been lost: the database says whether the session still holds.
                Some(Signal::Resync) => {
                    let Some(id) = accepted.as_ref().map(|a| a.viewer.session_id) else { continue };
                    match sessions::is_active_in_db(&state.services.store.db, id).await {
                        Ok(false) => break Some(reason(close::FORBIDDEN, "Forbidden")),
                        Ok(true) => {}
                        Err(e) => tracing::warn!(error = %e, "cannot check a socket's session"),
                    }
                }
                None => ended = None,
            },
            message = socket.next() => {
                last_heard = Instant::now();
                let text = match message {
                    Some(Ok(Incoming::Data(data))) => data,
                    Some(Ok(Incoming::Ping(data))) => {
                        if socket.pong(data).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    Some(Ok(Incoming::Pong)) => continue,
                    Some(Ok(Incoming::Close) | Err(_)) | None => break None,
                };
                let message = match ClientMessage::parse(&text) {
                    Ok(message) => message,
                    Err(_) => break Some(reason(close::BAD_REQUEST, "Invalid message received")),
                };
                let step = match message {
                    ClientMessage::ConnectionInit { payload } => {
                        if accepted.is_some() {
                            break Some(reason(close::TOO_MANY_INITS, "Too many initialisation requests"));
                        }
                        match connection_data(&state.services, &payload.unwrap_or_default()).await {
                            Ok((connection, watch)) => {
                                let left = (connection.expires - Utc::now()).to_std().unwrap_or_default();
                                expiry.as_mut().reset(Instant::now() + left);
                                accepted = Some(connection);
                                ended = Some(watch);
                                send(&mut socket, protocol::CONNECTION_ACK.to_owned()).await
                            }
                            Err(_) => Step::Close(reason(close::FORBIDDEN, "Forbidden")),
                        }
                    }
                    ClientMessage::Ping {} => send(&mut socket, protocol::PONG.to_owned()).await,
                    ClientMessage::Pong {} => Step::Continue,
                    ClientMessage::Subscribe { id, payload } => {
                        let Some(connection) = &accepted else {
                            break Some(reason(close::UNAUTHORIZED, "Unauthorized"));
                        };
                        if operations.ids.contains_key(id.as_str()) {
                            break Some(reason(close::SUBSCRIBER_EXISTS, &format!("Subscriber for {id} already exists")));
                        }
                        if expired {
                            refuse(&mut socket, [Arc::from(id)], token_expired()).await
                        } else if operations.ids.len() >= MAX_OPERATIONS {
                            let refusal = ApiError::new(
                                ErrorCode::RateLimited,
                                format!("at most {MAX_OPERATIONS} subscriptions per connection"),
                            );
                            refuse(&mut socket, [Arc::from(id)], refusal).await
                        } else {
                            match subscribe(&state, connection, payload) {
                                Some(member) => {
                                    operations.start(Arc::from(id), member);
                                    Step::Continue
                                }
                                None => Step::Close(reason(close::BAD_REQUEST, "Invalid message received")),
                            }
                        }
                    }
                    ClientMessage::Complete { id } => {
                        operations.stop(&id);
                        Step::Continue
                    }
                };
                match step {
                    Step::Continue => {}
                    Step::Close(close) => break Some(close),
                    Step::Gone => return,
                }
            },
            Some((id, heard)) = operations.heard.next(), if !operations.heard.is_empty() => {
                let frame = match heard {
                    // Completed by the client meanwhile: nothing more for it.
                    _ if !operations.ids.contains_key(&id) => continue,
                    Heard::Next(payload) => protocol::next(&id, &payload),
                    Heard::End => {
                        operations.stop(&id);
                        protocol::complete(&id)
                    }
                    // Items were lost for this socket: it reconnects and resumes with `after`.
                    Heard::Behind => break Some(reason(close::TRY_AGAIN_LATER, "fell behind; resume")),
                };
                match send(&mut socket, frame).await {
                    Step::Continue => {}
                    Step::Close(close) => break Some(close),
                    Step::Gone => return,
                }
            },
            () = &mut expiry, if accepted.is_some() && !expired => {
                expired = true;
                let ids = operations.stop_all();
                match refuse(&mut socket, ids, token_expired()).await {
                    Step::Continue => {}
                    Step::Close(close) => break Some(close),
                    Step::Gone => return,
                }
            },
            () = &mut init_deadline, if accepted.is_none() => {
                break Some(reason(close::INIT_TIMEOUT, "Connection initialisation timeout"));
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT {
                    break None;
                }
                if socket.ping().await.is_err() {
                    return;
                }
            }
        }
    };
    socket.close(close).await;
}

/// Sends a frame; a socket that cannot take it is gone.
async fn send(socket: &mut Socket, frame: String) -> Step {
    match socket.text(frame).await {
        Ok(()) => Step::Continue,
        Err(_) => Step::Gone,
    }
}

/// Ends operations with an error (a `next` carrying it, then `complete`), as an execution error ends one.
async fn refuse(socket: &mut Socket, ids: impl IntoIterator<Item = Arc<str>>, refusal: ApiError) -> Step {
    let error: async_graphql::Error = refusal.into();
    let mut server_error = async_graphql::ServerError::new(error.message, None);
    server_error.extensions = error.extensions;
    let payload = protocol::payload(&async_graphql::Response::from_errors(vec![server_error]));
    for id in ids {
        for frame in [protocol::next(&id, &payload), protocol::complete(&id)] {
            if let Step::Gone = send(socket, frame).await {
                return Step::Gone;
            }
        }
    }
    Step::Continue
}

fn token_expired() -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, "the access token expired; reconnect with a new one")
}

/// Joins the execution of what `payload` asks for this viewer, or starts one; `None` when the payload is
/// not a GraphQL request.
fn subscribe(state: &AppState, connection: &Accepted, payload: serde_json::Value) -> Option<Member<Asked>> {
    let asked = Asked { viewer: connection.viewer.actor.clone(), request: payload.to_string() };
    let request: async_graphql::Request = serde_json::from_value(payload).ok()?;
    let schema = state.schema.clone();
    let store = state.services.store.clone();
    let auth = Auth::Viewer(connection.viewer.clone());
    Some(state.live.join(asked, move |replay| {
        let mut data = Data::default();
        data.insert(auth);
        data.insert(replay);
        data.insert(loaders::loaders(store));
        schema
            .execute_stream_with_session_data(request, Arc::new(data))
            .map(|response| protocol::payload(&response))
            .boxed()
    }))
}

/// 1001: the server is stopping; the client reconnects (to another instance).
fn going_away() -> CloseReason {
    CloseReason { code: CloseCode::Away, description: Some("server shutting down".to_owned()) }
}

fn reason(code: u16, description: &str) -> CloseReason {
    CloseReason { code: CloseCode::Other(code), description: Some(description.to_owned()) }
}

/// The connection a `connection_init` payload opens: the viewer behind the access token
/// (`{"authorization": "Bearer …"}`, or `{"token": "…"}`) and when it expires; and the watch on its
/// session's end, started before the session is checked so that no revocation falls between the check
/// and the watch.
async fn connection_data(
    services: &crate::graphql::Services,
    payload: &serde_json::Value,
) -> Result<(Accepted, Subscription), &'static str> {
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
    let Auth::Viewer(viewer) = auth else { return Err("log in first") };
    let expires = DateTime::<Utc>::from_timestamp(claims.exp, 0).ok_or("the access token is invalid")?;
    Ok((Accepted { viewer, expires }, watch))
}
