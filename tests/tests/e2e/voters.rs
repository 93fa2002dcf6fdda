//! The voters' rating of a report to voters (述职测评) end to end: each reporting deputy gets a public link
//! and QR code; a voter asks for a one-time code, which a fake SMS gateway started by the test receives,
//! and rates once per phone. Wrong codes, a second rating, requests too often and visibility of the link.

use edaibiao_tests::{TestApp, WebhookSink, demo, e2e, str_of};
use serde_json::{Value, json};

const CITY: &str = "示例市第十七届人民代表大会";

/// A code request that agrees to the voters' rating privacy notice (the page's checkbox).
const REQUEST: &str = "mutation($t: String!, $p: String!) {
    requestVoterRatingCode(token: $t, phone: $p, privacyConsent: \"2026-12-06\") { expiresAt } }";
const REQUEST_WITH: &str = "mutation($t: String!, $p: String!, $v: String) {
    requestVoterRatingCode(token: $t, phone: $p, privacyConsent: $v) { expiresAt } }";
const RATE: &str = "mutation($t: String!, $p: String!, $c: String!, $r: Satisfaction!) {
    rateReportToVoters(token: $t, phone: $p, code: $c, rating: $r)
}";
const LINKS: &str = "query($id: ID!) { activity(id: $id) { participants { deputy { name }
    voterRating { url qrSvgUrl token satisfied basicallySatisfied dissatisfied } } } }";

fn at(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// A report to voters by 张明 and 李华 that began 10 minutes ago (rating is open).
async fn report(app: &TestApp, staff: &str, from: i64) -> String {
    let zhang = app.id_by_name("deputies", "张明").await;
    let li = app.id_by_name("deputies", "李华").await;
    let input = json!({
        "congressId": app.id_by_name("congresses", CITY).await, "kind": "REPORT_TO_VOTERS",
        "title": "2026年度代表述职会", "place": "东城街道社区服务中心", "startsAt": at(from), "endsAt": at(from + 120),
        "participation": "ASSIGNED", "deputyIds": [zhang, li],
    });
    let res = app
        .gql(
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }",
            json!({ "i": input }),
            Some(staff),
        )
        .await;
    str_of(&res.data()["createActivity"]["id"]).to_owned()
}

/// The rating link of `name` as `token` sees it.
async fn link(app: &TestApp, token: &str, id: &str, name: &str) -> Value {
    let res = app.gql(LINKS, json!({ "id": id }), Some(token)).await;
    res.data()["activity"]["participants"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["deputy"]["name"] == name))
        .map(|p| p["voterRating"].clone())
        .unwrap_or_else(|| panic!("{name} not in {}", res.body))
}

