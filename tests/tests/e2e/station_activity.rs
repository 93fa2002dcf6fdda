//! The station activity table (联络站活跃度) and the activity trail export (代表活动轨迹) end to end: what a
//! reception day, a record, a matter and an opinion add to their station's month, a station with nothing
//! flagged, the download matching the query, and who may read either.

use edaibiao_tests::{Cast, Gql, TestApp, e2e, str_of};
use serde_json::{Value, json};

const ROW: &str = "stationId label month scheduledDays cancelledDays heldDays heldRate records visitors \
    matters opinionsReceived opinionsAccepted meanHoursToAcceptance inactive";

fn table_query() -> String {
    format!(
        "query($c: ID!, $y: Int!, $m: Int) {{ s: stationActivity(congressId: $c, year: $y, month: $m) {{ \
         year months inactiveCount rows {{ {ROW} }} total {{ {ROW} }} }} }}"
    )
}

async fn table(app: &TestApp, c: &Cast, token: &str, year: i32, month: Option<u32>) -> Gql {
    app.gql(&table_query(), json!({ "c": c.congress, "y": year, "m": month }), Some(token)).await
}

/// The row of `station` for `month` (`YYYY-MM`).
fn row<'a>(t: &'a Value, station: &str, month: &str) -> &'a Value {
    t["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["stationId"] == station && r["month"] == month))
        .unwrap_or_else(|| panic!("no row for {station} in {month}: {t}"))
}

fn n(v: &Value, field: &str) -> u64 {
    v[field].as_u64().unwrap_or_else(|| panic!("{field} is not a count: {v}"))
}

/// The current CST year, month number and `YYYY-MM`.
fn this_month() -> (i32, u32, String) {
    let cst = chrono::Utc::now() + chrono::Duration::hours(8);
    let label = cst.format("%Y-%m").to_string();
    let (year, month) = (cst.format("%Y").to_string(), cst.format("%m").to_string());
    (year.parse().unwrap_or(2026), month.parse().unwrap_or(1), label)
}

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    app.gql(query, vars, Some(token)).await.data().clone()
}

const SCHEDULE: &str =
    "mutation($i: ScheduleReceptionDayInput!) { r: scheduleReceptionDay(input: $i) { id } }";
const RECORD: &str = "mutation($i: RecordReceptionInput!) { r: recordReception(input: $i) { id } }";

/// A reception day at `station` from `from` to `to` minutes from now; returns its ID.
async fn schedule(app: &TestApp, c: &Cast, station: &str, from: i64, to: i64) -> String {
    let now = chrono::Utc::now();
    let at = |m: i64| (now + chrono::Duration::minutes(m)).to_rfc3339();
    let input =
        json!({ "stationId": station, "startsAt": at(from), "endsAt": at(to), "deputyIds": [c.zhang_id] });
    str_of(&ok(app, &c.staff, SCHEDULE, json!({ "i": input })).await["r"]["id"]).to_owned()
}

