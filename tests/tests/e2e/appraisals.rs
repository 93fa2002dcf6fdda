//! Appraisal of units and officials (评议) over GraphQL: the whole flow from opening through the unit's
//! report, the group's findings, the numbered list rectified item by item (one answer returned once, a race
//! of two decisions on one item), a satisfaction vote by every deputy of the congress at once (with a retry
//! that must count once and a second ballot that is CONFLICT), counts hidden until published, and the
//! published result visible to anyone; then who may do and see what, role by role, with an unsatisfactory
//! result and the unit's further rectification report; and the secrecy of the ballots.

use edaibiao_tests::time::cst_today;
use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};

pub(crate) const FIELDS: &str = "id year state subjectKind topic officialName officialPost unit { name }
    schedule { reportDue rectificationDue votingFrom votingUntil } group { name } inGroup writtenReport
    oralReportOn findings { text source deputy { name } } items { id number problem state answer doneBy
    returnReason returns } openItemCount turnout electorate hasVoted furtherRectificationRequired
    furtherRectificationReport result { score verdict rank turnout electorate quorum
    tally { satisfied basicallySatisfied dissatisfied } }";

pub(crate) fn day(offset: i64) -> String {
    (cst_today() + chrono::Duration::days(offset)).to_string()
}

pub(crate) fn open_input(c: &Cast, subject: Value, group: Vec<&str>) -> Value {
    json!({
        "congressId": c.congress,
        "year": chrono::Datelike::year(&cst_today()),
        "unitId": c.transport,
        "subject": subject,
        "groupDeputyIds": group,
        "reportDue": day(0),
        "rectificationDue": day(10),
        "votingFrom": day(11),
        "votingUntil": day(20),
    })
}

pub(crate) async fn open(app: &TestApp, token: &str, input: Value) -> Gql {
    let op = format!("mutation($i: OpenAppraisalInput!) {{ r: openAppraisal(input: $i) {{ {FIELDS} }} }}");
    app.gql(&op, json!({ "i": input }), Some(token)).await
}

/// Runs `mutation` on the appraisal with extra arguments `args` (declared in `decl`).
pub(crate) async fn act(
    app: &TestApp,
    token: &str,
    mutation: &str,
    decl: &str,
    args: &str,
    vars: Value,
) -> Gql {
    let op = format!("mutation($a: ID!{decl}) {{ r: {mutation}(appraisalId: $a{args}) {{ {FIELDS} }} }}");
    app.gql(&op, vars, Some(token)).await
}

pub(crate) async fn get(app: &TestApp, token: Option<&str>, id: &str) -> Gql {
    let op = format!("query($id: ID!) {{ appraisal(id: $id) {{ {FIELDS} }} }}");
    app.gql(&op, json!({ "id": id }), token).await
}

pub(crate) const ANSWER: &str = "mutation($i: ID!, $t: String!, $d: NaiveDate!, $k: String) {
    r: answerAppraisalItem(itemId: $i, answer: $t, doneBy: $d, idempotencyKey: $k) { id number state answer returns } }";
pub(crate) const ACCEPT: &str = "mutation($i: ID!) { r: acceptAppraisalItem(itemId: $i) { id state } }";
const RETURN: &str = "mutation($i: ID!, $r: String!) { r: returnAppraisalItem(itemId: $i, reason: $r) { id state returnReason } }";
const CAST: &str = "mutation($a: ID!, $m: Mark!, $k: String) {
    r: castAppraisalBallot(appraisalId: $a, mark: $m, idempotencyKey: $k) { id hasVoted } }";

pub(crate) async fn kinds(app: &TestApp, token: &str) -> Vec<String> {
    let res = app.gql("{ notifications(first: 50) { nodes { kind } } }", json!({}), Some(token)).await;
    res.data()["notifications"]["nodes"]
        .as_array()
        .map(|a| a.iter().map(|n| str_of(&n["kind"]).to_owned()).collect())
        .unwrap_or_default()
}

