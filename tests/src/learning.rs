//! Learning records for the authorisation and node tests: a course of congress A for all its deputies (the
//! authorisation matrix moves deputies between groups; group audiences are tested in `learning.rs`), a material assigned to 张明 alone, a news item, and a document for the
//! congress only and a public one.

use crate::str_of;
use crate::world::{World, ok};
use serde_json::{Value, json};

pub const PUBLISH: &str = "mutation($i: PublishLearningMaterialInput!, $k: String) {
    r: publishLearningMaterial(input: $i, idempotencyKey: $k) { id title isCourse audience } }";
pub const COMPLETE: &str = "mutation($id: ID!, $s: Int) {
    r: completeCourse(id: $id, secondsSpent: $s) { completedAt secondsSpent materialId } }";
pub const PUBLISH_NEWS: &str = "mutation($i: PublishNewsItemInput!, $k: String) {
    r: publishNewsItem(input: $i, idempotencyKey: $k) { id title important } }";
pub const PUBLISH_DOCUMENT: &str = "mutation($i: PublishDocumentInput!, $k: String) {
    r: publishDocument(input: $i, idempotencyKey: $k) { id public } }";

/// A video course of `congress` for `audience` (`ALL_DEPUTIES`, `DEPUTY_GROUP` with `group`, `ASSIGNED`
/// with `deputies`).
pub fn course_input(
    congress: &str,
    title: &str,
    audience: &str,
    group: Option<&str>,
    deputies: &[&str],
) -> Value {
    json!({ "congressId": congress, "title": title, "kind": "VIDEO", "category": "TRAINING_COURSES",
        "url": "https://video.example.cn/course.mp4", "audience": audience, "deputyGroupId": group,
        "deputyIds": deputies })
}

/// Global IDs of the records.
#[derive(Debug, Clone)]
pub struct LearningFixture {
    /// A course for all of A's deputies.
    pub course: String,
    /// An article assigned to 张明 alone.
    pub assigned: String,
    pub news: String,
    /// A document of A for its staff and deputies.
    pub document: String,
    /// A public document of A.
    pub public_document: String,
}

pub async fn fixture(app: &crate::TestApp, w: &World) -> LearningFixture {
    let a = &w.a;
    let staff = Some(a.staff.as_str());
    let input = course_input(&a.congress, "权限测试课程", "ALL_DEPUTIES", None, &[]);
    let course = ok(app, staff, PUBLISH, json!({ "i": input })).await;
    let article = json!({ "congressId": a.congress, "title": "指定阅读", "body": "正文", "kind": "ARTICLE",
        "category": "CONGRESS_RULES", "audience": "ASSIGNED", "deputyIds": [a.deputy_id] });
    let assigned = ok(app, staff, PUBLISH, json!({ "i": article })).await;
    let news = json!({ "congressId": a.congress, "title": "常委会会议召开", "body": "会议内容" });
    let news = ok(app, staff, PUBLISH_NEWS, json!({ "i": news })).await;
    let doc = |public: bool| {
        json!({ "i": { "congressId": a.congress, "title": "代表工作条例", "body": "全文",
            "category": "CONGRESS_RULES", "public": public } })
    };
    let document = ok(app, staff, PUBLISH_DOCUMENT, doc(false)).await;
    let public_document = ok(app, staff, PUBLISH_DOCUMENT, doc(true)).await;
    LearningFixture {
        course: str_of(&course["r"]["id"]).to_owned(),
        assigned: str_of(&assigned["r"]["id"]).to_owned(),
        news: str_of(&news["r"]["id"]).to_owned(),
        document: str_of(&document["r"]["id"]).to_owned(),
        public_document: str_of(&public_document["r"]["id"]).to_owned(),
    }
}
