//! Livelihood projects (民生实事项目) over GraphQL: staff open a round and add candidates, deputies ask and
//! the units answer, the deputies vote secretly, staff close and publish; the passed candidates (and major
//! projects staff create) are followed through milestones, progress reports, the supervision group's
//! inspections and rectifications, and a year-end satisfaction rating. Resolvers parse arguments and call
//! one use case of `edaibiao_infra::projects`.

mod enums;
pub mod types;

pub use types::{
    LivelihoodProject, Milestone, ProgressReport, ProjectCandidate, ProjectInspection, ProjectQuestion,
    ProjectRound,
};

use crate::graphql::ids::NodeKind;

use crate::graphql::ballot::{BallotForm, Mark, MarkInput};
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::node::Node;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::project::{Budget, Percent, SourceKind};
use edaibiao_domain::text::{Body, Note, Title};
use edaibiao_infra::projects::{self as store, OpenRound, ProjectDraft, ReportDraft, Source};
use enums::LivelihoodProjectKind;
use uuid::Uuid;

fn round_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::ProjectRound, field, id)
}

fn project_id(id: &ID, field: &'static str) -> ApiResult<Uuid> {
    ids::decode(NodeKind::LivelihoodProject, field, id)
}

/// A step of a project's plan.
#[derive(InputObject)]
pub struct PlannedMilestoneInput {
    /// What is to be done, 1–100 characters.
    pub title: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
}

/// A candidate project (or a major project) as staff describe it.
#[derive(InputObject)]
pub struct ProjectInput {
    /// Title, 1–100 characters.
    pub title: String,
    /// What the project is, 1–20,000 characters.
    pub description: String,
    /// Global ID of the responsible handling unit, of the same congress.
    pub responsible_unit_id: ID,
    /// The budget in fen (分, 1/100 yuan; 1 万元 = 1,000,000 fen), 0 to 10^15.
    pub budget_fen: crate::graphql::fen::Fen,
    /// What it is expected to achieve, 1–2,000 characters.
    pub expected_outcome: String,
    /// The planned milestones, at most 50.
    #[graphql(default)]
    pub milestones: Vec<PlannedMilestoneInput>,
    /// Global IDs of the suggestions or opinions of the congress that asked for it.
    #[graphql(default)]
    pub source_ids: Vec<ID>,
}

impl ProjectInput {
    fn parse(self) -> ApiResult<ProjectDraft> {
        let mut milestones = Vec::with_capacity(self.milestones.len());
        for m in self.milestones {
            milestones.push((Title::parse("milestones", &m.title)?, m.due_at));
        }
        let mut sources = Vec::with_capacity(self.source_ids.len());
        for id in &self.source_ids {
            let source = match ids::decode_any(id) {
                Some((NodeKind::Suggestion, id)) => Source { kind: SourceKind::Suggestion, id },
                Some((NodeKind::Opinion, id)) => Source { kind: SourceKind::Opinion, id },
                _ => return Err(ApiError::bad_input("sourceIds", "is not a Suggestion or Opinion ID")),
            };
            sources.push(source);
        }
        Ok(ProjectDraft {
            title: Title::parse("title", &self.title)?,
            description: Body::parse("description", &self.description)?,
            unit_id: ids::decode(NodeKind::HandlingUnit, "responsibleUnitId", &self.responsible_unit_id)?,
            budget: Budget::from_fen(self.budget_fen.0)?,
            expected_outcome: Note::parse("expectedOutcome", &self.expected_outcome)?,
            milestones,
            sources,
        })
    }
}

/// A round to open.
#[derive(InputObject)]
pub struct OpenProjectRoundInput {
    /// Global ID of the congress whose deputies vote.
    pub congress_id: ID,
    /// The year the projects are for (2000 to next year).
    pub year: i32,
    /// Title, 1–100 characters.
    pub title: String,
    /// CHOOSE_UP_TO (差额票决) or FOR_AGAINST_ABSTAIN.
    pub form: BallotForm,
    /// CHOOSE_UP_TO: how many candidates are chosen (at least 1; voting needs more candidates). Ignored
    /// otherwise.
    #[graphql(default)]
    pub seats: i32,
}

