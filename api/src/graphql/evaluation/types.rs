//! The yearly evaluation as the app sees it: the evaluation with its settings (and, for staff, its results
//! and the rectifications owed), one deputy's result with what cost points, and the rectification report.

use super::RectificationKey;
use super::enums::{DutyEvaluationComponent, DutyEvaluationState, DutyGrade};
use super::scheme::{EvaluationItemScore, EvaluationScheme, ResultCategoriesKey, ResultCategory};
use crate::graphql::account::Account;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::directory::{Congress, Deputy};
use crate::graphql::duty::{EntryKind, archive};
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{AccountKey, CongressKey, DeputyKey};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::duty::evaluation as dom;
use edaibiao_domain::duty::points::EntryKind as DomainEntryKind;
use edaibiao_infra::duty::Source;
use edaibiao_infra::evaluations::{self, ResultView};

async fn deputy(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Deputy>> {
    Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
}

/// How much each part counts, in whole percent (they sum to 100).
#[derive(SimpleObject)]
pub struct EvaluationWeights {
    /// The points (积分), scaled to 100 by the full mark.
    pub points: i32,
    /// The voters' rating of the deputy's reports to voters (述职测评).
    pub voter_rating: i32,
    /// The deputy group's assessment (代表小组评议).
    pub group_assessment: i32,
}

/// The lower bounds of the grades.
#[derive(SimpleObject)]
pub struct GradeThresholds {
    /// EXCELLENT from this combined score on (default 90).
    pub excellent: f64,
    /// QUALIFIED from this combined score on (default 80); below is UNQUALIFIED.
    pub qualified: f64,
}

/// A congress's evaluation of one year (年度履职考评).
pub struct DutyEvaluation(pub evaluations::Evaluation);

/// A whole percent as GraphQL's Int (weights and full marks are small).
fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A congress's evaluation of one year (年度履职考评): staff open it with weights and thresholds, enter the
/// deputy groups' assessments, review (which computes every deputy's result), then publish (公开通报), which
/// sends each deputy the feedback notice. Deputies of the congress see it once published; results and
/// rectifications are for staff.
#[Object]
impl DutyEvaluation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DutyEvaluation, self.0.rules.id)
    }
    /// The congress evaluated.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.rules.congress_id)).await?.map(Congress))
    }
    /// The calendar year evaluated (China Standard Time).
    async fn year(&self) -> i32 {
        self.0.rules.year
    }
    /// Where it stands.
    async fn state(&self) -> DutyEvaluationState {
        self.0.rules.state.into()
    }
    /// How much each part counts.
    async fn weights(&self) -> EvaluationWeights {
        let weights = &self.0.rules.weights;
        EvaluationWeights {
            points: int(weights.of(dom::Component::Points)),
            voter_rating: int(weights.of(dom::Component::VoterRating)),
            group_assessment: int(weights.of(dom::Component::GroupAssessment)),
        }
    }
    /// The points total worth a full 100.
    async fn full_mark(&self) -> i32 {
        int(self.0.rules.full_mark.points())
    }
    /// The grade thresholds.
    async fn thresholds(&self) -> GradeThresholds {
        let thresholds = &self.0.rules.thresholds;
        GradeThresholds { excellent: thresholds.excellent(), qualified: thresholds.qualified() }
    }
    /// When unqualified deputies' rectification reports are due.
    async fn rectification_deadline(&self) -> DateTime<Utc> {
        self.0.rectification_deadline
    }
    /// When it was opened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last reviewed (results computed); null while never reviewed.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// When it was published; null before.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// The scheme (考评细则) the review scores by; null while the evaluation is weighted (`weights` and
    /// `fullMark` then decide; with a scheme `fullMark` only scales POINTS items).
    async fn scheme(&self, ctx: &Context<'_>) -> ApiResult<Option<EvaluationScheme>> {
        let found = evaluations::scheme::scheme_for(&ctx.services()?.store, ctx.actor()?, &self.0).await?;
        Ok(found.map(|s| EvaluationScheme(self.0.rules.id, s)))
    }
    /// The scores staff gave on the scheme's MANUAL items so far (staff only).
    async fn item_scores(&self, ctx: &Context<'_>) -> ApiResult<Vec<EvaluationItemScore>> {
        let found = evaluations::scheme::item_scores(&ctx.services()?.store, ctx.actor()?, &self.0).await?;
        Ok(found.into_iter().map(EvaluationItemScore).collect())
    }
    /// The deputy groups' assessments entered so far (staff only).
    async fn group_assessments(&self, ctx: &Context<'_>) -> ApiResult<Vec<GroupAssessment>> {
        let found = evaluations::group_assessments(&ctx.services()?.store, ctx.actor()?, &self.0).await?;
        Ok(found.into_iter().map(GroupAssessment).collect())
    }
    /// Every deputy's result by rank (equal scores share a rank), optionally of one grade (staff only). Empty
    /// until reviewed.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn results(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
        #[graphql(desc = "Only results of this grade (staff only).")] grade: Option<DutyGrade>,
    ) -> ApiResult<Conn<DutyEvaluationResult>> {
        let request = page_request(first, after)?;
        let page = evaluations::results(
            &ctx.services()?.store,
            ctx.actor()?,
            &self.0,
            grade.map(Into::into),
            request,
        )
        .await?;
        Ok(connection(page, request, |v| v.result.id, DutyEvaluationResult))
    }
    /// The rectification reports not yet handed in, by deputy name, with whether they are overdue and the
    /// reminder talks recorded (staff only).
    async fn outstanding_rectifications(&self, ctx: &Context<'_>) -> ApiResult<Vec<RectificationFollowUp>> {
        let found = evaluations::rectifications(&ctx.services()?.store, ctx.actor()?, &self.0, true).await?;
        Ok(found.into_iter().map(RectificationFollowUp).collect())
    }
    /// Every rectification report owed, handed in or not (staff only).
    async fn rectifications(&self, ctx: &Context<'_>) -> ApiResult<Vec<RectificationFollowUp>> {
        let found = evaluations::rectifications(&ctx.services()?.store, ctx.actor()?, &self.0, false).await?;
        Ok(found.into_iter().map(RectificationFollowUp).collect())
    }
}

