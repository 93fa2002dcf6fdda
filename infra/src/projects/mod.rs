//! Livelihood projects (民生实事项目) in storage: rounds voted by the deputies and the projects followed to
//! the end (see the domain's `project` module for the rules).
//!
//! Every change is one transaction on the one path (`transaction::run` / `run_once`): it locks the round
//! (or the project, or the inspection), asks the domain's table, writes, saves the round with a
//! compare-and-set on its version where its state changes, and writes the notifications in the same
//! transaction. A ballot locks the round row too, so closing the vote and casting a ballot never
//! interleave: a ballot either is counted before the close or finds the round CLOSED.

pub mod follow;
mod query;
pub mod reminders;

pub use query::{
    Candidate, CandidateResult, Inspection, Milestone, PlannedMilestone, ProgressReport, Project, Question,
    Round, Source, ballots_cast, candidate_for, candidates, has_rated, has_voted, inspection_for,
    inspections, milestone_for, milestones, overall_rating, progress_report_for, progress_reports,
    project_for, projects_for, question_for, questions, round_for, rounds_for,
};

use crate::ballots::{self, BallotBox, Voter};
use crate::entity::{
    deputy, handling_unit, livelihood_project, opinion, project_candidate, project_group_member,
    project_inspection, project_milestone, project_progress_report, project_question, project_round,
    suggestion,
};
use crate::error::Result;
use crate::idempotency::Idempotency;
use crate::notifications::tell_about as tell;
use crate::transaction::{self, Key, Once};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::ballot::{self as ballot, Ballot, BallotForm, Mark, Question as BallotQuestion};
use edaibiao_domain::notification::Audience;
use edaibiao_domain::project::{
    self as dom, Budget, MilestoneState, Percent, ProjectAction, ProjectKind, RATING_BOX, ROUND_BOX,
    RatingState, RoundAction, RoundState, SourceKind, Standing, kinds,
};
use edaibiao_domain::text::{Body, Note, Title};
use query::{candidate_of, project_standing, round_of, round_standing, round_state};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// Subject kinds of notifications (the GraphQL types they are about).
pub const ROUND_SUBJECT: &str = "ProjectRound";
pub const PROJECT_SUBJECT: &str = "LivelihoodProject";
pub const QUESTION_SUBJECT: &str = "ProjectQuestion";
pub const INSPECTION_SUBJECT: &str = "ProjectInspection";

/// What staff choose when they open a round.
#[derive(Debug, Clone)]
pub struct OpenRound {
    pub congress_id: Uuid,
    pub year: i32,
    pub title: Title,
    pub form: BallotForm,
    /// CHOOSE_UP_TO: how many candidates are chosen (checked against the candidates when voting opens).
    pub seats: u32,
}

/// A candidate (or a major project) as staff describe it.
#[derive(Debug, Clone)]
pub struct ProjectDraft {
    pub title: Title,
    pub description: Body,
    pub unit_id: Uuid,
    pub budget: Budget,
    pub expected_outcome: Note,
    pub milestones: Vec<(Title, DateTime<Utc>)>,
    pub sources: Vec<Source>,
}

/// A progress report as the unit writes it.
#[derive(Debug, Clone)]
pub struct ReportDraft {
    pub content: Note,
    pub percent: Percent,
    pub milestone_id: Option<Uuid>,
    /// Marks the milestone done.
    pub milestone_done: bool,
}

fn key<'a>(actor: &Actor, idempotency: Option<&'a Idempotency<'a>>, result: Uuid) -> Option<Key<'a>> {
    idempotency.map(|idempotency| Key { owner: actor.user_id, idempotency, result })
}

/// Tells every deputy of the round's congress of a step of round `round_id` (its title as the body).
async fn tell_deputies(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    (kind, title): (&str, &str),
    round_id: Uuid,
    round_title: String,
) -> Result<()> {
    let audience = [Audience::Deputies(congress_id)];
    tell(db, &audience, kind, title, Some(round_title), (ROUND_SUBJECT, round_id), Some(actor.user_id)).await
}

/// Checks a draft's references: the unit belongs to the congress, the sources exist in it.
async fn check_draft(db: &impl ConnectionTrait, congress_id: Uuid, draft: &ProjectDraft) -> Result<()> {
    dom::check_milestones(draft.milestones.len())?;
    let unit = handling_unit::Entity::find_by_id(draft.unit_id).one(db).await?;
    if unit.is_none_or(|u| u.congress_id != congress_id) {
        return Err(DomainError::invalid("unitId", "is not a handling unit of the round's congress").into());
    }
    for source in &draft.sources {
        let congress = match source.kind {
            SourceKind::Suggestion => {
                suggestion::Entity::find_by_id(source.id).one(db).await?.map(|s| s.congress_id)
            }
            SourceKind::Opinion => {
                opinion::Entity::find_by_id(source.id).one(db).await?.map(|o| o.congress_id)
            }
        };
        if congress != Some(congress_id) {
            return Err(
                DomainError::invalid("sourceIds", "names no suggestion or opinion of the congress").into()
            );
        }
    }
    Ok(())
}

