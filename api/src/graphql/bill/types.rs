//! Bills as the app sees them: the bill with its sponsors, decision, assignment, meetings, review,
//! follow-up and rating; a congress's bill settings; the staff's bill statistics.

use super::enums::{BillDisposition, BillEventKind, BillState, DecidingBody};
use crate::graphql::directory::{Committee, Congress, Deputy, DeputyGroup, HandlingUnit};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CommitteeKey, CongressKey, DeputyGroupKey, DeputyKey, HandlingUnitKey};
use crate::graphql::suggestion::{CoSignStatus, Satisfaction, Suggestion};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_infra::bills as store;

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub struct Bill(pub store::Bill);

/// A deputy's bill (代表议案): drafted by its lead sponsor (领衔人) with co-sponsors (附议), tabled during a
/// session with enough co-sponsors or by a delegation (议案第N号), decided by the presidium (or the
/// standing committee between sessions): put on the agenda, referred to a special committee, or converted
/// to a suggestion. A bill put forward is assigned to its committee and units with a deadline, reviewed
/// (the lead sponsor invited to the meetings), its decision followed up until closed, and rated by the lead
/// sponsor. Seen by its lead sponsor, its co-sponsors (not those who declined), its congress's staff (and
/// the leader of the delegation that tabled it) once tabled, and the units it is assigned to.
#[Object]
impl Bill {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Bill, self.0.id)
    }
    /// The congress it is tabled in.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// The lead sponsor (领衔人).
    async fn lead_sponsor(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.lead_deputy_id)).await?.map(Deputy))
    }
    /// The delegation (代表团) that tabled it, when one did (then no co-sponsor threshold applied).
    async fn tabled_by_delegation(&self, ctx: &Context<'_>) -> ApiResult<Option<DeputyGroup>> {
        match self.0.delegation_id {
            Some(id) => Ok(ctx.loader()?.load_one(DeputyGroupKey(id)).await?.map(DeputyGroup)),
            None => Ok(None),
        }
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The case for it (案由).
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The proposed provisions (案据和方案).
    async fn provisions(&self) -> &str {
        &self.0.provisions
    }
    /// Where it is.
    async fn state(&self) -> BillState {
        self.0.state.into()
    }
    /// Increases with every step; the timeline numbers its steps by it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The serial given when tabled, e.g. 第1次会议议案第3号 (distinct from suggestions'); null for a draft.
    async fn serial_number(&self) -> Option<&str> {
        self.0.serial.as_deref()
    }
    /// The session it was tabled in.
    async fn session_number(&self) -> Option<i32> {
        self.0.session.and_then(|n| i32::try_from(n).ok())
    }
    /// When it was tabled.
    async fn tabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.tabled_at
    }
    /// The invited co-sponsors with their answers, in the order invited.
    async fn co_sponsors(&self) -> Vec<BillCoSponsor> {
        self.0.co_sponsors.iter().cloned().map(BillCoSponsor).collect()
    }
    /// How many co-sponsors confirmed (the number the threshold counts).
    async fn confirmed_co_sponsor_count(&self) -> i32 {
        int(self.0.confirmed() as u64)
    }
    /// Which body decided what it becomes (the presidium in session, the standing committee in recess).
    async fn decided_by(&self) -> Option<DecidingBody> {
        self.0.decided_by.map(Into::into)
    }
    /// What it was decided to become.
    async fn disposition(&self) -> Option<BillDisposition> {
        self.0.disposition.map(Into::into)
    }
    /// The note recorded with the decision.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// When it was decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// The suggestion it became (作为建议处理), if the viewer may see it.
    async fn converted_to(&self, ctx: &Context<'_>) -> ApiResult<Option<Suggestion>> {
        let Some(id) = self.0.suggestion_id else { return Ok(None) };
        let found = edaibiao_infra::suggestions::find_for(&ctx.services()?.store, ctx.actor()?, id).await;
        match found {
            Ok(s) => Ok(Some(Suggestion(s))),
            Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// The special committee that reviews it.
    async fn committee(&self, ctx: &Context<'_>) -> ApiResult<Option<Committee>> {
        match self.0.committee_id {
            Some(id) => Ok(ctx.loader()?.load_one(CommitteeKey(id)).await?.map(Committee)),
            None => Ok(None),
        }
    }
    /// The units it is assigned to.
    async fn units(&self, ctx: &Context<'_>) -> ApiResult<Vec<HandlingUnit>> {
        let found = ctx.loader()?.load_many(self.0.unit_ids.iter().map(|u| HandlingUnitKey(*u))).await?;
        Ok(self
            .0
            .unit_ids
            .iter()
            .filter_map(|u| found.get(&HandlingUnitKey(*u)).cloned().map(HandlingUnit))
            .collect())
    }
    /// When it was (last) assigned.
    async fn assigned_at(&self) -> Option<DateTime<Utc>> {
        self.0.assigned_at
    }
    /// When its handling is due.
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }
    /// Whether the handling was closed by its deadline; null until closed.
    async fn handled_on_time(&self) -> Option<bool> {
        self.0.on_time()
    }
    /// The meetings considering it that the lead sponsor was invited to (列席), with their attendance.
    async fn meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<BillMeeting>> {
        Ok(store::meetings(&ctx.services()?.store, &self.0).await?.into_iter().map(BillMeeting).collect())
    }
    /// The committee's review report.
    async fn review_report(&self) -> Option<&str> {
        self.0.review_report.as_deref()
    }
    /// The standing committee's decision on it (审议结果).
    async fn review_decision(&self) -> Option<&str> {
        self.0.review_decision.as_deref()
    }
    /// When the review was recorded.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// The note the follow-up was closed with.
    async fn close_note(&self) -> Option<&str> {
        self.0.close_note.as_deref()
    }
    /// When the follow-up was closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// The lead sponsor's rating of the handling.
    async fn rating(&self) -> Option<BillRating> {
        self.0.rating.clone().map(BillRating)
    }
    /// Every step, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<BillTimelineEvent>> {
        Ok(store::timeline(&ctx.services()?.store, &self.0)
            .await?
            .into_iter()
            .map(BillTimelineEvent)
            .collect())
    }
    /// When it was drafted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A deputy invited to co-sponsor a bill (附议), and their answer.
