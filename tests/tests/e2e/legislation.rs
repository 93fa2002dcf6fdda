//! Open legislation (开门立法) end to end: a call gathers proposals from a deputy and a citizen and staff mark
//! them; a draft gathers comments by article from a deputy, a citizen with an account, a citizen with a
//! phone confirmed by a one-time code and a legislative contact point; after the period staff mark them and
//! publish a second version. Who sees what (identity only to staff), periods, one comment per article per
//! person per version, idempotent retries, hostile inputs and limits.

use edaibiao_tests::legislation::{COMMENT, PROPOSE, PUBLISH_CALL, PUBLISH_DRAFT, call_input, draft_input};
use edaibiao_tests::time::{rfc3339, unix_now};
use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{TestApp, demo, e2e, str_of};
use serde_json::{Value, json};
use std::time::Duration;

const CITY: &str = "示例市第十七届人民代表大会";

const CALL: &str = "query($id: ID!) { legislativeCall(id: $id) { id title phase proposalCount
    proposals(first: 50) { totalCount nodes { id lawTitle kind reason outcome outcomeReason mine sourceKind
        proposer { name deputy { name } } } }
    timeline { kind note } } }";

const DRAFT: &str = "query($id: ID!) { draftLaw(id: $id) { id title currentVersion phase
    versions { number }
    articles { id number text changeNote basedOn { id } }
    v1: articles(version: 1) { id number }
    linkedDeputies { name }
    comments(first: 100) { totalCount nodes { id version sourceKind content outcome outcomeReason offlineCount
        offlineSource mine article { number } commenter { name phone deputy { name } station { name } } } }
    timeline { kind note } } }";

const MARK_PROPOSAL: &str = "mutation($id: ID!, $o: ProposalOutcome!, $r: String, $k: String) {
    r: markLegislativeProposal(id: $id, outcome: $o, reason: $r, idempotencyKey: $k) { id outcome outcomeReason } }";
const MARK_COMMENT: &str = "mutation($id: ID!, $o: CommentOutcome!, $r: String, $k: String) {
    r: markDraftComment(id: $id, outcome: $o, reason: $r, idempotencyKey: $k) { id outcome outcomeReason } }";
const EDIT: &str =
    "mutation($id: ID!, $c: String!) { r: editDraftComment(id: $id, content: $c) { id content } }";
const CODE: &str = "mutation($d: ID!, $p: String!) {
    r: requestDraftCommentCode(draftId: $d, phone: $p, privacyConsent: \"2026-12-06\") { expiresAt } }";
const CODE_WITHOUT_CONSENT: &str =
    "mutation($d: ID!, $p: String!) { r: requestDraftCommentCode(draftId: $d, phone: $p) { expiresAt } }";
const BY_PHONE: &str = "mutation($i: CommentOnDraftLawByPhoneInput!, $k: String) {
    r: commentOnDraftLawByPhone(input: $i, idempotencyKey: $k) { id version sourceKind content commenter { name } } }";
const CLOSE_DRAFT: &str = "mutation($id: ID!) { r: closeDraftLawComments(id: $id) { id phase } }";
const INBOX: &str = "{ notifications(first: 100) { nodes { kind subjectKind } } }";

/// A phone number of this test run, so that per-phone limits in a shared cache never carry over.
fn phone() -> String {
    let n = (unix_now().unsigned_abs() * 1000 + u64::from(std::process::id() % 1000)) % 100_000_000;
    format!("137{n:08}")
}

