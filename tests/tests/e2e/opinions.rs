//! Citizens' opinions (社情民意) end to end: every path of the closed loop over GraphQL (resolved directly;
//! forwarded, replied and answered; turned into a suggestion; rated and closed), who may do what in which
//! state, the first responder, rate limits per client address and per phone, idempotent submissions, the
//! contact phone that never reaches anyone who need not call back, reception records and the ledger, and
//! the monthly counts.

use edaibiao_tests::{Cast, Gql, PRIVACY_NOTICE_VERSION, TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};

/// The contact phone of the privacy tests: it must appear in no response but those of the people who call
/// back.
const PHONE: &str = "13912345678";

/// Every field of an opinion, so that each response shows all the viewer may see.
const FIELDS: &str = "id trackingCode category content location contactName contactPhone viewerMayCallBack \
    source state station { name } deputy { name } responsibleDeputy { name } responsible { name phone } \
    acceptedAt resolution forwardedUnit { name } forwardedAt forwardNote \
    unitReply { text repliedAt repliedBy { name phone } } \
    suggestion { id state title category leadDeputy { name } sourceOpinion { id state contactPhone } } \
    feedback { text givenAt } rating { satisfaction comment ratedAt } closedAt closedBy waitingOn isOverdue \
    timeline { id seq kind actor { name phone } actorRole fromState toState note at } version createdAt";

const PUBLIC: &str = "trackingCode category state submittedAt steps { kind state at } \
    feedback { text givenAt } rating { satisfaction comment ratedAt } mayRate closedAt closedBy";

fn submit_query() -> String {
    format!(
        "mutation($input: SubmitOpinionInput!) {{ submitOpinion(input: $input) {{ trackingCode opinion {{ {PUBLIC} }} }} }}"
    )
}

/// A client address of its own for each call, so that the per-address limit only bites where a test wants
/// it to.
fn fresh_address() -> String {
    let n = uuid::Uuid::new_v4().as_u128();
    format!("10.{}.{}.{}", (n >> 16) as u8, (n >> 8) as u8, n as u8)
}

/// Runs a GraphQL operation as a client at `address` (the `X-Forwarded-For` a proxy would set).
async fn gql_from(app: &TestApp, address: &str, query: &str, variables: Value, token: Option<&str>) -> Gql {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", address.to_owned()));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut response = request.send_body(body).await.expect("request failed");
    let status = response.status().as_u16();
    let bytes = response.body().limit(16 * 1024 * 1024).await.expect("no body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Gql { status, body }
}

/// Submits through the public form from a fresh address, having agreed to the privacy notice (unless the
/// input says otherwise); returns the whole response.
async fn submit(app: &TestApp, mut input: Value, token: Option<&str>) -> Gql {
    if let Some(fields) = input.as_object_mut() {
        fields.entry("privacyConsent").or_insert_with(|| json!(PRIVACY_NOTICE_VERSION));
    }
    gql_from(app, &fresh_address(), &submit_query(), json!({ "input": input }), token).await
}

/// Submits and returns the tracking code.
async fn submit_ok(app: &TestApp, input: Value, token: Option<&str>) -> String {
    let res = submit(app, input, token).await;
    str_of(&res.data()["submitOpinion"]["trackingCode"]).to_owned()
}

fn by_qr(qr: &str, content: &str) -> Value {
    json!({ "qrToken": qr, "category": "URBAN_MANAGEMENT", "content": content,
            "location": "和平路88号", "contactName": "孙女士", "contactPhone": PHONE })
}

fn by_station(c: &Cast, content: &str) -> Value {
    json!({ "stationId": c.east, "category": "TRANSPORT", "content": content, "contactPhone": PHONE })
}

/// The opinion's global ID, found by its tracking code as congress staff (who see every opinion of the
/// congress with its code).
async fn id_of(app: &TestApp, c: &Cast, code: &str) -> String {
    let res =
        app.gql("{ opinions(first: 100) { nodes { id trackingCode } } }", json!({}), Some(&c.staff)).await;
    res.data()["opinions"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["trackingCode"] == code))
        .and_then(|n| n["id"].as_str())
        .unwrap_or_else(|| panic!("no opinion {code}: {}", res.body))
        .to_owned()
}

async fn opinion(app: &TestApp, id: &str, token: &str) -> Gql {
    app.gql(
        &format!("query($id: ID!) {{ opinion(id: $id) {{ {FIELDS} }} }}"),
        json!({ "id": id }),
        Some(token),
    )
    .await
}

async fn public(app: &TestApp, code: &str) -> Gql {
    app.gql(
        &format!("query($c: String!) {{ opinionByTrackingCode(code: $c) {{ {PUBLIC} }} }}"),
        json!({ "c": code }),
        None,
    )
    .await
}