pub struct BillCoSponsor(store::CoSponsor);

/// A deputy invited to co-sponsor a bill (附议), and their answer.
#[Object]
impl BillCoSponsor {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// INVITED, CONFIRMED or DECLINED; only CONFIRMED counts towards the threshold.
    async fn status(&self) -> CoSignStatus {
        self.0.status.into()
    }
    /// When invited.
    async fn invited_at(&self) -> DateTime<Utc> {
        self.0.invited_at
    }
    /// When they answered.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
}

/// A meeting considering a bill that its lead sponsor was invited to attend (邀请领衔人列席).
pub struct BillMeeting(store::Meeting);

/// A meeting considering a bill that its lead sponsor was invited to attend (邀请领衔人列席).
#[Object]
impl BillMeeting {
    /// 1, 2, … in the order of invitation; `recordBillAttendance` names the meeting by it.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// What the meeting is.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// When it is held.
    async fn held_at(&self) -> DateTime<Utc> {
        self.0.held_at
    }
    /// Whether the lead sponsor attended; null until recorded.
    async fn attended(&self) -> Option<bool> {
        self.0.attended
    }
    /// When the attendance was recorded.
    async fn recorded_at(&self) -> Option<DateTime<Utc>> {
        self.0.recorded_at
    }
}

/// The lead sponsor's rating of a bill's handling.
pub struct BillRating(store::Rating);

