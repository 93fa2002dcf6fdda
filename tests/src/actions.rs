//! Suggestion actions by name, for tests that drive random sequences of them.

use crate::TestApp;
use serde_json::{Value, json};

/// Runs mutation `mutation` with `args` (each passed as a variable of the type its name implies) and
/// selects the result's `id` as `r`; returns the whole response body, errors included.
pub async fn act(app: &TestApp, token: &str, mutation: &str, args: Value) -> Value {
    let names: Vec<&String> = args.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    let signature = names.iter().map(|k| format!("{k}: ${k}")).collect::<Vec<_>>().join(", ");
    let types: Vec<String> = names
        .iter()
        .map(|k| match k.as_str() {
            "accept" => format!("${k}: Boolean!"),
            "input" => format!("${k}: NewSuggestionInput!"),
            _ => format!("${k}: ID!"),
        })
        .collect();
    let query = format!("mutation({}) {{ r: {mutation}({signature}) {{ id }} }}", types.join(", "));
    app.gql(&query, args, Some(token)).await.body
}

/// The input of a new suggestion numbered `n`.
pub fn draft(n: usize) -> Value {
    json!({ "title": format!("随机建议{n}"), "content": format!("第{n}份随机建议的具体内容"), "category": "交通", "sessionNumber": 1 })
}
