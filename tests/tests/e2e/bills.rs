//! Bills (代表议案) over GraphQL, on SQLite and on PostgreSQL + Redis: a bill drafted by 张明, co-sponsored
//! up to the congress's threshold (one short refused, the recess refused), tabled with its serial,
//! referred to a committee, assigned, reviewed with the lead sponsor's attendance recorded, decided,
//! followed up, closed and rated; another tabled by a delegation and converted to a suggestion, which
//! goes on through the suggestion lifecycle to RATED. Plus concurrent decisions (one CONFLICT), a retried
//! decision that acts once, the thresholds by level, statistics and their export, the duty archive, and
//! who sees and does what, role by role.

use edaibiao_tests::time::{DAY, rfc3339, this_year, unix_now};
use edaibiao_tests::world::{self, World, account, ok, step};
use edaibiao_tests::{TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};
use std::time::Duration;

const BILL: &str = "id state version serialNumber sessionNumber title confirmedCoSponsorCount
    leadSponsor { name } tabledByDelegation { name } coSponsors { status deputy { name } }
    decidedBy disposition decisionNote committee { name } units { name } dueAt handledOnTime
    meetings { number title attended } reviewReport reviewDecision closeNote
    rating { attitude result comment } convertedTo { id state serialNumber category
        leadDeputy { name } coSigners { status deputy { name } } }
    timeline { seq kind fromState toState note }";

/// Runs `op(id: $id, …)` as `token` with the other arguments declared in `args`; answers the bill.
async fn act(app: &TestApp, token: &str, op: &str, args: &str, vars: Value) -> Value {
    let res = app.gql(&mutation(op, args), vars, Some(token)).await;
    assert!(res.body.get("errors").is_none(), "{op} failed: {}", res.body);
    res.body["data"]["b"].clone()
}

/// The same, expecting the error `code`.
async fn refused(app: &TestApp, token: Option<&str>, op: &str, args: &str, vars: Value, code: &str) {
    app.gql(&mutation(op, args), vars, token).await.assert_code(code);
}

fn mutation(op: &str, args: &str) -> String {
    let params: Vec<&str> = args.split(',').map(str::trim).filter(|a| !a.is_empty()).collect();
    let declared: String = params.iter().map(|p| format!(", ${p}")).collect();
    let passed: String = params
        .iter()
        .map(|p| {
            let name = p.split(':').next().unwrap_or_default().trim();
            format!(", {name}: ${name}")
        })
        .collect();
    format!("mutation($id: ID!{declared}) {{ b: {op}(id: $id{passed}) {{ {BILL} }} }}")
}

async fn bill(app: &TestApp, token: &str, id: &str) -> Value {
    ok(app, Some(token), &format!("query($id: ID!) {{ bill(id: $id) {{ {BILL} }} }}"), json!({ "id": id }))
        .await["bill"]
        .clone()
}

async fn hidden(app: &TestApp, token: &str, id: &str) {
    app.gql("query($id: ID!) { bill(id: $id) { id } }", json!({ "id": id }), Some(token))
        .await
        .assert_code("NOT_FOUND");
}

async fn draft(app: &TestApp, token: &str, title: &str, key: Option<&str>) -> Value {
    let input = json!({ "title": title, "reason": format!("{title}的案由"), "provisions": "第一条 ……" });
    let data = ok(
        app,
        Some(token),
        &format!("mutation($i: BillInput!, $k: String) {{ b: draftBill(input: $i, idempotencyKey: $k) {{ {BILL} }} }}"),
        json!({ "i": input, "k": key }),
    )
    .await;
    data["b"].clone()
}

async fn settings(app: &TestApp, token: &str, congress: &str, threshold: Value, session: Value) -> Value {
    ok(
        app,
        Some(token),
        "mutation($c: ID!, $i: BillSettingsInput!) { s: setBillSettings(congressId: $c, input: $i) {
            coSponsorThreshold customThreshold sessionNumber } }",
        json!({ "c": congress, "i": { "coSponsorThreshold": threshold, "sessionNumber": session } }),
    )
    .await["s"]
        .clone()
}

