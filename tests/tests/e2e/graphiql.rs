//! GraphiQL from the binary: every asset its page loads is served here, cached by version, and hidden in
//! production like GraphiQL itself.

use edaibiao_api::graphiql::page;
use edaibiao_tests::{TestApp, TestEnv, e2e};

/// The local asset URLs the page loads (`src` and `href` values under `/graphiql/`).
fn asset_urls() -> Vec<String> {
    let page = page("/graphql", "e代表 GraphQL");
    let urls: Vec<String> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|attr| page.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|url| *url != "data:,")
        .map(str::to_owned)
        .collect();
    assert!(urls.iter().all(|url| url.starts_with("/graphiql/")), "{urls:?}");
    assert_eq!(urls.len(), 4, "React, React DOM, GraphiQL's script and style: {urls:?}");
    urls
}

/// Status, ETag and Cache-Control of `GET url` sent with `If-None-Match: if_none_match`.
async fn revalidate(app: &TestApp, url: &str, if_none_match: &str) -> (u16, String, String) {
    let response = app
        .client
        .get(app.url(url))
        .insert_header(("if-none-match", if_none_match))
        .send()
        .await
        .expect("GET failed");
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    (response.status().as_u16(), header("etag"), header("cache-control"))
}

e2e!(graphiql_assets_are_served_from_the_binary, |app| {
    for url in asset_urls() {
        let (status, content_type, body) = app.get(&url).await;
        assert_eq!(status, 200, "{url}");
        let expected = if url.ends_with(".css") { "text/css" } else { "text/javascript" };
        assert!(content_type.starts_with(expected), "{url}: {content_type}");
        assert!(body.len() > 5_000, "{url}: {} bytes", body.len());
        assert!(!body.contains("<html"), "{url} is a page, not the asset");
    }

    let (status, _, body) = app.get("/graphiql").await;
    assert_eq!(status, 200);
    assert_eq!(body, page("/graphql", "e代表 GraphQL"));
    assert_eq!(app.get("/graphiql/graphiql.min.js").await.0, 404, "unversioned names are not served");
    assert_eq!(app.get("/graphiql/nothing.js").await.0, 404);
});

e2e!(graphiql_assets_are_cached_until_they_change, |app| {
    let url = asset_urls().swap_remove(0);
    let (status, etag, cache) = revalidate(&app, &url, "\"not-this-one\"").await;
    assert_eq!(status, 200);
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2, "a strong ETag: {etag}");
    assert_eq!(cache, "public, max-age=31536000, immutable");
    let (status, again, cache) = revalidate(&app, &url, &etag).await;
    assert_eq!(status, 304);
    assert_eq!(again, etag);
    assert_eq!(cache, "public, max-age=31536000, immutable");
});

e2e!(graphiql_and_its_assets_are_hidden_in_production, |app| {
    let mut env: TestEnv = app.env.clone();
    env.set("APP_ENV", "production");
    env.set("DATA_ENCRYPTION_KEY", "a-data-key-a-data-key-a-data-key!");
    env.set("SEED_DEMO_DATA", "false");
    let prod = env.spawn().await;
    assert_eq!(prod.get("/graphiql").await.0, 404);
    for url in asset_urls() {
        assert_eq!(prod.get(&url).await.0, 404, "{url}");
    }
});
