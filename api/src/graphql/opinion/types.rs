//! Opinions as the app sees them: the full view for those who handle an opinion (with the contact phone
//! only for those who must call back), the public view behind a tracking code, monthly counts, and
//! reception records.

use super::enums::{OpinionCategory, OpinionClosedBy, OpinionSource, OpinionState, OpinionWait};
use super::{OpinionTimelineKey, viewer};
use crate::graphql::account::Account;
use crate::graphql::directory::{Deputy, HandlingUnit, LiaisonStation};
use crate::graphql::error::ApiResult;
use crate::graphql::geo::Position;
use crate::graphql::ids::NodeKind;
use crate::graphql::kinds::OpinionStepKind;
use crate::graphql::loaders::{AccountKey, DeputyKey, HandlingUnitKey, LiaisonStationKey};
use crate::graphql::suggestion::{Satisfaction, Suggestion};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::opinion::{self as dom, WaitKind};
use edaibiao_infra::opinions::{self, OpinionView};
use uuid::Uuid;

async fn deputy(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Deputy>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
}

async fn account(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Account>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.loader()?.load_one(AccountKey(id)).await?.map(Account::new))
}

async fn station(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<LiaisonStation>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.loader()?.load_one(LiaisonStationKey(id)).await?.map(LiaisonStation))
}

/// A citizen's opinion (社情民意) as one viewer may see it.
pub struct Opinion(pub OpinionView);

impl Opinion {
    fn o(&self) -> &dom::Opinion {
        &self.0.opinion
    }
}

