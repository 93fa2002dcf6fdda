//! Attachments end to end: a phone's photo goes through a multipart upload, loses its EXIF block, gets a
//! thumbnail, and comes back through a short-lived signed link; those who may not see the suggestion
//! cannot list or add its files; hostile and oversized uploads are refused with codes. On the local
//! file system, and on S3 when `TEST_S3_URL` names an S3-compatible server (as `.ci/run` starts one).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::files::{self as up, has_exif, jpeg_with_gps};
use edaibiao_tests::time::{self, rfc3339, unix_now};
use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{Gql, TestApp, e2e, sha256_hex, str_of};
use serde_json::{Value, json};

const ATTACH: &str =
    "mutation($s: ID!, $f: [Upload!]!) { attachFilesToSuggestion(suggestionId: $s, files: $f) {
    position name mediaType size checksum url thumbnailUrl } }";
const LIST: &str =
    "query($s: ID!) { suggestionAttachments(suggestionId: $s) { position name mediaType url } }";

/// Sends `ATTACH` as the GraphQL multipart request spec has it: `operations`, `map`, then one part per file.
async fn upload(app: &TestApp, token: &str, suggestion: &str, files: &[(&str, &[u8])]) -> Gql {
    up::multipart(app, Some(token), ATTACH, json!({ "s": suggestion }), "f", files).await
}

