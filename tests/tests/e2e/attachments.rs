//! Attachments end to end: a phone's photo goes through a multipart upload, loses its EXIF block, gets a
//! thumbnail, and comes back through a short-lived signed link; those who may not see the suggestion
//! cannot list or add its files; hostile and oversized uploads are refused with codes. On the local
//! file system, and on S3 when `TEST_S3_URL` names an S3-compatible server (as `.ci/run` starts one).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{Gql, TestApp, e2e, str_of};
use serde_json::{Value, json};

const ATTACH: &str =
    "mutation($s: ID!, $f: [Upload!]!) { attachFilesToSuggestion(suggestionId: $s, files: $f) {
    position name mediaType size checksum url thumbnailUrl } }";
const LIST: &str =
    "query($s: ID!) { suggestionAttachments(suggestionId: $s) { position name mediaType url } }";

/// A JPEG with an EXIF block holding a GPS position, the way a phone writes it (APP1 right after SOI).
fn jpeg_with_gps() -> Vec<u8> {
    let mut plain = Vec::new();
    let picture =
        image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90);
    image::DynamicImage::ImageRgb8(picture).write_with_encoder(encoder).unwrap();
    let exif = b"Exif\0\0MM\0\x2a\0\0\0\x08GPSLatitude=39.9042N;GPSLongitude=116.4074E";
    let length = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
    with_exif.extend_from_slice(exif);
    with_exif.extend_from_slice(&plain[2..]);
    with_exif
}

fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0")
}

