//! A person's rights over their personal data (PIPL): the copy to download (`GET /me/personal-data.json`)
//! holds what they gave, and only theirs; a citizen deletes their own account (`deleteMyAccount`), after
//! which nothing can log in as it, and the opinions it submitted stay without anything that says who
//! raised them. (The retention job's erasure is tested against the database in `infra/tests/opinions.rs`.)

use edaibiao_tests::{Cast, TestApp, e2e, opinions, str_of};
use serde_json::{Value, json};

const PHONE: &str = "13712340001";
const PASSWORD: &str = "secret123a";
const CONTACT_PHONE: &str = "13912345678";
const DELETE: &str = "mutation($p: String!) { deleteMyAccount(password: $p) }";

/// `GET /me/personal-data.json` with an optional token: status, Content-Disposition and the JSON body.
async fn copy(app: &TestApp, token: Option<&str>) -> (u16, String, Value) {
    let mut request = app.client.get(app.url("/me/personal-data.json"));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.expect("GET failed");
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body().limit(1024 * 1024).await.expect("no body");
    (response.status().as_u16(), disposition, serde_json::from_slice(&body).expect("JSON"))
}

e2e!(a_citizen_downloads_their_data_and_deletes_the_account, |app| {
    let c = Cast::of(&app).await;
    let registered = app.register_citizen(PHONE, "赵六", PASSWORD).await;
    let token = str_of(&registered["accessToken"]).to_owned();
    let qr = c.zhang_qr(&app).await;
    let submitted = app
        .gql(
            "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
            json!({ "i": { "qrToken": qr, "category": "TRANSPORT", "content": "公交站台缺少遮雨棚",
                           "contactName": "赵先生", "contactPhone": CONTACT_PHONE,
                           "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } }),
            Some(&token),
        )
        .await;
    let code = str_of(&submitted.data()["submitOpinion"]["trackingCode"]).to_owned();
    let id = opinions::id(&opinions::by_tracking_code(&app, &c.staff, &code, "").await);
    let accepted = app
        .gql("mutation($id: ID!) { acceptOpinion(id: $id) { state } }", json!({ "id": id }), Some(&c.zhang))
        .await;
    assert_eq!(accepted.data()["acceptOpinion"]["state"], "ACCEPTED");

    // The copy: theirs, whole, as a download; nobody else's; not without a login.
    let (status, _, refused) = copy(&app, None).await;
    assert_eq!((status, refused["errors"][0]["extensions"]["code"].as_str()), (401, Some("UNAUTHENTICATED")));
    let (status, disposition, mine) = copy(&app, Some(&token)).await;
    assert_eq!(status, 200, "{mine}");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(
        (mine["account"]["phone"].as_str(), mine["account"]["name"].as_str()),
        (Some(PHONE), Some("赵六"))
    );
    let opinion = &mine["opinions"][0];
    assert_eq!(mine["opinions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (opinion["trackingCode"].as_str(), opinion["content"].as_str(), opinion["contactPhone"].as_str()),
        (Some(code.as_str()), Some("公交站台缺少遮雨棚"), Some(CONTACT_PHONE)),
        "their own phone in full"
    );
    assert_eq!(opinion["contactName"], "赵先生");
    assert_eq!(
        opinion["privacyConsent"]["noticeVersion"].as_str(),
        Some(edaibiao_tests::PRIVACY_NOTICE_VERSION),
        "the consent it came with"
    );
    assert_eq!(opinion["privacyConsent"]["covers"], json!(["CONTACT_NAME", "CONTACT_PHONE"]));
    // Every consent the account gave: the sign-up's, then the opinion's.
    let given: Vec<(&str, &Value)> = mine["consents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (str_of(&c["purpose"]), &c["covers"]))
        .collect();
    let both = json!(["CONTACT_NAME", "CONTACT_PHONE"]);
    assert_eq!(given, [("ACCOUNT", &both), ("OPINION", &both)], "{}", mine["consents"]);
    assert_eq!(mine["consents"][0]["subjectId"], mine["account"]["id"], "the sign-up's is about the account");
    let kinds: Vec<&str> = opinion["steps"]
        .as_array()
        .map(|s| s.iter().map(|s| str_of(&s["kind"])).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["SUBMITTED", "ACCEPTED"]);
    let (_, _, others) = copy(&app, Some(&c.citizen)).await;
    assert!(!others.to_string().contains(&code) && !others.to_string().contains(CONTACT_PHONE), "{others}");

    // Who may delete: the citizen, with the password.
    app.gql(DELETE, json!({ "p": PASSWORD }), None).await.assert_code("UNAUTHENTICATED");
    app.gql(DELETE, json!({ "p": "demo1234" }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(DELETE, json!({ "p": "wrong-password1" }), Some(&token)).await.assert_code("BAD_USER_INPUT");
    assert_eq!(app.gql("{ me { name } }", json!({}), Some(&token)).await.data()["me"]["name"], "赵六");
    let deleted = app.gql(DELETE, json!({ "p": PASSWORD }), Some(&token)).await;
    assert_eq!(deleted.data()["deleteMyAccount"], true);

    // Nothing logs in as it any more.
    app.gql("{ me { name } }", json!({}), Some(&token)).await.assert_code("UNAUTHENTICATED");
    let login = app.gql(edaibiao_tests::LOGIN, json!({ "phone": PHONE, "password": PASSWORD }), None).await;
    login.assert_code("UNAUTHENTICATED");
    assert_eq!(copy(&app, Some(&token)).await.0, 401);

    // The opinion stays for the record, without who raised it.
    let fields = "contactName contactPhone content state timeline { kind actorRole }";
    let seen = app
        .gql(
            &format!("query($id: ID!) {{ opinion(id: $id) {{ {fields} }} }}"),
            json!({ "id": id }),
            Some(&c.staff),
        )
        .await;
    let seen = &seen.data()["opinion"];
    assert_eq!(
        (seen["contactName"].clone(), seen["contactPhone"].clone()),
        (Value::Null, Value::Null),
        "{seen}"
    );
    assert_eq!(
        (seen["content"].as_str(), seen["state"].as_str()),
        (Some("公交站台缺少遮雨棚"), Some("ACCEPTED"))
    );
    let last = seen["timeline"].as_array().and_then(|t| t.last()).cloned().unwrap_or_default();
    assert_eq!(last, json!({ "kind": "CONTACT_ERASED", "actorRole": "SYSTEM" }));
    let (_, _, page) = app.get(&format!("/t/{code}")).await;
    assert!(page.contains("联系方式已按规定删除"), "{page}");

    // The number is free again: a new account starts empty.
    let again = app.register_citizen(PHONE, "赵六", PASSWORD).await;
    let (_, _, fresh) = copy(&app, Some(str_of(&again["accessToken"]))).await;
    assert_eq!(fresh["opinions"], json!([]));
    assert_ne!(fresh["account"]["id"], mine["account"]["id"]);
});
