//! Statistics for staff end to end: suggestions and opinions created through GraphQL, then the exact
//! figures of `suggestionStatistics`, `opinionStatistics` and `deputyStatistics`, and who may read them.

use chrono::Datelike;
use edaibiao_tests::time::{cst_today, in_seconds};
use edaibiao_tests::{Gql, TestApp, demo, e2e, str_of};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const PASSWORD: &str = "secret123";

pub const SUGGESTION_ROW: &str = "groupId key label suggestions proposed assigned handled answered rated \
    withdrawn answeringParts answers answerRate onTimeAnswers onTimeRate classA classB classC classD \
    classAShare classBShare classCShare classDShare ratedAnswers satisfied basicallySatisfied \
    satisfactionRate resultRated resultSatisfied resultSatisfiedRate overdue contactedAnswers contactRate";

pub const OPINION_ROW: &str = "groupId key label received accepted resolvedDirectly forwarded converted \
    closed withFeedback meanDaysToFeedback rated satisfied satisfactionRate";

pub const DEPUTY_ROW: &str = "deputyId name deputyGroupId points congressRank present excused absent \
    attendanceRate suggestionsLed suggestionsCoSigned opinionsReceived opinionsClosed receptionsServed";

pub fn suggestion_query() -> String {
    format!(
        "query($c: ID!, $y: Int!, $g: SuggestionGroupBy!) {{ s: suggestionStatistics(congressId: $c, year: $y, \
         groupBy: $g) {{ year groupBy rows {{ {SUGGESTION_ROW} }} total {{ {SUGGESTION_ROW} }} }} }}"
    )
}

pub fn opinion_query() -> String {
    format!(
        "query($c: ID!, $f: NaiveDate!, $t: NaiveDate!, $g: OpinionGroupBy!) {{ s: opinionStatistics(\
         congressId: $c, from: $f, to: $t, groupBy: $g) {{ from to groupBy rows {{ {OPINION_ROW} }} \
         total {{ {OPINION_ROW} }} }} }}"
    )
}

pub fn deputy_query() -> String {
    format!("query($c: ID!, $y: Int!) {{ s: deputyStatistics(congressId: $c, year: $y) {{ {DEPUTY_ROW} }} }}")
}

/// The people and places of the demo data, and the seeded records.
pub struct World {
    pub admin: String,
    pub staff: String,
    pub zhang: String,
    pub li: String,
    pub wang: String,
    pub unit: String,
    pub citizen: String,
    pub station_worker: String,
    pub congress: String,
    pub transport: String,
    pub education: String,
    pub east_group: String,
    pub west_group: String,
    pub east_station: String,
    pub west_station: String,
    pub zhang_id: String,
    pub li_id: String,
    pub wang_id: String,
    pub year: i64,
    pub today: String,
}

async fn account(app: &TestApp, admin: &str, input: Value) -> String {
    let res = app
        .gql(
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
            json!({ "i": input }),
            Some(admin),
        )
        .await;
    res.data();
    app.login_with(str_of(&input["phone"]), PASSWORD).await.access
}

pub async fn world(app: &TestApp) -> World {
    let res = app
        .gql(
            "{ congresses(first: 10) { nodes { id } } handlingUnits(first: 100) { nodes { id name } } \
               deputies(first: 100) { nodes { id name } } liaisonStations(first: 100) { nodes { id name } } \
               deputyGroups(first: 100) { nodes { id name } } }",
            json!({}),
            None,
        )
        .await;
    let data = res.data().clone();
    let id = |list: &str, name: &str| edaibiao_tests::id_in(&data, list, name);
    let admin = app.login(demo::ADMIN).await.access;
    let wang_id = id("deputies", "王芳");
    let education = id("handlingUnits", "市教育局");
    let wang = account(
        app,
        &admin,
        json!({ "phone": "13900000301", "name": "王芳", "password": PASSWORD, "role": "DEPUTY", "deputyId": wang_id }),
    )
    .await;
    let today = cst_today();
    World {
        staff: app.login(demo::STAFF).await.access,
        zhang: app.login(demo::DEPUTY).await.access,
        li: app.login(demo::DEPUTY2).await.access,
        unit: app.login(demo::UNIT_STAFF).await.access,
        citizen: app.login(demo::CITIZEN).await.access,
        station_worker: app.login(demo::STATION_STAFF).await.access,
        congress: str_of(&data["congresses"]["nodes"][0]["id"]).to_owned(),
        transport: id("handlingUnits", "市交通运输局"),
        east_group: id("deputyGroups", "东城区代表团"),
        west_group: id("deputyGroups", "西城区代表团"),
        east_station: id("liaisonStations", "东城街道人大代表联络站"),
        west_station: id("liaisonStations", "西城区代表之家"),
        zhang_id: id("deputies", "张明"),
        li_id: id("deputies", "李华"),
        wang_id,
        admin,
        wang,
        education,
        year: i64::from(today.year()),
        today: today.to_string(),
    }
}

