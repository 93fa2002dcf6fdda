//! Open311 GeoReport v2, read only (`/open311/v2/…`): the city's opinions for civic tools that speak
//! Open311. Categories are the services; requests are opinions as `domain::opinion::publish` shows them —
//! no text anyone wrote, no contact, the point rounded to about 100 m. JSON only. Public, without login,
//! cacheable for a minute and readable from any origin (CORS): it holds nothing private.
//!
//! `requests.json` takes `service_request_id` (comma-separated, up to 50), `service_code` (comma-separated),
//! `status` (`open`, `closed` or both), `start_date` and `end_date` (W3C date-times; the span is at most 90
//! days and defaults to the 90 days before `end_date`, which defaults to now) and `jurisdiction_id` (a
//! congress's global ID); it answers the newest 200 at most. Errors are the spec's list of
//! `{code, description}` with that HTTP status.

use crate::graphql::ids::{self, NodeKind};
use crate::http::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::ID;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use edaibiao_domain::opinion::OpinionCategory;
use edaibiao_domain::time::CHINA_STANDARD_TIME;
use edaibiao_infra::opinions::published::{self, Published, PublishedFilter};
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

/// The most requests one answer holds.
const MAX_REQUESTS: u64 = 200;
/// The longest span between `start_date` and `end_date`, and the default one.
const MAX_SPAN_DAYS: i64 = 90;
/// The most ids `service_request_id` may list.
const MAX_IDS: usize = 50;

/// `GET /open311/v2/discovery.json`.
pub async fn discovery(state: web::Data<AppState>) -> HttpResponse {
    let base = format!("{}/open311/v2/", state.services.public_base_url);
    json_response(
        StatusCode::OK,
        &json!({
            "changeset": "2026-12-06T00:00:00+08:00",
            "contact": "人大常委会办公厅",
            "key_service": "",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-12-06T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json"],
            }],
        }),
    )
}

/// `GET /open311/v2/services.json`: one service per opinion category.
pub async fn services() -> HttpResponse {
    let list: Vec<Value> = OpinionCategory::ALL
        .iter()
        .map(|c| {
            json!({
                "service_code": c.as_str(),
                "service_name": c.label(),
                "description": format!("群众通过人大代表和代表联络站反映的{}方面的问题", c.label()),
                "metadata": false,
                "type": "realtime",
                "keywords": c.label(),
                "group": "社情民意",
            })
        })
        .collect();
    json_response(StatusCode::OK, &Value::Array(list))
}

/// `GET /open311/v2/services/{code}.json`: no service has attributes to define (`metadata` is false).
pub async fn service_definition() -> HttpResponse {
    refuse(StatusCode::NOT_FOUND, "no service here has a definition: every one is metadata=false")
}

/// `GET /open311/v2/requests.json`.
pub async fn requests(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let filter = match read_filter(req.query_string(), Utc::now()) {
        Ok(filter) => filter,
        Err(reason) => return refuse(StatusCode::BAD_REQUEST, &reason),
    };
    answer(&state, &filter).await
}

/// `GET /open311/v2/requests/{id}.json`: one request, as a list of one.
pub async fn request(state: web::Data<AppState>, file: web::Path<String>) -> HttpResponse {
    let found = file.strip_suffix(".json").and_then(|id| Uuid::parse_str(id).ok());
    let Some(id) = found else {
        return refuse(StatusCode::NOT_FOUND, "no such service request");
    };
    let filter = PublishedFilter { ids: vec![id], limit: 1, ..PublishedFilter::default() };
    match published::list(&state.services.store, &filter).await {
        Ok(list) if list.is_empty() => refuse(StatusCode::NOT_FOUND, "no such service request"),
        Ok(list) => listed(&list),
        Err(err) => unavailable(&err),
    }
}

/// Any write: this endpoint only publishes.
pub async fn read_only() -> HttpResponse {
    refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint only publishes; citizens raise matters through a deputy's QR code or a liaison station",
    )
}

async fn answer(state: &AppState, filter: &PublishedFilter) -> HttpResponse {
    match published::list(&state.services.store, filter).await {
        Ok(list) => listed(&list),
        Err(err) => unavailable(&err),
    }
}

/// The spec's list of requests.
fn listed(list: &[Published]) -> HttpResponse {
    json_response(StatusCode::OK, &Value::Array(list.iter().map(request_json).collect()))
}

fn unavailable(err: &edaibiao_infra::Error) -> HttpResponse {
    tracing::error!(error = %err, "open311 failed");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "the service is unavailable; try again later")
}

