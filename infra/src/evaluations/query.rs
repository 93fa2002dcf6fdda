//! Reading evaluations: who sees what is decided by the domain (`DutyEvaluation::ensure_*`); staff page
//! through the results by rank, a deputy reads their own once published.

use super::aggregate;
use crate::entity::reminder_talk;
use crate::entity::{deputy, duty_evaluation, evaluation_result, group_assessment, rectification_report};
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use crate::{Error, Store};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::duty::evaluation::{Component, DutyEvaluation, EvaluationState, Grade};
use edaibiao_domain::duty::points::EntryKind;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// The GraphQL type a result's notices are about.
pub const RESULT_SUBJECT: &str = "DutyEvaluationResult";

/// What cost a deputy points, as the review found it (stored as JSON with the result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCosts {
    /// Ledger lines that deducted points, the largest deduction first.
    pub deductions: Vec<StoredDeduction>,
    /// What each part lost of the combined score, largest first.
    pub shortfalls: Vec<StoredShortfall>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDeduction {
    /// The `EntryKind` name.
    pub kind: String,
    pub date: NaiveDate,
    pub source_id: Uuid,
    pub note: String,
    /// Negative.
    pub points: i32,
    /// The rule version applied.
    pub rule_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredShortfall {
    pub component: Component,
    pub lost: f64,
}

/// A congress's evaluation of one year as read: the domain aggregate (state, weights, full mark,
/// thresholds) with its dates. Built when the row is loaded, so a stored value that does not parse fails
/// the load.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub rules: DutyEvaluation,
    pub rectification_deadline: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Evaluation {
    pub(crate) fn from_row(row: &duty_evaluation::Model) -> Result<Self> {
        Ok(Self {
            rules: aggregate(row)?,
            rectification_deadline: row.rectification_deadline,
            created_at: row.created_at,
            reviewed_at: row.reviewed_at,
            published_at: row.published_at,
        })
    }
}

/// One deputy's result, the snapshot taken at review.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationResult {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub deputy_id: Uuid,
    /// The deputy's name when the result was computed.
    pub deputy_name: String,
    pub points_total: i64,
    pub points_score: f64,
    pub voter_rating_score: f64,
    pub no_voter_rating: bool,
    pub voters_satisfied: i32,
    pub voters_basically_satisfied: i32,
    pub voters_dissatisfied: i32,
    pub group_assessment_score: f64,
    pub combined: f64,
    pub grade: Grade,
    pub congress_rank: i32,
    /// Ledger lines that deducted points, the largest deduction first.
    pub deductions: Vec<Deduction>,
    /// What each part lost of the combined score, largest first.
    pub shortfalls: Vec<StoredShortfall>,
}

/// A ledger line that deducted points, as the review found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deduction {
    pub kind: EntryKind,
    pub date: NaiveDate,
    pub source_id: Uuid,
    pub note: String,
    /// Negative.
    pub points: i32,
}

