//! The directory: congresses, deputies (the roster), liaison stations, handling units, deputy groups,
//! committees and professional groups. Who may change it, what input it refuses, how the roster filters
//! and pages, whose eyes the deputies' phone numbers are for, and finding stations nearby.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_tests::{Gql, TestApp, demo, e2e, str_of};
use serde_json::{Value, json};
use uuid::Uuid;

const CITY: &str = "示例市第十七届人民代表大会";
const EAST_STATION: &str = "东城街道人大代表联络站";
const WEST_HOME: &str = "西城区代表之家";
const EAST_GROUP: &str = "东城区代表团";
const WEST_GROUP: &str = "西城区代表团";
const COMMITTEE: &str = "城乡建设环境保护工作委员会";
const PRO_GROUP: &str = "城建环保专业小组";
const ALL_DEPUTIES: [&str; 5] = ["张明", "李华", "王芳", "赵强", "陈静"];

/// Phone and password of the staff account of the second congress some tests create.
const COUNTY_STAFF: &str = "13900000100";
const COUNTY_PASSWORD: &str = "county1234";

const DEPUTY_FIELDS: &str = "id name gender occupation industry expertise bio photoUrl phone updatedAt \
    congress { name } deputyGroup { name } professionalGroup { name } liaisonStation { name }";

async fn token(app: &TestApp, phone: &str) -> String {
    app.login(phone).await.access
}

/// Asserts a BAD_USER_INPUT error whose `extensions.field` is `field`.
#[track_caller]
fn assert_bad_input(res: &Gql, field: &str) {
    res.assert_code("BAD_USER_INPUT");
    assert_eq!(res.body["errors"][0]["extensions"]["field"], field, "response: {}", res.body);
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// The `name`s of a list of objects, sorted.
fn names_of(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|n| n["name"].as_str().unwrap_or_else(|| panic!("no name in {n}")).to_owned())
        .collect();
    names.sort();
    names
}

/// Expertise tags, sorted here (the order the server sorts in depends on the database's collation).
fn tags_of(tags: &Value) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .as_array()
        .unwrap_or_else(|| panic!("not a list of tags: {tags}"))
        .iter()
        .map(|t| str_of(t).to_owned())
        .collect();
    tags.sort();
    tags
}

/// The roster for `filter`: sorted names and `totalCount`.
async fn roster(app: &TestApp, filter: Value, token: Option<&str>) -> (Vec<String>, u64) {
    let res = app
        .gql(
            "query($f: DeputyFilter) { deputies(filter: $f, first: 100) { totalCount nodes { name } } }",
            json!({ "f": filter }),
            token,
        )
        .await;
    let deputies = &res.data()["deputies"];
    let total = deputies["totalCount"].as_u64().unwrap_or_else(|| panic!("no totalCount: {}", res.body));
    (names_of(&deputies["nodes"]), total)
}

/// Asserts that the roster for `filter` is exactly `expected`, on the page and in `totalCount`.
async fn assert_roster(app: &TestApp, filter: Value, expected: &[&str]) {
    let (names, total) = roster(app, filter.clone(), None).await;
    assert_eq!(names, sorted(expected), "filter {filter}");
    assert_eq!(total, expected.len() as u64, "totalCount for filter {filter}");
}

/// Everything the directory holds, as an admin sees it (phones included), for "nothing changed" checks.
async fn snapshot(app: &TestApp, admin: &str) -> Value {
    let res = app
        .gql(
            "{
                congresses(first: 20) { totalCount nodes { id name level region term } }
                deputies(first: 20) { totalCount nodes {
                    id name gender occupation industry expertise bio photoUrl phone updatedAt
                    deputyGroup { id } professionalGroup { id } liaisonStation { id }
                } }
                liaisonStations(first: 20) { totalCount nodes { id name kind address latitude longitude openingHours } }
                handlingUnits(first: 20) { totalCount nodes { id name description } }
                deputyGroups(first: 20) { totalCount nodes { id name description } }
                committees(first: 20) { totalCount nodes { id name description linkedDeputies { id } } }
                professionalGroups(first: 20) { totalCount nodes { id name committee { id } } }
            }",
            json!({}),
            Some(admin),
        )
        .await;
    res.data().clone()
}

fn deputy_input(name: &str) -> Value {
    json!({
        "name": name,
        "gender": "FEMALE",
        "occupation": "OTHER",
        "industry": "法律服务",
        "expertise": ["法律"],
        "phone": "13800000001",
    })
}

fn station_input(name: &str) -> Value {
    json!({
        "name": name,
        "kind": "CONTACT_POINT",
        "address": "示例市新区建设路1号",
        "latitude": 30.30,
        "longitude": 120.20,
        "openingHours": "周三 14:00-17:00",
    })
}

fn congress_input(name: &str) -> Value {
    json!({ "name": name, "level": "CITY", "region": "示例市", "term": 17 })
}

fn create_named(op: &str) -> String {
    format!("mutation($c: ID!, $i: NamedInput!) {{ {op}(congressId: $c, input: $i) {{ id name }} }}")
}

fn update_named(op: &str) -> String {
    format!("mutation($id: ID!, $i: NamedInput!) {{ {op}(id: $id, input: $i) {{ id name }} }}")
}

const CREATE_DEPUTY: &str =
    "mutation($c: ID!, $i: DeputyInput!) { createDeputy(congressId: $c, input: $i) { id name } }";
const UPDATE_DEPUTY: &str =
    "mutation($id: ID!, $i: DeputyInput!) { updateDeputy(id: $id, input: $i) { id name } }";
const CREATE_STATION: &str = "mutation($c: ID!, $i: LiaisonStationInput!) {
    createLiaisonStation(congressId: $c, input: $i) { id name latitude longitude }
}";
const UPDATE_STATION: &str = "mutation($id: ID!, $i: LiaisonStationInput!) {
    updateLiaisonStation(id: $id, input: $i) { id name latitude longitude }
}";
const CREATE_PRO_GROUP: &str = "mutation($c: ID!, $i: ProfessionalGroupInput!) {
    createProfessionalGroup(congressId: $c, input: $i) { id name committee { name } }
}";
const LINK: &str = "mutation($c: ID!, $d: ID!) { linkDeputyToCommittee(committeeId: $c, deputyId: $d) { id name linkedDeputies { name } } }";
const UNLINK: &str = "mutation($c: ID!, $d: ID!) { unlinkDeputyFromCommittee(committeeId: $c, deputyId: $d) { id name linkedDeputies { name } } }";
const UPDATE_CONGRESS: &str =
    "mutation($id: ID!, $i: CongressInput!) { updateCongress(id: $id, input: $i) { id name } }";
const CREATE_CONGRESS: &str =
    "mutation($i: CongressInput!) { createCongress(input: $i) { id name level region term } }";

/// Global IDs of the demo records.
struct Ids {
    city: String,
    zhang: String,
    li: String,
    east_station: String,
    west_home: String,
    east_group: String,
    west_group: String,
    committee: String,
    pro_group: String,
    transport: String,
}

async fn ids(app: &TestApp) -> Ids {
    Ids {
        city: app.id_by_name("congresses", CITY).await,
        zhang: app.id_by_name("deputies", "张明").await,
        li: app.id_by_name("deputies", "李华").await,
        east_station: app.id_by_name("liaisonStations", EAST_STATION).await,
        west_home: app.id_by_name("liaisonStations", WEST_HOME).await,
        east_group: app.id_by_name("deputyGroups", EAST_GROUP).await,
        west_group: app.id_by_name("deputyGroups", WEST_GROUP).await,
        committee: app.id_by_name("committees", COMMITTEE).await,
        pro_group: app.id_by_name("professionalGroups", PRO_GROUP).await,
        transport: app.id_by_name("handlingUnits", "市交通运输局").await,
    }
}

/// One directory mutation with valid input for the city congress.
struct Op {
    name: &'static str,
    query: String,
    vars: Value,
}

