//! The yearly evaluation (年度履职考评) over GraphQL: staff open an evaluation for a congress's year, enter
//! the deputy groups' assessments, review (every deputy's result is computed from the points ledgers, the
//! voters' ratings and the assessments, and kept as a snapshot), reopen to correct, and publish, which sends
//! each deputy the feedback notice and asks unqualified deputies for a rectification report. Deputies read
//! their own result once published; staff follow up outstanding rectifications and record reminder talks.

mod enums;
pub mod scheme;
pub mod types;

pub use types::{DutyEvaluation, DutyEvaluationResult, GroupAssessment, RectificationReport, ReminderTalk};

use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::StoreLoader;
use crate::graphql::node::Node;
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::evaluation::{FullMark, Score, Thresholds, Weights};
use edaibiao_domain::text::Note;
use edaibiao_infra::evaluations::{self, OpenInput};
use edaibiao_infra::idempotency::Idempotency;
use std::collections::HashMap;
use uuid::Uuid;

fn evaluation_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::DutyEvaluation, field, id)
}

fn deputy_id(id: &ID) -> ApiResult<Uuid> {
    ids::decode(NodeKind::Deputy, "deputyId", id)
}

/// The rectification report a deputy owes in an evaluation, by (evaluation, deputy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RectificationKey(pub Uuid, pub Uuid);

impl Loader<RectificationKey> for StoreLoader {
    type Value = evaluations::RectificationReport;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RectificationKey],
    ) -> Result<HashMap<RectificationKey, evaluations::RectificationReport>, ApiError> {
        let pairs: Vec<(Uuid, Uuid)> = keys.iter().map(|k| (k.0, k.1)).collect();
        let found = evaluations::rectification_of(&self.0, &pairs).await?;
        Ok(found.into_iter().map(|((e, d), m)| (RectificationKey(e, d), m)).collect())
    }
}

/// How much each part counts, in whole percent; they must sum to 100.
#[derive(InputObject)]
pub struct EvaluationWeightsInput {
    /// The points (积分), scaled to 100 by the full mark.
    pub points: i32,
    /// The voters' rating of the reports to voters (述职测评).
    pub voter_rating: i32,
    /// The deputy group's assessment (代表小组评议).
    pub group_assessment: i32,
}

/// The lower bounds of the grades: 0 < qualified < excellent ≤ 100.
#[derive(InputObject)]
pub struct GradeThresholdsInput {
    /// EXCELLENT from this score on.
    #[graphql(default = 90.0)]
    pub excellent: f64,
    /// QUALIFIED from this score on; below is UNQUALIFIED.
    #[graphql(default = 80.0)]
    pub qualified: f64,
}

/// An evaluation to open.
#[derive(InputObject)]
pub struct OpenDutyEvaluationInput {
    /// The congress.
    pub congress_id: ID,
    /// The calendar year (China Standard Time), up to the current one; one evaluation per year.
    pub year: i32,
    /// How much each part counts.
    pub weights: EvaluationWeightsInput,
    /// The points total worth a full 100 (at least 1).
    pub full_mark: i32,
    /// The grade thresholds; EXCELLENT ≥ 90 and QUALIFIED ≥ 80 when left out.
    pub thresholds: Option<GradeThresholdsInput>,
    /// When unqualified deputies' rectification reports are due: ahead, within a year.
    pub rectification_deadline: DateTime<Utc>,
}

fn percent(field: &'static str, value: i32) -> ApiResult<u32> {
    u32::try_from(value).map_err(|_| ApiError::bad_input(field, "must not be negative"))
}

#[derive(Default)]
pub struct EvaluationQuery;

#[Object]
impl EvaluationQuery {
    /// One yearly evaluation: for staff of its congress; for its deputies once published.
    async fn duty_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] id: ID,
    ) -> ApiResult<DutyEvaluation> {
        let found =
            evaluations::find_for(&ctx.services()?.store, ctx.actor()?, evaluation_id(&id, "id")?).await?;
        Ok(DutyEvaluation(found))
    }

    /// A congress's yearly evaluations, latest year first: all for its staff, the published ones for its
    /// deputies.
    async fn duty_evaluations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<Vec<DutyEvaluation>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let found = evaluations::evaluations_for(&ctx.services()?.store, ctx.actor()?, congress).await?;
        Ok(found.into_iter().map(DutyEvaluation).collect())
    }

    /// The viewer's own result (feedback notice) of their congress's evaluation of `year`: deputies only,
    /// once published (FORBIDDEN before; NOT_FOUND when there is no evaluation of that year).
    async fn my_evaluation_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Year of the evaluation, e.g. 2025.")] year: i32,
    ) -> ApiResult<DutyEvaluationResult> {
        let found = evaluations::my_result(&ctx.services()?.store, ctx.actor()?, year).await?;
        Ok(DutyEvaluationResult(found))
    }

    /// The feedback notice (履职测评结果反馈通知书) of an evaluation for the viewing deputy: their own result,
    /// once published.
    async fn evaluation_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
    ) -> ApiResult<DutyEvaluationResult> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let found = evaluations::notice_for(&ctx.services()?.store, ctx.actor()?, id).await?;
        Ok(DutyEvaluationResult(found))
    }
}

