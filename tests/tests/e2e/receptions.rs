//! Reception days (接待日): who may schedule, change and cancel them, what input is refused, how a
//! station lists its upcoming ones and pages through its schedule, and that the deputies' public cards
//! show the next ones.

use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use serde_json::{Value, json};

const EAST_STATION: &str = "东城街道人大代表联络站";

const DAY_FIELDS: &str =
    "id startsAt endsAt note status cancelledAt station { name } deputiesOnDuty { name }";

fn schedule_op() -> String {
    format!(
        "mutation($i: ScheduleReceptionDayInput!) {{ r: scheduleReceptionDay(input: $i) {{ {DAY_FIELDS} }} }}"
    )
}

fn update_op() -> String {
    format!(
        "mutation($id: ID!, $i: ReceptionDayInput!) {{ r: updateReceptionDay(id: $id, input: $i) {{ {DAY_FIELDS} }} }}"
    )
}

fn cancel_op() -> String {
    format!("mutation($id: ID!) {{ r: cancelReceptionDay(id: $id) {{ {DAY_FIELDS} }} }}")
}

fn names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        list.as_array().into_iter().flatten().map(|d| str_of(&d["name"]).to_owned()).collect();
    names.sort();
    names
}

/// A moment `hours` from now, as RFC 3339.
fn at(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// A reception day's fields from `from` to `to` hours from now (both from one reading of the clock).
fn fields(from: i64, to: i64, deputies: &[&str]) -> Value {
    let now = chrono::Utc::now();
    let hours = |h: i64| (now + chrono::Duration::hours(h)).to_rfc3339();
    json!({ "startsAt": hours(from), "endsAt": hours(to), "deputyIds": deputies, "note": "请携带相关材料" })
}

fn schedule_input(station: &str, from: i64, to: i64, deputies: &[&str]) -> Value {
    let mut input = fields(from, to, deputies);
    input["stationId"] = json!(station);
    input
}

async fn schedule(app: &TestApp, token: Option<&str>, input: Value) -> Gql {
    app.gql(&schedule_op(), json!({ "i": input }), token).await
}

/// Schedules, which must succeed; returns the reception day.
async fn scheduled(app: &TestApp, token: &str, input: Value) -> Value {
    schedule(app, Some(token), input).await.data()["r"].clone()
}

#[track_caller]
fn assert_bad_input(res: &Gql, field: &str) {
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "response: {}", res.body);
}