fn milestones_json(draft: &ProjectDraft) -> Result<String> {
    let planned: Vec<PlannedMilestone> = draft
        .milestones
        .iter()
        .map(|(title, due_at)| PlannedMilestone { title: title.as_str().to_owned(), due_at: *due_at })
        .collect();
    serde_json::to_string(&planned).map_err(|e| Error::Internal(e.to_string()))
}

/// Saves a round's new state over the version read.
async fn save_round(
    txn: &DatabaseTransaction,
    read: &project_round::Model,
    state: RoundState,
    rating: RatingState,
    extra: impl FnOnce(sea_orm::UpdateMany<project_round::Entity>) -> sea_orm::UpdateMany<project_round::Entity>,
) -> Result<project_round::Model> {
    let update = project_round::Entity::update_many()
        .col_expr(project_round::Column::State, Expr::value(state.as_str()))
        .col_expr(project_round::Column::RatingState, Expr::value(rating.as_str()))
        .col_expr(project_round::Column::UpdatedAt, Expr::value(Utc::now()));
    transaction::save(txn, read.id, read.version, read.version + 1, extra(update)).await?;
    Ok(project_round::Entity::find_by_id(read.id).one(txn).await?.ok_or("project round")?)
}

/// Why a round the actor may not see refuses them: a deputy of another congress trying what deputies do
/// (ask, vote, rate) is FORBIDDEN, as the table has it; anyone else learns nothing (NOT_FOUND).
fn hidden(actor: &Actor, action: RoundAction) -> Error {
    let deputies_act = matches!(action, RoundAction::Ask | RoundAction::Cast | RoundAction::Rate);
    if actor.role == edaibiao_domain::account::Role::Deputy && deputies_act {
        return DomainError::forbidden("only deputies of the congress may").into();
    }
    "project round".into()
}

/// Locks a round and checks `action` against the table for `actor`.
async fn lock_round(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    action: RoundAction,
) -> Result<(project_round::Model, Standing)> {
    let row = transaction::lock::<project_round::Entity>(txn, id).await?;
    let who = round_standing(txn, Some(actor), &row).await?;
    let (state, rating) = round_state(&row)?;
    if !dom::RoundView::of(who, state, rating).round {
        return Err(hidden(actor, action));
    }
    dom::decide_round(action, state, rating, who)?;
    Ok((row, who))
}

