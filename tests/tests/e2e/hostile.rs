//! The hostile-input suite: every generated request (see `edaibiao_tests::hostile`) against the real
//! schema answers with JSON whose every error has a code other than INTERNAL, no 5xx, no crash; and the
//! server answers an ordinary query afterwards. Time per request is measured by `bench/hostile.sh`, not
//! here.

use edaibiao_tests::hostile::{Case, MUTATIONS, SEED, corpus};
use edaibiao_tests::{TestApp, e2e};
use serde_json::{Value, json};

const GRJ: &str = "application/graphql-response+json";

async fn send(app: &TestApp, case: &Case) -> (u16, Value) {
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .send_body(case.body.clone())
        .await
        .unwrap_or_else(|e| panic!("{} / {}: the server did not answer: {e}", case.family, case.name));
    let status = response.status().as_u16();
    let bytes = response.body().limit(16 << 20).await.unwrap_or_default();
    (
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into())),
    )
}

/// What is wrong with an answer, if anything.
fn fault(case: &Case, status: u16, body: &Value) -> Option<String> {
    if status >= 500 {
        return Some(format!("status {status}"));
    }
    let Some(errors) = body.get("errors").and_then(Value::as_array) else {
        return if case.may_succeed && body.get("data").is_some() {
            None
        } else {
            Some(format!("accepted a hostile request: {body}"))
        };
    };
    if errors.is_empty() {
        return Some("an empty error list".into());
    }
    for error in errors {
        let code = error["extensions"]["code"].as_str();
        let message = error["message"].as_str().unwrap_or_default();
        match code {
            None => return Some(format!("an error without a code: {error}")),
            Some("INTERNAL") => return Some(format!("INTERNAL for bad input: {error}")),
            Some(_) => {}
        }
        let leaks = ["SELECT ", "sqlx", "panicked", ".rs:", "stack"];
        if message.contains('\n') || leaks.iter().any(|l| message.contains(l)) {
            return Some(format!("a message that is not one clean line: {message:?}"));
        }
    }
    None
}

e2e!(every_hostile_request_gets_a_coded_answer_and_the_server_lives, |app| {
    let cases = corpus(SEED, MUTATIONS);
    assert!(cases.len() > MUTATIONS + 80, "the corpus shrank: {}", cases.len());
    let mut faults = Vec::new();
    for case in &cases {
        let (status, body) = send(&app, case).await;
        if let Some(fault) = fault(case, status, &body) {
            faults.push(format!("{} / {}: {fault}", case.family, case.name));
        }
    }
    assert!(
        faults.is_empty(),
        "{} of {} requests answered badly:\n{}",
        faults.len(),
        cases.len(),
        faults.join("\n")
    );
    let alive = app.gql("{ congresses(first: 1) { totalCount } }", json!({}), None).await;
    assert!(alive.data()["congresses"]["totalCount"].is_number());
});

/// The `extensions.code` of the first error of a refused subscription, whichever message carries it
/// (`error` for request errors, `next` with errors for execution errors).
fn ws_code(message: &Value) -> Option<&str> {
    let errors = if message["type"] == "error" { &message["payload"] } else { &message["payload"]["errors"] };
    errors[0]["extensions"]["code"].as_str()
}

