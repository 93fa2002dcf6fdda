//! Suggestions (代表建议) end to end: the lifecycle from draft to rated result over GraphQL, who may do
//! what in which state, input checks, re-handling, parallel handling, reassignment and extensions, who
//! sees what, list filters and pages, races between concurrent requests, and idempotency keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::time::{DAY, date_in, rfc3339, secs_of, unix_now};
use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};

/// Password of the accounts the tests create.
const PASSWORD: &str = "secret123";

/// Every field of a suggestion, so that each response shows the whole suggestion.
const FIELDS: &str = "id serialNumber title content category state version revisionReason sessionNumber \
    recessYear keySupervised flaggedForStaff isOverdue daysLeft dueAt assignedAt handlingMode createdAt \
    leadDeputy { name } coSigners { status deputy { name } } \
    units { role accepted rehandleCount resultRating unit { id name } coOpinion { text late } \
        answer { content answerClass promisedBy reasons signedBy public } \
        earlierAnswers { content answerClass } \
        rating { attitude result comment deputy { name } } \
        coSignerRatings { attitude result comment deputy { name } } \
        implementation { note done } } \
    contacts { method summary contactedAt unit { name } } \
    pendingReassignment { reason dueAt unit { name } } \
    pendingExtension { reason dueAt unit { name } } \
    supervision { supervisor notes { note } } \
    timeline { kind fromState toState note actorRole actor { name } }";

const LIST: &str = "query($f: SuggestionFilter, $first: Int, $after: String) {
    s: suggestions(filter: $f, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { id title state serialNumber }
    }
}";

// ---------------------------------------------------------------------------------------------------------
// The people and places of the demo data.

/// Creates an account as the admin and logs it in.
async fn account(app: &TestApp, c: &Cast, input: Value) -> String {
    let res = app
        .gql(
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
            json!({ "i": input }),
            Some(&c.admin),
        )
        .await;
    res.data();
    let phone = input["phone"].as_str().unwrap_or_else(|| panic!("no phone in {input}"));
    let token = app.login_with(phone, PASSWORD).await.access;
    assert!(!token.is_empty(), "{phone} could not log in");
    token
}

/// A staff account of the handling unit `unit_id`.
async fn unit_account(app: &TestApp, c: &Cast, unit_id: &str, phone: &str, name: &str) -> String {
    let input = json!({ "phone": phone, "name": name, "password": PASSWORD, "role": "UNIT_STAFF", "unitId": unit_id });
    account(app, c, input).await
}

/// An account for the deputy profile `deputy_id`.
async fn deputy_account(app: &TestApp, c: &Cast, deputy_id: &str, phone: &str, name: &str) -> String {
    let input = json!({ "phone": phone, "name": name, "password": PASSWORD, "role": "DEPUTY", "deputyId": deputy_id });
    account(app, c, input).await
}

/// A second congress (county level); returns its ID.
async fn county(app: &TestApp, c: &Cast) -> String {
    let res = app
        .gql(
            "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(&c.admin),
        )
        .await;
    str_of(&res.data()["createCongress"]["id"]).to_owned()
}

/// Staff of a second congress.
async fn county_staff(app: &TestApp, c: &Cast) -> String {
    let congress = county(app, c).await;
    let input = json!({
        "phone": "13900000190", "name": "县人大代表工委", "password": PASSWORD,
        "role": "CONGRESS_STAFF", "congressId": congress,
    });
    account(app, c, input).await
}

// ---------------------------------------------------------------------------------------------------------
// Calling the API.

fn int_of(value: &Value) -> i64 {
    value.as_i64().unwrap_or_else(|| panic!("not an integer: {value}"))
}

fn len_of(value: &Value) -> usize {
    value.as_array().unwrap_or_else(|| panic!("not a list: {value}")).len()
}

/// The GraphQL type of each mutation argument.
fn arg_type(op: &str, arg: &str) -> &'static str {
    match (op, arg) {
        (_, "id" | "deputyId") => "ID!",
        (_, "unitId") => "ID",
        (_, "idempotencyKey") => "String",
        (_, "accept" | "approve" | "done") => "Boolean!",
        ("resolveExtension", "reason") | ("superviseSuggestion", "note") => "String",
        (_, "reason" | "text" | "note" | "supervisor") => "String!",
        (_, "dueAt") => "DateTime!",
        (_, "satisfaction") => "Satisfaction!",
        ("createSuggestion", "input") => "NewSuggestionInput!",
        ("editSuggestionDraft", "input") => "DraftInput!",
        ("assignSuggestion" | "approveReassignment", "input") => "AssignmentInput!",
        ("recordContact", "input") => "ContactInput!",
        ("answerSuggestion", "input") => "AnswerInput!",
        ("rateAnswer", "input") => "RatingInput!",
        _ => panic!("unknown argument {arg} of {op}"),
    }
}

/// Runs the suggestion mutation `op` with `vars` as its arguments; the suggestion is at `data.s`.
async fn call(app: &TestApp, token: Option<&str>, op: &str, vars: Value) -> Gql {
    let args = vars.as_object().unwrap_or_else(|| panic!("arguments are an object: {vars}"));
    let signature: Vec<String> = args.keys().map(|k| format!("${k}: {}", arg_type(op, k))).collect();
    let passed: Vec<String> = args.keys().map(|k| format!("{k}: ${k}")).collect();
    let query =
        format!("mutation({}) {{ s: {op}({}) {{ {FIELDS} }} }}", signature.join(", "), passed.join(", "));
    app.gql(&query, vars, token).await
}

/// Runs `op`, which must succeed; returns the suggestion.
async fn ok(app: &TestApp, token: &str, op: &str, vars: Value) -> Value {
    let res = call(app, Some(token), op, vars).await;
    assert!(res.body.get("errors").is_none(), "{op} failed: {}", res.body);
    res.data()["s"].clone()
}

/// Runs `op`, which must fail with `code`.
async fn refused(app: &TestApp, token: Option<&str>, op: &str, vars: Value, code: &str) -> Gql {
    let res = call(app, token, op, vars).await;
    assert!(res.body.get("errors").is_some(), "{op} should fail with {code}: {}", res.body);
    assert_eq!(res.code(), code, "{op}: {}", res.body);
    res
}

/// Runs `op`, which must fail with BAD_USER_INPUT on `field`.
async fn invalid(app: &TestApp, token: &str, op: &str, vars: Value, field: &str) {
    let res = refused(app, Some(token), op, vars, "BAD_USER_INPUT").await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "{op}: {}", res.body);
}

/// `suggestion(id)` as `token` sees it.
async fn get(app: &TestApp, token: Option<&str>, id: &str) -> Gql {
    let query = format!("query($id: ID!) {{ s: suggestion(id: $id) {{ {FIELDS} }} }}");
    app.gql(&query, json!({ "id": id }), token).await
}

/// The suggestion, which `token` must be able to see.
async fn view(app: &TestApp, token: &str, id: &str) -> Value {
    let res = get(app, Some(token), id).await;
    assert!(res.body.get("errors").is_none(), "suggestion {id} not visible: {}", res.body);
    res.data()["s"].clone()
}

async fn assert_hidden(app: &TestApp, token: &str, id: &str, who: &str) {
    let res = get(app, Some(token), id).await;
    assert!(res.body.get("errors").is_some(), "{who} should not see {id}: {}", res.body);
    assert_eq!(res.code(), "NOT_FOUND", "{who}: {}", res.body);
}

async fn version(app: &TestApp, token: &str, id: &str) -> i64 {
    int_of(&view(app, token, id).await["version"])
}

/// A page of `suggestions`.
async fn page(app: &TestApp, token: &str, filter: Value, first: i64, after: Option<&str>) -> Value {
    let res = app.gql(LIST, json!({ "f": filter, "first": first, "after": after }), Some(token)).await;
    assert!(res.body.get("errors").is_none(), "suggestions({filter}) failed: {}", res.body);
    res.data()["s"].clone()
}