/// Staff open a round for a year; the congress's deputies are told.
pub async fn open_round(
    store: &Store,
    actor: &Actor,
    input: OpenRound,
    idempotency_key: Option<&str>,
) -> Result<Round> {
    if !actor.is_staff_of(input.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress open a round").into());
    }
    dom::check_year(input.year, Utc::now())?;
    if input.form == BallotForm::Satisfaction {
        return Err(DomainError::invalid("form", "a round is CHOOSE_UP_TO or FOR_AGAINST_ABSTAIN").into());
    }
    if input.form == BallotForm::ChooseUpTo && input.seats == 0 {
        return Err(DomainError::invalid("seats", "choose at least one").into());
    }
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "openProjectRound" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let now = Utc::now();
        let row = project_round::ActiveModel {
            id: Set(id),
            congress_id: Set(input.congress_id),
            year: Set(input.year),
            title: Set(input.title.as_str().to_owned()),
            form: Set(input.form.as_str().to_owned()),
            seats: Set(i32::try_from(input.seats).unwrap_or(i32::MAX)),
            state: Set(RoundState::Open.as_str().to_owned()),
            electorate: Set(None),
            rating_state: Set(RatingState::NotOpened.as_str().to_owned()),
            rating_electorate: Set(None),
            created_by: Set(actor.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        };
        project_round::Entity::insert(row).exec_without_returning(txn).await?;
        tell_deputies(
            txn,
            actor,
            input.congress_id,
            (kinds::ROUND_OPENED, "民生实事项目征集开始"),
            id,
            input.title.as_str().to_owned(),
        )
        .await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    round_for(store, Some(actor), id).await
}

/// Staff add a candidate while the round is OPEN.
pub async fn add_candidate(
    store: &Store,
    actor: &Actor,
    round_id: Uuid,
    draft: ProjectDraft,
    idempotency_key: Option<&str>,
) -> Result<Candidate> {
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "addProjectCandidate" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (round, _) = lock_round(txn, actor, round_id, RoundAction::AddCandidate).await?;
        let count = project_candidate::Entity::find()
            .filter(project_candidate::Column::RoundId.eq(round_id))
            .count(txn)
            .await?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= ballot::MAX_CANDIDATES {
            return Err(DomainError::conflict(format!(
                "a round holds at most {} candidates",
                ballot::MAX_CANDIDATES
            ))
            .into());
        }
        check_draft(txn, round.congress_id, &draft).await?;
        let now = Utc::now();
        let row = project_candidate::ActiveModel {
            id: Set(id),
            round_id: Set(round_id),
            title: Set(draft.title.as_str().to_owned()),
            description: Set(draft.description.as_str().to_owned()),
            unit_id: Set(draft.unit_id),
            budget_fen: Set(draft.budget.fen()),
            expected_outcome: Set(draft.expected_outcome.as_str().to_owned()),
            milestones: Set(milestones_json(&draft)?),
            sources: Set(serde_json::to_string(&draft.sources).map_err(|e| Error::Internal(e.to_string()))?),
            rank: Set(None),
            verdict: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        };
        project_candidate::Entity::insert(row).exec_without_returning(txn).await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    candidate_for(store, Some(actor), id).await
}

/// Staff edit a candidate while the round is OPEN.
pub async fn update_candidate(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    draft: ProjectDraft,
) -> Result<Candidate> {
    transaction::run(store, async |txn| {
        let row = project_candidate::Entity::find_by_id(id).one(txn).await?.ok_or("project candidate")?;
        let (round, _) = lock_round(txn, actor, row.round_id, RoundAction::EditCandidate).await?;
        check_draft(txn, round.congress_id, &draft).await?;
        project_candidate::Entity::update_many()
            .col_expr(project_candidate::Column::Title, Expr::value(draft.title.as_str()))
            .col_expr(project_candidate::Column::Description, Expr::value(draft.description.as_str()))
            .col_expr(project_candidate::Column::UnitId, Expr::value(draft.unit_id))
            .col_expr(project_candidate::Column::BudgetFen, Expr::value(draft.budget.fen()))
            .col_expr(
                project_candidate::Column::ExpectedOutcome,
                Expr::value(draft.expected_outcome.as_str()),
            )
            .col_expr(project_candidate::Column::Milestones, Expr::value(milestones_json(&draft)?))
            .col_expr(
                project_candidate::Column::Sources,
                Expr::value(
                    serde_json::to_string(&draft.sources).map_err(|e| Error::Internal(e.to_string()))?,
                ),
            )
            .col_expr(project_candidate::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(project_candidate::Column::Id.eq(id))
            .exec(txn)
            .await?;
        Ok(())
    })
    .await?;
    candidate_for(store, Some(actor), id).await
}

/// A deputy of the congress asks a question on a candidate while the round is OPEN or VOTING; the
/// candidate's unit is told.
pub async fn ask(
    store: &Store,
    actor: &Actor,
    candidate_id: Uuid,
    text: Note,
    idempotency_key: Option<&str>,
) -> Result<Question> {
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "askProjectQuestion" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let candidate =
            project_candidate::Entity::find_by_id(candidate_id).one(txn).await?.ok_or("project candidate")?;
        let (_, who) = lock_round(txn, actor, candidate.round_id, RoundAction::Ask).await?;
        let (Standing::Deputy(deputy_id) | Standing::GroupMember(deputy_id)) = who else {
            return Err(DomainError::forbidden("only deputies of the congress ask").into());
        };
        let row = project_question::ActiveModel {
            id: Set(id),
            round_id: Set(candidate.round_id),
            candidate_id: Set(candidate_id),
            deputy_id: Set(deputy_id),
            asked_by: Set(actor.user_id),
            question: Set(text.as_str().to_owned()),
            answer: Set(None),
            answered_by: Set(None),
            asked_at: Set(Utc::now()),
            answered_at: Set(None),
        };
        project_question::Entity::insert(row).exec_without_returning(txn).await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    question_for(store, Some(actor), id).await
}

/// The candidate's responsible unit answers a question once (CONFLICT after); the asking deputy is told.
pub async fn answer(store: &Store, actor: &Actor, question_id: Uuid, text: Note) -> Result<Question> {
    transaction::run(store, async |txn| {
        let question =
            project_question::Entity::find_by_id(question_id).one(txn).await?.ok_or("project question")?;
        let candidate = project_candidate::Entity::find_by_id(question.candidate_id)
            .one(txn)
            .await?
            .ok_or("project candidate")?;
        let row = transaction::lock::<project_round::Entity>(txn, question.round_id).await?;
        let who = Standing::of(Some(actor), row.congress_id, &[candidate.unit_id], &[]);
        let (state, rating) = round_state(&row)?;
        if !dom::RoundView::of(round_standing(txn, Some(actor), &row).await?, state, rating).questions {
            return Err("project question".into());
        }
        dom::decide_round(RoundAction::Answer, state, rating, who)?;
        let now = Utc::now();
        let answered = project_question::Entity::update_many()
            .col_expr(project_question::Column::Answer, Expr::value(text.as_str()))
            .col_expr(project_question::Column::AnsweredBy, Expr::value(actor.user_id))
            .col_expr(project_question::Column::AnsweredAt, Expr::value(now))
            .filter(project_question::Column::Id.eq(question_id))
            .filter(project_question::Column::AnsweredAt.is_null())
            .exec(txn)
            .await?;
        if answered.rows_affected != 1 {
            return Err(DomainError::conflict("the question was answered already").into());
        }
        tell(
            txn,
            &[Audience::Deputy(question.deputy_id)],
            kinds::QUESTION_ANSWERED,
            "您对候选项目的询问已答复",
            Some(candidate.title.clone()),
            (QUESTION_SUBJECT, question_id),
            Some(actor.user_id),
        )
        .await?;
        Ok(())
    })
    .await?;
    question_for(store, Some(actor), question_id).await
}

/// The ballot question of a round, from its candidates.
async fn ballot_question(txn: &impl ConnectionTrait, round: &project_round::Model) -> Result<BallotQuestion> {
    let candidates: Vec<Uuid> = project_candidate::Entity::find()
        .select_only()
        .column(project_candidate::Column::Id)
        .filter(project_candidate::Column::RoundId.eq(round.id))
        .order_by_asc(project_candidate::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let form = crate::error::stored("ballot form", round.id, BallotForm::parse(&round.form))?;
    Ok(BallotQuestion::new(form, candidates, u32::try_from(round.seats).unwrap_or_default())?)
}

/// Staff open the vote: the candidates must make a valid ballot (CHOOSE_UP_TO: more than the seats).
pub async fn open_voting(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::OpenVoting).await?;
        ballot_question(txn, &row).await?;
        let saved = save_round(txn, &row, RoundState::Voting, RatingState::NotOpened, |u| u).await?;
        tell_deputies(
            txn,
            actor,
            row.congress_id,
            (kinds::VOTING_OPENED, "民生实事项目票决开始"),
            round_id,
            row.title.clone(),
        )
        .await?;
        Ok(saved)
    })
    .await?;
    round_of(row, Standing::Staff)
}

