//! The citizen's tracking page (`/t`, `/t/{code}`): plain HTML without login or JavaScript that follows an
//! opinion from submission to rating with exactly what `opinionByTrackingCode` shows, takes the rating as a
//! form post, and rate-limits codes that open nothing per client address (shared with the GraphQL field),
//! while a citizen reloading their own page is never stopped. The same flow in a real browser at phone
//! size is `browser.rs`.

use edaibiao_tests::{Cast, TestApp, e2e, opinions, str_of, url_encode};
use futures_util::future::join_all;
use serde_json::{Value, json};

/// Personal data of the submission: none of it may appear on the page.
const PHONE: &str = "13912345678";
const NAME: &str = "孙女士";
const PLACE: &str = "和平路88号";
const CONTENT: &str = "和平路路灯不亮已经一周";

/// An HTML answer.
struct Page {
    status: u16,
    location: String,
    retry_after: String,
    csp: String,
    cache_control: String,
    body: String,
}

fn client() -> awc::Client {
    awc::Client::builder().disable_redirects().finish()
}

fn address(n: u128) -> String {
    let n = uuid::Uuid::new_v4().as_u128() ^ n;
    format!("10.{}.{}.{}", (n >> 16) as u8, (n >> 8) as u8, n as u8)
}

async fn read<S>(mut response: awc::ClientResponse<S>) -> Page
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let (location, retry_after, csp, cache_control) = (
        header("location"),
        header("retry-after"),
        header("content-security-policy"),
        header("cache-control"),
    );
    let status = response.status().as_u16();
    let body = response.body().limit(1024 * 1024).await.expect("no body");
    Page {
        status,
        location,
        retry_after,
        csp,
        cache_control,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// GETs `path` as a client at `from`.
async fn get(app: &TestApp, path: &str, from: &str) -> Page {
    let response = client()
        .get(app.url(path))
        .insert_header(("x-forwarded-for", from.to_owned()))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    read(response).await
}

/// POSTs a form to `path` as a client at `from`.
async fn post(app: &TestApp, path: &str, from: &str, form: &str) -> Page {
    let response = client()
        .post(app.url(path))
        .insert_header(("x-forwarded-for", from.to_owned()))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .send_body(form.to_owned())
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    read(response).await
}

async fn public(app: &TestApp, code: &str, from: &str) -> Value {
    let body = json!({
        "query": "query($c: String!) { opinionByTrackingCode(code: $c) { state rating { satisfaction comment } } }",
        "variables": { "c": code },
    });
    let mut response = app
        .client
        .post(app.url("/graphql"))
        .insert_header(("content-type", "application/json"))
        .insert_header(("x-forwarded-for", from.to_owned()))
        .send_body(body.to_string())
        .await
        .expect("request failed");
    serde_json::from_slice(&response.body().await.expect("no body")).expect("JSON")
}

/// Submits an opinion to 张明 with every personal field; returns its tracking code.
async fn submit(app: &TestApp, c: &Cast) -> String {
    let qr = c.zhang_qr(app).await;
    let res = app
        .gql(
            "mutation($i: SubmitOpinionInput!) { submitOpinion(input: $i) { trackingCode } }",
            json!({ "i": { "qrToken": qr, "category": "URBAN_MANAGEMENT", "content": CONTENT,
                           "location": PLACE, "contactName": NAME, "contactPhone": PHONE,
                           "privacyConsent": edaibiao_tests::PRIVACY_NOTICE_VERSION } }),
            None,
        )
        .await;
    str_of(&res.data()["submitOpinion"]["trackingCode"]).to_owned()
}

/// Takes the opinion to FEEDBACK_GIVEN as 张明: accept, resolve directly, answer.
async fn answer(app: &TestApp, c: &Cast, code: &str) {
    let found = opinions::by_tracking_code(app, &c.staff, code, "").await;
    opinions::answer(app, &c.zhang, &opinions::id(&found)).await;
}

/// No personal data of the submission on a page anyone holding the code sees.
#[track_caller]
fn assert_no_personal_data(page: &Page) {
    for secret in [PHONE, NAME, PLACE, CONTENT, "****"] {
        assert!(!page.body.contains(secret), "{secret} is on the page: {}", page.body);
    }
}

e2e!(the_tracking_page_follows_an_opinion_to_its_rating, |app| {
    let c = Cast::of(&app).await;
    let from = address(1);
    let code = submit(&app, &c).await;

    let form = get(&app, "/t", &from).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<label for=\"code\">查询码</label>"), "{}", form.body);
    assert!(form.body.contains("<html lang=\"zh-CN\">"));
    assert!(
        form.csp.contains("form-action 'self'") && form.csp.contains("default-src 'none'"),
        "{}",
        form.csp
    );
    assert_eq!(form.cache_control, "no-store");
    assert!(!form.body.contains("<script"), "the page works without JavaScript");

    // A code typed loosely goes to its page; text that cannot be a code is told so without a lookup.
    let typed = code.to_lowercase().replace('-', " ");
    let sent = get(&app, &format!("/t?code={}", url_encode(&typed)), &from).await;
    assert_eq!((sent.status, sent.location.as_str()), (303, format!("t/{code}").as_str()));
    let garbage = get(&app, "/t?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E", &from).await;
    assert_eq!(garbage.status, 400);
    assert!(garbage.body.contains("查询码格式不正确"), "{}", garbage.body);
    assert!(garbage.body.contains("&lt;script&gt;") && !garbage.body.contains("<script>alert"), "escaped");

    let received = get(&app, &format!("/t/{code}"), &from).await;
    assert_eq!(received.status, 200, "{}", received.body);
    assert!(received.body.contains("已提交，等待受理") && received.body.contains(&code), "{}", received.body);
    assert!(received.body.contains("城市管理"));
    assert!(!received.body.contains("name=\"satisfaction\""), "nothing to rate before the answer");
    assert_no_personal_data(&received);

    answer(&app, &c, &code).await;
    let answered = get(&app, &format!("/t/{}", code.to_lowercase()), &from).await;
    assert_eq!(answered.status, 200);
    assert!(answered.body.contains("已答复，请您评价"), "{}", answered.body);
    assert!(answered.body.contains(opinions::FEEDBACK));
    for step in ["提交", "受理", "办理完毕", "答复"] {
        assert!(answered.body.contains(&format!("<span>{step}</span>")), "step {step}: {}", answered.body);
    }
    assert!(answered.body.contains("name=\"satisfaction\" value=\"SATISFIED\""), "the rating form is due");
    assert!(answered.body.contains("<legend>您对办理结果满意吗？</legend>"));
    assert!(!answered.body.contains(opinions::RESOLUTION), "the handler's own note is not public");
    assert_no_personal_data(&answered);

    // Refused ratings come back as the page with the reason; nothing is rated.
    let empty = post(&app, &format!("/t/{code}"), &from, "comment=").await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("请选择满意程度"), "{}", empty.body);
    let odd = post(&app, &format!("/t/{code}"), &from, "satisfaction=VERY&comment=%FF%FE").await;
    assert_eq!(odd.status, 400);
    let long = format!("satisfaction=SATISFIED&comment={}", "好".repeat(501));
    assert_eq!(post(&app, &format!("/t/{code}"), &from, &long).await.status, 400);
    assert_eq!(public(&app, &code, &from).await["data"]["opinionByTrackingCode"]["state"], "FEEDBACK_GIVEN");

    let rated =
        post(&app, &format!("/t/{code}"), &from, "satisfaction=SATISFIED&comment=%E8%B0%A2%E8%B0%A2").await;
    assert_eq!((rated.status, rated.location.as_str()), (303, code.as_str()), "{}", rated.body);
    let closed = get(&app, &format!("/t/{code}"), &from).await;
    assert!(
        closed.body.contains("已办结") && closed.body.contains("<p id=\"rating\">满意</p>"),
        "{}",
        closed.body
    );
    assert!(closed.body.contains("谢谢") && closed.body.contains("<span>评价</span>"));
    assert!(!closed.body.contains("name=\"satisfaction\""), "rated once");
    let status = public(&app, &code, &from).await;
    assert_eq!(status["data"]["opinionByTrackingCode"]["state"], "CLOSED");
    assert_eq!(
        status["data"]["opinionByTrackingCode"]["rating"],
        json!({ "satisfaction": "SATISFIED", "comment": "谢谢" })
    );

    let again = post(&app, &format!("/t/{code}"), &from, "satisfaction=DISSATISFIED&comment=x").await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("不能评价"), "{}", again.body);
    assert_eq!(
        public(&app, &code, &from).await["data"]["opinionByTrackingCode"]["rating"]["satisfaction"],
        "SATISFIED"
    );

    let unknown = get(&app, "/t/0000-0000-0000-0000", &from).await;
    assert_eq!(unknown.status, 404);
    assert!(
        unknown.body.contains("没有找到这个查询码") && unknown.body.contains("value=\"0000-0000-0000-0000\"")
    );
    let not_a_code = get(&app, "/t/%22%3E%3Cb%3Ex", &from).await;
    assert_eq!(not_a_code.status, 404);
    assert!(!not_a_code.body.contains("\"><b>x"), "the typed text is escaped: {}", not_a_code.body);
});

