//! Online learning (在线学习), the news feed (人大工作动态) and documents (资料查询): a material reaches
//! its audience only; a course completed twice counts once in the archive, in quota progress and in points;
//! the feed is newest first and an important item is pushed; public documents are readable by anyone.

use edaibiao_tests::learning::{COMPLETE, PUBLISH, PUBLISH_DOCUMENT, PUBLISH_NEWS, course_input};
use edaibiao_tests::time::this_year;
use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{TestApp, WebhookSink, e2e, str_of};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const MATERIAL: &str = "query($id: ID!) { r: learningMaterial(id: $id) {
    id title isCourse audience myCompletion { completedAt secondsSpent } } }";
const MATERIALS: &str =
    "query($c: ID!) { r: learningMaterials(congressId: $c, first: 100) { totalCount nodes { id title } } }";
const PROGRESS: &str = "query($id: ID!) { r: courseProgress(id: $id) {
    audienceCount completedCount deputies { name completion { secondsSpent } } } }";
const FEED: &str =
    "query($c: ID!) { r: newsFeed(congressId: $c, first: 100) { nodes { id title important } } }";
const DOCUMENTS: &str =
    "query($c: ID!) { r: documents(congressId: $c, first: 100) { nodes { id title public } } }";

fn titles(list: &Value) -> Vec<String> {
    list["r"]["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["title"]).to_owned()).collect()
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

e2e!(a_course_reaches_its_audience_and_counts_once_in_the_archive, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let staff = Some(a.staff.as_str());
    // A quota that counts completed courses, one a year.
    let quota = json!({ "congressId": a.congress, "item": "每年完成一门学习课程", "period": "YEAR",
        "required": 1, "counts": ["COURSE_COMPLETED"] });
    let set_quota = "mutation($i: DutyQuotaInput!) { r: setDutyQuota(input: $i) { id } }";
    let quota_id = str_of(&ok(&app, staff, set_quota, json!({ "i": quota })).await["r"]["id"]).to_owned();

    // A course for 西城区代表团: 张明 (东城区代表团) does not see it, cannot complete it; staff do.
    let west = app.id_by_name("deputyGroups", "西城区代表团").await;
    let input = course_input(&a.congress, "西城课程", "DEPUTY_GROUP", Some(&west), &[]);
    let west_course = ok(&app, staff, PUBLISH, json!({ "i": input })).await;
    let west_course = str_of(&west_course["r"]["id"]).to_owned();
    app.gql(MATERIAL, json!({ "id": west_course }), Some(&a.deputy)).await.assert_code("NOT_FOUND");
    app.gql(COMPLETE, json!({ "id": west_course }), Some(&a.deputy)).await.assert_code("NOT_FOUND");
    let mine = ok(&app, Some(&a.deputy), MATERIALS, json!({ "c": a.congress })).await;
    assert!(!titles(&mine).contains(&"西城课程".to_owned()), "{mine}");
    let seen = ok(&app, staff, MATERIAL, json!({ "id": west_course })).await;
    assert_eq!(seen["r"]["audience"], "DEPUTY_GROUP");
    let progress = ok(&app, staff, PROGRESS, json!({ "id": west_course })).await;
    assert_eq!(
        (progress["r"]["audienceCount"].as_i64(), progress["r"]["completedCount"].as_i64()),
        (Some(2), Some(0))
    );
    // Other congresses see nothing of it.
    app.gql(MATERIAL, json!({ "id": west_course }), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
    app.gql(MATERIALS, json!({ "c": a.congress }), Some(&w.b.deputy)).await.assert_code("FORBIDDEN");

    // A course assigned to 张明 alone (a retry with the same key publishes once); he is told, 李华 is not.
    let before = kinds(&app, &w.a_deputy2).await;
    let input = json!({ "i": course_input(&a.congress, "代表履职能力培训", "ASSIGNED", None, &[&a.deputy_id]), "k": "course-1" });
    let first = ok(&app, staff, PUBLISH, input.clone()).await;
    let again = ok(&app, staff, PUBLISH, input).await;
    assert_eq!(first["r"]["id"], again["r"]["id"]);
    assert_eq!(first["r"]["isCourse"], true);
    let course = str_of(&first["r"]["id"]).to_owned();
    assert!(kinds(&app, &a.deputy).await.contains(&"LEARNING_MATERIAL_PUBLISHED".to_owned()));
    assert_eq!(kinds(&app, &w.a_deputy2).await, before, "李华 is not in the audience");
    app.gql(MATERIAL, json!({ "id": course }), Some(&w.a_deputy2)).await.assert_code("NOT_FOUND");
    app.gql(COMPLETE, json!({ "id": course }), Some(&w.a_deputy2)).await.assert_code("NOT_FOUND");
    app.gql(COMPLETE, json!({ "id": course }), Some(&a.staff)).await.assert_code("FORBIDDEN");
    app.gql(COMPLETE, json!({ "id": course, "s": 0 }), Some(&a.deputy)).await.assert_code("BAD_USER_INPUT");
    app.gql(COMPLETE, json!({ "id": course, "s": 86_401 }), Some(&a.deputy))
        .await
        .assert_code("BAD_USER_INPUT");

    // 张明 completes it, then again (a retry): the first completion stands.
    let done = ok(&app, Some(&a.deputy), COMPLETE, json!({ "id": course, "s": 600 })).await;
    let retry = ok(&app, Some(&a.deputy), COMPLETE, json!({ "id": course, "s": 900 })).await;
    assert_eq!(done["r"]["secondsSpent"], 600);
    assert_eq!(retry["r"], done["r"]);
    let seen = ok(&app, Some(&a.deputy), MATERIAL, json!({ "id": course })).await;
    assert_eq!(seen["r"]["myCompletion"]["secondsSpent"], 600);

    // The archive holds it once, the quota is met, the points rule counts it once.
    let archive = "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) {
        coursesCompleted { kind title sourceId sourceType } } }";
    let vars = json!({ "d": a.deputy_id, "y": this_year() });
    let arch = ok(&app, Some(&a.deputy), archive, vars.clone()).await;
    let courses = arch["r"]["coursesCompleted"].as_array().cloned().unwrap_or_default();
    assert_eq!(courses.len(), 1, "{arch}");
    assert_eq!(courses[0]["kind"], "COURSE_COMPLETED");
    assert_eq!(courses[0]["sourceId"], json!(course));
    assert_eq!(courses[0]["sourceType"], "LearningMaterial");
    let progress_q = "query($c: ID!) { r: quotaProgress(congressId: $c) {
        deputies { name items { quotaId done required behind } } } }";
    let quotas = ok(&app, staff, progress_q, json!({ "c": a.congress })).await;
    let item_of = |name: &str| {
        quotas["r"]["deputies"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["name"] == name)
            .and_then(|d| {
                d["items"].as_array().into_iter().flatten().find(|i| i["quotaId"] == json!(quota_id)).cloned()
            })
            .unwrap_or_else(|| panic!("no quota item for {name}: {quotas}"))
    };
    assert_eq!(item_of("张明")["done"], 1);
    assert_eq!(item_of("张明")["behind"], false);
    assert_eq!(item_of("李华")["done"], 0);
    let ledger =
        "query($d: ID!, $y: Int!) { r: pointsLedger(deputyId: $d, year: $y) { lines { kind awarded } } }";
    let ledger = ok(&app, Some(&a.deputy), ledger, vars).await;
    let lines: Vec<&Value> = ledger["r"]["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["kind"] == "COURSE_COMPLETED")
        .collect();
    assert_eq!(lines.len(), 1, "{ledger}");
    assert_eq!(lines[0]["awarded"], 1);

    // Staff see who completed it.
    let progress = ok(&app, staff, PROGRESS, json!({ "id": course })).await;
    assert_eq!(progress["r"]["completedCount"], 1);
    assert_eq!(progress["r"]["deputies"][0]["name"], "张明");
    app.gql(PROGRESS, json!({ "id": course }), Some(&a.deputy)).await.assert_code("FORBIDDEN");

    // Input is bounded: an http video, an article without text.
    let mut bad = course_input(&a.congress, "课程", "ALL_DEPUTIES", None, &[]);
    bad["url"] = json!("http://video.example.cn/v.mp4");
    app.gql(PUBLISH, json!({ "i": bad }), staff).await.assert_code("BAD_USER_INPUT");
    let article = json!({ "congressId": a.congress, "title": "无正文", "kind": "ARTICLE",
        "category": "WORK_REPORTS", "audience": "ALL_DEPUTIES" });
    app.gql(PUBLISH, json!({ "i": article }), staff).await.assert_code("BAD_USER_INPUT");
    let group_for_all = course_input(&a.congress, "课程", "ALL_DEPUTIES", Some(&west), &[]);
    app.gql(PUBLISH, json!({ "i": group_for_all }), staff).await.assert_code("BAD_USER_INPUT");
});