/// A deputy of the congress casts their one secret ballot while the round is VOTING. One transaction:
/// the round's row lock (so the close waits for it, or it finds the round closed), the table, the ballot
/// checked against the candidates, and the register and counts. A retry with the same key answers as the
/// first did; a second ballot is CONFLICT.
pub async fn cast(
    store: &Store,
    actor: &Actor,
    round_id: Uuid,
    marks: Vec<(Uuid, Mark)>,
    idempotency_key: Option<&str>,
) -> Result<Round> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "castProjectBallot" });
    transaction::run_once(store, key(actor, idem.as_ref(), round_id), async |txn| {
        let (row, who) = lock_round(txn, actor, round_id, RoundAction::Cast).await?;
        let (Standing::Deputy(deputy_id) | Standing::GroupMember(deputy_id)) = who else {
            return Err(DomainError::forbidden("only deputies of the congress vote").into());
        };
        let question = ballot_question(txn, &row).await?;
        let ballot = Ballot::parse(&question, marks)?;
        ballots::cast(
            txn,
            BallotBox { kind: ROUND_BOX, id: round_id },
            &Voter::Deputy(deputy_id),
            &ballot,
            Utc::now(),
        )
        .await?;
        Ok(())
    })
    .await?;
    round_for(store, Some(actor), round_id).await
}

