//! The notification inbox: each step reaches the people it concerns, in the same transaction, and each
//! person reads and marks only their own.

use edaibiao_tests::{TestApp, demo, e2e};
use serde_json::{Value, json};

const INBOX: &str = "{ unreadNotificationCount notifications(first: 50) { totalCount nodes { id kind title subjectId readAt } } }";

async fn inbox(app: &TestApp, token: &str) -> Value {
    app.gql(INBOX, json!({}), Some(token)).await.data().clone()
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["notifications"]["nodes"]
        .as_array()
        .map(|nodes| nodes.iter().filter_map(|n| n["kind"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

e2e!(each_step_reaches_the_people_it_concerns, |app| {
    let zhang = app.login(demo::DEPUTY).await.access;
    let li = app.login(demo::DEPUTY2).await.access;
    let staff = app.login(demo::STAFF).await.access;
    let unit = app.login(demo::UNIT_STAFF).await.access;
    let citizen = app.login(demo::CITIZEN).await.access;

    let q = "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }";
    let i = json!({ "i": { "title": "关于夜间公交的建议", "content": "增开夜班车", "category": "交通", "sessionNumber": 1 } });
    let id = app.gql(q, i, Some(&zhang)).await.data()["createSuggestion"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let li_id = app.id_by_name("deputies", "李华").await;
    let invite = "mutation($id: ID!, $d: ID!) { inviteCoSigner(id: $id, deputyId: $d) { id } }";
    app.gql(invite, json!({ "id": id, "d": li_id }), Some(&zhang)).await.data();
    assert_eq!(kinds(&inbox(&app, &li).await), ["CO_SIGN_INVITED"]);
    let accept = "mutation($id: ID!) { answerCoSignInvitation(id: $id, accept: true) { id } }";
    app.gql(accept, json!({ "id": id }), Some(&li)).await.data();
    app.gql("mutation($id: ID!) { submitSuggestion(id: $id) { id } }", json!({ "id": id }), Some(&zhang))
        .await
        .data();
    assert_eq!(kinds(&inbox(&app, &staff).await), ["SUBMITTED"]);

    let transport = app.id_by_name("handlingUnits", "市交通运输局").await;
    let assign = "mutation($id: ID!, $a: AssignmentInput!) { assignSuggestion(id: $id, input: $a) { id } }";
    let a = json!({ "mode": "LEAD_WITH_CO", "units": [{ "unitId": transport, "role": "LEAD" }] });
    app.gql(assign, json!({ "id": id, "a": a }), Some(&staff)).await.data();

    // The lead deputy hears of the assignment but not of their own steps; so do the co-signer and the unit.
    assert_eq!(kinds(&inbox(&app, &zhang).await), ["ASSIGNED"]);
    assert_eq!(kinds(&inbox(&app, &li).await), ["ASSIGNED", "CO_SIGN_INVITED"]);
    let unit_inbox = inbox(&app, &unit).await;
    assert_eq!(kinds(&unit_inbox), ["ASSIGNED"]);
    assert_eq!(unit_inbox["notifications"]["nodes"][0]["subjectId"], id.as_str());
    // Staff acted themselves; a citizen is told nothing.
    assert_eq!(kinds(&inbox(&app, &staff).await), ["SUBMITTED"]);
    assert_eq!(inbox(&app, &citizen).await["unreadNotificationCount"], 0);

    // Reading: one, someone else's (no effect), then all.
    let li_inbox = inbox(&app, &li).await;
    assert_eq!(li_inbox["unreadNotificationCount"], 2);
    let first = li_inbox["notifications"]["nodes"][0]["id"].as_str().unwrap_or_default().to_owned();
    let mark = "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }";
    assert_eq!(
        app.gql(mark, json!({ "ids": [first] }), Some(&zhang)).await.data()["markNotificationsRead"],
        0
    );
    assert_eq!(app.gql(mark, json!({ "ids": [first] }), Some(&li)).await.data()["markNotificationsRead"], 1);
    let after = inbox(&app, &li).await;
    assert_eq!(after["unreadNotificationCount"], 1);
    assert!(after["notifications"]["nodes"][0]["readAt"].is_string());
    let unread = app.gql("{ notifications(unreadOnly: true) { totalCount } }", json!({}), Some(&li)).await;
    assert_eq!(unread.data()["notifications"]["totalCount"], 1);
    let all = app.gql("mutation { markAllNotificationsRead }", json!({}), Some(&li)).await;
    assert_eq!(all.data()["markAllNotificationsRead"], 1);
    assert_eq!(inbox(&app, &li).await["unreadNotificationCount"], 0);
    app.gql(INBOX, json!({}), None).await.assert_code("UNAUTHENTICATED");
    app.gql(mark, json!({ "ids": [id] }), Some(&li)).await.assert_code("BAD_USER_INPUT");
});

e2e!(kinds_are_enums_a_client_can_switch_over, |app| {
    let field = "fields { name type { kind ofType { kind name } } }";
    let q = format!(
        "{{ n: __type(name: \"Notification\") {{ {field} }} t: __type(name: \"TimelineEvent\") {{ {field} }}
            o: __type(name: \"OpinionStep\") {{ {field} }} p: __type(name: \"PublicOpinionStep\") {{ {field} }}
            nk: __type(name: \"NotificationKind\") {{ enumValues {{ name description }} }} }}"
    );
    let data = app.gql(&q, json!({}), None).await.data().clone();
    for (alias, enum_name) in [
        ("n", "NotificationKind"),
        ("t", "TimelineEventKind"),
        ("o", "OpinionStepKind"),
        ("p", "OpinionStepKind"),
    ] {
        let kind = data[alias]["fields"].as_array().into_iter().flatten().find(|f| f["name"] == "kind");
        assert_eq!(
            kind.map(|f| f["type"].clone()),
            Some(json!({ "kind": "NON_NULL", "ofType": { "kind": "ENUM", "name": enum_name } })),
            "{alias}"
        );
    }
    let values = data["nk"]["enumValues"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = values.iter().filter_map(|v| v["name"].as_str()).collect();
    for expected in ["ASSIGNED", "DEADLINE_NEAR", "OPINION_FEEDBACK", "DUTY_LEAVE_DECIDED", "OTHER"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(values.iter().all(|v| v["description"].as_str().is_some_and(|d| !d.is_empty())), "{values:?}");
});