/// Runs a mutation `name(id: $id, …)` that must succeed; returns its result's `id` and `state`.
async fn step(
    app: &TestApp,
    token: &str,
    name: &str,
    id: Option<&str>,
    args: &[(&str, &str, Value)],
) -> Value {
    let mut decl: Vec<String> = args.iter().map(|(n, t, _)| format!("${n}: {t}")).collect();
    let mut pass: Vec<String> = args.iter().map(|(n, _, _)| format!("{n}: ${n}")).collect();
    let mut vars = json!({});
    if let Some(id) = id {
        decl.push("$id: ID!".into());
        pass.push("id: $id".into());
        vars["id"] = json!(id);
    }
    for (n, _, v) in args {
        vars[*n] = v.clone();
    }
    let query = format!("mutation({}) {{ r: {name}({}) {{ id state }} }}", decl.join(", "), pass.join(", "));
    let res = app.gql(&query, vars, Some(token)).await;
    assert!(res.body.get("errors").is_none(), "{name} failed: {}", res.body);
    res.data()["r"].clone()
}

async fn draft(app: &TestApp, token: &str, title: &str, category: &str) -> String {
    let input = json!({ "title": title, "content": format!("关于{title}的建议"), "category": category, "sessionNumber": 1 });
    str_of(
        &step(app, token, "createSuggestion", None, &[("input", "NewSuggestionInput!", input)]).await["id"],
    )
    .to_owned()
}

async fn submitted(app: &TestApp, token: &str, title: &str, category: &str) -> String {
    let id = draft(app, token, title, category).await;
    step(app, token, "submitSuggestion", Some(&id), &[]).await;
    id
}

async fn assign(app: &TestApp, w: &World, id: &str, mode: &str, units: &[(&str, &str)], due: Option<String>) {
    let units: Vec<Value> = units.iter().map(|(u, r)| json!({ "unitId": u, "role": r })).collect();
    let input = json!({ "mode": mode, "units": units, "dueAt": due });
    step(app, &w.staff, "assignSuggestion", Some(id), &[("input", "AssignmentInput!", input)]).await;
}

/// The unit accepts, records a contact and answers with `class`.
async fn answer(app: &TestApp, token: &str, id: &str, class: &str) {
    step(app, token, "acceptSuggestion", Some(id), &[]).await;
    let contact = json!({ "method": "PHONE", "contactedAt": in_seconds(2), "summary": "电话沟通" });
    step(app, token, "recordContact", Some(id), &[("input", "ContactInput!", contact)]).await;
    let mut input =
        json!({ "content": "答复内容", "answerClass": class, "signedBy": "局长", "public": false });
    match class {
        "IN_PROGRESS" => input["promisedBy"] = json!(format!("{}-12-31", cst_today().year() + 1)),
        "DEFERRED" | "FOR_REFERENCE" => input["reasons"] = json!("条件尚不具备"),
        _ => {}
    }
    step(app, token, "answerSuggestion", Some(id), &[("input", "AnswerInput!", input)]).await;
}

async fn rate(app: &TestApp, token: &str, id: &str, attitude: &str, result: &str) {
    let input = json!({ "attitude": attitude, "result": result });
    step(app, token, "rateAnswer", Some(id), &[("input", "RatingInput!", input)]).await;
}

