//! Selections (评选: 优秀建议, 优秀代表): staff open a selection and nominate candidates (themselves or on a
//! deputy group's behalf); a committee votes by secret ballot (quorum and majority against the whole
//! committee) or staff decide with a reason per winner; publishing tells the winners and puts each win in
//! its deputy's duty archive, where a points rule scores it. Seen by the congress's staff and deputies only.

use edaibiao_tests::selections::{OPEN, open_input, year};
use edaibiao_tests::time::cst_today;
use edaibiao_tests::world::{self, World};
use edaibiao_tests::{TestApp, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const FIELDS: &str = "id kind method state places electorate turnout quorum mayVote hasVoted publishedAt
    committee { name } winners { id }
    candidates { id position reason votes rank verdict decisionReason deputy { name } nominatingGroup { id }
        suggestion { id } dutySummary { year } }";

fn selection_q() -> String {
    format!("query($id: ID!) {{ r: selection(id: $id) {{ {FIELDS} }} }}")
}

fn step(op: &str) -> String {
    format!("mutation($id: ID!) {{ r: {op}(id: $id) {{ {FIELDS} }} }}")
}

const NOMINATE_SUGGESTION: &str = "mutation($s: ID!, $x: ID!, $g: ID, $k: String) {
    r: nominateSelectionCandidate(selectionId: $s, suggestionId: $x, groupId: $g, reason: \"答复落实到位，群众受益\",
        idempotencyKey: $k) { id position nominatingGroup { id } } }";
const NOMINATE_DEPUTY: &str = "mutation($s: ID!, $x: ID!, $g: ID) {
    r: nominateSelectionCandidate(selectionId: $s, deputyId: $x, groupId: $g, reason: \"履职积极，联系群众紧密\")
        { id dutySummary { year counts { kind count } } } }";
fn cast_q() -> String {
    format!(
        "mutation($s: ID!, $c: [ID!]!, $k: String) {{ r: castSelectionBallot(selectionId: $s, candidateIds: $c,
            idempotencyKey: $k) {{ {FIELDS} }} }}"
    )
}

async fn ok(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    world::ok(app, Some(token), query, vars).await["r"].clone()
}

async fn open(app: &TestApp, w: &World, kind: &str, method: &str, places: u32, committee: &[&str]) -> String {
    let opened =
        ok(app, &w.a.staff, OPEN, json!({ "i": open_input(w, kind, method, places, committee) })).await;
    assert_eq!(opened["state"], "NOMINATING");
    str_of(&opened["id"]).to_owned()
}