/// Waits (up to 15 s) for a push of a notification of `kind` to reach `gateway`.
async fn wait_for_push(gateway: &WebhookSink, kind: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(body) = gateway.received().into_iter().find(|b| b["kind"] == kind) {
            return body;
        }
        assert!(Instant::now() < deadline, "no push of {kind}; got {:?}", gateway.received());
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

e2e!(the_news_feed_is_newest_first_and_an_important_item_is_pushed, |app| {
    let gateway = WebhookSink::start("/push");
    let mut env = app.env.clone();
    env.set("PUSH_GATEWAY_URL", &gateway.url);
    env.set("PUSH_INTERVAL_SECS", "1");
    let app = env.spawn().await;
    let w = world::build(&app).await;
    let a = &w.a;
    let register = "mutation($t: String!) { registerDevice(platform: IOS, token: $t) { token } }";
    ok(&app, Some(&a.deputy), register, json!({ "t": "zhang-news-phone" })).await;

    let news = |title: &str, important: bool| json!({ "i": { "congressId": a.congress, "title": title, "body": "内容", "important": important } });
    ok(&app, Some(&a.staff), PUBLISH_NEWS, news("常委会听取工作报告", false)).await;
    let important = ok(&app, Some(&a.staff), PUBLISH_NEWS, news("市人大代表大会召开", true)).await;
    assert_eq!(important["r"]["important"], true);

    let feed = ok(&app, Some(&a.deputy), FEED, json!({ "c": a.congress })).await;
    assert_eq!(titles(&feed)[..2], ["市人大代表大会召开".to_owned(), "常委会听取工作报告".to_owned()]);
    let push = wait_for_push(&gateway, "NEWS_IMPORTANT").await;
    assert_eq!(push["devices"], json!([{ "platform": "IOS", "token": "zhang-news-phone" }]));
    assert_eq!(push["title"], "人大工作动态");
    let told = kinds(&app, &a.deputy).await;
    assert_eq!(
        told.iter().filter(|k| *k == "NEWS_IMPORTANT").count(),
        1,
        "only the important item: {told:?}"
    );

    // The feed is the congress's: staff and deputies of A; B's deputy is refused, anonymous must sign in.
    ok(&app, Some(&a.staff), FEED, json!({ "c": a.congress })).await;
    app.gql(FEED, json!({ "c": a.congress }), Some(&w.b.deputy)).await.assert_code("FORBIDDEN");
    app.gql(FEED, json!({ "c": a.congress }), None).await.assert_code("UNAUTHENTICATED");
    app.gql(PUBLISH_NEWS, news("代表发布", false), Some(&a.deputy)).await.assert_code("FORBIDDEN");
});

e2e!(documents_are_for_the_congress_and_public_ones_for_anyone, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let doc = |title: &str, public: bool| {
        json!({ "i": { "congressId": a.congress, "title": title, "body": "全文", "category": "LAWS_AND_REGULATIONS",
            "url": "https://law.example.cn/1", "public": public } })
    };
    let public = ok(&app, Some(&a.staff), PUBLISH_DOCUMENT, doc("代表法", true)).await;
    let internal = ok(&app, Some(&a.staff), PUBLISH_DOCUMENT, doc("内部工作规则", false)).await;
    let by_deputy = ok(&app, Some(&a.deputy), DOCUMENTS, json!({ "c": a.congress })).await;
    assert!(titles(&by_deputy).contains(&"内部工作规则".to_owned()), "{by_deputy}");
    for outsider in [None, Some(w.b.staff.as_str()), Some(w.citizen.as_str())] {
        let list = ok(&app, outsider, DOCUMENTS, json!({ "c": a.congress })).await;
        assert!(titles(&list).contains(&"代表法".to_owned()), "{list}");
        assert!(!titles(&list).contains(&"内部工作规则".to_owned()), "{list}");
        let one = "query($id: ID!) { r: document(id: $id) { title } }";
        ok(&app, outsider, one, json!({ "id": public["r"]["id"] })).await;
        app.gql(one, json!({ "id": internal["r"]["id"] }), outsider).await.assert_code("NOT_FOUND");
    }
    let course = json!({ "i": { "congressId": a.congress, "title": "课", "body": "x", "category": "TRAINING_COURSES" } });
    app.gql(PUBLISH_DOCUMENT, course, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
});

const EDIT: &str = "mutation($id: ID!, $i: EditLearningMaterialInput!, $k: String) {
    r: editLearningMaterial(id: $id, input: $i, idempotencyKey: $k) { id title body url updatedAt withdrawnAt } }";