/// Runs a step mutation `name(id: $id, …)` and returns the response; `args` are extra arguments as
/// `(name, GraphQL type, value)`.
async fn step(app: &TestApp, name: &str, id: &str, args: &[(&str, &str, Value)], token: &str) -> Gql {
    let decl: String = args.iter().map(|(n, t, _)| format!(", ${n}: {t}")).collect();
    let pass: String = args.iter().map(|(n, _, _)| format!(", {n}: ${n}")).collect();
    let query = format!("mutation($id: ID!{decl}) {{ {name}(id: $id{pass}) {{ {FIELDS} }} }}");
    let mut vars = json!({ "id": id });
    for (n, _, v) in args {
        vars[*n] = v.clone();
    }
    app.gql(&query, vars, Some(token)).await
}

async fn step_ok(app: &TestApp, name: &str, id: &str, args: &[(&str, &str, Value)], token: &str) -> Value {
    let res = step(app, name, id, args, token).await;
    res.data()[name].clone()
}

async fn rate_by_code(app: &TestApp, code: &str, satisfaction: &str) -> Gql {
    app.gql(
        &format!("mutation($c: String, $s: Satisfaction!) {{ rateOpinion(trackingCode: $c, satisfaction: $s, comment: \"谢谢\") {{ {PUBLIC} }} }}"),
        json!({ "c": code, "s": satisfaction }),
        None,
    )
    .await
}

fn kinds(timeline: &Value) -> Vec<&str> {
    timeline.as_array().map(|steps| steps.iter().map(|s| str_of(&s["kind"])).collect()).unwrap_or_default()
}

async fn inbox(app: &TestApp, token: &str) -> Value {
    let res = app
        .gql(
            "{ notifications(first: 50) { nodes { kind title body subjectKind subjectId } } }",
            json!({}),
            Some(token),
        )
        .await;
    res.data()["notifications"]["nodes"].clone()
}

fn has_notice(inbox: &Value, kind: &str) -> bool {
    inbox.as_array().is_some_and(|n| n.iter().any(|n| n["kind"] == kind && n["subjectKind"] == "Opinion"))
}

e2e!(resolved_directly_then_rated_by_tracking_code, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let res = submit(&app, by_qr(&zhang_qr, "和平路路灯不亮已经一周"), None).await;
    let payload = &res.data()["submitOpinion"];
    let code = str_of(&payload["trackingCode"]).to_owned();
    assert_eq!(code.len(), 19, "16 characters in groups of four: {code}");
    assert_eq!(payload["opinion"]["state"], "RECEIVED");
    assert_eq!(payload["opinion"]["steps"][0]["kind"], "SUBMITTED");
    assert!(has_notice(&inbox(&app, &c.zhang).await, "OPINION_RECEIVED"), "the addressed deputy is told");

    let id = id_of(&app, &c, &code).await;
    let accepted = step_ok(&app, "acceptOpinion", &id, &[], &c.zhang).await;
    assert_eq!(accepted["state"], "ACCEPTED");
    assert_eq!(accepted["responsibleDeputy"]["name"], "张明");
    assert_eq!(accepted["contactPhone"], PHONE, "the responsible deputy calls back");
    assert_eq!(accepted["trackingCode"], code);

    let resolved = step_ok(
        &app,
        "resolveOpinionDirectly",
        &id,
        &[("note", "String!", json!("已联系城管维修"))],
        &c.zhang,
    )
    .await;
    assert_eq!(
        (resolved["state"].as_str(), resolved["waitingOn"].as_str()),
        (Some("RESOLVED_DIRECTLY"), Some("FEEDBACK"))
    );
    let answered = step_ok(
        &app,
        "giveOpinionFeedback",
        &id,
        &[("text", "String!", json!("路灯已修复，感谢您的反映"))],
        &c.zhang,
    )
    .await;
    assert_eq!(answered["state"], "FEEDBACK_GIVEN");
    assert!(answered["waitingOn"].is_null());

    let status = public(&app, &code.to_lowercase().replace('-', " ")).await;
    let status = &status.data()["opinionByTrackingCode"];
    assert_eq!((status["state"].as_str(), status["mayRate"].as_bool()), (Some("FEEDBACK_GIVEN"), Some(true)));
    assert_eq!(status["feedback"]["text"], "路灯已修复，感谢您的反映");

    let rated = rate_by_code(&app, &code, "SATISFIED").await;
    let rated = &rated.data()["rateOpinion"];
    assert_eq!((rated["state"].as_str(), rated["closedBy"].as_str()), (Some("CLOSED"), Some("RATING")));
    assert_eq!(rated["rating"]["satisfaction"], "SATISFIED");
    let steps: Vec<&str> =
        rated["steps"].as_array().map(|s| s.iter().map(|s| str_of(&s["kind"])).collect()).unwrap_or_default();
    assert_eq!(steps, ["SUBMITTED", "ACCEPTED", "RESOLVED_DIRECTLY", "FEEDBACK_GIVEN", "RATED"]);
    rate_by_code(&app, &code, "DISSATISFIED").await.assert_code("CONFLICT");
    assert!(
        has_notice(&inbox(&app, &c.zhang).await, "OPINION_RATED"),
        "the responsible deputy hears the rating"
    );

    let closed = opinion(&app, &id, &c.zhang).await;
    let closed = &closed.data()["opinion"];
    assert_eq!(
        kinds(&closed["timeline"]),
        ["SUBMITTED", "ACCEPTED", "RESOLVED_DIRECTLY", "FEEDBACK_GIVEN", "RATED"]
    );
    assert_eq!(closed["timeline"][0]["actorRole"], "PUBLIC");
    assert!(closed["timeline"][0]["actor"].is_null());
    assert_eq!(closed["timeline"][1]["actor"]["name"], "张明");

    public(&app, "0000-0000-0000-0000").await.assert_code("NOT_FOUND");
    public(&app, "not a code").await.assert_code("NOT_FOUND");
});

