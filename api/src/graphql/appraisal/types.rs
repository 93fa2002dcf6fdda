//! An appraisal as the app sees it: the subject and schedule, the unit's reports, the group's findings, the
//! numbered items with their answers, the vote's turnout and, once published, the result. Fields only
//! insiders may read (staff and deputies of the congress, the unit) are null for everyone else, who see a
//! published result only.

use super::choice::AppraisalCandidate;
use crate::graphql::ballot::Tally;
use crate::graphql::directory::{Congress, Deputy, HandlingUnit};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, DeputyKey, HandlingUnitKey, StoreLoader};
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::appraisal::{Access, AppraisalState as DomState, Party};
use edaibiao_infra::appraisals::{self, Subject};
use std::collections::HashMap;
use uuid::Uuid;

/// Where an appraisal is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::appraisal::AppraisalState")]
pub enum AppraisalState {
    /// Opened: the unit owes its written report.
    Open,
    /// The unit reported; the appraisal group records findings.
    Reported,
    /// The list of problems was issued; the unit rectifies item by item.
    Rectifying,
    /// Every item is accepted; the congress's deputies vote on their satisfaction.
    Voting,
    /// The result is public.
    Published,
}

/// What is appraised.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::appraisal::SubjectKind")]
pub enum AppraisalSubjectKind {
    /// A handling unit's special work (工作评议), on a topic.
    UnitWork,
    /// An official appointed by the congress (履职评议), answered for by a unit.
    Official,
}

/// Where one item of the list of problems is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::appraisal::ItemState")]
pub enum AppraisalItemState {
    /// Issued; the unit has not answered yet.
    Open,
    /// The unit answered; the group or staff decide.
    Answered,
    /// The answer was returned with a reason; the unit answers again.
    Returned,
    /// The answer was accepted: the item is closed.
    Accepted,
}

/// Where a finding came from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::appraisal::FindingSource")]
pub enum AppraisalFindingSource {
    /// The deputy's own inspection or survey (视察、调研).
    Inspection,
    /// A citizens' opinion (社情民意), named by `opinion`.
    CitizenOpinion,
}

/// The verdict of a published appraisal.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppraisalVerdict {
    /// A quorum voted and at least 60 % of the ballots were satisfied or basically satisfied.
    Satisfactory,
    /// Below 60 %, or no quorum: the unit owes a further rectification report.
    Unsatisfactory,
}

/// The dates staff set at opening.
#[derive(SimpleObject)]
pub struct AppraisalSchedule {
    /// When the unit's written report is due.
    pub report_due: NaiveDate,
    /// When every item should be rectified; after it the unit is reminded of each item not accepted.
    pub rectification_due: NaiveDate,
    /// The first day of the planned satisfaction vote.
    pub voting_from: NaiveDate,
    /// The last day of the planned satisfaction vote.
    pub voting_until: NaiveDate,
}

/// The published result of the satisfaction vote (满意度测评): counts only, never a ballot.
pub struct AppraisalResult(appraisals::Published);

/// The published result of the satisfaction vote (满意度测评): counts only, never who chose what.
#[Object]
impl AppraisalResult {
    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// 满意率: satisfied and basically satisfied among the ballots, in percent (two decimals); null without
    /// ballots.
    async fn score(&self) -> Option<f64> {
        self.0.score
    }
    /// Satisfactory with a quorum and a score of at least 60.
    async fn verdict(&self) -> AppraisalVerdict {
        if self.0.satisfactory { AppraisalVerdict::Satisfactory } else { AppraisalVerdict::Unsatisfactory }
    }
    /// Rank among the congress's published appraisals of the same year, 1 for the highest score; equal
    /// scores share a rank.
    async fn rank(&self) -> u32 {
        self.0.rank
    }
    /// Ballots cast.
    async fn turnout(&self) -> u32 {
        self.0.turnout
    }
    /// Deputies of the congress when the vote opened.
    async fn electorate(&self) -> u32 {
        self.0.electorate
    }
    /// Whether more than half of the electorate voted.
    async fn quorum(&self) -> bool {
        self.0.quorum
    }
    /// The counts of each mark.
    async fn tally(&self) -> Tally {
        Tally::from(&self.0.tally)
    }
    /// The invited citizens' vote, published beside the deputies' (which alone decides the verdict).
    async fn citizens(&self) -> AppraisalCitizenResult {
        AppraisalCitizenResult(self.0.citizens.clone())
    }
}

/// The invited citizens' satisfaction vote, as published: counts only, never which phone chose what.
pub struct AppraisalCitizenResult(appraisals::CitizenResult);

