//! Deputies report constituents' views themselves (代表反映社情民意): a report goes to the congress's staff,
//! who accept it and forward it to a unit (whose answer goes back to the deputy), compile it into a
//! special report, or decline it; each step on the timeline and in the inbox; seen only by the deputy, the
//! congress's staff and the unit it was forwarded to; counted in the deputy's archive.

use edaibiao_tests::reports::{SUBMIT, input};
use edaibiao_tests::time::this_year;
use edaibiao_tests::world::{self, World};
use edaibiao_tests::{TestApp, e2e, str_of};
use serde_json::{Value, json};

const FIELDS: &str = "id title content matter category place state forwardNote answer answeredAt compiledNote
    declineReason submittedAt deputy { name } forwardedTo { id } station { id }
    timeline { kind actorRole fromState toState note }";

fn step_op(op: &str, args: &str) -> String {
    let pass: String = args
        .split(", $")
        .filter_map(|a| a.split(':').next())
        .map(|n| n.trim_start_matches(", ").trim_start_matches('$'))
        .filter(|n| !n.is_empty())
        .map(|n| format!(", {n}: ${n}"))
        .collect();
    format!(
        "mutation($id: ID!{args}, $k: String) {{ r: {op}(id: $id{pass}, idempotencyKey: $k) {{ {FIELDS} }} }}"
    )
}

const LIST: &str =
    "query($s: DeputyReportState, $c: ID) { r: deputyReports(state: $s, congressId: $c, first: 50) {
    totalCount nodes { id state title } } }";
const NODE: &str = "query($id: ID!) { r: node(id: $id) { id ... on DeputyReport { state answer } } }";

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    world::ok(app, Some(token), query, vars).await["r"].clone()
}

async fn submit(app: &TestApp, token: &str, title: &str) -> String {
    str_of(&ok(app, token, SUBMIT, json!({ "i": input(title) })).await["id"]).to_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["id"]).to_owned()).collect()
}

