//! Sessions live in the database (issue 13, items 15 and 16): sign-in, refresh and sign-out keep working
//! while Redis is unreachable, a revoked token stays revoked when the cache forgets everything, and
//! ending a session closes that session's sockets at once, on every instance.

use edaibiao_tests::{Backend, TestApp, WsEvent, demo, e2e};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ME: &str = "{ me { id } }";
const LOGOUT: &str = "mutation { logout }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";
const NOTIFICATIONS: &str = "subscription { notificationAdded { id kind } }";

fn tokens_of(res: &Value) -> (String, String) {
    let payload = &res["refreshToken"];
    let field = |name: &str| payload[name].as_str().unwrap_or_default().to_owned();
    (field("accessToken"), field("refreshToken"))
}

/// Deletes every key under this test's Redis prefix, as a Redis restart with no persistence would (other
/// tests' keys stay). Returns how many keys there were; nothing to do on the embedded backend.
async fn empty_redis(app: &TestApp) -> u64 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = app.env.config();
    let Some(url) = config.redis_url else { return 0 };
    let address = url.trim_start_matches("redis://").trim_end_matches('/').to_owned();
    let script = "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do \
                  redis.call('DEL', k) n = n + 1 end return n";
    let pattern = format!("{}:*", config.redis_prefix);
    let args = ["EVAL", script, "0", pattern.as_str()];
    let mut command = format!("*{}\r\n", args.len());
    for arg in args {
        command.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
    }
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("cannot reach redis");
    stream.write_all(command.as_bytes()).await.expect("redis write");
    let mut reply = [0u8; 64];
    let n = stream.read(&mut reply).await.expect("redis read");
    let reply = String::from_utf8_lossy(&reply[..n]).into_owned();
    reply
        .strip_prefix(':')
        .and_then(|r| r.trim().parse().ok())
        .unwrap_or_else(|| panic!("unexpected redis reply {reply:?}"))
}

e2e!(a_revoked_session_stays_revoked_when_the_cache_forgets, |app| {
    let tokens = app.login(demo::DEPUTY).await;
    app.gql(ME, json!({}), Some(&tokens.access)).await.data();
    assert_eq!(app.gql(LOGOUT, json!({}), Some(&tokens.access)).await.data()["logout"], true);
    app.gql(ME, json!({}), Some(&tokens.access)).await.assert_code("UNAUTHENTICATED");

    // The cache loses everything: Redis restarts empty, or (embedded) the process restarts with a fresh
    // in-process cache. The database still says the session has ended.
    if app.env.backend == Backend::Services {
        assert!(empty_redis(&app).await > 0, "the revocation was cached before the flush");
    }
    let restarted = app.env.spawn().await;
    for instance in [&app, &restarted] {
        let res = instance.gql(ME, json!({}), Some(&tokens.access)).await;
        res.assert_code("UNAUTHENTICATED");
        assert_eq!(res.status, 401);
        instance.gql(REFRESH, json!({ "t": tokens.refresh }), None).await.assert_code("UNAUTHENTICATED");
    }
    // A session that holds is not mistaken for a revoked one after the flush either.
    let other = app.login(demo::DEPUTY).await;
    empty_redis(&app).await;
    restarted.gql(ME, json!({}), Some(&other.access)).await.data();
});

