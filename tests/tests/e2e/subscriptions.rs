//! Live updates over WebSocket (`graphql-transport-ws`): authentication in `connection_init`, the
//! viewer's notifications and a suggestion's timeline as they happen, and resuming without gap or
//! duplicate.

use edaibiao_tests::{TestApp, WsEvent, demo, e2e};
use serde_json::{Value, json};
use std::time::Duration;

const NOTIFICATIONS: &str =
    "subscription($after: ID) { notificationAdded(after: $after) { id kind title subjectId } }";

/// A submitted suggestion of 张明's; returns its ID.
async fn submitted(app: &TestApp, deputy: &str, title: &str) -> String {
    let q = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let i = json!({ "i": { "title": title, "content": "内容", "category": "交通", "sessionNumber": 1 } });
    let id = app.gql(q, i, Some(deputy)).await.data()["createSuggestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.gql("mutation($id: ID!) { submitSuggestion(id: $id) { id } }", json!({ "id": id }), Some(deputy))
        .await
        .data();
    id
}

async fn assign(app: &TestApp, staff: &str, id: &str) {
    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let assign = "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id } }";
    let a = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
    app.gql(assign, json!({ "id": id, "a": a }), Some(staff)).await.data();
}

fn kind(payload: &Value) -> &str {
    payload["data"]["notificationAdded"]["kind"].as_str().unwrap_or_default()
}

e2e!(connection_init_needs_a_valid_token, |app| {
    let mut ws = app.ws().await;
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4403)));

    let mut ws = app.ws().await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer forged" } })).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4403)));

    // Subscribing before the handshake is refused with the protocol's code.
    let mut ws = app.ws().await;
    ws.subscribe("1", NOTIFICATIONS, json!({})).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4401)));
});

e2e!(notifications_arrive_live, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let mut deputy_ws = app.ws_as(&zhang).await;
    deputy_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    let mut staff_ws = app.ws_as(&staff).await;
    staff_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    app.wait_for_live_topics(2).await;
    deputy_ws.assert_silent(Duration::from_millis(100)).await;

    let id = submitted(&app, &zhang, "关于夜间公交的建议").await;
    assert_eq!(kind(&staff_ws.next_data("n").await), "SUBMITTED");
    assign(&app, &staff, &id).await;
    let assigned = deputy_ws.next_data("n").await;
    assert_eq!(kind(&assigned), "ASSIGNED");
    assert_eq!(assigned["data"]["notificationAdded"]["subjectId"], id.as_str());
    // The actor hears nothing of their own step.
    staff_ws.assert_silent(Duration::from_millis(300)).await;
});

/// Lines a child process prints, read on a thread.
fn lines_of(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<Value> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().expect("no stdout");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(serde_json::from_str(&line).unwrap_or(Value::String(line)));
        }
    });
    rx
}

