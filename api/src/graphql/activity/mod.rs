//! Activities (履职活动) over GraphQL: staff create them and assign deputies or open registration; deputies
//! register, ask for leave and check in by scanning the venue's rotating code; staff decide leave and check
//! people in. Reports to voters (述职) get a public rating link per deputy, rated with an SMS code.

pub mod types;

pub use types::{Activity, ActivityParticipant};

use crate::auth::ClientAddress;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::directory::Deputy;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::DeputyKey;
use crate::graphql::node::Node;
use crate::graphql::suggestion::Satisfaction;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::activity::Participation;
use edaibiao_infra::activities::{self, ActivityDraft, ActivityFilter};
use types::{
    ActivityCheckInCode, ActivityKind, ActivityParticipation, PublicReportToVoters, VoterRatingCodeSent,
};
use uuid::Uuid;

fn activity_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Activity, field, id)
}

fn deputy_ids(raw: &[ID]) -> ApiResult<Vec<Uuid>> {
    raw.iter().map(|id| ids::decode(NodeKind::Deputy, "deputyIds", id)).collect()
}

/// `node(id)` for an activity: null when it does not exist or the viewer may not see it.
pub async fn node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Node>> {
    let found = activities::find_for(&ctx.services()?.store, ctx.actor()?, id).await?;
    Ok(found.map(|m| Node::Activity(Box::new(Activity(m)))))
}

/// `node(id)` for a participant: as the activity's `participants` shows them, to those who may see the
/// activity; null when the deputy does not take part (any more) or the viewer may not see the activity.
pub async fn participant_node(ctx: &Context<'_>, key: ids::PartKey) -> ApiResult<Option<Node>> {
    if key.at.is_some() {
        return Ok(None);
    }
    let store = &ctx.services()?.store;
    let found = activities::participant_for(store, ctx.actor()?, key.owner, key.member).await?;
    Ok(found.map(|(a, view)| Node::ActivityParticipant(Box::new(ActivityParticipant::new(&a, view)))))
}

/// A new activity.
#[derive(InputObject)]
pub struct CreateActivityInput {
    /// The congress organising it; the viewer must be its staff, or the leader of `deputyGroupId`.
    pub congress_id: ID,
    /// What kind of duty it is.
    pub kind: ActivityKind,
    /// 1–200 characters.
    pub title: String,
    /// Where, 1–200 characters.
    pub place: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends: after the start, not in the past, at most 31 days after the start.
    pub ends_at: DateTime<Utc>,
    /// Assigned participants (`deputyIds`) or open registration (`capacity`).
    pub participation: ActivityParticipation,
    /// The number of places, at least 1: required for OPEN, not allowed for ASSIGNED.
    pub capacity: Option<i32>,
    /// The deputies assigned (ASSIGNED only), all of the congress; they are notified.
    #[graphql(default)]
    pub deputy_ids: Vec<ID>,
    /// The deputy group whose activity it is, of the same congress; its leader may organise it (assigning
    /// deputies of the group).
    pub deputy_group_id: Option<ID>,
    /// The professional group (专业小组) whose activity it is, of the same congress (staff only; not with
    /// `deputyGroupId`); its members' attendance counts in `professionalGroupStatistics`.
    pub professional_group_id: Option<ID>,
    /// A key the client makes once per activity (8–100 characters): a retry with the same key returns the
    /// first activity and creates nothing more.
    pub idempotency_key: Option<String>,
}

impl CreateActivityInput {
    fn to_draft(&self) -> ApiResult<ActivityDraft> {
        let participation = match (self.participation, self.capacity) {
            (ActivityParticipation::Assigned, None) => Participation::Assigned,
            (ActivityParticipation::Assigned, Some(_)) => {
                return Err(ApiError::bad_input("capacity", "only open registration has a capacity"));
            }
            (ActivityParticipation::Open, None) => {
                return Err(ApiError::bad_input("capacity", "open registration needs a capacity"));
            }
            (ActivityParticipation::Open, Some(n)) => Participation::open(
                u32::try_from(n).map_err(|_| ApiError::bad_input("capacity", "must be at least 1"))?,
            )?,
        };
        Ok(ActivityDraft {
            congress_id: ids::decode(NodeKind::Congress, "congressId", &self.congress_id)?,
            kind: self.kind.into(),
            title: self.title.clone(),
            place: self.place.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            participation,
            deputy_ids: deputy_ids(&self.deputy_ids)?,
            deputy_group_id: ids::decode_opt(
                NodeKind::DeputyGroup,
                "deputyGroupId",
                self.deputy_group_id.as_ref(),
            )?,
            professional_group_id: ids::decode_opt(
                NodeKind::ProfessionalGroup,
                "professionalGroupId",
                self.professional_group_id.as_ref(),
            )?,
        })
    }
}