e2e!(station_activity_counts_each_months_work_and_flags_idle_stations, |app| {
    let c = Cast::of(&app).await;
    let (year, month, label) = this_month();
    let before = table(&app, &c, &c.staff, year, None).await.data()["s"].clone();
    assert_eq!(before["year"], year);
    assert_eq!(before["months"].as_array().map(Vec::len), Some(month as usize), "every month begun");
    let east_before = row(&before, &c.east, &label).clone();

    // A day held (it has a record), a day cancelled, a record without a day; one matter becomes an opinion
    // (accepted at once by whoever recorded it), and a citizen's opinion to the station is accepted later.
    let held = schedule(&app, &c, &c.east, 10, 70).await;
    let cancelled = schedule(&app, &c, &c.east, 100, 160).await;
    ok(
        &app,
        &c.staff,
        "mutation($id: ID!) { cancelReceptionDay(id: $id) { id } }",
        json!({ "id": cancelled }),
    )
    .await;
    let now = chrono::Utc::now().to_rfc3339();
    let on_the_day = json!({ "stationId": c.east, "receptionDayId": held, "receivedAt": now, "visitors": 3,
        "matters": [
            { "category": "TRANSPORT", "content": "路口红绿灯时间太短", "makeOpinion": true },
            { "category": "OTHER", "content": "咨询医保报销，已当场解答" },
        ] });
    ok(&app, &c.station, RECORD, json!({ "i": on_the_day })).await;
    let walk_in = json!({ "stationId": c.east, "receivedAt": now, "visitors": 1 });
    ok(&app, &c.station, RECORD, json!({ "i": walk_in })).await;
    let submit =
        "mutation($i: SubmitOpinionInput!) { s: submitOpinion(input: $i) { opinion { trackingCode } } }";
    let form = json!({ "stationId": c.east, "category": "TRANSPORT", "content": "公交站台没有遮雨棚" });
    let code =
        str_of(&ok(&app, &c.citizen, submit, json!({ "i": form })).await["s"]["opinion"]["trackingCode"])
            .to_owned();
    let list = ok(&app, &c.staff, "{ opinions(first: 100) { nodes { id trackingCode } } }", json!({})).await;
    let id = list["opinions"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|o| o["trackingCode"] == code.as_str()))
        .map(|o| str_of(&o["id"]).to_owned())
        .unwrap_or_else(|| panic!("no opinion {code}: {list}"));
    ok(&app, &c.station, "mutation($id: ID!) { acceptOpinion(id: $id) { id } }", json!({ "id": id })).await;

    // A station opened today has done nothing yet: every month of it is flagged.
    let idle = ok(
        &app,
        &c.staff,
        "mutation($c: ID!, $i: LiaisonStationInput!) { s: createLiaisonStation(congressId: $c, input: $i) { id } }",
        json!({ "c": c.congress, "i": { "name": "南湖社区联系点", "kind": "CONTACT_POINT", "address": "南湖路1号" } }),
    )
    .await;
    let idle = str_of(&idle["s"]["id"]).to_owned();

    let after = table(&app, &c, &c.staff, year, None).await.data()["s"].clone();
    let east = row(&after, &c.east, &label);
    let delta = |field: &str| n(east, field) - n(&east_before, field);
    assert_eq!(
        [
            delta("scheduledDays"),
            delta("cancelledDays"),
            delta("heldDays"),
            delta("records"),
            delta("visitors"),
            delta("matters"),
            delta("opinionsReceived"),
            delta("opinionsAccepted"),
        ],
        [2, 1, 1, 2, 4, 2, 2, 2],
        "{east}"
    );
    assert_eq!(east["inactive"], false);
    let hours = east["meanHoursToAcceptance"].as_f64().expect("accepted opinions have a mean");
    assert!((0.0..1.0).contains(&hours) || n(&east_before, "opinionsAccepted") > 0, "{hours}");
    let kept = n(east, "scheduledDays") - n(east, "cancelledDays");
    assert_eq!(east["heldRate"].as_f64(), Some(n(east, "heldDays") as f64 / kept as f64));

    let fresh = row(&after, &idle, &label);
    assert_eq!(fresh["label"], "南湖社区联系点");
    assert_eq!(
        (fresh["inactive"].as_bool(), n(fresh, "scheduledDays"), fresh["heldRate"].clone()),
        (Some(true), 0, Value::Null)
    );
    assert_eq!(
        n(&after, "inactiveCount"),
        n(&before, "inactiveCount") + u64::from(month) - u64::from(east_before["inactive"] == true),
        "the new station's months are flagged, east's is not any more"
    );
    let sum = |t: &Value, field: &str| -> u64 {
        t["rows"].as_array().into_iter().flatten().map(|r| n(r, field)).sum()
    };
    for field in ["scheduledDays", "heldDays", "visitors", "matters", "opinionsReceived", "opinionsAccepted"]
    {
        assert_eq!(n(&after["total"], field), sum(&after, field), "total of {field}");
    }
    assert!(after["total"]["stationId"].is_null() && after["total"]["month"].is_null());

    // One month alone; months that do not exist or have not begun are refused.
    let only = table(&app, &c, &c.staff, year, Some(month)).await.data()["s"].clone();
    assert_eq!(only["months"], json!([label]));
    assert_eq!(row(&only, &c.east, &label), east);
    table(&app, &c, &c.staff, year, Some(13)).await.assert_code("BAD_USER_INPUT");
    table(&app, &c, &c.staff, year + 1, Some(1)).await.assert_code("BAD_USER_INPUT");

    // The export is the query's table, row for row, with the total last.
    let path = format!("/exports/station-activity.csv?congressId={}&year={year}&month={month}", c.congress);
    let (status, body) = download(&app, &path, Some(&c.staff)).await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(body).expect("UTF-8");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("联络站,月份,计划接待日,取消,已开展,开展率"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + only["rows"].as_array().map_or(0, Vec::len) + 1);
    let east_line = lines.iter().find(|l| l.ends_with(c.east.as_str())).expect("east's row");
    let cells: Vec<&str> = east_line.split(',').collect();
    assert_eq!(cells[1], label);
    assert_eq!(cells[4].parse::<u64>().ok(), Some(n(east, "heldDays")));
    assert_eq!(cells[7].parse::<u64>().ok(), Some(n(east, "visitors")));
    assert!(lines.last().is_some_and(|l| l.starts_with("合计,")));

    // Staff of the congress only.
    for token in [&c.unit, &c.zhang, &c.station, &c.citizen] {
        table(&app, &c, token, year, None).await.assert_code("FORBIDDEN");
        assert_eq!(download(&app, &path, Some(token)).await.0, 403);
    }
    assert_eq!(download(&app, &path, None).await.0, 401);
});