/// A progress report.
#[derive(InputObject)]
pub struct ReportProjectProgressInput {
    /// Global ID of the project.
    pub project_id: ID,
    /// What was done, 1–2,000 characters.
    pub content: String,
    /// How far the whole project is, 0–100.
    pub percent: i32,
    /// Global ID of the milestone reported on, if any.
    pub milestone_id: Option<ID>,
    /// Marks that milestone DONE.
    #[graphql(default)]
    pub milestone_done: bool,
}

/// An inspection to record.
#[derive(InputObject)]
pub struct InspectProjectInput {
    /// Global ID of the project.
    pub project_id: ID,
    /// What was found, 1–2,000 characters.
    pub findings: String,
    /// Set to ask the unit to rectify by then (ahead, within a year); the unit is told.
    pub rectification_deadline: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct ProjectQuery;

#[Object]
impl ProjectQuery {
    /// One round (票决): for the congress's staff and deputies and the candidates' units; for anyone,
    /// anonymous included, once PUBLISHED. NOT_FOUND otherwise.
    async fn project_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] id: ID,
    ) -> ApiResult<ProjectRound> {
        let found = store::round_for(&ctx.services()?.store, ctx.actor_opt(), round_id(&id, "id")?).await?;
        Ok(ProjectRound(found))
    }

    /// A congress's rounds in the order they were opened: all for its staff and deputies; for unit staff
    /// those with a candidate of their unit and the published ones; for anyone else the published ones.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn project_rounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<ProjectRound>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let page = store::rounds_for(&ctx.services()?.store, ctx.actor_opt(), congress, request).await?;
        Ok(connection(page, request, |r| r.id, ProjectRound))
    }

    /// One project: VOTED projects for anyone, MAJOR ones for the congress's staff and deputies and the
    /// responsible unit; NOT_FOUND otherwise.
    async fn livelihood_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the project.")] id: ID,
    ) -> ApiResult<LivelihoodProject> {
        let found =
            store::project_for(&ctx.services()?.store, ctx.actor_opt(), project_id(&id, "id")?).await?;
        Ok(LivelihoodProject(found))
    }

    /// A congress's projects in the order they were created: all for its staff and deputies; for unit
    /// staff their own and the VOTED ones; for anyone else the VOTED ones.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn livelihood_projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only the projects of this round.")] round_id: Option<ID>,
        #[graphql(desc = "Only projects of this kind.")] kind: Option<LivelihoodProjectKind>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item of the previous page.")] after: Option<String>,
    ) -> ApiResult<Conn<LivelihoodProject>> {
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let round = round_id.as_ref().map(|id| self::round_id(id, "roundId")).transpose()?;
        let request = page_request(first, after)?;
        let page = store::projects_for(
            &ctx.services()?.store,
            ctx.actor_opt(),
            congress,
            round,
            kind.map(Into::into),
            request,
        )
        .await?;
        Ok(connection(page, request, |p| p.id, LivelihoodProject))
    }
}

#[derive(Default)]
pub struct ProjectMutation;