/// Submits through the public form (from an address of its own, clear of the per-address limit); returns
/// the tracking code.
async fn submit_opinion(app: &TestApp, station: &str, category: &str, content: &str) -> String {
    let n = uuid::Uuid::new_v4().as_u128();
    let address = format!("10.{}.{}.{}", (n >> 16) as u8, (n >> 8) as u8, n as u8);
    let body = json!({
        "query": "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        "variables": { "i": { "stationId": station, "category": category, "content": content } },
    });
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", address))
        .send_body(body.to_string())
        .await
        .expect("request failed");
    let bytes = response.body().await.expect("no body");
    let body: Value = serde_json::from_slice(&bytes).expect("not JSON");
    str_of(&body["data"]["submitOpinion"]["trackingCode"]).to_owned()
}

async fn opinion_id(app: &TestApp, w: &World, code: &str) -> String {
    let res =
        app.gql("{ opinions(first: 100) { nodes { id trackingCode } } }", json!({}), Some(&w.staff)).await;
    res.data()["opinions"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["trackingCode"] == code))
        .and_then(|n| n["id"].as_str())
        .unwrap_or_else(|| panic!("no opinion {code}: {}", res.body))
        .to_owned()
}

/// Seeds the suggestions and opinions every statistics test reads (see the figures in `suggestions_by_unit`).
pub async fn seed(app: &TestApp, w: &World) {
    // S1 (张明, 交通, co-signed by 李华): 交通局 leads, 教育局 co-handles; A answer, rated satisfied.
    let s1 = draft(app, &w.zhang, "优化公交线路", "交通").await;
    step(app, &w.zhang, "inviteCoSigner", Some(&s1), &[("deputyId", "ID!", json!(w.li_id))]).await;
    step(app, &w.li, "answerCoSignInvitation", Some(&s1), &[("accept", "Boolean!", json!(true))]).await;
    step(app, &w.zhang, "submitSuggestion", Some(&s1), &[]).await;
    assign(app, w, &s1, "LEAD_WITH_CO", &[(&w.transport, "LEAD"), (&w.education, "CO")], None).await;
    answer(app, &w.unit, &s1, "SOLVED").await;
    rate(app, &w.zhang, &s1, "SATISFIED", "SATISFIED").await;
    // S2 (张明, 交通): B answer rated basically satisfied; the result, once implemented, rated satisfied.
    let s2 = submitted(app, &w.zhang, "增设停车位", "交通").await;
    assign(app, w, &s2, "LEAD_WITH_CO", &[(&w.transport, "LEAD")], None).await;
    answer(app, &w.unit, &s2, "IN_PROGRESS").await;
    rate(app, &w.zhang, &s2, "SATISFIED", "BASICALLY_SATISFIED").await;
    let done = [("note", "String!", json!("已建成")), ("done", "Boolean!", json!(true))];
    step(app, &w.unit, "reportImplementation", Some(&s2), &done).await;
    step(
        app,
        &w.zhang,
        "rateImplementationResult",
        Some(&s2),
        &[("satisfaction", "Satisfaction!", json!("SATISFIED"))],
    )
    .await;
    // S3 (李华, 教育): parallel handling; 交通局 answers C, 教育局 not yet.
    let s3 = submitted(app, &w.li, "校园周边交通安全", "教育").await;
    assign(app, w, &s3, "PARALLEL", &[(&w.transport, "LEAD"), (&w.education, "LEAD")], None).await;
    answer(app, &w.unit, &s3, "DEFERRED").await;
    // S4 (王芳, 教育) and S5 (王芳, 交通): deadlines in two seconds. S4 stays unanswered (overdue); S5 is
    // answered D after its deadline (late).
    let s4 = submitted(app, &w.wang, "增加学位供给", "教育").await;
    let s5 = submitted(app, &w.wang, "规范出租车运营", "交通").await;
    assign(app, w, &s4, "LEAD_WITH_CO", &[(&w.education, "LEAD")], Some(in_seconds(2))).await;
    assign(app, w, &s5, "LEAD_WITH_CO", &[(&w.transport, "LEAD")], Some(in_seconds(2))).await;
    let started = Instant::now();
    loop {
        let res = app
            .gql("query($id: ID!) { suggestion(id: $id) { isOverdue } }", json!({ "id": s5 }), Some(&w.staff))
            .await;
        if res.data()["suggestion"]["isOverdue"] == true {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the deadline never passed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    answer(app, &w.unit, &s5, "FOR_REFERENCE").await;
    // S6 (张明) proposed only; S7 (李华) a draft (not counted); S8 (李华) withdrawn.
    submitted(app, &w.zhang, "完善社区养老", "交通").await;
    draft(app, &w.li, "草稿不计", "交通").await;
    let s8 = submitted(app, &w.li, "撤回的建议", "交通").await;
    step(app, &w.li, "withdrawSuggestion", Some(&s8), &[]).await;

    // Opinions: O1 at the east station resolved directly and rated satisfied (closed); O2 there taken by
    // 张明 and forwarded to 交通局, who replies, then feedback; O3 at the west station untouched; O4 at the
    // east station taken by 张明 and turned into a suggestion (a draft: not a counted suggestion).
    let o1 = submit_opinion(app, &w.east_station, "TRANSPORT", "路口红绿灯时间太短").await;
    let id1 = opinion_id(app, w, &o1).await;
    step(app, &w.station_worker, "acceptOpinion", Some(&id1), &[]).await;
    step(
        app,
        &w.station_worker,
        "resolveOpinionDirectly",
        Some(&id1),
        &[("note", "String!", json!("已协调"))],
    )
    .await;
    step(app, &w.station_worker, "giveOpinionFeedback", Some(&id1), &[("text", "String!", json!("已调整"))])
        .await;
    let res = app
        .gql(
            "mutation($c: String) { rateOpinion(trackingCode: $c, satisfaction: SATISFIED) { state } }",
            json!({ "c": o1 }),
            None,
        )
        .await;
    assert_eq!(res.data()["rateOpinion"]["state"], "CLOSED");
    let o2 = submit_opinion(app, &w.east_station, "TRANSPORT", "公交站台没有遮雨棚").await;
    let id2 = opinion_id(app, w, &o2).await;
    step(app, &w.zhang, "acceptOpinion", Some(&id2), &[]).await;
    step(app, &w.zhang, "forwardOpinion", Some(&id2), &[("unitId", "ID!", json!(w.transport))]).await;
    step(app, &w.unit, "replyToOpinion", Some(&id2), &[("text", "String!", json!("已安排"))]).await;
    step(app, &w.zhang, "giveOpinionFeedback", Some(&id2), &[("text", "String!", json!("将于下月建成"))])
        .await;
    submit_opinion(app, &w.west_station, "EDUCATION", "学校门口拥堵").await;
    let o4 = submit_opinion(app, &w.east_station, "HEALTH", "社区医院挂号难").await;
    let id4 = opinion_id(app, w, &o4).await;
    step(app, &w.zhang, "acceptOpinion", Some(&id4), &[]).await;
    step(app, &w.zhang, "convertOpinionToSuggestion", Some(&id4), &[("sessionNumber", "Int", json!(1))])
        .await;
}

pub async fn suggestions(app: &TestApp, w: &World, token: &str, group_by: &str) -> Gql {
    app.gql(&suggestion_query(), json!({ "c": w.congress, "y": w.year, "g": group_by }), Some(token)).await
}

pub async fn opinions(app: &TestApp, w: &World, token: &str, group_by: &str) -> Gql {
    let vars = json!({ "c": w.congress, "f": w.today, "t": w.today, "g": group_by });
    app.gql(&opinion_query(), vars, Some(token)).await
}

pub async fn deputies(app: &TestApp, w: &World, token: &str) -> Gql {
    app.gql(&deputy_query(), json!({ "c": w.congress, "y": w.year }), Some(token)).await
}

/// The row labelled `label`.
fn row<'a>(table: &'a Value, label: &str) -> &'a Value {
    table["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["label"] == label))
        .unwrap_or_else(|| panic!("no row {label}: {table}"))
}

/// Picks `fields` of a row, for whole-row comparisons.
fn pick(row: &Value, fields: &[&str]) -> Value {
    Value::Object(fields.iter().map(|f| ((*f).to_owned(), row[*f].clone())).collect())
}

const COUNTS: [&str; 15] = [
    "suggestions",
    "proposed",
    "assigned",
    "handled",
    "answered",
    "rated",
    "withdrawn",
    "answeringParts",
    "answers",
    "onTimeAnswers",
    "ratedAnswers",
    "satisfied",
    "basicallySatisfied",
    "resultRated",
    "overdue",
];

fn counts(row: &Value) -> Value {
    pick(row, &COUNTS)
}

fn close(value: &Value, expected: f64) {
    let got = value.as_f64().unwrap_or_else(|| panic!("not a number: {value}"));
    assert!((got - expected).abs() < 1e-9, "expected {expected}, got {got}");
}

e2e!(suggestion_figures_by_unit_category_and_deputy_group, |app| {
    let w = world(&app).await;
    seed(&app, &w).await;

    let res = suggestions(&app, &w, &w.staff, "UNIT").await;
    let t = &res.data()["s"];
    assert_eq!((t["year"].as_i64(), t["groupBy"].as_str()), (Some(w.year), Some("UNIT")));
    // Only answering units have rows: 教育局's co-handling of S1 does not count.
    let labels: Vec<&str> = t["rows"].as_array().into_iter().flatten().map(|r| str_of(&r["label"])).collect();
    assert_eq!(labels, ["市交通运输局", "市教育局"]);
    let transport = row(t, "市交通运输局");
    assert_eq!(transport["groupId"], json!(w.transport));
    assert_eq!(transport["key"], Value::Null);
    assert_eq!(
        counts(transport),
        json!({ "suggestions": 4, "proposed": 0, "assigned": 0, "handled": 1, "answered": 1, "rated": 2,
                "withdrawn": 0, "answeringParts": 4, "answers": 4, "onTimeAnswers": 3, "ratedAnswers": 2,
                "satisfied": 1, "basicallySatisfied": 1, "resultRated": 1, "overdue": 0 })
    );
    close(&transport["answerRate"], 1.0);
    close(&transport["onTimeRate"], 0.75);
    // 沟通率: every answer of 交通局 followed a recorded contact (the default policy requires one; an
    // answer without is counted out in the domain tests).
    assert_eq!(transport["contactedAnswers"], 4);
    close(&transport["contactRate"], 1.0);
    for share in ["classAShare", "classBShare", "classCShare", "classDShare"] {
        close(&transport[share], 0.25);
    }
    assert_eq!(
        pick(transport, &["classA", "classB", "classC", "classD"]),
        json!({ "classA": 1, "classB": 1, "classC": 1, "classD": 1 })
    );
    close(&transport["satisfactionRate"], 1.0);
    close(&transport["resultSatisfiedRate"], 1.0);
    assert_eq!(transport["resultSatisfied"], 1);

    let education = row(t, "市教育局");
    assert_eq!(
        counts(education),
        json!({ "suggestions": 2, "proposed": 0, "assigned": 1, "handled": 1, "answered": 0, "rated": 0,
                "withdrawn": 0, "answeringParts": 2, "answers": 0, "onTimeAnswers": 0, "ratedAnswers": 0,
                "satisfied": 0, "basicallySatisfied": 0, "resultRated": 0, "overdue": 1 })
    );
    close(&education["answerRate"], 0.0);
    // Nothing to divide by: null, not 0.
    assert_eq!(education["contactedAnswers"], 0);
    for rate in ["onTimeRate", "classAShare", "satisfactionRate", "resultSatisfiedRate", "contactRate"] {
        assert_eq!(education[rate], Value::Null, "{rate}");
    }

    // The total counts every suggestion once: 7 (the draft is not counted), 6 answering parts.
    let total = &t["total"];
    assert_eq!(total["label"], "合计");
    assert_eq!(
        counts(total),
        json!({ "suggestions": 7, "proposed": 1, "assigned": 1, "handled": 1, "answered": 1, "rated": 2,
                "withdrawn": 1, "answeringParts": 6, "answers": 4, "onTimeAnswers": 3, "ratedAnswers": 2,
                "satisfied": 1, "basicallySatisfied": 1, "resultRated": 1, "overdue": 1 })
    );
    close(&total["answerRate"], 4.0 / 6.0);
    close(&total["onTimeRate"], 0.75);
    assert_eq!(total["contactedAnswers"], 4);
    close(&total["contactRate"], 1.0);

    let res = suggestions(&app, &w, &w.staff, "CATEGORY").await;
    let t = &res.data()["s"];
    let traffic = row(t, "交通");
    assert_eq!((traffic["key"].as_str(), traffic["groupId"].is_null()), (Some("交通"), true));
    assert_eq!(
        pick(
            traffic,
            &[
                "suggestions",
                "proposed",
                "rated",
                "answered",
                "withdrawn",
                "answeringParts",
                "answers",
                "onTimeAnswers",
                "overdue"
            ]
        ),
        json!({ "suggestions": 5, "proposed": 1, "rated": 2, "answered": 1, "withdrawn": 1, "answeringParts": 3,
                "answers": 3, "onTimeAnswers": 2, "overdue": 0 })
    );
    let schools = row(t, "教育");
    assert_eq!(
        pick(
            schools,
            &["suggestions", "assigned", "handled", "answeringParts", "answers", "classC", "overdue"]
        ),
        json!({ "suggestions": 2, "assigned": 1, "handled": 1, "answeringParts": 3, "answers": 1, "classC": 1, "overdue": 1 })
    );
    close(&schools["answerRate"], 1.0 / 3.0);
    // Categories split the suggestions: the total is the sum.
    assert_eq!(counts(&t["total"])["suggestions"], 7);
    assert_eq!(counts(&t["total"])["answeringParts"], 6);

    let res = suggestions(&app, &w, &w.staff, "DEPUTY_GROUP").await;
    let t = &res.data()["s"];
    let east = row(t, "东城区代表团");
    assert_eq!(east["groupId"], json!(w.east_group));
    assert_eq!(
        pick(east, &["suggestions", "answeringParts", "answers"]),
        json!({ "suggestions": 5, "answeringParts": 4, "answers": 3 })
    );
    let west = row(t, "西城区代表团");
    assert_eq!(west["groupId"], json!(w.west_group));
    assert_eq!(
        pick(
            west,
            &[
                "suggestions",
                "assigned",
                "answered",
                "answeringParts",
                "answers",
                "onTimeAnswers",
                "classD",
                "overdue"
            ]
        ),
        json!({ "suggestions": 2, "assigned": 1, "answered": 1, "answeringParts": 2, "answers": 1, "onTimeAnswers": 0, "classD": 1, "overdue": 1 })
    );
    close(&west["onTimeRate"], 0.0);

    // A suggestion counts under its lead deputy's group now: 张明 moves to 西城区 and his suggestions with
    // him (the kept group follows the deputy), then back.
    let profile = "query($id: ID!) { deputy(id: $id) { name gender occupation industry bio phone photoUrl
        expertise deputyGroup { id } professionalGroup { id } liaisonStation { id } } }";
    let p = app.gql(profile, json!({ "id": w.zhang_id }), Some(&w.staff)).await.data()["deputy"].clone();
    let move_to = |group: &str| {
        json!({ "id": w.zhang_id, "i": { "name": p["name"], "gender": p["gender"], "occupation": p["occupation"],
            "industry": p["industry"], "bio": p["bio"], "phone": p["phone"], "photoUrl": p["photoUrl"],
            "expertise": p["expertise"], "deputyGroupId": group, "professionalGroupId": p["professionalGroup"]["id"],
            "liaisonStationId": p["liaisonStation"]["id"] } })
    };
    let update = "mutation($id: ID!, $i: DeputyInput!) { updateDeputy(id: $id, input: $i) { id } }";
    let by_group = |t: &Value| -> (i64, i64, i64) {
        let n = |label: &str| {
            let rows = t["rows"].as_array().cloned().unwrap_or_default();
            rows.iter().find(|r| r["label"] == label).map_or(0, |r| r["suggestions"].as_i64().unwrap_or(0))
        };
        (n("东城区代表团"), n("西城区代表团"), t["total"]["suggestions"].as_i64().unwrap_or(-1))
    };
    let before = by_group(&suggestions(&app, &w, &w.staff, "DEPUTY_GROUP").await.data()["s"]);
    app.gql(update, move_to(&w.west_group), Some(&w.staff)).await.data();
    let moved = by_group(&suggestions(&app, &w, &w.staff, "DEPUTY_GROUP").await.data()["s"]);
    let his = before.0 - moved.0;
    assert!(his > 0, "张明 leads suggestions of 东城区: {before:?} {moved:?}");
    assert_eq!(moved, (before.0 - his, before.1 + his, before.2), "they moved with him, the total stayed");
    app.gql(update, move_to(&w.east_group), Some(&w.staff)).await.data();
    let back = by_group(&suggestions(&app, &w, &w.staff, "DEPUTY_GROUP").await.data()["s"]);
    assert_eq!(back, before, "and back");

    // Another year has nothing.
    let res = app
        .gql(&suggestion_query(), json!({ "c": w.congress, "y": w.year - 1, "g": "UNIT" }), Some(&w.staff))
        .await;
    let t = &res.data()["s"];
    assert_eq!(t["rows"], json!([]));
    assert_eq!(t["total"]["suggestions"], 0);
    assert_eq!(t["total"]["answerRate"], Value::Null);
    // A year out of range is refused.
    app.gql(&suggestion_query(), json!({ "c": w.congress, "y": 1900, "g": "UNIT" }), Some(&w.staff))
        .await
        .assert_code("BAD_USER_INPUT");
});