/// Staff close the vote: the electorate is counted now, the results computed and stored per candidate.
pub async fn close_voting(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::CloseVoting).await?;
        let question = ballot_question(txn, &row).await?;
        let ballot_box = BallotBox { kind: ROUND_BOX, id: round_id };
        let turnout = ballots::turnout(txn, ballot_box).await?;
        let tallies = ballots::tallies(txn, ballot_box).await?;
        let electorate = ballots::electorate(txn, row.congress_id).await?;
        for outcome in ballot::results(&question, &tallies, turnout, electorate) {
            project_candidate::Entity::update_many()
                .col_expr(
                    project_candidate::Column::Rank,
                    Expr::value(i32::try_from(outcome.rank).unwrap_or(i32::MAX)),
                )
                .col_expr(project_candidate::Column::Verdict, Expr::value(outcome.verdict.as_str()))
                .filter(project_candidate::Column::Id.eq(outcome.candidate))
                .exec(txn)
                .await?;
        }
        let electorate = i32::try_from(electorate).unwrap_or(i32::MAX);
        let saved = save_round(txn, &row, RoundState::Closed, RatingState::NotOpened, |u| {
            u.col_expr(project_round::Column::Electorate, Expr::value(electorate))
        })
        .await?;
        tell_deputies(
            txn,
            actor,
            row.congress_id,
            (kinds::VOTING_CLOSED, "民生实事项目票决结束"),
            round_id,
            row.title.clone(),
        )
        .await?;
        Ok(saved)
    })
    .await?;
    round_of(row, Standing::Staff)
}

/// A project to insert, with where it came from.
struct NewProject<'a> {
    id: Uuid,
    congress_id: Uuid,
    kind: ProjectKind,
    year: i32,
    /// The round and candidate of a VOTED project.
    from: Option<(Uuid, Uuid)>,
    title: &'a str,
    description: &'a str,
    unit_id: Uuid,
    budget_fen: i64,
    expected_outcome: &'a str,
    milestones: &'a [PlannedMilestone],
}

async fn insert_project(txn: &DatabaseTransaction, actor: &Actor, p: NewProject<'_>) -> Result<()> {
    let NewProject {
        id,
        congress_id,
        kind,
        year,
        from,
        title,
        description,
        unit_id,
        budget_fen,
        expected_outcome,
        milestones,
    } = p;
    let row = livelihood_project::ActiveModel {
        id: Set(id),
        congress_id: Set(congress_id),
        kind: Set(kind.as_str().to_owned()),
        year: Set(year),
        round_id: Set(from.map(|f| f.0)),
        candidate_id: Set(from.map(|f| f.1)),
        title: Set(title.to_owned()),
        description: Set(description.to_owned()),
        unit_id: Set(unit_id),
        budget_fen: Set(budget_fen),
        expected_outcome: Set(expected_outcome.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        version: Set(1),
    };
    livelihood_project::Entity::insert(row).exec_without_returning(txn).await?;
    for (position, m) in milestones.iter().enumerate() {
        let row = project_milestone::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            title: Set(m.title.clone()),
            due_at: Set(m.due_at),
            state: Set(MilestoneState::Pending.as_str().to_owned()),
            done_at: Set(None),
            reminded: Set(None),
        };
        project_milestone::Entity::insert(row).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Staff publish a closed round: each PASSED candidate becomes a VOTED project with its milestones, and
/// the deputies and the responsible units are told. A tie at the last seat is refused (CONFLICT): staff
/// settle it first, e.g. by a further round on the tied candidates.
pub async fn publish(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::Publish).await?;
        let rows = project_candidate::Entity::find()
            .filter(project_candidate::Column::RoundId.eq(round_id))
            .order_by_asc(project_candidate::Column::Id)
            .all(txn)
            .await?;
        let mut verdicts = Vec::with_capacity(rows.len());
        for c in &rows {
            let v = c
                .verdict
                .as_deref()
                .ok_or_else(|| Error::Internal(format!("candidate {} has no verdict", c.id)))?;
            verdicts.push((c.id, crate::error::stored("verdict", c.id, ballot::Verdict::parse(v))?));
        }
        dom::check_publishable(&verdicts)?;
        let mut audience = vec![Audience::Deputies(row.congress_id)];
        for (c, (_, verdict)) in rows.into_iter().zip(verdicts) {
            if verdict != ballot::Verdict::Passed {
                continue;
            }
            let candidate = candidate_of(
                c.clone(),
                dom::RoundView::of(Standing::Staff, RoundState::Closed, RatingState::NotOpened),
                None,
            )?;
            insert_project(
                txn,
                actor,
                NewProject {
                    id: Uuid::now_v7(),
                    congress_id: row.congress_id,
                    kind: ProjectKind::Voted,
                    year: row.year,
                    from: Some((round_id, c.id)),
                    title: &c.title,
                    description: &c.description,
                    unit_id: c.unit_id,
                    budget_fen: c.budget_fen,
                    expected_outcome: &c.expected_outcome,
                    milestones: &candidate.milestones,
                },
            )
            .await?;
            audience.push(Audience::Unit(c.unit_id));
        }
        let saved = save_round(txn, &row, RoundState::Published, RatingState::NotOpened, |u| u).await?;
        tell(
            txn,
            &audience,
            kinds::RESULTS_PUBLISHED,
            "民生实事项目票决结果公布",
            Some(row.title.clone()),
            (ROUND_SUBJECT, round_id),
            Some(actor.user_id),
        )
        .await?;
        Ok(saved)
    })
    .await?;
    round_of(row, Standing::Staff)
}