impl EvaluationResult {
    fn from_row(row: evaluation_result::Model) -> Result<Self> {
        let costs: StoredCosts = serde_json::from_str(&row.costs)
            .map_err(|e| Error::Internal(format!("stored costs of result {}: {e}", row.id)))?;
        let deductions = costs
            .deductions
            .into_iter()
            .map(|d| {
                Ok(Deduction {
                    kind: stored("deduction kind", row.id, EntryKind::parse(&d.kind))?,
                    date: d.date,
                    source_id: d.source_id,
                    note: d.note,
                    points: d.points,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            grade: stored("grade", row.id, Grade::parse(&row.grade))?,
            deductions,
            shortfalls: costs.shortfalls,
            id: row.id,
            evaluation_id: row.evaluation_id,
            deputy_id: row.deputy_id,
            deputy_name: row.deputy_name,
            points_total: row.points_total,
            points_score: row.points_score,
            voter_rating_score: row.voter_rating_score,
            no_voter_rating: row.no_voter_rating,
            voters_satisfied: row.voters_satisfied,
            voters_basically_satisfied: row.voters_basically_satisfied,
            voters_dissatisfied: row.voters_dissatisfied,
            group_assessment_score: row.group_assessment_score,
            combined: row.combined,
            congress_rank: row.congress_rank,
        })
    }
}

/// A deputy's result with the evaluation it belongs to.
#[derive(Debug, Clone)]
pub struct ResultView {
    pub evaluation: Evaluation,
    pub result: EvaluationResult,
}

impl ResultView {
    fn of(evaluation: Evaluation, result: evaluation_result::Model) -> Result<Self> {
        Ok(Self { evaluation, result: EvaluationResult::from_row(result)? })
    }
}

/// A deputy group's assessment of one deputy (代表小组评议).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAssessment {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub deputy_id: Uuid,
    pub score: f64,
    pub note: Option<String>,
    pub assessed_by: Uuid,
    pub assessed_at: DateTime<Utc>,
}

impl From<group_assessment::Model> for GroupAssessment {
    fn from(row: group_assessment::Model) -> Self {
        let group_assessment::Model { id, evaluation_id, deputy_id, score, note, assessed_by, assessed_at } =
            row;
        Self { id, evaluation_id, deputy_id, score, note, assessed_by, assessed_at }
    }
}

/// A rectification report (整改报告) an unqualified deputy owes.
#[derive(Debug, Clone, PartialEq)]
pub struct RectificationReport {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub deputy_id: Uuid,
    pub deadline: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub content: Option<String>,
    pub attachment_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<rectification_report::Model> for RectificationReport {
    fn from(row: rectification_report::Model) -> Self {
        let rectification_report::Model {
            id,
            evaluation_id,
            deputy_id,
            deadline,
            submitted_at,
            content,
            attachment_url,
            created_at,
        } = row;
        Self { id, evaluation_id, deputy_id, deadline, submitted_at, content, attachment_url, created_at }
    }
}

/// A reminder talk (谈话提醒) staff had with a deputy who owes a rectification report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderTalk {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub deputy_id: Uuid,
    pub talked_at: DateTime<Utc>,
    pub note: String,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<reminder_talk::Model> for ReminderTalk {
    fn from(row: reminder_talk::Model) -> Self {
        let reminder_talk::Model { id, evaluation_id, deputy_id, talked_at, note, recorded_by, created_at } =
            row;
        Self { id, evaluation_id, deputy_id, talked_at, note, recorded_by, created_at }
    }
}

/// A rectification report owed by an unqualified deputy, with the talks staff recorded.
#[derive(Debug, Clone)]
pub struct Rectification {
    pub report: RectificationReport,
    pub deputy_name: String,
    pub talks: Vec<ReminderTalk>,
}

impl Rectification {
    fn rule(&self) -> edaibiao_domain::duty::evaluation::Rectification {
        edaibiao_domain::duty::evaluation::Rectification::stored(
            self.report.deadline,
            self.report.submitted_at,
        )
    }

    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.rule().is_overdue(now)
    }