e2e!(hostile_subscriptions_are_refused_and_the_socket_lives, |app| {
    let zhang = app.login(edaibiao_tests::demo::DEPUTY).await.access;
    let mut ws = app.ws_as(&zhang).await;
    let deep = format!(
        "subscription {{ notificationAdded(after: {}\"x\"{}) {{ id }} }}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let mut fan = String::from("subscription { ...F0 }");
    for i in 0..40 {
        fan.push_str(&format!(" fragment F{i} on Subscription {{ ...F{} ...F{} }}", i + 1, i + 1));
    }
    fan.push_str(" fragment F40 on Subscription { notificationAdded { id } }");
    for (id, query, code) in [("deep", deep, "BAD_USER_INPUT"), ("fan", fan, "QUERY_TOO_COMPLEX")] {
        ws.subscribe(id, &query, json!({})).await;
        match ws.next(std::time::Duration::from_secs(5)).await {
            edaibiao_tests::WsEvent::Message(m) => {
                assert_eq!((m["id"].as_str(), ws_code(&m)), (Some(id), Some(code)), "{m}")
            }
            other => panic!("expected a refusal of {id}, got {other:?}"),
        }
        // The operation ends there.
        match ws.next(std::time::Duration::from_secs(5)).await {
            edaibiao_tests::WsEvent::Message(m) if m["type"] == "complete" => assert_eq!(m["id"], id),
            other => panic!("expected {id} to complete, got {other:?}"),
        }
    }
    ws.send(json!({ "type": "ping" })).await;
    match ws.next(std::time::Duration::from_secs(5)).await {
        edaibiao_tests::WsEvent::Message(m) => assert_eq!(m["type"], "pong", "{m}"),
        other => panic!("the socket should live on, got {other:?}"),
    }
});

/// `GET /graphql?{raw}` (the query string sent as given, not encoded again) in `accept`: status and body.
async fn get_raw(app: &TestApp, raw: &str, accept: &str) -> (u16, Value) {
    let mut response = app
        .client
        .get(app.url(&format!("/graphql?{raw}")))
        .insert_header(("accept", accept))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}…: the server did not answer: {e}", &raw[..raw.len().min(60)]));
    let status = response.status().as_u16();
    let bytes = response.body().limit(16 << 20).await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, body)
}

/// `text` percent-encoded for a URL's query string.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a hostile GET answers: the code of its first error, and the status for a client that accepts
/// `application/graphql-response+json` and for one that accepts `application/json` (a document that cannot
/// run is 200 there; a request whose parameters cannot be read is 400 in both).
struct Expected {
    code: &'static str,
    status: u16,
    json_status: u16,
}

const REFUSED: Expected = Expected { code: "BAD_REQUEST", status: 400, json_status: 400 };
const UNPARSED: Expected = Expected { code: "GRAPHQL_PARSE_FAILED", status: 400, json_status: 200 };

e2e!(hostile_get_parameters_are_refused_as_requests_and_the_server_lives, |app| {
    let typename = format!("query={}", url_encoded("{ __typename }"));
    // The longest URI the HTTP stack takes is 65,534 bytes: documents just under it are read (and run when
    // they are right); a longer URI is refused by the HTTP layer itself, below.
    let huge = |document: String| format!("query={}", url_encoded(&document));
    let huge_valid = huge(format!("{{ {} }}", "__typename ".repeat(4_500)));
    let huge_broken = huge(format!("{{ __typename(x: \"{}", "x".repeat(60_000)));
    assert!([&huge_valid, &huge_broken].iter().all(|q| (55_000..65_000).contains(&q.len())));
    let nested = format!("query={}{}", "%7B".repeat(3_000), "%7D".repeat(3_000));
    let too_deep = Expected { code: "BAD_USER_INPUT", status: 400, json_status: 200 };
    let cases = [
        ("variables that are not JSON", format!("{typename}&variables=%7Bnot%20json"), REFUSED),
        ("variables that are a JSON array", format!("{typename}&variables=%5B1%2C2%5D"), REFUSED),
        ("variables that are a JSON number", format!("{typename}&variables=42"), REFUSED),
        ("extensions that are not JSON", format!("{typename}&extensions=persisted"), REFUSED),
        ("a huge document that does not parse", huge_broken, UNPARSED),
        ("deeply nested braces", nested, too_deep),
        ("a parameter given twice", format!("{typename}&{typename}"), REFUSED),
        // Invalid escapes are read as the text they are, lossily decoded bytes as U+FFFD.
        ("invalid percent-encoding", "query=%zz".to_owned(), UNPARSED),
        ("invalid percent-encoding in variables", format!("{typename}&variables=%zz"), REFUSED),
        ("bytes that are not UTF-8", "query=%ff%fe".to_owned(), UNPARSED),
        ("bytes that are not UTF-8 in variables", format!("{typename}&variables=%ff%fe"), REFUSED),
    ];
    for (name, raw, expected) in &cases {
        for (accept, status) in [(GRJ, expected.status), ("application/json", expected.json_status)] {
            let (got, body) = get_raw(&app, raw, accept).await;
            let code = body["errors"][0]["extensions"]["code"].as_str();
            assert_eq!((got, code), (status, Some(expected.code)), "{name}, accepting {accept}: {body}");
            if accept == GRJ {
                assert!(body.get("data").is_none(), "{name}: a request that did not run has no data: {body}");
            }
        }
    }
    // What is well-formed runs, however long, and a parameter no one asked for is ignored whatever its bytes.
    for (name, raw) in
        [("a huge document", huge_valid), ("a name that is not UTF-8", format!("{typename}&%ff%fe=1"))]
    {
        let (status, body) = get_raw(&app, &raw, GRJ).await;
        assert_eq!((status, &body["data"]["__typename"]), (200, &json!("Query")), "{name}: {body}");
    }
    // A URI past what the HTTP layer reads (~100 KB) is refused there, before any GraphQL: 400, no 5xx.
    let too_long = huge(format!("{{ {} }}", "__typename ".repeat(7_700)));
    assert!(too_long.len() > 100_000);
    let (status, answer) = get_over_tcp(&app, &too_long).await;
    assert_eq!(status, 400, "{}", answer.lines().next().unwrap_or_default());

    let alive = app.gql("{ congresses(first: 1) { totalCount } }", json!({}), None).await;
    assert!(alive.data()["congresses"]["totalCount"].is_number());
});

