//! Contact work (联系代表, issue 19): staff link deputies to a committee and to a standing-committee member;
//! contacts are recorded with the items the deputy passed on (only items the recorder may see); coverage
//! (全覆盖) per committee and member and contacts per deputy, the same in the query and the CSV export;
//! who may record and see what, congress by congress; and a professional group's activity counted for its
//! members.

use chrono::Datelike;
use edaibiao_tests::reports::{SUBMIT, input as report_input};
use edaibiao_tests::time::{cst_today, date_in, rfc3339, unix_now};
use edaibiao_tests::world::{self, World};
use edaibiao_tests::{TestApp, e2e, str_of};
use serde_json::{Value, json};

const RECORD: &str = "mutation($i: RecordDeputyContactInput!, $k: String) {
    r: recordDeputyContact(input: $i, idempotencyKey: $k) {
        id contactedOn method content committee { id } member { id name } deputy { id name }
        passedOn { kind itemId } } }";

const COVERAGE: &str = "query($c: ID!, $y: Int!) { r: contactCoverage(congressId: $c, year: $y) {
    year coveredCommittees coveredMembers
    committees { contactorId name linkedDeputies contactedDeputies contacts covered }
    members { contactorId name linkedDeputies contactedDeputies contacts covered }
    deputies { deputyId name contacts } } }";

const NODE: &str = "query($id: ID!) { r: node(id: $id) { id ... on DeputyContact { content } } }";

const LIST: &str =
    "query($c: ID) { r: deputyContacts(congressId: $c, first: 50) { totalCount nodes { id } } }";

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    world::ok(app, Some(token), query, vars).await["r"].clone()
}

fn year() -> i32 {
    cst_today().year()
}

/// A contact's input by a committee or a member (`by` is `committeeId` or `memberId`).
fn contact(by: &str, contactor: &str, deputy: &str, method: &str, passed_on: &[&str]) -> Value {
    let mut i = json!({ "deputyId": deputy, "contactedOn": date_in(0), "method": method,
        "content": "走访了解代表履职需求", "passedOn": passed_on });
    i[by] = json!(contactor);
    json!({ "i": i })
}

/// A deputy of congress A without a login, made by A's staff.
async fn deputy(app: &TestApp, w: &World, name: &str, professional_group: Option<&str>) -> String {
    let mut i = json!({ "name": name, "gender": "FEMALE", "occupation": "OTHER" });
    if let Some(g) = professional_group {
        i["professionalGroupId"] = json!(g);
    }
    let made = world::ok(
        app,
        Some(&w.a.staff),
        "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
        json!({ "c": w.a.congress, "i": i }),
    )
    .await;
    str_of(&made["createDeputy"]["id"]).to_owned()
}

async fn link(app: &TestApp, token: &str, field: &str, contactor: (&str, &str), deputy: &str) -> Value {
    let (arg, id) = contactor;
    let query =
        format!("mutation($x: ID!, $d: ID!) {{ r: {field}({arg}: $x, deputyId: $d) {{ __typename }} }}");
    app.gql(&query, json!({ "x": id, "d": deputy }), Some(token)).await.data().clone()
}