/// The query of `requests.json`, read strictly: an unreadable value is a 400 naming it.
fn read_filter(query: &str, now: DateTime<Utc>) -> Result<PublishedFilter, String> {
    let params: HashMap<String, String> =
        serde_urlencoded::from_str(query).map_err(|_| "the query string cannot be read".to_owned())?;
    let list = |name: &str| -> Vec<String> {
        params
            .get(name)
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let ids = list("service_request_id")
        .iter()
        .map(|id| Uuid::parse_str(id).map_err(|_| format!("service_request_id {id:?} is not a request id")))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.len() > MAX_IDS {
        return Err(format!("service_request_id lists at most {MAX_IDS} ids"));
    }
    let categories = list("service_code")
        .iter()
        .map(|c| OpinionCategory::parse(c).map_err(|_| format!("service_code {c:?} is not a service")))
        .collect::<Result<Vec<_>, _>>()?;
    let statuses = list("status");
    let closed = match (statuses.iter().any(|s| s == "open"), statuses.iter().any(|s| s == "closed")) {
        _ if statuses.iter().any(|s| s != "open" && s != "closed") => {
            return Err("status is open, closed, or both".to_owned());
        }
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    };
    let date = |name: &str| -> Result<Option<DateTime<Utc>>, String> {
        params
            .get(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(v.trim())
                    .map(|d| d.with_timezone(&Utc))
                    .map_err(|_| format!("{name} must be a W3C date-time like 2026-12-01T00:00:00+08:00"))
            })
            .transpose()
    };
    let to = date("end_date")?.unwrap_or(now);
    let from = date("start_date")?.unwrap_or(to - Duration::days(MAX_SPAN_DAYS));
    if from > to {
        return Err("start_date is after end_date".to_owned());
    }
    if to - from > Duration::days(MAX_SPAN_DAYS) {
        return Err(format!("start_date and end_date are at most {MAX_SPAN_DAYS} days apart"));
    }
    let congress_id = params
        .get("jurisdiction_id")
        .map(|j| {
            ids::decode(NodeKind::Congress, "jurisdiction_id", &ID(j.clone()))
                .map_err(|_| "jurisdiction_id is not a congress's ID".to_owned())
        })
        .transpose()?;
    Ok(PublishedFilter {
        ids,
        categories,
        congress_id,
        from: Some(from),
        to: Some(to),
        closed,
        limit: MAX_REQUESTS,
    })
}

fn w3c(at: DateTime<Utc>) -> String {
    at.with_timezone(&CHINA_STANDARD_TIME).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// One request in GeoReport v2's fields; what is not published is null.
fn request_json(p: &Published) -> Value {
    let o = &p.opinion;
    json!({
        "service_request_id": o.id.to_string(),
        "status": if o.closed { "closed" } else { "open" },
        "status_notes": o.status_note,
        "service_name": o.category.label(),
        "service_code": o.category.as_str(),
        "description": Value::Null,
        "agency_responsible": p.agency,
        "service_notice": Value::Null,
        "requested_datetime": w3c(o.requested_at),
        "updated_datetime": w3c(o.updated_at),
        "expected_datetime": Value::Null,
        "address": Value::Null,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": o.position.map(|(lat, _)| lat),
        "long": o.position.map(|(_, lon)| lon),
        "media_url": Value::Null,
    })
}

fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "application/json; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .insert_header((ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body.to_string())
}

/// The spec's error list.
fn refuse(status: StatusCode, description: &str) -> HttpResponse {
    json_response(status, &json!([{ "code": status.as_u16(), "description": description }]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_read_strictly() {
        let now = Utc::now();
        let all = read_filter("", now).unwrap_or_default();
        assert_eq!((all.from, all.to, all.limit), (Some(now - Duration::days(90)), Some(now), 200));
        let f = read_filter("service_code=TRANSPORT,HEALTH&status=closed", now).unwrap_or_default();
        assert_eq!((f.categories.len(), f.closed), (2, Some(true)));
        for bad in [
            "service_code=PARKING",
            "status=pending",
            "start_date=yesterday",
            "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            "start_date=2026-06-02T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            "service_request_id=12",
            "jurisdiction_id=abc",
        ] {
            assert!(read_filter(bad, now).is_err(), "{bad}");
        }
        let many = vec![Uuid::nil().to_string(); 51].join(",");
        assert!(read_filter(&format!("service_request_id={many}"), now).is_err(), "at most 50 ids");
    }
}
