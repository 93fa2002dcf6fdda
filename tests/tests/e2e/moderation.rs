//! Moderation of public content end to end: a citizen's comment on a draft law is reported by signed-in
//! readers; the report reaching the threshold hides it (once, under concurrency), tells its author and asks
//! A's staff; hidden, it is gone for everyone but its author and staff (lists, `node`, search); staff
//! restore it and later remove it with a reason the author reads; two staff removing at once make one
//! winner; reporters are counted per account; the threshold is configured per deployment.

use edaibiao_tests::legislation::COMMENT;
use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{TestApp, e2e, str_of};
use serde_json::{Value, json};

const REPORT: &str = "mutation($i: ReportContentInput!, $k: String) {
    r: reportContent(input: $i, idempotencyKey: $k) { reason note open createdAt } }";
const MODERATE: &str = "mutation($c: ID!, $d: ModerationDecision!, $r: String!, $k: String) {
    r: moderateContent(contentId: $c, decision: $d, reason: $r, idempotencyKey: $k) {
        id state openReports totalReports decisionReason history { state reason }
        draftComment { id content moderation } } }";
const QUEUE: &str =
    "query($c: ID!, $s: ModerationState) { moderationQueue(congressId: $c, state: $s, first: 50) {
    totalCount nodes { id contentKind state openReports totalReports hiddenAt
        reports { reason note open } history { state reason }
        draftComment { id content moderation commenter { name } } } } }";
const COMMENT_BY_ID: &str =
    "query($id: ID!) { draftComment(id: $id) { id content mine moderation moderationReason } }";
const COMMENTS: &str =
    "query($id: ID!) { draftLaw(id: $id) { comments(first: 100) { totalCount nodes { id moderation } } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";
const SEARCH: &str = "query($q: String!) { search(query: $q, first: 50) { nodes { id } } }";
const INBOX: &str = "{ notifications(first: 100) { nodes { kind title body subjectKind subjectId } } }";

fn report(content: &str, reason: &str, note: Option<&str>) -> Value {
    json!({ "i": { "contentId": content, "reason": reason, "note": note } })
}

