//! Mobile push end to end: a phone registered over GraphQL receives, through a fake push gateway started
//! by the test, the notifications of its owner and nobody else's; muted categories stay in the inbox only;
//! device and preference input is checked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::{TestApp, WebhookSink, demo, e2e};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Waits (up to 15 s) for a push of `notification_id` to reach `gateway` and returns its body.
async fn wait_for(gateway: &WebhookSink, notification_id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(body) = gateway.received().into_iter().find(|b| b["notificationId"] == notification_id) {
            return body;
        }
        assert!(Instant::now() < deadline, "no push of {notification_id}; got {:?}", gateway.received());
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Device tokens of every push `gateway` received so far.
fn tokens(gateway: &WebhookSink) -> Vec<String> {
    gateway
        .received()
        .iter()
        .flat_map(|b| b["devices"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| d["token"].as_str().map(str::to_owned))
        .collect()
}

/// A second server on the same data that pushes to `gateway` (the first has no gateway configured).
async fn with_gateway(app: &TestApp, gateway: &WebhookSink) -> TestApp {
    let mut env = app.env.clone();
    env.set("PUSH_GATEWAY_URL", &gateway.url);
    env.set("PUSH_INTERVAL_SECS", "1");
    env.spawn().await
}

const REGISTER: &str =
    "mutation($p: Platform!, $t: String!) { registerDevice(platform: $p, token: $t) { platform token } }";
const UNREGISTER: &str = "mutation($t: String!) { unregisterDevice(token: $t) }";
const PREFERENCES: &str = "mutation($i: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $i) { mutedCategories dailyDigest digestTime }
}";

async fn register(app: &TestApp, token: &str, platform: &str, device: &str) {
    let res = app.gql(REGISTER, json!({ "p": platform, "t": device }), Some(token)).await;
    assert_eq!(res.data()["registerDevice"], json!({ "platform": platform, "token": device }));
}

/// 张明 drafts and submits a suggestion and staff assign it to 市交通运输局: 张明 and the unit's staff are
/// told of the assignment.
async fn assigned_suggestion(app: &TestApp, zhang: &str, staff: &str) {
    let q = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let i = json!({ "i": { "title": "关于夜间公交的建议", "content": "增开夜班车", "category": "交通", "sessionNumber": 1 } });
    let id = app.gql(q, i, Some(zhang)).await.data()["createSuggestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let submit = "mutation($id: ID!) { submitSuggestion(id: $id) { id } }";
    app.gql(submit, json!({ "id": id }), Some(zhang)).await.data();
    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let assign = "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id } }";
    let a = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
    app.gql(assign, json!({ "id": id, "a": a }), Some(staff)).await.data();
}

/// The UUID behind the newest notification's global ID, with its kind and category.
async fn newest_notification(app: &TestApp, token: &str) -> (String, String, String) {
    let q = "{ notifications(first: 1) { nodes { id kind category } } }";
    let res = app.gql(q, json!({}), Some(token)).await;
    let node = &res.data()["notifications"]["nodes"][0];
    let global = node["id"].as_str().unwrap_or_else(|| panic!("no notification: {}", res.body));
    let raw = URL_SAFE_NO_PAD.decode(global).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let uuid = text.strip_prefix("Notification:").unwrap_or_else(|| panic!("not a notification: {text}"));
    let field = |name: &str| node[name].as_str().unwrap_or_default().to_owned();
    (uuid.to_owned(), field("kind"), field("category"))
}

e2e!(a_registered_phone_gets_its_owners_notifications_only, |app| {
    let gateway = WebhookSink::start("/push");
    let app = with_gateway(&app, &gateway).await;
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let staff = app.login(demo::STAFF).await.access;
    register(&app, &zhang, "IOS", "zhang-e2e-iphone").await;
    register(&app, &li, "ANDROID", "li-e2e-phone").await;
    let devices = app.gql("{ devices { platform token createdAt } }", json!({}), Some(&zhang)).await;
    assert_eq!(devices.data()["devices"][0]["token"], "zhang-e2e-iphone");

    assigned_suggestion(&app, &zhang, &staff).await;
    let (id, kind, category) = newest_notification(&app, &zhang).await;
    assert_eq!((kind.as_str(), category.as_str()), ("ASSIGNED", "PROGRESS"));
    let push = wait_for(&gateway, &id).await;
    assert_eq!(push["devices"], json!([{ "platform": "IOS", "token": "zhang-e2e-iphone" }]));
    assert_eq!(push["kind"], "ASSIGNED");
    assert_eq!(push["title"], "建议已交办");
    assert!(push["badge"].as_u64().is_some_and(|b| b >= 1));
    // 李华 is not part of this suggestion: her phone hears nothing.
    assert!(!tokens(&gateway).contains(&"li-e2e-phone".to_owned()), "{:?}", gateway.received());
});

e2e!(a_muted_category_stays_in_the_inbox, |app| {
    let gateway = WebhookSink::start("/push");
    let app = with_gateway(&app, &gateway).await;
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;
    register(&app, &zhang, "HARMONY", "zhang-e2e-mate").await;
    register(&app, &unit, "ANDROID", "unit-e2e-phone").await;
    let muted = app.gql(PREFERENCES, json!({ "i": { "mutedCategories": ["PROGRESS"] } }), Some(&zhang)).await;
    let expected = json!({ "mutedCategories": ["PROGRESS"], "dailyDigest": false, "digestTime": "20:00" });
    assert_eq!(muted.data()["updateNotificationPreferences"], expected);
    let read = app.gql(
        "{ notificationPreferences { mutedCategories dailyDigest digestTime } }",
        json!({}),
        Some(&zhang),
    );
    assert_eq!(read.await.data()["notificationPreferences"], expected);

    assigned_suggestion(&app, &zhang, &staff).await;
    let (zhang_id, kind, _) = newest_notification(&app, &zhang).await;
    assert_eq!(kind, "ASSIGNED", "the inbox still gets it");
    // The unit's notice of the same assignment is pushed in the same run as 张明's is skipped.
    let (unit_id, _, _) = newest_notification(&app, &unit).await;
    wait_for(&gateway, &unit_id).await;
    assert!(gateway.received().iter().all(|b| b["notificationId"] != zhang_id.as_str()));
    assert!(!tokens(&gateway).contains(&"zhang-e2e-mate".to_owned()));
});

e2e!(device_and_preference_input_is_checked, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    for bad in ["", "   ", "has space", "令牌", &"x".repeat(4097)] {
        let res = app.gql(REGISTER, json!({ "p": "IOS", "t": bad }), Some(&zhang)).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "token");
    }
    let res = app.gql(REGISTER, json!({ "p": "WINDOWS", "t": "abc" }), Some(&zhang)).await;
    assert!(res.body["errors"].is_array(), "an unknown platform is refused: {}", res.body);
    app.gql(REGISTER, json!({ "p": "IOS", "t": "abc" }), None).await.assert_code("UNAUTHENTICATED");
    app.gql("{ notificationPreferences { dailyDigest } }", json!({}), None)
        .await
        .assert_code("UNAUTHENTICATED");
    app.gql(UNREGISTER, json!({ "t": "abc" }), None).await.assert_code("UNAUTHENTICATED");

    for bad in ["08:10", "25:00", "8pm"] {
        let res = app.gql(PREFERENCES, json!({ "i": { "digestTime": bad } }), Some(&zhang)).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "digestTime");
    }
    let digest = json!({ "i": { "dailyDigest": true, "digestTime": "07:30" } });
    let res = app.gql(PREFERENCES, digest, Some(&zhang)).await;
    let expected = json!({ "mutedCategories": [], "dailyDigest": true, "digestTime": "07:30" });
    assert_eq!(res.data()["updateNotificationPreferences"], expected);

    // Someone else's token: nothing happens to it.
    register(&app, &zhang, "IOS", "zhang-own-phone").await;
    let res = app.gql(UNREGISTER, json!({ "t": "zhang-own-phone" }), Some(&li)).await;
    assert_eq!(res.data()["unregisterDevice"], false);
    let listed = app.gql("{ devices { token } }", json!({}), Some(&zhang)).await;
    assert_eq!(listed.data()["devices"], json!([{ "token": "zhang-own-phone" }]));
    // One's own: gone.
    let res = app.gql(UNREGISTER, json!({ "t": "zhang-own-phone" }), Some(&zhang)).await;
    assert_eq!(res.data()["unregisterDevice"], true);
    let listed = app.gql("{ devices { token } }", json!({}), Some(&zhang)).await;
    assert_eq!(listed.data()["devices"], json!([]));
});
