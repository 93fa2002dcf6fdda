//! The yearly evaluation (年度履职考评): staff open it, enter the deputy groups' assessments, review, reopen
//! and publish; each deputy gets the feedback notice and reads only their own result, only once published;
//! unqualified deputies hand in a rectification report and staff follow up those who have not. The last
//! test walks a deputy's whole year over GraphQL: activities and suggestions, the points ledger, the
//! evaluation, the notice in the inbox and the rectification report.

use edaibiao_tests::time::cst_today;
use edaibiao_tests::{Cast, Gql, TestApp, WebhookSink, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};
use std::time::Duration;

const EVALUATION_FIELDS: &str = "id year state weights { points voterRating groupAssessment } fullMark
    thresholds { excellent qualified } rectificationDeadline reviewedAt publishedAt";

const RESULT_FIELDS: &str = "id year deputyName score grade rank pointsTotal pointsScore voterRatingScore
    noVoterRating voterRatings { satisfied basicallySatisfied dissatisfied } groupAssessmentScore
    deductions { kind date note points } shortfalls { component lost }
    rectification { deadline submittedAt late overdue } deputy { name }";

/// The current year in China Standard Time.
fn this_year() -> i32 {
    chrono::Datelike::year(&cst_today())
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

fn open_input(c: &Cast, weights: (i32, i32, i32), full_mark: i32) -> Value {
    json!({
        "congressId": c.congress,
        "year": this_year(),
        "weights": { "points": weights.0, "voterRating": weights.1, "groupAssessment": weights.2 },
        "fullMark": full_mark,
        "rectificationDeadline": in_days(30),
    })
}

async fn open(app: &TestApp, token: &str, input: Value) -> Gql {
    let op = format!(
        "mutation($i: OpenDutyEvaluationInput!) {{ r: openDutyEvaluation(input: $i) {{ {EVALUATION_FIELDS} }} }}"
    );
    app.gql(&op, json!({ "i": input }), Some(token)).await
}

async fn opened(app: &TestApp, token: &str, input: Value) -> String {
    str_of(&open(app, token, input).await.data()["r"]["id"]).to_owned()
}

async fn assess(app: &TestApp, token: &str, evaluation: &str, deputy: &str, score: f64) -> Gql {
    let op = "mutation($e: ID!, $d: ID!, $s: Float!) {
        r: setGroupAssessment(evaluationId: $e, deputyId: $d, score: $s, note: \"小组评议\") {
            score note deputy { name } } }";
    app.gql(op, json!({ "e": evaluation, "d": deputy, "s": score }), Some(token)).await
}

async fn step(app: &TestApp, token: &str, mutation: &str, id: &str) -> Gql {
    let op = format!("mutation($id: ID!) {{ r: {mutation}(id: $id) {{ {EVALUATION_FIELDS} }} }}");
    app.gql(&op, json!({ "id": id }), Some(token)).await
}

async fn publish(app: &TestApp, token: &str, id: &str, deadline: Option<String>) -> Gql {
    let op = format!(
        "mutation($id: ID!, $d: DateTime) {{ r: publishDutyEvaluation(id: $id, rectificationDeadline: $d) {{ {EVALUATION_FIELDS} }} }}"
    );
    app.gql(&op, json!({ "id": id, "d": deadline }), Some(token)).await
}

/// Assesses every deputy by `scores` (name → score).
async fn assess_all(app: &TestApp, c: &Cast, evaluation: &str, scores: &[(&str, f64)]) {
    for (name, score) in scores {
        assess(app, &c.staff, evaluation, c.deputy(name), *score).await.data();
    }
}

async fn results(app: &TestApp, token: &str, evaluation: &str, grade: Option<&str>) -> Gql {
    let op = format!(
        "query($id: ID!, $g: DutyGrade) {{ dutyEvaluation(id: $id) {{ results(first: 50, grade: $g) {{
            totalCount nodes {{ {RESULT_FIELDS} }} }} }} }}"
    );
    app.gql(&op, json!({ "id": evaluation, "g": grade }), Some(token)).await
}

fn result_of<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["deputyName"] == name))
        .unwrap_or_else(|| panic!("no result of {name} in {list}"))
}

async fn my_result(app: &TestApp, token: &str, year: i32) -> Gql {
    let op = format!("query($y: Int!) {{ r: myEvaluationResult(year: $y) {{ {RESULT_FIELDS} }} }}");
    app.gql(&op, json!({ "y": year }), Some(token)).await
}

