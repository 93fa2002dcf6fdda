//! Authorisation end to end: accounts tied to another congress's records (issue 13 item 6), the public
//! face of a suggestion in parallel handling (item 7), and the matrix of every root field of the live
//! schema × every role × own and other congress (item 8).

use edaibiao_tests::time::{self, rfc3339, unix_now};
use edaibiao_tests::world::{self, World, ok};
use edaibiao_tests::{DEMO_PASSWORD, TestApp, WsEvent, demo, e2e, str_of};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------------------
// Item 6: an account is tied only to records of its creator's congress.

e2e!(staff_create_accounts_only_for_their_own_congress, |app| {
    let w = world::build(&app).await;
    // A deputy profile of A without a login yet.
    let names = ok(&app, None, "{ deputies(first: 100) { nodes { id name } } }", json!({})).await;
    let wang = edaibiao_tests::id_in(&names, "deputies", "王芳");
    let create = |phone: &str, role: &str, link: &str, id: &str| {
        let mut input = json!({ "phone": phone, "name": "x", "password": world::PASSWORD, "role": role });
        input[link] = json!(id);
        json!({ "i": input })
    };
    let refused = [
        create("13700000301", "UNIT_STAFF", "unitId", &w.a.unit_id),
        create("13700000302", "DEPUTY", "deputyId", &wang),
        create("13700000303", "STATION_STAFF", "stationId", &w.a.station_id),
        create("13700000304", "CONGRESS_STAFF", "congressId", &w.a.congress),
    ];
    for input in refused {
        app.gql(world::CREATE_ACCOUNT, input.clone(), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
        // The same request by A's own staff goes through (the refusal is about the congress, not the input).
        ok(&app, Some(&w.a.staff), world::CREATE_ACCOUNT, input).await;
    }
    // B's staff still create accounts for B's own records.
    ok(
        &app,
        Some(&w.b.staff),
        world::CREATE_ACCOUNT,
        create("13700000305", "UNIT_STAFF", "unitId", &w.b.unit_id),
    )
    .await;
    let station = create("13700000306", "STATION_STAFF", "stationId", &w.b.station_id);
    ok(&app, Some(&w.b.staff), world::CREATE_ACCOUNT, station).await;
    // And an account B's staff could not make cannot read A's suggestions: B's unit staff see none of them.
    let id = w.parallel_answered(&app, "跨届账号").await;
    let res = app
        .gql("query($id: ID!) { suggestion(id: $id) { id } }", json!({ "id": id }), Some(&w.b.unit_staff))
        .await;
    res.assert_code("NOT_FOUND");
});

// ---------------------------------------------------------------------------------------------------------
// Item 7: in parallel handling, a deputy with no part in the suggestion sees only its public face.

const VIEW: &str = "query($id: ID!) { suggestion(id: $id) {
    title revisionReason keySupervised flaggedForStaff
    units { unit { id } answer { content public } coOpinion { text } rating { result } earlierAnswers { content } }
    contacts { summary } pendingReassignment { reason } pendingExtension { reason }
    timeline { kind note }
} }";

e2e!(unrelated_deputies_see_only_public_answers, |app| {
    let w = world::build(&app).await;
    let id = w.parallel_answered(&app, "并行办理公开部分").await;
    let view = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            let res = app.gql(VIEW, json!({ "id": id }), Some(&token)).await;
            res.data()["suggestion"].clone()
        }
    };
    let answers = |s: &Value| -> Vec<Value> {
        s["units"]
            .as_array()
            .map(|u| u.iter().map(|p| p["answer"]["content"].clone()).collect())
            .unwrap_or_default()
    };
    let notes = |s: &Value| -> usize {
        s["timeline"].as_array().map_or(0, |t| t.iter().filter(|e| !e["note"].is_null()).count())
    };

    // Its own people see all of it: both answers, both contacts, the notes on the timeline.
    for insider in [&w.a.deputy, &w.a.unit_staff, &w.a_unit2_staff, &w.a.staff, &w.admin] {
        let s = view(insider.clone()).await;
        assert_eq!(answers(&s), [json!("公开答复内容"), json!("内部答复内容")], "{s}");
        assert_eq!(s["contacts"].as_array().map(Vec::len), Some(2), "{s}");
        assert!(notes(&s) >= 2, "{s}");
    }
    // A deputy with no part in it, of this congress or another, and a citizen see the public answer only.
    for outsider in [&w.a_deputy2, &w.b.deputy, &w.citizen] {
        let s = view(outsider.clone()).await;
        assert_eq!(s["title"], "并行办理公开部分");
        assert_eq!(answers(&s), [json!("公开答复内容"), Value::Null], "{s}");
        assert_eq!(s["contacts"], json!([]), "{s}");
        assert_eq!(notes(&s), 0, "no contact summary on the timeline: {s}");
        assert_eq!(s["units"].as_array().map(Vec::len), Some(2), "{s}");
        let text = s.to_string();
        assert!(!text.contains("内部答复内容") && !text.contains("沟通要点"), "{text}");
    }
    // Nor do the live timeline steps carry notes for them.
    let mut ws = app.ws_as(&w.a_deputy2).await;
    ws.subscribe(
        "t",
        "subscription($id: ID!) { suggestionEvents(suggestionId: $id) { kind note } }",
        json!({ "id": id }),
    )
    .await;
    app.wait_for_live_topics(1).await;
    let unit = json!({ "attitude": "SATISFIED", "result": "SATISFIED", "comment": "评价意见很长的说明",
        "unitId": w.a.unit_id });
    world::step(
        &app,
        &w.a.deputy,
        "rateAnswer",
        ", $input: RatingInput!",
        json!({ "id": id, "input": unit }),
    )
    .await;
    let seen = ws.next_data("t").await;
    assert_eq!(seen["data"]["suggestionEvents"]["note"], Value::Null, "{seen}");
});

// ---------------------------------------------------------------------------------------------------------
// Item 8: the authorisation matrix.

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anon,
    Citizen,
    /// 张明: lead deputy of the fixtures' suggestions, participant of the activity.
    Deputy,
    /// 李华: a deputy of the same congress with no part in the fixtures.
    Deputy2,
    /// Staff of the unit the fixtures are assigned to.
    Unit,
    /// A worker of the fixtures' station.
    Station,
    Staff,
    Admin,
    StaffB,
    DeputyB,
    UnitB,
    StationB,
}

const EVERYONE: [Who; 12] = [
    Who::Anon,
    Who::Citizen,
    Who::Deputy,
    Who::Deputy2,
    Who::Unit,
    Who::Station,
    Who::Staff,
    Who::Admin,
    Who::StaffB,
    Who::DeputyB,
    Who::UnitB,
    Who::StationB,
];

const NAMES: [&str; 12] =
    ["anon", "cit", "dep", "dep2", "unit", "stn", "staff", "admin", "staffB", "depB", "unitB", "stnB"];

/// What a call came to, as far as authorisation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Outcome {
    /// Past authorisation: data, or an error about something else (input, state, limits).
    #[default]
    Ok,
    /// UNAUTHENTICATED.
    U,
    /// FORBIDDEN.
    F,
    /// NOT_FOUND, or null: hidden.
    N,
    /// The call itself is wrong (it does not parse or validate against the schema): a defect of the table.
    Invalid,
}

impl Outcome {
    fn parse(s: &str) -> Self {
        match s {
            "ok" => Outcome::Ok,
            "U" => Outcome::U,
            "F" => Outcome::F,
            "N" => Outcome::N,
            other => panic!("unknown outcome {other}"),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::U => "U",
            Outcome::F => "F",
            Outcome::N => "N",
            Outcome::Invalid => "INVALID",
        }
    }
}

/// A rule: the expected outcome per caller, written `*=F anon=U staff=ok admin=ok` (later words win;
/// `B` means the four callers of congress B, `in` everyone logged in).
fn expected(rule: &str) -> [Outcome; 12] {
    let mut out = [Outcome::Ok; 12];
    for word in rule.split_whitespace() {
        let (who, what) = word.split_once('=').unwrap_or_else(|| panic!("bad rule word {word}"));
        let what = Outcome::parse(what);
        let set: Vec<usize> = match who {
            "*" => (0..12).collect(),
            "in" => (1..12).collect(),
            "B" => (8..12).collect(),
            name => {
                vec![NAMES.iter().position(|n| *n == name).unwrap_or_else(|| panic!("unknown caller {name}"))]
            }
        };
        for i in set {
            out[i] = what;
        }
    }
    out
}

