//! Livelihood projects as the app sees them: rounds with their candidates, questions and (once visible)
//! results; projects with milestones, supervision group, progress, inspections and the year-end rating.
//! No type names what one deputy chose: results are counts.

use super::enums::{
    LivelihoodProjectKind, MilestoneState, ProjectRatingState, ProjectRoundState, ProjectSourceKind,
};
use crate::graphql::ballot::{BallotForm, Tally, Verdict};
use crate::graphql::directory::{Congress, Deputy, HandlingUnit};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{CongressKey, DeputyKey, HandlingUnitKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::project::SourceKind;
use edaibiao_infra::projects as store;
use uuid::Uuid;

async fn unit(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<HandlingUnit>> {
    Ok(ctx.loader()?.load_one(HandlingUnitKey(id)).await?.map(HandlingUnit))
}

async fn deputy(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<Deputy>> {
    Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub struct ProjectRound(pub store::Round);

/// A year's vote on livelihood projects (民生实事项目票决). Staff add candidates while OPEN and deputies ask
/// about them; staff open the vote (VOTING), each deputy of the congress casts one secret ballot, staff
/// close it (CLOSED: results computed against the whole electorate) and publish it (PUBLISHED: the passed
/// candidates become projects). Visible to the congress's staff and deputies and the candidates' units;
/// to everyone, anonymous users included, once PUBLISHED.
#[Object]
impl ProjectRound {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProjectRound, self.0.id)
    }
    /// The congress that votes.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// The year the projects are for.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Title, e.g. "2027年市级民生实事项目票决".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// How the ballot is filled in: CHOOSE_UP_TO (差额票决, at most `seats` chosen) or FOR_AGAINST_ABSTAIN.
    async fn form(&self) -> BallotForm {
        self.0.form.into()
    }
    /// CHOOSE_UP_TO: how many candidates are chosen (voting needs more candidates than seats). 0 otherwise.
    async fn seats(&self) -> i32 {
        int(self.0.seats)
    }
    /// Where the round is.
    async fn state(&self) -> ProjectRoundState {
        self.0.state.into()
    }
    /// Where the year-end satisfaction rating of the round's projects is.
    async fn rating_state(&self) -> ProjectRatingState {
        self.0.rating_state.into()
    }
    /// The number of deputies of the congress when the vote closed (the electorate results are decided
    /// against); null before.
    async fn electorate(&self) -> Option<i32> {
        self.0.electorate.map(int)
    }
    /// The number of deputies of the congress when the rating closed; null before.
    async fn rating_electorate(&self) -> Option<i32> {
        self.0.rating_electorate.map(int)
    }
    /// How many ballots were cast (turnout). The only count readable while VOTING.
    async fn ballots_cast(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        Ok(int(store::ballots_cast(&ctx.services()?.store, &self.0).await?))
    }
    /// Whether the viewing deputy has voted; false for anyone else.
    async fn has_voted(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(store::has_voted(&ctx.services()?.store, &self.0).await?)
    }
    /// Whether the viewer sees the counts and verdicts: staff once CLOSED, everyone once PUBLISHED. Never
    /// while VOTING.
    async fn results_visible(&self) -> bool {
        self.0.view.results
    }
    /// The candidates, in the order they were added (at most 100).
    async fn candidates(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProjectCandidate>> {
        let found = store::candidates(&ctx.services()?.store, &self.0).await?;
        Ok(found.into_iter().map(ProjectCandidate).collect())
    }
    /// The year-end rating of all the round's projects summed (满意度总体): once the rating is published
    /// (for staff once closed); null otherwise.
    async fn overall_rating(&self, ctx: &Context<'_>) -> ApiResult<Option<Tally>> {
        Ok(store::overall_rating(&ctx.services()?.store, &self.0).await?.as_ref().map(Tally::from))
    }
    /// When the round was opened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the round last changed state.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A step of a candidate's plan, as staff entered it (it becomes a `Milestone` of the project).
#[derive(async_graphql::SimpleObject)]
pub struct PlannedMilestone {
    /// What is to be done.
    pub title: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
}

pub struct ProjectSource(pub store::Source);

/// A suggestion or opinion that asked for a candidate.
#[Object]
impl ProjectSource {
    /// Whether it is a suggestion or an opinion.
    async fn kind(&self) -> ProjectSourceKind {
        self.0.kind.into()
    }
    /// Global ID of the Suggestion or Opinion (fetch it with `node`, as its own visibility allows).
    async fn source_id(&self) -> ID {
        match self.0.kind {
            SourceKind::Suggestion => ids::encode(NodeKind::Suggestion, self.0.id),
            SourceKind::Opinion => ids::encode(NodeKind::Opinion, self.0.id),
        }
    }
}

pub struct CandidateResult(pub store::CandidateResult);

/// What became of a candidate when the vote closed: counts only.
#[Object]
impl CandidateResult {
    /// 1 for the most marks in favour; equal marks share a rank.
    async fn rank(&self) -> i32 {
        int(self.0.rank)
    }
    /// PASSED, FAILED or TIED (at the last seat: staff settle it, e.g. by a further round).
    async fn verdict(&self) -> Verdict {
        self.0.verdict.into()
    }
    /// The marks it got, summed over all ballots.
    async fn tally(&self) -> Tally {
        (&self.0.tally).into()
    }
}

pub struct ProjectCandidate(pub store::Candidate);

/// A candidate project of a round (候选项目).
#[Object]
impl ProjectCandidate {
    /// Global ID; also what a ballot's marks name.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProjectCandidate, self.0.id)
    }
    /// Global ID of its round.
    async fn round_id(&self) -> ID {
        ids::encode(NodeKind::ProjectRound, self.0.round_id)
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the project is.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The responsible handling unit (责任单位), which answers questions and, if chosen, carries it out.
    async fn responsible_unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        unit(ctx, self.0.unit_id).await
    }
    /// The budget in fen (分, 1/100 yuan; 1 万元 = 1,000,000 fen), exact.
    async fn budget_fen(&self) -> crate::graphql::fen::Fen {
        crate::graphql::fen::Fen(self.0.budget_fen)
    }
    /// What the project is expected to achieve.
    async fn expected_outcome(&self) -> &str {
        &self.0.expected_outcome
    }
    /// The planned milestones.
    async fn planned_milestones(&self) -> Vec<PlannedMilestone> {
        self.0
            .milestones
            .iter()
            .map(|m| PlannedMilestone { title: m.title.clone(), due_at: m.due_at })
            .collect()
    }
    /// The suggestions and opinions that asked for it.
    async fn sources(&self) -> Vec<ProjectSource> {
        self.0.sources.iter().copied().map(ProjectSource).collect()
    }
    /// The deputies' questions and the unit's answers, oldest first: for the congress's staff and deputies
    /// and the responsible units; null for anyone else.
    async fn questions(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<ProjectQuestion>>> {
        let found = store::questions(&ctx.services()?.store, &self.0).await?;
        Ok(found.map(|qs| qs.into_iter().map(ProjectQuestion).collect()))
    }
    /// Its result: for staff once the vote is closed, for everyone once published; null before (never
    /// while voting).
    async fn result(&self) -> Option<CandidateResult> {
        self.0.result.clone().map(CandidateResult)
    }
}

pub struct ProjectQuestion(pub store::Question);

/// A deputy's question on a candidate (代表询问) and the responsible unit's answer.
#[Object]
impl ProjectQuestion {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProjectQuestion, self.0.id)
    }
    /// Global ID of the candidate asked about.
    async fn candidate_id(&self) -> ID {
        ids::encode(NodeKind::ProjectCandidate, self.0.candidate_id)
    }
    /// The deputy who asked.
    async fn asked_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.deputy_id).await
    }
    /// The question.
    async fn question(&self) -> &str {
        &self.0.question
    }
    /// The unit's answer; null until answered.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// When it was asked.
    async fn asked_at(&self) -> DateTime<Utc> {
        self.0.asked_at
    }
    /// When it was answered.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
}