e2e!(forwarded_replied_answered_and_rated_by_the_citizen_account, |app| {
    let c = Cast::of(&app).await;
    let code = submit_ok(&app, by_station(&c, "公交站台没有遮雨棚"), Some(&c.citizen)).await;
    let id = id_of(&app, &c, &code).await;
    assert!(has_notice(&inbox(&app, &c.station).await, "OPINION_RECEIVED"), "the station's workers are told");

    let accepted = step_ok(&app, "acceptOpinion", &id, &[], &c.station).await;
    assert_eq!(accepted["responsible"]["name"], "联络站王站长");
    assert!(has_notice(&inbox(&app, &c.citizen).await, "OPINION_ACCEPTED"), "the citizen's account is told");

    // Before the forwarding the unit has no part in it.
    step(&app, "replyToOpinion", &id, &[("text", "String!", json!("已处理"))], &c.unit)
        .await
        .assert_code("FORBIDDEN");
    let forwarded = step_ok(
        &app,
        "forwardOpinion",
        &id,
        &[("unitId", "ID!", json!(c.transport)), ("note", "String", json!("请核实站台情况"))],
        &c.station,
    )
    .await;
    assert_eq!(
        (forwarded["state"].as_str(), forwarded["waitingOn"].as_str()),
        (Some("FORWARDED"), Some("UNIT_REPLY"))
    );
    assert_eq!(forwarded["forwardedUnit"]["name"], "市交通运输局");
    let unit_inbox = inbox(&app, &c.unit).await;
    assert!(has_notice(&unit_inbox, "OPINION_FORWARDED"), "{unit_inbox}");

    // Feedback waits for the unit's reply.
    step(&app, "giveOpinionFeedback", &id, &[("text", "String!", json!("已转交"))], &c.station)
        .await
        .assert_code("CONFLICT");
    let replied =
        step_ok(&app, "replyToOpinion", &id, &[("text", "String!", json!("下月加装遮雨棚"))], &c.unit).await;
    assert_eq!(replied["unitReply"]["text"], "下月加装遮雨棚");
    assert_eq!(replied["waitingOn"], "FEEDBACK");
    step(&app, "replyToOpinion", &id, &[("text", "String!", json!("再次回复"))], &c.unit)
        .await
        .assert_code("CONFLICT");
    assert!(has_notice(&inbox(&app, &c.station).await, "OPINION_UNIT_REPLIED"));

    step_ok(
        &app,
        "giveOpinionFeedback",
        &id,
        &[("text", "String!", json!("交通局将于下月加装遮雨棚"))],
        &c.station,
    )
    .await;
    assert!(has_notice(&inbox(&app, &c.citizen).await, "OPINION_FEEDBACK"));

    // The citizen's own view: the answer, their masked phone, no handling notes.
    let mine = app
        .gql(
            &format!("{{ myOpinions(first: 10) {{ totalCount nodes {{ {FIELDS} }} }} }}"),
            json!({}),
            Some(&c.citizen),
        )
        .await;
    let own = &mine.data()["myOpinions"]["nodes"][0];
    assert_eq!(mine.data()["myOpinions"]["totalCount"], 1);
    assert_eq!(own["trackingCode"], code);
    assert_eq!(own["contactPhone"], "139****5678");
    assert!(own["unitReply"].is_null() && own["forwardNote"].is_null() && own["responsible"].is_null());
    assert_eq!(own["feedback"]["text"], "交通局将于下月加装遮雨棚");
    assert!(!kinds(&own["timeline"]).contains(&"UNIT_REPLIED"), "the unit's reply is internal");

    let rated = app
        .gql(
            &format!("mutation($id: ID) {{ rateOpinion(id: $id, satisfaction: BASICALLY_SATISFIED) {{ {PUBLIC} }} }}"),
            json!({ "id": id }),
            Some(&c.citizen),
        )
        .await;
    assert_eq!(rated.data()["rateOpinion"]["state"], "CLOSED");
    let done = opinion(&app, &id, &c.station).await;
    assert_eq!(
        kinds(&done.data()["opinion"]["timeline"]),
        ["SUBMITTED", "ACCEPTED", "FORWARDED", "UNIT_REPLIED", "FEEDBACK_GIVEN", "RATED"]
    );
});