async fn download(app: &TestApp, url: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    up::download(app, url).await
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

// ---------------------------------------------------------------------------------------------------------
// Every owner: who writes an item attaches while it can change; who sees it sees its files; others neither.

/// `attachFiles` as `token` must succeed; returns the attachments.
async fn attach_ok(app: &TestApp, token: &str, owner: &str, name: &str, bytes: &[u8]) -> Vec<Value> {
    let res = up::attach(app, Some(token), owner, &[(name, bytes)]).await;
    let done = res.data()["attachFiles"].as_array().cloned().unwrap_or_default();
    assert_eq!(done.len(), 1, "{}", res.body);
    done
}

/// `attachFiles` as each of `who` must fail with `code`.
async fn attach_refused(app: &TestApp, owner: &str, code: &str, who: &[(&str, &str)]) {
    let pdf = up::pdf("refused");
    for (name, token) in who {
        let res = up::attach(app, Some(token), owner, &[("x.pdf", &pdf)]).await;
        assert_eq!(
            res.body["errors"][0]["extensions"]["code"], code,
            "{name} attaching to {owner}: {}",
            res.body
        );
    }
}

/// The names of the attachments of the `ty` node `id` as `token` sees them (`None`: the node is hidden),
/// checking that each link downloads.
async fn names_seen(app: &TestApp, token: Option<&str>, ty: &str, id: &str) -> Option<Vec<String>> {
    let q =
        format!("query($id: ID!) {{ node(id: $id) {{ ... on {ty} {{ attachments {{ id name url }} }} }} }}");
    let res = app.gql(&q, json!({ "id": id }), token).await;
    let node = &res.body["data"]["node"];
    if node.is_null() {
        return None;
    }
    let list = node["attachments"].as_array().cloned().unwrap_or_else(|| panic!("{}", res.body));
    for a in &list {
        assert_eq!(up::download(app, str_of(&a["url"])).await.0, 200, "{a}");
    }
    Some(list.iter().map(|a| str_of(&a["name"]).to_owned()).collect())
}

e2e!(a_units_answer_letter_is_attached_while_its_answer_is_due, |app| {
    let w = world::build(&app).await;
    let id = w.proposed(&app, "答复函附件").await;
    let units = json!({ "mode": "LEAD_WITH_CO", "units": [
        { "unitId": w.a.unit_id, "role": "LEAD" }, { "unitId": w.a_unit2_id, "role": "CO" } ] });
    world::step(
        &app,
        &w.a.staff,
        "assignSuggestion",
        ", $input: AssignmentInput!",
        json!({ "id": id, "input": units }),
    )
    .await;
    let parts = ok(
        &app,
        Some(&w.a.unit_staff),
        "query($id: ID!) { suggestion(id: $id) { units { id role } } }",
        json!({ "id": id }),
    )
    .await;
    let lead = parts["suggestion"]["units"]
        .as_array()
        .and_then(|u| u.iter().find(|p| p["role"] == "LEAD"))
        .map(|p| str_of(&p["id"]).to_owned())
        .unwrap_or_else(|| panic!("{parts}"));
    let letter = up::pdf("答复函");
    // Not accepted yet: the answer is not due.
    attach_refused(&app, &lead, "CONFLICT", &[("unit", &w.a.unit_staff)]).await;
    world::step(&app, &w.a.unit_staff, "acceptSuggestion", "", json!({ "id": id })).await;
    attach_ok(&app, &w.a.unit_staff, &lead, "答复函.pdf", &letter).await;
    attach_refused(
        &app,
        &lead,
        "FORBIDDEN",
        &[("co-unit", &w.a_unit2_staff), ("lead deputy", &w.a.deputy), ("staff", &w.a.staff)],
    )
    .await;
    attach_refused(&app, &lead, "NOT_FOUND", &[("B unit", &w.b.unit_staff), ("李华", &w.a_deputy2)]).await;
    // The co-unit's part is no answer.
    let co = parts["suggestion"]["units"]
        .as_array()
        .and_then(|u| u.iter().find(|p| p["role"] == "CO"))
        .map(|p| str_of(&p["id"]).to_owned())
        .unwrap_or_default();
    attach_refused(&app, &co, "NOT_FOUND", &[("co-unit", &w.a_unit2_staff)]).await;
    // Once answered, the letter is part of the answer and fixed.
    let contact = json!({ "method": "PHONE", "contactedAt": rfc3339(unix_now() + 2), "summary": "电话沟通" });
    world::step(
        &app,
        &w.a.unit_staff,
        "recordContact",
        ", $input: ContactInput!",
        json!({ "id": id, "input": contact }),
    )
    .await;
    let answer =
        json!({ "content": "答复内容", "answerClass": "SOLVED", "signedBy": "局长", "public": false });
    world::step(
        &app,
        &w.a.unit_staff,
        "answerSuggestion",
        ", $input: AnswerInput!",
        json!({ "id": id, "input": answer }),
    )
    .await;
    attach_refused(&app, &lead, "CONFLICT", &[("unit", &w.a.unit_staff)]).await;
    // Those who see the suggestion see the letter on the unit's part.
    let q = "query($id: ID!) { suggestion(id: $id) { units { role attachments { name mediaType url } } } }";
    for token in [&w.a.deputy, &w.a.staff, &w.a.unit_staff] {
        let seen = ok(&app, Some(token), q, json!({ "id": id })).await;
        let lead = seen["suggestion"]["units"]
            .as_array()
            .and_then(|u| u.iter().find(|p| p["role"] == "LEAD"))
            .cloned();
        let files = lead.map(|p| p["attachments"].clone()).unwrap_or_default();
        assert_eq!(files[0]["name"], "答复函.pdf", "{seen}");
        let (status, _, bytes) = up::download(&app, str_of(&files[0]["url"])).await;
        assert_eq!((status, bytes), (200, letter.clone()));
    }
});

e2e!(a_citizens_photo_from_the_public_form_loses_its_gps_and_reaches_only_the_station, |app| {
    let w = world::build(&app).await;
    let photo = jpeg_with_gps();
    let submit = "mutation($i: SubmitOpinionInput!, $f: [Upload!]) { submitOpinion(input: $i, files: $f) { trackingCode } }";
    let input = json!({ "stationId": w.a.station_id, "category": "OTHER", "content": "路灯不亮，见照片" });
    // Signed out, the photo travels with the opinion: no credential is needed later.
    let res =
        up::multipart(&app, None, submit, json!({ "i": input }), "f", &[("IMG_0001.jpg", &photo)]).await;
    assert!(res.body["data"]["submitOpinion"]["trackingCode"].is_string(), "{}", res.body);
    // Hostile files are refused, and the opinion with them.
    let html = b"<html><script>alert(1)</script></html>";
    let res = up::multipart(&app, None, submit, json!({ "i": input }), "f", &[("x.jpg", html)]).await;
    res.assert_code("BAD_USER_INPUT");
    let list =
        ok(&app, Some(&w.a.station_staff), "{ opinions(first: 5) { nodes { id content } } }", json!({}))
            .await;
    let nodes = list["opinions"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.len(), 1, "the refused one was not kept: {list}");
    let opinion = str_of(&nodes[0]["id"]).to_owned();
    let q = "query($id: ID!) { node(id: $id) { ... on Opinion { attachments { name mediaType size url thumbnailUrl } } } }";
    let seen = ok(&app, Some(&w.a.station_staff), q, json!({ "id": opinion })).await;
    let file = &seen["node"]["attachments"][0];
    assert_eq!(
        (file["name"].as_str(), file["mediaType"].as_str()),
        (Some("IMG_0001.jpg"), Some("image/jpeg"))
    );
    let (status, _, bytes) = up::download(&app, str_of(&file["url"])).await;
    assert_eq!(status, 200);
    assert!(!up::has_exif(&bytes), "EXIF removed");
    assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude"), "no GPS position left");
    assert_eq!(file["size"], bytes.len());
    assert_eq!(up::download(&app, str_of(&file["thumbnailUrl"])).await.0, 200);
    // Those who may not see the opinion see nothing of it.
    for token in [&w.citizen, &w.b.staff, &w.a.unit_staff, &w.b.station_staff] {
        assert_eq!(names_seen(&app, Some(token), "Opinion", &opinion).await, None);
    }
    // Nobody adds files to an anonymous opinion afterwards (no account raised it).
    attach_refused(&app, &opinion, "FORBIDDEN", &[("station", &w.a.station_staff), ("staff", &w.a.staff)])
        .await;
    attach_refused(&app, &opinion, "NOT_FOUND", &[("citizen", &w.citizen), ("B staff", &w.b.staff)]).await;
    let res = up::attach(&app, None, &opinion, &[("x.jpg", &photo)]).await;
    res.assert_code("UNAUTHENTICATED");
});

e2e!(a_signed_in_citizen_adds_files_until_the_opinion_is_taken, |app| {
    let w = world::build(&app).await;
    let submit = "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }";
    let input = json!({ "stationId": w.a.station_id, "category": "OTHER", "content": "井盖缺失" });
    ok(&app, Some(&w.citizen), submit, json!({ "i": input })).await;
    let mine = ok(&app, Some(&w.citizen), "{ myOpinions(first: 1) { nodes { id } } }", json!({})).await;
    let opinion = str_of(&mine["myOpinions"]["nodes"][0]["id"]).to_owned();
    attach_ok(&app, &w.citizen, &opinion, "井盖.jpg", &jpeg_with_gps()).await;
    attach_refused(&app, &opinion, "FORBIDDEN", &[("station", &w.a.station_staff)]).await;
    attach_refused(
        &app,
        &opinion,
        "NOT_FOUND",
        &[("B station", &w.b.station_staff), ("A unit", &w.a.unit_staff)],
    )
    .await;
    assert_eq!(
        names_seen(&app, Some(&w.citizen), "Opinion", &opinion).await,
        Some(vec!["井盖.jpg".to_owned()])
    );
    assert_eq!(
        names_seen(&app, Some(&w.a.station_staff), "Opinion", &opinion).await,
        Some(vec!["井盖.jpg".to_owned()])
    );
    ok(
        &app,
        Some(&w.a.station_staff),
        "mutation($id: ID!) { acceptOpinion(id: $id) { id } }",
        json!({ "id": opinion }),
    )
    .await;
    attach_refused(&app, &opinion, "CONFLICT", &[("citizen", &w.citizen)]).await;
});

e2e!(records_take_files_from_who_wrote_them, |app| {
    let w = world::build(&app).await;
    let pdf = up::pdf("记录");
    // A reception record: its recorder.
    let record = ok(
        &app,
        Some(&w.a.deputy),
        "mutation($i: RecordReceptionInput!) { r: recordReception(input: $i) { id } }",
        json!({ "i": { "stationId": w.a.station_id, "receivedAt": rfc3339(unix_now() - 3600), "visitors": 1,
            "matters": [{ "category": "OTHER", "content": "咨询社保政策，已当场解答" }] } }),
    )
    .await;
    let record = str_of(&record["r"]["id"]).to_owned();
    attach_ok(&app, &w.a.deputy, &record, "接待照片.pdf", &pdf).await;
    attach_refused(&app, &record, "FORBIDDEN", &[("station", &w.a.station_staff), ("staff", &w.a.staff)])
        .await;
    attach_refused(
        &app,
        &record,
        "NOT_FOUND",
        &[("B staff", &w.b.staff), ("citizen", &w.citizen), ("unit", &w.a.unit_staff)],
    )
    .await;
    for token in [&w.a.deputy, &w.a.station_staff, &w.a.staff] {
        assert_eq!(
            names_seen(&app, Some(token), "ReceptionRecord", &record).await,
            Some(vec!["接待照片.pdf".into()])
        );
    }

    // A duty entry: its deputy, until staff decide.
    let entry = ok(
        &app,
        Some(&w.a.deputy),
        "mutation($i: DutyEntryInput!) { r: addDutyEntry(input: $i) { id } }",
        json!({ "i": { "title": "走访企业", "note": "走访三家企业", "happenedOn": time::date_in(-1) } }),
    )
    .await;
    let entry = str_of(&entry["r"]["id"]).to_owned();
    attach_ok(&app, &w.a.deputy, &entry, "走访.jpg", &jpeg_with_gps()).await;
    attach_refused(&app, &entry, "FORBIDDEN", &[("staff", &w.a.staff)]).await;
    attach_refused(
        &app,
        &entry,
        "NOT_FOUND",
        &[("李华", &w.a_deputy2), ("B staff", &w.b.staff), ("unit", &w.a.unit_staff)],
    )
    .await;
    assert_eq!(names_seen(&app, Some(&w.a.staff), "DutyEntry", &entry).await, Some(vec!["走访.jpg".into()]));
    assert_eq!(names_seen(&app, Some(&w.a_deputy2), "DutyEntry", &entry).await, None);
    ok(
        &app,
        Some(&w.a.staff),
        "mutation($id: ID!) { decideDutyEntry(id: $id, verify: true) { id } }",
        json!({ "id": entry }),
    )
    .await;
    attach_refused(&app, &entry, "CONFLICT", &[("张明", &w.a.deputy)]).await;

    // A progress report: its reporter (the unit), seen by those who see the project.
    let projects = edaibiao_tests::projects::fixture(&app, &w).await;
    attach_ok(&app, &w.a.unit_staff, &projects.progress, "现场.jpg", &jpeg_with_gps()).await;
    attach_refused(&app, &projects.progress, "FORBIDDEN", &[("staff", &w.a.staff), ("张明", &w.a.deputy)])
        .await;
    attach_refused(
        &app,
        &projects.progress,
        "NOT_FOUND",
        &[("B staff", &w.b.staff), ("B unit", &w.b.unit_staff)],
    )
    .await;
    assert_eq!(
        names_seen(&app, Some(&w.a.deputy), "ProgressReport", &projects.progress).await,
        Some(vec!["现场.jpg".into()])
    );

    // A learning material: staff of its congress; its audience reads the files.
    let learning = edaibiao_tests::learning::fixture(&app, &w).await;
    attach_ok(&app, &w.a.staff, &learning.assigned, "讲义.pdf", &pdf).await;
    attach_refused(&app, &learning.assigned, "FORBIDDEN", &[("张明", &w.a.deputy)]).await;
    attach_refused(
        &app,
        &learning.assigned,
        "NOT_FOUND",
        &[("李华", &w.a_deputy2), ("B staff", &w.b.staff), ("citizen", &w.citizen)],
    )
    .await;
    assert_eq!(
        names_seen(&app, Some(&w.a.deputy), "LearningMaterial", &learning.assigned).await,
        Some(vec!["讲义.pdf".into()])
    );
    assert_eq!(names_seen(&app, Some(&w.a_deputy2), "LearningMaterial", &learning.assigned).await, None);

    // An appraisal item: the appraised unit, while its answer can change.
    let staff = Some(w.a.staff.as_str());
    let appraisal = ok(
        &app,
        staff,
        "mutation($i: OpenAppraisalInput!) { r: openAppraisal(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(), "unitId": w.a.unit_id,
            "subject": { "unitWork": "交通治理" }, "groupDeputyIds": [w.a.deputy_id], "reportDue": time::date_in(0),
            "rectificationDue": time::date_in(5), "votingFrom": time::date_in(6), "votingUntil": time::date_in(9) } }),
    )
    .await;
    let appraisal = str_of(&appraisal["r"]["id"]).to_owned();
    ok(
        &app,
        Some(&w.a.unit_staff),
        "mutation($a: ID!) { r: submitAppraisalReport(appraisalId: $a, report: \"述职\") { id } }",
        json!({ "a": appraisal }),
    )
    .await;
    let issued = ok(
        &app,
        staff,
        "mutation($a: ID!) { r: issueAppraisalItems(appraisalId: $a, problems: [\"问题\"]) { items { id } } }",
        json!({ "a": appraisal }),
    )
    .await;
    let item = str_of(&issued["r"]["items"][0]["id"]).to_owned();
    attach_ok(&app, &w.a.unit_staff, &item, "整改照片.jpg", &jpeg_with_gps()).await;
    attach_refused(&app, &item, "FORBIDDEN", &[("staff", &w.a.staff), ("张明", &w.a.deputy)]).await;
    attach_refused(&app, &item, "NOT_FOUND", &[("B staff", &w.b.staff), ("citizen", &w.citizen)]).await;
    assert_eq!(
        names_seen(&app, Some(&w.a.deputy), "AppraisalItem", &item).await,
        Some(vec!["整改照片.jpg".into()])
    );
    ok(
        &app,
        Some(&w.a.unit_staff),
        "mutation($i: ID!, $d: NaiveDate!) { r: answerAppraisalItem(itemId: $i, answer: \"已整改\", doneBy: $d) { id } }",
        json!({ "i": item, "d": time::date_in(0) }),
    )
    .await;
    attach_refused(&app, &item, "CONFLICT", &[("unit", &w.a.unit_staff)]).await;
});