/// Waits for a line matching `wanted`, up to 15 s.
async fn wait_for(lines: &std::sync::mpsc::Receiver<Value>, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while std::time::Instant::now() < deadline {
        match lines.try_recv() {
            Ok(line) if wanted(&line) => return line,
            Ok(_) => {}
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    panic!("the graphql-ws client did not print what was expected in time");
}

/// The done-when of live updates: the `graphql-ws` library (what the app uses), connected to instance A,
/// hears of an action taken through instance B; they share only PostgreSQL and Redis.
#[actix_web::test]
async fn a_real_graphql_ws_client_hears_an_action_taken_on_another_instance() {
    let Some(env) = edaibiao_tests::TestEnv::new(edaibiao_tests::Backend::Services) else {
        eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set");
        return;
    };
    let client_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
    if !client_dir.join("node_modules/graphql-ws").exists() {
        assert!(
            std::env::var_os("EDAIBIAO_REQUIRE_NODE_CLIENT").is_none(),
            "the graphql-ws client is not installed: npm ci --prefix tests/js"
        );
        eprintln!("skipped: run `npm ci --prefix tests/js` to test with the graphql-ws client");
        return;
    }
    let a = env.spawn().await;
    let b = env.spawn().await;
    let zhang = a.login(demo::DEPUTY).await.access;
    let staff = b.login(demo::STAFF).await.access;

    let mut child = std::process::Command::new("node")
        .arg(client_dir.join("subscribe.mjs"))
        .arg(a.url("/graphql").replacen("http://", "ws://", 1))
        .arg(&zhang)
        .arg(NOTIFICATIONS)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cannot run node");
    let lines = lines_of(&mut child);
    wait_for(&lines, |l| l["connected"] == true).await;
    a.wait_for_live_topics(1).await;

    let id = submitted(&b, &zhang, "关于学校周边交通的建议").await;
    assign(&b, &staff, &id).await;
    let line = wait_for(&lines, |l| l["data"]["notificationAdded"].is_object()).await;
    assert_eq!(line["data"]["notificationAdded"]["kind"], "ASSIGNED");
    assert_eq!(line["data"]["notificationAdded"]["subjectId"], id.as_str());
    let _ = child.kill();
}

/// The code of a refused subscription: a resolver error arrives as a `next` with errors (then
/// `complete`), as graphql-transport-ws has it for execution errors.
fn refusal(message: &Value) -> &str {
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"]["data"].is_null(), "{message}");
    message["payload"]["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
}

fn added(payload: &Value) -> (String, String) {
    let n = &payload["data"]["notificationAdded"];
    (n["id"].as_str().unwrap_or_default().to_owned(), n["subjectId"].as_str().unwrap_or_default().to_owned())
}

e2e!(a_dropped_phone_resumes_without_gap_or_duplicate, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let mut suggestions = Vec::new();
    for title in ["建议一", "建议二", "建议三", "建议四"] {
        suggestions.push(submitted(&app, &zhang, title).await);
    }

    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    app.wait_for_live_topics(1).await;
    assign(&app, &staff, &suggestions[0]).await;
    let (first, subject) = added(&ws.next_data("n").await);
    assert_eq!(subject, suggestions[0]);
    drop(ws);

    // Offline: two more steps concern the deputy.
    assign(&app, &staff, &suggestions[1]).await;
    assign(&app, &staff, &suggestions[2]).await;

    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("n", NOTIFICATIONS, json!({ "after": first })).await;
    let (_, missed_1) = added(&ws.next_data("n").await);
    let (second_last, missed_2) = added(&ws.next_data("n").await);
    assert_eq!([missed_1, missed_2], [suggestions[1].clone(), suggestions[2].clone()]);
    ws.assert_silent(Duration::from_millis(300)).await;
    // Then live, once.
    assign(&app, &staff, &suggestions[3]).await;
    let (last, live) = added(&ws.next_data("n").await);
    assert_eq!(live, suggestions[3]);
    assert_ne!(last, second_last);
    ws.assert_silent(Duration::from_millis(300)).await;

    // Resuming from the newest replays nothing; a cursor that is not the viewer's is refused.
    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("n", NOTIFICATIONS, json!({ "after": last })).await;
    ws.assert_silent(Duration::from_millis(300)).await;
    let mut staff_ws = app.ws_as(&staff).await;
    staff_ws.subscribe("n", NOTIFICATIONS, json!({ "after": last })).await;
    match staff_ws.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) => assert_eq!(refusal(&m), "BAD_USER_INPUT", "{m}"),
        other => panic!("expected an error, got {other:?}"),
    }
});

const EVENTS: &str = "subscription($s: ID!, $after: ID) { suggestionEvents(suggestionId: $s, after: $after) { id seq kind toState } }";