e2e!(who_may_schedule_change_and_cancel, |app| {
    let c = Cast::of(&app).await;
    let input = schedule_input(&c.east, 48, 51, &[&c.zhang_id, &c.li_id]);

    // The station's own worker, the congress's staff and admins schedule.
    let day = scheduled(&app, &c.station, input.clone()).await;
    assert_eq!(day["status"], "SCHEDULED");
    assert_eq!(day["station"]["name"], EAST_STATION);
    assert_eq!(names(&day["deputiesOnDuty"]), ["张明", "李华"]);
    assert_eq!(day["note"], "请携带相关材料");
    assert_eq!(day["cancelledAt"], Value::Null);
    scheduled(&app, &c.staff, schedule_input(&c.east, 60, 62, &[&c.wang_id])).await;
    scheduled(&app, &c.admin, schedule_input(&c.west, 72, 74, &[&c.wang_id])).await;

    // Nobody else; a station worker not at another station either.
    for (who, token) in [("deputy", &c.zhang), ("citizen", &c.citizen), ("unit staff", &c.unit)] {
        let res = schedule(&app, Some(token), schedule_input(&c.east, 80, 82, &[&c.wang_id])).await;
        assert_eq!(res.code(), "FORBIDDEN", "{who}: {}", res.body);
    }
    schedule(&app, Some(&c.station), schedule_input(&c.west, 80, 82, &[&c.wang_id]))
        .await
        .assert_code("FORBIDDEN");
    schedule(&app, None, schedule_input(&c.east, 80, 82, &[&c.wang_id])).await.assert_code("UNAUTHENTICATED");

    // Changing and cancelling: the same people.
    let id = str_of(&day["id"]).to_owned();
    for token in [&c.zhang, &c.citizen, &c.unit] {
        let res = app
            .gql(&update_op(), json!({ "id": id, "i": fields(49, 52, &[&c.zhang_id]) }), Some(token))
            .await;
        res.assert_code("FORBIDDEN");
        app.gql(&cancel_op(), json!({ "id": id }), Some(token)).await.assert_code("FORBIDDEN");
    }
    let mut changed = fields(49, 52, &[&c.zhang_id]);
    changed["note"] = json!("改在二楼会议室");
    let res = app.gql(&update_op(), json!({ "id": id, "i": changed }), Some(&c.station)).await;
    let updated = &res.data()["r"];
    assert_eq!(names(&updated["deputiesOnDuty"]), ["张明"]);
    assert_eq!(updated["note"], "改在二楼会议室");
    let res = app
        .gql(&update_op(), json!({ "id": id, "i": fields(49, 52, &[&c.zhang_id, &c.li_id]) }), Some(&c.staff))
        .await;
    assert_eq!(names(&res.data()["r"]["deputiesOnDuty"]), ["张明", "李华"]);

    let res = app.gql(&cancel_op(), json!({ "id": id }), Some(&c.station)).await;
    assert_eq!(res.data()["r"]["status"], "CANCELLED");
    assert!(res.data()["r"]["cancelledAt"].is_string());
    app.gql(&cancel_op(), json!({ "id": id }), Some(&c.staff)).await.assert_code("CONFLICT");
    app.gql(&update_op(), json!({ "id": id, "i": fields(49, 52, &[&c.zhang_id]) }), Some(&c.staff))
        .await
        .assert_code("CONFLICT");

    // Unknown reception days and stations.
    let unknown_day = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("ReceptionDay:{}", uuid::Uuid::now_v7()))
    };
    app.gql(&cancel_op(), json!({ "id": unknown_day }), Some(&c.admin)).await.assert_code("NOT_FOUND");
    let unknown_station = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("LiaisonStation:{}", uuid::Uuid::now_v7()))
    };
    schedule(&app, Some(&c.admin), schedule_input(&unknown_station, 80, 82, &[&c.wang_id]))
        .await
        .assert_code("NOT_FOUND");
});

