//! GraphQL over HTTP, as the GraphQL Foundation's spec has it (its audit suite passes: see the README).
//!
//! - **Media types.** A client that accepts `application/graphql-response+json` gets it, and with it the
//!   spec's statuses: a request that could not run (bad syntax, unknown field, variables that do not fit,
//!   limits) answers 4xx with no `data`. A client that accepts `application/json`, `*/*` or says nothing
//!   gets `application/json` and 200 for every well-formed request, as before. Accepting neither is 406.
//! - **POST** needs `Content-Type: application/json` (415 otherwise) and a JSON object whose `query` is a
//!   string, `operationName` a string or null, `variables` and `extensions` objects or null (400 otherwise).
//! - **GET** takes the same parameters from the URL (`variables` and `extensions` as JSON text) and runs
//!   only queries: a mutation answers 405 with `Allow: POST`. A browser (that asks for HTML) gets GraphiQL
//!   instead, outside production.
//! - **Persisted queries** ([`crate::graphql::persisted`]) over both methods.
//! - **Conditional GET** ([`super::revalidation`]): a query's clean answer carries an `ETag`, and
//!   `If-None-Match` with it answers 304 without a body while nothing changed.
//! - **Page cache** ([`super::page_cache`]): a query that resolved only keepable fields is answered from
//!   memory next time, while nothing has changed.
//!
//! Every refusal, at any status, is a GraphQL error with `extensions.code`.

use super::page_cache::{Page, PageKey};
use super::{AppState, error_response_with_status, read_body, read_body_up_to};
use crate::auth::authenticate;
use crate::graphql::cacheable::{self, Probe};
use crate::graphql::error::{ApiError, ErrorCode};
use crate::graphql::guard::ReadOnly;
use crate::graphql::loaders;
use crate::graphql::persisted::PersistedError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType, Header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use serde_json::{Map, Value};

/// What a response is written in, as the request's `Accept` header chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: request errors answer 4xx without `data`.
    GraphqlResponse,
    /// `application/json`: every well-formed request answers 200 (the legacy behaviour clients rely on).
    Json,
}

impl MediaType {
    pub const GRAPHQL_RESPONSE: &'static str = "application/graphql-response+json";

    fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json",
        }
    }

    /// The most preferred type this server writes; `application/json` when the client states no
    /// preference (no header, or one that cannot be read); `None` when it accepts neither.
    pub fn negotiate(req: &HttpRequest) -> Option<Self> {
        if !req.headers().contains_key(header::ACCEPT) {
            return Some(MediaType::Json);
        }
        let Ok(accept) = header::Accept::parse(req) else { return Some(MediaType::Json) };
        let mut best: Option<(header::Quality, bool, MediaType)> = None;
        for item in accept.iter() {
            if item.quality == header::Quality::ZERO {
                continue;
            }
            let (exact, media) = match item.item.essence_str() {
                Self::GRAPHQL_RESPONSE => (true, MediaType::GraphqlResponse),
                "application/json" => (true, MediaType::Json),
                "*/*" | "application/*" => (false, MediaType::Json),
                _ => continue,
            };
            // Higher quality wins; at equal quality a named type beats a wildcard; then the first listed.
            if best.is_none_or(|(q, e, _)| item.quality > q || (item.quality == q && exact && !e)) {
                best = Some((item.quality, exact, media));
            }
        }
        best.map(|(_, _, media)| media)
    }

    /// Whether a browser is asking for a page rather than a GraphQL response.
    fn wants_html(req: &HttpRequest) -> bool {
        header::Accept::parse(req)
            .is_ok_and(|accept| accept.ranked().first().is_some_and(|m| m.essence_str() == "text/html"))
    }
}

/// A request refused before it reached the schema.
struct Refused {
    status: StatusCode,
    error: ApiError,
}

impl Refused {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status, error: ApiError::new(code, message) }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    fn respond(self, media: MediaType) -> HttpResponse {
        let mut response = error_response_with_status(self.status, self.error);
        set_content_type(&mut response, media);
        response
    }
}

