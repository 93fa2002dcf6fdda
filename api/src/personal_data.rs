//! `GET /me/personal-data.json`: the logged-in person's copy of their personal data (PIPL art. 45) as a
//! JSON download (`infra::personal_data` says what it holds). Errors are JSON in the GraphQL error shape:
//! 401 without a valid token. Never cached on the way.

use crate::auth::authenticate;
use crate::graphql::error::ApiError;
use crate::http::{AppState, error_response, error_response_with_status};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use edaibiao_infra::personal_data;

pub async fn download(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let services = &state.services;
    let header = req.headers().get(AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let auth = match authenticate(&services.store, &services.keys, header).await {
        Ok(auth) => auth,
        Err(err) => return error_response_with_status(StatusCode::UNAUTHORIZED, err.into()),
    };
    let Some(viewer) = auth.viewer() else {
        return error_response(ApiError::unauthenticated());
    };
    let copy =
        match personal_data::copy(&services.store, &services.opinions.vault, viewer.actor.user_id).await {
            Ok(copy) => copy,
            Err(err) => return error_response(err.into()),
        };
    match serde_json::to_vec_pretty(&copy) {
        Ok(body) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "application/json; charset=utf-8"))
            .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"e-daibiao-personal-data.json\""))
            .insert_header((CACHE_CONTROL, "private, no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(body),
        Err(e) => error_response(edaibiao_infra::Error::Internal(format!("personal data copy: {e}")).into()),
    }
}