e2e!(voters_rate_a_report_once_per_phone, |app| {
    let sms = WebhookSink::start("/sms");
    let mut env = app.env.clone();
    env.set("SMS_GATEWAY_URL", &sms.url);
    let app = env.spawn().await;
    let staff = app.login(demo::STAFF).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let id = report(&app, &staff, -10).await;

    // The link is for staff and the deputy concerned.
    let seen = link(&app, &staff, &id, "张明").await;
    let token = str_of(&seen["token"]).to_owned();
    assert_eq!(str_of(&seen["url"]), format!("{}/v/{token}", app.base));
    assert!(str_of(&seen["qrSvgUrl"]).ends_with(&format!("/qr/voters/{token}.svg")));
    assert_eq!(link(&app, &zhang, &id, "张明").await["token"], seen["token"]);
    assert_eq!(link(&app, &li, &id, "张明").await, Value::Null, "not another deputy's");
    assert!(link(&app, &li, &id, "李华").await["token"].is_string());
    assert_ne!(link(&app, &li, &id, "李华").await["token"], seen["token"], "one link per deputy");

    // The public page and the QR code, without login.
    let (status, content_type, html) = app.get(&format!("/v/{token}")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("2026年度代表述职会") && html.contains("张明"), "{html}");
    // The page shows the notice of its purpose and asks for agreement before a code.
    assert!(html.contains("data-notice=\"2026-12-06\"") && html.contains("每个手机号只测评一次"), "{html}");
    assert!(html.contains("id=\"consent\"") && html.contains("privacyConsent: $v"), "{html}");
    let notice =
        app.gql("{ privacyNotice(purpose: VOTER_RATING) { purpose version text } }", json!({}), None).await;
    assert_eq!(notice.data()["privacyNotice"]["purpose"], "VOTER_RATING");
    assert!(html.contains(str_of(&notice.data()["privacyNotice"]["text"])), "the page shows the same notice");
    let (status, content_type, svg) = app.get(&format!("/qr/voters/{token}.svg")).await;
    assert_eq!((status, content_type.as_str()), (200, "image/svg+xml"));
    assert!(svg.starts_with("<svg"));
    assert_eq!(app.get("/v/unknown-token").await.0, 404);
    assert_eq!(app.get("/qr/voters/unknown-token.svg").await.0, 404);
    let public = app
        .gql(
            "query($t: String!) { reportToVoters(token: $t) { title deputyName open } }",
            json!({ "t": token }),
            None,
        )
        .await;
    assert_eq!(
        public.data()["reportToVoters"],
        json!({ "title": "2026年度代表述职会", "deputyName": "张明", "open": true })
    );

    // A voter asks for a code (no login) and rates with it; not before agreeing to the current notice.
    let phone = "13612345678";
    for agreed in [json!(null), json!("2020-01-01")] {
        let res = app.gql(REQUEST_WITH, json!({ "t": token, "p": phone, "v": agreed }), None).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "privacyConsent");
    }
    assert!(sms.received().iter().all(|m| m["phone"] != phone), "no code without the consent");
    app.gql(REQUEST, json!({ "t": token, "p": "136 1234 5678" }), None).await.data();
    let code = sms.last_code(phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app.gql(RATE, json!({ "t": token, "p": phone, "c": wrong, "r": "SATISFIED" }), None).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "code");
    app.gql(RATE, json!({ "t": token, "p": phone, "c": "12ab", "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(RATE, json!({ "t": token, "p": "12345", "c": code, "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    // The code is for this phone and this link only.
    app.gql(RATE, json!({ "t": token, "p": "13612345679", "c": code, "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    let li_token = str_of(&link(&app, &staff, &id, "李华").await["token"]).to_owned();
    app.gql(RATE, json!({ "t": li_token, "p": phone, "c": code, "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    let rated = app.gql(RATE, json!({ "t": token, "p": phone, "c": code, "r": "SATISFIED" }), None).await;
    assert_eq!(rated.data()["rateReportToVoters"], true);

    // The same phone again: CONFLICT, whether asking for a code or rating.
    app.gql(RATE, json!({ "t": token, "p": phone, "c": code, "r": "DISSATISFIED" }), None)
        .await
        .assert_code("CONFLICT");
    app.gql(REQUEST, json!({ "t": token, "p": phone }), None).await.assert_code("CONFLICT");

    // Two more voters; the counts show on the link, and the same phone may still rate 李华.
    for (voter, rating) in [("13712345678", "BASICALLY_SATISFIED"), ("13812345678", "DISSATISFIED")] {
        app.gql(REQUEST, json!({ "t": token, "p": voter }), None).await.data();
        let code = sms.last_code(voter);
        app.gql(RATE, json!({ "t": token, "p": voter, "c": code, "r": rating }), None).await.data();
    }
    app.gql(REQUEST, json!({ "t": li_token, "p": phone }), None).await.data();
    let code = sms.last_code(phone);
    app.gql(RATE, json!({ "t": li_token, "p": phone, "c": code, "r": "SATISFIED" }), None).await.data();
    let counts = link(&app, &zhang, &id, "张明").await;
    assert_eq!(
        (&counts["satisfied"], &counts["basicallySatisfied"], &counts["dissatisfied"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(link(&app, &li, &id, "李华").await["satisfied"], 1);
});

e2e!(codes_are_limited_and_ratings_open_only_with_the_report, |app| {
    let sms = WebhookSink::start("/sms");
    let mut env = app.env.clone();
    env.set("SMS_GATEWAY_URL", &sms.url);
    let app = env.spawn().await;
    let staff = app.login(demo::STAFF).await.access;
    let id = report(&app, &staff, -10).await;
    let token = str_of(&link(&app, &staff, &id, "张明").await["token"]).to_owned();

    // Unknown link; malformed phone.
    app.gql(REQUEST, json!({ "t": "no-such-token", "p": "13612345678" }), None)
        .await
        .assert_code("NOT_FOUND");
    let res = app.gql(REQUEST, json!({ "t": token, "p": "12345" }), None).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "phone");

    // Three codes per phone per link in ten minutes; the fourth request is refused and sends nothing.
    let phone = "13512345678";
    for _ in 0..3 {
        app.gql(REQUEST, json!({ "t": token, "p": phone }), None).await.data();
    }
    let sent = sms.count();
    let res = app.gql(REQUEST, json!({ "t": token, "p": phone }), None).await;
    res.assert_code("RATE_LIMITED");
    assert_eq!(sms.count(), sent);
    // A new code replaces the old: only the last one works; five wrong tries use it up.
    let code = sms.last_code(phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        app.gql(RATE, json!({ "t": token, "p": phone, "c": wrong, "r": "SATISFIED" }), None)
            .await
            .assert_code("BAD_USER_INPUT");
    }
    app.gql(RATE, json!({ "t": token, "p": phone, "c": code, "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    // Without a code first.
    app.gql(RATE, json!({ "t": token, "p": "13912345670", "c": "123456", "r": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");

    // A report that has not begun takes no ratings yet; its page says so.
    let later = report(&app, &staff, 120).await;
    let later_token = str_of(&link(&app, &staff, &later, "李华").await["token"]).to_owned();
    app.gql(REQUEST, json!({ "t": later_token, "p": "13612345678" }), None).await.assert_code("CONFLICT");
    let (status, _, html) = app.get(&format!("/v/{later_token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("测评未开放"));

    // Other kinds of activity have no rating link.
    let zhang = app.id_by_name("deputies", "张明").await;
    let input = json!({
        "congressId": app.id_by_name("congresses", CITY).await, "kind": "TRAINING", "title": "培训",
        "place": "会议室", "startsAt": at(10), "endsAt": at(60), "participation": "ASSIGNED", "deputyIds": [zhang],
    });
    let res = app
        .gql(
            "mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }",
            json!({ "i": input }),
            Some(&staff),
        )
        .await;
    let training = str_of(&res.data()["createActivity"]["id"]).to_owned();
    assert_eq!(link(&app, &staff, &training, "张明").await, Value::Null);
});