async fn notice(app: &TestApp, token: &str, evaluation: &str) -> Gql {
    let op = format!("query($e: ID!) {{ r: evaluationNotice(evaluationId: $e) {{ {RESULT_FIELDS} }} }}");
    app.gql(&op, json!({ "e": evaluation }), Some(token)).await
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app
        .gql(
            "{ notifications(first: 50) { nodes { kind title body subjectKind subjectId category } } }",
            json!({}),
            Some(token),
        )
        .await;
    res.data()["notifications"]["nodes"].as_array().cloned().unwrap_or_default()
}

fn of_kind<'a>(notes: &'a [Value], kind: &str) -> Vec<&'a Value> {
    notes.iter().filter(|n| n["kind"] == kind).collect()
}

async fn submit_report(app: &TestApp, token: &str, evaluation: &str, key: Option<&str>) -> Gql {
    let op = "mutation($e: ID!, $k: String) {
        r: submitRectificationReport(evaluationId: $e, content: \"一、问题；二、整改措施；三、时限\",
            attachmentUrl: \"https://files.example.cn/zhenggai.pdf\", idempotencyKey: $k) {
            deadline submittedAt content attachmentUrl late overdue } }";
    app.gql(op, json!({ "e": evaluation, "k": key }), Some(token)).await
}

async fn talk(app: &TestApp, token: &str, evaluation: &str, deputy: &str) -> Gql {
    let op = "mutation($e: ID!, $d: ID!, $t: DateTime!) {
        r: recordReminderTalk(evaluationId: $e, deputyId: $d, talkedAt: $t, note: \"提醒按时提交整改报告\") {
            talkedAt note recordedBy { name } } }";
    app.gql(op, json!({ "e": evaluation, "d": deputy, "t": chrono::Utc::now().to_rfc3339() }), Some(token))
        .await
}

async fn follow_ups(app: &TestApp, token: &str, evaluation: &str) -> Gql {
    let op = "query($id: ID!) { dutyEvaluation(id: $id) {
        outstandingRectifications { deputyName overdue report { submittedAt late } talks { note } }
        rectifications { deputyName overdue report { submittedAt late content } talks { note } } } }";
    app.gql(op, json!({ "id": evaluation }), Some(token)).await
}

fn names_of(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().map(|r| str_of(&r["deputyName"]).to_owned()).collect()
}