/// The sorted titles of `suggestions(filter)` and its `totalCount`, checking they agree.
async fn titles(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let list = page(app, token, filter.clone(), 100, None).await;
    let mut titles: Vec<String> =
        list["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["title"]).to_owned()).collect();
    titles.sort();
    assert_eq!(int_of(&list["totalCount"]), i64::try_from(titles.len()).unwrap_or(-1), "{filter}: {list}");
    titles
}

/// The IDs in `suggestions(filter)`.
async fn listed_ids(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let list = page(app, token, filter, 100, None).await;
    list["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["id"]).to_owned()).collect()
}

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut titles: Vec<String> = titles.iter().map(|t| (*t).to_owned()).collect();
    titles.sort();
    titles
}

fn kinds(s: &Value) -> Vec<String> {
    s["timeline"].as_array().into_iter().flatten().map(|e| str_of(&e["kind"]).to_owned()).collect()
}

/// The last `n` timeline kinds.
fn last_kinds(s: &Value, n: usize) -> Vec<String> {
    let all = kinds(s);
    all[all.len().saturating_sub(n)..].to_vec()
}

fn id_of(s: &Value) -> String {
    str_of(&s["id"]).to_owned()
}

// ---------------------------------------------------------------------------------------------------------
// Inputs and common steps.

fn draft(title: &str) -> Value {
    json!({ "title": title, "content": format!("关于{title}的具体建议内容"), "category": "交通", "sessionNumber": 1 })
}

fn assignment(mode: &str, units: &[(&str, &str)]) -> Value {
    let units: Vec<Value> = units.iter().map(|(u, role)| json!({ "unitId": u, "role": role })).collect();
    json!({ "mode": mode, "units": units })
}

fn contact() -> Value {
    // A little ahead of the test's clock, so it is surely not before the assignment (the server allows
    // up to five minutes ahead).
    json!({ "method": "PHONE", "contactedAt": rfc3339(unix_now() + 2), "summary": "电话沟通办理思路" })
}

fn solved(public: bool) -> Value {
    json!({ "content": "已完成线路调整", "answerClass": "SOLVED", "signedBy": "周局长", "public": public })
}

fn satisfied() -> Value {
    json!({ "attitude": "SATISFIED", "result": "SATISFIED" })
}

async fn create(app: &TestApp, token: &str, title: &str) -> String {
    id_of(&ok(app, token, "createSuggestion", json!({ "input": draft(title) })).await)
}

/// A suggestion by 张明, submitted.
async fn proposed(app: &TestApp, c: &Cast, title: &str) -> String {
    let id = create(app, &c.zhang, title).await;
    ok(app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    id
}

/// A suggestion by 张明, submitted and assigned as `input`.
async fn assigned(app: &TestApp, c: &Cast, title: &str, input: Value) -> String {
    let id = proposed(app, c, title).await;
    ok(app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    id
}

/// A suggestion by 张明 led by 市交通运输局 alone, answered by it with `answer`.
async fn answered(app: &TestApp, c: &Cast, title: &str, answer: Value) -> String {
    let id = assigned(app, c, title, assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")])).await;
    ok(app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    ok(app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    let s = ok(app, &c.unit, "answerSuggestion", json!({ "id": id, "input": answer })).await;
    assert_eq!(s["state"], "ANSWERED");
    id
}

// ---------------------------------------------------------------------------------------------------------
// The lifecycle.

e2e!(happy_path_from_draft_to_rated_result, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;

    let s = ok(&app, &c.zhang, "createSuggestion", json!({ "input": draft("优化城区公交线路") })).await;
    let id = id_of(&s);
    assert_eq!(s["state"], "DRAFT");
    assert_eq!(s["version"], 1);
    assert_eq!(s["serialNumber"], Value::Null);
    assert_eq!(s["sessionNumber"], 1);
    assert_eq!(s["recessYear"], Value::Null);
    assert_eq!(s["leadDeputy"]["name"], "张明");
    assert_eq!(s["category"], "交通");
    assert_eq!(s["units"], json!([]));
    assert_eq!(s["dueAt"], Value::Null);

    let s = ok(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.li_id })).await;
    assert_eq!(s["coSigners"], json!([{ "status": "INVITED", "deputy": { "name": "李华" } }]));
    let s = ok(&app, &c.li, "answerCoSignInvitation", json!({ "id": id, "accept": true })).await;
    assert_eq!(s["coSigners"], json!([{ "status": "CONFIRMED", "deputy": { "name": "李华" } }]));

    let s = ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    assert_eq!(s["state"], "PROPOSED");
    assert_eq!(s["serialNumber"], "第1次会议第0001号");
    // The next suggestion of the same session gets the next number.
    let other = create(&app, &c.li, "规范共享单车停放").await;
    let o = ok(&app, &c.li, "submitSuggestion", json!({ "id": other })).await;
    assert_eq!(o["serialNumber"], "第1次会议第0002号");

    let before = unix_now();
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    let s = ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    assert_eq!(s["state"], "ASSIGNED");
    assert_eq!(s["handlingMode"], "LEAD_WITH_CO");
    assert_eq!(s["units"][0]["unit"]["name"], "市交通运输局");
    assert_eq!(s["units"][0]["role"], "LEAD");
    assert_eq!(s["units"][0]["accepted"], false);
    assert_eq!(s["units"][1]["unit"]["name"], "市教育局");
    assert_eq!(s["units"][1]["role"], "CO");
    let (assigned_at, due_at) = (secs_of(&s["assignedAt"]), secs_of(&s["dueAt"]));
    assert!(assigned_at >= before - 5 && assigned_at <= unix_now() + 5, "assignedAt {}", s["assignedAt"]);
    let months = (due_at - assigned_at) / DAY;
    assert!((89..=92).contains(&months), "default deadline is three months ahead, got {months} days");
    assert_eq!(s["isOverdue"], false);
    let days_left = int_of(&s["daysLeft"]);
    assert!((88..=92).contains(&days_left), "daysLeft {days_left}");

    let s = ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    assert_eq!(s["state"], "HANDLED");
    assert_eq!(s["units"][0]["accepted"], true);

    let s =
        ok(&app, &edu, "giveCoUnitOpinion", json!({ "id": id, "text": "建议同步优化学校周边站点" })).await;
    assert_eq!(s["units"][1]["coOpinion"]["text"], "建议同步优化学校周边站点");
    assert_eq!(s["units"][1]["coOpinion"]["late"], false);
    assert_eq!(s["state"], "HANDLED");

    let s = ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    assert_eq!(len_of(&s["contacts"]), 1);
    assert_eq!(s["contacts"][0]["unit"]["name"], "市交通运输局");
    assert_eq!(s["contacts"][0]["method"], "PHONE");
    assert_eq!(s["contacts"][0]["summary"], "电话沟通办理思路");

    let promised = date_in(60);
    let answer = json!({
        "content": "已纳入年度线网优化计划", "answerClass": "IN_PROGRESS", "promisedBy": promised,
        "signedBy": "周局长", "public": true,
    });
    let s = ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": answer })).await;
    assert_eq!(s["state"], "ANSWERED");
    let given = &s["units"][0]["answer"];
    assert_eq!(given["answerClass"], "IN_PROGRESS");
    assert_eq!(given["promisedBy"], promised.as_str());
    assert_eq!(given["public"], true);
    assert_eq!(given["signedBy"], "周局长");
    assert_eq!(s["daysLeft"], Value::Null, "no answer is owed any more");
    assert_eq!(s["isOverdue"], false);

    let s = ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": satisfied() })).await;
    assert_eq!(s["state"], "RATED");
    assert_eq!(s["units"][0]["rating"]["deputy"]["name"], "张明");
    assert_eq!(s["units"][0]["rating"]["attitude"], "SATISFIED");
    assert_eq!(s["units"][0]["rating"]["result"], "SATISFIED");

    // The co-signer adds her own rating; it is kept apart and changes nothing else.
    let input = json!({ "attitude": "BASICALLY_SATISFIED", "result": "SATISFIED" });
    let s = ok(&app, &c.li, "rateAnswer", json!({ "id": id, "input": input })).await;
    assert_eq!(s["state"], "RATED");
    assert_eq!(s["units"][0]["rating"]["deputy"]["name"], "张明");
    let co = &s["units"][0]["coSignerRatings"];
    assert_eq!(len_of(co), 1);
    assert_eq!(co[0]["deputy"]["name"], "李华");
    assert_eq!(co[0]["attitude"], "BASICALLY_SATISFIED");

    // The result can be rated once the unit reports the promise done.
    let vars = json!({ "id": id, "satisfaction": "SATISFIED" });
    refused(&app, Some(&c.zhang), "rateImplementationResult", vars.clone(), "CONFLICT").await;
    let s = ok(
        &app,
        &c.unit,
        "reportImplementation",
        json!({ "id": id, "note": "已开通两条线路", "done": false }),
    )
    .await;
    assert_eq!(s["units"][0]["implementation"], json!([{ "note": "已开通两条线路", "done": false }]));
    let s = ok(
        &app,
        &c.unit,
        "reportImplementation",
        json!({ "id": id, "note": "全部线路已开通", "done": true }),
    )
    .await;
    assert_eq!(len_of(&s["units"][0]["implementation"]), 2);
    refused(&app, Some(&c.li), "rateImplementationResult", vars.clone(), "FORBIDDEN").await;
    let s = ok(&app, &c.zhang, "rateImplementationResult", vars.clone()).await;
    assert_eq!(s["units"][0]["resultRating"], "SATISFIED");
    assert_eq!(s["state"], "RATED");

    // Every step, in order, with its states and its actor.
    let expected = [
        ("CREATED", None, "DRAFT", "张明", "DEPUTY"),
        ("CO_SIGNER_INVITED", Some("DRAFT"), "DRAFT", "张明", "DEPUTY"),
        ("CO_SIGN_ANSWERED", Some("DRAFT"), "DRAFT", "李华", "DEPUTY"),
        ("SUBMITTED", Some("DRAFT"), "PROPOSED", "张明", "DEPUTY"),
        ("ASSIGNED", Some("PROPOSED"), "ASSIGNED", "代表工委刘老师", "CONGRESS_STAFF"),
        ("ACCEPTED", Some("ASSIGNED"), "HANDLED", "交通局周科长", "UNIT_STAFF"),
        ("CO_OPINION_GIVEN", Some("HANDLED"), "HANDLED", "教育局王科员", "UNIT_STAFF"),
        ("CONTACT_RECORDED", Some("HANDLED"), "HANDLED", "交通局周科长", "UNIT_STAFF"),
        ("ANSWERED", Some("HANDLED"), "ANSWERED", "交通局周科长", "UNIT_STAFF"),
        ("RATED", Some("ANSWERED"), "RATED", "张明", "DEPUTY"),
        ("RATED", Some("RATED"), "RATED", "李华", "DEPUTY"),
        ("IMPLEMENTATION_REPORTED", Some("RATED"), "RATED", "交通局周科长", "UNIT_STAFF"),
        ("IMPLEMENTATION_REPORTED", Some("RATED"), "RATED", "交通局周科长", "UNIT_STAFF"),
        ("RESULT_RATED", Some("RATED"), "RATED", "张明", "DEPUTY"),
    ];
    let timeline = s["timeline"].as_array().cloned().unwrap_or_default();
    assert_eq!(timeline.len(), expected.len(), "timeline: {}", s["timeline"]);
    for (event, (kind, from, to, actor, role)) in timeline.iter().zip(expected) {
        assert_eq!(event["kind"], kind, "{event}");
        assert_eq!(event["fromState"], from.map_or(Value::Null, |f| json!(f)), "{event}");
        assert_eq!(event["toState"], to, "{event}");
        assert_eq!(event["actor"]["name"], actor, "{event}");
        assert_eq!(event["actorRole"], role, "{event}");
    }
    assert_eq!(timeline[6]["note"], "建议同步优化学校周边站点");
    assert_eq!(timeline[7]["note"], "电话沟通办理思路");
    assert_eq!(s["version"], json!(expected.len()), "one version per event");

    // A read shows exactly what the last change returned.
    assert_eq!(view(&app, &c.zhang, &id).await, s);
});

e2e!(return_for_revision_resubmit_and_withdraw, |app| {
    let c = Cast::of(&app).await;
    let id = proposed(&app, &c, "加强校车安全管理").await;
    let v = version(&app, &c.zhang, &id).await;

    for reason in ["", "   "] {
        invalid(
            &app,
            &c.staff,
            "returnSuggestionForRevision",
            json!({ "id": id, "reason": reason }),
            "reason",
        )
        .await;
    }
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    let vars = json!({ "id": id, "reason": "请补充调研数据" });
    let s = ok(&app, &c.staff, "returnSuggestionForRevision", vars).await;
    assert_eq!(s["state"], "DRAFT");
    assert_eq!(s["revisionReason"], "请补充调研数据");

    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["revisionReason"], "请补充调研数据", "the deputy sees why");
    assert_eq!(s["serialNumber"], "第1次会议第0001号");

    let input = json!({ "title": "加强校车安全管理（修改稿）", "content": "补充了三所学校的调研数据", "category": "教育" });
    let s = ok(&app, &c.zhang, "editSuggestionDraft", json!({ "id": id, "input": input })).await;
    assert_eq!(s["title"], "加强校车安全管理（修改稿）");
    assert_eq!(s["content"], "补充了三所学校的调研数据");
    assert_eq!(s["category"], "教育");

    let s = ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    assert_eq!(s["state"], "PROPOSED");
    assert_eq!(s["serialNumber"], "第1次会议第0001号", "a resubmission keeps its number");
    assert_eq!(kinds(&s), ["CREATED", "SUBMITTED", "RETURNED_FOR_REVISION", "DRAFT_EDITED", "SUBMITTED"]);
    let returned = &s["timeline"][2];
    assert_eq!(returned["fromState"], "PROPOSED");
    assert_eq!(returned["toState"], "DRAFT");
    assert_eq!(returned["note"], "请补充调研数据");
    assert_eq!(returned["actor"]["name"], "代表工委刘老师");

    // The resubmission used no number: the next suggestion gets 0002.
    let second = proposed(&app, &c, "增设公交专用道").await;
    assert_eq!(view(&app, &c.zhang, &second).await["serialNumber"], "第1次会议第0002号");

    // Withdrawing a draft, then a proposed suggestion.
    let draft_id = create(&app, &c.zhang, "撤回的草稿").await;
    let s = ok(&app, &c.zhang, "withdrawSuggestion", json!({ "id": draft_id })).await;
    assert_eq!(s["state"], "WITHDRAWN");
    assert_eq!(s["serialNumber"], Value::Null);
    refused(&app, Some(&c.zhang), "submitSuggestion", json!({ "id": draft_id }), "CONFLICT").await;
    refused(&app, Some(&c.zhang), "withdrawSuggestion", json!({ "id": draft_id }), "CONFLICT").await;

    let s = ok(&app, &c.zhang, "withdrawSuggestion", json!({ "id": second })).await;
    assert_eq!(s["state"], "WITHDRAWN");
    assert_eq!(s["serialNumber"], "第1次会议第0002号");
    assert_eq!(last_kinds(&s, 1), ["WITHDRAWN"]);
    assert_eq!(s["timeline"][2]["fromState"], "PROPOSED");

    // Once assigned it can no longer be withdrawn, nor sent back.
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    let v = version(&app, &c.zhang, &id).await;
    refused(&app, Some(&c.zhang), "withdrawSuggestion", json!({ "id": id }), "CONFLICT").await;
    let vars = json!({ "id": id, "reason": "再改改" });
    refused(&app, Some(&c.staff), "returnSuggestionForRevision", vars, "CONFLICT").await;
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["state"], "ASSIGNED");
    assert_eq!(int_of(&s["version"]), v);
});

e2e!(refusals_by_person_are_forbidden_and_change_nothing, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let health = unit_account(&app, &c, &c.health, "13900000102", "卫健委赵科员").await;
    let other_staff = county_staff(&app, &c).await;

    // Only deputies write suggestions.
    for (who, token) in [("unit", &c.unit), ("citizen", &c.citizen), ("staff", &c.staff), ("admin", &c.admin)]
    {
        let res =
            call(&app, Some(token), "createSuggestion", json!({ "input": draft("不该有的建议") })).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
    }
    refused(&app, None, "createSuggestion", json!({ "input": draft("匿名建议") }), "UNAUTHENTICATED").await;
    assert_eq!(titles(&app, &c.admin, json!({})).await, Vec::<String>::new());

    let id = create(&app, &c.zhang, "治理噪声扰民").await;
    let edit = json!({ "id": id, "input": { "title": "改标题", "content": "改内容", "category": "环境" } });
    let v = version(&app, &c.zhang, &id).await;
    refused(&app, Some(&c.li), "editSuggestionDraft", edit.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.li), "submitSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    refused(&app, Some(&c.li), "withdrawSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    let invite = json!({ "id": id, "deputyId": c.wang_id });
    refused(&app, Some(&c.li), "inviteCoSigner", invite, "FORBIDDEN").await;
    refused(&app, Some(&c.li), "answerCoSignInvitation", json!({ "id": id, "accept": true }), "FORBIDDEN")
        .await;
    // Even an invited co-signer does not edit the lead deputy's draft.
    ok(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.li_id })).await;
    refused(&app, Some(&c.li), "editSuggestionDraft", edit, "FORBIDDEN").await;
    refused(&app, None, "submitSuggestion", json!({ "id": id }), "UNAUTHENTICATED").await;
    let v = v + 1;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    let v = v + 1;
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    let assign = json!({ "id": id, "input": input });
    refused(&app, Some(&c.zhang), "assignSuggestion", assign.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.unit), "assignSuggestion", assign.clone(), "FORBIDDEN").await;
    refused(&app, Some(&other_staff), "assignSuggestion", assign.clone(), "FORBIDDEN").await;
    refused(&app, None, "assignSuggestion", assign.clone(), "UNAUTHENTICATED").await;
    let vars = json!({ "id": id, "reason": "不合格" });
    refused(&app, Some(&other_staff), "returnSuggestionForRevision", vars, "FORBIDDEN").await;
    // Before assignment no unit is a party to it.
    refused(&app, Some(&c.unit), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &c.staff, "assignSuggestion", assign).await;
    let v = v + 1;
    let answer = json!({ "id": id, "input": solved(true) });
    refused(&app, Some(&c.staff), "answerSuggestion", answer.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.admin), "answerSuggestion", answer.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.zhang), "answerSuggestion", answer.clone(), "FORBIDDEN").await;
    refused(&app, Some(&edu), "answerSuggestion", answer.clone(), "FORBIDDEN").await;
    refused(&app, Some(&edu), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    refused(&app, Some(&health), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    refused(&app, Some(&c.zhang), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    refused(&app, Some(&c.citizen), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    refused(&app, None, "acceptSuggestion", json!({ "id": id }), "UNAUTHENTICATED").await;
    let vars = json!({ "id": id, "input": contact() });
    refused(&app, Some(&edu), "recordContact", vars.clone(), "FORBIDDEN").await;
    refused(&app, Some(&health), "recordContact", vars, "FORBIDDEN").await;
    let vars = json!({ "id": id, "reason": "不归我们管" });
    refused(&app, Some(&health), "requestReassignment", vars, "FORBIDDEN").await;
    let vars = json!({ "id": id, "supervisor": "常委会副主任" });
    refused(&app, Some(&other_staff), "superviseSuggestion", vars, "FORBIDDEN").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    let v = v + 2;
    // The lead unit gives the answer; the co-unit gives an opinion, not the other way round.
    let opinion = json!({ "id": id, "text": "我们的意见" });
    refused(&app, Some(&c.unit), "giveCoUnitOpinion", opinion.clone(), "FORBIDDEN").await;
    refused(&app, Some(&health), "giveCoUnitOpinion", opinion, "FORBIDDEN").await;
    refused(&app, Some(&edu), "answerSuggestion", answer.clone(), "FORBIDDEN").await;
    ok(&app, &c.unit, "answerSuggestion", answer).await;
    let v = v + 1;
    // Only the lead deputy and confirmed co-signers rate; 李华 never answered her invitation.
    let rate = json!({ "id": id, "input": satisfied() });
    for (who, token) in [("invited", &c.li), ("staff", &c.staff), ("unit", &c.unit), ("citizen", &c.citizen)]
    {
        let res = call(&app, Some(token), "rateAnswer", rate.clone()).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
    }
    assert_eq!(version(&app, &c.zhang, &id).await, v);
    assert_eq!(view(&app, &c.zhang, &id).await["state"], "ANSWERED");
});

e2e!(refusals_by_state_are_conflicts, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let id = create(&app, &c.zhang, "完善社区养老服务").await;
    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    let v = version(&app, &c.zhang, &id).await;

    refused(&app, Some(&c.zhang), "submitSuggestion", json!({ "id": id }), "CONFLICT").await;
    let edit = json!({ "id": id, "input": { "title": "改", "content": "改", "category": "改" } });
    refused(&app, Some(&c.zhang), "editSuggestionDraft", edit, "CONFLICT").await;
    refused(&app, Some(&c.zhang), "inviteCoSigner", json!({ "id": id, "deputyId": c.li_id }), "CONFLICT")
        .await;
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": satisfied() }), "CONFLICT").await;
    // Accepting before assignment is refused for the person, not the state: until assigned, no unit is a
    // party to the suggestion (decide.rs checks the person first).
    refused(&app, Some(&c.unit), "acceptSuggestion", json!({ "id": id }), "FORBIDDEN").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input.clone() })).await;
    let v = v + 1;
    refused(&app, Some(&c.staff), "assignSuggestion", json!({ "id": id, "input": input }), "CONFLICT").await;
    refused(&app, Some(&c.unit), "answerSuggestion", json!({ "id": id, "input": solved(true) }), "CONFLICT")
        .await;
    refused(&app, Some(&c.unit), "recordContact", json!({ "id": id, "input": contact() }), "CONFLICT").await;
    let opinion = json!({ "id": id, "text": "意见" });
    refused(&app, Some(&edu), "giveCoUnitOpinion", opinion.clone(), "CONFLICT").await;
    refused(&app, Some(&c.zhang), "withdrawSuggestion", json!({ "id": id }), "CONFLICT").await;
    refused(&app, Some(&c.staff), "rejectReassignment", json!({ "id": id, "reason": "无" }), "CONFLICT")
        .await;
    refused(&app, Some(&c.staff), "resolveExtension", json!({ "id": id, "approve": true }), "CONFLICT").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    let v = v + 1;
    refused(&app, Some(&c.unit), "acceptSuggestion", json!({ "id": id }), "CONFLICT").await;
    // No answer without a recorded contact with the deputy.
    refused(&app, Some(&c.unit), "answerSuggestion", json!({ "id": id, "input": solved(true) }), "CONFLICT")
        .await;
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": satisfied() }), "CONFLICT").await;
    let report = json!({ "id": id, "note": "进展", "done": false });
    refused(&app, Some(&c.unit), "reportImplementation", report.clone(), "CONFLICT").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &edu, "giveCoUnitOpinion", opinion.clone()).await;
    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": solved(true) })).await;
    let v = v + 3;
    refused(&app, Some(&c.unit), "answerSuggestion", json!({ "id": id, "input": solved(true) }), "CONFLICT")
        .await;
    refused(&app, Some(&edu), "giveCoUnitOpinion", opinion, "CONFLICT").await;
    refused(&app, Some(&c.unit), "recordContact", json!({ "id": id, "input": contact() }), "CONFLICT").await;
    // Implementation is reported on IN_PROGRESS (B) answers only.
    refused(&app, Some(&c.unit), "reportImplementation", report, "CONFLICT").await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": satisfied() })).await;
    let v = v + 1;
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": satisfied() }), "CONFLICT").await;
    let dissatisfied = json!({ "attitude": "DISSATISFIED", "result": "DISSATISFIED", "comment": "改主意了" });
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": dissatisfied }), "CONFLICT").await;
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(int_of(&s["version"]), v);
    assert_eq!(s["state"], "RATED");
    assert_eq!(s["units"][0]["rating"]["result"], "SATISFIED");
});

