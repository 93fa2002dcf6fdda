//! The yearly evaluation (年度履职考评) in storage.
//!
//! Every change is one transaction that first locks the evaluation row (a write first, so SQLite takes its
//! write lock at once and PostgreSQL queues concurrent changes), lets the domain decide, writes, and saves
//! the new state with a compare-and-set on the version: of two concurrent publishes exactly one wins, the
//! other is CONFLICT. The review takes a snapshot of each deputy's result (`evaluation_results`) from the
//! points ledgers (`duty::ledgers`), the voters' ratings (`activities::voter_ratings`) and the group
//! assessments; publishing sends each deputy the feedback notice and asks unqualified deputies for a
//! rectification report, in the same transaction.

mod notice;
mod query;
mod record;
pub mod scheme;

pub use query::{
    Deduction, Evaluation, EvaluationResult, GroupAssessment, RESULT_SUBJECT, Rectification,
    RectificationReport, ReminderTalk, ResultView, StoredCosts, StoredDeduction, StoredShortfall,
    evaluations_for, find_for, group_assessment_for, group_assessments, my_result, notice_for,
    rectification_for, rectification_of, rectifications, reminder_talk_for, result_by_id, results,
};

use crate::entity::{account, reminder_talk};
use crate::entity::{
    deputy, duty_evaluation, evaluation_result, evaluation_result_item, group_assessment,
    rectification_report,
};
use crate::error::{Result, stored};
use crate::idempotency::{self, Idempotency};
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::evaluation::{
    self as dom, DutyEvaluation, FullMark, Grade, ReviewInput, Score, Thresholds, Weights,
};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::text::Note;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// What staff choose when they open an evaluation.
#[derive(Debug, Clone)]
pub struct OpenInput {
    pub congress_id: Uuid,
    pub year: i32,
    pub weights: Weights,
    pub full_mark: FullMark,
    pub thresholds: Thresholds,
    pub rectification_deadline: DateTime<Utc>,
}

/// The domain aggregate of a stored evaluation. A stored value that does not parse is an internal error,
/// not the caller's.
pub(crate) fn aggregate(m: &duty_evaluation::Model) -> Result<DutyEvaluation> {
    let percent = |v: i32| u32::try_from(v).map_err(|_| Error::Internal(format!("weight {v}")));
    Ok(DutyEvaluation {
        id: m.id,
        congress_id: m.congress_id,
        year: m.year,
        state: stored("evaluation state", m.id, dom::EvaluationState::parse(&m.state))?,
        weights: stored(
            "evaluation weights",
            m.id,
            Weights::new(
                percent(m.weight_points)?,
                percent(m.weight_voter_rating)?,
                percent(m.weight_group_assessment)?,
            ),
        )?,
        full_mark: stored("full mark", m.id, FullMark::new(percent(m.full_mark)?))?,
        thresholds: stored(
            "thresholds",
            m.id,
            Thresholds::new(m.threshold_excellent, m.threshold_qualified),
        )?,
    })
}

/// Saves a new state if nobody changed the evaluation since `read` (compare-and-set on the version).
async fn save_state(
    txn: &DatabaseTransaction,
    read: &duty_evaluation::Model,
    e: &DutyEvaluation,
    now: DateTime<Utc>,
    stamp: Option<duty_evaluation::Column>,
) -> Result<duty_evaluation::Model> {
    let mut update = duty_evaluation::Entity::update_many()
        .col_expr(duty_evaluation::Column::State, Expr::value(e.state.as_str()))
        .col_expr(duty_evaluation::Column::UpdatedAt, Expr::value(now));
    if let Some(column) = stamp {
        update = update.col_expr(column, Expr::value(now));
    }
    transaction::save(txn, read.id, read.version, read.version + 1, update).await?;
    Ok(duty_evaluation::Entity::find_by_id(read.id).one(txn).await?.ok_or("duty evaluation")?)
}

