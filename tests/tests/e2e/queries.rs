//! Query cost: a page of suggestions with their deputies, units and congress is a fixed handful of SQL
//! statements, whatever the page size (data loaders, no N+1).

use edaibiao_tests::{TestApp, demo, e2e};
use serde_json::json;

async fn statements(app: &TestApp) -> u64 {
    let (_, _, body) = app.get("/debug/sql-statements").await;
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    parsed["statements"].as_u64().unwrap_or_else(|| panic!("no statement count in {body}"))
}

const LIST: &str = "query($first: Int) { suggestions(first: $first) { totalCount nodes {
    serialNumber title state dueAt congress { name }
    leadDeputy { name deputyGroup { name } }
    coSigners { deputy { name } }
    units { role unit { name } }
} } }";

e2e!(a_page_costs_the_same_whatever_its_size, |app| {
    let deputy = app.login(demo::DEPUTY).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let units = [
        app.id_by_name("handlingUnits", "市交通运输局").await,
        app.id_by_name("handlingUnits", "市教育局").await,
    ];
    let co_signer = app.id_by_name("deputies", "李华").await;
    for i in 0..24 {
        let created = app
            .gql(
                "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
                json!({ "i": { "title": format!("建议{i}"), "content": "内容", "category": "交通", "sessionNumber": 1 } }),
                Some(&deputy),
            )
            .await;
        let id = created.data()["createSuggestion"]["id"].as_str().unwrap_or_default().to_owned();
        app.gql(
            "mutation($id: ID!, $d: ID!) { inviteCoSigner(id: $id, deputyId: $d) { id } }",
            json!({ "id": id, "d": co_signer }),
            Some(&deputy),
        )
        .await
        .data();
        app.gql(
            "mutation($id: ID!) { submitSuggestion(id: $id) { id } }",
            json!({ "id": id }),
            Some(&deputy),
        )
        .await
        .data();
        let assignment = json!({ "mode": "LEAD_WITH_CO", "units": [
            { "unitId": units[i % 2], "role": "LEAD" }, { "unitId": units[(i + 1) % 2], "role": "CO" } ] });
        app.gql(
            "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id } }",
            json!({ "id": id, "a": assignment }),
            Some(&staff),
        )
        .await
        .data();
    }

    let mut costs = Vec::new();
    // The big page first, while nothing is in the in-process directory memo.
    for first in [20, 2] {
        let before = statements(&app).await;
        let res = app.gql(LIST, json!({ "first": first }), Some(&staff)).await;
        let nodes = res.data()["suggestions"]["nodes"].as_array().map(Vec::len).unwrap_or_default();
        assert_eq!(nodes, first);
        costs.push(statements(&app).await - before);
    }
    // count, page, congresses, deputies, deputy groups, units: six statements for twenty suggestions, where
    // one query per item and relation would take over a hundred.
    assert!(costs[0] <= 6, "a page of 20 took {} statements", costs[0]);
    assert!(costs[1] <= costs[0], "a smaller page must not cost more: {costs:?}");
});

e2e!(a_page_larger_than_the_maximum_is_refused, |app| {
    // 100 is the largest page: served as asked, not clamped and not refused.
    let res = app.gql("{ congresses(first: 100) { totalCount nodes { id } } }", json!({}), None).await;
    let total = res.data()["congresses"]["totalCount"].as_u64().unwrap_or_default();
    let nodes = res.data()["congresses"]["nodes"].as_array().map(Vec::len).unwrap_or_default();
    assert_eq!(nodes as u64, total.min(100));

    for query in [
        "{ congresses(first: 100000) { totalCount nodes { id } } }",
        "{ congresses(first: 101) { totalCount } }",
    ] {
        let res = app.gql(query, json!({}), None).await;
        res.assert_code("BAD_USER_INPUT");
        assert_eq!(res.body["errors"][0]["extensions"]["field"], "first", "response: {}", res.body);
        assert!(
            res.body["data"].is_null() || res.body["data"]["congresses"].is_null(),
            "response: {}",
            res.body
        );
    }
});
