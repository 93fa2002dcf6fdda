//! The duty record (履职档案, 积分, "十个一"): a deputy's year assembled from suggestions, activities and
//! verified self-reported entries into an archive and a ledger; rule versions that recompute and still
//! explain; quotas and who is behind; and who may read or change what.

use edaibiao_tests::time::cst_today;
use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use serde_json::{Value, json};

const ENTRY_FIELDS: &str = "id title note happenedOn attachmentUrl status reason deputy { name }";
const ITEM: &str =
    "kind date title sourceId sourceType attendance status answerClasses ratings { attitude result }";

fn archive_op() -> String {
    format!(
        "query($d: ID!, $y: Int!) {{ r: dutyArchive(deputyId: $d, year: $y) {{ year deputy {{ name }} \
         activitiesAttended {{ {ITEM} }} activitiesMissed {{ {ITEM} }} trainings {{ {ITEM} }} \
         reportsToVoters {{ {ITEM} }} suggestionsLed {{ {ITEM} }} suggestionsCoSigned {{ {ITEM} }} \
         answersRatedSatisfied {{ {ITEM} }} opinionsClosed {{ {ITEM} }} receptionDays {{ {ITEM} }} \
         selfReported {{ {ITEM} }} }} }}"
    )
}

const LEDGER: &str = "query($d: ID!, $y: Int!) { r: pointsLedger(deputyId: $d, year: $y) {
    year total congressRank congressSize groupRank groupSize deputy { name }
    lines { kind date note sourceId sourceType awarded adjustment cut rule { id points yearlyCap effectiveFrom } }
} }";

fn add_op() -> String {
    format!(
        "mutation($i: DutyEntryInput!, $k: String) {{ r: addDutyEntry(input: $i, idempotencyKey: $k) {{ {ENTRY_FIELDS} }} }}"
    )
}

fn decide_op() -> String {
    format!(
        "mutation($id: ID!, $v: Boolean!, $r: String) {{ r: decideDutyEntry(id: $id, verify: $v, reason: $r) {{ {ENTRY_FIELDS} }} }}"
    )
}

const SET_RULE: &str =
    "mutation($i: PointRuleInput!) { r: setPointRule(input: $i) { id kind points yearlyCap effectiveFrom } }";
const RULES: &str =
    "query($c: ID!) { r: pointRules(congressId: $c) { id kind points yearlyCap effectiveFrom } }";
const SET_QUOTA: &str = "mutation($i: DutyQuotaInput!) { r: setDutyQuota(input: $i) { id item period required counts retiredAt } }";
const RETIRE_QUOTA: &str = "mutation($id: ID!) { r: retireDutyQuota(id: $id) { id retiredAt } }";
const QUOTAS: &str = "query($c: ID!) { r: dutyQuotas(congressId: $c) { id item } }";
const PROGRESS: &str = "query($c: ID!, $on: NaiveDate) { r: quotaProgress(congressId: $c, on: $on) {
    on quotas { quota { id item } period { kind year index start end } }
    deputies { name behind items { quotaId item done required behind } }
    behind { name }
} }";

fn year() -> i32 {
    chrono::Datelike::year(&cst_today())
}

fn list(value: &Value) -> &Vec<Value> {
    value.as_array().unwrap_or_else(|| panic!("not a list: {value}"))
}

/// Runs an operation that must succeed; returns `data.r`.
async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let res = app.gql(query, vars, Some(token)).await;
    assert!(res.body.get("errors").is_none(), "failed: {}", res.body);
    res.data()["r"].clone()
}

/// Runs an operation that must fail with `code`.
async fn refused(app: &TestApp, token: Option<&str>, query: &str, vars: Value, code: &str) -> Gql {
    let res = app.gql(query, vars, token).await;
    res.assert_code(code);
    res
}

/// Runs a suggestion mutation as `token`; returns the suggestion's id.
async fn suggestion_step(app: &TestApp, token: &str, op: &str, args: &str, vars: Value) -> String {
    let query = format!("mutation{args} {{ r: {op} {{ id }} }}");
    str_of(&ok(app, token, &query, vars).await["id"]).to_owned()
}

fn entry_input(title: &str, days_ago: u64) -> Value {
    let day = cst_today().checked_sub_days(chrono::Days::new(days_ago)).unwrap_or_default();
    json!({ "title": title, "note": "在市人代会上作关于教育的大会发言", "happenedOn": day.to_string(),
            "attachmentUrl": "https://example.cn/speech.pdf" })
}

fn kinds(items: &Value) -> Vec<String> {
    list(items).iter().map(|l| str_of(&l["kind"]).to_owned()).collect()
}

