//! Deputy QR codes: the image decodes to the public link, the link opens the card page with the opinion
//! form, the card holds only public fields, only the deputy and their staff get the image or renew the
//! token, a renewed token finds nothing, and the cached card is never stale after an edit.

use edaibiao_tests::{Gql, TestApp, TestEnv, demo, e2e, str_of};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const EAST_STATION: &str = "东城街道人大代表联络站";
/// 张明's private phone number (the seed's).
const ZHANG_PHONE: &str = "13900000003";
/// The public lookup's minimum duration (`LOOKUP_QUANTUM`).
const QUANTUM: Duration = Duration::from_millis(100);

const QR_CODE: &str = "query($d: ID!) { deputyQrCode(deputyId: $d) {
    token url svgUrl pngUrl rotatedAt deputy { id name }
} }";
const ROTATE: &str =
    "mutation($d: ID!) { rotateDeputyQrToken(deputyId: $d) { token url rotatedAt deputy { name } } }";
const CARD: &str = "query($t: String!) { deputyByQrToken(token: $t) {
    deputyId name photoUrl bio expertise congressName congressLevel deputyGroupName
    liaisonStation {
        stationId name kind address latitude longitude openingHours
        upcomingReceptionDays { receptionDayId startsAt endsAt note deputyNames }
    }
    recentPublicSuggestions { title serial answeredAt }
} }";
const UPDATE_DEPUTY: &str =
    "mutation($id: ID!, $i: DeputyInput!) { updateDeputy(id: $id, input: $i) { id name } }";
const UPDATE_STATION: &str =
    "mutation($id: ID!, $i: LiaisonStationInput!) { updateLiaisonStation(id: $id, input: $i) { id } }";
const SCHEDULE: &str = "mutation($i: ScheduleReceptionDayInput!) { scheduleReceptionDay(input: $i) { id } }";

/// An HTTP answer with the headers the QR endpoints promise.
struct Fetched {
    status: u16,
    content_type: String,
    cache_control: String,
    body: Vec<u8>,
}

impl Fetched {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }

    /// Asserts a JSON error with `status` and `code`.
    #[track_caller]
    fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(self.json()["errors"][0]["extensions"]["code"], code, "body: {}", self.text());
    }
}

/// GETs `path` (or the path part of an absolute URL) with an optional bearer token.
async fn fetch(app: &TestApp, path_or_url: &str, token: Option<&str>) -> Fetched {
    let path = match path_or_url.find("://") {
        Some(scheme) => {
            let after = &path_or_url[scheme + 3..];
            after.find('/').map_or("/", |slash| &after[slash..])
        }
        None => path_or_url,
    };
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap_or_else(|e| panic!("GET {path} failed: {e}"));
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    let status = response.status().as_u16();
    let body = response.body().limit(16 * 1024 * 1024).await.expect("no body");
    Fetched { status, content_type, cache_control, body: body.to_vec() }
}

/// Decodes the one QR code in a PNG.
fn decode_png(png: &[u8]) -> (u32, String) {
    let image =
        image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("not a PNG").to_luma8();
    let size = image.width();
    assert_eq!(image.height(), size, "a square image");
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, content) = grids[0].decode().expect("QR code does not decode");
    (size, content)
}

/// SQL statements the server has run so far.
async fn statements(app: &TestApp) -> u64 {
    let counted = fetch(app, "/debug/sql-statements", None).await.json();
    counted["statements"].as_u64().unwrap_or_else(|| panic!("no statement count in {counted}"))
}

async fn qr_code(app: &TestApp, token: &str, deputy: &str) -> Value {
    let res = app.gql(QR_CODE, json!({ "d": deputy }), Some(token)).await;
    res.data()["deputyQrCode"].clone()
}

async fn card(app: &TestApp, qr_token: &str) -> Gql {
    app.gql(CARD, json!({ "t": qr_token }), None).await
}

/// The card, which must exist.
async fn card_of(app: &TestApp, qr_token: &str) -> Value {
    card(app, qr_token).await.data()["deputyByQrToken"].clone()
}

/// Asserts that `qr_token` finds nothing, over GraphQL and as a page.
async fn assert_gone(app: &TestApp, qr_token: &str) {
    card(app, qr_token).await.assert_code("NOT_FOUND");
    let page = fetch(app, &format!("/d/{qr_token}"), None).await;
    assert_eq!(page.status, 404, "{}", page.text());
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
}

