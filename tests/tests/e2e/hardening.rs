//! Hostile input at the edge (issue 13): documents built to overflow a stack or to expand exponentially,
//! unbounded search text, formulas smuggled into exports, several credential checks in one request,
//! forged forwarding headers, retries that must cost nothing, and what production hides. Each is refused
//! with a code, and the server keeps answering afterwards.

use edaibiao_tests::{Gql, TestApp, TestEnv, e2e};
use futures_util::future::join_all;
use serde_json::{Value, json};

/// The server still answers an ordinary query.
async fn assert_alive(app: &TestApp) {
    let res = app.gql("{ congresses(first: 1) { nodes { id } } }", json!({}), None).await;
    assert!(res.data()["congresses"]["nodes"].is_array(), "{}", res.body);
}

/// A refusal: the code, no data, and the server still up.
async fn assert_refused(app: &TestApp, res: &Gql, code: &str) {
    res.assert_code(code);
    assert!(res.body["data"].is_null(), "no field ran: {}", res.body);
    assert_alive(app).await;
}

e2e!(deeply_nested_literals_and_variables_are_refused_before_anything_recurses, |app| {
    let list = format!(
        "{{ deputies(filter: {{expertise: {}\"x\"{}}}) {{ nodes {{ id }} }} }}",
        "[".repeat(1500),
        "]".repeat(1500)
    );
    let res = app.post_raw(json!({ "query": list }).to_string(), None).await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;

    let object =
        format!("{{ deputies(filter: {}1{}) {{ nodes {{ id }} }} }}", "{a: ".repeat(1500), "}".repeat(1500));
    let res = app.post_raw(json!({ "query": object }).to_string(), None).await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;

    // Selection sets too, however the depth limit would count them.
    let fields = format!("{}{}", "{ a ".repeat(1500), "}".repeat(1500));
    let res = app.post_raw(json!({ "query": fields }).to_string(), None).await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;

    // Variables nested past what any input needs.
    let mut deep = json!("x");
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let res = app
        .gql(
            "query($e: String) { deputies(filter: {expertise: $e}) { nodes { id } } }",
            json!({ "e": deep }),
            None,
        )
        .await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;
});

e2e!(fragment_fan_out_is_measured_not_expanded, |app| {
    for n in [24, 60] {
        let mut query = String::from("query { ...F0 }");
        for i in 0..n {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1));
        }
        query.push_str(&format!(" fragment F{n} on Query {{ __typename }}"));
        let res = app.post_raw(json!({ "query": query }).to_string(), None).await;
        assert_refused(&app, &res, "QUERY_TOO_COMPLEX").await;
    }
    // Reusing a fragment a few times is fine.
    let res = app
        .gql("{ ...F a: congresses(first: 1) { ...C } } fragment F on Query { __typename } fragment C on CongressConnection { totalCount }", json!({}), None)
        .await;
    assert_eq!(res.data()["__typename"], "Query");
});

e2e!(search_text_is_bounded_and_control_characters_refused, |app| {
    let query = "query($n: String) { deputies(filter: {nameContains: $n}) { nodes { name } } }";
    let res = app.gql(query, json!({ "n": "张".repeat(20_000) }), None).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "nameContains", "{}", res.body);
    let res = app.gql(query, json!({ "n": "a".repeat(60_000) }), None).await;
    res.assert_code("BAD_USER_INPUT");
    // NUL would match every row on SQLite and break PostgreSQL: refused alike, in variables and literals.
    app.gql(query, json!({ "n": "\u{0}" }), None).await.assert_code("BAD_USER_INPUT");
    let literal = r#"{ deputies(filter: {nameContains: "\u0000"}) { nodes { name } } }"#;
    app.post_raw(json!({ "query": literal }).to_string(), None).await.assert_code("BAD_USER_INPUT");
    for list in ["handlingUnits", "deputyGroups"] {
        let q = format!("query($n: String) {{ {list}(nameContains: $n) {{ nodes {{ name }} }} }}");
        app.gql(&q, json!({ "n": "x".repeat(51) }), None).await.assert_code("BAD_USER_INPUT");
    }
    let deputy = app.login(edaibiao_tests::demo::DEPUTY).await.access;
    let q = "query($t: String) { suggestions(filter: {text: $t}) { nodes { id } } }";
    app.gql(q, json!({ "t": "%".repeat(51) }), Some(&deputy)).await.assert_code("BAD_USER_INPUT");
    // Ordinary searches still find, with LIKE's wildcards taken literally.
    let found = app.gql(query, json!({ "n": "张" }), None).await;
    assert!(found.data()["deputies"]["nodes"].as_array().is_some_and(|n| !n.is_empty()), "{}", found.body);
    let none = app.gql(query, json!({ "n": "%" }), None).await;
    assert_eq!(none.data()["deputies"]["nodes"], json!([]));
    assert_alive(&app).await;
});