/// Admins and the staff of congress A; everyone else logged in is FORBIDDEN.
const STAFF_A: &str = "*=F anon=U staff=ok admin=ok";
const LOGGED_IN: &str = "*=ok anon=U";
/// A's round or project run by staff: hidden from everyone outside A and its unit; A's deputies and unit
/// see it and are FORBIDDEN.
const ROUND_STAFF: &str = "*=N anon=U staff=ok admin=ok dep=F dep2=F unit=F";
/// What only A's responsible unit does on A's round or project.
/// What A's deputies do on A's round (ask, vote, rate): a deputy of B is FORBIDDEN, other outsiders
/// learn nothing.
const DEPUTIES_OF_A: &str = "*=N anon=U dep=ok dep2=ok unit=F staff=F admin=F depB=F";
const UNIT_OF_A: &str = "*=N anon=U unit=ok dep=F dep2=F staff=F admin=F";
const PUBLIC: &str = "*=ok";
/// Something of A for its staff and (the audience among) its deputies: hidden from everyone else.
const A_MEMBERS_SEE: &str = "*=N dep=ok dep2=ok staff=ok admin=ok";
/// A list of A for its staff and deputies: everyone else signed in is FORBIDDEN.
const A_MEMBERS_LIST: &str = "*=F anon=U dep=ok dep2=ok staff=ok admin=ok";
/// A's tabled bill: its lead sponsor (张明), A's staff and its assigned unit see it; nobody else.
const BILL_SEEN: &str = "*=N anon=U dep=ok staff=ok admin=ok unit=ok";
/// What A's staff do on A's bill: its lead sponsor and unit see it and are FORBIDDEN; others learn nothing.
const BILL_STAFF: &str = "*=N anon=U staff=ok admin=ok dep=F unit=F";
/// What A's staff do on 张明's report (not forwarded): he sees it and is FORBIDDEN; others learn nothing.
const REPORT_STAFF: &str = "*=N anon=U dep=F staff=ok admin=ok";
/// What A's staff do on A's selection: its deputies see it and are FORBIDDEN; others learn nothing.
const SELECTION_STAFF: &str = "*=N anon=U staff=ok admin=ok dep=F dep2=F";
/// What only the lead sponsor does on their draft: nobody else sees a draft.
const BILL_LEAD_DRAFT: &str = "*=N anon=U dep=ok";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Query,
    Mutation,
    Subscription,
}

/// One root field: a call with minimal arguments and its rule.
struct Case {
    root: Root,
    field: &'static str,
    /// Arguments and selection after the field name, e.g. `(id: "…") { __typename }`.
    call: String,
    rule: &'static str,
}

/// The records the calls point at, all of congress A unless named B.
struct Fixtures {
    draft: String,
    /// A PDF attached to `draft`.
    attachment: String,
    proposed: String,
    proposed2: String,
    assigned: String,
    parallel: String,
    opinion: String,
    tracking_code: String,
    activity: String,
    evaluation: String,
    quota: String,
    entry: String,
    reception_day: String,
    qr_token: String,
    professional_group: String,
    projects: edaibiao_tests::projects::ProjectFixture,
    bills: edaibiao_tests::bills::BillFixture,
    /// An OPEN appraisal of A's unit with 张明 in its group.
    appraisal: String,
    /// An item of another appraisal of A's unit (张明's group), issued and not answered.
    appraisal_item: String,
    /// A vote of A on whom to appraise, 张明 its only member.
    appraisal_choice: String,
    /// An open call of A with 张明's proposal; an open draft of A with one article and the citizen's comment.
    legislation: edaibiao_tests::legislation::LegislationFixture,
    /// A course of A for all its deputies, a news item, a document of A (not public).
    learning: edaibiao_tests::learning::LearningFixture,
    /// 张明's reports of constituents' views in each state a step starts from.
    reports: edaibiao_tests::reports::ReportFixture,
    /// A model-deputy selection of A voted by a committee of 张明 alone, nominating, with 李华 nominated.
    selection: edaibiao_tests::selections::SelectionFixture,
}

async fn fixtures(app: &TestApp, w: &World) -> Fixtures {
    let staff = Some(w.a.staff.as_str());
    let created = ok(
        app,
        Some(&w.a.deputy),
        "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
        json!({ "i": { "title": "草稿", "content": "草稿内容", "category": "交通", "sessionNumber": 1 } }),
    )
    .await;
    let draft = str_of(&created["createSuggestion"]["id"]).to_owned();
    let proposed = w.proposed(app, "待交办").await;
    let proposed2 = w.proposed(app, "待交办二").await;
    let assigned = w.proposed(app, "已交办").await;
    let units = json!({ "mode": "LEAD_WITH_CO", "units": [
        { "unitId": w.a.unit_id, "role": "LEAD" }, { "unitId": w.a_unit2_id, "role": "CO" } ] });
    world::step(
        app,
        &w.a.staff,
        "assignSuggestion",
        ", $input: AssignmentInput!",
        json!({ "id": assigned, "input": units }),
    )
    .await;
    let parallel = w.parallel_answered(app, "并行办理").await;

    let submitted = ok(
        app,
        None,
        "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
        json!({ "i": { "stationId": w.a.station_id, "category": "OTHER", "content": "路灯不亮" } }),
    )
    .await;
    let tracking_code = str_of(&submitted["submitOpinion"]["trackingCode"]).to_owned();
    let opinions = ok(app, staff, "{ opinions(first: 1) { nodes { id } } }", json!({})).await;
    let opinion = str_of(&opinions["opinions"]["nodes"][0]["id"]).to_owned();

    let now = unix_now();
    let activity = ok(
        app,
        staff,
        "mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "kind": "TRAINING", "title": "培训", "place": "会议室",
            "startsAt": rfc3339(now + 600), "endsAt": rfc3339(now + 7200), "participation": "ASSIGNED",
            "deputyIds": [w.a.deputy_id] } }),
    )
    .await;
    let activity = str_of(&activity["createActivity"]["id"]).to_owned();
    let evaluation = ok(
        app,
        staff,
        "mutation($i: OpenDutyEvaluationInput!) { openDutyEvaluation(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year() - 1, "fullMark": 100,
            "rectificationDeadline": rfc3339(now + 30 * 86_400),
            "weights": { "points": 60, "groupAssessment": 20, "voterRating": 20 } } }),
    )
    .await;
    let evaluation = str_of(&evaluation["openDutyEvaluation"]["id"]).to_owned();
    let quota = ok(
        app,
        staff,
        "mutation($i: DutyQuotaInput!) { setDutyQuota(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "item": "参加培训", "period": "YEAR", "required": 1,
            "counts": ["TRAINING_ATTENDED"] } }),
    )
    .await;
    let quota = str_of(&quota["setDutyQuota"]["id"]).to_owned();
    let entry = ok(
        app,
        Some(&w.a.deputy),
        "mutation($i: DutyEntryInput!) { addDutyEntry(input: $i) { id } }",
        json!({ "i": { "title": "走访", "note": "走访企业", "happenedOn": time::date_in(-1) } }),
    )
    .await;
    let entry = str_of(&entry["addDutyEntry"]["id"]).to_owned();
    let day = ok(
        app,
        staff,
        "mutation($i: ScheduleReceptionDayInput!) { scheduleReceptionDay(input: $i) { id } }",
        json!({ "i": { "stationId": w.a.station_id, "deputyIds": [w.a.deputy_id],
            "startsAt": rfc3339(now + 2 * 86_400), "endsAt": rfc3339(now + 2 * 86_400 + 3600) } }),
    )
    .await;
    let reception_day = str_of(&day["scheduleReceptionDay"]["id"]).to_owned();
    let qr = ok(
        app,
        Some(&w.a.deputy),
        "query($d: ID!) { deputyQrCode(deputyId: $d) { token } }",
        json!({ "d": w.a.deputy_id }),
    )
    .await;
    let qr_token = str_of(&qr["deputyQrCode"]["token"]).to_owned();
    let leader =
        "mutation($g: ID!, $d: ID!) { setDeputyGroupLeader(deputyGroupId: $g, deputyId: $d) { id } }";
    ok(app, staff, leader, json!({ "g": w.a.deputy_group_id, "d": w.a.deputy_id })).await;
    let groups = ok(app, None, "{ professionalGroups(first: 1) { nodes { id } } }", json!({})).await;
    let professional_group = str_of(&groups["professionalGroups"]["nodes"][0]["id"]).to_owned();
    let appraisal_input = |topic: &str| {
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(), "unitId": w.a.unit_id,
            "subject": { "unitWork": topic }, "groupDeputyIds": [w.a.deputy_id], "reportDue": time::date_in(0),
            "rectificationDue": time::date_in(5), "votingFrom": time::date_in(6), "votingUntil": time::date_in(9) } })
    };
    let open_appraisal = "mutation($i: OpenAppraisalInput!) { r: openAppraisal(input: $i) { id } }";
    let appraisal = ok(app, staff, open_appraisal, appraisal_input("营商环境")).await;
    let appraisal = str_of(&appraisal["r"]["id"]).to_owned();
    let second = ok(app, staff, open_appraisal, appraisal_input("交通治理")).await;
    let second = str_of(&second["r"]["id"]).to_owned();
    ok(
        app,
        Some(&w.a.unit_staff),
        "mutation($a: ID!) { r: submitAppraisalReport(appraisalId: $a, report: \"述职\") { id } }",
        json!({ "a": second }),
    )
    .await;
    let issued = ok(
        app,
        staff,
        "mutation($a: ID!) { r: issueAppraisalItems(appraisalId: $a, problems: [\"问题\"]) { items { id } } }",
        json!({ "a": second }),
    )
    .await;
    let appraisal_item = str_of(&issued["r"]["items"][0]["id"]).to_owned();
    let choice = ok(
        app,
        staff,
        "mutation($i: OpenAppraisalChoiceInput!) { r: openAppraisalChoice(input: $i) { id } }",
        json!({ "i": { "congressId": w.a.congress, "year": time::this_year(), "title": "评议对象票决",
            "chooseUpTo": 1, "voterDeputyIds": [w.a.deputy_id], "candidates": [
                { "unitId": w.a.unit_id, "subject": { "unitWork": "甲" } },
                { "unitId": w.a.unit_id, "subject": { "unitWork": "乙" } } ] } }),
    )
    .await;
    let appraisal_choice = str_of(&choice["r"]["id"]).to_owned();
    let pdf = edaibiao_tests::files::pdf("权限测试");
    let attached = edaibiao_tests::files::attach(app, Some(&w.a.deputy), &draft, &[("说明.pdf", &pdf)]).await;
    let attachment = str_of(&attached.data()["attachFiles"][0]["id"]).to_owned();
    Fixtures {
        attachment,
        appraisal,
        appraisal_item,
        appraisal_choice,
        draft,
        proposed,
        proposed2,
        assigned,
        parallel,
        opinion,
        tracking_code,
        activity,
        evaluation,
        quota,
        entry,
        reception_day,
        qr_token,
        professional_group,
        projects: edaibiao_tests::projects::fixture(app, w).await,
        bills: edaibiao_tests::bills::fixture(app, w).await,
        legislation: edaibiao_tests::legislation::fixture(app, w).await,
        learning: edaibiao_tests::learning::fixture(app, w).await,
        reports: edaibiao_tests::reports::fixture(app, w).await,
        selection: edaibiao_tests::selections::fixture(app, w).await,
    }
}