async fn kinds(app: &TestApp, token: &str) -> Vec<String> {
    let data = ok(app, Some(token), "{ notifications(first: 100) { nodes { kind } } }", json!({})).await;
    data["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| str_of(&n["kind"]).to_owned())
        .collect()
}

/// Waits (up to 20 s) until `token`'s inbox holds a notification of `kind`.
async fn wait_for(app: &TestApp, token: &str, kind: &str) {
    for _ in 0..80 {
        if kinds(app, token).await.iter().any(|k| k == kind) {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no {kind} arrived: {:?}", kinds(app, token).await);
}

/// Logins for 王芳 and 陈静, deputies of A without one.
async fn more_deputies(app: &TestApp, w: &World) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, phone) in [("王芳", "13700000301"), ("陈静", "13700000302")] {
        let id = app.id_by_name("deputies", name).await;
        let token = account(app, &w.admin, phone, "DEPUTY", ("deputyId", &id)).await;
        out.push((id, token));
    }
    out
}

/// 张明's bill tabled by his delegation (东城区代表团) during session 1: TABLED.
async fn tabled_by_delegation(app: &TestApp, w: &World, title: &str) -> String {
    settings(app, &w.a.staff, &w.a.congress, Value::Null, json!(1)).await;
    let id = str_of(&draft(app, &w.a.deputy, title, None).await["id"]).to_owned();
    let b = act(
        app,
        &w.a.staff,
        "tableBill",
        "delegationId: ID",
        json!({ "id": id, "delegationId": w.a.deputy_group_id }),
    )
    .await;
    assert_eq!(b["state"], "TABLED");
    id
}

fn kinds_of(timeline: &Value) -> Vec<&str> {
    timeline.as_array().into_iter().flatten().map(|e| str_of(&e["kind"])).collect()
}

e2e!(a_bill_walks_from_draft_to_rated_and_another_becomes_a_rated_suggestion, |app| {
    let w = world::build(&app).await;
    let others = more_deputies(&app, &w).await;
    let (wang, chen) = (&others[0], &others[1]);
    let settings_query = "query($c: ID!) { s: billSettings(congressId: $c) { coSponsorThreshold customThreshold sessionNumber } }";

    // A city congress needs ten co-sponsors by default (the demo congress is in its first session).
    let s = ok(&app, Some(&w.a.deputy), settings_query, json!({ "c": w.a.congress })).await;
    assert_eq!(s["s"], json!({ "coSponsorThreshold": 10, "customThreshold": false, "sessionNumber": 1 }));
    // Its staff lower the threshold (the demo congress has five deputies) and the session ends.
    let s = settings(&app, &w.a.staff, &w.a.congress, json!(3), Value::Null).await;
    assert_eq!(s, json!({ "coSponsorThreshold": 3, "customThreshold": true, "sessionNumber": null }));

    // 张明 drafts; a retry with the same key is the same draft.
    let b = draft(&app, &w.a.deputy, "关于制定城市绿化条例的议案", Some("draft-bill-0001")).await;
    let id = str_of(&b["id"]).to_owned();
    assert_eq!(b["state"], "DRAFT");
    assert_eq!(b["serialNumber"], Value::Null);
    assert_eq!(b["leadSponsor"]["name"], "张明");
    let again = draft(&app, &w.a.deputy, "关于制定城市绿化条例的议案", Some("draft-bill-0001")).await;
    assert_eq!(again["id"], b["id"]);
    let b = act(
        &app,
        &w.a.deputy,
        "editBill",
        "input: BillInput!",
        json!({ "id": id, "input": {
        "title": "关于制定城市绿化条例的议案", "reason": "城市绿地不足", "provisions": "第一条 为了……" } }),
    )
    .await;
    assert_eq!(b["version"], 2);

    // Co-sponsors: 李华, 王芳, 陈静 invited; each told.
    let invite = json!({ "id": id, "d": [w.a_deputy2_id, wang.0, chen.0] });
    let b =
        act(&app, &w.a.deputy, "inviteBillCoSponsors", "deputyIds: [ID!]!", rename(invite, "d", "deputyIds"))
            .await;
    assert_eq!(b["coSponsors"].as_array().map(Vec::len), Some(3));
    wait_for(&app, &w.a_deputy2, "BILL_CO_SPONSOR_INVITED").await;
    for token in [&w.a_deputy2, &wang.1] {
        let b = act(
            &app,
            token,
            "answerBillCoSponsorship",
            "accept: Boolean!",
            json!({ "id": id, "accept": true }),
        )
        .await;
        assert_eq!(b["state"], "DRAFT");
    }
    // In recess the draft waits, whatever its co-sponsors.
    refused(&app, Some(&w.a.deputy), "tableBill", "", json!({ "id": id }), "CONFLICT").await;
    // In session: one short of the threshold is refused.
    settings(&app, &w.a.staff, &w.a.congress, json!(3), json!(1)).await;
    refused(&app, Some(&w.a.deputy), "tableBill", "", json!({ "id": id }), "CONFLICT").await;
    let b = act(
        &app,
        &chen.1,
        "answerBillCoSponsorship",
        "accept: Boolean!",
        json!({ "id": id, "accept": true }),
    )
    .await;
    assert_eq!(b["confirmedCoSponsorCount"], 3);
    // A deputy cannot table for a delegation: that is the staff's, acting for it.
    refused(
        &app,
        Some(&w.a.deputy),
        "tableBill",
        "delegationId: ID",
        json!({ "id": id, "delegationId": w.a.deputy_group_id }),
        "FORBIDDEN",
    )
    .await;
    let b = act(
        &app,
        &w.a.deputy,
        "tableBill",
        "idempotencyKey: String",
        json!({ "id": id, "idempotencyKey": "table-bill-0001" }),
    )
    .await;
    assert_eq!(b["state"], "TABLED");
    assert_eq!(b["serialNumber"], "第1次会议议案第1号");
    assert_eq!(b["sessionNumber"], 1);
    wait_for(&app, &w.a.staff, "BILL_TABLED").await;
    // A retry answers the same and takes no second number.
    let b = act(
        &app,
        &w.a.deputy,
        "tableBill",
        "idempotencyKey: String",
        json!({ "id": id, "idempotencyKey": "table-bill-0001" }),
    )
    .await;
    assert_eq!(b["serialNumber"], "第1次会议议案第1号");
    // Edits stop once tabled.
    refused(
        &app,
        Some(&w.a.deputy),
        "editBill",
        "input: BillInput!",
        json!({ "id": id, "input": {
        "title": "改", "reason": "改", "provisions": "改" } }),
        "CONFLICT",
    )
    .await;

    // The presidium refers it to a committee (REFERRED names one).
    refused(
        &app,
        Some(&w.a.staff),
        "decideBill",
        "input: DecideBillInput!",
        json!({ "id": id, "input": { "disposition": "REFERRED" } }),
        "BAD_USER_INPUT",
    )
    .await;
    let b = act(
        &app,
        &w.a.staff,
        "decideBill",
        "input: DecideBillInput!",
        json!({ "id": id, "input": {
        "disposition": "REFERRED", "committeeId": w.a.committee_id, "note": "交城建环保工委审议" } }),
    )
    .await;
    assert_eq!(b["state"], "REFERRED");
    assert_eq!(b["decidedBy"], "PRESIDIUM");
    assert_eq!(b["disposition"], "REFERRED");
    assert_eq!(b["committee"]["name"], "城乡建设环境保护工作委员会");
    wait_for(&app, &w.a.deputy, "BILL_DECIDED").await;

    // Reviewed only once assigned; assigned with a deadline to the committee and 市交通运输局.
    let review =
        json!({ "id": id, "input": { "report": "委员会审议报告", "decision": "常委会决定制定该条例" } });
    refused(&app, Some(&w.a.staff), "reviewBill", "input: ReviewBillInput!", review.clone(), "CONFLICT")
        .await;
    hidden(&app, &w.a.unit_staff, &id).await;
    let due = rfc3339(unix_now() + 60 * DAY);
    let b = act(
        &app,
        &w.a.staff,
        "assignBill",
        "input: AssignBillInput!",
        json!({ "id": id, "input": {
        "committeeId": w.a.committee_id, "unitIds": [w.a.unit_id], "dueAt": due } }),
    )
    .await;
    assert_eq!(b["units"], json!([{ "name": "市交通运输局" }]));
    wait_for(&app, &w.a.unit_staff, "BILL_ASSIGNED").await;
    assert_eq!(bill(&app, &w.a.unit_staff, &id).await["state"], "REFERRED");
    hidden(&app, &w.a_unit2_staff, &id).await;

    // The lead sponsor is invited to the committee's meeting and attends.
    let b = act(
        &app,
        &w.a.staff,
        "inviteBillLeadSponsor",
        "title: String!, heldAt: DateTime!",
        json!({ "id": id,
        "title": "城建环保工委全体会议", "heldAt": rfc3339(unix_now() + 2 * DAY) }),
    )
    .await;
    assert_eq!(b["meetings"], json!([{ "number": 1, "title": "城建环保工委全体会议", "attended": null }]));
    wait_for(&app, &w.a.deputy, "BILL_MEETING_INVITED").await;
    let b = act(
        &app,
        &w.a.staff,
        "recordBillAttendance",
        "meetingNumber: Int!, attended: Boolean!",
        json!({ "id": id,
        "meetingNumber": 1, "attended": true }),
    )
    .await;
    assert_eq!(b["meetings"][0]["attended"], true);
    refused(
        &app,
        Some(&w.a.staff),
        "recordBillAttendance",
        "meetingNumber: Int!, attended: Boolean!",
        json!({ "id": id,
        "meetingNumber": 2, "attended": true }),
        "NOT_FOUND",
    )
    .await;

    // Review report and decision; follow-up by the unit, pressed by staff, closed on time; rated.
    let b = act(&app, &w.a.staff, "reviewBill", "input: ReviewBillInput!", review).await;
    assert_eq!(
        (b["state"].as_str(), b["reviewDecision"].as_str()),
        (Some("REVIEWED"), Some("常委会决定制定该条例"))
    );
    refused(
        &app,
        Some(&w.a.staff),
        "closeBill",
        "note: String!",
        json!({ "id": id, "note": "办结" }),
        "CONFLICT",
    )
    .await;
    refused(
        &app,
        Some(&w.a_unit2_staff),
        "reportBillFollowUp",
        "note: String!",
        json!({ "id": id, "note": "x" }),
        "NOT_FOUND",
    )
    .await;
    let b = act(
        &app,
        &w.a.unit_staff,
        "reportBillFollowUp",
        "note: String!",
        json!({ "id": id, "note": "条例草案已起草" }),
    )
    .await;
    assert_eq!(b["state"], "FOLLOW_UP");
    wait_for(&app, &w.a.staff, "BILL_FOLLOW_UP_REPORTED").await;
    act(&app, &w.a.staff, "superviseBill", "note: String!", json!({ "id": id, "note": "请加快进度" })).await;
    wait_for(&app, &w.a.unit_staff, "BILL_SUPERVISED").await;
    let b =
        act(&app, &w.a.staff, "closeBill", "note: String!", json!({ "id": id, "note": "条例已通过，办结" }))
            .await;
    assert_eq!(b["state"], "CLOSED");
    assert_eq!(b["handledOnTime"], true);
    let rating = json!({ "id": id, "input": { "attitude": "SATISFIED", "result": "BASICALLY_SATISFIED", "comment": "很好" } });
    refused(&app, Some(&w.a_deputy2), "rateBill", "input: RateBillInput!", rating.clone(), "FORBIDDEN").await;
    let b = act(&app, &w.a.deputy, "rateBill", "input: RateBillInput!", rating.clone()).await;
    assert_eq!(b["state"], "RATED");
    assert_eq!(
        b["rating"],
        json!({ "attitude": "SATISFIED", "result": "BASICALLY_SATISFIED", "comment": "很好" })
    );
    refused(&app, Some(&w.a.deputy), "rateBill", "input: RateBillInput!", rating, "CONFLICT").await;
    wait_for(&app, &w.a.unit_staff, "BILL_RATED").await;
    assert_eq!(
        kinds_of(&b["timeline"]),
        [
            "DRAFTED",
            "EDITED",
            "CO_SPONSOR_INVITED",
            "CO_SPONSORSHIP_ANSWERED",
            "CO_SPONSORSHIP_ANSWERED",
            "CO_SPONSORSHIP_ANSWERED",
            "TABLED",
            "DECIDED",
            "ASSIGNED",
            "LEAD_SPONSOR_INVITED",
            "ATTENDANCE_RECORDED",
            "REVIEWED",
            "FOLLOW_UP_REPORTED",
            "SUPERVISED",
            "CLOSED",
            "RATED"
        ]
    );
    let seqs: Vec<i64> =
        b["timeline"].as_array().into_iter().flatten().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(seqs, (1..=16).collect::<Vec<i64>>());

    // A second bill, tabled by 张明's delegation with 李华 co-sponsoring, is converted to a suggestion.
    let second = str_of(&draft(&app, &w.a.deputy, "关于规范夜市管理的议案", None).await["id"]).to_owned();
    act(
        &app,
        &w.a.deputy,
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": second, "deputyIds": [w.a_deputy2_id] }),
    )
    .await;
    act(
        &app,
        &w.a_deputy2,
        "answerBillCoSponsorship",
        "accept: Boolean!",
        json!({ "id": second, "accept": true }),
    )
    .await;
    // Only the lead sponsor's own delegation, of the same congress.
    refused(
        &app,
        Some(&w.a.staff),
        "tableBill",
        "delegationId: ID",
        json!({ "id": second, "delegationId": w.b.deputy_group_id }),
        "BAD_USER_INPUT",
    )
    .await;
    let b = act(
        &app,
        &w.a.staff,
        "tableBill",
        "delegationId: ID",
        json!({ "id": second, "delegationId": w.a.deputy_group_id }),
    )
    .await;
    assert_eq!(b["tabledByDelegation"]["name"], "东城区代表团");
    assert_eq!(b["serialNumber"], "第1次会议议案第2号");
    let b = act(
        &app,
        &w.a.staff,
        "decideBill",
        "input: DecideBillInput!",
        json!({ "id": second, "input": { "disposition": "CONVERTED" } }),
    )
    .await;
    assert_eq!(b["state"], "CONVERTED");
    let s = &b["convertedTo"];
    assert_eq!(s["state"], "PROPOSED");
    assert_eq!(s["serialNumber"], "第1次会议第0001号", "a suggestion serial, not a bill's");
    assert_eq!(s["category"], "议案转建议");
    assert_eq!(s["leadDeputy"]["name"], "张明");
    assert_eq!(s["coSigners"], json!([{ "status": "CONFIRMED", "deputy": { "name": "李华" } }]));
    let suggestion = str_of(&s["id"]).to_owned();
    // The co-sponsors carried over are not invited again.
    assert!(!kinds(&app, &w.a_deputy2).await.iter().any(|k| k == "CO_SIGN_INVITED"));
    let back = ok(
        &app,
        Some(&w.a.deputy),
        "query($id: ID!) { node(id: $id) { ... on Suggestion { fromBill { id state } } } }",
        json!({ "id": suggestion }),
    )
    .await;
    assert_eq!(back["node"]["fromBill"], json!({ "id": second, "state": "CONVERTED" }));
    // Nothing of the bill lifecycle applies any more.
    refused(
        &app,
        Some(&w.a.staff),
        "assignBill",
        "input: AssignBillInput!",
        json!({ "id": second, "input": {
        "committeeId": w.a.committee_id, "unitIds": [], "dueAt": rfc3339(unix_now() + 30 * DAY) } }),
        "CONFLICT",
    )
    .await;

    // The suggestion goes through its own lifecycle to RATED.
    let units = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": w.a.unit_id, "role": "LEAD" }] });
    step(
        &app,
        &w.a.staff,
        "assignSuggestion",
        ", $input: AssignmentInput!",
        json!({ "id": suggestion, "input": units }),
    )
    .await;
    step(&app, &w.a.unit_staff, "acceptSuggestion", "", json!({ "id": suggestion })).await;
    let contact = json!({ "method": "PHONE", "contactedAt": rfc3339(unix_now() + 2), "summary": "电话沟通" });
    step(
        &app,
        &w.a.unit_staff,
        "recordContact",
        ", $input: ContactInput!",
        json!({ "id": suggestion, "input": contact }),
    )
    .await;
    let answer =
        json!({ "content": "已规范夜市管理", "answerClass": "SOLVED", "signedBy": "局长", "public": true });
    step(
        &app,
        &w.a.unit_staff,
        "answerSuggestion",
        ", $input: AnswerInput!",
        json!({ "id": suggestion, "input": answer }),
    )
    .await;
    let rated = json!({ "attitude": "SATISFIED", "result": "SATISFIED" });
    step(
        &app,
        &w.a.deputy,
        "rateAnswer",
        ", $input: RatingInput!",
        json!({ "id": suggestion, "input": rated }),
    )
    .await;
    let s = ok(
        &app,
        Some(&w.a.deputy),
        "query($id: ID!) { suggestion(id: $id) { state } }",
        json!({ "id": suggestion }),
    )
    .await;
    assert_eq!(s["suggestion"]["state"], "RATED");

    // Statistics: by state, by committee, on time; the same in the CSV export.
    let stats = ok(
        &app,
        Some(&w.a.staff),
        "query($c: ID!) { s: billStatistics(congressId: $c) {
        byState { state count } byCommittee { label bills reviewed closed closedOnTime overdue }
        total { label bills reviewed closed closedOnTime overdue } } }",
        json!({ "c": w.a.congress }),
    )
    .await;
    let by_state: Vec<(String, i64)> = stats["s"]["byState"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (str_of(&r["state"]).to_owned(), r["count"].as_i64().unwrap_or(-1)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(by_state, [("CONVERTED".to_owned(), 1), ("RATED".to_owned(), 1)]);
    assert_eq!(
        stats["s"]["total"],
        json!({ "label": "合计", "bills": 2, "reviewed": 1, "closed": 1, "closedOnTime": 1, "overdue": 0 })
    );
    assert_eq!(stats["s"]["byCommittee"][0]["label"], "未交委员会");
    assert_eq!(
        stats["s"]["byCommittee"][1],
        json!({ "label": "城乡建设环境保护工作委员会", "bills": 1, "reviewed": 1,
        "closed": 1, "closedOnTime": 1, "overdue": 0 })
    );
    let path = format!("/exports/bill-statistics.csv?congressId={}", w.a.congress);
    let mut request = app.client.get(app.url(&path));
    request = request.insert_header(("authorization", format!("Bearer {}", w.a.staff)));
    let mut response = request.send().await.expect("GET failed");
    assert_eq!(response.status().as_u16(), 200);
    let body = response.body().await.expect("no body");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("委员会,议案数,已审议,已办结,按期办结,按期办结率,超期未办结"), "{text}");
    assert!(text.contains("合计,2,1,1,1,1,0"), "{text}");
    let mut request = app.client.get(app.url(&path));
    request = request.insert_header(("authorization", format!("Bearer {}", w.a.deputy)));
    assert_eq!(request.send().await.expect("GET failed").status().as_u16(), 403);

    // Both bills are in the deputies' duty archives: led by 张明, co-sponsored by 李华 (and 王芳, 陈静 once).
    let archive = "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) {
        billsLed { kind sourceId } billsCoSponsored { kind sourceId } } }";
    let z = ok(&app, Some(&w.a.deputy), archive, json!({ "d": w.a.deputy_id, "y": this_year() })).await;
    assert_eq!(z["r"]["billsLed"].as_array().map(Vec::len), Some(2));
    assert_eq!(z["r"]["billsLed"][0]["kind"], "BILL_LED");
    let l = ok(&app, Some(&w.a_deputy2), archive, json!({ "d": w.a_deputy2_id, "y": this_year() })).await;
    assert_eq!(l["r"]["billsCoSponsored"].as_array().map(Vec::len), Some(2));
    assert_eq!(l["r"]["billsCoSponsored"][0]["kind"], "BILL_CO_SPONSORED");
    let c = ok(&app, Some(&chen.1), archive, json!({ "d": chen.0, "y": this_year() })).await;
    assert_eq!(c["r"]["billsCoSponsored"].as_array().map(Vec::len), Some(1));
});