e2e!(an_attachment_is_a_node_removed_only_by_who_may_attach_and_its_file_stays_while_linked, |app| {
    let w = world::build(&app).await;
    let first = draft(&app, &w.a.deputy, "附件草稿一").await;
    let second = draft(&app, &w.a.deputy, "附件草稿二").await;
    let photo = jpeg_with_gps();
    let pdf = up::pdf("说明");
    // A retried request with the same key attaches once and answers the same.
    let query = "mutation($o: ID!, $f: [Upload!]!, $k: String) {
        attachFiles(ownerId: $o, files: $f, idempotencyKey: $k) { id position checksum } }";
    let vars = json!({ "o": first, "k": "retry-key-0001" });
    let files: &[(&str, &[u8])] = &[("现场.jpg", &photo), ("说明.pdf", &pdf)];
    let once = up::multipart(&app, Some(&w.a.deputy), query, vars.clone(), "f", files).await;
    let again = up::multipart(&app, Some(&w.a.deputy), query, vars, "f", files).await;
    assert_eq!(once.data()["attachFiles"], again.data()["attachFiles"]);
    let done = once.data()["attachFiles"].as_array().cloned().unwrap_or_default();
    assert_eq!(done.len(), 2);
    let listed = ok(&app, Some(&w.a.deputy), LIST, json!({ "s": first })).await;
    assert_eq!(listed["suggestionAttachments"].as_array().map(Vec::len), Some(2), "attached once");
    // The same photo on the second draft: one stored file, two links.
    let other = attach_ok(&app, &w.a.deputy, &second, "同一张.jpg", &photo).await;
    assert_eq!(other[0]["checksum"], done[0]["checksum"]);

    // A node for those who see its item, null for others.
    let node = "query($id: ID!) { node(id: $id) { __typename ... on Attachment { id name } } }";
    let id = str_of(&done[0]["id"]).to_owned();
    let seen = ok(&app, Some(&w.a.deputy), node, json!({ "id": id })).await;
    assert_eq!(seen["node"], json!({ "__typename": "Attachment", "id": id, "name": "现场.jpg" }));
    for token in [Some(w.a_deputy2.as_str()), Some(w.a.staff.as_str()), Some(w.citizen.as_str()), None] {
        let res = app.gql(node, json!({ "id": id }), token).await;
        assert!(res.body["data"]["node"].is_null(), "{}", res.body);
    }

    // Removing: only who may attach, while they may.
    let remove = "mutation($id: ID!) { removeAttachment(id: $id) }";
    for token in [&w.a_deputy2, &w.a.staff, &w.b.staff, &w.citizen] {
        app.gql(remove, json!({ "id": id }), Some(token)).await.assert_code("NOT_FOUND");
    }
    app.gql(remove, json!({ "id": id }), None).await.assert_code("UNAUTHENTICATED");
    let removed = ok(&app, Some(&w.a.deputy), remove, json!({ "id": id })).await;
    assert_eq!(removed["removeAttachment"], id);
    app.gql(remove, json!({ "id": id }), Some(&w.a.deputy)).await.assert_code("NOT_FOUND");
    let listed = ok(&app, Some(&w.a.deputy), LIST, json!({ "s": first })).await;
    assert_eq!(listed["suggestionAttachments"][0]["name"], "说明.pdf");
    // The photo is still stored for the second draft.
    let listed = ok(&app, Some(&w.a.deputy), LIST, json!({ "s": second })).await;
    assert_eq!(up::download(&app, str_of(&listed["suggestionAttachments"][0]["url"])).await.0, 200);
    // An attachment ID of something else is refused as input.
    app.gql(remove, json!({ "id": first }), Some(&w.a.deputy)).await.assert_code("BAD_USER_INPUT");
    // Once submitted, the draft's files are fixed.
    world::step(&app, &w.a.deputy, "submitSuggestion", "", json!({ "id": second })).await;
    let other_id = str_of(&other[0]["id"]);
    app.gql(remove, json!({ "id": other_id }), Some(&w.a.deputy)).await.assert_code("CONFLICT");
    // An owner ID that takes no attachments is bad input.
    let res = up::attach(&app, Some(&w.a.deputy), &w.a.congress, &[("x.pdf", &pdf)]).await;
    res.assert_code("BAD_USER_INPUT");
});

