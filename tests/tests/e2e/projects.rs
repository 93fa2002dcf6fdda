//! Livelihood projects (民生实事项目) over GraphQL, on SQLite and on PostgreSQL + Redis: a round from its
//! candidates through questions answered by the unit, a concurrent secret vote of every deputy of the demo
//! congress (with retries that must not count twice and a second ballot refused), counts hidden while
//! voting, the close and the published results; then a project's supervision group, progress, a milestone
//! the deadline job finds overdue, a rectification asked and answered, and the year-end rating. Plus who
//! may do what, role by role, and that nothing tells who chose what.

use edaibiao_tests::cast::Cast;
use edaibiao_tests::projects::project_input;
use edaibiao_tests::time::{DAY, rfc3339, this_year, unix_now};
use edaibiao_tests::world::{self, account, ok};
use edaibiao_tests::{Backend, TestApp, TestEnv, e2e, str_of};
use futures_util::future::join_all;
use serde_json::{Value, json};
use std::time::Duration;

const ROUND: &str = "query($id: ID!) { projectRound(id: $id) {
    id state ratingState ballotsCast hasVoted resultsVisible electorate
    overallRating { satisfied basicallySatisfied dissatisfied satisfactionRate }
    candidates { id title budgetFen plannedMilestones { title dueAt }
        questions { id question answer askedBy { name } }
        result { rank verdict tally { chosen for against abstain } } } } }";

const CAST: &str = "mutation($r: ID!, $m: [MarkInput!]!, $k: String) {
    castProjectBallot(roundId: $r, marks: $m, idempotencyKey: $k) { id ballotsCast hasVoted } }";

const PROJECT: &str = "query($id: ID!) { livelihoodProject(id: $id) {
    id kind title responsibleUnit { name } milestones { id title state overdue }
    supervisionGroup { name } progressReports { percent content milestoneDone }
    inspections { id findings rectificationRequested rectificationAnswer }
    rating { satisfied basicallySatisfied dissatisfied satisfactionRate } hasRated } }";

const INBOX: &str = "{ notifications(first: 100) { nodes { kind subjectKind } } }";

async fn start(backend: Backend) -> Option<TestApp> {
    let mut env = TestEnv::new(backend)?;
    // The deadline job (suggestions and milestones) every second, so the test sees its reminders.
    env.set("REMINDER_INTERVAL_SECS", "1");
    Some(env.spawn().await)
}

