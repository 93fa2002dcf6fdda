//! The Open311 GeoReport v2 read endpoint: its answers pass the spec's schemas (`tests/js/open311.mjs`,
//! Ajv, every object closed), hold nothing anyone wrote or gave (no content, place text, name, phone or
//! answer; the point rounded to about 100 m), filter as the spec says, and refuse bad queries and writes
//! with the spec's error list.

use edaibiao_tests::{Cast, TestApp, e2e, node, str_of};
use serde_json::{Value, json};

/// A GET of `/open311/v2/{path}`: status, the CORS header and the JSON body.
async fn get(app: &TestApp, path: &str) -> (u16, String, Value) {
    let mut response =
        app.client.get(app.url(&format!("/open311/v2/{path}"))).send().await.expect("GET failed");
    let cors = response
        .headers()
        .get("access-control-allow-origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body().limit(4 * 1024 * 1024).await.expect("no body");
    (response.status().as_u16(), cors, serde_json::from_slice(&body).expect("JSON"))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().map(|l| l.iter().map(|r| str_of(&r["service_request_id"])).collect()).unwrap_or_default()
}

e2e!(open311_publishes_opinions_without_personal_data, |app| {
    let c = Cast::of(&app).await;
    let qr = c.zhang_qr(&app).await;
    let submit = |input: Value| {
        let app = &app;
        async move {
            let res = app
                .gql(
                    "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
                    json!({ "i": input }),
                    None,
                )
                .await;
            str_of(&res.data()["submitOpinion"]["trackingCode"]).to_owned()
        }
    };
    submit(json!({ "qrToken": qr, "category": "URBAN_MANAGEMENT", "content": "孙女士家门口的井盖松动",
                   "location": "和平路88号3单元", "contactName": "孙女士", "contactPhone": "13912345678",
                   "position": { "latitude": 30.274149, "longitude": 120.155149 },
                   "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION }))
    .await;
    submit(json!({ "stationId": c.east, "category": "TRANSPORT", "content": "公交站台缺少遮雨棚" })).await;
    let staff_view =
        app.gql("{ opinions(first: 10) { nodes { id category content } } }", json!({}), Some(&c.staff)).await;
    let nodes = staff_view.data()["opinions"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.len(), 2);

    // The spec's own shapes, checked by a validator.
    let (status, cors, all) = get(&app, "requests.json").await;
    assert_eq!((status, cors.as_str()), (200, "*"));
    let first = ids(&all)[0].to_owned();
    if let Some(run) = node::run_script("open311.mjs", "ajv", vec![app.url(""), first.clone()]).await {
        assert!(run.success, "Open311 schema: {}", run.output);
    }

    // Nothing anyone wrote or gave.
    let text = all.to_string();
    for secret in ["孙女士", "13912345678", "139****5678", "和平路", "井盖", "遮雨棚", "30.274149"]
    {
        assert!(!text.contains(secret), "{secret} is published: {text}");
    }
    let manhole = all
        .as_array()
        .and_then(|l| l.iter().find(|r| r["service_code"] == "URBAN_MANAGEMENT"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (manhole["lat"].as_f64(), manhole["long"].as_f64()),
        (Some(30.274), Some(120.155)),
        "{manhole}"
    );
    assert_eq!(
        (manhole["status"].as_str(), manhole["status_notes"].as_str()),
        (Some("open"), Some("已提交，等待受理"))
    );
    assert_eq!(manhole["agency_responsible"], "东城街道人大代表联络站");
    assert!(manhole["description"].is_null() && manhole["address"].is_null());
    assert!(str_of(&manhole["requested_datetime"]).ends_with("+08:00"));

    // Filters: by service, by status, by id, by jurisdiction.
    assert_eq!(ids(&get(&app, "requests.json?service_code=TRANSPORT").await.2).len(), 1);
    assert_eq!(ids(&get(&app, "requests.json?status=closed").await.2).len(), 0);
    assert_eq!(ids(&get(&app, "requests.json?status=open").await.2).len(), 2);
    assert_eq!(
        ids(&get(&app, &format!("requests.json?service_request_id={first}")).await.2),
        [first.as_str()]
    );
    assert_eq!(ids(&get(&app, &format!("requests.json?jurisdiction_id={}", c.congress)).await.2).len(), 2);
    let (_, _, services) = get(&app, "services.json").await;
    assert_eq!(services.as_array().map(Vec::len), Some(9));
    assert_eq!(services[0]["metadata"], false);

    // Refusals in the spec's error list.
    for (path, status) in [
        ("requests.json?service_code=PARKING", 400),
        ("requests.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z", 400),
        ("requests/not-an-id.json", 404),
        ("services/TRANSPORT.json", 404),
    ] {
        let (got, _, body) = get(&app, path).await;
        assert_eq!((got, body[0]["code"].as_u64()), (status, Some(u64::from(status))), "{path}: {body}");
    }
    let mut response = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .send_body("service_code=TRANSPORT&description=x")
        .await
        .expect("POST failed");
    assert_eq!(response.status().as_u16(), 405);
    let body: Value = serde_json::from_slice(&response.body().await.expect("body")).expect("JSON");
    assert_eq!(body[0]["code"], 405);
});