e2e!(a_suggestion_timeline_is_live_for_those_who_may_see_it, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;
    let citizen = app.login(demo::CITIZEN).await.access;
    let id = submitted(&app, &zhang, "关于路灯的建议").await;

    // Not assigned yet: the unit may not see it; neither may a citizen.
    for token in [&unit, &citizen] {
        let mut ws = app.ws_as(token).await;
        ws.subscribe("e", EVENTS, json!({ "s": id })).await;
        match ws.next(Duration::from_secs(5)).await {
            WsEvent::Message(m) => assert_eq!(refusal(&m), "NOT_FOUND", "{m}"),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("e", EVENTS, json!({ "s": id })).await;
    app.wait_for_live_topics(1).await;
    assign(&app, &staff, &id).await;
    let event = ws.next_data("e").await["data"]["suggestionEvents"].clone();
    assert_eq!(event["kind"], "ASSIGNED");
    assert_eq!(event["toState"], "ASSIGNED");
    assert_eq!(event["seq"], 3, "created, submitted, assigned");

    // Resuming from the first step replays the rest of the timeline in order.
    let timeline = "query($id: ID!) { node(id: $id) { ... on Suggestion { timeline { id seq } } } }";
    let steps = app.gql(timeline, json!({ "id": id }), Some(&zhang)).await.data()["node"]["timeline"].clone();
    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("e", EVENTS, json!({ "s": id, "after": steps[0]["id"] })).await;
    let seqs = [ws.next_data("e").await, ws.next_data("e").await]
        .map(|p| p["data"]["suggestionEvents"]["seq"].as_i64().unwrap_or_default());
    assert_eq!(seqs, [2, 3]);
    ws.assert_silent(Duration::from_millis(300)).await;
});

/// A Redis outage: the API keeps serving queries and mutations, `/healthz` says it is degraded, and the
/// notifications committed meanwhile reach the subscriber once Redis is back.
#[actix_web::test]
async fn notifications_wait_out_a_redis_outage() {
    let Some((app, proxy)) = edaibiao_tests::RedisProxy::in_front_of_a_server().await else { return };
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let id = submitted(&app, &zhang, "关于停车位的建议").await;
    let mut ws = app.ws_as(&zhang).await;
    ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    app.wait_for_live_topics(1).await;

    proxy.cut();
    assign(&app, &staff, &id).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let health = loop {
        let (status, _, body) = app.get("/healthz").await;
        let health: Value = serde_json::from_str(&body).unwrap_or_default();
        if health["status"] == "degraded" && health["bus"]["relay"] == "failing" {
            assert_eq!(status, 200, "Redis down is degraded, not down: {health}");
            break health;
        }
        assert!(std::time::Instant::now() < deadline, "never reported degraded: {health}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(health["bus"]["outboxBacklog"].as_u64().unwrap_or_default() >= 1, "{health}");
    // Queries still work meanwhile.
    let count = app.gql("{ unreadNotificationCount }", json!({}), Some(&zhang)).await;
    assert_eq!(count.data()["unreadNotificationCount"], 1);
    ws.assert_silent(Duration::from_millis(300)).await;

    proxy.restore();
    let assigned = ws.next_data("n").await;
    assert_eq!(kind(&assigned), "ASSIGNED");
    ws.assert_silent(Duration::from_millis(300)).await;
}

/// A token that expires `in_secs` from now, otherwise the demo deputy's.
async fn token_expiring(app: &TestApp, in_secs: i64) -> String {
    use base64::Engine;
    let access = app.login(demo::DEPUTY).await.access;
    let payload = access.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap_or_default();
    let mut claims: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    claims["iat"] = json!(now - 60);
    claims["exp"] = json!(now + in_secs);
    let key = jsonwebtoken::EncodingKey::from_secret(edaibiao_tests::TEST_JWT_SECRET.as_bytes());
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("cannot sign")
}

e2e!(subscriptions_end_when_the_access_token_expires, |app| {
    let expired = token_expiring(&app, -3600).await;
    let mut ws = app.ws().await;
    ws.send(
        json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {expired}") } }),
    )
    .await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4403)));

    let short = token_expiring(&app, 2).await;
    let mut ws = app.ws_as(&short).await;
    ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    match ws.next(Duration::from_secs(6)).await {
        WsEvent::Message(m) => assert_eq!(refusal(&m), "UNAUTHENTICATED", "{m}"),
        other => panic!("expected the subscription to end, got {other:?}"),
    }
    match ws.next(Duration::from_secs(2)).await {
        WsEvent::Message(m) => assert_eq!(m["type"], "complete", "{m}"),
        other => panic!("expected complete, got {other:?}"),
    }
});