async fn inbox_of(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    let data = ok(app, Some(token), INBOX, json!({})).await;
    data["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

async fn public_ids(app: &TestApp, token: Option<&str>, draft: &str) -> Vec<String> {
    let data = ok(app, token, COMMENTS, json!({ "id": draft })).await;
    let comments = &data["draftLaw"]["comments"];
    let ids: Vec<String> =
        comments["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["id"]).to_owned()).collect();
    assert_eq!(comments["totalCount"].as_u64(), Some(ids.len() as u64), "the count agrees with the list");
    ids
}

async fn searched(app: &TestApp, token: Option<&str>, text: &str) -> Vec<String> {
    let data = ok(app, token, SEARCH, json!({ "q": text })).await;
    data["search"]["nodes"].as_array().into_iter().flatten().map(|n| str_of(&n["id"]).to_owned()).collect()
}

e2e!(a_reported_comment_goes_through_the_moderation_queue, |app| {
    let w = world::build(&app).await;
    let lf = edaibiao_tests::legislation::fixture(&app, &w).await;
    let (draft, comment) = (lf.draft.as_str(), lf.comment.as_str());
    // The citizen's comment says something searchable; a second commenter's stays untouched throughout.
    let text = "这个条款写得像广告推销违规内容";
    ok(
        &app,
        Some(&w.citizen),
        "mutation($id: ID!, $c: String!) { editDraftComment(id: $id, content: $c) { id } }",
        json!({ "id": comment, "c": text }),
    )
    .await;
    let other =
        ok(&app, Some(&w.a_deputy2), COMMENT, json!({ "i": { "draftId": draft, "content": "整体赞成" } }))
            .await;
    let other = str_of(&other["r"]["id"]).to_owned();
    assert_eq!(public_ids(&app, None, draft).await, vec![comment.to_owned(), other.clone()]);
    assert_eq!(searched(&app, None, "广告推销").await, vec![comment.to_owned()]);

    // Who may not report, and reports that are not reports.
    app.gql(REPORT, report(comment, "SPAM", None), None).await.assert_code("UNAUTHENTICATED");
    app.gql(REPORT, report(comment, "SPAM", None), Some(&w.citizen)).await.assert_code("FORBIDDEN");
    app.gql(REPORT, report(comment, "OTHER", Some("  ")), Some(&w.a.deputy))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(REPORT, report(draft, "SPAM", None), Some(&w.a.deputy)).await.assert_code("BAD_USER_INPUT");
    let long = "长".repeat(501);
    app.gql(REPORT, report(comment, "ABUSE", Some(&long)), Some(&w.a.deputy))
        .await
        .assert_code("BAD_USER_INPUT");

    // 张明 reports; his retry with the same key is the same report, a second report is a CONFLICT.
    let first = ok(
        &app,
        Some(&w.a.deputy),
        REPORT,
        json!({ "i": report(comment, "SPAM", None)["i"], "k": "report-0001" }),
    )
    .await;
    assert_eq!(first["r"]["reason"], "SPAM");
    assert_eq!(first["r"]["open"], true);
    let again = ok(
        &app,
        Some(&w.a.deputy),
        REPORT,
        json!({ "i": report(comment, "SPAM", None)["i"], "k": "report-0001" }),
    )
    .await;
    assert_eq!(again["r"]["createdAt"], first["r"]["createdAt"], "the retry answers with the first report");
    app.gql(REPORT, report(comment, "ABUSE", None), Some(&w.a.deputy)).await.assert_code("CONFLICT");
    // 李华 reports too: two of three, still visible to everyone.
    ok(&app, Some(&w.a_deputy2), REPORT, report(comment, "OTHER", Some("冒充广告"))).await;
    assert_eq!(public_ids(&app, None, draft).await, vec![comment.to_owned(), other.clone()]);
    assert!(inbox_of(&app, &w.citizen, "MODERATION_CONTENT_HIDDEN").await.is_empty());

    // Two more readers at once (B's deputy, a new citizen): the first of them hides it, the other no longer
    // finds it. Exactly one hiding, one notice each.
    let reader = app.register_citizen("13712345601", "周八", "secret123a").await;
    let reader = str_of(&reader["accessToken"]).to_owned();
    let (x, y) = futures_util::join!(
        app.gql(REPORT, report(comment, "ABUSE", None), Some(&w.b.deputy)),
        app.gql(REPORT, report(comment, "PERSONAL_DATA", None), Some(&reader)),
    );
    let mut codes: Vec<&str> =
        [&x, &y].iter().map(|r| if r.body.get("errors").is_some() { r.code() } else { "ok" }).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["NOT_FOUND", "ok"], "{} {}", x.body, y.body);

    // Hidden: gone from the public list, node, search and the field, for anonymous readers, other readers
    // and B's staff; its author and A's staff still read it.
    assert_eq!(public_ids(&app, None, draft).await, vec![other.clone()]);
    assert_eq!(public_ids(&app, Some(&w.a.deputy), draft).await, vec![other.clone()]);
    assert_eq!(public_ids(&app, Some(&w.citizen), draft).await, vec![comment.to_owned(), other.clone()]);
    assert_eq!(public_ids(&app, Some(&w.a.staff), draft).await, vec![comment.to_owned(), other.clone()]);
    app.gql(COMMENT_BY_ID, json!({ "id": comment }), None).await.assert_code("NOT_FOUND");
    app.gql(COMMENT_BY_ID, json!({ "id": comment }), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
    assert!(ok(&app, None, NODE, json!({ "id": comment })).await["node"].is_null());
    assert!(searched(&app, None, "广告推销").await.is_empty());
    assert!(searched(&app, Some(&w.a.deputy), "广告推销").await.is_empty());
    assert_eq!(searched(&app, Some(&w.a.staff), "广告推销").await, vec![comment.to_owned()]);
    let own = ok(&app, Some(&w.citizen), COMMENT_BY_ID, json!({ "id": comment })).await;
    assert_eq!(own["draftComment"]["moderation"], "HIDDEN");
    assert_eq!(own["draftComment"]["mine"], true);
    // Hidden content cannot be reported any more by readers who do not see it.
    app.gql(REPORT, report(comment, "SPAM", None), Some(&w.b.staff)).await.assert_code("NOT_FOUND");

    // The author is told once; A's staff are asked once; B's staff hear nothing.
    let told = inbox_of(&app, &w.citizen, "MODERATION_CONTENT_HIDDEN").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["subjectKind"], "ModerationItem");
    assert_eq!(inbox_of(&app, &w.a.staff, "MODERATION_REVIEW_NEEDED").await.len(), 1);
    assert!(inbox_of(&app, &w.b.staff, "MODERATION_REVIEW_NEEDED").await.is_empty());

    // The queue: A's staff (and admins) only.
    let queue = ok(&app, Some(&w.a.staff), QUEUE, json!({ "c": w.a.congress })).await;
    let items = &queue["moderationQueue"];
    assert_eq!(items["totalCount"], 1);
    let item = &items["nodes"][0];
    assert_eq!(item["id"], told[0]["subjectId"], "the notice opens the item");
    assert_eq!(item["contentKind"], "DRAFT_COMMENT");
    assert_eq!(item["state"], "HIDDEN");
    assert_eq!((item["openReports"].as_i64(), item["totalReports"].as_i64()), (Some(3), Some(3)));
    assert!(item["hiddenAt"].is_string());
    assert_eq!(item["draftComment"]["content"], text);
    assert!(item["draftComment"]["commenter"]["name"].is_string(), "staff see who wrote it");
    let mut reasons: Vec<&str> =
        item["reports"].as_array().into_iter().flatten().map(|r| str_of(&r["reason"])).collect();
    reasons.sort_unstable();
    assert_eq!(reasons.len(), 3);
    assert!(reasons.contains(&"SPAM") && reasons.contains(&"OTHER"));
    assert!(item["reports"].as_array().into_iter().flatten().any(|r| r["note"] == "冒充广告"));
    assert_eq!(item["history"], json!([{ "state": "HIDDEN", "reason": null }]));
    let item_id = str_of(&item["id"]).to_owned();
    assert_eq!(
        ok(&app, Some(&w.admin), NODE, json!({ "id": item_id })).await["node"]["__typename"],
        "ModerationItem"
    );
    for outsider in [&w.b.staff, &w.a.deputy, &w.citizen] {
        app.gql(QUEUE, json!({ "c": w.a.congress }), Some(outsider)).await.assert_code("FORBIDDEN");
        assert!(ok(&app, Some(outsider), NODE, json!({ "id": item_id })).await["node"].is_null());
        let vars = json!({ "c": comment, "d": "RESTORE", "r": "无违规" });
        app.gql(MODERATE, vars, Some(outsider)).await.assert_code("FORBIDDEN");
    }
    app.gql(QUEUE, json!({ "c": w.a.congress }), None).await.assert_code("UNAUTHENTICATED");
    let b_queue = ok(&app, Some(&w.b.staff), QUEUE, json!({ "c": w.b.congress })).await;
    assert_eq!(b_queue["moderationQueue"]["totalCount"], 0);

    // A's staff restore it (a reason is required): visible again, reports closed, the author told why.
    let vars = json!({ "c": comment, "d": "RESTORE", "r": " " });
    app.gql(MODERATE, vars, Some(&w.a.staff)).await.assert_code("BAD_USER_INPUT");
    let vars = json!({ "c": comment, "d": "RESTORE", "r": "经核实不违反评论规则" });
    let restored = ok(&app, Some(&w.a.staff), MODERATE, vars.clone()).await;
    assert_eq!(restored["r"]["state"], "VISIBLE");
    assert_eq!(restored["r"]["openReports"], 0);
    assert_eq!(restored["r"]["totalReports"], 3);
    assert_eq!(restored["r"]["draftComment"]["moderation"], "VISIBLE");
    app.gql(MODERATE, vars, Some(&w.a.staff)).await.assert_code("CONFLICT");
    assert_eq!(public_ids(&app, None, draft).await, vec![comment.to_owned(), other.clone()]);
    assert_eq!(searched(&app, None, "广告推销").await, vec![comment.to_owned()]);
    let told = inbox_of(&app, &w.citizen, "MODERATION_CONTENT_RESTORED").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["body"], "经核实不违反评论规则");
    let own = ok(&app, Some(&w.citizen), COMMENT_BY_ID, json!({ "id": comment })).await;
    assert_eq!(own["draftComment"]["moderationReason"], "经核实不违反评论规则");
    let queue = ok(&app, Some(&w.a.staff), QUEUE, json!({ "c": w.a.congress })).await;
    assert_eq!(queue["moderationQueue"]["totalCount"], 0, "nothing waits any more");
    // Spent reports stay spent: 张明 cannot report it again.
    app.gql(REPORT, report(comment, "SPAM", None), Some(&w.a.deputy)).await.assert_code("CONFLICT");

    // Two staff remove it at once: one winner, a CONFLICT for the other; the author reads the reason.
    let remove = |reason: &str| json!({ "c": comment, "d": "REMOVE", "r": reason });
    let (x, y) = futures_util::join!(
        app.gql(MODERATE, remove("含有广告推销内容"), Some(&w.a.staff)),
        app.gql(MODERATE, remove("含有广告推销内容"), Some(&w.admin)),
    );
    let mut codes: Vec<&str> =
        [&x, &y].iter().map(|r| if r.body.get("errors").is_some() { r.code() } else { "ok" }).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["CONFLICT", "ok"], "{} {}", x.body, y.body);
    let removed = if x.body.get("errors").is_none() { &x } else { &y };
    assert_eq!(removed.data()["r"]["state"], "REMOVED");
    assert_eq!(
        removed.data()["r"]["history"],
        json!([{ "state": "HIDDEN", "reason": null }, { "state": "VISIBLE", "reason": "经核实不违反评论规则" },
            { "state": "REMOVED", "reason": "含有广告推销内容" }])
    );
    let told = inbox_of(&app, &w.citizen, "MODERATION_CONTENT_REMOVED").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["body"], "含有广告推销内容");
    let own = ok(&app, Some(&w.citizen), COMMENT_BY_ID, json!({ "id": comment })).await;
    assert_eq!(own["draftComment"]["moderation"], "REMOVED");
    assert_eq!(own["draftComment"]["moderationReason"], "含有广告推销内容");
    assert_eq!(public_ids(&app, None, draft).await, vec![other.clone()]);
    app.gql(REPORT, report(comment, "SPAM", None), Some(&reader)).await.assert_code("NOT_FOUND");
    let queue = ok(&app, Some(&w.a.staff), QUEUE, json!({ "c": w.a.congress, "s": "REMOVED" })).await;
    assert_eq!(queue["moderationQueue"]["nodes"][0]["id"], item_id);
    // The untouched comment never had an item.
    let visible = ok(&app, Some(&w.a.staff), QUEUE, json!({ "c": w.a.congress, "s": "VISIBLE" })).await;
    assert_eq!(visible["moderationQueue"]["totalCount"], 0);
});