    pub fn was_late(&self) -> bool {
        self.rule().was_late()
    }
}

async fn load(db: &impl ConnectionTrait, id: Uuid) -> Result<duty_evaluation::Model> {
    Ok(duty_evaluation::Entity::find_by_id(id).one(db).await?.ok_or("duty evaluation")?)
}

/// One evaluation, for staff of its congress, and for its deputies once published.
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Evaluation> {
    let evaluation = Evaluation::from_row(&load(&store.db, id).await?)?;
    evaluation.rules.ensure_readable(actor)?;
    Ok(evaluation)
}

/// A congress's evaluations, latest year first: all for its staff, the published ones for its deputies.
pub async fn evaluations_for(store: &Store, actor: &Actor, congress_id: Uuid) -> Result<Vec<Evaluation>> {
    let mut select =
        duty_evaluation::Entity::find().filter(duty_evaluation::Column::CongressId.eq(congress_id));
    if !actor.is_staff_of(congress_id) {
        if actor.role != Role::Deputy || actor.congress_id != Some(congress_id) {
            return Err(DomainError::forbidden(
                "only staff of the congress and its deputies see its evaluations",
            )
            .into());
        }
        select = select.filter(duty_evaluation::Column::State.eq(EvaluationState::Published.as_str()));
    }
    let rows = select.order_by_desc(duty_evaluation::Column::Year).all(&store.db).await?;
    rows.iter().map(Evaluation::from_row).collect()
}

/// The group assessments of an evaluation, for staff.
pub async fn group_assessments(
    store: &Store,
    actor: &Actor,
    evaluation: &Evaluation,
) -> Result<Vec<GroupAssessment>> {
    evaluation.rules.ensure_staff(actor)?;
    let rows = group_assessment::Entity::find()
        .filter(group_assessment::Column::EvaluationId.eq(evaluation.rules.id))
        .order_by_asc(group_assessment::Column::Id)
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The results of an evaluation by rank (ties by id), optionally of one grade, for staff. Empty while OPEN.
pub async fn results(
    store: &Store,
    actor: &Actor,
    evaluation: &Evaluation,
    grade: Option<Grade>,
    request: PageRequest,
) -> Result<Page<ResultView>> {
    evaluation.rules.ensure_staff(actor)?;
    let mut select = evaluation_result::Entity::find()
        .filter(evaluation_result::Column::EvaluationId.eq(evaluation.rules.id));
    if let Some(grade) = grade {
        select = select.filter(evaluation_result::Column::Grade.eq(grade.as_str()));
    }
    let total = select.clone().count(&store.db).await?;
    let mut query = select
        .order_by_asc(evaluation_result::Column::CongressRank)
        .order_by_asc(evaluation_result::Column::Id)
        .limit(request.first + 1);
    if let Some(after) = request.after {
        let rank: Option<i32> = evaluation_result::Entity::find_by_id(after)
            .select_only()
            .column(evaluation_result::Column::CongressRank)
            .into_tuple()
            .one(&store.db)
            .await?;
        let rank = rank.ok_or_else(|| DomainError::invalid("after", "is not a cursor from this list"))?;
        query = query.filter(
            Condition::any().add(evaluation_result::Column::CongressRank.gt(rank)).add(
                Condition::all()
                    .add(evaluation_result::Column::CongressRank.eq(rank))
                    .add(evaluation_result::Column::Id.gt(after)),
            ),
        );
    }
    let rows = query.all(&store.db).await?;
    let views = rows
        .into_iter()
        .map(|result| ResultView::of(evaluation.clone(), result))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page::from_overfetch(views, request, total))
}

/// One result by its id: for staff of the congress, and for the deputy once published.
pub async fn result_by_id(store: &Store, actor: &Actor, id: Uuid) -> Result<ResultView> {
    let result =
        evaluation_result::Entity::find_by_id(id).one(&store.db).await?.ok_or("evaluation result")?;
    let evaluation = Evaluation::from_row(&load(&store.db, result.evaluation_id).await?)?;
    evaluation.rules.ensure_result_readable(actor, result.deputy_id)?;
    ResultView::of(evaluation, result)
}

/// The deputy's own result in an evaluation (the feedback notice), once published.
pub async fn notice_for(store: &Store, actor: &Actor, evaluation_id: Uuid) -> Result<ResultView> {
    let evaluation = load(&store.db, evaluation_id).await?;
    own_result(store, actor, evaluation).await
}

/// The deputy's own result of their congress's evaluation of `year`, once published.
pub async fn my_result(store: &Store, actor: &Actor, year: i32) -> Result<ResultView> {
    let (Role::Deputy, Some(congress_id)) = (actor.role, actor.congress_id) else {
        return Err(DomainError::forbidden("only deputies have evaluation results").into());
    };
    let evaluation = duty_evaluation::Entity::find()
        .filter(duty_evaluation::Column::CongressId.eq(congress_id))
        .filter(duty_evaluation::Column::Year.eq(year))
        .one(&store.db)
        .await?
        .ok_or("duty evaluation")?;
    own_result(store, actor, evaluation).await
}

async fn own_result(store: &Store, actor: &Actor, evaluation: duty_evaluation::Model) -> Result<ResultView> {
    let deputy_id = actor
        .deputy_id
        .filter(|_| actor.role == Role::Deputy)
        .ok_or_else(|| DomainError::forbidden("only deputies have evaluation results"))?;
    let evaluation = Evaluation::from_row(&evaluation)?;
    evaluation.rules.ensure_result_readable(actor, deputy_id)?;
    let result = evaluation_result::Entity::find()
        .filter(evaluation_result::Column::EvaluationId.eq(evaluation.rules.id))
        .filter(evaluation_result::Column::DeputyId.eq(deputy_id))
        .one(&store.db)
        .await?
        .ok_or("evaluation result")?;
    ResultView::of(evaluation, result)
}

/// Whether `actor` passes `check` on the evaluation `evaluation_id` (false when there is none).
async fn passes(
    db: &impl ConnectionTrait,
    evaluation_id: Uuid,
    check: impl FnOnce(&DutyEvaluation) -> std::result::Result<(), DomainError>,
) -> Result<bool> {
    match duty_evaluation::Entity::find_by_id(evaluation_id).one(db).await? {
        Some(row) => Ok(check(&aggregate(&row)?).is_ok()),
        None => Ok(false),
    }
}

/// One group assessment, for staff of the evaluation's congress (as `DutyEvaluation.groupAssessments`);
/// `None` when there is none or `actor` may not see it (its existence is not told).
pub async fn group_assessment_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Option<GroupAssessment>> {
    let Some(row) = group_assessment::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let seen = passes(&store.db, row.evaluation_id, |e| e.ensure_staff(actor)).await?;
    Ok(seen.then(|| row.into()))
}

/// One rectification report, for those who may read the result it belongs to (as
/// `DutyEvaluationResult.rectification`): staff of the congress, and the deputy concerned once published;
/// `None` when there is none or `actor` may not see it (its existence is not told).
pub async fn rectification_for(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<RectificationReport>> {
    let Some(row) = rectification_report::Entity::find_by_id(id).one(&store.db).await? else {
        return Ok(None);
    };
    let seen =
        passes(&store.db, row.evaluation_id, |e| e.ensure_result_readable(actor, row.deputy_id)).await?;
    Ok(seen.then(|| row.into()))
}

/// One reminder talk, for staff of the evaluation's congress (as `RectificationFollowUp.talks`); `None` when
/// there is none or `actor` may not see it (its existence is not told).
pub async fn reminder_talk_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Option<ReminderTalk>> {
    let Some(row) = reminder_talk::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let seen = passes(&store.db, row.evaluation_id, |e| e.ensure_staff(actor)).await?;
    Ok(seen.then(|| row.into()))
}

/// The rectification reports owed in some evaluations, by (evaluation, deputy). One query.
pub async fn rectification_of(
    store: &Store,
    keys: &[(Uuid, Uuid)],
) -> Result<HashMap<(Uuid, Uuid), RectificationReport>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let mut evaluations: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
    evaluations.sort_unstable();
    evaluations.dedup();
    let mut deputies: Vec<Uuid> = keys.iter().map(|k| k.1).collect();
    deputies.sort_unstable();
    deputies.dedup();
    let rows = rectification_report::Entity::find()
        .filter(rectification_report::Column::EvaluationId.is_in(evaluations))
        .filter(rectification_report::Column::DeputyId.is_in(deputies))
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(|r| ((r.evaluation_id, r.deputy_id), r.into())).collect())
}