/// The invited citizens' satisfaction vote, as published.
#[Object]
impl AppraisalCitizenResult {
    /// Citizens who voted.
    async fn turnout(&self) -> u32 {
        self.0.turnout
    }
    /// Satisfied and basically satisfied among their ballots, in percent; null without ballots.
    async fn score(&self) -> Option<f64> {
        self.0.score
    }
    /// The counts of each mark.
    async fn tally(&self) -> Tally {
        Tally::from(&self.0.tally)
    }
}

/// The numbered items of an appraisal, by appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemsKey(pub Uuid);

impl Loader<ItemsKey> for StoreLoader {
    type Value = Vec<appraisals::Item>;
    type Error = ApiError;

    async fn load(&self, keys: &[ItemsKey]) -> Result<HashMap<ItemsKey, Vec<appraisals::Item>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = appraisals::items_of(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, items)| (ItemsKey(id), items)).collect())
    }
}

/// The findings of an appraisal, by appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FindingsKey(pub Uuid);

impl Loader<FindingsKey> for StoreLoader {
    type Value = Vec<appraisals::Finding>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FindingsKey],
    ) -> Result<HashMap<FindingsKey, Vec<appraisals::Finding>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = appraisals::findings_of(&self.0, &ids).await?;
        Ok(found.into_iter().map(|(id, f)| (FindingsKey(id), f)).collect())
    }
}

/// An appraisal (评议).
pub struct Appraisal(pub appraisals::Appraisal);

impl Appraisal {
    fn full(&self) -> bool {
        self.0.access == Access::Full
    }

    /// `value` for insiders, null for those who see only the published result.
    fn inside<T>(&self, value: T) -> Option<T> {
        self.full().then_some(value)
    }
}