e2e!(a_deputys_trail_downloads_as_the_query_reads_it, |app| {
    let c = Cast::of(&app).await;
    let (year, _, _) = this_month();
    // Something on the trail today: a speech recorded.
    let speech = json!({ "title": "关于城市更新的大会发言", "note": "建议加快老旧小区改造", "happenedOn": (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string() });
    ok(
        &app,
        &c.staff,
        "mutation($d: ID!, $i: DutyEntryInput!) { recordSessionSpeech(deputyId: $d, input: $i) { id } }",
        json!({ "d": c.zhang_id, "i": speech }),
    )
    .await;
    let trail = ok(
        &app,
        &c.zhang,
        "query($d: ID!, $y: Int!) { dutyTrail(deputyId: $d, year: $y, first: 100) { totalCount \
         nodes { date title } } }",
        json!({ "d": c.zhang_id, "y": year }),
    )
    .await;
    let nodes = trail["dutyTrail"]["nodes"].as_array().cloned().unwrap_or_default();
    assert!(nodes.iter().any(|e| e["title"] == "关于城市更新的大会发言"), "{trail}");

    let path = format!("/exports/duty-trail.csv?deputyId={}&year={year}", c.zhang_id);
    for token in [&c.zhang, &c.staff] {
        let (status, body) = download(&app, &path, Some(token)).await;
        assert_eq!(status, 200);
        let csv = String::from_utf8(body).expect("UTF-8");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "日期,栏目,事项,计分类别,出勤,状态,来源ID");
        assert_eq!(lines.len() as u64 - 1, trail["dutyTrail"]["totalCount"].as_u64().unwrap_or(0));
        // Same events, same order.
        for (line, node) in lines[1..].iter().zip(&nodes) {
            assert!(line.starts_with(&format!("{},", str_of(&node["date"]))), "{line} vs {node}");
            assert!(line.contains(str_of(&node["title"])), "{line} vs {node}");
        }
        let speech_line = lines.iter().find(|l| l.contains("关于城市更新的大会发言")).expect("the speech");
        assert!(
            speech_line.contains(",大会发言,") && speech_line.contains("SESSION_SPEECH"),
            "{speech_line}"
        );
    }
    // Nobody else's: another deputy, a unit; and the period is checked.
    for token in [&c.li, &c.unit] {
        assert_eq!(download(&app, &path, Some(token)).await.0, 403);
    }
    assert_eq!(download(&app, &format!("{path}&from={}-02-30", year), Some(&c.zhang)).await.0, 400);
    assert_eq!(download(&app, &format!("{path}&from={}-01-01", year - 1), Some(&c.zhang)).await.0, 400);
});

/// A GET of an export: the status and the body.
async fn download(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap_or_else(|e| panic!("GET {path} failed: {e}"));
    let status = response.status().as_u16();
    let body = response.body().limit(16 * 1024 * 1024).await.expect("no body").to_vec();
    (status, body)
}
