//! Deputies' reports of constituents' views (代表反映社情民意) for the authorisation and node tests: reports
//! of 张明 (A's deputy) in each state a call needs.

use crate::str_of;
use crate::world::{World, ok};
use serde_json::json;

/// Global IDs of the reports.
#[derive(Debug, Clone)]
pub struct ReportFixture {
    /// Two SUBMITTED reports (to accept, to decline).
    pub submitted: String,
    pub submitted2: String,
    /// Two ACCEPTED reports (to forward, to compile).
    pub accepted: String,
    pub accepted2: String,
    /// A report FORWARDED to A's unit (to answer).
    pub forwarded: String,
}

/// The mutation that submits a report, with `$i: SubmitDeputyReportInput!`.
pub const SUBMIT: &str = "mutation($i: SubmitDeputyReportInput!, $k: String) { r: submitDeputyReport(input: $i, idempotencyKey: $k) { id state } }";

/// A report's input with `title`.
pub fn input(title: &str) -> serde_json::Value {
    json!({ "title": title, "content": format!("{title}：居民反映情况及建议"), "matter": "东城街道居民反映",
            "category": "URBAN_MANAGEMENT", "place": "东城街道" })
}

/// Builds the reports through the API.
pub async fn fixture(app: &crate::TestApp, w: &World) -> ReportFixture {
    let a = &w.a;
    let mut ids = Vec::new();
    for title in ["待受理一", "待受理二", "已受理一", "已受理二", "已转办"] {
        let r = ok(app, Some(&a.deputy), SUBMIT, json!({ "i": input(title) })).await;
        ids.push(str_of(&r["r"]["id"]).to_owned());
    }
    for id in &ids[2..] {
        ok(
            app,
            Some(&a.staff),
            "mutation($id: ID!) { acceptDeputyReport(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    }
    ok(
        app,
        Some(&a.staff),
        "mutation($id: ID!, $u: ID!) { forwardDeputyReport(id: $id, unitId: $u) { id } }",
        json!({ "id": ids[4], "u": a.unit_id }),
    )
    .await;
    let mut ids = ids.into_iter();
    let mut next = || ids.next().unwrap_or_default();
    ReportFixture {
        submitted: next(),
        submitted2: next(),
        accepted: next(),
        accepted2: next(),
        forwarded: next(),
    }
}