/// An appraisal (评议) of a handling unit's special work or of an official the congress appointed: staff
/// open it with its group and schedule; the unit reports; the group records findings; staff issue the
/// numbered list of problems, which the unit rectifies item by item; the congress's deputies cast secret
/// satisfaction ballots; staff publish the result. Staff and deputies of the congress and the unit see every
/// step; anyone else sees a published appraisal's subject and result only (the other fields are null).
#[Object]
impl Appraisal {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Appraisal, self.0.id)
    }
    /// The congress that appraises.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// The year appraised.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Where it stands.
    async fn state(&self) -> AppraisalState {
        self.0.state.into()
    }
    /// What is appraised.
    async fn subject_kind(&self) -> AppraisalSubjectKind {
        self.0.subject.kind().into()
    }
    /// The special work appraised (UNIT_WORK), e.g. 优化营商环境.
    async fn topic(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::UnitWork { topic } => Some(topic),
            Subject::Official { .. } => None,
        }
    }
    /// The official appraised (OFFICIAL).
    async fn official_name(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::Official { name, .. } => Some(name),
            Subject::UnitWork { .. } => None,
        }
    }
    /// The official's post (OFFICIAL), e.g. 副市长, 局长, 法院院长, 检察院检察长.
    async fn official_post(&self) -> Option<&str> {
        match &self.0.subject {
            Subject::Official { post, .. } => Some(post),
            Subject::UnitWork { .. } => None,
        }
    }
    /// The unit appraised, or the one that answers for the official (its staff act for them).
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        Ok(ctx.loader()?.load_one(HandlingUnitKey(self.0.unit_id)).await?.map(HandlingUnit))
    }
    /// The dates set at opening (insiders only).
    async fn schedule(&self) -> Option<AppraisalSchedule> {
        let s = self.0.schedule;
        self.inside(AppraisalSchedule {
            report_due: s.report_due,
            rectification_due: s.rectification_due,
            voting_from: s.voting_from,
            voting_until: s.voting_until,
        })
    }
    /// The deputies of the appraisal group (insiders only).
    async fn group(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<Deputy>>> {
        if !self.full() {
            return Ok(None);
        }
        Ok(Some(ctx.loader()?.deputies_in_order(&self.0.group).await?.into_iter().map(Deputy).collect()))
    }
    /// Whether the viewer is a deputy of the appraisal group.
    async fn in_group(&self) -> bool {
        self.0.party == edaibiao_domain::appraisal::Party::GroupDeputy
    }
    /// The unit's written report (述职报告), once submitted (insiders only).
    async fn written_report(&self) -> Option<&str> {
        self.inside(self.0.written_report.as_deref()).flatten()
    }
    /// When the written report was submitted (insiders only).
    async fn reported_at(&self) -> Option<DateTime<Utc>> {
        self.inside(self.0.reported_at).flatten()
    }
    /// When the oral report (述职会议) was held, as staff recorded it (insiders only).
    async fn oral_report_on(&self) -> Option<NaiveDate> {
        self.inside(self.0.oral_report_on).flatten()
    }
    /// The problems the group's deputies found, oldest first (insiders only).
    async fn findings(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<AppraisalFinding>>> {
        if !self.full() {
            return Ok(None);
        }
        let found = ctx.loader()?.load_one(FindingsKey(self.0.id)).await?.unwrap_or_default();
        Ok(Some(found.into_iter().map(AppraisalFinding).collect()))
    }
    /// When the list of problems was issued (insiders only).
    async fn items_issued_at(&self) -> Option<DateTime<Utc>> {
        self.inside(self.0.items_issued_at).flatten()
    }
    /// The numbered list of problems (问题清单) with the unit's answers, by number (insiders only; empty
    /// until issued).
    async fn items(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<AppraisalItem>>> {
        if !self.full() {
            return Ok(None);
        }
        let found = ctx.loader()?.load_one(ItemsKey(self.0.id)).await?.unwrap_or_default();
        Ok(Some(found.into_iter().map(AppraisalItem).collect()))
    }
    /// How many items are not accepted yet (insiders only): voting opens at 0.
    async fn open_item_count(&self, ctx: &Context<'_>) -> ApiResult<Option<i32>> {
        if !self.full() {
            return Ok(None);
        }
        let found = ctx.loader()?.load_one(ItemsKey(self.0.id)).await?.unwrap_or_default();
        let open =
            found.iter().filter(|i| i.state != edaibiao_domain::appraisal::ItemState::Accepted).count();
        Ok(Some(i32::try_from(open).unwrap_or(i32::MAX)))
    }
    /// When voting opened (insiders only).
    async fn voting_opened_at(&self) -> Option<DateTime<Utc>> {
        self.inside(self.0.voting_opened_at).flatten()
    }
    /// How many ballots have been cast so far (insiders only, from the opening of the vote). What they say
    /// stays hidden until the result is published.
    async fn turnout(&self, ctx: &Context<'_>) -> ApiResult<Option<u32>> {
        if !self.full() || !matches!(self.0.state, DomState::Voting | DomState::Published) {
            return Ok(None);
        }
        Ok(Some(appraisals::turnout(&ctx.services()?.store, self.0.id).await?))
    }
    /// The deputies who may vote: the congress's deputies when the vote opened (insiders only).
    async fn electorate(&self) -> Option<u32> {
        self.inside(self.0.electorate).flatten()
    }
    /// Whether the viewing deputy has cast their ballot (false for anyone who is not a deputy).
    async fn has_voted(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some(actor) = ctx.actor_opt() else { return Ok(false) };
        if actor.deputy_id.is_none() || !self.full() {
            return Ok(false);
        }
        Ok(appraisals::has_voted(&ctx.services()?.store, actor, self.0.id).await?)
    }
    /// The result, once published (null before: no count is shown while the vote runs).
    async fn result(&self) -> Option<AppraisalResult> {
        self.0.published.clone().map(AppraisalResult)
    }
    /// Whether the unsatisfactory result asks the unit for a further rectification report (整改报告).
    async fn further_rectification_required(&self) -> bool {
        self.0.further_required
    }
    /// The unit's further rectification report, once submitted (insiders only).
    async fn further_rectification_report(&self) -> Option<&str> {
        self.inside(self.0.further_report.as_deref()).flatten()
    }
    /// When the further rectification report was submitted (insiders only).
    async fn further_rectification_submitted_at(&self) -> Option<DateTime<Utc>> {
        self.inside(self.0.further_submitted_at).flatten()
    }
    /// When the appraisal was opened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The candidate of the vote on whom to appraise that chose this subject (insiders only; null when
    /// staff chose it without a vote).
    async fn chosen_by(&self, ctx: &Context<'_>) -> ApiResult<Option<AppraisalCandidate>> {
        let Some(id) = self.inside(self.0.choice_candidate_id).flatten() else { return Ok(None) };
        let store = &ctx.services()?.store;
        match appraisals::choice::candidate_for(store, ctx.actor_opt(), id).await {
            Ok(c) => Ok(Some(AppraisalCandidate(c))),
            Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// The token of the citizens' vote link, for staff to hand out (staff only; null before citizens are
    /// invited).
    async fn citizen_vote_token(&self) -> Option<&str> {
        (self.0.party == Party::Staff).then_some(self.0.citizen_token.as_deref()).flatten()
    }
    /// How many citizens were invited to the satisfaction vote (staff only).
    async fn invited_citizens(&self, ctx: &Context<'_>) -> ApiResult<Option<u32>> {
        if self.0.party != Party::Staff {
            return Ok(None);
        }
        Ok(Some(appraisals::citizens::invited_count(&ctx.services()?.store, self.0.id).await?))
    }
    /// How many invited citizens have voted so far (staff only; the counts stay hidden until published).
    async fn citizen_turnout(&self, ctx: &Context<'_>) -> ApiResult<Option<u32>> {
        if self.0.party != Party::Staff {
            return Ok(None);
        }
        Ok(Some(appraisals::citizens::citizen_turnout(&ctx.services()?.store, self.0.id).await?))
    }
    /// The citizens' opinions raised for this appraisal on the public form, oldest first (at most 500), for
    /// staff and the group to turn into findings: the matter only, never who raised it. Null for anyone
    /// else.
    async fn tagged_opinions(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<AppraisalOpinion>>> {
        if !edaibiao_domain::appraisal::reads_tagged_opinions(self.0.party) {
            return Ok(None);
        }
        let store = &ctx.services()?.store;
        let found = appraisals::citizens::tagged_opinions(store, self.0.party, self.0.id).await?;
        Ok(Some(found.into_iter().map(AppraisalOpinion).collect()))
    }
}

/// A citizens' opinion raised for an appraisal, as staff and the group read it.
pub struct AppraisalOpinion(appraisals::citizens::TaggedOpinion);

/// A citizens' opinion raised for an appraisal: the matter, not who raised it.
#[Object]
impl AppraisalOpinion {
    /// Global ID of the opinion (name it in a CITIZEN_OPINION finding).
    async fn opinion_id(&self) -> ID {
        ids::encode(NodeKind::Opinion, self.0.opinion_id)
    }
    /// The matter, as the citizen wrote it.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// What it is about.
    async fn category(&self) -> crate::graphql::opinion::enums::OpinionCategory {
        self.0.category.into()
    }
    /// When it was raised.
    async fn raised_at(&self) -> DateTime<Utc> {
        self.0.tagged_at
    }
}

/// One numbered problem of an appraisal's list (问题清单) and the unit's latest answer to it.
pub struct AppraisalItem(pub appraisals::Item);

/// One numbered problem of an appraisal's list (问题清单) and the unit's latest answer to it: the unit
/// answers, the group or staff accept it (closing the item) or return it with a reason.
#[Object]
impl AppraisalItem {
    /// Files that show the item's rectification, in order (the unit adds them while its answer can change).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(ctx, edaibiao_domain::attachment::OwnerKind::AppraisalItem, self.0.id)
            .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::AppraisalItem, self.0.id)
    }
    /// The appraisal's global ID.
    async fn appraisal_id(&self) -> ID {
        ids::encode(NodeKind::Appraisal, self.0.appraisal_id)
    }
    /// 1, 2, 3 … in the order issued.
    async fn number(&self) -> u32 {
        self.0.number
    }
    /// The problem.
    async fn problem(&self) -> &str {
        &self.0.problem
    }
    /// Where it stands.
    async fn state(&self) -> AppraisalItemState {
        self.0.state.into()
    }
    /// What the unit did (its latest answer).
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// By when the unit says it will be done.
    async fn done_by(&self) -> Option<NaiveDate> {
        self.0.done_by
    }
    /// When the latest answer came.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
    /// Why the last answer was returned.
    async fn return_reason(&self) -> Option<&str> {
        self.0.return_reason.as_deref()
    }
    /// How many times an answer was returned.
    async fn returns(&self) -> u32 {
        self.0.returns
    }
    /// When the answer was accepted.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.accepted_at
    }
}

/// A problem a group deputy found, before staff consolidate the list.
pub struct AppraisalFinding(pub appraisals::Finding);

/// A problem a deputy of the appraisal group found (from an inspection or a citizens' opinion), before
/// staff consolidate the findings into the numbered list.
#[Object]
impl AppraisalFinding {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::AppraisalFinding, self.0.id)
    }
    /// The deputy who recorded it.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// What was found.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Where it came from.
    async fn source(&self) -> AppraisalFindingSource {
        self.0.source.into()
    }
    /// The citizens' opinion it came from (CITIZEN_OPINION): the opinion's global ID.
    async fn opinion_id(&self) -> Option<ID> {
        self.0.opinion_id.map(|id| ids::encode(NodeKind::Opinion, id))
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