e2e!(a_deputys_year_becomes_an_archive_and_a_ledger, |app| {
    let c = Cast::of(&app).await;
    let y = year();

    // A suggestion led by 张明 and co-signed by 李华, submitted today.
    let s = suggestion_step(
        &app,
        &c.zhang,
        "createSuggestion(input: $i)",
        "($i: NewSuggestionInput!)",
        json!({ "i": { "title": "优化城区公交线路", "content": "关于优化城区公交线路的具体建议", "category": "交通", "sessionNumber": 1 } }),
    )
    .await;
    let invite = json!({ "id": s, "d": c.li_id });
    suggestion_step(&app, &c.zhang, "inviteCoSigner(id: $id, deputyId: $d)", "($id: ID!, $d: ID!)", invite)
        .await;
    let accept = json!({ "id": s });
    suggestion_step(&app, &c.li, "answerCoSignInvitation(id: $id, accept: true)", "($id: ID!)", accept).await;
    suggestion_step(&app, &c.zhang, "submitSuggestion(id: $id)", "($id: ID!)", json!({ "id": s })).await;
    // A draft counts for nobody.
    suggestion_step(
        &app,
        &c.zhang,
        "createSuggestion(input: $i)",
        "($i: NewSuggestionInput!)",
        json!({ "i": { "title": "还在起草的建议", "content": "草稿内容草稿内容", "category": "交通", "sessionNumber": 1 } }),
    )
    .await;

    // A training 张明 attends (checked in by staff) and 李华 misses.
    let training = ok(
        &app,
        &c.staff,
        "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id } }",
        json!({ "i": {
            "congressId": c.congress, "kind": "TRAINING", "title": "人大代表履职能力培训", "place": "市人大常委会",
            "startsAt": (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339(),
            "endsAt": (chrono::Utc::now() + chrono::Duration::minutes(130)).to_rfc3339(),
            "participation": "ASSIGNED", "deputyIds": [c.zhang_id, c.li_id],
        } }),
    )
    .await;
    let training = str_of(&training["id"]).to_owned();
    ok(
        &app,
        &c.staff,
        "mutation($a: ID!, $d: ID!) { r: checkInParticipant(activityId: $a, deputyId: $d) { id } }",
        json!({ "a": training, "d": c.zhang_id }),
    )
    .await;

    // A self-reported entry: pending until staff decide, shown but not counted.
    let vars = json!({ "i": entry_input("市人代会大会发言", 1), "k": "duty-entry-0001" });
    let entry = ok(&app, &c.zhang, &add_op(), vars.clone()).await;
    assert_eq!(entry["status"], "PENDING");
    assert_eq!(entry["deputy"]["name"], "张明");
    let again = ok(&app, &c.zhang, &add_op(), vars).await;
    assert_eq!(again["id"], entry["id"], "a retry with the same key adds nothing");
    let entry_id = str_of(&entry["id"]).to_owned();

    let archive = ok(&app, &c.zhang, &archive_op(), json!({ "d": c.zhang_id, "y": y })).await;
    assert_eq!(archive["deputy"]["name"], "张明");
    let led = list(&archive["suggestionsLed"]);
    assert_eq!(led.len(), 1, "the draft does not count: {archive}");
    assert_eq!(led[0]["title"], "优化城区公交线路");
    assert_eq!(led[0]["kind"], "SUGGESTION_LED");
    assert_eq!(led[0]["sourceId"], json!(s));
    assert_eq!(led[0]["sourceType"], "Suggestion");
    assert_eq!(led[0]["answerClasses"], json!([]));
    let trainings = list(&archive["trainings"]);
    assert_eq!(trainings.len(), 1);
    assert_eq!(trainings[0]["kind"], "TRAINING_ATTENDED");
    assert_eq!(trainings[0]["attendance"], "PRESENT");
    assert_eq!(trainings[0]["sourceId"], json!(training));
    let own = list(&archive["selfReported"]);
    assert_eq!(own.len(), 1);
    assert_eq!((&own[0]["status"], &own[0]["kind"]), (&json!("PENDING"), &Value::Null));
    assert_eq!(own[0]["sourceType"], "DutyEntry");

    // 李华's archive has the co-signed suggestion; the training is not missed yet (it has not ended).
    let li_archive = ok(&app, &c.li, &archive_op(), json!({ "d": c.li_id, "y": y })).await;
    let co = list(&li_archive["suggestionsCoSigned"]);
    assert_eq!(co.len(), 1);
    assert_eq!(co[0]["kind"], "SUGGESTION_CO_SIGNED");
    assert_eq!(li_archive["suggestionsLed"], json!([]));
    assert_eq!(li_archive["activitiesMissed"], json!([]));

    // Staff verify: the deputy is told, and a second decision is a conflict.
    refused(&app, Some(&c.zhang), &decide_op(), json!({ "id": entry_id, "v": true }), "FORBIDDEN").await;
    refused(&app, Some(&c.staff), &decide_op(), json!({ "id": entry_id, "v": false }), "BAD_USER_INPUT")
        .await;
    let decided = ok(&app, &c.staff, &decide_op(), json!({ "id": entry_id, "v": true })).await;
    assert_eq!(decided["status"], "VERIFIED");
    refused(&app, Some(&c.staff), &decide_op(), json!({ "id": entry_id, "v": false, "r": "无" }), "CONFLICT")
        .await;
    let inbox = app
        .gql(
            "{ notifications(first: 50) { nodes { kind subjectKind subjectId } } }",
            json!({}),
            Some(&c.zhang),
        )
        .await;
    let decided_notice = list(&inbox.data()["notifications"]["nodes"])
        .iter()
        .find(|n| n["kind"] == "DUTY_ENTRY_DECIDED")
        .cloned()
        .unwrap_or_else(|| panic!("no DUTY_ENTRY_DECIDED in {}", inbox.body));
    assert_eq!(decided_notice["subjectId"], json!(entry_id));
    let node = ok(
        &app,
        &c.zhang,
        "query($id: ID!) { r: node(id: $id) { id ... on DutyEntry { status } } }",
        json!({ "id": entry_id }),
    )
    .await;
    assert_eq!(node["status"], "VERIFIED");

    // The ledger: default rules (led 5, training 2, verified 2), each line naming its rule version.
    let ledger = ok(&app, &c.zhang, LEDGER, json!({ "d": c.zhang_id, "y": y })).await;
    let mut got = kinds(&ledger["lines"]);
    got.sort();
    assert_eq!(got, ["SUGGESTION_LED", "TRAINING_ATTENDED", "VERIFIED_OTHER"]);
    assert_eq!(ledger["total"], 9);
    assert_eq!((&ledger["congressRank"], &ledger["groupRank"]), (&json!(1), &json!(1)));
    assert!(ledger["congressSize"].as_i64().unwrap_or_default() >= 2);
    let led_line =
        list(&ledger["lines"]).iter().find(|l| l["kind"] == "SUGGESTION_LED").cloned().unwrap_or_default();
    assert_eq!(led_line["sourceId"], json!(s));
    assert_eq!(led_line["rule"]["points"], 5);
    assert_eq!(led_line["awarded"], 5);
    let old_rule = led_line["rule"]["id"].clone();
    let li_ledger = ok(&app, &c.li, LEDGER, json!({ "d": c.li_id, "y": y })).await;
    assert_eq!(li_ledger["total"], 2, "co-signed: {li_ledger}");

    // A new version from today recomputes; the line names the new version, the old one stays listed.
    let today = cst_today().to_string();
    let new_rule = json!({ "congressId": c.congress, "kind": "SUGGESTION_LED", "points": 8, "yearlyCap": 40, "effectiveFrom": today });
    refused(&app, Some(&c.zhang), SET_RULE, json!({ "i": new_rule }), "FORBIDDEN").await;
    refused(&app, Some(&c.unit), SET_RULE, json!({ "i": new_rule }), "FORBIDDEN").await;
    let rule = ok(&app, &c.staff, SET_RULE, json!({ "i": new_rule })).await;
    assert_eq!(rule["points"], 8);
    refused(&app, Some(&c.staff), SET_RULE, json!({ "i": new_rule }), "CONFLICT").await;
    let mut bad = new_rule.clone();
    bad["points"] = json!(1000);
    bad["effectiveFrom"] = json!("2026-01-02");
    refused(&app, Some(&c.staff), SET_RULE, json!({ "i": bad }), "BAD_USER_INPUT").await;
    let ledger = ok(&app, &c.zhang, LEDGER, json!({ "d": c.zhang_id, "y": y })).await;
    assert_eq!(ledger["total"], 12);
    let led_line =
        list(&ledger["lines"]).iter().find(|l| l["kind"] == "SUGGESTION_LED").cloned().unwrap_or_default();
    assert_eq!((&led_line["rule"]["id"], &led_line["awarded"]), (&rule["id"], &json!(8)));
    let rules = ok(&app, &c.li, RULES, json!({ "c": c.congress })).await;
    let versions: Vec<&Value> = list(&rules).iter().filter(|r| r["kind"] == "SUGGESTION_LED").collect();
    assert_eq!(versions.len(), 2);
    assert!(versions.iter().any(|r| r["id"] == old_rule), "old versions stay");
    refused(&app, Some(&c.citizen), RULES, json!({ "c": c.congress }), "FORBIDDEN").await;

    // Who reads the record: the deputy, their congress's staff, admins; nobody else.
    for token in [&c.staff, &c.admin] {
        ok(&app, token, &archive_op(), json!({ "d": c.zhang_id, "y": y })).await;
        ok(&app, token, LEDGER, json!({ "d": c.zhang_id, "y": y })).await;
    }
    for token in [&c.li, &c.unit, &c.citizen] {
        refused(&app, Some(token), &archive_op(), json!({ "d": c.zhang_id, "y": y }), "FORBIDDEN").await;
        refused(&app, Some(token), LEDGER, json!({ "d": c.zhang_id, "y": y }), "FORBIDDEN").await;
    }
    refused(&app, None, &archive_op(), json!({ "d": c.zhang_id, "y": y }), "UNAUTHENTICATED").await;
    let node =
        app.gql("query($id: ID!) { node(id: $id) { id } }", json!({ "id": entry_id }), Some(&c.li)).await;
    assert_eq!(node.data()["node"], Value::Null, "another deputy's entry is not found through node");

    // The public card shows counts only.
    let token = c.zhang_qr(&app).await;
    let card = app
        .gql(
            "query($t: String!) { deputyByQrToken(token: $t) { dutySummary { year counts { kind count } } } }",
            json!({ "t": token }),
            None,
        )
        .await;
    let summary = &card.data()["deputyByQrToken"]["dutySummary"];
    assert_eq!(summary["year"], y);
    let mut counts: Vec<(String, i64)> = list(&summary["counts"])
        .iter()
        .map(|c| (str_of(&c["kind"]).to_owned(), c["count"].as_i64().unwrap_or_default()))
        .collect();
    counts.sort();
    assert_eq!(
        counts,
        [
            ("SUGGESTION_LED".to_owned(), 1),
            ("TRAINING_ATTENDED".to_owned(), 1),
            ("VERIFIED_OTHER".to_owned(), 1)
        ]
    );
});

e2e!(self_reported_entries_are_checked, |app| {
    let c = Cast::of(&app).await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut input = entry_input("走访选区", 0);
        change(&mut input);
        json!({ "i": input })
    };
    let tomorrow = cst_today().succ_opt().unwrap_or_default().to_string();
    for (field, vars) in [
        ("happenedOn", with(&|i| i["happenedOn"] = json!(tomorrow))),
        ("attachmentUrl", with(&|i| i["attachmentUrl"] = json!("javascript:alert(1)"))),
        ("title", with(&|i| i["title"] = json!(" "))),
        ("title", with(&|i| i["title"] = json!("题".repeat(201)))),
        ("note", with(&|i| i["note"] = json!(""))),
    ] {
        let res = refused(&app, Some(&c.zhang), &add_op(), vars, "BAD_USER_INPUT").await;
        assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "{}", res.body);
    }
    for token in [&c.staff, &c.unit, &c.citizen] {
        refused(&app, Some(token), &add_op(), with(&|_| {}), "FORBIDDEN").await;
    }
    let entry = ok(&app, &c.zhang, &add_op(), with(&|i| i["attachmentUrl"] = Value::Null)).await;
    assert_eq!(entry["attachmentUrl"], Value::Null);
    // Staff find what waits for them.
    let pending = "query($c: ID!) { r: dutyEntries(congressId: $c, status: PENDING, first: 10) { totalCount nodes { id title } } }";
    let list_vars = json!({ "c": c.congress });
    let waiting = ok(&app, &c.staff, pending, list_vars.clone()).await;
    assert_eq!(waiting["totalCount"], 1);
    assert_eq!(waiting["nodes"][0]["id"], entry["id"]);
    refused(&app, Some(&c.zhang), pending, list_vars.clone(), "FORBIDDEN").await;
    // The unit's staff and deputies may not decide.
    let id = json!({ "id": entry["id"], "v": true });
    refused(&app, Some(&c.unit), &decide_op(), id.clone(), "FORBIDDEN").await;
    refused(&app, Some(&c.li), &decide_op(), id, "FORBIDDEN").await;
    let rejected =
        ok(&app, &c.staff, &decide_op(), json!({ "id": entry["id"], "v": false, "r": "缺少佐证材料" })).await;
    assert_eq!((&rejected["status"], &rejected["reason"]), (&json!("REJECTED"), &json!("缺少佐证材料")));
    assert_eq!(ok(&app, &c.staff, pending, list_vars).await["totalCount"], 0);
    let ledger = ok(&app, &c.zhang, LEDGER, json!({ "d": c.zhang_id, "y": year() })).await;
    assert!(
        !kinds(&ledger["lines"]).contains(&"VERIFIED_OTHER".to_owned()),
        "a rejected entry does not count"
    );
    let archive = ok(&app, &c.zhang, &archive_op(), json!({ "d": c.zhang_id, "y": year() })).await;
    assert_eq!(archive["selfReported"][0]["status"], "REJECTED");
});