/// The rectification reports owed in an evaluation (only those not handed in when `outstanding_only`),
/// by deputy name, with the talks recorded: for staff. Three queries.
pub async fn rectifications(
    store: &Store,
    actor: &Actor,
    evaluation: &Evaluation,
    outstanding_only: bool,
) -> Result<Vec<Rectification>> {
    evaluation.rules.ensure_staff(actor)?;
    let mut select = rectification_report::Entity::find()
        .filter(rectification_report::Column::EvaluationId.eq(evaluation.rules.id));
    if outstanding_only {
        select = select.filter(rectification_report::Column::SubmittedAt.is_null());
    }
    let reports = select.all(&store.db).await?;
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = reports.iter().map(|r| r.deputy_id).collect();
    let names: HashMap<Uuid, String> = deputy::Entity::find()
        .select_only()
        .column(deputy::Column::Id)
        .column(deputy::Column::Name)
        .filter(deputy::Column::Id.is_in(ids.clone()))
        .into_tuple::<(Uuid, String)>()
        .all(&store.db)
        .await?
        .into_iter()
        .collect();
    let mut talks: HashMap<Uuid, Vec<ReminderTalk>> = HashMap::new();
    for talk in reminder_talk::Entity::find()
        .filter(reminder_talk::Column::EvaluationId.eq(evaluation.rules.id))
        .filter(reminder_talk::Column::DeputyId.is_in(ids))
        .order_by_asc(reminder_talk::Column::TalkedAt)
        .order_by_asc(reminder_talk::Column::Id)
        .all(&store.db)
        .await?
    {
        talks.entry(talk.deputy_id).or_default().push(talk.into());
    }
    let mut out: Vec<Rectification> = reports
        .into_iter()
        .map(|report| Rectification {
            deputy_name: names.get(&report.deputy_id).cloned().unwrap_or_default(),
            talks: talks.remove(&report.deputy_id).unwrap_or_default(),
            report: report.into(),
        })
        .collect();
    out.sort_by(|a, b| a.deputy_name.cmp(&b.deputy_name).then(a.report.id.cmp(&b.report.id)));
    Ok(out)
}

/// The id of a deputy's result in an evaluation.
pub(super) async fn result_id_of(
    db: &impl ConnectionTrait,
    evaluation_id: Uuid,
    deputy_id: Uuid,
) -> Result<Option<Uuid>> {
    Ok(evaluation_result::Entity::find()
        .select_only()
        .column(evaluation_result::Column::Id)
        .filter(evaluation_result::Column::EvaluationId.eq(evaluation_id))
        .filter(evaluation_result::Column::DeputyId.eq(deputy_id))
        .into_tuple()
        .one(db)
        .await?)
}
