//! The GraphQL types of activities: the activity, its participants, the check-in code and the voters'
//! rating link of a report to voters.

use crate::graphql::directory::{Congress, Deputy, DeputyGroup, ProfessionalGroup};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, DeputyGroupKey, DeputyKey, ProfessionalGroupKey, StoreLoader};
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::activity as rules;
use edaibiao_domain::duty::evaluation::VoterRatings;
use edaibiao_infra::activities::{self, ParticipantView};
use std::collections::HashMap;
use uuid::Uuid;

/// What kind of duty an activity is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::activity::ActivityKind")]
pub enum ActivityKind {
    /// 大会会议
    SessionMeeting,
    /// 代表小组活动
    DeputyGroupMeeting,
    /// 视察 (including law-enforcement checks, 执法检查)
    Inspection,
    /// 调研
    Research,
    /// 培训
    Training,
    /// 接待选民
    Reception,
    /// 走访选区
    ConstituencyVisit,
    /// 政策宣讲
    PolicyTalk,
    /// 述职: each participant gets a public link where voters rate the report.
    ReportToVoters,
    /// 履职交流
    Exchange,
    /// 其他
    Other,
}

/// How a participant ended up at an activity.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::activity::Attendance")]
pub enum Attendance {
    /// 出席: checked in (by scanning the code or by staff).
    Present,
    /// 请假: leave approved.
    Excused,
    /// 缺席: neither checked in nor excused by the end.
    Absent,
}

/// A leave request's answer.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::activity::LeaveStatus")]
pub enum LeaveStatus {
    /// Waiting for staff.
    Pending,
    /// 准假.
    Approved,
    /// Not approved: the deputy is expected (and may ask again).
    Rejected,
}

/// Who may join an activity.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityParticipation {
    /// 点名: staff assign the participants.
    Assigned,
    /// 报名: deputies of the congress register themselves, up to the capacity.
    Open,
}

/// How a participant joined.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantJoined {
    /// Assigned by staff.
    Assigned,
    /// Registered themselves.
    Registered,
}

/// An activity (履职活动): a meeting, inspection, training, report to voters… with its participants.
pub struct Activity(pub activities::Activity);

/// The participants of an activity, loaded for many activities at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParticipantsKey(pub Uuid);

impl Loader<ParticipantsKey> for StoreLoader {
    type Value = Vec<ParticipantView>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ParticipantsKey],
    ) -> Result<HashMap<ParticipantsKey, Vec<ParticipantView>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = activities::participants_of(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, list)| (ParticipantsKey(id), list)).collect())
    }
}

/// The voters' ratings per participant of a report to voters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RatingsKey(pub Uuid);

impl Loader<RatingsKey> for StoreLoader {
    type Value = HashMap<Uuid, VoterRatings>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RatingsKey],
    ) -> Result<HashMap<RatingsKey, HashMap<Uuid, VoterRatings>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut found = activities::ratings_of_participants(&self.0, &ids).await?;
        Ok(keys.iter().map(|k| (*k, found.remove(&k.0).unwrap_or_default())).collect())
    }
}

async fn participants(
    ctx: &Context<'_>,
    activity: &activities::Activity,
) -> ApiResult<Vec<ActivityParticipant>> {
    let list = ctx.loader()?.load_one(ParticipantsKey(activity.id)).await?.unwrap_or_default();
    Ok(list.into_iter().map(|view| ActivityParticipant::new(activity, view)).collect())
}