/// 张明's profile as staff see it, as a `DeputyInput` with `name` changed.
async fn zhang_input(app: &TestApp, staff: &str, zhang: &str, name: &str) -> Value {
    let res = app
        .gql(
            "query($id: ID!) { deputy(id: $id) { gender occupation industry expertise bio photoUrl phone
                deputyGroup { id } professionalGroup { id } liaisonStation { id } } }",
            json!({ "id": zhang }),
            Some(staff),
        )
        .await;
    let d = &res.data()["deputy"];
    json!({
        "name": name, "gender": d["gender"], "occupation": d["occupation"], "industry": d["industry"],
        "expertise": d["expertise"], "bio": d["bio"], "photoUrl": d["photoUrl"], "phone": d["phone"],
        "deputyGroupId": d["deputyGroup"]["id"], "professionalGroupId": d["professionalGroup"]["id"],
        "liaisonStationId": d["liaisonStation"]["id"],
    })
}

e2e!(qr_image_decodes_to_the_link_of_the_card_page, |app| {
    // A server whose public address differs from where it listens, as behind a proxy.
    let mut env = TestEnv::new(app.env.backend).expect("backend configured");
    env.set("PUBLIC_BASE_URL", "https://rd.example.cn");
    let app = env.spawn().await;
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let zhang = app.login(demo::DEPUTY).await.access;

    let code = qr_code(&app, &zhang, &zhang_id).await;
    let token = str_of(&code["token"]).to_owned();
    assert_eq!(token.len(), 43, "256 random bits");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {token}");
    let url = format!("https://rd.example.cn/d/{token}");
    assert_eq!(code["url"], url.as_str());
    assert_eq!(code["deputy"]["name"], "张明");
    assert_eq!(code["rotatedAt"], Value::Null);
    // The same token on every ask.
    assert_eq!(qr_code(&app, &zhang, &zhang_id).await["token"], token.as_str());

    let png_url = str_of(&code["pngUrl"]);
    assert!(
        png_url.starts_with("https://rd.example.cn/qr/deputies/") && png_url.ends_with(".png"),
        "{png_url}"
    );
    let png = fetch(&app, png_url, Some(&zhang)).await;
    assert_eq!(png.status, 200, "{}", png.text());
    assert_eq!(png.content_type, "image/png");
    assert_eq!(png.cache_control, "private, no-store");
    let (size, content) = decode_png(&png.body);
    assert_eq!(size, 256, "the default size");
    assert_eq!(content, url);

    for px in [128, 1024] {
        let png = fetch(&app, &format!("{png_url}?size={px}"), Some(&zhang)).await;
        assert_eq!(png.status, 200, "{}", png.text());
        assert_eq!(decode_png(&png.body), (px, url.clone()));
    }
    for bad in ["64", "1025", "big", ""] {
        let refused = fetch(&app, &format!("{png_url}?size={bad}"), Some(&zhang)).await;
        refused.assert_error(400, "BAD_USER_INPUT");
        assert_eq!(refused.json()["errors"][0]["extensions"]["field"], "size");
    }

    let svg = fetch(&app, str_of(&code["svgUrl"]), Some(&zhang)).await;
    assert_eq!(svg.status, 200, "{}", svg.text());
    assert_eq!(svg.content_type, "image/svg+xml");
    assert_eq!(svg.cache_control, "private, no-store");
    let svg = svg.text();
    assert!(svg.starts_with("<svg") && svg.contains("width=\"256\"") && svg.ends_with("</svg>"), "{svg}");

    // Following the decoded link: the card page, no login.
    let page = fetch(&app, &content, None).await;
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    let html = page.text();
    assert!(html.contains("<h1>张明</h1>"), "{html}");
    assert!(html.contains("示例市第十七届人民代表大会") && html.contains(EAST_STATION), "{html}");
    assert!(html.contains("<form id=\"opinion-form\""), "the opinion form");
    assert!(
        html.contains("submitOpinion(input: $i, files: $files) { trackingCode }"),
        "the form submits an opinion"
    );
    for field in [
        "qrToken",
        "idempotencyKey",
        "name=\"content\"",
        "name=\"location\"",
        "name=\"contactName\"",
        "name=\"photos\" type=\"file\"",
    ] {
        assert!(html.contains(field), "{field} in the form");
    }
    for category in [
        "URBAN_MANAGEMENT",
        "TRANSPORT",
        "EDUCATION",
        "HEALTH",
        "SOCIAL_SECURITY",
        "ENVIRONMENT",
        "PUBLIC_SAFETY",
        "ECONOMY",
        "OTHER",
    ] {
        assert!(html.contains(&format!("<option value=\"{category}\">")), "{category}");
    }
    assert!(html.contains(&format!("data-token=\"{token}\"")));
    assert!(!html.contains(ZHANG_PHONE), "the page shows no phone number");
    assert!(!html.contains("<script src") && !html.contains("<link"), "no external assets");
});