e2e!(the_threshold_is_the_deployments_and_holds_across_instances, |app| {
    let w = world::build(&app).await;
    let lf = edaibiao_tests::legislation::fixture(&app, &w).await;
    // A second instance on the same data hides after one report.
    let mut env = app.env.clone();
    env.set("MODERATION_HIDE_AFTER_REPORTS", "1");
    let strict = env.spawn().await;
    ok(&strict, Some(&w.a.deputy), REPORT, report(&lf.comment, "ABUSE", None)).await;
    // Both instances now answer that it is hidden.
    for instance in [&app, &strict] {
        let ids = public_ids(instance, None, &lf.draft).await;
        assert!(!ids.contains(&lf.comment), "{ids:?}");
        let own = ok(instance, Some(&w.citizen), COMMENT_BY_ID, json!({ "id": lf.comment })).await;
        assert_eq!(own["draftComment"]["moderation"], "HIDDEN");
    }
    assert_eq!(inbox_of(&app, &w.citizen, "MODERATION_CONTENT_HIDDEN").await.len(), 1);
    // The default instance counts as it was told: one report on another comment does not hide it.
    let other =
        ok(&app, Some(&w.a_deputy2), COMMENT, json!({ "i": { "draftId": lf.draft, "content": "另一条" } }))
            .await;
    let other = str_of(&other["r"]["id"]).to_owned();
    ok(&app, Some(&w.a.deputy), REPORT, report(&other, "SPAM", None)).await;
    assert!(public_ids(&app, None, &lf.draft).await.contains(&other));
});