e2e!(invalid_input_is_refused_with_the_field, |app| {
    let c = Cast::of(&app).await;
    let new = |input: Value| json!({ "input": input });
    let create_op = "createSuggestion";

    let mut input = draft("x");
    input["title"] = json!("题".repeat(101));
    invalid(&app, &c.zhang, create_op, new(input.clone()), "title").await;
    input["title"] = json!("题".repeat(100));
    ok(&app, &c.zhang, create_op, new(input)).await;
    for content in ["", "  "] {
        let mut input = draft("空内容");
        input["content"] = json!(content);
        invalid(&app, &c.zhang, create_op, new(input), "content").await;
    }
    let mut input = draft("分类太长");
    input["category"] = json!("类".repeat(31));
    invalid(&app, &c.zhang, create_op, new(input), "category").await;
    let mut input = draft("两个时间");
    input["recessYear"] = json!(2026);
    invalid(&app, &c.zhang, create_op, new(input.clone()), "sessionNumber").await;
    input["sessionNumber"] = Value::Null;
    input["recessYear"] = Value::Null;
    invalid(&app, &c.zhang, create_op, new(input.clone()), "sessionNumber").await;
    input["sessionNumber"] = json!(0);
    invalid(&app, &c.zhang, create_op, new(input.clone()), "sessionNumber").await;
    input["sessionNumber"] = Value::Null;
    input["recessYear"] = json!(1999);
    invalid(&app, &c.zhang, create_op, new(input.clone()), "recessYear").await;
    // A recess suggestion is numbered in its year.
    input["recessYear"] = json!(2026);
    let recess = ok(&app, &c.zhang, create_op, new(input)).await;
    assert_eq!(recess["recessYear"], 2026);
    assert_eq!(recess["sessionNumber"], Value::Null);
    let s = ok(&app, &c.zhang, "submitSuggestion", json!({ "id": recess["id"] })).await;
    assert_eq!(s["serialNumber"], "2026年闭会期间第0001号");

    let id = create(&app, &c.zhang, "校验用建议").await;
    let edit = json!({ "id": id, "input": { "title": " ", "content": "内容", "category": "交通" } });
    invalid(&app, &c.zhang, "editSuggestionDraft", edit, "title").await;
    invalid(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.zhang_id }), "deputyId").await;
    invalid(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.transport }), "deputyId").await;
    // A deputy of another congress cannot co-sign.
    let congress = county(&app, &c).await;
    let res = app
        .gql(
            "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
            json!({ "c": congress, "i": {
                "name": "县代表", "gender": "MALE", "occupation": "OTHER", "industry": "农业",
                "expertise": ["农业"], "phone": "13800000009",
            } }),
            Some(&c.admin),
        )
        .await;
    let stranger = str_of(&res.data()["createDeputy"]["id"]).to_owned();
    invalid(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": stranger }), "deputyId").await;
    let res = app
        .gql(
            "mutation($c: ID!, $i: NamedInput!) { createHandlingUnit(congressId: $c, input: $i) { id } }",
            json!({ "c": congress, "i": { "name": "县交通局" } }),
            Some(&c.admin),
        )
        .await;
    let county_unit = str_of(&res.data()["createHandlingUnit"]["id"]).to_owned();
    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    let v = version(&app, &c.zhang, &id).await;

    let assign = |input: Value| json!({ "id": id, "input": input });
    let (t, e) = (c.transport.as_str(), c.education.as_str());
    let mut input = assignment("LEAD_WITH_CO", &[(t, "LEAD")]);
    input["dueAt"] = json!(rfc3339(unix_now() - DAY));
    invalid(&app, &c.staff, "assignSuggestion", assign(input.clone()), "dueAt").await;
    input["dueAt"] = json!(rfc3339(unix_now() + 200 * DAY));
    invalid(&app, &c.staff, "assignSuggestion", assign(input), "dueAt").await;
    let bad_units = [
        assignment("LEAD_WITH_CO", &[(t, "LEAD"), (e, "LEAD")]),
        assignment("LEAD_WITH_CO", &[(t, "CO")]),
        assignment("LEAD_WITH_CO", &[]),
        assignment("LEAD_WITH_CO", &[(t, "LEAD"), (t, "CO")]),
        assignment("PARALLEL", &[(t, "LEAD")]),
        assignment("PARALLEL", &[(t, "LEAD"), (e, "CO")]),
        assignment("LEAD_WITH_CO", &[(&c.li_id, "LEAD")]),
        assignment("LEAD_WITH_CO", &[(t, "LEAD"), ("not-an-id", "CO")]),
        assignment("LEAD_WITH_CO", &[(&county_unit, "LEAD")]),
    ];
    for input in bad_units {
        invalid(&app, &c.staff, "assignSuggestion", assign(input), "units").await;
    }
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    let due = unix_now() + 30 * DAY;
    let mut input = assignment("LEAD_WITH_CO", &[(t, "LEAD"), (e, "CO")]);
    input["dueAt"] = json!(rfc3339(due));
    let s = ok(&app, &c.staff, "assignSuggestion", assign(input)).await;
    assert_eq!(secs_of(&s["dueAt"]), due);
    let days_left = int_of(&s["daysLeft"]);
    assert!((29..=30).contains(&days_left), "daysLeft {days_left}");
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;

    let with_contact = |input: Value| json!({ "id": id, "input": input });
    let mut input = contact();
    input["contactedAt"] = json!(rfc3339(unix_now() + DAY));
    invalid(&app, &c.unit, "recordContact", with_contact(input.clone()), "contactedAt").await;
    input["contactedAt"] = json!(rfc3339(unix_now() - DAY));
    invalid(&app, &c.unit, "recordContact", with_contact(input.clone()), "contactedAt").await;
    input["contactedAt"] = json!(rfc3339(unix_now() + 2));
    input["summary"] = json!(" ");
    invalid(&app, &c.unit, "recordContact", with_contact(input), "summary").await;
    ok(&app, &c.unit, "recordContact", with_contact(contact())).await;

    let answer = |fields: Value| {
        let mut input = solved(true);
        for (k, v) in fields.as_object().into_iter().flatten() {
            input[k] = v.clone();
        }
        json!({ "id": id, "input": input })
    };
    let op = "answerSuggestion";
    invalid(&app, &c.unit, op, answer(json!({ "answerClass": "IN_PROGRESS" })), "promisedBy").await;
    let past = json!({ "answerClass": "IN_PROGRESS", "promisedBy": date_in(-2) });
    invalid(&app, &c.unit, op, answer(past), "promisedBy").await;
    invalid(&app, &c.unit, op, answer(json!({ "answerClass": "DEFERRED" })), "reasons").await;
    invalid(&app, &c.unit, op, answer(json!({ "answerClass": "FOR_REFERENCE", "reasons": " " })), "reasons")
        .await;
    invalid(&app, &c.unit, op, answer(json!({ "content": "" })), "content").await;
    invalid(&app, &c.unit, op, answer(json!({ "signedBy": "" })), "signedBy").await;
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["state"], "HANDLED");
    assert_eq!(s["units"][0]["answer"], Value::Null);
    ok(&app, &c.unit, op, answer(json!({}))).await;

    let rate = |input: Value| json!({ "id": id, "input": input });
    let op = "rateAnswer";
    invalid(
        &app,
        &c.zhang,
        op,
        rate(json!({ "attitude": "SATISFIED", "result": "DISSATISFIED" })),
        "comment",
    )
    .await;
    let blank = json!({ "attitude": "DISSATISFIED", "result": "SATISFIED", "comment": "  " });
    invalid(&app, &c.zhang, op, rate(blank), "comment").await;
    let co_unit = json!({ "attitude": "SATISFIED", "result": "SATISFIED", "unitId": c.education });
    invalid(&app, &c.zhang, op, rate(co_unit), "unitId").await;
    let not_unit = json!({ "attitude": "SATISFIED", "result": "SATISFIED", "unitId": c.li_id });
    invalid(&app, &c.zhang, op, rate(not_unit), "unitId").await;
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["state"], "ANSWERED");
    assert_eq!(s["units"][0]["rating"], Value::Null);
    let named = json!({ "attitude": "SATISFIED", "result": "BASICALLY_SATISFIED", "unitId": c.transport });
    let s = ok(&app, &c.zhang, op, rate(named)).await;
    assert_eq!(s["units"][0]["rating"]["result"], "BASICALLY_SATISFIED");
});