/// `/healthz`'s running subscription executions and the operations they serve, once they are `wanted`.
async fn until_executions(app: &TestApp, wanted: (u64, u64)) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, _, body) = app.get("/healthz").await;
        let health: Value = serde_json::from_str(&body).unwrap_or_default();
        let live = &health["bus"]["subscriptions"];
        let now = (
            live["executions"].as_u64().unwrap_or(u64::MAX),
            live["operations"].as_u64().unwrap_or(u64::MAX),
        );
        if now == wanted {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "executions and operations: {now:?}, wanted {wanted:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// Fan-out executed once: sockets of one account asking the same thing share one execution, which
// resolves each item once; each socket gets the same payload under its own id and leaves on its own.
e2e!(sockets_asking_the_same_share_one_execution, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let staff = [app.login(demo::STAFF).await.access, app.login(demo::STAFF).await.access];
    // Three sockets of one account (two logins) ask the same.
    let mut same = Vec::new();
    for (i, token) in [&staff[0], &staff[1], &staff[0]].into_iter().enumerate() {
        let mut ws = app.ws_as(token).await;
        ws.subscribe(&format!("s{i}"), NOTIFICATIONS, json!({})).await;
        same.push(ws);
    }
    // The same question from another account, and another question from the same account, run apart.
    let mut deputy_ws = app.ws_as(&zhang).await;
    deputy_ws.subscribe("d", NOTIFICATIONS, json!({})).await;
    let mut narrower = app.ws_as(&staff[0]).await;
    narrower.subscribe("k", "subscription { notificationAdded { kind } }", json!({})).await;
    until_executions(&app, (3, 5)).await;
    app.wait_for_live_topics(2).await;

    let first = submitted(&app, &zhang, "关于共享推送的建议").await;
    let mut heard = Vec::new();
    for (i, ws) in same.iter_mut().enumerate() {
        heard.push(ws.next_data(&format!("s{i}")).await);
    }
    assert_eq!(kind(&heard[0]), "SUBMITTED");
    assert_eq!(heard[0]["data"]["notificationAdded"]["subjectId"], first.as_str());
    assert!(heard.iter().all(|p| p == &heard[0]), "{heard:?}");
    assert_eq!(
        narrower.next_data("k").await,
        json!({ "data": { "notificationAdded": { "kind": "SUBMITTED" } } })
    );
    deputy_ws.assert_silent(Duration::from_millis(100)).await;

    // One completes its operation: the others go on, and a socket asking the same now joins them (it
    // asked for what arrives from now, so it has missed nothing).
    same[0].send(json!({ "id": "s0", "type": "complete" })).await;
    let mut late = app.ws_as(&staff[1]).await;
    late.subscribe("late", NOTIFICATIONS, json!({})).await;
    until_executions(&app, (3, 5)).await;
    let second = submitted(&app, &zhang, "关于共享推送的第二条建议").await;
    for (i, ws) in same.iter_mut().enumerate().skip(1) {
        let id = format!("s{i}");
        assert_eq!(
            ws.next_data(&id).await["data"]["notificationAdded"]["subjectId"],
            second.as_str(),
            "{id}"
        );
    }
    assert_eq!(late.next_data("late").await["data"]["notificationAdded"]["subjectId"], second.as_str());
    same[0].assert_silent(Duration::from_millis(200)).await;

    // Resuming replays history, so a second socket resuming from the same point is not joined to an
    // execution that has already replayed: it gets the history too.
    let after = heard[0]["data"]["notificationAdded"]["id"].clone();
    let mut resumed = Vec::new();
    for i in 0..2 {
        let mut ws = app.ws_as(&staff[0]).await;
        ws.subscribe("r", NOTIFICATIONS, json!({ "after": after })).await;
        let replayed = ws.next_data("r").await;
        assert_eq!(replayed["data"]["notificationAdded"]["subjectId"], second.as_str(), "resumer {i}");
        resumed.push(ws);
    }
    until_executions(&app, (5, 7)).await;

    // Sockets that go end their operations; an execution ends with its last.
    drop(same);
    drop(late);
    until_executions(&app, (4, 4)).await;
});