/// `GET /graphql?{raw}` written on a socket of its own, for a URI longer than the HTTP client sends:
/// the status and the whole answer as text.
async fn get_over_tcp(app: &TestApp, raw: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut socket = tokio::net::TcpStream::connect(&address)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {address}: {e}"));
    let request = format!(
        "GET /graphql?{raw} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.unwrap_or_else(|e| panic!("cannot send: {e}"));
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// A raw HTTP/1.1 request on a socket of its own (any path and body bytes): the status, or 0 when the
/// server did not answer.
async fn raw_http(app: &TestApp, head: &str, body: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    let Ok(mut socket) = tokio::net::TcpStream::connect(&address).await else { return 0 };
    let request = format!(
        "{head} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: Bearer \u{7f}x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if socket.write_all(request.as_bytes()).await.is_err() || socket.write_all(body).await.is_err() {
        return 0;
    }
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

e2e!(hostile_requests_to_the_public_pages_never_get_a_5xx, |app| {
    let long = "K".repeat(20_000);
    let ids = vec!["00000000-0000-0000-0000-000000000000"; 500].join(",");
    let cases: Vec<(String, Vec<u8>)> = vec![
        (format!("GET /t/{long}"), Vec::new()),
        ("GET /t/%00%ff%fe".to_owned(), Vec::new()),
        (format!("GET /t?code={long}&code=x"), Vec::new()),
        ("GET /t?code=%ff%fe%00".to_owned(), Vec::new()),
        ("POST /t/K7Q3-9XWD-M2P4-RTB8".to_owned(), vec![0xff; 200_000]),
        ("POST /t/K7Q3-9XWD-M2P4-RTB8".to_owned(), b"satisfaction=%ff&comment=%00".to_vec()),
        ("POST /t".to_owned(), b"code=x".to_vec()),
        (
            "GET /open311/v2/requests.json?start_date=%ff&status=,,,&jurisdiction_id=%00".to_owned(),
            Vec::new(),
        ),
        (format!("GET /open311/v2/requests.json?service_request_id={ids}"), Vec::new()),
        (format!("GET /open311/v2/requests/{long}.json"), Vec::new()),
        ("GET /open311/v2/services/..%2f..%2fetc.json".to_owned(), Vec::new()),
        ("GET /me/personal-data.json".to_owned(), Vec::new()),
    ];
    for (head, body) in &cases {
        let status = raw_http(&app, head, body).await;
        assert!((400..500).contains(&status), "{}…: {status}", head.chars().take(60).collect::<String>());
    }
    let alive = app.gql("{ congresses(first: 1) { totalCount } }", json!({}), None).await;
    assert!(alive.data()["congresses"]["totalCount"].is_number());
});