fn set_content_type(response: &mut HttpResponse, media: MediaType) {
    if let Ok(value) = header::HeaderValue::from_str(media.content_type()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

/// The parameters of a GraphQL-over-HTTP request, each of the type the spec requires.
#[derive(Debug, Default, PartialEq)]
struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Map<String, Value>,
    extensions: Map<String, Value>,
}

impl Params {
    /// From a POST body's JSON object.
    fn from_body(body: &[u8]) -> Result<Self, Refused> {
        let value: Value = serde_json::from_slice(body).map_err(|_| {
            Refused::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadUserInput,
                "the body must be a GraphQL request in JSON",
            )
        })?;
        let Value::Object(mut object) = value else {
            return Err(Refused::bad_request("the body must be a JSON object"));
        };
        let mut take = |name: &str| object.remove(name).filter(|v| !v.is_null());
        Ok(Self {
            query: take("query").map(|v| string(v, "query")).transpose()?,
            operation_name: take("operationName").map(|v| string(v, "operationName")).transpose()?,
            variables: take("variables").map(|v| map(v, "variables")).transpose()?.unwrap_or_default(),
            extensions: take("extensions").map(|v| map(v, "extensions")).transpose()?.unwrap_or_default(),
        })
    }

    /// From a GET request's URL: `variables` and `extensions` are JSON text there.
    fn from_url(query_string: &str) -> Result<Self, Refused> {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query_string)
            .map_err(|_| Refused::bad_request("the URL's parameters cannot be read"))?
            .into_inner();
        let mut params = Self::default();
        let mut seen = std::collections::HashSet::new();
        for (name, value) in pairs {
            if !seen.insert(name.clone()) {
                return Err(Refused::bad_request(format!("the parameter {name} is given twice")));
            }
            let json = |name: &str| -> Result<Map<String, Value>, Refused> {
                match serde_json::from_str::<Value>(&value) {
                    Ok(Value::Null) => Ok(Map::new()),
                    Ok(v) => map(v, name),
                    Err(_) => Err(Refused::bad_request(format!("{name} must be a JSON object"))),
                }
            };
            match name.as_str() {
                "query" => params.query = Some(value),
                "operationName" => params.operation_name = Some(value).filter(|v| !v.is_empty()),
                "variables" => params.variables = json("variables")?,
                "extensions" => params.extensions = json("extensions")?,
                _ => {}
            }
        }
        Ok(params)
    }
}

fn string(value: Value, name: &str) -> Result<String, Refused> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(Refused::bad_request(format!("{name} must be a string"))),
    }
}

fn map(value: Value, name: &str) -> Result<Map<String, Value>, Refused> {
    match value {
        Value::Object(m) => Ok(m),
        _ => Err(Refused::bad_request(format!("{name} must be an object"))),
    }
}

/// `POST /graphql`.
pub async fn post(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let Some(media) = MediaType::negotiate(&req) else { return not_acceptable() };
    if req.mime_type().ok().flatten().is_some_and(|m| m.essence_str() == "multipart/form-data") {
        return multipart(&state, &req, media, payload).await;
    }
    if let Err(refused) = json_content_type(&req) {
        return refused.respond(media);
    }
    let body = match read_body(&req, payload).await {
        Ok(body) => body,
        Err(mut refused) => {
            set_content_type(&mut refused, media);
            return refused;
        }
    };
    match Params::from_body(&body) {
        Ok(params) => run(&state, &req, media, params, false, Vec::new()).await,
        Err(refused) => refused.respond(media),
    }
}

/// `GET /graphql`: GraphiQL for a browser outside production, otherwise a query from the URL.
pub async fn get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if state.dev_tools && MediaType::wants_html(&req) {
        return super::graphiql(state).await;
    }
    let Some(media) = MediaType::negotiate(&req) else { return not_acceptable() };
    let mut response = match Params::from_url(req.query_string()) {
        Ok(params) => run(&state, &req, media, params, true, Vec::new()).await,
        Err(refused) => refused.respond(media),
    };
    // One URL answers in two media types (and GraphiQL), and for whoever the token names: caches must key
    // on both.
    response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept, authorization"));
    response
}

/// The largest multipart body: the most files of the largest size, and room for the operation.
const MAX_MULTIPART_BYTES: usize = 32 * 1024 * 1024;

