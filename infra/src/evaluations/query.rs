//! Reading evaluations: who sees what is decided by the domain (`DutyEvaluation::ensure_*`); staff page
//! through the results by rank, a deputy reads their own once published.

use super::aggregate;
use crate::entity::reminder_talk;
use crate::entity::{deputy, duty_evaluation, evaluation_result, group_assessment, rectification_report};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use crate::{Error, Store};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::duty::evaluation::{Component, DutyEvaluation, EvaluationState, Grade};
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

/// A deputy's result with the evaluation it belongs to.
#[derive(Debug, Clone)]
pub struct ResultView {
    pub evaluation: duty_evaluation::Model,
    pub result: evaluation_result::Model,
}

impl ResultView {
    pub fn costs(&self) -> Result<StoredCosts> {
        serde_json::from_str(&self.result.costs).map_err(|e| Error::Internal(format!("stored costs: {e}")))
    }
}

/// A rectification report owed by an unqualified deputy, with the talks staff recorded.
#[derive(Debug, Clone)]
pub struct Rectification {
    pub report: rectification_report::Model,
    pub deputy_name: String,
    pub talks: Vec<reminder_talk::Model>,
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
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<duty_evaluation::Model> {
    let row = load(&store.db, id).await?;
    aggregate(&row)?.ensure_readable(actor)?;
    Ok(row)
}

/// A congress's evaluations, latest year first: all for its staff, the published ones for its deputies.
pub async fn evaluations_for(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
) -> Result<Vec<duty_evaluation::Model>> {
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
    Ok(select.order_by_desc(duty_evaluation::Column::Year).all(&store.db).await?)
}

/// The group assessments of an evaluation, for staff.
pub async fn group_assessments(
    store: &Store,
    actor: &Actor,
    evaluation: &duty_evaluation::Model,
) -> Result<Vec<group_assessment::Model>> {
    aggregate(evaluation)?.ensure_staff(actor)?;
    Ok(group_assessment::Entity::find()
        .filter(group_assessment::Column::EvaluationId.eq(evaluation.id))
        .order_by_asc(group_assessment::Column::Id)
        .all(&store.db)
        .await?)
}

/// The results of an evaluation by rank (ties by id), optionally of one grade, for staff. Empty while OPEN.
pub async fn results(
    store: &Store,
    actor: &Actor,
    evaluation: &duty_evaluation::Model,
    grade: Option<Grade>,
    request: PageRequest,
) -> Result<Page<ResultView>> {
    aggregate(evaluation)?.ensure_staff(actor)?;
    let mut select =
        evaluation_result::Entity::find().filter(evaluation_result::Column::EvaluationId.eq(evaluation.id));
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
        .map(|result| ResultView { evaluation: evaluation.clone(), result })
        .collect::<Vec<_>>();
    Ok(Page::from_overfetch(views, request, total))
}

/// One result by its id: for staff of the congress, and for the deputy once published.
pub async fn result_by_id(store: &Store, actor: &Actor, id: Uuid) -> Result<ResultView> {
    let result =
        evaluation_result::Entity::find_by_id(id).one(&store.db).await?.ok_or("evaluation result")?;
    let evaluation = load(&store.db, result.evaluation_id).await?;
    aggregate(&evaluation)?.ensure_result_readable(actor, result.deputy_id)?;
    Ok(ResultView { evaluation, result })
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
    aggregate(&evaluation)?.ensure_result_readable(actor, deputy_id)?;
    let result = evaluation_result::Entity::find()
        .filter(evaluation_result::Column::EvaluationId.eq(evaluation.id))
        .filter(evaluation_result::Column::DeputyId.eq(deputy_id))
        .one(&store.db)
        .await?
        .ok_or("evaluation result")?;
    Ok(ResultView { evaluation, result })
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
pub async fn group_assessment_for(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<group_assessment::Model>> {
    let Some(row) = group_assessment::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let seen = passes(&store.db, row.evaluation_id, |e| e.ensure_staff(actor)).await?;
    Ok(seen.then_some(row))
}

/// One rectification report, for those who may read the result it belongs to (as
/// `DutyEvaluationResult.rectification`): staff of the congress, and the deputy concerned once published;
/// `None` when there is none or `actor` may not see it (its existence is not told).
pub async fn rectification_for(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<rectification_report::Model>> {
    let Some(row) = rectification_report::Entity::find_by_id(id).one(&store.db).await? else {
        return Ok(None);
    };
    let seen =
        passes(&store.db, row.evaluation_id, |e| e.ensure_result_readable(actor, row.deputy_id)).await?;
    Ok(seen.then_some(row))
}

/// One reminder talk, for staff of the evaluation's congress (as `RectificationFollowUp.talks`); `None` when
/// there is none or `actor` may not see it (its existence is not told).
pub async fn reminder_talk_for(
    store: &Store,
    actor: &Actor,
    id: Uuid,
) -> Result<Option<reminder_talk::Model>> {
    let Some(row) = reminder_talk::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let seen = passes(&store.db, row.evaluation_id, |e| e.ensure_staff(actor)).await?;
    Ok(seen.then_some(row))
}

/// The rectification reports owed in some evaluations, by (evaluation, deputy). One query.
pub async fn rectification_of(
    store: &Store,
    keys: &[(Uuid, Uuid)],
) -> Result<HashMap<(Uuid, Uuid), rectification_report::Model>> {
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
    Ok(rows.into_iter().map(|r| ((r.evaluation_id, r.deputy_id), r)).collect())
}

/// The rectification reports owed in an evaluation (only those not handed in when `outstanding_only`),
/// by deputy name, with the talks recorded: for staff. Three queries.
pub async fn rectifications(
    store: &Store,
    actor: &Actor,
    evaluation: &duty_evaluation::Model,
    outstanding_only: bool,
) -> Result<Vec<Rectification>> {
    aggregate(evaluation)?.ensure_staff(actor)?;
    let mut select = rectification_report::Entity::find()
        .filter(rectification_report::Column::EvaluationId.eq(evaluation.id));
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
    let mut talks: HashMap<Uuid, Vec<reminder_talk::Model>> = HashMap::new();
    for talk in reminder_talk::Entity::find()
        .filter(reminder_talk::Column::EvaluationId.eq(evaluation.id))
        .filter(reminder_talk::Column::DeputyId.is_in(ids))
        .order_by_asc(reminder_talk::Column::TalkedAt)
        .order_by_asc(reminder_talk::Column::Id)
        .all(&store.db)
        .await?
    {
        talks.entry(talk.deputy_id).or_default().push(talk);
    }
    let mut out: Vec<Rectification> = reports
        .into_iter()
        .map(|report| Rectification {
            deputy_name: names.get(&report.deputy_id).cloned().unwrap_or_default(),
            talks: talks.remove(&report.deputy_id).unwrap_or_default(),
            report,
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
