//! Accounts and sessions: login, throttling, refresh rotation and reuse, logout, bad tokens, password
//! change, sign-up and who may create accounts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::{TEST_JWT_SECRET, TestApp, demo, e2e};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

const ME: &str = "{ me { name role phone deputy { name phone congress { level } } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

fn tokens_of(res: &Value) -> (String, String) {
    let payload = &res["refreshToken"];
    (
        payload["accessToken"].as_str().unwrap_or_default().to_owned(),
        payload["refreshToken"].as_str().unwrap_or_default().to_owned(),
    )
}

e2e!(login_then_me_shows_role_and_deputy_profile, |app| {
    let tokens = app.login(demo::DEPUTY).await;
    let me = app.gql(ME, json!({}), Some(&tokens.access)).await;
    let me = &me.data()["me"];
    assert_eq!(me["role"], "DEPUTY");
    assert_eq!(me["name"], "张明");
    assert_eq!(me["phone"], demo::DEPUTY, "the holder sees their own number");
    assert_eq!(me["deputy"]["name"], "张明");
    assert_eq!(me["deputy"]["phone"], demo::DEPUTY, "a deputy sees their own profile phone");
    assert_eq!(me["deputy"]["congress"]["level"], "CITY");

    let staff = app.login(demo::UNIT_STAFF).await;
    let me = app
        .gql("{ me { role deputy { name } handlingUnit { name } } }", json!({}), Some(&staff.access))
        .await;
    assert_eq!(me.data()["me"]["role"], "UNIT_STAFF");
    assert_eq!(me.data()["me"]["deputy"], Value::Null);
    assert_eq!(me.data()["me"]["handlingUnit"]["name"], "市交通运输局");

    app.gql(ME, json!({}), None).await.assert_code("UNAUTHENTICATED");
});

e2e!(wrong_password_and_unknown_phone_look_the_same, |app| {
    let wrong =
        app.gql(edaibiao_tests::LOGIN, json!({ "phone": demo::DEPUTY, "password": "nope12345" }), None).await;
    wrong.assert_code("UNAUTHENTICATED");
    let unknown = app
        .gql(edaibiao_tests::LOGIN, json!({ "phone": "13700000000", "password": "nope12345" }), None)
        .await;
    unknown.assert_code("UNAUTHENTICATED");
    assert_eq!(wrong.body["errors"][0]["message"], unknown.body["errors"][0]["message"]);
});

e2e!(repeated_failures_are_throttled_per_phone, |app| {
    for _ in 0..5 {
        let res = app
            .gql(edaibiao_tests::LOGIN, json!({ "phone": demo::CITIZEN, "password": "wrong-pass1" }), None)
            .await;
        res.assert_code("UNAUTHENTICATED");
    }
    // Now even the right password is refused until the window passes.
    let res =
        app.gql(edaibiao_tests::LOGIN, json!({ "phone": demo::CITIZEN, "password": "demo1234" }), None).await;
    res.assert_code("RATE_LIMITED");
    assert!(res.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().is_some_and(|s| s > 0));
    // Another phone is not affected.
    app.login(demo::DEPUTY).await;
});

e2e!(refresh_rotates_and_reuse_revokes_the_session, |app| {
    let first = app.login(demo::DEPUTY).await;
    let res = app.gql(REFRESH, json!({ "t": first.refresh }), None).await;
    let (access2, refresh2) = tokens_of(res.data());
    assert_ne!(refresh2, first.refresh);
    app.gql(ME, json!({}), Some(&access2)).await.data();

    // The old refresh token is spent: presenting it again is a replay...
    app.gql(REFRESH, json!({ "t": first.refresh }), None).await.assert_code("UNAUTHENTICATED");
    // ...which ends the whole session: the rotated token and its access token stop working too.
    app.gql(REFRESH, json!({ "t": refresh2 }), None).await.assert_code("UNAUTHENTICATED");
    app.gql(ME, json!({}), Some(&access2)).await.assert_code("UNAUTHENTICATED");

    // Other sessions of the same person are untouched.
    let other = app.login(demo::DEPUTY).await;
    app.gql(REFRESH, json!({ "t": other.refresh }), None).await.data();
    app.gql(REFRESH, json!({ "t": "not-a-token" }), None).await.assert_code("UNAUTHENTICATED");
});