pub struct LivelihoodProject(pub store::Project);

/// A project followed to the end (民生实事项目): VOTED (a round's passed candidate) or MAJOR (重大项目网上监督,
/// created by staff). Staff and deputies of the congress and the responsible unit see everything; anyone
/// else, anonymous users included, sees VOTED projects with their milestones and progress, never the
/// inspections.
#[Object]
impl LivelihoodProject {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::LivelihoodProject, self.0.id)
    }
    /// Whether the viewer follows it (`followLivelihoodProject`): only citizens do; false for everyone else.
    async fn viewer_follows(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some(actor) = ctx.actor_opt().filter(|a| a.role == edaibiao_domain::account::Role::Citizen)
        else {
            return Ok(false);
        };
        let store = &ctx.services()?.store;
        let followed =
            edaibiao_infra::projects::follow::followed_among(store, actor.user_id, &[self.0.id]).await?;
        Ok(followed.contains(&self.0.id))
    }
    /// VOTED or MAJOR.
    async fn kind(&self) -> LivelihoodProjectKind {
        self.0.kind.into()
    }
    /// The congress that follows it.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// The year it is for.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Global ID of the round that chose it (VOTED); null for MAJOR.
    async fn round_id(&self) -> Option<ID> {
        self.0.round_id.map(|id| ids::encode(NodeKind::ProjectRound, id))
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the project is.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The responsible handling unit.
    async fn responsible_unit(&self, ctx: &Context<'_>) -> ApiResult<Option<HandlingUnit>> {
        unit(ctx, self.0.unit_id).await
    }
    /// The budget in fen (分, 1/100 yuan; 1 万元 = 1,000,000 fen), exact.
    async fn budget_fen(&self) -> crate::graphql::fen::Fen {
        crate::graphql::fen::Fen(self.0.budget_fen)
    }
    /// What the project is expected to achieve.
    async fn expected_outcome(&self) -> &str {
        &self.0.expected_outcome
    }
    /// Its milestones in plan order.
    async fn milestones(&self, ctx: &Context<'_>) -> ApiResult<Vec<Milestone>> {
        Ok(store::milestones(&ctx.services()?.store, &self.0).await?.into_iter().map(Milestone).collect())
    }
    /// The supervision group (项目监督组): deputies staff appointed to inspect it.
    async fn supervision_group(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        Ok(ctx.loader()?.deputies_in_order(&self.0.group).await?.into_iter().map(Deputy).collect())
    }
    /// The unit's progress reports, oldest first.
    async fn progress_reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressReport>> {
        let found = store::progress_reports(&ctx.services()?.store, &self.0).await?;
        Ok(found.into_iter().map(ProgressReport).collect())
    }
    /// The supervision group's inspections with their rectifications, oldest first: for the congress's
    /// staff and deputies and the unit; null for anyone else.
    async fn inspections(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<ProjectInspection>>> {
        let found = store::inspections(&ctx.services()?.store, &self.0).await?;
        Ok(found.map(|v| v.into_iter().map(ProjectInspection).collect()))
    }
    /// The year-end satisfaction rating (满意度测评) counts, with the satisfaction rate: once the round's
    /// rating is published (for staff once closed); null otherwise.
    async fn rating(&self) -> Option<Tally> {
        self.0.rating.as_ref().map(Tally::from)
    }
    /// Whether the viewing deputy has rated it; false for anyone else.
    async fn has_rated(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(store::has_rated(&ctx.services()?.store, &self.0).await?)
    }
    /// When it was created (the round published, or staff created it).
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct Milestone(pub store::Milestone);

/// A dated step of a project (节点).
#[Object]
impl Milestone {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Milestone, self.0.id)
    }
    /// What is to be done.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// When it is due. The unit is reminded 7 days before; once past and not DONE, the unit, staff and
    /// the supervision group are told.
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }
    /// PENDING or DONE.
    async fn state(&self) -> MilestoneState {
        self.0.state.into()
    }
    /// When the unit reported it done.
    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }
    /// Past due and not done.
    async fn overdue(&self) -> bool {
        self.0.state == edaibiao_domain::project::MilestoneState::Pending && self.0.due_at <= Utc::now()
    }
}