e2e!(csv_exports_carry_formulas_as_text, |app| {
    let w = crate::statistics::world(&app).await;
    let name = "=HYPERLINK(\"http://evil.example\")";
    let created = app
        .gql(
            "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
            json!({ "c": w.congress, "i": { "name": name, "gender": "MALE", "occupation": "OTHER", "phone": "13800009999" } }),
            Some(&w.staff),
        )
        .await;
    created.data();
    let path = format!("/exports/deputy-statistics.csv?congressId={}&year={}", w.congress, w.year);
    let mut response = app
        .client
        .get(app.url(&path))
        .insert_header(("authorization", format!("Bearer {}", w.staff)))
        .send()
        .await
        .expect("GET failed");
    assert_eq!(response.status().as_u16(), 200);
    let body = response.body().limit(1 << 24).await.expect("no body");
    let text = String::from_utf8_lossy(&body);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>()).unwrap_or_default())
        .collect();
    assert!(cells.iter().any(|c| c == &format!("'{name}")), "the name is there, as text: {cells:?}");
    let live: Vec<&String> = cells.iter().filter(|c| c.starts_with(['=', '+', '@', '\t', '\r'])).collect();
    assert!(live.is_empty(), "cells a spreadsheet would run: {live:?}");
});

e2e!(one_credential_check_per_request, |app| {
    let mut aliases = String::from("mutation {");
    for i in 0..40 {
        aliases.push_str(&format!(
            " a{i}: login(phone: \"13900000003\", password: \"guess{i}\") {{ accessToken }}"
        ));
    }
    aliases.push('}');
    let res = app.post_raw(json!({ "query": aliases }).to_string(), None).await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;
    // Hidden in fragments it is the same.
    let spread = "mutation { ...L ...L2 } fragment L on Mutation { login(phone: \"1\", password: \"x\") { accessToken } } \
                  fragment L2 on Mutation { refreshToken(refreshToken: \"x\") { accessToken } }";
    let res = app.post_raw(json!({ "query": spread }).to_string(), None).await;
    assert_refused(&app, &res, "BAD_USER_INPUT").await;
    // One is fine.
    app.login(edaibiao_tests::demo::DEPUTY).await;
});