#[derive(Default)]
pub struct EvaluationMutation;

#[Object]
impl EvaluationMutation {
    /// Staff of the congress open the evaluation of a year (CONFLICT when that year has one).
    async fn open_duty_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `OpenDutyEvaluationInput` describes them.")]
        input: OpenDutyEvaluationInput,
    ) -> ApiResult<DutyEvaluation> {
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        let weights = Weights::new(
            percent("weights", input.weights.points)?,
            percent("weights", input.weights.voter_rating)?,
            percent("weights", input.weights.group_assessment)?,
        )?;
        let full_mark = FullMark::new(
            u32::try_from(input.full_mark)
                .map_err(|_| ApiError::bad_input("fullMark", "must be at least 1"))?,
        )?;
        let thresholds = match input.thresholds {
            Some(t) => Thresholds::new(t.excellent, t.qualified)?,
            None => Thresholds::default(),
        };
        let open = OpenInput {
            congress_id,
            year: input.year,
            weights,
            full_mark,
            thresholds,
            rectification_deadline: input.rectification_deadline,
        };
        Ok(DutyEvaluation(evaluations::open(&ctx.services()?.store, ctx.actor()?, open).await?))
    }

    /// Staff enter (or change) the deputy group's assessment of a deputy, 0–100, while the evaluation is
    /// OPEN.
    async fn set_group_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
        #[graphql(desc = "The group's score for the deputy, 0–100.")] score: f64,
        #[graphql(desc = "Optional note on the assessment.")] note: Option<String>,
    ) -> ApiResult<GroupAssessment> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let deputy = self::deputy_id(&deputy_id)?;
        let score = Score::new(score)?;
        let note = Note::parse_optional("note", note.as_deref())?;
        let saved =
            evaluations::set_group_assessment(&ctx.services()?.store, ctx.actor()?, id, deputy, score, note)
                .await?;
        Ok(GroupAssessment(saved))
    }

    /// Staff review: every deputy's result is computed and kept; OPEN → REVIEWED. CONFLICT, naming them,
    /// while deputies lack a group assessment and that part has weight; a deputy whose report to voters
    /// nobody rated scores 0 for that part (the notice says so).
    async fn review_duty_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] id: ID,
    ) -> ApiResult<DutyEvaluation> {
        let id = evaluation_id(&id, "id")?;
        Ok(DutyEvaluation(evaluations::review(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// Staff reopen a reviewed evaluation to correct it (REVIEWED → OPEN); the computed results are dropped.
    async fn reopen_duty_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] id: ID,
    ) -> ApiResult<DutyEvaluation> {
        let id = evaluation_id(&id, "id")?;
        Ok(DutyEvaluation(evaluations::reopen(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// Staff publish the results (公开通报; REVIEWED → PUBLISHED): every deputy gets the feedback notice,
    /// each unqualified deputy the requirement of a rectification report due by the deadline
    /// (`rectificationDeadline` replaces the one set at opening). Of concurrent publishes one wins; the
    /// others are CONFLICT.
    async fn publish_duty_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] id: ID,
        #[graphql(
            desc = "When rectification reports are due; replaces the deadline set at opening when given."
        )]
        rectification_deadline: Option<DateTime<Utc>>,
    ) -> ApiResult<DutyEvaluation> {
        let id = evaluation_id(&id, "id")?;
        let done =
            evaluations::publish(&ctx.services()?.store, ctx.actor()?, id, rectification_deadline).await?;
        Ok(DutyEvaluation(done))
    }

    /// The unqualified deputy hands in their rectification report (1–10,000 characters, an optional http(s)
    /// attachment), once: CONFLICT after; after the deadline it is accepted and shows as late. A retry with
    /// the same `idempotencyKey` returns the report.
    async fn submit_rectification_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
        #[graphql(desc = "The report, 1–10,000 characters.")] content: String,
        #[graphql(desc = "Optional http(s) link to an attachment.")] attachment_url: Option<String>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<RectificationReport> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let idem =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "submitRectificationReport" });
        let saved = evaluations::submit_rectification(
            &ctx.services()?.store,
            ctx.actor()?,
            id,
            &content,
            attachment_url.as_deref(),
            idem,
        )
        .await?;
        Ok(RectificationReport(saved))
    }

    /// Staff set the evaluation's scheme (考评细则, e.g. 五大项二十六小项) while it is OPEN: the review then
    /// scores every deputy by the tree instead of the weights. Replaces the scheme there was (and drops the
    /// manual scores given on it); without `scheme` the evaluation goes back to the weights. CONFLICT once
    /// reviewed; BAD_USER_INPUT naming the field for a tree that breaks a rule.
    async fn set_evaluation_scheme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
        #[graphql(desc = "The tree; null removes the scheme.")] scheme: Option<scheme::EvaluationSchemeInput>,
    ) -> ApiResult<DutyEvaluation> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let (saved, _) = evaluations::scheme::set(
            &ctx.services()?.store,
            ctx.actor()?,
            id,
            scheme.map(scheme::EvaluationSchemeInput::drafts),
        )
        .await?;
        Ok(DutyEvaluation(saved))
    }

    /// Staff give (or change) a deputy's score on a MANUAL item of the evaluation's scheme while it is OPEN:
    /// 0 to the item's cap. The review waits until every deputy has a score on every manual item.
    async fn score_evaluation_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
        #[graphql(desc = "Global ID of the MANUAL item (`EvaluationItem.id`).")] item_id: ID,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
        #[graphql(desc = "The score, 0 to the item's cap.")] score: f64,
    ) -> ApiResult<scheme::EvaluationItemScore> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let item = ids::decode(NodeKind::EvaluationItem, "itemId", &item_id)?;
        let deputy = self::deputy_id(&deputy_id)?;
        let saved =
            evaluations::scheme::score_item(&ctx.services()?.store, ctx.actor()?, id, item, deputy, score)
                .await?;
        Ok(scheme::EvaluationItemScore(saved))
    }

    /// Staff record a reminder talk (谈话提醒) with a deputy who owes a rectification report.
    async fn record_reminder_talk(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty evaluation.")] evaluation_id: ID,
        #[graphql(desc = "Global ID of the deputy talked to.")] deputy_id: ID,
        #[graphql(desc = "When the talk took place.")] talked_at: DateTime<Utc>,
        #[graphql(desc = "What was said.")] note: String,
    ) -> ApiResult<ReminderTalk> {
        let id = self::evaluation_id(&evaluation_id, "evaluationId")?;
        let deputy = self::deputy_id(&deputy_id)?;
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let note = Note::parse("note", &note)?;
        let saved = evaluations::record_talk(&services.store, actor, id, deputy, talked_at, note).await?;
        Ok(ReminderTalk(saved))
    }
}