e2e!(dissatisfied_rating_reopens_once_then_flags_for_staff, |app| {
    let c = Cast::of(&app).await;
    let id = create(&app, &c.zhang, "解决早高峰拥堵").await;
    ok(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.li_id })).await;
    ok(&app, &c.li, "answerCoSignInvitation", json!({ "id": id, "accept": true })).await;
    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    let mut input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")]);
    input["dueAt"] = json!(rfc3339(unix_now() + 10 * DAY));
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    let first = json!({ "content": "第一次答复：正在研究", "answerClass": "SOLVED", "signedBy": "周局长", "public": true });
    ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": first })).await;
    ok(&app, &c.li, "rateAnswer", json!({ "id": id, "input": satisfied() })).await;

    let dissatisfied =
        json!({ "attitude": "SATISFIED", "result": "DISSATISFIED", "comment": "问题没有解决" });
    let s = ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": dissatisfied.clone() })).await;
    assert_eq!(s["state"], "HANDLED", "the unit's part re-opens");
    let part = &s["units"][0];
    assert_eq!(part["rehandleCount"], 1);
    assert_eq!(part["answer"], Value::Null);
    assert_eq!(part["rating"], Value::Null);
    assert_eq!(part["coSignerRatings"], json!([]));
    assert_eq!(part["accepted"], true);
    assert_eq!(
        part["earlierAnswers"],
        json!([{ "content": "第一次答复：正在研究", "answerClass": "SOLVED" }])
    );
    let due = secs_of(&s["dueAt"]);
    let now = unix_now();
    assert!(
        due >= now + 30 * DAY - 120 && due <= now + 30 * DAY + 120,
        "re-handling gets 30 days: {}",
        s["dueAt"]
    );
    assert_eq!(s["isOverdue"], false);
    assert_eq!(s["flaggedForStaff"], false);
    assert_eq!(last_kinds(&s, 2), ["RATED", "REHANDLING"]);
    let tail = &s["timeline"].as_array().cloned().unwrap_or_default()[kinds(&s).len() - 2..];
    assert_eq!((&tail[0]["fromState"], &tail[0]["toState"]), (&json!("ANSWERED"), &json!("RATED")));
    assert_eq!(tail[0]["note"], "问题没有解决");
    assert_eq!((&tail[1]["fromState"], &tail[1]["toState"]), (&json!("RATED"), &json!("HANDLED")));

    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": satisfied() }), "CONFLICT").await;
    let second =
        json!({ "content": "第二次答复：已调整信号配时", "answerClass": "SOLVED", "signedBy": "周局长" });
    let s = ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": second })).await;
    assert_eq!(s["state"], "ANSWERED");
    assert_eq!(s["units"][0]["answer"]["content"], "第二次答复：已调整信号配时");
    assert_eq!(len_of(&s["units"][0]["earlierAnswers"]), 1);

    let s = ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": dissatisfied })).await;
    assert_eq!(s["state"], "RATED", "only one re-handling");
    assert_eq!(s["flaggedForStaff"], true);
    assert_eq!(s["units"][0]["rehandleCount"], 1);
    assert_eq!(s["units"][0]["rating"]["result"], "DISSATISFIED");
    assert_eq!(s["units"][0]["answer"]["content"], "第二次答复：已调整信号配时");
    assert_eq!(last_kinds(&s, 2), ["RATED", "FLAGGED"]);
    assert_eq!(view(&app, &c.staff, &id).await["flaggedForStaff"], true);
});