/// Staff create a MAJOR project (重大项目网上监督) directly: same tracking, no vote.
pub async fn create_major(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    draft: ProjectDraft,
    idempotency_key: Option<&str>,
) -> Result<Project> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress create a major project").into());
    }
    dom::check_year(year, Utc::now())?;
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "createMajorProject" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        check_draft(txn, congress_id, &draft).await?;
        let planned: Vec<PlannedMilestone> = draft
            .milestones
            .iter()
            .map(|(t, d)| PlannedMilestone { title: t.as_str().to_owned(), due_at: *d })
            .collect();
        insert_project(
            txn,
            actor,
            NewProject {
                id,
                congress_id,
                kind: ProjectKind::Major,
                year,
                from: None,
                title: draft.title.as_str(),
                description: draft.description.as_str(),
                unit_id: draft.unit_id,
                budget_fen: draft.budget.fen(),
                expected_outcome: draft.expected_outcome.as_str(),
                milestones: &planned,
            },
        )
        .await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    project_for(store, Some(actor), id).await
}

/// Locks a project and checks `action` for `actor`.
async fn lock_project(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    action: ProjectAction,
) -> Result<(livelihood_project::Model, Standing, Vec<Uuid>)> {
    let row = transaction::lock::<livelihood_project::Entity>(txn, id).await?;
    let (who, group) = project_standing(txn, Some(actor), &row).await?;
    let kind = crate::error::stored("project kind", row.id, ProjectKind::parse(&row.kind))?;
    if !dom::project_visible(who, kind).0 {
        return Err("livelihood project".into());
    }
    dom::decide_project(action, who)?;
    Ok((row, who, group))
}

/// Staff appoint (replace) a project's supervision group: deputies of the project's congress.
pub async fn appoint_group(
    store: &Store,
    actor: &Actor,
    project_id: Uuid,
    deputies: Vec<Uuid>,
) -> Result<Project> {
    transaction::run(store, async |txn| {
        let (row, _, _) = lock_project(txn, actor, project_id, ProjectAction::AppointGroup).await?;
        let mut deputies = deputies;
        deputies.sort_unstable();
        deputies.dedup();
        if deputies.len() > 50 {
            return Err(DomainError::invalid("deputyIds", "at most 50").into());
        }
        let found = deputy::Entity::find()
            .filter(deputy::Column::Id.is_in(deputies.clone()))
            .filter(deputy::Column::CongressId.eq(row.congress_id))
            .count(txn)
            .await?;
        if usize::try_from(found).unwrap_or_default() != deputies.len() {
            return Err(
                DomainError::invalid("deputyIds", "are not all deputies of the project's congress").into()
            );
        }
        project_group_member::Entity::delete_many()
            .filter(project_group_member::Column::ProjectId.eq(project_id))
            .exec(txn)
            .await?;
        if !deputies.is_empty() {
            project_group_member::Entity::insert_many(deputies.iter().map(|d| {
                project_group_member::ActiveModel { project_id: Set(project_id), deputy_id: Set(*d) }
            }))
            .exec_without_returning(txn)
            .await?;
        }
        let update = livelihood_project::Entity::update_many();
        transaction::save(txn, row.id, row.version, row.version + 1, update).await?;
        Ok(())
    })
    .await?;
    project_for(store, Some(actor), project_id).await
}