e2e!(converted_into_a_suggestion_draft_that_links_back, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let code = submit_ok(&app, by_qr(&zhang_qr, "建议在东城区增设社区养老食堂"), None).await;
    let id = id_of(&app, &c, &code).await;
    step_ok(&app, "acceptOpinion", &id, &[], &c.zhang).await;
    let converted = step_ok(
        &app,
        "convertOpinionToSuggestion",
        &id,
        &[("idempotencyKey", "String", json!("convert-0001"))],
        &c.zhang,
    )
    .await;
    assert_eq!(converted["state"], "CONVERTED");
    let draft = &converted["suggestion"];
    assert_eq!(
        (draft["state"].as_str(), draft["leadDeputy"]["name"].as_str()),
        (Some("DRAFT"), Some("张明"))
    );
    assert_eq!(draft["category"], "城市管理");
    assert!(str_of(&draft["title"]).contains("社区养老食堂"), "{draft}");
    assert_eq!(draft["sourceOpinion"]["id"], id, "the draft links back");
    assert_eq!(draft["sourceOpinion"]["contactPhone"], PHONE);

    // A retry with the same key makes no second draft.
    let again = step_ok(
        &app,
        "convertOpinionToSuggestion",
        &id,
        &[("idempotencyKey", "String", json!("convert-0001"))],
        &c.zhang,
    )
    .await;
    assert_eq!(again["suggestion"]["id"], draft["id"]);
    let drafts = app
        .gql("{ suggestions(filter: { states: [DRAFT] }) { totalCount } }", json!({}), Some(&c.zhang))
        .await;
    assert_eq!(drafts.data()["suggestions"]["totalCount"], 1);
    // Without the key it is simply too late.
    step(&app, "convertOpinionToSuggestion", &id, &[], &c.zhang).await.assert_code("CONFLICT");

    let answered = step_ok(
        &app,
        "giveOpinionFeedback",
        &id,
        &[("text", "String!", json!("已形成代表建议提交"))],
        &c.zhang,
    )
    .await;
    assert_eq!(answered["state"], "FEEDBACK_GIVEN");

    // Only a deputy converts: a station worker who took an opinion may not.
    let other = submit_ok(&app, by_station(&c, "路口红绿灯时间太短"), None).await;
    let other = id_of(&app, &c, &other).await;
    step_ok(&app, "acceptOpinion", &other, &[], &c.station).await;
    step(&app, "convertOpinionToSuggestion", &other, &[], &c.station).await.assert_code("FORBIDDEN");
});

e2e!(wrong_person_is_forbidden_wrong_state_is_conflict_and_the_first_responder_wins, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let code = submit_ok(&app, by_qr(&zhang_qr, "小区门口占道经营"), None).await;
    let id = id_of(&app, &c, &code).await;
    // A QR opinion is for its deputy, the station's workers and staff: not another deputy, a unit or a citizen.
    for who in [&c.li, &c.unit, &c.citizen] {
        step(&app, "acceptOpinion", &id, &[], who).await.assert_code("FORBIDDEN");
    }
    app.gql("mutation($id: ID!) { acceptOpinion(id: $id) { id } }", json!({ "id": id }), None)
        .await
        .assert_code("UNAUTHENTICATED");
    // Not taken yet: nobody is responsible for the next steps.
    step(&app, "resolveOpinionDirectly", &id, &[("note", "String!", json!("x"))], &c.zhang)
        .await
        .assert_code("FORBIDDEN");
    rate_by_code(&app, &code, "SATISFIED").await.assert_code("CONFLICT");

    // Three who may take it, at once: exactly one becomes responsible.
    let racers = [&c.zhang, &c.station, &c.staff];
    let results = join_all(racers.iter().map(|who| step(&app, "acceptOpinion", &id, &[], who))).await;
    let wins = results.iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(wins, 1, "{results:?}");
    for lost in results.iter().filter(|r| r.body.get("errors").is_some()) {
        lost.assert_code("CONFLICT");
    }
    let winner = racers[results.iter().position(|r| r.body.get("errors").is_none()).unwrap_or(0)];
    let losers: Vec<&String> = racers.iter().copied().filter(|w| *w != winner).collect();
    // A later accept by anyone is CONFLICT; the others may not act for the responsible person.
    step(&app, "acceptOpinion", &id, &[], winner).await.assert_code("CONFLICT");
    for loser in &losers {
        step(&app, "acceptOpinion", &id, &[], loser).await.assert_code("CONFLICT");
        step(&app, "forwardOpinion", &id, &[("unitId", "ID!", json!(c.transport))], loser)
            .await
            .assert_code("FORBIDDEN");
    }
    // Wrong state for the responsible person.
    step(&app, "giveOpinionFeedback", &id, &[("text", "String!", json!("x"))], winner)
        .await
        .assert_code("CONFLICT");
    step(&app, "replyToOpinion", &id, &[("text", "String!", json!("x"))], &c.unit)
        .await
        .assert_code("FORBIDDEN");
    // Bad input.
    step(&app, "resolveOpinionDirectly", &id, &[("note", "String!", json!("  "))], winner)
        .await
        .assert_code("BAD_USER_INPUT");
    step(&app, "forwardOpinion", &id, &[("unitId", "ID!", json!(c.east))], winner)
        .await
        .assert_code("BAD_USER_INPUT");
    // The submission form: exactly one addressee, bounded lengths, a real phone, a known QR token.
    let bad = [
        json!({ "category": "OTHER", "content": "x" }),
        json!({ "qrToken": zhang_qr, "stationId": c.east, "category": "OTHER", "content": "x" }),
        json!({ "stationId": c.east, "category": "OTHER", "content": "字".repeat(2001) }),
        json!({ "stationId": c.east, "category": "OTHER", "content": "x", "location": "址".repeat(201) }),
        json!({ "stationId": c.east, "category": "OTHER", "content": "x", "contactName": "名".repeat(51) }),
        json!({ "stationId": c.east, "category": "OTHER", "content": "x", "contactPhone": "12345" }),
    ];
    for input in bad {
        submit(&app, input.clone(), None).await.assert_code("BAD_USER_INPUT");
    }
    let unknown = "A".repeat(43);
    submit(&app, json!({ "qrToken": unknown, "category": "OTHER", "content": "x" }), None)
        .await
        .assert_code("NOT_FOUND");
});

