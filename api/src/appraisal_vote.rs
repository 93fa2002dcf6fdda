//! The invited citizens' satisfaction vote on an appraisal (评议满意度测评) over plain HTTP, public and without
//! login: the page the invitation's link opens (`GET /a/{token}`), naming the subject, with the same form as
//! the voters' rating of a report (an SMS code, then a mark) sent through `/graphql`. Unknown tokens are 404.

use crate::http::AppState;
use crate::qr::escape;
use crate::voters::{message_page, rating_form, shell};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use edaibiao_domain::DomainError;
use edaibiao_infra::Error;
use edaibiao_infra::appraisals::citizens::{self, PublicVote};

const TITLE: &str = "评议满意度测评";

fn page(vote: &PublicVote, token: &str) -> (String, String) {
    let mut body = format!(
        "<section><h1>{}</h1><div class=\"muted\">{}年度 · 测评截止：{}</div></section>",
        escape(&vote.title),
        vote.year,
        vote.voting_until,
    );
    if vote.open {
        body.push_str(&rating_form(
            "受邀群众测评",
            "mutation($t: String!, $p: String!, $v: String) { requestAppraisalVoteCode(token: $t, phone: $p, privacyConsent: $v) { expiresAt } }",
            "mutation($t: String!, $p: String!, $c: String!, $r: Mark!) { castAppraisalCitizenBallot(token: $t, phone: $p, code: $c, mark: $r) }",
            edaibiao_domain::privacy::PrivacyPurpose::AppraisalVote,
        ));
    } else {
        body.push_str("<section><p class=\"muted\">测评未开放或已结束。</p></section>");
    }
    shell(TITLE, token, &body, vote.open, crate::qr::nonce())
}

/// `GET /a/{token}`: the public page of an appraisal's citizen vote.
pub async fn vote_page(state: web::Data<AppState>, token: web::Path<String>) -> HttpResponse {
    let (status, (html, nonce)) = match citizens::public_vote(&state.services.store, &token).await {
        Ok(vote) => (StatusCode::OK, page(&vote, &token)),
        Err(Error::Domain(DomainError::NotFound(_))) => {
            (StatusCode::NOT_FOUND, message_page(TITLE, "未找到该测评，请确认链接是否正确。"))
        }
        Err(err) => {
            tracing::error!(error = %err, "the appraisal vote page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, message_page(TITLE, "服务暂时不可用，请稍后再试。"))
        }
    };
    crate::qr::public_page(status, html, &nonce, "", "'none'")
}