#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// One activity, for staff and deputies of its congress (NOT_FOUND for anyone else).
    async fn activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] id: ID,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let found = activities::find_for(&ctx.services()?.store, actor, activity_id(&id, "id")?).await?;
        Ok(Activity(found.ok_or(edaibiao_domain::DomainError::NotFound("activity"))?))
    }

    /// A congress's activities by start time, for its staff and deputies (FORBIDDEN for anyone
    /// else). `from`/`to` bound the start time (`from` included, `to` excluded); `kind` narrows to one kind;
    /// `mine` keeps the viewer's own: for a deputy those they take part in, for staff those they organised.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only activities starting at or after this time.")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Only activities starting before this time.")] to: Option<DateTime<Utc>>,
        #[graphql(desc = "Only activities of this kind.")] kind: Option<ActivityKind>,
        #[graphql(
            default,
            desc = "Only the viewer's own: for a deputy those they take part in, for staff those they organised."
        )]
        mine: bool,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Activity>> {
        let actor = ctx.actor()?;
        let filter = ActivityFilter {
            congress_id: ids::decode(NodeKind::Congress, "congressId", &congress_id)?,
            from,
            to,
            kind: kind.map(Into::into),
            mine,
        };
        let request = page_request(first, after)?;
        let page = activities::list(&ctx.services()?.store, actor, &filter, request).await?;
        Ok(connection(page, request, |m| m.id, Activity))
    }

    /// The rotating check-in code to show at the venue, with its QR code, for its organisers (staff of the
    /// congress, or the group's leader for a deputy group's activity). Issued only from 30 minutes before
    /// the start to the end (CONFLICT otherwise).
    async fn activity_check_in_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
    ) -> ApiResult<ActivityCheckInCode> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        let code = activities::check_in_code(&ctx.services()?.store, actor, id).await?;
        let payload = format!("edaibiao://check-in?activityId={}&code={}", activity_id.as_str(), code.code);
        let svg = crate::qr::svg_of(&payload, 320)
            .map_err(|e| ApiError::new(crate::graphql::error::ErrorCode::Internal, e))?;
        Ok(ActivityCheckInCode { code: code.code, payload, expires_at: code.expires_at, svg })
    }

    /// The leader (组长) of a deputy group, who may organise the group's activities; null if none.
    async fn deputy_group_leader(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy group.")] deputy_group_id: ID,
    ) -> ApiResult<Option<Deputy>> {
        let group = ids::decode(NodeKind::DeputyGroup, "deputyGroupId", &deputy_group_id)?;
        let Some(leader) = activities::group_leader(&ctx.services()?.store, group).await? else {
            return Ok(None);
        };
        Ok(ctx.loader()?.load_one(DeputyKey(leader)).await?.map(Deputy))
    }

    /// Public, no login: the report to voters behind a rating link's token (NOT_FOUND if unknown).
    async fn report_to_voters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the rating link.")] token: String,
    ) -> ApiResult<PublicReportToVoters> {
        let report = activities::voters::report(&ctx.services()?.store, &token).await?;
        Ok(PublicReportToVoters {
            title: report.title,
            place: report.place,
            starts_at: report.starts_at,
            ends_at: report.ends_at,
            deputy_name: report.deputy_name,
            open: report.open,
        })
    }
}