e2e!(staff_open_assess_review_and_publish_and_deputies_read_only_their_own, |app| {
    let c = Cast::of(&app).await;
    let year = this_year();

    // Only staff of the congress (or an admin) open; input is checked; one evaluation per year.
    for (who, token) in
        [("deputy", &c.zhang), ("unit", &c.unit), ("citizen", &c.citizen), ("station", &c.station)]
    {
        let res = open(&app, token, open_input(&c, (0, 10, 90), 100)).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
    }
    let res = open(&app, &c.staff, open_input(&c, (50, 10, 30), 100)).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "weights");
    let mut bad = open_input(&c, (0, 10, 90), 100);
    bad["thresholds"] = json!({ "excellent": 80, "qualified": 90 });
    open(&app, &c.staff, bad).await.assert_code("BAD_USER_INPUT");
    let mut bad = open_input(&c, (0, 10, 90), 100);
    bad["rectificationDeadline"] = json!(in_days(-1));
    open(&app, &c.staff, bad).await.assert_code("BAD_USER_INPUT");
    let mut bad = open_input(&c, (0, 10, 90), 100);
    bad["year"] = json!(year + 1);
    open(&app, &c.staff, bad).await.assert_code("BAD_USER_INPUT");

    let res = open(&app, &c.staff, open_input(&c, (0, 10, 90), 100)).await;
    let evaluation = res.data()["r"].clone();
    assert_eq!(evaluation["state"], "OPEN");
    assert_eq!(evaluation["thresholds"], json!({ "excellent": 90.0, "qualified": 80.0 }), "the defaults");
    let id = str_of(&evaluation["id"]).to_owned();
    open(&app, &c.admin, open_input(&c, (0, 10, 90), 100)).await.assert_code("CONFLICT");

    // The group's part has weight: review waits for every deputy's assessment and says whose are missing.
    assess(&app, &c.staff, &id, c.deputy("张明"), 100.0).await.data();
    let res = step(&app, &c.staff, "reviewDutyEvaluation", &id).await;
    res.assert_code("CONFLICT");
    let message = str_of(&res.body["errors"][0]["message"]).to_owned();
    assert!(message.contains("李华") && message.contains("陈静") && !message.contains("张明"), "{message}");

    // Assessments: staff only, 0–100, only deputies of the congress.
    assess(&app, &c.zhang, &id, c.deputy("张明"), 100.0).await.assert_code("FORBIDDEN");
    assess(&app, &c.unit, &id, c.deputy("张明"), 100.0).await.assert_code("FORBIDDEN");
    let res = assess(&app, &c.staff, &id, c.deputy("李华"), 100.5).await;
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "score");
    assess(&app, &c.staff, &id, &c.congress, 90.0).await.assert_code("BAD_USER_INPUT");
    // 张明 90 (EXCELLENT), 李华 0.9 × 70 = 63 (UNQUALIFIED), the others 81 (QUALIFIED); nobody rated a
    // report to voters, so that part scores 0 for everyone.
    assess_all(&app, &c, &id, &[("李华", 70.0), ("王芳", 90.0), ("赵强", 90.0), ("陈静", 90.0)]).await;
    let res = assess(&app, &c.staff, &id, c.deputy("张明"), 100.0).await;
    assert_eq!(res.data()["r"]["score"], 100.0, "changing an assessment keeps one per deputy");

    // Before publishing a deputy sees nothing of it.
    let read = "query($id: ID!) { dutyEvaluation(id: $id) { year } }";
    app.gql(read, json!({ "id": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    my_result(&app, &c.zhang, year).await.assert_code("FORBIDDEN");
    notice(&app, &c.zhang, &id).await.assert_code("FORBIDDEN");
    results(&app, &c.zhang, &id, None).await.assert_code("FORBIDDEN");

    let res = step(&app, &c.staff, "reviewDutyEvaluation", &id).await;
    assert_eq!(res.data()["r"]["state"], "REVIEWED");
    assert!(res.data()["r"]["reviewedAt"].is_string());
    let res = results(&app, &c.staff, &id, None).await;
    let list = &res.data()["dutyEvaluation"]["results"];
    assert_eq!(list["totalCount"], 5);
    let nodes = &list["nodes"];
    let zhang = result_of(nodes, "张明");
    assert_eq!(
        (zhang["score"].as_f64(), zhang["grade"].as_str(), zhang["rank"].as_i64()),
        (Some(90.0), Some("EXCELLENT"), Some(1))
    );
    assert_eq!(zhang["noVoterRating"], true);
    assert_eq!(zhang["shortfalls"], json!([{ "component": "VOTER_RATING", "lost": 10.0 }]));
    let li = result_of(nodes, "李华");
    assert_eq!(
        (li["score"].as_f64(), li["grade"].as_str(), li["rank"].as_i64()),
        (Some(63.0), Some("UNQUALIFIED"), Some(5))
    );
    for name in ["王芳", "赵强", "陈静"] {
        let r = result_of(nodes, name);
        assert_eq!(
            (r["score"].as_f64(), r["grade"].as_str(), r["rank"].as_i64()),
            (Some(81.0), Some("QUALIFIED"), Some(2)),
            "ties share a rank"
        );
    }
    let ranks: Vec<i64> = nodes.as_array().into_iter().flatten().filter_map(|n| n["rank"].as_i64()).collect();
    assert_eq!(ranks, [1, 2, 2, 2, 5], "listed by rank");
    let res = results(&app, &c.staff, &id, Some("UNQUALIFIED")).await;
    assert_eq!(names_of(&res.data()["dutyEvaluation"]["results"]["nodes"]), ["李华"]);

    // Paging by rank.
    let op = "query($id: ID!, $a: String) { dutyEvaluation(id: $id) { results(first: 2, after: $a) {
        pageInfo { hasNextPage endCursor } nodes { deputyName rank } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let res = app.gql(op, json!({ "id": id, "a": after }), Some(&c.staff)).await;
        let page = &res.data()["dutyEvaluation"]["results"];
        seen.extend(page["nodes"].as_array().into_iter().flatten().filter_map(|n| n["rank"].as_i64()));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, [1, 2, 2, 2, 5]);

    // Reviewed: assessments are frozen; reopening drops the results; a second review computes them again.
    assess(&app, &c.staff, &id, c.deputy("李华"), 75.0).await.assert_code("CONFLICT");
    step(&app, &c.zhang, "reopenDutyEvaluation", &id).await.assert_code("FORBIDDEN");
    assert_eq!(step(&app, &c.staff, "reopenDutyEvaluation", &id).await.data()["r"]["state"], "OPEN");
    let res = results(&app, &c.staff, &id, None).await;
    assert_eq!(res.data()["dutyEvaluation"]["results"]["totalCount"], 0);
    publish(&app, &c.staff, &id, None).await.assert_code("CONFLICT");
    assess(&app, &c.staff, &id, c.deputy("李华"), 75.0).await.data();
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.assert_code("CONFLICT");
    let res = results(&app, &c.staff, &id, Some("UNQUALIFIED")).await;
    let li_result = res.data()["dutyEvaluation"]["results"]["nodes"][0].clone();
    assert_eq!(li_result["score"], 67.5);

    // Publishing: staff only; once.
    publish(&app, &c.zhang, &id, None).await.assert_code("FORBIDDEN");
    let res = publish(&app, &c.staff, &id, None).await;
    assert_eq!(res.data()["r"]["state"], "PUBLISHED");
    publish(&app, &c.staff, &id, None).await.assert_code("CONFLICT");
    step(&app, &c.staff, "reopenDutyEvaluation", &id).await.assert_code("CONFLICT");

    // Each deputy has the feedback notice in their inbox; the unqualified one the rectification requirement.
    let zhang_inbox = inbox(&app, &c.zhang).await;
    let notices = of_kind(&zhang_inbox, "DUTY_EVALUATION_PUBLISHED");
    assert_eq!(notices.len(), 1, "{zhang_inbox:?}");
    assert_eq!(notices[0]["title"], "履职测评结果反馈通知书");
    assert_eq!(notices[0]["category"], "DUTY");
    assert_eq!(notices[0]["subjectKind"], "DutyEvaluationResult");
    let body = str_of(&notices[0]["body"]).to_owned();
    assert!(body.contains("90.00") && body.contains("优秀") && body.contains("第1名"), "{body}");
    assert!(body.contains("按0分计"), "says why the voters' part scored 0: {body}");
    assert!(of_kind(&zhang_inbox, "DUTY_RECTIFICATION_REQUIRED").is_empty());
    let li_inbox = inbox(&app, &c.li).await;
    let li_notice = of_kind(&li_inbox, "DUTY_EVALUATION_PUBLISHED");
    assert!(str_of(&li_notice[0]["body"]).contains("不合格"));
    let required = of_kind(&li_inbox, "DUTY_RECTIFICATION_REQUIRED");
    assert_eq!(required.len(), 1, "{li_inbox:?}");
    assert!(str_of(&required[0]["body"]).contains("整改报告"));

    // The notice's subject opens as the deputy's own result; another's stays closed.
    let node = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on DutyEvaluationResult {{ {RESULT_FIELDS} }} }} }}"
    );
    let res = app.gql(&node, json!({ "id": notices[0]["subjectId"] }), Some(&c.zhang)).await;
    assert_eq!(res.data()["node"]["deputyName"], "张明");
    app.gql(&node, json!({ "id": li_result["id"] }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(&node, json!({ "id": li_result["id"] }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    let res = app.gql(&node, json!({ "id": li_result["id"] }), Some(&c.staff)).await;
    assert_eq!(res.data()["node"]["grade"], "UNQUALIFIED");

    // Once published a deputy reads their own result: score, grade, rank, the parts and what cost points.
    let res = my_result(&app, &c.zhang, year).await;
    let mine = &res.data()["r"];
    assert_eq!(
        (mine["year"].as_i64(), mine["score"].as_f64(), mine["grade"].as_str()),
        (Some(i64::from(year)), Some(90.0), Some("EXCELLENT"))
    );
    assert_eq!(
        (mine["groupAssessmentScore"].as_f64(), mine["voterRatingScore"].as_f64()),
        (Some(100.0), Some(0.0))
    );
    assert_eq!(mine["rectification"], Value::Null);
    let res = notice(&app, &c.li, &id).await;
    let li_own = &res.data()["r"];
    assert_eq!(li_own["grade"], "UNQUALIFIED");
    assert_eq!(li_own["rectification"]["submittedAt"], Value::Null);
    assert_eq!(li_own["rectification"]["overdue"], false);
    let res = app.gql(read, json!({ "id": id }), Some(&c.zhang)).await;
    assert_eq!(res.data()["dutyEvaluation"]["year"], year);
    // …but not the list of everyone's.
    results(&app, &c.zhang, &id, None).await.assert_code("FORBIDDEN");
    follow_ups(&app, &c.zhang, &id).await.assert_code("FORBIDDEN");
    my_result(&app, &c.zhang, year - 1).await.assert_code("NOT_FOUND");

    // Units, citizens and station workers: no results at all.
    for (who, token) in [("unit", &c.unit), ("citizen", &c.citizen), ("station", &c.station)] {
        let res = app.gql(read, json!({ "id": id }), Some(token)).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
        assert_eq!(my_result(&app, token, year).await.code(), "FORBIDDEN", "{who}");
        assert_eq!(notice(&app, token, &id).await.code(), "FORBIDDEN", "{who}");
        let list = app
            .gql(
                "query($c: ID!) { dutyEvaluations(congressId: $c) { id } }",
                json!({ "c": c.congress }),
                Some(token),
            )
            .await;
        assert_eq!(list.code(), "FORBIDDEN", "{who}");
    }
    let res = app.gql(read, json!({ "id": id }), None).await;
    res.assert_code("UNAUTHENTICATED");

    // A qualified deputy owes no report, and staff have no talk to record with them.
    submit_report(&app, &c.zhang, &id, None).await.assert_code("CONFLICT");
    talk(&app, &c.staff, &id, c.deputy("张明")).await.assert_code("CONFLICT");
});

e2e!(unqualified_deputies_hand_in_reports_and_staff_follow_up, |app| {
    let c = Cast::of(&app).await;
    let id = opened(&app, &c.staff, open_input(&c, (0, 0, 100), 100)).await;
    assess_all(
        &app,
        &c,
        &id,
        &[("张明", 60.0), ("李华", 50.0), ("王芳", 90.0), ("赵强", 85.0), ("陈静", 95.0)],
    )
    .await;
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    // Nothing is owed before publishing.
    submit_report(&app, &c.li, &id, None).await.assert_code("CONFLICT");
    // A deadline that has passed is refused; a near one is taken (so that this test can see it pass).
    publish(&app, &c.staff, &id, Some(in_days(-1))).await.assert_code("BAD_USER_INPUT");
    let deadline = (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339();
    publish(&app, &c.staff, &id, Some(deadline)).await.data();

    // 张明 hands in on time, once; 李华 has not.
    let res = submit_report(&app, &c.zhang, &id, None).await;
    let report = &res.data()["r"];
    assert_eq!((report["late"].as_bool(), report["overdue"].as_bool()), (Some(false), Some(false)));
    assert_eq!(report["attachmentUrl"], "https://files.example.cn/zhenggai.pdf");
    submit_report(&app, &c.zhang, &id, None).await.assert_code("CONFLICT");
    let staff_inbox = inbox(&app, &c.staff).await;
    assert_eq!(of_kind(&staff_inbox, "DUTY_RECTIFICATION_SUBMITTED").len(), 1, "staff are told");
    let res = follow_ups(&app, &c.staff, &id).await;
    let outstanding = &res.data()["dutyEvaluation"]["outstandingRectifications"];
    assert_eq!(names_of(outstanding), ["李华"]);
    // Only staff record talks, only with those who owe a report, and a note is needed.
    talk(&app, &c.li, &id, c.deputy("李华")).await.assert_code("FORBIDDEN");
    talk(&app, &c.unit, &id, c.deputy("李华")).await.assert_code("FORBIDDEN");
    talk(&app, &c.staff, &id, c.deputy("王芳")).await.assert_code("CONFLICT");
    // Input is checked: empty content, a non-web attachment.
    let op = "mutation($e: ID!, $c: String!, $u: String) { submitRectificationReport(evaluationId: $e, content: $c, attachmentUrl: $u) { late } }";
    let res = app.gql(op, json!({ "e": id, "c": "  ", "u": null }), Some(&c.li)).await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "content", "{}", res.body);
    let res = app.gql(op, json!({ "e": id, "c": "整改", "u": "file:///etc/passwd" }), Some(&c.li)).await;
    assert_eq!(res.body["errors"][0]["extensions"]["field"], "attachmentUrl", "{}", res.body);
    // Staff do not hand in for a deputy.
    submit_report(&app, &c.staff, &id, None).await.assert_code("FORBIDDEN");

    // Past the deadline 李华's report is overdue: staff see it and record a reminder talk.
    let waited = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let res = follow_ups(&app, &c.staff, &id).await;
        if res.data()["dutyEvaluation"]["outstandingRectifications"][0]["overdue"] == true {
            break;
        }
        assert!(tokio::time::Instant::now() < waited, "never overdue: {}", res.body);
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    let res = talk(&app, &c.staff, &id, c.deputy("李华")).await;
    assert_eq!(res.data()["r"]["recordedBy"]["name"], "代表工委刘老师");
    let res = follow_ups(&app, &c.staff, &id).await;
    assert_eq!(
        res.data()["dutyEvaluation"]["outstandingRectifications"][0]["talks"],
        json!([{ "note": "提醒按时提交整改报告" }])
    );

    // Late is accepted and shows as late; a retry with the same key returns the same report.
    let first = submit_report(&app, &c.li, &id, Some("li-report-0001")).await;
    let retry = submit_report(&app, &c.li, &id, Some("li-report-0001")).await;
    assert_eq!(first.data()["r"], retry.data()["r"]);
    assert_eq!(first.data()["r"]["late"], true);
    submit_report(&app, &c.li, &id, None).await.assert_code("CONFLICT");
    let res = follow_ups(&app, &c.staff, &id).await;
    let data = &res.data()["dutyEvaluation"];
    assert_eq!(data["outstandingRectifications"], json!([]));
    let all = &data["rectifications"];
    assert_eq!(names_of(all), ["张明", "李华"]);
    assert_eq!(result_of(all, "李华")["report"]["late"], true);
    assert_eq!(result_of(all, "张明")["report"]["late"], false);
    let res = my_result(&app, &c.li, this_year()).await;
    assert_eq!(res.data()["r"]["rectification"]["late"], true);
});

e2e!(of_concurrent_publishes_exactly_one_wins, |app| {
    let c = Cast::of(&app).await;
    let id = opened(&app, &c.staff, open_input(&c, (0, 0, 100), 100)).await;
    assess_all(
        &app,
        &c,
        &id,
        &[("张明", 60.0), ("李华", 90.0), ("王芳", 90.0), ("赵强", 85.0), ("陈静", 95.0)],
    )
    .await;
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    let racers = [&c.staff, &c.admin, &c.staff, &c.admin];
    let outcomes = join_all(racers.iter().map(|token| publish(&app, token, &id, None))).await;
    let won = outcomes.iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(won, 1, "{outcomes:?}");
    for lost in outcomes.iter().filter(|r| r.body.get("errors").is_some()) {
        lost.assert_code("CONFLICT");
    }
    let zhang_inbox = inbox(&app, &c.zhang).await;
    assert_eq!(of_kind(&zhang_inbox, "DUTY_EVALUATION_PUBLISHED").len(), 1, "one notice");
    assert_eq!(of_kind(&zhang_inbox, "DUTY_RECTIFICATION_REQUIRED").len(), 1);
    let res = follow_ups(&app, &c.staff, &id).await;
    assert_eq!(names_of(&res.data()["dutyEvaluation"]["rectifications"]), ["张明"], "one requirement");
});

// ---------------------------------------------------------------------------------------------------------
// The issue's "done when": a deputy's year over GraphQL, from activities and suggestions to the points
// ledger, the evaluation, the feedback notice in the inbox and, for an unqualified deputy, the report.

async fn create_activity(app: &TestApp, staff: &str, input: Value) -> String {
    let res = app
        .gql(
            "mutation($i: CreateActivityInput!) { a: createActivity(input: $i) { id } }",
            json!({ "i": input }),
            Some(staff),
        )
        .await;
    str_of(&res.data()["a"]["id"]).to_owned()
}

async fn ledger(app: &TestApp, token: &str, deputy: &str) -> Value {
    let op = "query($d: ID!, $y: Int!) { pointsLedger(deputyId: $d, year: $y) {
        total congressRank lines { kind awarded note sourceId sourceType } } }";
    app.gql(op, json!({ "d": deputy, "y": this_year() }), Some(token)).await.data()["pointsLedger"].clone()
}

