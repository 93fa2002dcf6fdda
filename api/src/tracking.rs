//! The citizen's tracking page over plain HTTP, public and without login or JavaScript: a form to type the
//! tracking code (`GET /t`), the opinion's status, public steps, answer and rating (`GET /t/{code}`), and the
//! rating form posted back to the same address (`POST /t/{code}`, then a redirect to the page). It shows
//! exactly what `opinionByTrackingCode` shows (no content, names or phone numbers) through the same use
//! cases, so a code that opens nothing counts against the client's address here as there.

use crate::http::AppState;
use crate::qr::{escape, public_page, shell};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, LOCATION, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use edaibiao_domain::DomainError;
use edaibiao_domain::opinion::{OpinionEventKind, OpinionState, RatingInput, TrackingCode};
use edaibiao_domain::suggestion::Satisfaction;
use edaibiao_domain::time::in_cst;
use edaibiao_infra::Error;
use edaibiao_infra::opinions::{PublicOpinion, tracking};
use serde::Deserialize;
use std::fmt::Write as _;

/// The largest rating form we read: a 500-character comment percent-encoded is under 5 KiB.
const FORM_LIMIT: usize = 16 * 1024;

/// The query of `GET /t?code=…`.
#[derive(Deserialize)]
struct Lookup {
    code: Option<String>,
}

/// `GET /t`: the form to type a code. A typed code that reads as one goes to its page (303); one that
/// cannot be a code is told so here, without a lookup. An unreadable query is no code.
pub async fn form(req: HttpRequest) -> HttpResponse {
    let query: Option<Lookup> = serde_urlencoded::from_str(req.query_string()).ok();
    let typed = query.as_ref().and_then(|q| q.code.as_deref()).map(str::trim).filter(|c| !c.is_empty());
    match typed.map(TrackingCode::parse) {
        None => page(StatusCode::OK, "查询办理进度", &code_form(FROM_FORM, None, None)),
        Some(Ok(code)) => see_other(&format!("t/{}", code.as_str())),
        Some(Err(_)) => page(
            StatusCode::BAD_REQUEST,
            "查询码格式不正确",
            &code_form(
                FROM_FORM,
                typed,
                Some("查询码格式不正确：应为16位字母和数字，例如 K7Q3-9XWD-M2P4-RTB8。"),
            ),
        ),
    }
}

/// `GET /t/{code}`: the opinion's page.
pub async fn status(state: web::Data<AppState>, req: HttpRequest, code: web::Path<String>) -> HttpResponse {
    let address = state.trusted_proxies.client_address(&req);
    let services = &state.services;
    match tracking::open(&services.store, &services.opinions, &address.0, &code).await {
        Ok(found) => page(StatusCode::OK, "办理进度", &opinion_page(&found, None)),
        Err(err) => refusal(err, &code),
    }
}

/// What the rating form posts.
#[derive(Deserialize)]
struct RatingForm {
    satisfaction: Option<String>,
    comment: Option<String>,
}

/// `POST /t/{code}`: the rating form. Rated: back to the page (303), which now shows the rating. Refused:
/// the page again with the reason next to the form.
pub async fn rate(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let address = state.trusted_proxies.client_address(&req);
    let services = &state.services;
    let input = read_rating(&body);
    let rated = match input {
        Ok(input) => tracking::rate(&services.store, &services.opinions, &address.0, &code, input).await,
        Err(refused) => Err(refused.into()),
    };
    match rated {
        Ok(found) => see_other(found.opinion.tracking_code.as_str()),
        Err(Error::Domain(
            refused @ (DomainError::Invalid { .. } | DomainError::Conflict(_) | DomainError::Forbidden(_)),
        )) => {
            let (status, reason) = match refused {
                DomainError::Invalid { .. } => {
                    (StatusCode::BAD_REQUEST, "请选择满意程度；补充说明不超过500字。")
                }
                _ => (StatusCode::CONFLICT, "该意见现在不能评价：可能已经评价过，或已办结。"),
            };
            match tracking::open(&services.store, &services.opinions, &address.0, &code).await {
                Ok(found) => page(status, "办理进度", &opinion_page(&found, Some(reason))),
                Err(err) => refusal(err, &code),
            }
        }
        Err(err) => refusal(err, &code),
    }
}