/// The rows of a CSV export (after the byte order mark and the header), cells as text.
async fn csv_rows(app: &TestApp, path: &str, token: &str) -> (u16, Vec<Vec<String>>) {
    let mut response = app
        .client
        .get(app.url(path))
        .insert_header(("authorization", format!("Bearer {token}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let body = response.body().limit(1 << 24).await.expect("no body").to_vec();
    if status != 200 {
        return (status, Vec::new());
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").expect("CSV without a byte order mark");
    let mut reader = csv::Reader::from_reader(body);
    let rows = reader.records().map(|r| r.expect("bad CSV").iter().map(str::to_owned).collect()).collect();
    (status, rows)
}

fn row<'a>(rows: &'a Value, list: &str, key: &str, id: &str) -> &'a Value {
    rows[list]
        .as_array()
        .and_then(|r| r.iter().find(|x| x[key] == id))
        .unwrap_or_else(|| panic!("{id} not in {list}: {rows}"))
}

e2e!(committee_and_member_contacts_give_exact_coverage, |app| {
    let w = world::build(&app).await;
    let (staff, zhang, li) = (&w.a.staff, &w.a.deputy_id, &w.a_deputy2_id);
    let committee = world::ok(
        &app,
        Some(staff),
        "mutation($c: ID!) { createCommittee(congressId: $c, input: { name: \"联系代表工作委员会\" }) { id } }",
        json!({ "c": w.a.congress }),
    )
    .await;
    let committee = str_of(&committee["createCommittee"]["id"]).to_owned();
    let wang = deputy(&app, &w, "联系对象王", None).await;
    let other = deputy(&app, &w, "未联系代表", None).await;

    // Staff link 张明 and 王 to the committee, and to the member 李华 (常委会组成人员); nobody else may.
    for d in [zhang, &wang] {
        link(&app, staff, "linkDeputyToCommittee", ("committeeId", &committee), d).await;
        let linked = link(&app, staff, "linkDeputyToMember", ("memberId", li), d).await;
        assert!(linked["r"].is_array(), "{linked}");
    }
    let listed = ok(
        &app,
        staff,
        "query($m: ID!) { r: memberLinkedDeputies(memberId: $m) { id } }",
        json!({ "m": li }),
    )
    .await;
    let mut linked: Vec<&str> = listed.as_array().into_iter().flatten().map(|d| str_of(&d["id"])).collect();
    linked.sort_unstable();
    let mut want = vec![zhang.as_str(), wang.as_str()];
    want.sort_unstable();
    assert_eq!(linked, want);
    for (who, code) in [(&w.a.deputy, "FORBIDDEN"), (&w.a_deputy2, "FORBIDDEN"), (&w.b.staff, "FORBIDDEN")] {
        let q = "mutation($x: ID!, $d: ID!) { r: linkDeputyToMember(memberId: $x, deputyId: $d) { id } }";
        app.gql(q, json!({ "x": li, "d": other }), Some(who)).await.assert_code(code);
    }
    // A deputy of another congress cannot be linked.
    let q = "mutation($x: ID!, $d: ID!) { r: linkDeputyToMember(memberId: $x, deputyId: $d) { id } }";
    app.gql(q, json!({ "x": li, "d": w.b.deputy_id }), Some(staff)).await.assert_code("BAD_USER_INPUT");

    // Items 张明 passes on: his suggestion, a citizen's opinion, his own report of constituents' views.
    let suggestion = w.proposed(&app, "联系中提出的建议").await;
    world::ok(
        &app,
        None,
        "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        json!({ "i": { "stationId": w.a.station_id, "category": "OTHER", "content": "路灯不亮" } }),
    )
    .await;
    let opinions = ok(&app, staff, "{ r: opinions(first: 1) { nodes { id } } }", json!({})).await;
    let opinion = str_of(&opinions["nodes"][0]["id"]).to_owned();
    let report = ok(&app, &w.a.deputy, SUBMIT, json!({ "i": report_input("联系中反映的情况") })).await;
    let report = str_of(&report["id"]).to_owned();

    // The committee's contacts, recorded by staff: 张明 (passing on three items) and 王: both reached.
    let first = ok(
        &app,
        staff,
        RECORD,
        contact("committeeId", &committee, zhang, "VISIT", &[&suggestion, &opinion, &report]),
    )
    .await;
    assert_eq!(first["method"], "VISIT");
    assert_eq!(first["contactedOn"], date_in(0));
    assert_eq!(first["committee"]["id"], committee.as_str());
    assert_eq!(first["member"], Value::Null);
    let mut passed: Vec<(String, String)> = first["passedOn"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (str_of(&p["kind"]).to_owned(), str_of(&p["itemId"]).to_owned()))
        .collect();
    passed.sort();
    let mut expected = vec![
        ("SUGGESTION".to_owned(), suggestion.clone()),
        ("OPINION".to_owned(), opinion.clone()),
        ("DEPUTY_REPORT".to_owned(), report.clone()),
    ];
    expected.sort();
    assert_eq!(passed, expected);
    ok(&app, staff, RECORD, contact("committeeId", &committee, &wang, "PHONE", &[])).await;

    // The member records his own contact with 张明; a retry with the same key records nothing more.
    let mine = contact("memberId", li, zhang, "MEETING", &[]);
    let mut retried = mine.clone();
    retried["k"] = json!("member-contact-0001");
    let once = ok(&app, &w.a_deputy2, RECORD, retried.clone()).await;
    let twice = ok(&app, &w.a_deputy2, RECORD, retried).await;
    assert_eq!(once["id"], twice["id"]);
    assert_eq!(once["member"]["id"], li.as_str());
    let member_contact = str_of(&once["id"]).to_owned();
    let committee_contact = str_of(&first["id"]).to_owned();

    // Refusals: who (FORBIDDEN), then what (BAD_USER_INPUT).
    let refusals = [
        // The member may not record for a committee, nor 张明 for the member, nor anyone outside A's staff.
        (&w.a_deputy2, contact("committeeId", &committee, zhang, "VISIT", &[]), "FORBIDDEN"),
        (&w.a.deputy, mine.clone(), "FORBIDDEN"),
        (&w.b.staff, contact("committeeId", &committee, zhang, "VISIT", &[]), "FORBIDDEN"),
        (&w.a.unit_staff, mine.clone(), "FORBIDDEN"),
        (&w.a.station_staff, mine.clone(), "FORBIDDEN"),
        (&w.citizen, mine.clone(), "FORBIDDEN"),
        // A deputy not linked to the member.
        (&w.a_deputy2, contact("memberId", li, &other, "PHONE", &[]), "BAD_USER_INPUT"),
        // 张明's report and his suggestion, which the member may not see.
        (&w.a_deputy2, contact("memberId", li, zhang, "PHONE", &[&report]), "BAD_USER_INPUT"),
        (&w.a_deputy2, contact("memberId", li, zhang, "PHONE", &[&suggestion]), "BAD_USER_INPUT"),
        // An ID that is not an item one passes on.
        (staff, contact("committeeId", &committee, zhang, "PHONE", &[&committee]), "BAD_USER_INPUT"),
        // Neither or both contactors.
        (
            staff,
            json!({ "i": { "deputyId": zhang, "contactedOn": date_in(0), "method": "PHONE", "content": "x" } }),
            "BAD_USER_INPUT",
        ),
    ];
    for (who, vars, code) in refusals {
        app.gql(RECORD, vars.clone(), Some(who)).await.assert_code(code);
    }
    let mut future = contact("memberId", li, zhang, "PHONE", &[]);
    future["i"]["contactedOn"] = json!(date_in(1));
    app.gql(RECORD, future, Some(&w.a_deputy2)).await.assert_code("BAD_USER_INPUT");
    let mut blank = contact("memberId", li, zhang, "PHONE", &[]);
    blank["i"]["content"] = json!("  ");
    app.gql(RECORD, blank, Some(&w.a_deputy2)).await.assert_code("BAD_USER_INPUT");
    // B's staff cannot record for B's own committee with A's deputy either: not linked.
    let b_contact = contact("committeeId", &w.b.committee_id, zhang, "VISIT", &[]);
    app.gql(RECORD, b_contact, Some(&w.b.staff)).await.assert_code("BAD_USER_INPUT");

    // Who sees what: 张明 both contacts with him, 李华 his own only, A's staff all three, B nothing.
    let seen = |token: &str, id: &str| {
        let (app, token, id) = (&app, token.to_owned(), id.to_owned());
        async move { app.gql(NODE, json!({ "id": id }), Some(&token)).await.data()["r"]["id"].clone() }
    };
    assert_eq!(seen(&w.a.deputy, &committee_contact).await, committee_contact.as_str());
    assert_eq!(seen(&w.a.deputy, &member_contact).await, member_contact.as_str());
    assert_eq!(seen(&w.a_deputy2, &member_contact).await, member_contact.as_str());
    assert_eq!(seen(&w.a_deputy2, &committee_contact).await, Value::Null);
    for outsider in [&w.b.staff, &w.b.deputy, &w.a.unit_staff, &w.citizen] {
        assert_eq!(seen(outsider, &committee_contact).await, Value::Null);
    }
    let total = |v: &Value| v["totalCount"].as_u64();
    assert_eq!(total(&ok(&app, staff, LIST, json!({})).await), Some(3));
    assert_eq!(total(&ok(&app, &w.a.deputy, LIST, json!({})).await), Some(2));
    assert_eq!(total(&ok(&app, &w.a_deputy2, LIST, json!({})).await), Some(1));
    assert_eq!(total(&ok(&app, &w.b.staff, LIST, json!({})).await), Some(0));
    app.gql(LIST, json!({ "c": w.a.congress }), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
    app.gql(LIST, json!({}), Some(&w.a.unit_staff)).await.assert_code("FORBIDDEN");

    // Coverage: the committee reached both its deputies (covered), the member one of two (not covered).
    let c = ok(&app, staff, COVERAGE, json!({ "c": w.a.congress, "y": year() })).await;
    assert_eq!(c["year"], year());
    let by_committee = row(&c, "committees", "contactorId", &committee);
    assert_eq!(
        (by_committee["linkedDeputies"].clone(), by_committee["contactedDeputies"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!((by_committee["contacts"].clone(), by_committee["covered"].clone()), (json!(2), json!(true)));
    let by_member = row(&c, "members", "contactorId", li);
    assert_eq!(by_member["name"], "李华");
    assert_eq!(
        [&by_member["linkedDeputies"], &by_member["contactedDeputies"], &by_member["contacts"]],
        [&json!(2), &json!(1), &json!(1)]
    );
    assert_eq!(by_member["covered"], false);
    assert_eq!(c["coveredMembers"], 0);
    // The seeded committee's links were never contacted: it is not covered; ours is the only covered one.
    assert_eq!(c["coveredCommittees"], 1);
    for (d, n) in [(zhang.as_str(), 2), (wang.as_str(), 1), (li.as_str(), 0), (other.as_str(), 0)] {
        assert_eq!(row(&c, "deputies", "deputyId", d)["contacts"], n, "{d}");
    }
    // Last year's coverage knows none of this year's contacts.
    let last = ok(&app, staff, COVERAGE, json!({ "c": w.a.congress, "y": year() - 1 })).await;
    assert_eq!(row(&last, "committees", "contactorId", &committee)["contacts"], 0);
    for who in [&w.b.staff, &w.a.deputy, &w.a_deputy2, &w.a.unit_staff] {
        app.gql(COVERAGE, json!({ "c": w.a.congress, "y": year() }), Some(who))
            .await
            .assert_code("FORBIDDEN");
    }

    // The export has the query's rows in order: committees, members, deputies.
    let path = format!("/exports/contact-coverage.csv?congressId={}&year={}", w.a.congress, year());
    let (status, rows) = csv_rows(&app, &path, staff).await;
    assert_eq!(status, 200);
    let mut expected: Vec<Vec<String>> = Vec::new();
    let num = |v: &Value| v.as_u64().map(|n| n.to_string()).unwrap_or_default();
    for (list, word) in [("committees", "专工委"), ("members", "常委会组成人员")] {
        for r in c[list].as_array().into_iter().flatten() {
            expected.push(vec![
                word.to_owned(),
                str_of(&r["name"]).to_owned(),
                num(&r["linkedDeputies"]),
                num(&r["contactedDeputies"]),
                num(&r["contacts"]),
                if r["covered"] == true { "是" } else { "否" }.to_owned(),
                str_of(&r["contactorId"]).to_owned(),
            ]);
        }
    }
    for d in c["deputies"].as_array().into_iter().flatten() {
        let (name, id) = (str_of(&d["name"]).to_owned(), str_of(&d["deputyId"]).to_owned());
        expected.push(vec![
            "代表".into(),
            name,
            String::new(),
            String::new(),
            num(&d["contacts"]),
            String::new(),
            id,
        ]);
    }
    assert_eq!(rows, expected);
    let (status, _) = csv_rows(&app, &path, &w.b.staff).await;
    assert_eq!(status, 403);
    let (status, _) = csv_rows(&app, &path, &w.a.deputy).await;
    assert_eq!(status, 403);
});

const GROUP_STATS: &str =
    "query($c: ID!, $y: Int!) { r: professionalGroupStatistics(congressId: $c, year: $y) {
    professionalGroupId name members activities present excused absent attendanceRate } }";
const CREATE_ACTIVITY: &str =
    "mutation($i: CreateActivityInput!) { r: createActivity(input: $i) { id professionalGroup { id } } }";

e2e!(a_professional_groups_activity_counts_its_members_attendance, |app| {
    let w = world::build(&app).await;
    let staff = &w.a.staff;
    let made = world::ok(
        &app,
        Some(staff),
        "mutation($c: ID!) { createProfessionalGroup(congressId: $c, input: { name: \"财经专业小组\" }) { id } }",
        json!({ "c": w.a.congress }),
    )
    .await;
    let group = str_of(&made["createProfessionalGroup"]["id"]).to_owned();
    let member = deputy(&app, &w, "财经组员甲", Some(&group)).await;
    let member2 = deputy(&app, &w, "财经组员乙", Some(&group)).await;
    let now = unix_now();
    let activity = |group: Option<&str>, deputies: Vec<&str>| {
        let mut i = json!({ "congressId": w.a.congress, "kind": "RESEARCH", "title": "专业小组调研",
            "place": "会议室", "startsAt": rfc3339(now + 600), "endsAt": rfc3339(now + 7200),
            "participation": "ASSIGNED", "deputyIds": deputies });
        if let Some(g) = group {
            i["professionalGroupId"] = json!(g);
        }
        json!({ "i": i })
    };
    // The group's activity, with its two members and 张明, who is not a member.
    let held =
        ok(&app, staff, CREATE_ACTIVITY, activity(Some(&group), vec![&member, &member2, &w.a.deputy_id]))
            .await;
    assert_eq!(held["professionalGroup"]["id"], group.as_str());
    let held = str_of(&held["id"]).to_owned();
    // An activity of no group, attended by a member: not the group's.
    let plain = ok(&app, staff, CREATE_ACTIVITY, activity(None, vec![&member])).await;
    let plain = str_of(&plain["id"]).to_owned();
    let check_in = "mutation($a: ID!, $d: ID!) { checkInParticipant(activityId: $a, deputyId: $d) { id } }";
    for (a, d) in [(&held, &member), (&held, &w.a.deputy_id), (&plain, &member)] {
        world::ok(&app, Some(staff), check_in, json!({ "a": a, "d": d })).await;
    }
    // A group activity is not also a deputy group's, nor another congress's group's, nor a deputy's to make.
    let mut both = activity(Some(&group), vec![]);
    both["i"]["deputyGroupId"] = json!(w.a.deputy_group_id);
    app.gql(CREATE_ACTIVITY, both, Some(staff)).await.assert_code("BAD_USER_INPUT");
    let mut elsewhere = activity(Some(&group), vec![]);
    elsewhere["i"]["congressId"] = json!(w.b.congress);
    app.gql(CREATE_ACTIVITY, elsewhere, Some(&w.b.staff)).await.assert_code("BAD_USER_INPUT");
    app.gql(CREATE_ACTIVITY, activity(Some(&group), vec![]), Some(&w.a.deputy))
        .await
        .assert_code("FORBIDDEN");

    // Counted: two members, one activity, one member present (the other still open, 张明 not a member).
    let stats = ok(&app, staff, GROUP_STATS, json!({ "c": w.a.congress, "y": year() })).await;
    let r = row(&json!({ "g": stats }), "g", "professionalGroupId", &group).clone();
    assert_eq!(r["name"], "财经专业小组");
    assert_eq!(
        [&r["members"], &r["activities"], &r["present"], &r["excused"], &r["absent"]],
        [&json!(2), &json!(1), &json!(1), &json!(0), &json!(0)]
    );
    assert_eq!(r["attendanceRate"], 1.0);
    for who in [&w.b.staff, &w.a.deputy, &w.a.unit_staff] {
        app.gql(GROUP_STATS, json!({ "c": w.a.congress, "y": year() }), Some(who))
            .await
            .assert_code("FORBIDDEN");
    }

    // The export has the query's rows.
    let path =
        format!("/exports/professional-group-statistics.csv?congressId={}&year={}", w.a.congress, year());
    let (status, rows) = csv_rows(&app, &path, staff).await;
    assert_eq!(status, 200);
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let expected: Vec<Vec<String>> = stats
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            [
                "name",
                "members",
                "activities",
                "present",
                "excused",
                "absent",
                "attendanceRate",
                "professionalGroupId",
            ]
            .iter()
            .map(|f| cell(&r[*f]))
            .collect()
        })
        .collect();
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        for (g, w) in got.iter().zip(want) {
            match (g.parse::<f64>(), w.parse::<f64>()) {
                (Ok(a), Ok(b)) => assert!((a - b).abs() < 1e-12, "{got:?} vs {want:?}"),
                _ => assert_eq!(g, w, "{got:?} vs {want:?}"),
            }
        }
    }
});