/// The notices of `kind` about `subject` in the inbox of `token`.
async fn notices(app: &TestApp, token: &str, subject: &str, kind: &str) -> usize {
    let inbox = world::ok(
        app,
        Some(token),
        "{ notifications(first: 100) { nodes { kind subjectKind subjectId } } }",
        json!({}),
    )
    .await;
    inbox["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["subjectId"] == subject && n["kind"] == kind)
        .inspect(|n| assert_eq!(n["subjectKind"], "Selection"))
        .count()
}

/// The `selections` section of a deputy's archive: `(kind, sourceType, sourceId)`.
async fn wins(app: &TestApp, token: &str, deputy: &str) -> Vec<(Value, Value, Value)> {
    let archive = ok(
        app,
        token,
        "query($d: ID!, $y: Int!) { r: dutyArchive(deputyId: $d, year: $y) { selections { kind title sourceId sourceType } } }",
        json!({ "d": deputy, "y": year() }),
    )
    .await;
    archive["selections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| (i["kind"].clone(), i["sourceType"].clone(), i["sourceId"].clone()))
        .collect()
}

/// A login for 王芳, a deputy of A without one.
async fn wang(app: &TestApp, w: &World) -> (String, String) {
    let names = world::ok(app, None, "{ deputies(first: 100) { nodes { id name } } }", json!({})).await;
    let id = edaibiao_tests::id_in(&names, "deputies", "王芳");
    let token = world::account(app, &w.a.staff, "13700000401", "DEPUTY", ("deputyId", &id)).await;
    (id, token)
}

e2e!(best_suggestions_are_voted_by_the_committee_in_secret_and_published_into_the_archive, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let s1 = w.parallel_answered(&app, "优秀建议候选一").await;
    let s2 = w.parallel_answered(&app, "优秀建议候选二").await;
    let proposed = w.proposed(&app, "尚未答复的建议").await;
    let (wang_id, wang) = wang(&app, &w).await;
    let committee = [a.deputy_id.as_str(), w.a_deputy2_id.as_str(), wang_id.as_str()];

    // Opening is for A's staff: B's staff and A's deputies are FORBIDDEN.
    let input = open_input(&w, "BEST_SUGGESTION", "COMMITTEE_VOTE", 1, &committee);
    for token in [&w.b.staff, &a.deputy, &a.unit_staff] {
        app.gql(OPEN, json!({ "i": input.clone() }), Some(token)).await.assert_code("FORBIDDEN");
    }
    let mut foreign = input.clone();
    foreign["committeeDeputyIds"] = json!([a.deputy_id, w.b.deputy_id]);
    app.gql(OPEN, json!({ "i": foreign }), Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let id = open(&app, &w, "BEST_SUGGESTION", "COMMITTEE_VOTE", 1, &committee).await;

    // Nominations: by staff (a retry with the same key nominates once) and on behalf of 张明's group.
    let vars = json!({ "s": id, "x": s1, "k": "nominate-key-0001" });
    let c1 = ok(&app, &a.staff, NOMINATE_SUGGESTION, vars.clone()).await;
    assert_eq!(ok(&app, &a.staff, NOMINATE_SUGGESTION, vars).await["id"], c1["id"], "a retry nominates once");
    assert_eq!(c1["nominatingGroup"], Value::Null);
    let c1 = str_of(&c1["id"]).to_owned();
    let by_group = json!({ "s": id, "x": s2, "g": a.deputy_group_id });
    let c2 = ok(&app, &a.staff, NOMINATE_SUGGESTION, by_group).await;
    assert_eq!(c2["nominatingGroup"]["id"], json!(a.deputy_group_id));
    let c2 = str_of(&c2["id"]).to_owned();
    // Refused: the same suggestion again, a suggestion not yet answered, a group of another congress, a
    // deputy in a best-suggestion selection; a deputy, B's staff and A's unit may not nominate.
    let again = json!({ "s": id, "x": s1 });
    app.gql(NOMINATE_SUGGESTION, again.clone(), Some(&a.staff)).await.assert_code("CONFLICT");
    let early = json!({ "s": id, "x": proposed });
    app.gql(NOMINATE_SUGGESTION, early, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let b_group = json!({ "s": id, "x": s1, "g": w.b.deputy_group_id });
    app.gql(NOMINATE_SUGGESTION, b_group, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let deputy = json!({ "s": id, "x": a.deputy_id });
    app.gql(NOMINATE_DEPUTY, deputy, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    app.gql(NOMINATE_SUGGESTION, again.clone(), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    for token in [&w.b.staff, &w.b.deputy, &a.unit_staff, &w.citizen] {
        app.gql(NOMINATE_SUGGESTION, again.clone(), Some(token)).await.assert_code("NOT_FOUND");
        app.gql(&selection_q(), json!({ "id": id }), Some(token)).await.assert_code("NOT_FOUND");
    }

    // No ballot before the vote opens; staff open it and the members are told.
    let cast = cast_q();
    let mine = json!({ "s": id, "c": [c1] });
    app.gql(&cast, mine.clone(), Some(&a.deputy)).await.assert_code("CONFLICT");
    app.gql(&step("startSelectionVote"), json!({ "id": id }), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    let voting = ok(&app, &a.staff, &step("startSelectionVote"), json!({ "id": id })).await;
    assert_eq!((&voting["state"], &voting["electorate"]), (&json!("VOTING"), &json!(3)));
    for token in [&a.deputy, &w.a_deputy2, &wang] {
        assert_eq!(notices(&app, token, &id, "DUTY_SELECTION_VOTING_OPENED").await, 1);
    }
    app.gql(NOMINATE_SUGGESTION, json!({ "s": id, "x": s1 }), Some(&a.staff)).await.assert_code("CONFLICT");

    // 张明 votes once (a retry with the same key counts once; a second ballot is CONFLICT); 李华 too. Staff
    // and deputies outside the committee do not vote; a ballot chooses at most the places.
    let keyed = json!({ "s": id, "c": [c1], "k": "ballot-key-0001" });
    let first = ok(&app, &a.deputy, &cast, keyed.clone()).await;
    assert_eq!(
        (&first["hasVoted"], &first["mayVote"], &first["turnout"]),
        (&json!(true), &json!(false), &json!(1))
    );
    assert_eq!(ok(&app, &a.deputy, &cast, keyed).await["turnout"], 1, "a retry counts once");
    app.gql(&cast, mine.clone(), Some(&a.deputy)).await.assert_code("CONFLICT");
    app.gql(&cast, json!({ "s": id, "c": [c1, c2] }), Some(&w.a_deputy2)).await.assert_code("BAD_USER_INPUT");
    app.gql(&cast, mine.clone(), Some(&a.staff)).await.assert_code("FORBIDDEN");
    app.gql(&cast, mine.clone(), Some(&w.b.deputy)).await.assert_code("NOT_FOUND");
    let li = ok(&app, &w.a_deputy2, &cast, json!({ "s": id, "c": [c1] })).await;
    assert_eq!(li["turnout"], 2);
    // While voting, nobody sees counts: only the turnout.
    for token in [&a.staff, &wang] {
        let seen = ok(&app, token, &selection_q(), json!({ "id": id })).await;
        assert!(
            seen["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["votes"].is_null() && c["verdict"].is_null())
        );
        assert_eq!(seen["quorum"], Value::Null);
    }

    // Staff close: 2 of 3 voted (a quorum); 2 votes are more than half of the committee.
    let closed = ok(&app, &a.staff, &step("closeSelectionVote"), json!({ "id": id })).await;
    assert_eq!(
        (&closed["state"], &closed["quorum"], &closed["turnout"]),
        (&json!("DECIDED"), &json!(true), &json!(2))
    );
    let results: Vec<(Value, Value, Value, Value)> = closed["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].clone(), c["votes"].clone(), c["rank"].clone(), c["verdict"].clone()))
        .collect();
    assert_eq!(
        results,
        [(json!(c1), json!(2), json!(1), json!("PASSED")), (json!(c2), json!(0), json!(2), json!("FAILED")),]
    );
    // Deputies, committee members included, see results only once published.
    let before = ok(&app, &w.a_deputy2, &selection_q(), json!({ "id": id })).await;
    assert!(
        before["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["verdict"].is_null() && c["votes"].is_null())
    );
    assert_eq!(before["winners"], json!([]));

    // Secrecy: no field of the schema joins a voter to a choice: a candidate shows only counts, and a
    // selection only the committee, the turnout and the viewer's own hasVoted.
    let types = world::ok(
        &app,
        None,
        r#"{ c: __type(name: "SelectionCandidate") { fields { name } } s: __type(name: "Selection") { fields { name } } }"#,
        json!({}),
    )
    .await;
    let names = |t: &Value| -> BTreeSet<String> {
        t["fields"].as_array().unwrap().iter().map(|f| str_of(&f["name"]).to_owned()).collect()
    };
    let expect = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
    assert_eq!(
        names(&types["c"]),
        expect(&[
            "id",
            "selectionId",
            "position",
            "suggestion",
            "deputy",
            "dutySummary",
            "nominatingGroup",
            "reason",
            "nominatedAt",
            "votes",
            "rank",
            "verdict",
            "decisionReason"
        ])
    );
    assert_eq!(
        names(&types["s"]),
        expect(&[
            "id",
            "congress",
            "kind",
            "method",
            "year",
            "title",
            "places",
            "state",
            "candidates",
            "winners",
            "committee",
            "electorate",
            "turnout",
            "quorum",
            "mayVote",
            "hasVoted",
            "openedAt",
            "decidedAt",
            "publishedAt"
        ])
    );

    // Publishing twice at once: one wins, the other is CONFLICT.
    let publish = step("publishSelection");
    app.gql(&publish, json!({ "id": id }), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    app.gql(&publish, json!({ "id": id }), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
    let sent = (0..2).map(|_| app.gql(&publish, json!({ "id": id }), Some(&a.staff)));
    let outcomes: Vec<String> = join_all(sent)
        .await
        .iter()
        .map(|r| if r.body.get("errors").is_none() { "OK".to_owned() } else { r.code().to_owned() })
        .collect::<Vec<_>>();
    let mut sorted = outcomes.clone();
    sorted.sort();
    assert_eq!(sorted, ["CONFLICT", "OK"], "{outcomes:?}");

    // Published: the congress's deputies see the results; the winner's lead deputy (张明) is told and the win
    // is in his archive as SUGGESTION_SELECTED; everybody else in the congress is told the results are out.
    let after = ok(&app, &w.a_deputy2, &selection_q(), json!({ "id": id })).await;
    assert_eq!((&after["state"], &after["winners"]), (&json!("PUBLISHED"), &json!([{ "id": c1 }])));
    assert_eq!(after["candidates"][0]["votes"], 2);
    assert_eq!(after["candidates"][0]["suggestion"]["id"], json!(s1));
    assert_eq!(notices(&app, &a.deputy, &id, "DUTY_SELECTION_WON").await, 1);
    assert_eq!(notices(&app, &w.a_deputy2, &id, "DUTY_SELECTION_WON").await, 0);
    assert_eq!(notices(&app, &w.a_deputy2, &id, "DUTY_SELECTION_PUBLISHED").await, 1);
    assert_eq!(
        wins(&app, &a.deputy, &a.deputy_id).await,
        [(json!("SUGGESTION_SELECTED"), json!("SelectionCandidate"), json!(c1))]
    );
    assert_eq!(wins(&app, &a.staff, &w.a_deputy2_id).await, []);
    let node = world::ok(
        &app,
        Some(&wang),
        "query($id: ID!) { node(id: $id) { id ... on SelectionCandidate { verdict } } }",
        json!({ "id": c1 }),
    )
    .await;
    assert_eq!(node["node"]["verdict"], "PASSED");
    app.gql(&step("cancelSelection"), json!({ "id": id }), Some(&a.staff)).await.assert_code("CONFLICT");

    // A vote without a quorum: 1 of 3 voted, so nobody wins, and there is nothing to publish.
    let thin = open(&app, &w, "BEST_SUGGESTION", "COMMITTEE_VOTE", 1, &committee).await;
    let mut thin_candidates = Vec::new();
    for s in [&s1, &s2] {
        let c = ok(&app, &a.staff, NOMINATE_SUGGESTION, json!({ "s": thin, "x": s })).await;
        thin_candidates.push(str_of(&c["id"]).to_owned());
    }
    ok(&app, &a.staff, &step("startSelectionVote"), json!({ "id": thin })).await;
    ok(&app, &wang, &cast, json!({ "s": thin, "c": [thin_candidates[0]] })).await;
    let closed = ok(&app, &a.staff, &step("closeSelectionVote"), json!({ "id": thin })).await;
    assert_eq!(
        (&closed["quorum"], &closed["turnout"], &closed["winners"]),
        (&json!(false), &json!(1), &json!([]))
    );
    assert_eq!(closed["candidates"][0]["votes"], 1);
    assert!(closed["candidates"].as_array().unwrap().iter().all(|c| c["verdict"] == "FAILED"));
    app.gql(&publish, json!({ "id": thin }), Some(&a.staff)).await.assert_code("CONFLICT");
    let cancelled = ok(&app, &a.staff, &step("cancelSelection"), json!({ "id": thin })).await;
    assert_eq!(cancelled["state"], "CANCELLED");

    // The congress's list: its staff and deputies; B's staff and A's unit are FORBIDDEN.
    let list =
        "query($c: ID!) { r: selections(congressId: $c, first: 10) { totalCount nodes { id state } } }";
    for token in [&a.staff, &wang] {
        let seen = ok(&app, token, list, json!({ "c": a.congress })).await;
        assert_eq!(seen["totalCount"], 2);
        assert_eq!(
            seen["nodes"],
            json!([{ "id": id, "state": "PUBLISHED" }, { "id": thin, "state": "CANCELLED" }])
        );
    }
    for token in [&w.b.staff, &w.b.deputy, &a.unit_staff, &w.citizen] {
        app.gql(list, json!({ "c": a.congress }), Some(token)).await.assert_code("FORBIDDEN");
    }
});

e2e!(model_deputies_are_decided_by_staff_with_reasons_and_scored_in_the_archive, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    // A staff decision has no committee.
    let with_committee = open_input(&w, "MODEL_DEPUTY", "STAFF_DECISION", 1, &[&a.deputy_id]);
    app.gql(OPEN, json!({ "i": with_committee }), Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let id = open(&app, &w, "MODEL_DEPUTY", "STAFF_DECISION", 1, &[]).await;

    // 张明 on behalf of his group (东城区代表团), 李华 by staff; a deputy of B, or a suggestion, is refused.
    let zhang =
        ok(&app, &a.staff, NOMINATE_DEPUTY, json!({ "s": id, "x": a.deputy_id, "g": a.deputy_group_id }))
            .await;
    let li = ok(&app, &a.staff, NOMINATE_DEPUTY, json!({ "s": id, "x": w.a_deputy2_id })).await;
    assert_eq!(
        li["dutySummary"]["year"],
        year(),
        "the supporting record is the deputy's archive of the year"
    );
    let (zhang, li) = (str_of(&zhang["id"]).to_owned(), str_of(&li["id"]).to_owned());
    app.gql(NOMINATE_DEPUTY, json!({ "s": id, "x": w.b.deputy_id }), Some(&a.staff))
        .await
        .assert_code("BAD_USER_INPUT");
    app.gql(NOMINATE_DEPUTY, json!({ "s": id, "x": w.a_deputy2_id }), Some(&a.staff))
        .await
        .assert_code("CONFLICT");

    // No vote in a staff decision; deputies do not decide.
    app.gql(&step("startSelectionVote"), json!({ "id": id }), Some(&a.staff)).await.assert_code("CONFLICT");
    app.gql(&cast_q(), json!({ "s": id, "c": [li] }), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    let decide = format!(
        "mutation($id: ID!, $w: [SelectionWinnerInput!]!) {{ r: decideSelection(id: $id, winners: $w) {{ {FIELDS} }} }}"
    );
    let reason = "带头开展代表活动，反映社情民意十二件";
    let winners = json!({ "id": id, "w": [{ "candidateId": li, "reason": reason }] });
    app.gql(&decide, winners.clone(), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    app.gql(&decide, winners.clone(), Some(&w.b.staff)).await.assert_code("NOT_FOUND");
    let too_many = json!({ "id": id, "w": [{ "candidateId": li, "reason": "x" }, { "candidateId": zhang, "reason": "y" }] });
    app.gql(&decide, too_many, Some(&a.staff)).await.assert_code("BAD_USER_INPUT");
    let decided = ok(&app, &a.staff, &decide, winners.clone()).await;
    assert_eq!(decided["state"], "DECIDED");
    let verdicts: Vec<(Value, Value, Value)> = decided["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].clone(), c["verdict"].clone(), c["decisionReason"].clone()))
        .collect();
    assert_eq!(
        verdicts,
        [(json!(zhang), json!("FAILED"), Value::Null), (json!(li), json!("PASSED"), json!(reason))]
    );
    app.gql(&decide, winners, Some(&a.staff)).await.assert_code("CONFLICT");
    let hidden = ok(&app, &w.a_deputy2, &selection_q(), json!({ "id": id })).await;
    assert_eq!(hidden["candidates"][1]["decisionReason"], Value::Null, "not before publication");

    // A points rule for DEPUTY_SELECTED scores the win once it is published.
    let rule = json!({ "congressId": a.congress, "kind": "DEPUTY_SELECTED", "points": 10,
        "effectiveFrom": cst_today().to_string() });
    ok(
        &app,
        &a.staff,
        "mutation($i: PointRuleInput!) { r: setPointRule(input: $i) { id } }",
        json!({ "i": rule }),
    )
    .await;
    let ledger =
        "query($d: ID!, $y: Int!) { r: pointsLedger(deputyId: $d, year: $y) { lines { kind awarded } } }";
    let selected = |l: &Value| -> Vec<Value> {
        l["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == "DEPUTY_SELECTED")
            .map(|x| x["awarded"].clone())
            .collect()
    };
    let vars = json!({ "d": w.a_deputy2_id, "y": year() });
    assert!(
        selected(&ok(&app, &a.staff, ledger, vars.clone()).await).is_empty(),
        "nothing before publication"
    );
    assert_eq!(wins(&app, &w.a_deputy2, &w.a_deputy2_id).await, []);

    let published = ok(&app, &a.staff, &step("publishSelection"), json!({ "id": id })).await;
    assert_eq!(published["state"], "PUBLISHED");
    let seen = ok(&app, &a.deputy, &selection_q(), json!({ "id": id })).await;
    assert_eq!(seen["winners"], json!([{ "id": li }]));
    assert_eq!(seen["candidates"][1]["decisionReason"], json!(reason));
    assert_eq!(notices(&app, &w.a_deputy2, &id, "DUTY_SELECTION_WON").await, 1);
    assert_eq!(notices(&app, &a.deputy, &id, "DUTY_SELECTION_WON").await, 0);
    assert_eq!(
        wins(&app, &w.a_deputy2, &w.a_deputy2_id).await,
        [(json!("DEPUTY_SELECTED"), json!("SelectionCandidate"), json!(li))]
    );
    assert_eq!(selected(&ok(&app, &a.staff, ledger, vars).await), [json!(10)]);
    app.gql(&step("publishSelection"), json!({ "id": id }), Some(&a.staff)).await.assert_code("CONFLICT");
});
