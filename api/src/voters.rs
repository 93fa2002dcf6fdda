//! The voters' rating of a deputy's report to voters (述职测评) over plain HTTP, public and without login:
//! the page a rating link opens (`GET /v/{token}`), naming the report and the deputy, with a form that asks
//! for an SMS code and rates through `/graphql`; and the link as a QR code (`GET /qr/voters/{token}.svg`)
//! for the poster at the venue. Unknown tokens are 404.

use crate::http::AppState;
use crate::qr::{STYLE, escape, failure, nonce, slot_label, svg_of};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use edaibiao_domain::DomainError;
use edaibiao_domain::privacy::{PRIVACY_NOTICE_VERSION, PrivacyPurpose};
use edaibiao_infra::Error;
use edaibiao_infra::activities::voters::{self, PublicReport};
use std::fmt::Write as _;

/// `GET /qr/voters/{token}.svg`: the rating link as a QR code.
pub async fn image(state: web::Data<AppState>, file: web::Path<String>) -> HttpResponse {
    let Some(token) = file.strip_suffix(".svg") else {
        return failure(DomainError::NotFound("report to voters").into());
    };
    if let Err(err) = voters::report(&state.services.store, token).await {
        return failure(err);
    }
    let url = format!("{}/v/{token}", state.services.public_base_url);
    match web::block(move || svg_of(&url, 512)).await {
        Ok(Ok(svg)) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "image/svg+xml"))
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Security-Policy", "default-src 'none'"))
            .body(svg),
        Ok(Err(reason)) => failure(Error::Internal(reason)),
        Err(e) => failure(Error::Internal(format!("rendering did not finish: {e}"))),
    }
}

/// The rating form's script: asks for a code (once the privacy notice is agreed to) and rates through
/// `/graphql`, with the two documents the form names in its `data-request` and `data-rate` attributes
/// (variables `t`, `p`, `v` — the notice's version from `data-notice` — `c`, `r`).
pub(crate) const SCRIPT: &str = r#"
(function () {
  var token = document.body.getAttribute('data-token');
  var form = document.getElementById('rate-form');
  var result = document.getElementById('result');
  var send = document.getElementById('send-code');
  function show(text, kind) { result.textContent = text; result.className = kind; }
  function explain(error) {
    var ext = error.extensions || {};
    if (ext.code === 'RATE_LIMITED') {
      return '操作过于频繁，请' + (ext.retryAfterSeconds ? ext.retryAfterSeconds + '秒后' : '稍后') + '再试。';
    }
    if (ext.code === 'CONFLICT') { return '该手机号已参与过本次测评，或测评未开放。'; }
    if (ext.code === 'BAD_USER_INPUT') { return error.message; }
    return '操作未成功，请稍后再试。';
  }
  function call(query, variables) {
    return fetch('../graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: query, variables: variables })
    }).then(function (response) { return response.json(); });
  }
  send.addEventListener('click', function () {
    if (!form.elements.consent.checked) { show('请先阅读并同意个人信息处理告知。', 'error'); return; }
    send.disabled = true;
    var asked = { t: token, p: form.elements.phone.value, v: form.getAttribute('data-notice') };
    call(form.getAttribute('data-request'), asked).then(function (body) {
      if (body.errors && body.errors.length) { show(explain(body.errors[0]), 'error'); return; }
      show('验证码已发送，10分钟内有效。', 'ok');
    }).catch(function () { show('网络异常，请稍后重试。', 'error'); })
      .then(function () { send.disabled = false; });
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var f = form.elements;
    var rating = (form.querySelector('input[name=rating]:checked') || {}).value;
    if (!rating) { show('请选择测评意见。', 'error'); return; }
    call(form.getAttribute('data-rate'), { t: token, p: f.phone.value, c: f.code.value, r: rating }).then(function (body) {
      if (body.errors && body.errors.length) { show(explain(body.errors[0]), 'error'); return; }
      form.reset();
      show('感谢您的参与，测评已提交。', 'ok');
    }).catch(function () { show('网络异常，请稍后重试。', 'error'); });
  });
})();
"#;