// ---------------------------------------------------------------------------------------------------------
// Large files: announced, PUT to a short-lived URL (the store's own presigned one on S3, the API's signed
// one on the file system), then checked, cleaned and attached by `completeUpload`.

const REQUEST: &str = "mutation($o: ID!, $n: String!, $s: Int!, $c: String!) {
    requestUpload(ownerId: $o, name: $n, size: $s, checksum: $c) { uploadId url method headers { name value } expiresAt } }";
const COMPLETE: &str =
    "mutation($u: ID!) { completeUpload(uploadId: $u) { id name size checksum mediaType url } }";

/// PUTs `bytes` to an upload URL as a phone would; returns the status.
async fn put(app: &TestApp, ticket: &Value, bytes: &[u8]) -> u16 {
    let mut request = app.client.put(str_of(&ticket["url"]));
    for h in ticket["headers"].as_array().into_iter().flatten() {
        request = request.insert_header((str_of(&h["name"]), str_of(&h["value"])));
    }
    let response = request.send_body(bytes.to_vec()).await.expect("upload PUT failed");
    response.status().as_u16()
}

async fn ticket(app: &TestApp, token: &str, owner: &str, name: &str, bytes: &[u8]) -> Value {
    let vars = json!({ "o": owner, "n": name, "s": bytes.len(), "c": sha256_hex(bytes) });
    ok(app, Some(token), REQUEST, vars).await["requestUpload"].clone()
}