e2e!(rate_limits_per_client_address_and_per_phone, |app| {
    let c = Cast::of(&app).await;
    let address = "203.0.113.7";
    let input = |n: usize| json!({ "stationId": c.east, "category": "OTHER", "content": format!("意见{n}") });
    for n in 0..10 {
        gql_from(&app, address, &submit_query(), json!({ "input": input(n) }), None).await.data();
    }
    let refused = gql_from(&app, address, &submit_query(), json!({ "input": input(10) }), None).await;
    refused.assert_code("RATE_LIMITED");
    let retry = refused.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap_or_default();
    assert!((1..=3600).contains(&retry), "{}", refused.body);
    // Another address is not held back.
    gql_from(&app, "203.0.113.8", &submit_query(), json!({ "input": input(11) }), None).await.data();

    // One phone, from five addresses: five a day.
    let with_phone = |n: usize| json!({ "stationId": c.east, "category": "OTHER", "content": format!("来电{n}"), "contactPhone": "138 0000 1111" });
    for n in 0..5 {
        submit(&app, with_phone(n), None).await.data();
    }
    let refused = submit(&app, with_phone(5), None).await;
    refused.assert_code("RATE_LIMITED");
    assert!(refused.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().is_some_and(|s| s > 3600));
    // The same number written another way is the same number.
    submit(&app, json!({ "stationId": c.east, "category": "OTHER", "content": "再来", "contactPhone": "+8613800001111" }), None)
        .await
        .assert_code("RATE_LIMITED");
    submit(&app, json!({ "stationId": c.east, "category": "OTHER", "content": "别的号码", "contactPhone": "13800002222" }), None)
        .await
        .data();
});

e2e!(the_same_idempotency_key_from_the_same_client_submits_once, |app| {
    let c = Cast::of(&app).await;
    let address = fresh_address();
    let input = json!({ "stationId": c.east, "category": "HEALTH", "content": "社区医院排队太久",
                        "idempotencyKey": "form-7f3a9c" });
    let query = submit_query();
    let first = gql_from(&app, &address, &query, json!({ "input": input }), None).await;
    let code = str_of(&first.data()["submitOpinion"]["trackingCode"]).to_owned();
    // Retries, also concurrent ones, get the same tracking code.
    let retries =
        join_all((0..3).map(|_| gql_from(&app, &address, &query, json!({ "input": input }), None))).await;
    for retry in &retries {
        assert_eq!(retry.data()["submitOpinion"]["trackingCode"], code);
    }
    let listed = app
        .gql("{ opinions(filter: { categories: [HEALTH] }) { totalCount } }", json!({}), Some(&c.station))
        .await;
    assert_eq!(listed.data()["opinions"]["totalCount"], 1, "acted once");
    // The same key from another client is another submission.
    let other = gql_from(&app, &fresh_address(), &submit_query(), json!({ "input": input }), None).await;
    assert_ne!(other.data()["submitOpinion"]["trackingCode"], code);

    // Steps too: a retried accept answers with the first result.
    let id = id_of(&app, &c, &code).await;
    let key = [("idempotencyKey", "String", json!("accept-0001"))];
    let a = step_ok(&app, "acceptOpinion", &id, &key, &c.station).await;
    let b = step_ok(&app, "acceptOpinion", &id, &key, &c.station).await;
    assert_eq!((a["state"].as_str(), a["version"].as_u64()), (b["state"].as_str(), b["version"].as_u64()));
});

