use edaibiao_tests::{Backend, TestEnv, demo};
use serde_json::json;

#[actix_web::test]
async fn scratch() {
    let env = TestEnv::new(Backend::Embedded).unwrap_or_else(|| panic!());
    edaibiao_api::telemetry::init(&env.config());
    let app = env.spawn().await;
    let t = app.login(demo::DEPUTY).await.access;
    let q = "mutation($k: String) { createSuggestion(idempotencyKey: $k, input: {title: \"t\", content: \"c\", category: \"x\", sessionNumber: 1}) { id } }";
    for round in 0..5 {
        let k = format!("race-key-{round:04}");
        let res = futures_util::future::join_all((0..5).map(|_| app.gql(q, json!({"k": k}), Some(&t)))).await;
        for r in res { println!("ROUND {round}: {}", r.body); }
    }
}