/// A matter raised by a citizen (社情民意) and its closed loop: taken by a deputy or station worker, resolved,
/// forwarded to a unit or turned into a suggestion, answered and rated. The contact phone is in full only
/// for those who must call back (the responsible person, workers of its station, congress staff).
#[Object]
impl Opinion {
    /// Photos and PDFs sent with the opinion (or added by the citizen before it was taken), in order.
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(
            ctx,
            edaibiao_domain::attachment::OwnerKind::Opinion,
            self.0.opinion.id,
        )
        .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Opinion, self.o().id)
    }
    /// The citizen's key to its status (e.g. K7Q3-9XWD-M2P4-RTB8): for the citizen themself and those who
    /// may call back; null for everyone else.
    async fn tracking_code(&self) -> Option<&str> {
        self.0.sight.tracking_code.then(|| self.o().tracking_code.as_str())
    }
    /// What it is about.
    async fn category(&self) -> OpinionCategory {
        self.o().category.into()
    }
    /// The matter in the citizen's words.
    async fn content(&self) -> &str {
        &self.o().content
    }
    /// Where, if the citizen said.
    async fn location(&self) -> Option<&str> {
        self.o().location.as_deref()
    }
    /// Where, as a point (WGS-84, and GCJ-02 for Chinese maps), if the citizen shared or picked it.
    async fn position(&self) -> Option<Position> {
        self.o().position.map(Into::into)
    }
    /// The district it is in (行政区划代码): the citizen's, or the addressed station's.
    async fn division_code(&self) -> Option<&str> {
        self.o().division_code.as_ref().map(|d| d.as_str())
    }
    /// The name the citizen gave: for the citizen and those who may call back; null for everyone else.
    async fn contact_name(&self) -> Option<&str> {
        if self.0.sight.contact_name { self.o().contact_name.as_deref() } else { None }
    }
    /// The contact phone: in full for those who may call back, masked (138****5678) for everyone else; null
    /// when none was given.
    async fn contact_phone(&self) -> Option<&str> {
        self.0.contact_phone.as_deref()
    }
    /// Whether the viewer sees the contact details in full (and so should call back).
    async fn viewer_may_call_back(&self) -> bool {
        self.0.sight.phone
    }
    /// How it came in.
    async fn source(&self) -> OpinionSource {
        self.o().source.into()
    }
    /// Where it is in its loop.
    async fn state(&self) -> OpinionState {
        self.o().state.into()
    }
    /// The station it was addressed to (or the addressed deputy's station).
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        station(ctx, self.o().station_id).await
    }
    /// The deputy it was addressed to through their QR code.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.o().deputy_id).await
    }
    /// The deputy who took it, when a deputy did.
    async fn responsible_deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.o().responsible.and_then(|r| r.deputy_id)).await
    }
    /// The account of whoever took it (首问负责人): for those handling it; null for the citizen.
    async fn responsible(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        if !self.0.sight.handling {
            return Ok(None);
        }
        account(ctx, self.o().responsible.map(|r| r.account_id)).await
    }
    /// When it was taken.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.o().responsible.map(|r| r.at)
    }
    /// How the responsible person resolved it directly (for those handling it).
    async fn resolution(&self) -> Option<&str> {
        self.o().resolution.as_ref().filter(|_| self.0.sight.handling).map(|n| n.text.as_str())
    }
    /// The unit it was forwarded to (转办).
    async fn forwarded_unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        let Some(id) = self.o().forwarded_unit() else { return Ok(None) };
        Ok(ctx.loader()?.load_one(HandlingUnitKey(id)).await?.map(HandlingUnit))
    }
    /// When it was forwarded.
    async fn forwarded_at(&self) -> Option<DateTime<Utc>> {
        self.o().forwarding.as_ref().map(|f| f.at)
    }
    /// The note sent with the forwarding (for those handling it).
    async fn forward_note(&self) -> Option<&str> {
        self.o().forwarding.as_ref().filter(|_| self.0.sight.handling).and_then(|f| f.note.as_deref())
    }
    /// The unit's reply to the responsible person (for those handling it).
    async fn unit_reply(&self) -> Option<OpinionUnitReply> {
        let reply = self.o().forwarding.as_ref()?.reply.as_ref().filter(|_| self.0.sight.handling)?;
        Some(OpinionUnitReply {
            text: reply.text.clone(),
            replied_at: reply.at,
            account_id: reply.account_id,
        })
    }
    /// The suggestion draft it was turned into (转为建议), if the viewer may see it.
    async fn suggestion(&self, ctx: &Context<'_>) -> ApiResult<Option<Suggestion>> {
        let Some(id) = self.o().suggestion_id else { return Ok(None) };
        let actor = ctx.actor()?;
        match edaibiao_infra::suggestions::find_for(&ctx.services()?.store, actor, id).await {
            Ok(s) => Ok(Some(Suggestion(s))),
            Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
    /// The answer given to the citizen (反馈).
    async fn feedback(&self) -> Option<OpinionFeedback> {
        self.o().feedback.as_ref().map(|f| OpinionFeedback { text: f.text.clone(), given_at: f.at })
    }
    /// The citizen's rating.
    async fn rating(&self) -> Option<OpinionRating> {
        self.o().rating.as_ref().map(OpinionRating::from)
    }
    /// When it was closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.o().closure.map(|c| c.at)
    }
    /// How it was closed.
    async fn closed_by(&self) -> Option<OpinionClosedBy> {
        self.o().closure.map(|c| c.by.into())
    }
    /// What it waits for now (null once the feedback is given).
    async fn waiting_on(&self) -> Option<OpinionWait> {
        WaitKind::of(self.o()).map(Into::into)
    }
    /// Whether it has waited longer than its stage allows (RECEIVED 3 days, ACCEPTED 15, a unit's reply 15,
    /// feedback 7).
    async fn is_overdue(&self) -> bool {
        dom::overdue(self.o(), Utc::now()).is_some()
    }
    /// Every step, oldest first (the citizen sees the public steps).
    async fn timeline(&self, ctx: &Context<'_>) -> ApiResult<Vec<OpinionStep>> {
        let entries = ctx.loader()?.load_one(OpinionTimelineKey(self.o().id)).await?.unwrap_or_default();
        let (sight, handling) = (self.0.sight, self.0.sight.handling);
        Ok(entries
            .into_iter()
            .filter(|e| sight.shows_step(e.public))
            .map(|e| OpinionStep { event: e, handling })
            .collect())
    }
    /// Increases with every change.
    async fn version(&self) -> u32 {
        self.o().version
    }
    /// When it came in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.o().created_at
    }
}

/// The unit's reply to a forwarded opinion.
pub struct OpinionUnitReply {
    text: String,
    replied_at: DateTime<Utc>,
    account_id: Uuid,
}

/// A handling unit's reply to the responsible person.
#[Object]
impl OpinionUnitReply {
    /// What the unit did or found.
    async fn text(&self) -> &str {
        &self.text
    }
    /// When it replied.
    async fn replied_at(&self) -> DateTime<Utc> {
        self.replied_at
    }
    /// Who replied for the unit.
    async fn replied_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        account(ctx, Some(self.account_id)).await
    }
}