/// Staff open the evaluation of a congress's year (one per year: CONFLICT when it exists).
pub async fn open(store: &Store, actor: &Actor, input: OpenInput) -> Result<Evaluation> {
    let now = Utc::now();
    let e = DutyEvaluation::open(
        actor,
        Uuid::now_v7(),
        input.congress_id,
        input.year,
        input.weights,
        input.full_mark,
        input.thresholds,
    )?;
    dom::check_year(input.year, now)?;
    dom::check_deadline("rectificationDeadline", input.rectification_deadline, now)?;
    crate::entity::congress::Entity::find_by_id(input.congress_id).one(&store.db).await?.ok_or("congress")?;
    let percent = |c| i32::try_from(e.weights.of(c)).unwrap_or(i32::MAX);
    let (excellent, qualified) = record::thresholds(&e.thresholds);
    let model = duty_evaluation::ActiveModel {
        id: Set(e.id),
        congress_id: Set(e.congress_id),
        year: Set(e.year),
        state: Set(e.state.as_str().to_owned()),
        weight_points: Set(percent(dom::Component::Points)),
        weight_voter_rating: Set(percent(dom::Component::VoterRating)),
        weight_group_assessment: Set(percent(dom::Component::GroupAssessment)),
        full_mark: Set(record::full_mark(&e.full_mark)),
        threshold_excellent: Set(excellent),
        threshold_qualified: Set(qualified),
        rectification_deadline: Set(input.rectification_deadline),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        reviewed_at: Set(None),
        published_at: Set(None),
        version: Set(1),
    };
    let saved = model
        .insert(&store.db)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "the congress already has an evaluation for that year"))?;
    Evaluation::from_row(&saved)
}

/// Staff set (or change) a deputy's group assessment while the evaluation is OPEN.
pub async fn set_group_assessment(
    store: &Store,
    actor: &Actor,
    evaluation_id: Uuid,
    deputy_id: Uuid,
    score: Score,
    note: Option<Note>,
) -> Result<GroupAssessment> {
    transaction::run(store, async |txn| {
        let row = transaction::lock::<duty_evaluation::Entity>(txn, evaluation_id).await?;
        aggregate(&row)?.assess(actor)?;
        let deputy = deputy::Entity::find_by_id(deputy_id).one(txn).await?.ok_or("deputy")?;
        if deputy.congress_id != row.congress_id {
            return Err(DomainError::invalid("deputyId", "is not a deputy of the evaluated congress").into());
        }
        let model = group_assessment::ActiveModel {
            id: Set(Uuid::now_v7()),
            evaluation_id: Set(evaluation_id),
            deputy_id: Set(deputy_id),
            score: Set(score.value()),
            note: Set(note.map(Note::into_string)),
            assessed_by: Set(actor.user_id),
            assessed_at: Set(Utc::now()),
        };
        group_assessment::Entity::insert(model)
            .on_conflict(
                OnConflict::columns([
                    group_assessment::Column::EvaluationId,
                    group_assessment::Column::DeputyId,
                ])
                .update_columns([
                    group_assessment::Column::Score,
                    group_assessment::Column::Note,
                    group_assessment::Column::AssessedBy,
                    group_assessment::Column::AssessedAt,
                ])
                .to_owned(),
            )
            .exec(txn)
            .await?;
        Ok(group_assessment::Entity::find()
            .filter(group_assessment::Column::EvaluationId.eq(evaluation_id))
            .filter(group_assessment::Column::DeputyId.eq(deputy_id))
            .one(txn)
            .await?
            .ok_or("group assessment")?
            .into())
    })
    .await
}

/// OPEN → REVIEWED: computes every deputy's result and stores the snapshot. Refused (CONFLICT naming
/// them) while deputies lack a group assessment that counts; see `DutyEvaluation::review_results`.
pub async fn review(store: &Store, actor: &Actor, id: Uuid) -> Result<Evaluation> {
    let row = transaction::run(store, async |txn| review_in(txn, actor, id).await).await?;
    Evaluation::from_row(&row)
}