/// A deputy group's assessment of one deputy (代表小组评议).
pub struct GroupAssessment(pub evaluations::GroupAssessment);

/// A deputy group's assessment of one deputy (代表小组评议), entered by staff.
#[Object]
impl GroupAssessment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::GroupAssessment, self.0.id)
    }
    /// The deputy assessed.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.deputy_id).await
    }
    /// The score, 0–100.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// What the group said.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was entered or last changed.
    async fn assessed_at(&self) -> DateTime<Utc> {
        self.0.assessed_at
    }
}

/// The voters' ratings of a deputy's reports to voters in the year.
#[derive(SimpleObject)]
pub struct VoterRatingCounts {
    /// 满意.
    pub satisfied: i32,
    /// 基本满意.
    pub basically_satisfied: i32,
    /// 不满意.
    pub dissatisfied: i32,
}

/// A points ledger line that deducted points, as the review found it.
#[derive(SimpleObject)]
pub struct PointDeduction {
    /// What the entry counts as (e.g. ACTIVITY_ABSENT_UNEXCUSED).
    pub kind: EntryKind,
    /// When it happened (China Standard Time).
    pub date: NaiveDate,
    /// The global ID of the record it comes from.
    pub source_id: ID,
    /// The GraphQL type of that record.
    pub source_type: &'static str,
    /// What it was.
    pub note: String,
    /// The points it cost (negative).
    pub points: i32,
}

/// The GraphQL type and global ID of the record an entry of `kind` comes from.
fn source_of(kind: DomainEntryKind, id: uuid::Uuid) -> (&'static str, ID) {
    let source = Source::of_entry(kind, id);
    (archive::source_type(source), archive::source_id(source))
}

/// How much of the combined score a part lost: its weight × what it fell short of 100.
#[derive(SimpleObject)]
pub struct ScoreShortfall {
    /// The part.
    pub component: DutyEvaluationComponent,
    /// Points of the combined score lost.
    pub lost: f64,
}

/// One deputy's result (履职测评结果), a snapshot taken at review.
pub struct DutyEvaluationResult(pub ResultView);