e2e!(reception_day_input_is_checked, |app| {
    let c = Cast::of(&app).await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut input = schedule_input(&c.east, 24, 27, &[&c.zhang_id]);
        change(&mut input);
        input
    };
    let cases: Vec<(&str, Value)> = vec![
        ("endsAt", with(&|i| i["endsAt"] = json!(at(23)))),
        ("endsAt", with(&|i| i["endsAt"] = i["startsAt"].clone())),
        ("endsAt", with(&|i| i["endsAt"] = json!(at(37)))),
        (
            "startsAt",
            with(&|i| {
                i["startsAt"] = json!(at(-1));
                i["endsAt"] = json!(at(1));
            }),
        ),
        (
            "startsAt",
            with(&|i| {
                i["startsAt"] = json!(at(24 * 400));
                i["endsAt"] = json!(at(24 * 400 + 2));
            }),
        ),
        ("deputyIds", with(&|i| i["deputyIds"] = json!([]))),
        ("deputyIds", with(&|i| i["deputyIds"] = json!([c.east]))),
        (
            "deputyIds",
            with(&|i| {
                use base64::Engine;
                let ghost = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .encode(format!("Deputy:{}", uuid::Uuid::now_v7()));
                i["deputyIds"] = json!([ghost]);
            }),
        ),
        ("note", with(&|i| i["note"] = json!("字".repeat(501)))),
        ("stationId", with(&|i| i["stationId"] = json!(c.zhang_id))),
    ];
    for (field, input) in cases {
        let res = schedule(&app, Some(&c.staff), input.clone()).await;
        assert_bad_input(&res, field);
    }

    // A deputy of another congress.
    let county = app
        .gql(
            "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(&c.admin),
        )
        .await;
    let county = str_of(&county.data()["createCongress"]["id"]).to_owned();
    let outsider = app
        .gql(
            "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
            json!({ "c": county, "i": { "name": "县代表", "gender": "MALE", "occupation": "OTHER" } }),
            Some(&c.admin),
        )
        .await;
    let outsider = str_of(&outsider.data()["createDeputy"]["id"]).to_owned();
    let res =
        schedule(&app, Some(&c.admin), schedule_input(&c.east, 24, 27, &[&c.zhang_id, &outsider])).await;
    assert_bad_input(&res, "deputyIds");

    // Duplicates count once; twelve hours is the limit.
    let day = scheduled(&app, &c.staff, schedule_input(&c.east, 24, 36, &[&c.zhang_id, &c.zhang_id])).await;
    assert_eq!(names(&day["deputiesOnDuty"]), ["张明"]);

    // A deputy is on duty at one place at a time; a cancelled day frees them.
    let clash =
        schedule(&app, Some(&c.staff), schedule_input(&c.west, 30, 40, &[&c.li_id, &c.zhang_id])).await;
    clash.assert_code("CONFLICT");
    scheduled(&app, &c.staff, schedule_input(&c.west, 36, 40, &[&c.zhang_id])).await;
    let id = str_of(&day["id"]).to_owned();
    app.gql(&cancel_op(), json!({ "id": id }), Some(&c.staff)).await.data();
    scheduled(&app, &c.staff, schedule_input(&c.west, 30, 34, &[&c.li_id, &c.zhang_id])).await;
    // Nor by changing a day.
    let other = scheduled(&app, &c.staff, schedule_input(&c.east, 50, 52, &[&c.zhang_id])).await;
    let moved = app
        .gql(&update_op(), json!({ "id": other["id"], "i": fields(31, 33, &[&c.zhang_id]) }), Some(&c.staff))
        .await;
    moved.assert_code("CONFLICT");
    // A day may keep its own slot when it changes.
    let kept = app
        .gql(
            &update_op(),
            json!({ "id": other["id"], "i": fields(50, 52, &[&c.zhang_id, &c.wang_id]) }),
            Some(&c.staff),
        )
        .await;
    assert_eq!(names(&kept.data()["r"]["deputiesOnDuty"]), ["张明", "王芳"]);
});

/// The upcoming reception days on the public card of the deputy holding `qr_token`.
async fn card_days(app: &TestApp, qr_token: &str) -> Value {
    let res = app
        .gql(
            "query($t: String!) { deputyByQrToken(token: $t) { liaisonStation { upcomingReceptionDays {
                receptionDayId startsAt deputyNames note } } } }",
            json!({ "t": qr_token }),
            None,
        )
        .await;
    res.data()["deputyByQrToken"]["liaisonStation"]["upcomingReceptionDays"].clone()
}

fn ids_of(list: &Value, field: &str) -> Vec<String> {
    list.as_array().into_iter().flatten().map(|d| str_of(&d[field]).to_owned()).collect()
}

/// `LiaisonStation.upcomingReceptionDays(first)`, as IDs.
async fn upcoming(app: &TestApp, station: &str, first: Option<i64>) -> Vec<String> {
    let res = app
        .gql(
            "query($id: ID!, $n: Int) { liaisonStation(id: $id) {
                upcomingReceptionDays(first: $n) { id deputiesOnDuty { name } } } }",
            json!({ "id": station, "n": first }),
            None,
        )
        .await;
    ids_of(&res.data()["liaisonStation"]["upcomingReceptionDays"], "id")
}