/// The lead sponsor's rating of a bill's handling.
#[Object]
impl BillRating {
    /// 办理态度.
    async fn attitude(&self) -> Satisfaction {
        self.0.attitude.into()
    }
    /// 办理结果.
    async fn result(&self) -> Satisfaction {
        self.0.result.into()
    }
    /// The lead sponsor's comment.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// When rated.
    async fn rated_at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// One step on a bill's timeline.
pub struct BillTimelineEvent(store::BillEvent);

/// One step on a bill's timeline.
#[Object]
impl BillTimelineEvent {
    /// The bill's version after the step: 1 for the draft, then one more per step.
    async fn seq(&self) -> i32 {
        self.0.seq
    }
    /// What happened.
    async fn kind(&self) -> BillEventKind {
        self.0.kind.into()
    }
    /// The role of whoever did it (DEPUTY, CONGRESS_STAFF, UNIT_STAFF, ADMIN).
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// The state before.
    async fn from_state(&self) -> Option<BillState> {
        self.0.from_state.map(Into::into)
    }
    /// The state after.
    async fn to_state(&self) -> BillState {
        self.0.to_state.into()
    }
    /// The step's note (a decision, a follow-up report, an attendance).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A congress's bill settings.
pub struct BillSettings(pub store::BillSettings);

/// A congress's bill settings.
#[Object]
impl BillSettings {
    /// The congress.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// How many confirmed co-sponsors of the congress a bill needs to be tabled by its sponsors: the
    /// congress's own setting, or by default 10 at county level and above and 5 at township level.
    async fn co_sponsor_threshold(&self) -> i32 {
        i32::try_from(self.0.threshold.get()).unwrap_or(i32::MAX)
    }
    /// Whether the threshold is the congress's own setting (false: its level's default).
    async fn custom_threshold(&self) -> bool {
        self.0.custom_threshold
    }
    /// The session in progress; null in recess, when drafts wait and cannot be tabled.
    async fn session_number(&self) -> Option<i32> {
        self.0.session.and_then(|n| i32::try_from(n).ok())
    }
}

/// The counts of one committee's bills (or of the bills not yet with a committee), or of all.
#[derive(SimpleObject, Debug, Clone)]
pub struct BillStatisticsRow {
    /// Global ID of the committee; null for the total and for bills without one.
    pub committee_id: Option<ID>,
    /// The committee's name, 未交委员会 or 合计.
    pub label: String,
    /// Tabled bills.
    pub bills: i32,
    /// Reviewed or further along.
    pub reviewed: i32,
    /// Closed or rated.
    pub closed: i32,
    /// Closed by their deadline (按期办结).
    pub closed_on_time: i32,
    /// Past their deadline and not closed.
    pub overdue: i32,
}

impl From<&store::CommitteeRow> for BillStatisticsRow {
    fn from(r: &store::CommitteeRow) -> Self {
        Self {
            committee_id: r.committee_id.map(|id| ids::encode(NodeKind::Committee, id)),
            label: r.name.clone(),
            bills: int(r.bills),
            reviewed: int(r.reviewed),
            closed: int(r.closed),
            closed_on_time: int(r.closed_on_time),
            overdue: int(r.overdue),
        }
    }
}

/// How many of a congress's tabled bills are in one state.
#[derive(SimpleObject, Debug, Clone)]
pub struct BillStateCount {
    /// The state.
    pub state: BillState,
    /// How many bills are in it.
    pub count: i32,
}

/// A congress's bill statistics, for its staff: tabled bills by state, by committee and on-time handling.
#[derive(SimpleObject, Debug, Clone)]
pub struct BillStatistics {
    /// Every state but DRAFT, with its count.
    pub by_state: Vec<BillStateCount>,
    /// One row per committee (and one for bills without a committee yet).
    pub by_committee: Vec<BillStatisticsRow>,
    /// The whole congress.
    pub total: BillStatisticsRow,
}

impl From<store::BillStatistics> for BillStatistics {
    fn from(s: store::BillStatistics) -> Self {
        Self {
            by_state: s
                .by_state
                .iter()
                .map(|(state, n)| BillStateCount { state: (*state).into(), count: int(*n) })
                .collect(),
            by_committee: s.by_committee.iter().map(Into::into).collect(),
            total: (&s.total).into(),
        }
    }
}
