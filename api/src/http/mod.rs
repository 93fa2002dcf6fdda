//! HTTP endpoints: GraphQL over HTTP ([`graphql`]), GraphiQL (outside production), health and metrics.

pub mod graphql;
pub mod page_cache;
pub mod revalidation;

use crate::graphql::error::{ApiError, ErrorCode};
use crate::graphql::persisted::Persisted;
use crate::graphql::{AppSchema, Services};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, ContentType, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use edaibiao_infra::db;
use metrics_exporter_prometheus::PrometheusHandle;
use serde_json::json;

/// Largest GraphQL request body accepted, in bytes. Queries are small; uploads do not go through here.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every handler shares.
pub struct AppState {
    pub schema: AppSchema,
    pub services: Services,
    pub metrics: PrometheusHandle,
    pub dev_tools: bool,
    /// How this instance's outbox relay is doing.
    pub relay: std::sync::Arc<edaibiao_infra::outbox::RelayHealth>,
    /// Whose forwarding headers name the client.
    pub trusted_proxies: crate::client::TrustedProxies,
    /// What `/metrics` asks for; `None`: open outside production, hidden in it.
    pub metrics_token: Option<crate::config::Secret>,
    /// Documents registered by hash, or only the trusted ones.
    pub persisted: Persisted,
    /// Finished answers this instance keeps.
    pub pages: page_cache::PageCache,
    /// Subscriptions running here, shared by the sockets that asked the same.
    pub live: crate::ws::Live,
}

/// A GraphQL-shaped error response outside the executor (bad body, refused token), with the status of
/// its code and, when rate-limited, `Retry-After`.
pub(crate) fn error_response(error: ApiError) -> HttpResponse {
    error_response_with_status(error.code().status(), error)
}

/// [`error_response`] with a status chosen by the caller (GraphQL over HTTP decides by media type).
pub(crate) fn error_response_with_status(status: StatusCode, error: ApiError) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if let Some(secs) = error.retry_after_secs() {
        response.insert_header((RETRY_AFTER, secs.to_string()));
    }
    let error: async_graphql::Error = error.into();
    let body = json!({ "errors": [{ "message": error.message, "extensions": error.extensions }] });
    response.json(body)
}

/// The body, read up to [`MAX_BODY_BYTES`]; a larger one is refused with 413 in the GraphQL error shape
/// (`PAYLOAD_TOO_LARGE`), as soon as its length says so or once reading passes the limit.
pub(crate) async fn read_body(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<web::BytesMut, HttpResponse> {
    read_body_up_to(req, payload, MAX_BODY_BYTES).await
}

/// [`read_body`] with another limit (multipart uploads).
pub(crate) async fn read_body_up_to(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::BytesMut, HttpResponse> {
    use futures_util::StreamExt;
    let too_large = || {
        error_response(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the body may have at most {limit} bytes"),
        ))
    };
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            error_response(ApiError::new(ErrorCode::BadRequest, "the body could not be read"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub async fn graphiql(state: web::Data<AppState>) -> HttpResponse {
    if !state.dev_tools {
        return HttpResponse::NotFound().finish();
    }
    let page = crate::graphiql::page("/graphql", "e代表 GraphQL");
    HttpResponse::Ok().content_type(ContentType::html()).body(page)
}

/// 200 while the database answers, 503 when it does not. A Redis outage is reported as `degraded` but
/// keeps 200: the instance still serves queries and mutations, and live messages wait in the outbox.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let store = &state.services.store;
    let database = db::ping(&store.db).await;
    let cache = store.cache.ping().await.is_ok();
    let listening = store.bus.is_listening();
    let relaying = !state.relay.is_failing();
    let live = state.live.counts();
    let backlog = if database { edaibiao_infra::outbox::backlog(store).await.ok() } else { None };
    let status = if !database {
        "down"
    } else if cache && listening && relaying {
        "ok"
    } else {
        "degraded"
    };
    let word = |up: bool| if up { "up" } else { "down" };
    let code = if database { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    HttpResponse::build(code).json(json!({
        "status": status,
        "database": word(database),
        "cache": { "backend": store.cache.backend_name(), "status": word(cache) },
        "bus": {
            "backend": store.bus.backend_name(),
            "listening": listening,
            "relay": if relaying { "ok" } else { "failing" },
            "outboxBacklog": backlog,
            "liveTopics": store.bus.hub().topic_count(),
            "subscriptions": { "executions": live.executions, "operations": live.members },
        },
    }))
}

/// Prometheus text format, for the bearer of `METRICS_TOKEN`; without one configured, open outside
/// production and hidden (404) in it, since series names and counts tell an attacker what works.
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    match &state.metrics_token {
        Some(token) => {
            let given = req
                .headers()
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            if !given.is_some_and(|given| constant_time_eq(given.as_bytes(), token.expose().as_bytes())) {
                return HttpResponse::Unauthorized().insert_header(("WWW-Authenticate", "Bearer")).finish();
            }
        }
        None if !state.dev_tools => return HttpResponse::NotFound().finish(),
        None => {}
    }
    let (size, idle) = db::pool_stats(&state.services.store.db);
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    metrics::gauge!("db_statements").set(state.services.store.statements_run() as f64);
    metrics::gauge!("outbox_published").set(state.relay.published() as f64);
    metrics::gauge!("bus_live_topics").set(state.services.store.bus.hub().topic_count() as f64);
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(state.metrics.render())
}

/// Compares secrets in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How many SQL statements this instance has run, outside production: lets tests prove that a list costs
/// a fixed number of queries (no N+1).
pub async fn sql_statements(state: web::Data<AppState>) -> HttpResponse {
    if !state.dev_tools {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::Ok().json(json!({ "statements": state.services.store.statements_run() }))
}
