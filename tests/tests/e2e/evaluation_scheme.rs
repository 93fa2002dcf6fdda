//! The evaluation scheme (考评细则, 五大项二十六小项): staff define a Xuzhou-like tree of five categories and
//! seventeen items on an OPEN evaluation, deputies' duty (activities, suggestions, speeches, reports of
//! constituents' views, verified entries) feeds the items, staff score the manual item, review and publish;
//! every deputy's result and notice show each category and item with caps applied, and only the right
//! people see or change any of it.

use edaibiao_tests::time::{cst_today, this_year};
use edaibiao_tests::world;
use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use serde_json::{Value, json};

const SET_SCHEME: &str = "mutation($e: ID!, $s: EvaluationSchemeInput) {
    r: setEvaluationScheme(evaluationId: $e, scheme: $s) { id state
        scheme { maxScore categories { name cap maxScore items { id name source points cap kinds } } } } }";

const SCORE: &str = "mutation($e: ID!, $i: ID!, $d: ID!, $s: Float!) {
    r: scoreEvaluationItem(evaluationId: $e, itemId: $i, deputyId: $d, score: $s) { itemId score deputy { name } } }";

const RESULT_FIELDS: &str = "id deputyName score grade rank
    categories { name score cap maxScore items { name count points score cap source kinds } }";

fn kinds(name: &str, points: f64, cap: f64, kinds: &[&str]) -> Value {
    json!({ "name": name, "source": "KINDS", "points": points, "cap": cap, "kinds": kinds })
}

/// Xuzhou-like: five categories summing to 100, sixteen items counted from the archive and one by hand.
fn xuzhou() -> Value {
    json!({ "categories": [
        { "name": "闭会期间履职", "cap": 35, "items": [
            kinds("参加视察", 5.0, 10.0, &["INSPECTION_ATTENDED"]),
            kinds("参加调研", 5.0, 10.0, &["RESEARCH_ATTENDED"]),
            kinds("参加代表小组活动", 2.0, 6.0, &["DEPUTY_MEETING_ATTENDED"]),
            kinds("参加履职交流", 2.0, 4.0, &["EXPERIENCE_EXCHANGED"]),
            kinds("无故缺席活动", -5.0, 10.0, &["ACTIVITY_ABSENT_UNEXCUSED"]),
        ] },
        { "name": "大会期间履职", "cap": 25, "items": [
            kinds("领衔提出建议", 10.0, 20.0, &["SUGGESTION_LED"]),
            kinds("联名附议建议", 2.0, 6.0, &["SUGGESTION_CO_SIGNED"]),
            kinds("大会发言", 5.0, 10.0, &["SESSION_SPEECH"]),
            kinds("领衔提出议案", 10.0, 10.0, &["BILL_LED"]),
        ] },
        { "name": "联系群众", "cap": 20, "items": [
            kinds("走访选区", 3.0, 9.0, &["CONSTITUENCY_VISITED"]),
            kinds("反映社情民意", 4.0, 8.0, &["DEPUTY_REPORT_SUBMITTED"]),
            kinds("接待选民", 2.0, 8.0, &["RECEPTION_SERVED", "VOTERS_RECEIVED"]),
            kinds("政策宣讲", 3.0, 3.0, &["POLICY_TALK_GIVEN"]),
        ] },
        { "name": "学习培训", "cap": 10, "items": [
            kinds("参加培训", 5.0, 10.0, &["TRAINING_ATTENDED"]),
            kinds("在线学习", 1.0, 5.0, &["COURSE_COMPLETED"]),
        ] },
        { "name": "其他", "cap": 10, "items": [
            kinds("其他履职", 2.0, 4.0, &["VERIFIED_OTHER"]),
            { "name": "综合评价", "source": "MANUAL", "cap": 6 },
        ] },
    ] })
}

async fn data(app: &TestApp, token: &str, op: &str, vars: Value) -> Value {
    let res = app.gql(op, vars, Some(token)).await;
    assert!(res.body.get("errors").is_none(), "failed: {}", res.body);
    res.data()["r"].clone()
}

