//! Reads of rounds and projects, as the viewer may see them. Each read model is built once at load time
//! with the viewer's view of it ([`RoundView`]): what the viewer may not see is not loaded at all.

use crate::ballots::{self, BallotBox, Voter};
use crate::entity::{
    livelihood_project, project_candidate, project_group_member, project_inspection, project_milestone,
    project_progress_report, project_question, project_round,
};
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::ballot::{BallotForm, Tally, Verdict};
use edaibiao_domain::project::{
    self as dom, MilestoneState, ProjectKind, RATING_BOX, ROUND_BOX, RatingState, RoundState, RoundView,
    SourceKind, Standing,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A round (票决) as the viewer sees it.
#[derive(Debug, Clone)]
pub struct Round {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub title: String,
    pub form: BallotForm,
    pub seats: u32,
    pub state: RoundState,
    pub rating_state: RatingState,
    /// The deputies of the congress when the vote closed.
    pub electorate: Option<u32>,
    pub rating_electorate: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub view: RoundView,
    /// The viewer's deputy profile when the viewer is a deputy of the congress (for `hasVoted`).
    pub voter: Option<Uuid>,
}

/// A planned milestone of a candidate, as staff entered it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PlannedMilestone {
    pub title: String,
    pub due_at: DateTime<Utc>,
}

/// A suggestion or opinion that asked for a candidate.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub kind: SourceKind,
    pub id: Uuid,
}

/// The result of a candidate once the viewer may see results.
#[derive(Debug, Clone)]
pub struct CandidateResult {
    pub rank: u32,
    pub verdict: Verdict,
    pub tally: Tally,
}

/// A candidate project of a round.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: Uuid,
    pub round_id: Uuid,
    pub title: String,
    pub description: String,
    pub unit_id: Uuid,
    pub budget_fen: i64,
    pub expected_outcome: String,
    pub milestones: Vec<PlannedMilestone>,
    pub sources: Vec<Source>,
    pub result: Option<CandidateResult>,
    /// The viewer's view of the round: questions are loaded only when it allows them.
    pub view: RoundView,
}

/// A deputy's question on a candidate, and its answer.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub round_id: Uuid,
    pub candidate_id: Uuid,
    pub deputy_id: Uuid,
    pub question: String,
    pub answer: Option<String>,
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<project_question::Model> for Question {
    fn from(m: project_question::Model) -> Self {
        Self {
            id: m.id,
            round_id: m.round_id,
            candidate_id: m.candidate_id,
            deputy_id: m.deputy_id,
            question: m.question,
            answer: m.answer,
            asked_at: m.asked_at,
            answered_at: m.answered_at,
        }
    }
}

/// A project as the viewer sees it.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: ProjectKind,
    pub year: i32,
    pub round_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub unit_id: Uuid,
    pub budget_fen: i64,
    pub expected_outcome: String,
    pub created_at: DateTime<Utc>,
    /// The supervision group's deputies.
    pub group: Vec<Uuid>,
    /// Whether the viewer sees inspections (staff, deputies, the unit).
    pub inside: bool,
    /// The viewer's deputy profile when they may rate it.
    pub voter: Option<Uuid>,
    /// The year-end rating's counts, when published (or closed, for staff).
    pub rating: Option<Tally>,
}

/// A milestone of a project.
#[derive(Debug, Clone)]
pub struct Milestone {
    pub id: Uuid,
    pub project_id: Uuid,
    pub position: i32,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub state: MilestoneState,
    pub done_at: Option<DateTime<Utc>>,
}

impl Milestone {
    pub(crate) fn from_row(m: project_milestone::Model) -> Result<Self> {
        Ok(Self {
            id: m.id,
            project_id: m.project_id,
            position: m.position,
            title: m.title,
            due_at: m.due_at,
            state: stored("milestone state", m.id, MilestoneState::parse(&m.state))?,
            done_at: m.done_at,
        })
    }
}

/// A unit's progress report.
#[derive(Debug, Clone)]
pub struct ProgressReport {
    pub id: Uuid,
    pub project_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub milestone_done: bool,
    pub content: String,
    pub percent: u8,
    /// The account that reported it.
    pub reported_by: Uuid,
    pub reported_at: DateTime<Utc>,
}