async fn kinds(app: &TestApp, token: &str) -> Vec<String> {
    let data = ok(app, Some(token), INBOX, json!({})).await;
    data["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| str_of(&n["kind"]).to_owned())
        .collect()
}

/// Waits (up to 20 s) until `token`'s inbox holds a notification of `kind`.
async fn wait_for(app: &TestApp, token: &str, kind: &str) {
    for _ in 0..80 {
        if kinds(app, token).await.iter().any(|k| k == kind) {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no {kind} arrived: {:?}", kinds(app, token).await);
}

async fn round(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    ok(app, token, ROUND, json!({ "id": id })).await["projectRound"].clone()
}

async fn step(app: &TestApp, token: &str, op: &str, round: &str) -> Value {
    let query = format!("mutation($r: ID!) {{ x: {op}(roundId: $r) {{ id state ratingState }} }}");
    ok(app, Some(token), &query, json!({ "r": round })).await["x"].clone()
}

/// Logs in every deputy of the demo congress: 张明 and 李华, and accounts made now for the three without one.
async fn all_deputies(app: &TestApp, cast: &Cast) -> Vec<String> {
    let mut tokens = vec![cast.zhang.clone(), cast.li.clone()];
    for (i, name) in ["王芳", "赵强", "陈静"].into_iter().enumerate() {
        let phone = format!("1370000031{i}");
        tokens.push(account(app, &cast.admin, &phone, "DEPUTY", ("deputyId", cast.deputy(name))).await);
    }
    tokens
}

fn chosen(ids: &[&str]) -> Value {
    json!(ids.iter().map(|c| json!({ "candidate": c, "mark": "CHOSEN" })).collect::<Vec<_>>())
}

async fn the_whole_flow(app: TestApp) {
    let cast = Cast::of(&app).await;
    let deputies = all_deputies(&app, &cast).await;
    let year = this_year();

    // Staff open a round (差额: 2 of 3); every deputy is told.
    let opened = ok(
        &app,
        Some(&cast.staff),
        "mutation($i: OpenProjectRoundInput!) { r: openProjectRound(input: $i, idempotencyKey: \"open-round-0001\") { id state } }",
        json!({ "i": { "congressId": cast.congress, "year": year, "title": "民生实事项目票决", "form": "CHOOSE_UP_TO", "seats": 2 } }),
    )
    .await;
    let round_id = str_of(&opened["r"]["id"]).to_owned();
    assert_eq!(opened["r"]["state"], "OPEN");
    wait_for(&app, &cast.li, "PROJECT_ROUND_OPENED").await;

    // Three candidates; the transport bureau's has a milestone already past and one due in 3 days.
    let mut a = project_input("公交站台改造", &cast.transport);
    a["milestones"] = json!([
        { "title": "方案设计", "dueAt": rfc3339(unix_now() - DAY) },
        { "title": "完成施工", "dueAt": rfc3339(unix_now() + 3 * DAY) },
    ]);
    let mut candidates = Vec::new();
    for input in
        [a, project_input("学校食堂提升", &cast.education), project_input("社区卫生站", &cast.health)]
    {
        let added = ok(
            &app,
            Some(&cast.staff),
            "mutation($r: ID!, $i: ProjectInput!) { c: addProjectCandidate(roundId: $r, input: $i) { id budgetFen } }",
            json!({ "r": round_id, "i": input }),
        )
        .await;
        assert_eq!(added["c"]["budgetFen"], "1000000000", "fen, exact, as digits");
        candidates.push(str_of(&added["c"]["id"]).to_owned());
    }
    let (ca, cb, cc) = (candidates[0].as_str(), candidates[1].as_str(), candidates[2].as_str());

    // A deputy asks about the bus stops; the transport bureau answers; the deputy is told; everyone in the
    // congress sees question and answer; outsiders see nothing of the unpublished round.
    let asked = ok(
        &app,
        Some(&cast.zhang),
        "mutation($c: ID!) { q: askProjectQuestion(candidateId: $c, question: \"资金如何保障？\", idempotencyKey: \"ask-question-01\") { id } }",
        json!({ "c": ca }),
    )
    .await;
    let question = str_of(&asked["q"]["id"]).to_owned();
    app.gql(
        "mutation($q: ID!) { answerProjectQuestion(id: $q, answer: \"市财政专项\") { id } }",
        json!({ "q": question }),
        Some(&cast.staff),
    )
    .await
    .assert_code("FORBIDDEN");
    let answered = ok(
        &app,
        Some(&cast.unit),
        "mutation($q: ID!) { a: answerProjectQuestion(id: $q, answer: \"市财政专项资金\") { answer answeredAt } }",
        json!({ "q": question }),
    )
    .await;
    assert_eq!(answered["a"]["answer"], "市财政专项资金");
    wait_for(&app, &cast.zhang, "PROJECT_QUESTION_ANSWERED").await;
    let seen = round(&app, Some(&cast.li), &round_id).await;
    assert_eq!(seen["candidates"][0]["questions"][0]["answer"], "市财政专项资金");
    assert_eq!(seen["candidates"][0]["questions"][0]["askedBy"]["name"], "张明");
    for token in [None, Some(cast.citizen.as_str())] {
        app.gql(ROUND, json!({ "id": round_id }), token).await.assert_code("NOT_FOUND");
    }

    // Voting opens; every deputy votes at once, each sending its ballot twice with one key (a phone's
    // retry). Four choose the bus stops and the canteens, one the bus stops and the clinic.
    step(&app, &cast.staff, "openProjectVoting", &round_id).await;
    let ballots: Vec<(usize, Value)> = deputies
        .iter()
        .enumerate()
        .map(|(i, _)| (i, if i == 4 { chosen(&[ca, cc]) } else { chosen(&[ca, cb]) }))
        .collect();
    let sends = ballots.iter().flat_map(|(i, marks)| {
        let vars = json!({ "r": round_id, "m": marks, "k": format!("ballot-key-{i:04}") });
        let token = deputies[*i].clone();
        let app = &app;
        [0, 1].map(move |_| {
            let (vars, token) = (vars.clone(), token.clone());
            async move { app.gql(CAST, vars, Some(&token)).await }
        })
    });
    for res in join_all(sends).await {
        assert_eq!(res.data()["castProjectBallot"]["hasVoted"], true, "{}", res.body);
    }
    // A second ballot under another key is refused.
    app.gql(
        CAST,
        json!({ "r": round_id, "m": chosen(&[cb, cc]), "k": "ballot-key-again" }),
        Some(&cast.zhang),
    )
    .await
    .assert_code("CONFLICT");

    // While voting: turnout only, no counts, not even for staff.
    for token in [&cast.staff, &cast.zhang, &cast.unit] {
        let seen = round(&app, Some(token), &round_id).await;
        assert_eq!(seen["state"], "VOTING");
        assert_eq!(seen["ballotsCast"], 5, "retries did not count twice");
        assert_eq!(seen["resultsVisible"], false);
        assert!(seen["candidates"].as_array().into_iter().flatten().all(|c| c["result"].is_null()), "{seen}");
    }
    assert_eq!(round(&app, Some(&cast.zhang), &round_id).await["hasVoted"], true);
    assert_eq!(round(&app, Some(&cast.staff), &round_id).await["hasVoted"], false);

    // Staff close: the electorate is the five deputies; results for staff, not yet for deputies.
    let closed = step(&app, &cast.staff, "closeProjectVoting", &round_id).await;
    assert_eq!(closed["state"], "CLOSED");
    app.gql(CAST, json!({ "r": round_id, "m": chosen(&[ca]) }), Some(&deputies[1]))
        .await
        .assert_code("CONFLICT");
    let staff_view = round(&app, Some(&cast.staff), &round_id).await;
    assert_eq!(staff_view["electorate"], 5);
    let results: Vec<(i64, &str)> = staff_view["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (c["result"]["tally"]["chosen"].as_i64().unwrap_or(-1), str_of(&c["result"]["verdict"])))
        .collect();
    assert_eq!(results, vec![(5, "PASSED"), (4, "PASSED"), (1, "FAILED")]);
    let marks_cast: i64 = ballots.iter().map(|(_, m)| m.as_array().map_or(0, Vec::len) as i64).sum();
    assert_eq!(results.iter().map(|r| r.0).sum::<i64>(), marks_cast, "the counts are the sum of the ballots");
    assert!(round(&app, Some(&cast.zhang), &round_id).await["candidates"][0]["result"].is_null());

    // Published: the passed candidates are projects; anyone sees the results, nobody outside the questions.
    step(&app, &cast.staff, "publishProjectRound", &round_id).await;
    wait_for(&app, &cast.li, "PROJECT_RESULTS_PUBLISHED").await;
    let public = round(&app, None, &round_id).await;
    assert_eq!(public["state"], "PUBLISHED");
    assert_eq!(public["candidates"][0]["result"]["rank"], 1);
    assert!(public["candidates"][0]["questions"].is_null(), "no questions for the public");
    let projects = ok(
        &app,
        None,
        "query($c: ID!, $r: ID) { livelihoodProjects(congressId: $c, roundId: $r) { totalCount nodes { id title kind } } }",
        json!({ "c": cast.congress, "r": round_id }),
    )
    .await;
    assert_eq!(projects["livelihoodProjects"]["totalCount"], 2);
    let project = str_of(&projects["livelihoodProjects"]["nodes"][0]["id"]).to_owned();
    let project_b = str_of(&projects["livelihoodProjects"]["nodes"][1]["id"]).to_owned();
    assert_eq!(projects["livelihoodProjects"]["nodes"][0]["title"], "公交站台改造");

    // A citizen follows the first project (a VOTED one they can read), twice is once; only citizens follow.
    let follow = "mutation($p: ID!) { r: followLivelihoodProject(id: $p) { id viewerFollows } }";
    for _ in 0..2 {
        let followed = ok(&app, Some(&cast.citizen), follow, json!({ "p": project })).await;
        assert_eq!(followed["r"]["viewerFollows"], true);
    }
    app.gql(follow, json!({ "p": project }), Some(&cast.zhang)).await.assert_code("FORBIDDEN");
    app.gql(follow, json!({ "p": project }), None).await.assert_code("UNAUTHENTICATED");
    let unfollow = "mutation($p: ID!) { r: unfollowLivelihoodProject(id: $p) { viewerFollows } }";
    let followed = ok(&app, Some(&cast.citizen), follow, json!({ "p": project_b })).await;
    assert_eq!(followed["r"]["viewerFollows"], true);
    let left = ok(&app, Some(&cast.citizen), unfollow, json!({ "p": project_b })).await;
    assert_eq!(left["r"]["viewerFollows"], false, "the second project is not followed any more");

    // The milestone already past: the deadline job tells the unit and staff; the next one, due soon, the unit.
    wait_for(&app, &cast.unit, "PROJECT_MILESTONE_OVERDUE").await;
    wait_for(&app, &cast.staff, "PROJECT_MILESTONE_OVERDUE").await;
    wait_for(&app, &cast.unit, "PROJECT_MILESTONE_DUE").await;
    let overdue = kinds(&app, &cast.unit).await.iter().filter(|k| *k == "PROJECT_MILESTONE_OVERDUE").count();
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let again = kinds(&app, &cast.unit).await.iter().filter(|k| *k == "PROJECT_MILESTONE_OVERDUE").count();
    assert_eq!((overdue, again), (1, 1), "reminded once");

    // Staff appoint 张明 to the supervision group; the unit reports the first milestone done.
    ok(
        &app,
        Some(&cast.staff),
        "mutation($p: ID!, $d: [ID!]!) { appointSupervisionGroup(projectId: $p, deputyIds: $d) { id } }",
        json!({ "p": project, "d": [cast.zhang_id] }),
    )
    .await;
    let seen =
        ok(&app, Some(&cast.unit), PROJECT, json!({ "id": project })).await["livelihoodProject"].clone();
    assert_eq!(seen["milestones"][0]["overdue"], true);
    let milestone = str_of(&seen["milestones"][0]["id"]).to_owned();
    let report = json!({ "i": { "projectId": project, "content": "方案已批复", "percent": 30, "milestoneId": milestone, "milestoneDone": true } });
    ok(
        &app,
        Some(&cast.unit),
        "mutation($i: ReportProjectProgressInput!) { reportProjectProgress(input: $i, idempotencyKey: \"progress-0001\") { id } }",
        report.clone(),
    )
    .await;
    ok(
        &app,
        Some(&cast.unit),
        "mutation($i: ReportProjectProgressInput!) { reportProjectProgress(input: $i, idempotencyKey: \"progress-0001\") { id } }",
        report,
    )
    .await;
    app.gql(
        "mutation($p: ID!) { reportProjectProgress(input: { projectId: $p, content: \"x\", percent: 1 }) { id } }",
        json!({ "p": project_b }),
        Some(&cast.unit),
    )
    .await
    .assert_code("FORBIDDEN");

    // 张明 inspects and asks for rectification; the unit is told and answers once; group and staff told.
    let deadline = rfc3339(unix_now() + 14 * DAY);
    app.gql(
        "mutation($p: ID!) { inspectProject(input: { projectId: $p, findings: \"x\" }) { id } }",
        json!({ "p": project }),
        Some(&cast.li),
    )
    .await
    .assert_code("FORBIDDEN");
    let inspected = ok(
        &app,
        Some(&cast.zhang),
        "mutation($p: ID!, $d: DateTime) { i: inspectProject(input: { projectId: $p, findings: \"站台遮雨棚未完工\", rectificationDeadline: $d }) { id rectificationRequested } }",
        json!({ "p": project, "d": deadline }),
    )
    .await;
    let inspection = str_of(&inspected["i"]["id"]).to_owned();
    wait_for(&app, &cast.unit, "PROJECT_RECTIFICATION_REQUESTED").await;
    let rectify = "mutation($i: ID!) { answerProjectRectification(inspectionId: $i, answer: \"已加装遮雨棚\") { rectificationAnswer } }";
    ok(&app, Some(&cast.unit), rectify, json!({ "i": inspection })).await;
    app.gql(rectify, json!({ "i": inspection }), Some(&cast.unit)).await.assert_code("CONFLICT");
    wait_for(&app, &cast.zhang, "PROJECT_RECTIFIED").await;
    wait_for(&app, &cast.staff, "PROJECT_RECTIFIED").await;
    let seen = ok(&app, Some(&cast.li), PROJECT, json!({ "id": project })).await["livelihoodProject"].clone();
    assert_eq!(seen["milestones"][0]["state"], "DONE");
    assert_eq!(seen["progressReports"].as_array().map(Vec::len), Some(1), "the retry reported once");
    assert_eq!(seen["supervisionGroup"][0]["name"], "张明");
    assert_eq!(seen["inspections"][0]["rectificationAnswer"], "已加装遮雨棚");
    let public = ok(&app, None, PROJECT, json!({ "id": project })).await["livelihoodProject"].clone();
    assert!(public["inspections"].is_null(), "inspections stay inside the congress");
    assert_eq!(public["progressReports"][0]["percent"], 30);
    // The follower heard of the progress once (the retry reported once), and of nothing inside.
    let heard = kinds(&app, &cast.citizen).await;
    assert_eq!(heard.iter().filter(|k| *k == "PROJECT_PROGRESS_REPORTED").count(), 1, "{heard:?}");
    assert!(!heard.iter().any(|k| k.starts_with("PROJECT_RECTIFI")), "{heard:?}");

    // The year-end rating: every deputy rates both projects once, secretly.
    step(&app, &cast.staff, "openProjectRating", &round_id).await;
    let rate = "mutation($p: ID!, $m: Mark!, $k: String) { rateProject(projectId: $p, mark: $m, idempotencyKey: $k) { hasRated } }";
    let marks_a = ["SATISFIED", "SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED"];
    let rates = deputies.iter().enumerate().flat_map(|(i, token)| {
        let app = &app;
        let a = json!({ "p": project, "m": marks_a[i], "k": format!("rate-a-{i:04}") });
        let b = json!({ "p": project_b, "m": "SATISFIED", "k": format!("rate-b-{i:04}") });
        [a, b].map(move |vars| async move { app.gql(rate, vars, Some(token)).await })
    });
    for res in join_all(rates).await {
        assert_eq!(res.data()["rateProject"]["hasRated"], true);
    }
    app.gql(rate, json!({ "p": project, "m": "DISSATISFIED" }), Some(&cast.zhang))
        .await
        .assert_code("CONFLICT");
    let staff_seen = ok(&app, Some(&cast.staff), PROJECT, json!({ "id": project })).await;
    assert!(staff_seen["livelihoodProject"]["rating"].is_null(), "no counts while the rating is open");
    step(&app, &cast.staff, "closeProjectRating", &round_id).await;
    assert!(
        ok(&app, Some(&cast.li), PROJECT, json!({ "id": project })).await["livelihoodProject"]["rating"]
            .is_null()
    );
    step(&app, &cast.staff, "publishProjectRating", &round_id).await;
    // The follower hears of the rating of the project they follow, not of the one they left.
    let rated: Vec<Value> = ok(
        &app,
        Some(&cast.citizen),
        "{ notifications(first: 100) { nodes { kind subjectId } } }",
        json!({}),
    )
    .await["notifications"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["kind"] == "PROJECT_RATING_PUBLISHED")
        .cloned()
        .collect();
    assert_eq!(rated.len(), 1, "{rated:?}");
    assert_eq!(rated[0]["subjectId"], project);
    let public = ok(&app, None, PROJECT, json!({ "id": project })).await["livelihoodProject"].clone();
    assert_eq!(
        public["rating"],
        json!({ "satisfied": 3, "basicallySatisfied": 1, "dissatisfied": 1, "satisfactionRate": 80.0 })
    );
    let overall = round(&app, None, &round_id).await["overallRating"].clone();
    assert_eq!(
        overall,
        json!({ "satisfied": 8, "basicallySatisfied": 1, "dissatisfied": 1, "satisfactionRate": 90.0 })
    );

    // The results download like the other statistics, for the congress's staff only.
    let export = |name: &str| format!("/exports/{name}.csv?roundId={round_id}");
    let ratings = csv_text(&app, &export("project-ratings"), Some(&cast.staff), 200).await;
    assert!(ratings.contains("项目,满意,基本满意,不满意,满意率（%）"), "{ratings}");
    assert!(ratings.contains(",3,1,1,80"), "{ratings}");
    assert!(ratings.contains("总体,8,1,1,90"), "{ratings}");
    let votes = csv_text(&app, &export("project-votes"), Some(&cast.staff), 200).await;
    assert!(votes.contains("入选") && votes.contains("未入选"), "{votes}");
    csv_text(&app, &export("project-ratings"), Some(&cast.zhang), 403).await;
    csv_text(&app, &export("project-ratings"), None, 401).await;
}

/// GETs an export and returns its text (without the byte order mark), checking the status.
async fn csv_text(app: &TestApp, path: &str, token: Option<&str>, status: u16) -> String {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), status, "{path}");
    let body = response.body().await.unwrap().to_vec();
    String::from_utf8_lossy(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body)).into_owned()
}

mod the_whole_flow_from_candidates_to_the_year_end_rating {
    use super::*;

    #[actix_web::test]
    async fn embedded() {
        the_whole_flow(start(Backend::Embedded).await.expect("embedded backend always available")).await;
    }

    #[actix_web::test]
    async fn postgres_redis() {
        match start(Backend::Services).await {
            Some(app) => the_whole_flow(app).await,
            None => eprintln!("skipped: TEST_DATABASE_URL and TEST_REDIS_URL are not set"),
        }
    }
}

e2e!(each_role_may_do_only_its_part, |app| {
    let w = world::build(&app).await;
    let a = &w.a;
    let round = ok(
        &app,
        Some(&a.staff),
        "mutation($i: OpenProjectRoundInput!) { r: openProjectRound(input: $i) { id } }",
        json!({ "i": { "congressId": a.congress, "year": this_year(), "title": "票决", "form": "FOR_AGAINST_ABSTAIN" } }),
    )
    .await;
    let round = str_of(&round["r"]["id"]).to_owned();
    let add =
        "mutation($r: ID!, $i: ProjectInput!) { c: addProjectCandidate(roundId: $r, input: $i) { id } }";
    // Staff of B may not add to A's round (it is hidden from them), nor name B's unit in A's round.
    app.gql(add, json!({ "r": round, "i": project_input("项目", &a.unit_id) }), Some(&w.b.staff))
        .await
        .assert_code("NOT_FOUND");
    app.gql(add, json!({ "r": round, "i": project_input("项目", &w.b.unit_id) }), Some(&a.staff))
        .await
        .assert_code("BAD_USER_INPUT");
    let candidate =
        ok(&app, Some(&a.staff), add, json!({ "r": round, "i": project_input("项目", &a.unit_id) })).await;
    let candidate = str_of(&candidate["c"]["id"]).to_owned();
    let ask = "mutation($c: ID!) { q: askProjectQuestion(candidateId: $c, question: \"问\") { id } }";
    app.gql(ask, json!({ "c": candidate }), Some(&w.b.deputy)).await.assert_code("FORBIDDEN");
    app.gql(ask, json!({ "c": candidate }), Some(&a.unit_staff)).await.assert_code("FORBIDDEN");
    app.gql(ask, json!({ "c": candidate }), Some(&w.citizen)).await.assert_code("NOT_FOUND");
    app.gql(ask, json!({ "c": candidate }), None).await.assert_code("UNAUTHENTICATED");
    let question = ok(&app, Some(&a.deputy), ask, json!({ "c": candidate })).await;
    let question = str_of(&question["q"]["id"]).to_owned();
    let answer = "mutation($q: ID!) { answerProjectQuestion(id: $q, answer: \"答\") { id } }";
    // A unit that is not responsible does not see the round at all.
    app.gql(answer, json!({ "q": question }), Some(&w.a_unit2_staff)).await.assert_code("NOT_FOUND");
    app.gql(answer, json!({ "q": question }), Some(&w.b.unit_staff)).await.assert_code("NOT_FOUND");
    app.gql(answer, json!({ "q": question }), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    ok(&app, Some(&a.unit_staff), answer, json!({ "q": question })).await;
    // Voting: only deputies of A; a deputy of B is FORBIDDEN, staff too.
    step(&app, &a.staff, "openProjectVoting", &round).await;
    app.gql(
        "mutation($r: ID!) { openProjectVoting(roundId: $r) { id } }",
        json!({ "r": round }),
        Some(&a.deputy),
    )
    .await
    .assert_code("FORBIDDEN");
    let marks = json!([{ "candidate": candidate, "mark": "FOR" }]);
    app.gql(CAST, json!({ "r": round, "m": marks }), Some(&w.b.deputy)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "r": round, "m": marks }), Some(&a.staff)).await.assert_code("FORBIDDEN");
    app.gql(CAST, json!({ "r": round, "m": marks }), None).await.assert_code("UNAUTHENTICATED");
    app.gql(
        CAST,
        json!({ "r": round, "m": json!([{ "candidate": candidate, "mark": "CHOSEN" }]) }),
        Some(&a.deputy),
    )
    .await
    .assert_code("BAD_USER_INPUT");
    ok(&app, Some(&a.deputy), CAST, json!({ "r": round, "m": marks })).await;
    // Lists: outsiders do not see the unpublished round; A's deputies and the responsible unit do.
    let list = "query($c: ID!) { projectRounds(congressId: $c, first: 100) { nodes { id } } }";
    for (token, sees) in [
        (None, false),
        (Some(w.citizen.as_str()), false),
        (Some(w.b.staff.as_str()), false),
        (Some(w.a_unit2_staff.as_str()), false),
        (Some(a.unit_staff.as_str()), true),
        (Some(w.a_deputy2.as_str()), true),
    ] {
        let got = ok(&app, token, list, json!({ "c": a.congress })).await;
        let listed = got["projectRounds"]["nodes"].as_array().into_iter().flatten().any(|n| n["id"] == round);
        assert_eq!(listed, sees, "{token:?}");
    }
    // A FOR_AGAINST_ABSTAIN vote of one deputy out of five has no quorum: nothing passes, nothing to make.
    step(&app, &a.staff, "closeProjectVoting", &round).await;
    let seen = super::round(&app, Some(&a.staff), &round).await;
    assert_eq!(seen["candidates"][0]["result"]["verdict"], "FAILED");
    assert_eq!(seen["candidates"][0]["result"]["tally"]["for"], 1);
    // MAJOR projects: only staff create them; they stay inside the congress.
    let major = "mutation($c: ID!, $y: Int!, $i: ProjectInput!) { p: createMajorProject(congressId: $c, year: $y, input: $i) { id kind } }";
    let vars = json!({ "c": a.congress, "y": this_year(), "i": project_input("地铁", &a.unit_id) });
    app.gql(major, vars.clone(), Some(&w.b.staff)).await.assert_code("FORBIDDEN");
    app.gql(major, vars.clone(), Some(&a.deputy)).await.assert_code("FORBIDDEN");
    let created = ok(&app, Some(&a.staff), major, vars).await;
    assert_eq!(created["p"]["kind"], "MAJOR");
    let id = str_of(&created["p"]["id"]).to_owned();
    app.gql(PROJECT, json!({ "id": id }), None).await.assert_code("NOT_FOUND");
    app.gql(PROJECT, json!({ "id": id }), Some(&w.b.deputy)).await.assert_code("NOT_FOUND");
    ok(&app, Some(&a.unit_staff), PROJECT, json!({ "id": id })).await;
    // A citizen cannot follow what they cannot read.
    let follow = "mutation($p: ID!) { followLivelihoodProject(id: $p) { id } }";
    app.gql(follow, json!({ "p": id }), Some(&w.citizen)).await.assert_code("NOT_FOUND");
});