e2e!(parallel_units_each_answer_and_are_rated_apart, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let id = proposed(&app, &c, "学生交通安全教育").await;
    let input = assignment("PARALLEL", &[(&c.transport, "LEAD"), (&c.education, "LEAD")]);
    let s = ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    assert_eq!(s["handlingMode"], "PARALLEL");
    assert_eq!(s["units"][0]["role"], "LEAD");
    assert_eq!(s["units"][1]["role"], "LEAD");
    // In PARALLEL mode there is no single lead unit to filter on.
    let led = titles(&app, &c.staff, json!({ "leadUnitId": c.transport })).await;
    assert_eq!(led, Vec::<String>::new());

    let s = ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    assert_eq!(s["state"], "HANDLED");
    assert_eq!(s["units"][1]["accepted"], false);
    refused(&app, Some(&edu), "answerSuggestion", json!({ "id": id, "input": solved(true) }), "CONFLICT")
        .await;

    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    let s = ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": solved(true) })).await;
    assert_eq!(s["state"], "HANDLED", "the other unit still owes its answer");
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": satisfied() }), "CONFLICT").await;

    ok(&app, &edu, "acceptSuggestion", json!({ "id": id })).await;
    // Each unit needs its own contact with the deputy.
    let deferred = json!({
        "content": "纳入明年计划", "answerClass": "DEFERRED", "reasons": "今年经费已用完", "signedBy": "钱局长",
    });
    refused(&app, Some(&edu), "answerSuggestion", json!({ "id": id, "input": deferred.clone() }), "CONFLICT")
        .await;
    ok(&app, &edu, "recordContact", json!({ "id": id, "input": contact() })).await;
    let s = ok(&app, &edu, "answerSuggestion", json!({ "id": id, "input": deferred })).await;
    assert_eq!(s["state"], "ANSWERED");
    assert_eq!(s["units"][1]["answer"]["answerClass"], "DEFERRED");
    assert_eq!(s["units"][1]["answer"]["reasons"], "今年经费已用完");
    assert_eq!(len_of(&s["contacts"]), 2);

    invalid(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": satisfied() }), "unitId").await;
    let mut rating = satisfied();
    rating["unitId"] = json!(c.transport);
    let s = ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": rating.clone() })).await;
    assert_eq!(s["state"], "ANSWERED", "one answer is still unrated");
    assert_eq!(s["units"][0]["rating"]["result"], "SATISFIED");
    assert_eq!(s["units"][1]["rating"], Value::Null);
    refused(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": rating }), "CONFLICT").await;

    let rating = json!({ "attitude": "SATISFIED", "result": "BASICALLY_SATISFIED", "unitId": c.education });
    let s = ok(&app, &c.zhang, "rateAnswer", json!({ "id": id, "input": rating })).await;
    assert_eq!(s["state"], "RATED");
    assert_eq!(s["units"][1]["rating"]["result"], "BASICALLY_SATISFIED");
    assert_eq!(s["units"][0]["rating"]["result"], "SATISFIED");
});

e2e!(reassignment_is_requested_then_approved_or_rejected, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let health = unit_account(&app, &c, &c.health, "13900000102", "卫健委赵科员").await;
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    let id = assigned(&app, &c, "医院周边停车", input).await;
    assert!(listed_ids(&app, &edu, json!({})).await.contains(&id));

    invalid(&app, &edu, "requestReassignment", json!({ "id": id, "reason": "" }), "reason").await;
    let s = ok(&app, &edu, "requestReassignment", json!({ "id": id, "reason": "不属于本单位职责" })).await;
    assert_eq!(s["state"], "ASSIGNED");
    let pending = &s["pendingReassignment"];
    assert_eq!(pending["unit"]["name"], "市教育局");
    assert_eq!(pending["reason"], "不属于本单位职责");
    assert_eq!(pending["dueAt"], Value::Null);
    let vars = json!({ "id": id, "reason": "我们也想改办" });
    refused(&app, Some(&c.unit), "requestReassignment", vars, "CONFLICT").await;

    let new_units = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.health, "CO")]);
    let approve = json!({ "id": id, "input": new_units });
    refused(&app, Some(&c.zhang), "approveReassignment", approve.clone(), "FORBIDDEN").await;
    refused(&app, Some(&edu), "approveReassignment", approve.clone(), "FORBIDDEN").await;
    let s = ok(&app, &c.staff, "approveReassignment", approve.clone()).await;
    assert_eq!(s["state"], "ASSIGNED");
    assert_eq!(s["pendingReassignment"], Value::Null);
    assert_eq!(s["units"][0]["unit"]["name"], "市交通运输局");
    assert_eq!(s["units"][1]["unit"]["name"], "市卫生健康委员会");
    assert_eq!(len_of(&s["units"]), 2);
    assert_eq!(last_kinds(&s, 2), ["REASSIGNMENT_REQUESTED", "ASSIGNED"]);
    assert_eq!(s["timeline"][kinds(&s).len() - 2]["note"], "不属于本单位职责");

    // The relieved unit loses the suggestion; the new one has it.
    assert_hidden(&app, &edu, &id, "the relieved unit").await;
    assert!(!listed_ids(&app, &edu, json!({})).await.contains(&id));
    refused(&app, Some(&edu), "giveCoUnitOpinion", json!({ "id": id, "text": "意见" }), "FORBIDDEN").await;
    assert_eq!(view(&app, &health, &id).await["units"][1]["role"], "CO");
    assert!(listed_ids(&app, &health, json!({})).await.contains(&id));

    refused(&app, Some(&c.staff), "approveReassignment", approve, "CONFLICT").await;
    refused(&app, Some(&c.staff), "rejectReassignment", json!({ "id": id, "reason": "无" }), "CONFLICT")
        .await;
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    let vars = json!({ "id": id, "reason": "接了又想改办" });
    refused(&app, Some(&c.unit), "requestReassignment", vars, "CONFLICT").await;

    // The reject path.
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")]);
    let other = assigned(&app, &c, "地铁站接驳公交", input).await;
    ok(&app, &c.unit, "requestReassignment", json!({ "id": other, "reason": "应由轨道集团办理" })).await;
    invalid(&app, &c.staff, "rejectReassignment", json!({ "id": other, "reason": " " }), "reason").await;
    let vars = json!({ "id": other, "reason": "职责明确，请继续办理" });
    let s = ok(&app, &c.staff, "rejectReassignment", vars).await;
    assert_eq!(s["pendingReassignment"], Value::Null);
    assert_eq!(s["state"], "ASSIGNED");
    assert_eq!(s["units"][0]["unit"]["name"], "市交通运输局");
    assert_eq!(last_kinds(&s, 1), ["REASSIGNMENT_REJECTED"]);
    let last = &s["timeline"][kinds(&s).len() - 1];
    assert_eq!(last["note"], "职责明确，请继续办理");
    assert_eq!(last["actor"]["name"], "代表工委刘老师");
    assert_eq!(view(&app, &c.unit, &other).await["state"], "ASSIGNED");
});