/// The responsible unit reports progress, optionally on a milestone it marks done.
pub async fn report_progress(
    store: &Store,
    actor: &Actor,
    project_id: Uuid,
    draft: ReportDraft,
    idempotency_key: Option<&str>,
) -> Result<ProgressReport> {
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "reportProjectProgress" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (row, _, _) = lock_project(txn, actor, project_id, ProjectAction::ReportProgress).await?;
        let now = Utc::now();
        if let Some(milestone_id) = draft.milestone_id {
            let m = project_milestone::Entity::find_by_id(milestone_id)
                .one(txn)
                .await?
                .filter(|m| m.project_id == project_id)
                .ok_or_else(|| DomainError::invalid("milestoneId", "is not a milestone of this project"))?;
            if draft.milestone_done && m.state != MilestoneState::Done.as_str() {
                project_milestone::Entity::update_many()
                    .col_expr(project_milestone::Column::State, Expr::value(MilestoneState::Done.as_str()))
                    .col_expr(project_milestone::Column::DoneAt, Expr::value(now))
                    .filter(project_milestone::Column::Id.eq(milestone_id))
                    .exec(txn)
                    .await?;
            }
        } else if draft.milestone_done {
            return Err(DomainError::invalid("milestoneDone", "name the milestone that is done").into());
        }
        let report = project_progress_report::ActiveModel {
            id: Set(id),
            project_id: Set(project_id),
            milestone_id: Set(draft.milestone_id),
            milestone_done: Set(draft.milestone_done),
            content: Set(draft.content.as_str().to_owned()),
            percent: Set(i32::from(draft.percent.value())),
            reported_by: Set(actor.user_id),
            reported_at: Set(now),
        };
        project_progress_report::Entity::insert(report).exec_without_returning(txn).await?;
        transaction::save(
            txn,
            row.id,
            row.version,
            row.version + 1,
            livelihood_project::Entity::update_many(),
        )
        .await?;
        tell(
            txn,
            &[Audience::ProjectFollowers(project_id)],
            kinds::PROGRESS_REPORTED,
            "您关注的民生实事项目有新的进展",
            Some(row.title.clone()),
            (PROJECT_SUBJECT, project_id),
            Some(actor.user_id),
        )
        .await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    progress_report_for(store, Some(actor), id).await
}

/// A deputy of the supervision group records an inspection; with a rectification deadline the unit is
/// asked to rectify (and told).
pub async fn inspect(
    store: &Store,
    actor: &Actor,
    project_id: Uuid,
    findings: Note,
    rectification_deadline: Option<DateTime<Utc>>,
    idempotency_key: Option<&str>,
) -> Result<Inspection> {
    let now = Utc::now();
    if let Some(deadline) = rectification_deadline {
        dom::check_deadline(deadline, now)?;
    }
    let id = Uuid::now_v7();
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "inspectProject" });
    let done = transaction::run_once(store, key(actor, idem.as_ref(), id), async |txn| {
        let (row, who, _) = lock_project(txn, actor, project_id, ProjectAction::Inspect).await?;
        let Standing::GroupMember(deputy_id) = who else {
            return Err(DomainError::forbidden("only deputies of the supervision group inspect").into());
        };
        let inspection = project_inspection::ActiveModel {
            id: Set(id),
            project_id: Set(project_id),
            deputy_id: Set(deputy_id),
            findings: Set(findings.as_str().to_owned()),
            rectification_requested: Set(rectification_deadline.is_some()),
            rectification_deadline: Set(rectification_deadline),
            rectification_answer: Set(None),
            rectified_by: Set(None),
            rectified_at: Set(None),
            inspected_at: Set(now),
            version: Set(1),
        };
        project_inspection::Entity::insert(inspection).exec_without_returning(txn).await?;
        if rectification_deadline.is_some() {
            tell(
                txn,
                &[Audience::Unit(row.unit_id)],
                kinds::RECTIFICATION_REQUESTED,
                "民生实事项目整改要求",
                Some(row.title.clone()),
                (INSPECTION_SUBJECT, id),
                Some(actor.user_id),
            )
            .await?;
        }
        transaction::save(
            txn,
            row.id,
            row.version,
            row.version + 1,
            livelihood_project::Entity::update_many(),
        )
        .await?;
        Ok(id)
    })
    .await?;
    let id = match done {
        Once::Done(id) | Once::Replayed(id) => id,
    };
    inspection_for(store, Some(actor), id).await
}

/// The responsible unit answers a rectification request once; the supervision group and staff are told.
pub async fn rectify(store: &Store, actor: &Actor, inspection_id: Uuid, text: Note) -> Result<Inspection> {
    transaction::run(store, async |txn| {
        let inspection = transaction::lock::<project_inspection::Entity>(txn, inspection_id).await?;
        let (row, _, group) = lock_project(txn, actor, inspection.project_id, ProjectAction::Rectify).await?;
        dom::check_rectify(inspection.rectification_requested, inspection.rectified_at.is_some())?;
        let update = project_inspection::Entity::update_many()
            .col_expr(project_inspection::Column::RectificationAnswer, Expr::value(text.as_str()))
            .col_expr(project_inspection::Column::RectifiedBy, Expr::value(actor.user_id))
            .col_expr(project_inspection::Column::RectifiedAt, Expr::value(Utc::now()));
        transaction::save(txn, inspection.id, inspection.version, inspection.version + 1, update).await?;
        let mut audience: Vec<Audience> = group.into_iter().map(Audience::Deputy).collect();
        audience.push(Audience::Staff(row.congress_id));
        tell(
            txn,
            &audience,
            kinds::RECTIFIED,
            "民生实事项目整改已答复",
            Some(row.title.clone()),
            (INSPECTION_SUBJECT, inspection_id),
            Some(actor.user_id),
        )
        .await?;
        Ok(())
    })
    .await?;
    inspection_for(store, Some(actor), inspection_id).await
}

