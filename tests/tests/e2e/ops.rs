//! Operations: health, metrics, GraphiQL, request limits, the schema contract, and migrations run by two
//! instances at once.

use edaibiao_tests::{Backend, TestEnv, demo, e2e, node};
use serde_json::json;

e2e!(health_reports_database_and_cache, |app| {
    let (status, content_type, body) = app.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("application/json"));
    let health: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(health["database"], "up");
    assert_eq!(health["cache"]["status"], "up");
    let expected = if app.env.backend == Backend::Services { "redis" } else { "in-process" };
    assert_eq!(health["cache"]["backend"], expected);
});

e2e!(metrics_count_operations_by_kind_and_root_field, |app| {
    app.gql("query RosterForMetrics { deputies(first: 1) { totalCount } }", json!({}), None).await.data();
    let (status, _, body) = app.get("/metrics").await;
    assert_eq!(status, 200);
    // Labelled by what the schema bounds, not by the name the client chose.
    assert!(
        body.lines()
            .any(|l| l.starts_with("graphql_requests_total") && l.contains("operation=\"query:deputies\"")),
        "{body}"
    );
    assert!(!body.contains("RosterForMetrics"), "{body}");
    assert!(body.contains("graphql_request_duration_seconds"), "{body}");
    assert!(body.contains("db_pool_connections"), "{body}");
});

e2e!(graphiql_is_served_outside_production, |app| {
    // To a browser: it asks for HTML. Anyone else asking `GET /graphql` gets a GraphQL answer.
    let request = app.client.get(app.url("/graphql")).insert_header(("accept", "text/html"));
    let mut response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let body = response.body().await.unwrap_or_default();
    assert!(String::from_utf8_lossy(&body).contains("graphiql"), "GraphiQL page expected");
    let (status, content_type, _) = app.get("/graphql").await;
    assert_eq!((status, content_type.starts_with("application/json")), (400, true));
});

e2e!(requests_are_bounded, |app| {
    // Too deep.
    let deep = format!("{{ deputies {{ nodes {{ {} }} }} }}", nested(4));
    let res = app.post_raw(json!({ "query": deep }).to_string(), None).await;
    assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("deep")), "{}", res.body);

    // Too complex: twenty aliased pages of a hundred deputies with their relations.
    let pages: String = (0..20)
        .map(|i| format!("p{i}: deputies(first: 100) {{ nodes {{ name congress {{ name }} liaisonStation {{ name }} }} }} "))
        .collect();
    let res = app.post_raw(json!({ "query": format!("{{ {pages} }}") }).to_string(), None).await;
    assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("complex")), "{}", res.body);

    // Too large a body.
    let padding = "x".repeat(100 * 1024);
    let big =
        json!({ "query": format!("{{ deputies(first: 1) {{ totalCount }} }} # {padding}") }).to_string();
    let res = app.post_raw(big, None).await;
    assert_eq!(res.status, 413);

    // Not JSON.
    let res = app.post_raw("this is not json", None).await;
    assert_eq!(res.status, 400);
    res.assert_code("BAD_USER_INPUT");

    // A normal query still works.
    app.gql("{ deputies(first: 1) { totalCount } }", json!({}), None).await.data();
});

/// Three levels per round: deputy → professional group → committee → linked deputies → ...
fn nested(rounds: usize) -> String {
    let mut query = "name".to_owned();
    for _ in 0..rounds {
        query = format!("name professionalGroup {{ committee {{ linkedDeputies {{ {query} }} }} }}");
    }
    query
}

e2e!(internal_details_never_reach_the_client, |app| {
    // A malformed global ID is the client's mistake, reported as such, with no internals.
    let res = app.gql("{ deputy(id: \"bm90LWEtdXVpZA\") { name } }", json!({}), None).await;
    res.assert_code("BAD_USER_INPUT");
    let text = res.body.to_string().to_lowercase();
    for leak in ["sqlx", "select ", "postgres", "sqlite", "panicked"] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
});

#[test]
fn schema_graphql_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let generated = edaibiao_api::graphql::sdl();
    assert!(
        checked_in == generated,
        "schema.graphql is stale: run `cargo run -p edaibiao-api -- print-schema > schema.graphql`"
    );
}

/// Two API instances starting at once on one empty database: migrations run once, both serve.
#[actix_web::test]
async fn two_instances_migrate_one_database_at_once() {
    for backend in [Backend::Embedded, Backend::Services] {
        let Some(env) = TestEnv::new(backend) else {
            eprintln!("skipped {backend:?}: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
            continue;
        };
        let (a, b) = tokio::join!(Box::pin(env.spawn()), Box::pin(env.spawn()));
        for app in [&a, &b] {
            let res = app.gql("{ deputies { totalCount } }", json!({}), None).await;
            assert_eq!(res.data()["deputies"]["totalCount"], 5, "{backend:?}: demo data loaded exactly once");
        }
        // A session started on one instance is honoured by the other (shared database and cache).
        let tokens = a.login(demo::STAFF).await;
        b.gql("{ me { role } }", json!({}), Some(&tokens.access)).await.data();
    }
}

e2e!(an_oversized_body_gets_413_in_the_graphql_error_shape, |app| {
    let big = json!({ "query": format!("{{ __typename }} # {}", "x".repeat(70 * 1024)) }).to_string();
    let res = app.post_raw(big, None).await;
    assert_eq!(res.status, 413, "{}", res.body);
    res.assert_code("PAYLOAD_TOO_LARGE");
    // Just under the limit is read.
    let fits = json!({ "query": format!("{{ __typename }} # {}", "x".repeat(60 * 1024)) }).to_string();
    assert_eq!(app.post_raw(fits, None).await.data()["__typename"], "Query");
});

e2e!(request_errors_carry_codes_and_one_line_messages, |app| {
    let cases: &[(serde_json::Value, &str)] = &[
        (json!({ "query": "{ congresses(first: 1) { nodes { id }" }), "GRAPHQL_PARSE_FAILED"),
        (json!({ "query": "{ nope }" }), "GRAPHQL_VALIDATION_FAILED"),
        (json!({ "query": "query($f: Int!) { congresses(first: $f) { totalCount } }" }), "BAD_USER_INPUT"),
        (
            json!({ "query": "query($f: Int!) { congresses(first: $f) { totalCount } }", "variables": { "f": "x" } }),
            "BAD_USER_INPUT",
        ),
        (json!({ "query": "query A { __typename }", "operationName": "B" }), "BAD_REQUEST"),
        (json!({ "query": format!("{{ deputies {{ nodes {{ {} }} }} }}", nested(4)) }), "QUERY_TOO_DEEP"),
    ];
    for (body, code) in cases {
        let res = app.post_raw(body.to_string(), None).await;
        res.assert_code(code);
        let message = res.body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty() && !message.contains('\n'), "one line: {message:?}");
    }
});

e2e!(the_standard_introspection_query_downloads_the_contract, |app| {
    let sdl = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let args = vec![app.url("/graphql"), sdl.display().to_string()];
    let Some(run) = node::run_script("introspect.mjs", "graphql", args).await else { return };
    assert!(run.success, "introspection differs from schema.graphql or was refused:\n{}", run.output);
});
