//! Activities (履职活动) end to end: staff create them with assigned deputies or open registration; deputies
//! register (the last place goes to exactly one of several at once), ask for leave, which staff decide,
//! and check in with the venue's rotating code or are checked in by staff; attendance follows. Every
//! refusal role by role, input checks, visibility and the notices in the inbox.

use edaibiao_tests::{Cast, Gql, TestApp, demo, e2e, str_of};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const FIELDS: &str = "id title place kind participation capacity checkInOpen participantCount
    participants { deputy { name } joined attendance checkedInAt leaveStatus leaveReason }
    myParticipation { joined leaveStatus attendance }";

fn create_op() -> String {
    format!("mutation($i: CreateActivityInput!) {{ r: createActivity(input: $i) {{ {FIELDS} }} }}")
}

const ASSIGN: &str = "mutation($a: ID!, $d: [ID!]!) { r: assignActivityParticipants(activityId: $a, deputyIds: $d) { id participantCount } }";
const REGISTER: &str = "mutation($a: ID!) { r: registerForActivity(activityId: $a) { id participantCount } }";
const LEAVE: &str = "mutation($a: ID!, $r: String!) { r: requestLeave(activityId: $a, reason: $r) { id } }";
const DECIDE: &str = "mutation($a: ID!, $d: ID!, $ok: Boolean!) { r: decideLeave(activityId: $a, deputyId: $d, approve: $ok) { id } }";
const CODE: &str = "query($a: ID!) { r: activityCheckInCode(activityId: $a) { code payload expiresAt svg } }";
const CHECK_IN: &str =
    "mutation($a: ID!, $c: String!) { r: checkInToActivity(activityId: $a, code: $c) { id } }";
const CHECK_IN_BY_STAFF: &str =
    "mutation($a: ID!, $d: ID!) { r: checkInParticipant(activityId: $a, deputyId: $d) { id } }";

fn activity_op() -> String {
    format!("query($id: ID!) {{ r: activity(id: $id) {{ {FIELDS} }} }}")
}

/// A moment `minutes` from now, as RFC 3339.
fn at(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn input(c: &Cast, kind: &str, from: i64, to: i64, deputies: &[&str]) -> Value {
    json!({
        "congressId": c.congress, "kind": kind, "title": "人大代表履职能力培训", "place": "市人大常委会三楼会议室",
        "startsAt": at(from), "endsAt": at(to), "participation": "ASSIGNED", "deputyIds": deputies,
    })
}

fn open_input(c: &Cast, capacity: i64, from: i64) -> Value {
    json!({
        "congressId": c.congress, "kind": "RESEARCH", "title": "城市交通专题调研", "place": "市交通运输局",
        "startsAt": at(from), "endsAt": at(from + 120), "participation": "OPEN", "capacity": capacity,
    })
}

async fn create(app: &TestApp, c: &Cast, input: Value) -> Value {
    app.gql(&create_op(), json!({ "i": input }), Some(&c.staff)).await.data()["r"].clone()
}

async fn get(app: &TestApp, token: &str, id: &str) -> Gql {
    app.gql(&activity_op(), json!({ "id": id }), Some(token)).await
}

/// The kinds and subjects of the viewer's notifications.
async fn inbox(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let res = app
        .gql("{ notifications(first: 50) { nodes { kind subjectKind subjectId } } }", json!({}), Some(token))
        .await;
    res.data()["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| (str_of(&n["kind"]).to_owned(), str_of(&n["subjectId"]).to_owned()))
        .collect()
}

fn participant<'a>(activity: &'a Value, name: &str) -> &'a Value {
    activity["participants"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["deputy"]["name"] == name))
        .unwrap_or_else(|| panic!("{name} does not take part: {activity}"))
}