/// Every directory mutation on records of the city congress, each with valid input.
fn city_mutations(ids: &Ids) -> Vec<Op> {
    let op = |name: &'static str, query: String, vars: Value| Op { name, query, vars };
    vec![
        op("createDeputy", CREATE_DEPUTY.to_owned(), json!({ "c": ids.city, "i": deputy_input("新代表") })),
        op(
            "updateDeputy",
            UPDATE_DEPUTY.to_owned(),
            json!({ "id": ids.zhang, "i": deputy_input("改名代表") }),
        ),
        op(
            "createLiaisonStation",
            CREATE_STATION.to_owned(),
            json!({ "c": ids.city, "i": station_input("新联系点") }),
        ),
        op(
            "updateLiaisonStation",
            UPDATE_STATION.to_owned(),
            json!({ "id": ids.east_station, "i": station_input("改名联系点") }),
        ),
        op(
            "createHandlingUnit",
            create_named("createHandlingUnit"),
            json!({ "c": ids.city, "i": { "name": "市民政局" } }),
        ),
        op(
            "updateHandlingUnit",
            update_named("updateHandlingUnit"),
            json!({ "id": ids.transport, "i": { "name": "市交通局（改）" } }),
        ),
        op(
            "createDeputyGroup",
            create_named("createDeputyGroup"),
            json!({ "c": ids.city, "i": { "name": "南城区代表团" } }),
        ),
        op(
            "updateDeputyGroup",
            update_named("updateDeputyGroup"),
            json!({ "id": ids.east_group, "i": { "name": "东城代表团（改）", "description": "改" } }),
        ),
        op(
            "createCommittee",
            create_named("createCommittee"),
            json!({ "c": ids.city, "i": { "name": "教育科学文化卫生委员会" } }),
        ),
        op(
            "updateCommittee",
            update_named("updateCommittee"),
            json!({ "id": ids.committee, "i": { "name": "城建委（改）" } }),
        ),
        op(
            "createProfessionalGroup",
            CREATE_PRO_GROUP.to_owned(),
            json!({ "c": ids.city, "i": { "name": "教科文卫专业小组", "committeeId": ids.committee } }),
        ),
        op("linkDeputyToCommittee", LINK.to_owned(), json!({ "c": ids.committee, "d": ids.li })),
        op("unlinkDeputyFromCommittee", UNLINK.to_owned(), json!({ "c": ids.committee, "d": ids.zhang })),
        op(
            "updateCongress",
            UPDATE_CONGRESS.to_owned(),
            json!({ "id": ids.city, "i": congress_input("示例市第十七届人民代表大会（改）") }),
        ),
    ]
}

/// A second congress (county level) with a staff account of its own; returns its ID and the staff's token.
async fn county_with_staff(app: &TestApp, admin: &str) -> (String, String) {
    let res = app
        .gql(
            CREATE_CONGRESS,
            json!({ "i": { "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 } }),
            Some(admin),
        )
        .await;
    let county = str_of(&res.data()["createCongress"]["id"]).to_owned();
    let res = app
        .gql(
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id role congress { name } } }",
            json!({ "i": {
                "phone": COUNTY_STAFF, "name": "县人大代表工委", "password": COUNTY_PASSWORD,
                "role": "CONGRESS_STAFF", "congressId": county,
            } }),
            Some(admin),
        )
        .await;
    assert_eq!(res.data()["createAccount"]["role"], "CONGRESS_STAFF");
    assert_eq!(res.data()["createAccount"]["congress"]["name"], "示例县第十届人民代表大会");
    let staff = app.login_with(COUNTY_STAFF, COUNTY_PASSWORD).await.access;
    assert!(!staff.is_empty(), "county staff could not log in");
    (county, staff)
}

/// The global ID of the same type as `id` for a record that does not exist.
fn missing_like(id: &str) -> String {
    let raw = URL_SAFE_NO_PAD.decode(id).unwrap_or_else(|e| panic!("{id} is not base64url: {e}"));
    let text = String::from_utf8(raw).unwrap_or_else(|e| panic!("{id} is not UTF-8: {e}"));
    let Some((kind, _)) = text.split_once(':') else { panic!("{text} is not Type:uuid") };
    URL_SAFE_NO_PAD.encode(format!("{kind}:{}", Uuid::new_v4()))
}

e2e!(anonymous_deputies_citizens_and_units_cannot_change_the_directory, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let ids = ids(&app).await;
    let before = snapshot(&app, &admin).await;
    let create_congress =
        json!({ "i": { "name": "某省人大", "level": "PROVINCIAL", "region": "某省", "term": 14 } });

    for op in city_mutations(&ids) {
        let res = app.gql(&op.query, op.vars.clone(), None).await;
        assert_eq!(res.code(), "UNAUTHENTICATED", "anonymous {}: {}", op.name, res.body);
    }
    app.gql(CREATE_CONGRESS, create_congress.clone(), None).await.assert_code("UNAUTHENTICATED");

    for phone in [demo::DEPUTY, demo::DEPUTY2, demo::CITIZEN, demo::UNIT_STAFF] {
        let who = token(&app, phone).await;
        for op in city_mutations(&ids) {
            let res = app.gql(&op.query, op.vars.clone(), Some(&who)).await;
            assert_eq!(res.code(), "FORBIDDEN", "{phone} {}: {}", op.name, res.body);
        }
        let res = app.gql(CREATE_CONGRESS, create_congress.clone(), Some(&who)).await;
        assert_eq!(res.code(), "FORBIDDEN", "{phone} createCongress: {}", res.body);
    }

    assert_eq!(snapshot(&app, &admin).await, before, "a refused mutation changed the directory");
});

e2e!(congress_staff_manage_their_own_congress, |app| {
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;

    for op in city_mutations(&ids) {
        let res = app.gql(&op.query, op.vars.clone(), Some(&staff)).await;
        assert!(res.body.get("errors").is_none(), "staff {}: {}", op.name, res.body);
    }
    let res = app
        .gql(
            "{ deputies(first: 20) { totalCount } liaisonStations(first: 20) { totalCount }
               handlingUnits(first: 20) { totalCount nodes { name } } deputyGroups(first: 20) { totalCount }
               committees(first: 20) { totalCount } professionalGroups(first: 20) { totalCount }
               congresses(first: 20) { totalCount nodes { name } } }",
            json!({}),
            None,
        )
        .await;
    let data = res.data();
    assert_eq!(data["deputies"]["totalCount"], 6);
    assert_eq!(data["liaisonStations"]["totalCount"], 3);
    assert_eq!(data["handlingUnits"]["totalCount"], 5);
    assert!(names_of(&data["handlingUnits"]["nodes"]).contains(&"市交通局（改）".to_owned()));
    assert_eq!(data["deputyGroups"]["totalCount"], 3);
    assert_eq!(data["committees"]["totalCount"], 2);
    assert_eq!(data["professionalGroups"]["totalCount"], 2);
    assert_eq!(data["congresses"]["totalCount"], 1);
    assert_eq!(names_of(&data["congresses"]["nodes"]), vec!["示例市第十七届人民代表大会（改）".to_owned()]);

    // The committee link and unlink both took effect.
    let res = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Committee { name linkedDeputies { name } } } }",
            json!({ "id": ids.committee }),
            None,
        )
        .await;
    assert_eq!(res.data()["node"]["name"], "城建委（改）");
    assert_eq!(names_of(&res.data()["node"]["linkedDeputies"]), vec!["李华".to_owned()]);

    // A full profile with links to records of the same congress.
    let input = json!({
        "name": "周婷",
        "gender": "FEMALE",
        "occupation": "PROFESSIONAL",
        "industry": "律师",
        "expertise": ["法律", "劳动保障"],
        "bio": "执业律师。",
        "photoUrl": "https://example.com/zhou.jpg",
        "phone": "139 0000 0200",
        "deputyGroupId": ids.west_group,
        "professionalGroupId": ids.pro_group,
        "liaisonStationId": ids.west_home,
    });
    let query = format!(
        "mutation($c: ID!, $i: DeputyInput!) {{ createDeputy(congressId: $c, input: $i) {{ {DEPUTY_FIELDS} }} }}"
    );
    let res = app.gql(&query, json!({ "c": ids.city, "i": input }), Some(&staff)).await;
    let created = &res.data()["createDeputy"];
    assert_eq!(created["name"], "周婷");
    assert_eq!(created["gender"], "FEMALE");
    assert_eq!(created["occupation"], "PROFESSIONAL");
    assert_eq!(created["industry"], "律师");
    assert_eq!(created["bio"], "执业律师。");
    assert_eq!(created["photoUrl"], "https://example.com/zhou.jpg");
    assert_eq!(created["phone"], "13900000200");
    assert_eq!(tags_of(&created["expertise"]), sorted(&["劳动保障", "法律"]));
    assert_eq!(created["congress"]["name"], "示例市第十七届人民代表大会（改）");
    assert_eq!(created["deputyGroup"]["name"], WEST_GROUP);
    assert_eq!(created["professionalGroup"]["name"], PRO_GROUP);
    assert_eq!(created["liaisonStation"]["name"], WEST_HOME);
    assert_roster(&app, json!({ "liaisonStationId": ids.west_home }), &["周婷"]).await;
    assert_roster(&app, json!({ "professionalGroupId": ids.pro_group }), &["周婷"]).await;
    assert_roster(&app, json!({ "expertise": "劳动保障" }), &["周婷"]).await;
});