/// Redis unreachable: a correct login, a refresh and a logout all work, the logged-out token stops
/// working at once, and it stays refused when Redis comes back with the state it had before.
#[actix_web::test]
async fn sign_in_and_out_work_while_redis_is_down() {
    let Some((app, proxy)) = edaibiao_tests::RedisProxy::in_front_of_a_server().await else { return };
    // Logged in and used before the outage: Redis remembers this session as active.
    let before = app.login(demo::STAFF).await;
    app.gql(ME, json!({}), Some(&before.access)).await.data();

    proxy.cut();
    let during = app.login(demo::DEPUTY).await;
    assert!(!during.access.is_empty(), "login works without Redis");
    app.gql(ME, json!({}), Some(&during.access)).await.data();
    let res = app.gql(REFRESH, json!({ "t": during.refresh }), None).await;
    let (access, refresh) = tokens_of(res.data());
    app.gql(ME, json!({}), Some(&access)).await.data();
    assert_eq!(app.gql(LOGOUT, json!({}), Some(&access)).await.data()["logout"], true);
    app.gql(ME, json!({}), Some(&access)).await.assert_code("UNAUTHENTICATED");
    app.gql(REFRESH, json!({ "t": refresh }), None).await.assert_code("UNAUTHENTICATED");
    // The session that Redis still holds as active ends too.
    assert_eq!(app.gql(LOGOUT, json!({}), Some(&before.access)).await.data()["logout"], true);
    app.gql(ME, json!({}), Some(&before.access)).await.assert_code("UNAUTHENTICATED");

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // The stale "active" mark in Redis does not bring the token back, on this instance or another.
        app.gql(ME, json!({}), Some(&before.access)).await.assert_code("UNAUTHENTICATED");
        let (_, _, body) = app.get("/healthz").await;
        let health: Value = serde_json::from_str(&body).unwrap_or_default();
        if health["status"] == "ok" {
            break;
        }
        assert!(Instant::now() < deadline, "never recovered: {health}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.gql(ME, json!({}), Some(&before.access)).await.assert_code("UNAUTHENTICATED");
    let other = app.env.spawn().await;
    other.gql(ME, json!({}), Some(&before.access)).await.assert_code("UNAUTHENTICATED");
    other.gql(ME, json!({}), Some(&access)).await.assert_code("UNAUTHENTICATED");
}

/// A submitted suggestion of `deputy`'s, assigned by `staff`: the deputy gets an ASSIGNED notification.
async fn notify(app: &TestApp, deputy: &str, staff: &str) {
    let q = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let i = json!({ "i": { "title": "关于路灯的建议", "content": "内容", "category": "交通", "sessionNumber": 1 } });
    let id = app.gql(q, i, Some(deputy)).await.data()["createSuggestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.gql("mutation($id: ID!) { submitSuggestion(id: $id) { id } }", json!({ "id": id }), Some(deputy))
        .await
        .data();
    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let assign = "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id } }";
    let a = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
    app.gql(assign, json!({ "id": id, "a": a }), Some(staff)).await.data();
}

/// Waits at most a second for the socket to close with 4403, and fails on anything else first.
async fn closes_within_a_second(ws: &mut edaibiao_tests::WsClient, what: &str) {
    let started = Instant::now();
    let event = ws.next(Duration::from_secs(1)).await;
    assert_eq!(event, WsEvent::Closed(Some(4403)), "{what}: expected a 4403 close within 1 s");
    assert!(started.elapsed() <= Duration::from_millis(1100), "{what}: took {:?}", started.elapsed());
}

e2e!(ending_a_session_closes_its_sockets_on_every_instance, |app| {
    // With PostgreSQL and Redis a second instance shares the data and the bus; embedded has one.
    let second = match app.env.backend {
        Backend::Services => Some(app.env.spawn().await),
        Backend::Embedded => None,
    };
    let b = second.as_ref().unwrap_or(&app);
    let staff = app.login(demo::STAFF).await.access;
    let leaving = app.login(demo::DEPUTY).await;
    let staying = app.login(demo::DEPUTY).await;
    let mut leaving_ws = app.ws_as(&leaving.access).await;
    leaving_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    let mut staying_ws = app.ws_as(&staying.access).await;
    staying_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    app.wait_for_live_topics(1).await;

    // Logout on the other instance closes this instance's socket of that session, and only that one.
    assert_eq!(b.gql(LOGOUT, json!({}), Some(&leaving.access)).await.data()["logout"], true);
    closes_within_a_second(&mut leaving_ws, "logout").await;
    notify(b, &staying.access, &staff).await;
    let next = staying_ws.next_data("n").await;
    assert_eq!(next["data"]["notificationAdded"]["kind"], "ASSIGNED", "the other session still hears");
    let after = leaving_ws.next(Duration::from_millis(300)).await;
    assert!(matches!(after, WsEvent::Silent | WsEvent::Closed(None)), "nothing after the close: {after:?}");

    // A refresh token presented twice ends its session: its socket closes too.
    let replayed = app.login(demo::DEPUTY).await;
    let mut replayed_ws = app.ws_as(&replayed.access).await;
    replayed_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    b.gql(REFRESH, json!({ "t": replayed.refresh }), None).await.data();
    b.gql(REFRESH, json!({ "t": replayed.refresh }), None).await.assert_code("UNAUTHENTICATED");
    closes_within_a_second(&mut replayed_ws, "refresh-token reuse").await;

    // A password change ends every other session of the account, sockets included.
    const CHANGE: &str =
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    let mut here_ws = app.ws_as(&staff).await;
    here_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    let elsewhere = app.login(demo::STAFF).await;
    let mut elsewhere_ws = app.ws_as(&elsewhere.access).await;
    elsewhere_ws.subscribe("n", NOTIFICATIONS, json!({})).await;
    let vars = json!({ "c": edaibiao_tests::DEMO_PASSWORD, "n": "new-pass-42" });
    assert_eq!(b.gql(CHANGE, vars, Some(&staff)).await.data()["changePassword"], true);
    closes_within_a_second(&mut elsewhere_ws, "password change").await;
    here_ws.assert_silent(Duration::from_millis(300)).await;
    staying_ws.assert_silent(Duration::from_millis(10)).await;
});

e2e!(a_socket_of_an_already_ended_session_is_refused, |app| {
    let tokens = app.login(demo::DEPUTY).await;
    app.gql(LOGOUT, json!({}), Some(&tokens.access)).await.data();
    let mut ws = app.ws().await;
    let authorization = format!("Bearer {}", tokens.access);
    let init = json!({ "type": "connection_init", "payload": { "authorization": authorization } });
    ws.send(init).await;
    assert_eq!(ws.next(Duration::from_secs(5)).await, WsEvent::Closed(Some(4403)));
});