async fn a_large_file_travels_by_an_upload_url(app: &TestApp, on_s3: bool) {
    let w = world::build(app).await;
    let id = draft(app, &w.a.deputy, "大文件").await;
    // 12 MiB: more than a multipart request takes.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(12 * 1024 * 1024, b' ');
    big.extend_from_slice(b"\n%%EOF\n");
    let checksum = sha256_hex(&big);

    // Only who may attach to the item gets a ticket; the announcement is checked.
    let vars = |size: usize, c: &str| json!({ "o": id, "n": "年度报告.pdf", "s": size, "c": c });
    for token in [&w.a_deputy2, &w.a.staff, &w.citizen] {
        app.gql(REQUEST, vars(big.len(), &checksum), Some(token)).await.assert_code("NOT_FOUND");
    }
    app.gql(REQUEST, vars(big.len(), &checksum), None).await.assert_code("UNAUTHENTICATED");
    for (size, c) in [(0, checksum.as_str()), (51 * 1024 * 1024, checksum.as_str()), (big.len(), "../../x")] {
        app.gql(REQUEST, vars(size, c), Some(&w.a.deputy)).await.assert_code("BAD_USER_INPUT");
    }
    let t = ticket(app, &w.a.deputy, &id, "年度报告.pdf", &big).await;
    assert_eq!(t["method"], "PUT");
    if on_s3 {
        assert!(str_of(&t["url"]).contains("X-Amz-Signature="), "{t}");
    } else {
        assert!(str_of(&t["url"]).starts_with(&format!("{}/files/uploads/", app.base)), "{t}");
    }
    let upload = json!({ "u": t["uploadId"] });
    // Nothing sent yet.
    app.gql(COMPLETE, upload.clone(), Some(&w.a.deputy)).await.assert_code("CONFLICT");
    // Other bytes than announced are refused at completion.
    let mut wrong = big.clone();
    wrong[100] = b'x';
    assert!(put(app, &t, &wrong).await < 300);
    let res = app.gql(COMPLETE, upload.clone(), Some(&w.a.deputy)).await;
    res.assert_code("BAD_USER_INPUT");
    // The right bytes: checked, stored, attached; completing again attaches nothing more.
    assert!(put(app, &t, &big).await < 300);
    app.gql(COMPLETE, upload.clone(), Some(&w.a_deputy2)).await.assert_code("NOT_FOUND");
    let done = ok(app, Some(&w.a.deputy), COMPLETE, upload.clone()).await["completeUpload"].clone();
    assert_eq!(
        (done["size"].as_u64(), done["checksum"].as_str()),
        (Some(big.len() as u64), Some(checksum.as_str()))
    );
    assert_eq!(done["mediaType"], "application/pdf");
    let again = ok(app, Some(&w.a.deputy), COMPLETE, upload).await["completeUpload"].clone();
    assert_eq!(again["id"], done["id"]);
    let (status, _, bytes) = download(app, str_of(&done["url"])).await;
    assert_eq!(status, 200);
    assert!(bytes == big, "the file comes back whole");
    // The same file by a second ticket: stored once, attached again.
    let t2 = ticket(app, &w.a.deputy, &id, "副本.pdf", &big).await;
    assert!(put(app, &t2, &big).await < 300);
    let second =
        ok(app, Some(&w.a.deputy), COMPLETE, json!({ "u": t2["uploadId"] })).await["completeUpload"].clone();
    assert_eq!(second["checksum"], done["checksum"]);
    assert_ne!(second["id"], done["id"]);
    let listed = ok(app, Some(&w.a.deputy), LIST, json!({ "s": id })).await;
    assert_eq!(listed["suggestionAttachments"].as_array().map(Vec::len), Some(2));

    // A photo sent this way is cleaned as the multipart path cleans it.
    let photo = jpeg_with_gps();
    let t3 = ticket(app, &w.a.deputy, &id, "现场.jpg", &photo).await;
    assert!(put(app, &t3, &photo).await < 300);
    let cleaned =
        ok(app, Some(&w.a.deputy), COMPLETE, json!({ "u": t3["uploadId"] })).await["completeUpload"].clone();
    let (_, _, bytes) = download(app, str_of(&cleaned["url"])).await;
    assert!(!has_exif(&bytes) && image::load_from_memory(&bytes).is_ok(), "EXIF removed");
    // Hostile bytes announced honestly are still refused by their content.
    let html = b"<!DOCTYPE html><script>alert(1)</script>".to_vec();
    let t4 = ticket(app, &w.a.deputy, &id, "x.pdf", &html).await;
    assert!(put(app, &t4, &html).await < 300);
    app.gql(COMPLETE, json!({ "u": t4["uploadId"] }), Some(&w.a.deputy)).await.assert_code("BAD_USER_INPUT");

    if !on_s3 {
        // The API's own upload URL takes no more than announced, and nothing for a forged token.
        let t5 = ticket(app, &w.a.deputy, &id, "小.pdf", &up::pdf("小")).await;
        assert_eq!(put(app, &t5, &big).await, 413);
        let forged = json!({ "url": format!("{}/files/uploads/forged", app.base), "headers": [] });
        assert_eq!(put(app, &forged, &big).await, 404);
    }
    // Once submitted, the draft takes no more uploads, and a ticket issued before cannot complete.
    let t6 = ticket(app, &w.a.deputy, &id, "晚.pdf", &up::pdf("晚")).await;
    assert!(put(app, &t6, &up::pdf("晚")).await < 300);
    world::step(app, &w.a.deputy, "submitSuggestion", "", json!({ "id": id })).await;
    app.gql(COMPLETE, json!({ "u": t6["uploadId"] }), Some(&w.a.deputy)).await.assert_code("CONFLICT");
    app.gql(REQUEST, vars(big.len(), &checksum), Some(&w.a.deputy)).await.assert_code("CONFLICT");
}