e2e!(staff_of_another_congress_cannot_touch_this_one, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let city_staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let (county, county_staff) = county_with_staff(&app, &admin).await;
    let before = snapshot(&app, &admin).await;

    for op in city_mutations(&ids) {
        let res = app.gql(&op.query, op.vars.clone(), Some(&county_staff)).await;
        assert_eq!(res.code(), "FORBIDDEN", "county staff {}: {}", op.name, res.body);
    }
    let res =
        app.gql(CREATE_CONGRESS, json!({ "i": congress_input("又一个人大") }), Some(&county_staff)).await;
    res.assert_code("FORBIDDEN");
    assert_eq!(snapshot(&app, &admin).await, before, "a refused mutation changed the directory");

    // They manage their own congress, and the city staff may not.
    let res = app
        .gql(CREATE_DEPUTY, json!({ "c": county, "i": deputy_input("县代表") }), Some(&county_staff))
        .await;
    assert_eq!(res.data()["createDeputy"]["name"], "县代表");
    let res = app
        .gql(CREATE_DEPUTY, json!({ "c": county, "i": deputy_input("越权代表") }), Some(&city_staff))
        .await;
    res.assert_code("FORBIDDEN");
    let res = app
        .gql(UPDATE_CONGRESS, json!({ "id": county, "i": congress_input("越权改名") }), Some(&city_staff))
        .await;
    res.assert_code("FORBIDDEN");
    assert_roster(&app, json!({ "congressId": county }), &["县代表"]).await;

    // An admin manages every congress.
    for op in city_mutations(&ids) {
        let res = app.gql(&op.query, op.vars.clone(), Some(&admin)).await;
        assert!(res.body.get("errors").is_none(), "admin {}: {}", op.name, res.body);
    }
    assert_roster(
        &app,
        json!({ "congressId": ids.city }),
        &["改名代表", "李华", "王芳", "赵强", "陈静", "新代表"],
    )
    .await;
});

e2e!(only_admins_create_congresses_and_congress_input_is_validated, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let county =
        json!({ "name": "示例县第十届人民代表大会", "level": "COUNTY", "region": "示例县", "term": 10 });

    app.gql(CREATE_CONGRESS, json!({ "i": county }), Some(&staff)).await.assert_code("FORBIDDEN");
    let res = app.gql("{ congresses { totalCount } }", json!({}), None).await;
    assert_eq!(res.data()["congresses"]["totalCount"], 1, "staff created a congress");

    for (bad, field) in [
        (json!({ "name": "", "level": "COUNTY", "region": "示例县", "term": 10 }), "name"),
        (json!({ "name": "县人大", "level": "COUNTY", "region": "  ", "term": 10 }), "region"),
        (json!({ "name": "县人大", "level": "COUNTY", "region": "示例县", "term": 0 }), "term"),
        (json!({ "name": "县人大", "level": "COUNTY", "region": "示例县", "term": 100 }), "term"),
        (json!({ "name": "人".repeat(101), "level": "COUNTY", "region": "示例县", "term": 10 }), "name"),
    ] {
        assert_bad_input(&app.gql(CREATE_CONGRESS, json!({ "i": bad }), Some(&admin)).await, field);
        assert_bad_input(
            &app.gql(UPDATE_CONGRESS, json!({ "id": ids.city, "i": bad }), Some(&staff)).await,
            field,
        );
    }
    let res = app.gql("{ congresses { totalCount nodes { name } } }", json!({}), None).await;
    assert_eq!(res.data()["congresses"]["totalCount"], 1);
    assert_eq!(names_of(&res.data()["congresses"]["nodes"]), vec![CITY.to_owned()]);

    let res = app.gql(CREATE_CONGRESS, json!({ "i": county }), Some(&admin)).await;
    let created = &res.data()["createCongress"];
    assert_eq!(created["name"], "示例县第十届人民代表大会");
    assert_eq!(created["level"], "COUNTY");
    assert_eq!(created["region"], "示例县");
    assert_eq!(created["term"], 10);
    let res = app.gql("{ all: congresses { totalCount } county: congresses(level: COUNTY) { totalCount nodes { name } } }", json!({}), None).await;
    assert_eq!(res.data()["all"]["totalCount"], 2);
    assert_eq!(res.data()["county"]["totalCount"], 1);
    assert_eq!(names_of(&res.data()["county"]["nodes"]), vec!["示例县第十届人民代表大会".to_owned()]);

    // The city's staff may rename their own congress.
    let res = app
        .gql(
            UPDATE_CONGRESS,
            json!({ "id": ids.city, "i": congress_input("示例市第十七届人大") }),
            Some(&staff),
        )
        .await;
    assert_eq!(res.data()["updateCongress"]["name"], "示例市第十七届人大");
});

e2e!(deputy_input_is_validated_field_by_field, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let before = snapshot(&app, &admin).await;

    let with = |key: &str, value: Value| {
        let mut input = deputy_input("新代表");
        input[key] = value;
        input
    };
    let eleven: Vec<String> = (1..=11).map(|i| format!("领域{i}")).collect();
    let cases = [
        (with("name", json!("")), "name"),
        (with("name", json!("   ")), "name"),
        (with("name", json!("名".repeat(51))), "name"),
        (with("phone", json!("123")), "phone"),
        (with("phone", json!("23900000001")), "phone"),
        (with("photoUrl", json!("ftp://x")), "photoUrl"),
        (with("photoUrl", json!("https://")), "photoUrl"),
        (with("expertise", json!(eleven)), "expertise"),
        (with("expertise", json!(["法律", ""])), "expertise"),
        (with("expertise", json!(["长".repeat(21)])), "expertise"),
        (with("industry", json!("业".repeat(51))), "industry"),
        (with("bio", json!("简".repeat(2001))), "bio"),
        // IDs of the wrong type.
        (with("deputyGroupId", json!(ids.city)), "deputyGroupId"),
        (with("liaisonStationId", json!(ids.transport)), "liaisonStationId"),
        (with("professionalGroupId", json!(ids.committee)), "professionalGroupId"),
        (with("deputyGroupId", json!("not-an-id")), "deputyGroupId"),
    ];
    for (input, field) in &cases {
        let res = app.gql(CREATE_DEPUTY, json!({ "c": ids.city, "i": input }), Some(&staff)).await;
        assert_bad_input(&res, field);
        let res = app.gql(UPDATE_DEPUTY, json!({ "id": ids.zhang, "i": input }), Some(&staff)).await;
        assert_bad_input(&res, field);
    }
    // The congress and the deputy themselves must be given by IDs of the right type.
    let res =
        app.gql(CREATE_DEPUTY, json!({ "c": ids.zhang, "i": deputy_input("新代表") }), Some(&staff)).await;
    assert_bad_input(&res, "congressId");
    let res = app
        .gql(UPDATE_DEPUTY, json!({ "id": ids.east_station, "i": deputy_input("新代表") }), Some(&staff))
        .await;
    assert_bad_input(&res, "id");

    assert_eq!(snapshot(&app, &admin).await, before, "refused input changed the directory");

    // Ten distinct tags are the most, and allowed; repeated tags count once.
    let ten: Vec<String> = (1..=10).map(|i| format!("领域{i}")).collect();
    let res = app
        .gql(CREATE_DEPUTY, json!({ "c": ids.city, "i": with("expertise", json!(ten)) }), Some(&staff))
        .await;
    let id = str_of(&res.data()["createDeputy"]["id"]).to_owned();
    let res = app.gql("query($id: ID!) { deputy(id: $id) { expertise } }", json!({ "id": id }), None).await;
    assert_eq!(res.data()["deputy"]["expertise"].as_array().map(Vec::len), Some(10));
    let res = app
        .gql(
            UPDATE_DEPUTY,
            json!({ "id": id, "i": with("expertise", json!(["法律", " 法律 ", "法律"])) }),
            Some(&staff),
        )
        .await;
    res.data();
    let res = app.gql("query($id: ID!) { deputy(id: $id) { expertise } }", json!({ "id": id }), None).await;
    assert_eq!(res.data()["deputy"]["expertise"], json!(["法律"]));
});