e2e!(logout_ends_access_and_refresh_tokens, |app| {
    let tokens = app.login(demo::STAFF).await;
    let res = app.gql("mutation { logout }", json!({}), Some(&tokens.access)).await;
    assert_eq!(res.data()["logout"], true);
    let after = app.gql(ME, json!({}), Some(&tokens.access)).await;
    after.assert_code("UNAUTHENTICATED");
    assert_eq!(after.status, 401);
    app.gql(REFRESH, json!({ "t": tokens.refresh }), None).await.assert_code("UNAUTHENTICATED");
    app.gql("mutation { logout }", json!({}), None).await.assert_code("UNAUTHENTICATED");
});

fn forge(claims: &Value, alg: Algorithm, secret: &str) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret.as_bytes())).expect("cannot sign")
}

e2e!(bad_tokens_are_refused, |app| {
    let tokens = app.login(demo::ADMIN).await;
    let parts: Vec<&str> = tokens.access.split('.').collect();
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    let mut claims: Value = serde_json::from_slice(&payload).unwrap();

    let mut refused = vec![
        ("garbage", "not.a.token".to_owned()),
        ("tampered", format!("{}.{}x.{}", parts[0], parts[1], parts[2])),
        ("alg none", format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#), parts[1])),
        ("HS512", forge(&claims, Algorithm::HS512, TEST_JWT_SECRET)),
        ("other secret", forge(&claims, Algorithm::HS256, "some-other-secret-some-other-secret")),
    ];
    let now = claims["iat"].as_i64().unwrap_or_default();
    claims["iat"] = json!(now - 3600);
    claims["exp"] = json!(now - 1800);
    refused.push(("expired", forge(&claims, Algorithm::HS256, TEST_JWT_SECRET)));

    for (what, token) in refused {
        let res = app.gql("{ deputies(first: 1) { totalCount } }", json!({}), Some(&token)).await;
        assert_eq!(res.code(), "UNAUTHENTICATED", "{what}: {}", res.body);
    }
    // The same claims, validly signed and in date, are accepted: the refusals above are about the token.
    claims["iat"] = json!(now);
    claims["exp"] = json!(now + 600);
    let good = forge(&claims, Algorithm::HS256, TEST_JWT_SECRET);
    app.gql(ME, json!({}), Some(&good)).await.data();
    // A header that is not `Bearer <token>`.
    let res = app.gql(ME, json!({}), None).await;
    res.assert_code("UNAUTHENTICATED");
});

e2e!(change_password_checks_the_old_one_and_ends_other_sessions, |app| {
    let here = app.login(demo::DEPUTY2).await;
    let elsewhere = app.login(demo::DEPUTY2).await;
    const CHANGE: &str =
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

    let wrong = app.gql(CHANGE, json!({ "c": "wrong-one1", "n": "new-pass-42" }), Some(&here.access)).await;
    wrong.assert_code("BAD_USER_INPUT");
    let weak = app.gql(CHANGE, json!({ "c": "demo1234", "n": "short" }), Some(&here.access)).await;
    weak.assert_code("BAD_USER_INPUT");
    assert_eq!(weak.body["errors"][0]["extensions"]["field"], "password");

    let ok = app.gql(CHANGE, json!({ "c": "demo1234", "n": "new-pass-42" }), Some(&here.access)).await;
    assert_eq!(ok.data()["changePassword"], true);
    app.gql(ME, json!({}), Some(&here.access)).await.data();
    app.gql(ME, json!({}), Some(&elsewhere.access)).await.assert_code("UNAUTHENTICATED");
    app.gql(REFRESH, json!({ "t": elsewhere.refresh }), None).await.assert_code("UNAUTHENTICATED");

    let old =
        app.gql(edaibiao_tests::LOGIN, json!({ "phone": demo::DEPUTY2, "password": "demo1234" }), None).await;
    old.assert_code("UNAUTHENTICATED");
    app.login_with(demo::DEPUTY2, "new-pass-42").await;
});

e2e!(citizens_register_themselves, |app| {
    // A code by SMS first, then the sign-up with it; the number may be written loosely.
    let request = "mutation($p: String!) { requestRegistrationCode(phone: $p) }";
    let sent = app.gql(request, json!({ "p": "+86 137-1234-5678" }), None).await;
    assert_eq!(sent.data()["requestRegistrationCode"], true);
    let code = app.env.sms.last_code("13712345678");
    let input = |phone: &str, code: &str, name: &str, password: &str| json!({ "i": { "phone": phone, "code": code, "name": name, "password": password, "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } });
    let res = app
        .gql(edaibiao_tests::REGISTER_CITIZEN, input("+86 137-1234-5678", &code, "市民甲", "secret123"), None)
        .await;
    let account = &res.data()["registerCitizen"]["account"];
    assert_eq!(account["role"], "CITIZEN");
    assert_eq!(account["phone"], "13712345678");
    app.login_with("13712345678", "secret123").await;
    // The code is used up.
    app.gql(edaibiao_tests::REGISTER_CITIZEN, input("13712345678", &code, "市民甲", "secret123"), None)
        .await
        .assert_code("BAD_USER_INPUT");

    for (field, bad) in [
        ("phone", input("12345", "123456", "甲", "secret123")),
        ("name", input("13712345679", "123456", " ", "secret123")),
        ("password", input("13712345679", "123456", "甲", "onlyletters")),
        ("code", input("13712345679", "12ab", "甲", "secret123")),
        ("code", input("13712345679", "123456", "甲", "secret123")),
        ("privacyConsent", {
            let mut i = input("13712345679", "123456", "甲", "secret123");
            i["i"]["privacyConsent"] = json!(null);
            i
        }),
    ] {
        let res = app.gql(edaibiao_tests::REGISTER_CITIZEN, bad, None).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], field);
    }
});

const CREATE_ACCOUNT: &str =
    "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id role phone } }";

async fn unit_id(app: &TestApp) -> String {
    app.id_by_name("handlingUnits", "市教育局").await
}

e2e!(only_admins_and_staff_create_accounts, |app| {
    let unit = unit_id(&app).await;
    let unit_staff = |phone: &str| json!({ "i": { "phone": phone, "name": "教育局王科员", "password": "secret123", "role": "UNIT_STAFF", "unitId": unit } });
    app.gql(CREATE_ACCOUNT, unit_staff("13711110000"), None).await.assert_code("UNAUTHENTICATED");
    for who in [demo::DEPUTY, demo::CITIZEN, demo::UNIT_STAFF] {
        let token = app.login(who).await.access;
        app.gql(CREATE_ACCOUNT, unit_staff("13711110000"), Some(&token)).await.assert_code("FORBIDDEN");
    }
    // Nothing was created by the refused attempts.
    let failed = app
        .gql(edaibiao_tests::LOGIN, json!({ "phone": "13711110000", "password": "secret123" }), None)
        .await;
    failed.assert_code("UNAUTHENTICATED");

    let staff = app.login(demo::STAFF).await.access;
    let created = app.gql(CREATE_ACCOUNT, unit_staff("13711110000"), Some(&staff)).await;
    assert_eq!(created.data()["createAccount"]["role"], "UNIT_STAFF");
    assert_eq!(created.data()["createAccount"]["phone"], "137****0000", "staff see a masked number");
    app.login_with("13711110000", "secret123").await;
    app.gql(CREATE_ACCOUNT, unit_staff("13711110000"), Some(&staff)).await.assert_code("CONFLICT");

    let admin_input =
        json!({ "i": { "phone": "13711110001", "name": "x", "password": "secret123", "role": "ADMIN" } });
    app.gql(CREATE_ACCOUNT, admin_input.clone(), Some(&staff)).await.assert_code("FORBIDDEN");
    let citizen_input =
        json!({ "i": { "phone": "13711110002", "name": "x", "password": "secret123", "role": "CITIZEN" } });
    app.gql(CREATE_ACCOUNT, citizen_input, Some(&staff)).await.assert_code("FORBIDDEN");
    let admin = app.login(demo::ADMIN).await.access;
    assert_eq!(
        app.gql(CREATE_ACCOUNT, admin_input, Some(&admin)).await.data()["createAccount"]["role"],
        "ADMIN"
    );

    // Unit staff need a unit; a deputy account needs a deputy profile.
    let no_unit = json!({ "i": { "phone": "13711110003", "name": "x", "password": "secret123", "role": "UNIT_STAFF" } });
    let res = app.gql(CREATE_ACCOUNT, no_unit, Some(&admin)).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "unitId");
});