fn kinds_of(ledger: &Value) -> Vec<(String, i64)> {
    let mut kinds: Vec<(String, i64)> = ledger["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| (str_of(&l["kind"]).to_owned(), l["awarded"].as_i64().unwrap_or_default()))
        .collect();
    kinds.sort();
    kinds
}

e2e!(a_deputys_year_from_activities_and_suggestions_to_a_published_notice, |app| {
    let sms = WebhookSink::start("/sms");
    let mut env = app.env.clone();
    env.set("SMS_GATEWAY_URL", &sms.url);
    let app = env.spawn().await;
    let c = Cast::of(&app).await;
    let year = this_year();
    let now = chrono::Utc::now();
    let at = |seconds: i64| (now + chrono::Duration::seconds(seconds)).to_rfc3339();
    let (zhang_id, li_id) = (c.deputy("张明").to_owned(), c.deputy("李华").to_owned());

    // The congress's point rules for the year.
    for (kind, points) in
        [("SUGGESTION_LED", 10), ("ACTIVITY_ATTENDED", 5), ("ACTIVITY_ABSENT_UNEXCUSED", -5)]
    {
        let input = json!({ "congressId": c.congress, "kind": kind, "points": points,
            "effectiveFrom": format!("{year}-01-01") });
        app.gql(
            "mutation($i: PointRuleInput!) { setPointRule(input: $i) { id } }",
            json!({ "i": input }),
            Some(&c.staff),
        )
        .await
        .data();
    }

    // An inspection both are assigned to, ending in a few seconds: 张明 is checked in, 李华 is not.
    let inspection = create_activity(&app, &c.staff, json!({
        "congressId": c.congress, "kind": "INSPECTION", "title": "城区交通综合治理视察", "place": "市交通指挥中心",
        "startsAt": at(-3600), "endsAt": at(4), "participation": "ASSIGNED", "deputyIds": [zhang_id, li_id],
    }))
    .await;
    let op = "mutation($a: ID!, $d: ID!) { checkInParticipant(activityId: $a, deputyId: $d) { id } }";
    app.gql(op, json!({ "a": inspection, "d": zhang_id }), Some(&c.staff)).await.data();

    // 张明 reports to voters, and a voter rates the report satisfied (one-time code by SMS, no login).
    let report = create_activity(&app, &c.staff, json!({
        "congressId": c.congress, "kind": "REPORT_TO_VOTERS", "title": "代表年度述职会", "place": "东城街道社区服务中心",
        "startsAt": at(-600), "endsAt": at(7200), "participation": "ASSIGNED", "deputyIds": [zhang_id],
    }))
    .await;
    let res = app
        .gql(
            "query($id: ID!) { activity(id: $id) { participants { voterRating { token } } } }",
            json!({ "id": report }),
            Some(&c.staff),
        )
        .await;
    let token = str_of(&res.data()["activity"]["participants"][0]["voterRating"]["token"]).to_owned();
    let phone = "13612345678";
    app.gql(
        "mutation($t: String!, $p: String!) { requestVoterRatingCode(token: $t, phone: $p, privacyConsent: \"2026-12-06\") { expiresAt } }",
        json!({ "t": token, "p": phone }),
        None,
    )
    .await
    .data();
    let rate = "mutation($t: String!, $p: String!, $c: String!) {
        rateReportToVoters(token: $t, phone: $p, code: $c, rating: SATISFIED) }";
    app.gql(rate, json!({ "t": token, "p": phone, "c": sms.last_code(phone) }), None).await.data();

    // 张明 leads a suggestion.
    let op = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let input = json!({ "title": "优化城区公交线路", "content": "关于优化城区公交线路的具体建议内容", "category": "交通", "sessionNumber": 1 });
    let res = app.gql(op, json!({ "i": input }), Some(&c.zhang)).await;
    let suggestion = str_of(&res.data()["createSuggestion"]["id"]).to_owned();
    app.gql(
        "mutation($id: ID!) { submitSuggestion(id: $id) { id } }",
        json!({ "id": suggestion }),
        Some(&c.zhang),
    )
    .await
    .data();

    // Once the inspection is over, the ledgers hold it all: 张明 10 + 5, 李华 −5 for the absence.
    let waited = tokio::time::Instant::now() + Duration::from_secs(30);
    let li_ledger = loop {
        let l = ledger(&app, &c.staff, &li_id).await;
        if kinds_of(&l).iter().any(|(k, _)| k == "ACTIVITY_ABSENT_UNEXCUSED") {
            break l;
        }
        assert!(tokio::time::Instant::now() < waited, "the absence never reached the ledger: {l}");
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(li_ledger["total"], -5);
    let absence = li_ledger["lines"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["kind"] == "ACTIVITY_ABSENT_UNEXCUSED"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (absence["sourceType"].as_str(), absence["sourceId"].as_str()),
        (Some("Activity"), Some(inspection.as_str()))
    );
    let zhang_ledger = ledger(&app, &c.zhang, &zhang_id).await;
    assert_eq!(zhang_ledger["total"], 15, "{zhang_ledger}");
    assert!(kinds_of(&zhang_ledger).contains(&("SUGGESTION_LED".to_owned(), 10)), "{zhang_ledger}");
    // The inspection is an entry of its own kind, scored by the ACTIVITY_ATTENDED rule while that kind has
    // no rule of its own.
    assert!(kinds_of(&zhang_ledger).contains(&("INSPECTION_ATTENDED".to_owned(), 5)), "{zhang_ledger}");
    assert_eq!(zhang_ledger["congressRank"], 1);

    // The evaluation: points 60 % (15 points are a full 100), voters 20 %, the group 20 %.
    let id = opened(&app, &c.staff, open_input(&c, (60, 20, 20), 15)).await;
    assess_all(
        &app,
        &c,
        &id,
        &[("张明", 90.0), ("李华", 80.0), ("王芳", 85.0), ("赵强", 85.0), ("陈静", 85.0)],
    )
    .await;
    step(&app, &c.staff, "reviewDutyEvaluation", &id).await.data();
    let res = results(&app, &c.staff, &id, None).await;
    let nodes = &res.data()["dutyEvaluation"]["results"]["nodes"];
    let zhang = result_of(nodes, "张明");
    // 60 × 100 % + 20 × 100 (one satisfied voter) + 20 × 90 % = 98.
    assert_eq!(
        (zhang["score"].as_f64(), zhang["grade"].as_str(), zhang["rank"].as_i64()),
        (Some(98.0), Some("EXCELLENT"), Some(1))
    );
    assert_eq!((zhang["pointsTotal"].as_i64(), zhang["noVoterRating"].as_bool()), (Some(15), Some(false)));
    assert_eq!(zhang["voterRatings"], json!({ "satisfied": 1, "basicallySatisfied": 0, "dissatisfied": 0 }));
    let li = result_of(nodes, "李华");
    // Net deductions score 0 points; no report to voters scores 0; the group's 80 gives 16.
    assert_eq!((li["score"].as_f64(), li["grade"].as_str()), (Some(16.0), Some("UNQUALIFIED")));
    publish(&app, &c.staff, &id, None).await.data();

    // The feedback notices are in the inboxes.
    let zhang_inbox = inbox(&app, &c.zhang).await;
    let body = str_of(&of_kind(&zhang_inbox, "DUTY_EVALUATION_PUBLISHED")[0]["body"]).to_owned();
    assert!(body.contains("98.00") && body.contains("优秀") && body.contains("满意1"), "{body}");
    let li_inbox = inbox(&app, &c.li).await;
    let li_notice = of_kind(&li_inbox, "DUTY_EVALUATION_PUBLISHED");
    let body = str_of(&li_notice[0]["body"]).to_owned();
    assert!(body.contains("不合格") && body.contains("扣分项") && body.contains("（-5分）"), "{body}");
    assert_eq!(of_kind(&li_inbox, "DUTY_RECTIFICATION_REQUIRED").len(), 1);

    // 李华 reads the notice: what cost points, with the absence linked to the inspection.
    let op = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on DutyEvaluationResult {{ {RESULT_FIELDS}
        deductions {{ sourceId sourceType }} }} }} }}"
    );
    let res = app.gql(&op, json!({ "id": li_notice[0]["subjectId"] }), Some(&c.li)).await;
    let own = &res.data()["node"];
    assert_eq!(own["deputyName"], "李华");
    assert_eq!(own["deductions"].as_array().map(Vec::len), Some(1));
    assert_eq!(own["deductions"][0]["kind"], "ACTIVITY_ABSENT_UNEXCUSED");
    assert_eq!(own["deductions"][0]["points"], -5);
    assert_eq!(own["deductions"][0]["sourceId"], inspection.as_str());
    assert_eq!(
        own["shortfalls"],
        json!([
            { "component": "POINTS", "lost": 60.0 },
            { "component": "VOTER_RATING", "lost": 20.0 },
            { "component": "GROUP_ASSESSMENT", "lost": 4.0 },
        ])
    );
    // …and hands in the rectification report; staff no longer see it outstanding.
    let res = submit_report(&app, &c.li, &id, Some("li-year-report-1")).await;
    assert_eq!(res.data()["r"]["late"], false);
    let res = follow_ups(&app, &c.staff, &id).await;
    let outstanding = names_of(&res.data()["dutyEvaluation"]["outstandingRectifications"]);
    assert!(!outstanding.contains(&"李华".to_owned()) && outstanding.len() == 3, "{outstanding:?}");
    // The rules change after publishing: the ledger is recomputed, the published result is not. (A version
    // from 2 January on covers the inspection unless it began on 1 January, China Standard Time.)
    let inspection_day = (now - chrono::Duration::hours(1) + chrono::Duration::hours(8)).date_naive();
    if chrono::Datelike::ordinal(&inspection_day) > 1 {
        let input = json!({ "congressId": c.congress, "kind": "ACTIVITY_ABSENT_UNEXCUSED", "points": -10,
            "effectiveFrom": format!("{year}-01-02") });
        app.gql(
            "mutation($i: PointRuleInput!) { setPointRule(input: $i) { id } }",
            json!({ "i": input }),
            Some(&c.staff),
        )
        .await
        .data();
        assert_eq!(ledger(&app, &c.staff, &li_id).await["total"], -10);
        let res = app.gql(&op, json!({ "id": li_notice[0]["subjectId"] }), Some(&c.li)).await;
        assert_eq!(res.data()["node"]["deductions"][0]["points"], -5, "as published");
        assert_eq!(res.data()["node"]["pointsTotal"], -5);
    }
    // A deputy reading another's ledger-based result is refused.
    app.gql(&op, json!({ "id": zhang["id"] }), Some(&c.li)).await.assert_code("FORBIDDEN");
});
