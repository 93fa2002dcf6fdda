//! The page cache: an unchanged page is answered from memory (`X-Cache: hit`), a suggestion's step leaves
//! the lists it does not reach kept, and a kept page is never older than the data — in particular never
//! older than the viewer's own last action, on whichever instance the action and the read land. "Older"
//! is checked against the same read with `Cache-Control: no-cache`, which runs the query.

use edaibiao_tests::actions::{act, draft};
use edaibiao_tests::hostile::Rng;
use edaibiao_tests::{Backend, Cast, TestApp, e2e, persisted, sha256_hex};
use serde_json::{Value, json};

/// The deputy's home list as the app asks for it (`bench/list_total.graphql`).
const PAGE: &str = "query Page { suggestions(first: 20, filter: { mine: true }) { totalCount
    edges { cursor node { id serialNumber title state dueAt leadDeputy { name } units { role unit { name } } } }
    pageInfo { hasNextPage endCursor } } }";

/// What a read got: the `X-Cache` header (`hit`, `miss`, or none for answers that are never kept) and the
/// body.
#[derive(Debug)]
struct Read {
    cache: Option<String>,
    body: Value,
}

async fn read_with(app: &TestApp, token: &str, query: &str, variables: Value, fresh: bool) -> Read {
    let mut request =
        app.client.post(app.url("/graphql")).insert_header(("content-type", "application/json"));
    if !token.is_empty() {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    if fresh {
        request = request.insert_header(("cache-control", "no-cache"));
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut response = request.send_body(body).await.expect("request failed");
    let cache = response.headers().get("x-cache").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response.body().limit(1 << 24).await.expect("a body");
    Read { cache, body: serde_json::from_slice(&bytes).expect("a JSON body") }
}

async fn read(app: &TestApp, token: &str, fresh: bool) -> Read {
    read_with(app, token, PAGE, json!({}), fresh).await
}

/// Reads the page as kept, then fresh: they must be equal; then as kept again: it must now come from the
/// cache, still equal. Returns the page.
async fn check(app: &TestApp, token: &str, what: &str) -> Value {
    let kept = read(app, token, false).await;
    let fresh = read(app, token, true).await;
    assert!(fresh.body["errors"].is_null(), "{what}: {}", fresh.body);
    assert_eq!(kept.body, fresh.body, "{what}: the kept page ({:?}) is older than the data", kept.cache);
    let again = read(app, token, false).await;
    assert_eq!(again.cache.as_deref(), Some("hit"), "{what}: an unchanged page comes from the cache");
    assert_eq!(again.body, fresh.body, "{what}");
    fresh.body
}

fn total(page: &Value) -> u64 {
    page["data"]["suggestions"]["totalCount"].as_u64().expect("a total")
}

e2e!(a_kept_page_is_never_older_than_the_viewers_own_last_action_on_any_instance, |app| {
    // With PostgreSQL and Redis a second instance shares the data and the epoch; embedded has one.
    let second = match app.env.backend {
        Backend::Services => Some(app.env.spawn().await),
        Backend::Embedded => None,
    };
    let instances = [&app, second.as_ref().unwrap_or(&app)];
    let c = Cast::of(&app).await;
    let deputies = [(c.zhang.as_str(), c.zhang_id.as_str()), (c.li.as_str(), c.li_id.as_str())];
    let readers = [c.zhang.as_str(), c.li.as_str(), c.staff.as_str(), c.admin.as_str()];
    for (i, instance) in instances.iter().enumerate() {
        for token in readers {
            check(instance, token, &format!("warm-up on instance {i}")).await;
        }
    }

    let mut rng = Rng::new(20_261_206);
    let mut made: Vec<(String, usize)> = Vec::new();
    let mut acted = 0;
    for step in 0..24 {
        let on = instances[rng.below(2)];
        let by = rng.below(2);
        let (token, _) = deputies[by];
        let before = total(&read(on, token, true).await.body);
        let res = match if made.is_empty() { 0 } else { rng.below(4) } {
            0 => {
                let res = act(on, token, "createSuggestion", json!({ "input": draft(step) })).await;
                made.push((res["data"]["r"]["id"].as_str().expect("created").to_owned(), by));
                res
            }
            1 => {
                let (id, lead) = made[rng.below(made.len())].clone();
                let args = json!({ "id": id, "deputyId": deputies[1 - lead].1 });
                act(on, deputies[lead].0, "inviteCoSigner", args).await
            }
            2 => {
                let (id, lead) = made[rng.below(made.len())].clone();
                let args = json!({ "id": id, "accept": rng.below(2) == 0 });
                act(on, deputies[1 - lead].0, "answerCoSignInvitation", args).await
            }
            _ => {
                let (id, lead) = made[rng.below(made.len())].clone();
                act(on, deputies[lead].0, "submitSuggestion", json!({ "id": id })).await
            }
        };
        acted += usize::from(res["errors"].is_null());
        // Right after the action, on both instances, for every reader.
        for (i, instance) in instances.iter().enumerate() {
            for (r, reader) in readers.iter().enumerate() {
                let page = check(instance, reader, &format!("step {step}, instance {i}, reader {r}")).await;
                if *reader == token && res["errors"].is_null() && made.len() == step + 1 {
                    // The actor's own new suggestion is on the page they read next.
                    assert!(total(&page) > before, "step {step}: {page}");
                }
            }
        }
    }
    assert!(
        acted >= 12 && made.len() >= 4,
        "the sequence did something: {acted} actions, {} made",
        made.len()
    );

    // A directory change shows at once on the instance that made it (other instances: within the
    // directory memo's 30 s).
    let rename = json!({ "name": "李华华", "gender": "FEMALE", "occupation": "WORKER_OR_FARMER" });
    let res = app
        .gql(
            "mutation($id: ID!, $i: DeputyInput!) { updateDeputy(id: $id, input: $i) { id } }",
            json!({ "id": c.li_id, "i": rename }),
            Some(&c.staff),
        )
        .await;
    assert!(res.body["errors"].is_null(), "{}", res.body);
    let page = check(&app, &c.li, "after the rename").await;
    assert!(page.to_string().contains("李华华"), "{page}");

    // So does a handling unit's new name (the directory writes it outside a suggestion's transaction).
    let id = act(&app, &c.zhang, "createSuggestion", json!({ "input": draft(100) })).await;
    let id = id["data"]["r"]["id"].as_str().expect("created").to_owned();
    act(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    let lead = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": c.transport, "role": "LEAD" }] });
    let res = app
        .gql(
            "mutation($id: ID!, $i: AssignmentInput!) { assignSuggestion(id: $id, input: $i) { id } }",
            json!({ "id": id, "i": lead }),
            Some(&c.staff),
        )
        .await;
    assert!(res.body["errors"].is_null(), "{}", res.body);
    assert!(check(&app, &c.zhang, "assigned").await.to_string().contains("市交通运输局"));
    let res = app
        .gql(
            "mutation($id: ID!, $i: NamedInput!) { updateHandlingUnit(id: $id, input: $i) { id } }",
            json!({ "id": c.transport, "i": { "name": "市交通局（改）" } }),
            Some(&c.admin),
        )
        .await;
    assert!(res.body["errors"].is_null(), "{}", res.body);
    let page = check(&app, &c.zhang, "after the unit's rename").await;
    assert!(page.to_string().contains("市交通局（改）"), "{page}");
});

/// Every suggestion a reader may list, as a list screen without the `mine` filter asks for them: a
/// deputy's own and those with a public answer; a unit's assigned; a congress's for its staff; all for
/// admins.
const ALL: &str = "query All { suggestions(first: 20) { totalCount nodes { id state title } } }";

e2e!(a_suggestions_step_leaves_the_lists_it_does_not_reach_kept, |app| {
    let second = match app.env.backend {
        Backend::Services => Some(app.env.spawn().await),
        Backend::Embedded => None,
    };
    let instances: Vec<&TestApp> = std::iter::once(&app).chain(second.as_ref()).collect();
    let c = Cast::of(&app).await;
    let readers = [
        ("张明", c.zhang.as_str(), PAGE),
        ("李华's own", c.li.as_str(), PAGE),
        ("李华", c.li.as_str(), ALL),
        ("staff", c.staff.as_str(), ALL),
        ("unit", c.unit.as_str(), ALL),
        ("admin", c.admin.as_str(), ALL),
    ];
    // Twice each: an instance keeps a document's answers from its second sight of it on.
    for instance in &instances {
        for (_, token, query) in readers.iter().chain(&readers) {
            read_with(instance, token, query, json!({}), false).await;
        }
    }
    // After a change, on both instances: the lists it reached are read again (not a hit) and equal the
    // data; every other list is still the kept one — and that is still the data.
    let after = async |what: &str, reached: &[&str]| {
        for (i, instance) in instances.iter().enumerate() {
            for (name, token, query) in readers {
                let kept = read_with(instance, token, query, json!({}), false).await;
                let fresh = read_with(instance, token, query, json!({}), true).await;
                assert!(fresh.body["errors"].is_null(), "{what}, {name}: {}", fresh.body);
                assert_eq!(
                    kept.body, fresh.body,
                    "{what}: {name}'s list on instance {i} is older than the data"
                );
                let hit = kept.cache.as_deref() == Some("hit");
                assert_eq!(
                    hit,
                    !reached.contains(&name),
                    "{what}: {name}'s list on instance {i} ({:?})",
                    kept.cache
                );
                let again = read_with(instance, token, query, json!({}), false).await;
                assert_eq!(again.cache.as_deref(), Some("hit"), "{what}: {name} on instance {i}");
            }
        }
    };
    let ok = |res: Value, what: &str| assert!(res["errors"].is_null(), "{what}: {res}");

    let made = act(&app, &c.zhang, "createSuggestion", json!({ "input": draft(1) })).await;
    let id = made["data"]["r"]["id"].as_str().expect("created").to_owned();
    after("张明's draft", &["张明"]).await;
    let last = instances[instances.len() - 1];
    ok(act(last, &c.zhang, "submitSuggestion", json!({ "id": id })).await, "submit");
    after("its submission", &["张明", "staff", "admin"]).await;
    let lead = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": c.transport, "role": "LEAD" }] });
    let assign = "mutation($id: ID!, $i: AssignmentInput!) { assignSuggestion(id: $id, input: $i) { id } }";
    ok(app.gql(assign, json!({ "id": id, "i": lead }), Some(&c.staff)).await.body, "assign");
    after("its assignment", &["张明", "staff", "admin", "unit"]).await;
    ok(act(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await, "accept");
    let contact = "mutation($id: ID!, $c: ContactInput!) { recordContact(id: $id, input: $c) { id } }";
    let now = chrono::Utc::now().to_rfc3339();
    let met = json!({ "method": "MEETING", "contactedAt": now, "summary": "与代表座谈" });
    ok(app.gql(contact, json!({ "id": id, "c": met }), Some(&c.unit)).await.body, "contact");
    after("the unit's acceptance and contact", &["张明", "staff", "admin", "unit"]).await;
    // A public answer puts it on every deputy's list, but not on another deputy's own list (`mine`).
    let answer = "mutation($id: ID!, $a: AnswerInput!) { answerSuggestion(id: $id, input: $a) { id } }";
    let public =
        json!({ "content": "已新增线路", "answerClass": "SOLVED", "signedBy": "周局长", "public": true });
    ok(app.gql(answer, json!({ "id": id, "a": public }), Some(&c.unit)).await.body, "answer");
    after("its public answer", &["张明", "李华", "staff", "admin", "unit"]).await;
    ok(act(last, &c.li, "createSuggestion", json!({ "input": draft(2) })).await, "李华's draft");
    after("李华's draft", &["李华", "李华's own"]).await;
    // Signing in and refreshing a session reach no list.
    let tokens = app.login(edaibiao_tests::demo::STAFF).await;
    let refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
    ok(app.gql(refresh, json!({ "t": tokens.refresh }), None).await.body, "refresh");
    after("a sign-in and a refresh", &[]).await;
    // Any other change reaches every list (here: a deputy none of these lists shows is renamed).
    let rename = json!({ "name": "王芳芳", "gender": "FEMALE", "occupation": "WORKER_OR_FARMER" });
    let update = "mutation($id: ID!, $i: DeputyInput!) { updateDeputy(id: $id, input: $i) { id } }";
    ok(app.gql(update, json!({ "id": c.wang_id, "i": rename }), Some(&c.staff)).await.body, "rename");
    after("a directory change", &["张明", "李华's own", "李华", "staff", "admin", "unit"]).await;
});

e2e!(answers_that_depend_on_more_than_stored_rows_are_never_kept, |app| {
    let c = Cast::of(&app).await;
    act(&app, &c.zhang, "createSuggestion", json!({ "input": draft(1) })).await;
    let never = [
        // The clock: a field, and a filter argument, given inline and as a variable.
        ("{ suggestions(first: 5) { nodes { id isOverdue } } }", json!({})),
        ("{ suggestions(first: 5, filter: { overdue: false }) { nodes { id } } }", json!({})),
        (
            "query($o: Boolean) { suggestions(first: 5, filter: { overdue: $o }) { nodes { id } } }",
            json!({ "o": true }),
        ),
        // Another root field beside a kept one.
        ("{ me { id } suggestions(first: 5) { nodes { id } } }", json!({})),
        // Introspection.
        ("{ __schema { queryType { name } } }", json!({})),
    ];
    for (query, variables) in never {
        for n in 0..3 {
            let got = read_with(&app, &c.zhang, query, variables.clone(), false).await;
            assert!(got.body["errors"].is_null() || query.contains("__schema"), "{query}: {}", got.body);
            assert_eq!(got.cache, None, "{query} (read {n}) must not be kept");
        }
    }
    // Mutations never are, even repeated with the same text.
    for n in 0..3 {
        let got = read_with(
            &app,
            &c.zhang,
            "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
            json!({ "i": draft(10 + n) }),
            false,
        )
        .await;
        assert!(got.body["errors"].is_null(), "{}", got.body);
        assert_eq!(got.cache, None);
    }
    // An answer with errors is not kept: without a token, no suggestions.
    for _ in 0..3 {
        let got = read(&app, "", false).await;
        assert!(!got.body["errors"].is_null(), "{}", got.body);
        assert_eq!(got.cache, None);
    }
    // Viewers are kept apart: each deputy's page is their own, from the cache too.
    let zhang = check(&app, &c.zhang, "张明").await;
    let li = check(&app, &c.li, "李华").await;
    assert_ne!(zhang, li);
});

e2e!(a_persisted_querys_text_answered_from_the_cache_is_registered, |app| {
    let c = Cast::of(&app).await;
    // Apollo's second try (the text with its hash), answered from the cache, still registers the text.
    check(&app, &c.zhang, "before the persisted query").await;
    let hash = sha256_hex(PAGE);
    let hash_only = json!({ "query": null, "extensions": persisted(&hash) }).to_string();
    app.post_raw(hash_only.clone(), Some(&c.zhang)).await.assert_code("PERSISTED_QUERY_NOT_FOUND");
    let with_text = json!({ "query": PAGE, "extensions": persisted(&hash) }).to_string();
    assert!(app.post_raw(with_text, Some(&c.zhang)).await.body["errors"].is_null());
    let res = app.post_raw(hash_only, Some(&c.zhang)).await;
    assert!(res.body["errors"].is_null(), "the hash alone runs now: {}", res.body);
});

/// Redis unreachable from one instance: it serves nothing from its cache (the epoch cannot be read), a change
/// made there meanwhile still commits, and once Redis is back the move it owes is made at once — before it
/// serves a kept page again, and without waiting for a request, for the other instances' sake.
#[actix_web::test]
async fn while_redis_is_down_nothing_kept_is_served_and_the_owed_move_follows() {
    let Some((app, proxy)) = edaibiao_tests::RedisProxy::in_front_of_a_server().await else { return };
    // A second instance that reaches Redis directly: only the first one loses it.
    let Some((_, redis)) = Backend::services() else { return };
    let mut direct = app.env.clone();
    direct.set("REDIS_URL", &redis);
    let other = direct.spawn().await;
    let c = Cast::of(&app).await;
    let before = total(&check(&app, &c.zhang, "before the outage").await);
    assert_eq!(total(&check(&other, &c.zhang, "the other instance").await), before);

    proxy.cut();
    let res = act(&app, &c.zhang, "createSuggestion", json!({ "input": draft(1) })).await;
    assert!(res["errors"].is_null(), "a change commits without Redis: {res}");
    for n in 0..3 {
        let got = read(&app, &c.zhang, false).await;
        assert_ne!(got.cache.as_deref(), Some("hit"), "read {n} during the outage");
        assert_eq!(total(&got.body), before + 1, "read {n} during the outage");
    }

    // Meanwhile the other instance may serve its kept page (the bound: the entry's 30 s). Once Redis
    // answers the first instance again, its relay makes the move it owes within a poll (1 s), with no
    // request to it, and the other instance's next read is fresh.
    proxy.restore();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while total(&read(&other, &c.zhang, false).await.body) != before + 1 {
        assert!(std::time::Instant::now() < deadline, "the other instance catches up within a few seconds");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = read(&app, &c.zhang, false).await;
        assert_eq!(total(&got.body), before + 1, "after the outage ({:?})", got.cache);
        if got.cache.as_deref() == Some("hit") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the cache serves again once Redis is back");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