/// Staff open the year-end rating of a published round's projects; deputies are told.
pub async fn open_rating(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::OpenRating).await?;
        let saved = save_round(txn, &row, RoundState::Published, RatingState::Open, |u| u).await?;
        tell_deputies(
            txn,
            actor,
            row.congress_id,
            (kinds::RATING_OPENED, "民生实事项目满意度测评开始"),
            round_id,
            row.title.clone(),
        )
        .await?;
        Ok(saved)
    })
    .await?;
    round_of(row, Standing::Staff)
}

/// A deputy of the congress rates one project of the round once, secretly (a SATISFACTION ballot in the
/// project's own box), while the rating is open. Locks the round like a vote.
pub async fn rate(
    store: &Store,
    actor: &Actor,
    project_id: Uuid,
    mark: Mark,
    idempotency_key: Option<&str>,
) -> Result<Project> {
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "rateProject" });
    transaction::run_once(store, key(actor, idem.as_ref(), project_id), async |txn| {
        let project =
            livelihood_project::Entity::find_by_id(project_id).one(txn).await?.ok_or("livelihood project")?;
        let (who, _) = project_standing(txn, Some(actor), &project).await?;
        let kind = crate::error::stored("project kind", project.id, ProjectKind::parse(&project.kind))?;
        if !dom::project_visible(who, kind).0 {
            return Err(match hidden(actor, RoundAction::Rate) {
                Error::Domain(DomainError::NotFound(_)) => "livelihood project".into(),
                forbidden => forbidden,
            });
        }
        if !matches!(who, Standing::Deputy(_) | Standing::GroupMember(_)) {
            return Err(DomainError::forbidden("only deputies of the congress rate").into());
        }
        let Some(round_id) = project.round_id else {
            return Err(DomainError::conflict("only projects voted in a round are rated").into());
        };
        let (_, who) = lock_round(txn, actor, round_id, RoundAction::Rate).await?;
        let (Standing::Deputy(deputy_id) | Standing::GroupMember(deputy_id)) = who else {
            return Err(DomainError::forbidden("only deputies of the congress rate").into());
        };
        let question = BallotQuestion::new(BallotForm::Satisfaction, vec![project_id], 0)?;
        let ballot = Ballot::parse(&question, vec![(project_id, mark)])?;
        ballots::cast(
            txn,
            BallotBox { kind: RATING_BOX, id: project_id },
            &Voter::Deputy(deputy_id),
            &ballot,
            Utc::now(),
        )
        .await?;
        Ok(())
    })
    .await?;
    project_for(store, Some(actor), project_id).await
}

/// Staff close the rating (the electorate counted now) and then publish it.
pub async fn close_rating(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::CloseRating).await?;
        let electorate = i32::try_from(ballots::electorate(txn, row.congress_id).await?).unwrap_or(i32::MAX);
        save_round(txn, &row, RoundState::Published, RatingState::Closed, |u| {
            u.col_expr(project_round::Column::RatingElectorate, Expr::value(electorate))
        })
        .await
    })
    .await?;
    round_of(row, Standing::Staff)
}

/// Staff publish a closed rating: the congress sees it, and anyone once the round is public.
pub async fn publish_rating(store: &Store, actor: &Actor, round_id: Uuid) -> Result<Round> {
    let row = transaction::run(store, async |txn| {
        let (row, _) = lock_round(txn, actor, round_id, RoundAction::PublishRating).await?;
        let saved = save_round(txn, &row, RoundState::Published, RatingState::Published, |u| u).await?;
        let projects: Vec<(Uuid, String)> = livelihood_project::Entity::find()
            .select_only()
            .column(livelihood_project::Column::Id)
            .column(livelihood_project::Column::Title)
            .filter(livelihood_project::Column::RoundId.eq(round_id))
            .into_tuple()
            .all(txn)
            .await?;
        for (project_id, title) in projects {
            tell(
                txn,
                &[Audience::ProjectFollowers(project_id)],
                kinds::RATING_PUBLISHED,
                "您关注的民生实事项目的代表满意度测评结果已公布",
                Some(title),
                (PROJECT_SUBJECT, project_id),
                Some(actor.user_id),
            )
            .await?;
        }
        Ok(saved)
    })
    .await?;
    round_of(row, Standing::Staff)
}
