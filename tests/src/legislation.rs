//! Open-legislation records for the authorisation and node tests: an open call of congress A with a
//! proposal by 张明 (A's deputy), and a draft of A open for comment with one article and a citizen's
//! comment on it.

use crate::str_of;
use crate::time::{rfc3339, unix_now};
use crate::world::{World, ok};
use serde_json::{Value, json};

pub const PUBLISH_CALL: &str = "mutation($i: PublishLegislativeCallInput!, $k: String) { r: publishLegislativeCall(input: $i, idempotencyKey: $k) { id } }";
pub const PROPOSE: &str = "mutation($i: ProposeLegislationInput!, $k: String) { r: proposeLegislation(input: $i, idempotencyKey: $k) { id } }";
pub const PUBLISH_DRAFT: &str = "mutation($i: PublishDraftLawInput!, $k: String) {
    r: publishDraftLaw(input: $i, idempotencyKey: $k) { id currentVersion articles { id number } } }";
pub const COMMENT: &str = "mutation($i: CommentOnDraftLawInput!, $k: String) {
    r: commentOnDraftLaw(input: $i, idempotencyKey: $k) { id version sourceKind content mine } }";

/// Global IDs of the records.
#[derive(Debug, Clone)]
pub struct LegislationFixture {
    pub call: String,
    pub proposal: String,
    pub draft: String,
    pub article: String,
    pub comment: String,
}

/// A call input of `congress` closing in 30 days.
pub fn call_input(congress: &str, title: &str) -> Value {
    json!({ "congressId": congress, "title": title, "description": "请提出立法建议项目",
        "closesAt": rfc3339(unix_now() + 30 * 86_400) })
}

/// A draft input of `congress` with `n` articles (第1条…), closing in 30 days.
pub fn draft_input(congress: &str, title: &str, n: usize, linked: &[&str]) -> Value {
    let articles: Vec<Value> = (1..=n)
        .map(|i| json!({ "chapter": "第一章 总则", "number": format!("第{i}条"), "text": format!("第{i}条的内容") }))
        .collect();
    json!({ "congressId": congress, "title": title, "description": "公开征求意见",
        "closesAt": rfc3339(unix_now() + 30 * 86_400), "articles": articles, "linkedDeputyIds": linked })
}

/// Builds the records through the API.
pub async fn fixture(app: &crate::TestApp, w: &World) -> LegislationFixture {
    let a = &w.a;
    let call =
        ok(app, Some(&a.staff), PUBLISH_CALL, json!({ "i": call_input(&a.congress, "权限测试征集") })).await;
    let call = str_of(&call["r"]["id"]).to_owned();
    let input =
        json!({ "callId": call, "lawTitle": "示例市电动自行车管理条例", "kind": "MAKE", "reason": "理由" });
    let proposal = ok(app, Some(&a.deputy), PROPOSE, json!({ "i": input })).await;
    let proposal = str_of(&proposal["r"]["id"]).to_owned();
    let draft = ok(
        app,
        Some(&a.staff),
        PUBLISH_DRAFT,
        json!({ "i": draft_input(&a.congress, "权限测试草案", 1, &[]) }),
    )
    .await;
    let article = str_of(&draft["r"]["articles"][0]["id"]).to_owned();
    let draft = str_of(&draft["r"]["id"]).to_owned();
    let comment = ok(
        app,
        Some(&w.citizen),
        COMMENT,
        json!({ "i": { "draftId": draft, "articleId": article, "content": "建议修改" } }),
    )
    .await;
    let comment = str_of(&comment["r"]["id"]).to_owned();
    LegislationFixture { call, proposal, draft, article, comment }
}