/// The answer the citizen is given.
#[derive(SimpleObject)]
pub struct OpinionFeedback {
    /// The answer.
    pub text: String,
    /// When it was given.
    pub given_at: DateTime<Utc>,
}

/// The citizen's rating of the outcome.
#[derive(SimpleObject)]
pub struct OpinionRating {
    /// How satisfied.
    pub satisfaction: Satisfaction,
    /// What the citizen added.
    pub comment: Option<String>,
    /// When.
    pub rated_at: DateTime<Utc>,
}

impl From<&dom::OpinionRating> for OpinionRating {
    fn from(r: &dom::OpinionRating) -> Self {
        Self { satisfaction: r.satisfaction.into(), comment: r.comment.clone(), rated_at: r.at }
    }
}

/// One step on an opinion's timeline.
pub struct OpinionStep {
    event: opinions::OpinionEvent,
    /// Whether the viewer handles the opinion (and so sees who acted and the notes).
    handling: bool,
}

impl OpinionStep {
    /// The step as a viewer who does (or does not) handle the opinion sees it.
    pub fn new(event: opinions::OpinionEvent, handling: bool) -> Self {
        Self { event, handling }
    }
}

/// One step of an opinion's loop: what happened, when, from which state to which.
#[Object]
impl OpinionStep {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::OpinionStep, self.event.id)
    }
    /// Position on the timeline: 1 for the submission, then 2, 3… without gaps.
    async fn seq(&self) -> i32 {
        self.event.seq
    }
    /// What happened.
    async fn kind(&self) -> OpinionStepKind {
        OpinionStepKind::from_stored(&self.event.kind)
    }
    /// Who did it: for those handling the opinion; null for the public, the system, and the citizen's view.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        if !self.handling {
            return Ok(None);
        }
        account(ctx, self.event.actor_account_id).await
    }
    /// The actor's role at the time: a role, PUBLIC (the form), CITIZEN (a rating) or SYSTEM (the timeout).
    async fn actor_role(&self) -> &str {
        &self.event.actor_role
    }
    /// State before the step.
    async fn from_state(&self) -> Option<OpinionState> {
        self.event.from_state.map(Into::into)
    }
    /// State after the step.
    async fn to_state(&self) -> Option<OpinionState> {
        self.event.to_state.map(Into::into)
    }
    /// The note of the step: for those handling the opinion; the citizen sees only the feedback and their
    /// own comment.
    async fn note(&self) -> Option<&str> {
        let citizen_may = matches!(
            dom::OpinionEventKind::parse(&self.event.kind),
            Ok(dom::OpinionEventKind::FeedbackGiven | dom::OpinionEventKind::Rated)
        );
        if self.handling || citizen_may { self.event.note.as_deref() } else { None }
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }
}

/// What anyone holding the tracking code sees.
pub struct PublicOpinion(pub opinions::PublicOpinion);

/// An opinion's status as its tracking code shows it: what it is about, where it stands, the answer and
/// the rating. No personal data: no content, names or phone numbers.
#[Object]
impl PublicOpinion {
    /// The tracking code.
    async fn tracking_code(&self) -> &str {
        self.0.opinion.tracking_code.as_str()
    }
    /// What it is about.
    async fn category(&self) -> OpinionCategory {
        self.0.opinion.category.into()
    }
    /// Where it stands.
    async fn state(&self) -> OpinionState {
        self.0.opinion.state.into()
    }
    /// When it came in.
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.opinion.created_at
    }
    /// The public steps, oldest first (kinds and times only).
    async fn steps(&self) -> Vec<PublicOpinionStep> {
        self.0
            .steps
            .iter()
            .map(|e| PublicOpinionStep {
                kind: OpinionStepKind::from_stored(&e.kind),
                state: e.to_state.map(Into::into),
                at: e.at,
            })
            .collect()
    }
    /// The answer, once given.
    async fn feedback(&self) -> Option<OpinionFeedback> {
        self.0.opinion.feedback.as_ref().map(|f| OpinionFeedback { text: f.text.clone(), given_at: f.at })
    }
    /// The rating, once given.
    async fn rating(&self) -> Option<OpinionRating> {
        self.0.opinion.rating.as_ref().map(OpinionRating::from)
    }
    /// Whether it can be rated now (after the feedback, until closed).
    async fn may_rate(&self) -> bool {
        self.0.opinion.state == dom::OpinionState::FeedbackGiven
    }
    /// When it was closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.opinion.closure.map(|c| c.at)
    }
    /// How it was closed.
    async fn closed_by(&self) -> Option<OpinionClosedBy> {
        self.0.opinion.closure.map(|c| c.by.into())
    }
}