e2e!(extension_is_requested_then_approved_or_rejected, |app| {
    let c = Cast::of(&app).await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    let id = assigned(&app, &c, "建设慢行系统", input).await;
    let original = view(&app, &c.zhang, &id).await["dueAt"].clone();
    let ask = |due: i64, reason: &str| json!({ "id": id, "dueAt": rfc3339(due), "reason": reason });

    let now = unix_now();
    invalid(&app, &c.unit, "requestExtension", ask(now + 200 * DAY, "需要更多时间"), "dueAt").await;
    invalid(&app, &c.unit, "requestExtension", ask(now + 30 * DAY, "需要更多时间"), "dueAt").await;
    invalid(&app, &c.unit, "requestExtension", ask(now + 150 * DAY, ""), "reason").await;
    refused(&app, Some(&edu), "requestExtension", ask(now + 150 * DAY, "协办也想延期"), "FORBIDDEN").await;
    refused(&app, Some(&c.zhang), "requestExtension", ask(now + 150 * DAY, "代表替办"), "FORBIDDEN").await;

    let wanted = now + 150 * DAY;
    let s = ok(&app, &c.unit, "requestExtension", ask(wanted, "涉及多部门协调")).await;
    assert_eq!(secs_of(&s["pendingExtension"]["dueAt"]), wanted);
    assert_eq!(s["pendingExtension"]["reason"], "涉及多部门协调");
    assert_eq!(s["pendingExtension"]["unit"]["name"], "市交通运输局");
    assert_eq!(s["dueAt"], original, "the deadline holds until staff approve");
    refused(&app, Some(&c.unit), "requestExtension", ask(wanted + DAY, "再延一点"), "CONFLICT").await;

    invalid(&app, &c.staff, "resolveExtension", json!({ "id": id, "approve": false }), "reason").await;
    let vars = json!({ "id": id, "approve": false, "reason": " " });
    invalid(&app, &c.staff, "resolveExtension", vars, "reason").await;
    refused(&app, Some(&c.unit), "resolveExtension", json!({ "id": id, "approve": true }), "FORBIDDEN").await;
    let s = ok(&app, &c.staff, "resolveExtension", json!({ "id": id, "approve": true })).await;
    assert_eq!(secs_of(&s["dueAt"]), wanted);
    assert_eq!(s["pendingExtension"], Value::Null);
    let days_left = int_of(&s["daysLeft"]);
    assert!((148..=150).contains(&days_left), "daysLeft {days_left}");
    assert_eq!(last_kinds(&s, 2), ["EXTENSION_REQUESTED", "EXTENSION_RESOLVED"]);

    // While handled, a further request can be refused; the deadline then stays.
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    ok(&app, &c.unit, "requestExtension", ask(wanted + 20 * DAY, "仍需协调")).await;
    let vars = json!({ "id": id, "approve": false, "reason": "已延期一次，请按期办结" });
    let s = ok(&app, &c.staff, "resolveExtension", vars).await;
    assert_eq!(secs_of(&s["dueAt"]), wanted);
    assert_eq!(s["pendingExtension"], Value::Null);
    assert_eq!(s["timeline"][kinds(&s).len() - 1]["note"], "已延期一次，请按期办结");
    refused(&app, Some(&c.staff), "resolveExtension", json!({ "id": id, "approve": true }), "CONFLICT").await;
});

// ---------------------------------------------------------------------------------------------------------
// Who sees what.

e2e!(each_role_sees_only_its_suggestions, |app| {
    let c = Cast::of(&app).await;
    let wang = deputy_account(&app, &c, &c.wang_id, "13900000103", "王芳").await;
    let edu = unit_account(&app, &c, &c.education, "13900000101", "教育局王科员").await;
    let health = unit_account(&app, &c, &c.health, "13900000102", "卫健委赵科员").await;
    let other_staff = county_staff(&app, &c).await;

    let id = create(&app, &c.zhang, "可见性测试").await;
    ok(&app, &c.zhang, "inviteCoSigner", json!({ "id": id, "deputyId": c.li_id })).await;

    // A draft: the lead deputy and the invited co-signer only.
    view(&app, &c.zhang, &id).await;
    assert_eq!(view(&app, &c.li, &id).await["coSigners"][0]["status"], "INVITED");
    assert!(listed_ids(&app, &c.li, json!({ "mine": true })).await.contains(&id));
    assert!(listed_ids(&app, &c.li, json!({})).await.contains(&id));
    assert!(listed_ids(&app, &c.zhang, json!({ "mine": true })).await.contains(&id));
    for (who, token) in [
        ("another deputy", &wang),
        ("staff", &c.staff),
        ("admin", &c.admin),
        ("a unit", &c.unit),
        ("a citizen", &c.citizen),
    ] {
        assert_hidden(&app, token, &id, who).await;
        assert!(!listed_ids(&app, token, json!({})).await.contains(&id), "{who} lists a draft");
    }
    let list = page(&app, &c.citizen, json!({}), 20, None).await;
    assert_eq!(list["totalCount"], 0);
    assert_eq!(list["nodes"], json!([]));
    get(&app, None, &id).await.assert_code("UNAUTHENTICATED");
    app.gql(LIST, json!({}), None).await.assert_code("UNAUTHENTICATED");

    // Submitted: staff of its congress (and admins) see it too.
    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    view(&app, &c.staff, &id).await;
    view(&app, &c.admin, &id).await;
    assert!(listed_ids(&app, &c.staff, json!({})).await.contains(&id));
    view(&app, &c.li, &id).await;
    assert_hidden(&app, &other_staff, &id, "staff of another congress").await;
    assert_eq!(page(&app, &other_staff, json!({}), 20, None).await["totalCount"], 0);
    assert_hidden(&app, &wang, &id, "another deputy").await;
    assert_hidden(&app, &c.unit, &id, "a unit before assignment").await;

    // Assigned: the units it is assigned to, and no other.
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.education, "CO")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    view(&app, &c.unit, &id).await;
    view(&app, &edu, &id).await;
    assert_eq!(listed_ids(&app, &c.unit, json!({})).await, std::slice::from_ref(&id));
    assert_eq!(listed_ids(&app, &edu, json!({})).await, std::slice::from_ref(&id));
    assert_hidden(&app, &health, &id, "an unassigned unit").await;
    assert_eq!(page(&app, &health, json!({}), 20, None).await["totalCount"], 0);

    // An answer that is not public keeps it from other deputies...
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;
    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": solved(false) })).await;
    assert_hidden(&app, &wang, &id, "another deputy (private answer)").await;
    assert!(!listed_ids(&app, &wang, json!({})).await.contains(&id));

    // ...a public one shows it to every deputy, but not as their own, and to citizens by its id (its public
    // face, to follow it), though never in their lists.
    let public = answered(&app, &c, "公开答复的建议", solved(true)).await;
    assert_eq!(view(&app, &wang, &public).await["units"][0]["answer"]["public"], true);
    assert_eq!(listed_ids(&app, &wang, json!({})).await, std::slice::from_ref(&public));
    assert_eq!(listed_ids(&app, &wang, json!({ "mine": true })).await, Vec::<String>::new());
    assert_eq!(view(&app, &c.citizen, &public).await["contacts"], json!([]));
    assert_eq!(page(&app, &c.citizen, json!({}), 20, None).await["totalCount"], 0);

    // A deputy who declines an invitation no longer sees the draft.
    let declined = create(&app, &c.zhang, "被婉拒的联名").await;
    ok(&app, &c.zhang, "inviteCoSigner", json!({ "id": declined, "deputyId": c.wang_id })).await;
    view(&app, &wang, &declined).await;
    let s = ok(&app, &wang, "answerCoSignInvitation", json!({ "id": declined, "accept": false })).await;
    assert_eq!(s["coSigners"][0]["status"], "DECLINED");
    assert_hidden(&app, &wang, &declined, "a deputy who declined").await;
    assert!(!listed_ids(&app, &wang, json!({})).await.contains(&declined));
});

e2e!(node_returns_a_suggestion_only_to_those_who_may_see_it, |app| {
    let c = Cast::of(&app).await;
    let id = create(&app, &c.zhang, "节点查询").await;
    let node = |token: Option<&str>, id: &str| {
        let id = id.to_owned();
        let token = token.map(str::to_owned);
        let app = &app;
        async move {
            app.gql(
                "query($id: ID!) { node(id: $id) { __typename id ... on Suggestion { title state } } }",
                json!({ "id": id }),
                token.as_deref(),
            )
            .await
        }
    };
    let res = node(Some(&c.zhang), &id).await;
    assert_eq!(
        res.data()["node"],
        json!({ "__typename": "Suggestion", "id": id, "title": "节点查询", "state": "DRAFT" })
    );
    for (who, token) in [("citizen", &c.citizen), ("other deputy", &c.li), ("staff, draft", &c.staff)] {
        let res = node(Some(token), &id).await;
        assert_eq!(res.data()["node"], Value::Null, "{who}: {}", res.body);
    }
    node(None, &id).await.assert_code("UNAUTHENTICATED");

    ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    assert_eq!(node(Some(&c.staff), &id).await.data()["node"]["state"], "PROPOSED");
    assert_eq!(node(Some(&c.citizen), &id).await.data()["node"], Value::Null);

    // An ID of the right kind for a suggestion that does not exist.
    let missing = URL_SAFE_NO_PAD.encode(format!("Suggestion:{}", uuid::Uuid::new_v4()));
    assert_eq!(node(Some(&c.zhang), &missing).await.data()["node"], Value::Null);
    get(&app, Some(&c.zhang), &missing).await.assert_code("NOT_FOUND");
    refused(&app, Some(&c.unit), "acceptSuggestion", json!({ "id": missing }), "NOT_FOUND").await;
    // An ID of another kind is not a suggestion ID.
    let res = get(&app, Some(&c.zhang), &c.li_id).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "id");
});