/// A POST in the GraphQL multipart request spec's form (files for `Upload` variables): the operation and
/// its files, each at most `MAX_FILE_BYTES`, at most `MAX_FILES_PER_REQUEST` of them and at most
/// `MAX_MULTIPART_BYTES` in all; more is refused with `PAYLOAD_TOO_LARGE` before anything is stored.
async fn multipart(
    state: &AppState,
    req: &HttpRequest,
    media: MediaType,
    payload: web::Payload,
) -> HttpResponse {
    use edaibiao_domain::attachment::{MAX_FILE_BYTES, MAX_FILES_PER_REQUEST};
    let body = match read_body_up_to(req, payload, MAX_MULTIPART_BYTES).await {
        Ok(body) => body.freeze(),
        Err(mut refused) => {
            set_content_type(&mut refused, media);
            return refused;
        }
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let options = async_graphql::http::MultipartOptions::default()
        .max_file_size(MAX_FILE_BYTES)
        .max_num_files(MAX_FILES_PER_REQUEST);
    let parsed =
        async_graphql::http::receive_body(content_type, futures_util::io::Cursor::new(body), options).await;
    let request = match parsed {
        Ok(request) => request,
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
            return Refused::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                format!(
                    "each file may have at most {MAX_FILE_BYTES} bytes, at most {MAX_FILES_PER_REQUEST} files"
                ),
            )
            .respond(media);
        }
        Err(err) => {
            return Refused::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                format!("bad multipart request: {err}"),
            )
            .respond(media);
        }
    };
    let as_map = |value: Value| match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let variables = serde_json::to_value(&request.variables).map(as_map).unwrap_or_default();
    let extensions = serde_json::to_value(&request.extensions).map(as_map).unwrap_or_default();
    let params =
        Params { query: Some(request.query), operation_name: request.operation_name, variables, extensions };
    run(state, req, media, params, false, request.uploads).await
}

/// Any other method on `/graphql`.
pub async fn other_method() -> HttpResponse {
    let mut response =
        Refused::new(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, "use GET or POST")
            .respond(MediaType::Json);
    response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("GET, POST"));
    response
}

fn not_acceptable() -> HttpResponse {
    Refused::new(
        StatusCode::NOT_ACCEPTABLE,
        ErrorCode::BadRequest,
        "accept application/graphql-response+json or application/json",
    )
    .respond(MediaType::Json)
}

/// A POST body must be JSON, in UTF-8 (the spec's only encoding).
fn json_content_type(req: &HttpRequest) -> Result<(), Refused> {
    let unsupported = || {
        Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BadRequest,
            "send the request as Content-Type: application/json",
        )
    };
    let mime = req.mime_type().map_err(|_| unsupported())?.ok_or_else(unsupported)?;
    if mime.essence_str() != "application/json" {
        return Err(unsupported());
    }
    match mime.get_param(actix_web::mime::CHARSET) {
        Some(charset) if !charset.as_str().eq_ignore_ascii_case("utf-8") => Err(unsupported()),
        _ => Ok(()),
    }
}

