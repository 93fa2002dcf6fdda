//! The hostile-input suite: every generated request (see `edaibiao_tests::hostile`) against the real
//! schema answers with JSON whose every error has a code other than INTERNAL, no 5xx, no crash; and the
//! server answers an ordinary query afterwards. Time per request is measured by `bench/hostile.sh`, not
//! here.

use edaibiao_tests::hostile::{Case, MUTATIONS, SEED, corpus};
use edaibiao_tests::{TestApp, e2e};
use serde_json::{Value, json};

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
