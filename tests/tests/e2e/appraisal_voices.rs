//! The voices an appraisal gathers beyond its group, over GraphQL: the vote of named members that chooses
//! whom to appraise (secret ballots, one per member under concurrent retries, results only once closed, an
//! appraisal opened for the chosen candidate and only for it); citizens' opinions raised for an appraisal on
//! the public form, read by staff and the group only; and invited citizens' satisfaction vote with SMS codes,
//! once per phone, without telling who was invited, published beside the deputies' result.

use super::appraisals::{ACCEPT, ANSWER, act, day, kinds, more_deputies, open, open_input};
use edaibiao_tests::{Cast, TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};

const CHOICE: &str = "id title chooseUpTo state electorate turnout quorum mayVote hasVoted voters { name }
    candidates { id position topic officialName officialPost unit { name } votes rank verdict }";

async fn open_choice(app: &TestApp, token: &str, input: Value) -> edaibiao_tests::Gql {
    let op = format!(
        "mutation($i: OpenAppraisalChoiceInput!) {{ r: openAppraisalChoice(input: $i) {{ {CHOICE} }} }}"
    );
    app.gql(&op, json!({ "i": input }), Some(token)).await
}

const CAST_CHOICE: &str = "mutation($c: ID!, $ids: [ID!]!, $k: String) {
    r: castAppraisalChoiceBallot(choiceId: $c, candidateIds: $ids, idempotencyKey: $k) { id hasVoted turnout } }";

async fn choice(app: &TestApp, token: Option<&str>, id: &str) -> edaibiao_tests::Gql {
    let op = format!("query($id: ID!) {{ appraisalChoice(id: $id) {{ {CHOICE} }} }}");
    app.gql(&op, json!({ "id": id }), token).await
}

