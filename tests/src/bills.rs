//! Bill records for the authorisation and node tests: a DRAFT of 张明 (A's deputy), and a bill of his
//! tabled by his delegation during session 1, put on the agenda and assigned to A's committee and unit,
//! with 张明 invited to one meeting.

use crate::str_of;
use crate::time::{rfc3339, unix_now};
use crate::world::{World, ok};
use serde_json::json;

/// Global IDs of the records.
#[derive(Debug, Clone)]
pub struct BillFixture {
    pub draft: String,
    pub bill: String,
    /// 陈静, a deputy of A without a login: invited by the calls, so nobody's view changes.
    pub chen_id: String,
}

/// Builds the records through the API.
pub async fn fixture(app: &crate::TestApp, w: &World) -> BillFixture {
    let a = &w.a;
    let staff = Some(a.staff.as_str());
    ok(
        app,
        staff,
        "mutation($c: ID!) { setBillSettings(congressId: $c, input: { sessionNumber: 1 }) { sessionNumber } }",
        json!({ "c": a.congress }),
    )
    .await;
    let draft = |title: &str| json!({ "i": { "title": title, "reason": format!("{title}的案由"), "provisions": "第一条" } });
    let create = "mutation($i: BillInput!) { draftBill(input: $i) { id } }";
    let first = ok(app, Some(&a.deputy), create, draft("议案草稿")).await;
    let second = ok(app, Some(&a.deputy), create, draft("列入议程的议案")).await;
    let bill = str_of(&second["draftBill"]["id"]).to_owned();
    ok(
        app,
        staff,
        "mutation($id: ID!, $g: ID!) { tableBill(id: $id, delegationId: $g) { id } }",
        json!({ "id": bill, "g": a.deputy_group_id }),
    )
    .await;
    ok(
        app,
        staff,
        "mutation($id: ID!) { decideBill(id: $id, input: { disposition: ON_AGENDA }) { id } }",
        json!({ "id": bill }),
    )
    .await;
    ok(
        app,
        staff,
        "mutation($id: ID!, $i: AssignBillInput!) { assignBill(id: $id, input: $i) { id } }",
        json!({ "id": bill, "i": { "committeeId": a.committee_id, "unitIds": [a.unit_id],
            "dueAt": rfc3339(unix_now() + 60 * 86_400) } }),
    )
    .await;
    ok(
        app,
        staff,
        "mutation($id: ID!, $h: DateTime!) { inviteBillLeadSponsor(id: $id, title: \"审议会议\", heldAt: $h) { id } }",
        json!({ "id": bill, "h": rfc3339(unix_now() + 86_400) }),
    )
    .await;
    BillFixture {
        draft: str_of(&first["draftBill"]["id"]).to_owned(),
        bill,
        chen_id: app.id_by_name("deputies", "陈静").await,
    }
}