/// Gives 王芳, 赵强 and 陈静 logins, so that every deputy of the demo congress can vote; returns their tokens.
pub(crate) async fn more_deputies(app: &TestApp, c: &Cast) -> Vec<String> {
    let op = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }";
    let mut tokens = Vec::new();
    for (i, name) in ["王芳", "赵强", "陈静"].into_iter().enumerate() {
        let phone = format!("1380000100{i}");
        let input = json!({ "phone": phone, "name": name, "password": "secret123", "role": "DEPUTY",
            "deputyId": c.deputy(name) });
        app.gql(op, json!({ "i": input }), Some(&c.staff)).await.data();
        tokens.push(app.login_with(&phone, "secret123").await.access);
    }
    tokens
}

/// The items of the appraisal as the staff see them.
async fn items(app: &TestApp, c: &Cast, id: &str) -> Vec<Value> {
    get(app, Some(&c.staff), id).await.data()["appraisal"]["items"].as_array().cloned().unwrap_or_default()
}

e2e!(an_appraisal_goes_from_opening_to_a_published_result, |app| {
    let c = Cast::of(&app).await;
    let others = more_deputies(&app, &c).await;

    // Staff open an appraisal of the transport bureau's work, with 张明 and 李华 as the group.
    let opened = open(
        &app,
        &c.staff,
        open_input(&c, json!({ "unitWork": "优化营商环境" }), vec![&c.zhang_id, &c.li_id]),
    )
    .await;
    let a = opened.data()["r"].clone();
    let id = str_of(&a["id"]).to_owned();
    assert_eq!(a["state"], "OPEN");
    assert_eq!(a["subjectKind"], "UNIT_WORK");
    assert_eq!(a["topic"], "优化营商环境");
    assert_eq!(a["unit"]["name"], "市交通运输局");
    assert_eq!(a["group"].as_array().map(Vec::len), Some(2));
    assert!(kinds(&app, &c.unit).await.contains(&"APPRAISAL_OPENED".to_owned()), "the unit is told");
    assert!(kinds(&app, &c.zhang).await.contains(&"APPRAISAL_OPENED".to_owned()), "the group is told");

    // The unit reports; a deputy may not report for it. Staff record the oral report.
    let report = json!({ "a": id, "t": "一年来，我局围绕优化营商环境……", "k": "report-key-0001" });
    act(
        &app,
        &c.zhang,
        "submitAppraisalReport",
        ", $t: String!, $k: String",
        ", report: $t, idempotencyKey: $k",
        report.clone(),
    )
    .await
    .assert_code("FORBIDDEN");
    let reported = act(
        &app,
        &c.unit,
        "submitAppraisalReport",
        ", $t: String!, $k: String",
        ", report: $t, idempotencyKey: $k",
        report.clone(),
    )
    .await;
    assert_eq!(reported.data()["r"]["state"], "REPORTED");
    // A retry with the same key answers the same, and does not act twice.
    let again = act(
        &app,
        &c.unit,
        "submitAppraisalReport",
        ", $t: String!, $k: String",
        ", report: $t, idempotencyKey: $k",
        report,
    )
    .await;
    assert_eq!(again.data()["r"]["state"], "REPORTED");
    let oral = act(
        &app,
        &c.staff,
        "recordAppraisalOralReport",
        ", $d: NaiveDate!",
        ", heldOn: $d",
        json!({ "a": id, "d": day(0) }),
    )
    .await;
    assert_eq!(oral.data()["r"]["oralReportOn"], day(0));
    assert!(kinds(&app, &c.staff).await.contains(&"APPRAISAL_REPORT_SUBMITTED".to_owned()));

    // The group's deputies record findings; a deputy outside the group may not.
    let finding = "mutation($a: ID!, $t: String!, $s: AppraisalFindingSource!) {
        r: addAppraisalFinding(appraisalId: $a, text: $t, source: $s) { text source deputy { name } } }";
    let f = app
        .gql(finding, json!({ "a": id, "t": "审批环节仍然偏多", "s": "INSPECTION" }), Some(&c.zhang))
        .await;
    assert_eq!(f.data()["r"]["deputy"]["name"], "张明");
    app.gql(finding, json!({ "a": id, "t": "网约车投诉处理慢", "s": "INSPECTION" }), Some(&c.li))
        .await
        .data();
    app.gql(finding, json!({ "a": id, "t": "x", "s": "INSPECTION" }), Some(&others[0]))
        .await
        .assert_code("FORBIDDEN");

    // Staff issue the numbered list; voting cannot open while items are open.
    let problems = json!(["审批环节偏多", "投诉处理不及时", "信息公开不充分"]);
    let issued = act(
        &app,
        &c.staff,
        "issueAppraisalItems",
        ", $p: [String!]!",
        ", problems: $p",
        json!({ "a": id, "p": problems }),
    )
    .await;
    let issued = issued.data()["r"].clone();
    assert_eq!(issued["state"], "RECTIFYING");
    assert_eq!(issued["findings"].as_array().map(Vec::len), Some(2));
    let numbers: Vec<i64> =
        issued["items"].as_array().unwrap().iter().map(|i| i["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    assert!(kinds(&app, &c.unit).await.contains(&"APPRAISAL_ITEMS_ISSUED".to_owned()));
    let refused = act(&app, &c.staff, "openAppraisalVoting", "", "", json!({ "a": id })).await;
    refused.assert_code("CONFLICT");
    assert!(refused.body.to_string().contains("3 item"), "{}", refused.body);
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&c.zhang)).await.assert_code("CONFLICT");

    // The unit answers every item; accepting an unanswered item is a CONFLICT.
    let item_ids: Vec<String> =
        issued["items"].as_array().unwrap().iter().map(|i| str_of(&i["id"]).to_owned()).collect();
    for (n, item) in item_ids.iter().enumerate() {
        if n == 0 {
            app.gql(ACCEPT, json!({ "i": item }), Some(&c.zhang)).await.assert_code("CONFLICT");
        }
        let answered =
            app.gql(ANSWER, json!({ "i": item, "t": "已精简审批环节", "d": day(5) }), Some(&c.unit)).await;
        assert_eq!(answered.data()["r"]["state"], "ANSWERED");
    }
    // The unit may not accept its own answer.
    app.gql(ACCEPT, json!({ "i": item_ids[0] }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    // Item 2 is returned once, answered again, then accepted.
    let returned = app.gql(RETURN, json!({ "i": item_ids[1], "r": "整改措施不具体" }), Some(&c.zhang)).await;
    assert_eq!(returned.data()["r"]["state"], "RETURNED");
    assert!(kinds(&app, &c.unit).await.contains(&"APPRAISAL_ITEM_RETURNED".to_owned()));
    let again = app
        .gql(
            ANSWER,
            json!({ "i": item_ids[1], "t": "制定了具体时间表", "d": day(7), "k": "answer-2-again" }),
            Some(&c.unit),
        )
        .await;
    assert_eq!(again.data()["r"]["returns"], 1);
    // Item 1: staff accept and 李华 returns at the same moment: exactly one wins.
    let (accept, ret) = futures_util::join!(
        app.gql(ACCEPT, json!({ "i": item_ids[0] }), Some(&c.staff)),
        app.gql(RETURN, json!({ "i": item_ids[0], "r": "再核实" }), Some(&c.li)),
    );
    let wins = [&accept, &ret].iter().filter(|r| r.body["errors"].is_null()).count();
    assert_eq!(wins, 1, "accept: {} return: {}", accept.body, ret.body);
    let loser = if accept.body["errors"].is_null() { &ret } else { &accept };
    loser.assert_code("CONFLICT");
    if !ret.body["errors"].is_null() {
        // The acceptance won: nothing to redo.
    } else {
        app.gql(ANSWER, json!({ "i": item_ids[0], "t": "已核实", "d": day(5) }), Some(&c.unit)).await.data();
        app.gql(ACCEPT, json!({ "i": item_ids[0] }), Some(&c.staff)).await.data();
    }
    for item in &item_ids[1..] {
        assert_eq!(app.gql(ACCEPT, json!({ "i": item }), Some(&c.li)).await.data()["r"]["state"], "ACCEPTED");
    }
    app.gql(ACCEPT, json!({ "i": item_ids[2] }), Some(&c.staff)).await.assert_code("CONFLICT");
    assert!(items(&app, &c, &id).await.iter().all(|i| i["state"] == "ACCEPTED"));

    // Voting opens; every deputy of the congress votes at once, 张明 twice with one key (a retry).
    let voting = act(&app, &c.staff, "openAppraisalVoting", "", "", json!({ "a": id })).await;
    assert_eq!(voting.data()["r"]["state"], "VOTING");
    assert_eq!(voting.data()["r"]["electorate"], 5);
    assert!(kinds(&app, &others[1]).await.contains(&"APPRAISAL_VOTING_OPENED".to_owned()));
    let ballots = [
        (&c.zhang, "SATISFIED", "zhang-ballot-1"),
        (&c.zhang, "SATISFIED", "zhang-ballot-1"),
        (&c.li, "SATISFIED", "li-ballot-0001"),
        (&others[0], "BASICALLY_SATISFIED", "wang-ballot-01"),
        (&others[1], "DISSATISFIED", "zhao-ballot-01"),
        (&others[2], "SATISFIED", "chen-ballot-01"),
    ];
    let cast = ballots.iter().map(|(token, mark, key)| {
        app.gql(CAST, json!({ "a": id, "m": mark, "k": key }), Some(token.as_str()))
    });
    for res in join_all(cast).await {
        assert_eq!(res.data()["r"]["hasVoted"], true, "{}", res.body);
    }
    // A second ballot with another key is refused; staff and units do not vote.
    app.gql(CAST, json!({ "a": id, "m": "DISSATISFIED", "k": "li-ballot-0002" }), Some(&c.li))
        .await
        .assert_code("CONFLICT");
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&c.staff)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "a": id, "m": "FOR" }), Some(&c.li)).await.assert_code("BAD_USER_INPUT");

    // While voting only the turnout shows; an anonymous viewer does not see the appraisal at all.
    let during = get(&app, Some(&c.staff), &id).await.data()["appraisal"].clone();
    assert_eq!(during["turnout"], 5, "the retry counted once");
    assert!(during["result"].is_null(), "no counts before publishing");
    assert_eq!(during["hasVoted"], false, "staff do not vote");
    get(&app, None, &id).await.assert_code("NOT_FOUND");

    // Staff publish: 4 of 5 satisfied or basically satisfied = 80 %.
    let published = act(&app, &c.staff, "publishAppraisalResult", "", "", json!({ "a": id })).await;
    let r = published.data()["r"]["result"].clone();
    assert_eq!(r["score"], 80.0);
    assert_eq!(r["verdict"], "SATISFACTORY");
    assert_eq!(r["rank"], 1);
    assert_eq!(r["turnout"], 5);
    assert_eq!(r["quorum"], true);
    assert_eq!(r["tally"], json!({ "satisfied": 3, "basicallySatisfied": 1, "dissatisfied": 1 }));
    assert_eq!(published.data()["r"]["furtherRectificationRequired"], false);
    assert!(kinds(&app, &c.unit).await.contains(&"APPRAISAL_RESULT_PUBLISHED".to_owned()));
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&others[0])).await.assert_code("CONFLICT");
    act(
        &app,
        &c.unit,
        "submitAppraisalRectificationReport",
        ", $t: String!",
        ", report: $t",
        json!({ "a": id, "t": "x" }),
    )
    .await
    .assert_code("CONFLICT");

    // Anyone sees the published result, and only the result.
    let public = get(&app, None, &id).await.data()["appraisal"].clone();
    assert_eq!(public["state"], "PUBLISHED");
    assert_eq!(public["result"]["score"], 80.0);
    assert_eq!(public["topic"], "优化营商环境");
    for hidden in ["items", "findings", "writtenReport", "schedule", "group", "turnout"] {
        assert!(public[hidden].is_null(), "{hidden} is for insiders: {public}");
    }
    let list = app
        .gql(
            "query($c: ID!) { appraisals(congressId: $c) { totalCount nodes { id result { verdict } } } }",
            json!({ "c": c.congress }),
            None,
        )
        .await;
    assert_eq!(list.data()["appraisals"]["totalCount"], 1);
    let node = app
        .gql("query($id: ID!) { node(id: $id) { id ... on Appraisal { state } } }", json!({ "id": id }), None)
        .await;
    assert_eq!(node.data()["node"]["state"], "PUBLISHED");

    // Secrecy: no output field of the schema carries a mark, so nothing can say who chose what; the
    // counts add up to the ballots.
    let types = app
        .gql("{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }", json!({}), None)
        .await;
    for t in types.data()["__schema"]["types"].as_array().unwrap() {
        for f in t["fields"].as_array().cloned().unwrap_or_default() {
            let ty = f["type"].to_string();
            assert!(!ty.contains("\"Mark\""), "{}.{} shows a mark", t["name"], f["name"]);
        }
    }
    let tally = &r["tally"];
    let counted: i64 =
        ["satisfied", "basicallySatisfied", "dissatisfied"].iter().map(|k| tally[k].as_i64().unwrap()).sum();
    assert_eq!(counted, r["turnout"].as_i64().unwrap());
});

