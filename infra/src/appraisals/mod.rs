//! Appraisal of units and officials (评议) in storage.
//!
//! Every step is one transaction on the one transaction path: it locks the appraisal row, lets the domain
//! decide (`domain::appraisal`: who, in which state), writes, saves the new state with a compare-and-set
//! on the version, and writes the notifications of the step in the same transaction. An item's answer,
//! acceptance and return also lock the appraisal first, so of concurrent decisions on one item exactly one
//! wins and the other sees the item already decided (CONFLICT), and voting cannot open past an item being
//! decided. Satisfaction ballots go to the shared ballot box (`ballots::cast`, kind
//! [`SATISFACTION_BOX`]): the register of who voted and the counts, nothing joining them; the counts are
//! read only when staff publish, and copied onto the appraisal then.

pub mod choice;
pub mod citizens;
mod query;
pub mod reminders;

pub use query::{
    Appraisal, CitizenResult, Filter, Finding, Item, Published, Subject, find_for, finding_for, findings_of,
    item_for, items_of, list,
};

use crate::Store;
use crate::ballots::{self, BallotBox, Voter};
use crate::entity::{
    appraisal, appraisal_finding, appraisal_group_member, appraisal_item, deputy, handling_unit,
};
use crate::error::Result;
use crate::idempotency::Idempotency;
use crate::notifications;
use crate::transaction::{self, Key, Once};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::appraisal::{
    self as dom, Action, FindingSource, ItemState, OpeningFacts, Schedule, kinds,
};
use edaibiao_domain::ballot::{Ballot, BallotForm, Mark, Question};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::text::{Body, Label, Note, PersonName, Statement};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// The ballot box of an appraisal's satisfaction vote (its id is the appraisal's).
pub const SATISFACTION_BOX: &str = "APPRAISAL_SATISFACTION";

/// What the subject of a new appraisal is.
#[derive(Debug, Clone)]
pub enum SubjectInput {
    UnitWork { topic: Label },
    Official { name: PersonName, post: Label },
}

/// What staff choose when they open an appraisal.
#[derive(Debug, Clone)]
pub struct OpenInput {
    pub congress_id: Uuid,
    pub year: i32,
    pub unit_id: Uuid,
    pub subject: SubjectInput,
    pub group: Vec<Uuid>,
    pub report_due: NaiveDate,
    pub rectification_due: NaiveDate,
    pub voting_from: NaiveDate,
    pub voting_until: NaiveDate,
    /// The candidate of a vote on whom to appraise this appraisal carries out (chosen, of the same unit).
    pub choice_candidate: Option<Uuid>,
}

impl SubjectInput {
    /// The subject as stored: its kind, then topic, official's name and post (those it has).
    fn columns(&self) -> (dom::SubjectKind, Option<String>, Option<String>, Option<String>) {
        match self {
            SubjectInput::UnitWork { topic } => {
                (dom::SubjectKind::UnitWork, Some(topic.as_str().to_owned()), None, None)
            }
            SubjectInput::Official { name, post } => (
                dom::SubjectKind::Official,
                None,
                Some(name.as_str().to_owned()),
                Some(post.as_str().to_owned()),
            ),
        }
    }
}

fn satisfaction_box(id: Uuid) -> BallotBox {
    BallotBox { kind: SATISFACTION_BOX, id }
}