/// Status and body of a WebSocket upgrade request to `path` offering `protocol`.
async fn upgrade_request(app: &TestApp, method: &str, path: &str, protocol: &str) -> (u16, String) {
    let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap_or_default();
    let mut response = app
        .client
        .request(method, app.url(path))
        .insert_header(("connection", "Upgrade"))
        .insert_header(("upgrade", "websocket"))
        .insert_header(("sec-websocket-version", "13"))
        .insert_header(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
        .insert_header(("sec-websocket-protocol", protocol))
        .send()
        .await
        .expect("the server did not answer");
    // The connection ends with the refusal, so the client must not pool it.
    let connection = response.headers().get("connection").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(connection.as_deref(), Some("close"), "{path}");
    let body = response.body().await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    (response.status().as_u16(), body)
}

// The socket edge: only graphql-transport-ws on GET /graphql is upgraded; messages may come in fragments,
// and one larger than 64 KiB ends the socket.
e2e!(the_socket_edge_takes_graphql_transport_ws_only, |app| {
    let (status, body) = upgrade_request(&app, "GET", "/graphql", "graphql-ws").await;
    assert_eq!((status, body.as_str()), (400, "use the graphql-transport-ws subprotocol"));
    assert_eq!(upgrade_request(&app, "GET", "/healthz", "graphql-transport-ws").await.0, 404);
    assert_eq!(upgrade_request(&app, "POST", "/graphql", "graphql-transport-ws").await.0, 405);
    // The HTTP side is untouched.
    assert_eq!(app.get("/healthz").await.0, 200);

    let token = app.login(demo::DEPUTY).await.access;
    let init =
        json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } })
            .to_string();
    let (head, tail) = init.split_at(init.len() / 2);
    let mut ws = app.ws().await;
    ws.send_frame(awc::ws::Message::Continuation(actix_http::ws::Item::FirstText(head.to_owned().into())))
        .await;
    ws.send_frame(awc::ws::Message::Continuation(actix_http::ws::Item::Last(tail.to_owned().into()))).await;
    match ws.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) => assert_eq!(m["type"], "connection_ack", "{m}"),
        other => panic!("expected the fragmented init to be acknowledged, got {other:?}"),
    }
    ws.send(json!({ "type": "ping", "payload": { "padding": "x".repeat(70 * 1024) } })).await;
    assert!(matches!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(_)));

    // An unreadable message and a reused operation id close with the protocol's codes.
    let mut ws = app.ws_as(&token).await;
    ws.send(json!({ "type": "subscribe", "id": "1" })).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4400)));
    let mut ws = app.ws_as(&token).await;
    ws.subscribe("1", NOTIFICATIONS, json!({})).await;
    ws.subscribe("1", NOTIFICATIONS, json!({})).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4409)));
});

// One connection runs at most 32 operations at once (each costs an execution); the next is refused with
// RATE_LIMITED and the socket goes on.
e2e!(a_connection_runs_a_bounded_number_of_operations, |app| {
    let token = app.login(demo::DEPUTY).await.access;
    let mut ws = app.ws_as(&token).await;
    for i in 0..32 {
        ws.subscribe(&format!("op{i}"), NOTIFICATIONS, json!({})).await;
    }
    ws.subscribe("one-too-many", NOTIFICATIONS, json!({})).await;
    match ws.next(Duration::from_secs(5)).await {
        WsEvent::Message(m) => {
            assert_eq!((m["id"].as_str(), refusal(&m)), (Some("one-too-many"), "RATE_LIMITED"), "{m}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        ws.next(Duration::from_secs(5)).await,
        WsEvent::Message(json!({ "id": "one-too-many", "type": "complete" }))
    );
    // Completing one makes room.
    ws.send(json!({ "id": "op0", "type": "complete" })).await;
    ws.subscribe("room", NOTIFICATIONS, json!({})).await;
    ws.assert_silent(Duration::from_millis(300)).await;
    until_executions(&app, (1, 32)).await;
});