async fn inbox_kinds(app: &TestApp, token: &str, subject: &str) -> Vec<String> {
    let inbox = world::ok(
        app,
        Some(token),
        "{ notifications(first: 100) { nodes { kind subjectKind subjectId } } }",
        json!({}),
    )
    .await;
    inbox["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["subjectId"] == subject)
        .inspect(|n| assert_eq!(n["subjectKind"], "DeputyReport"))
        .map(|n| str_of(&n["kind"]).to_owned())
        .collect()
}

e2e!(a_report_goes_to_the_staff_to_a_unit_and_its_answer_back_to_the_deputy, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    // The deputy submits, naming the station; a retry with the same key submits nothing more.
    let mut i = input("关于老旧小区加装电梯的社情民意");
    i["stationId"] = json!(a.station_id);
    let vars = json!({ "i": i, "k": "report-key-0001" });
    let first =
        ok(&app, &a.deputy, &SUBMIT.replace("{ id state }", &format!("{{ {FIELDS} }}")), vars.clone()).await;
    assert_eq!(first["state"], "SUBMITTED");
    assert_eq!((&first["deputy"]["name"], &first["station"]["id"]), (&json!("张明"), &json!(a.station_id)));
    assert_eq!((&first["place"], &first["category"]), (&json!("东城街道"), &json!("URBAN_MANAGEMENT")));
    let again = ok(&app, &a.deputy, SUBMIT, vars).await;
    assert_eq!(again["id"], first["id"], "a retry submits once");
    let id = str_of(&first["id"]).to_owned();
    let mine = ok(&app, &a.deputy, LIST, json!({})).await;
    assert_eq!(mine["totalCount"], 1);
    // The staff are told and find it waiting.
    assert_eq!(inbox_kinds(&app, &a.staff, &id).await, ["DUTY_REPORT_SUBMITTED"]);
    let waiting = ok(&app, &a.staff, LIST, json!({ "s": "SUBMITTED" })).await;
    assert_eq!(ids(&waiting), std::slice::from_ref(&id));

    // Before forwarding the unit does not see it.
    assert_eq!(ok(&app, &a.unit_staff, NODE, json!({ "id": id })).await, Value::Null);
    assert_eq!(ok(&app, &a.unit_staff, LIST, json!({})).await["totalCount"], 0);

    // Accept (a retried accept acts once), forward to the unit with a note.
    let accept = step_op("acceptDeputyReport", "");
    let accepted = ok(&app, &a.staff, &accept, json!({ "id": id, "k": "accept-key-01" })).await;
    assert_eq!(accepted["state"], "ACCEPTED");
    let replay = ok(&app, &a.staff, &accept, json!({ "id": id, "k": "accept-key-01" })).await;
    assert_eq!(replay["state"], "ACCEPTED");
    app.gql(&accept, json!({ "id": id }), Some(&a.staff)).await.assert_code("CONFLICT");
    let forward = step_op("forwardDeputyReport", ", $unitId: ID!, $note: String");
    // A unit of another congress is refused.
    let elsewhere = json!({ "id": id, "unitId": w.b.unit_id });
    app.gql(&forward, elsewhere, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let forwarded = ok(
        &app,
        &a.staff,
        &forward,
        json!({ "id": id, "unitId": a.unit_id, "note": "请研究办理并答复代表" }),
    )
    .await;
    assert_eq!(
        (&forwarded["state"], &forwarded["forwardedTo"]["id"]),
        (&json!("FORWARDED"), &json!(a.unit_id))
    );
    assert_eq!(forwarded["forwardNote"], "请研究办理并答复代表");

    // The unit now sees it, and only it of A's units; it answers; the answer goes back to the deputy.
    assert_eq!(ok(&app, &a.unit_staff, NODE, json!({ "id": id })).await["state"], "FORWARDED");
    assert_eq!(ids(&ok(&app, &a.unit_staff, LIST, json!({})).await), std::slice::from_ref(&id));
    assert_eq!(ok(&app, &w.a_unit2_staff, NODE, json!({ "id": id })).await, Value::Null);
    let answer = step_op("answerDeputyReport", ", $answer: String!");
    app.gql(&answer, json!({ "id": id, "answer": " " }), Some(&a.unit_staff))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(&answer, json!({ "id": id, "answer": "x" }), Some(&a.staff)).await.assert_code("FORBIDDEN");
    let answered =
        ok(&app, &a.unit_staff, &answer, json!({ "id": id, "answer": "已纳入今年加装计划" })).await;
    assert_eq!((&answered["state"], &answered["answer"]), (&json!("ANSWERED"), &json!("已纳入今年加装计划")));
    assert!(answered["answeredAt"].is_string());
    app.gql(&answer, json!({ "id": id, "answer": "再答" }), Some(&a.unit_staff))
        .await
        .assert_code("CONFLICT");
    let seen = ok(&app, &a.deputy, NODE, json!({ "id": id })).await;
    assert_eq!(seen["answer"], "已纳入今年加装计划");

    // Each step is on the timeline and in the deputy's inbox.
    let steps: Vec<(String, String)> = answered["timeline"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (str_of(&s["kind"]).to_owned(), str_of(&s["actorRole"]).to_owned()))
        .collect();
    let expect = [
        ("SUBMITTED", "DEPUTY"),
        ("ACCEPTED", "CONGRESS_STAFF"),
        ("FORWARDED", "CONGRESS_STAFF"),
        ("ANSWERED", "UNIT_STAFF"),
    ];
    assert_eq!(steps, expect.map(|(k, r)| (k.to_owned(), r.to_owned())));
    assert_eq!(answered["timeline"][3]["note"], "已纳入今年加装计划");
    assert_eq!(
        inbox_kinds(&app, &a.deputy, &id).await,
        ["DUTY_REPORT_ANSWERED", "DUTY_REPORT_FORWARDED", "DUTY_REPORT_ACCEPTED"]
    );
    assert!(inbox_kinds(&app, &a.unit_staff, &id).await.contains(&"DUTY_REPORT_FORWARDED".to_owned()));
    assert!(inbox_kinds(&app, &a.staff, &id).await.contains(&"DUTY_REPORT_ANSWERED".to_owned()));
});

e2e!(staff_compile_or_decline_a_report_and_a_declined_one_does_not_count, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let compiled = submit(&app, &a.deputy, "关于学校周边交通拥堵").await;
    let declined = submit(&app, &a.deputy, "重复反映的问题").await;
    ok(&app, &a.staff, &step_op("acceptDeputyReport", ""), json!({ "id": compiled })).await;
    let compile = step_op("compileDeputyReport", ", $note: String!");
    // Only from ACCEPTED: a submitted report is not compiled.
    app.gql(&compile, json!({ "id": declined, "note": "专报" }), Some(&a.staff))
        .await
        .assert_code("CONFLICT");
    app.gql(&compile, json!({ "id": compiled, "note": "" }), Some(&a.staff))
        .await
        .assert_code("BAD_USER_INPUT");
    let done =
        ok(&app, &a.staff, &compile, json!({ "id": compiled, "note": "编入《社情民意专报》第3期" })).await;
    assert_eq!(
        (&done["state"], &done["compiledNote"]),
        (&json!("COMPILED"), &json!("编入《社情民意专报》第3期"))
    );
    let decline = step_op("declineDeputyReport", ", $reason: String!");
    app.gql(&decline, json!({ "id": compiled, "reason": "晚了" }), Some(&a.staff))
        .await
        .assert_code("CONFLICT");
    let no =
        ok(&app, &a.staff, &decline, json!({ "id": declined, "reason": "此前已有代表反映并已办理" })).await;
    assert_eq!(
        (&no["state"], &no["declineReason"]),
        (&json!("DECLINED"), &json!("此前已有代表反映并已办理"))
    );
    assert!(inbox_kinds(&app, &a.deputy, &compiled).await.contains(&"DUTY_REPORT_COMPILED".to_owned()));
    assert_eq!(inbox_kinds(&app, &a.deputy, &declined).await, ["DUTY_REPORT_DECLINED"]);
    let declined_list = ok(&app, &a.deputy, LIST, json!({ "s": "DECLINED" })).await;
    assert_eq!(ids(&declined_list), std::slice::from_ref(&declined));

    // The archive: both show, only the compiled one counts (as DEPUTY_REPORT_SUBMITTED).
    let archive = ok(
        &app,
        &a.deputy,
        "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) { deputyReports { kind title sourceId sourceType } } }",
        json!({ "d": a.deputy_id, "y": this_year() }),
    )
    .await;
    let mut items: Vec<(Value, Value, Value)> = archive["deputyReports"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| (i["sourceId"].clone(), i["kind"].clone(), i["sourceType"].clone()))
        .collect();
    items.sort_by_key(|i| i.0.to_string());
    let mut expect = vec![
        (json!(compiled), json!("DEPUTY_REPORT_SUBMITTED"), json!("DeputyReport")),
        (json!(declined), Value::Null, json!("DeputyReport")),
    ];
    expect.sort_by_key(|i| i.0.to_string());
    assert_eq!(items, expect);
});