// ---------------------------------------------------------------------------------------------------------
// Lists.

e2e!(filters_narrow_the_list_within_what_the_viewer_sees, |app| {
    let c = Cast::of(&app).await;
    let add = |title: &'static str, content: &'static str, category: &'static str| {
        let input = json!({ "title": title, "content": content, "category": category, "sessionNumber": 1 });
        (input, title)
    };
    let mut ids = Vec::new();
    for (input, _) in [
        add("公交线路优化", "建议增加夜间公交线路", "交通"),
        add("校园周边交通安全", "上下学时段100%配备护学岗", "教育"),
        add("老旧小区停车难", "建议挖潜增加停车位", "交通"),
        add("医疗_资源均衡", "推动优质医疗资源下沉", "卫生"),
    ] {
        ids.push(id_of(&ok(&app, &c.zhang, "createSuggestion", json!({ "input": input })).await));
    }
    let input = json!({ "title": "李华的交通建议", "content": "规范夜间出租车", "category": "交通", "sessionNumber": 1 });
    ok(&app, &c.li, "createSuggestion", json!({ "input": input })).await;
    for id in &ids[..2] {
        ok(&app, &c.zhang, "submitSuggestion", json!({ "id": id })).await;
    }
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD"), (&c.health, "CO")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": ids[0], "input": input })).await;
    let input = assignment("LEAD_WITH_CO", &[(&c.education, "LEAD")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": ids[1], "input": input })).await;
    let vars = json!({ "id": ids[0], "supervisor": "常委会副主任", "note": "列入重点督办" });
    ok(&app, &c.staff, "superviseSuggestion", vars).await;

    let (bus, school, parking, health) =
        ("公交线路优化", "校园周边交通安全", "老旧小区停车难", "医疗_资源均衡");
    let z = |filter: Value| {
        let app = &app;
        let token = c.zhang.clone();
        async move { titles(app, &token, filter).await }
    };
    assert_eq!(z(json!({ "mine": true })).await, sorted(&[bus, school, parking, health]));
    assert_eq!(z(json!({})).await, sorted(&[bus, school, parking, health]));
    assert_eq!(z(json!({ "states": ["DRAFT"] })).await, sorted(&[parking, health]));
    assert_eq!(z(json!({ "states": ["ASSIGNED"] })).await, sorted(&[bus, school]));
    assert_eq!(
        z(json!({ "states": ["DRAFT", "ASSIGNED"], "mine": true })).await,
        sorted(&[bus, school, parking, health])
    );
    assert_eq!(z(json!({ "states": ["RATED"] })).await, Vec::<String>::new());
    assert_eq!(z(json!({ "category": "交通" })).await, sorted(&[bus, parking]));
    assert_eq!(z(json!({ "text": "夜间" })).await, sorted(&[bus]), "content, and only what 张明 may see");
    assert_eq!(z(json!({ "text": "停车" })).await, sorted(&[parking]));
    assert_eq!(z(json!({ "text": "交通" })).await, sorted(&[school]), "title and content, not category");
    assert_eq!(z(json!({ "text": "100%" })).await, sorted(&[school]));
    assert_eq!(z(json!({ "text": "%" })).await, sorted(&[school]), "% is taken literally");
    assert_eq!(z(json!({ "text": "_" })).await, sorted(&[health]), "_ is taken literally");
    assert_eq!(z(json!({ "text": "  " })).await, sorted(&[bus, school, parking, health]));
    assert_eq!(z(json!({ "text": "夜间", "category": "教育" })).await, Vec::<String>::new());
    assert_eq!(titles(&app, &c.li, json!({ "mine": true })).await, sorted(&["李华的交通建议"]));

    let s = |filter: Value| {
        let app = &app;
        let token = c.staff.clone();
        async move { titles(app, &token, filter).await }
    };
    assert_eq!(s(json!({})).await, sorted(&[bus, school]), "staff see submitted suggestions only");
    assert_eq!(s(json!({ "leadUnitId": c.transport })).await, sorted(&[bus]));
    assert_eq!(s(json!({ "leadUnitId": c.education })).await, sorted(&[school]));
    assert_eq!(s(json!({ "leadUnitId": c.health })).await, Vec::<String>::new(), "co-units do not lead");
    assert_eq!(s(json!({ "leadUnitId": c.housing })).await, Vec::<String>::new());
    assert_eq!(s(json!({ "keySupervised": true })).await, sorted(&[bus]));
    assert_eq!(s(json!({ "keySupervised": false })).await, sorted(&[school]));
    assert_eq!(s(json!({ "overdue": false })).await, sorted(&[bus, school]));
    assert_eq!(s(json!({ "overdue": true })).await, Vec::<String>::new());
    assert_eq!(s(json!({ "sessionNumber": 1 })).await, sorted(&[bus, school]));
    assert_eq!(s(json!({ "sessionNumber": 2 })).await, Vec::<String>::new());
    assert_eq!(s(json!({ "recessYear": 2026 })).await, Vec::<String>::new());
    assert_eq!(s(json!({ "category": "交通", "states": ["ASSIGNED"] })).await, sorted(&[bus]));
    assert_eq!(s(json!({ "text": "护学岗", "keySupervised": false })).await, sorted(&[school]));
    assert_eq!(titles(&app, &c.unit, json!({})).await, sorted(&[bus]));
    assert_eq!(titles(&app, &c.unit, json!({ "keySupervised": false })).await, Vec::<String>::new());

    let bad = |filter: Value, field: &'static str| {
        let app = &app;
        let token = c.staff.clone();
        async move {
            let res = app.gql(LIST, json!({ "f": filter, "first": 10 }), Some(&token)).await;
            res.assert_code("BAD_USER_INPUT");
            assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "{}", res.body);
        }
    };
    bad(json!({ "leadUnitId": c.li_id }), "leadUnitId").await;
    bad(json!({ "sessionNumber": 1, "recessYear": 2026 }), "sessionNumber").await;
    bad(json!({ "congressId": c.transport }), "congressId").await;
});

e2e!(pages_run_newest_first_without_duplicates, |app| {
    let c = Cast::of(&app).await;
    let names = ["第一件", "第二件", "第三件", "第四件", "第五件"];
    for name in names {
        create(&app, &c.zhang, name).await;
    }
    create(&app, &c.li, "别人的草稿").await;

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let list = page(&app, &c.zhang, json!({ "mine": true }), 2, after.as_deref()).await;
        assert_eq!(list["totalCount"], 5, "totalCount counts every page: {list}");
        let nodes = list["nodes"].as_array().cloned().unwrap_or_default();
        assert!(nodes.len() <= 2);
        seen.extend(nodes.iter().map(|n| str_of(&n["title"]).to_owned()));
        let edges = list["edges"].as_array().cloned().unwrap_or_default();
        assert_eq!(edges.last().map(|e| e["cursor"].clone()), Some(list["pageInfo"]["endCursor"].clone()));
        pages += 1;
        if list["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = Some(str_of(&list["pageInfo"]["endCursor"]).to_owned());
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 3);
    let newest_first: Vec<String> = names.iter().rev().map(|n| (*n).to_owned()).collect();
    assert_eq!(seen, newest_first);

    let res = app.gql(LIST, json!({ "first": -1 }), Some(&c.zhang)).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "first");
    let res = app.gql(LIST, json!({ "after": "not a cursor!" }), Some(&c.zhang)).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "after");
});

// ---------------------------------------------------------------------------------------------------------
// Races.

e2e!(concurrent_accepts_and_ratings_have_one_winner, |app| {
    let c = Cast::of(&app).await;
    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")]);
    let id = assigned(&app, &c, "并发承办", input).await;

    let results =
        join_all((0..8).map(|_| call(&app, Some(&c.unit), "acceptSuggestion", json!({ "id": id })))).await;
    let won = results.iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(won, 1, "exactly one accept wins: {results:?}");
    for res in results.iter().filter(|r| r.body.get("errors").is_some()) {
        res.assert_code("CONFLICT");
    }
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["state"], "HANDLED");
    assert_eq!(kinds(&s).iter().filter(|k| *k == "ACCEPTED").count(), 1);
    assert_eq!(int_of(&s["version"]), i64::try_from(kinds(&s).len()).unwrap_or(-1));

    ok(&app, &c.unit, "recordContact", json!({ "id": id, "input": contact() })).await;
    ok(&app, &c.unit, "answerSuggestion", json!({ "id": id, "input": solved(true) })).await;
    let ratings = [
        json!({ "attitude": "SATISFIED", "result": "SATISFIED" }),
        json!({ "attitude": "BASICALLY_SATISFIED", "result": "BASICALLY_SATISFIED" }),
    ];
    let results = join_all(
        ratings.iter().map(|r| call(&app, Some(&c.zhang), "rateAnswer", json!({ "id": id, "input": r }))),
    )
    .await;
    let winners: Vec<usize> = (0..2).filter(|i| results[*i].body.get("errors").is_none()).collect();
    assert_eq!(winners.len(), 1, "exactly one rating wins: {results:?}");
    let loser = 1 - winners[0];
    results[loser].assert_code("CONFLICT");
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["state"], "RATED");
    assert_eq!(kinds(&s).iter().filter(|k| *k == "RATED").count(), 1);
    assert_eq!(
        s["units"][0]["rating"]["result"], ratings[winners[0]]["result"],
        "the winner's rating is kept"
    );
});

