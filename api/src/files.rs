//! `GET /files/{token}`: an attachment's bytes behind a short-lived signed link (see
//! `edaibiao_infra::files::links`); `PUT /files/uploads/{token}`: a large file's bytes on the file system
//! store, behind a signed upload link (see `edaibiao_infra::files::uploads`). Never HTML, never sniffed by the browser: every answer carries
//! `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'`, and anything but a
//! picture is offered as a download (`Content-Disposition: attachment`).

use crate::http::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

fn hardened(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"));
    builder
}

/// Serves the file a valid, unexpired link names; 404 for anything else (expired, forged, gone).
pub async fn download(state: web::Data<AppState>, token: web::Path<String>) -> HttpResponse {
    let now = chrono::Utc::now().timestamp();
    let not_found = || hardened(HttpResponse::NotFound()).content_type("text/plain").body("not found");
    let Some(link) = state.services.files.links.open(&token, now) else { return not_found() };
    let opened =
        edaibiao_infra::files::open(&state.services.store, &state.services.files.storage, link).await;
    match opened {
        Ok(Some(file)) => {
            let disposition = if file.is_image { "inline" } else { "attachment" };
            // RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, percent-encoded.
            let encoded: String = file
                .name
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            hardened(HttpResponse::Ok())
                .content_type(file.media_type)
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("{disposition}; filename=\"file\"; filename*=UTF-8''{encoded}"),
                ))
                .body(file.bytes)
        }
        Ok(None) => not_found(),
        Err(err) => {
            tracing::error!(error = %err, "serving an attachment failed");
            hardened(HttpResponse::InternalServerError()).content_type("text/plain").body("internal error")
        }
    }
}

fn plain(builder: actix_web::HttpResponseBuilder, text: &'static str) -> HttpResponse {
    hardened(builder).content_type("text/plain").body(text)
}

/// `PUT /files/uploads/{token}`: the bytes of a large file announced with `requestUpload`, when the store
/// is the local file system (S3 takes them at its own presigned URL). The body may be at most the
/// announced size; 404 for an unknown, forged, expired or completed upload, 413 for a larger body, 204
/// once kept. `completeUpload` then checks and attaches them.
pub async fn upload(
    state: web::Data<AppState>,
    token: web::Path<String>,
    mut body: web::Payload,
) -> HttpResponse {
    use futures_util::StreamExt;
    let now = chrono::Utc::now().timestamp();
    let Some(id) = state.services.files.links.open_upload(&token, now) else {
        return plain(HttpResponse::NotFound(), "not found");
    };
    let store = &state.services.store;
    let limit = match edaibiao_infra::files::uploads::open_size(store, id).await {
        Ok(Some(limit)) => limit,
        Ok(None) => return plain(HttpResponse::NotFound(), "not found"),
        Err(err) => {
            tracing::error!(error = %err, "an upload failed");
            return plain(HttpResponse::InternalServerError(), "internal error");
        }
    };
    let mut bytes = Vec::with_capacity(limit.min(1024 * 1024));
    while let Some(chunk) = body.next().await {
        let Ok(chunk) = chunk else { return plain(HttpResponse::BadRequest(), "broken body") };
        if bytes.len() + chunk.len() > limit {
            return plain(HttpResponse::PayloadTooLarge(), "larger than announced");
        }
        bytes.extend_from_slice(&chunk);
    }
    match edaibiao_infra::files::uploads::receive(store, &state.services.files.storage, id, bytes).await {
        Ok(true) => hardened(HttpResponse::NoContent()).finish(),
        Ok(false) => plain(HttpResponse::NotFound(), "not found"),
        Err(err) => {
            tracing::error!(error = %err, "an upload failed");
            plain(HttpResponse::InternalServerError(), "internal error")
        }
    }
}