e2e!(a_large_file_goes_by_an_upload_url_and_is_checked_cleaned_and_attached_once, |app| {
    a_large_file_travels_by_an_upload_url(&app, false).await;
});

e2e!(a_large_file_goes_by_s3s_presigned_url, |app| {
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
    a_large_file_travels_by_an_upload_url(&on_s3, true).await;
});

e2e!(a_rectification_report_takes_files_from_its_deputy_until_handed_in, |app| {
    let w = world::build(&app).await;
    let staff = Some(w.a.staff.as_str());
    let evaluation = ok(
        &app,
        staff,
        "mutation($i: OpenDutyEvaluationInput!) { r: openDutyEvaluation(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(),
            "weights": { "points": 40, "voterRating": 30, "groupAssessment": 30 }, "fullMark": 100,
            "rectificationDeadline": rfc3339(unix_now() + 30 * 86_400) } }),
    )
    .await;
    let evaluation = str_of(&evaluation["r"]["id"]).to_owned();
    let assess = "mutation($e: ID!, $d: ID!) {
        r: setGroupAssessment(evaluationId: $e, deputyId: $d, score: 80, note: \"小组评议\") { id } }";
    for name in ["张明", "李华", "王芳", "赵强", "陈静"] {
        let deputy = app.id_by_name("deputies", name).await;
        ok(&app, staff, assess, json!({ "e": evaluation, "d": deputy })).await;
    }
    for step in ["reviewDutyEvaluation", "publishDutyEvaluation"] {
        ok(
            &app,
            staff,
            &format!("mutation($id: ID!) {{ r: {step}(id: $id) {{ id }} }}"),
            json!({ "id": evaluation }),
        )
        .await;
    }
    let mine = ok(
        &app,
        Some(&w.a.deputy),
        "query($y: Int!) { r: myEvaluationResult(year: $y) { rectification { id } } }",
        json!({ "y": time::this_year() }),
    )
    .await;
    let report = str_of(&mine["r"]["rectification"]["id"]).to_owned();
    attach_ok(&app, &w.a.deputy, &report, "整改材料.pdf", &up::pdf("整改")).await;
    attach_refused(&app, &report, "FORBIDDEN", &[("staff", &w.a.staff)]).await;
    attach_refused(
        &app,
        &report,
        "NOT_FOUND",
        &[("李华", &w.a_deputy2), ("B staff", &w.b.staff), ("unit", &w.a.unit_staff)],
    )
    .await;
    for token in [&w.a.deputy, &w.a.staff] {
        assert_eq!(
            names_seen(&app, Some(token), "RectificationReport", &report).await,
            Some(vec!["整改材料.pdf".into()])
        );
    }
    assert_eq!(names_seen(&app, Some(&w.a_deputy2), "RectificationReport", &report).await, None);
    ok(
        &app,
        Some(&w.a.deputy),
        "mutation($e: ID!) { r: submitRectificationReport(evaluationId: $e, content: \"已整改\") { id } }",
        json!({ "e": evaluation }),
    )
    .await;
    attach_refused(&app, &report, "CONFLICT", &[("张明", &w.a.deputy)]).await;
});