fn page(report: &PublicReport, token: &str) -> (String, String) {
    let nonce = nonce();
    let mut body = String::new();
    let _ = write!(
        body,
        "<section><h1>{}</h1><div class=\"muted\">述职代表：{}</div><div class=\"muted\">{}</div>\
         <div class=\"muted\">地点：{}</div></section>",
        escape(&report.title),
        escape(&report.deputy_name),
        escape(&slot_label(report.starts_at, report.ends_at)),
        escape(&report.place),
    );
    if report.open {
        body.push_str(&rating_form(
            "选民测评",
            "mutation($t: String!, $p: String!, $v: String) { requestVoterRatingCode(token: $t, phone: $p, privacyConsent: $v) { expiresAt } }",
            "mutation($t: String!, $p: String!, $c: String!, $r: Satisfaction!) { rateReportToVoters(token: $t, phone: $p, code: $c, rating: $r) }",
            PrivacyPurpose::VoterRating,
        ));
    } else {
        body.push_str(
            "<section><p class=\"muted\">测评未开放：述职开始后至结束后7日内可以测评。</p></section>",
        );
    }
    shell("代表述职测评", token, &body, report.open, nonce)
}

/// The form of a public rating page: a phone, the privacy notice of `purpose` to agree to before a code is
/// sent, a code sent by SMS and a satisfaction mark, sent with the GraphQL documents `request` (variables
/// `t`, `p`, `v`) and `rate` (`t`, `p`, `c`, `r`).
pub(crate) fn rating_form(heading: &str, request: &str, rate: &str, purpose: PrivacyPurpose) -> String {
    format!(
        "<section><h2>{}</h2><form id=\"rate-form\" data-request=\"{}\" data-rate=\"{}\" data-notice=\"{}\">\
         <label for=\"phone\">手机号</label><input id=\"phone\" name=\"phone\" inputmode=\"tel\" required>\
         <details><summary>个人信息处理告知</summary><p id=\"notice\">{}</p></details>\
         <div class=\"choice\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" required \
         aria-describedby=\"notice\"><label for=\"consent\">我已阅读并同意个人信息处理告知</label></div>\
         <button type=\"button\" id=\"send-code\">获取验证码</button>\
         <label for=\"code\">验证码</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" required>\
         <label>测评意见</label>\
         <div><input type=\"radio\" name=\"rating\" value=\"SATISFIED\" id=\"r1\"><label for=\"r1\">满意</label></div>\
         <div><input type=\"radio\" name=\"rating\" value=\"BASICALLY_SATISFIED\" id=\"r2\"><label for=\"r2\">基本满意</label></div>\
         <div><input type=\"radio\" name=\"rating\" value=\"DISSATISFIED\" id=\"r3\"><label for=\"r3\">不满意</label></div>\
         <button type=\"submit\">提交测评</button></form><p id=\"result\"></p>\
         <p class=\"muted\">每个手机号限测评一次；手机号仅用于验证，不会公开或保存明文。</p></section>",
        escape(heading),
        escape(request),
        escape(rate),
        escape(PRIVACY_NOTICE_VERSION),
        escape(purpose.notice()),
    )
}

/// A whole public rating page around `body`, with the form's script when `open`. Returns the page and the
/// nonce its style and script carry.
pub(crate) fn shell(title: &str, token: &str, body: &str, open: bool, nonce: String) -> (String, String) {
    let script = if open { format!("<script nonce=\"{nonce}\">{SCRIPT}</script>") } else { String::new() };
    let html = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title>\
         <style nonce=\"{nonce}\">{STYLE}</style></head><body data-token=\"{token}\">\
         <header>e代表 · {title}</header><main>{body}</main>{script}</body></html>",
        title = escape(title),
        token = escape(token),
    );
    (html, nonce)
}

/// A page that only says `text`, titled `title`.
pub(crate) fn message_page(title: &str, text: &str) -> (String, String) {
    let nonce = nonce();
    let html = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style nonce=\"{nonce}\">{STYLE}</style></head><body><header>e代表 · {title}</header>\
         <main><section><p>{}</p></section></main></body></html>",
        escape(text),
        title = escape(title),
    );
    (html, nonce)
}

/// `GET /v/{token}`: the public rating page of one deputy's report to voters.
pub async fn rating_page(state: web::Data<AppState>, token: web::Path<String>) -> HttpResponse {
    let (status, (html, nonce)) = match voters::report(&state.services.store, &token).await {
        Ok(report) => (StatusCode::OK, page(&report, &token)),
        Err(Error::Domain(DomainError::NotFound(_))) => (
            StatusCode::NOT_FOUND,
            message_page("代表述职测评", "未找到该测评，请确认二维码或链接是否正确。"),
        ),
        Err(err) => {
            tracing::error!(error = %err, "voters' rating page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, message_page("代表述职测评", "服务暂时不可用，请稍后再试。"))
        }
    };
    crate::qr::public_page(status, html, &nonce, "", "'none'")
}