e2e!(staff_assign_deputies_who_ask_for_leave_and_check_in, |app| {
    let c = Cast::of(&app).await;
    // Starts in 10 minutes: check-in is already open (30 minutes before the start).
    let a = create(&app, &c, input(&c, "TRAINING", 10, 130, &[&c.zhang_id, &c.li_id])).await;
    let id = str_of(&a["id"]).to_owned();
    assert_eq!(a["kind"], "TRAINING");
    assert_eq!(a["participation"], "ASSIGNED");
    assert_eq!(a["participantCount"], 2);
    assert_eq!(a["checkInOpen"], true);
    assert_eq!(participant(&a, "张明")["joined"], "ASSIGNED");
    assert_eq!(participant(&a, "张明")["attendance"], Value::Null, "open while it has not ended");

    // Both deputies are told, with the activity as the subject.
    for token in [&c.zhang, &c.li] {
        assert!(inbox(&app, token).await.contains(&("DUTY_ACTIVITY_ASSIGNED".to_owned(), id.clone())));
    }
    // A third deputy is added later and told; those already there are kept.
    let added = app.gql(ASSIGN, json!({ "a": id, "d": [c.wang_id, c.zhang_id] }), Some(&c.staff)).await;
    assert_eq!(added.data()["r"]["participantCount"], 3);

    // 李华 asks for leave: staff are told; the reason is for staff and 李华 only.
    app.gql(LEAVE, json!({ "a": id, "r": "  出差在外 " }), Some(&c.li)).await.data();
    assert!(inbox(&app, &c.staff).await.contains(&("DUTY_LEAVE_REQUESTED".to_owned(), id.clone())));
    let seen_by_staff = get(&app, &c.staff, &id).await;
    assert_eq!(participant(&seen_by_staff.data()["r"], "李华")["leaveReason"], "出差在外");
    assert_eq!(participant(&seen_by_staff.data()["r"], "李华")["leaveStatus"], "PENDING");
    let seen_by_li = get(&app, &c.li, &id).await;
    assert_eq!(participant(&seen_by_li.data()["r"], "李华")["leaveReason"], "出差在外");
    assert_eq!(seen_by_li.data()["r"]["myParticipation"]["leaveStatus"], "PENDING");
    let seen_by_zhang = get(&app, &c.zhang, &id).await;
    assert_eq!(participant(&seen_by_zhang.data()["r"], "李华")["leaveReason"], Value::Null);
    assert_eq!(participant(&seen_by_zhang.data()["r"], "李华")["leaveStatus"], "PENDING");
    // Twice while pending is a conflict; a deputy does not decide; staff approve once.
    app.gql(LEAVE, json!({ "a": id, "r": "出差" }), Some(&c.li)).await.assert_code("CONFLICT");
    app.gql(DECIDE, json!({ "a": id, "d": c.li_id, "ok": true }), Some(&c.zhang))
        .await
        .assert_code("FORBIDDEN");
    app.gql(DECIDE, json!({ "a": id, "d": c.zhang_id, "ok": true }), Some(&c.staff))
        .await
        .assert_code("CONFLICT");
    app.gql(DECIDE, json!({ "a": id, "d": c.li_id, "ok": true }), Some(&c.staff)).await.data();
    app.gql(DECIDE, json!({ "a": id, "d": c.li_id, "ok": false }), Some(&c.staff))
        .await
        .assert_code("CONFLICT");
    assert!(inbox(&app, &c.li).await.contains(&("DUTY_LEAVE_DECIDED".to_owned(), id.clone())));
    let after = get(&app, &c.li, &id).await;
    assert_eq!(after.data()["r"]["myParticipation"]["attendance"], "EXCUSED");

    // Check-in: the code for the venue is for staff only; a deputy scans it.
    app.gql(CODE, json!({ "a": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    let code = app.gql(CODE, json!({ "a": id }), Some(&c.staff)).await;
    let code = code.data()["r"].clone();
    let digits = str_of(&code["code"]).to_owned();
    assert_eq!(digits.len(), 8);
    assert!(str_of(&code["payload"]).contains(&digits) && str_of(&code["payload"]).contains(&id));
    assert!(str_of(&code["svg"]).starts_with("<svg"));
    app.gql(CHECK_IN, json!({ "a": id, "c": "00000000" }), Some(&c.zhang))
        .await
        .assert_code("BAD_USER_INPUT");
    // A code of another activity is no code for this one.
    let other = create(&app, &c, input(&c, "INSPECTION", 5, 60, &[&c.zhang_id])).await;
    let other_code = app.gql(CODE, json!({ "a": other["id"] }), Some(&c.staff)).await;
    let other_digits = str_of(&other_code.data()["r"]["code"]).to_owned();
    if other_digits != digits {
        app.gql(CHECK_IN, json!({ "a": id, "c": other_digits }), Some(&c.zhang))
            .await
            .assert_code("BAD_USER_INPUT");
    }
    app.gql(CHECK_IN, json!({ "a": id, "c": digits }), Some(&c.zhang)).await.data();
    app.gql(CHECK_IN, json!({ "a": id, "c": digits }), Some(&c.zhang)).await.assert_code("CONFLICT");
    // Someone not taking part cannot check in; staff check 王芳 in by hand.
    let citizen = app.login(demo::CITIZEN).await.access;
    app.gql(CHECK_IN, json!({ "a": id, "c": digits }), Some(&citizen)).await.assert_code("FORBIDDEN");
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": id, "d": c.wang_id }), Some(&c.zhang))
        .await
        .assert_code("FORBIDDEN");
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": id, "d": c.wang_id }), Some(&c.staff)).await.data();
    let done = get(&app, &c.staff, &id).await;
    let done = &done.data()["r"];
    assert_eq!(participant(done, "张明")["attendance"], "PRESENT");
    assert!(participant(done, "张明")["checkedInAt"].is_string());
    assert_eq!(participant(done, "王芳")["attendance"], "PRESENT");
    assert_eq!(participant(done, "李华")["attendance"], "EXCUSED");
    // Checked in: no leave any more.
    app.gql(LEAVE, json!({ "a": id, "r": "临时有事" }), Some(&c.zhang)).await.assert_code("CONFLICT");
});

e2e!(check_in_opens_shortly_before_the_start_and_absence_shows_after_the_end, |app| {
    let c = Cast::of(&app).await;
    // Two hours ahead: no code is issued and nobody checks in yet.
    let later = create(&app, &c, input(&c, "SESSION_MEETING", 120, 240, &[&c.zhang_id])).await;
    assert_eq!(later["checkInOpen"], false);
    app.gql(CODE, json!({ "a": later["id"] }), Some(&c.staff)).await.assert_code("CONFLICT");
    app.gql(CHECK_IN, json!({ "a": later["id"], "c": "12345678" }), Some(&c.zhang))
        .await
        .assert_code("CONFLICT");
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": later["id"], "d": c.zhang_id }), Some(&c.staff))
        .await
        .assert_code("CONFLICT");

    // Started an hour ago and ends in a few seconds: 张明 checks in, 李华 does not and ends ABSENT.
    let mut short = input(&c, "POLICY_TALK", -60, 0, &[&c.zhang_id, &c.li_id]);
    short["endsAt"] = json!((chrono::Utc::now() + chrono::Duration::seconds(4)).to_rfc3339());
    let short = create(&app, &c, short).await;
    let id = str_of(&short["id"]).to_owned();
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": id, "d": c.zhang_id }), Some(&c.staff)).await.data();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let res = get(&app, &c.staff, &id).await;
        let li = participant(&res.data()["r"], "李华").clone();
        if li["attendance"] == "ABSENT" {
            assert_eq!(participant(&res.data()["r"], "张明")["attendance"], "PRESENT");
            break;
        }
        assert_eq!(li["attendance"], Value::Null, "open until the end");
        assert!(Instant::now() < deadline, "the activity never ended");
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    // Ended: no leave, no check-in, no assignment.
    app.gql(LEAVE, json!({ "a": id, "r": "补假" }), Some(&c.li)).await.assert_code("CONFLICT");
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": id, "d": c.li_id }), Some(&c.staff))
        .await
        .assert_code("CONFLICT");
    app.gql(ASSIGN, json!({ "a": id, "d": [c.wang_id] }), Some(&c.staff)).await.assert_code("CONFLICT");
});

e2e!(the_last_place_goes_to_exactly_one_deputy, |app| {
    let c = Cast::of(&app).await;
    let a = create(&app, &c, open_input(&c, 1, 60)).await;
    let id = str_of(&a["id"]).to_owned();
    assert_eq!(a["participation"], "OPEN");
    assert_eq!(a["capacity"], 1);
    // Open registration: staff do not assign.
    app.gql(ASSIGN, json!({ "a": id, "d": [c.zhang_id] }), Some(&c.staff)).await.assert_code("CONFLICT");
    // Both deputies ask for the one place at the same moment.
    let (first, second) = futures_util::join!(
        app.gql(REGISTER, json!({ "a": id }), Some(&c.zhang)),
        app.gql(REGISTER, json!({ "a": id }), Some(&c.li)),
    );
    let results = [&first, &second];
    let won = results.iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(won, 1, "exactly one winner: {first:?} / {second:?}");
    for lost in results.iter().filter(|r| r.body.get("errors").is_some()) {
        lost.assert_code("CONFLICT");
    }
    let now = get(&app, &c.staff, &id).await;
    assert_eq!(now.data()["r"]["participantCount"], 1);
    assert_eq!(now.data()["r"]["participants"][0]["joined"], "REGISTERED");
    // Full: CONFLICT; the winner twice: CONFLICT.
    for token in [&c.zhang, &c.li] {
        app.gql(REGISTER, json!({ "a": id }), Some(token)).await.assert_code("CONFLICT");
    }

    // Several seats, several at once: all get in up to the capacity.
    let roomy = create(&app, &c, open_input(&c, 5, 60)).await;
    let (a1, a2) = futures_util::join!(
        app.gql(REGISTER, json!({ "a": roomy["id"] }), Some(&c.zhang)),
        app.gql(REGISTER, json!({ "a": roomy["id"] }), Some(&c.li)),
    );
    a1.data();
    a2.data();
    let mine = app
        .gql(
            "query($c: ID!) { activities(congressId: $c, mine: true, first: 50) { totalCount nodes { id } } }",
            json!({ "c": c.congress }),
            Some(&c.li),
        )
        .await;
    let ids: Vec<&Value> =
        mine.data()["activities"]["nodes"].as_array().into_iter().flatten().map(|n| &n["id"]).collect();
    assert!(ids.contains(&&roomy["id"]));
    // Assigned participation: a deputy does not register.
    let assigned = create(&app, &c, input(&c, "TRAINING", 60, 120, &[])).await;
    app.gql(REGISTER, json!({ "a": assigned["id"] }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
});

e2e!(only_staff_organise_and_only_the_congress_sees, |app| {
    let c = Cast::of(&app).await;
    let op = create_op();
    let i = input(&c, "TRAINING", 60, 120, &[&c.zhang_id]);
    app.gql(&op, json!({ "i": i }), None).await.assert_code("UNAUTHENTICATED");
    for who in [demo::CITIZEN, demo::UNIT_STAFF, demo::DEPUTY, demo::STATION_STAFF] {
        let token = app.login(who).await.access;
        app.gql(&op, json!({ "i": i }), Some(&token)).await.assert_code("FORBIDDEN");
    }
    let a = create(&app, &c, i.clone()).await;
    let id = str_of(&a["id"]).to_owned();
    app.gql(ASSIGN, json!({ "a": id, "d": [c.li_id] }), Some(&c.zhang)).await.assert_code("FORBIDDEN");

    // A second congress, its staff and a deputy with an account.
    let admin = app.login(demo::ADMIN).await.access;
    let county = app
        .gql(
            "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(&admin),
        )
        .await;
    let county = str_of(&county.data()["createCongress"]["id"]).to_owned();
    let stranger = app
        .gql(
            "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
            json!({ "c": county, "i": { "name": "县代表", "gender": "MALE", "occupation": "OTHER", "industry": "农业", "phone": "13800000019" } }),
            Some(&admin),
        )
        .await;
    let stranger_id = str_of(&stranger.data()["createDeputy"]["id"]).to_owned();
    let account = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }";
    app.gql(account, json!({ "i": { "phone": "13800000019", "name": "县代表", "password": "secret123", "role": "DEPUTY", "deputyId": stranger_id } }), Some(&admin)).await.data();
    app.gql(account, json!({ "i": { "phone": "13800000029", "name": "县人大工委", "password": "secret123", "role": "CONGRESS_STAFF", "congressId": county } }), Some(&admin)).await.data();
    let county_deputy = app.login_with("13800000019", "secret123").await.access;
    let county_staff = app.login_with("13800000029", "secret123").await.access;

    // Staff of another congress neither organise here nor see; nor does its deputy register here.
    app.gql(&op, json!({ "i": i }), Some(&county_staff)).await.assert_code("FORBIDDEN");
    let open = create(&app, &c, open_input(&c, 10, 60)).await;
    app.gql(REGISTER, json!({ "a": open["id"] }), Some(&county_deputy)).await.assert_code("FORBIDDEN");
    app.gql(LEAVE, json!({ "a": id, "r": "x" }), Some(&county_deputy)).await.assert_code("FORBIDDEN");
    app.gql(DECIDE, json!({ "a": id, "d": c.zhang_id, "ok": true }), Some(&county_staff))
        .await
        .assert_code("FORBIDDEN");
    // A deputy of another congress is not assigned here.
    app.gql(ASSIGN, json!({ "a": id, "d": [stranger_id] }), Some(&c.staff))
        .await
        .assert_code("BAD_USER_INPUT");
    let list = "query($c: ID!) { activities(congressId: $c) { totalCount nodes { id } } }";
    for token in [
        &county_staff,
        &county_deputy,
        &app.login(demo::CITIZEN).await.access,
        &app.login(demo::UNIT_STAFF).await.access,
    ] {
        get(&app, token, &id).await.assert_code("NOT_FOUND");
        app.gql(list, json!({ "c": c.congress }), Some(token)).await.assert_code("FORBIDDEN");
        let node =
            app.gql("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id }), Some(token)).await;
        assert_eq!(node.data()["node"], Value::Null);
    }
    // Staff and deputies of the congress see it, also through node(id).
    for token in [&c.staff, &c.zhang, &c.li] {
        get(&app, token, &id).await.data();
        let res = app.gql(list, json!({ "c": c.congress }), Some(token)).await;
        assert!(res.data()["activities"]["totalCount"].as_u64().unwrap_or_default() >= 2);
        let node = app
            .gql(
                "query($id: ID!) { node(id: $id) { ... on Activity { title } } }",
                json!({ "id": id }),
                Some(token),
            )
            .await;
        assert_eq!(node.data()["node"]["title"], "人大代表履职能力培训");
    }
    // Not a participant: no leave to ask for.
    app.gql(LEAVE, json!({ "a": id, "r": "出差" }), Some(&c.li)).await.assert_code("NOT_FOUND");
});

e2e!(activity_input_is_checked_and_creation_is_idempotent, |app| {
    let c = Cast::of(&app).await;
    let op = create_op();
    let bad = |patch: Value| {
        let mut i = input(&c, "TRAINING", 60, 120, &[&c.zhang_id]);
        for (k, v) in patch.as_object().into_iter().flatten() {
            i[k] = v.clone();
        }
        i
    };
    let cases = [
        (json!({ "title": "  " }), "title"),
        (json!({ "title": "题".repeat(201) }), "title"),
        (json!({ "place": "" }), "place"),
        (json!({ "endsAt": at(30) }), "endsAt"),
        (json!({ "startsAt": at(-120), "endsAt": at(-60) }), "endsAt"),
        (json!({ "endsAt": at(60 * 24 * 40) }), "endsAt"),
        (json!({ "capacity": 3 }), "capacity"),
        (json!({ "participation": "OPEN", "deputyIds": [] }), "capacity"),
        (json!({ "participation": "OPEN", "capacity": 0, "deputyIds": [] }), "capacity"),
        (json!({ "participation": "OPEN", "capacity": 3 }), "deputyIds"),
        (json!({ "deputyIds": ["not-an-id"] }), "deputyIds"),
        (json!({ "congressId": c.zhang_id }), "congressId"),
        (json!({ "idempotencyKey": "short" }), "idempotencyKey"),
    ];
    for (patch, field) in cases {
        let res = app.gql(&op, json!({ "i": bad(patch.clone()) }), Some(&c.staff)).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "{patch}: {}", res.body);
    }
    let res = app.gql(LEAVE, json!({ "a": "garbage", "r": "x" }), Some(&c.zhang)).await;
    res.assert_code("BAD_USER_INPUT");

    // The same key twice: one activity, one notice.
    let mut i = input(&c, "EXCHANGE", 60, 120, &[&c.li_id]);
    i["idempotencyKey"] = json!("create-activity-0001");
    let first = app.gql(&op, json!({ "i": i }), Some(&c.staff)).await;
    let again = app.gql(&op, json!({ "i": i }), Some(&c.staff)).await;
    assert_eq!(first.data()["r"]["id"], again.data()["r"]["id"]);
    let id = str_of(&first.data()["r"]["id"]).to_owned();
    let told = inbox(&app, &c.li)
        .await
        .into_iter()
        .filter(|(k, s)| k == "DUTY_ACTIVITY_ASSIGNED" && *s == id)
        .count();
    assert_eq!(told, 1);

    // Leave reasons are bounded.
    app.gql(LEAVE, json!({ "a": id, "r": "  " }), Some(&c.li)).await.assert_code("BAD_USER_INPUT");
    app.gql(LEAVE, json!({ "a": id, "r": "病".repeat(501) }), Some(&c.li))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(ASSIGN, json!({ "a": id, "d": [] }), Some(&c.staff)).await.assert_code("BAD_USER_INPUT");
});

e2e!(activities_list_by_start_time_with_filters, |app| {
    let c = Cast::of(&app).await;
    let mut ids = Vec::new();
    for (kind, from) in [("TRAINING", 300), ("INSPECTION", 100), ("TRAINING", 200)] {
        ids.push(
            str_of(&create(&app, &c, input(&c, kind, from, from + 60, &[&c.zhang_id])).await["id"])
                .to_owned(),
        );
    }
    let (late, early, middle) = (&ids[0], &ids[1], &ids[2]);
    let list =
        "query($c: ID!, $k: ActivityKind, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
        activities(congressId: $c, kind: $k, from: $from, to: $to, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { id kind }
        }
    }";
    let page = |vars: Value| {
        let app = &app;
        let token = c.zhang.clone();
        async move { app.gql(list, vars, Some(&token)).await.data()["activities"].clone() }
    };
    let first = page(json!({ "c": c.congress, "first": 2 })).await;
    assert_eq!(first["totalCount"], 3);
    assert_eq!(first["nodes"][0]["id"], early.as_str());
    assert_eq!(first["nodes"][1]["id"], middle.as_str());
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let rest = page(json!({ "c": c.congress, "first": 2, "after": first["pageInfo"]["endCursor"] })).await;
    assert_eq!(rest["nodes"].as_array().map(Vec::len), Some(1));
    assert_eq!(rest["nodes"][0]["id"], late.as_str());
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    let trainings = page(json!({ "c": c.congress, "k": "TRAINING" })).await;
    assert_eq!(trainings["totalCount"], 2);
    let window = page(json!({ "c": c.congress, "from": at(150), "to": at(250) })).await;
    assert_eq!(window["totalCount"], 1);
    assert_eq!(window["nodes"][0]["id"], middle.as_str());
    let res = app.gql(list, json!({ "c": c.congress, "from": at(250), "to": at(150) }), Some(&c.zhang)).await;
    res.assert_code("BAD_USER_INPUT");
});

e2e!(a_page_of_activities_costs_the_same_whatever_its_size, |app| {
    let c = Cast::of(&app).await;
    for i in 0..8 {
        let kind = if i % 2 == 0 { "REPORT_TO_VOTERS" } else { "TRAINING" };
        create(&app, &c, input(&c, kind, 60 + i, 120 + i, &[&c.zhang_id, &c.li_id, &c.wang_id])).await;
    }
    let list = "query($c: ID!, $first: Int) { activities(congressId: $c, first: $first) { totalCount nodes {
        id kind congress { name } participantCount myParticipation { joined }
        participants { deputy { name deputyGroup { name } } attendance leaveReason
            voterRating { url satisfied basicallySatisfied dissatisfied } }
    } } }";
    let statements = || async {
        let (_, _, body) = app.get("/debug/sql-statements").await;
        let parsed: Value = serde_json::from_str(&body).unwrap_or_default();
        parsed["statements"].as_u64().unwrap_or_else(|| panic!("no statement count in {body}"))
    };
    let mut costs = Vec::new();
    for first in [8, 1] {
        let before = statements().await;
        let res = app.gql(list, json!({ "c": c.congress, "first": first }), Some(&c.staff)).await;
        assert_eq!(res.data()["activities"]["nodes"].as_array().map(Vec::len), Some(first));
        costs.push(statements().await - before);
    }
    // count, page, participants (activities and rows), deputies, deputy groups, congress, ratings.
    assert!(costs[0] <= 9, "a page of 8 took {} statements", costs[0]);
    assert!(costs[1] <= costs[0], "a smaller page must not cost more: {costs:?}");
});

