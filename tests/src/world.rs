//! A world of two congresses for authorisation tests: the demo congress ("A") with its people, and a
//! second congress ("B") built through the API with its own staff, unit, station and deputy, so a test can
//! ask "may B's staff touch A's unit?" for every kind of id.

use crate::time::{rfc3339, unix_now};
use crate::{TestApp, demo, id_in};
use serde_json::{Value, json};

/// Password of the accounts the world creates.
pub const PASSWORD: &str = "secret123";

/// One congress's people and places: global IDs, and access tokens of its accounts.
#[derive(Debug, Clone)]
pub struct Side {
    pub congress: String,
    pub staff: String,
    /// A deputy with a login, and their profile.
    pub deputy: String,
    pub deputy_id: String,
    /// Staff of `unit_id`.
    pub unit_staff: String,
    pub unit_id: String,
    /// A worker of `station_id`.
    pub station_staff: String,
    pub station_id: String,
    pub deputy_group_id: String,
    pub committee_id: String,
}

/// Both congresses, the admin and a citizen.
#[derive(Debug, Clone)]
pub struct World {
    pub admin: String,
    pub citizen: String,
    /// The demo congress: 张明 is `a.deputy`, 市交通运输局 `a.unit_id`, 东城街道联络站 `a.station_id`.
    pub a: Side,
    /// 李华, a second deputy of A (an "unrelated" deputy for 张明's suggestions), and their profile.
    pub a_deputy2: String,
    pub a_deputy2_id: String,
    /// Staff of 市教育局, a second unit of A.
    pub a_unit2_staff: String,
    pub a_unit2_id: String,
    /// The second congress, built by the admin.
    pub b: Side,
}

/// Runs `query` as `token`, asserting success; returns `data`.
pub async fn ok(app: &TestApp, token: Option<&str>, query: &str, vars: Value) -> Value {
    let res = app.gql(query, vars, token).await;
    assert!(res.body.get("errors").is_none(), "{query} failed: {}", res.body);
    res.body["data"].clone()
}

fn str_at(v: &Value, path: &[&str]) -> String {
    let mut at = v;
    for key in path {
        at = &at[*key];
    }
    at.as_str().unwrap_or_else(|| panic!("no {path:?} in {v}")).to_owned()
}

pub const CREATE_ACCOUNT: &str = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }";

/// Creates an account as `by` and logs it in; returns its access token.
pub async fn account(app: &TestApp, by: &str, phone: &str, role: &str, link: (&str, &str)) -> String {
    let mut input =
        json!({ "phone": phone, "name": format!("{role} {phone}"), "password": PASSWORD, "role": role });
    input[link.0] = json!(link.1);
    ok(app, Some(by), CREATE_ACCOUNT, json!({ "i": input })).await;
    app.login_with(phone, PASSWORD).await.access
}

/// Builds congress B through the API and logs everyone in.
pub async fn build(app: &TestApp) -> World {
    let admin = app.login(demo::ADMIN).await.access;
    let names = ok(
        app,
        None,
        "{ handlingUnits(first: 100) { nodes { id name } } deputies(first: 100) { nodes { id name } }
           liaisonStations(first: 100) { nodes { id name } } deputyGroups(first: 100) { nodes { id name } }
           committees(first: 100) { nodes { id name } } congresses(first: 10) { nodes { id name } } }",
        json!({}),
    )
    .await;
    let a = Side {
        congress: id_in(&names, "congresses", "示例市第十七届人民代表大会"),
        staff: app.login(demo::STAFF).await.access,
        deputy: app.login(demo::DEPUTY).await.access,
        deputy_id: id_in(&names, "deputies", "张明"),
        unit_staff: app.login(demo::UNIT_STAFF).await.access,
        unit_id: id_in(&names, "handlingUnits", "市交通运输局"),
        station_staff: app.login(demo::STATION_STAFF).await.access,
        station_id: id_in(&names, "liaisonStations", "东城街道人大代表联络站"),
        deputy_group_id: id_in(&names, "deputyGroups", "东城区代表团"),
        committee_id: id_in(&names, "committees", "城乡建设环境保护工作委员会"),
    };
    let a_unit2_id = id_in(&names, "handlingUnits", "市教育局");
    let a_unit2_staff = account(app, &admin, "13700000101", "UNIT_STAFF", ("unitId", &a_unit2_id)).await;

    let congress = ok(
        app,
        Some(&admin),
        "mutation($i: CongressInput!) { createCongress(input: $i) { id } }",
        json!({ "i": { "name": "乙市第九届人民代表大会", "level": "CITY", "region": "乙市", "term": 9 } }),
    )
    .await;
    let congress = str_at(&congress, &["createCongress", "id"]);
    let named = |field: &str, name: &str| {
        (
            format!("mutation($c: ID!, $i: NamedInput!) {{ {field}(congressId: $c, input: $i) {{ id }} }}"),
            json!({ "c": congress, "i": { "name": name } }),
        )
    };
    let mut made = Vec::new();
    for (field, name) in [
        ("createHandlingUnit", "乙市交通局"),
        ("createDeputyGroup", "乙区代表团"),
        ("createCommittee", "乙市城建委"),
    ] {
        let (query, vars) = named(field, name);
        made.push(str_at(&ok(app, Some(&admin), &query, vars).await, &[field, "id"]));
    }
    let station = ok(
        app,
        Some(&admin),
        "mutation($c: ID!, $i: LiaisonStationInput!) { createLiaisonStation(congressId: $c, input: $i) { id } }",
        json!({ "c": congress, "i": { "name": "乙市联络站", "kind": "STATION", "address": "乙市一路1号" } }),
    )
    .await;
    let station_id = str_at(&station, &["createLiaisonStation", "id"]);
    let deputy = ok(
        app,
        Some(&admin),
        "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id } }",
        json!({ "c": congress, "i": { "name": "乙代表", "gender": "MALE", "occupation": "OTHER",
            "phone": "13700000201", "liaisonStationId": station_id, "deputyGroupId": made[1] } }),
    )
    .await;
    let deputy_id = str_at(&deputy, &["createDeputy", "id"]);
    let b = Side {
        staff: account(app, &admin, "13700000200", "CONGRESS_STAFF", ("congressId", &congress)).await,
        deputy: account(app, &admin, "13700000201", "DEPUTY", ("deputyId", &deputy_id)).await,
        deputy_id,
        unit_staff: account(app, &admin, "13700000202", "UNIT_STAFF", ("unitId", &made[0])).await,
        unit_id: made[0].clone(),
        station_staff: account(app, &admin, "13700000203", "STATION_STAFF", ("stationId", &station_id)).await,
        station_id,
        deputy_group_id: made[1].clone(),
        committee_id: made[2].clone(),
        congress,
    };
    World {
        citizen: app.login(demo::CITIZEN).await.access,
        a_deputy2: app.login(demo::DEPUTY2).await.access,
        a_deputy2_id: id_in(&names, "deputies", "李华"),
        a_unit2_staff,
        a_unit2_id,
        admin,
        a,
        b,
    }
}