/// An activity (履职活动) of a congress: its schedule, how deputies join and who takes part.
#[Object]
impl Activity {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Activity, self.0.id)
    }

    /// The congress whose activity it is.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }

    /// What kind of duty it is.
    async fn kind(&self) -> ActivityKind {
        self.0.kind.into()
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Where it takes place.
    async fn place(&self) -> &str {
        &self.0.place
    }

    /// When it starts.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    /// When it ends.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    /// Who may join: assigned by staff, or open registration.
    async fn participation(&self) -> ActivityParticipation {
        match self.0.participation {
            rules::Participation::OpenRegistration { .. } => ActivityParticipation::Open,
            rules::Participation::Assigned => ActivityParticipation::Assigned,
        }
    }

    /// The number of places, for open registration.
    async fn capacity(&self) -> Option<i32> {
        match self.0.participation {
            rules::Participation::OpenRegistration { capacity } => {
                Some(i32::try_from(capacity).unwrap_or(i32::MAX))
            }
            rules::Participation::Assigned => None,
        }
    }

    /// The deputy group whose activity it is, if any.
    async fn deputy_group(&self, ctx: &Context<'_>) -> ApiResult<Option<DeputyGroup>> {
        let Some(id) = self.0.deputy_group_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyGroupKey(id)).await?.map(DeputyGroup))
    }

    /// The professional group (专业小组) whose activity it is, if any.
    async fn professional_group(&self, ctx: &Context<'_>) -> ApiResult<Option<ProfessionalGroup>> {
        let Some(id) = self.0.professional_group_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(ProfessionalGroupKey(id)).await?.map(ProfessionalGroup))
    }

    /// Whether check-in is open now (from 30 minutes before the start to the end).
    async fn check_in_open(&self) -> bool {
        rules::Schedule::new(self.0.starts_at, self.0.ends_at)
            .is_ok_and(|s| rules::check_in_open(&s, Utc::now()))
    }

    /// Everyone taking part, in the order they joined.
    async fn participants(&self, ctx: &Context<'_>) -> ApiResult<Vec<ActivityParticipant>> {
        participants(ctx, &self.0).await
    }

    /// How many take part.
    async fn participant_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        let list = ctx.loader()?.load_one(ParticipantsKey(self.0.id)).await?.unwrap_or_default();
        Ok(i32::try_from(list.len()).unwrap_or(i32::MAX))
    }

    /// The viewing deputy's own participation, if they take part.
    async fn my_participation(&self, ctx: &Context<'_>) -> ApiResult<Option<ActivityParticipant>> {
        let Some(deputy_id) = ctx.actor()?.deputy_id else { return Ok(None) };
        Ok(participants(ctx, &self.0).await?.into_iter().find(|p| p.view.deputy_id == deputy_id))
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One deputy taking part in an activity.
pub struct ActivityParticipant {
    view: ParticipantView,
    congress_id: Uuid,
    report_to_voters: bool,
}

impl ActivityParticipant {
    /// The participant `view` of `activity`.
    pub fn new(activity: &activities::Activity, view: ParticipantView) -> Self {
        Self {
            view,
            congress_id: activity.congress_id,
            report_to_voters: activity.kind == rules::ActivityKind::ReportToVoters,
        }
    }
}

/// One deputy taking part in an activity: how they joined, leave, check-in and attendance.
#[Object]
impl ActivityParticipant {
    /// Global ID (keyed by the activity and the deputy: a participant has no ID of its own).
    pub async fn id(&self) -> ID {
        let key = ids::PartKey { owner: self.view.activity_id, member: self.view.deputy_id, at: None };
        ids::encode_part(NodeKind::ActivityParticipant, key)
    }

    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.view.deputy_id)).await?.map(Deputy))
    }

    /// How they joined.
    async fn joined(&self) -> ParticipantJoined {
        if self.view.registered { ParticipantJoined::Registered } else { ParticipantJoined::Assigned }
    }

    /// PRESENT, EXCUSED or ABSENT; null while still open (not checked in, not excused, not ended).
    async fn attendance(&self) -> Option<Attendance> {
        self.view.attendance.map(Into::into)
    }

    /// When they checked in.
    async fn checked_in_at(&self) -> Option<DateTime<Utc>> {
        self.view.checked_in_at
    }

    /// Their leave request's status, if they asked for leave.
    async fn leave_status(&self) -> Option<LeaveStatus> {
        self.view.leave.map(Into::into)
    }

    /// Why they asked for leave: only for staff of the congress and the deputy concerned (null otherwise).
    async fn leave_reason(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        let actor = ctx.actor()?;
        if rules::may_see_leave_reason(actor, self.congress_id, self.view.deputy_id) {
            Ok(self.view.leave_reason.as_deref())
        } else {
            Ok(None)
        }
    }

    /// When they asked for leave.
    async fn leave_requested_at(&self) -> Option<DateTime<Utc>> {
        self.view.leave_requested_at
    }

    /// When staff decided on the leave request.
    async fn leave_decided_at(&self) -> Option<DateTime<Utc>> {
        self.view.leave_decided_at
    }

    /// For a report to voters: the public rating link, its QR code and the counts so far. Only for staff
    /// of the congress and the deputy concerned (null otherwise, and for other kinds of activity).
    async fn voter_rating(&self, ctx: &Context<'_>) -> ApiResult<Option<VoterRatingLink>> {
        let actor = ctx.actor()?;
        let Some(token) = self.view.rating_token.as_deref() else { return Ok(None) };
        if !self.report_to_voters
            || !rules::may_see_leave_reason(actor, self.congress_id, self.view.deputy_id)
        {
            return Ok(None);
        }
        let counts = ctx
            .loader()?
            .load_one(RatingsKey(self.view.activity_id))
            .await?
            .and_then(|by_deputy| by_deputy.get(&self.view.deputy_id).copied())
            .unwrap_or_default();
        let base = &ctx.services()?.public_base_url;
        Ok(Some(VoterRatingLink {
            url: format!("{base}/v/{token}"),
            qr_svg_url: format!("{base}/qr/voters/{token}.svg"),
            token: token.to_owned(),
            satisfied: clamp(counts.satisfied),
            basically_satisfied: clamp(counts.basically_satisfied),
            dissatisfied: clamp(counts.dissatisfied),
        }))
    }
}

fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A reporting deputy's public rating link (述职测评) and the voters' ratings so far.
#[derive(SimpleObject)]
pub struct VoterRatingLink {
    /// The page voters open (no login): `{PUBLIC_BASE_URL}/v/{token}`.
    pub url: String,
    /// The link as a QR code image (SVG), public.
    pub qr_svg_url: String,
    /// The link's token, for `requestVoterRatingCode` and `rateReportToVoters`.
    pub token: String,
    /// Voters satisfied (满意).
    pub satisfied: i32,
    /// Voters basically satisfied (基本满意).
    pub basically_satisfied: i32,
    /// Voters dissatisfied (不满意).
    pub dissatisfied: i32,
}

/// The check-in code shown at the venue: it turns every 60 seconds (the previous one is still accepted).
#[derive(SimpleObject)]
pub struct ActivityCheckInCode {
    /// The 8-digit code, for `checkInToActivity` (typed in if scanning fails).
    pub code: String,
    /// What the QR code holds: `edaibiao://check-in?activityId={id}&code={code}`.
    pub payload: String,
    /// When the code turns: fetch the next one then.
    pub expires_at: DateTime<Utc>,
    /// The payload as a QR code, an SVG document.
    pub svg: String,
}

/// A one-time code went out by SMS.
#[derive(SimpleObject)]
pub struct VoterRatingCodeSent {
    /// When the code stops working (10 minutes).
    pub expires_at: DateTime<Utc>,
}

/// A report to voters as the public rating page shows it (no personal data of anyone).
#[derive(SimpleObject)]
pub struct PublicReportToVoters {
    /// The activity's title.
    pub title: String,
    /// Where it takes place.
    pub place: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// The reporting deputy's name.
    pub deputy_name: String,
    /// Whether voters may rate now (from the start until 7 days after the end).
    pub open: bool,
}
