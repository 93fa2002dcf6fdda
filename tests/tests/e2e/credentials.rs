//! Abuse of the credential paths (issue 13, items 9, 12, 13): password guessing is counted before the
//! hash is checked, per phone and per client address, even under concurrency; sign-up and password reset
//! go through a code by SMS and answer alike for known and unknown numbers; check-in codes cannot be
//! walked through.

use edaibiao_tests::{DEMO_PASSWORD, Gql, LOGIN, REGISTER_CITIZEN, TestApp, demo, e2e};
use futures_util::future::join_all;
use serde_json::{Value, json};

const ME: &str = "{ me { name } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
const REQUEST_REGISTRATION: &str = "mutation($p: String!) { requestRegistrationCode(phone: $p) }";
const REQUEST_RESET: &str = "mutation($p: String!) { requestPasswordReset(phone: $p) }";
const RESET: &str = "mutation($p: String!, $c: String!, $n: String!) {
    resetPassword(phone: $p, code: $c, newPassword: $n)
}";

/// Runs an operation as a client at `address` (the `X-Forwarded-For` the proxy in front would set), so
/// each part of a test has a client address of its own.
async fn gql_from(app: &TestApp, address: &str, query: &str, variables: Value) -> Gql {
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", address.to_owned()))
        .send_body(json!({ "query": query, "variables": variables }).to_string())
        .await
        .expect("request failed");
    let status = response.status().as_u16();
    let bytes = response.body().await.expect("no body");
    Gql { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

async fn login_from(app: &TestApp, address: &str, phone: &str, password: &str) -> Gql {
    gql_from(app, address, LOGIN, json!({ "phone": phone, "password": password })).await
}

/// The error code of a response, or "OK".
fn outcome(res: &Gql) -> String {
    res.body["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK").to_owned()
}

#[track_caller]
fn assert_rate_limited(res: &Gql) {
    res.assert_code("RATE_LIMITED");
    let retry = res.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64();
    assert!(retry.is_some_and(|s| s > 0), "retryAfterSeconds: {}", res.body);
}

/// The texts sent to `phone` so far.
fn texts_to(app: &TestApp, phone: &str) -> Vec<String> {
    app.env
        .sms
        .received()
        .iter()
        .filter(|b| b["phone"] == phone)
        .filter_map(|b| b["text"].as_str().map(str::to_owned))
        .collect()
}

fn has_code(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(6).any(|w| w.iter().all(char::is_ascii_digit))
}

e2e!(concurrent_wrong_passwords_for_one_phone_get_at_most_five_checks, |app| {
    let address = "198.51.100.1";
    let tries = (0..30).map(|_| login_from(&app, address, demo::CITIZEN, "wrong-pass1"));
    let outcomes: Vec<String> = join_all(tries).await.iter().map(outcome).collect();
    let checked = outcomes.iter().filter(|o| *o == "UNAUTHENTICATED").count();
    let limited = outcomes.iter().filter(|o| *o == "RATE_LIMITED").count();
    assert_eq!(checked + limited, 30, "only wrong-password or throttled answers: {outcomes:?}");
    assert!((1..=5).contains(&checked), "at most 5 passwords checked, got {checked}: {outcomes:?}");
    // Now even the right password is refused for this phone...
    assert_rate_limited(&login_from(&app, address, demo::CITIZEN, DEMO_PASSWORD).await);
    // ...but not for another phone from the same address: the refused attempts did not use up the
    // address's budget.
    login_from(&app, address, demo::DEPUTY, DEMO_PASSWORD).await.data();
});

e2e!(one_address_is_limited_after_thirty_wrong_logins_over_many_phones, |app| {
    let address = "198.51.100.2";
    for i in 0..40 {
        let res = login_from(&app, address, &format!("1370000{i:04}"), "wrong-pass1").await;
        if i < 30 {
            res.assert_code("UNAUTHENTICATED");
        } else {
            assert_rate_limited(&res);
        }
    }
    // From that address nothing gets through now, not even a right password...
    assert_rate_limited(&login_from(&app, address, demo::DEPUTY, DEMO_PASSWORD).await);
    // ...while another address is unaffected, and the phones tried once each are not locked.
    login_from(&app, "198.51.100.3", demo::DEPUTY, DEMO_PASSWORD).await.data();
    login_from(&app, "198.51.100.3", "13700000001", "wrong-pass1").await.assert_code("UNAUTHENTICATED");
});

e2e!(a_correct_login_clears_the_phones_count, |app| {
    let address = "198.51.100.4";
    for _ in 0..4 {
        login_from(&app, address, demo::STAFF, "wrong-pass1").await.assert_code("UNAUTHENTICATED");
    }
    login_from(&app, address, demo::STAFF, DEMO_PASSWORD).await.data();
    // Five more wrong passwords are checked after the success, the sixth is not.
    for _ in 0..5 {
        login_from(&app, address, demo::STAFF, "wrong-pass1").await.assert_code("UNAUTHENTICATED");
    }
    assert_rate_limited(&login_from(&app, address, demo::STAFF, "wrong-pass1").await);
    assert_rate_limited(&login_from(&app, address, demo::STAFF, DEMO_PASSWORD).await);
});

e2e!(a_wrong_current_password_counts_like_a_wrong_login, |app| {
    let tokens = app.login(demo::DEPUTY2).await;
    const CHANGE: &str =
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    let tries = (0..12)
        .map(|_| app.gql(CHANGE, json!({ "c": "wrong-pass1", "n": "new-pass-42" }), Some(&tokens.access)));
    let outcomes: Vec<String> = join_all(tries).await.iter().map(outcome).collect();
    let checked = outcomes.iter().filter(|o| *o == "BAD_USER_INPUT").count();
    assert!(checked <= 5, "at most 5 current passwords checked: {outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| *o == "RATE_LIMITED").count(), 12 - checked, "{outcomes:?}");
});

e2e!(sign_up_answers_alike_for_known_and_unknown_phones, |app| {
    let known = demo::CITIZEN;
    let unknown = "13755550000";
    let a = gql_from(&app, "198.51.100.5", REQUEST_REGISTRATION, json!({ "p": known })).await;
    let b = gql_from(&app, "198.51.100.5", REQUEST_REGISTRATION, json!({ "p": unknown })).await;
    assert_eq!((a.status, &a.body), (b.status, &b.body), "the same answer for both");
    assert_eq!(a.data()["requestRegistrationCode"], true);

    // Each phone got one text: the unknown one a code, the known one a note without a code.
    let (to_known, to_unknown) = (texts_to(&app, known), texts_to(&app, unknown));
    assert_eq!((to_known.len(), to_unknown.len()), (1, 1), "{to_known:?} {to_unknown:?}");
    assert!(has_code(&to_unknown[0]) && !has_code(&to_known[0]), "{to_known:?} {to_unknown:?}");

    // Signing up the known phone with a guessed code is the same bad input as a wrong code for the
    // unknown one: nothing says the number is taken.
    let code = app.env.sms.last_code(unknown);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let input = |phone: &str, code: &str| json!({ "i": { "phone": phone, "code": code, "name": "市民乙", "password": "secret123", "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } });
    let for_known = app.gql(REGISTER_CITIZEN, input(known, wrong), None).await;
    let for_unknown = app.gql(REGISTER_CITIZEN, input(unknown, wrong), None).await;
    for_known.assert_code("BAD_USER_INPUT");
    assert_eq!(for_known.body["errors"][0]["extensions"], for_unknown.body["errors"][0]["extensions"]);
    assert_eq!(for_known.body["errors"][0]["message"], for_unknown.body["errors"][0]["message"]);
    // The known phone's account and password are untouched.
    app.login(known).await;

    // The right code signs the unknown phone up and logs it in.
    let res = app.gql(REGISTER_CITIZEN, input(unknown, &code), None).await;
    assert_eq!(res.data()["registerCitizen"]["account"]["role"], "CITIZEN");
    let access = res.data()["registerCitizen"]["accessToken"].as_str().unwrap_or_default().to_owned();
    assert_eq!(app.gql(ME, json!({}), Some(&access)).await.data()["me"]["name"], "市民乙");
    // Asked again, it now gets the note, and the same answer.
    let again = gql_from(&app, "198.51.100.5", REQUEST_REGISTRATION, json!({ "p": unknown })).await;
    assert_eq!(again.body, a.body);
    assert!(!has_code(texts_to(&app, unknown).last().map_or("", String::as_str)));
});

e2e!(a_sign_up_code_takes_five_tries_even_at_once, |app| {
    let phone = "13755550001";
    app.gql(REQUEST_REGISTRATION, json!({ "p": phone }), None).await.data();
    let code = app.env.sms.last_code(phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let input = |code: &str| json!({ "i": { "phone": phone, "code": code, "name": "市民丙", "password": "secret123", "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } });
    let tries = (0..20).map(|_| app.gql(REGISTER_CITIZEN, input(wrong), None));
    for res in join_all(tries).await {
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "code");
    }
    // Its tries are used up: the right code no longer works...
    app.gql(REGISTER_CITIZEN, input(&code), None).await.assert_code("BAD_USER_INPUT");
    app.gql(LOGIN, json!({ "phone": phone, "password": "secret123" }), None)
        .await
        .assert_code("UNAUTHENTICATED");
    // ...a new code does, once.
    app.gql(REQUEST_REGISTRATION, json!({ "p": phone }), None).await.data();
    let code = app.env.sms.last_code(phone);
    app.gql(REGISTER_CITIZEN, input(&code), None).await.data();
    app.gql(REGISTER_CITIZEN, input(&code), None).await.assert_code("BAD_USER_INPUT");
    app.login_with(phone, "secret123").await;
});

e2e!(code_requests_are_throttled_per_phone_and_per_address, |app| {
    let address = "198.51.100.6";
    // Three codes per phone in ten minutes, known or not; the fourth sends nothing.
    for phone in [demo::CITIZEN, "13755550002"] {
        for _ in 0..3 {
            gql_from(&app, address, REQUEST_REGISTRATION, json!({ "p": phone })).await.data();
        }
        let sent = app.env.sms.count();
        assert_rate_limited(&gql_from(&app, address, REQUEST_REGISTRATION, json!({ "p": phone })).await);
        assert_eq!(app.env.sms.count(), sent, "a refused request sends no SMS");
    }
    // Thirty requests per address in an hour, over every phone and both purposes (six so far).
    for i in 0..24 {
        let op = if i % 2 == 0 { REQUEST_REGISTRATION } else { REQUEST_RESET };
        gql_from(&app, address, op, json!({ "p": format!("1375556{i:04}") })).await.data();
    }
    let sent = app.env.sms.count();
    assert_rate_limited(&gql_from(&app, address, REQUEST_RESET, json!({ "p": "13755569999" })).await);
    assert_eq!(app.env.sms.count(), sent);
    gql_from(&app, "198.51.100.7", REQUEST_RESET, json!({ "p": "13755569999" })).await.data();
});

e2e!(a_password_reset_by_code_ends_every_session, |app| {
    let phone = demo::DEPUTY2;
    let here = app.login(phone).await;
    let elsewhere = app.login(phone).await;
    // Someone guessed at the password until the number was throttled.
    for _ in 0..6 {
        app.gql(LOGIN, json!({ "phone": phone, "password": "wrong-pass1" }), None).await;
    }
    assert_rate_limited(&app.gql(LOGIN, json!({ "phone": phone, "password": DEMO_PASSWORD }), None).await);

    // Known and unknown numbers get the same answer; only the known one gets a code.
    let unknown = "13755550003";
    let a = app.gql(REQUEST_RESET, json!({ "p": phone }), None).await;
    let b = app.gql(REQUEST_RESET, json!({ "p": unknown }), None).await;
    assert_eq!(a.body, b.body);
    assert_eq!(a.data()["requestPasswordReset"], true);
    assert_eq!(texts_to(&app, unknown).len(), 1);
    assert!(!has_code(&texts_to(&app, unknown)[0]));
    let code = app.env.sms.last_code(phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let refused = app.gql(RESET, json!({ "p": phone, "c": wrong, "n": "new-pass-42" }), None).await;
    refused.assert_code("BAD_USER_INPUT");
    let for_unknown = app.gql(RESET, json!({ "p": unknown, "c": wrong, "n": "new-pass-42" }), None).await;
    assert_eq!(for_unknown.body["errors"][0]["extensions"], refused.body["errors"][0]["extensions"]);
    let weak = app.gql(RESET, json!({ "p": phone, "c": code, "n": "short" }), None).await;
    weak.assert_code("BAD_USER_INPUT");
    let reset = app.gql(RESET, json!({ "p": phone, "c": code, "n": "new-pass-42" }), None).await;
    assert_eq!(reset.data()["resetPassword"], true);
    app.gql(RESET, json!({ "p": phone, "c": code, "n": "new-pass-43" }), None)
        .await
        .assert_code("BAD_USER_INPUT");

    // Every session of the account ended; the old password is gone; the number may log in at once.
    for tokens in [&here, &elsewhere] {
        app.gql(ME, json!({}), Some(&tokens.access)).await.assert_code("UNAUTHENTICATED");
        app.gql(REFRESH, json!({ "t": tokens.refresh }), None).await.assert_code("UNAUTHENTICATED");
    }
    app.gql(LOGIN, json!({ "phone": phone, "password": DEMO_PASSWORD }), None)
        .await
        .assert_code("UNAUTHENTICATED");
    app.login_with(phone, "new-pass-42").await;
});

e2e!(a_sign_up_code_does_not_reset_a_password, |app| {
    // A registration code asked for an unknown number cannot be used to reset, nor the other way.
    let phone = "13755550004";
    app.gql(REQUEST_REGISTRATION, json!({ "p": phone }), None).await.data();
    let code = app.env.sms.last_code(phone);
    app.gql(RESET, json!({ "p": phone, "c": code, "n": "new-pass-42" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(REQUEST_RESET, json!({ "p": demo::UNIT_STAFF }), None).await.data();
    let code = app.env.sms.last_code(demo::UNIT_STAFF);
    let input =
        json!({ "i": { "phone": demo::UNIT_STAFF, "code": code, "name": "x", "password": "secret123" } });
    app.gql(REGISTER_CITIZEN, input, None).await.assert_code("BAD_USER_INPUT");
    app.login(demo::UNIT_STAFF).await;
});

const CHECK_IN: &str =
    "mutation($a: ID!, $c: String!) { checkInToActivity(activityId: $a, code: $c) { id } }";

e2e!(check_in_codes_cannot_be_guessed, |app| {
    let staff = app.login(demo::STAFF).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let now = chrono::Utc::now();
    let input = json!({
        "congressId": app.id_by_name("congresses", "示例市第十七届人民代表大会").await,
        "kind": "TRAINING", "title": "履职培训", "place": "会议室",
        "startsAt": (now + chrono::Duration::minutes(10)).to_rfc3339(),
        "endsAt": (now + chrono::Duration::minutes(130)).to_rfc3339(),
        "participation": "ASSIGNED",
        "deputyIds": [app.id_by_name("deputies", "张明").await, app.id_by_name("deputies", "李华").await],
    });
    let created = app
        .gql(
            "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id } }",
            json!({ "i": input }),
            Some(&staff),
        )
        .await;
    let id = created.data()["r"]["id"].as_str().unwrap_or_default().to_owned();
    let code = app
        .gql(
            "query($a: ID!) { r: activityCheckInCode(activityId: $a) { code } }",
            json!({ "a": id }),
            Some(&staff),
        )
        .await;
    let code = code.data()["r"]["code"].as_str().unwrap_or_default().to_owned();

    // 50 guesses at once, none of them the code: at most 10 are compared, the rest are throttled.
    let guesses: Vec<String> =
        (0..50u32).map(|i| format!("{:08}", i * 7_919 + 13)).filter(|g| *g != code).collect();
    let tries = guesses.iter().map(|g| app.gql(CHECK_IN, json!({ "a": id, "c": g }), Some(&zhang)));
    let outcomes: Vec<String> = join_all(tries).await.iter().map(outcome).collect();
    let compared = outcomes.iter().filter(|o| *o == "BAD_USER_INPUT").count();
    let limited = outcomes.iter().filter(|o| *o == "RATE_LIMITED").count();
    assert_eq!(compared + limited, guesses.len(), "{outcomes:?}");
    assert!((1..=10).contains(&compared), "at most 10 guesses compared, got {compared}");
    // Now the right code is refused too.
    assert_rate_limited(&app.gql(CHECK_IN, json!({ "a": id, "c": code }), Some(&zhang)).await);

    // The limit is per deputy: 李华 checks in with the code at once, after a mistyped one.
    let typo = if code == "00000000" { "11111111" } else { "00000000" };
    app.gql(CHECK_IN, json!({ "a": id, "c": typo }), Some(&li)).await.assert_code("BAD_USER_INPUT");
    let fresh = app
        .gql(
            "query($a: ID!) { r: activityCheckInCode(activityId: $a) { code } }",
            json!({ "a": id }),
            Some(&staff),
        )
        .await;
    let fresh = fresh.data()["r"]["code"].as_str().unwrap_or_default().to_owned();
    app.gql(CHECK_IN, json!({ "a": id, "c": fresh }), Some(&li)).await.data();
    // Staff can still check the throttled deputy in by hand.
    let by_staff = "mutation($a: ID!, $d: ID!) { checkInParticipant(activityId: $a, deputyId: $d) { id } }";
    let zhang_id = app.id_by_name("deputies", "张明").await;
    app.gql(by_staff, json!({ "a": id, "d": zhang_id }), Some(&staff)).await.data();
});