impl From<project_progress_report::Model> for ProgressReport {
    fn from(m: project_progress_report::Model) -> Self {
        Self {
            id: m.id,
            project_id: m.project_id,
            milestone_id: m.milestone_id,
            milestone_done: m.milestone_done,
            content: m.content,
            percent: u8::try_from(m.percent).unwrap_or_default(),
            reported_by: m.reported_by,
            reported_at: m.reported_at,
        }
    }
}

/// A supervision group deputy's inspection.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub id: Uuid,
    pub project_id: Uuid,
    pub deputy_id: Uuid,
    pub findings: String,
    pub rectification_requested: bool,
    pub rectification_deadline: Option<DateTime<Utc>>,
    pub rectification_answer: Option<String>,
    pub rectified_at: Option<DateTime<Utc>>,
    pub inspected_at: DateTime<Utc>,
}

impl From<project_inspection::Model> for Inspection {
    fn from(m: project_inspection::Model) -> Self {
        Self {
            id: m.id,
            project_id: m.project_id,
            deputy_id: m.deputy_id,
            findings: m.findings,
            rectification_requested: m.rectification_requested,
            rectification_deadline: m.rectification_deadline,
            rectification_answer: m.rectification_answer,
            rectified_at: m.rectified_at,
            inspected_at: m.inspected_at,
        }
    }
}