#[Object]
impl ProjectMutation {
    /// A citizen follows a VOTED project (public once its round is published), to hear the responsible
    /// unit's progress reports (`PROJECT_PROGRESS_REPORTED`) and the deputies' published rating
    /// (`PROJECT_RATING_PUBLISHED`) in their inbox. Following twice is following once. FORBIDDEN for other
    /// roles (they hear of their own work); NOT_FOUND for a project the citizen cannot read.
    async fn follow_livelihood_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the project.")] id: ID,
    ) -> ApiResult<LivelihoodProject> {
        let actor = ctx.actor()?;
        let followed = store::follow::follow(&ctx.services()?.store, actor, project_id(&id, "id")?).await?;
        Ok(LivelihoodProject(followed))
    }

    /// Stops following a project (whether or not the viewer did).
    async fn unfollow_livelihood_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the project.")] id: ID,
    ) -> ApiResult<LivelihoodProject> {
        let actor = ctx.actor()?;
        let left = store::follow::unfollow(&ctx.services()?.store, actor, project_id(&id, "id")?).await?;
        Ok(LivelihoodProject(left))
    }

    /// Staff open a round for a year (OPEN); the congress's deputies are told (`PROJECT_ROUND_OPENED`).
    /// A retry with the same `idempotencyKey` (8–100 characters) returns the first round.
    async fn open_project_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The round.")] input: OpenProjectRoundInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not open a second round.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let open = OpenRound {
            congress_id: ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?,
            year: input.year,
            title: Title::parse("title", &input.title)?,
            form: input.form.into(),
            seats: u32::try_from(input.seats)
                .map_err(|_| ApiError::bad_input("seats", "must not be negative"))?,
        };
        Ok(ProjectRound(store::open_round(&services.store, actor, open, idempotency_key.as_deref()).await?))
    }

    /// Staff add a candidate while the round is OPEN (at most 100).
    async fn add_project_candidate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
        #[graphql(desc = "The candidate.")] input: ProjectInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not add it twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProjectCandidate> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let round = self::round_id(&round_id, "roundId")?;
        let draft = input.parse()?;
        Ok(ProjectCandidate(
            store::add_candidate(&services.store, actor, round, draft, idempotency_key.as_deref()).await?,
        ))
    }

    /// Staff edit a candidate while the round is OPEN.
    async fn update_project_candidate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the candidate.")] id: ID,
        #[graphql(desc = "The candidate as it is to be.")] input: ProjectInput,
    ) -> ApiResult<ProjectCandidate> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::ProjectCandidate, "id", &id)?;
        Ok(ProjectCandidate(store::update_candidate(&services.store, actor, id, input.parse()?).await?))
    }

    /// A deputy of the congress asks about a candidate while the round is OPEN or VOTING (情况说明、代表询问).
    async fn ask_project_question(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the candidate.")] candidate_id: ID,
        #[graphql(desc = "The question, 1–2,000 characters.")] question: String,
        #[graphql(desc = "The phone's key for this request, so a retry does not ask twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProjectQuestion> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let candidate = ids::decode(NodeKind::ProjectCandidate, "candidateId", &candidate_id)?;
        let text = Note::parse("question", &question)?;
        Ok(ProjectQuestion(
            store::ask(&services.store, actor, candidate, text, idempotency_key.as_deref()).await?,
        ))
    }

    /// The candidate's responsible unit answers a question once, while the round is OPEN or VOTING; the
    /// deputy who asked is told (`PROJECT_QUESTION_ANSWERED`).
    async fn answer_project_question(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the question.")] id: ID,
        #[graphql(desc = "The answer, 1–2,000 characters.")] answer: String,
    ) -> ApiResult<ProjectQuestion> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::ProjectQuestion, "id", &id)?;
        let text = Note::parse("answer", &answer)?;
        Ok(ProjectQuestion(store::answer(&services.store, actor, id, text).await?))
    }

    /// Staff open the vote (OPEN → VOTING). CONFLICT unless the candidates make a valid ballot
    /// (CHOOSE_UP_TO: more candidates than seats). Deputies are told (`PROJECT_VOTING_OPENED`).
    async fn open_project_voting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(
            store::open_voting(&services.store, actor, self::round_id(&round_id, "roundId")?).await?,
        ))
    }

    /// A deputy of the congress casts their one secret ballot while VOTING: CHOOSE_UP_TO marks 1 to `seats`
    /// candidates CHOSEN; FOR_AGAINST_ABSTAIN marks every candidate. Only the register of who voted and the
    /// counts are kept, never the ballot. A retry with the same `idempotencyKey` answers as the first did;
    /// a second ballot is CONFLICT; a deputy of another congress FORBIDDEN.
    async fn cast_project_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
        #[graphql(desc = "The marks, one per candidate marked.")] marks: Vec<MarkInput>,
        #[graphql(desc = "The phone's key for this request, so a retry is not a second ballot.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let round = self::round_id(&round_id, "roundId")?;
        let mut parsed = Vec::with_capacity(marks.len());
        for m in marks {
            parsed.push((ids::decode(NodeKind::ProjectCandidate, "marks", &m.candidate)?, m.mark.into()));
        }
        Ok(ProjectRound(
            store::cast(&services.store, actor, round, parsed, idempotency_key.as_deref()).await?,
        ))
    }

    /// Staff close the vote (VOTING → CLOSED): the electorate is the congress's deputies now; results are
    /// computed (quorum: more than half voted; a candidate passes with more than half of the whole
    /// electorate, within the seats; a tie at the last seat is TIED) and shown to staff.
    async fn close_project_voting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(
            store::close_voting(&services.store, actor, self::round_id(&round_id, "roundId")?).await?,
        ))
    }

    /// Staff publish a closed round (CLOSED → PUBLISHED): each PASSED candidate becomes a VOTED project
    /// with its milestones; deputies and the units are told. CONFLICT while a result is TIED: staff settle
    /// it first (e.g. a further round on the tied candidates).
    async fn publish_project_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(store::publish(&services.store, actor, self::round_id(&round_id, "roundId")?).await?))
    }

    /// Staff create a MAJOR project (重大项目网上监督): tracked like a voted one, without a vote.
    async fn create_major_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The year it is for.")] year: i32,
        #[graphql(desc = "The project.")] input: ProjectInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not create it twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LivelihoodProject> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let draft = input.parse()?;
        let created =
            store::create_major(&services.store, actor, congress, year, draft, idempotency_key.as_deref())
                .await?;
        Ok(LivelihoodProject(created))
    }

    /// Staff appoint (replace) a project's supervision group: deputies of its congress (at most 50).
    async fn appoint_supervision_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the project.")] project_id: ID,
        #[graphql(desc = "Global IDs of the deputies.")] deputy_ids: Vec<ID>,
    ) -> ApiResult<LivelihoodProject> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let deputies = deputy_ids
            .iter()
            .map(|d| ids::decode(NodeKind::Deputy, "deputyIds", d))
            .collect::<ApiResult<Vec<_>>>()?;
        let project = self::project_id(&project_id, "projectId")?;
        Ok(LivelihoodProject(store::appoint_group(&services.store, actor, project, deputies).await?))
    }

    /// The responsible unit reports progress, optionally on a milestone it marks DONE.
    async fn report_project_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: ReportProjectProgressInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not report twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProgressReport> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let project = self::project_id(&input.project_id, "projectId")?;
        let draft = ReportDraft {
            content: Note::parse("content", &input.content)?,
            percent: Percent::new(input.percent)?,
            milestone_id: ids::decode_opt(NodeKind::Milestone, "milestoneId", input.milestone_id.as_ref())?,
            milestone_done: input.milestone_done,
        };
        let saved =
            store::report_progress(&services.store, actor, project, draft, idempotency_key.as_deref())
                .await?;
        Ok(ProgressReport(saved))
    }

    /// A deputy of the supervision group records an inspection (视察); with `rectificationDeadline` the
    /// unit is asked to rectify and told (`PROJECT_RECTIFICATION_REQUESTED`).
    async fn inspect_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The inspection.")] input: InspectProjectInput,
        #[graphql(desc = "The phone's key for this request, so a retry does not record it twice.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<ProjectInspection> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let project = self::project_id(&input.project_id, "projectId")?;
        let findings = Note::parse("findings", &input.findings)?;
        let saved = store::inspect(
            &services.store,
            actor,
            project,
            findings,
            input.rectification_deadline,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(ProjectInspection(saved))
    }

    /// The responsible unit answers a rectification request once; the supervision group and staff are
    /// told (`PROJECT_RECTIFIED`).
    async fn answer_project_rectification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the inspection that asked for it.")] inspection_id: ID,
        #[graphql(desc = "What was done, 1–2,000 characters.")] answer: String,
    ) -> ApiResult<ProjectInspection> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let id = ids::decode(NodeKind::ProjectInspection, "inspectionId", &inspection_id)?;
        let text = Note::parse("answer", &answer)?;
        Ok(ProjectInspection(store::rectify(&services.store, actor, id, text).await?))
    }

    /// Staff open the year-end satisfaction rating of a PUBLISHED round's projects; deputies are told.
    async fn open_project_rating(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(
            store::open_rating(&services.store, actor, self::round_id(&round_id, "roundId")?).await?,
        ))
    }

    /// A deputy of the congress rates one project of the round once, secretly: SATISFIED,
    /// BASICALLY_SATISFIED or DISSATISFIED. A retry with the same key answers as the first; a second rating
    /// is CONFLICT.
    async fn rate_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the project.")] project_id: ID,
        #[graphql(desc = "SATISFIED, BASICALLY_SATISFIED or DISSATISFIED.")] mark: Mark,
        #[graphql(desc = "The phone's key for this request, so a retry is not a second rating.")]
        idempotency_key: Option<String>,
    ) -> ApiResult<LivelihoodProject> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        let project = self::project_id(&project_id, "projectId")?;
        let rated =
            store::rate(&services.store, actor, project, mark.into(), idempotency_key.as_deref()).await?;
        Ok(LivelihoodProject(rated))
    }

    /// Staff close the rating (staff then see the counts).
    async fn close_project_rating(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(
            store::close_rating(&services.store, actor, self::round_id(&round_id, "roundId")?).await?,
        ))
    }

    /// Staff publish the closed rating: the congress sees the counts, and anyone (the round being public).
    async fn publish_project_rating(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the round.")] round_id: ID,
    ) -> ApiResult<ProjectRound> {
        let (services, actor) = (ctx.services()?, ctx.actor()?);
        Ok(ProjectRound(
            store::publish_rating(&services.store, actor, self::round_id(&round_id, "roundId")?).await?,
        ))
    }
}