e2e!(references_must_exist_and_belong_to_the_same_congress, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let (county, county_staff) = county_with_staff(&app, &admin).await;

    // Records of the county congress.
    let res = app
        .gql(CREATE_STATION, json!({ "c": county, "i": station_input("县联络站") }), Some(&county_staff))
        .await;
    let county_station = str_of(&res.data()["createLiaisonStation"]["id"]).to_owned();
    let res = app
        .gql(
            &create_named("createDeputyGroup"),
            json!({ "c": county, "i": { "name": "县代表组" } }),
            Some(&county_staff),
        )
        .await;
    let county_group = str_of(&res.data()["createDeputyGroup"]["id"]).to_owned();
    let res = app
        .gql(
            &create_named("createCommittee"),
            json!({ "c": county, "i": { "name": "县工委" } }),
            Some(&county_staff),
        )
        .await;
    let county_committee = str_of(&res.data()["createCommittee"]["id"]).to_owned();
    let res = app
        .gql(CREATE_PRO_GROUP, json!({ "c": county, "i": { "name": "县专业小组" } }), Some(&county_staff))
        .await;
    let county_pro_group = str_of(&res.data()["createProfessionalGroup"]["id"]).to_owned();
    let res = app
        .gql(CREATE_DEPUTY, json!({ "c": county, "i": deputy_input("县代表") }), Some(&county_staff))
        .await;
    let county_deputy = str_of(&res.data()["createDeputy"]["id"]).to_owned();
    let before = snapshot(&app, &admin).await;

    let with = |key: &str, value: &str| {
        let mut input = deputy_input("新代表");
        input[key] = json!(value);
        input
    };
    // Another congress's records, even for an admin, who may manage both.
    for who in [&staff, &admin] {
        for (input, field) in [
            (with("liaisonStationId", &county_station), "liaisonStationId"),
            (with("deputyGroupId", &county_group), "deputyGroupId"),
            (with("professionalGroupId", &county_pro_group), "professionalGroupId"),
        ] {
            assert_bad_input(
                &app.gql(CREATE_DEPUTY, json!({ "c": ids.city, "i": input }), Some(who)).await,
                field,
            );
            assert_bad_input(
                &app.gql(UPDATE_DEPUTY, json!({ "id": ids.zhang, "i": input }), Some(who)).await,
                field,
            );
        }
        let res = app
            .gql(
                CREATE_PRO_GROUP,
                json!({ "c": ids.city, "i": { "name": "跨界小组", "committeeId": county_committee } }),
                Some(who),
            )
            .await;
        assert_bad_input(&res, "committeeId");
        let res = app.gql(LINK, json!({ "c": ids.committee, "d": county_deputy }), Some(who)).await;
        assert_bad_input(&res, "deputyId");
    }

    // Records that do not exist.
    for (input, what) in [
        (with("liaisonStationId", &missing_like(&ids.east_station)), "station"),
        (with("deputyGroupId", &missing_like(&ids.east_group)), "group"),
        (with("professionalGroupId", &missing_like(&ids.pro_group)), "professional group"),
    ] {
        let res = app.gql(CREATE_DEPUTY, json!({ "c": ids.city, "i": input }), Some(&staff)).await;
        assert_eq!(res.code(), "NOT_FOUND", "missing {what}: {}", res.body);
    }
    let missing_congress = missing_like(&ids.city);
    let missing_deputy = missing_like(&ids.zhang);
    let not_found = [
        (CREATE_DEPUTY.to_owned(), json!({ "c": missing_congress, "i": deputy_input("新代表") })),
        (UPDATE_DEPUTY.to_owned(), json!({ "id": missing_deputy, "i": deputy_input("新代表") })),
        (CREATE_STATION.to_owned(), json!({ "c": missing_congress, "i": station_input("新站") })),
        (
            UPDATE_STATION.to_owned(),
            json!({ "id": missing_like(&ids.east_station), "i": station_input("新站") }),
        ),
        (create_named("createHandlingUnit"), json!({ "c": missing_congress, "i": { "name": "某局" } })),
        (
            update_named("updateDeputyGroup"),
            json!({ "id": missing_like(&ids.east_group), "i": { "name": "某团" } }),
        ),
        (UPDATE_CONGRESS.to_owned(), json!({ "id": missing_congress, "i": congress_input("某人大") })),
        (LINK.to_owned(), json!({ "c": missing_like(&ids.committee), "d": ids.li })),
        (LINK.to_owned(), json!({ "c": ids.committee, "d": missing_deputy })),
        (
            CREATE_PRO_GROUP.to_owned(),
            json!({ "c": ids.city, "i": { "name": "某小组", "committeeId": missing_like(&ids.committee) } }),
        ),
    ];
    for (query, vars) in not_found {
        let res = app.gql(&query, vars, Some(&staff)).await;
        assert_eq!(res.code(), "NOT_FOUND", "{query}: {}", res.body);
    }
    assert_eq!(snapshot(&app, &admin).await, before, "a refused mutation changed the directory");

    // The typed lookups answer null for a record that does not exist.
    let res =
        app.gql("query($id: ID!) { deputy(id: $id) { name } }", json!({ "id": missing_deputy }), None).await;
    assert_eq!(res.data()["deputy"], Value::Null);
});

e2e!(station_and_named_record_input_is_validated, |app| {
    let admin = token(&app, demo::ADMIN).await;
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let before = snapshot(&app, &admin).await;

    let with = |pairs: &[(&str, Value)]| {
        let mut input = station_input("新联系点");
        for (key, value) in pairs {
            input[*key] = value.clone();
        }
        input
    };
    for (input, field) in [
        (with(&[("latitude", json!(95.0))]), "latitude"),
        (with(&[("latitude", json!(-90.5))]), "latitude"),
        (with(&[("longitude", json!(181.0))]), "longitude"),
        (with(&[("longitude", Value::Null)]), "latitude"),
        (with(&[("name", json!(""))]), "name"),
        (with(&[("name", json!("站".repeat(101)))]), "name"),
        (with(&[("address", json!(" "))]), "address"),
        (with(&[("openingHours", json!("时".repeat(201)))]), "openingHours"),
    ] {
        assert_bad_input(
            &app.gql(CREATE_STATION, json!({ "c": ids.city, "i": input }), Some(&staff)).await,
            field,
        );
        assert_bad_input(
            &app.gql(UPDATE_STATION, json!({ "id": ids.east_station, "i": input }), Some(&staff)).await,
            field,
        );
    }
    // A longitude without a latitude is refused too.
    let input = with(&[("latitude", Value::Null)]);
    app.gql(CREATE_STATION, json!({ "c": ids.city, "i": input }), Some(&staff))
        .await
        .assert_code("BAD_USER_INPUT");

    for op in ["createHandlingUnit", "createDeputyGroup", "createCommittee"] {
        for (input, field) in [
            (json!({ "name": "" }), "name"),
            (json!({ "name": "  " }), "name"),
            (json!({ "name": "名".repeat(101) }), "name"),
            (json!({ "name": "好名字", "description": "述".repeat(2001) }), "description"),
        ] {
            let res = app.gql(&create_named(op), json!({ "c": ids.city, "i": input }), Some(&staff)).await;
            assert_bad_input(&res, field);
        }
    }
    for (op, id) in [
        ("updateHandlingUnit", &ids.transport),
        ("updateDeputyGroup", &ids.east_group),
        ("updateCommittee", &ids.committee),
    ] {
        assert_bad_input(
            &app.gql(&update_named(op), json!({ "id": id, "i": { "name": "" } }), Some(&staff)).await,
            "name",
        );
        // An ID of another type.
        let res = app
            .gql(&update_named(op), json!({ "id": ids.zhang, "i": { "name": "好名字" } }), Some(&staff))
            .await;
        assert_bad_input(&res, "id");
    }
    assert_bad_input(
        &app.gql(CREATE_PRO_GROUP, json!({ "c": ids.city, "i": { "name": "" } }), Some(&staff)).await,
        "name",
    );
    let res = app
        .gql(
            CREATE_PRO_GROUP,
            json!({ "c": ids.city, "i": { "name": "小组", "committeeId": ids.zhang } }),
            Some(&staff),
        )
        .await;
    assert_bad_input(&res, "committeeId");
    let res = app
        .gql(
            &create_named("createHandlingUnit"),
            json!({ "c": ids.transport, "i": { "name": "某局" } }),
            Some(&staff),
        )
        .await;
    assert_bad_input(&res, "congressId");

    assert_eq!(snapshot(&app, &admin).await, before, "refused input changed the directory");

    // A station without a position is fine; updating it replaces every field.
    let no_position =
        with(&[("latitude", Value::Null), ("longitude", Value::Null), ("openingHours", Value::Null)]);
    let res = app.gql(CREATE_STATION, json!({ "c": ids.city, "i": no_position }), Some(&staff)).await;
    let created = &res.data()["createLiaisonStation"];
    assert_eq!(created["latitude"], Value::Null);
    assert_eq!(created["longitude"], Value::Null);
    let res = app
        .gql(
            "mutation($id: ID!, $i: LiaisonStationInput!) {
                updateLiaisonStation(id: $id, input: $i) { name kind address latitude longitude openingHours }
            }",
            json!({ "id": ids.east_station, "i": no_position }),
            Some(&staff),
        )
        .await;
    let updated = &res.data()["updateLiaisonStation"];
    assert_eq!(updated["name"], "新联系点");
    assert_eq!(updated["kind"], "CONTACT_POINT");
    assert_eq!(updated["address"], "示例市新区建设路1号");
    assert_eq!(updated["latitude"], Value::Null);
    assert_eq!(updated["openingHours"], Value::Null);
});

