//! Where opinions are: a position given in WGS-84 or GCJ-02 is stored in WGS-84 and read back in both; the
//! district is the citizen's or the addressed station's; staff and deputies list the opinions near a point
//! or inside a district for a map, with the usual visibility; bad coordinates and codes are BAD_USER_INPUT.

use edaibiao_tests::{Cast, TestApp, e2e, str_of};
use serde_json::{Value, json};

/// 东城街道人大代表联络站 (district 330102 in the seed).
const STATION: (f64, f64) = (30.2741, 120.1551);

async fn submit(app: &TestApp, c: &Cast, content: &str, extra: Value) -> Value {
    let mut input = json!({ "stationId": c.east, "category": "URBAN_MANAGEMENT", "content": content,
                            "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    let address = format!("10.9.{}.{}", content.len() % 250, content.chars().count() % 250);
    let request = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", address));
    let body = json!({
        "query": "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        "variables": { "i": input },
    });
    let mut response = request.send_body(body.to_string()).await.expect("request failed");
    serde_json::from_slice(&response.body().await.expect("body")).expect("JSON")
}

/// The contents of the opinions `filter` lists for `token`, sorted; or the error code.
async fn listed(app: &TestApp, filter: Value, token: &str) -> Result<Vec<String>, String> {
    let res = app
        .gql(
            "query($f: OpinionFilter) { opinions(first: 100, filter: $f) { nodes { content } } }",
            json!({ "f": filter }),
            Some(token),
        )
        .await;
    if let Some(code) = res.body["errors"][0]["extensions"]["code"].as_str() {
        return Err(code.to_owned());
    }
    let mut found: Vec<String> = res.body["data"]["opinions"]["nodes"]
        .as_array()
        .map(|n| n.iter().map(|n| str_of(&n["content"]).to_owned()).collect())
        .unwrap_or_default();
    found.sort();
    Ok(found)
}

e2e!(opinions_are_placed_and_found_near_a_point_or_in_a_district, |app| {
    let c = Cast::of(&app).await;
    let here = json!({ "position": { "latitude": STATION.0, "longitude": STATION.1 } });
    assert!(submit(&app, &c, "甲：路口积水", here).await["errors"].is_null());
    // About 3 km north, given as a Chinese map gives it (GCJ-02 of 30.3011, 120.1551 is 30.29877, 120.15980).
    let picked = json!({ "position": { "latitude": 30.29877, "longitude": 120.15980, "datum": "GCJ02" } });
    assert!(submit(&app, &c, "乙：公园路灯坏了", picked).await["errors"].is_null());
    let elsewhere = json!({ "divisionCode": "330106" });
    assert!(submit(&app, &c, "丙：西湖区的事", elsewhere).await["errors"].is_null());

    for (bad, field) in [
        (json!({ "position": { "latitude": 91.0, "longitude": 120.0 } }), "position"),
        (json!({ "position": { "latitude": 30.0, "longitude": -181.0 } }), "position"),
        (json!({ "divisionCode": "999999" }), "divisionCode"),
        (json!({ "divisionCode": "33010x" }), "divisionCode"),
    ] {
        let res = submit(&app, &c, "丁：不会收下", bad.clone()).await;
        assert_eq!(res["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{bad}: {res}");
        let said = res["errors"][0]["extensions"]["field"].as_str().unwrap_or_default().to_owned();
        assert!(said == field || said == "latitude" || said == "longitude", "{bad}: {res}");
    }

    // Stored in WGS-84, read in both datums; the district is the station's unless given.
    let res = app
        .gql(
            "{ opinions(first: 100) { nodes { content divisionCode position { latitude longitude gcj02 { latitude longitude } } } } }",
            json!({}),
            Some(&c.staff),
        )
        .await;
    let nodes = res.data()["opinions"]["nodes"].as_array().cloned().unwrap_or_default();
    let by = |prefix: &str| {
        nodes.iter().find(|n| str_of(&n["content"]).starts_with(prefix)).cloned().unwrap_or_default()
    };
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let b = by("乙");
    assert!((num(&b["position"]["latitude"]) - 30.3011).abs() < 1e-4, "{b}");
    assert!((num(&b["position"]["longitude"]) - 120.1551).abs() < 1e-4, "{b}");
    assert!(
        (num(&b["position"]["gcj02"]["latitude"]) - 30.29877).abs() < 1e-6,
        "back to what was picked: {b}"
    );
    assert_eq!(
        (by("甲")["divisionCode"].as_str(), b["divisionCode"].as_str()),
        (Some("330102"), Some("330102"))
    );
    assert_eq!(
        (by("丙")["divisionCode"].as_str(), by("丙")["position"].clone()),
        (Some("330106"), Value::Null)
    );

    // Near a point: the circle, not the box; the centre in either datum.
    let near = |lat: f64, lon: f64, km: f64, datum: &str| json!({ "near": { "latitude": lat, "longitude": lon, "radiusKm": km, "datum": datum } });
    assert_eq!(
        listed(&app, near(STATION.0, STATION.1, 1.0, "WGS84"), &c.staff).await,
        Ok(vec!["甲：路口积水".into()])
    );
    assert_eq!(
        listed(&app, near(STATION.0, STATION.1, 5.0, "WGS84"), &c.staff).await,
        Ok(vec!["乙：公园路灯坏了".into(), "甲：路口积水".into()])
    );
    // 3.0 km due north is inside 3.01 km and outside 2.99 km.
    assert_eq!(
        listed(&app, near(STATION.0, STATION.1, 2.99, "WGS84"), &c.staff).await.map(|v| v.len()),
        Ok(1)
    );
    assert_eq!(
        listed(&app, near(STATION.0, STATION.1, 3.01, "WGS84"), &c.staff).await.map(|v| v.len()),
        Ok(2)
    );
    // The GCJ-02 point of 乙 as the centre finds 乙 within 50 m: the centre was converted.
    assert_eq!(
        listed(&app, near(30.29877, 120.1598, 0.05, "GCJ02"), &c.staff).await,
        Ok(vec!["乙：公园路灯坏了".into()])
    );
    assert_eq!(listed(&app, near(30.29877, 120.1598, 0.05, "WGS84"), &c.staff).await, Ok(vec![]));

    // Inside a district, a city, a province.
    let district = |code: &str| json!({ "divisionCode": code });
    assert_eq!(listed(&app, district("330102"), &c.staff).await.map(|v| v.len()), Ok(2));
    assert_eq!(listed(&app, district("330106"), &c.staff).await, Ok(vec!["丙：西湖区的事".into()]));
    assert_eq!(listed(&app, district("330100"), &c.staff).await.map(|v| v.len()), Ok(3));
    assert_eq!(listed(&app, district("330000"), &c.staff).await.map(|v| v.len()), Ok(3));
    assert_eq!(listed(&app, district("110000"), &c.staff).await, Ok(vec![]));

    // The usual visibility: the station's deputy and worker see them; a unit nothing was forwarded to and
    // a citizen who submitted none see none.
    let wide = json!({ "divisionCode": "330000" });
    assert_eq!(listed(&app, wide.clone(), &c.station).await.map(|v| v.len()), Ok(3));
    assert_eq!(listed(&app, wide.clone(), &c.unit).await, Ok(vec![]));
    assert_eq!(listed(&app, wide.clone(), &c.citizen).await, Ok(vec![]));

    for bad in [
        near(STATION.0, STATION.1, 0.0, "WGS84"),
        near(STATION.0, STATION.1, 101.0, "WGS84"),
        near(95.0, STATION.1, 1.0, "WGS84"),
        district("3301"),
    ] {
        assert_eq!(listed(&app, bad.clone(), &c.staff).await, Err("BAD_USER_INPUT".into()), "{bad}");
    }
});

e2e!(stations_carry_their_district_and_gcj02_point, |app| {
    let c = Cast::of(&app).await;
    let query = "query($id: ID!) { node(id: $id) { ... on LiaisonStation { divisionCode latitude gcj02 { latitude longitude } } } }";
    let res = app.gql(query, json!({ "id": c.east }), None).await;
    let station = &res.data()["node"];
    assert_eq!(station["divisionCode"], "330102");
    let gcj = station["gcj02"]["latitude"].as_f64().unwrap_or_default();
    assert!(gcj != STATION.0 && (gcj - STATION.0).abs() < 0.01, "shifted a little: {station}");

    let update = "mutation($id: ID!, $i: LiaisonStationInput!) { updateLiaisonStation(id: $id, input: $i) { divisionCode } }";
    let input = |code: &str| {
        json!({ "id": c.east, "i": { "name": "东城街道人大代表联络站", "kind": "STATION", "address": "示例市东城区和平路88号",
                  "latitude": STATION.0, "longitude": STATION.1, "divisionCode": code } })
    };
    let res = app.gql(update, input("330105"), Some(&c.staff)).await;
    assert_eq!(res.data()["updateLiaisonStation"]["divisionCode"], "330105");
    app.gql(update, input("33010"), Some(&c.staff)).await.assert_code("BAD_USER_INPUT");
    // New opinions addressed there are placed in the new district.
    let res = app
        .gql(
            "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
            json!({ "i": { "stationId": c.east, "category": "TRANSPORT", "content": "公交站牌褪色" } }),
            None,
        )
        .await;
    assert!(res.body["errors"].is_null(), "{}", res.body);
    let found = listed(&app, json!({ "divisionCode": "330105" }), &c.staff).await;
    assert_eq!(found, Ok(vec!["公交站牌褪色".into()]));
});
