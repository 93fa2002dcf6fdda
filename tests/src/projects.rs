//! Livelihood-project records for the authorisation and node tests: an OPEN round of congress A (10 seats,
//! so voting never opens: it stays hidden from outsiders whatever the calls do) with one
//! candidate of A's unit and a question on it, and a MAJOR project of A's unit with 张明 (A's deputy) in
//! its supervision group, a milestone, a progress report and an inspection asking for rectification.

use crate::str_of;
use crate::time::{rfc3339, this_year, unix_now};
use crate::world::{World, ok};
use serde_json::json;

/// Global IDs of the records.
#[derive(Debug, Clone)]
pub struct ProjectFixture {
    pub round: String,
    pub candidate: String,
    pub question: String,
    pub project: String,
    pub milestone: String,
    pub progress: String,
    pub inspection: String,
}

/// A project input for `unit`, with one milestone due in 30 days.
pub fn project_input(title: &str, unit: &str) -> serde_json::Value {
    json!({
        "title": title,
        "description": format!("{title}：项目说明"),
        "responsibleUnitId": unit,
        "budgetFen": 1_000_000_000_i64,
        "expectedOutcome": "群众满意",
        "milestones": [{ "title": "开工", "dueAt": rfc3339(unix_now() + 30 * 86_400) }],
    })
}

/// Builds the records through the API.
pub async fn fixture(app: &crate::TestApp, w: &World) -> ProjectFixture {
    let a = &w.a;
    let round = ok(
        app,
        Some(&a.staff),
        "mutation($i: OpenProjectRoundInput!) { r: openProjectRound(input: $i) { id } }",
        json!({ "i": { "congressId": a.congress, "year": this_year(), "title": "权限测试票决", "form": "CHOOSE_UP_TO", "seats": 10 } }),
    )
    .await;
    let round = str_of(&round["r"]["id"]).to_owned();
    let candidate = ok(
        app,
        Some(&a.staff),
        "mutation($r: ID!, $i: ProjectInput!) { c: addProjectCandidate(roundId: $r, input: $i) { id } }",
        json!({ "r": round, "i": project_input("权限测试候选项目", &a.unit_id) }),
    )
    .await;
    let candidate = str_of(&candidate["c"]["id"]).to_owned();
    let question = ok(
        app,
        Some(&a.deputy),
        "mutation($c: ID!) { q: askProjectQuestion(candidateId: $c, question: \"资金来源？\") { id } }",
        json!({ "c": candidate }),
    )
    .await;
    let question = str_of(&question["q"]["id"]).to_owned();
    let project = ok(
        app,
        Some(&a.staff),
        "mutation($c: ID!, $y: Int!, $i: ProjectInput!) { p: createMajorProject(congressId: $c, year: $y, input: $i) { id milestones { id } } }",
        json!({ "c": a.congress, "y": this_year(), "i": project_input("权限测试重大项目", &a.unit_id) }),
    )
    .await;
    let milestone = str_of(&project["p"]["milestones"][0]["id"]).to_owned();
    let project = str_of(&project["p"]["id"]).to_owned();
    ok(
        app,
        Some(&a.staff),
        "mutation($p: ID!, $d: [ID!]!) { appointSupervisionGroup(projectId: $p, deputyIds: $d) { id } }",
        json!({ "p": project, "d": [a.deputy_id] }),
    )
    .await;
    let progress = ok(
        app,
        Some(&a.unit_staff),
        "mutation($i: ReportProjectProgressInput!) { r: reportProjectProgress(input: $i) { id } }",
        json!({ "i": { "projectId": project, "content": "已完成设计", "percent": 10 } }),
    )
    .await;
    let progress = str_of(&progress["r"]["id"]).to_owned();
    let inspection = ok(
        app,
        Some(&a.deputy),
        "mutation($i: InspectProjectInput!) { r: inspectProject(input: $i) { id } }",
        json!({ "i": { "projectId": project, "findings": "进度偏慢", "rectificationDeadline": rfc3339(unix_now() + 10 * 86_400) } }),
    )
    .await;
    let inspection = str_of(&inspection["r"]["id"]).to_owned();
    ProjectFixture { round, candidate, question, project, milestone, progress, inspection }
}
