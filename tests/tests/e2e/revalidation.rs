//! Conditional GET: an app refreshing a screen with the `ETag` it holds moves no payload while nothing
//! changed, and never keeps a page older than its own last action.

use edaibiao_tests::{TestApp, e2e, sha256_hex, url_encode as encode};
use serde_json::{Value, json};

const MINE: &str = "query Mine { suggestions(first: 10, filter: { mine: true }) { totalCount edges { node { id title } } } }";

/// What a GET answered: status, `ETag`, `Cache-Control`, `Vary` and the body's bytes.
struct Answer {
    status: u16,
    etag: Option<String>,
    cache_control: String,
    vary: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// The persisted-query extension for `query`.
fn persisted(query: &str) -> Value {
    edaibiao_tests::persisted(&sha256_hex(query))
}

/// The persisted `query` by GET, as `token`, holding `etag`.
async fn get(app: &TestApp, query: &str, token: Option<&str>, etag: Option<&str>) -> Answer {
    let extensions = persisted(query).to_string();
    let mut request = app.client.get(app.url(&format!("/graphql?extensions={}", encode(&extensions))));
    request = request.insert_header(("accept", "application/json"));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    if let Some(etag) = etag {
        request = request.insert_header(("if-none-match", etag));
    }
    let mut response = request.send().await.expect("GET failed");
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (etag, cache_control, vary) = (header("etag"), header("cache-control"), header("vary"));
    let body = response.body().limit(1 << 20).await.expect("no body").to_vec();
    Answer {
        status: response.status().as_u16(),
        etag,
        cache_control: cache_control.unwrap_or_default(),
        vary: vary.unwrap_or_default(),
        body,
    }
}

async fn draft(app: &TestApp, token: &str, title: &str) {
    let input = json!({ "title": title, "content": format!("关于{title}的具体建议内容"), "category": "交通", "sessionNumber": 1 });
    let res = app
        .gql(
            "mutation($i: NewSuggestionInput!) { createSuggestion(input: $i) { id } }",
            json!({ "i": input }),
            Some(token),
        )
        .await;
    assert!(res.data()["createSuggestion"]["id"].is_string(), "{}", res.body);
}

e2e!(an_unchanged_answer_revalidates_with_304_and_a_change_breaks_the_tag, |app| {
    let zhang = app.login("13900000003").await.access;
    let li = app.login("13900000004").await.access;
    draft(&app, &zhang, "只有张明看得到的草稿").await;
    // Register the document (Apollo's first request), so GET can name it by hash.
    let res =
        app.post_raw(json!({ "query": MINE, "extensions": persisted(MINE) }).to_string(), Some(&zhang)).await;
    assert!(res.body["errors"].is_null(), "{}", res.body);

    let first = get(&app, MINE, Some(&zhang), None).await;
    assert_eq!(first.status, 200, "{}", first.json());
    let tag = first.etag.clone().expect("a clean answer to a GET has an ETag");
    assert!(tag.starts_with("W/\""), "a weak tag (equal answers, fields maybe in another order): {tag}");
    assert_eq!(first.cache_control, "private, no-cache");
    assert!(first.vary.contains("authorization"), "{}", first.vary);
    assert!(first.json()["data"]["suggestions"]["totalCount"].as_u64().is_some_and(|n| n >= 1));

    // Nothing changed: 304, no body, the same tag.
    let again = get(&app, MINE, Some(&zhang), Some(&tag)).await;
    assert_eq!((again.status, again.etag.as_deref(), again.body.len()), (304, Some(tag.as_str()), 0));
    let strong_form = tag.trim_start_matches("W/");
    let listed = get(&app, MINE, Some(&zhang), Some(&format!("\"stale\", {strong_form}"))).await;
    assert_eq!(listed.status, 304, "weak comparison, one tag of a list");

    // Another deputy's page is another answer, whatever tag they send.
    let other = get(&app, MINE, Some(&li), Some(&tag)).await;
    assert_eq!(other.status, 200);
    assert_ne!(other.etag.as_deref(), Some(tag.as_str()));
    assert_ne!(other.json(), first.json());

    // The deputy's own action: the next refresh carries it, under a new tag.
    draft(&app, &zhang, "刚刚写下的第二份草稿").await;
    let after = get(&app, MINE, Some(&zhang), Some(&tag)).await;
    assert_eq!(after.status, 200);
    assert!(String::from_utf8_lossy(&after.body).contains("刚刚写下的第二份草稿"));
    let new_tag = after.etag.clone().expect("a new tag");
    assert_ne!(new_tag, tag);
    assert_eq!(get(&app, MINE, Some(&zhang), Some(&new_tag)).await.status, 304);
    assert_eq!(get(&app, MINE, Some(&zhang), Some(&tag)).await.status, 200, "the old tag stays stale");

    // An answer with errors (no token here) carries no tag, so a transient failure is never kept.
    let me = "query Me { me { id } }";
    app.post_raw(json!({ "query": me, "extensions": persisted(me) }).to_string(), None).await;
    let anonymous = get(&app, me, None, None).await;
    assert_eq!(anonymous.status, 200);
    assert_eq!(anonymous.json()["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(anonymous.etag, None);
});
