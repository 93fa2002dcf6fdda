//! The end-to-end test harness: starts the real server on port 0 against a fresh database, and speaks
//! GraphQL to it over HTTP.
//!
//! Every test runs on the embedded default (a fresh SQLite file and the in-process cache). When
//! `TEST_DATABASE_URL` (PostgreSQL) and `TEST_REDIS_URL` are set, the same test runs again on them, in a
//! schema and a Redis key prefix of its own, so tests never share state and run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

pub mod actions;
pub mod bills;
pub mod cast;
pub mod files;
pub mod hostile;
mod http;
pub mod learning;
pub mod legislation;
pub mod node;
pub mod opinions;
pub mod projects;
pub mod reports;
mod sink;
pub mod time;
pub mod world;

pub use cast::Cast;
pub use http::{persisted, sha256_hex, url_encode};
pub use sink::WebhookSink;

use edaibiao_api::Application;
use edaibiao_api::config::Config;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use uuid::Uuid;

/// The JWT secret every test server signs with, so tests can forge tokens on purpose.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo1234";

/// Demo logins (see `infra::seed`).
pub mod demo {
    pub const ADMIN: &str = "13900000001";
    pub const STAFF: &str = "13900000002";
    pub const DEPUTY: &str = "13900000003";
    pub const DEPUTY2: &str = "13900000004";
    pub const UNIT_STAFF: &str = "13900000005";
    pub const CITIZEN: &str = "13900000006";
    pub const STATION_STAFF: &str = "13900000007";
}

/// Which services a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file and in-process cache.
    Embedded,
    /// PostgreSQL and Redis from `TEST_DATABASE_URL` and `TEST_REDIS_URL`.
    Services,
}

impl Backend {
    /// The PostgreSQL and Redis URLs when both are configured.
    pub fn services() -> Option<(String, String)> {
        match (std::env::var("TEST_DATABASE_URL"), std::env::var("TEST_REDIS_URL")) {
            (Ok(db), Ok(redis)) if !db.is_empty() && !redis.is_empty() => Some((db, redis)),
            _ => None,
        }
    }
}

/// Where a test's data lives; several servers may share one (multi-instance tests).
#[derive(Debug, Clone)]
pub struct TestEnv {
    pub backend: Backend,
    /// The SMS gateway every server of this environment sends to (`SMS_GATEWAY_URL`): tests read
    /// one-time codes from it.
    pub sms: WebhookSink,
    pairs: Vec<(String, String)>,
    schema: Option<String>,
    /// Held only so the file is removed when the last holder goes.
    _sqlite_file: Option<Arc<TempFile>>,
}

/// A SQLite file removed (with its WAL files) when the last holder is dropped.
#[derive(Debug)]
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl TestEnv {
    /// A fresh, empty place for one test's data, or `None` when `Services` is not configured.
    pub fn new(backend: Backend) -> Option<Self> {
        let id = Uuid::new_v4().simple().to_string();
        let sms = WebhookSink::start("/sms");
        let mut pairs = vec![
            ("SMS_GATEWAY_URL".to_owned(), sms.url.clone()),
            ("BIND".to_owned(), "127.0.0.1:0".to_owned()),
            ("JWT_SECRET".to_owned(), TEST_JWT_SECRET.to_owned()),
            ("LOG_LEVEL".to_owned(), "warn".to_owned()),
            ("APP_ENV".to_owned(), "test".to_owned()),
            ("SEED_DEMO_DATA".to_owned(), "true".to_owned()),
            // The tests stand in for the proxy in front: their `X-Forwarded-For` names the client, so each
            // test gives its clients addresses of their own. `hardening` proves the default (no proxy).
            ("TRUSTED_PROXIES".to_owned(), "127.0.0.1".to_owned()),
            // Each test's attachments in a folder of its own.
            (
                "FILES_DIR".to_owned(),
                std::env::temp_dir().join(format!("edaibiao-test-files-{id}")).display().to_string(),
            ),
        ];
        match backend {
            Backend::Embedded => {
                let file = std::env::temp_dir().join(format!("edaibiao-test-{id}.db"));
                pairs.push(("DATABASE_URL".to_owned(), format!("sqlite://{}?mode=rwc", file.display())));
                let sqlite_file = Some(Arc::new(TempFile(file)));
                Some(Self { backend, sms, pairs, schema: None, _sqlite_file: sqlite_file })
            }
            Backend::Services => {
                let (db, redis) = Backend::services()?;
                pairs.push(("DATABASE_URL".to_owned(), db));
                pairs.push(("REDIS_URL".to_owned(), redis));
                pairs.push(("REDIS_PREFIX".to_owned(), format!("t_{id}")));
                Some(Self { backend, sms, pairs, schema: Some(format!("t_{id}")), _sqlite_file: None })
            }
        }
    }

    /// Overrides one configuration variable.
    pub fn set(&mut self, key: &str, value: &str) {
        self.pairs.retain(|(k, _)| k != key);
        self.pairs.push((key.to_owned(), value.to_owned()));
    }

    pub fn config(&self) -> Config {
        let pairs: Vec<(&str, &str)> = self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut config = Config::from_pairs(&pairs).expect("test configuration");
        config.database_schema = self.schema.clone();
        config
    }

    /// Builds and starts a server on this data.
    pub async fn spawn(&self) -> TestApp {
        let app = Application::build(self.config()).await.expect("server did not start");
        let port = app.port();
        actix_web::rt::spawn(app.into_server());
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: awc::Client::default(),
            env: self.clone(),
        }
    }
}