e2e!(roster_filters_return_exact_sets, |app| {
    let ids = ids(&app).await;
    let (names, total) = roster(&app, json!(null), None).await;
    assert_eq!(names, sorted(&ALL_DEPUTIES));
    assert_eq!(total, 5);

    assert_roster(&app, json!({ "congressId": ids.city }), &ALL_DEPUTIES).await;
    assert_roster(&app, json!({ "deputyGroupId": ids.east_group }), &["张明", "李华", "陈静"]).await;
    assert_roster(&app, json!({ "deputyGroupId": ids.west_group }), &["王芳", "赵强"]).await;
    assert_roster(&app, json!({ "occupation": "PROFESSIONAL" }), &["张明", "陈静"]).await;
    assert_roster(&app, json!({ "occupation": "WORKER_OR_FARMER" }), &["李华"]).await;
    assert_roster(&app, json!({ "occupation": "MILITARY" }), &[]).await;
    assert_roster(&app, json!({ "industry": "教育" }), &["张明"]).await;
    assert_roster(&app, json!({ "industry": "交通运输" }), &["王芳"]).await;
    assert_roster(&app, json!({ "industry": "教" }), &[]).await;
    assert_roster(&app, json!({ "expertise": "医疗" }), &["陈静"]).await;
    assert_roster(&app, json!({ "expertise": "城市规划" }), &["张明"]).await;
    assert_roster(&app, json!({ "expertise": "教育" }), &["张明"]).await;
    assert_roster(&app, json!({ "expertise": "不存在的领域" }), &[]).await;
    assert_roster(&app, json!({ "liaisonStationId": ids.east_station }), &ALL_DEPUTIES).await;
    assert_roster(&app, json!({ "liaisonStationId": ids.west_home }), &[]).await;
    assert_roster(&app, json!({ "professionalGroupId": ids.pro_group }), &[]).await;
    assert_roster(&app, json!({ "nameContains": "明" }), &["张明"]).await;
    assert_roster(&app, json!({ "nameContains": "王" }), &["王芳"]).await;
    assert_roster(&app, json!({ "nameContains": "张三" }), &[]).await;
    // All given filters must match.
    assert_roster(
        &app,
        json!({ "deputyGroupId": ids.east_group, "occupation": "PROFESSIONAL" }),
        &["张明", "陈静"],
    )
    .await;
    assert_roster(&app, json!({ "deputyGroupId": ids.east_group, "expertise": "交通" }), &[]).await;
    assert_roster(
        &app,
        json!({ "congressId": ids.city, "industry": "医疗卫生", "nameContains": "陈" }),
        &["陈静"],
    )
    .await;

    // A deputy of another congress only shows under that congress.
    let admin = token(&app, demo::ADMIN).await;
    let (county, county_staff) = county_with_staff(&app, &admin).await;
    let mut input = deputy_input("县代表张");
    input["expertise"] = json!(["教育"]);
    app.gql(CREATE_DEPUTY, json!({ "c": county, "i": input }), Some(&county_staff)).await.data();
    assert_roster(&app, json!({ "congressId": county }), &["县代表张"]).await;
    assert_roster(&app, json!({ "congressId": ids.city }), &ALL_DEPUTIES).await;
    assert_roster(&app, json!({ "expertise": "教育" }), &["张明", "县代表张"]).await;
    assert_roster(&app, json!({ "congressId": ids.city, "expertise": "教育" }), &["张明"]).await;

    // Filters by an ID of the wrong type are refused, not ignored.
    let query = "query($f: DeputyFilter) { deputies(filter: $f) { totalCount } }";
    for (filter, field) in [
        (json!({ "congressId": ids.zhang }), "congressId"),
        (json!({ "deputyGroupId": ids.city }), "deputyGroupId"),
        (json!({ "liaisonStationId": ids.east_group }), "liaisonStationId"),
        (json!({ "professionalGroupId": "garbage" }), "professionalGroupId"),
    ] {
        assert_bad_input(&app.gql(query, json!({ "f": filter }), None).await, field);
    }
});

e2e!(name_filters_take_wildcards_literally, |app| {
    // `%` and `_` in a name filter are plain characters, not LIKE wildcards, on every database.
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    for name in ["欧阳_娜", "百分%百"] {
        app.gql(CREATE_DEPUTY, json!({ "c": ids.city, "i": deputy_input(name) }), Some(&staff)).await.data();
    }
    let res = app
        .gql(
            &create_named("createHandlingUnit"),
            json!({ "c": ids.city, "i": { "name": "100%_达标办" } }),
            Some(&staff),
        )
        .await;
    res.data();

    let mut wrong = Vec::new();
    for (needle, expected) in [("_", vec!["欧阳_娜"]), ("%", vec!["百分%百"]), ("阳_", vec!["欧阳_娜"])]
    {
        let (names, total) = roster(&app, json!({ "nameContains": needle }), None).await;
        if names != sorted(&expected) || total != expected.len() as u64 {
            wrong.push(format!("deputies nameContains {needle:?}: {names:?} (totalCount {total})"));
        }
    }
    for needle in ["_", "%", "0%_"] {
        let res = app
            .gql(
                "query($n: String) { handlingUnits(nameContains: $n) { totalCount nodes { name } } }",
                json!({ "n": needle }),
                None,
            )
            .await;
        let names = names_of(&res.data()["handlingUnits"]["nodes"]);
        if names != vec!["100%_达标办".to_owned()] || res.data()["handlingUnits"]["totalCount"] != 1 {
            wrong.push(format!("handlingUnits nameContains {needle:?}: {names:?}"));
        }
    }
    // Sanity: the same filters without wildcard characters work.
    assert_roster(&app, json!({ "nameContains": "欧阳" }), &["欧阳_娜"]).await;
    assert!(wrong.is_empty(), "wildcards were not taken literally:\n{}", wrong.join("\n"));
});