e2e!(opinion_figures_by_station_category_and_month, |app| {
    let w = world(&app).await;
    seed(&app, &w).await;

    let res = opinions(&app, &w, &w.staff, "STATION").await;
    let t = &res.data()["s"];
    assert_eq!((t["from"].as_str(), t["to"].as_str()), (Some(w.today.as_str()), Some(w.today.as_str())));
    let east = row(t, "东城街道人大代表联络站");
    assert_eq!(east["groupId"], json!(w.east_station));
    let figures = [
        "received",
        "accepted",
        "resolvedDirectly",
        "forwarded",
        "converted",
        "closed",
        "withFeedback",
        "rated",
        "satisfied",
    ];
    assert_eq!(
        pick(east, &figures),
        json!({ "received": 3, "accepted": 3, "resolvedDirectly": 1, "forwarded": 1, "converted": 1, "closed": 1,
                "withFeedback": 2, "rated": 1, "satisfied": 1 })
    );
    close(&east["satisfactionRate"], 1.0);
    let mean = east["meanDaysToFeedback"].as_f64().unwrap_or(-1.0);
    assert!((0.0..0.01).contains(&mean), "feedback came within seconds: {mean}");
    let west = row(t, "西城区代表之家");
    assert_eq!(
        pick(west, &figures),
        json!({ "received": 1, "accepted": 0, "resolvedDirectly": 0, "forwarded": 0, "converted": 0, "closed": 0,
                "withFeedback": 0, "rated": 0, "satisfied": 0 })
    );
    assert_eq!((west["meanDaysToFeedback"].is_null(), west["satisfactionRate"].is_null()), (true, true));
    assert_eq!(
        pick(&t["total"], &["received", "accepted", "closed"]),
        json!({ "received": 4, "accepted": 3, "closed": 1 })
    );

    let res = opinions(&app, &w, &w.staff, "CATEGORY").await;
    let t = &res.data()["s"];
    let transport = row(t, "交通出行");
    assert_eq!((transport["key"].as_str(), transport["received"].as_i64()), (Some("TRANSPORT"), Some(2)));
    assert_eq!(row(t, "教育")["received"], 1);
    assert_eq!(row(t, "医疗卫生")["converted"], 1);

    let res = opinions(&app, &w, &w.staff, "MONTH").await;
    let t = &res.data()["s"];
    let month = &w.today[..7];
    assert_eq!(len(&t["rows"]), 1);
    assert_eq!((t["rows"][0]["key"].as_str(), t["rows"][0]["received"].as_i64()), (Some(month), Some(4)));

    // The window is checked.
    let vars = json!({ "c": w.congress, "f": w.today, "t": "2000-01-01", "g": "MONTH" });
    app.gql(&opinion_query(), vars, Some(&w.staff)).await.assert_code("BAD_USER_INPUT");
});

