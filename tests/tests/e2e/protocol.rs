//! GraphQL over HTTP as clients speak it: the spec's media types and statuses (and its own audit suite),
//! GET, Apollo's automatic persisted queries over POST and GET, and trusted-documents mode.

use edaibiao_tests::{
    Backend, TestApp, TestEnv, e2e, node, persisted, sha256_hex as sha256, url_encode as encode,
};
use serde_json::{Value, json};

const GRJ: &str = "application/graphql-response+json";

/// What came back: status, content type, the `Allow` header, and the body as JSON.
struct Answer {
    status: u16,
    content_type: String,
    allow: String,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
    }
}

async fn send(
    app: &TestApp,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let url = app.url(path_and_query);
    let mut request = match method {
        "GET" => app.client.get(url),
        "POST" => app.client.post(url),
        other => app.client.request(other.parse().unwrap(), url),
    };
    for header in headers {
        request = request.insert_header(*header);
    }
    let mut response = request.send_body(body.to_owned()).await.expect("request failed");
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let (content_type, allow) = (header("content-type"), header("allow"));
    let bytes = response.body().limit(1 << 20).await.expect("no body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Answer { status: response.status().as_u16(), content_type, allow, body }
}

async fn post(app: &TestApp, accept: &str, body: Value) -> Answer {
    send(
        app,
        "POST",
        "/graphql",
        &[("content-type", "application/json"), ("accept", accept)],
        &body.to_string(),
    )
    .await
}

/// `GET /graphql?…` with the given parameters, URL-encoded.
async fn get(app: &TestApp, accept: &str, params: &[(&str, &str)]) -> Answer {
    let query: String =
        params.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
    send(app, "GET", &format!("/graphql?{query}"), &[("accept", accept)], "").await
}

e2e!(request_errors_answer_4xx_without_data_in_the_new_media_type, |app| {
    let ok = post(&app, GRJ, json!({ "query": "{ __typename }" })).await;
    assert_eq!((ok.status, ok.body["data"]["__typename"].as_str()), (200, Some("Query")), "{}", ok.body);
    assert!(ok.content_type.starts_with(GRJ), "{}", ok.content_type);

    let cases = [
        (json!({ "query": "{ congresses(first: 1) { nodes { id }" }), "GRAPHQL_PARSE_FAILED"),
        (json!({ "query": "{ nope }" }), "GRAPHQL_VALIDATION_FAILED"),
        (json!({ "query": "query($f: Int!) { congresses(first: $f) { totalCount } }" }), "BAD_USER_INPUT"),
        (json!({ "query": "query A { __typename }", "operationName": "B" }), "BAD_REQUEST"),
    ];
    for (body, code) in cases {
        let new = post(&app, GRJ, body.clone()).await;
        assert_eq!((new.status, new.code()), (400, code), "{}", new.body);
        assert!(new.body.get("data").is_none(), "no data entry: {}", new.body);
        assert!(new.content_type.starts_with(GRJ));
        // application/json clients see what they always saw: 200 and `data: null`.
        let old = post(&app, "application/json", body).await;
        assert_eq!((old.status, old.code()), (200, code), "{}", old.body);
        assert!(old.body["data"].is_null() && old.content_type.starts_with("application/json"));
    }

    // A field error is not a request error: 200 and data, in both media types.
    let field_error = post(&app, GRJ, json!({ "query": "{ me { id } }" })).await;
    assert_eq!((field_error.status, field_error.code()), (200, "UNAUTHENTICATED"), "{}", field_error.body);
    assert!(field_error.body.get("data").is_some());
});

e2e!(malformed_requests_are_refused_before_they_run, |app| {
    // No content type, or another one: 415, in the GraphQL error shape.
    let bare = send(&app, "POST", "/graphql", &[], r#"{"query":"{ __typename }"}"#).await;
    assert_eq!((bare.status, bare.code()), (415, "BAD_REQUEST"), "{}", bare.body);
    let text =
        send(&app, "POST", "/graphql", &[("content-type", "text/plain")], r#"{"query":"{ __typename }"}"#)
            .await;
    assert_eq!(text.status, 415);
    let latin = [("content-type", "application/json; charset=iso-8859-1")];
    assert_eq!(send(&app, "POST", "/graphql", &latin, r#"{"query":"{ __typename }"}"#).await.status, 415);
    // Parameters of the wrong type: 400 whatever is accepted.
    for body in [
        json!({ "query": 1 }),
        json!({ "qeury": "{ __typename }" }),
        json!({ "query": "{ a }", "variables": "{}" }),
    ] {
        for accept in [GRJ, "application/json"] {
            let res = post(&app, accept, body.clone()).await;
            assert_eq!((res.status, res.code()), (400, "BAD_REQUEST"), "{body} {accept}: {}", res.body);
        }
    }
    // Accepting nothing this server writes.
    let xml = post(&app, "application/xml", json!({ "query": "{ __typename }" })).await;
    assert_eq!(xml.status, 406);
    // Other methods.
    let put = send(&app, "PUT", "/graphql", &[("content-type", "application/json")], "{}").await;
    assert_eq!((put.status, put.allow.as_str(), put.code()), (405, "GET, POST", "METHOD_NOT_ALLOWED"));
});

e2e!(get_runs_queries_but_never_mutations, |app| {
    let query = "query Count($first: Int) { deputies(first: $first) { totalCount } }";
    let res = get(&app, "application/json", &[("query", query), ("variables", r#"{"first":1}"#)]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body["data"]["deputies"]["totalCount"].as_u64().is_some_and(|n| n > 0), "{}", res.body);
    let login = r#"mutation { login(phone: "13800000001", password: "x") { accessToken } }"#;
    for accept in [GRJ, "application/json"] {
        let res = get(&app, accept, &[("query", login)]).await;
        assert_eq!(
            (res.status, res.allow.as_str(), res.code()),
            (405, "POST", "METHOD_NOT_ALLOWED"),
            "{}",
            res.body
        );
    }
    // Not even when a mutation hides behind an operation name in a document that also holds a query.
    let both = "query Q { __typename } mutation M { logout }";
    let res = get(&app, GRJ, &[("query", both), ("operationName", "M")]).await;
    assert_eq!(res.status, 405, "{}", res.body);
    // No query at all, or parameters twice.
    assert_eq!(get(&app, GRJ, &[]).await.code(), "BAD_REQUEST");
    let twice = send(&app, "GET", "/graphql?query=a&query=b", &[("accept", GRJ)], "").await;
    assert_eq!(twice.status, 400);
    // A browser gets GraphiQL.
    let page =
        send(&app, "GET", "/graphql", &[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")], "").await;
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
});

e2e!(apollo_persisted_queries_register_then_run_by_hash_over_post_and_get, |app| {
    let query = "query DeputyCount { deputies(first: 1) { totalCount } }";
    let hash = sha256(query);
    // Hash alone, unknown: the code Apollo's link retries on; not 400 (the link would give up for good).
    for accept in [GRJ, "application/json"] {
        let miss = post(&app, accept, json!({ "extensions": persisted(&hash) })).await;
        assert_eq!(miss.code(), "PERSISTED_QUERY_NOT_FOUND", "{}", miss.body);
        assert_eq!(miss.status, if accept == GRJ { 404 } else { 200 });
    }
    let extensions = persisted(&hash).to_string();
    let miss = get(&app, GRJ, &[("extensions", &extensions)]).await;
    assert_eq!((miss.status, miss.code()), (404, "PERSISTED_QUERY_NOT_FOUND"));

    // The wrong text for the hash is refused and registers nothing.
    let wrong = post(&app, GRJ, json!({ "query": "{ __typename }", "extensions": persisted(&hash) })).await;
    assert_eq!((wrong.status, wrong.code()), (400, "BAD_REQUEST"), "{}", wrong.body);
    assert_eq!(post(&app, GRJ, json!({ "extensions": persisted(&hash) })).await.status, 404);

    // A document that does not validate is not registered either.
    let invalid = "{ nope }";
    let res = post(&app, GRJ, json!({ "query": invalid, "extensions": persisted(&sha256(invalid)) })).await;
    assert_eq!(res.code(), "GRAPHQL_VALIDATION_FAILED");
    let res = post(&app, GRJ, json!({ "extensions": persisted(&sha256(invalid)) })).await;
    assert_eq!(res.code(), "PERSISTED_QUERY_NOT_FOUND");

    // Register with the text, then the hash alone runs it over POST and GET.
    let registered = post(&app, GRJ, json!({ "query": query, "extensions": persisted(&hash) })).await;
    let count = registered.body["data"]["deputies"]["totalCount"].clone();
    assert!(count.as_u64().is_some_and(|n| n > 0), "{}", registered.body);
    let by_post = post(&app, GRJ, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(by_post.body["data"]["deputies"]["totalCount"], count, "{}", by_post.body);
    let by_get =
        get(&app, "application/json", &[("extensions", &extensions), ("operationName", "DeputyCount")]).await;
    assert_eq!(by_get.body["data"]["deputies"]["totalCount"], count, "{}", by_get.body);

    // A hashed mutation still needs POST.
    let logout = "mutation { logout }";
    post(&app, GRJ, json!({ "query": logout, "extensions": persisted(&sha256(logout)) })).await;
    let res = get(&app, GRJ, &[("extensions", &persisted(&sha256(logout)).to_string())]).await;
    assert_eq!(res.status, 405, "{}", res.body);
});

/// With Redis, a document one instance registered runs by hash on another.
#[actix_web::test]
async fn a_registration_serves_every_instance_through_redis() {
    let Some(env) = TestEnv::new(Backend::Services) else {
        eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
        return;
    };
    let (a, b) = (env.spawn().await, env.spawn().await);
    let query = "query Congresses { congresses { totalCount } }";
    let hash = sha256(query);
    assert_eq!(post(&b, GRJ, json!({ "extensions": persisted(&hash) })).await.status, 404);
    post(&a, GRJ, json!({ "query": query, "extensions": persisted(&hash) })).await;
    let res = post(&b, GRJ, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body["data"]["congresses"]["totalCount"].as_u64().is_some(), "{}", res.body);
}

e2e!(the_graphql_over_http_audit_passes_every_must_and_should, |app| {
    let Some(run) = node::run_script("audit.mjs", "graphql-http", vec![app.url("/graphql")]).await else {
        return;
    };
    assert!(run.success, "the audit failed:\n{}", run.output);
    assert!(run.output.contains(" 0 MUST failed, 0 SHOULD failed"), "{}", run.output);
});

e2e!(apollo_clients_persisted_query_link_works_over_get_and_post, |app| {
    let Some(run) = node::run_script("apq.mjs", "@apollo/client", vec![app.url("/graphql")]).await else {
        return;
    };
    assert!(run.success, "Apollo's persisted-query exchange failed:\n{}", run.output);
});

/// Trusted-documents mode: only the manifest's operations run, by id or by text, over HTTP and WebSocket;
/// nothing registers at run time.
#[actix_web::test]
async fn trusted_documents_mode_runs_only_the_manifest() {
    for backend in [Backend::Embedded, Backend::Services] {
        let Some(mut env) = TestEnv::new(backend) else {
            eprintln!("skipped {backend:?}: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
            continue;
        };
        let trusted = "query Trusted { deputies(first: 1) { totalCount } }";
        let subscription = "subscription Inbox { notificationAdded { id } }";
        let manifest = json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [
                { "id": sha256(trusted), "name": "Trusted", "type": "query", "body": trusted },
                { "id": sha256(subscription), "name": "Inbox", "type": "subscription", "body": subscription },
                { "id": sha256(edaibiao_tests::LOGIN), "name": "Login", "type": "mutation", "body": edaibiao_tests::LOGIN },
            ],
        });
        let file = std::env::temp_dir().join(format!("edaibiao-trusted-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(&file, manifest.to_string()).unwrap();
        env.set("TRUSTED_DOCUMENTS", &file.display().to_string());
        let app = env.spawn().await;

        let by_id = post(&app, GRJ, json!({ "extensions": persisted(&sha256(trusted)) })).await;
        assert!(
            by_id.body["data"]["deputies"]["totalCount"].as_u64().is_some(),
            "{backend:?}: {}",
            by_id.body
        );
        let by_text = post(&app, GRJ, json!({ "query": trusted })).await;
        assert_eq!(by_text.status, 200, "{}", by_text.body);
        let by_get = get(&app, GRJ, &[("extensions", &persisted(&sha256(trusted)).to_string())]).await;
        assert_eq!(by_get.status, 200, "{}", by_get.body);

        // Any other text is refused before it is parsed, in both media types.
        let other = "{ deputies(first: 100) { nodes { name phone } } }";
        let refused = post(&app, GRJ, json!({ "query": other })).await;
        assert_eq!((refused.status, refused.code()), (403, "OPERATION_NOT_TRUSTED"), "{}", refused.body);
        assert_eq!(
            post(&app, "application/json", json!({ "query": other })).await.code(),
            "OPERATION_NOT_TRUSTED"
        );
        // Registering it the automatic way does not make it run.
        let hash = sha256(other);
        let res = post(&app, GRJ, json!({ "query": other, "extensions": persisted(&hash) })).await;
        assert_eq!(res.code(), "OPERATION_NOT_TRUSTED", "{}", res.body);
        assert_eq!(
            post(&app, GRJ, json!({ "extensions": persisted(&hash) })).await.code(),
            "PERSISTED_QUERY_NOT_FOUND"
        );
        // A trusted id with another text is refused too.
        let res = post(&app, GRJ, json!({ "query": other, "extensions": persisted(&sha256(trusted)) })).await;
        assert_eq!(res.status, 400, "{}", res.body);

        // Over WebSocket: the trusted subscription starts, another is refused.
        let tokens = app.login(edaibiao_tests::demo::DEPUTY).await;
        let mut ws = app.ws_as(&tokens.access).await;
        ws.subscribe("1", "subscription { notificationAdded { id title } }", json!({})).await;
        match ws.next(std::time::Duration::from_secs(5)).await {
            edaibiao_tests::WsEvent::Message(m) => {
                // async-graphql reports a refused document as a result with errors and no data.
                assert_eq!((&m["type"], &m["payload"]["data"]), (&json!("next"), &Value::Null), "{m}");
                assert_eq!(m["payload"]["errors"][0]["extensions"]["code"], "OPERATION_NOT_TRUSTED", "{m}");
            }
            other => panic!("expected an error, got {other:?}"),
        }
        let complete = ws.next(std::time::Duration::from_secs(5)).await;
        assert_eq!(complete, edaibiao_tests::WsEvent::Message(json!({ "id": "1", "type": "complete" })));
        ws.subscribe("2", subscription, json!({})).await;
        ws.assert_silent(std::time::Duration::from_millis(300)).await;
        let _ = std::fs::remove_file(&file);
    }
}