/// Submits an opinion to the demo station as a client that claims to be at `forwarded_for`.
async fn submit_from(app: &TestApp, station: &str, forwarded_for: &str, key: Option<&str>) -> Gql {
    let input =
        json!({ "stationId": station, "category": "OTHER", "content": "路灯坏了", "idempotencyKey": key });
    let body = json!({
        "query": "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        "variables": { "i": input },
    });
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", forwarded_for.to_owned()))
        .insert_header(("forwarded", format!("for={forwarded_for}")))
        .send_body(body.to_string())
        .await
        .expect("request failed");
    let bytes = response.body().await.expect("no body");
    Gql { status: response.status().as_u16(), body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

async fn station_of(app: &TestApp) -> String {
    app.id_by_name("liaisonStations", "东城街道人大代表联络站").await
}

/// The per-address budget of `submitOpinion` (see the opinion policy): 10 an hour.
const PER_ADDRESS: usize = 10;

e2e!(forwarding_headers_are_believed_only_from_trusted_proxies, |app| {
    // The harness trusts 127.0.0.1 as a proxy; this server trusts none, as the default does.
    let mut env: TestEnv = app.env.clone();
    env.set("TRUSTED_PROXIES", "");
    let direct = env.spawn().await;
    let station = station_of(&direct).await;
    let mut outcomes = Vec::new();
    for i in 0..PER_ADDRESS + 5 {
        let res = submit_from(&direct, &station, &format!("198.51.100.{i}"), None).await;
        outcomes.push(res.body["errors"][0]["extensions"]["code"].as_str().unwrap_or("ok").to_owned());
    }
    let ok = outcomes.iter().filter(|c| *c == "ok").count();
    assert_eq!(ok, PER_ADDRESS, "rotating headers bought nothing: {outcomes:?}");
    assert!(outcomes[PER_ADDRESS..].iter().all(|c| c == "RATE_LIMITED"), "{outcomes:?}");

    // Through a trusted proxy the header names the client: another client has a budget of its own.
    let res = submit_from(&app, &station, "198.51.100.200", None).await;
    assert!(res.body["errors"].is_null(), "{}", res.body);
});

e2e!(retries_with_one_idempotency_key_cost_nothing, |app| {
    let station = station_of(&app).await;
    let address = "203.0.113.77";
    let retries =
        join_all((0..20).map(|_| submit_from(&app, &station, address, Some("form-retry-0001")))).await;
    let codes: Vec<&Value> =
        retries.iter().map(|r| &r.body["data"]["submitOpinion"]["trackingCode"]).collect();
    assert!(codes.iter().all(|c| c.is_string() && *c == codes[0]), "one effect: {codes:?}");
    // The twenty sends used one unit of the budget: nine more fresh submissions go through.
    for i in 1..PER_ADDRESS {
        let res = submit_from(&app, &station, address, Some(&format!("form-fresh-{i}"))).await;
        assert!(res.body["errors"].is_null(), "submission {i}: {}", res.body);
    }
    submit_from(&app, &station, address, Some("form-fresh-last")).await.assert_code("RATE_LIMITED");
});

e2e!(production_hides_the_map_of_the_api, |app| {
    let mut env: TestEnv = app.env.clone();
    env.set("APP_ENV", "production");
    env.set("DATA_ENCRYPTION_KEY", "a-data-key-a-data-key-a-data-key!");
    env.set("SEED_DEMO_DATA", "false");
    let prod = env.spawn().await;
    let res = prod.gql("{ __schema { types { name } } }", json!({}), None).await;
    res.assert_code("GRAPHQL_VALIDATION_FAILED");
    let res = prod.gql("{ deputie { totalCount } }", json!({}), None).await;
    res.assert_code("GRAPHQL_VALIDATION_FAILED");
    assert!(!res.body.to_string().contains("Did you mean"), "{}", res.body);
    assert_eq!(prod.get("/metrics").await.0, 404, "no token configured: hidden");

    env.set("METRICS_TOKEN", "metrics-token-0123456789");
    let prod = env.spawn().await;
    assert_eq!(prod.get("/metrics").await.0, 401);
    let scrape = |token: &'static str| {
        let request =
            prod.client.get(prod.url("/metrics")).insert_header(("authorization", format!("Bearer {token}")));
        async move {
            let mut response = request.send().await.expect("GET failed");
            let body = response.body().limit(1 << 24).await.unwrap_or_default();
            (response.status().as_u16(), String::from_utf8_lossy(&body).into_owned())
        }
    };
    assert_eq!(scrape("wrong-token-0123456789").await.0, 401);
    // Random operation names add no series.
    for i in 0..30 {
        let body = json!({ "query": format!("query Random{i}x {{ congresses(first: 1) {{ totalCount }} }}"), "operationName": format!("Random{i}x") });
        prod.post_raw(body.to_string(), None).await.data();
    }
    let (status, text) = scrape("metrics-token-0123456789").await;
    assert_eq!(status, 200);
    assert!(!text.contains("Random"), "client-chosen names are no labels");
    assert!(text.contains("operation=\"query:congresses\""), "{text}");
    // Development keeps its tools.
    let res = app.gql("{ __schema { queryType { name } } }", json!({}), None).await;
    assert_eq!(res.data()["__schema"]["queryType"]["name"], "Query");
});