/// Resolves the document, authenticates, runs, and answers in `media`.
async fn run(
    state: &AppState,
    req: &HttpRequest,
    media: MediaType,
    params: Params,
    read_only: bool,
    uploads: Vec<async_graphql::UploadValue>,
) -> HttpResponse {
    let resolved = match state.persisted.resolve(params.query, &params.extensions).await {
        Ok(resolved) => resolved,
        Err(refused) => {
            // A hash the server does not know is a GraphQL-level answer (Apollo's link registers the text
            // next); a malformed extension is a malformed request, 400 in either media type.
            let status = match refused {
                PersistedError::NotFound => not_run_status(refused.code(), media),
                _ => refused.code().status(),
            };
            let mut response = Refused::new(status, refused.code(), refused.to_string()).respond(media);
            // A miss must not be cached: the client registers the document next.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            return response;
        }
    };
    let token = req.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let auth = match authenticate(&state.services.store, &state.services.keys, token).await {
        Ok(auth) => auth,
        Err(err) => return Refused { status: StatusCode::UNAUTHORIZED, error: err.into() }.respond(media),
    };
    let register = resolved.register.then(|| resolved.query.clone());
    let document =
        uploads.is_empty().then(|| state.pages.document(&resolved.query, params.operation_name.as_deref()));
    // Only a document that was keepable before is worth its key and an epoch read.
    let page_key = document.filter(|d| state.pages.worth_asking(*d)).map(|_| PageKey {
        viewer: auth.viewer().map(|viewer| viewer.actor.clone()),
        representation: media.content_type(),
        conditional: read_only,
        operation_name: params.operation_name.clone(),
        variables: serde_json::to_string(&params.variables).unwrap_or_default(),
        query: resolved.query.clone(),
    });
    // A kept answer is fresh while the epochs of the list parts it read (and the global one) are unmoved.
    let store = &state.services.store;
    if let Some(key) = &page_key
        && !asks_for_fresh(req)
        && let Some(parts) = state.pages.parts_of(key)
        && let Some(stamp) = store.data_stamp(&parts).await
        && let Some(page) = state.pages.get(key, &stamp)
    {
        // The text came with its hash (Apollo's second try): register it, or the hash alone stays unknown.
        if let Some(query) = register {
            state.persisted.register(&query).await;
        }
        return kept(req, media, page, "hit");
    }
    // Not kept, or not fresh: the epochs of every part the viewer's lists may read, before the query runs.
    let asked = page_key.as_ref().map(|key| cacheable::parts_read(key.viewer.as_ref()));
    let stamp = match &asked {
        Some(parts) => store.data_stamp(parts).await,
        None => None,
    };
    let probe = std::sync::Arc::new(Probe::default());
    let mut request = async_graphql::Request::new(resolved.query)
        .variables(async_graphql::Variables::from_json(Value::Object(params.variables)))
        .data(auth)
        .data(probe.clone())
        .data(state.trusted_proxies.client_address(req))
        .data(loaders::loaders(state.services.store.clone()));
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if read_only {
        request = request.data(ReadOnly);
    }
    request.uploads = uploads;
    let response = state.schema.execute(request).await;
    let refused = is_request_error(&response);
    if let Some(query) = register.filter(|_| !refused) {
        state.persisted.register(&query).await;
    }
    if !refused {
        if let Some(document) = document.filter(|_| response.errors.is_empty() && probe.cacheable()) {
            let Ok(body) = serde_json::to_vec(&response) else {
                return HttpResponse::InternalServerError().finish();
            };
            let tag = read_only.then(|| super::revalidation::tag(media.content_type(), &response));
            let page = Page { body: body.into(), tag };
            state.pages.learn(document);
            if let (Some(key), Some(stamp), Some(asked)) = (page_key, stamp, asked) {
                // Kept against the parts the answer said it read (all the viewer's when it said nothing).
                let parts = probe.parts_read().unwrap_or_else(|| asked.clone());
                if let Some(stamp) = stamp.narrowed(&asked, &parts) {
                    state.pages.put(key, parts, stamp, page.clone());
                }
            }
            return kept(req, media, page, "miss");
        }
        // A GET that ran cleanly can be revalidated; an answer with errors may be transient, so it is not.
        if read_only && response.errors.is_empty() {
            return super::revalidation::respond(req, media.content_type(), &response);
        }
        return HttpResponse::Ok().insert_header(content_type(media)).json(response);
    }
    let code =
        response.errors.first().and_then(|e| e.extensions.as_ref()).and_then(|e| e.get("code")).and_then(
            |c| match c {
                async_graphql::Value::String(s) => ErrorCode::parse(s),
                _ => None,
            },
        );
    let status = not_run_status(code.unwrap_or(ErrorCode::BadRequest), media);
    let mut builder = HttpResponse::build(status);
    builder.insert_header(content_type(media));
    if status == StatusCode::METHOD_NOT_ALLOWED {
        builder.insert_header((header::ALLOW, "POST"));
    }
    match media {
        MediaType::Json => builder.json(response),
        // The spec: a request that did not execute has no `data` entry at all.
        MediaType::GraphqlResponse => builder.json(serde_json::json!({ "errors": response.errors })),
    }
}

/// Whether the client asked for an answer fresh from the data (`Cache-Control: no-cache`, as a pull to
/// refresh may send).
fn asks_for_fresh(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::CACHE_CONTROL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("no-cache"))
}