e2e!(the_phone_never_reaches_anyone_who_need_not_call_back, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut keep = |who: &str, res: &Gql| seen.push((who.to_owned(), res.body.to_string()));

    // One through 张明's QR code (anonymous), one through the station form by the logged-in citizen.
    let qr = submit(&app, by_qr(&zhang_qr, "楼道灯坏了"), None).await;
    keep("anonymous submitter", &qr);
    let qr_code = str_of(&qr.data()["submitOpinion"]["trackingCode"]).to_owned();
    let station = submit(&app, by_station(&c, "公交车太挤"), Some(&c.citizen)).await;
    keep("citizen submitter", &station);
    let station_code = str_of(&station.data()["submitOpinion"]["trackingCode"]).to_owned();
    let qr_id = id_of(&app, &c, &qr_code).await;
    let station_id = id_of(&app, &c, &station_code).await;

    let other_citizen =
        str_of(&app.register_citizen("13700001111", "路人", "secret123").await["accessToken"]).to_owned();
    let outsiders: Vec<(&str, Option<&str>)> = vec![
        ("unit staff", Some(&c.unit)),
        ("李华", Some(&c.li)),
        ("the submitting citizen", Some(&c.citizen)),
        ("another citizen", Some(&other_citizen)),
        ("anonymous", None),
    ];
    let everything = format!(
        "query($id: ID!) {{ opinion(id: $id) {{ {FIELDS} }} node(id: $id) {{ ... on Opinion {{ {FIELDS} }} }} }}"
    );
    let lists = format!(
        "{{ opinions(first: 50) {{ nodes {{ {FIELDS} }} }} myOpinions(first: 50) {{ nodes {{ {FIELDS} }} }} \
           overdueOpinions(first: 50) {{ nodes {{ {FIELDS} }} }} \
           notifications(first: 50) {{ nodes {{ kind title body subjectKind subjectId }} }} }}"
    );
    let look = async |stage: &str, seen: &mut Vec<(String, String)>| {
        for (who, token) in &outsiders {
            for id in [&qr_id, &station_id] {
                let res = app.gql(&everything, json!({ "id": id }), *token).await;
                seen.push((format!("{who} {stage} opinion"), res.body.to_string()));
            }
            let res = app.gql(&lists, json!({}), *token).await;
            seen.push((format!("{who} {stage} lists"), res.body.to_string()));
        }
        for code in [&qr_code, &station_code] {
            seen.push((format!("tracking code {stage}"), public(&app, code).await.body.to_string()));
        }
    };
    look("received", &mut seen).await;

    // 张明 takes the QR one and calls back; the station's worker takes the other.
    let taken = step_ok(&app, "acceptOpinion", &qr_id, &[], &c.zhang).await;
    assert_eq!(taken["contactPhone"], PHONE, "the responsible deputy sees the number");
    let taken = step_ok(&app, "acceptOpinion", &station_id, &[], &c.station).await;
    assert_eq!(taken["contactPhone"], PHONE, "the station worker sees the number");
    // 张明 is a deputy of that station but did not take it: masked.
    let li_view = opinion(&app, &station_id, &c.li).await;
    assert_eq!(li_view.data()["opinion"]["contactPhone"], "139****5678");
    seen.push(("李华 station deputy".into(), li_view.body.to_string()));
    let staff_view = opinion(&app, &qr_id, &c.staff).await;
    assert_eq!(staff_view.data()["opinion"]["contactPhone"], PHONE, "congress staff call back too");

    for id in [&qr_id, &station_id] {
        let responsible = if *id == qr_id { &c.zhang } else { &c.station };
        step_ok(&app, "forwardOpinion", id, &[("unitId", "ID!", json!(c.transport))], responsible).await;
        let res = step(&app, "replyToOpinion", id, &[("text", "String!", json!("已安排"))], &c.unit).await;
        res.data();
        seen.push(("unit reply".into(), res.body.to_string()));
    }
    look("forwarded", &mut seen).await;
    for id in [&qr_id, &station_id] {
        let responsible = if *id == qr_id { &c.zhang } else { &c.station };
        step_ok(&app, "giveOpinionFeedback", id, &[("text", "String!", json!("已办理"))], responsible).await;
    }
    let rated = rate_by_code(&app, &qr_code, "SATISFIED").await;
    seen.push(("rating by code".into(), rated.body.to_string()));
    let rated = app
        .gql(
            &format!("mutation($id: ID) {{ rateOpinion(id: $id, satisfaction: SATISFIED) {{ {PUBLIC} }} }}"),
            json!({ "id": station_id }),
            Some(&c.citizen),
        )
        .await;
    seen.push(("rating by account".into(), rated.body.to_string()));
    look("closed", &mut seen).await;

    let unit_view = opinion(&app, &qr_id, &c.unit).await;
    assert_eq!(unit_view.data()["opinion"]["contactPhone"], "139****5678", "units see it masked");
    assert!(unit_view.data()["opinion"]["contactName"].is_null());
    assert!(seen.len() > 40, "collected {} responses", seen.len());
    for (who, body) in &seen {
        assert!(!body.contains(PHONE) && !body.contains("+86 139"), "{who} saw the phone: {body}");
    }
});