/// One of the three queries for `congress`, with the filters of the seeded data.
async fn table(app: &TestApp, w: &World, name: &str, congress: &str, token: Option<&str>) -> Gql {
    let (query, vars) = match name {
        "suggestionStatistics" => (suggestion_query(), json!({ "c": congress, "y": w.year, "g": "UNIT" })),
        "opinionStatistics" => {
            (opinion_query(), json!({ "c": congress, "f": w.today, "t": w.today, "g": "STATION" }))
        }
        _ => (deputy_query(), json!({ "c": congress, "y": w.year })),
    };
    app.gql(&query, vars, token).await
}

fn len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

e2e!(deputy_figures, |app| {
    let w = world(&app).await;
    seed(&app, &w).await;
    let res = deputies(&app, &w, &w.staff).await;
    let rows = res.data()["s"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 5, "every deputy of the congress has a row");
    let of =
        |id: &str| rows.iter().find(|r| r["deputyId"] == id).cloned().unwrap_or_else(|| panic!("no {id}"));
    let figures =
        ["suggestionsLed", "suggestionsCoSigned", "opinionsReceived", "opinionsClosed", "receptionsServed"];
    // 张明 led S1, S2, S6 and took O2 and O4; 李华 led S3 (S7 is a draft, S8 withdrawn) and co-signed S1.
    assert_eq!(
        pick(&of(&w.zhang_id), &figures),
        json!({ "suggestionsLed": 3, "suggestionsCoSigned": 0, "opinionsReceived": 2, "opinionsClosed": 0, "receptionsServed": 0 })
    );
    assert_eq!(of(&w.zhang_id)["deputyGroupId"], json!(w.east_group));
    assert_eq!(
        pick(&of(&w.li_id), &figures),
        json!({ "suggestionsLed": 1, "suggestionsCoSigned": 1, "opinionsReceived": 0, "opinionsClosed": 0, "receptionsServed": 0 })
    );
    assert_eq!(of(&w.wang_id)["suggestionsLed"], 2);
    // No activities yet: no attendance to divide.
    let zhang = of(&w.zhang_id);
    assert_eq!(
        pick(&zhang, &["present", "excused", "absent", "attendanceRate"]),
        json!({ "present": 0, "excused": 0, "absent": 0, "attendanceRate": null })
    );
});