async fn set_scheme(app: &TestApp, token: &str, evaluation: &str, scheme: Value) -> Gql {
    app.gql(SET_SCHEME, json!({ "e": evaluation, "s": scheme }), Some(token)).await
}

async fn score(app: &TestApp, token: &str, evaluation: &str, item: &str, deputy: &str, score: f64) -> Gql {
    app.gql(SCORE, json!({ "e": evaluation, "i": item, "d": deputy, "s": score }), Some(token)).await
}

async fn step(app: &TestApp, token: &str, mutation: &str, evaluation: &str) -> Gql {
    let op = format!("mutation($id: ID!) {{ r: {mutation}(id: $id) {{ state }} }}");
    app.gql(&op, json!({ "id": evaluation }), Some(token)).await
}

/// An activity of `kind` starting soon that `present` are checked in to.
async fn activity(app: &TestApp, staff: &str, c: &Cast, kind: &str, title: &str, present: &[&str]) {
    let now = chrono::Utc::now();
    let deputies: Vec<&str> = present.iter().map(|n| c.deputy(n)).collect();
    let created = data(
        app,
        staff,
        "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id } }",
        json!({ "i": {
            "congressId": c.congress, "kind": kind, "title": title, "place": "东城街道",
            "startsAt": (now + chrono::Duration::minutes(10)).to_rfc3339(),
            "endsAt": (now + chrono::Duration::minutes(130)).to_rfc3339(),
            "participation": "ASSIGNED", "deputyIds": deputies,
        } }),
    )
    .await;
    for d in deputies {
        data(
            app,
            staff,
            "mutation($a: ID!, $d: ID!) { r: checkInParticipant(activityId: $a, deputyId: $d) { id } }",
            json!({ "a": created["id"], "d": d }),
        )
        .await;
    }
}

async fn suggestion(app: &TestApp, token: &str, title: &str) {
    let input = json!({ "title": title, "content": format!("关于{title}的具体建议内容"), "category": "交通", "sessionNumber": 1 });
    let created = data(
        app,
        token,
        "mutation($i: NewSuggestionInput!) { r: createSuggestion(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    data(
        app,
        token,
        "mutation($id: ID!) { r: submitSuggestion(id: $id) { id } }",
        json!({ "id": created["id"] }),
    )
    .await;
}

fn entry(title: &str) -> Value {
    json!({ "title": title, "note": format!("{title}的情况说明"), "happenedOn": cst_today().to_string() })
}

fn category<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["categories"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no category {name} in {result}"))
}