e2e!(quotas_show_who_is_behind, |app| {
    let c = Cast::of(&app).await;
    let input = json!({ "congressId": c.congress, "item": "每月报送一条履职记录", "period": "MONTH",
                        "required": 1, "counts": ["VERIFIED_OTHER", "RECEPTION_SERVED"] });
    for token in [&c.zhang, &c.unit, &c.citizen] {
        refused(&app, Some(token), SET_QUOTA, json!({ "i": input }), "FORBIDDEN").await;
    }
    let mut bad = input.clone();
    bad["required"] = json!(0);
    refused(&app, Some(&c.staff), SET_QUOTA, json!({ "i": bad }), "BAD_USER_INPUT").await;
    bad["required"] = json!(1);
    bad["counts"] = json!([]);
    refused(&app, Some(&c.staff), SET_QUOTA, json!({ "i": bad }), "BAD_USER_INPUT").await;
    let quota = ok(&app, &c.staff, SET_QUOTA, json!({ "i": input })).await;
    assert_eq!(quota["counts"], json!(["RECEPTION_SERVED", "VERIFIED_OTHER"]));
    assert_eq!(quota["retiredAt"], Value::Null);
    let yearly = json!({ "congressId": c.congress, "item": "每年领衔提出一件建议", "period": "YEAR",
                         "required": 1, "counts": ["SUGGESTION_LED"] });
    ok(&app, &c.staff, SET_QUOTA, json!({ "i": yearly })).await;
    assert_eq!(list(&ok(&app, &c.li, QUOTAS, json!({ "c": c.congress })).await).len(), 2);

    // 张明 has a verified entry this month.
    let entry = ok(&app, &c.zhang, &add_op(), json!({ "i": entry_input("走访选区", 0) })).await;
    ok(&app, &c.staff, &decide_op(), json!({ "id": entry["id"], "v": true })).await;

    let progress = ok(&app, &c.staff, PROGRESS, json!({ "c": c.congress })).await;
    assert_eq!(progress["on"], json!(cst_today().to_string()));
    let quotas = list(&progress["quotas"]);
    assert_eq!(quotas.len(), 2);
    assert_eq!(quotas[0]["period"]["kind"], "MONTH");
    assert_eq!(quotas[1]["period"]["kind"], "YEAR");
    assert_eq!(quotas[1]["period"]["index"], 1);
    let zhang = list(&progress["deputies"]).iter().find(|d| d["name"] == "张明").cloned().unwrap_or_default();
    assert_eq!(zhang["items"][0]["done"], 1);
    assert_eq!(zhang["items"][0]["behind"], false);
    assert_eq!(zhang["items"][1]["behind"], true, "no suggestion led this year");
    let behind: Vec<&str> = list(&progress["behind"]).iter().map(|d| str_of(&d["name"])).collect();
    assert!(behind.contains(&"李华") && behind.contains(&"张明"), "{behind:?}");

    // Another month: the monthly quota starts over.
    let earlier = json!({ "c": c.congress, "on": format!("{}-01-15", year()) });
    let january = ok(&app, &c.staff, PROGRESS, earlier).await;
    if cst_today().format("%m").to_string() != "01" {
        let zhang =
            list(&january["deputies"]).iter().find(|d| d["name"] == "张明").cloned().unwrap_or_default();
        assert_eq!(zhang["items"][0]["done"], 0);
    }

    for token in [&c.zhang, &c.unit, &c.citizen] {
        refused(&app, Some(token), PROGRESS, json!({ "c": c.congress }), "FORBIDDEN").await;
    }
    refused(&app, Some(&c.zhang), RETIRE_QUOTA, json!({ "id": quota["id"] }), "FORBIDDEN").await;
    let retired = ok(&app, &c.staff, RETIRE_QUOTA, json!({ "id": quota["id"] })).await;
    assert!(retired["retiredAt"].is_string());
    refused(&app, Some(&c.staff), RETIRE_QUOTA, json!({ "id": quota["id"] }), "CONFLICT").await;
    let progress = ok(&app, &c.staff, PROGRESS, json!({ "c": c.congress })).await;
    assert_eq!(list(&progress["quotas"]).len(), 1, "a retired quota no longer counts");
});