/// One public step.
#[derive(SimpleObject)]
pub struct PublicOpinionStep {
    /// What happened.
    pub kind: OpinionStepKind,
    /// The state after it.
    pub state: Option<OpinionState>,
    /// When.
    pub at: DateTime<Utc>,
}

/// What a submission returns: the tracking code to keep, and the public status.
#[derive(SimpleObject)]
pub struct SubmitOpinionPayload {
    /// Keep it: it shows the status (`opinionByTrackingCode`) and rates the outcome (`rateOpinion`).
    pub tracking_code: String,
    /// The status as the tracking code shows it.
    pub opinion: PublicOpinion,
}

/// Counts of a group of opinions.
#[derive(SimpleObject)]
pub struct OpinionCounts {
    /// All that came in.
    pub total: u64,
    /// Not closed yet.
    pub open: u64,
    /// Closed (rated or timed out).
    pub closed: u64,
    /// Still waiting for someone to take them.
    pub received: u64,
    /// Now forwarded to a unit.
    pub forwarded: u64,
    /// Now turned into a suggestion.
    pub converted: u64,
    /// Now resolved directly, waiting for feedback.
    pub resolved_directly: u64,
    /// Rated SATISFIED.
    pub satisfied: u64,
    /// Rated BASICALLY_SATISFIED.
    pub basically_satisfied: u64,
    /// Rated DISSATISFIED.
    pub dissatisfied: u64,
}

impl From<opinions::Counts> for OpinionCounts {
    fn from(c: opinions::Counts) -> Self {
        Self {
            total: c.total,
            open: c.open,
            closed: c.closed,
            received: c.received,
            forwarded: c.forwarded,
            converted: c.converted,
            resolved_directly: c.resolved_directly,
            satisfied: c.satisfied,
            basically_satisfied: c.basically_satisfied,
            dissatisfied: c.dissatisfied,
        }
    }
}

/// The counts of one station.
#[derive(SimpleObject)]
pub struct OpinionStationCounts {
    /// The station; null for opinions through QR codes of deputies without a station.
    pub station: Option<LiaisonStation>,
    /// Its opinions of the month.
    pub counts: OpinionCounts,
}

/// The counts of one category.
#[derive(SimpleObject)]
pub struct OpinionCategoryCounts {
    /// The category.
    pub category: OpinionCategory,
    /// Its opinions of the month.
    pub counts: OpinionCounts,
}

/// A month's opinions of a congress (汇总), by when they came in (China Standard Time).
#[derive(SimpleObject)]
pub struct OpinionMonthlySummary {
    /// The month, e.g. 2026-11.
    pub month: String,
    /// All of the month.
    pub totals: OpinionCounts,
    /// Per station: every station of the congress, then those without a station.
    pub by_station: Vec<OpinionStationCounts>,
    /// Per category: all nine.
    pub by_category: Vec<OpinionCategoryCounts>,
}

impl From<opinions::MonthlySummary> for OpinionMonthlySummary {
    fn from(s: opinions::MonthlySummary) -> Self {
        Self {
            month: s.month.to_string(),
            totals: s.all.into(),
            by_station: s
                .by_station
                .into_iter()
                .map(|(station, counts)| OpinionStationCounts {
                    station: station.map(LiaisonStation),
                    counts: counts.into(),
                })
                .collect(),
            by_category: s
                .by_category
                .into_iter()
                .map(|(category, counts)| OpinionCategoryCounts {
                    category: category.into(),
                    counts: counts.into(),
                })
                .collect(),
        }
    }
}

/// A reception record with its matters.
pub struct ReceptionRecord(pub opinions::reception::Entry);