/// One deputy's result in a yearly evaluation, as computed at review and kept unchanged afterwards (so it
/// stays explainable when the point rules change): the score of each part, the combined score, grade and
/// rank, and what cost points. Staff of the congress see every result; a deputy only their own, once
/// published — this is the feedback notice (履职测评结果反馈通知书).
#[Object]
impl DutyEvaluationResult {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DutyEvaluationResult, self.0.result.id)
    }
    /// The evaluation.
    async fn evaluation(&self) -> DutyEvaluation {
        DutyEvaluation(self.0.evaluation.clone())
    }
    /// The year evaluated.
    async fn year(&self) -> i32 {
        self.0.evaluation.rules.year
    }
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.result.deputy_id).await
    }
    /// The deputy's name when the result was computed.
    async fn deputy_name(&self) -> &str {
        &self.0.result.deputy_name
    }
    /// The points total of the year's ledger.
    async fn points_total(&self) -> i32 {
        i32::try_from(self.0.result.points_total).unwrap_or(if self.0.result.points_total < 0 {
            i32::MIN
        } else {
            i32::MAX
        })
    }
    /// The points scaled to 0–100 by the full mark.
    async fn points_score(&self) -> f64 {
        self.0.result.points_score
    }
    /// The voters' rating score, 0–100 (satisfied 100, basically satisfied 80, dissatisfied 0, averaged).
    async fn voter_rating_score(&self) -> f64 {
        self.0.result.voter_rating_score
    }
    /// True when no voter rated a report of the deputy's that year (none held, or nobody rated): that part
    /// scored 0.
    async fn no_voter_rating(&self) -> bool {
        self.0.result.no_voter_rating
    }
    /// The ratings counted.
    async fn voter_ratings(&self) -> VoterRatingCounts {
        VoterRatingCounts {
            satisfied: self.0.result.voters_satisfied,
            basically_satisfied: self.0.result.voters_basically_satisfied,
            dissatisfied: self.0.result.voters_dissatisfied,
        }
    }
    /// The deputy group's assessment, 0–100.
    async fn group_assessment_score(&self) -> f64 {
        self.0.result.group_assessment_score
    }
    /// The combined score, 0–100, two decimals.
    async fn score(&self) -> f64 {
        self.0.result.combined
    }
    /// The grade by the evaluation's thresholds.
    async fn grade(&self) -> DutyGrade {
        self.0.result.grade.into()
    }
    /// Rank by combined score within the congress (1 is best; equal scores share a rank).
    async fn rank(&self) -> i32 {
        self.0.result.congress_rank
    }
    /// The ledger lines that deducted points, the largest deduction first.
    async fn deductions(&self) -> Vec<PointDeduction> {
        self.0
            .result
            .deductions
            .iter()
            .map(|d| {
                let (source_type, source_id) = source_of(d.kind, d.source_id);
                PointDeduction {
                    kind: d.kind.into(),
                    date: d.date,
                    source_id,
                    source_type,
                    note: d.note.clone(),
                    points: d.points,
                }
            })
            .collect()
    }
    /// What each part lost of the combined score, largest first (parts that lost nothing left out).
    async fn shortfalls(&self) -> Vec<ScoreShortfall> {
        self.0
            .result
            .shortfalls
            .iter()
            .map(|s| ScoreShortfall { component: s.component.into(), lost: s.lost })
            .collect()
    }
    /// Each category of the evaluation's scheme with each of its items, as reviewed (empty for a weighted
    /// evaluation). `score` is then the sum of the categories scaled to 0–100 by the scheme's maximum.
    async fn categories(&self, ctx: &Context<'_>) -> ApiResult<Vec<ResultCategory>> {
        let found = ctx.loader()?.load_one(ResultCategoriesKey(self.0.result.id)).await?;
        Ok(found.unwrap_or_default().into_iter().map(Into::into).collect())
    }
    /// The rectification report the deputy owes when graded UNQUALIFIED (after publishing); null otherwise.
    async fn rectification(&self, ctx: &Context<'_>) -> ApiResult<Option<RectificationReport>> {
        let key = RectificationKey(self.0.result.evaluation_id, self.0.result.deputy_id);
        Ok(ctx.loader()?.load_one(key).await?.map(RectificationReport))
    }
}

/// A rectification report (整改报告) an unqualified deputy owes.
pub struct RectificationReport(pub evaluations::RectificationReport);

/// The rectification report (整改报告) an unqualified deputy owes by the deadline; handed in once, late
/// accepted and shown as late.
#[Object]
impl RectificationReport {
    /// Files of the report, in order (the deputy adds them until it is handed in).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(
            ctx,
            edaibiao_domain::attachment::OwnerKind::RectificationReport,
            self.0.id,
        )
        .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::RectificationReport, self.0.id)
    }
    /// When it is due.
    async fn deadline(&self) -> DateTime<Utc> {
        self.0.deadline
    }
    /// When it was handed in; null while outstanding.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    /// The report.
    async fn content(&self) -> Option<&str> {
        self.0.content.as_deref()
    }
    /// An attachment (http(s) URL).
    async fn attachment_url(&self) -> Option<&str> {
        self.0.attachment_url.as_deref()
    }
    /// Handed in after the deadline.
    async fn late(&self) -> bool {
        dom::Rectification::stored(self.0.deadline, self.0.submitted_at).was_late()
    }
    /// Not handed in and past the deadline.
    async fn overdue(&self) -> bool {
        dom::Rectification::stored(self.0.deadline, self.0.submitted_at).is_overdue(Utc::now())
    }
}

/// A rectification staff follow up.
pub struct RectificationFollowUp(pub evaluations::Rectification);

/// A rectification report staff follow up: who owes it, whether it is overdue, and the reminder talks
/// (谈话提醒) recorded.
#[Object]
impl RectificationFollowUp {
    /// The deputy who owes it.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        deputy(ctx, self.0.report.deputy_id).await
    }
    /// The deputy's name.
    async fn deputy_name(&self) -> &str {
        &self.0.deputy_name
    }
    /// The report and its state.
    async fn report(&self) -> RectificationReport {
        RectificationReport(self.0.report.clone())
    }
    /// Not handed in and past the deadline.
    async fn overdue(&self) -> bool {
        self.0.is_overdue(Utc::now())
    }
    /// The reminder talks recorded, oldest first.
    async fn talks(&self) -> Vec<ReminderTalk> {
        self.0.talks.iter().cloned().map(ReminderTalk).collect()
    }
}

/// A reminder talk (谈话提醒).
pub struct ReminderTalk(pub evaluations::ReminderTalk);

/// A reminder talk (谈话提醒) staff had with a deputy who owes a rectification report.
#[Object]
impl ReminderTalk {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::ReminderTalk, self.0.id)
    }
    /// When the talk took place.
    async fn talked_at(&self) -> DateTime<Utc> {
        self.0.talked_at
    }
    /// What was said.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Account>> {
        Ok(ctx.loader()?.load_one(AccountKey(self.0.recorded_by)).await?.map(Account::new))
    }
}