e2e!(reception_records_make_opinions_and_fill_the_ledger, |app| {
    let c = Cast::of(&app).await;
    let now = chrono::Utc::now();
    let input = json!({
        "stationId": c.east,
        "receivedAt": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "visitors": 3,
        "matters": [
            { "category": "EDUCATION", "content": "学校门口接送拥堵", "contactName": "周先生",
              "contactPhone": "13600001234", "makeOpinion": true },
            { "category": "OTHER", "content": "咨询社保政策，已当场解答" },
        ],
    });
    let record = "mutation($i: RecordReceptionInput!, $k: String) { recordReception(input: $i, idempotencyKey: $k) { \
        id visitors receivedAt station { name } recordedBy { name } recorderDeputy { name } \
        matters { seq category content contactName \
            opinion { id state source trackingCode contactPhone responsibleDeputy { name } } } } }";
    let res = app.gql(record, json!({ "i": input, "k": "reception-0001" }), Some(&c.zhang)).await;
    let rec = res.data()["recordReception"].clone();
    assert_eq!(rec["visitors"], 3);
    assert_eq!(rec["recorderDeputy"]["name"], "张明");
    let made = &rec["matters"][0]["opinion"];
    assert_eq!((made["state"].as_str(), made["source"].as_str()), (Some("ACCEPTED"), Some("RECEPTION")));
    assert_eq!(made["responsibleDeputy"]["name"], "张明");
    assert_eq!(made["contactPhone"], "13600001234");
    assert_eq!(str_of(&made["trackingCode"]).len(), 19, "for the visitor to follow it");
    assert!(rec["matters"][1]["opinion"].is_null());
    // A retry records nothing more.
    let again = app.gql(record, json!({ "i": input, "k": "reception-0001" }), Some(&c.zhang)).await;
    assert_eq!(again.data()["recordReception"]["id"], rec["id"]);

    // The station worker records one too; a unit may not.
    let worker = json!({ "stationId": c.east, "receivedAt": now.to_rfc3339(), "visitors": 1 });
    app.gql(record, json!({ "i": worker }), Some(&c.station)).await.data();
    app.gql(record, json!({ "i": worker }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    let no_phone_without_opinion = json!({ "stationId": c.east, "receivedAt": now.to_rfc3339(), "visitors": 1,
        "matters": [{ "category": "OTHER", "content": "x", "contactPhone": "13600001234" }] });
    app.gql(record, json!({ "i": no_phone_without_opinion }), Some(&c.station))
        .await
        .assert_code("BAD_USER_INPUT");

    let month = (now + chrono::Duration::hours(8)).format("%Y-%m").to_string();
    let ledger = "query($s: ID!, $m: String!) { receptionLedger(stationId: $s, month: $m) { month receptionCount \
        visitorCount matterCount opinionCount records { visitors matters { content opinion { contactPhone } } } } }";
    let res = app.gql(ledger, json!({ "s": c.east, "m": month }), Some(&c.station)).await;
    let book = &res.data()["receptionLedger"];
    assert_eq!(book["month"], month);
    assert_eq!(
        (
            book["receptionCount"].as_u64(),
            book["visitorCount"].as_u64(),
            book["matterCount"].as_u64(),
            book["opinionCount"].as_u64()
        ),
        (Some(2), Some(4), Some(2), Some(1))
    );
    assert_eq!(
        book["records"][0]["matters"][0]["opinion"]["contactPhone"], "13600001234",
        "the station's worker calls back"
    );
    // 李华 is a deputy of the station: the ledger, with the phone masked.
    let res = app.gql(ledger, json!({ "s": c.east, "m": month }), Some(&c.li)).await;
    assert_eq!(
        res.data()["receptionLedger"]["records"][0]["matters"][0]["opinion"]["contactPhone"],
        "136****1234"
    );
    app.gql(ledger, json!({ "s": c.east, "m": month }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    let res = app.gql(ledger, json!({ "s": c.east, "m": "2020-01" }), Some(&c.staff)).await;
    assert_eq!(res.data()["receptionLedger"]["receptionCount"], 0);
    app.gql(ledger, json!({ "s": c.east, "m": "2026-13" }), Some(&c.staff))
        .await
        .assert_code("BAD_USER_INPUT");

    // The record is a node.
    let node = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on ReceptionRecord { visitors } } }",
            json!({ "id": rec["id"] }),
            Some(&c.staff),
        )
        .await;
    assert_eq!(node.data()["node"]["visitors"], 3);
});

e2e!(staff_see_monthly_counts_per_station_and_category, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let a = submit_ok(&app, by_station(&c, "地铁站出口少"), None).await;
    submit_ok(&app, by_qr(&zhang_qr, "垃圾清运不及时"), None).await;
    submit_ok(&app, json!({ "stationId": c.east, "category": "TRANSPORT", "content": "共享单车乱停" }), None)
        .await;
    let id = id_of(&app, &c, &a).await;
    step_ok(&app, "acceptOpinion", &id, &[], &c.station).await;

    let congress = app.gql("{ congresses(first: 10) { nodes { id } } }", json!({}), None).await;
    let congress = str_of(&congress.data()["congresses"]["nodes"][0]["id"]).to_owned();
    let month = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m").to_string();
    let query = "query($c: ID!, $m: String!) { opinionMonthlySummary(congressId: $c, month: $m) { month \
        totals { total open closed received } byStation { station { name } counts { total received } } \
        byCategory { category counts { total } } } }";
    let res = app.gql(query, json!({ "c": congress, "m": month }), Some(&c.staff)).await;
    let summary = &res.data()["opinionMonthlySummary"];
    assert_eq!(
        (summary["totals"]["total"].as_u64(), summary["totals"]["received"].as_u64()),
        (Some(3), Some(2))
    );
    let east = summary["byStation"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["station"]["name"] == "东城街道人大代表联络站"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(east["counts"]["total"], 3, "QR opinions count at the deputy's station");
    let by_category = |name: &str| {
        summary["byCategory"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["category"] == name))
            .map(|c| c["counts"]["total"].clone())
    };
    assert_eq!(summary["byCategory"].as_array().map(Vec::len), Some(9));
    assert_eq!(by_category("TRANSPORT"), Some(json!(2)));
    assert_eq!(by_category("URBAN_MANAGEMENT"), Some(json!(1)));
    for who in [&c.station, &c.zhang, &c.unit] {
        app.gql(query, json!({ "c": congress, "m": month }), Some(who)).await.assert_code("FORBIDDEN");
    }
    // Nothing here has waited too long yet.
    let overdue = app.gql("{ overdueOpinions { totalCount } }", json!({}), Some(&c.staff)).await;
    assert_eq!(overdue.data()["overdueOpinions"]["totalCount"], 0);
    let waiting = app
        .gql(
            "{ opinions(filter: { overdue: false, states: [RECEIVED] }) { totalCount } }",
            json!({}),
            Some(&c.staff),
        )
        .await;
    assert_eq!(waiting.data()["opinions"]["totalCount"], 2);
});