/// Every root field with its call and rule. A field of the schema missing here fails the test.
fn cases(w: &World, f: &Fixtures) -> Vec<Case> {
    let a = &w.a;
    let t = "{ __typename }";
    let year = time::this_year();
    let last_year = year - 1;
    let now = unix_now();
    let soon = rfc3339(now + 86_400);
    let month = &time::date_in(0)[..7];
    let today = time::date_in(0);
    let q = |field, call: String, rule| Case { root: Root::Query, field, call, rule };
    let m = |field, call: String, rule| Case { root: Root::Mutation, field, call, rule };
    let s = |field, call: String, rule| Case { root: Root::Subscription, field, call, rule };
    let named = r#"input: { name: "新名称" }"#;
    let deputy_input = r#"input: { name: "新代表", gender: MALE, occupation: OTHER }"#;
    let station_input = r#"input: { name: "新站", kind: STATION, address: "某路1号" }"#;
    let congress_input = r#"input: { name: "新人大", level: COUNTY, region: "某县", term: 1 }"#;
    let project_input = format!(
        r#"{{ title: "项目", description: "说明", responsibleUnitId: "{}", budgetFen: 100, expectedOutcome: "成效" }}"#,
        a.unit_id
    );
    vec![
        // ---- Queries
        q(
            "appraisal",
            format!(r#"(id: "{}") {t}"#, f.appraisal),
            "*=N staff=ok admin=ok dep=ok dep2=ok unit=ok",
        ),
        q("appraisals", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q(
            "appraisalChoice",
            format!(r#"(id: "{}") {t}"#, f.appraisal_choice),
            "*=N staff=ok admin=ok dep=ok dep2=ok",
        ),
        q("appraisalChoices", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q("appraisalsOpenForOpinions", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q("appraisalVotePage", format!(r#"(token: "{}") {t}"#, "no-such-token-0000000000"), "*=N"),
        q(
            "activities",
            format!(r#"(congressId: "{}") {t}"#, a.congress),
            "*=F anon=U staff=ok admin=ok dep=ok dep2=ok",
        ),
        q(
            "activity",
            format!(r#"(id: "{}") {t}"#, f.activity),
            "*=N anon=U staff=ok admin=ok dep=ok dep2=ok",
        ),
        q("activityCheckInCode", format!(r#"(activityId: "{}") {t}"#, f.activity), STAFF_A),
        q("committees", t.to_owned(), PUBLIC),
        q("congresses", t.to_owned(), PUBLIC),
        q("deputies", t.to_owned(), PUBLIC),
        q("deputy", format!(r#"(id: "{}") {t}"#, a.deputy_id), PUBLIC),
        q("deputyByQrToken", format!(r#"(token: "{}") {t}"#, f.qr_token), PUBLIC),
        q("deputyGroupLeader", format!(r#"(deputyGroupId: "{}") {t}"#, a.deputy_group_id), PUBLIC),
        q("deputyGroups", t.to_owned(), PUBLIC),
        q(
            "deputyQrCode",
            format!(r#"(deputyId: "{}") {t}"#, a.deputy_id),
            "*=F anon=U dep=ok stn=ok staff=ok admin=ok",
        ),
        q("deputyStatistics", format!(r#"(congressId: "{}", year: {year}) {t}"#, a.congress), STAFF_A),
        q("devices", t.to_owned(), LOGGED_IN),
        q(
            "dutyArchive",
            format!(r#"(deputyId: "{}", year: {year}) {t}"#, a.deputy_id),
            "*=F anon=U dep=ok staff=ok admin=ok",
        ),
        q("dutyEntries", format!(r#"(congressId: "{}") {t}"#, a.congress), STAFF_A),
        q(
            "dutyTrail",
            format!(r#"(deputyId: "{}", year: {year}) {t}"#, a.deputy_id),
            "*=F anon=U dep=ok staff=ok admin=ok",
        ),
        // Each deputy and unit lists their own, each congress's staff their congress's.
        q("deputyReports", t.to_owned(), "*=ok anon=U cit=F stn=F stnB=F"),
        q("dutyEvaluation", format!(r#"(id: "{}") {t}"#, f.evaluation), "*=F anon=U staff=ok admin=ok"),
        q(
            "dutyEvaluations",
            format!(r#"(congressId: "{}") {t}"#, a.congress),
            "*=F anon=U staff=ok admin=ok dep=ok dep2=ok",
        ),
        q(
            "dutyQuotas",
            format!(r#"(congressId: "{}") {t}"#, a.congress),
            "*=F anon=U staff=ok admin=ok dep=ok dep2=ok",
        ),
        q("evaluationNotice", format!(r#"(evaluationId: "{}") {t}"#, f.evaluation), "*=F anon=U"),
        q("handlingUnits", t.to_owned(), PUBLIC),
        q("liaisonStation", format!(r#"(id: "{}") {t}"#, a.station_id), PUBLIC),
        q("liaisonStations", t.to_owned(), PUBLIC),
        q("me", t.to_owned(), LOGGED_IN),
        q("myEvaluationResult", format!("(year: {last_year}) {t}"), "*=F anon=U depB=N"),
        q("myOpinions", t.to_owned(), LOGGED_IN),
        q("node", format!(r#"(id: "{}") {t}"#, f.assigned), "*=N anon=U dep=ok unit=ok staff=ok admin=ok"),
        q("notificationPreferences", t.to_owned(), LOGGED_IN),
        q("notifications", t.to_owned(), LOGGED_IN),
        q(
            "opinion",
            format!(r#"(id: "{}") {t}"#, f.opinion),
            "*=N anon=U dep=ok dep2=ok stn=ok staff=ok admin=ok",
        ),
        q("opinionByTrackingCode", format!(r#"(code: "{}") {t}"#, f.tracking_code), PUBLIC),
        q(
            "opinionMonthlySummary",
            format!(r#"(congressId: "{}", month: "{month}") {t}"#, a.congress),
            STAFF_A,
        ),
        q(
            "opinionStatistics",
            format!(
                r#"(congressId: "{}", from: "{today}", to: "{today}", groupBy: CATEGORY) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        q("opinions", t.to_owned(), LOGGED_IN),
        q("overdueOpinions", t.to_owned(), LOGGED_IN),
        q(
            "pointRules",
            format!(r#"(congressId: "{}") {t}"#, a.congress),
            "*=F anon=U staff=ok admin=ok dep=ok dep2=ok",
        ),
        q(
            "pointsLedger",
            format!(r#"(deputyId: "{}", year: {year}) {t}"#, a.deputy_id),
            "*=F anon=U dep=ok staff=ok admin=ok",
        ),
        q("professionalGroups", t.to_owned(), PUBLIC),
        q("quotaProgress", format!(r#"(congressId: "{}") {t}"#, a.congress), STAFF_A),
        q("receptionDay", format!(r#"(id: "{}") {t}"#, f.reception_day), PUBLIC),
        q("receptionDays", format!(r#"(stationId: "{}") {t}"#, a.station_id), PUBLIC),
        q(
            "receptionLedger",
            format!(r#"(stationId: "{}", month: "{month}") {t}"#, a.station_id),
            "*=F anon=U dep=ok dep2=ok stn=ok staff=ok admin=ok",
        ),
        q(
            "recommendUnits",
            format!(r#"(suggestionId: "{}") {t}"#, f.assigned),
            "*=N anon=U staff=ok admin=ok",
        ),
        q("reportToVoters", format!(r#"(token: "{}") {t}"#, "no-such-token-0000000000"), "*=N"),
        q("search", format!(r#"(query: "交通拥堵") {t}"#), PUBLIC),
        q("similarMatters", format!(r#"(congressId: "{}", text: "缓解交通拥堵") {t}"#, a.congress), PUBLIC),
        q("stationsNear", format!("(latitude: 30.27, longitude: 120.15) {t}"), PUBLIC),
        q("stationActivity", format!(r#"(congressId: "{}", year: {year}) {t}"#, a.congress), STAFF_A),
        q(
            "suggestion",
            format!(r#"(id: "{}") {t}"#, f.assigned),
            "*=N anon=U dep=ok unit=ok staff=ok admin=ok",
        ),
        q(
            "suggestionStatistics",
            format!(r#"(congressId: "{}", year: {year}, groupBy: CATEGORY) {t}"#, a.congress),
            STAFF_A,
        ),
        q(
            "suggestionAttachments",
            format!(r#"(suggestionId: "{}") {t}"#, f.assigned),
            "*=N anon=U dep=ok unit=ok staff=ok admin=ok",
        ),
        q("suggestions", t.to_owned(), LOGGED_IN),
        q("unreadNotificationCount", String::new(), LOGGED_IN),
        // ---- Mutations on suggestions (A's, by 张明, assigned to A's unit)
        m("acceptSuggestion", format!(r#"(id: "{}") {t}"#, f.assigned), "*=F anon=U unit=ok"),
        m(
            "recordContact",
            format!(
                r#"(id: "{}", input: {{ method: PHONE, contactedAt: "{}", summary: "沟通" }}) {t}"#,
                f.assigned,
                rfc3339(now + 2)
            ),
            "*=F anon=U unit=ok",
        ),
        m("giveCoUnitOpinion", format!(r#"(id: "{}", text: "协办意见") {t}"#, f.assigned), "*=F anon=U"),
        m(
            "requestExtension",
            format!(
                r#"(id: "{}", dueAt: "{}", reason: "需要时间") {t}"#,
                f.assigned,
                rfc3339(now + 60 * 86_400)
            ),
            "*=F anon=U unit=ok",
        ),
        m(
            "resolveExtension",
            format!(r#"(id: "{}", approve: true) {t}"#, f.assigned),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "requestReassignment",
            format!(r#"(id: "{}", reason: "不属于本单位") {t}"#, f.assigned),
            "*=F anon=U unit=ok",
        ),
        m(
            "rejectReassignment",
            format!(r#"(id: "{}", reason: "仍由你单位办理") {t}"#, f.assigned),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "approveReassignment",
            format!(
                r#"(id: "{}", input: {{ mode: LEAD_WITH_CO, units: [{{ unitId: "{}", role: LEAD }}] }}) {t}"#,
                f.assigned, a.unit_id
            ),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "answerSuggestion",
            format!(
                r#"(id: "{}", input: {{ content: "答复", answerClass: SOLVED, signedBy: "局长" }}) {t}"#,
                f.assigned
            ),
            "*=F anon=U unit=ok",
        ),
        m(
            "reportImplementation",
            format!(r#"(id: "{}", done: false, note: "进展") {t}"#, f.assigned),
            "*=F anon=U unit=ok",
        ),
        m(
            "superviseSuggestion",
            format!(r#"(id: "{}", supervisor: "主任") {t}"#, f.assigned),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "rateAnswer",
            format!(
                r#"(id: "{}", input: {{ attitude: SATISFIED, result: SATISFIED, unitId: "{}" }}) {t}"#,
                f.parallel, a.unit_id
            ),
            "*=F anon=U dep=ok",
        ),
        m(
            "rateImplementationResult",
            format!(r#"(id: "{}", satisfaction: SATISFIED, unitId: "{}") {t}"#, f.parallel, a.unit_id),
            "*=F anon=U dep=ok",
        ),
        m(
            "createSuggestion",
            format!(
                r#"(input: {{ title: "新建议", content: "内容", category: "交通", sessionNumber: 1 }}) {t}"#
            ),
            "*=F anon=U dep=ok dep2=ok depB=ok",
        ),
        m(
            "editSuggestionDraft",
            format!(
                r#"(id: "{}", input: {{ title: "改", content: "改内容", category: "交通" }}) {t}"#,
                f.draft
            ),
            "*=F anon=U dep=ok",
        ),
        m(
            "inviteCoSigner",
            format!(r#"(id: "{}", deputyId: "{}") {t}"#, f.draft, w.a_deputy2_id),
            "*=F anon=U dep=ok",
        ),
        m(
            "answerCoSignInvitation",
            format!(r#"(id: "{}", accept: false) {t}"#, f.draft),
            "*=F anon=U dep2=ok",
        ),
        m("attachFiles", format!(r#"(ownerId: "{}", files: []) {t}"#, f.draft), "*=N anon=U dep=ok"),
        m(
            "requestUpload",
            format!(
                r#"(ownerId: "{}", name: "a.pdf", size: 10, checksum: "{}") {{ uploadId }}"#,
                f.draft,
                "0".repeat(64)
            ),
            "*=N anon=U dep=ok",
        ),
        m("completeUpload", format!(r#"(uploadId: "{}") {t}"#, uuid::Uuid::now_v7()), "*=N anon=U"),
        m("removeAttachment", format!(r#"(id: "{}")"#, f.attachment), "*=N anon=U dep=ok"),
        m(
            "attachFilesToSuggestion",
            format!(r#"(suggestionId: "{}", files: []) {t}"#, f.draft),
            "*=N anon=U dep=ok",
        ),
        m("submitSuggestion", format!(r#"(id: "{}") {t}"#, f.draft), "*=F anon=U dep=ok"),
        m(
            "returnSuggestionForRevision",
            format!(r#"(id: "{}", reason: "请补充") {t}"#, f.proposed),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "mergeSuggestion",
            format!(r#"(id: "{}", intoId: "{}") {t}"#, f.proposed2, f.proposed),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "assignSuggestion",
            format!(
                r#"(id: "{}", input: {{ mode: LEAD_WITH_CO, units: [{{ unitId: "{}", role: LEAD }}] }}) {t}"#,
                f.proposed, a.unit_id
            ),
            "*=F anon=U staff=ok admin=ok",
        ),
        m("withdrawSuggestion", format!(r#"(id: "{}") {t}"#, f.proposed2), "*=F anon=U dep=ok"),
        // ---- Opinions (A's station)
        m(
            "acceptOpinion",
            format!(r#"(id: "{}") {t}"#, f.opinion),
            "*=F anon=U dep=ok dep2=ok stn=ok staff=ok admin=ok",
        ),
        m(
            "forwardOpinion",
            format!(r#"(id: "{}", unitId: "{}") {t}"#, f.opinion, a.unit_id),
            "*=F anon=U dep=ok",
        ),
        m("replyToOpinion", format!(r#"(id: "{}", text: "回复") {t}"#, f.opinion), "*=F anon=U unit=ok"),
        m(
            "resolveOpinionDirectly",
            format!(r#"(id: "{}", note: "已处理") {t}"#, f.opinion),
            "*=F anon=U dep=ok",
        ),
        m("giveOpinionFeedback", format!(r#"(id: "{}", text: "反馈") {t}"#, f.opinion), "*=F anon=U dep=ok"),
        m("convertOpinionToSuggestion", format!(r#"(id: "{}") {t}"#, f.opinion), "*=F anon=U dep=ok"),
        m(
            "rateOpinion",
            format!(r#"(trackingCode: "{}", satisfaction: SATISFIED) {t}"#, f.tracking_code),
            PUBLIC,
        ),
        m(
            "submitOpinion",
            format!(
                r#"(input: {{ stationId: "{}", category: OTHER, content: "又一条意见" }}) {{ trackingCode }}"#,
                a.station_id
            ),
            PUBLIC,
        ),
        m(
            "recordReception",
            format!(
                r#"(input: {{ stationId: "{}", receivedAt: "{}", visitors: 1 }}) {t}"#,
                a.station_id,
                rfc3339(now - 3600)
            ),
            "*=F anon=U dep=ok dep2=ok stn=ok staff=ok admin=ok",
        ),
        // ---- Directory
        m("createCongress", format!("({congress_input}) {t}"), "*=F anon=U admin=ok"),
        m("updateCongress", format!(r#"(id: "{}", {congress_input}) {t}"#, a.congress), STAFF_A),
        m("createCommittee", format!(r#"(congressId: "{}", {named}) {t}"#, a.congress), STAFF_A),
        m("updateCommittee", format!(r#"(id: "{}", {named}) {t}"#, a.committee_id), STAFF_A),
        m("createDeputy", format!(r#"(congressId: "{}", {deputy_input}) {t}"#, a.congress), STAFF_A),
        m(
            "updateDeputy",
            format!(
                r#"(id: "{}", input: {{ name: "张明", gender: MALE, occupation: PROFESSIONAL }}) {t}"#,
                a.deputy_id
            ),
            STAFF_A,
        ),
        m("createDeputyGroup", format!(r#"(congressId: "{}", {named}) {t}"#, a.congress), STAFF_A),
        m(
            "updateDeputyGroup",
            format!(r#"(id: "{}", input: {{ name: "东城区代表团" }}) {t}"#, a.deputy_group_id),
            STAFF_A,
        ),
        m("createHandlingUnit", format!(r#"(congressId: "{}", {named}) {t}"#, a.congress), STAFF_A),
        m(
            "updateHandlingUnit",
            format!(r#"(id: "{}", input: {{ name: "市交通运输局" }}) {t}"#, a.unit_id),
            STAFF_A,
        ),
        m("createLiaisonStation", format!(r#"(congressId: "{}", {station_input}) {t}"#, a.congress), STAFF_A),
        m(
            "updateLiaisonStation",
            format!(
                r#"(id: "{}", input: {{ name: "东城街道人大代表联络站", kind: STATION, address: "示例市东城区和平路88号" }}) {t}"#,
                a.station_id
            ),
            STAFF_A,
        ),
        m(
            "createProfessionalGroup",
            format!(r#"(congressId: "{}", input: {{ name: "新小组" }}) {t}"#, a.congress),
            STAFF_A,
        ),
        m(
            "updateProfessionalGroup",
            format!(
                r#"(id: "{}", input: {{ name: "城建环保专业小组", committeeId: "{}" }}) {t}"#,
                f.professional_group, a.committee_id
            ),
            STAFF_A,
        ),
        m(
            "linkDeputyToCommittee",
            format!(r#"(committeeId: "{}", deputyId: "{}") {t}"#, a.committee_id, a.deputy_id),
            STAFF_A,
        ),
        m(
            "unlinkDeputyFromCommittee",
            format!(r#"(committeeId: "{}", deputyId: "{}") {t}"#, a.committee_id, w.a_deputy2_id),
            STAFF_A,
        ),
        m(
            "setDeputyGroupLeader",
            format!(r#"(deputyGroupId: "{}", deputyId: "{}") {t}"#, a.deputy_group_id, a.deputy_id),
            STAFF_A,
        ),
        m(
            "rotateDeputyQrToken",
            format!(r#"(deputyId: "{}") {t}"#, w.a_deputy2_id),
            "*=F anon=U dep2=ok staff=ok admin=ok",
        ),
        m(
            "createAccount",
            format!(
                r#"(input: {{ phone: "13700000999", name: "x", password: "secret123", role: UNIT_STAFF, unitId: "{}" }}) {t}"#,
                a.unit_id
            ),
            STAFF_A,
        ),
        // ---- Reception days (A's station)
        m(
            "scheduleReceptionDay",
            format!(
                r#"(input: {{ stationId: "{}", deputyIds: ["{}"], startsAt: "{}", endsAt: "{}" }}) {t}"#,
                a.station_id,
                w.a_deputy2_id,
                rfc3339(now + 3 * 86_400),
                rfc3339(now + 3 * 86_400 + 3600)
            ),
            "*=F anon=U stn=ok staff=ok admin=ok",
        ),
        m(
            "updateReceptionDay",
            format!(
                r#"(id: "{}", input: {{ deputyIds: ["{}"], startsAt: "{}", endsAt: "{}" }}) {t}"#,
                f.reception_day,
                a.deputy_id,
                rfc3339(now + 2 * 86_400),
                rfc3339(now + 2 * 86_400 + 7200)
            ),
            "*=F anon=U stn=ok staff=ok admin=ok",
        ),
        m(
            "cancelReceptionDay",
            format!(r#"(id: "{}") {t}"#, f.reception_day),
            "*=F anon=U stn=ok staff=ok admin=ok",
        ),
        // ---- Activities and duty (A's)
        m(
            "createActivity",
            format!(
                r#"(input: {{ congressId: "{}", kind: OTHER, title: "活动", place: "某地", startsAt: "{}", endsAt: "{}", participation: ASSIGNED }}) {t}"#,
                a.congress,
                soon,
                rfc3339(now + 86_400 + 3600)
            ),
            STAFF_A,
        ),
        m(
            "assignActivityParticipants",
            format!(r#"(activityId: "{}", deputyIds: ["{}"]) {t}"#, f.activity, w.a_deputy2_id),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "checkInParticipant",
            format!(r#"(activityId: "{}", deputyId: "{}") {t}"#, f.activity, a.deputy_id),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "checkInToActivity",
            format!(r#"(activityId: "{}", code: "00000000") {t}"#, f.activity),
            "*=F anon=U dep=ok dep2=ok",
        ),
        m("registerForActivity", format!(r#"(activityId: "{}") {t}"#, f.activity), "*=F anon=U"),
        m(
            "requestLeave",
            format!(r#"(activityId: "{}", reason: "出差") {t}"#, f.activity),
            "*=F anon=U dep=ok dep2=ok",
        ),
        m(
            "decideLeave",
            format!(r#"(activityId: "{}", deputyId: "{}", approve: true) {t}"#, f.activity, a.deputy_id),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "addDutyEntry",
            format!(r#"(input: {{ title: "调研", note: "调研", happenedOn: "{}" }}) {t}"#, time::date_in(-1)),
            "*=F anon=U dep=ok dep2=ok depB=ok",
        ),
        // ---- Deputies' reports of constituents' views (张明's, A): hidden from everyone but 张明, A's staff
        // and the unit a report is forwarded to.
        m(
            "submitDeputyReport",
            r#"(input: { title: "社情民意", content: "内容", matter: "居民反映", category: OTHER }) { __typename }"#
                .to_owned(),
            "*=F anon=U dep=ok dep2=ok depB=ok",
        ),
        m("acceptDeputyReport", format!(r#"(id: "{}") {t}"#, f.reports.submitted), REPORT_STAFF),
        m(
            "declineDeputyReport",
            format!(r#"(id: "{}", reason: "不予采用") {t}"#, f.reports.submitted2),
            REPORT_STAFF,
        ),
        m(
            "forwardDeputyReport",
            format!(r#"(id: "{}", unitId: "{}") {t}"#, f.reports.accepted, a.unit_id),
            REPORT_STAFF,
        ),
        m("compileDeputyReport", format!(r#"(id: "{}", note: "专报") {t}"#, f.reports.accepted2), REPORT_STAFF),
        m(
            "answerDeputyReport",
            format!(r#"(id: "{}", answer: "已办理") {t}"#, f.reports.forwarded),
            "*=N anon=U dep=F staff=F admin=F unit=ok",
        ),
        // ---- Selections (评选) of A: its staff and deputies see them; staff run them; 张明, the committee's
        // only member, votes; everyone else learns nothing.
        q("selection", format!(r#"(id: "{}") {t}"#, f.selection.selection), "*=N anon=U dep=ok dep2=ok staff=ok admin=ok"),
        q("selections", format!(r#"(congressId: "{}") {t}"#, a.congress), A_MEMBERS_LIST),
        m(
            "openSelection",
            format!(
                r#"(input: {{ congressId: "{}", kind: MODEL_DEPUTY, method: STAFF_DECISION, year: {year}, title: "优秀代表评选", places: 1 }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m(
            "nominateSelectionCandidate",
            format!(r#"(selectionId: "{}", deputyId: "{}", reason: "履职突出") {t}"#, f.selection.selection, a.deputy_id),
            SELECTION_STAFF,
        ),
        m("startSelectionVote", format!(r#"(id: "{}") {t}"#, f.selection.selection), SELECTION_STAFF),
        m(
            "castSelectionBallot",
            format!(r#"(selectionId: "{}", candidateIds: ["{}"]) {t}"#, f.selection.selection, f.selection.candidate),
            "*=N anon=U dep=ok dep2=F staff=F admin=F",
        ),
        m("closeSelectionVote", format!(r#"(id: "{}") {t}"#, f.selection.selection), SELECTION_STAFF),
        m(
            "decideSelection",
            format!(r#"(id: "{}", winners: [{{ candidateId: "{}", reason: "履职突出" }}]) {t}"#, f.selection.selection, f.selection.candidate),
            SELECTION_STAFF,
        ),
        m("publishSelection", format!(r#"(id: "{}") {t}"#, f.selection.selection), SELECTION_STAFF),
        m("cancelSelection", format!(r#"(id: "{}") {t}"#, f.selection.selection), SELECTION_STAFF),
        m(
            "recordSessionSpeech",
            format!(
                r#"(deputyId: "{}", input: {{ title: "大会发言", note: "发言", happenedOn: "{}" }}) {t}"#,
                a.deputy_id,
                time::date_in(-1)
            ),
            STAFF_A,
        ),
        m(
            "decideDutyEntry",
            format!(r#"(id: "{}", verify: true) {t}"#, f.entry),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "setDutyQuota",
            format!(
                r#"(input: {{ congressId: "{}", item: "调研", period: YEAR, required: 1, counts: [VERIFIED_OTHER] }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m("retireDutyQuota", format!(r#"(id: "{}") {t}"#, f.quota), "*=F anon=U staff=ok admin=ok"),
        m(
            "setPointRule",
            format!(
                r#"(input: {{ congressId: "{}", kind: VERIFIED_OTHER, points: 2, effectiveFrom: "{}" }}) {t}"#,
                a.congress,
                time::date_in(1)
            ),
            STAFF_A,
        ),
        // ---- Appraisals (A's): the group is 张明 (dep), the unit A's (unit)
        m(
            "openAppraisal",
            format!(
                r#"(input: {{ congressId: "{}", year: {year}, unitId: "{}", subject: {{ unitWork: "新评议" }}, groupDeputyIds: ["{}"], reportDue: "{today}", rectificationDue: "{today}", votingFrom: "{today}", votingUntil: "{today}" }}) {t}"#,
                a.congress, a.unit_id, a.deputy_id
            ),
            STAFF_A,
        ),
        m(
            "submitAppraisalReport",
            format!(r#"(appraisalId: "{}", report: "述职报告") {t}"#, f.appraisal),
            "*=F anon=U unit=ok",
        ),
        m(
            "recordAppraisalOralReport",
            format!(r#"(appraisalId: "{}", heldOn: "{today}") {t}"#, f.appraisal),
            STAFF_A,
        ),
        m(
            "addAppraisalFinding",
            format!(r#"(appraisalId: "{}", text: "问题", source: INSPECTION) {t}"#, f.appraisal),
            "*=F anon=U dep=ok",
        ),
        m(
            "issueAppraisalItems",
            format!(r#"(appraisalId: "{}", problems: ["问题"]) {t}"#, f.appraisal),
            STAFF_A,
        ),
        m(
            "answerAppraisalItem",
            format!(r#"(itemId: "{}", answer: "已整改", doneBy: "{today}") {t}"#, f.appraisal_item),
            "*=F anon=U unit=ok",
        ),
        m(
            "acceptAppraisalItem",
            format!(r#"(itemId: "{}") {t}"#, f.appraisal_item),
            "*=F anon=U dep=ok staff=ok admin=ok",
        ),
        m(
            "returnAppraisalItem",
            format!(r#"(itemId: "{}", reason: "不具体") {t}"#, f.appraisal_item),
            "*=F anon=U dep=ok staff=ok admin=ok",
        ),
        m("openAppraisalVoting", format!(r#"(appraisalId: "{}") {t}"#, f.appraisal), STAFF_A),
        m(
            "castAppraisalBallot",
            format!(r#"(appraisalId: "{}", mark: SATISFIED) {t}"#, f.appraisal),
            "*=F anon=U dep=ok dep2=ok",
        ),
        m("publishAppraisalResult", format!(r#"(appraisalId: "{}") {t}"#, f.appraisal), STAFF_A),
        m(
            "inviteAppraisalCitizens",
            format!(r#"(appraisalId: "{}", phones: ["13700007777"]) {t}"#, f.appraisal),
            STAFF_A,
        ),
        m(
            "requestAppraisalVoteCode",
            format!(r#"(phone: "13700008888", token: "no-such-token-0000000000", privacyConsent: "2026-12-06") {t}"#),
            "*=N",
        ),
        m(
            "castAppraisalCitizenBallot",
            r#"(phone: "13700008888", token: "no-such-token-0000000000", code: "123456", mark: SATISFIED)"#
                .to_owned(),
            "*=N",
        ),
        m(
            "openAppraisalChoice",
            format!(
                r#"(input: {{ congressId: "{}", year: {year}, title: "票决", chooseUpTo: 1, voterDeputyIds: ["{}"], candidates: [{{ unitId: "{}", subject: {{ unitWork: "甲" }} }}, {{ unitId: "{}", subject: {{ unitWork: "乙" }} }}] }}) {t}"#,
                a.congress, a.deputy_id, a.unit_id, a.unit_id
            ),
            STAFF_A,
        ),
        m(
            "castAppraisalChoiceBallot",
            format!(r#"(choiceId: "{}", candidateIds: []) {t}"#, f.appraisal_choice),
            "*=N anon=U dep=ok dep2=F staff=F admin=F",
        ),
        m(
            "closeAppraisalChoice",
            format!(r#"(choiceId: "{}") {t}"#, f.appraisal_choice),
            "*=N anon=U staff=ok admin=ok dep=F dep2=F",
        ),
        m(
            "submitAppraisalRectificationReport",
            format!(r#"(appraisalId: "{}", report: "整改报告") {t}"#, f.appraisal),
            "*=F anon=U unit=ok",
        ),
        // ---- Evaluations (A's, of last year)
        m(
            "openDutyEvaluation",
            format!(
                r#"(input: {{ congressId: "{}", year: {}, fullMark: 100, rectificationDeadline: "{}", weights: {{ points: 60, groupAssessment: 20, voterRating: 20 }} }}) {t}"#,
                a.congress,
                year - 2,
                rfc3339(now + 30 * 86_400)
            ),
            STAFF_A,
        ),
        m(
            "setGroupAssessment",
            format!(r#"(evaluationId: "{}", deputyId: "{}", score: 90) {t}"#, f.evaluation, a.deputy_id),
            "*=F anon=U staff=ok admin=ok",
        ),
        m("reviewDutyEvaluation", format!(r#"(id: "{}") {t}"#, f.evaluation), "*=F anon=U staff=ok admin=ok"),
        m("reopenDutyEvaluation", format!(r#"(id: "{}") {t}"#, f.evaluation), "*=F anon=U staff=ok admin=ok"),
        m(
            "publishDutyEvaluation",
            format!(r#"(id: "{}") {t}"#, f.evaluation),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "recordReminderTalk",
            format!(
                r#"(evaluationId: "{}", deputyId: "{}", note: "谈话", talkedAt: "{}") {t}"#,
                f.evaluation,
                a.deputy_id,
                rfc3339(now)
            ),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "setEvaluationScheme",
            format!(
                r#"(evaluationId: "{}", scheme: {{ categories: [{{ name: "其他", items: [{{ name: "综合评价", source: MANUAL, cap: 10 }}] }}] }}) {t}"#,
                f.evaluation
            ),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "scoreEvaluationItem",
            format!(
                r#"(evaluationId: "{}", itemId: "{}", deputyId: "{}", score: 5) {t}"#,
                f.evaluation,
                {
                    use base64::Engine;
                    base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .encode(format!("EvaluationItem:{}", uuid::Uuid::now_v7()))
                },
                a.deputy_id
            ),
            "*=F anon=U staff=ok admin=ok",
        ),
        m(
            "submitRectificationReport",
            format!(r#"(evaluationId: "{}", content: "整改报告") {t}"#, f.evaluation),
            "*=F anon=U dep=ok dep2=ok",
        ),
        // ---- The viewer's own things
        m("markAllNotificationsRead", String::new(), LOGGED_IN),
        m("markNotificationsRead", r#"(ids: [])"#.to_owned(), LOGGED_IN),
        m(
            "registerDevice",
            format!(r#"(platform: ANDROID, token: "device-token-0000000001") {t}"#),
            LOGGED_IN,
        ),
        m("unregisterDevice", r#"(token: "device-token-0000000002")"#.to_owned(), LOGGED_IN),
        m("updateNotificationPreferences", format!("(input: {{ dailyDigest: false }}) {t}"), LOGGED_IN),
        m(
            "changePassword",
            r#"(currentPassword: "wrong-password-1", newPassword: "another-pass-1")"#.to_owned(),
            LOGGED_IN,
        ),
        q("privacyNotice", format!(" {t}"), PUBLIC),
        // A's suggestion answered in public: only citizens follow.
        m("followSuggestion", format!(r#"(id: "{}") {t}"#, f.parallel), "*=F anon=U cit=ok"),
        m("unfollowSuggestion", format!(r#"(id: "{}") {t}"#, f.parallel), "*=F anon=U cit=ok"),
        // A's MAJOR project: a citizen does not find it; the others are not citizens.
        m("followLivelihoodProject", format!(r#"(id: "{}") {t}"#, f.projects.project), "*=F anon=U cit=N"),
        m("unfollowLivelihoodProject", format!(r#"(id: "{}") {t}"#, f.projects.project), "*=F anon=U cit=N"),
        // A wrong password: only a citizen gets as far as checking it.
        m("deleteMyAccount", r#"(password: "wrong-password-1")"#.to_owned(), "*=F anon=U cit=ok"),
        // ---- Livelihood projects (A's OPEN round with a candidate of A's unit; A's MAJOR project of that
        // unit, 张明 in its supervision group)
        q(
            "projectRound",
            format!(r#"(id: "{}") {t}"#, f.projects.round),
            "*=N staff=ok admin=ok dep=ok dep2=ok unit=ok",
        ),
        q("projectRounds", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q(
            "livelihoodProject",
            format!(r#"(id: "{}") {t}"#, f.projects.project),
            "*=N staff=ok admin=ok dep=ok dep2=ok unit=ok",
        ),
        q("livelihoodProjects", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        m(
            "openProjectRound",
            format!(
                r#"(input: {{ congressId: "{}", year: {year}, title: "票决", form: CHOOSE_UP_TO, seats: 1 }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m(
            "addProjectCandidate",
            format!(r#"(roundId: "{}", input: {project_input}) {t}"#, f.projects.round),
            ROUND_STAFF,
        ),
        m(
            "updateProjectCandidate",
            format!(r#"(id: "{}", input: {project_input}) {t}"#, f.projects.candidate),
            ROUND_STAFF,
        ),
        m(
            "askProjectQuestion",
            format!(r#"(candidateId: "{}", question: "问") {t}"#, f.projects.candidate),
            DEPUTIES_OF_A,
        ),
        m(
            "answerProjectQuestion",
            format!(r#"(id: "{}", answer: "答") {t}"#, f.projects.question),
            UNIT_OF_A,
        ),
        m("openProjectVoting", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m("castProjectBallot", format!(r#"(roundId: "{}", marks: []) {t}"#, f.projects.round), DEPUTIES_OF_A),
        m("closeProjectVoting", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m("publishProjectRound", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m("openProjectRating", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m("closeProjectRating", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m("publishProjectRating", format!(r#"(roundId: "{}") {t}"#, f.projects.round), ROUND_STAFF),
        m(
            "createMajorProject",
            format!(r#"(congressId: "{}", year: {year}, input: {project_input}) {t}"#, a.congress),
            STAFF_A,
        ),
        m(
            "appointSupervisionGroup",
            format!(r#"(projectId: "{}", deputyIds: ["{}"]) {t}"#, f.projects.project, a.deputy_id),
            ROUND_STAFF,
        ),
        m(
            "reportProjectProgress",
            format!(
                r#"(input: {{ projectId: "{}", content: "进展", percent: 20 }}) {t}"#,
                f.projects.project
            ),
            UNIT_OF_A,
        ),
        m(
            "inspectProject",
            format!(r#"(input: {{ projectId: "{}", findings: "视察" }}) {t}"#, f.projects.project),
            "*=N anon=U dep=ok dep2=F unit=F staff=F admin=F",
        ),
        m(
            "answerProjectRectification",
            format!(r#"(inspectionId: "{}", answer: "已整改") {t}"#, f.projects.inspection),
            UNIT_OF_A,
        ),
        m(
            "rateProject",
            format!(r#"(projectId: "{}", mark: SATISFIED) {t}"#, f.projects.project),
            DEPUTIES_OF_A,
        ),
        // ---- Learning, news and documents: a material for its audience and A's staff; the feed and the
        // congress's documents for A's staff and deputies (public documents for anyone).
        q("learningMaterial", format!(r#"(id: "{}") {t}"#, f.learning.course), A_MEMBERS_SEE),
        q("learningMaterials", format!(r#"(congressId: "{}") {t}"#, a.congress), A_MEMBERS_LIST),
        q(
            "courseProgress",
            format!(r#"(id: "{}") {t}"#, f.learning.course),
            "*=N anon=U staff=ok admin=ok dep=F dep2=F",
        ),
        q("newsFeed", format!(r#"(congressId: "{}") {t}"#, a.congress), A_MEMBERS_LIST),
        q("newsItem", format!(r#"(id: "{}") {t}"#, f.learning.news), A_MEMBERS_SEE),
        q("document", format!(r#"(id: "{}") {t}"#, f.learning.document), A_MEMBERS_SEE),
        q("documents", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        m(
            "publishLearningMaterial",
            format!(
                r#"(input: {{ congressId: "{}", title: "学习", body: "正文", kind: ARTICLE,
                    category: LAWS_AND_REGULATIONS, audience: ALL_DEPUTIES }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m(
            "completeCourse",
            format!(r#"(id: "{}") {{ completedAt }}"#, f.learning.course),
            "*=N anon=U dep=ok dep2=ok staff=F admin=F",
        ),
        // Staff of A edit and then withdraw the material assigned to 张明, who sees it and is FORBIDDEN.
        m(
            "editLearningMaterial",
            format!(
                r#"(id: "{}", input: {{ title: "指定阅读（修订）", body: "新正文" }}) {t}"#,
                f.learning.assigned
            ),
            "*=N anon=U dep=F staff=ok admin=ok",
        ),
        m(
            "withdrawLearningMaterial",
            format!(r#"(id: "{}") {t}"#, f.learning.assigned),
            "*=N anon=U dep=F staff=ok admin=ok",
        ),
        m(
            "publishNewsItem",
            format!(r#"(input: {{ congressId: "{}", title: "动态", body: "内容" }}) {t}"#, a.congress),
            STAFF_A,
        ),
        m(
            "publishDocument",
            format!(
                r#"(input: {{ congressId: "{}", title: "条例", body: "全文", category: CONGRESS_RULES }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        // ---- Open legislation: calls, drafts, articles and comments are public; proposals for staff and
        // the proposer; deputies and citizens propose and comment; staff run the rest.
        q("legislativeCall", format!(r#"(id: "{}") {t}"#, f.legislation.call), PUBLIC),
        q("legislativeCalls", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q(
            "legislativeProposal",
            format!(r#"(id: "{}") {t}"#, f.legislation.proposal),
            "*=N dep=ok staff=ok admin=ok",
        ),
        q("legislativeCallStatistics", format!(r#"(callId: "{}") {t}"#, f.legislation.call), STAFF_A),
        q("draftLaw", format!(r#"(id: "{}") {t}"#, f.legislation.draft), PUBLIC),
        q("draftLaws", format!(r#"(congressId: "{}") {t}"#, a.congress), PUBLIC),
        q("draftComment", format!(r#"(id: "{}") {t}"#, f.legislation.comment), PUBLIC),
        q("draftLawStatistics", format!(r#"(draftId: "{}") {t}"#, f.legislation.draft), STAFF_A),
        m(
            "publishLegislativeCall",
            format!(
                r#"(input: {{ congressId: "{}", title: "征集", description: "说明", closesAt: "{soon}" }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m(
            "proposeLegislation",
            format!(
                r#"(input: {{ callId: "{}", lawTitle: "某条例", kind: MAKE, reason: "理由" }}) {t}"#,
                f.legislation.call
            ),
            "*=F anon=U cit=ok dep=ok dep2=ok",
        ),
        m(
            "markLegislativeProposal",
            format!(r#"(id: "{}", outcome: TAKEN) {t}"#, f.legislation.proposal),
            STAFF_A,
        ),
        m(
            "publishDraftLaw",
            format!(
                r#"(input: {{ congressId: "{}", title: "草案", description: "说明", closesAt: "{soon}",
                    articles: [{{ number: "第一条", text: "内容" }}] }}) {t}"#,
                a.congress
            ),
            STAFF_A,
        ),
        m(
            "linkDraftLawDeputies",
            format!(r#"(draftId: "{}", deputyIds: ["{}"]) {t}"#, f.legislation.draft, a.deputy_id),
            STAFF_A,
        ),
        m(
            "commentOnDraftLaw",
            format!(
                r#"(input: {{ draftId: "{}", articleId: "{}", content: "意见" }}) {t}"#,
                f.legislation.draft, f.legislation.article
            ),
            "*=F anon=U cit=ok dep=ok dep2=ok",
        ),
        m(
            "editDraftComment",
            format!(r#"(id: "{}", content: "改后的意见") {t}"#, f.legislation.comment),
            "*=F anon=U cit=ok",
        ),
        m("markDraftComment", format!(r#"(id: "{}", outcome: ADOPTED) {t}"#, f.legislation.comment), STAFF_A),
        // ---- Moderation: a comment that does not exist is found by nobody; A's staff decide on A's visible
        // comment (RESTORE: a CONFLICT past authorisation) and read A's queue.
        m(
            "reportContent",
            format!(
                r#"(input: {{ contentId: "{}", reason: SPAM }}) {t}"#,
                {
                    use base64::Engine;
                    base64::engine::general_purpose::URL_SAFE_NO_PAD
                        .encode(format!("DraftComment:{}", uuid::Uuid::now_v7()))
                }
            ),
            "*=N anon=U",
        ),
        m(
            "moderateContent",
            format!(r#"(contentId: "{}", decision: RESTORE, reason: "无违规") {t}"#, f.legislation.comment),
            STAFF_A,
        ),
        q("moderationQueue", format!(r#"(congressId: "{}") {t}"#, a.congress), STAFF_A),
        m("closeLegislativeCall", format!(r#"(id: "{}") {t}"#, f.legislation.call), STAFF_A),
        m("closeDraftLawComments", format!(r#"(id: "{}") {t}"#, f.legislation.draft), STAFF_A),
        m(
            "publishDraftLawVersion",
            format!(
                r#"(input: {{ draftId: "{}", closesAt: "{soon}", articles: [{{ number: "第一条", text: "新内容" }}] }}) {t}"#,
                f.legislation.draft
            ),
            STAFF_A,
        ),
        // ---- Public credential and voter paths (who calls does not matter)
        m("login", format!(r#"(phone: "{}", password: "{DEMO_PASSWORD}") {t}"#, demo::CITIZEN), PUBLIC),
        // A token is its own credential: an unknown one is refused alike whoever sends it.
        m("refreshToken", format!(r#"(refreshToken: "not-a-refresh-token") {t}"#), "*=U"),
        m("requestRegistrationCode", r#"(phone: "13700007777")"#.to_owned(), PUBLIC),
        m("requestPasswordReset", r#"(phone: "13700007778")"#.to_owned(), PUBLIC),
        m(
            "resetPassword",
            r#"(phone: "13700007778", code: "000000", newPassword: "another-pass-1")"#.to_owned(),
            PUBLIC,
        ),
        m(
            "registerCitizen",
            format!(
                r#"(input: {{ name: "x", phone: "13700007777", code: "000000", password: "another-pass-1" }}) {t}"#
            ),
            PUBLIC,
        ),
        m(
            "requestVoterRatingCode",
            format!(r#"(phone: "13700008888", token: "no-such-token-0000000000", privacyConsent: "2026-12-06") {t}"#),
            "*=N",
        ),
        m(
            "rateReportToVoters",
            r#"(phone: "13700008888", token: "no-such-token-0000000000", code: "123456", rating: SATISFIED)"#
                .to_owned(),
            "*=N",
        ),
        // ---- Bills (张明's DRAFT; his bill ON_AGENDA, assigned to A's committee and unit, one meeting)
        q("bill", format!(r#"(id: "{}") {t}"#, f.bills.bill), BILL_SEEN),
        q("bills", t.to_owned(), LOGGED_IN),
        q("billSettings", format!(r#"(congressId: "{}") {t}"#, a.congress), LOGGED_IN),
        q("billStatistics", format!(r#"(congressId: "{}") {t}"#, a.congress), STAFF_A),
        m(
            "setBillSettings",
            format!(r#"(congressId: "{}", input: {{ sessionNumber: 1 }}) {t}"#, a.congress),
            STAFF_A,
        ),
        m(
            "draftBill",
            format!(r#"(input: {{ title: "议案", reason: "案由", provisions: "方案" }}) {t}"#),
            "*=F anon=U dep=ok dep2=ok depB=ok",
        ),
        m(
            "editBill",
            format!(
                r#"(id: "{}", input: {{ title: "议案", reason: "案由", provisions: "方案" }}) {t}"#,
                f.bills.draft
            ),
            BILL_LEAD_DRAFT,
        ),
        m(
            "inviteBillCoSponsors",
            format!(r#"(id: "{}", deputyIds: ["{}"]) {t}"#, f.bills.draft, f.bills.chen_id),
            BILL_LEAD_DRAFT,
        ),
        m(
            "answerBillCoSponsorship",
            format!(r#"(id: "{}", accept: true) {t}"#, f.bills.draft),
            "*=N anon=U dep=F",
        ),
        m("tableBill", format!(r#"(id: "{}") {t}"#, f.bills.draft), BILL_LEAD_DRAFT),
        m(
            "decideBill",
            format!(r#"(id: "{}", input: {{ disposition: ON_AGENDA }}) {t}"#, f.bills.bill),
            BILL_STAFF,
        ),
        m(
            "assignBill",
            format!(
                r#"(id: "{}", input: {{ committeeId: "{}", unitIds: ["{}"], dueAt: "{}" }}) {t}"#,
                f.bills.bill,
                a.committee_id,
                a.unit_id,
                rfc3339(unix_now() + 60 * 86_400)
            ),
            BILL_STAFF,
        ),
        m(
            "inviteBillLeadSponsor",
            format!(
                r#"(id: "{}", title: "会议", heldAt: "{}") {t}"#,
                f.bills.bill,
                rfc3339(unix_now() + 86_400)
            ),
            BILL_STAFF,
        ),
        m(
            "recordBillAttendance",
            format!(r#"(id: "{}", meetingNumber: 1, attended: true) {t}"#, f.bills.bill),
            BILL_STAFF,
        ),
        m(
            "reviewBill",
            format!(r#"(id: "{}", input: {{ report: "报告", decision: "决定" }}) {t}"#, f.bills.bill),
            BILL_STAFF,
        ),
        m(
            "reportBillFollowUp",
            format!(r#"(id: "{}", note: "落实") {t}"#, f.bills.bill),
            "*=N anon=U staff=ok admin=ok unit=ok dep=F",
        ),
        m("superviseBill", format!(r#"(id: "{}", note: "督办") {t}"#, f.bills.bill), BILL_STAFF),
        m("closeBill", format!(r#"(id: "{}", note: "办结") {t}"#, f.bills.bill), BILL_STAFF),
        m(
            "rateBill",
            format!(r#"(id: "{}", input: {{ attitude: SATISFIED, result: SATISFIED }}) {t}"#, f.bills.bill),
            "*=N anon=U dep=ok staff=F admin=F unit=F",
        ),
        m(
            "requestDraftCommentCode",
            format!(r#"(draftId: "{}", phone: "13700008889") {t}"#, f.legislation.draft),
            PUBLIC,
        ),
        m(
            "commentOnDraftLawByPhone",
            format!(
                r#"(input: {{ draftId: "{}", content: "意见", phone: "13700008889", code: "000000" }}) {t}"#,
                f.legislation.draft
            ),
            PUBLIC,
        ),
        // ---- Contact work (联系代表): 李华 is the member, 张明 the deputy linked to him.
        q(
            "deputyContacts",
            t.to_owned(),
            "*=ok anon=U cit=F unit=F stn=F unitB=F stnB=F",
        ),
        q("memberLinkedDeputies", format!(r#"(memberId: "{}") {t}"#, w.a_deputy2_id), PUBLIC),
        q("contactCoverage", format!(r#"(congressId: "{}", year: {year}) {t}"#, a.congress), STAFF_A),
        q(
            "professionalGroupStatistics",
            format!(r#"(congressId: "{}", year: {year}) {t}"#, a.congress),
            STAFF_A,
        ),
        m(
            "linkDeputyToMember",
            format!(r#"(memberId: "{}", deputyId: "{}") {t}"#, w.a_deputy2_id, a.deputy_id),
            STAFF_A,
        ),
        m(
            "unlinkDeputyFromMember",
            format!(r#"(memberId: "{}", deputyId: "{}") {t}"#, w.a_deputy2_id, w.b.deputy_id),
            STAFF_A,
        ),
        m(
            "recordDeputyContact",
            format!(
                r#"(input: {{ memberId: "{}", deputyId: "{}", contactedOn: "{}", method: PHONE, content: "电话联系" }}) {t}"#,
                w.a_deputy2_id,
                a.deputy_id,
                time::date_in(0)
            ),
            "*=F anon=U staff=ok admin=ok dep2=ok",
        ),
        // ---- Subscriptions
        s("notificationAdded", t.to_owned(), LOGGED_IN),
        s(
            "suggestionEvents",
            format!(r#"(suggestionId: "{}") {{ kind }}"#, f.assigned),
            "*=N anon=U dep=ok unit=ok staff=ok admin=ok",
        ),
        // Last: it ends the caller's session.
        m("logout", String::new(), LOGGED_IN),
    ]
}

/// The root fields of the live schema, by introspection.
async fn schema_fields(app: &TestApp) -> BTreeSet<(String, String)> {
    let res = app
        .gql(
            // Deprecated fields still answer, so they need a rule too.
            "{ __schema { queryType { fields(includeDeprecated: true) { name } }
                mutationType { fields(includeDeprecated: true) { name } }
                subscriptionType { fields(includeDeprecated: true) { name } } } }",
            json!({}),
            None,
        )
        .await;
    let data = res.data();
    let mut out = BTreeSet::new();
    for (root, key) in
        [("Query", "queryType"), ("Mutation", "mutationType"), ("Subscription", "subscriptionType")]
    {
        for field in data["__schema"][key]["fields"].as_array().into_iter().flatten() {
            out.insert((root.to_owned(), str_of(&field["name"]).to_owned()));
        }
    }
    out
}

fn root_name(root: Root) -> &'static str {
    match root {
        Root::Query => "Query",
        Root::Mutation => "Mutation",
        Root::Subscription => "Subscription",
    }
}

fn token_of(w: &World, who: Who) -> Option<&str> {
    Some(match who {
        Who::Anon => return None,
        Who::Citizen => &w.citizen,
        Who::Deputy => &w.a.deputy,
        Who::Deputy2 => &w.a_deputy2,
        Who::Unit => &w.a.unit_staff,
        Who::Station => &w.a.station_staff,
        Who::Staff => &w.a.staff,
        Who::Admin => &w.admin,
        Who::StaffB => &w.b.staff,
        Who::DeputyB => &w.b.deputy,
        Who::UnitB => &w.b.unit_staff,
        Who::StationB => &w.b.station_staff,
    })
}

/// What an HTTP response to a call of `field` came to.
fn outcome_of(body: &Value, field: &str) -> Outcome {
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some("UNAUTHENTICATED") => Outcome::U,
        Some("FORBIDDEN") => Outcome::F,
        Some("NOT_FOUND") => Outcome::N,
        Some("GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED") => Outcome::Invalid,
        Some(_) => Outcome::Ok,
        None if body["errors"].is_array() => panic!("an error without a code: {body}"),
        None if body["data"][field].is_null() => Outcome::N,
        None => Outcome::Ok,
    }
}

async fn call(app: &TestApp, w: &World, who: Who, case: &Case) -> (Outcome, Value) {
    let keyword = match case.root {
        Root::Query => "query",
        Root::Mutation => "mutation",
        Root::Subscription => "subscription",
    };
    let document = format!("{keyword} {{ {} {} }}", case.field, case.call);
    if case.root != Root::Subscription {
        let res = app.gql(&document, json!({}), token_of(w, who)).await;
        return (outcome_of(&res.body, case.field), res.body);
    }
    let mut ws = match token_of(w, who) {
        Some(token) => app.ws_as(token).await,
        None => {
            let mut ws = app.ws().await;
            ws.send(json!({ "type": "connection_init", "payload": {} })).await;
            match ws.next(Duration::from_secs(5)).await {
                WsEvent::Message(m) if m["type"] == "connection_ack" => ws,
                other => return (Outcome::U, json!(format!("{other:?}"))),
            }
        }
    };
    ws.subscribe("m", &document, json!({})).await;
    match ws.next(Duration::from_millis(300)).await {
        // Nothing yet: the subscription is open.
        WsEvent::Silent => (Outcome::Ok, Value::Null),
        WsEvent::Message(m) if m["type"] == "error" => {
            let body = json!({ "errors": m["payload"] });
            (outcome_of(&body, case.field), m)
        }
        WsEvent::Message(m) if m["type"] == "next" => (outcome_of(&m["payload"], case.field), m),
        other => panic!("{}: unexpected {other:?}", case.field),
    }
}

e2e!(every_root_field_has_a_rule_that_holds_for_every_role, |app| {
    let w = world::build(&app).await;
    let f = fixtures(&app, &w).await;
    let cases = cases(&w, &f);

    // The table covers the live schema exactly: a new field without a rule fails here.
    let in_schema = schema_fields(&app).await;
    let in_table: BTreeSet<(String, String)> =
        cases.iter().map(|c| (root_name(c.root).to_owned(), c.field.to_owned())).collect();
    let missing: Vec<_> = in_schema.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&in_schema).collect();
    assert!(
        missing.is_empty(),
        "root fields with no authorisation rule in tests/tests/e2e/authz.rs: {missing:?}"
    );
    assert!(stale.is_empty(), "rules for fields the schema no longer has: {stale:?}");
    assert_eq!(in_table.len(), cases.len(), "a field has two rules");

    let record = std::env::var("AUTHZ_RECORD").is_ok();
    let mut wrong = Vec::new();
    for case in &cases {
        let want = expected(case.rule);
        // Refused callers first, so an allowed call changing the record cannot hide a refusal.
        let mut order: Vec<usize> = (0..12).filter(|i| want[*i] != Outcome::Ok).collect();
        order.extend((0..12).filter(|i| want[*i] == Outcome::Ok));
        let mut got: [(Outcome, String); 12] = Default::default();
        for i in order {
            let (outcome, body) = call(&app, &w, EVERYONE[i], case).await;
            got[i] =
                (outcome, body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_owned());
            if outcome != want[i] {
                wrong.push(format!(
                    "{} as {}: expected {}, got {} ({body})",
                    case.field,
                    NAMES[i],
                    want[i].name(),
                    outcome.name()
                ));
            }
        }
        if record {
            let seen: Vec<String> = (0..12).map(|i| format!("{}={}", NAMES[i], got[i].0.name())).collect();
            let codes: BTreeSet<&str> = got.iter().map(|g| g.1.as_str()).collect();
            eprintln!("AUTHZ {} {} codes={codes:?}", case.field, seen.join(" "));
        }
    }
    assert!(wrong.is_empty(), "{} calls broke their rule:\n{}", wrong.len(), wrong.join("\n"));
});