/// The handling units of a round's candidates.
pub(crate) async fn units_of_round(db: &impl ConnectionTrait, round_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(project_candidate::Entity::find()
        .select_only()
        .column(project_candidate::Column::UnitId)
        .filter(project_candidate::Column::RoundId.eq(round_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// The viewer's standing towards a round.
pub(crate) async fn round_standing(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    row: &project_round::Model,
) -> Result<Standing> {
    let units = match actor {
        Some(a) if a.role == Role::UnitStaff => units_of_round(db, row.id).await?,
        _ => Vec::new(),
    };
    Ok(Standing::of(actor, row.congress_id, &units, &[]))
}

pub(crate) fn round_state(row: &project_round::Model) -> Result<(RoundState, RatingState)> {
    Ok((
        stored("round state", row.id, RoundState::parse(&row.state))?,
        stored("rating state", row.id, RatingState::parse(&row.rating_state))?,
    ))
}

fn count(v: Option<i32>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}

/// The read model of a round row for a viewer of `standing`.
pub(crate) fn round_of(row: project_round::Model, who: Standing) -> Result<Round> {
    let (state, rating_state) = round_state(&row)?;
    let voter = match who {
        Standing::Deputy(d) | Standing::GroupMember(d) => Some(d),
        _ => None,
    };
    Ok(Round {
        id: row.id,
        congress_id: row.congress_id,
        year: row.year,
        form: stored("ballot form", row.id, BallotForm::parse(&row.form))?,
        seats: u32::try_from(row.seats).unwrap_or_default(),
        state,
        rating_state,
        electorate: count(row.electorate),
        rating_electorate: count(row.rating_electorate),
        created_at: row.created_at,
        updated_at: row.updated_at,
        view: RoundView::of(who, state, rating_state),
        voter,
        title: row.title,
    })
}

/// One round, as `actor` (or an anonymous viewer) may see it; NOT_FOUND when they may not.
pub async fn round_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Round> {
    let row = project_round::Entity::find_by_id(id).one(&store.db).await?.ok_or("project round")?;
    let who = round_standing(&store.db, actor, &row).await?;
    let round = round_of(row, who)?;
    if !round.view.round {
        return Err("project round".into());
    }
    Ok(round)
}

/// A congress's rounds, newest first by creation (id order reversed is not needed: ids are v7, listed in
/// creation order): all for its staff and deputies; for unit staff those with a candidate of their unit
/// and the published ones; for anyone else the published ones.
pub async fn rounds_for(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    page: PageRequest,
) -> Result<Page<Round>> {
    let who = Standing::of(actor, congress_id, &[], &[]);
    let mut filter = Condition::all().add(project_round::Column::CongressId.eq(congress_id));
    if !matches!(who, Standing::Staff | Standing::Deputy(_) | Standing::GroupMember(_)) {
        let mut any = Condition::any().add(project_round::Column::State.eq(RoundState::Published.as_str()));
        if let Some(unit) = actor.filter(|a| a.role == Role::UnitStaff).and_then(|a| a.unit_id) {
            let rounds: Vec<Uuid> = project_candidate::Entity::find()
                .select_only()
                .column(project_candidate::Column::RoundId)
                .filter(project_candidate::Column::UnitId.eq(unit))
                .distinct()
                .into_tuple()
                .all(&store.db)
                .await?;
            any = any.add(project_round::Column::Id.is_in(rounds));
        }
        filter = filter.add(any);
    }
    let total = project_round::Entity::find().filter(filter.clone()).count(&store.db).await?;
    let mut query = project_round::Entity::find().filter(filter).order_by_asc(project_round::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(project_round::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let who = round_standing(&store.db, actor, &row).await?;
        items.push(round_of(row, who)?);
    }
    Ok(Page::from_overfetch(items, page, total))
}

/// How many ballots were cast in the round's vote (readable whenever the round is).
pub async fn ballots_cast(store: &Store, round: &Round) -> Result<u32> {
    ballots::turnout(&store.db, BallotBox { kind: ROUND_BOX, id: round.id }).await
}

/// Whether the viewing deputy has voted in the round (false for anyone else).
pub async fn has_voted(store: &Store, round: &Round) -> Result<bool> {
    match round.voter {
        Some(d) => {
            ballots::has_voted(&store.db, BallotBox { kind: ROUND_BOX, id: round.id }, &Voter::Deputy(d))
                .await
        }
        None => Ok(false),
    }
}

pub(crate) fn candidate_of(
    row: project_candidate::Model,
    view: RoundView,
    tally: Option<Tally>,
) -> Result<Candidate> {
    let milestones: Vec<PlannedMilestone> = serde_json::from_str(&row.milestones)
        .map_err(|e| Error::Internal(format!("stored milestones of {} do not parse: {e}", row.id)))?;
    let sources: Vec<Source> = serde_json::from_str(&row.sources)
        .map_err(|e| Error::Internal(format!("stored sources of {} do not parse: {e}", row.id)))?;
    let result = match (view.results, row.rank, row.verdict.as_deref()) {
        (true, Some(rank), Some(verdict)) => Some(CandidateResult {
            rank: u32::try_from(rank).unwrap_or_default(),
            verdict: stored("verdict", row.id, Verdict::parse(verdict))?,
            tally: tally.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Candidate {
        id: row.id,
        round_id: row.round_id,
        title: row.title,
        description: row.description,
        unit_id: row.unit_id,
        budget_fen: row.budget_fen,
        expected_outcome: row.expected_outcome,
        milestones,
        sources,
        result,
        view,
    })
}

/// The candidates of a round the viewer sees, in the order they were added, with their results when the
/// viewer may see them.
pub async fn candidates(store: &Store, round: &Round) -> Result<Vec<Candidate>> {
    let rows = project_candidate::Entity::find()
        .filter(project_candidate::Column::RoundId.eq(round.id))
        .order_by_asc(project_candidate::Column::Id)
        .all(&store.db)
        .await?;
    let tallies = if round.view.results {
        ballots::tallies(&store.db, BallotBox { kind: ROUND_BOX, id: round.id }).await?
    } else {
        Vec::new()
    };
    rows.into_iter()
        .map(|row| {
            let tally = tallies.iter().find(|(id, _)| *id == row.id).map(|(_, t)| t.clone());
            candidate_of(row, round.view, tally)
        })
        .collect()
}

/// One candidate, as the viewer may see it; NOT_FOUND otherwise.
pub async fn candidate_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Candidate> {
    let row = project_candidate::Entity::find_by_id(id).one(&store.db).await?.ok_or("project candidate")?;
    let round = round_for(store, actor, row.round_id).await?;
    let tally = if round.view.results {
        let all = ballots::tallies(&store.db, BallotBox { kind: ROUND_BOX, id: round.id }).await?;
        all.into_iter().find(|(c, _)| *c == id).map(|(_, t)| t)
    } else {
        None
    };
    candidate_of(row, round.view, tally)
}

/// The questions on a candidate, oldest first: for those who may see questions (the congress and the
/// responsible units); `None` for anyone else.
pub async fn questions(store: &Store, candidate: &Candidate) -> Result<Option<Vec<Question>>> {
    if !candidate.view.questions {
        return Ok(None);
    }
    let rows = project_question::Entity::find()
        .filter(project_question::Column::CandidateId.eq(candidate.id))
        .order_by_asc(project_question::Column::Id)
        .all(&store.db)
        .await?;
    Ok(Some(rows.into_iter().map(Question::from).collect()))
}

/// One question, for those who may see the round's questions; NOT_FOUND otherwise.
pub async fn question_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Question> {
    let row = project_question::Entity::find_by_id(id).one(&store.db).await?.ok_or("project question")?;
    let round = round_for(store, actor, row.round_id).await?;
    if !round.view.questions {
        return Err("project question".into());
    }
    Ok(row.into())
}

pub(crate) async fn group_of(db: &impl ConnectionTrait, project_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(project_group_member::Entity::find()
        .select_only()
        .column(project_group_member::Column::DeputyId)
        .filter(project_group_member::Column::ProjectId.eq(project_id))
        .order_by_asc(project_group_member::Column::DeputyId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The viewer's standing towards a project.
pub(crate) async fn project_standing(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    row: &livelihood_project::Model,
) -> Result<(Standing, Vec<Uuid>)> {
    let group = group_of(db, row.id).await?;
    Ok((Standing::of(actor, row.congress_id, &[row.unit_id], &group), group))
}

async fn project_of(
    store: &Store,
    actor: Option<&Actor>,
    row: livelihood_project::Model,
) -> Result<Option<Project>> {
    let (who, group) = project_standing(&store.db, actor, &row).await?;
    let kind = stored("project kind", row.id, ProjectKind::parse(&row.kind))?;
    let (visible, inside) = dom::project_visible(who, kind);
    if !visible {
        return Ok(None);
    }
    let mut rating = None;
    if let Some(round_id) = row.round_id {
        let round =
            project_round::Entity::find_by_id(round_id).one(&store.db).await?.ok_or("project round")?;
        let (state, rating_state) = round_state(&round)?;
        if RoundView::of(who, state, rating_state).rating_results {
            let tallies = ballots::tallies(&store.db, BallotBox { kind: RATING_BOX, id: row.id }).await?;
            rating = Some(tallies.into_iter().map(|(_, t)| t).next().unwrap_or_default());
        }
    }
    let voter = match who {
        Standing::Deputy(d) | Standing::GroupMember(d) => Some(d),
        _ => None,
    };
    Ok(Some(Project {
        id: row.id,
        congress_id: row.congress_id,
        kind,
        year: row.year,
        round_id: row.round_id,
        title: row.title,
        description: row.description,
        unit_id: row.unit_id,
        budget_fen: row.budget_fen,
        expected_outcome: row.expected_outcome,
        created_at: row.created_at,
        group,
        inside,
        voter,
        rating,
    }))
}

/// One project, as the viewer may see it; NOT_FOUND otherwise.
pub async fn project_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Project> {
    let row = livelihood_project::Entity::find_by_id(id).one(&store.db).await?.ok_or("livelihood project")?;
    project_of(store, actor, row).await?.ok_or_else(|| "livelihood project".into())
}

/// A congress's projects (optionally of one round, or of one kind), in creation order: all for its staff
/// and deputies; for a unit its own and the VOTED ones; for anyone else the VOTED ones (of published
/// rounds: projects exist only once a round is published).
pub async fn projects_for(
    store: &Store,
    actor: Option<&Actor>,
    congress_id: Uuid,
    round_id: Option<Uuid>,
    kind: Option<ProjectKind>,
    page: PageRequest,
) -> Result<Page<Project>> {
    let who = Standing::of(actor, congress_id, &[], &[]);
    let mut filter = Condition::all().add(livelihood_project::Column::CongressId.eq(congress_id));
    if let Some(round) = round_id {
        filter = filter.add(livelihood_project::Column::RoundId.eq(round));
    }
    if let Some(kind) = kind {
        filter = filter.add(livelihood_project::Column::Kind.eq(kind.as_str()));
    }
    if !matches!(who, Standing::Staff | Standing::Deputy(_) | Standing::GroupMember(_)) {
        let mut any = Condition::any().add(livelihood_project::Column::Kind.eq(ProjectKind::Voted.as_str()));
        if let Some(unit) = actor.filter(|a| a.role == Role::UnitStaff).and_then(|a| a.unit_id) {
            any = any.add(livelihood_project::Column::UnitId.eq(unit));
        }
        filter = filter.add(any);
    }
    let total = livelihood_project::Entity::find().filter(filter.clone()).count(&store.db).await?;
    let mut query =
        livelihood_project::Entity::find().filter(filter).order_by_asc(livelihood_project::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(livelihood_project::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(&store.db).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(p) = project_of(store, actor, row).await? {
            items.push(p);
        }
    }
    Ok(Page::from_overfetch(items, page, total))
}

/// A project's milestones in plan order.
pub async fn milestones(store: &Store, project: &Project) -> Result<Vec<Milestone>> {
    project_milestone::Entity::find()
        .filter(project_milestone::Column::ProjectId.eq(project.id))
        .order_by_asc(project_milestone::Column::Position)
        .all(&store.db)
        .await?
        .into_iter()
        .map(Milestone::from_row)
        .collect()
}

/// A project's progress reports, oldest first.
pub async fn progress_reports(store: &Store, project: &Project) -> Result<Vec<ProgressReport>> {
    Ok(project_progress_report::Entity::find()
        .filter(project_progress_report::Column::ProjectId.eq(project.id))
        .order_by_asc(project_progress_report::Column::Id)
        .all(&store.db)
        .await?
        .into_iter()
        .map(ProgressReport::from)
        .collect())
}

/// A project's inspections, oldest first, for those inside the congress and the unit; `None` otherwise.
pub async fn inspections(store: &Store, project: &Project) -> Result<Option<Vec<Inspection>>> {
    if !project.inside {
        return Ok(None);
    }
    Ok(Some(
        project_inspection::Entity::find()
            .filter(project_inspection::Column::ProjectId.eq(project.id))
            .order_by_asc(project_inspection::Column::Id)
            .all(&store.db)
            .await?
            .into_iter()
            .map(Inspection::from)
            .collect(),
    ))
}

/// Whether the viewing deputy has rated the project.
pub async fn has_rated(store: &Store, project: &Project) -> Result<bool> {
    match project.voter {
        Some(d) => {
            ballots::has_voted(&store.db, BallotBox { kind: RATING_BOX, id: project.id }, &Voter::Deputy(d))
                .await
        }
        None => Ok(false),
    }
}

/// The year-end rating of a round's projects summed (满意度总体), when the viewer may see rating results.
pub async fn overall_rating(store: &Store, round: &Round) -> Result<Option<Tally>> {
    if !round.view.rating_results {
        return Ok(None);
    }
    let ids: Vec<Uuid> = livelihood_project::Entity::find()
        .select_only()
        .column(livelihood_project::Column::Id)
        .filter(livelihood_project::Column::RoundId.eq(round.id))
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut sum = Tally::default();
    for id in ids {
        for (_, t) in ballots::tallies(&store.db, BallotBox { kind: RATING_BOX, id }).await? {
            sum.satisfied += t.satisfied;
            sum.basically_satisfied += t.basically_satisfied;
            sum.dissatisfied += t.dissatisfied;
        }
    }
    Ok(Some(sum))
}

/// One milestone, progress report or inspection by id, for node lookups: the project it belongs to must
/// be visible (inspections: from inside).
pub async fn milestone_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Milestone> {
    let row = project_milestone::Entity::find_by_id(id).one(&store.db).await?.ok_or("milestone")?;
    project_for(store, actor, row.project_id).await?;
    Milestone::from_row(row)
}

pub async fn progress_report_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<ProgressReport> {
    let row =
        project_progress_report::Entity::find_by_id(id).one(&store.db).await?.ok_or("progress report")?;
    project_for(store, actor, row.project_id).await?;
    Ok(row.into())
}

pub async fn inspection_for(store: &Store, actor: Option<&Actor>, id: Uuid) -> Result<Inspection> {
    let row = project_inspection::Entity::find_by_id(id).one(&store.db).await?.ok_or("inspection")?;
    if !project_for(store, actor, row.project_id).await?.inside {
        return Err("inspection".into());
    }
    Ok(row.into())
}