e2e!(answers_and_ratings_show_in_the_archive_and_score, |app| {
    let c = Cast::of(&app).await;
    let y = year();
    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let s = suggestion_step(
        &app,
        &c.zhang,
        "createSuggestion(input: $i)",
        "($i: NewSuggestionInput!)",
        json!({ "i": { "title": "增设公交站台遮雨棚", "content": "建议在主干道公交站台增设遮雨棚", "category": "交通", "sessionNumber": 1 } }),
    )
    .await;
    let id = json!({ "id": s });
    suggestion_step(&app, &c.zhang, "submitSuggestion(id: $id)", "($id: ID!)", id.clone()).await;
    let assign = json!({ "id": s, "i": { "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] } });
    suggestion_step(
        &app,
        &c.staff,
        "assignSuggestion(id: $id, input: $i)",
        "($id: ID!, $i: AssignmentInput!)",
        assign,
    )
    .await;
    suggestion_step(&app, &c.unit, "acceptSuggestion(id: $id)", "($id: ID!)", id.clone()).await;
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let contact =
        json!({ "id": s, "i": { "method": "PHONE", "contactedAt": at, "summary": "电话沟通办理思路" } });
    suggestion_step(
        &app,
        &c.unit,
        "recordContact(id: $id, input: $i)",
        "($id: ID!, $i: ContactInput!)",
        contact,
    )
    .await;
    let answer = json!({ "id": s, "i": { "content": "已完成站台改造", "answerClass": "SOLVED", "signedBy": "周局长", "public": true } });
    suggestion_step(
        &app,
        &c.unit,
        "answerSuggestion(id: $id, input: $i)",
        "($id: ID!, $i: AnswerInput!)",
        answer,
    )
    .await;
    let rating = json!({ "id": s, "i": { "attitude": "SATISFIED", "result": "SATISFIED" } });
    suggestion_step(&app, &c.zhang, "rateAnswer(id: $id, input: $i)", "($id: ID!, $i: RatingInput!)", rating)
        .await;

    let archive = ok(&app, &c.staff, &archive_op(), json!({ "d": c.zhang_id, "y": y })).await;
    let led = &archive["suggestionsLed"][0];
    assert_eq!(led["answerClasses"], json!(["SOLVED"]));
    assert_eq!(led["ratings"], json!([{ "attitude": "SATISFIED", "result": "SATISFIED" }]));
    let rated = list(&archive["answersRatedSatisfied"]);
    assert_eq!(rated.len(), 1);
    assert_eq!((&rated[0]["kind"], &rated[0]["sourceId"]), (&json!("SUGGESTION_RATED_SATISFIED"), &json!(s)));

    let ledger = ok(&app, &c.zhang, LEDGER, json!({ "d": c.zhang_id, "y": y })).await;
    let mut got = kinds(&ledger["lines"]);
    got.sort();
    assert_eq!(got, ["SUGGESTION_LED", "SUGGESTION_RATED_SATISFIED"]);
    assert_eq!(ledger["total"], 6);
});

e2e!(each_of_the_ten_items_is_a_quota_fed_by_its_own_kind, |app| {
    let c = Cast::of(&app).await;
    // Jinzhong's "十个一", and a quota set before the kinds were told apart, counting any activity.
    let items: [(&str, &str, &[&str]); 11] = [
        ("每月接待选民", "MONTH", &["RECEPTION_SERVED", "VOTERS_RECEIVED"]),
        ("每月走访选区", "MONTH", &["CONSTITUENCY_VISITED"]),
        ("每月反映一条社情民意", "MONTH", &["DEPUTY_REPORT_SUBMITTED"]),
        ("每季度参加调研视察", "QUARTER", &["INSPECTION_ATTENDED", "RESEARCH_ATTENDED"]),
        ("每季度学习培训", "QUARTER", &["TRAINING_ATTENDED", "COURSE_COMPLETED"]),
        ("每年提出一件建议", "YEAR", &["SUGGESTION_LED"]),
        ("每年开展一次政策宣讲", "YEAR", &["POLICY_TALK_GIVEN"]),
        ("每季度参加代表会议", "QUARTER", &["DEPUTY_MEETING_ATTENDED"]),
        ("每年参加一次履职交流", "YEAR", &["EXPERIENCE_EXCHANGED"]),
        ("每年述职评议", "YEAR", &["REPORT_TO_VOTERS"]),
        ("参加活动", "YEAR", &["ACTIVITY_ATTENDED"]),
    ];
    for (item, period, counts) in items {
        let input = json!({ "congressId": c.congress, "item": item, "period": period, "required": 1, "counts": counts });
        ok(&app, &c.staff, SET_QUOTA, json!({ "i": input })).await;
    }

    // 张明 visits his constituency, joins an inspection and gives a policy talk; 李华 is assigned and absent
    // so far (the activities have not ended). 张明 also reports constituents' views.
    for (kind, title) in
        [("CONSTITUENCY_VISIT", "走访选区"), ("INSPECTION", "视察"), ("POLICY_TALK", "政策宣讲")]
    {
        let created = ok(
            &app,
            &c.staff,
            "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id } }",
            json!({ "i": {
                "congressId": c.congress, "kind": kind, "title": title, "place": "东城街道",
                "startsAt": (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339(),
                "endsAt": (chrono::Utc::now() + chrono::Duration::minutes(130)).to_rfc3339(),
                "participation": "ASSIGNED", "deputyIds": [c.zhang_id, c.li_id],
            } }),
        )
        .await;
        let id = str_of(&created["id"]).to_owned();
        ok(
            &app,
            &c.staff,
            "mutation($a: ID!, $d: ID!) { r: checkInParticipant(activityId: $a, deputyId: $d) { id } }",
            json!({ "a": id, "d": c.zhang_id }),
        )
        .await;
    }
    let report = app
        .gql(
            edaibiao_tests::reports::SUBMIT,
            json!({ "i": edaibiao_tests::reports::input("关于社区养老服务的社情民意") }),
            Some(&c.zhang),
        )
        .await;
    let report = str_of(&report.data()["r"]["id"]).to_owned();

    // Each item counts only its own kinds; the old quota still counts every activity.
    let progress = ok(&app, &c.staff, PROGRESS, json!({ "c": c.congress })).await;
    let done_of = |name: &str| -> Vec<(String, i64)> {
        let deputy =
            list(&progress["deputies"]).iter().find(|d| d["name"] == name).cloned().unwrap_or_default();
        list(&deputy["items"])
            .iter()
            .map(|i| (str_of(&i["item"]).to_owned(), i["done"].as_i64().unwrap_or(-1)))
            .collect()
    };
    let zhang = done_of("张明");
    let expected = [
        ("每月接待选民", 0),
        ("每月走访选区", 1),
        ("每月反映一条社情民意", 1),
        ("每季度参加调研视察", 1),
        ("每季度学习培训", 0),
        ("每年提出一件建议", 0),
        ("每年开展一次政策宣讲", 1),
        ("每季度参加代表会议", 0),
        ("每年参加一次履职交流", 0),
        ("每年述职评议", 0),
        ("参加活动", 3),
    ];
    for (item, done) in expected {
        assert!(zhang.contains(&(item.to_owned(), done)), "{item} should be {done}: {zhang:?}");
    }
    assert!(done_of("李华").iter().all(|(_, done)| *done == 0), "{:?}", done_of("李华"));

    // The archive names each activity's own kind, and the report in its own section.
    let archive = ok(
        &app,
        &c.zhang,
        "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) {
            activitiesAttended { kind sourceId } deputyReports { kind sourceId sourceType } } }",
        json!({ "d": c.zhang_id, "y": year() }),
    )
    .await;
    let mut attended = kinds(&archive["activitiesAttended"]);
    attended.sort();
    assert_eq!(attended, ["CONSTITUENCY_VISITED", "INSPECTION_ATTENDED", "POLICY_TALK_GIVEN"]);
    assert_eq!(
        archive["deputyReports"],
        json!([{ "kind": "DEPUTY_REPORT_SUBMITTED", "sourceId": report, "sourceType": "DeputyReport" }])
    );

    // Points: with the default table the activities score by the ACTIVITY_ATTENDED rule (2 each), the
    // report has no rule yet; a rule of its own takes over for its kind only.
    let ledger_op = "query($d: ID!, $y: Int!) { r: pointsLedger(deputyId: $d, year: $y) {
        total lines { kind awarded adjustment rule { kind points } } } }";
    let vars = json!({ "d": c.zhang_id, "y": year() });
    let lines = |ledger: &Value| -> Vec<(String, i64, Value)> {
        let mut out: Vec<(String, i64, Value)> = list(&ledger["lines"])
            .iter()
            .map(|l| {
                (
                    str_of(&l["kind"]).to_owned(),
                    l["awarded"].as_i64().unwrap_or(-99),
                    l["rule"]["kind"].clone(),
                )
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    };
    let before = ok(&app, &c.zhang, ledger_op, vars.clone()).await;
    let general = json!("ACTIVITY_ATTENDED");
    assert_eq!(
        lines(&before),
        [
            ("CONSTITUENCY_VISITED".to_owned(), 2, general.clone()),
            ("DEPUTY_REPORT_SUBMITTED".to_owned(), 0, Value::Null),
            ("INSPECTION_ATTENDED".to_owned(), 2, general.clone()),
            ("POLICY_TALK_GIVEN".to_owned(), 2, general.clone()),
        ]
    );
    let today = cst_today().to_string();
    for (kind, points) in [("CONSTITUENCY_VISITED", 4), ("DEPUTY_REPORT_SUBMITTED", 3)] {
        let rule =
            json!({ "congressId": c.congress, "kind": kind, "points": points, "effectiveFrom": today });
        ok(&app, &c.staff, SET_RULE, json!({ "i": rule })).await;
    }
    let after = ok(&app, &c.zhang, ledger_op, vars).await;
    assert_eq!(
        lines(&after),
        [
            ("CONSTITUENCY_VISITED".to_owned(), 4, json!("CONSTITUENCY_VISITED")),
            ("DEPUTY_REPORT_SUBMITTED".to_owned(), 3, json!("DEPUTY_REPORT_SUBMITTED")),
            ("INSPECTION_ATTENDED".to_owned(), 2, general.clone()),
            ("POLICY_TALK_GIVEN".to_owned(), 2, general),
        ]
    );
    assert_eq!(after["total"], 11);
});

e2e!(staff_record_a_session_speech_in_the_archive, |app| {
    let c = Cast::of(&app).await;
    let op = "mutation($d: ID!, $i: DutyEntryInput!, $k: String) {
        r: recordSessionSpeech(deputyId: $d, input: $i, idempotencyKey: $k) { id kind status title deputy { name } } }";
    let vars =
        json!({ "d": c.zhang_id, "i": entry_input("关于教育优先发展的大会发言", 1), "k": "speech-key-01" });
    // Only the staff of the deputy's congress record it.
    for token in [&c.zhang, &c.li, &c.unit, &c.station, &c.citizen] {
        refused(&app, Some(token), op, vars.clone(), "FORBIDDEN").await;
    }
    refused(&app, None, op, vars.clone(), "UNAUTHENTICATED").await;
    let mut future = vars.clone();
    future["i"]["happenedOn"] = json!(cst_today().succ_opt().unwrap_or_default().to_string());
    refused(&app, Some(&c.staff), op, future, "BAD_USER_INPUT").await;
    let speech = ok(&app, &c.staff, op, vars.clone()).await;
    assert_eq!((&speech["kind"], &speech["status"]), (&json!("SESSION_SPEECH"), &json!("VERIFIED")));
    assert_eq!(speech["deputy"]["name"], "张明");
    assert_eq!(ok(&app, &c.staff, op, vars).await["id"], speech["id"], "a retry records once");

    // It is in the archive as a speech, counts as SESSION_SPEECH for quotas and points, and the deputy is told.
    let archive = ok(
        &app,
        &c.zhang,
        "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) { sessionSpeeches { kind sourceId sourceType } selfReported { kind } } }",
        json!({ "d": c.zhang_id, "y": year() }),
    )
    .await;
    assert_eq!(
        archive["sessionSpeeches"],
        json!([{ "kind": "SESSION_SPEECH", "sourceId": speech["id"], "sourceType": "DutyEntry" }])
    );
    assert_eq!(archive["selfReported"], json!([]));
    let quota = json!({ "congressId": c.congress, "item": "每年大会发言", "period": "YEAR", "required": 1, "counts": ["SESSION_SPEECH"] });
    ok(&app, &c.staff, SET_QUOTA, json!({ "i": quota })).await;
    let progress = ok(&app, &c.staff, PROGRESS, json!({ "c": c.congress })).await;
    let zhang = list(&progress["deputies"]).iter().find(|d| d["name"] == "张明").cloned().unwrap_or_default();
    assert_eq!(zhang["items"][0]["done"], 1, "{zhang}");
    let rule = json!({ "congressId": c.congress, "kind": "SESSION_SPEECH", "points": 6, "effectiveFrom": format!("{}-01-01", year()) });
    ok(&app, &c.staff, SET_RULE, json!({ "i": rule })).await;
    let ledger = ok(&app, &c.zhang, LEDGER, json!({ "d": c.zhang_id, "y": year() })).await;
    assert_eq!(kinds(&ledger["lines"]), ["SESSION_SPEECH"]);
    assert_eq!(ledger["total"], 6);
    let inbox =
        app.gql("{ notifications(first: 20) { nodes { kind subjectId } } }", json!({}), Some(&c.zhang)).await;
    let told = list(&inbox.data()["notifications"]["nodes"])
        .iter()
        .any(|n| n["kind"] == "DUTY_SPEECH_RECORDED" && n["subjectId"] == speech["id"]);
    assert!(told, "{}", inbox.body);
});

const TRAIL: &str = "query($d: ID!, $y: Int!, $from: NaiveDate, $to: NaiveDate, $first: Int, $after: String) {
    r: dutyTrail(deputyId: $d, year: $y, from: $from, to: $to, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { kind date title sourceId sourceType status } } }";