pub struct ProgressReport(pub store::ProgressReport);

/// The responsible unit's report on a project's progress (进展).
#[Object]
impl ProgressReport {
    /// Photos and PDFs of the progress, in order (its reporter adds them within 7 days).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(ctx, edaibiao_domain::attachment::OwnerKind::ProgressReport, self.0.id)
            .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProgressReport, self.0.id)
    }
    /// What was done.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// How far the whole project is, 0–100.
    async fn percent(&self) -> i32 {
        i32::from(self.0.percent)
    }
    /// Global ID of the milestone it reports on, if any.
    async fn milestone_id(&self) -> Option<ID> {
        self.0.milestone_id.map(|id| ids::encode(NodeKind::Milestone, id))
    }
    /// Whether it marked that milestone done.
    async fn milestone_done(&self) -> bool {
        self.0.milestone_done
    }
    /// When it was reported.
    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
}

pub struct ProjectInspection(pub store::Inspection);

/// An inspection (视察) by a deputy of the supervision group, with the rectification it asked for and the
/// unit's answer.
#[Object]
impl ProjectInspection {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ProjectInspection, self.0.id)
    }
    /// Global ID of the project.
    async fn project_id(&self) -> ID {
        ids::encode(NodeKind::LivelihoodProject, self.0.project_id)
    }
    /// The deputy who inspected.
    async fn inspector(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.deputy_id).await
    }
    /// What they found.
    async fn findings(&self) -> &str {
        &self.0.findings
    }
    /// Whether the unit was asked to rectify.
    async fn rectification_requested(&self) -> bool {
        self.0.rectification_requested
    }
    /// By when.
    async fn rectification_deadline(&self) -> Option<DateTime<Utc>> {
        self.0.rectification_deadline
    }
    /// The unit's answer; null until given.
    async fn rectification_answer(&self) -> Option<&str> {
        self.0.rectification_answer.as_deref()
    }
    /// When the unit answered.
    async fn rectified_at(&self) -> Option<DateTime<Utc>> {
        self.0.rectified_at
    }
    /// When the inspection was recorded.
    async fn inspected_at(&self) -> DateTime<Utc> {
        self.0.inspected_at
    }
}