#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Staff of the congress (or a deputy group's leader, for the group) create an activity; assigned deputies are notified (DUTY_ACTIVITY_ASSIGNED).
    async fn create_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `CreateActivityInput` describes them.")] input: CreateActivityInput,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let draft = input.to_draft()?;
        let key = input.idempotency_key.as_deref();
        Ok(Activity(activities::create(&ctx.services()?.store, actor, draft, key).await?))
    }

    /// Staff of the congress name a deputy of a group its leader (组长), or clear it (no `deputyId`); the
    /// leader may then create and run the group's activities. Returns the leader.
    async fn set_deputy_group_leader(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy group.")] deputy_group_id: ID,
        #[graphql(desc = "Global ID of the new leader, a deputy of the group; omit to clear the leader.")]
        deputy_id: Option<ID>,
    ) -> ApiResult<Option<Deputy>> {
        let actor = ctx.actor()?;
        let group = ids::decode(NodeKind::DeputyGroup, "deputyGroupId", &deputy_group_id)?;
        let deputy = ids::decode_opt(NodeKind::Deputy, "deputyId", deputy_id.as_ref())?;
        let Some(leader) = activities::set_group_leader(&ctx.services()?.store, actor, group, deputy).await?
        else {
            return Ok(None);
        };
        Ok(ctx.loader()?.load_one(DeputyKey(leader)).await?.map(Deputy))
    }

    /// Organisers add deputies of the congress to an activity with assigned participants (those already there
    /// are kept; the new ones are notified). CONFLICT for open registration or once it has ended.
    async fn assign_activity_participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
        #[graphql(desc = "Global IDs of the deputies to add; each must belong to the activity's congress.")]
        deputy_ids: Vec<ID>,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        let deputies = self::deputy_ids(&deputy_ids)?;
        Ok(Activity(activities::assign_participants(&ctx.services()?.store, actor, id, &deputies).await?))
    }

    /// A deputy of the congress registers for an activity with open registration, before it starts. The
    /// last place goes to one deputy; the others get CONFLICT.
    async fn register_for_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        Ok(Activity(activities::register(&ctx.services()?.store, actor, id).await?))
    }

    /// A participant asks for leave (请假) with a reason (1–500 characters) until the activity ends; the
    /// congress's staff are notified (DUTY_LEAVE_REQUESTED).
    async fn request_leave(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
        #[graphql(desc = "Why, 1–500 characters.")] reason: String,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        Ok(Activity(activities::request_leave(&ctx.services()?.store, actor, id, &reason).await?))
    }

    /// Staff of the congress approve or reject a pending leave request; the deputy is notified
    /// (DUTY_LEAVE_DECIDED).
    async fn decide_leave(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
        #[graphql(desc = "Global ID of the deputy who asked for leave.")] deputy_id: ID,
        #[graphql(desc = "`true` to approve the leave, `false` to reject it.")] approve: bool,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        let deputy = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        Ok(Activity(activities::decide_leave(&ctx.services()?.store, actor, id, deputy, approve).await?))
    }

    /// A participant checks in with the code scanned at the venue (the current or the previous one), from
    /// 30 minutes before the start to the end. A wrong or expired code is BAD_USER_INPUT.
    async fn check_in_to_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
        #[graphql(desc = "The check-in code shown at the venue (typed or scanned from its QR code).")]
        code: String,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        Ok(Activity(activities::check_in_with_code(&ctx.services()?.store, actor, id, &code).await?))
    }

    /// Organisers (staff of the congress, or the group's leader) check a participant in.
    async fn check_in_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the activity.")] activity_id: ID,
        #[graphql(desc = "Global ID of the participant to check in.")] deputy_id: ID,
    ) -> ApiResult<Activity> {
        let actor = ctx.actor()?;
        let id = self::activity_id(&activity_id, "activityId")?;
        let deputy = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        Ok(Activity(activities::check_in_participant(&ctx.services()?.store, actor, id, deputy).await?))
    }

    /// Public, no login: sends a 6-digit one-time code by SMS to rate the report behind `token` (valid 10
    /// minutes), once the voter agreed to `privacyNotice(purpose: VOTER_RATING)` (recorded with the code).
    /// RATE_LIMITED when asked too often; CONFLICT if this phone has already rated.
    async fn request_voter_rating_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the rating link.")] token: String,
        #[graphql(desc = "The voter's mobile phone number to send the code to.")] phone: String,
        #[graphql(
            desc = "The version of `privacyNotice(purpose: VOTER_RATING)` the citizen was shown and agreed to; \
                          required (BAD_USER_INPUT on `privacyConsent` without it or with an older one)."
        )]
        privacy_consent: Option<String>,
    ) -> ApiResult<VoterRatingCodeSent> {
        let address = ctx.data_opt::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
        let services = ctx.services()?;
        let expires_at = activities::voters::request_code(
            &services.store,
            &services.opinions.vault,
            services.sms.as_ref(),
            &token,
            &phone,
            privacy_consent.as_deref(),
            address,
        )
        .await?;
        Ok(VoterRatingCodeSent { expires_at })
    }

    /// Public, no login: rates the report behind `token` with the code sent to `phone`, once per phone
    /// (CONFLICT the second time); a wrong or expired code is BAD_USER_INPUT. Open from the report's start
    /// until 7 days after its end.
    async fn rate_report_to_voters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the rating link.")] token: String,
        #[graphql(desc = "The voter's mobile phone number the code was sent to.")] phone: String,
        #[graphql(desc = "The 6-digit code sent to `phone` by `requestVoterRatingCode`.")] code: String,
        #[graphql(desc = "How satisfied the voter is with the report.")] rating: Satisfaction,
    ) -> ApiResult<bool> {
        let services = ctx.services()?;
        activities::voters::rate(
            &services.store,
            &services.opinions.vault,
            &token,
            &phone,
            &code,
            rating.into(),
        )
        .await?;
        Ok(true)
    }
}
