//! 检索 end to end: Chinese text found across a congress's suggestions and ranked, each role finding exactly
//! what it may see (the suggestion's own visibility rule), hostile queries refused or harmless, similar
//! matters while drafting and unit recommendation for staff.

use edaibiao_tests::world::{self, ok};
use edaibiao_tests::{TestApp, e2e};
use serde_json::{Value, json};

const SEARCH: &str = "query($q: String!, $first: Int, $after: String) {
    search(query: $q, kinds: [SUGGESTION], first: $first, after: $after) {
        hasNextPage endCursor hits { kind score highlightedTitle snippet suggestion { id title } }
    }
}";

/// The IDs `token` finds for `query`, among `ours`, in rank order.
async fn found(app: &TestApp, token: Option<&str>, query: &str, ours: &[&str]) -> Vec<String> {
    let data = ok(app, token, SEARCH, json!({ "q": query, "first": 50 })).await;
    data["search"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["suggestion"]["id"].as_str().map(str::to_owned))
        .filter(|id| ours.contains(&id.as_str()))
        .collect()
}

e2e!(search_finds_chinese_text_as_each_role_may_see_it, |app| {
    let w = world::build(&app).await;
    let jam = w.proposed(&app, "缓解早高峰交通拥堵").await;
    let plan = w.proposed(&app, "新区规划同步考虑交通").await;
    let public = w.parallel_answered(&app, "学校周边交通拥堵").await;
    let ours = [jam.as_str(), plan.as_str(), public.as_str()];

    let all = found(&app, Some(&w.a.deputy), "交通拥堵", &ours).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all.last(), Some(&plan), "one mention of 交通 ranks last");
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let everything = sorted(ours.iter().map(|s| (*s).to_owned()).collect());
    let only_public = vec![public.clone()];
    let cases: [(&str, Option<&str>, Vec<String>); 10] = [
        ("staff of A", Some(&w.a.staff), everything.clone()),
        ("admin", Some(&w.admin), everything.clone()),
        ("deputy 张明", Some(&w.a.deputy), everything.clone()),
        ("another deputy of A", Some(&w.a_deputy2), only_public.clone()),
        ("a deputy of B", Some(&w.b.deputy), only_public.clone()),
        ("unit of A", Some(&w.a.unit_staff), only_public.clone()),
        ("staff of B", Some(&w.b.staff), vec![]),
        ("citizen", Some(&w.citizen), vec![]),
        ("station staff", Some(&w.a.station_staff), vec![]),
        ("anonymous", None, vec![]),
    ];
    for (who, token, expected) in cases {
        assert_eq!(sorted(found(&app, token, "交通拥堵", &ours).await), expected, "{who}");
    }

    // The match is marked; a deputy with no part sees the public face only.
    let data = ok(&app, Some(&w.a.staff), SEARCH, json!({ "q": "早高峰交通拥堵", "first": 1 })).await;
    let hit = &data["search"]["hits"][0];
    assert_eq!(hit["suggestion"]["id"], json!(jam));
    assert_eq!(hit["highlightedTitle"], json!("缓解【早高峰交通拥堵】"));
    assert_eq!(hit["kind"], json!("SUGGESTION"));
    assert!(data["search"]["hasNextPage"].as_bool().unwrap());
    let next = data["search"]["endCursor"].as_str().unwrap().to_owned();
    let page2 =
        ok(&app, Some(&w.a.staff), SEARCH, json!({ "q": "早高峰交通拥堵", "first": 1, "after": next })).await;
    assert_ne!(page2["search"]["hits"][0]["suggestion"]["id"], json!(jam));

    // Hostile input: bounded, and full-text syntax is only text.
    for (vars, code) in [
        (json!({ "q": "交".repeat(10_000) }), "BAD_USER_INPUT"),
        (json!({ "q": "" }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "first": 51 }), "BAD_USER_INPUT"),
        (json!({ "q": "交通", "after": "bogus" }), "BAD_USER_INPUT"),
    ] {
        app.gql(SEARCH, vars, Some(&w.a.staff)).await.assert_code(code);
    }
    for q in ["\"", "*", "NEAR(交通 拥堵)", "交通\" OR \"x", "'; DROP TABLE search_documents; --", "！？。"]
    {
        ok(&app, Some(&w.a.staff), SEARCH, json!({ "q": q })).await;
    }

    // Similar matters while drafting: the existing one first, with its score; nothing for the public.
    const SIMILAR: &str = "query($c: ID!, $t: String!) {
        similarMatters(congressId: $c, text: $t, first: 5) { kind score suggestion { id } } }";
    let vars = json!({ "c": w.a.congress, "t": "关于缓解早高峰交通拥堵的建议" });
    let data = ok(&app, Some(&w.a.deputy), SIMILAR, vars.clone()).await;
    let top: &Value = &data["similarMatters"][0];
    assert_eq!(top["suggestion"]["id"], json!(jam));
    assert!(top["score"].as_f64().unwrap() > 0.5);
    let data = ok(&app, None, SIMILAR, vars).await;
    assert_eq!(data["similarMatters"], json!([]));

    // Unit recommendation: a new suggestion like the one the two units answered proposes them, with a reason.
    let new = w.proposed(&app, "学校周边交通拥堵治理").await;
    const RECOMMEND: &str = "query($id: ID!) {
        recommendUnits(suggestionId: $id) { lead score similarCount reason unit { id } } }";
    let data = ok(&app, Some(&w.a.staff), RECOMMEND, json!({ "id": new })).await;
    let proposed = data["recommendUnits"].as_array().unwrap();
    let leads: Vec<&Value> =
        proposed.iter().filter(|r| r["lead"] == json!(true)).map(|r| &r["unit"]["id"]).collect();
    assert!(leads.contains(&&json!(w.a.unit_id)), "{proposed:?}");
    assert!(proposed[0]["reason"].as_str().unwrap().contains("件相似建议由该单位主办"));
    app.gql(RECOMMEND, json!({ "id": new }), Some(&w.a.deputy)).await.assert_code("NOT_FOUND");
    app.gql(RECOMMEND, json!({ "id": new }), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
});