e2e!(named_lists_filter_by_congress_name_and_kind, |app| {
    let ids = ids(&app).await;
    let res = app
        .gql(
            "query($c: ID) {
                units: handlingUnits(congressId: $c) { totalCount nodes { name congress { name } } }
                education: handlingUnits(nameContains: \"教育\") { totalCount nodes { name } }
                groups: deputyGroups(congressId: $c) { totalCount nodes { name } }
                west: deputyGroups(nameContains: \"西城\") { totalCount nodes { name } }
                committees(congressId: $c) { totalCount nodes { name description linkedDeputies { name } } }
                professionalGroups(congressId: $c) { totalCount nodes { name committee { name } congress { name } } }
                homes: liaisonStations(kind: HOME) { totalCount nodes { name kind latitude longitude } }
                stations: liaisonStations(congressId: $c) { totalCount nodes { name openingHours congress { name } } }
            }",
            json!({ "c": ids.city }),
            None,
        )
        .await;
    let data = res.data();
    assert_eq!(data["units"]["totalCount"], 4);
    assert_eq!(
        names_of(&data["units"]["nodes"]),
        sorted(&["市交通运输局", "市教育局", "市卫生健康委员会", "市住房和城乡建设局"])
    );
    assert_eq!(data["units"]["nodes"][0]["congress"]["name"], CITY);
    assert_eq!(names_of(&data["education"]["nodes"]), vec!["市教育局".to_owned()]);
    assert_eq!(data["education"]["totalCount"], 1);
    assert_eq!(names_of(&data["groups"]["nodes"]), sorted(&[EAST_GROUP, WEST_GROUP]));
    assert_eq!(names_of(&data["west"]["nodes"]), vec![WEST_GROUP.to_owned()]);
    assert_eq!(data["committees"]["totalCount"], 1);
    assert_eq!(data["committees"]["nodes"][0]["name"], COMMITTEE);
    assert_eq!(data["committees"]["nodes"][0]["description"], "对口联系城建、交通、生态环境");
    assert_eq!(names_of(&data["committees"]["nodes"][0]["linkedDeputies"]), vec!["张明".to_owned()]);
    assert_eq!(data["professionalGroups"]["nodes"][0]["name"], PRO_GROUP);
    assert_eq!(data["professionalGroups"]["nodes"][0]["committee"]["name"], COMMITTEE);
    assert_eq!(data["homes"]["totalCount"], 1);
    assert_eq!(data["homes"]["nodes"][0]["name"], WEST_HOME);
    assert_eq!(data["homes"]["nodes"][0]["kind"], "HOME");
    assert_eq!(data["homes"]["nodes"][0]["latitude"], 30.2592);
    assert_eq!(data["homes"]["nodes"][0]["longitude"], 120.13);
    assert_eq!(names_of(&data["stations"]["nodes"]), sorted(&[EAST_STATION, WEST_HOME]));

    // A congress with nothing in it yet lists nothing.
    let admin = token(&app, demo::ADMIN).await;
    let (county, _) = county_with_staff(&app, &admin).await;
    let res = app
        .gql(
            "query($c: ID) { handlingUnits(congressId: $c) { totalCount } liaisonStations(congressId: $c) { totalCount }
               committees(congressId: $c) { totalCount } deputyGroups(congressId: $c) { totalCount } }",
            json!({ "c": county }),
            None,
        )
        .await;
    for list in ["handlingUnits", "liaisonStations", "committees", "deputyGroups"] {
        assert_eq!(res.data()[list]["totalCount"], 0, "{list}");
    }
});

e2e!(roster_pages_with_cursors, |app| {
    let query = "query($f: DeputyFilter, $first: Int, $after: String) {
        deputies(filter: $f, first: $first, after: $after) {
            totalCount
            edges { cursor node { id name } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
        }
    }";
    let ids = ids(&app).await;
    for (filter, expected) in [
        (json!(null), ALL_DEPUTIES.to_vec()),
        (json!({ "deputyGroupId": ids.east_group }), vec!["张明", "李华", "陈静"]),
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let res = app.gql(query, json!({ "f": filter, "first": 2, "after": after }), None).await;
            let conn = &res.data()["deputies"];
            pages += 1;
            assert!(pages <= 10, "pagination does not end: {}", res.body);
            assert_eq!(conn["totalCount"], expected.len(), "totalCount on page {pages}: {}", res.body);
            let edges = conn["edges"].as_array().unwrap_or_else(|| panic!("no edges: {}", res.body));
            assert!(!edges.is_empty() && edges.len() <= 2, "page {pages} has {} edges", edges.len());
            for edge in edges {
                seen.push(str_of(&edge["node"]["name"]).to_owned());
            }
            let info = &conn["pageInfo"];
            assert_eq!(info["hasPreviousPage"], after.is_some());
            assert_eq!(info["endCursor"], edges[edges.len() - 1]["cursor"]);
            if info["hasNextPage"] == false {
                break;
            }
            after = Some(str_of(&info["endCursor"]).to_owned());
        }
        assert_eq!(pages, expected.len().div_ceil(2), "pages for {filter}");
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "a deputy was seen twice: {seen:?}");
        assert_eq!(unique, sorted(&expected), "filter {filter}");
    }

    // The whole list on one page has no next page; a page after the last cursor is empty.
    let res = app.gql(query, json!({ "first": 10 }), None).await;
    let conn = &res.data()["deputies"];
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);
    let last = str_of(&conn["pageInfo"]["endCursor"]).to_owned();
    let res = app.gql(query, json!({ "first": 10, "after": last }), None).await;
    let conn = &res.data()["deputies"];
    assert_eq!(conn["edges"], json!([]));
    assert_eq!(conn["totalCount"], 5);
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);

    for bad in ["not-a-cursor", "AAAA", "!!!", ""] {
        let res = app.gql(query, json!({ "first": 2, "after": bad }), None).await;
        assert_bad_input(&res, "after");
    }
    assert_bad_input(&app.gql(query, json!({ "first": -1 }), None).await, "first");
});

e2e!(deputy_phone_is_for_the_deputy_their_staff_and_admins, |app| {
    let ids = ids(&app).await;
    let phones = [
        ("张明", "13900000003"),
        ("李华", "13900000004"),
        ("王芳", "13900000013"),
        ("赵强", "13900000014"),
        ("陈静", "13900000015"),
    ];
    let query = "query($id: ID!) {
        deputy(id: $id) { name phone }
        node(id: $id) { ... on Deputy { phone } }
        deputies(first: 20) { nodes { name phone } }
    }";
    // The phone each viewer sees of each deputy.
    let seen = |res: &Gql| -> Vec<(String, Value)> {
        let mut seen: Vec<(String, Value)> = res.data()["deputies"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("no deputies: {}", res.body))
            .iter()
            .map(|n| (str_of(&n["name"]).to_owned(), n["phone"].clone()))
            .collect();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        seen
    };
    let expect = |visible: &dyn Fn(&str) -> bool| -> Vec<(String, Value)> {
        let mut all: Vec<(String, Value)> = phones
            .iter()
            .map(|(name, phone)| ((*name).to_owned(), if visible(name) { json!(phone) } else { Value::Null }))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    };

    // Nobody else's eyes.
    let admin = token(&app, demo::ADMIN).await;
    let (_, county_staff) = county_with_staff(&app, &admin).await;
    let viewers = [
        ("anonymous", None),
        ("citizen", Some(token(&app, demo::CITIZEN).await)),
        ("unit staff", Some(token(&app, demo::UNIT_STAFF).await)),
        ("another congress's staff", Some(county_staff)),
    ];
    for (who, tok) in &viewers {
        let res = app.gql(query, json!({ "id": ids.zhang }), tok.as_deref()).await;
        assert_eq!(res.data()["deputy"]["phone"], Value::Null, "{who} sees 张明's phone");
        assert_eq!(res.data()["node"]["phone"], Value::Null, "{who} sees 张明's phone via node");
        assert_eq!(seen(&res), expect(&|_| false), "{who}");
    }

    // Another deputy sees their own phone, not 张明's.
    let li = token(&app, demo::DEPUTY2).await;
    let res = app.gql(query, json!({ "id": ids.zhang }), Some(&li)).await;
    assert_eq!(res.data()["deputy"]["phone"], Value::Null, "李华 sees 张明's phone");
    assert_eq!(res.data()["node"]["phone"], Value::Null, "李华 sees 张明's phone via node");
    assert_eq!(seen(&res), expect(&|name| name == "李华"));

    // The deputy themself.
    let zhang = token(&app, demo::DEPUTY).await;
    let res = app.gql(query, json!({ "id": ids.zhang }), Some(&zhang)).await;
    assert_eq!(res.data()["deputy"]["phone"], "13900000003");
    assert_eq!(res.data()["node"]["phone"], "13900000003");
    assert_eq!(seen(&res), expect(&|name| name == "张明"));
    let res = app.gql("{ me { deputy { name phone } } }", json!({}), Some(&zhang)).await;
    assert_eq!(res.data()["me"]["deputy"], json!({ "name": "张明", "phone": "13900000003" }));
    let res =
        app.gql("query($id: ID!) { deputy(id: $id) { phone } }", json!({ "id": ids.li }), Some(&zhang)).await;
    assert_eq!(res.data()["deputy"]["phone"], Value::Null, "张明 sees 李华's phone");

    // The congress's staff and admins.
    for (who, tok) in [("staff", token(&app, demo::STAFF).await), ("admin", admin)] {
        let res = app.gql(query, json!({ "id": ids.zhang }), Some(&tok)).await;
        assert_eq!(res.data()["deputy"]["phone"], "13900000003", "{who}");
        assert_eq!(res.data()["node"]["phone"], "13900000003", "{who}");
        assert_eq!(seen(&res), expect(&|_| true), "{who}");
    }
});