/// A running server and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: awc::Client,
    pub env: TestEnv,
}

/// A GraphQL response, with helpers to assert on it.
#[derive(Debug, Clone)]
pub struct Gql {
    pub status: u16,
    pub body: Value,
}

impl Gql {
    /// `data` when there are no errors; panics with the errors otherwise.
    pub fn data(&self) -> &Value {
        assert!(self.body.get("errors").is_none(), "unexpected errors: {}", self.body);
        &self.body["data"]
    }

    /// The `extensions.code` of the first error; panics when there is none.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code, got {}", self.body))
    }

    /// Asserts that the first error has `code`.
    #[track_caller]
    pub fn assert_code(&self, code: &str) {
        assert_eq!(self.code(), code, "response: {}", self.body);
    }
}

/// Tokens from a login.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// Signs a citizen up with the code sent by `requestRegistrationCode`.
pub const REGISTER_CITIZEN: &str = "mutation Register($i: RegisterCitizenInput!) {
    registerCitizen(input: $i) { accessToken refreshToken account { id role name phone } }
}";

/// The version of the privacy notice the forms show (`privacyNotice { version }`), which a submission
/// giving personal data gives back as `privacyConsent`.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-06";

pub const LOGIN: &str = "mutation Login($phone: String!, $password: String!) {
    login(phone: $phone, password: $password) { accessToken refreshToken account { id name role } }
}";