/// The form's fields, read as the GraphQL mutation reads its arguments.
fn read_rating(body: &[u8]) -> Result<RatingInput, DomainError> {
    let unreadable = || DomainError::invalid("satisfaction", "choose how satisfied you are");
    if body.len() > FORM_LIMIT {
        return Err(DomainError::invalid("comment", "is too long"));
    }
    let form: RatingForm = serde_urlencoded::from_bytes(body).map_err(|_| unreadable())?;
    let satisfaction =
        form.satisfaction.as_deref().and_then(|s| Satisfaction::parse(s).ok()).ok_or_else(unreadable)?;
    let comment = form.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    RatingInput::parse(satisfaction, comment)
}

/// The page for a lookup or rating that failed: unknown code (404, with the form to type it again),
/// too many unknown codes (429), or trouble on our side (500, nothing of it shown).
fn refusal(err: Error, typed: &str) -> HttpResponse {
    match err {
        Error::Domain(DomainError::NotFound(_)) => page(
            StatusCode::NOT_FOUND,
            "未找到查询码",
            &code_form(
                FROM_CODE,
                Some(typed),
                Some(
                    "没有找到这个查询码对应的意见。请核对后重新输入：查询码为16位字母和数字，提交成功时显示。",
                ),
            ),
        ),
        Error::Domain(DomainError::RateLimited { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60).max(1);
            let body = format!(
                "<section><h1>查询过于频繁</h1><p role=\"alert\">为保护群众信息，请{minutes}分钟后再查询。</p></section>"
            );
            let mut response = page(StatusCode::TOO_MANY_REQUESTS, "查询过于频繁", &body);
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
        err => {
            tracing::error!(error = %err, "tracking page failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务暂不可用",
                "<section><h1>服务暂不可用</h1><p>请稍后再试。</p></section>",
            )
        }
    }
}

/// A 303 to `location`, a path relative to the request's (links and forms are relative throughout, so the
/// pages work under whatever path `PUBLIC_BASE_URL` puts them).
fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}

fn page(status: StatusCode, title: &str, body: &str) -> HttpResponse {
    let (html, nonce) = shell(title, body, None);
    public_page(status, html, &nonce, "", "'self'")
}

/// Where the code form sends to, from `/t` and from `/t/{code}`.
const FROM_FORM: &str = "t";
const FROM_CODE: &str = "../t";

/// The form to type a code, sent to `action`; `typed` is put back in the field, `problem` said above it.
fn code_form(action: &str, typed: Option<&str>, problem: Option<&str>) -> String {
    let mut body = String::from("<section><h1>查询办理进度</h1>");
    if let Some(problem) = problem {
        let _ =
            write!(body, "<p class=\"problem\" role=\"alert\" id=\"code-problem\">{}</p>", escape(problem));
    }
    let described =
        if problem.is_some() { " aria-describedby=\"code-problem\" aria-invalid=\"true\"" } else { "" };
    let _ = write!(
        body,
        "<form method=\"get\" action=\"{action}\"><label for=\"code\">查询码</label>\
         <input id=\"code\" name=\"code\" required autocomplete=\"off\" autocapitalize=\"characters\" \
         spellcheck=\"false\" maxlength=\"40\" placeholder=\"例如 K7Q3-9XWD-M2P4-RTB8\" value=\"{}\"{described}>\
         <button type=\"submit\">查询</button></form>\
         <p class=\"muted\">查询码在您提交意见成功时显示。大小写均可，短横线可省略。</p></section>",
        // Put back as typed, but no longer than a code could be.
        escape(&typed.unwrap_or_default().chars().take(40).collect::<String>()),
    );
    body
}

