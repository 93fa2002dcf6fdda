//! Citizens' opinions as the people handling them drive them over GraphQL, for the tests of the citizen's
//! side (tracking page, browser, personal data) that need an opinion found and answered.

use crate::{TestApp, str_of};
use serde_json::{Value, json};

/// The note of the direct resolution and the answer the citizen reads, as [`answer`] gives them.
pub const RESOLUTION: &str = "已联系城管维修";
pub const FEEDBACK: &str = "路灯已修复，感谢您的反映";

/// The opinion with tracking code `code`, as congress staff (`staff`, who see every opinion of the
/// congress with its code) list it, with the fields `selection` names besides `id` and `trackingCode`.
pub async fn by_tracking_code(app: &TestApp, staff: &str, code: &str, selection: &str) -> Value {
    let query = format!("{{ opinions(first: 100) {{ nodes {{ id trackingCode {selection} }} }} }}");
    let res = app.gql(&query, json!({}), Some(staff)).await;
    res.data()["opinions"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["trackingCode"] == code))
        .cloned()
        .unwrap_or_else(|| panic!("{code} is not listed: {}", res.body))
}

/// Takes opinion `id` to FEEDBACK_GIVEN as `deputy` (the one it was addressed to): accept, resolve
/// directly ([`RESOLUTION`]), answer ([`FEEDBACK`]).
pub async fn answer(app: &TestApp, deputy: &str, id: &str) {
    for (step, arg) in [
        ("acceptOpinion", None),
        ("resolveOpinionDirectly", Some(("note", RESOLUTION))),
        ("giveOpinionFeedback", Some(("text", FEEDBACK))),
    ] {
        let (decl, pass, vars) = match arg {
            Some((name, value)) => (
                format!(", ${name}: String!"),
                format!(", {name}: ${name}"),
                json!({ "id": id, name: value }),
            ),
            None => (String::new(), String::new(), json!({ "id": id })),
        };
        let query = format!("mutation($id: ID!{decl}) {{ {step}(id: $id{pass}) {{ state }} }}");
        let res = app.gql(&query, vars, Some(deputy)).await;
        assert!(res.body["errors"].is_null(), "{step}: {}", res.body);
    }
}

/// The global ID in a listed opinion.
pub fn id(opinion: &Value) -> String {
    str_of(&opinion["id"]).to_owned()
}