e2e!(only_the_deputy_and_staff_get_the_image_or_renew_it, |app| {
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let admin = app.login(demo::ADMIN).await.access;
    let station = app.login(demo::STATION_STAFF).await.access;
    let citizen = app.login(demo::CITIZEN).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;

    let code = qr_code(&app, &zhang, &zhang_id).await;
    let (png_url, svg_url) = (str_of(&code["pngUrl"]), str_of(&code["svgUrl"]));
    for (who, token) in [("张明", &zhang), ("staff", &staff), ("admin", &admin), ("his station", &station)]
    {
        for url in [png_url, svg_url] {
            let got = fetch(&app, url, Some(token)).await;
            assert_eq!(got.status, 200, "{who}: {}", got.text());
        }
        let res = app.gql(QR_CODE, json!({ "d": zhang_id }), Some(token)).await;
        assert_eq!(res.data()["deputyQrCode"]["token"], code["token"], "{who}");
    }
    for (who, token) in [("李华", &li), ("citizen", &citizen), ("unit staff", &unit)] {
        for url in [png_url, svg_url] {
            let refused = fetch(&app, url, Some(token)).await;
            assert_eq!(refused.status, 403, "{who}: {}", refused.text());
            refused.assert_error(403, "FORBIDDEN");
        }
        app.gql(QR_CODE, json!({ "d": zhang_id }), Some(token)).await.assert_code("FORBIDDEN");
    }
    fetch(&app, png_url, None).await.assert_error(401, "UNAUTHENTICATED");
    fetch(&app, png_url, Some("not-a-token")).await.assert_error(401, "UNAUTHENTICATED");
    app.gql(QR_CODE, json!({ "d": zhang_id }), None).await.assert_code("UNAUTHENTICATED");
    // Nothing there: an unknown deputy, something else's ID, another format.
    let unknown = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Deputy:{}", uuid::Uuid::now_v7()))
    };
    for path in [
        format!("/qr/deputies/{unknown}.png"),
        "/qr/deputies/garbage.png".to_owned(),
        png_url.replace(".png", ".gif"),
        format!("/qr/deputies/{}.svg", app.id_by_name("liaisonStations", EAST_STATION).await),
    ] {
        fetch(&app, &path, Some(&admin)).await.assert_error(404, "NOT_FOUND");
    }

    // Renewing: the deputy, staff and admins; not station workers nor anyone else.
    for (who, token) in
        [("李华", &li), ("citizen", &citizen), ("unit staff", &unit), ("station staff", &station)]
    {
        let res = app.gql(ROTATE, json!({ "d": zhang_id }), Some(token)).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
    }
    app.gql(ROTATE, json!({ "d": zhang_id }), None).await.assert_code("UNAUTHENTICATED");
    assert_eq!(card_of(&app, str_of(&code["token"])).await["name"], "张明");

    let mut previous = str_of(&code["token"]).to_owned();
    for (who, token) in [("张明", &zhang), ("staff", &staff), ("admin", &admin)] {
        let res = app.gql(ROTATE, json!({ "d": zhang_id }), Some(token)).await;
        let renewed = &res.data()["rotateDeputyQrToken"];
        let token_now = str_of(&renewed["token"]).to_owned();
        assert_ne!(token_now, previous, "{who} renewed it");
        assert!(renewed["rotatedAt"].is_string(), "{who}: {renewed}");
        assert_gone(&app, &previous).await;
        assert_eq!(card_of(&app, &token_now).await["name"], "张明");
        // The image now carries the new link.
        let (_, content) = decode_png(&fetch(&app, png_url, Some(&zhang)).await.body);
        assert!(content.ends_with(&format!("/d/{token_now}")), "{content}");
        previous = token_now;
    }
});