/// (count, score) of each item of a category, in order.
fn figures(result: &Value, name: &str) -> Vec<(i64, f64)> {
    category(result, name)["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| (i["count"].as_i64().unwrap_or(-1), i["score"].as_f64().unwrap_or(f64::NAN)))
        .collect()
}

e2e!(a_year_evaluated_by_a_five_category_tree_shows_every_item_in_results_and_notices, |app| {
    let c = Cast::of(&app).await;
    let w = world::build(&app).await;
    let year = this_year();

    // An evaluation of the year, graded EXCELLENT from 60 and QUALIFIED from 20.
    let input = json!({
        "congressId": c.congress, "year": year, "fullMark": 100,
        "weights": { "points": 100, "voterRating": 0, "groupAssessment": 0 },
        "thresholds": { "excellent": 60, "qualified": 20 },
        "rectificationDeadline": (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339(),
    });
    let opened = data(
        &app,
        &c.staff,
        "mutation($i: OpenDutyEvaluationInput!) { r: openDutyEvaluation(input: $i) { id scheme { maxScore } } }",
        json!({ "i": input }),
    )
    .await;
    let id = str_of(&opened["id"]).to_owned();
    assert_eq!(opened["scheme"], Value::Null, "weighted until a scheme is set");

    // Only staff of the congress set the scheme; a tree that breaks a rule is refused, naming the field.
    for token in [&c.zhang, &c.unit, &c.citizen, &w.b.staff] {
        set_scheme(&app, token, &id, xuzhou()).await.assert_code("FORBIDDEN");
    }
    let mut twice = xuzhou();
    twice["categories"][1]["items"][0]["kinds"] = json!(["INSPECTION_ATTENDED"]);
    let res = set_scheme(&app, &c.staff, &id, twice).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "items.kinds", "{}", res.body);
    let mut no_kinds = xuzhou();
    no_kinds["categories"][0]["items"][0]["kinds"] = json!([]);
    set_scheme(&app, &c.staff, &id, no_kinds).await.assert_code("BAD_USER_INPUT");
    let mut negative_cap = xuzhou();
    negative_cap["categories"][0]["cap"] = json!(-1);
    let res = set_scheme(&app, &c.staff, &id, negative_cap).await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "categories.cap", "{}", res.body);
    let too_many: Vec<Value> = (0..21)
        .map(|n| json!({ "name": format!("类{n}"), "items": [{ "name": "项", "source": "MANUAL", "cap": 1 }] }))
        .collect();
    set_scheme(&app, &c.staff, &id, json!({ "categories": too_many })).await.assert_code("BAD_USER_INPUT");

    let set = set_scheme(&app, &c.staff, &id, xuzhou()).await;
    let scheme = set.data()["r"]["scheme"].clone();
    assert_eq!(scheme["maxScore"], 100.0);
    let categories = scheme["categories"].as_array().cloned().unwrap_or_default();
    assert_eq!(categories.len(), 5);
    let items: Vec<Value> =
        categories.iter().flat_map(|c| c["items"].as_array().cloned().unwrap_or_default()).collect();
    assert_eq!(items.len(), 17);
    assert_eq!(categories[0]["maxScore"], 35.0);
    assert_eq!(categories[2]["items"][2]["kinds"], json!(["RECEPTION_SERVED", "VOTERS_RECEIVED"]));
    let manual = items.iter().find(|i| i["source"] == "MANUAL").cloned().unwrap_or_default();
    let manual_id = str_of(&manual["id"]).to_owned();
    let counted_id = str_of(&items[0]["id"]).to_owned();
    // The item is a Node, for those who read the evaluation.
    let node = "query($id: ID!) { node(id: $id) { ... on EvaluationItem { name cap source } } }";
    let res = app.gql(node, json!({ "id": manual_id }), Some(&c.staff)).await;
    assert_eq!(res.data()["node"], json!({ "name": "综合评价", "cap": 6.0, "source": "MANUAL" }));
    let res = app.gql(node, json!({ "id": manual_id }), Some(&w.b.staff)).await;
    assert_eq!(res.data()["node"], Value::Null, "hidden from another congress's staff");

    // The year's duty. 张明: two inspections, research, a training, a constituency visit, two policy talks,
    // three suggestions, two session speeches, a report of constituents' views, a verified entry.
    // 李华: the first inspection, the visit, a suggestion and a report.
    activity(&app, &c.staff, &c, "INSPECTION", "城区交通视察", &["张明", "李华"]).await;
    activity(&app, &c.staff, &c, "INSPECTION", "学校安全视察", &["张明"]).await;
    activity(&app, &c.staff, &c, "RESEARCH", "养老服务调研", &["张明"]).await;
    activity(&app, &c.staff, &c, "TRAINING", "代表履职培训", &["张明"]).await;
    activity(&app, &c.staff, &c, "CONSTITUENCY_VISIT", "走访选区", &["张明", "李华"]).await;
    activity(&app, &c.staff, &c, "POLICY_TALK", "政策宣讲一", &["张明"]).await;
    activity(&app, &c.staff, &c, "POLICY_TALK", "政策宣讲二", &["张明"]).await;
    for title in ["优化城区公交线路", "加强校园周边交通管理", "完善社区养老设施"] {
        suggestion(&app, &c.zhang, title).await;
    }
    suggestion(&app, &c.li, "增设公共自行车站点").await;
    let speech =
        "mutation($d: ID!, $i: DutyEntryInput!) { r: recordSessionSpeech(deputyId: $d, input: $i) { id } }";
    for title in ["关于教育优先发展的大会发言", "关于交通治理的大会发言"] {
        data(&app, &c.staff, speech, json!({ "d": c.deputy("张明"), "i": entry(title) })).await;
    }
    for (token, title) in [(&c.zhang, "关于社区养老服务的社情民意"), (&c.li, "关于老旧小区改造的社情民意")]
    {
        let input = edaibiao_tests::reports::input(title);
        data(&app, token, edaibiao_tests::reports::SUBMIT, json!({ "i": input })).await;
    }
    let added = data(
        &app,
        &c.zhang,
        "mutation($i: DutyEntryInput!) { r: addDutyEntry(input: $i) { id } }",
        json!({ "i": entry("参加助学公益活动") }),
    )
    .await;
    data(
        &app,
        &c.staff,
        "mutation($id: ID!) { r: decideDutyEntry(id: $id, verify: true) { id } }",
        json!({ "id": added["id"] }),
    )
    .await;

    // Manual scores: staff of the congress only, within the item's cap, only on a MANUAL item.
    for token in [&c.zhang, &c.unit, &w.b.staff] {
        score(&app, token, &id, &manual_id, c.deputy("张明"), 5.0).await.assert_code("FORBIDDEN");
    }
    let res = score(&app, &c.staff, &id, &manual_id, c.deputy("张明"), 6.5).await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "score", "{}", res.body);
    let res = score(&app, &c.staff, &id, &counted_id, c.deputy("张明"), 1.0).await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "itemId", "{}", res.body);
    score(&app, &c.staff, &id, &manual_id, &w.b.deputy_id, 1.0).await.assert_code("BAD_USER_INPUT");
    let res = score(&app, &c.staff, &id, &manual_id, c.deputy("张明"), 5.0).await;
    assert_eq!(res.data()["r"]["deputy"]["name"], "张明");
    let res = score(&app, &c.staff, &id, &manual_id, c.deputy("张明"), 6.0).await;
    assert_eq!(res.data()["r"]["score"], 6.0, "changing a score keeps one per deputy");
    score(&app, &c.staff, &id, &manual_id, c.deputy("李华"), 3.0).await.data();

    // The review waits for every deputy's manual score and names who lacks one.
    let res = step(&app, &c.staff, "reviewDutyEvaluation", &id).await;
    res.assert_code("CONFLICT");
    let message = str_of(&res.body["errors"][0]["message"]).to_owned();
    assert!(message.contains("王芳") && !message.contains("张明") && !message.contains("李华"), "{message}");
    for name in ["王芳", "赵强", "陈静"] {
        score(&app, &c.staff, &id, &manual_id, c.deputy(name), 5.0).await.data();
    }
    let scores = "query($id: ID!) { dutyEvaluation(id: $id) { itemScores { score deputy { name } } } }";
    let res = app.gql(scores, json!({ "id": id }), Some(&c.staff)).await;
    assert_eq!(res.data()["dutyEvaluation"]["itemScores"].as_array().map(Vec::len), Some(5));
    app.gql(scores, json!({ "id": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");

    assert_eq!(step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data()["r"]["state"], "REVIEWED");
    // Reviewed: the tree and the scores are frozen.
    set_scheme(&app, &c.staff, &id, xuzhou()).await.assert_code("CONFLICT");
    score(&app, &c.staff, &id, &manual_id, c.deputy("张明"), 1.0).await.assert_code("CONFLICT");

    let op = format!(
        "query($id: ID!) {{ dutyEvaluation(id: $id) {{ results(first: 50) {{ nodes {{ {RESULT_FIELDS} }} }} }} }}"
    );
    let res = app.gql(&op, json!({ "id": id }), Some(&c.staff)).await;
    let nodes = res.data()["dutyEvaluation"]["results"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.len(), 5);
    let of = |name: &str| nodes.iter().find(|n| n["deputyName"] == name).cloned().unwrap_or_default();
    let zhang = of("张明");
    // 闭会期间履职: inspections 2 × 5 = 10 (at the cap), research 5.
    assert_eq!(figures(&zhang, "闭会期间履职"), [(2, 10.0), (1, 5.0), (0, 0.0), (0, 0.0), (0, 0.0)]);
    assert_eq!(category(&zhang, "闭会期间履职")["score"], 15.0);
    // 大会期间履职: 3 suggestions × 10 = 30 capped at 20, 2 speeches 10: 30, the category capped at 25.
    assert_eq!(figures(&zhang, "大会期间履职"), [(3, 20.0), (0, 0.0), (2, 10.0), (0, 0.0)]);
    assert_eq!(category(&zhang, "大会期间履职")["score"], 25.0);
    // 联系群众: a visit 3, a report 4, two talks 6 capped at 3.
    assert_eq!(figures(&zhang, "联系群众"), [(1, 3.0), (1, 4.0), (0, 0.0), (2, 3.0)]);
    assert_eq!(category(&zhang, "联系群众")["score"], 10.0);
    assert_eq!(figures(&zhang, "学习培训"), [(1, 5.0), (0, 0.0)]);
    assert_eq!(figures(&zhang, "其他"), [(1, 2.0), (1, 6.0)]);
    assert_eq!(category(&zhang, "其他")["score"], 8.0);
    assert_eq!(
        (zhang["score"].as_f64(), zhang["grade"].as_str(), zhang["rank"].as_i64()),
        (Some(63.0), Some("EXCELLENT"), Some(1))
    );
    let item = &category(&zhang, "大会期间履职")["items"][0];
    assert_eq!(
        (&item["name"], &item["points"], &item["cap"], &item["source"], &item["kinds"]),
        (&json!("领衔提出建议"), &json!(10.0), &json!(20.0), &json!("KINDS"), &json!(["SUGGESTION_LED"]))
    );
    let li = of("李华");
    assert_eq!(figures(&li, "闭会期间履职"), [(1, 5.0), (0, 0.0), (0, 0.0), (0, 0.0), (0, 0.0)]);
    assert_eq!(figures(&li, "大会期间履职"), [(1, 10.0), (0, 0.0), (0, 0.0), (0, 0.0)]);
    assert_eq!(figures(&li, "联系群众"), [(1, 3.0), (1, 4.0), (0, 0.0), (0, 0.0)]);
    assert_eq!(figures(&li, "其他"), [(0, 0.0), (1, 3.0)]);
    assert_eq!((li["score"].as_f64(), li["grade"].as_str()), (Some(25.0), Some("QUALIFIED")));
    for name in ["王芳", "赵强", "陈静"] {
        let r = of(name);
        assert_eq!(category(&r, "其他")["score"], 5.0, "{r}");
        assert_eq!(r["categories"].as_array().map(Vec::len), Some(5));
    }

    // Before publishing a deputy sees nothing; then the notice shows every category and item.
    let notice = format!("query($e: ID!) {{ r: evaluationNotice(evaluationId: $e) {{ {RESULT_FIELDS} }} }}");
    app.gql(&notice, json!({ "e": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    step(&app, &c.staff, "publishDutyEvaluation", &id).await.data();
    let inbox =
        data(&app, &c.zhang, "query { r: notifications(first: 50) { nodes { kind body } } }", json!({}))
            .await;
    let body = inbox["nodes"]
        .as_array()
        .and_then(|ns| ns.iter().find(|n| n["kind"] == "DUTY_EVALUATION_PUBLISHED"))
        .map(|n| str_of(&n["body"]).to_owned())
        .unwrap_or_else(|| panic!("no notice in {inbox}"));
    assert!(body.contains("考评得分63分（满分100分）") && body.contains("优秀"), "{body}");
    for c in &categories {
        assert!(body.contains(str_of(&c["name"])), "{} missing from {body}", c["name"]);
    }
    for i in &items {
        assert!(body.contains(str_of(&i["name"])), "{} missing from {body}", i["name"]);
    }
    assert!(body.contains("领衔提出建议（3次，得20分，上限20分）"), "{body}");
    assert!(body.contains("大会期间履职25分（满分25分）"), "{body}");
    assert!(body.contains("综合评价（评定，得6分，上限6分）"), "{body}");

    // A deputy reads only their own result, with the same figures; staff of another congress nothing.
    let mine = data(&app, &c.zhang, &notice, json!({ "e": id })).await;
    assert_eq!(mine["categories"], zhang["categories"]);
    let theirs = data(&app, &c.li, &notice, json!({ "e": id })).await;
    assert_eq!(theirs["deputyName"], "李华");
    let result = "query($id: ID!) { node(id: $id) { ... on DutyEvaluationResult { categories { name } } } }";
    app.gql(result, json!({ "id": zhang["id"] }), Some(&c.li)).await.assert_code("FORBIDDEN");
    app.gql(result, json!({ "id": zhang["id"] }), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
    app.gql(&op, json!({ "id": id }), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
    app.gql(&op, json!({ "id": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    // Deputies of the congress see the scheme once published.
    let res = app
        .gql(
            "query($id: ID!) { dutyEvaluation(id: $id) { scheme { maxScore } } }",
            json!({ "id": id }),
            Some(&c.li),
        )
        .await;
    assert_eq!(res.data()["dutyEvaluation"]["scheme"]["maxScore"], 100.0);

    // Published results never change: more duty afterwards does not move them.
    suggestion(&app, &c.li, "规范共享单车停放").await;
    let again = data(&app, &c.li, &notice, json!({ "e": id })).await;
    assert_eq!(again["categories"], theirs["categories"]);
});

e2e!(the_weighted_evaluation_is_one_possible_tree_and_removing_the_scheme_restores_the_weights, |app| {
    let c = Cast::of(&app).await;
    let input = json!({
        "congressId": c.congress, "year": this_year(), "fullMark": 100,
        "weights": { "points": 0, "voterRating": 0, "groupAssessment": 100 },
        "rectificationDeadline": (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339(),
    });
    let opened = data(
        &app,
        &c.staff,
        "mutation($i: OpenDutyEvaluationInput!) { r: openDutyEvaluation(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let id = str_of(&opened["id"]).to_owned();
    let assess = "mutation($e: ID!, $d: ID!, $s: Float!) { r: setGroupAssessment(evaluationId: $e, deputyId: $d, score: $s) { score } }";
    for (name, s) in [("张明", 90.0), ("李华", 70.0), ("王芳", 85.0), ("赵强", 85.0), ("陈静", 85.0)]
    {
        data(&app, &c.staff, assess, json!({ "e": id, "d": c.deputy(name), "s": s })).await;
    }
    // The weights as a tree: the points 0, voters 50, the group 50 (nobody rated a report to voters).
    let tree = json!({ "categories": [{ "name": "综合评价", "items": [
        { "name": "履职积分", "source": "POINTS", "cap": 0 },
        { "name": "述职测评", "source": "VOTER_RATING", "cap": 50 },
        { "name": "代表小组评议", "source": "GROUP_ASSESSMENT", "cap": 50 },
    ] }] });
    let res = set_scheme(&app, &c.staff, &id, tree.clone()).await;
    assert_eq!(res.data()["r"]["scheme"]["maxScore"], 100.0);
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    let op = format!(
        "query($id: ID!) {{ dutyEvaluation(id: $id) {{ results(first: 50) {{ nodes {{ {RESULT_FIELDS} }} }} }} }}"
    );
    let res = app.gql(&op, json!({ "id": id }), Some(&c.staff)).await;
    let nodes = res.data()["dutyEvaluation"]["results"]["nodes"].as_array().cloned().unwrap_or_default();
    let zhang = nodes.iter().find(|n| n["deputyName"] == "张明").cloned().unwrap_or_default();
    assert_eq!(figures(&zhang, "综合评价")[1..], [(0, 0.0), (1, 45.0)]);
    assert_eq!(zhang["score"], 45.0);

    // Reopened, the scheme removed: the weights decide again and the result has no categories.
    step(&app, &c.staff, "reopenDutyEvaluation", &id).await.data();
    let res = set_scheme(&app, &c.staff, &id, Value::Null).await;
    assert_eq!(res.data()["r"]["scheme"], Value::Null);
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    let res = app.gql(&op, json!({ "id": id }), Some(&c.staff)).await;
    let nodes = res.data()["dutyEvaluation"]["results"]["nodes"].as_array().cloned().unwrap_or_default();
    let zhang = nodes.iter().find(|n| n["deputyName"] == "张明").cloned().unwrap_or_default();
    assert_eq!((zhang["score"].as_f64(), zhang["categories"].clone()), (Some(90.0), json!([])));
});