fn titles(conn: &Value) -> Vec<String> {
    list(&conn["nodes"]).iter().map(|n| str_of(&n["title"]).to_owned()).collect()
}

e2e!(a_deputys_activity_trail_is_their_year_in_time_order, |app| {
    let w = edaibiao_tests::world::build(&app).await;
    let (a, y) = (&w.a, year());
    let day = |ago: u64| cst_today().checked_sub_days(chrono::Days::new(ago)).unwrap_or_default().to_string();
    // 张明: two entries of his own (pending), a speech staff record (verified), a suggestion today.
    let first = ok(&app, &a.deputy, &add_op(), json!({ "i": entry_input("走访东城社区", 3) })).await;
    ok(&app, &a.deputy, &add_op(), json!({ "i": entry_input("参加企业座谈", 2) })).await;
    let speech_op =
        "mutation($d: ID!, $i: DutyEntryInput!) { r: recordSessionSpeech(deputyId: $d, input: $i) { id } }";
    let speech = json!({ "d": a.deputy_id, "i": entry_input("关于教育的大会发言", 1) });
    let speech = ok(&app, &a.staff, speech_op, speech).await;
    let s = suggestion_step(
        &app,
        &a.deputy,
        "createSuggestion(input: $i)",
        "($i: NewSuggestionInput!)",
        json!({ "i": { "title": "优化城区公交线路", "content": "关于优化城区公交线路的具体建议", "category": "交通", "sessionNumber": 1 } }),
    )
    .await;
    suggestion_step(&app, &a.deputy, "submitSuggestion(id: $id)", "($id: ID!)", json!({ "id": s })).await;
    // Another deputy's entry is not on his trail.
    ok(&app, &w.a_deputy2, &add_op(), json!({ "i": entry_input("李华的走访", 2) })).await;

    // In time order, page by page, for the deputy and for his congress's staff alike.
    let vars = json!({ "d": a.deputy_id, "y": y, "first": 2 });
    for token in [&a.deputy, &a.staff] {
        let page1 = ok(&app, token, TRAIL, vars.clone()).await;
        assert_eq!(page1["totalCount"], 4, "{page1}");
        assert_eq!(titles(&page1), ["走访东城社区", "参加企业座谈"]);
        assert_eq!(page1["nodes"][0]["sourceId"], first["id"]);
        assert_eq!(page1["nodes"][0]["status"], "PENDING");
        assert_eq!(page1["nodes"][0]["date"], json!(day(3)));
        assert_eq!(page1["pageInfo"]["hasNextPage"], true);
        let mut next = vars.clone();
        next["after"] = page1["pageInfo"]["endCursor"].clone();
        let page2 = ok(&app, token, TRAIL, next).await;
        assert_eq!(titles(&page2), ["关于教育的大会发言", "优化城区公交线路"]);
        let kinds: Vec<&Value> = list(&page2["nodes"]).iter().map(|n| &n["kind"]).collect();
        assert_eq!(kinds, [&json!("SESSION_SPEECH"), &json!("SUGGESTION_LED")]);
        assert_eq!(page2["nodes"][0]["sourceId"], speech["id"]);
        assert_eq!(
            (&page2["nodes"][1]["sourceId"], &page2["nodes"][1]["sourceType"]),
            (&json!(s), &json!("Suggestion"))
        );
        assert_eq!(page2["pageInfo"]["hasNextPage"], false);
    }
    // A period narrows it.
    let period = json!({ "d": a.deputy_id, "y": y, "from": day(2), "to": day(1) });
    let narrowed = ok(&app, &a.deputy, TRAIL, period).await;
    assert_eq!(titles(&narrowed), ["参加企业座谈", "关于教育的大会发言"]);
    assert_eq!(narrowed["totalCount"], 2);

    // Hostile input is BAD_USER_INPUT: a day outside the year, a reversed period, a foreign cursor, a huge page.
    let bad = [
        json!({ "d": a.deputy_id, "y": y, "from": format!("{}-12-31", y - 1) }),
        json!({ "d": a.deputy_id, "y": y, "to": format!("{}-01-01", y + 1) }),
        json!({ "d": a.deputy_id, "y": y, "from": day(1), "to": day(2) }),
        json!({ "d": a.deputy_id, "y": y, "after": "AAAAAAAAAAAAAAAAAAAAAA" }),
        json!({ "d": a.deputy_id, "y": y, "after": "not a cursor" }),
        json!({ "d": a.deputy_id, "y": y, "first": 101 }),
        json!({ "d": a.deputy_id, "y": 99999 }),
        json!({ "d": a.unit_id, "y": y }),
    ];
    for vars in bad {
        refused(&app, Some(&a.staff), TRAIL, vars, "BAD_USER_INPUT").await;
    }

    // Nobody else reads it: another deputy, units, stations, citizens, the other congress's staff and deputy.
    let vars = json!({ "d": a.deputy_id, "y": y });
    for token in [&w.a_deputy2, &a.unit_staff, &a.station_staff, &w.citizen, &w.b.staff, &w.b.deputy] {
        refused(&app, Some(token), TRAIL, vars.clone(), "FORBIDDEN").await;
    }
    refused(&app, None, TRAIL, vars.clone(), "UNAUTHENTICATED").await;
    // B's staff read B's deputy's trail (empty), not A's.
    let b_trail = ok(&app, &w.b.staff, TRAIL, json!({ "d": w.b.deputy_id, "y": y })).await;
    assert_eq!(b_trail["totalCount"], 0);
});