/// The opinion's page: where it stands, its steps, the answer, and the rating (given, or the form when
/// it is due). `problem` is a refused rating's reason.
fn opinion_page(found: &PublicOpinion, problem: Option<&str>) -> String {
    let o = &found.opinion;
    let day = |at: chrono::DateTime<chrono::Utc>| in_cst(at).format("%Y-%m-%d %H:%M").to_string();
    let rating_due = o.rating.is_none() && o.state == OpinionState::FeedbackGiven;
    let mut body = String::new();
    if let (Some(problem), false) = (problem, rating_due) {
        let _ = write!(body, "<p class=\"problem\" role=\"alert\">{}</p>", escape(problem));
    }
    let _ = write!(
        body,
        "<section><h1>办理进度</h1><p class=\"state\"><span class=\"muted\">当前状态</span><br>\
         <strong id=\"state\">{state}</strong></p>\
         <dl><dt>查询码</dt><dd>{code}</dd><dt>类别</dt><dd>{category}</dd><dt>提交时间</dt><dd>{submitted}</dd></dl>\
         </section>",
        state = o.state.label(),
        code = escape(o.tracking_code.as_str()),
        category = o.category.label(),
        submitted = day(o.created_at),
    );
    body.push_str("<section><h2>办理过程</h2><ol class=\"steps\">");
    for step in &found.steps {
        let what = OpinionEventKind::parse(&step.kind).map_or("办理", OpinionEventKind::label);
        let _ = write!(body, "<li><span>{what}</span> <time class=\"muted\">{}</time></li>", day(step.at));
    }
    body.push_str("</ol></section>");
    if let Some(feedback) = &o.feedback {
        let _ = write!(
            body,
            "<section><h2>答复</h2><p id=\"feedback\">{}</p><p class=\"muted\">答复时间：{}</p></section>",
            escape(&feedback.text).replace('\n', "<br>"),
            day(feedback.at),
        );
    }
    if let Some(rating) = &o.rating {
        let _ =
            write!(body, "<section><h2>您的评价</h2><p id=\"rating\">{}</p>", rating.satisfaction.label());
        if let Some(comment) = &rating.comment {
            let _ = write!(body, "<p>{}</p>", escape(comment));
        }
        let _ = write!(body, "<p class=\"muted\">评价时间：{}</p></section>", day(rating.at));
    } else if rating_due {
        rating_form(&mut body, o.tracking_code.as_str(), problem);
    }
    if let Some(closure) = o.closure {
        let _ = write!(body, "<section><p class=\"muted\">办结时间：{}</p></section>", day(closure.at));
    }
    let _ = write!(body, "<p><a href=\"{FROM_CODE}\">查询其他意见</a></p>");
    body
}

fn rating_form(body: &mut String, code: &str, problem: Option<&str>) {
    let _ = write!(body, "<section><h2>评价办理结果</h2><form method=\"post\" action=\"{}\">", escape(code));
    if let Some(problem) = problem {
        let _ = write!(body, "<p class=\"problem\" role=\"alert\">{}</p>", escape(problem));
    }
    body.push_str("<fieldset><legend>您对办理结果满意吗？</legend>");
    for s in [Satisfaction::Satisfied, Satisfaction::BasicallySatisfied, Satisfaction::Dissatisfied] {
        let _ = write!(
            body,
            "<div class=\"choice\"><input type=\"radio\" id=\"s-{v}\" name=\"satisfaction\" value=\"{v}\" required>\
             <label for=\"s-{v}\">{}</label></div>",
            s.label(),
            v = s.as_str(),
        );
    }
    body.push_str(
        "</fieldset><label for=\"comment\">补充说明（选填）</label>\
         <textarea id=\"comment\" name=\"comment\" maxlength=\"500\"></textarea>\
         <button type=\"submit\">提交评价</button>\
         <p class=\"muted\">答复后15天内未评价的，视为办结。</p></form></section>",
    );
}