e2e!(a_vote_of_named_members_chooses_whom_to_appraise, |app| {
    let c = Cast::of(&app).await;
    let others = more_deputies(&app, &c).await; // 王芳, 赵强, 陈静
    let wang = &others[0];
    let zhao = &others[1];
    let year = chrono::Datelike::year(&edaibiao_tests::time::cst_today());
    let input = json!({
        "congressId": c.congress, "year": year, "title": "年度工作评议对象票决", "chooseUpTo": 1,
        "candidates": [
            { "unitId": c.transport, "subject": { "unitWork": "优化营商环境" } },
            { "unitId": c.education, "subject": { "unitWork": "义务教育均衡发展" } },
            { "unitId": c.health, "subject": { "official": { "name": "刘某", "post": "卫生健康委员会主任" } } },
        ],
        "voterDeputyIds": [c.zhang_id, c.li_id, c.deputy("王芳")],
    });

    // Only staff open it; a choice that leaves nothing out is refused.
    for token in [&c.zhang, &c.unit, &c.citizen] {
        open_choice(&app, token, input.clone()).await.assert_code("FORBIDDEN");
    }
    let mut all = input.clone();
    all["chooseUpTo"] = json!(3);
    open_choice(&app, &c.staff, all).await.assert_code("BAD_USER_INPUT");
    let opened = open_choice(&app, &c.staff, input).await;
    let v = opened.data()["r"].clone();
    let id = str_of(&v["id"]).to_owned();
    assert_eq!(v["state"], "VOTING");
    assert_eq!(v["electorate"], 3);
    assert_eq!(v["candidates"][2]["officialPost"], "卫生健康委员会主任");
    assert!(v["candidates"][0]["votes"].is_null(), "no counts while voting");
    assert!(kinds(&app, wang).await.contains(&"APPRAISAL_CHOICE_OPENED".to_owned()), "members are told");
    let first = str_of(&v["candidates"][0]["id"]).to_owned();
    let second = str_of(&v["candidates"][1]["id"]).to_owned();
    let third = str_of(&v["candidates"][2]["id"]).to_owned();

    // Who sees it: staff and the congress's deputies; a unit, a citizen and the public do not.
    assert_eq!(choice(&app, Some(zhao), &id).await.data()["appraisalChoice"]["mayVote"], false);
    assert_eq!(choice(&app, Some(wang), &id).await.data()["appraisalChoice"]["mayVote"], true);
    for token in [Some(c.unit.as_str()), Some(c.citizen.as_str()), None] {
        choice(&app, token, &id).await.assert_code("NOT_FOUND");
    }

    // Ballots: more than the seats, or a candidate of nothing, are refused; a non-member and staff may not.
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [first, second] }), Some(&c.zhang))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [id] }), Some(&c.zhang)).await.assert_code("BAD_USER_INPUT");
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [first] }), Some(zhao)).await.assert_code("FORBIDDEN");
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [first] }), Some(&c.staff)).await.assert_code("FORBIDDEN");
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [first] }), Some(&c.unit)).await.assert_code("NOT_FOUND");

    // Every member at once, 张明 twice with one key (a retry).
    let ballots = [
        (&c.zhang, &first, "zhang-choice-1"),
        (&c.zhang, &first, "zhang-choice-1"),
        (&c.li, &first, "li-choice-0001"),
        (wang, &third, "wang-choice-01"),
    ];
    let sent = ballots.iter().map(|(token, cand, key)| {
        app.gql(CAST_CHOICE, json!({ "c": id, "ids": [cand], "k": key }), Some(token.as_str()))
    });
    for res in join_all(sent).await {
        assert_eq!(res.data()["r"]["hasVoted"], true, "{}", res.body);
    }
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [second], "k": "li-choice-0002" }), Some(&c.li))
        .await
        .assert_code("CONFLICT");
    let during = choice(&app, Some(&c.staff), &id).await.data()["appraisalChoice"].clone();
    assert_eq!(during["turnout"], 3, "the retry counted once");
    assert!(during["candidates"][0]["votes"].is_null());

    // An appraisal cannot carry a candidate before the vote is closed.
    let mut carried = open_input(&c, json!({ "unitWork": "优化营商环境" }), vec![&c.zhang_id]);
    carried["choiceCandidateId"] = json!(first);
    open(&app, &c.staff, carried.clone()).await.assert_code("BAD_USER_INPUT");

    // Staff close it: 优化营商环境 has 2 of 3 members, more than half: chosen.
    let close = "mutation($c: ID!) { r: closeAppraisalChoice(choiceId: $c) { state quorum turnout
        candidates { id votes rank verdict } } }";
    app.gql(close, json!({ "c": id }), Some(&c.zhang)).await.assert_code("FORBIDDEN");
    let closed = app.gql(close, json!({ "c": id }), Some(&c.staff)).await;
    let r = closed.data()["r"].clone();
    assert_eq!(r["state"], "CLOSED");
    assert_eq!(r["quorum"], true);
    let results: Vec<(i64, i64, &str)> = r["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["votes"].as_i64().unwrap(), x["rank"].as_i64().unwrap(), str_of(&x["verdict"])))
        .collect();
    assert_eq!(results, vec![(2, 1, "PASSED"), (0, 3, "FAILED"), (1, 2, "FAILED")]);
    assert!(kinds(&app, &c.li).await.contains(&"APPRAISAL_CHOICE_CLOSED".to_owned()));
    app.gql(close, json!({ "c": id }), Some(&c.staff)).await.assert_code("CONFLICT");
    app.gql(CAST_CHOICE, json!({ "c": id, "ids": [first] }), Some(wang)).await.assert_code("CONFLICT");
    // The counts are for the congress now: a deputy who was not a member sees them.
    let seen = choice(&app, Some(zhao), &id).await.data()["appraisalChoice"].clone();
    assert_eq!(seen["candidates"][0]["verdict"], "PASSED");

    // The appraisal carries the chosen candidate, once; not a candidate that failed, nor another unit.
    let mut failed = carried.clone();
    failed["choiceCandidateId"] = json!(third);
    failed["unitId"] = json!(c.health);
    open(&app, &c.staff, failed).await.assert_code("BAD_USER_INPUT");
    let mut wrong_unit = carried.clone();
    wrong_unit["unitId"] = json!(c.education);
    open(&app, &c.staff, wrong_unit).await.assert_code("BAD_USER_INPUT");
    let a = open(&app, &c.staff, carried.clone()).await.data()["r"].clone();
    let chosen_by = "query($id: ID!) { appraisal(id: $id) { chosenBy { id verdict votes } } }";
    let seen = app.gql(chosen_by, json!({ "id": a["id"] }), Some(&c.staff)).await;
    assert_eq!(seen.data()["appraisal"]["chosenBy"], json!({ "id": first, "verdict": "PASSED", "votes": 2 }));
    open(&app, &c.staff, carried).await.assert_code("CONFLICT");

    // The vote and its candidates are nodes, for those who may see them.
    let node = "query($id: ID!) { node(id: $id) { id ... on AppraisalCandidate { verdict } } }";
    assert_eq!(app.gql(node, json!({ "id": first }), Some(zhao)).await.data()["node"]["verdict"], "PASSED");
    assert!(app.gql(node, json!({ "id": first }), Some(&c.unit)).await.data()["node"].is_null());
    let listed = app
        .gql(
            "query($c: ID!) { appraisalChoices(congressId: $c) { id } }",
            json!({ "c": c.congress }),
            Some(zhao),
        )
        .await;
    assert!(listed.data()["appraisalChoices"].as_array().unwrap().iter().any(|x| x["id"] == json!(id)));
    let none = app
        .gql("query($c: ID!) { appraisalChoices(congressId: $c) { id } }", json!({ "c": c.congress }), None)
        .await;
    assert_eq!(none.data()["appraisalChoices"], json!([]));
});