e2e!(each_reader_lists_their_own_opinions, |app| {
    let c = Cast::of(&app).await;
    let zhang_qr = c.zhang_qr(&app).await;
    let qr = submit_ok(&app, by_qr(&zhang_qr, "噪音扰民"), None).await;
    let station = submit_ok(&app, by_station(&c, "路面坑洼"), Some(&c.citizen)).await;
    let codes = |res: &Gql, list: &str| -> Vec<String> {
        res.data()[list]["nodes"]
            .as_array()
            .map(|n| n.iter().map(|n| n["content"].as_str().unwrap_or_default().to_owned()).collect())
            .unwrap_or_default()
    };
    let list = "{ opinions(first: 50) { totalCount nodes { content } } }";
    let seen = |token: &str| {
        let token = token.to_owned();
        let app = &app;
        async move { codes(&app.gql(list, json!({}), Some(&token)).await, "opinions") }
    };
    assert_eq!(seen(&c.zhang).await.len(), 2, "addressed to him, and to his station");
    assert_eq!(seen(&c.li).await, ["路面坑洼"], "only what came to the station");
    assert_eq!(seen(&c.station).await.len(), 2);
    assert_eq!(seen(&c.staff).await.len(), 2);
    assert!(seen(&c.unit).await.is_empty(), "nothing forwarded yet");
    assert_eq!(seen(&c.citizen).await, ["路面坑洼"]);
    app.gql(list, json!({}), None).await.assert_code("UNAUTHENTICATED");
    let _ = (qr, station);
});

e2e!(personal_data_needs_the_privacy_notice, |app| {
    let c = Cast::of(&app).await;
    let notice = app.gql("{ privacyNotice { version text } }", json!({}), None).await;
    let notice = &notice.data()["privacyNotice"];
    assert_eq!(notice["version"], PRIVACY_NOTICE_VERSION);
    assert!(str_of(&notice["text"]).contains("180天"), "{notice}");

    // A name, a phone, a place or a position without the current notice's consent is refused.
    for (personal, agreed) in [
        (json!({ "contactPhone": PHONE }), Value::Null),
        (json!({ "contactName": "孙女士" }), json!("2020-01-01")),
        (json!({ "location": "和平路88号" }), Value::Null),
        (json!({ "position": { "latitude": 30.27, "longitude": 120.15 } }), json!("")),
    ] {
        let mut input = json!({ "stationId": c.east, "category": "OTHER", "content": "需要同意告知",
                                "privacyConsent": agreed });
        if let (Some(input), Some(personal)) = (input.as_object_mut(), personal.as_object()) {
            input.extend(personal.clone());
        }
        let res = submit(&app, input, None).await;
        assert_eq!(res.body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{personal}: {}", res.body);
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "privacyConsent", "{}", res.body);
    }
    // Nothing personal needs nothing; with the consent the same submission goes through.
    let anonymous =
        json!({ "stationId": c.east, "category": "OTHER", "content": "匿名反映", "privacyConsent": null });
    assert!(submit(&app, anonymous, None).await.body["errors"].is_null());
    let agreed =
        json!({ "stationId": c.east, "category": "OTHER", "content": "同意后提交", "contactPhone": PHONE });
    assert!(submit(&app, agreed, None).await.body["errors"].is_null());
});