/// A keepable answer, served from the page cache (`X-Cache: hit`) or just computed (`miss`): a GET's with
/// its tag (and 304 when the client holds it), a POST's as it is.
fn kept(req: &HttpRequest, media: MediaType, page: Page, how: &'static str) -> HttpResponse {
    metrics::counter!("page_cache_answers_total", "outcome" => how).increment(1);
    let mut response = match page.tag {
        Some(tag) => super::revalidation::respond_tagged(req, media.content_type(), tag, page.body),
        None => HttpResponse::Ok().insert_header(content_type(media)).body(page.body),
    };
    response
        .headers_mut()
        .insert(header::HeaderName::from_static("x-cache"), header::HeaderValue::from_static(how));
    response
}

/// The status of a request that did not run, by its code: the code's own status for
/// `application/graphql-response+json`; 200 for `application/json` clients (the contract they were built
/// on), except a method the operation may not use, which is 405 whatever is accepted (the spec's MUST).
fn not_run_status(code: ErrorCode, media: MediaType) -> StatusCode {
    match (code, media) {
        (ErrorCode::MethodNotAllowed, _) => StatusCode::METHOD_NOT_ALLOWED,
        (_, MediaType::Json) => StatusCode::OK,
        (code, MediaType::GraphqlResponse) => code.status(),
    }
}

fn content_type(media: MediaType) -> ContentType {
    ContentType(media.content_type().parse().unwrap_or(actix_web::mime::APPLICATION_JSON))
}

/// Whether the request failed before execution (parse, validation, variables, limits): `data` is null and
/// no error has a path. An execution error nulling the whole result still has its field's path.
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn negotiated(accept: Option<&str>) -> Option<MediaType> {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        MediaType::negotiate(&req.to_http_request())
    }

    #[test]
    fn negotiates_the_media_type() {
        use MediaType::*;
        assert_eq!(negotiated(None), Some(Json));
        assert_eq!(negotiated(Some("*/*")), Some(Json));
        assert_eq!(negotiated(Some("application/json")), Some(Json));
        assert_eq!(negotiated(Some("application/graphql-response+json")), Some(GraphqlResponse));
        assert_eq!(
            negotiated(Some("application/graphql-response+json, application/json;q=0.9")),
            Some(GraphqlResponse)
        );
        assert_eq!(negotiated(Some("application/json, application/graphql-response+json;q=0.5")), Some(Json));
        assert_eq!(negotiated(Some("*/*, application/graphql-response+json")), Some(GraphqlResponse));
        assert_eq!(negotiated(Some("application/graphql-response+json;q=0, */*")), Some(Json));
        assert_eq!(negotiated(Some("text/html")), None);
        assert_eq!(negotiated(Some("application/xml, text/plain")), None);
    }

    #[test]
    fn reads_parameters_of_the_right_types_only() {
        let ok = Params::from_body(
            br#"{"query":"{ a }","operationName":null,"variables":{"x":1},"extensions":null}"#,
        );
        let ok = ok.map_err(|r| r.status).unwrap_or_default();
        assert_eq!(ok.query.as_deref(), Some("{ a }"));
        assert_eq!(ok.variables.get("x"), Some(&Value::from(1)));
        for bad in [
            r#"[]"#,
            r#"{"query":1}"#,
            r#"{"query":{"obj":"ect"}}"#,
            r#"{"query":"{ a }","operationName":0}"#,
            r#"{"query":"{ a }","variables":"{}"}"#,
            r#"{"query":"{ a }","variables":["array"]}"#,
            r#"{"query":"{ a }","extensions":"x"}"#,
        ] {
            let refused = Params::from_body(bad.as_bytes()).err().map(|r| r.status);
            assert_eq!(refused, Some(StatusCode::BAD_REQUEST), "{bad}");
        }
        let url = Params::from_url("query=%7B%20a%20%7D&variables=%7B%22x%22%3A1%7D&operationName=");
        let url = url.map_err(|r| r.status).unwrap_or_default();
        assert_eq!((url.query.as_deref(), url.operation_name), (Some("{ a }"), None));
        assert_eq!(url.variables.get("x"), Some(&Value::from(1)));
        for bad in ["query=a&query=b", "query=a&variables=%5B%5D", "query=a&extensions=nope"] {
            assert_eq!(Params::from_url(bad).err().map(|r| r.status), Some(StatusCode::BAD_REQUEST), "{bad}");
        }
    }
}