e2e!(nothing_tells_who_chose_what, |app| {
    // No type a vote touches (rounds, candidates, results, projects, deputies, accounts) has a field that could hold one voter's choice or the register of
    // voters: results are counts, the register shows only as `ballotsCast` and the viewer's own `hasVoted`.
    let types = ok(&app, None, "{ __schema { types { name kind fields { name } } } }", json!({})).await;
    let ours = |name: &str| {
        name.starts_with("Project")
            || [
                "LivelihoodProject",
                "CandidateResult",
                "Tally",
                "Milestone",
                "ProgressReport",
                "Deputy",
                "Account",
            ]
            .contains(&name)
    };
    for ty in types["__schema"]["types"].as_array().into_iter().flatten().filter(|t| ours(str_of(&t["name"])))
    {
        for field in ty["fields"].as_array().into_iter().flatten() {
            let name = str_of(&field["name"]).to_lowercase();
            for word in ["voter", "ballots", "marks", "choices", "register"] {
                assert!(
                    !name.contains(word) || name == "ballotscast",
                    "{}.{} might expose a ballot",
                    str_of(&ty["name"]),
                    str_of(&field["name"])
                );
            }
        }
    }
    let tally = types["__schema"]["types"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["name"] == "Tally")
        .cloned()
        .unwrap_or_default();
    let fields: Vec<&str> =
        tally["fields"].as_array().into_iter().flatten().map(|f| str_of(&f["name"])).collect();
    assert!(!fields.iter().any(|f| f.contains("id") || f.contains("deputy")), "{fields:?}");
});

