//! Merging suggestions (并案): handled together under one assignment, each lead deputy rates their own.

use edaibiao_tests::{TestApp, demo, e2e};
use serde_json::{Value, json};

const FIELDS: &str = "id state mergedIntoId mergedSuggestionIds units { unit { name } accepted answer { content } rating { result } rehandleCount }";

async fn draft(app: &TestApp, token: &str, title: &str) -> String {
    let q = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let i = json!({ "i": { "title": title, "content": "同一问题", "category": "交通", "sessionNumber": 1 } });
    let id = app.gql(q, i, Some(token)).await.data()["createSuggestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.gql("mutation($id: ID!) { submitSuggestion(id: $id) { id } }", json!({ "id": id }), Some(token))
        .await
        .data();
    id
}

async fn get(app: &TestApp, token: &str, id: &str) -> Value {
    let q = format!("query($id: ID!) {{ suggestion(id: $id) {{ {FIELDS} }} }}");
    app.gql(&q, json!({ "id": id }), Some(token)).await.data()["suggestion"].clone()
}

e2e!(merged_suggestions_are_handled_together_and_rated_apart, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;
    let primary = draft(&app, &zhang, "关于增设公交线路的建议").await;
    let member = draft(&app, &li, "关于优化公交线路的建议").await;
    let merge =
        "mutation($id: ID!, $into: ID!) { mergeSuggestion(id: $id, intoId: $into) { id mergedIntoId } }";

    app.gql(merge, json!({ "id": member, "into": primary }), Some(&li)).await.assert_code("FORBIDDEN");
    let res = app.gql(merge, json!({ "id": member, "into": member }), Some(&staff)).await;
    res.assert_code("BAD_USER_INPUT");
    let merged = app.gql(merge, json!({ "id": member, "into": primary }), Some(&staff)).await;
    assert_eq!(merged.data()["mergeSuggestion"]["mergedIntoId"], primary.as_str());
    assert_eq!(get(&app, &staff, &primary).await["mergedSuggestionIds"], json!([member]));

    // The primary's deputy cannot withdraw it while another waits on it; the member is not assigned alone.
    let withdraw = "mutation($id: ID!) { withdrawSuggestion(id: $id) { id } }";
    app.gql(withdraw, json!({ "id": primary }), Some(&zhang)).await.assert_code("CONFLICT");
    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let assign =
        "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id state } }";
    let a = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
    app.gql(assign, json!({ "id": member, "a": a }), Some(&staff)).await.assert_code("CONFLICT");

    // Assigning, accepting, contacting and answering the primary carries the member along.
    app.gql(assign, json!({ "id": primary, "a": a }), Some(&staff)).await.data();
    assert_eq!(get(&app, &staff, &member).await["state"], "ASSIGNED");
    app.gql("mutation($id: ID!) { acceptSuggestion(id: $id) { id } }", json!({ "id": primary }), Some(&unit))
        .await
        .data();
    let contact = "mutation($id: ID!, $c: ContactInput!) { recordContact(id: $id, input: $c) { id } }";
    let now = chrono::Utc::now().to_rfc3339();
    let c = json!({ "method": "MEETING", "contactedAt": now, "summary": "与两位代表座谈" });
    app.gql(contact, json!({ "id": primary, "c": c }), Some(&unit)).await.data();
    let answer = "mutation($id: ID!, $a: AnswerInput!) { answerSuggestion(id: $id, input: $a) { id state } }";
    let a =
        json!({ "content": "已新增一条线路", "answerClass": "SOLVED", "signedBy": "周局长", "public": true });
    app.gql(answer, json!({ "id": primary, "a": a }), Some(&unit)).await.data();
    let seen_by_li = get(&app, &li, &member).await;
    assert_eq!(seen_by_li["state"], "ANSWERED");
    assert_eq!(seen_by_li["units"][0]["answer"]["content"], "已新增一条线路");

    // Each lead deputy rates their own; a dissatisfied member re-opens alone.
    let rate = "mutation($id: ID!, $r: RatingInput!) { rateAnswer(id: $id, input: $r) { id state } }";
    let happy = json!({ "attitude": "SATISFIED", "result": "SATISFIED" });
    let unhappy =
        json!({ "attitude": "SATISFIED", "result": "DISSATISFIED", "comment": "线路仍不覆盖我所在社区" });
    let rated = app.gql(rate, json!({ "id": primary, "r": happy }), Some(&zhang)).await;
    assert_eq!(rated.data()["rateAnswer"]["state"], "RATED");
    app.gql(rate, json!({ "id": member, "r": happy }), Some(&zhang)).await.assert_code("FORBIDDEN");
    let reopened = app.gql(rate, json!({ "id": member, "r": unhappy }), Some(&li)).await;
    assert_eq!(reopened.data()["rateAnswer"]["state"], "HANDLED");
    assert_eq!(get(&app, &staff, &primary).await["state"], "RATED");
    assert_eq!(get(&app, &staff, &member).await["units"][0]["rehandleCount"], 1);
});