/// Sends `ATTACH` as the GraphQL multipart request spec has it: `operations`, `map`, then one part per file.
async fn upload(app: &TestApp, token: &str, suggestion: &str, files: &[(&str, &[u8])]) -> Gql {
    let boundary = "----edaibiao-test-boundary-7f3a";
    let nulls: Vec<Value> = files.iter().map(|_| Value::Null).collect();
    let operations = json!({ "query": ATTACH, "variables": { "s": suggestion, "f": nulls } });
    let map: serde_json::Map<String, Value> =
        (0..files.len()).map(|i| (i.to_string(), json!([format!("variables.f.{i}")]))).collect();
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
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")))
        .insert_header(("authorization", format!("Bearer {token}")))
        .send_body(body)
        .await
        .expect("upload failed");
    let status = response.status().as_u16();
    let bytes = response.body().limit(1024 * 1024).await.expect("no body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Gql { status, body }
}

/// A download: status, headers, bytes.
async fn download(app: &TestApp, url: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let mut response = app.client.get(url).send().await.expect("download failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.body().limit(16 * 1024 * 1024).await.expect("no body").to_vec();
    (status, headers, bytes)
}

fn header<'a>(headers: &'a awc::http::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn draft(app: &TestApp, deputy: &str, title: &str) -> String {
    let created = ok(
        app,
        Some(deputy),
        "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
        json!({ "i": { "title": title, "content": "路灯坏了", "category": "城建", "sessionNumber": 1 } }),
    )
    .await;
    str_of(&created["createSuggestion"]["id"]).to_owned()
}

/// The whole path on whatever store `app` is configured with.
async fn a_photo_travels_from_phone_to_those_who_may_see_it(app: &TestApp) {
    let w = world::build(app).await;
    let id = draft(app, &w.a.deputy, "路灯损坏").await;
    let photo = jpeg_with_gps();
    assert!(has_exif(&photo));
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let res = upload(app, &w.a.deputy, &id, &[("C:\\相册\\路灯.jpg", &photo), ("答复函.pdf", &pdf)]).await;
    let done = res.data()["attachFilesToSuggestion"].as_array().cloned().unwrap_or_default();
    assert_eq!(done.len(), 2, "{}", res.body);
    assert_eq!(done[0]["position"], 1);
    assert_eq!(done[0]["name"], "路灯.jpg");
    assert_eq!(done[0]["mediaType"], "image/jpeg");
    assert_eq!(done[1]["mediaType"], "application/pdf");
    assert!(done[1]["thumbnailUrl"].is_null(), "no thumbnail for a PDF");

    // The stored photo: a JPEG without EXIF, inline, never sniffed, under a locked-down policy.
    let (status, headers, bytes) = download(app, str_of(&done[0]["url"])).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "image/jpeg");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert!(header(&headers, "content-security-policy").starts_with("default-src 'none'"));
    assert!(!has_exif(&bytes), "EXIF removed");
    assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude"), "no GPS position left");
    assert_eq!(done[0]["size"], bytes.len());
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (640, 480));
    // Its thumbnail.
    let (status, headers, thumb) = download(app, str_of(&done[0]["thumbnailUrl"])).await;
    assert_eq!((status, header(&headers, "content-type")), (200, "image/jpeg"));
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 240));
    // A PDF is a download, never shown in the API's origin.
    let (status, headers, bytes) = download(app, str_of(&done[1]["url"])).await;
    assert_eq!((status, header(&headers, "content-type")), (200, "application/pdf"));
    assert!(header(&headers, "content-disposition").starts_with("attachment;"));
    assert!(header(&headers, "content-disposition").contains("%E7%AD%94%E5%A4%8D%E5%87%BD.pdf"));
    assert_eq!(bytes, pdf);

    // Those who may see the suggestion list its files; others learn nothing and cannot add any.
    let listed = ok(app, Some(&w.a.deputy), LIST, json!({ "s": id })).await;
    assert_eq!(listed["suggestionAttachments"].as_array().map(Vec::len), Some(2));
    for outsider in [&w.a_deputy2, &w.citizen, &w.b.staff, &w.a.unit_staff] {
        app.gql(LIST, json!({ "s": id }), Some(outsider)).await.assert_code("NOT_FOUND");
        upload(app, outsider, &id, &[("x.jpg", &photo)]).await.assert_code("NOT_FOUND");
    }
    app.gql(LIST, json!({ "s": id }), None).await.assert_code("UNAUTHENTICATED");

    // A forged, tampered or expired link opens nothing.
    let url = str_of(&done[0]["url"]).to_owned();
    let token = url.rsplit('/').next().unwrap_or_default();
    let mut raw = URL_SAFE_NO_PAD.decode(token).unwrap();
    raw[40] ^= 1;
    let tampered = format!("{}/files/{}", app.base, URL_SAFE_NO_PAD.encode(&raw));
    assert_eq!(download(app, &tampered).await.0, 404);
    assert_eq!(download(app, &format!("{}/files/nonsense", app.base)).await.0, 404);
    let signer = edaibiao_infra::files::LinkSigner::new(edaibiao_tests::TEST_JWT_SECRET.as_bytes());
    let attachment_id = uuid::Uuid::from_slice(&URL_SAFE_NO_PAD.decode(token).unwrap()[..16]).unwrap();
    let expired = signer.sign(edaibiao_infra::files::Link {
        attachment_id,
        thumbnail: false,
        expires_at: chrono::Utc::now().timestamp() - 1,
    });
    assert_eq!(download(app, &format!("{}/files/{expired}", app.base)).await.0, 404, "expired");
    let fresh = signer.sign(edaibiao_infra::files::Link {
        attachment_id,
        thumbnail: false,
        expires_at: chrono::Utc::now().timestamp() + 60,
    });
    assert_eq!(download(app, &format!("{}/files/{fresh}", app.base)).await.0, 200, "the same link, in time");

    // The same photo again is one stored file, attached a second time.
    let again = upload(app, &w.a.deputy, &id, &[("again.jpg", &photo)]).await;
    let again = &again.data()["attachFilesToSuggestion"][0];
    assert_eq!(again["checksum"], done[0]["checksum"]);
    assert_eq!(again["position"], 3);

    // HTML dressed up as a photo, and an SVG, are refused by their content.
    let html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
    let res = upload(app, &w.a.deputy, &id, &[("photo.jpg", html)]).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "file", "{}", res.body);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    upload(app, &w.a.deputy, &id, &[("x.svg", svg)]).await.assert_code("BAD_USER_INPUT");
    // Too large: refused with a code before anything is stored.
    let mut big = photo.clone();
    big.resize(11 * 1024 * 1024, 0);
    let res = upload(app, &w.a.deputy, &id, &[("big.jpg", &big)]).await;
    assert_eq!(res.status, 413, "{}", res.body);
    res.assert_code("PAYLOAD_TOO_LARGE");
    let listed = ok(app, Some(&w.a.deputy), LIST, json!({ "s": id })).await;
    assert_eq!(listed["suggestionAttachments"].as_array().map(Vec::len), Some(3), "nothing refused was kept");

    // Once submitted, the draft's files are fixed.
    ok(
        app,
        Some(&w.a.deputy),
        "mutation($id: ID!) { submitSuggestion(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    upload(app, &w.a.deputy, &id, &[("late.jpg", &photo)]).await.assert_code("CONFLICT");
    // Staff now see the suggestion, and so its files.
    let listed = ok(app, Some(&w.a.staff), LIST, json!({ "s": id })).await;
    let url = str_of(&listed["suggestionAttachments"][0]["url"]).to_owned();
    assert_eq!(download(app, &url).await.0, 200);
}

e2e!(a_photo_loses_its_exif_and_reaches_only_those_who_may_see_it, |app| {
    a_photo_travels_from_phone_to_those_who_may_see_it(&app).await;
});

e2e!(the_same_path_works_on_s3, |app| {
    let Ok(endpoint) = std::env::var("TEST_S3_URL") else {
        eprintln!("skipped: TEST_S3_URL is not set");
        return;
    };
    let mut env = app.env.clone();
    env.set("S3_ENDPOINT", &endpoint);
    env.set("S3_BUCKET", &std::env::var("TEST_S3_BUCKET").unwrap_or_else(|_| "edaibiao-test".into()));
    env.set("S3_ACCESS_KEY_ID", &std::env::var("TEST_S3_ACCESS_KEY_ID").unwrap_or_else(|_| "test".into()));
    env.set(
        "S3_SECRET_ACCESS_KEY",
        &std::env::var("TEST_S3_SECRET_ACCESS_KEY").unwrap_or_else(|_| "test".into()),
    );
    let on_s3 = env.spawn().await;
    a_photo_travels_from_phone_to_those_who_may_see_it(&on_s3).await;
});