const WITHDRAW: &str = "mutation($id: ID!, $k: String) {
    r: withdrawLearningMaterial(id: $id, idempotencyKey: $k) { id title withdrawnAt } }";
const FIND: &str = "query($q: String!) { search(query: $q, kinds: [LEARNING_MATERIAL], first: 50) {
    edges { highlightedTitle node { id } } } }";

/// The materials `token` finds for `query`.
async fn found(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let data = ok(app, Some(token), FIND, json!({ "q": query })).await;
    data["search"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| str_of(&e["node"]["id"]).to_owned())
        .collect()
}

e2e!(staff_edit_and_withdraw_a_material_and_search_follows, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let staff = Some(a.staff.as_str());
    let input = course_input(&a.congress, "萤火虫保护培训课程", "ALL_DEPUTIES", None, &[]);
    let course = ok(&app, staff, PUBLISH, json!({ "i": input })).await;
    let course = str_of(&course["r"]["id"]).to_owned();
    ok(&app, Some(&a.deputy), COMPLETE, json!({ "id": course, "s": 300 })).await;
    assert_eq!(found(&app, &a.deputy, "萤火虫保护").await, vec![course.clone()]);

    // Staff edit it: the new words are found at once (indexed in the edit's transaction), the old are not;
    // the URL is checked as when published.
    let edit = json!({ "title": "湿地生态保护培训课程", "body": "湿地与候鸟",
        "url": "https://video.example.cn/wetland.mp4" });
    let edited = ok(&app, staff, EDIT, json!({ "id": course, "i": edit, "k": "edit-course-1" })).await;
    assert_eq!(edited["r"]["title"], "湿地生态保护培训课程");
    assert!(edited["r"]["updatedAt"].is_string() && edited["r"]["withdrawnAt"].is_null());
    assert_eq!(found(&app, &a.deputy, "湿地生态").await, vec![course.clone()]);
    assert!(found(&app, &a.deputy, "萤火虫").await.is_empty());
    let bad = json!({ "title": "x", "url": "http://video.example.cn/v.mp4" });
    app.gql(EDIT, json!({ "id": course, "i": bad }), staff).await.assert_code("BAD_USER_INPUT");
    let long = json!({ "title": "标".repeat(101), "url": "https://video.example.cn/v.mp4" });
    app.gql(EDIT, json!({ "id": course, "i": long }), staff).await.assert_code("BAD_USER_INPUT");
    // Who may not: a deputy of its audience (FORBIDDEN), anyone who does not see it (NOT_FOUND).
    for (token, code) in [
        (Some(a.deputy.as_str()), "FORBIDDEN"),
        (Some(w.b.staff.as_str()), "NOT_FOUND"),
        (Some(a.unit_staff.as_str()), "NOT_FOUND"),
        (None, "UNAUTHENTICATED"),
    ] {
        app.gql(EDIT, json!({ "id": course, "i": edit }), token).await.assert_code(code);
        app.gql(WITHDRAW, json!({ "id": course }), token).await.assert_code(code);
    }

    // Two staff withdrawing at once: one wins, the other is told it was withdrawn (CONFLICT); a retry with
    // the winner's key answers as the first.
    let (one, two) = tokio::join!(
        app.gql(WITHDRAW, json!({ "id": course, "k": "withdraw-1" }), staff),
        app.gql(WITHDRAW, json!({ "id": course, "k": "withdraw-2" }), Some(w.admin.as_str())),
    );
    let code =
        |r: &edaibiao_tests::Gql| r.body["errors"][0]["extensions"]["code"].as_str().map(str::to_owned);
    let codes = [code(&one), code(&two)];
    assert!(codes.contains(&None) && codes.contains(&Some("CONFLICT".to_owned())), "{codes:?}");
    let winner = if code(&one).is_none() {
        (&one, staff, "withdraw-1")
    } else {
        (&two, Some(w.admin.as_str()), "withdraw-2")
    };
    assert!(winner.0.data()["r"]["withdrawnAt"].is_string());
    let again = ok(&app, winner.1, WITHDRAW, json!({ "id": course, "k": winner.2 })).await;
    assert_eq!(again["r"]["withdrawnAt"], winner.0.data()["r"]["withdrawnAt"]);
    app.gql(WITHDRAW, json!({ "id": course }), staff).await.assert_code("CONFLICT");
    app.gql(EDIT, json!({ "id": course, "i": edit }), staff).await.assert_code("CONFLICT");

    // Withdrawn: gone from lists and search for everyone, gone for its audience; staff still read it and its
    // progress; the completion stays in 张明's archive.
    for token in [&a.deputy, &a.staff] {
        let list = ok(&app, Some(token), MATERIALS, json!({ "c": a.congress })).await;
        assert!(!titles(&list).contains(&"湿地生态保护培训课程".to_owned()), "{list}");
        assert!(found(&app, token, "湿地生态").await.is_empty());
    }
    app.gql(MATERIAL, json!({ "id": course }), Some(&a.deputy)).await.assert_code("NOT_FOUND");
    app.gql(COMPLETE, json!({ "id": course }), Some(&w.a_deputy2)).await.assert_code("NOT_FOUND");
    let node =
        ok(&app, Some(&a.deputy), "query($id: ID!) { node(id: $id) { id } }", json!({ "id": course })).await;
    assert!(node["node"].is_null());
    let seen = ok(&app, staff, MATERIAL, json!({ "id": course })).await;
    assert_eq!(seen["r"]["title"], "湿地生态保护培训课程");
    let progress = ok(&app, staff, PROGRESS, json!({ "id": course })).await;
    assert_eq!(progress["r"]["completedCount"], 1);
    let archive = "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) {
        coursesCompleted { sourceId } } }";
    let arch = ok(&app, Some(&a.deputy), archive, json!({ "d": a.deputy_id, "y": this_year() })).await;
    assert_eq!(arch["r"]["coursesCompleted"], json!([{ "sourceId": course }]));
});