/// `{…, from: v}` → `{…, to: v}`.
fn rename(mut vars: Value, from: &str, to: &str) -> Value {
    if let Some(map) = vars.as_object_mut()
        && let Some(v) = map.remove(from)
    {
        map.insert(to.to_owned(), v);
    }
    vars
}

e2e!(concurrent_decisions_have_one_winner_and_a_retry_acts_once, |app| {
    let w = world::build(&app).await;
    let staff2 =
        account(&app, &w.admin, "13700000310", "CONGRESS_STAFF", ("congressId", &w.a.congress)).await;
    let id = tabled_by_delegation(&app, &w, "关于修订物业管理条例的议案").await;

    // Two staff decide at once, differently: exactly one wins, the other is CONFLICT.
    let decisions = [(&w.a.staff, "ON_AGENDA"), (&staff2, "CONVERTED")];
    let query = mutation("decideBill", "input: DecideBillInput!");
    let sends = decisions
        .iter()
        .map(|(token, d)| app.gql(&query, json!({ "id": id, "input": { "disposition": d } }), Some(token)));
    let results = join_all(sends).await;
    let won: Vec<&edaibiao_tests::Gql> = results.iter().filter(|r| r.body.get("errors").is_none()).collect();
    assert_eq!(won.len(), 1, "{:?}", results.iter().map(|r| &r.body).collect::<Vec<_>>());
    for r in results.iter().filter(|r| r.body.get("errors").is_some()) {
        r.assert_code("CONFLICT");
    }
    let b = bill(&app, &w.a.staff, &id).await;
    assert_eq!(
        b["timeline"].as_array().map(|t| t.iter().filter(|e| e["kind"] == "DECIDED").count()),
        Some(1)
    );
    // A conversion that lost left no suggestion behind.
    if b["state"] == "ON_AGENDA" {
        assert_eq!(b["convertedTo"], Value::Null);
        let list = ok(&app, Some(&w.a.staff), "{ suggestions(first: 100) { totalCount } }", json!({})).await;
        assert_eq!(list["suggestions"]["totalCount"], 0);
    }

    // A retried decision (same key) acts once and answers the same; another key is CONFLICT.
    let other = tabled_by_delegation(&app, &w, "关于制定养犬管理条例的议案").await;
    let args = "input: DecideBillInput!, idempotencyKey: String";
    let vars =
        json!({ "id": other, "input": { "disposition": "ON_AGENDA" }, "idempotencyKey": "decide-bill-0001" });
    let first = act(&app, &w.a.staff, "decideBill", args, vars.clone()).await;
    let retry = act(&app, &w.a.staff, "decideBill", args, vars).await;
    assert_eq!(first["state"], "ON_AGENDA");
    assert_eq!(retry["version"], first["version"]);
    assert_eq!(kinds_of(&retry["timeline"]).iter().filter(|k| **k == "DECIDED").count(), 1);
    let vars =
        json!({ "id": other, "input": { "disposition": "ON_AGENDA" }, "idempotencyKey": "decide-bill-0002" });
    refused(&app, Some(&w.a.staff), "decideBill", args, vars, "CONFLICT").await;
    // In recess the standing committee decides.
    settings(&app, &w.a.staff, &w.a.congress, Value::Null, Value::Null).await;
    settings(&app, &w.a.staff, &w.a.congress, Value::Null, json!(1)).await;
    let third = tabled_by_delegation(&app, &w, "关于加强古树保护的议案").await;
    settings(&app, &w.a.staff, &w.a.congress, Value::Null, Value::Null).await;
    let b = act(
        &app,
        &w.a.staff,
        "decideBill",
        "input: DecideBillInput!",
        json!({ "id": third, "input": { "disposition": "ON_AGENDA" } }),
    )
    .await;
    assert_eq!(b["decidedBy"], "STANDING_COMMITTEE");
});