e2e!(stations_near_a_point_nearest_first_within_the_radius, |app| {
    let query = "query($lat: Float!, $lon: Float!, $r: Float, $kind: StationKind, $first: Int) {
        stationsNear(latitude: $lat, longitude: $lon, radiusKm: $r, kind: $kind, first: $first) {
            distanceKm station { name kind }
        }
    }";
    let near = |res: &Gql| -> Vec<(String, f64)> {
        res.data()["stationsNear"]
            .as_array()
            .unwrap_or_else(|| panic!("no stationsNear: {}", res.body))
            .iter()
            .map(|n| {
                let distance = n["distanceKm"].as_f64().unwrap_or_else(|| panic!("no distance in {n}"));
                (str_of(&n["station"]["name"]).to_owned(), distance)
            })
            .collect()
    };
    let names = |found: &[(String, f64)]| found.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let (east_lat, east_lon) = (30.2741, 120.1551);

    let res = app.gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": 1.0 }), None).await;
    let found = near(&res);
    assert_eq!(names(&found), vec![EAST_STATION.to_owned()]);
    assert!(found[0].1 < 0.01, "distance to itself: {}", found[0].1);

    // The two demo stations are about 2.9 km apart.
    let res = app.gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": 5.0 }), None).await;
    let found = near(&res);
    assert_eq!(names(&found), vec![EAST_STATION.to_owned(), WEST_HOME.to_owned()]);
    assert!(found[0].1 < found[1].1, "not nearest first: {found:?}");
    assert!((2.5..3.5).contains(&found[1].1), "distance between the demo stations: {}", found[1].1);
    let apart = found[1].1;
    let res = app.gql(query, json!({ "lat": east_lat, "lon": east_lon }), None).await;
    assert_eq!(
        names(&near(&res)),
        vec![EAST_STATION.to_owned(), WEST_HOME.to_owned()],
        "default radius is 5 km"
    );
    let res = app.gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": apart - 0.05 }), None).await;
    assert_eq!(names(&near(&res)), vec![EAST_STATION.to_owned()], "radius just short of the second station");

    // From the other station the order is the other way round.
    let res = app.gql(query, json!({ "lat": 30.2592, "lon": 120.1300, "r": 5.0 }), None).await;
    let found = near(&res);
    assert_eq!(names(&found), vec![WEST_HOME.to_owned(), EAST_STATION.to_owned()]);
    assert!((found[1].1 - apart).abs() < 0.01);

    // Kind and first.
    let res =
        app.gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": 5.0, "kind": "HOME" }), None).await;
    assert_eq!(names(&near(&res)), vec![WEST_HOME.to_owned()]);
    let res = app
        .gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": 5.0, "kind": "CONTACT_POINT" }), None)
        .await;
    assert!(near(&res).is_empty());
    let res = app.gql(query, json!({ "lat": 30.2592, "lon": 120.1300, "r": 5.0, "first": 1 }), None).await;
    assert_eq!(names(&near(&res)), vec![WEST_HOME.to_owned()]);
    // Far away: Beijing.
    let res = app.gql(query, json!({ "lat": 39.9087, "lon": 116.3975, "r": 100.0 }), None).await;
    assert!(near(&res).is_empty());

    // New stations count; stations without a position never do.
    let staff = token(&app, demo::STAFF).await;
    let city = app.id_by_name("congresses", CITY).await;
    let mut input = station_input("和平路代表联系点");
    input["latitude"] = json!(30.2750);
    input["longitude"] = json!(120.1560);
    app.gql(CREATE_STATION, json!({ "c": city, "i": input }), Some(&staff)).await.data();
    let mut input = station_input("无坐标联系点");
    input["latitude"] = Value::Null;
    input["longitude"] = Value::Null;
    app.gql(CREATE_STATION, json!({ "c": city, "i": input }), Some(&staff)).await.data();
    let res = app.gql(query, json!({ "lat": east_lat, "lon": east_lon, "r": 100.0 }), None).await;
    let found = near(&res);
    assert_eq!(
        names(&found),
        vec![EAST_STATION.to_owned(), "和平路代表联系点".to_owned(), WEST_HOME.to_owned()]
    );
    assert!(found.windows(2).all(|w| w[0].1 <= w[1].1), "distances not increasing: {found:?}");

    for (vars, field) in [
        (json!({ "lat": east_lat, "lon": east_lon, "r": 0.0 }), "radiusKm"),
        (json!({ "lat": east_lat, "lon": east_lon, "r": -1.0 }), "radiusKm"),
        (json!({ "lat": east_lat, "lon": east_lon, "r": 500.0 }), "radiusKm"),
        (json!({ "lat": east_lat, "lon": east_lon, "r": 100.5 }), "radiusKm"),
        (json!({ "lat": 95.0, "lon": east_lon }), "latitude"),
        (json!({ "lat": east_lat, "lon": 200.0 }), "longitude"),
    ] {
        assert_bad_input(&app.gql(query, vars, None).await, field);
    }
});

e2e!(stations_near_across_the_antimeridian, |app| {
    // Two contact points 2.2 km apart on the equator, on either side of longitude 180, and one 0.6 km
    // from the search point on its own side. Distance does not stop at the date line.
    let staff = token(&app, demo::STAFF).await;
    let city = app.id_by_name("congresses", CITY).await;
    for (name, longitude) in [("日界线东联系点", -179.99), ("日界线西联系点", 179.995)] {
        let mut input = station_input(name);
        input["latitude"] = json!(0.0);
        input["longitude"] = json!(longitude);
        app.gql(CREATE_STATION, json!({ "c": city, "i": input }), Some(&staff)).await.data();
    }
    let query = "query($lon: Float!, $r: Float) {
        stationsNear(latitude: 0.0, longitude: $lon, radiusKm: $r) { distanceKm station { name } }
    }";
    let found = |res: &Gql| -> Vec<(String, f64)> {
        res.data()["stationsNear"]
            .as_array()
            .unwrap_or_else(|| panic!("no stationsNear: {}", res.body))
            .iter()
            .map(|n| (str_of(&n["station"]["name"]).to_owned(), n["distanceKm"].as_f64().unwrap_or(f64::NAN)))
            .collect()
    };

    let res = app.gql(query, json!({ "lon": 179.99, "r": 5.0 }), None).await;
    let near = found(&res);
    let names: Vec<&str> = near.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["日界线西联系点", "日界线东联系点"], "from 179.99°E: {}", res.body);
    assert!((near[1].1 - 2.22).abs() < 0.05, "distance across the date line: {}", near[1].1);

    let res = app.gql(query, json!({ "lon": -179.995, "r": 5.0 }), None).await;
    let names: Vec<String> = found(&res).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec!["日界线东联系点".to_owned(), "日界线西联系点".to_owned()],
        "from 179.995°W: {}",
        res.body
    );
});

e2e!(node_fetches_directory_records_by_global_id, |app| {
    let ids = ids(&app).await;
    let query = "query($id: ID!) {
        node(id: $id) {
            __typename id
            ... on Deputy { name }
            ... on Congress { name }
            ... on LiaisonStation { name }
            ... on HandlingUnit { name }
            ... on Committee { name }
            ... on DeputyGroup { name }
            ... on ProfessionalGroup { name }
        }
    }";
    for (id, typename, name) in [
        (&ids.zhang, "Deputy", "张明"),
        (&ids.city, "Congress", CITY),
        (&ids.east_station, "LiaisonStation", EAST_STATION),
        (&ids.transport, "HandlingUnit", "市交通运输局"),
        (&ids.committee, "Committee", COMMITTEE),
        (&ids.east_group, "DeputyGroup", EAST_GROUP),
        (&ids.pro_group, "ProfessionalGroup", PRO_GROUP),
    ] {
        let res = app.gql(query, json!({ "id": id }), None).await;
        let node = &res.data()["node"];
        assert_eq!(node["__typename"], typename, "{name}");
        assert_eq!(node["id"], json!(id), "{name}");
        assert_eq!(node["name"], name, "{typename}");
    }
    // IDs are unique across types.
    let all = [
        &ids.zhang,
        &ids.city,
        &ids.east_station,
        &ids.transport,
        &ids.committee,
        &ids.east_group,
        &ids.pro_group,
    ];
    let mut unique: Vec<&String> = all.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len());

    // A well-formed ID of a record that does not exist is null; a malformed one is refused.
    let res = app.gql(query, json!({ "id": missing_like(&ids.zhang) }), None).await;
    assert_eq!(res.data()["node"], Value::Null);
    let unknown_type = URL_SAFE_NO_PAD.encode(format!("Spaceship:{}", Uuid::new_v4()));
    let bad_uuid = URL_SAFE_NO_PAD.encode("Deputy:not-a-uuid");
    for garbage in ["garbage", "!!!", "", unknown_type.as_str(), bad_uuid.as_str()] {
        assert_bad_input(&app.gql(query, json!({ "id": garbage }), None).await, "id");
    }
    // Typed lookups check the type of the ID.
    let res = app.gql("query($id: ID!) { deputy(id: $id) { name } }", json!({ "id": ids.city }), None).await;
    assert_bad_input(&res, "id");
    let res = app
        .gql("query($id: ID!) { liaisonStation(id: $id) { name } }", json!({ "id": ids.zhang }), None)
        .await;
    assert_bad_input(&res, "id");
    let res = app
        .gql(
            "query($id: ID!) { liaisonStation(id: $id) { name kind } }",
            json!({ "id": ids.west_home }),
            None,
        )
        .await;
    assert_eq!(res.data()["liaisonStation"], json!({ "name": WEST_HOME, "kind": "HOME" }));
});