e2e!(a_deputy_groups_leader_organises_the_groups_activities, |app| {
    let c = Cast::of(&app).await;
    let group = app.id_by_name("deputyGroups", "东城区代表团").await;
    let other_group = app.id_by_name("deputyGroups", "西城区代表团").await;
    let set = "mutation($g: ID!, $d: ID) { setDeputyGroupLeader(deputyGroupId: $g, deputyId: $d) { name } }";
    let leader = "query($g: ID!) { deputyGroupLeader(deputyGroupId: $g) { name } }";
    // Only staff name a leader, and only a member of the group.
    app.gql(set, json!({ "g": group, "d": c.zhang_id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(set, json!({ "g": group, "d": c.wang_id }), Some(&c.staff)).await.assert_code("BAD_USER_INPUT");
    let named = app.gql(set, json!({ "g": group, "d": c.zhang_id }), Some(&c.staff)).await;
    assert_eq!(named.data()["setDeputyGroupLeader"]["name"], "张明");
    assert_eq!(
        app.gql(leader, json!({ "g": group }), Some(&c.li)).await.data()["deputyGroupLeader"]["name"],
        "张明"
    );

    // 张明 organises his group's activity with a member, and runs it.
    let mut i = input(&c, "DEPUTY_GROUP_MEETING", 10, 70, &[&c.li_id]);
    i["deputyGroupId"] = json!(group);
    let made = app.gql(&create_op(), json!({ "i": i }), Some(&c.zhang)).await;
    let id = str_of(&made.data()["r"]["id"]).to_owned();
    app.gql(CODE, json!({ "a": id }), Some(&c.zhang)).await.data();
    app.gql(CHECK_IN_BY_STAFF, json!({ "a": id, "d": c.li_id }), Some(&c.zhang)).await.data();
    // Not with a deputy of another group; not another group's activity; not without a group.
    let mut outsider = i.clone();
    outsider["deputyIds"] = json!([c.wang_id]);
    app.gql(&create_op(), json!({ "i": outsider }), Some(&c.zhang)).await.assert_code("BAD_USER_INPUT");
    app.gql(ASSIGN, json!({ "a": id, "d": [c.wang_id] }), Some(&c.zhang)).await.assert_code("BAD_USER_INPUT");
    let mut elsewhere = i.clone();
    elsewhere["deputyGroupId"] = json!(other_group);
    elsewhere["deputyIds"] = json!([]);
    app.gql(&create_op(), json!({ "i": elsewhere }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    let mut no_group = i.clone();
    no_group["deputyGroupId"] = Value::Null;
    app.gql(&create_op(), json!({ "i": no_group }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    // 李华 is a member, not the leader; leave is still for staff to decide.
    app.gql(&create_op(), json!({ "i": i }), Some(&c.li)).await.assert_code("FORBIDDEN");
    let later = app
        .gql(&create_op(), json!({ "i": input(&c, "DEPUTY_GROUP_MEETING", 60, 90, &[]) }), Some(&c.staff))
        .await;
    later.data();
    // Staff clear the leader: 张明 organises no more.
    let cleared = app.gql(set, json!({ "g": group }), Some(&c.staff)).await;
    assert_eq!(cleared.data()["setDeputyGroupLeader"], Value::Null);
    app.gql(CODE, json!({ "a": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    app.gql(&create_op(), json!({ "i": i }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
});