e2e!(who_sees_and_does_what_with_bills, |app| {
    let w = world::build(&app).await;
    settings(&app, &w.a.staff, &w.a.congress, Value::Null, json!(1)).await;

    // Thresholds: by level by default, bounded when set; settings are the staff's.
    let township = ok(&app, Some(&w.admin), "mutation($i: CongressInput!) { c: createCongress(input: $i) { id } }",
        json!({ "i": { "name": "示例镇第三届人民代表大会", "level": "TOWNSHIP", "region": "示例镇", "term": 3 } })).await;
    let t = ok(
        &app,
        Some(&w.admin),
        "query($c: ID!) { s: billSettings(congressId: $c) { coSponsorThreshold } }",
        json!({ "c": township["c"]["id"] }),
    )
    .await;
    assert_eq!(t["s"]["coSponsorThreshold"], 5);
    let set = "mutation($c: ID!, $i: BillSettingsInput!) { setBillSettings(congressId: $c, input: $i) { coSponsorThreshold } }";
    for bad in [
        json!({ "coSponsorThreshold": 0 }),
        json!({ "coSponsorThreshold": 101 }),
        json!({ "sessionNumber": 0 }),
    ] {
        app.gql(set, json!({ "c": w.a.congress, "i": bad }), Some(&w.a.staff))
            .await
            .assert_code("BAD_USER_INPUT");
    }
    for token in [&w.a.deputy, &w.b.staff, &w.a.unit_staff] {
        app.gql(set, json!({ "c": w.a.congress, "i": { "coSponsorThreshold": 2 } }), Some(token))
            .await
            .assert_code("FORBIDDEN");
    }

    // Only deputies draft; text is bounded.
    for token in [&w.a.staff, &w.a.unit_staff, &w.citizen] {
        let res = app
            .gql(
                "mutation { draftBill(input: { title: \"t\", reason: \"r\", provisions: \"p\" }) { id } }",
                json!({}),
                Some(token),
            )
            .await;
        res.assert_code("FORBIDDEN");
    }
    let long = "字".repeat(9_001);
    let res = app.gql("mutation($r: String!) { draftBill(input: { title: \"t\", reason: $r, provisions: \"p\" }) { id } }", json!({ "r": long }), Some(&w.a.deputy)).await;
    res.assert_code("BAD_USER_INPUT");

    // A draft is the sponsors' own: staff and others do not see it.
    let id = str_of(&draft(&app, &w.a.deputy, "关于制定电梯安全条例的议案", None).await["id"]).to_owned();
    for token in
        [&w.a.staff, &w.a_deputy2, &w.b.deputy, &w.b.staff, &w.a.unit_staff, &w.citizen, &w.a.station_staff]
    {
        hidden(&app, token, &id).await;
    }
    // Co-sponsors are deputies of the same congress; an invited one sees the draft, one who declines not.
    refused(
        &app,
        Some(&w.a.deputy),
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": id, "deputyIds": [w.b.deputy_id] }),
        "BAD_USER_INPUT",
    )
    .await;
    refused(
        &app,
        Some(&w.a.deputy),
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": id, "deputyIds": [w.a.deputy_id] }),
        "BAD_USER_INPUT",
    )
    .await;
    refused(
        &app,
        Some(&w.a_deputy2),
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": id, "deputyIds": [w.a_deputy2_id] }),
        "NOT_FOUND",
    )
    .await;
    act(
        &app,
        &w.a.deputy,
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": id, "deputyIds": [w.a_deputy2_id] }),
    )
    .await;
    refused(
        &app,
        Some(&w.a.deputy),
        "inviteBillCoSponsors",
        "deputyIds: [ID!]!",
        json!({ "id": id, "deputyIds": [w.a_deputy2_id] }),
        "CONFLICT",
    )
    .await;
    assert_eq!(bill(&app, &w.a_deputy2, &id).await["coSponsors"][0]["status"], "INVITED");
    refused(
        &app,
        Some(&w.a.deputy),
        "answerBillCoSponsorship",
        "accept: Boolean!",
        json!({ "id": id, "accept": true }),
        "FORBIDDEN",
    )
    .await;
    let declined = ok(
        &app,
        Some(&w.a_deputy2),
        "mutation($id: ID!) { answerBillCoSponsorship(id: $id, accept: false) { id } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(declined["answerBillCoSponsorship"], Value::Null);
    hidden(&app, &w.a_deputy2, &id).await;

    // Tabling: by the lead sponsor only (below the threshold: CONFLICT), or by the congress's staff for a
    // delegation; other congresses do not see it at all.
    refused(&app, Some(&w.a_deputy2), "tableBill", "", json!({ "id": id }), "NOT_FOUND").await;
    refused(&app, Some(&w.b.deputy), "tableBill", "", json!({ "id": id }), "NOT_FOUND").await;
    refused(
        &app,
        Some(&w.b.staff),
        "tableBill",
        "delegationId: ID",
        json!({ "id": id, "delegationId": w.b.deputy_group_id }),
        "NOT_FOUND",
    )
    .await;
    refused(&app, Some(&w.a.deputy), "tableBill", "", json!({ "id": id }), "CONFLICT").await;
    act(
        &app,
        &w.a.staff,
        "tableBill",
        "delegationId: ID",
        json!({ "id": id, "delegationId": w.a.deputy_group_id }),
    )
    .await;

    // Tabled: A's staff see it; B's people, other deputies, units, citizens do not.
    assert_eq!(bill(&app, &w.a.staff, &id).await["state"], "TABLED");
    for token in [
        &w.a_deputy2,
        &w.b.deputy,
        &w.b.staff,
        &w.a.unit_staff,
        &w.a_unit2_staff,
        &w.citizen,
        &w.a.station_staff,
    ] {
        hidden(&app, token, &id).await;
    }
    let node =
        ok(&app, Some(&w.b.staff), "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
    assert_eq!(node["node"], Value::Null);
    let decide = json!({ "id": id, "input": { "disposition": "ON_AGENDA" } });
    refused(&app, Some(&w.a.deputy), "decideBill", "input: DecideBillInput!", decide.clone(), "FORBIDDEN")
        .await;
    refused(&app, Some(&w.b.staff), "decideBill", "input: DecideBillInput!", decide.clone(), "NOT_FOUND")
        .await;
    refused(
        &app,
        Some(&w.a.unit_staff),
        "decideBill",
        "input: DecideBillInput!",
        decide.clone(),
        "NOT_FOUND",
    )
    .await;
    refused(&app, None, "decideBill", "input: DecideBillInput!", decide.clone(), "UNAUTHENTICATED").await;
    act(&app, &w.a.staff, "decideBill", "input: DecideBillInput!", decide).await;
    // Units and committees of another congress are refused.
    let assign = |committee: &str, unit: &str| {
        json!({ "id": id, "input": {
        "committeeId": committee, "unitIds": [unit], "dueAt": rfc3339(unix_now() + 30 * DAY) } })
    };
    refused(
        &app,
        Some(&w.a.staff),
        "assignBill",
        "input: AssignBillInput!",
        assign(&w.b.committee_id, &w.a.unit_id),
        "BAD_USER_INPUT",
    )
    .await;
    refused(
        &app,
        Some(&w.a.staff),
        "assignBill",
        "input: AssignBillInput!",
        assign(&w.a.committee_id, &w.b.unit_id),
        "BAD_USER_INPUT",
    )
    .await;
    let past = json!({ "id": id, "input": { "committeeId": w.a.committee_id, "unitIds": [], "dueAt": rfc3339(unix_now() - DAY) } });
    refused(&app, Some(&w.a.staff), "assignBill", "input: AssignBillInput!", past, "BAD_USER_INPUT").await;
    act(&app, &w.a.staff, "assignBill", "input: AssignBillInput!", assign(&w.a.committee_id, &w.a.unit_id))
        .await;
    // The assigned unit sees it and may not decide or review; the other unit sees nothing.
    assert_eq!(bill(&app, &w.a.unit_staff, &id).await["state"], "ON_AGENDA");
    hidden(&app, &w.a_unit2_staff, &id).await;
    let review = json!({ "id": id, "input": { "report": "报告", "decision": "决定" } });
    refused(
        &app,
        Some(&w.a.unit_staff),
        "reviewBill",
        "input: ReviewBillInput!",
        review.clone(),
        "FORBIDDEN",
    )
    .await;
    refused(&app, Some(&w.a.deputy), "reviewBill", "input: ReviewBillInput!", review, "FORBIDDEN").await;

    // Lists: each sees their own (the demo's draft is 张明's, 李华 co-sponsoring it).
    let list = "{ bills(first: 100) { totalCount nodes { id } } }";
    for (token, n) in [
        (&w.a.deputy, 2),
        (&w.a.staff, 1),
        (&w.a.unit_staff, 1),
        (&w.a_unit2_staff, 0),
        (&w.a_deputy2, 1),
        (&w.b.staff, 0),
        (&w.b.deputy, 0),
        (&w.citizen, 0),
        (&w.admin, 1),
    ] {
        let data = ok(&app, Some(token), list, json!({})).await;
        assert_eq!(data["bills"]["totalCount"], n, "{data}");
    }
    // Statistics are the congress's staff's.
    let stats = "query($c: ID!) { billStatistics(congressId: $c) { total { bills } } }";
    for token in [&w.a.deputy, &w.b.staff, &w.a.unit_staff, &w.citizen] {
        app.gql(stats, json!({ "c": w.a.congress }), Some(token)).await.assert_code("FORBIDDEN");
    }
    let s = ok(&app, Some(&w.a.staff), stats, json!({ "c": w.a.congress })).await;
    assert_eq!(s["billStatistics"]["total"]["bills"], 1);

    // A delegation's leader (组长) tables a member's draft in its name, and then sees it; other deputies
    // may not table for a delegation they do not lead.
    let leader =
        "mutation($g: ID!, $d: ID!) { setDeputyGroupLeader(deputyGroupId: $g, deputyId: $d) { id } }";
    ok(&app, Some(&w.a.staff), leader, json!({ "g": w.a.deputy_group_id, "d": w.a_deputy2_id })).await;
    let led =
        str_of(&draft(&app, &w.a.deputy, "关于制定历史建筑保护条例的议案", None).await["id"]).to_owned();
    hidden(&app, &w.a_deputy2, &led).await;
    let table = json!({ "id": led, "delegationId": w.a.deputy_group_id });
    refused(&app, Some(&w.b.deputy), "tableBill", "delegationId: ID", table.clone(), "NOT_FOUND").await;
    let b = act(&app, &w.a_deputy2, "tableBill", "delegationId: ID", table).await;
    assert_eq!(b["state"], "TABLED");
    assert_eq!(b["tabledByDelegation"]["name"], "东城区代表团");
    assert_eq!(bill(&app, &w.a_deputy2, &led).await["state"], "TABLED");
    // She now sees, and lists, every bill her delegation tabled (and the demo draft she co-sponsors).
    assert_eq!(bill(&app, &w.a_deputy2, &id).await["state"], "ON_AGENDA");
    assert_eq!(ok(&app, Some(&w.a_deputy2), list, json!({})).await["bills"]["totalCount"], 3);
});