impl TestApp {
    /// Starts a server with demo data on `backend`; `None` when that backend is not configured.
    pub async fn start(backend: Backend) -> Option<Self> {
        Some(TestEnv::new(backend)?.spawn().await)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a raw body to `POST /graphql`.
    pub async fn post_raw(&self, body: impl Into<String>, token: Option<&str>) -> Gql {
        let mut request =
            self.client.post(self.url("/graphql")).insert_header(("content-type", "application/json"));
        if let Some(token) = token {
            request = request.insert_header(("authorization", format!("Bearer {token}")));
        }
        let mut response = request.send_body(body.into()).await.expect("request failed");
        let status = response.status().as_u16();
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("no body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        Gql { status, body }
    }

    /// Runs a GraphQL operation.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Gql {
        self.post_raw(json!({ "query": query, "variables": variables }).to_string(), token).await
    }

    /// Logs in and returns the tokens; panics on failure.
    pub async fn login(&self, phone: &str) -> Tokens {
        self.login_with(phone, DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, phone: &str, password: &str) -> Tokens {
        let res = self.gql(LOGIN, json!({ "phone": phone, "password": password }), None).await;
        let login = &res.data()["login"];
        Tokens {
            access: login["accessToken"].as_str().unwrap_or_default().to_owned(),
            refresh: login["refreshToken"].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// Signs a citizen up the way the app does (a code by SMS, then `registerCitizen`) and returns the
    /// `registerCitizen` payload (`accessToken`, `refreshToken`, `account { id role name phone }`); panics
    /// on failure. `phone` must be written as the server normalises it (`13712345678`).
    pub async fn register_citizen(&self, phone: &str, name: &str, password: &str) -> Value {
        let sent = self
            .gql("mutation($p: String!) { requestRegistrationCode(phone: $p) }", json!({ "p": phone }), None)
            .await;
        assert_eq!(sent.data()["requestRegistrationCode"], true, "{}", sent.body);
        let code = self.env.sms.last_code(phone);
        let input = json!({ "i": { "phone": phone, "code": code, "name": name, "password": password,
            "privacyConsent": PRIVACY_NOTICE_VERSION } });
        let res = self.gql(REGISTER_CITIZEN, input, None).await;
        res.data()["registerCitizen"].clone()
    }

    /// A plain GET; returns status, content type and body.
    pub async fn get(&self, path: &str) -> (u16, String, String) {
        let mut response = self.client.get(self.url(path)).send().await.expect("GET failed");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("no body");
        (status, content_type, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The global ID of the first item of a list query's `nodes`, matched by `name`.
    pub async fn id_by_name(&self, list: &str, name: &str) -> String {
        let query = format!("{{ {list}(first: 100) {{ nodes {{ id name }} }} }}");
        let res = self.gql(&query, json!({}), None).await;
        id_in(res.data(), list, name)
    }
}

/// The global ID of the item named `name` in `data[list].nodes` (a query that fetched several lists at once).
pub fn id_in(data: &Value, list: &str, name: &str) -> String {
    id_ref(data, list, name).to_owned()
}

/// [`id_in`], borrowed from `data`.
fn id_ref<'a>(data: &'a Value, list: &str, name: &str) -> &'a str {
    data[list]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["name"] == name))
        .and_then(|n| n["id"].as_str())
        .unwrap_or_else(|| panic!("no {name} in {list}: {data}"))
}

/// The string `value` holds; panics, naming the caller's line, when it holds something else.
#[track_caller]
pub fn str_of(value: &Value) -> &str {
    match value.as_str() {
        Some(text) => text,
        None => panic!("not a string: {value}"),
    }
}

/// Defines an end-to-end test that runs once on the embedded default and once on PostgreSQL + Redis
/// (skipped with a note when those are not configured).
#[macro_export]
macro_rules! e2e {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::TestApp) $body

            #[actix_web::test]
            async fn embedded() {
                let app = $crate::TestApp::start($crate::Backend::Embedded).await;
                run(app.expect("embedded backend always available")).await;
            }

            #[actix_web::test]
            async fn postgres_redis() {
                match $crate::TestApp::start($crate::Backend::Services).await {
                    Some(app) => run(app).await,
                    None => eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set"),
                }
            }
        }
    };
}

/// What a WebSocket client saw next.
#[derive(Debug, Clone, PartialEq)]
pub enum WsEvent {
    /// A protocol message.
    Message(Value),
    /// The server closed the socket, with its close code.
    Closed(Option<u16>),
    /// Nothing arrived in time.
    Silent,
}

/// A `graphql-transport-ws` client connection, low-level enough to test the protocol itself.
pub struct WsClient {
    framed: actix_codec::Framed<awc::BoxedSocket, awc::ws::Codec>,
}

impl TestApp {
    /// Opens a WebSocket to `/graphql` with the `graphql-transport-ws` subprotocol.
    pub async fn ws(&self) -> WsClient {
        let url = self.url("/graphql").replacen("http://", "ws://", 1);
        let (_, framed) = self
            .client
            .ws(url)
            .protocols(["graphql-transport-ws"])
            .max_frame_size(1 << 20)
            .connect()
            .await
            .expect("websocket did not connect");
        WsClient { framed }
    }

    /// A WebSocket past `connection_init` with `token`, acknowledged.
    pub async fn ws_as(&self, token: &str) -> WsClient {
        let mut ws = self.ws().await;
        ws.send(
            json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }),
        )
        .await;
        match ws.next(std::time::Duration::from_secs(10)).await {
            WsEvent::Message(m) if m["type"] == "connection_ack" => ws,
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }
}