/// A reception record (接待记录): when the public was received at a station, how many came, and the matters
/// raised, each possibly turned into an opinion.
#[Object]
impl ReceptionRecord {
    /// Photos and PDFs of the reception, in order (its recorder adds them within 7 days).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(
            ctx,
            edaibiao_domain::attachment::OwnerKind::ReceptionRecord,
            self.0.record.id,
        )
        .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ReceptionRecord, self.0.record.id)
    }
    /// The station.
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        station(ctx, Some(self.0.record.station_id)).await
    }
    /// When the public was received.
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.record.received_at
    }
    /// How many people came.
    async fn visitors(&self) -> i32 {
        self.0.record.visitors
    }
    /// The reception day (接待日) it belongs to, if any.
    async fn reception_day_id(&self) -> Option<ID> {
        self.0.record.reception_day_id.map(|id| ids::encode(NodeKind::ReceptionDay, id))
    }
    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        account(ctx, Some(self.0.record.recorded_by_account_id)).await
    }
    /// The deputy who recorded it, when a deputy did.
    async fn recorder_deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.record.recorder_deputy_id).await
    }
    /// The matters raised, in order.
    async fn matters(&self) -> Vec<ReceptionMatter> {
        self.0.matters.iter().cloned().map(ReceptionMatter).collect()
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.record.created_at
    }
}

/// One matter raised at a reception.
pub struct ReceptionMatter(opinions::reception::Matter);

/// One matter raised at a reception, and the opinion it became.
#[Object]
impl ReceptionMatter {
    /// 1, 2, 3… in the order raised.
    async fn seq(&self) -> i32 {
        self.0.matter.seq
    }
    /// What it is about.
    async fn category(&self) -> Option<OpinionCategory> {
        self.0.matter.category.map(Into::into)
    }
    /// The matter as recorded.
    async fn content(&self) -> &str {
        &self.0.matter.content
    }
    /// The visitor's name, if given.
    async fn contact_name(&self) -> Option<&str> {
        self.0.matter.contact_name.as_deref()
    }
    /// The opinion it became, taken by the recorder (null if it did not become one).
    async fn opinion(&self) -> Option<Opinion> {
        self.0.opinion.clone().map(Opinion)
    }
}

/// A station's reception records of one month (台账).
pub struct ReceptionLedger {
    pub station_id: Uuid,
    pub month: String,
    pub records: Vec<ReceptionRecord>,
}

/// A station's ledger of receptions for one month, with totals.
#[Object]
impl ReceptionLedger {
    /// The station.
    async fn station(&self, ctx: &Context<'_>) -> ApiResult<Option<LiaisonStation>> {
        station(ctx, Some(self.station_id)).await
    }
    /// The month, e.g. 2026-11.
    async fn month(&self) -> &str {
        &self.month
    }
    /// The records, oldest first.
    async fn records(&self) -> &[ReceptionRecord] {
        &self.records
    }
    /// How many receptions were recorded.
    async fn reception_count(&self) -> usize {
        self.records.len()
    }
    /// How many people came in all.
    async fn visitor_count(&self) -> i64 {
        self.records.iter().map(|r| i64::from(r.0.record.visitors)).sum()
    }
    /// How many matters were raised.
    async fn matter_count(&self) -> usize {
        self.records.iter().map(|r| r.0.matters.len()).sum()
    }
    /// How many matters became opinions.
    async fn opinion_count(&self) -> usize {
        self.records.iter().flat_map(|r| &r.0.matters).filter(|m| m.matter.opinion_id.is_some()).count()
    }
}

/// The viewer's view of an opinion record (null when they may not see it).
pub async fn view_of(ctx: &Context<'_>, record: opinions::OpinionRecord) -> ApiResult<Option<Opinion>> {
    let viewer = viewer(ctx).await?;
    Ok(record.view(&viewer.caller(), &ctx.services()?.opinions.vault).map(Opinion))
}

/// What a public form takes personal data for: each purpose has its own privacy notice.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::privacy::PrivacyPurpose")]
pub enum PrivacyPurpose {
    /// A citizen's opinion: name, phone, place and position, to handle it and call back.
    Opinion,
    /// The voters' rating of a report to voters: a phone, for the code and one rating per phone.
    VoterRating,
    /// An appraisal's satisfaction vote by invited citizens: a phone, for the invitation, the code and one
    /// vote per phone.
    AppraisalVote,
    /// A comment on a draft law by phone: a phone, for the code, one comment per article and a call.
    DraftComment,
    /// A citizen's sign-up (`registerCitizen`): a phone and a name, for signing in and notices.
    Account,
}

/// The privacy notice of a public form.
#[derive(SimpleObject)]
pub struct PrivacyNotice {
    /// What the form is for.
    pub purpose: PrivacyPurpose,
    /// Its version: give it back as `privacyConsent` (of `SubmitOpinionInput`, or of the code request)
    /// once the citizen agreed.
    pub version: &'static str,
    /// What it says, to show in full before the citizen agrees.
    pub text: &'static str,
}