fn to_i32(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// The title a notice gives the subject: "市交通运输局「优化营商环境」工作评议" or "副市长王某履职评议".
fn subject_title(m: &appraisal::Model, unit_name: &str) -> String {
    match (&m.topic, &m.official_name, &m.official_post) {
        (Some(topic), _, _) => format!("{unit_name}「{topic}」工作评议"),
        (None, Some(name), Some(post)) => format!("{post}{name}履职评议"),
        _ => format!("{unit_name}评议"),
    }
}

/// Locks the appraisal and reads what the rules need.
async fn locked(txn: &DatabaseTransaction, id: Uuid) -> Result<(appraisal::Model, dom::Appraisal)> {
    let row = transaction::lock::<appraisal::Entity>(txn, id).await?;
    let group = query::group_of(txn, &[id]).await?.remove(&id).unwrap_or_default();
    let a = query::aggregate(&row, group)?;
    Ok((row, a))
}

/// Saves `update` with the state after `action` over the version read.
async fn save(
    txn: &DatabaseTransaction,
    row: &appraisal::Model,
    a: &dom::Appraisal,
    action: Action,
    update: sea_orm::UpdateMany<appraisal::Entity>,
    now: DateTime<Utc>,
) -> Result<()> {
    let update = update
        .col_expr(appraisal::Column::State, Expr::value(a.after(action).as_str()))
        .col_expr(appraisal::Column::UpdatedAt, Expr::value(now));
    transaction::save(txn, row.id, row.version, row.version + 1, update).await
}

/// Tells `audience` about the appraisal, except the person who acted.
async fn tell(
    txn: &DatabaseTransaction,
    audience: &[Audience],
    row: &appraisal::Model,
    kind: &'static str,
    title: &'static str,
    detail: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let unit =
        handling_unit::Entity::find_by_id(row.unit_id).one(txn).await?.map(|u| u.name).unwrap_or_default();
    let body = if detail.is_empty() {
        format!("{}（{}年）", subject_title(row, &unit), row.year)
    } else {
        format!("{}（{}年）：{detail}", subject_title(row, &unit), row.year)
    };
    notifications::tell_about(txn, audience, kind, title, Some(body), ("Appraisal", row.id), except).await
}

fn group_audience(a: &dom::Appraisal) -> Vec<Audience> {
    a.group.iter().copied().map(Audience::Deputy).collect()
}

/// Staff open an appraisal; its group and the unit are told.
pub async fn open(store: &Store, actor: &Actor, input: OpenInput) -> Result<Appraisal> {
    let now = Utc::now();
    let today = dom::today(now);
    let schedule = Schedule::new(
        input.report_due,
        input.rectification_due,
        input.voting_from,
        input.voting_until,
        today,
    )?;
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress open an appraisal").into());
    }
    let id = transaction::run(store, async |txn| {
        let unit = handling_unit::Entity::find_by_id(input.unit_id)
            .one(txn)
            .await?
            .ok_or_else(|| DomainError::invalid("unitId", "is not a handling unit"))?;
        let mut group = Vec::with_capacity(input.group.len());
        if !input.group.is_empty() {
            let found =
                deputy::Entity::find().filter(deputy::Column::Id.is_in(input.group.clone())).all(txn).await?;
            for id in &input.group {
                let d = found
                    .iter()
                    .find(|d| d.id == *id)
                    .ok_or_else(|| DomainError::invalid("groupDeputyIds", "names an unknown deputy"))?;
                group.push((d.id, d.congress_id));
            }
        }
        let facts = OpeningFacts {
            congress_id: input.congress_id,
            unit: (unit.id, unit.congress_id),
            group,
            year: input.year,
            this_year: chrono::Datelike::year(&today),
        };
        let a = dom::Appraisal::open(actor, Uuid::now_v7(), &facts)?;
        if let Some(candidate) = input.choice_candidate {
            choice::check_carried(txn, candidate, input.congress_id, input.unit_id).await?;
        }
        let (kind, topic, name, post) = input.subject.columns();
        let row = appraisal::ActiveModel {
            id: Set(a.id),
            congress_id: Set(a.congress_id),
            year: Set(input.year),
            subject_kind: Set(kind.as_str().to_owned()),
            unit_id: Set(a.unit_id),
            topic: Set(topic),
            official_name: Set(name),
            official_post: Set(post),
            state: Set(a.state.as_str().to_owned()),
            report_due: Set(schedule.report_due),
            rectification_due: Set(schedule.rectification_due),
            voting_from: Set(schedule.voting_from),
            voting_until: Set(schedule.voting_until),
            written_report: Set(None),
            reported_at: Set(None),
            oral_report_on: Set(None),
            items_issued_at: Set(None),
            voting_opened_at: Set(None),
            electorate: Set(None),
            published_at: Set(None),
            turnout: Set(None),
            satisfied: Set(None),
            basically_satisfied: Set(None),
            dissatisfied: Set(None),
            score: Set(None),
            satisfactory: Set(false),
            further_required: Set(false),
            further_report: Set(None),
            further_submitted_at: Set(None),
            created_by: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            choice_candidate_id: Set(input.choice_candidate),
            citizen_token: Set(None),
            citizen_turnout: Set(None),
            citizen_satisfied: Set(None),
            citizen_basically_satisfied: Set(None),
            citizen_dissatisfied: Set(None),
            citizen_score: Set(None),
        }
        .insert(txn)
        .await
        .map_err(|e| {
            crate::Error::unique_as_conflict(e, "an appraisal was opened for this candidate already")
        })?;
        let members: Vec<appraisal_group_member::ActiveModel> = a
            .group
            .iter()
            .map(|d| appraisal_group_member::ActiveModel { appraisal_id: Set(a.id), deputy_id: Set(*d) })
            .collect();
        appraisal_group_member::Entity::insert_many(members).exec_without_returning(txn).await?;
        let mut audience = group_audience(&a);
        audience.push(Audience::Unit(a.unit_id));
        let detail = format!("述职报告请于{}前提交", schedule.report_due);
        tell(txn, &audience, &row, kinds::OPENED, "评议工作已启动", &detail, Some(actor.user_id)).await?;
        Ok(a.id)
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// A step that may be a mobile retry: `idem` makes a repeat answer with the first result.
fn key<'a>(actor: &Actor, idem: Option<&'a Idempotency<'a>>, result: Uuid) -> Option<Key<'a>> {
    idem.map(|idempotency| Key { owner: actor.user_id, idempotency, result })
}

/// The unit submits its written report (述职报告): OPEN → REPORTED; the group and staff are told.
pub async fn submit_report(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    report: Body,
    idem: Option<Idempotency<'_>>,
) -> Result<Appraisal> {
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::SubmitReport)?;
        let now = Utc::now();
        let update = appraisal::Entity::update_many()
            .col_expr(appraisal::Column::WrittenReport, Expr::value(report.as_str()))
            .col_expr(appraisal::Column::ReportedAt, Expr::value(now));
        save(txn, &row, &a, Action::SubmitReport, update, now).await?;
        let mut audience = group_audience(&a);
        audience.push(Audience::Staff(a.congress_id));
        tell(
            txn,
            &audience,
            &row,
            kinds::REPORT_SUBMITTED,
            "被评议单位已提交述职报告",
            "",
            Some(actor.user_id),
        )
        .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// Staff record the date the oral report was held (述职会议), while OPEN or REPORTED; the group is told.
pub async fn record_oral_report(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    held_on: NaiveDate,
) -> Result<Appraisal> {
    transaction::run(store, async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::RecordOralReport)?;
        let now = Utc::now();
        if held_on > dom::today(now) {
            return Err(DomainError::invalid("heldOn", "must not be in the future").into());
        }
        let update =
            appraisal::Entity::update_many().col_expr(appraisal::Column::OralReportOn, Expr::value(held_on));
        save(txn, &row, &a, Action::RecordOralReport, update, now).await?;
        let detail = format!("述职会议已于{held_on}召开");
        tell(
            txn,
            &group_audience(&a),
            &row,
            kinds::REPORT_SUBMITTED,
            "述职会议已召开",
            &detail,
            Some(actor.user_id),
        )
        .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// A group deputy records a problem found, with where it came from (a citizens' opinion by id).
pub async fn add_finding(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    text: Statement,
    source: FindingSource,
    opinion_id: Option<Uuid>,
    idem: Option<Idempotency<'_>>,
) -> Result<Finding> {
    match (source, opinion_id) {
        (FindingSource::CitizenOpinion, None) => {
            return Err(DomainError::invalid("opinionId", "name the citizens' opinion").into());
        }
        (FindingSource::Inspection, Some(_)) => {
            return Err(
                DomainError::invalid("opinionId", "only a CITIZEN_OPINION finding names an opinion").into()
            );
        }
        _ => {}
    }
    let finding_id = Uuid::now_v7();
    let done = transaction::run_once(store, key(actor, idem.as_ref(), finding_id), async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::AddFinding)?;
        if let Some(opinion) = opinion_id {
            let found = crate::entity::opinion::Entity::find_by_id(opinion).one(txn).await?;
            if found.is_none() {
                return Err(DomainError::invalid("opinionId", "is not a citizens' opinion").into());
            }
        }
        let deputy_id = actor.deputy_id.ok_or_else(|| DomainError::forbidden("not a deputy"))?;
        appraisal_finding::ActiveModel {
            id: Set(finding_id),
            appraisal_id: Set(row.id),
            deputy_id: Set(deputy_id),
            text: Set(text.as_str().to_owned()),
            source: Set(source.as_str().to_owned()),
            opinion_id: Set(opinion_id),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
        Ok(finding_id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    query::finding_of(appraisal_finding::Entity::find_by_id(id).one(&store.db).await?.ok_or("finding")?)
}

/// Staff issue the list of problems (问题清单), numbered 1, 2, 3 … in the order given: REPORTED →
/// RECTIFYING; the unit is told.
pub async fn issue_items(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    problems: Vec<Statement>,
) -> Result<Appraisal> {
    dom::check_items(problems.len())?;
    transaction::run(store, async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::IssueItems)?;
        let now = Utc::now();
        let items: Vec<appraisal_item::ActiveModel> = problems
            .iter()
            .enumerate()
            .map(|(i, p)| appraisal_item::ActiveModel {
                id: Set(Uuid::now_v7()),
                appraisal_id: Set(id),
                number: Set(to_i32(i + 1)),
                problem: Set(p.as_str().to_owned()),
                state: Set(ItemState::Open.as_str().to_owned()),
                answer: Set(None),
                done_by: Set(None),
                answered_at: Set(None),
                return_reason: Set(None),
                returns: Set(0),
                accepted_at: Set(None),
                decided_by: Set(None),
                reminded_at: Set(None),
                version: Set(1),
            })
            .collect();
        appraisal_item::Entity::insert_many(items).exec_without_returning(txn).await?;
        let update =
            appraisal::Entity::update_many().col_expr(appraisal::Column::ItemsIssuedAt, Expr::value(now));
        save(txn, &row, &a, Action::IssueItems, update, now).await?;
        let detail = format!("共{}个问题，请于{}前逐条整改", problems.len(), row.rectification_due);
        tell(
            txn,
            &[Audience::Unit(a.unit_id)],
            &row,
            kinds::ITEMS_ISSUED,
            "评议问题清单",
            &detail,
            Some(actor.user_id),
        )
        .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// What is done to an item.
#[derive(Debug, Clone)]
pub enum ItemStep {
    /// The unit's answer: what it did, and by when it will be done.
    Answer {
        text: Statement,
        done_by: NaiveDate,
    },
    Accept,
    Return {
        reason: Note,
    },
}

impl ItemStep {
    fn action(&self) -> Action {
        match self {
            ItemStep::Answer { .. } => Action::AnswerItem,
            ItemStep::Accept => Action::AcceptItem,
            ItemStep::Return { .. } => Action::ReturnItem,
        }
    }
}

/// One step on one item, under the appraisal's lock and the item's version. Answers tell the group and
/// staff; returns tell the unit.
pub async fn step_item(
    store: &Store,
    actor: &Actor,
    item_id: Uuid,
    step: ItemStep,
    idem: Option<Idempotency<'_>>,
) -> Result<Item> {
    let action = step.action();
    let appraisal_id = appraisal_item::Entity::find_by_id(item_id)
        .one(&store.db)
        .await?
        .ok_or("appraisal item")?
        .appraisal_id;
    transaction::run_once(store, key(actor, idem.as_ref(), item_id), async |txn| {
        let (row, a) = locked(txn, appraisal_id).await?;
        a.check(Some(actor), action)?;
        let item = transaction::lock::<appraisal_item::Entity>(txn, item_id).await?;
        let state = crate::error::stored("appraisal item state", item.id, ItemState::parse(&item.state))?;
        let next = dom::item_step(state, action)?;
        let now = Utc::now();
        let mut update = appraisal_item::Entity::update_many()
            .col_expr(appraisal_item::Column::State, Expr::value(next.as_str()));
        match &step {
            ItemStep::Answer { text, done_by } => {
                dom::check_done_by(*done_by, dom::today(now))?;
                update = update
                    .col_expr(appraisal_item::Column::Answer, Expr::value(text.as_str()))
                    .col_expr(appraisal_item::Column::DoneBy, Expr::value(*done_by))
                    .col_expr(appraisal_item::Column::AnsweredAt, Expr::value(now));
            }
            ItemStep::Accept => {
                update = update
                    .col_expr(appraisal_item::Column::AcceptedAt, Expr::value(now))
                    .col_expr(appraisal_item::Column::DecidedBy, Expr::value(actor.user_id));
            }
            ItemStep::Return { reason } => {
                update = update
                    .col_expr(appraisal_item::Column::ReturnReason, Expr::value(reason.as_str()))
                    .col_expr(appraisal_item::Column::Returns, Expr::value(item.returns + 1))
                    .col_expr(appraisal_item::Column::DecidedBy, Expr::value(actor.user_id));
            }
        }
        transaction::save(txn, item.id, item.version, item.version + 1, update).await?;
        match &step {
            ItemStep::Answer { .. } => {
                let mut audience = group_audience(&a);
                audience.push(Audience::Staff(a.congress_id));
                let detail = format!("第{}项问题已答复整改情况", item.number);
                tell(
                    txn,
                    &audience,
                    &row,
                    kinds::ITEM_ANSWERED,
                    "评议问题整改答复",
                    &detail,
                    Some(actor.user_id),
                )
                .await?;
            }
            ItemStep::Return { reason } => {
                let detail = format!("第{}项问题的整改答复被退回：{}", item.number, reason.as_str());
                tell(
                    txn,
                    &[Audience::Unit(a.unit_id)],
                    &row,
                    kinds::ITEM_RETURNED,
                    "整改答复被退回",
                    &detail,
                    Some(actor.user_id),
                )
                .await?;
            }
            ItemStep::Accept => {}
        }
        Ok(())
    })
    .await?;
    let row = appraisal_item::Entity::find_by_id(item_id).one(&store.db).await?.ok_or("appraisal item")?;
    query::item_of(row)
}

/// Staff open the satisfaction vote once every item is accepted (CONFLICT saying how many are not):
/// RECTIFYING → VOTING. The electorate (the congress's deputies now) is fixed; every deputy is told.
pub async fn open_voting(store: &Store, actor: &Actor, id: Uuid) -> Result<Appraisal> {
    transaction::run(store, async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::OpenVoting)?;
        let open = appraisal_item::Entity::find()
            .filter(appraisal_item::Column::AppraisalId.eq(id))
            .filter(appraisal_item::Column::State.ne(ItemState::Accepted.as_str()))
            .count(txn)
            .await?;
        dom::check_all_accepted(usize::try_from(open).unwrap_or(usize::MAX))?;
        let electorate = ballots::electorate(txn, a.congress_id).await?;
        let now = Utc::now();
        let update = appraisal::Entity::update_many()
            .col_expr(appraisal::Column::VotingOpenedAt, Expr::value(now))
            .col_expr(appraisal::Column::Electorate, Expr::value(to_i32(electorate)));
        save(txn, &row, &a, Action::OpenVoting, update, now).await?;
        let audience = [Audience::Deputies(a.congress_id)];
        let detail = format!("请于{}前完成满意度测评", row.voting_until);
        tell(txn, &audience, &row, kinds::VOTING_OPENED, "满意度测评已开始", &detail, Some(actor.user_id))
            .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// A deputy of the congress casts their secret satisfaction ballot: one per deputy (CONFLICT for a second),
/// a retry with the same idempotency key counts once.
pub async fn cast(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    mark: Mark,
    idem: Option<Idempotency<'_>>,
) -> Result<Appraisal> {
    let question = Question::new(BallotForm::Satisfaction, vec![id], 0)?;
    let ballot = Ballot::parse(&question, vec![(id, mark)]).map_err(|_| {
        DomainError::invalid(
            "mark",
            "a satisfaction ballot is SATISFIED, BASICALLY_SATISFIED or DISSATISFIED",
        )
    })?;
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::Vote)?;
        dom::check_ballot_window(row.voting_until, dom::today(Utc::now()))?;
        let deputy = actor.deputy_id.ok_or_else(|| DomainError::forbidden("only deputies vote"))?;
        let since = deputy::Entity::find_by_id(deputy).one(txn).await?.ok_or("deputy")?.created_at;
        dom::check_elector(since, row.voting_opened_at.unwrap_or(row.updated_at))?;
        ballots::cast(txn, satisfaction_box(id), &Voter::Deputy(deputy), &ballot, Utc::now()).await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// Whether the viewing deputy has voted on the appraisal.
pub async fn has_voted(store: &Store, actor: &Actor, id: Uuid) -> Result<bool> {
    match actor.deputy_id {
        Some(d) => ballots::has_voted(&store.db, satisfaction_box(id), &Voter::Deputy(d)).await,
        None => Ok(false),
    }
}

/// How many deputies have voted so far (the counts stay hidden until published).
pub async fn turnout(store: &Store, id: Uuid) -> Result<u32> {
    ballots::turnout(&store.db, satisfaction_box(id)).await
}

/// Staff close the vote and publish (VOTING → PUBLISHED): the counts are read from the box once and kept on
/// the appraisal; satisfactory with a quorum and ≥ 60 %, else the unit owes a further rectification
/// report. The unit, the group and staff are told.
pub async fn publish(store: &Store, actor: &Actor, id: Uuid) -> Result<Appraisal> {
    transaction::run(store, async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::Publish)?;
        let turnout = ballots::turnout(txn, satisfaction_box(id)).await?;
        let tally = ballots::tallies(txn, satisfaction_box(id))
            .await?
            .into_iter()
            .find(|(c, _)| *c == id)
            .map(|(_, t)| t)
            .unwrap_or_default();
        let electorate = u32::try_from(row.electorate.unwrap_or_default()).unwrap_or_default();
        let r = dom::result(tally, turnout, electorate);
        let (citizen_turnout, citizen_tally) = citizens::counts(txn, id).await?;
        let now = Utc::now();
        let update =
            citizens::citizen_columns(appraisal::Entity::update_many(), citizen_turnout, &citizen_tally)
                .col_expr(appraisal::Column::PublishedAt, Expr::value(now))
                .col_expr(appraisal::Column::Turnout, Expr::value(to_i32(r.turnout)))
                .col_expr(appraisal::Column::Satisfied, Expr::value(to_i32(r.tally.satisfied)))
                .col_expr(
                    appraisal::Column::BasicallySatisfied,
                    Expr::value(to_i32(r.tally.basically_satisfied)),
                )
                .col_expr(appraisal::Column::Dissatisfied, Expr::value(to_i32(r.tally.dissatisfied)))
                .col_expr(appraisal::Column::Score, Expr::value(r.score))
                .col_expr(appraisal::Column::Satisfactory, Expr::value(r.satisfactory))
                .col_expr(appraisal::Column::FurtherRequired, Expr::value(!r.satisfactory));
        save(txn, &row, &a, Action::Publish, update, now).await?;
        let mut audience = group_audience(&a);
        audience.push(Audience::Unit(a.unit_id));
        audience.push(Audience::Staff(a.congress_id));
        let score = r.score.map_or_else(|| "无有效票".to_owned(), |s| format!("满意率{s:.2}%"));
        let verdict = if r.satisfactory { "满意" } else { "不满意，请提交整改报告" };
        let detail = format!("{score}，测评结果：{verdict}");
        tell(txn, &audience, &row, kinds::RESULT_PUBLISHED, "评议结果已公布", &detail, Some(actor.user_id))
            .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}

/// The unit submits its further rectification report (整改报告) after an unsatisfactory result, once; staff
/// are told.
pub async fn submit_further_report(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    report: Body,
    idem: Option<Idempotency<'_>>,
) -> Result<Appraisal> {
    transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (row, a) = locked(txn, id).await?;
        a.check(Some(actor), Action::SubmitFurtherReport)?;
        let now = Utc::now();
        let update = appraisal::Entity::update_many()
            .col_expr(appraisal::Column::FurtherReport, Expr::value(report.as_str()))
            .col_expr(appraisal::Column::FurtherSubmittedAt, Expr::value(now));
        save(txn, &row, &a, Action::SubmitFurtherReport, update, now).await?;
        let kind = kinds::FURTHER_REPORT_SUBMITTED;
        tell(
            txn,
            &[Audience::Staff(a.congress_id)],
            &row,
            kind,
            "被评议单位已提交整改报告",
            "",
            Some(actor.user_id),
        )
        .await
    })
    .await?;
    find_for(store, Some(actor), id).await
}