e2e!(only_the_deputy_the_staff_and_the_unit_forwarded_to_see_a_report, |app| {
    let w: World = world::build(&app).await;
    let a = &w.a;
    let id = submit(&app, &a.deputy, "只给该看的人看").await;
    let accept = step_op("acceptDeputyReport", "");
    // Those who see it: the deputy and A's staff (and the admin).
    for token in [&a.deputy, &a.staff, &w.admin] {
        assert_eq!(ok(&app, token, NODE, json!({ "id": id })).await["state"], "SUBMITTED");
    }
    // Nobody else: another deputy of A, A's unit (not forwarded) and station, B's people, a citizen.
    let outsiders =
        [&w.a_deputy2, &a.unit_staff, &a.station_staff, &w.b.staff, &w.b.deputy, &w.b.unit_staff, &w.citizen];
    for token in outsiders {
        assert_eq!(ok(&app, token, NODE, json!({ "id": id })).await, Value::Null);
        app.gql(&accept, json!({ "id": id }), Some(token)).await.assert_code("NOT_FOUND");
    }
    for token in [&w.a_deputy2, &w.b.staff, &w.b.deputy, &a.unit_staff] {
        assert!(!ids(&ok(&app, token, LIST, json!({})).await).contains(&id), "listed to an outsider");
    }
    // B's staff cannot list A's congress; citizens and station workers have no list; anonymous: log in.
    app.gql(LIST, json!({ "c": a.congress }), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
    assert_eq!(ok(&app, &w.admin, LIST, json!({ "c": a.congress })).await["nodes"][0]["id"], json!(id));
    for token in [&w.citizen, &a.station_staff] {
        app.gql(LIST, json!({}), Some(token)).await.assert_code("FORBIDDEN");
    }
    app.gql(LIST, json!({}), None).await.assert_code("UNAUTHENTICATED");
    // The deputy sees it but does not handle it; staff do not write reports.
    app.gql(&accept, json!({ "id": id }), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    for token in [&a.staff, &a.unit_staff, &w.citizen] {
        app.gql(SUBMIT, json!({ "i": input("不是代表") }), Some(token)).await.assert_code("FORBIDDEN");
    }
    app.gql(SUBMIT, json!({ "i": input("匿名") }), None).await.assert_code("UNAUTHENTICATED");
    let mut with_station = input("不是代表");
    with_station["stationId"] = json!(w.b.station_id);
    app.gql(SUBMIT, json!({ "i": with_station }), Some(&a.staff)).await.assert_code("FORBIDDEN");
    // A deputy of B cannot name A's station.
    let mut i = input("别处的联络站");
    i["stationId"] = json!(a.station_id);
    app.gql(SUBMIT, json!({ "i": i }), Some(&w.b.deputy)).await.assert_code("BAD_USER_INPUT");
    // B's deputy's report is B's staff's, not A's.
    let b_report = submit(&app, &w.b.deputy, "乙方代表的社情民意").await;
    app.gql(&accept, json!({ "id": b_report }), Some(&a.staff)).await.assert_code("NOT_FOUND");
    assert_eq!(ok(&app, &w.b.staff, &accept, json!({ "id": b_report })).await["state"], "ACCEPTED");
});

e2e!(concurrent_steps_on_a_report_have_one_winner, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let id = submit(&app, &a.deputy, "同时处理").await;
    let accept = step_op("acceptDeputyReport", "");
    let one_winner = |first: &edaibiao_tests::Gql, second: &edaibiao_tests::Gql| {
        let results = [first, second];
        assert_eq!(
            results.iter().filter(|r| r.body.get("errors").is_none()).count(),
            1,
            "{first:?} / {second:?}"
        );
        for lost in results.iter().filter(|r| r.body.get("errors").is_some()) {
            lost.assert_code("CONFLICT");
        }
    };
    // Two staff accept at once (no retry key): one acceptance.
    let (first, second) = futures_util::join!(
        app.gql(&accept, json!({ "id": id }), Some(&a.staff)),
        app.gql(&accept, json!({ "id": id }), Some(&w.admin)),
    );
    one_winner(&first, &second);
    // Forwarding and compiling exclude each other: one wins.
    let forward = step_op("forwardDeputyReport", ", $unitId: ID!");
    let compile = step_op("compileDeputyReport", ", $note: String!");
    let (first, second) = futures_util::join!(
        app.gql(&forward, json!({ "id": id, "unitId": a.unit_id }), Some(&a.staff)),
        app.gql(&compile, json!({ "id": id, "note": "专报" }), Some(&w.admin)),
    );
    one_winner(&first, &second);
    let report = ok(&app, &a.deputy, NODE, json!({ "id": id })).await;
    assert!(report["state"] == "FORWARDED" || report["state"] == "COMPILED", "{report}");
    let timeline = ok(
        &app,
        &a.staff,
        "query($id: ID!) { r: node(id: $id) { ... on DeputyReport { timeline { kind } } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(timeline["timeline"].as_array().map(Vec::len), Some(3), "one step each: {timeline}");

    // Hostile input is BAD_USER_INPUT, never INTERNAL.
    let mut long = input("长");
    long["content"] = json!("字".repeat(5001));
    app.gql(SUBMIT, json!({ "i": long }), Some(&a.deputy)).await.assert_code("BAD_USER_INPUT");
    let mut blank = input(" ");
    blank["title"] = json!("  ");
    app.gql(SUBMIT, json!({ "i": blank }), Some(&a.deputy)).await.assert_code("BAD_USER_INPUT");
    let mut bad_station = input("站点");
    bad_station["stationId"] = json!("not-an-id");
    app.gql(SUBMIT, json!({ "i": bad_station }), Some(&a.deputy)).await.assert_code("BAD_USER_INPUT");
    app.gql(SUBMIT, json!({ "i": input("短键"), "k": "short" }), Some(&a.deputy))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(&accept, json!({ "id": a.deputy_id }), Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    app.gql("{ deputyReports(first: 101) { totalCount } }", json!({}), Some(&a.staff))
        .await
        .assert_code("BAD_USER_INPUT");
});