/// A page of two of `receptionDays` of `station`.
async fn schedule_page(app: &TestApp, station: &str, after: Option<&str>, include_cancelled: bool) -> Value {
    let res = app
        .gql(
            "query($s: ID!, $after: String, $all: Boolean) {
                receptionDays(stationId: $s, first: 2, after: $after, includeCancelled: $all) {
                    totalCount pageInfo { hasNextPage endCursor } nodes { id status } } }",
            json!({ "s": station, "after": after, "all": include_cancelled }),
            None,
        )
        .await;
    res.data()["receptionDays"].clone()
}

e2e!(stations_list_their_schedule_and_cards_show_the_next_days, |app| {
    let c = Cast::of(&app).await;
    let token = c.zhang_qr(&app).await;
    assert_eq!(card_days(&app, &token).await, json!([]));

    // Four days at the station, scheduled out of order, and one at another station.
    let mut ids = Vec::new();
    for hours in [96, 24, 72, 48] {
        let day = scheduled(&app, &c.station, schedule_input(&c.east, hours, hours + 2, &[&c.li_id])).await;
        ids.push((hours, str_of(&day["id"]).to_owned()));
    }
    ids.sort();
    let in_order: Vec<String> = ids.iter().map(|(_, id)| id.clone()).collect();
    scheduled(&app, &c.staff, schedule_input(&c.west, 30, 32, &[&c.wang_id])).await;

    // The station's next ones, three by default.
    assert_eq!(upcoming(&app, &c.east, None).await, in_order[..3]);
    assert_eq!(upcoming(&app, &c.east, Some(10)).await, in_order);
    assert_eq!(upcoming(&app, &c.east, Some(1)).await, in_order[..1]);

    // The card lists the next three with the deputies on duty.
    let days = card_days(&app, &token).await;
    assert_eq!(ids_of(&days, "receptionDayId"), in_order[..3]);
    assert_eq!(days[0]["deputyNames"], json!(["李华"]));
    assert_eq!(days[0]["note"], "请携带相关材料");

    // The whole schedule, paged in the order the days take place.
    let first = schedule_page(&app, &c.east, None, false).await;
    assert_eq!(first["totalCount"], 4);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = schedule_page(&app, &c.east, first["pageInfo"]["endCursor"].as_str(), false).await;
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    let mut paged = ids_of(&first["nodes"], "id");
    paged.extend(ids_of(&second["nodes"], "id"));
    assert_eq!(paged, in_order);

    // A window of the schedule.
    let res = app
        .gql(
            "query($s: ID!, $from: DateTime, $to: DateTime) {
                receptionDays(stationId: $s, from: $from, to: $to) { totalCount nodes { id } } }",
            json!({ "s": c.east, "from": at(30), "to": at(80) }),
            None,
        )
        .await;
    assert_eq!(res.data()["receptionDays"]["totalCount"], 2);

    // Cancelling the first: gone from the card and the upcoming list at once, listed on request.
    app.gql(&cancel_op(), json!({ "id": in_order[0] }), Some(&c.staff)).await.data();
    assert_eq!(upcoming(&app, &c.east, None).await, in_order[1..4]);
    assert_eq!(ids_of(&card_days(&app, &token).await, "receptionDayId"), in_order[1..4]);
    assert_eq!(schedule_page(&app, &c.east, None, false).await["totalCount"], 3);
    let all = schedule_page(&app, &c.east, None, true).await;
    assert_eq!(all["totalCount"], 4);
    assert_eq!(all["nodes"][0]["status"], "CANCELLED");

    // A reception day is a node.
    let res = app
        .gql(
            "query($id: ID!) { node(id: $id) { id ... on ReceptionDay { station { name } status } } }",
            json!({ "id": in_order[1] }),
            None,
        )
        .await;
    assert_eq!(res.data()["node"]["station"]["name"], EAST_STATION);
    let res =
        app.gql("query($id: ID!) { receptionDay(id: $id) { id } }", json!({ "id": in_order[1] }), None).await;
    assert_eq!(res.data()["receptionDay"]["id"], in_order[1].as_str());
});