e2e!(codes_that_open_nothing_are_limited_per_address, |app| {
    let c = Cast::of(&app).await;
    let code = submit(&app, &c).await;

    // Twenty misses from one address in the window, mixing the page, the rating form and GraphQL; then
    // that address is refused everything, its own real code included, with Retry-After.
    let guesser = address(2);
    for i in 0..20u32 {
        let guess = format!("0000-0000-0000-{i:04}");
        let status = match i % 3 {
            0 => get(&app, &format!("/t/{guess}"), &guesser).await.status,
            1 => post(&app, &format!("/t/{guess}"), &guesser, "satisfaction=SATISFIED").await.status,
            _ => {
                let res = public(&app, &guess, &guesser).await;
                assert_eq!(res["errors"][0]["extensions"]["code"], "NOT_FOUND", "{res}");
                404
            }
        };
        assert_eq!(status, 404, "miss {i}");
    }
    let refused = get(&app, &format!("/t/{code}"), &guesser).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("查询过于频繁"));
    let wait: u64 = refused.retry_after.parse().expect("Retry-After in seconds");
    assert!((1..=600).contains(&wait), "{wait}");
    let res = public(&app, &code, &guesser).await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{res}");

    // Another address is not affected; a citizen reloading a real code is never counted.
    let citizen = address(3);
    for _ in 0..30 {
        assert_eq!(get(&app, &format!("/t/{code}"), &citizen).await.status, 200);
    }
    assert_eq!(public(&app, &code, &citizen).await["data"]["opinionByTrackingCode"]["state"], "RECEIVED");

    // Concurrent guesses cannot all slip under the limit.
    let racer = address(4);
    let guesses: Vec<String> = (0..32u32).map(|i| format!("/t/1111-1111-1111-{i:04}")).collect();
    let statuses: Vec<u16> =
        join_all(guesses.iter().map(|g| get(&app, g, &racer))).await.iter().map(|p| p.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 404).count(), 20, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 12, "{statuses:?}");
});
