//! Citizens follow suggestions with a public answer: they read its public face, follow it, and hear its
//! later steps (the deputies' ratings here) in their inbox; nobody else follows, and a suggestion without a
//! public answer does not exist for them.

use edaibiao_tests::world::{self, step};
use edaibiao_tests::{e2e, str_of};
use serde_json::{Value, json};

const FOLLOW: &str = "mutation($id: ID!) { followSuggestion(id: $id) { id viewerFollows } }";
const UNFOLLOW: &str = "mutation($id: ID!) { unfollowSuggestion(id: $id) { id viewerFollows } }";
const READ: &str =
    "query($id: ID!) { suggestion(id: $id) { title viewerFollows units { answer { content } } } }";
const INBOX: &str = "{ notifications(first: 50) { nodes { kind title subjectId } } }";

e2e!(citizens_follow_public_suggestions_and_hear_their_steps, |app| {
    let w = world::build(&app).await;
    let public = w.parallel_answered(&app, "公交线路调整").await;
    let unanswered = w.proposed(&app, "尚未答复的建议").await;

    // The public face: the public answer, not the private one; not followed yet.
    let read = app.gql(READ, json!({ "id": public }), Some(&w.citizen)).await;
    let s = &read.data()["suggestion"];
    assert_eq!((s["title"].as_str(), s["viewerFollows"].as_bool()), (Some("公交线路调整"), Some(false)));
    let text = s.to_string();
    assert!(text.contains("公开答复内容") && !text.contains("内部答复内容"), "{text}");
    app.gql(READ, json!({ "id": unanswered }), Some(&w.citizen)).await.assert_code("NOT_FOUND");

    // Who may follow.
    app.gql(FOLLOW, json!({ "id": unanswered }), Some(&w.citizen)).await.assert_code("NOT_FOUND");
    app.gql(FOLLOW, json!({ "id": public }), None).await.assert_code("UNAUTHENTICATED");
    for other in [&w.a_deputy2, &w.a.deputy, &w.a.staff, &w.a.unit_staff] {
        app.gql(FOLLOW, json!({ "id": public }), Some(other)).await.assert_code("FORBIDDEN");
    }
    for _ in 0..2 {
        let followed = app.gql(FOLLOW, json!({ "id": public }), Some(&w.citizen)).await;
        assert_eq!(
            followed.data()["followSuggestion"]["viewerFollows"],
            true,
            "following twice is following"
        );
    }

    // A second citizen follows too; the first changes their mind.
    let other = app.register_citizen("13712340002", "钱七", "secret123a").await;
    let other = str_of(&other["accessToken"]).to_owned();
    app.gql(FOLLOW, json!({ "id": public }), Some(&other)).await;
    let unfollowed = app.gql(UNFOLLOW, json!({ "id": public }), Some(&w.citizen)).await;
    assert_eq!(unfollowed.data()["unfollowSuggestion"]["viewerFollows"], false);

    // The lead deputy rates the public answer: the unit hears of it, and so does the follower, not the one
    // who stopped following. The rating of the answer given in private reaches no follower.
    let rating = json!({ "attitude": "SATISFIED", "result": "SATISFIED", "unitId": w.a.unit_id });
    step(&app, &w.a.deputy, "rateAnswer", ", $input: RatingInput!", json!({ "id": public, "input": rating }))
        .await;
    let private = json!({ "attitude": "SATISFIED", "result": "SATISFIED", "unitId": w.a_unit2_id });
    step(
        &app,
        &w.a.deputy,
        "rateAnswer",
        ", $input: RatingInput!",
        json!({ "id": public, "input": private }),
    )
    .await;
    let told = |token: String| {
        let app = &app;
        let public = public.clone();
        async move {
            let inbox = app.gql(INBOX, json!({}), Some(&token)).await;
            inbox.data()["notifications"]["nodes"]
                .as_array()
                .map(|n| {
                    n.iter().filter(|n| n["subjectId"] == public.as_str()).cloned().collect::<Vec<Value>>()
                })
                .unwrap_or_default()
        }
    };
    let heard = told(other.clone()).await;
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!((str_of(&heard[0]["kind"]), str_of(&heard[0]["title"])), ("RATED", "代表已评价答复"));
    assert_eq!(told(w.citizen.clone()).await, Vec::<Value>::new());
});
