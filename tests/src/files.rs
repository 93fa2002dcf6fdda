//! Uploads the way a phone sends them: the GraphQL multipart request spec (`operations`, `map`, then one
//! part per file), and the pictures tests send (a JPEG carrying an EXIF GPS position).

use crate::{Gql, TestApp};
use serde_json::{Value, json};

/// A 640 × 480 JPEG with an EXIF block holding a GPS position, the way a phone writes it (APP1 right
/// after SOI).
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut plain = Vec::new();
    let picture =
        image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90);
    image::DynamicImage::ImageRgb8(picture).write_with_encoder(encoder).expect("a JPEG");
    let exif = b"Exif\0\0MM\0\x2a\0\0\0\x08GPSLatitude=39.9042N;GPSLongitude=116.4074E";
    let length = u16::try_from(exif.len() + 2).expect("short").to_be_bytes();
    let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
    with_exif.extend_from_slice(exif);
    with_exif.extend_from_slice(&plain[2..]);
    with_exif
}

/// Whether bytes carry an EXIF block.
pub fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0")
}

/// A small, valid PDF.
pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n").into_bytes()
}

/// Sends `query` with `variables` as a multipart request whose variable `files_var` (a list) holds
/// `files` (name, bytes), as `token` (or signed out).
pub async fn multipart(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    files_var: &str,
    files: &[(&str, &[u8])],
) -> Gql {
    let boundary = "----edaibiao-test-boundary-7f3a";
    let mut variables = variables;
    variables[files_var] = Value::Array(files.iter().map(|_| Value::Null).collect());
    let operations = json!({ "query": query, "variables": variables });
    let map: serde_json::Map<String, Value> =
        (0..files.len()).map(|i| (i.to_string(), json!([format!("variables.{files_var}.{i}")]))).collect();
    let mut body = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part("Content-Disposition: form-data; name=\"operations\"".into(), operations.to_string().as_bytes());
    part("Content-Disposition: form-data; name=\"map\"".into(), Value::Object(map).to_string().as_bytes());
    for (i, (name, bytes)) in files.iter().enumerate() {
        part(
            format!(
                "Content-Disposition: form-data; name=\"{i}\"; filename=\"{name}\"\r\nContent-Type: image/jpeg"
            ),
            bytes,
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send_body(body).await.expect("upload failed");
    let status = response.status().as_u16();
    let bytes = response.body().limit(1024 * 1024).await.expect("no body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Gql { status, body }
}

/// `attachFiles(ownerId:, files:)` as `token`, selecting each attachment's ID, position, name, media
/// type, size, checksum and links.
pub async fn attach(app: &TestApp, token: Option<&str>, owner: &str, files: &[(&str, &[u8])]) -> Gql {
    const ATTACH: &str = "mutation($o: ID!, $f: [Upload!]!, $k: String) {
        attachFiles(ownerId: $o, files: $f, idempotencyKey: $k) {
        id position name mediaType size checksum url thumbnailUrl } }";
    multipart(app, token, ATTACH, json!({ "o": owner }), "f", files).await
}

/// A download: status, headers, bytes.
pub async fn download(app: &TestApp, url: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let mut response = app.client.get(url).send().await.expect("download failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.body().limit(16 * 1024 * 1024).await.expect("no body").to_vec();
    (status, headers, bytes)
}