e2e!(only_the_congress_staff_read_statistics, |app| {
    let w = world(&app).await;
    let county = app
        .gql(
            "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(&w.admin),
        )
        .await;
    let county = str_of(&county.data()["createCongress"]["id"]).to_owned();
    let county_staff = account(
        &app,
        &w.admin,
        json!({ "phone": "13900000303", "name": "县人大工委", "password": PASSWORD, "role": "CONGRESS_STAFF", "congressId": county }),
    )
    .await;
    for name in ["suggestionStatistics", "opinionStatistics", "deputyStatistics"] {
        for (who, token) in [
            ("deputy", &w.zhang),
            ("unit staff", &w.unit),
            ("citizen", &w.citizen),
            ("station worker", &w.station_worker),
            ("another congress's staff", &county_staff),
        ] {
            let res = table(&app, &w, name, &w.congress, Some(token)).await;
            assert_eq!(res.code(), "FORBIDDEN", "{name} as {who}: {}", res.body);
        }
        table(&app, &w, name, &w.congress, None).await.assert_code("UNAUTHENTICATED");
        // The congress's staff and the admin read it; the county's staff read their own.
        table(&app, &w, name, &w.congress, Some(&w.staff)).await.data();
        table(&app, &w, name, &w.congress, Some(&w.admin)).await.data();
        table(&app, &w, name, &county, Some(&county_staff)).await.data();
    }
});