async fn wait_for(app: &TestApp, token: &str, kind: &str) {
    for _ in 0..80 {
        let data = ok(app, Some(token), INBOX, json!({})).await;
        let found =
            data["notifications"]["nodes"].as_array().into_iter().flatten().any(|n| n["kind"] == kind);
        if found {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no {kind} arrived for the account");
}

fn nodes(v: &Value) -> Vec<Value> {
    v["nodes"].as_array().cloned().unwrap_or_default()
}

/// A legislative contact point of the city and a worker of it; returns the worker's token.
async fn contact_point(app: &TestApp, admin: &str, congress: &str, phone: &str) -> String {
    let station = ok(
        app,
        Some(admin),
        "mutation($c: ID!, $i: LiaisonStationInput!) { r: createLiaisonStation(congressId: $c, input: $i) { id } }",
        json!({ "c": congress, "i": { "name": "南湖街道基层立法联系点", "kind": "LEGISLATIVE_CONTACT_POINT",
            "address": "示例市南湖路1号" } }),
    )
    .await;
    let station = str_of(&station["r"]["id"]).to_owned();
    world::account(app, admin, phone, "STATION_STAFF", ("stationId", &station)).await
}

e2e!(a_call_gathers_proposals_and_a_draft_gathers_comments_through_two_versions, |app| {
    let staff = app.login(demo::STAFF).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let citizen = app.login(demo::CITIZEN).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;
    let station = app.login(demo::STATION_STAFF).await.access;
    let admin = app.login(demo::ADMIN).await.access;
    let city = app.id_by_name("congresses", CITY).await;
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let point = contact_point(&app, &admin, &city, "13700009001").await;

    // ---- The demo data has an open call and draft.
    let seeded = ok(
        &app,
        None,
        "query($c: ID!) { legislativeCalls(congressId: $c) { totalCount nodes { phase } }
            draftLaws(congressId: $c) { nodes { title phase articles { number } } } }",
        json!({ "c": city }),
    )
    .await;
    assert_eq!(seeded["legislativeCalls"]["nodes"][0]["phase"], "OPEN", "{seeded}");
    assert_eq!(seeded["draftLaws"]["nodes"][0]["articles"].as_array().map(Vec::len), Some(4), "{seeded}");

    // ---- A call for the legislative plan.
    let call = ok(
        &app,
        Some(&staff),
        PUBLISH_CALL,
        json!({ "i": call_input(&city, "2027年度立法计划建议项目征集") }),
    )
    .await;
    let call = str_of(&call["r"]["id"]).to_owned();
    wait_for(&app, &li, "LEGISLATION_CALL_PUBLISHED").await;
    let propose = |law: &str, kind: &str| json!({ "i": { "callId": call, "lawTitle": law, "kind": kind, "reason": format!("{law}的立法理由") } });
    let by_zhang = ok(&app, Some(&zhang), PROPOSE, propose("示例市电动自行车管理条例", "MAKE")).await;
    let by_zhang = str_of(&by_zhang["r"]["id"]).to_owned();
    let by_citizen = ok(&app, Some(&citizen), PROPOSE, propose("示例市物业管理条例", "AMEND")).await;
    let by_citizen = str_of(&by_citizen["r"]["id"]).to_owned();
    app.gql(PROPOSE, propose("某条例", "MAKE"), Some(&unit)).await.assert_code("FORBIDDEN");
    app.gql(PROPOSE, propose("某条例", "MAKE"), Some(&staff)).await.assert_code("FORBIDDEN");
    app.gql(PROPOSE, propose("某条例", "MAKE"), None).await.assert_code("UNAUTHENTICATED");

    // Who sees the proposals: staff all with the proposer; the citizen their own; anonymous none.
    let seen = ok(&app, None, CALL, json!({ "id": call })).await["legislativeCall"].clone();
    assert_eq!(
        (seen["proposalCount"].clone(), seen["proposals"]["totalCount"].clone()),
        (json!(2), json!(0))
    );
    let own = ok(&app, Some(&citizen), CALL, json!({ "id": call })).await["legislativeCall"].clone();
    let own = nodes(&own["proposals"]);
    assert_eq!(own.len(), 1);
    assert_eq!(
        (own[0]["lawTitle"].clone(), own[0]["mine"].clone()),
        (json!("示例市物业管理条例"), json!(true))
    );
    assert_eq!(own[0]["proposer"], Value::Null, "the proposer's identity is for staff");
    let all = ok(&app, Some(&staff), CALL, json!({ "id": call })).await["legislativeCall"].clone();
    let all = nodes(&all["proposals"]);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["proposer"]["deputy"]["name"], "张明");
    assert_eq!(
        (all[0]["sourceKind"].clone(), all[1]["sourceKind"].clone()),
        (json!("DEPUTY"), json!("CITIZEN"))
    );
    assert_eq!(all[1]["proposer"]["name"], "市民孙女士");
    let node = "query($id: ID!) { node(id: $id) { id } }";
    assert_eq!(ok(&app, Some(&li), node, json!({ "id": by_citizen })).await["node"], Value::Null);

    // Staff mark them: a reason is needed unless taken; once; a retry with its key answers alike.
    app.gql(MARK_PROPOSAL, json!({ "id": by_citizen, "o": "NOT_TAKEN" }), Some(&staff))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(MARK_PROPOSAL, json!({ "id": by_zhang, "o": "TAKEN" }), Some(&zhang))
        .await
        .assert_code("FORBIDDEN");
    let taken = json!({ "id": by_zhang, "o": "TAKEN", "k": "mark-proposal-0001" });
    let first = ok(&app, Some(&staff), MARK_PROPOSAL, taken.clone()).await;
    let again = ok(&app, Some(&staff), MARK_PROPOSAL, taken).await;
    assert_eq!(first, again);
    assert_eq!(first["r"]["outcome"], "TAKEN");
    let not_taken = json!({ "id": by_citizen, "o": "NOT_TAKEN", "r": "已列入明年调研项目" });
    ok(&app, Some(&staff), MARK_PROPOSAL, not_taken.clone()).await;
    app.gql(MARK_PROPOSAL, not_taken, Some(&staff)).await.assert_code("CONFLICT");
    wait_for(&app, &citizen, "LEGISLATION_PROPOSAL_MARKED").await;
    let own = ok(&app, Some(&citizen), CALL, json!({ "id": call })).await["legislativeCall"].clone();
    let own = nodes(&own["proposals"]);
    assert_eq!(
        (own[0]["outcome"].clone(), own[0]["outcomeReason"].clone()),
        (json!("NOT_TAKEN"), json!("已列入明年调研项目"))
    );

    // ---- A draft for comment, linked to 张明.
    let input = draft_input(&city, "示例市文明行为促进条例（草案）", 3, &[&zhang_id]);
    let draft = ok(&app, Some(&staff), PUBLISH_DRAFT, json!({ "i": input })).await;
    let draft_id = str_of(&draft["r"]["id"]).to_owned();
    let articles: Vec<String> = draft["r"]["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| str_of(&a["id"]).to_owned())
        .collect();
    wait_for(&app, &zhang, "LEGISLATION_DRAFT_STAGE").await;
    let comment = |article: Option<&str>, content: &str| json!({ "i": { "draftId": draft_id, "articleId": article, "content": content } });

    // A deputy: once per article and version; edits their own; nobody else edits it.
    let z1 = ok(&app, Some(&zhang), COMMENT, comment(Some(&articles[0]), "建议明确适用范围")).await;
    assert_eq!((z1["r"]["sourceKind"].clone(), z1["r"]["mine"].clone()), (json!("DEPUTY"), json!(true)));
    let z1 = str_of(&z1["r"]["id"]).to_owned();
    app.gql(COMMENT, comment(Some(&articles[0]), "再提一条"), Some(&zhang)).await.assert_code("CONFLICT");
    let edited = ok(&app, Some(&zhang), EDIT, json!({ "id": z1, "c": "建议明确适用范围和例外情形" })).await;
    assert_eq!(edited["r"]["content"], "建议明确适用范围和例外情形");
    app.gql(EDIT, json!({ "id": z1, "c": "改掉" }), Some(&li)).await.assert_code("FORBIDDEN");
    // A citizen with an account, on the whole draft.
    let c1 = ok(&app, Some(&citizen), COMMENT, comment(None, "建议增加宣传教育的内容")).await;
    let c1 = str_of(&c1["r"]["id"]).to_owned();
    // A citizen with a phone confirmed by a one-time code, once they agreed to the privacy notice.
    let phone = phone();
    let refused = app.gql(CODE_WITHOUT_CONSENT, json!({ "d": draft_id, "p": phone }), None).await;
    refused.assert_code("BAD_USER_INPUT");
    assert_eq!(refused.body["errors"][0]["extensions"]["field"], "privacyConsent");
    ok(&app, None, CODE, json!({ "d": draft_id, "p": phone })).await;
    let code = app.env.sms.last_code(&phone);
    let by_phone = |content: &str, code: &str, comment_id: Option<&str>| {
        json!({ "i": { "draftId": draft_id, "articleId": articles[1], "content": content, "phone": phone,
            "code": code, "commentId": comment_id } })
    };
    app.gql(BY_PHONE, by_phone("意见", "000000", None), None).await.assert_code("BAD_USER_INPUT");
    let p1 = ok(&app, None, BY_PHONE, by_phone("第二条罚款过高", &code, None)).await;
    assert_eq!((p1["r"]["sourceKind"].clone(), p1["r"]["commenter"].clone()), (json!("PHONE"), Value::Null));
    let p1 = str_of(&p1["r"]["id"]).to_owned();
    ok(&app, None, CODE, json!({ "d": draft_id, "p": phone })).await;
    let code = app.env.sms.last_code(&phone);
    app.gql(BY_PHONE, by_phone("再说一次", &code, None), None).await.assert_code("CONFLICT");
    ok(&app, None, CODE, json!({ "d": draft_id, "p": phone })).await;
    let code = app.env.sms.last_code(&phone);
    let edited = ok(&app, None, BY_PHONE, by_phone("第二条罚款标准过高，建议降低", &code, Some(&p1))).await;
    assert_eq!(edited["r"]["content"], "第二条罚款标准过高，建议降低");
    // A legislative contact point enters what it collected offline; an ordinary station may not.
    let offline = json!({ "i": { "draftId": draft_id, "articleId": articles[1], "content": "座谈会上居民认为应分类管理",
        "offlineCount": 12, "offlineSource": "南湖社区座谈会" } });
    let cp1 = ok(&app, Some(&point), COMMENT, offline.clone()).await;
    assert_eq!(cp1["r"]["sourceKind"], "CONTACT_POINT");
    let cp1 = str_of(&cp1["r"]["id"]).to_owned();
    ok(&app, Some(&point), COMMENT, offline.clone()).await; // a second entry from other people
    app.gql(COMMENT, offline, Some(&station)).await.assert_code("FORBIDDEN");
    app.gql(COMMENT, comment(None, "x"), Some(&unit)).await.assert_code("FORBIDDEN");

    // Anonymous readers see the comments and their articles, never who made them; staff see who.
    let public = ok(&app, None, DRAFT, json!({ "id": draft_id })).await;
    let text = public.to_string();
    assert!(!text.contains(&phone), "a phone leaked: {text}");
    assert!(!text.contains("张明") && !text.contains("市民孙女士") && !text.contains("南湖街道"), "{text}");
    let public = &public["draftLaw"];
    assert_eq!(public["comments"]["totalCount"], 5);
    assert!(nodes(&public["comments"]).iter().all(|c| c["commenter"].is_null()));
    assert_eq!(public["linkedDeputies"], json!([]), "links are for the congress");
    let inside = ok(&app, Some(&staff), DRAFT, json!({ "id": draft_id })).await["draftLaw"].clone();
    assert_eq!(inside["linkedDeputies"], json!([{ "name": "张明" }]));
    let by_id = |id: &str| {
        nodes(&inside["comments"]).into_iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id}"))
    };
    assert_eq!(by_id(&z1)["commenter"]["deputy"]["name"], "张明");
    assert_eq!(by_id(&c1)["commenter"]["name"], "市民孙女士");
    assert_eq!(by_id(&p1)["commenter"]["phone"], json!(phone));
    assert_eq!(by_id(&cp1)["commenter"]["station"]["name"], "南湖街道基层立法联系点");
    assert_eq!(
        (by_id(&cp1)["offlineCount"].clone(), by_id(&p1)["article"]["number"].clone()),
        (json!(12), json!("第2条"))
    );

    // ---- The period: no marking while open; no commenting once closed.
    app.gql(MARK_COMMENT, json!({ "id": z1, "o": "ADOPTED" }), Some(&staff)).await.assert_code("CONFLICT");
    app.gql(CLOSE_DRAFT, json!({ "id": draft_id }), Some(&zhang)).await.assert_code("FORBIDDEN");
    let closed = ok(&app, Some(&staff), CLOSE_DRAFT, json!({ "id": draft_id })).await;
    assert_eq!(closed["r"]["phase"], "CLOSED");
    app.gql(COMMENT, comment(Some(&articles[2]), "晚了"), Some(&li)).await.assert_code("BAD_USER_INPUT");
    app.gql(EDIT, json!({ "id": z1, "c": "晚了" }), Some(&zhang)).await.assert_code("BAD_USER_INPUT");
    app.gql(CODE, json!({ "d": draft_id, "p": phone }), None).await.assert_code("BAD_USER_INPUT");

    // Staff mark each; the commenters are told (the contact point's workers for its entries).
    let mark = |id: &str, o: &str, r: Option<&str>| json!({ "id": id, "o": o, "r": r });
    ok(&app, Some(&staff), MARK_COMMENT, mark(&z1, "ADOPTED", None)).await;
    app.gql(MARK_COMMENT, mark(&c1, "PARTLY_ADOPTED", None), Some(&staff))
        .await
        .assert_code("BAD_USER_INPUT");
    ok(&app, Some(&staff), MARK_COMMENT, mark(&c1, "PARTLY_ADOPTED", Some("宣传教育另有规定"))).await;
    ok(&app, Some(&staff), MARK_COMMENT, mark(&p1, "NOT_ADOPTED", Some("罚款标准依据上位法"))).await;
    ok(&app, Some(&staff), MARK_COMMENT, mark(&cp1, "ADOPTED", None)).await;
    app.gql(MARK_COMMENT, mark(&z1, "NOT_ADOPTED", Some("改主意")), Some(&staff))
        .await
        .assert_code("CONFLICT");
    app.gql(MARK_COMMENT, mark(&z1, "ADOPTED", None), Some(&zhang)).await.assert_code("FORBIDDEN");
    wait_for(&app, &zhang, "LEGISLATION_COMMENT_MARKED").await;
    wait_for(&app, &citizen, "LEGISLATION_COMMENT_MARKED").await;
    wait_for(&app, &point, "LEGISLATION_COMMENT_MARKED").await;
    // The phone commenter looks it up publicly by the comment's ID.
    let looked = ok(
        &app,
        None,
        "query($id: ID!) { draftComment(id: $id) { outcome outcomeReason commenter { name } } }",
        json!({ "id": p1 }),
    )
    .await;
    assert_eq!(
        looked["draftComment"],
        json!({ "outcome": "NOT_ADOPTED", "outcomeReason": "罚款标准依据上位法", "commenter": null })
    );

    // ---- A second version: article 1 revised, article 2 dropped, 3 kept, a new one.
    let v2 = json!({ "i": { "draftId": draft_id, "closesAt": rfc3339(unix_now() + 20 * 86_400), "articles": [
        { "chapter": "第一章 总则", "number": "第1条", "text": "修改后的第一条", "changeNote": "明确适用范围和例外情形", "basedOnId": articles[0] },
        { "chapter": "第一章 总则", "number": "第2条", "text": "第3条的内容", "changeNote": "原第三条", "basedOnId": articles[2] },
        { "chapter": "第二章 宣传教育", "number": "第3条", "text": "新增的宣传教育条款", "changeNote": "新增" } ] } });
    let publish = "mutation($i: PublishDraftLawVersionInput!, $k: String) {
        r: publishDraftLawVersion(input: $i, idempotencyKey: $k) { currentVersion phase } }";
    app.gql(publish, v2.clone(), Some(&zhang)).await.assert_code("FORBIDDEN");
    let mut keyed = v2;
    keyed["k"] = json!("draft-version-0002");
    let published = ok(&app, Some(&staff), publish, keyed.clone()).await;
    assert_eq!(published["r"], json!({ "currentVersion": 2, "phase": "OPEN" }));
    assert_eq!(
        ok(&app, Some(&staff), publish, keyed).await["r"]["currentVersion"],
        2,
        "a retry publishes once"
    );
    wait_for(&app, &zhang, "LEGISLATION_DRAFT_STAGE").await;
    let now = ok(&app, None, DRAFT, json!({ "id": draft_id })).await["draftLaw"].clone();
    assert_eq!(now["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(now["articles"][0]["changeNote"], "明确适用范围和例外情形");
    assert_eq!(now["articles"][0]["basedOn"]["id"], json!(articles[0]));
    assert_eq!(now["v1"].as_array().map(Vec::len), Some(3), "version 1 stays as it was");
    let v2_article = str_of(&now["articles"][0]["id"]).to_owned();
    // Comments belong to their version: 张明 comments on the revised article once more.
    let z2 = ok(&app, Some(&zhang), COMMENT, comment(Some(&v2_article), "修改后可行")).await;
    assert_eq!(z2["r"]["version"], 2);
    app.gql(COMMENT, comment(Some(&articles[0]), "旧稿"), Some(&li)).await.assert_code("BAD_USER_INPUT");
    let timeline: Vec<Value> =
        now["timeline"].as_array().into_iter().flatten().map(|e| e["kind"].clone()).collect();
    assert_eq!(timeline.first(), Some(&json!("PUBLISHED")));
    assert!(
        timeline.contains(&json!("CLOSED")) && timeline.contains(&json!("VERSION_PUBLISHED")),
        "{timeline:?}"
    );

    // ---- Statistics and exports, for staff.
    let stats = "query($d: ID!, $v: Int) { r: draftLawStatistics(draftId: $d, version: $v) { people
        total { total pending positive partial negative adoptionRate }
        bySource { sourceKind people counts { total } } byArticle { article { number version } counts { total } } } }";
    let s = ok(&app, Some(&staff), stats, json!({ "d": draft_id, "v": 1 })).await["r"].clone();
    assert_eq!(
        s["total"],
        json!({ "total": 5, "pending": 1, "positive": 2, "partial": 1, "negative": 1, "adoptionRate": 0.75 })
    );
    assert_eq!(s["people"], 27, "12 + 12 + one each: {s}");
    let cp =
        s["bySource"].as_array().into_iter().flatten().find(|r| r["sourceKind"] == "CONTACT_POINT").cloned();
    assert_eq!(cp.map(|r| (r["people"].clone(), r["counts"]["total"].clone())), Some((json!(24), json!(2))));
    assert_eq!(s["byArticle"][0]["article"], Value::Null, "the whole draft first");
    let all = ok(&app, Some(&staff), stats, json!({ "d": draft_id })).await["r"].clone();
    assert_eq!(all["total"]["total"], 6);
    app.gql(stats, json!({ "d": draft_id }), Some(&zhang)).await.assert_code("FORBIDDEN");
    let call_stats =
        "query($c: ID!) { r: legislativeCallStatistics(callId: $c) { total { total positive negative }
        byKind { kind counts { total } } } }";
    let cs = ok(&app, Some(&staff), call_stats, json!({ "c": call })).await["r"].clone();
    assert_eq!(cs["total"], json!({ "total": 2, "positive": 1, "negative": 1 }));
    app.gql(call_stats, json!({ "c": call }), None).await.assert_code("UNAUTHENTICATED");
    let (status, content_type, csv) =
        get_with(&app, &format!("/exports/draft-law-statistics.csv?draftId={draft_id}"), &staff).await;
    assert_eq!(status, 200, "{csv}");
    assert!(content_type.starts_with("text/csv"));
    assert!(csv.contains("基层立法联系点") && csv.contains("合计"), "{csv}");
    let (status, _, csv) =
        get_with(&app, &format!("/exports/legislative-call-statistics.csv?callId={call}"), &staff).await;
    assert_eq!(status, 200, "{csv}");
    assert!(csv.contains("人大代表"), "{csv}");
    let (status, _, _) =
        get_with(&app, &format!("/exports/draft-law-statistics.csv?draftId={draft_id}"), &zhang).await;
    assert_eq!(status, 403);

    // ---- 张明's duty archive: the proposal and the first comment on the draft, one entry each.
    let archive = ok(
        &app,
        Some(&zhang),
        "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) { selfReported { title status } } }",
        json!({ "d": zhang_id, "y": edaibiao_tests::time::this_year() }),
    )
    .await;
    let titles: Vec<String> = archive["r"]["selfReported"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| format!("{} {}", str_of(&e["title"]), str_of(&e["status"])))
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles.iter().any(|t| t.starts_with("提出立法建议项目") && t.ends_with("VERIFIED")),
        "{titles:?}"
    );
    assert!(titles.iter().any(|t| t.contains("示例市文明行为促进条例")), "{titles:?}");
});

