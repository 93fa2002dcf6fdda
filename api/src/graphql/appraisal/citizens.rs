//! Citizens' part in an appraisal over GraphQL: the public list of appraisals gathering opinions (the
//! opinion form tags an opinion with `SubmitOpinionInput.appraisalId`), and the invited citizens'
//! satisfaction vote: staff invite phones; on the vote link's page a citizen gets a one-time code by SMS and
//! votes with it, once per phone, without an account.

use super::types::AppraisalState;
use crate::auth::ClientAddress;
use crate::graphql::ballot::Mark;
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_infra::appraisals::citizens;

/// An appraisal the public opinion form offers to tag an opinion with.
#[derive(SimpleObject)]
pub struct AppraisalOpenForOpinions {
    /// Global ID of the appraisal (give it as `SubmitOpinionInput.appraisalId`).
    pub appraisal_id: ID,
    /// What is appraised, e.g. 市住房和城乡建设局「老旧小区改造」工作评议.
    pub title: String,
    /// The year appraised.
    pub year: i32,
}

/// The public page of an appraisal's citizen vote.
#[derive(SimpleObject)]
pub struct AppraisalVotePage {
    /// Global ID of the appraisal.
    pub appraisal_id: ID,
    /// What is appraised.
    pub title: String,
    /// The year appraised.
    pub year: i32,
    /// The last day to vote.
    pub voting_until: NaiveDate,
    /// Whether invited citizens may vote now.
    pub open: bool,
}

/// How many citizens an appraisal has invited.
#[derive(SimpleObject)]
pub struct AppraisalInvitation {
    /// Phones newly invited by this call (one invited before is not counted again, but is sent the link
    /// again).
    pub added: u32,
    /// Every phone invited to the appraisal.
    pub invited: u32,
}

/// When a one-time code sent for voting expires.
#[derive(SimpleObject)]
pub struct AppraisalVoteCodeSent {
    /// When the code expires (10 minutes after it was sent).
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct AppraisalCitizenQuery;

#[Object]
impl AppraisalCitizenQuery {
    /// Public, no login: the congress's appraisals gathering citizens' opinions now (OPEN or REPORTED), for
    /// the opinion form, at most 500.
    async fn appraisals_open_for_opinions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<Vec<AppraisalOpenForOpinions>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let found = citizens::open_for_opinions(&ctx.services()?.store, congress).await?;
        Ok(found
            .into_iter()
            .map(|a| AppraisalOpenForOpinions {
                appraisal_id: ids::encode(NodeKind::Appraisal, a.appraisal_id),
                title: a.title,
                year: a.year,
            })
            .collect())
    }

    /// Public, no login: the page behind an appraisal's citizen vote link. NOT_FOUND for an unknown token.
    async fn appraisal_vote_page(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the vote link (`Appraisal.citizenVoteToken`).")] token: String,
    ) -> ApiResult<AppraisalVotePage> {
        let page = citizens::public_vote(&ctx.services()?.store, &token).await?;
        Ok(AppraisalVotePage {
            appraisal_id: ids::encode(NodeKind::Appraisal, page.appraisal_id),
            title: page.title,
            year: page.year,
            voting_until: page.voting_until,
            open: page.open,
        })
    }
}

#[derive(Default)]
pub struct AppraisalCitizenMutation;

#[Object]
impl AppraisalCitizenMutation {
    /// Staff invite citizens to the satisfaction vote by their mobile phones (1–500 a call, 5,000 an
    /// appraisal), while RECTIFYING or VOTING: only keyed digests of the numbers are kept, and each is sent
    /// the vote link (`{PUBLIC_BASE_URL}/a/{citizenVoteToken}`) by SMS.
    async fn invite_appraisal_citizens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the appraisal.")] appraisal_id: ID,
        #[graphql(desc = "The citizens' mobile phone numbers.")] phones: Vec<String>,
    ) -> ApiResult<AppraisalInvitation> {
        let id = ids::decode(NodeKind::Appraisal, "appraisalId", &appraisal_id)?;
        let services = ctx.services()?;
        let done = citizens::invite(
            &services.store,
            &services.opinions.vault,
            services.sms.as_ref(),
            ctx.actor()?,
            id,
            &phones,
            &services.public_base_url,
        )
        .await?;
        Ok(AppraisalInvitation { added: done.added, invited: done.invited })
    }

    /// Public, no login: sends a 6-digit one-time code by SMS to vote through the link `token` (valid 10
    /// minutes), once the citizen agreed to `privacyNotice(purpose: APPRAISAL_VOTE)` (recorded with the
    /// code). An invited phone gets the code; any other phone gets the same answer and no SMS.
    /// RATE_LIMITED when asked too often; CONFLICT once the phone has voted or when the vote is not open.
    async fn request_appraisal_vote_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the vote link.")] token: String,
        #[graphql(desc = "The citizen's mobile phone number.")] phone: String,
        #[graphql(
            desc = "The version of `privacyNotice(purpose: APPRAISAL_VOTE)` the citizen was shown and agreed to; \
                          required (BAD_USER_INPUT on `privacyConsent` without it or with an older one)."
        )]
        privacy_consent: Option<String>,
    ) -> ApiResult<AppraisalVoteCodeSent> {
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let services = ctx.services()?;
        let expires_at = citizens::request_code(
            &services.store,
            &services.opinions.vault,
            services.sms.as_ref(),
            &token,
            &phone,
            privacy_consent.as_deref(),
            address,
        )
        .await?;
        Ok(AppraisalVoteCodeSent { expires_at })
    }

    /// Public, no login: an invited citizen casts their secret satisfaction ballot with the code sent to
    /// their phone, while the vote is open: once per phone (CONFLICT the second time); a wrong or expired
    /// code is BAD_USER_INPUT. Returns the appraisal's state.
    async fn cast_appraisal_citizen_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the vote link.")] token: String,
        #[graphql(desc = "The mobile phone number the code was sent to.")] phone: String,
        #[graphql(desc = "The 6-digit code sent by `requestAppraisalVoteCode`.")] code: String,
        #[graphql(desc = "SATISFIED, BASICALLY_SATISFIED or DISSATISFIED.")] mark: Mark,
    ) -> ApiResult<AppraisalState> {
        let services = ctx.services()?;
        citizens::cast(&services.store, &services.opinions.vault, &token, &phone, &code, mark.into()).await?;
        Ok(AppraisalState::Voting)
    }
}