e2e!(twin_requests_at_once_attach_once, |app| {
    let w = world::build(&app).await;
    let id = draft(&app, &w.a.deputy, "并发上传").await;
    let pdf = up::pdf("并发");
    // Two completions of one upload at once: one attachment, the same for both.
    let t = ticket(&app, &w.a.deputy, &id, "并发.pdf", &pdf).await;
    assert!(put(&app, &t, &pdf).await < 300);
    let upload = json!({ "u": t["uploadId"] });
    let (a, b) = futures_util::future::join(
        app.gql(COMPLETE, upload.clone(), Some(&w.a.deputy)),
        app.gql(COMPLETE, upload.clone(), Some(&w.a.deputy)),
    )
    .await;
    assert_eq!(a.data()["completeUpload"]["id"], b.data()["completeUpload"]["id"]);
    // Two multipart requests with one idempotency key at once: attached once, the same answer for both
    // (or, while the first is still at work, CONFLICT for the second, which a retry then resolves).
    let query = "mutation($o: ID!, $f: [Upload!]!, $k: String) {
        attachFiles(ownerId: $o, files: $f, idempotencyKey: $k) { id } }";
    let vars = json!({ "o": id, "k": "twin-key-0001" });
    let files: &[(&str, &[u8])] = &[("孪生.pdf", &pdf)];
    let (a, b) = futures_util::future::join(
        up::multipart(&app, Some(&w.a.deputy), query, vars.clone(), "f", files),
        up::multipart(&app, Some(&w.a.deputy), query, vars.clone(), "f", files),
    )
    .await;
    for res in [&a, &b] {
        let code = res.body["errors"][0]["extensions"]["code"].as_str();
        assert!(code.is_none() || code == Some("CONFLICT"), "{}", res.body);
    }
    let again = up::multipart(&app, Some(&w.a.deputy), query, vars, "f", files).await;
    let first = again.data()["attachFiles"].clone();
    for res in [&a, &b] {
        if res.body.get("errors").is_none() {
            assert_eq!(res.data()["attachFiles"], first);
        }
    }
    let listed = ok(&app, Some(&w.a.deputy), LIST, json!({ "s": id })).await;
    assert_eq!(listed["suggestionAttachments"].as_array().map(Vec::len), Some(2), "{listed}");
});