e2e!(who_may_do_and_see_what_role_by_role, |app| {
    let c = Cast::of(&app).await;
    let admin = app.login(edaibiao_tests::demo::ADMIN).await.access;
    // Another congress with its own staff and deputy; another unit's staff of this congress.
    let county = app
        .gql("mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }), Some(&admin))
        .await;
    let county = str_of(&county.data()["createCongress"]["id"]).to_owned();
    let deputy = app
        .gql("mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
            json!({ "c": county, "i": { "name": "县代表", "gender": "MALE", "occupation": "OTHER", "industry": "农业", "phone": "13800002019" } }),
            Some(&admin))
        .await;
    let county_deputy_id = str_of(&deputy.data()["createDeputy"]["id"]).to_owned();
    let account = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }";
    app.gql(account, json!({ "i": { "phone": "13800002019", "name": "县代表", "password": "secret123", "role": "DEPUTY", "deputyId": county_deputy_id } }), Some(&admin)).await.data();
    app.gql(account, json!({ "i": { "phone": "13800002029", "name": "县人大工委", "password": "secret123", "role": "CONGRESS_STAFF", "congressId": county } }), Some(&admin)).await.data();
    app.gql(account, json!({ "i": { "phone": "13800002039", "name": "教育局", "password": "secret123", "role": "UNIT_STAFF", "unitId": c.education } }), Some(&c.staff)).await.data();
    let county_deputy = app.login_with("13800002019", "secret123").await.access;
    let county_staff = app.login_with("13800002029", "secret123").await.access;
    let other_unit = app.login_with("13800002039", "secret123").await.access;

    // An official's appraisal: the transport bureau answers for 副市长 王某.
    let input = open_input(&c, json!({ "official": { "name": "王某", "post": "副市长" } }), vec![&c.li_id]);
    for token in [&county_staff, &c.zhang, &c.unit, &c.citizen] {
        open(&app, token, input.clone()).await.assert_code("FORBIDDEN");
    }
    let mut bad = input.clone();
    bad["groupDeputyIds"] = json!([county_deputy_id]);
    open(&app, &c.staff, bad).await.assert_code("BAD_USER_INPUT");
    let opened = open(&app, &c.staff, input).await;
    let a = opened.data()["r"].clone();
    let id = str_of(&a["id"]).to_owned();
    assert_eq!(a["subjectKind"], "OFFICIAL");
    assert_eq!(a["officialPost"], "副市长");

    // Outsiders do not see it before it is published, nor do they act on it.
    for token in [Some(&county_staff), Some(&county_deputy), Some(&other_unit), Some(&c.citizen), None] {
        get(&app, token.map(String::as_str), &id).await.assert_code("NOT_FOUND");
        let list = app
            .gql(
                "query($c: ID!) { appraisals(congressId: $c) { totalCount } }",
                json!({ "c": c.congress }),
                token.map(String::as_str),
            )
            .await;
        assert_eq!(list.data()["appraisals"]["totalCount"], 0);
    }
    let report = json!({ "a": id, "t": "述职报告" });
    act(&app, &other_unit, "submitAppraisalReport", ", $t: String!", ", report: $t", report.clone())
        .await
        .assert_code("FORBIDDEN");
    act(
        &app,
        &county_staff,
        "recordAppraisalOralReport",
        ", $d: NaiveDate!",
        ", heldOn: $d",
        json!({ "a": id, "d": day(0) }),
    )
    .await
    .assert_code("FORBIDDEN");
    // Insiders see every step: staff, any deputy of the congress, the unit (its history).
    for token in [&c.staff, &c.zhang, &c.li, &c.unit] {
        assert_eq!(get(&app, Some(token), &id).await.data()["appraisal"]["state"], "OPEN");
    }
    let history = app
        .gql(
            "query($c: ID!, $u: ID!) { appraisals(congressId: $c, unitId: $u) { totalCount } }",
            json!({ "c": c.congress, "u": c.transport }),
            Some(&c.unit),
        )
        .await;
    assert_eq!(history.data()["appraisals"]["totalCount"], 1);

    act(&app, &c.unit, "submitAppraisalReport", ", $t: String!", ", report: $t", report).await.data();
    let finding = "mutation($a: ID!) { r: addAppraisalFinding(appraisalId: $a, text: \"问题\", source: INSPECTION) { text } }";
    app.gql(finding, json!({ "a": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(finding, json!({ "a": id }), Some(&county_deputy)).await.assert_code("FORBIDDEN");
    app.gql(finding, json!({ "a": id }), Some(&c.li)).await.data();
    act(
        &app,
        &c.li,
        "issueAppraisalItems",
        ", $p: [String!]!",
        ", problems: $p",
        json!({ "a": id, "p": ["问题一"] }),
    )
    .await
    .assert_code("FORBIDDEN");
    let issued = act(
        &app,
        &c.staff,
        "issueAppraisalItems",
        ", $p: [String!]!",
        ", problems: $p",
        json!({ "a": id, "p": ["问题一"] }),
    )
    .await;
    let item = str_of(&issued.data()["r"]["items"][0]["id"]).to_owned();
    app.gql(ANSWER, json!({ "i": item, "t": "已整改", "d": day(1) }), Some(&other_unit))
        .await
        .assert_code("FORBIDDEN");
    app.gql(ANSWER, json!({ "i": item, "t": "已整改", "d": day(-1) }), Some(&c.unit))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(ANSWER, json!({ "i": item, "t": "已整改", "d": day(1) }), Some(&c.unit)).await.data();
    app.gql(ACCEPT, json!({ "i": item }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(ACCEPT, json!({ "i": item }), Some(&county_staff)).await.assert_code("FORBIDDEN");
    app.gql(ACCEPT, json!({ "i": item }), Some(&c.li)).await.data();
    act(&app, &c.staff, "openAppraisalVoting", "", "", json!({ "a": id })).await.data();
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&county_deputy)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&c.citizen)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), None).await.assert_code("UNAUTHENTICATED");
    // Only 张明 votes: 1 of 5 is no quorum, so the result is unsatisfactory whatever the ballot says.
    app.gql(CAST, json!({ "a": id, "m": "SATISFIED" }), Some(&c.zhang)).await.data();
    act(&app, &county_staff, "publishAppraisalResult", "", "", json!({ "a": id }))
        .await
        .assert_code("FORBIDDEN");
    let published = act(&app, &c.staff, "publishAppraisalResult", "", "", json!({ "a": id })).await;
    let p = published.data()["r"].clone();
    assert_eq!(p["result"]["verdict"], "UNSATISFACTORY");
    assert_eq!(p["result"]["quorum"], false);
    assert_eq!(p["furtherRectificationRequired"], true);

    // The unit owes a further rectification report; staff are told; once only.
    let further = json!({ "a": id, "t": "整改报告：……", "k": "further-key-01" });
    let decl = ", $t: String!, $k: String";
    let args = ", report: $t, idempotencyKey: $k";
    act(&app, &other_unit, "submitAppraisalRectificationReport", decl, args, further.clone())
        .await
        .assert_code("FORBIDDEN");
    let done = act(&app, &c.unit, "submitAppraisalRectificationReport", decl, args, further.clone()).await;
    assert_eq!(done.data()["r"]["furtherRectificationReport"], "整改报告：……");
    act(&app, &c.unit, "submitAppraisalRectificationReport", decl, args, further).await.data();
    let twice = json!({ "a": id, "t": "又一份", "k": "further-key-02" });
    act(&app, &c.unit, "submitAppraisalRectificationReport", decl, args, twice).await.assert_code("CONFLICT");
    assert!(kinds(&app, &c.staff).await.contains(&"APPRAISAL_FURTHER_REPORT_SUBMITTED".to_owned()));

    // Published, it is public: its result, not its steps.
    for token in [Some(&county_staff), Some(&county_deputy), Some(&other_unit), Some(&c.citizen), None] {
        let seen = get(&app, token.map(String::as_str), &id).await.data()["appraisal"].clone();
        assert_eq!(seen["result"]["verdict"], "UNSATISFACTORY");
        assert!(seen["items"].is_null() && seen["furtherRectificationReport"].is_null());
    }
});