e2e!(committee_links_are_idempotent, |app| {
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let linked = |res: &Gql, op: &str| names_of(&res.data()[op]["linkedDeputies"]);
    let committee_query =
        "query($id: ID!) { node(id: $id) { ... on Committee { linkedDeputies { name } } } }";

    let res = app.gql(committee_query, json!({ "id": ids.committee }), None).await;
    assert_eq!(names_of(&res.data()["node"]["linkedDeputies"]), vec!["张明".to_owned()]);

    let both = sorted(&["张明", "李华"]);
    for _ in 0..2 {
        let res = app.gql(LINK, json!({ "c": ids.committee, "d": ids.li }), Some(&staff)).await;
        assert_eq!(linked(&res, "linkDeputyToCommittee"), both);
    }
    // Linking someone already linked changes nothing.
    let res = app.gql(LINK, json!({ "c": ids.committee, "d": ids.zhang }), Some(&staff)).await;
    assert_eq!(linked(&res, "linkDeputyToCommittee"), both);
    let res = app.gql(committee_query, json!({ "id": ids.committee }), None).await;
    assert_eq!(names_of(&res.data()["node"]["linkedDeputies"]), both);

    for _ in 0..2 {
        let res = app.gql(UNLINK, json!({ "c": ids.committee, "d": ids.zhang }), Some(&staff)).await;
        assert_eq!(linked(&res, "unlinkDeputyFromCommittee"), vec!["李华".to_owned()]);
    }
    // Unlinking someone never linked changes nothing either.
    let res = app.gql(UNLINK, json!({ "c": ids.committee, "d": ids.zhang }), Some(&staff)).await;
    assert_eq!(linked(&res, "unlinkDeputyFromCommittee"), vec!["李华".to_owned()]);
    let res = app.gql("{ committees { nodes { name linkedDeputies { name } } } }", json!({}), None).await;
    assert_eq!(names_of(&res.data()["committees"]["nodes"][0]["linkedDeputies"]), vec!["李华".to_owned()]);

    // A new committee starts with nobody.
    let res = app
        .gql(
            &create_named("createCommittee"),
            json!({ "c": ids.city, "i": { "name": "财经委" } }),
            Some(&staff),
        )
        .await;
    let new = str_of(&res.data()["createCommittee"]["id"]).to_owned();
    let res = app.gql(committee_query, json!({ "id": new }), None).await;
    assert_eq!(res.data()["node"]["linkedDeputies"], json!([]));

    // Wrong ID types are refused.
    assert_bad_input(
        &app.gql(LINK, json!({ "c": ids.zhang, "d": ids.li }), Some(&staff)).await,
        "committeeId",
    );
    assert_bad_input(
        &app.gql(LINK, json!({ "c": ids.committee, "d": ids.committee }), Some(&staff)).await,
        "deputyId",
    );
});

e2e!(update_deputy_replaces_the_whole_profile, |app| {
    let staff = token(&app, demo::STAFF).await;
    let ids = ids(&app).await;
    let query = format!("query($id: ID!) {{ deputy(id: $id) {{ {DEPUTY_FIELDS} }} }}");
    let res = app.gql(&query, json!({ "id": ids.zhang }), Some(&staff)).await;
    let before = res.data()["deputy"].clone();
    assert_eq!(before["expertise"].as_array().map(Vec::len), Some(2));
    let updated_before = str_of(&before["updatedAt"]).to_owned();

    let input = json!({
        "name": "张明",
        "gender": "MALE",
        "occupation": "OFFICIAL",
        "industry": "建筑业",
        "expertise": ["环境保护", "交通", "交通"],
        "photoUrl": "http://example.com/zhang.png",
        "deputyGroupId": ids.west_group,
        "professionalGroupId": ids.pro_group,
    });
    let mutation = format!(
        "mutation($id: ID!, $i: DeputyInput!) {{ updateDeputy(id: $id, input: $i) {{ {DEPUTY_FIELDS} }} }}"
    );
    let res = app.gql(&mutation, json!({ "id": ids.zhang, "i": input }), Some(&staff)).await;
    let updated = res.data()["updateDeputy"].clone();
    let res = app.gql(&query, json!({ "id": ids.zhang }), Some(&staff)).await;
    let reread = res.data()["deputy"].clone();
    for deputy in [&updated, &reread] {
        assert_eq!(
            tags_of(&deputy["expertise"]),
            sorted(&["环境保护", "交通"]),
            "expertise replaced, not appended"
        );
        assert_eq!(deputy["occupation"], "OFFICIAL");
        assert_eq!(deputy["industry"], "建筑业");
        assert_eq!(deputy["photoUrl"], "http://example.com/zhang.png");
        // Left out means removed.
        assert_eq!(deputy["bio"], Value::Null);
        assert_eq!(deputy["phone"], Value::Null);
        assert_eq!(deputy["liaisonStation"], Value::Null);
        assert_eq!(deputy["deputyGroup"]["name"], WEST_GROUP);
        assert_eq!(deputy["professionalGroup"]["name"], PRO_GROUP);
        assert_eq!(deputy["congress"]["name"], CITY);
        assert_eq!(deputy["id"], json!(ids.zhang));
        assert_ne!(str_of(&deputy["updatedAt"]), updated_before, "updatedAt did not move");
    }

    // The roster follows.
    assert_roster(&app, json!({ "expertise": "环境保护" }), &["张明"]).await;
    assert_roster(&app, json!({ "expertise": "交通" }), &["张明", "王芳"]).await;
    assert_roster(&app, json!({ "expertise": "教育" }), &[]).await;
    assert_roster(&app, json!({ "expertise": "城市规划" }), &[]).await;
    assert_roster(&app, json!({ "industry": "教育" }), &[]).await;
    assert_roster(&app, json!({ "industry": "建筑业" }), &["张明"]).await;
    assert_roster(&app, json!({ "occupation": "OFFICIAL" }), &["张明", "赵强"]).await;
    assert_roster(&app, json!({ "occupation": "PROFESSIONAL" }), &["陈静"]).await;
    assert_roster(&app, json!({ "deputyGroupId": ids.west_group }), &["张明", "王芳", "赵强"]).await;
    assert_roster(&app, json!({ "deputyGroupId": ids.east_group }), &["李华", "陈静"]).await;
    assert_roster(&app, json!({ "liaisonStationId": ids.east_station }), &["李华", "王芳", "赵强", "陈静"])
        .await;
    assert_roster(&app, json!({ "professionalGroupId": ids.pro_group }), &["张明"]).await;
    // The deputy's own account still finds the profile.
    let zhang = token(&app, demo::DEPUTY).await;
    let res = app.gql("{ me { deputy { name industry phone } } }", json!({}), Some(&zhang)).await;
    assert_eq!(res.data()["me"]["deputy"], json!({ "name": "张明", "industry": "建筑业", "phone": null }));

    // An empty list clears the tags; other deputies keep theirs.
    let input = json!({ "name": "张明", "gender": "MALE", "occupation": "OFFICIAL", "expertise": [] });
    app.gql(&mutation, json!({ "id": ids.zhang, "i": input }), Some(&staff)).await.data();
    let res = app.gql(&query, json!({ "id": ids.zhang }), None).await;
    assert_eq!(res.data()["deputy"]["expertise"], json!([]));
    assert_eq!(res.data()["deputy"]["deputyGroup"], Value::Null);
    assert_roster(&app, json!({ "expertise": "环境保护" }), &[]).await;
    assert_roster(&app, json!({ "expertise": "交通" }), &["王芳"]).await;
    assert_roster(&app, json!({ "expertise": "医疗" }), &["陈静"]).await;
});