const SUBMIT: &str = "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }";
const TAGGED: &str =
    "query($id: ID!) { appraisal(id: $id) { taggedOpinions { opinionId content category } } }";
const INVITE: &str = "mutation($a: ID!, $p: [String!]!) { r: inviteAppraisalCitizens(appraisalId: $a, phones: $p) { added invited } }";
const REQUEST: &str = "mutation($t: String!, $p: String!) { requestAppraisalVoteCode(token: $t, phone: $p, privacyConsent: \"2026-12-06\") { expiresAt } }";
const VOTE: &str = "mutation($t: String!, $p: String!, $c: String!, $m: Mark!) {
    castAppraisalCitizenBallot(token: $t, phone: $p, code: $c, mark: $m) }";

e2e!(citizens_raise_opinions_for_an_appraisal_and_invited_citizens_vote, |app| {
    let c = Cast::of(&app).await;
    let others = more_deputies(&app, &c).await;
    let a = open(&app, &c.staff, open_input(&c, json!({ "unitWork": "优化营商环境" }), vec![&c.zhang_id]))
        .await
        .data()["r"]
        .clone();
    let id = str_of(&a["id"]).to_owned();

    // The public form lists the appraisal and tags an opinion with it, without login.
    let open_now = app
        .gql(
            "query($c: ID!) { appraisalsOpenForOpinions(congressId: $c) { appraisalId title } }",
            json!({ "c": c.congress }),
            None,
        )
        .await;
    let listed = open_now.data()["appraisalsOpenForOpinions"].as_array().cloned().unwrap_or_default();
    assert!(
        listed.iter().any(|x| x["appraisalId"] == json!(id) && str_of(&x["title"]).contains("优化营商环境"))
    );
    let opinion = json!({ "stationId": c.east, "category": "OTHER", "content": "出租车投诉电话总是占线",
        "contactPhone": "13911112222", "appraisalId": id,
        "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION });
    app.gql(SUBMIT, json!({ "i": opinion }), None).await.data();
    let mut not_an_appraisal = opinion.clone();
    not_an_appraisal["appraisalId"] = json!(c.congress);
    app.gql(SUBMIT, json!({ "i": not_an_appraisal }), None).await.assert_code("BAD_USER_INPUT");

    // Staff and the group read it (the matter, not the phone); the unit and other deputies do not.
    for token in [&c.staff, &c.zhang] {
        let seen = app.gql(TAGGED, json!({ "id": id }), Some(token)).await;
        let tagged = seen.data()["appraisal"]["taggedOpinions"].clone();
        assert_eq!(tagged[0]["content"], "出租车投诉电话总是占线", "{tagged}");
        assert!(!seen.body.to_string().contains("13911112222"));
    }
    for token in [&c.unit, &c.li] {
        let seen = app.gql(TAGGED, json!({ "id": id }), Some(token)).await;
        assert!(seen.data()["appraisal"]["taggedOpinions"].is_null());
    }

    // Citizens are invited once rectification starts: report, one item, answered and accepted.
    act(
        &app,
        &c.unit,
        "submitAppraisalReport",
        ", $t: String!",
        ", report: $t",
        json!({ "a": id, "t": "述职报告" }),
    )
    .await
    .data();
    let issued = act(
        &app,
        &c.staff,
        "issueAppraisalItems",
        ", $p: [String!]!",
        ", problems: $p",
        json!({ "a": id, "p": ["投诉电话占线"] }),
    )
    .await;
    let item = str_of(&issued.data()["r"]["items"][0]["id"]).to_owned();
    // Opinions are gathered only before the list is issued.
    app.gql(SUBMIT, json!({ "i": opinion }), None).await.assert_code("BAD_USER_INPUT");
    app.gql(ANSWER, json!({ "i": item, "t": "增开坐席", "d": day(3) }), Some(&c.unit)).await.data();
    app.gql(ACCEPT, json!({ "i": item }), Some(&c.zhang)).await.data();

    let invited = ["13700001111", "13700002222"];
    app.gql(INVITE, json!({ "a": id, "p": invited }), Some(&c.unit)).await.assert_code("FORBIDDEN");
    app.gql(INVITE, json!({ "a": id, "p": ["12345"] }), Some(&c.staff)).await.assert_code("BAD_USER_INPUT");
    app.gql(INVITE, json!({ "a": id, "p": [] }), Some(&c.staff)).await.assert_code("BAD_USER_INPUT");
    let inv = app.gql(INVITE, json!({ "a": id, "p": invited }), Some(&c.staff)).await;
    assert_eq!(inv.data()["r"], json!({ "added": 2, "invited": 2 }));
    let again = app.gql(INVITE, json!({ "a": id, "p": ["137 0000 1111"] }), Some(&c.staff)).await;
    assert_eq!(again.data()["r"], json!({ "added": 0, "invited": 2 }), "the same phone is invited once");
    let token_of =
        "query($id: ID!) { appraisal(id: $id) { citizenVoteToken invitedCitizens citizenTurnout } }";
    let staff_view = app.gql(token_of, json!({ "id": id }), Some(&c.staff)).await.data()["appraisal"].clone();
    let token = str_of(&staff_view["citizenVoteToken"]).to_owned();
    assert_eq!(staff_view["invitedCitizens"], 2);
    let sms = app.env.sms.received();
    assert!(
        sms.iter()
            .any(|m| m["phone"] == "13700001111" && str_of(&m["text"]).contains(&format!("/a/{token}"))),
        "the invitation carries the link: {sms:?}"
    );
    for token in [&c.unit, &c.zhang] {
        let seen = app.gql(token_of, json!({ "id": id }), Some(token)).await.data()["appraisal"].clone();
        assert!(seen["citizenVoteToken"].is_null() && seen["invitedCitizens"].is_null(), "{seen}");
    }

    // Before voting opens, no codes.
    app.gql(REQUEST, json!({ "t": token, "p": invited[0] }), None).await.assert_code("CONFLICT");
    act(&app, &c.staff, "openAppraisalVoting", "", "", json!({ "a": id })).await.data();
    let page = app
        .gql(
            "query($t: String!) { appraisalVotePage(token: $t) { title open } }",
            json!({ "t": token }),
            None,
        )
        .await;
    assert_eq!(page.data()["appraisalVotePage"]["open"], true);
    let (status, _, html) = app.get(&format!("/a/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("优化营商环境") && html.contains("castAppraisalCitizenBallot"), "{html}");
    assert_eq!(app.get("/a/unknown-token").await.0, 404);

    // An uninvited phone is answered alike, but no SMS goes out.
    let before = app.env.sms.count();
    app.gql(REQUEST, json!({ "t": token, "p": "13700009999" }), None).await.data();
    assert_eq!(app.env.sms.count(), before, "no code for a phone that was not invited");
    app.gql(VOTE, json!({ "t": token, "p": "13700009999", "c": "123456", "m": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");

    // The page shows its own notice; without agreeing to it an invited phone gets no code.
    assert!(html.contains("受邀参加本次满意度测评") && html.contains("id=\"consent\""), "{html}");
    let without =
        "mutation($t: String!, $p: String!) { requestAppraisalVoteCode(token: $t, phone: $p) { expiresAt } }";
    let before = app.env.sms.count();
    let refused = app.gql(without, json!({ "t": token, "p": invited[0] }), None).await;
    refused.assert_code("BAD_USER_INPUT");
    assert_eq!(refused.body["errors"][0]["extensions"]["field"], "privacyConsent");
    assert_eq!(app.env.sms.count(), before, "no code without the consent");

    // An invited citizen votes once with the code; a wrong code and a second vote are refused.
    app.gql(REQUEST, json!({ "t": token, "p": invited[0] }), None).await.data();
    let code = app.env.sms.last_code(invited[0]);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.gql(VOTE, json!({ "t": token, "p": invited[0], "c": wrong, "m": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    let voted =
        app.gql(VOTE, json!({ "t": token, "p": invited[0], "c": code, "m": "DISSATISFIED" }), None).await;
    assert_eq!(voted.data()["castAppraisalCitizenBallot"], "VOTING");
    app.gql(VOTE, json!({ "t": token, "p": invited[0], "c": code, "m": "SATISFIED" }), None)
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(REQUEST, json!({ "t": token, "p": invited[0] }), None).await.assert_code("CONFLICT");
    let staff_view = app.gql(token_of, json!({ "id": id }), Some(&c.staff)).await.data()["appraisal"].clone();
    assert_eq!(staff_view["citizenTurnout"], 1);

    // Deputies vote (3 of 5: a quorum) and staff publish: the citizens' result shows beside theirs.
    let cast = "mutation($a: ID!, $m: Mark!) { r: castAppraisalBallot(appraisalId: $a, mark: $m) { id } }";
    for token in [&c.zhang, &c.li, &others[0]] {
        app.gql(cast, json!({ "a": id, "m": "SATISFIED" }), Some(token)).await.data();
    }
    act(&app, &c.staff, "publishAppraisalResult", "", "", json!({ "a": id })).await.data();
    let public = "query($id: ID!) { appraisal(id: $id) { result { score verdict
        citizens { turnout score tally { satisfied basicallySatisfied dissatisfied } } } } }";
    let r = app.gql(public, json!({ "id": id }), None).await.data()["appraisal"]["result"].clone();
    assert_eq!(r["verdict"], "SATISFACTORY", "the deputies' vote decides");
    assert_eq!(
        r["citizens"],
        json!({ "turnout": 1, "score": 0.0, "tally": { "satisfied": 0, "basicallySatisfied": 0, "dissatisfied": 1 } })
    );
    // The vote is over: the page says so and codes are refused.
    let page = app
        .gql("query($t: String!) { appraisalVotePage(token: $t) { open } }", json!({ "t": token }), None)
        .await;
    assert_eq!(page.data()["appraisalVotePage"]["open"], false);
    app.gql(REQUEST, json!({ "t": token, "p": invited[1] }), None).await.assert_code("CONFLICT");
});