e2e!(the_card_shows_public_fields_and_never_the_phone, |app| {
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let staff = app.login(demo::STAFF).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    // The phone exists, and staff see it.
    let res = app
        .gql("query($id: ID!) { deputy(id: $id) { phone } }", json!({ "id": zhang_id }), Some(&staff))
        .await;
    assert_eq!(res.data()["deputy"]["phone"], ZHANG_PHONE);

    // Recent public work: only suggestions whose answer is public.
    public_answer::answered(&app, &zhang, &staff, "增设社区公交微循环线路", true).await;
    public_answer::answered(&app, &zhang, &staff, "内部事项不公开答复", false).await;

    let token = str_of(&qr_code(&app, &zhang, &zhang_id).await["token"]).to_owned();
    let res = card(&app, &token).await;
    let c = &res.data()["deputyByQrToken"];
    assert_eq!(c["deputyId"], zhang_id.as_str());
    assert_eq!(c["name"], "张明");
    assert_eq!(c["congressName"], "示例市第十七届人民代表大会");
    assert_eq!(c["congressLevel"], "CITY");
    assert_eq!(c["deputyGroupName"], "东城区代表团");
    assert_eq!(c["bio"], "示例代表，热心为群众办实事。");
    let mut expertise: Vec<&str> =
        c["expertise"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    expertise.sort_unstable();
    assert_eq!(expertise, ["城市规划", "教育"]);
    let station = &c["liaisonStation"];
    assert_eq!(station["name"], EAST_STATION);
    assert_eq!(station["stationId"], app.id_by_name("liaisonStations", EAST_STATION).await.as_str());
    assert_eq!(station["kind"], "STATION");
    assert_eq!(station["address"], "示例市东城区和平路88号");
    assert_eq!(station["openingHours"], "周一至周五 9:00-17:00");
    assert_eq!(station["latitude"], 30.2741);
    assert_eq!(station["longitude"], 120.1551);
    assert_eq!(station["upcomingReceptionDays"], json!([]));
    let work = c["recentPublicSuggestions"].as_array().cloned().unwrap_or_default();
    assert_eq!(work.len(), 1, "{work:?}");
    assert_eq!(work[0]["title"], "增设社区公交微循环线路");
    assert!(str_of(&work[0]["serial"]).contains('号'), "{work:?}");
    assert!(work[0]["answeredAt"].is_string());

    // Nothing private anywhere in what the public gets.
    assert!(!res.body.to_string().contains(ZHANG_PHONE), "{}", res.body);
    let page = fetch(&app, &format!("/d/{token}"), None).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(!html.contains(ZHANG_PHONE));
    assert!(html.contains("增设社区公交微循环线路") && !html.contains("内部事项不公开答复"));

    // Unknown, malformed and empty tokens find nothing.
    for bad in
        ["A".repeat(43), "short".to_owned(), String::new(), format!("{token}x"), "../../etc".to_owned()]
    {
        card(&app, &bad).await.assert_code("NOT_FOUND");
    }
    assert_gone(&app, &"B".repeat(43)).await;

    // Every lookup takes at least one quantum, hit or miss (the rounding itself is unit-tested).
    for probe in [token.clone(), "C".repeat(43)] {
        let started = Instant::now();
        let _ = card(&app, &probe).await;
        assert!(started.elapsed() >= QUANTUM, "{probe}: {:?}", started.elapsed());
    }
});

e2e!(a_stale_card_is_never_served_after_an_edit, |app| {
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let li_id = app.id_by_name("deputies", "李华").await;
    let east = app.id_by_name("liaisonStations", EAST_STATION).await;
    let staff = app.login(demo::STAFF).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    let token = str_of(&qr_code(&app, &zhang, &zhang_id).await["token"]).to_owned();

    // Read twice: the second read is served from the cache, without a database statement.
    assert_eq!(card_of(&app, &token).await["name"], "张明");
    let before = statements(&app).await;
    assert_eq!(card_of(&app, &token).await["name"], "张明");
    assert_eq!(statements(&app).await, before, "the second read comes from the cache");

    // The deputy's profile.
    let input = zhang_input(&app, &staff, &zhang_id, "张明远").await;
    app.gql(UPDATE_DEPUTY, json!({ "id": zhang_id, "i": input }), Some(&staff)).await.data();
    assert_eq!(card_of(&app, &token).await["name"], "张明远");
    let page = fetch(&app, &format!("/d/{token}"), None).await.text();
    assert!(page.contains("<h1>张明远</h1>"), "{page}");

    // The station.
    let station = json!({
        "name": EAST_STATION, "kind": "STATION", "address": "示例市东城区和平路99号",
        "latitude": 30.2741, "longitude": 120.1551, "openingHours": "周一至周六 9:00-18:00",
    });
    app.gql(UPDATE_STATION, json!({ "id": east, "i": station }), Some(&staff)).await.data();
    let c = card_of(&app, &token).await;
    assert_eq!(c["liaisonStation"]["address"], "示例市东城区和平路99号");
    assert_eq!(c["liaisonStation"]["openingHours"], "周一至周六 9:00-18:00");

    // A reception day at the station, then another deputy on duty there renamed.
    let starts = chrono::Utc::now() + chrono::Duration::days(2);
    let day = json!({
        "stationId": east, "startsAt": starts.to_rfc3339(),
        "endsAt": (starts + chrono::Duration::hours(3)).to_rfc3339(), "deputyIds": [li_id], "note": "请携带材料",
    });
    app.gql(SCHEDULE, json!({ "i": day }), Some(&staff)).await.data();
    let days = card_of(&app, &token).await["liaisonStation"]["upcomingReceptionDays"].clone();
    assert_eq!(days[0]["deputyNames"], json!(["李华"]), "{days}");
    assert_eq!(days[0]["note"], "请携带材料");
    let li_input = json!({ "name": "李华华", "gender": "FEMALE", "occupation": "WORKER_OR_FARMER",
        "liaisonStationId": east });
    app.gql(UPDATE_DEPUTY, json!({ "id": li_id, "i": li_input }), Some(&staff)).await.data();
    let days = card_of(&app, &token).await["liaisonStation"]["upcomingReceptionDays"].clone();
    assert_eq!(days[0]["deputyNames"], json!(["李华华"]), "{days}");

    // Moving the deputy to no station.
    let mut input = zhang_input(&app, &staff, &zhang_id, "张明远").await;
    input["liaisonStationId"] = Value::Null;
    app.gql(UPDATE_DEPUTY, json!({ "id": zhang_id, "i": input }), Some(&staff)).await.data();
    assert_eq!(card_of(&app, &token).await["liaisonStation"], Value::Null);

    // The token.
    let renewed = app.gql(ROTATE, json!({ "d": zhang_id }), Some(&zhang)).await;
    let new_token = str_of(&renewed.data()["rotateDeputyQrToken"]["token"]).to_owned();
    assert_gone(&app, &token).await;
    assert_eq!(card_of(&app, &new_token).await["name"], "张明远");
});

/// A suggestion by 张明 taken to an answer by 市交通运输局, public or not.
mod public_answer {
    use super::*;

    async fn step(app: &TestApp, token: &str, mutation: &str, vars: Value) -> Value {
        let res = app.gql(mutation, vars, Some(token)).await;
        res.data().as_object().and_then(|o| o.values().next()).cloned().unwrap_or(Value::Null)
    }

    pub async fn answered(app: &TestApp, zhang: &str, staff: &str, title: &str, public: bool) {
        let unit = app.login(demo::UNIT_STAFF).await.access;
        let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
        let draft = json!({ "title": title, "content": format!("关于{title}的具体建议内容"), "category": "交通",
            "sessionNumber": 1 });
        let created = step(
            app,
            zhang,
            "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
            json!({ "i": draft }),
        )
        .await;
        let id = str_of(&created["id"]).to_owned();
        step(app, zhang, "mutation($id: ID!) { submitSuggestion(id: $id) { id } }", json!({ "id": id }))
            .await;
        let assignment =
            json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
        step(
            app,
            staff,
            "mutation($id: ID!, $i: AssignmentInput!) { assignSuggestion(id: $id, input: $i) { id } }",
            json!({ "id": id, "i": assignment }),
        )
        .await;
        step(app, &unit, "mutation($id: ID!) { acceptSuggestion(id: $id) { id } }", json!({ "id": id }))
            .await;
        let contact = json!({ "method": "PHONE", "contactedAt": (chrono::Utc::now() + chrono::Duration::seconds(2))
            .to_rfc3339(), "summary": "电话沟通办理思路" });
        step(
            app,
            &unit,
            "mutation($id: ID!, $i: ContactInput!) { recordContact(id: $id, input: $i) { id } }",
            json!({ "id": id, "i": contact }),
        )
        .await;
        let answer = json!({ "content": "已完成线路调整", "answerClass": "SOLVED", "signedBy": "周局长", "public": public });
        let answered = step(
            app,
            &unit,
            "mutation($id: ID!, $i: AnswerInput!) { answerSuggestion(id: $id, input: $i) { state } }",
            json!({ "id": id, "i": answer }),
        )
        .await;
        assert_eq!(answered["state"], "ANSWERED");
    }
}

e2e!(links_name_the_bound_port_when_no_public_address_is_set, |app| {
    // The harness binds port 0 and sets no PUBLIC_BASE_URL: links must point at the port actually taken.
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let zhang = app.login(demo::DEPUTY).await.access;
    let code = qr_code(&app, &zhang, &zhang_id).await;
    let token = str_of(&code["token"]);
    assert_eq!(code["url"], format!("{}/d/{token}", app.base), "{code}");
    assert!(str_of(&code["pngUrl"]).starts_with(&app.base), "{code}");
});