async fn review_in(txn: &DatabaseTransaction, actor: &Actor, id: Uuid) -> Result<duty_evaluation::Model> {
    let row = transaction::lock::<duty_evaluation::Entity>(txn, id).await?;
    let mut e = aggregate(&row)?;
    // Refuse an outsider before reading anything.
    e.ensure_staff(actor)?;
    let deputies =
        deputy::Entity::find().filter(deputy::Column::CongressId.eq(row.congress_id)).all(txn).await?;
    let mut ledgers: HashMap<Uuid, crate::duty::DeputyLedger> =
        crate::duty::ledgers(txn, row.congress_id, row.year)
            .await?
            .into_iter()
            .map(|l| (l.deputy_id, l))
            .collect();
    let ratings = crate::activities::voter_ratings(txn, row.congress_id, row.year).await?;
    let assessed: HashMap<Uuid, f64> = group_assessment::Entity::find()
        .filter(group_assessment::Column::EvaluationId.eq(id))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| (a.deputy_id, a.score))
        .collect();
    let inputs = deputies
        .iter()
        .map(|d| {
            Ok(ReviewInput {
                deputy_id: d.id,
                name: d.name.clone(),
                points_total: ledgers.get(&d.id).map_or(0, |l| l.ledger.total),
                voter_ratings: ratings.get(&d.id).copied(),
                group_assessment: assessed.get(&d.id).map(|s| Score::new(*s)).transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(tree) = scheme::load(txn, id).await? {
        return review_by_scheme_in(txn, actor, &row, e, &tree, &deputies, &ledgers, &ratings, &assessed)
            .await;
    }
    let reviewed = e.review_results(actor, &inputs)?;
    let now = Utc::now();
    let by_id: HashMap<Uuid, &deputy::Model> = deputies.iter().map(|d| (d.id, d)).collect();
    let mut rows = Vec::with_capacity(reviewed.len());
    for r in &reviewed {
        let d =
            by_id.get(&r.deputy_id).ok_or_else(|| Error::Internal("reviewed an unknown deputy".into()))?;
        let ledger = ledgers
            .remove(&r.deputy_id)
            .map(|l| l.ledger)
            .unwrap_or(edaibiao_domain::duty::points::Ledger { year: row.year, lines: Vec::new(), total: 0 });
        let ratings = ratings.get(&r.deputy_id).copied().unwrap_or_default();
        rows.push(record::result_row(id, d, &ledger, &e.weights, r, ratings, now)?);
    }
    drop_results(txn, id).await?;
    for chunk in rows.chunks(500) {
        evaluation_result::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    save_state(txn, &row, &e, now, Some(duty_evaluation::Column::ReviewedAt)).await
}

/// Drops an evaluation's results and the snapshot of their items.
async fn drop_results(txn: &DatabaseTransaction, id: Uuid) -> Result<()> {
    scheme::drop_snapshot(txn, id).await?;
    evaluation_result::Entity::delete_many()
        .filter(evaluation_result::Column::EvaluationId.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The review of an evaluation with a scheme: every deputy scored by the tree, the result rows and the
/// snapshot of each category and item.
#[allow(clippy::too_many_arguments, reason = "what the weighted review read, passed on")]
async fn review_by_scheme_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    row: &duty_evaluation::Model,
    mut e: DutyEvaluation,
    tree: &edaibiao_domain::duty::scheme::Scheme,
    deputies: &[deputy::Model],
    ledgers: &HashMap<Uuid, crate::duty::DeputyLedger>,
    ratings: &HashMap<Uuid, dom::VoterRatings>,
    assessed: &HashMap<Uuid, f64>,
) -> Result<duty_evaluation::Model> {
    let facts = scheme::facts(txn, row).await?;
    let totals: HashMap<Uuid, i64> = ledgers.iter().map(|(id, l)| (*id, l.ledger.total)).collect();
    let inputs = deputies
        .iter()
        .map(|d| {
            let group = assessed.get(&d.id).map(|s| Score::new(*s)).transpose()?;
            let total = totals.get(&d.id).copied().unwrap_or(0);
            Ok(scheme::input(&facts, row, e.full_mark, d, total, ratings.get(&d.id).copied(), group))
        })
        .collect::<Result<Vec<_>>>()?;
    let reviewed = e.review_by_scheme(actor, tree, &inputs)?;
    let now = Utc::now();
    let by_id: HashMap<Uuid, &deputy::Model> = deputies.iter().map(|d| (d.id, d)).collect();
    let mut rows = Vec::with_capacity(reviewed.len());
    let mut items = Vec::new();
    for r in &reviewed {
        let d =
            by_id.get(&r.deputy_id).ok_or_else(|| Error::Internal("reviewed an unknown deputy".into()))?;
        let total = totals.get(&r.deputy_id).copied().unwrap_or(0);
        let result_id = Uuid::now_v7();
        rows.push(record::scheme_result_row(
            result_id,
            row.id,
            d,
            (total, e.full_mark.scale(total).value()),
            ratings.get(&r.deputy_id).copied().unwrap_or_default(),
            assessed.get(&r.deputy_id).copied().unwrap_or(0.0),
            r,
            now,
        )?);
        items.extend(scheme::result_items(row.id, result_id, tree, r)?);
    }
    drop_results(txn, row.id).await?;
    for chunk in rows.chunks(500) {
        evaluation_result::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    for chunk in items.chunks(500) {
        evaluation_result_item::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    save_state(txn, row, &e, now, Some(duty_evaluation::Column::ReviewedAt)).await
}

/// REVIEWED → OPEN: the snapshot is dropped; the next review computes it again.
pub async fn reopen(store: &Store, actor: &Actor, id: Uuid) -> Result<Evaluation> {
    let row = transaction::run(store, async |txn| {
        let row = transaction::lock::<duty_evaluation::Entity>(txn, id).await?;
        let mut e = aggregate(&row)?;
        e.reopen(actor)?;
        drop_results(txn, id).await?;
        save_state(txn, &row, &e, Utc::now(), None).await
    })
    .await?;
    Evaluation::from_row(&row)
}

/// REVIEWED → PUBLISHED (公开通报): in the same transaction every deputy gets the feedback notice
/// (履职测评结果反馈通知书) and each unqualified deputy a rectification requirement due by the deadline
/// (`deadline` replaces the one set at opening, which must still lie ahead).
pub async fn publish(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    deadline: Option<DateTime<Utc>>,
) -> Result<Evaluation> {
    let row = transaction::run(store, async |txn| publish_in(txn, actor, id, deadline).await).await?;
    Evaluation::from_row(&row)
}

async fn publish_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    deadline: Option<DateTime<Utc>>,
) -> Result<duty_evaluation::Model> {
    let row = transaction::lock::<duty_evaluation::Entity>(txn, id).await?;
    let mut e = aggregate(&row)?;
    e.publish(actor)?;
    let now = Utc::now();
    let deadline = match deadline {
        Some(d) => {
            dom::check_deadline("rectificationDeadline", d, now)?;
            d
        }
        None => {
            if row.rectification_deadline <= now {
                return Err(DomainError::invalid(
                    "rectificationDeadline",
                    "the deadline set at opening has passed; publish with a new one",
                )
                .into());
            }
            row.rectification_deadline
        }
    };
    if deadline != row.rectification_deadline {
        duty_evaluation::Entity::update_many()
            .col_expr(duty_evaluation::Column::RectificationDeadline, Expr::value(deadline))
            .filter(duty_evaluation::Column::Id.eq(id))
            .exec(txn)
            .await?;
    }
    let results = evaluation_result::Entity::find()
        .filter(evaluation_result::Column::EvaluationId.eq(id))
        .all(txn)
        .await?;
    let deputy_ids: Vec<Uuid> = results.iter().map(|r| r.deputy_id).collect();
    let mut accounts: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !deputy_ids.is_empty() {
        let rows: Vec<(Uuid, Option<Uuid>)> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::DeputyId)
            .filter(account::Column::DeputyId.is_in(deputy_ids.clone()))
            .into_tuple()
            .all(txn)
            .await?;
        for (account_id, deputy_id) in rows {
            if let Some(d) = deputy_id {
                accounts.entry(d).or_default().push(account_id);
            }
        }
    }
    let result_ids: Vec<Uuid> = results.iter().map(|r| r.id).collect();
    let categories = scheme::categories_of(txn, &result_ids).await?;
    let count = results.len();
    let mut texts = Vec::with_capacity(count);
    let mut rectifications = Vec::new();
    for r in &results {
        let grade = Grade::parse(&r.grade)?;
        let feedback = notice::feedback(&row, r, categories.get(&r.id).map_or(&[], Vec::as_slice), count)?;
        let required = if dom::rectification_required(grade) {
            dom::Rectification::require(grade, deadline, now)?;
            rectifications.push(rectification_report::ActiveModel {
                id: Set(Uuid::now_v7()),
                evaluation_id: Set(id),
                deputy_id: Set(r.deputy_id),
                deadline: Set(deadline),
                submitted_at: Set(None),
                content: Set(None),
                attachment_url: Set(None),
                created_at: Set(now),
            });
            Some(notice::rectification_required(&row, deadline))
        } else {
            None
        };
        texts.push((r, feedback, required));
    }
    let mut messages = Vec::new();
    for (r, feedback, required) in &texts {
        let recipients = accounts.get(&r.deputy_id).cloned().unwrap_or_default();
        messages.push((
            recipients.clone(),
            Message {
                kind: dom::PUBLISHED_KIND,
                title: "履职测评结果反馈通知书",
                body: Some(feedback.clone()),
                subject_kind: query::RESULT_SUBJECT,
                subject_id: Some(r.id),
            },
        ));
        if let Some(required) = required {
            messages.push((
                recipients,
                Message {
                    kind: dom::RECTIFICATION_REQUIRED_KIND,
                    title: "整改报告提交通知",
                    body: Some(required.clone()),
                    subject_kind: query::RESULT_SUBJECT,
                    subject_id: Some(r.id),
                },
            ));
        }
    }
    if !rectifications.is_empty() {
        rectification_report::Entity::insert_many(rectifications).exec(txn).await?;
    }
    notifications::write_all(txn, &messages, Some(actor.user_id)).await?;
    save_state(txn, &row, &e, now, Some(duty_evaluation::Column::PublishedAt)).await
}

/// The unqualified deputy hands in their rectification report (整改报告), once; late is accepted and shows
/// as late. Staff are told. A retry with the same idempotency key returns the report.
pub async fn submit_rectification(
    store: &Store,
    actor: &Actor,
    evaluation_id: Uuid,
    content: &str,
    attachment_url: Option<&str>,
    idem: Option<Idempotency<'_>>,
) -> Result<RectificationReport> {
    let (content, attachment_url) = dom::rectification_report(content, attachment_url)?;
    if let Some(idem) = &idem {
        idempotency::check(idem)?;
        if let Some(done) = idempotency::find(&store.db, actor.user_id, idem).await? {
            return Ok(rectification_report::Entity::find_by_id(done)
                .one(&store.db)
                .await?
                .ok_or("rectification report")?
                .into());
        }
    }
    let evaluation =
        duty_evaluation::Entity::find_by_id(evaluation_id).one(&store.db).await?.ok_or("duty evaluation")?;
    let e = aggregate(&evaluation)?;
    let deputy_id =
        actor.deputy_id.filter(|_| actor.congress_id == Some(e.congress_id)).ok_or_else(|| {
            DomainError::forbidden("only the deputy concerned hands in their rectification report")
        })?;
    let owed = rectification_report::Entity::find()
        .filter(rectification_report::Column::EvaluationId.eq(evaluation_id))
        .filter(rectification_report::Column::DeputyId.eq(deputy_id))
        .one(&store.db)
        .await?
        .ok_or_else(|| DomainError::conflict("only an unqualified deputy owes a rectification report"))?;
    dom::ensure_own(actor, owed.deputy_id)?;
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: owed.id });
    let submitted = transaction::run_once(store, key, async |txn| {
        let now = Utc::now();
        let mut rectification = dom::Rectification::stored(owed.deadline, owed.submitted_at);
        rectification.submit(now)?;
        let saved = rectification_report::Entity::update_many()
            .col_expr(rectification_report::Column::SubmittedAt, Expr::value(now))
            .col_expr(rectification_report::Column::Content, Expr::value(content))
            .col_expr(rectification_report::Column::AttachmentUrl, Expr::value(attachment_url))
            .filter(rectification_report::Column::Id.eq(owed.id))
            .filter(rectification_report::Column::SubmittedAt.is_null())
            .exec(txn)
            .await?;
        if saved.rows_affected != 1 {
            return Err(DomainError::conflict("the rectification report is already handed in").into());
        }
        let staff = notifications::accounts_of(txn, &[Audience::Staff(e.congress_id)]).await?;
        let late = if rectification.was_late() { "（逾期）" } else { "" };
        let name = deputy::Entity::find_by_id(deputy_id).one(txn).await?.map(|d| d.name).unwrap_or_default();
        let message = Message {
            kind: dom::RECTIFICATION_SUBMITTED_KIND,
            title: "代表已提交整改报告",
            body: Some(format!("{name}提交了{}年度履职测评整改报告{late}。", e.year)),
            subject_kind: query::RESULT_SUBJECT,
            subject_id: query::result_id_of(txn, evaluation_id, deputy_id).await?,
        };
        notifications::write(txn, &staff, &message, Some(actor.user_id)).await?;
        Ok(owed.id)
    })
    .await?;
    // Done now or by an earlier request with the same key: answer with the report as stored.
    let report = match submitted {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    Ok(rectification_report::Entity::find_by_id(report)
        .one(&store.db)
        .await?
        .ok_or("rectification report")?
        .into())
}

/// Staff record a reminder talk (谈话提醒) with a deputy who owes a rectification report.
pub async fn record_talk(
    store: &Store,
    actor: &Actor,
    evaluation_id: Uuid,
    deputy_id: Uuid,
    talked_at: DateTime<Utc>,
    note: Note,
) -> Result<ReminderTalk> {
    let now = Utc::now();
    if talked_at > now + chrono::Duration::minutes(5) {
        return Err(DomainError::invalid("talkedAt", "must not be in the future").into());
    }
    let evaluation =
        duty_evaluation::Entity::find_by_id(evaluation_id).one(&store.db).await?.ok_or("duty evaluation")?;
    aggregate(&evaluation)?.ensure_staff(actor)?;
    rectification_report::Entity::find()
        .filter(rectification_report::Column::EvaluationId.eq(evaluation_id))
        .filter(rectification_report::Column::DeputyId.eq(deputy_id))
        .one(&store.db)
        .await?
        .ok_or_else(|| {
            DomainError::conflict("reminder talks are for deputies who owe a rectification report")
        })?;
    if evaluation.published_at.is_some_and(|p| talked_at < p - chrono::Duration::minutes(5)) {
        return Err(DomainError::invalid("talkedAt", "must not be before the results were published").into());
    }
    let model = reminder_talk::ActiveModel {
        id: Set(Uuid::now_v7()),
        evaluation_id: Set(evaluation_id),
        deputy_id: Set(deputy_id),
        talked_at: Set(talked_at),
        note: Set(note.into_string()),
        recorded_by: Set(actor.user_id),
        created_at: Set(now),
    };
    Ok(model.insert(&store.db).await?.into())
}
