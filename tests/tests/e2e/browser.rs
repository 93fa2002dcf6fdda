//! The citizen's side in a real browser at phone size (`tests/js/browser.mjs`: Debian's headless Chromium
//! driven by playwright-core, WeChat's user agent): scan a deputy's card, attach the phone's location and
//! a photo (which arrives without its EXIF GPS block), submit the form, follow the
//! confirmation's link to the tracking page; the deputy answers; then, with JavaScript off, type the code,
//! read the answer and rate it. Every page is checked with axe-core (WCAG 2.1 A and AA) and for reflow at
//! 320 CSS pixels on the way.

use edaibiao_tests::{Cast, e2e, node, opinions};
use serde_json::{Value, json};

/// Runs one phase of the browser script; `None` when the browser or playwright is not installed here
/// (CI installs both and sets `EDAIBIAO_REQUIRE_NODE_CLIENT`, which makes their absence a failure).
async fn phase(args: Vec<String>) -> Option<Value> {
    if !std::path::Path::new("/usr/bin/chromium").exists() && std::env::var_os("CHROMIUM").is_none() {
        assert!(
            std::env::var_os("EDAIBIAO_REQUIRE_NODE_CLIENT").is_none(),
            "Chromium is not installed: apt-get install chromium"
        );
        eprintln!("skipped: no Chromium");
        return None;
    }
    let run = node::run_script("browser.mjs", "playwright-core", args).await?;
    assert!(run.success, "browser: {}", run.output);
    let last = run.output.lines().rfind(|l| l.starts_with('{')).unwrap_or_else(|| panic!("{}", run.output));
    Some(serde_json::from_str(last).expect("JSON"))
}

e2e!(a_citizen_submits_follows_and_rates_in_a_phone_browser, |app| {
    let c = Cast::of(&app).await;
    let qr = c.zhang_qr(&app).await;
    let photo = std::env::temp_dir().join(format!("edaibiao-browser-{}.jpg", uuid::Uuid::new_v4()));
    std::fs::write(&photo, edaibiao_tests::files::jpeg_with_gps()).expect("the photo");
    let args = vec!["submit".into(), app.url(""), qr, photo.display().to_string()];
    let submitted = phase(args).await;
    let _ = std::fs::remove_file(&photo);
    let Some(submitted) = submitted else { return };
    let code = submitted["code"].as_str().expect("a code").to_owned();

    // What the browser sent arrived; the deputy takes it, resolves it and answers, as in the app.
    let node = opinions::by_tracking_code(
        &app,
        &c.staff,
        &code,
        "content divisionCode position { latitude longitude gcj02 { latitude longitude } }
         attachments { name mediaType url }",
    )
    .await;
    assert_eq!(node["content"], "和平路路灯不亮已经一周，晚上出行不便。");
    // The photo came with it, stored anew without the phone's EXIF block (the GPS of the citizen's home).
    let photos = node["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(photos.len(), 1, "{node}");
    assert_eq!(photos[0]["mediaType"], "image/jpeg");
    let (status, _, bytes) =
        edaibiao_tests::files::download(&app, photos[0]["url"].as_str().unwrap_or("")).await;
    assert_eq!(status, 200);
    assert!(!edaibiao_tests::files::has_exif(&bytes), "the EXIF block was stripped");
    // The phone's position arrived as WGS-84 and reads back in GCJ-02 as surveyed; the district is the
    // station's, as the form did not say.
    let at = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let position = &node["position"];
    assert!((at(&position["latitude"]) - 39.90105).abs() < 1e-9, "{position}");
    assert!((at(&position["longitude"]) - 116.42079).abs() < 1e-9, "{position}");
    assert!((at(&position["gcj02"]["latitude"]) - 39.90245).abs() < 1e-5, "{position}");
    assert!((at(&position["gcj02"]["longitude"]) - 116.42703).abs() < 1e-5, "{position}");
    assert_eq!(node["divisionCode"], "330102");
    opinions::answer(&app, &c.zhang, &opinions::id(&node)).await;

    let rated = phase(vec!["rate".into(), app.url(""), code.clone()]).await.expect("ran before");
    assert_eq!(rated["state"], "已办结");
    let status = app
        .gql(
            "query($c: String!) { opinionByTrackingCode(code: $c) { state rating { satisfaction comment } } }",
            json!({ "c": code }),
            None,
        )
        .await;
    assert_eq!(
        status.data()["opinionByTrackingCode"],
        json!({ "state": "CLOSED", "rating": { "satisfaction": "BASICALLY_SATISFIED", "comment": "修得很快，谢谢。" } })
    );
});