e2e!(concurrent_submissions_get_distinct_gap_free_serials, |app| {
    let c = Cast::of(&app).await;
    let mut drafts = Vec::new();
    for i in 0..6 {
        let token = if i % 2 == 0 { &c.zhang } else { &c.li };
        drafts.push((create(&app, token, &format!("并发提交{i}")).await, token));
    }
    let results = join_all(
        drafts.iter().map(|(id, token)| call(&app, Some(token), "submitSuggestion", json!({ "id": id }))),
    )
    .await;
    let mut serials: Vec<String> = results
        .iter()
        .map(|res| {
            assert!(res.body.get("errors").is_none(), "every submission succeeds: {}", res.body);
            str_of(&res.data()["s"]["serialNumber"]).to_owned()
        })
        .collect();
    serials.sort();
    let expected: Vec<String> = (1..=6).map(|n| format!("第1次会议第{n:04}号")).collect();
    assert_eq!(serials, expected);
    let next = proposed(&app, &c, "第七件").await;
    assert_eq!(view(&app, &c.zhang, &next).await["serialNumber"], "第1次会议第0007号");
});

// ---------------------------------------------------------------------------------------------------------
// Idempotency keys.

e2e!(idempotency_keys_make_retries_safe, |app| {
    let c = Cast::of(&app).await;

    // createSuggestion retried with the same key: one suggestion.
    let vars = json!({ "input": draft("幂等创建"), "idempotencyKey": "create-key-0001" });
    let first = ok(&app, &c.zhang, "createSuggestion", vars.clone()).await;
    let again = ok(&app, &c.zhang, "createSuggestion", vars.clone()).await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(titles(&app, &c.zhang, json!({ "mine": true })).await, sorted(&["幂等创建"]));
    // Keys are per account: 李华 using the same key makes her own.
    let hers = ok(&app, &c.li, "createSuggestion", vars).await;
    assert_ne!(hers["id"], first["id"]);
    // Keys are 8–100 characters.
    let short = json!({ "input": draft("短键"), "idempotencyKey": "short" });
    invalid(&app, &c.zhang, "createSuggestion", short, "idempotencyKey").await;
    let long = json!({ "id": first["id"], "idempotencyKey": "k".repeat(101) });
    invalid(&app, &c.zhang, "submitSuggestion", long, "idempotencyKey").await;
    // A key of one operation is not reused for another.
    let reuse = json!({ "id": first["id"], "idempotencyKey": "create-key-0001" });
    refused(&app, Some(&c.zhang), "submitSuggestion", reuse, "CONFLICT").await;
    assert_eq!(view(&app, &c.zhang, &id_of(&first)).await["state"], "DRAFT");

    let id = assigned(&app, &c, "幂等办理", assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")])).await;
    ok(&app, &c.unit, "acceptSuggestion", json!({ "id": id })).await;

    // A key that failed does not count as used: it acts once the action is possible.
    let report = json!({ "id": id, "note": "进展顺利", "done": false, "idempotencyKey": "report-key-01" });
    refused(&app, Some(&c.unit), "reportImplementation", report.clone(), "CONFLICT").await;

    let vars = json!({ "id": id, "input": contact(), "idempotencyKey": "contact-key-01" });
    let r1 = ok(&app, &c.unit, "recordContact", vars.clone()).await;
    let r2 = ok(&app, &c.unit, "recordContact", vars).await;
    assert_eq!(len_of(&r1["contacts"]), 1);
    assert_eq!(r1, r2, "a retry gets the same answer");

    let vars = json!({ "id": id, "input": contact(), "idempotencyKey": "contact-key-02" });
    let results = join_all((0..5).map(|_| call(&app, Some(&c.unit), "recordContact", vars.clone()))).await;
    for res in &results {
        assert!(res.body.get("errors").is_none(), "every retry succeeds: {}", res.body);
        assert_eq!(len_of(&res.data()["s"]["contacts"]), 2, "{}", res.body);
    }
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(len_of(&s["contacts"]), 2);
    assert_eq!(kinds(&s).iter().filter(|k| *k == "CONTACT_RECORDED").count(), 2);

    // A different key acts again.
    let vars = json!({ "id": id, "input": contact(), "idempotencyKey": "contact-key-03" });
    assert_eq!(len_of(&ok(&app, &c.unit, "recordContact", vars).await["contacts"]), 3);

    // Reusing the contact key to answer is refused and answers nothing.
    let answer = json!({
        "content": "正在推进", "answerClass": "IN_PROGRESS", "promisedBy": date_in(90), "signedBy": "周局长",
    });
    let reuse = json!({ "id": id, "input": answer, "idempotencyKey": "contact-key-01" });
    refused(&app, Some(&c.unit), "answerSuggestion", reuse, "CONFLICT").await;
    assert_eq!(view(&app, &c.zhang, &id).await["state"], "HANDLED");

    let vars = json!({ "id": id, "input": answer, "idempotencyKey": "answer-key-01" });
    let a1 = ok(&app, &c.unit, "answerSuggestion", vars.clone()).await;
    let a2 = ok(&app, &c.unit, "answerSuggestion", vars).await;
    assert_eq!(a1, a2);
    assert_eq!(a1["state"], "ANSWERED");

    let s = ok(&app, &c.unit, "reportImplementation", report.clone()).await;
    assert_eq!(len_of(&s["units"][0]["implementation"]), 1);
    let s = ok(&app, &c.unit, "reportImplementation", report).await;
    assert_eq!(len_of(&s["units"][0]["implementation"]), 1);
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(kinds(&s).iter().filter(|k| *k == "ANSWERED").count(), 1);
    assert_eq!(kinds(&s).iter().filter(|k| *k == "IMPLEMENTATION_REPORTED").count(), 1);
});

e2e!(concurrent_create_retries_make_one_suggestion, |app| {
    let c = Cast::of(&app).await;
    let vars = json!({ "input": draft("并发重试创建"), "idempotencyKey": "create-race-key-01" });
    let results =
        join_all((0..5).map(|_| call(&app, Some(&c.zhang), "createSuggestion", vars.clone()))).await;
    let mut ids = Vec::new();
    for res in &results {
        assert!(res.body.get("errors").is_none(), "a concurrent retry gets the first result: {}", res.body);
        ids.push(id_of(&res.data()["s"]));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "all retries return one suggestion: {ids:?}");
    assert_eq!(titles(&app, &c.zhang, json!({ "mine": true })).await, sorted(&["并发重试创建"]));
});

// ---------------------------------------------------------------------------------------------------------
// Key supervision.

e2e!(staff_mark_key_supervision_with_notes, |app| {
    let c = Cast::of(&app).await;
    let id = proposed(&app, &c, "重点督办的建议").await;
    let s = view(&app, &c.zhang, &id).await;
    assert_eq!(s["keySupervised"], false);
    assert_eq!(s["supervision"], Value::Null);

    let vars = json!({ "id": id, "supervisor": "常委会副主任", "note": "列入年度重点督办" });
    let s = ok(&app, &c.staff, "superviseSuggestion", vars).await;
    assert_eq!(s["keySupervised"], true);
    assert_eq!(
        s["supervision"],
        json!({ "supervisor": "常委会副主任", "notes": [{ "note": "列入年度重点督办" }] })
    );
    assert_eq!(s["state"], "PROPOSED", "supervision does not move the state");
    assert_eq!(last_kinds(&s, 1), ["SUPERVISED"]);

    let input = assignment("LEAD_WITH_CO", &[(&c.transport, "LEAD")]);
    ok(&app, &c.staff, "assignSuggestion", json!({ "id": id, "input": input })).await;
    let vars = json!({ "id": id, "supervisor": "城建环保工委", "note": "听取办理进展汇报" });
    let s = ok(&app, &c.staff, "superviseSuggestion", vars).await;
    assert_eq!(s["supervision"]["supervisor"], "城建环保工委");
    assert_eq!(len_of(&s["supervision"]["notes"]), 2);
    let s =
        ok(&app, &c.admin, "superviseSuggestion", json!({ "id": id, "supervisor": "城建环保工委" })).await;
    assert_eq!(len_of(&s["supervision"]["notes"]), 2, "no note, no new note");
    // Everyone who sees the suggestion sees its supervision.
    assert_eq!(view(&app, &c.zhang, &id).await["keySupervised"], true);
    assert_eq!(view(&app, &c.unit, &id).await["supervision"]["supervisor"], "城建环保工委");

    let v = version(&app, &c.zhang, &id).await;
    let vars = json!({ "id": id, "supervisor": "我自己" });
    refused(&app, Some(&c.zhang), "superviseSuggestion", vars.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.unit), "superviseSuggestion", vars, "FORBIDDEN").await;
    invalid(&app, &c.staff, "superviseSuggestion", json!({ "id": id, "supervisor": " " }), "supervisor")
        .await;
    assert_eq!(version(&app, &c.zhang, &id).await, v);

    // On a draft: staff cannot see drafts (NOT_FOUND on read), but the lifecycle checks the person first
    // (staff of its congress may supervise) and then the state, so the mutation says CONFLICT.
    let draft_id = create(&app, &c.zhang, "草稿不能督办").await;
    assert_hidden(&app, &c.staff, &draft_id, "staff (draft)").await;
    let vars = json!({ "id": draft_id, "supervisor": "常委会副主任" });
    refused(&app, Some(&c.staff), "superviseSuggestion", vars.clone(), "CONFLICT").await;
    let s = view(&app, &c.zhang, &draft_id).await;
    assert_eq!(s["keySupervised"], false);
    assert_eq!(s["version"], 1);
    // Nor a withdrawn one.
    ok(&app, &c.zhang, "withdrawSuggestion", json!({ "id": draft_id })).await;
    refused(&app, Some(&c.staff), "superviseSuggestion", vars, "CONFLICT").await;
});
