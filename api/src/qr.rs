//! Deputy QR codes over plain HTTP: the code's image for the deputy and their staff
//! (`GET /qr/deputies/{deputyId}.svg|.png?size=N`), and the public page a code opens (`GET /d/{token}`):
//! the deputy's card and a contact form that submits an opinion to `/graphql`, with no login and no
//! external assets.

use crate::auth::authenticate;
use crate::graphql::error::ApiError;
use crate::graphql::ids;
use crate::http::{AppState, error_response, error_response_with_status};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Datelike, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::directory::{CongressLevel, QrImageSize};
use edaibiao_domain::privacy::{PRIVACY_NOTICE, PRIVACY_NOTICE_VERSION};
use edaibiao_domain::time::in_cst;
use edaibiao_infra::Error;
use edaibiao_infra::directory::card::{self, DeputyCard};
use edaibiao_infra::directory::qr;
use image::{ExtendedColorType, ImageBuffer, ImageEncoder, Luma};
use qrcode::{EcLevel, QrCode};
use std::fmt::Write as _;

/// Modules of white border around a code, as the QR standard asks.
const QUIET_ZONE: u32 = 4;

/// A refusal, with the status of its code.
pub(crate) fn failure(err: Error) -> HttpResponse {
    error_response(err.into())
}

