//! Kept counts equal a full recount. A deputy's own list shows a `totalCount` the server keeps with every
//! change rather than counting per request; after a random sequence of actions (some of them refused), and
//! after concurrent ones, it must equal the count the server makes when a filter forces a count, and the
//! number of suggestions the list really holds.

use edaibiao_tests::actions::{act, draft};
use edaibiao_tests::{Cast, TestApp, e2e};
use serde_json::{Value, json};

const KEPT: &str = "{ suggestions(first: 1, filter: { mine: true }) { totalCount } }";

/// The kept total, the counted total and the number of nodes of the deputy's own list.
async fn totals(app: &TestApp, token: &str, states: &Value) -> (u64, u64, u64) {
    let kept = app.gql(KEPT, json!({}), Some(token)).await;
    let counted = app
        .gql(
            "query($s: [SuggestionState!]) { suggestions(first: 100, filter: { mine: true, states: $s }) { totalCount nodes { id } } }",
            json!({ "s": states }),
            Some(token),
        )
        .await;
    let page = &counted.data()["suggestions"];
    (
        kept.data()["suggestions"]["totalCount"].as_u64().expect("a kept total"),
        page["totalCount"].as_u64().expect("a counted total"),
        page["nodes"].as_array().map_or(0, |n| n.len() as u64),
    )
}

/// A small deterministic generator, so a failing sequence replays the same.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

e2e!(a_deputys_kept_total_equals_a_recount_after_random_and_concurrent_actions, |app| {
    let c = Cast::of(&app).await;
    let states =
        app.gql(r#"{ __type(name: "SuggestionState") { enumValues { name } } }"#, json!({}), None).await;
    let states: Value =
        states.data()["__type"]["enumValues"].as_array().unwrap().iter().map(|v| v["name"].clone()).collect();
    let people = [(c.zhang.as_str(), c.zhang_id.as_str()), (c.li.as_str(), c.li_id.as_str())];
    let before: Vec<(u64, u64, u64)> =
        futures_util::future::join_all(people.iter().map(|(t, _)| totals(&app, t, &states))).await;

    let mut rng = Lcg(20_261_205);
    // (suggestion id, index of its lead in `people`)
    let mut made: Vec<(String, usize)> = Vec::new();
    // Invitations to the other logged-in deputy that are waiting for an answer.
    let mut pending: Vec<(String, usize)> = Vec::new();
    let (mut accepted, mut declined) = (0, 0);
    for step in 0..48 {
        // Weighted so that drafts live long enough to gather invitations and answers.
        let choice = if made.is_empty() { 0 } else { rng.below(20) };
        match choice {
            0..=3 => {
                let lead = rng.below(2);
                let res =
                    act(&app, people[lead].0, "createSuggestion", json!({ "input": draft(step) })).await;
                made.push((res["data"]["r"]["id"].as_str().expect("created").to_owned(), lead));
            }
            4..=10 => {
                let (id, lead) = made[rng.below(made.len())].clone();
                // The other deputy with a login, or 王芳 (no login: her count is kept but not read here).
                let wang = rng.below(3) == 0;
                let invitee = if wang { c.wang_id.as_str() } else { people[1 - lead].1 };
                let res = act(
                    &app,
                    people[lead].0,
                    "inviteCoSigner",
                    json!({ "id": id.clone(), "deputyId": invitee }),
                )
                .await;
                if res["errors"].is_null() && !wang {
                    pending.push((id, lead));
                }
            }
            11..=16 => {
                // Mostly a waiting invitation; sometimes any suggestion (usually refused: nothing to answer).
                let (id, lead) = if !pending.is_empty() && rng.below(4) > 0 {
                    pending.swap_remove(rng.below(pending.len()))
                } else {
                    made[rng.below(made.len())].clone()
                };
                let accept = rng.below(2) == 0;
                let args = json!({ "id": id, "accept": accept });
                let res = act(&app, people[1 - lead].0, "answerCoSignInvitation", args).await;
                if res["errors"].is_null() {
                    *(if accept { &mut accepted } else { &mut declined }) += 1;
                }
            }
            17 => {
                let (id, lead) = made[rng.below(made.len())].clone();
                act(&app, people[lead].0, "withdrawSuggestion", json!({ "id": id })).await;
            }
            _ => {
                let (id, lead) = made[rng.below(made.len())].clone();
                act(&app, people[lead].0, "submitSuggestion", json!({ "id": id })).await;
            }
        }
    }
    assert!(accepted > 0 && declined > 0, "the sequence exercised both answers: {accepted} / {declined}");

    // Concurrent creations by one deputy: every one counted, none lost to a race on the kept row.
    let creations =
        (100..108).map(|n| act(&app, people[0].0, "createSuggestion", json!({ "input": draft(n) })));
    for res in futures_util::future::join_all(creations).await {
        assert!(res["errors"].is_null(), "{res}");
    }

    for (i, (token, _)) in people.iter().enumerate() {
        let (kept, counted, listed) = totals(&app, token, &states).await;
        assert_eq!(kept, counted, "deputy {i}: the kept total is the recount");
        assert_eq!(counted, listed, "deputy {i}: the list holds that many");
        assert!(kept > before[i].0, "deputy {i} gained suggestions: {} -> {kept}", before[i].0);
    }
});