/// Loads a node of an evaluation type for `node(id)`, with the authorisation of the field or list it comes
/// from: an evaluation for staff of its congress and, once published, its deputies; a result for staff and,
/// once published, the deputy concerned (FORBIDDEN for anyone else, as `evaluationNotice`); a rectification
/// report for those who may read its result, group assessments and reminder talks for staff, a scheme's
/// item for those who may read the evaluation (null for anyone else). Null when there is no such record.
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let store = &ctx.services()?.store;
    let actor = ctx.actor()?;
    let found = match kind {
        NodeKind::DutyEvaluation => evaluations::find_for(store, actor, id)
            .await
            .map(|m| Some(Node::DutyEvaluation(Box::new(DutyEvaluation(m))))),
        NodeKind::DutyEvaluationResult => evaluations::result_by_id(store, actor, id)
            .await
            .map(|v| Some(Node::DutyEvaluationResult(Box::new(DutyEvaluationResult(v))))),
        NodeKind::GroupAssessment => evaluations::group_assessment_for(store, actor, id)
            .await
            .map(|m| m.map(|m| Node::GroupAssessment(Box::new(GroupAssessment(m))))),
        NodeKind::RectificationReport => evaluations::rectification_for(store, actor, id)
            .await
            .map(|m| m.map(|m| Node::RectificationReport(Box::new(RectificationReport(m))))),
        NodeKind::ReminderTalk => evaluations::reminder_talk_for(store, actor, id)
            .await
            .map(|m| m.map(|m| Node::ReminderTalk(Box::new(ReminderTalk(m))))),
        NodeKind::EvaluationItem => {
            return Ok(scheme::item_node(ctx, id).await?.map(|i| Node::EvaluationItem(Box::new(i))));
        }
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(node),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