const SUGGESTION_STEP: &str = "id state";

/// Runs one suggestion mutation `op(id:, …vars)` as `token`, asserting success.
pub async fn step(app: &TestApp, token: &str, op: &str, args: &str, vars: Value) {
    let query =
        format!("mutation($id: ID!{args}) {{ s: {op}(id: $id{}) {{ {SUGGESTION_STEP} }} }}", pass(args));
    ok(app, Some(token), &query, vars).await;
}

/// `, $x: T, $y: U` → `, x: $x, y: $y`.
fn pass(args: &str) -> String {
    args.split(", $")
        .filter_map(|a| a.split(':').next())
        .map(|name| name.trim_start_matches(", ").trim_start_matches('$'))
        .filter(|name| !name.is_empty())
        .map(|name| format!(", {name}: ${name}"))
        .collect()
}

impl World {
    /// A suggestion of 张明 (A), submitted: PROPOSED. Returns its ID.
    pub async fn proposed(&self, app: &TestApp, title: &str) -> String {
        let draft = json!({ "title": title, "content": format!("关于{title}的建议"), "category": "交通",
            "sessionNumber": 1 });
        let created = ok(
            app,
            Some(&self.a.deputy),
            "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
            json!({ "i": draft }),
        )
        .await;
        let id = str_at(&created, &["createSuggestion", "id"]);
        step(app, &self.a.deputy, "submitSuggestion", "", json!({ "id": id })).await;
        id
    }

    /// A suggestion of 张明 handled in PARALLEL by 市交通运输局 (answered in public) and 市教育局 (answered
    /// privately), both with a contact: ANSWERED.
    pub async fn parallel_answered(&self, app: &TestApp, title: &str) -> String {
        let id = self.proposed(app, title).await;
        let units = json!({ "mode": "PARALLEL", "units": [
            { "unitId": self.a.unit_id, "role": "LEAD" }, { "unitId": self.a_unit2_id, "role": "LEAD" } ] });
        step(
            app,
            &self.a.staff,
            "assignSuggestion",
            ", $input: AssignmentInput!",
            json!({ "id": id, "input": units }),
        )
        .await;
        for (unit, public, summary) in [
            (&self.a.unit_staff, true, "交通局电话沟通要点"),
            (&self.a_unit2_staff, false, "教育局上门沟通要点"),
        ] {
            step(app, unit, "acceptSuggestion", "", json!({ "id": id })).await;
            let contact =
                json!({ "method": "PHONE", "contactedAt": rfc3339(unix_now() + 2), "summary": summary });
            step(
                app,
                unit,
                "recordContact",
                ", $input: ContactInput!",
                json!({ "id": id, "input": contact }),
            )
            .await;
            let answer = json!({ "content": if public { "公开答复内容" } else { "内部答复内容" },
                "answerClass": "SOLVED", "signedBy": "局长", "public": public });
            step(
                app,
                unit,
                "answerSuggestion",
                ", $input: AnswerInput!",
                json!({ "id": id, "input": answer }),
            )
            .await;
        }
        id
    }
}