/// The `size` query parameter, if given; anything but a whole number in bounds is refused.
fn size_param(query: &str) -> Result<QrImageSize, DomainError> {
    match query.split('&').find_map(|pair| pair.strip_prefix("size=")) {
        None => QrImageSize::parse(None),
        Some(raw) => QrImageSize::parse(Some(raw.parse::<i64>().unwrap_or(-1))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

/// `GET /qr/deputies/{deputyId}.svg` and `.png`: the deputy's QR code, for whoever may see it (the
/// deputy, the congress's staff, admins, workers of the deputy's station). Never cached on the way.
pub async fn image(state: web::Data<AppState>, req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    let store = &state.services.store;
    let header = req.headers().get(AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let auth = match authenticate(store, &state.services.keys, header).await {
        Ok(auth) => auth,
        // Even a store failure while checking the token answers 401, as GraphQL over HTTP does.
        Err(err) => return error_response_with_status(StatusCode::UNAUTHORIZED, err.into()),
    };
    let Some(viewer) = auth.viewer() else {
        return error_response(ApiError::unauthenticated());
    };
    let found = file.rsplit_once('.').and_then(|(id, extension)| {
        let format = match extension {
            "svg" => Format::Svg,
            "png" => Format::Png,
            _ => return None,
        };
        let id =
            ids::decode(crate::graphql::ids::NodeKind::Deputy, "deputyId", &async_graphql::ID(id.to_owned()));
        Some((id.ok()?, format))
    });
    let Some((deputy_id, format)) = found else {
        return failure(DomainError::NotFound("deputy").into());
    };
    let size = match size_param(req.query_string()) {
        Ok(size) => size,
        Err(err) => return failure(err.into()),
    };
    let code = match qr::for_viewer(store, &viewer.actor, deputy_id).await {
        Ok(code) => code,
        Err(err) => return failure(err),
    };
    let url = code.token.card_url(&state.services.public_base_url);
    let rendered = web::block(move || render(&url, size.pixels(), format)).await;
    match rendered {
        Ok(Ok(body)) => HttpResponse::Ok()
            .insert_header((
                CONTENT_TYPE,
                match format {
                    Format::Svg => "image/svg+xml",
                    Format::Png => "image/png",
                },
            ))
            .insert_header((CACHE_CONTROL, "private, no-store"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Security-Policy", "default-src 'none'"))
            .body(body),
        Ok(Err(reason)) => failure(Error::Internal(reason)),
        Err(e) => failure(Error::Internal(format!("rendering did not finish: {e}"))),
    }
}

/// `payload` as an SVG QR code of `px`×`px` pixels (activity check-in codes, voters' rating links).
pub(crate) fn svg_of(payload: &str, px: u32) -> Result<String, String> {
    render(payload, px, Format::Svg).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Renders `url` as a QR code image of exactly `px`×`px` pixels, the code centred with its quiet zone.
fn render(url: &str, px: u32, format: Format) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot encode the QR code: {e}"))?;
    match format {
        Format::Svg => Ok(svg(&code, px).into_bytes()),
        Format::Png => png(&code, px),
    }
}

/// The code as SVG: one unit per module, scaled to `px` by the viewBox.
fn svg(code: &QrCode, px: u32) -> String {
    let width = code.width();
    let side = width + 2 * QUIET_ZONE as usize;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE as usize, i / width + QUIET_ZONE as usize);
            let _ = write!(out, "M{x} {y}h1v1h-1z");
        }
    }
    out.push_str("\"/></svg>");
    out
}

/// The code as an 8-bit grey PNG: whole pixels per module (as many as fit), centred on white.
fn png(code: &QrCode, px: u32) -> Result<Vec<u8>, String> {
    let drawn: ImageBuffer<Luma<u8>, Vec<u8>> =
        code.render::<Luma<u8>>().quiet_zone(true).max_dimensions(px, px).build();
    let mut canvas = ImageBuffer::from_pixel(px, px, Luma([255u8]));
    let offset = |drawn: u32| i64::from(px.saturating_sub(drawn) / 2);
    image::imageops::overlay(&mut canvas, &drawn, offset(drawn.width()), offset(drawn.height()));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(canvas.as_raw(), px, px, ExtendedColorType::L8)
        .map_err(|e| format!("cannot encode the PNG: {e}"))?;
    Ok(out)
}

/// `GET /d/{token}`: the public page of the deputy whose code was scanned. Unknown or renewed tokens
/// get a 404 page, after the same time as a known one.
pub async fn card_page(state: web::Data<AppState>, token: web::Path<String>) -> HttpResponse {
    let found = card::by_token(&state.services.store, &token).await;
    let (status, body) = match found {
        Ok(card) => (StatusCode::OK, page(&card, &token)),
        Err(Error::Domain(DomainError::NotFound(_))) => (StatusCode::NOT_FOUND, not_found_page()),
        Err(err) => {
            tracing::error!(error = %err, "deputy card page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, unavailable_page())
        }
    };
    let (html, nonce) = body;
    public_page(status, html, &nonce, "img-src https: http: data:; ", "'none'")
}

/// A public page reached by a token in its URL: kept out of shared caches and out of the Referer of any
/// link; styles and scripts run only with this response's nonce. `extra_sources` widens the policy (e.g.
/// `img-src …; `); forms may post only where `form_action` says (`'none'`, or `'self'` for pages whose
/// forms work without JavaScript).
pub(crate) fn public_page(
    status: StatusCode,
    html: String,
    nonce: &str,
    extra_sources: &str,
    form_action: &str,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            "Content-Security-Policy",
            format!(
                "default-src 'none'; {extra_sources}style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; \
                 connect-src 'self'; form-action {form_action}; base-uri 'none'; frame-ancestors 'none'"
            ),
        ))
        .body(html)
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A fresh value for the page's Content-Security-Policy nonce.
pub(crate) fn nonce() -> String {
    edaibiao_infra::secrets::random_token().unwrap_or_else(|_| uuid::Uuid::new_v4().simple().to_string())
}

/// Opinion categories the form offers: the `OpinionCategory` values and their labels.
const CATEGORIES: [(&str, &str); 9] = [
    ("URBAN_MANAGEMENT", "城市管理"),
    ("TRANSPORT", "交通出行"),
    ("EDUCATION", "教育"),
    ("HEALTH", "医疗卫生"),
    ("SOCIAL_SECURITY", "社会保障"),
    ("ENVIRONMENT", "生态环境"),
    ("PUBLIC_SAFETY", "公共安全"),
    ("ECONOMY", "经济发展"),
    ("OTHER", "其他"),
];

fn level_label(level: CongressLevel) -> &'static str {
    match level {
        CongressLevel::National => "全国人大代表",
        CongressLevel::Provincial => "省人大代表",
        CongressLevel::City => "市人大代表",
        CongressLevel::County => "县（区）人大代表",
        CongressLevel::Township => "乡镇人大代表",
    }
}

/// `11月25日 周三 09:00–12:00` in China Standard Time.
pub(crate) fn slot_label(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    let (start, end) = (in_cst(starts_at), in_cst(ends_at));
    let weekday = WEEKDAYS[start.weekday().num_days_from_monday() as usize];
    let day = format!("{}月{}日 {weekday}", start.month(), start.day());
    if start.date_naive() == end.date_naive() {
        format!("{day} {}–{}", start.format("%H:%M"), end.format("%H:%M"))
    } else {
        format!("{day} {} – {}月{}日 {}", start.format("%H:%M"), end.month(), end.day(), end.format("%H:%M"))
    }
}

pub(crate) const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;
background:#f4f5f7;color:#1f2329}
main{max-width:640px;margin:0 auto;padding:16px}
header{background:#c8161d;color:#fff;padding:14px 16px;font-weight:600}
section{background:#fff;border-radius:12px;padding:16px;margin:0 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 10px}
h2.next{margin-top:14px}
.who{display:flex;gap:14px;align-items:center}
.who img{width:84px;height:84px;border-radius:50%;object-fit:cover;background:#eee}
.muted{color:#646a73;font-size:14px}
.tags span{display:inline-block;background:#fdecec;color:#c8161d;border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;
font-size:13px}
ul{padding-left:18px;margin:6px 0}
li{margin:4px 0}
label{display:block;margin:10px 0 4px;font-weight:600}
select,input,textarea{width:100%;font:inherit;padding:10px;border:1px solid #d0d3d6;border-radius:8px;background:#fff}
textarea{min-height:120px;resize:vertical}
button{margin-top:14px;width:100%;padding:12px;font:inherit;font-weight:600;color:#fff;background:#c8161d;border:0;
border-radius:8px}
button:disabled{opacity:.6}
button.secondary{color:#a4161a;background:#fff;border:1px solid #a4161a;margin-top:8px}
#result{margin:12px 0 0;white-space:pre-wrap}
#result.ok{color:#1a7f37}
#result.error{color:#c8161d}
.problem{color:#a4161a;background:#fdecec;border-radius:8px;padding:8px 12px}
.state strong{font-size:20px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:8px 0 0}
dt{color:#646a73}
dd{margin:0;word-break:break-all}
ol.steps{padding-left:22px}
fieldset{border:0;padding:0;margin:8px 0 0}
legend{font-weight:600;padding:0}
.choice{display:flex;align-items:center;gap:8px;margin:6px 0}
.choice input{width:auto;margin:0}
.choice label{margin:0;font-weight:400}
";

const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('opinion-form');
  var result = document.getElementById('result');
  var button = form.querySelector('button');
  var MUTATION = 'mutation($i: SubmitOpinionInput!, $files: [Upload!]) ' +
    '{ submitOpinion(input: $i, files: $files) { trackingCode } }';
  var FIELDS = { category: '类别', content: '反映内容', location: '地点', contactName: '称呼', contactPhone: '手机号',
    file: '照片' };
  var MAX_PHOTOS = 9, MAX_PHOTO_BYTES = 10 * 1024 * 1024;
  var key = null;
  var position = null;
  var locate = document.getElementById('locate');
  var located = document.getElementById('located');
  if (!navigator.geolocation) { locate.hidden = true; }
  locate.addEventListener('click', function () {
    located.textContent = '正在获取位置…';
    navigator.geolocation.getCurrentPosition(function (p) {
      position = { latitude: p.coords.latitude, longitude: p.coords.longitude, datum: 'WGS84' };
      located.textContent = '已附上您的位置（精确到约' + Math.round(p.coords.accuracy) + '米）。';
    }, function () {
      position = null;
      located.textContent = '未能获取位置，可在上方填写地点。';
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function show(text, kind) { result.textContent = text; result.className = kind; }
  function explain(error) {
    var ext = error.extensions || {};
    if (ext.code === 'RATE_LIMITED') {
      return '提交过于频繁，请' + (ext.retryAfterSeconds ? ext.retryAfterSeconds + '秒后' : '稍后') + '再试。';
    }
    if (ext.code === 'PAYLOAD_TOO_LARGE') { return '照片太大，请少选几张或换小一些的照片。'; }
    if (ext.code === 'BAD_USER_INPUT') {
      return '请检查' + (FIELDS[ext.field] || '填写的内容') + '：' + error.message;
    }
    return '提交未成功，请稍后再试。';
  }
  // A changed form is a new submission; a retry of the same one keeps its key and is taken only once.
  form.addEventListener('input', function () { key = null; });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!key) { key = newKey(); }
    var f = form.elements;
    var input = { qrToken: document.body.getAttribute('data-token'), category: f.category.value,
      content: f.content.value, idempotencyKey: key };
    ['location', 'contactName', 'contactPhone'].forEach(function (name) {
      var value = f[name].value.trim();
      if (value) { input[name] = value; }
    });
    if (position) { input.position = position; }
    var personal = position || ['location', 'contactName', 'contactPhone'].some(function (name) {
      return f[name].value.trim() !== '';
    });
    if (personal && !f.consent.checked) {
      show('填写称呼、手机号、地点或位置前，请阅读并同意个人信息处理告知。', 'error');
      f.consent.focus();
      return;
    }
    if (personal) { input.privacyConsent = form.getAttribute('data-notice'); }
    var photos = Array.prototype.slice.call(f.photos.files || []);
    if (photos.length > MAX_PHOTOS) { show('照片最多9张。', 'error'); return; }
    if (photos.some(function (p) { return p.size > MAX_PHOTO_BYTES; })) {
      show('每张照片不超过10MB。', 'error');
      return;
    }
    // With photos the request follows the GraphQL multipart request spec (operations, map, one part per
    // file; the browser sets the boundary); without, it is plain JSON.
    var request = { method: 'POST' };
    var variables = { i: input, files: photos.length ? photos.map(function () { return null; }) : null };
    if (photos.length) {
      var data = new FormData();
      var map = {};
      photos.forEach(function (p, n) { map[n] = ['variables.files.' + n]; });
      data.append('operations', JSON.stringify({ query: MUTATION, variables: variables }));
      data.append('map', JSON.stringify(map));
      photos.forEach(function (p, n) { data.append(String(n), p, p.name); });
      request.body = data;
    } else {
      request.headers = { 'Content-Type': 'application/json' };
      request.body = JSON.stringify({ query: MUTATION, variables: variables });
    }
    button.disabled = true;
    show(photos.length ? '正在上传照片并提交…' : '正在提交…', '');
    fetch('../graphql', request).then(function (response) { return response.json(); }).then(function (body) {
      if (body.errors && body.errors.length) { show(explain(body.errors[0]), 'error'); return; }
      var code = body.data.submitOpinion.trackingCode;
      form.reset();
      key = null;
      position = null;
      located.textContent = '';
      show('提交成功！您的查询码是 ' + code + '\n请保存此码，可凭它查询办理进度和答复。', 'ok');
      var track = document.createElement('a');
      track.href = '../t/' + encodeURIComponent(code);
      track.textContent = '查看办理进度';
      track.id = 'track-link';
      result.appendChild(document.createTextNode('\n'));
      result.appendChild(track);
    }).catch(function () {
      show('网络异常，请稍后重试（再次提交不会重复登记）。', 'error');
    }).then(function () { button.disabled = false; });
  });
})();
"#;

pub(crate) fn shell(title: &str, body: &str, token: Option<&str>) -> (String, String) {
    let nonce = nonce();
    let token_attr = token.map(|t| format!(" data-token=\"{}\"", escape(t))).unwrap_or_default();
    let script =
        if token.is_some() { format!("<script nonce=\"{nonce}\">{SCRIPT}</script>") } else { String::new() };
    let html = format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title>\
         <style nonce=\"{nonce}\">{STYLE}</style></head><body{token_attr}><header>e代表 · 代表联系群众</header>\
         <main>{body}</main>{script}</body></html>",
        title = escape(title),
    );
    (html, nonce)
}

/// The page of a deputy's card, with the opinion form. Every value from the card is escaped.
fn page(card: &DeputyCard, token: &str) -> (String, String) {
    let mut body = String::new();
    let _ = write!(body, "<section class=\"who\">");
    if let Some(photo) = &card.photo_url {
        let _ = write!(
            body,
            "<img src=\"{}\" alt=\"{}的照片\" referrerpolicy=\"no-referrer\">",
            escape(photo),
            escape(&card.name)
        );
    }
    let _ = write!(
        body,
        "<div><h1>{}</h1><div class=\"muted\">{}</div><div class=\"muted\">{}</div>",
        escape(&card.name),
        escape(&card.congress_name),
        level_label(card.congress_level),
    );
    if let Some(group) = &card.deputy_group {
        let _ = write!(body, "<div class=\"muted\">所属代表团（组）：{}</div>", escape(group));
    }
    body.push_str("</div></section>");
    if !card.expertise.is_empty() || card.bio.is_some() {
        body.push_str("<section><h2>代表简介</h2>");
        if !card.expertise.is_empty() {
            body.push_str("<div class=\"tags\">");
            for tag in &card.expertise {
                let _ = write!(body, "<span>{}</span>", escape(tag));
            }
            body.push_str("</div>");
        }
        if let Some(bio) = &card.bio {
            let _ = write!(body, "<p>{}</p>", escape(bio).replace('\n', "<br>"));
        }
        body.push_str("</section>");
    }
    if let Some(station) = &card.station {
        let _ = write!(
            body,
            "<section><h2>联络站</h2><div><b>{}</b></div><div>地址：{}</div>",
            escape(&station.name),
            escape(&station.address)
        );
        if let Some(hours) = &station.opening_hours {
            let _ = write!(body, "<div>开放时间：{}</div>", escape(hours));
        }
        if let (Some(lat), Some(lon)) = (station.latitude, station.longitude) {
            let _ = write!(body, "<div class=\"muted\"><a href=\"geo:{lat},{lon}\">在地图中打开</a></div>");
        }
        body.push_str("<h2 class=\"next\">近期接待日</h2>");
        if station.reception_days.is_empty() {
            body.push_str("<p class=\"muted\">暂无安排，可在下方留言。</p>");
        } else {
            body.push_str("<ul>");
            for day in &station.reception_days {
                let _ = write!(body, "<li>{}", escape(&slot_label(day.starts_at, day.ends_at)));
                if !day.deputies.is_empty() {
                    let _ = write!(
                        body,
                        "<div class=\"muted\">值班代表：{}</div>",
                        escape(&day.deputies.join("、"))
                    );
                }
                if let Some(note) = &day.note {
                    let _ = write!(body, "<div class=\"muted\">{}</div>", escape(note));
                }
                body.push_str("</li>");
            }
            body.push_str("</ul>");
        }
        body.push_str("</section>");
    }
    if !card.recent_work.is_empty() {
        body.push_str("<section><h2>近期履职</h2><ul>");
        for work in &card.recent_work {
            let _ = write!(
                body,
                "<li>{}<div class=\"muted\">{} · {} 已答复</div></li>",
                escape(&work.title),
                escape(&work.serial),
                in_cst(work.answered_at).format("%Y-%m-%d"),
            );
        }
        body.push_str("</ul></section>");
    }
    let _ = write!(
        body,
        "<section><h2>向代表反映问题</h2><p class=\"muted\">您的意见将转给代表及其联络站办理。联系方式选填，\
         仅负责处理的代表、联络站和人大工作人员可见，用于回访，匿名也可以提交。</p>\
         <form id=\"opinion-form\" data-notice=\"{}\"><label for=\"category\">类别</label>\
         <select id=\"category\" name=\"category\" required>\
         <option value=\"\" selected disabled>请选择</option>",
        escape(PRIVACY_NOTICE_VERSION)
    );
    for (value, label) in CATEGORIES {
        let _ = write!(body, "<option value=\"{value}\">{label}</option>");
    }
    body.push_str(
        "</select><label for=\"content\">反映内容</label><textarea id=\"content\" name=\"content\" required \
         maxlength=\"2000\" placeholder=\"请描述您遇到的问题或建议\"></textarea>\
         <label for=\"location\">地点（选填）</label><input id=\"location\" name=\"location\" maxlength=\"200\">\
         <button type=\"button\" id=\"locate\" class=\"secondary\">使用我当前的位置</button>\
         <p id=\"located\" class=\"muted\" role=\"status\" aria-live=\"polite\"></p>\
         <label for=\"photos\">照片（选填，最多9张，每张不超过10MB）</label>\
         <input id=\"photos\" name=\"photos\" type=\"file\" accept=\"image/jpeg,image/png,image/webp\" multiple>\
         <label for=\"contactName\">称呼（选填）</label><input id=\"contactName\" name=\"contactName\" maxlength=\"50\">\
         <label for=\"contactPhone\">手机号（选填，便于回复您）</label>\
         <input id=\"contactPhone\" name=\"contactPhone\" type=\"tel\" inputmode=\"numeric\" maxlength=\"11\">",
    );
    let _ = write!(
        body,
        "<details><summary>个人信息处理告知</summary><p id=\"notice\">{}</p></details>",
        escape(PRIVACY_NOTICE)
    );
    body.push_str(
        "<div class=\"choice\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" aria-describedby=\"notice\">\
         <label for=\"consent\">我已阅读并同意个人信息处理告知（填写称呼、手机号、地点或位置时需要）</label></div>\
         <button type=\"submit\">提交</button><p id=\"result\" role=\"status\" aria-live=\"polite\"></p>\
         <noscript><p>请开启浏览器的 JavaScript 后提交。</p></noscript></form>\
         <p class=\"muted\"><a href=\"../t\">已提交过？凭查询码查看办理进度</a></p></section>",
    );
    shell(&format!("{} · {}", card.name, level_label(card.congress_level)), &body, Some(token))
}

fn not_found_page() -> (String, String) {
    shell(
        "二维码已失效",
        "<section><h1>二维码已失效或不存在</h1><p>代表可能已更换了二维码。请扫描联络站最新张贴的二维码，\
         或在 e代表 应用中查找代表。</p></section>",
        None,
    )
}

fn unavailable_page() -> (String, String) {
    shell("服务暂不可用", "<section><h1>服务暂不可用</h1><p>请稍后再试。</p></section>", None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use edaibiao_domain::directory::QrToken;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("张明"), "张明");
    }

    #[test]
    fn size_parameter_is_bounded_and_numeric() {
        let px = |q: &str| size_param(q).map(QrImageSize::pixels);
        assert_eq!(px(""), Ok(256));
        assert_eq!(px("size=512"), Ok(512));
        assert_eq!(px("x=1&size=128"), Ok(128));
        for bad in ["size=64", "size=2048", "size=abc", "size=", "size=-5"] {
            assert!(matches!(size_param(bad), Err(DomainError::Invalid { field: "size", .. })), "{bad}");
        }
    }

    #[test]
    fn images_have_the_asked_size() {
        let url = format!("https://rd.example.cn/d/{}", "A".repeat(QrToken::LEN));
        for px in [128, 256, 1024] {
            let Ok(bytes) = render(&url, px, Format::Png) else { panic!("no png") };
            let Ok(decoded) = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png) else {
                panic!("not a png")
            };
            assert_eq!((decoded.width(), decoded.height()), (px, px));
        }
        let Ok(svg) = render(&url, 300, Format::Svg) else { panic!("no svg") };
        let svg = String::from_utf8_lossy(&svg);
        assert!(svg.starts_with("<svg") && svg.contains("width=\"300\"") && svg.ends_with("</svg>"));
    }

    #[test]
    fn reception_slots_read_in_in_cst() {
        let at = |h: u32, m: u32| {
            chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 25, h, m, 0).single().unwrap_or_default()
        };
        // 01:00–04:30 UTC is 09:00–12:30 in Beijing, a Wednesday.
        assert_eq!(slot_label(at(1, 0), at(4, 30)), "11月25日 周三 09:00–12:30");
    }
}