/// Loads a project node for `node(id)` with the visibility of the field it comes from; null when the viewer
/// may not see it or it does not exist.
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let store = &ctx.services()?.store;
    let actor = ctx.actor_opt();
    let found = match kind {
        NodeKind::ProjectRound => {
            store::round_for(store, actor, id).await.map(|r| Node::ProjectRound(Box::new(ProjectRound(r))))
        }
        NodeKind::ProjectCandidate => store::candidate_for(store, actor, id)
            .await
            .map(|c| Node::ProjectCandidate(Box::new(ProjectCandidate(c)))),
        NodeKind::ProjectQuestion => store::question_for(store, actor, id)
            .await
            .map(|q| Node::ProjectQuestion(Box::new(ProjectQuestion(q)))),
        NodeKind::LivelihoodProject => store::project_for(store, actor, id)
            .await
            .map(|p| Node::LivelihoodProject(Box::new(LivelihoodProject(p)))),
        NodeKind::Milestone => {
            store::milestone_for(store, actor, id).await.map(|m| Node::Milestone(Box::new(Milestone(m))))
        }
        NodeKind::ProgressReport => store::progress_report_for(store, actor, id)
            .await
            .map(|p| Node::ProgressReport(Box::new(ProgressReport(p)))),
        NodeKind::ProjectInspection => store::inspection_for(store, actor, id)
            .await
            .map(|i| Node::ProjectInspection(Box::new(ProjectInspection(i)))),
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