/// A GET with a bearer token: status, content type, body.
async fn get_with(app: &TestApp, path: &str, token: &str) -> (u16, String, String) {
    let mut response = app
        .client
        .get(app.url(path))
        .insert_header(("authorization", format!("Bearer {token}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = response.body().limit(1 << 20).await.expect("no body");
    (response.status().as_u16(), content_type, String::from_utf8_lossy(&body).into_owned())
}

e2e!(periods_retries_and_hostile_inputs, |app| {
    let staff = app.login(demo::STAFF).await.access;
    let citizen = app.login(demo::CITIZEN).await.access;
    let zhang = app.login(demo::DEPUTY).await.access;
    let city = app.id_by_name("congresses", CITY).await;

    // A call and a draft that open tomorrow take nothing today.
    let mut later = call_input(&city, "明日开始的征集");
    later["opensAt"] = json!(rfc3339(unix_now() + 86_400));
    let later = ok(&app, Some(&staff), PUBLISH_CALL, json!({ "i": later })).await;
    let input = json!({ "i": { "callId": later["r"]["id"], "lawTitle": "某条例", "kind": "MAKE", "reason": "理由" } });
    let refused = app.gql(PROPOSE, input, Some(&citizen)).await;
    refused.assert_code("BAD_USER_INPUT");
    assert!(refused.body.to_string().contains("period"), "{}", refused.body);

    // Bad periods, too many articles or links, too long texts: BAD_USER_INPUT.
    let mut past = call_input(&city, "过去的征集");
    past["closesAt"] = json!(rfc3339(unix_now() - 60));
    app.gql(PUBLISH_CALL, json!({ "i": past }), Some(&staff)).await.assert_code("BAD_USER_INPUT");
    let huge = draft_input(&city, "超长草案", 501, &[]);
    app.gql(PUBLISH_DRAFT, json!({ "i": huge }), Some(&staff)).await.assert_code("BAD_USER_INPUT");
    let mut dup = draft_input(&city, "重复条号", 2, &[]);
    dup["articles"][1]["number"] = json!("第1条");
    app.gql(PUBLISH_DRAFT, json!({ "i": dup }), Some(&staff)).await.assert_code("BAD_USER_INPUT");
    let mut long = draft_input(&city, "条文过长", 1, &[]);
    long["articles"][0]["text"] = json!("字".repeat(5001));
    app.gql(PUBLISH_DRAFT, json!({ "i": long }), Some(&staff)).await.assert_code("BAD_USER_INPUT");
    let zhang_id = app.id_by_name("deputies", "张明").await;
    let links: Vec<&str> = std::iter::repeat_n(zhang_id.as_str(), 101).collect();
    let many = draft_input(&city, "挂钩过多", 1, &links);
    app.gql(PUBLISH_DRAFT, json!({ "i": many }), Some(&staff)).await.assert_code("BAD_USER_INPUT");

    // A draft of 12 articles.
    let draft =
        ok(&app, Some(&staff), PUBLISH_DRAFT, json!({ "i": draft_input(&city, "限流草案", 12, &[]) })).await;
    let draft_id = str_of(&draft["r"]["id"]).to_owned();
    let articles: Vec<String> = draft["r"]["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| str_of(&a["id"]).to_owned())
        .collect();
    let comment = |i: usize, content: String| json!({ "i": { "draftId": draft_id, "articleId": articles[i], "content": content } });
    app.gql(COMMENT, comment(0, "长".repeat(2001)), Some(&citizen)).await.assert_code("BAD_USER_INPUT");
    app.gql(COMMENT, comment(0, "   ".to_owned()), Some(&citizen)).await.assert_code("BAD_USER_INPUT");
    let foreign = json!({ "i": { "draftId": draft_id, "articleId": draft_id, "content": "x" } });
    app.gql(COMMENT, foreign, Some(&citizen)).await.assert_code("BAD_USER_INPUT");
    let offline = json!({ "i": { "draftId": draft_id, "content": "x", "offlineCount": 3 } });
    app.gql(COMMENT, offline, Some(&citizen)).await.assert_code("BAD_USER_INPUT");

    // Idempotent retries: the same key makes one comment, one proposal.
    let keyed = |i: usize| {
        let mut v = comment(i, "同一请求".to_owned());
        v["k"] = json!("comment-retry-0001");
        v
    };
    let first = ok(&app, Some(&citizen), COMMENT, keyed(0)).await;
    let again = ok(&app, Some(&citizen), COMMENT, keyed(0)).await;
    assert_eq!(first["r"]["id"], again["r"]["id"]);
    // Ten an hour per account, like opinions (the retry was not counted).
    for i in 1..10 {
        ok(&app, Some(&citizen), COMMENT, comment(i, format!("第{i}条意见"))).await;
    }
    let limited = app.gql(COMMENT, comment(10, "第十一条".to_owned()), Some(&citizen)).await;
    limited.assert_code("RATE_LIMITED");
    let count = ok(
        &app,
        Some(&citizen),
        "query($id: ID!) { draftLaw(id: $id) { comments(mine: true) { totalCount } } }",
        json!({ "id": draft_id }),
    )
    .await;
    assert_eq!(count["draftLaw"]["comments"]["totalCount"], 10);

    let call = ok(&app, Some(&staff), PUBLISH_CALL, json!({ "i": call_input(&city, "重试征集") })).await;
    let call = str_of(&call["r"]["id"]).to_owned();
    let input = json!({ "i": { "callId": call, "lawTitle": "某条例", "kind": "AMEND", "reason": "理由" },
        "k": "propose-retry-0001" });
    let first = ok(&app, Some(&zhang), PROPOSE, input.clone()).await;
    let again = ok(&app, Some(&zhang), PROPOSE, input).await;
    assert_eq!(first["r"]["id"], again["r"]["id"]);
    let counted = ok(
        &app,
        None,
        "query($id: ID!) { legislativeCall(id: $id) { proposalCount } }",
        json!({ "id": call }),
    )
    .await;
    assert_eq!(counted["legislativeCall"]["proposalCount"], 1);
    let long = json!({ "i": { "callId": call, "lawTitle": "某条例", "kind": "AMEND", "reason": "理".repeat(2001) } });
    app.gql(PROPOSE, long, Some(&zhang)).await.assert_code("BAD_USER_INPUT");

    // A phone commenter's retry with the same key answers with the first comment.
    let phone = phone();
    ok(&app, None, CODE, json!({ "d": draft_id, "p": phone })).await;
    let code = app.env.sms.last_code(&phone);
    let input = json!({ "i": { "draftId": draft_id, "articleId": articles[11], "content": "手机意见", "phone": phone,
        "code": code }, "k": "phone-retry-0001" });
    let first = ok(&app, None, BY_PHONE, input.clone()).await;
    let again = ok(&app, None, BY_PHONE, input).await;
    assert_eq!(first["r"]["id"], again["r"]["id"]);
});

e2e!(concurrent_comments_and_marks_have_one_winner, |app| {
    let staff = app.login(demo::STAFF).await.access;
    let admin = app.login(demo::ADMIN).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let city = app.id_by_name("congresses", CITY).await;
    let draft =
        ok(&app, Some(&staff), PUBLISH_DRAFT, json!({ "i": draft_input(&city, "并发草案", 1, &[]) })).await;
    let draft_id = str_of(&draft["r"]["id"]).to_owned();
    let article = str_of(&draft["r"]["articles"][0]["id"]).to_owned();

    // The same person comments on the same article five times at once: one comment, the rest CONFLICT.
    let input = json!({ "i": { "draftId": draft_id, "articleId": article, "content": "同时提交" } });
    let tries = (0..5).map(|_| app.gql(COMMENT, input.clone(), Some(&li)));
    let results = futures_util::future::join_all(tries).await;
    let made = results.iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(made, 1, "{:?}", results.iter().map(|r| r.body.to_string()).collect::<Vec<_>>());
    for refused in results.iter().filter(|r| r.body.get("errors").is_some()) {
        refused.assert_code("CONFLICT");
    }
    let comment = results
        .iter()
        .find(|r| r.body.get("errors").is_none())
        .map(|r| str_of(&r.data()["r"]["id"]).to_owned())
        .unwrap_or_default();

    // Staff and an admin mark it at once with different outcomes: one wins, the other is CONFLICT.
    ok(&app, Some(&staff), CLOSE_DRAFT, json!({ "id": draft_id })).await;
    let adopt = app.gql(MARK_COMMENT, json!({ "id": comment, "o": "ADOPTED" }), Some(&staff));
    let reject =
        app.gql(MARK_COMMENT, json!({ "id": comment, "o": "NOT_ADOPTED", "r": "不采纳" }), Some(&admin));
    let (a, b) = futures_util::future::join(adopt, reject).await;
    let won = [&a, &b].iter().filter(|r| r.body.get("errors").is_none()).count();
    assert_eq!(won, 1, "{} {}", a.body, b.body);
    for r in [&a, &b] {
        if r.body.get("errors").is_some() {
            r.assert_code("CONFLICT");
        }
    }
    let seen =
        ok(&app, None, "query($id: ID!) { draftComment(id: $id) { outcome } }", json!({ "id": comment }))
            .await;
    assert_ne!(seen["draftComment"]["outcome"], "PENDING");
});