impl TestApp {
    /// Waits until this instance has subscribers on at least `topics` topics (an inbox, a suggestion), as
    /// `/healthz` reports, plus a moment for a new subscription's starting point to be read. The protocol
    /// does not acknowledge a subscribe, so tests that act right after subscribing wait for this.
    pub async fn wait_for_live_topics(&self, topics: u64) {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let (_, _, body) = self.get("/healthz").await;
            let health: Value = serde_json::from_str(&body).unwrap_or_default();
            if health["bus"]["liveTopics"].as_u64().unwrap_or_default() >= topics {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "subscriptions never went live: {health}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl WsClient {
    pub async fn send(&mut self, message: Value) {
        use futures_util::SinkExt;
        self.framed
            .send(awc::ws::Message::Text(message.to_string().into()))
            .await
            .expect("websocket send failed");
    }

    /// Sends one WebSocket frame as given (fragments, oversized messages).
    pub async fn send_frame(&mut self, frame: awc::ws::Message) {
        use futures_util::SinkExt;
        self.framed.send(frame).await.expect("websocket send failed");
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(
            json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }),
        )
        .await;
    }

    /// The next protocol message (answering pings), the close, or `Silent` after `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> WsEvent {
        use futures_util::{SinkExt, StreamExt};
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = match tokio::time::timeout_at(deadline, self.framed.next()).await {
                Err(_) => return WsEvent::Silent,
                Ok(None) | Ok(Some(Err(_))) => return WsEvent::Closed(None),
                Ok(Some(Ok(frame))) => frame,
            };
            match frame {
                awc::ws::Frame::Text(bytes) => {
                    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return WsEvent::Message(value);
                }
                awc::ws::Frame::Ping(bytes) => {
                    let _ = self.framed.send(awc::ws::Message::Pong(bytes)).await;
                }
                awc::ws::Frame::Close(reason) => return WsEvent::Closed(reason.map(|r| u16::from(r.code))),
                _ => {}
            }
        }
    }

    /// The payload of the next `next` message of subscription `id`; panics on anything else.
    pub async fn next_data(&mut self, id: &str) -> Value {
        match self.next(std::time::Duration::from_secs(10)).await {
            WsEvent::Message(m) if m["type"] == "next" && m["id"] == id => m["payload"].clone(),
            other => panic!("expected data for subscription {id}, got {other:?}"),
        }
    }

    /// Asserts that nothing arrives for a while.
    pub async fn assert_silent(&mut self, wait: std::time::Duration) {
        let event = self.next(wait).await;
        assert_eq!(event, WsEvent::Silent, "expected nothing, got {event:?}");
    }
}

/// A TCP proxy in front of Redis that a test can cut and restore, to play a Redis outage without
/// stopping the Redis other tests share.
pub struct RedisProxy {
    pub url: String,
    cut: Arc<std::sync::atomic::AtomicBool>,
    links: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl RedisProxy {
    /// A server on PostgreSQL whose Redis is reached through a proxy the test can cut; `None` (with a note)
    /// when `Services` is not configured.
    pub async fn in_front_of_a_server() -> Option<(TestApp, RedisProxy)> {
        let (Some(mut env), Some((_, redis))) = (TestEnv::new(Backend::Services), Backend::services()) else {
            eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
            return None;
        };
        let proxy = RedisProxy::start(&redis).await;
        env.set("REDIS_URL", &proxy.url);
        Some((env.spawn().await, proxy))
    }

    /// Starts a proxy to the Redis at `redis_url` (`redis://host:port`).
    pub async fn start(redis_url: &str) -> Self {
        let upstream = redis_url.trim_start_matches("redis://").trim_end_matches('/').to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("proxy cannot listen");
        let port = listener.local_addr().map(|a| a.port()).expect("proxy");
        let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let links: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (is_cut, open) = (cut.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if is_cut.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: the connection is refused in effect
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(link.abort_handle());
            }
        });
        Self { url: format!("redis://127.0.0.1:{port}"), cut, links }
    }

    /// Drops every open connection and refuses new ones.
    pub fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain(..) {
            link.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
pub mod selections;