e2e!(a_tie_at_the_last_seat_cannot_be_published, |app| {
    let cast = Cast::of(&app).await;
    let deputies = all_deputies(&app, &cast).await;
    let opened = ok(
        &app,
        Some(&cast.staff),
        "mutation($i: OpenProjectRoundInput!) { r: openProjectRound(input: $i) { id } }",
        json!({ "i": { "congressId": cast.congress, "year": this_year(), "title": "平票", "form": "CHOOSE_UP_TO", "seats": 2 } }),
    )
    .await;
    let round_id = str_of(&opened["r"]["id"]).to_owned();
    let mut ids = Vec::new();
    for title in ["甲", "乙", "丙"] {
        let added = ok(
            &app,
            Some(&cast.staff),
            "mutation($r: ID!, $i: ProjectInput!) { c: addProjectCandidate(roundId: $r, input: $i) { id } }",
            json!({ "r": round_id, "i": project_input(title, &cast.transport) }),
        )
        .await;
        ids.push(str_of(&added["c"]["id"]).to_owned());
    }
    let (a, b, c) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
    step(&app, &cast.staff, "openProjectVoting", &round_id).await;
    // 甲 4, 乙 3, 丙 3: both 乙 and 丙 have a majority of the five, one seat is left.
    for (token, marks) in deputies.iter().zip([[a, b], [a, b], [a, c], [a, c], [b, c]]) {
        ok(&app, Some(token), CAST, json!({ "r": round_id, "m": chosen(&marks) })).await;
    }
    step(&app, &cast.staff, "closeProjectVoting", &round_id).await;
    let seen = round(&app, Some(&cast.staff), &round_id).await;
    let verdicts: Vec<&str> = seen["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| str_of(&c["result"]["verdict"]))
        .collect();
    assert_eq!(verdicts, vec!["PASSED", "TIED", "TIED"]);
    let res = app
        .gql(
            "mutation($r: ID!) { publishProjectRound(roundId: $r) { id } }",
            json!({ "r": round_id }),
            Some(&cast.staff),
        )
        .await;
    res.assert_code("CONFLICT");
    assert!(str_of(&res.body["errors"][0]["message"]).contains("tied"), "{}", res.body);
    assert_eq!(round(&app, Some(&cast.staff), &round_id).await["state"], "CLOSED");
});
