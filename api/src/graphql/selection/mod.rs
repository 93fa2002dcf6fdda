//! Selections (评选: 优秀建议, 优秀代表) over GraphQL: staff open a selection of best suggestions or model
//! deputies and nominate candidates (themselves, or on behalf of a deputy group) with a reason; the winners
//! are voted by a selection committee by secret ballot, or decided by staff with a reason each; staff publish
//! the results, the winners are told and each win enters its deputy's duty archive. A selection is seen by
//! the staff and deputies of its congress; results show to staff once decided, to deputies once published.

use super::ballot::Verdict;
use super::connection::{Conn, connection, page_request};
use super::directory::{Congress, Deputy, DeputyGroup};
use super::duty::DutySummary;
use super::error::{ApiError, ApiResult};
use super::ids::NodeKind;
use super::loaders::{CongressKey, DeputyGroupKey, DeputyKey};
use super::node::Node;
use super::suggestion::Suggestion;
use super::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, InputObject, MergedObject, Object};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::text::{Label, Note};
use edaibiao_infra::idempotency::Idempotency;
use edaibiao_infra::selections::{self as store_selections, NomineeInput, OpenInput};
use uuid::Uuid;

/// What a selection chooses.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::selection::SelectionKind")]
pub enum SelectionKind {
    /// 优秀建议: the best suggestions of the year; candidates are suggestions.
    BestSuggestion,
    /// 优秀代表: model deputies of the year; candidates are deputies.
    ModelDeputy,
}

/// How a selection's winners are decided.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::selection::DecisionMethod")]
pub enum SelectionMethod {
    /// The selection committee votes by secret ballot, each member choosing up to the number of places; a
    /// candidate wins with the votes of more than half of the whole committee, with a quorum.
    CommitteeVote,
    /// Staff decide, with a recorded reason per winner.
    StaffDecision,
}

/// Where a selection stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::selection::SelectionState")]
pub enum SelectionState {
    /// 推荐: candidates are nominated.
    Nominating,
    /// 投票: the committee votes.
    Voting,
    /// 已决定: the winners are known to staff, not yet published.
    Decided,
    /// 已公布: the results are public to the congress; the wins are in the winners' archives.
    Published,
    /// 已取消: cancelled before publication.
    Cancelled,
}

/// A selection (评选) of best suggestions or model deputies.
pub struct Selection(pub store_selections::Selection);

/// A selection (评选) of best suggestions (优秀建议) or model deputies (优秀代表), for the staff and deputies
/// of its congress. Ballots are secret: only the counts and who voted are kept, and counts show only with
/// the results.
#[Object]
impl Selection {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::Selection, self.0.id)
    }
    /// The congress that runs it.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// What it chooses.
    async fn kind(&self) -> SelectionKind {
        self.0.kind.into()
    }
    /// How the winners are decided.
    async fn method(&self) -> SelectionMethod {
        self.0.method.into()
    }
    /// The year it honours.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// What it is, e.g. 2026年度优秀建议评选.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// How many winners at most (and how many candidates one ballot may choose).
    async fn places(&self) -> u32 {
        self.0.places
    }
    /// Where it stands.
    async fn state(&self) -> SelectionState {
        self.0.state.into()
    }
    /// The candidates, in the order they were nominated.
    async fn candidates(&self) -> Vec<SelectionCandidate> {
        self.0.candidates.iter().cloned().map(SelectionCandidate).collect()
    }
    /// The winners once the viewer sees the results (staff once decided, deputies once published).
    async fn winners(&self) -> Vec<SelectionCandidate> {
        self.0
            .candidates
            .iter()
            .filter(|c| {
                c.result.as_ref().is_some_and(|r| r.verdict == edaibiao_domain::ballot::Verdict::Passed)
            })
            .cloned()
            .map(SelectionCandidate)
            .collect()
    }
    /// The selection committee (COMMITTEE_VOTE; empty for a staff decision).
    async fn committee(&self, ctx: &Context<'_>) -> ApiResult<Vec<Deputy>> {
        Ok(ctx.loader()?.deputies_in_order(&self.0.committee).await?.into_iter().map(Deputy).collect())
    }
    /// The committee's size: the electorate quorum and majority count against.
    async fn electorate(&self) -> u32 {
        self.0.electorate
    }
    /// Ballots cast so far (while voting) or in all (once closed).
    async fn turnout(&self) -> u32 {
        self.0.turnout
    }
    /// Whether more than half of the committee voted; null until the viewer sees the results.
    async fn quorum(&self) -> Option<bool> {
        self.0.quorum
    }
    /// Whether the viewer is a committee member who may vote now.
    async fn may_vote(&self) -> bool {
        self.0.may_vote
    }
    /// Whether the viewer has voted.
    async fn has_voted(&self) -> bool {
        self.0.has_voted
    }
    /// When staff opened it.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    /// When the winners were decided (the vote closed, or staff decided).
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// When the results were published: the date of the wins in the archives.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
}

/// A candidate of a selection.
pub struct SelectionCandidate(pub store_selections::Candidate);

/// A candidate of a selection: a suggestion (BEST_SUGGESTION) or a deputy (MODEL_DEPUTY), with the reason
/// it was nominated, the record that supports it, and its result once the viewer sees the results.
#[Object]
impl SelectionCandidate {
    /// Global ID (name it in `castSelectionBallot` and `decideSelection`).
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::SelectionCandidate, self.0.id)
    }
    /// Global ID of its selection.
    async fn selection_id(&self) -> ID {
        ids::encode(NodeKind::Selection, self.0.selection_id)
    }
    /// 1, 2, 3 … in the order of nomination.
    async fn position(&self) -> u32 {
        self.0.position
    }
    /// The suggestion nominated (BEST_SUGGESTION), as the viewer may see it; null for a deputy, or when the
    /// viewer may not see the suggestion.
    async fn suggestion(&self, ctx: &Context<'_>) -> ApiResult<Option<Suggestion>> {
        let Some(id) = self.0.suggestion_id else { return Ok(None) };
        let found = edaibiao_infra::suggestions::find_for(&ctx.services()?.store, ctx.actor()?, id).await;
        match found {
            Ok(s) => Ok(Some(Suggestion(s))),
            Err(edaibiao_infra::Error::Domain(DomainError::NotFound(_))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// The deputy a win is credited to: the deputy nominated, or the suggestion's lead deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// The supporting record of a deputy nominated (MODEL_DEPUTY): the public summary of their duty archive
    /// for the selection's year, read from the archive itself; null for a suggestion.
    async fn duty_summary(&self, ctx: &Context<'_>) -> ApiResult<Option<DutySummary>> {
        if self.0.kind != edaibiao_domain::selection::SelectionKind::ModelDeputy {
            return Ok(None);
        }
        Ok(Some(super::duty::public_summary(ctx, self.0.deputy_id, self.0.year).await?))
    }
    /// The deputy group on whose behalf it was nominated; null when staff nominated it themselves.
    async fn nominating_group(&self, ctx: &Context<'_>) -> ApiResult<Option<DeputyGroup>> {
        let Some(id) = self.0.group_id else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyGroupKey(id)).await?.map(DeputyGroup))
    }
    /// Why it was nominated.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When it was nominated.
    async fn nominated_at(&self) -> DateTime<Utc> {
        self.0.nominated_at
    }
    /// Committee members who chose it (a committee vote); null until the viewer sees the results.
    async fn votes(&self) -> Option<u32> {
        self.0.result.as_ref().and_then(|r| r.votes)
    }
    /// 1 for the most votes, equal votes sharing a rank (a committee vote); null until the viewer sees the
    /// results.
    async fn rank(&self) -> Option<u32> {
        self.0.result.as_ref().and_then(|r| r.rank)
    }
    /// PASSED: a winner; FAILED; TIED at the last place (no winner: staff may cancel and run it again);
    /// null until the viewer sees the results.
    async fn verdict(&self) -> Option<Verdict> {
        self.0.result.as_ref().map(|r| r.verdict.into())
    }
    /// Why staff chose it (a staff decision); null otherwise or until the viewer sees the results.
    async fn decision_reason(&self) -> Option<&str> {
        self.0.result.as_ref().and_then(|r| r.reason.as_deref())
    }
}

/// A selection to open.
#[derive(InputObject)]
pub struct OpenSelectionInput {
    /// Global ID of the congress that runs it.
    pub congress_id: ID,
    /// What it chooses.
    pub kind: SelectionKind,
    /// How the winners are decided.
    pub method: SelectionMethod,
    /// The year it honours, 2000–2100.
    pub year: i32,
    /// What it is, 1–100 characters, e.g. 2026年度优秀建议评选.
    pub title: String,
    /// How many winners at most, 1–50.
    pub places: u32,
    /// The selection committee for a COMMITTEE_VOTE: 1–200 deputies of the congress; none for a
    /// STAFF_DECISION.
    #[graphql(default)]
    pub committee_deputy_ids: Vec<ID>,
}

/// A winner staff decide on, with the reason.
#[derive(InputObject)]
pub struct SelectionWinnerInput {
    /// Global ID of the candidate.
    pub candidate_id: ID,
    /// Why it wins, 1–2,000 characters.
    pub reason: String,
}

#[derive(Default)]
pub struct SelectionRootQuery;

#[Object]
impl SelectionRootQuery {
    /// One selection, for the staff and deputies of its congress; NOT_FOUND for anyone else.
    async fn selection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        let actor = ctx.actor()?;
        Ok(Selection(store_selections::find_for(&ctx.services()?.store, Some(actor), id).await?))
    }

    /// A congress's selections, oldest first, for its staff and deputies; FORBIDDEN for anyone else.
    async fn selections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<Selection>> {
        let actor = ctx.actor()?;
        let congress = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let page = store_selections::list(&ctx.services()?.store, actor, congress, request).await?;
        Ok(connection(page, request, |s| s.id, Selection))
    }
}

#[derive(Default)]
pub struct SelectionRootMutation;

#[Object]
impl SelectionRootMutation {
    /// Staff of the congress open a selection (NOMINATING).
    async fn open_selection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The selection, as `OpenSelectionInput` describes it.")] input: OpenSelectionInput,
    ) -> ApiResult<Selection> {
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        if input.committee_deputy_ids.len() > edaibiao_domain::selection::MAX_MEMBERS {
            return Err(ApiError::bad_input("committeeDeputyIds", "too many members"));
        }
        let committee = input
            .committee_deputy_ids
            .iter()
            .map(|d| ids::decode(NodeKind::Deputy, "committeeDeputyIds", d))
            .collect::<ApiResult<Vec<_>>>()?;
        let open = OpenInput {
            congress_id,
            kind: input.kind.into(),
            method: input.method.into(),
            year: input.year,
            title: Label::parse("title", &input.title)?,
            places: input.places,
            committee,
        };
        Ok(Selection(store_selections::open(&ctx.services()?.store, ctx.actor()?, open).await?))
    }

    /// Staff nominate a candidate while NOMINATING: a suggestion of the congress answered or rated
    /// (BEST_SUGGESTION) or a deputy of the congress (MODEL_DEPUTY), with the reason; with `groupId`, on
    /// behalf of a deputy group of the congress, which nominates its own deputies' work. The same nominee
    /// twice is CONFLICT.
    #[allow(clippy::too_many_arguments)]
    async fn nominate_selection_candidate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] selection_id: ID,
        #[graphql(desc = "Global ID of the suggestion nominated (BEST_SUGGESTION).")] suggestion_id: Option<
            ID,
        >,
        #[graphql(desc = "Global ID of the deputy nominated (MODEL_DEPUTY).")] deputy_id: Option<ID>,
        #[graphql(desc = "Global ID of the deputy group on whose behalf staff nominate, if any.")]
        group_id: Option<ID>,
        #[graphql(desc = "Why it is nominated, 1–2,000 characters.")] reason: String,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<SelectionCandidate> {
        let id = ids::decode(NodeKind::Selection, "selectionId", &selection_id)?;
        let nominee = match (suggestion_id, deputy_id) {
            (Some(s), None) => {
                NomineeInput::Suggestion(ids::decode(NodeKind::Suggestion, "suggestionId", &s)?)
            }
            (None, Some(d)) => NomineeInput::Deputy(ids::decode(NodeKind::Deputy, "deputyId", &d)?),
            _ => return Err(ApiError::bad_input("suggestionId", "name either a suggestion or a deputy")),
        };
        let group = group_id.map(|g| ids::decode(NodeKind::DeputyGroup, "groupId", &g)).transpose()?;
        let reason = Note::parse("reason", &reason)?;
        let idem = idempotency_key
            .as_deref()
            .map(|key| Idempotency { key, operation: "nominateSelectionCandidate" });
        let store = &ctx.services()?.store;
        let actor = ctx.actor()?;
        Ok(SelectionCandidate(
            store_selections::nominate(store, actor, id, nominee, group, reason, idem).await?,
        ))
    }

    /// Staff close nominations and open the committee's vote (NOMINATING → VOTING, COMMITTEE_VOTE only); the
    /// members are told. CONFLICT without more candidates than places (差额).
    async fn start_selection_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        Ok(Selection(store_selections::start_voting(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// A committee member casts their secret ballot while VOTING: the candidates they choose, 1 to `places`.
    /// One ballot per member: a second is CONFLICT; a retry with the same `idempotencyKey` counts once.
    async fn cast_selection_ballot(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] selection_id: ID,
        #[graphql(desc = "Global IDs of the candidates chosen.")] candidate_ids: Vec<ID>,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "selectionId", &selection_id)?;
        if candidate_ids.len() > edaibiao_domain::selection::MAX_CANDIDATES {
            return Err(ApiError::bad_input("candidateIds", "too many candidates"));
        }
        let chosen = candidate_ids
            .iter()
            .map(|c| ids::decode(NodeKind::SelectionCandidate, "candidateIds", c))
            .collect::<ApiResult<Vec<_>>>()?;
        let idem =
            idempotency_key.as_deref().map(|key| Idempotency { key, operation: "castSelectionBallot" });
        let store = &ctx.services()?.store;
        Ok(Selection(store_selections::vote(store, ctx.actor()?, id, chosen, idem).await?))
    }

    /// Staff close the committee's vote (VOTING → DECIDED): each candidate's votes, rank and verdict are kept;
    /// a candidate wins with the votes of more than half of the whole committee, within the places, and only
    /// with a quorum (more than half of the committee voted).
    async fn close_selection_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        Ok(Selection(store_selections::close_vote(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// Staff decide the winners of a STAFF_DECISION selection (NOMINATING → DECIDED), 1 to `places`, each
    /// with its reason; every other candidate fails.
    async fn decide_selection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
        #[graphql(desc = "The winners with their reasons.")] winners: Vec<SelectionWinnerInput>,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        if winners.len() > edaibiao_domain::selection::MAX_CANDIDATES {
            return Err(ApiError::bad_input("winners", "too many winners"));
        }
        let mut parsed = Vec::with_capacity(winners.len());
        for w in winners {
            let candidate =
                ids::decode(NodeKind::SelectionCandidate, "winners.candidateId", &w.candidate_id)?;
            parsed.push((candidate, Note::parse("winners.reason", &w.reason)?));
        }
        Ok(Selection(store_selections::decide(&ctx.services()?.store, ctx.actor()?, id, parsed).await?))
    }

    /// Staff publish the results (DECIDED → PUBLISHED): the winners are told, the congress's deputies and
    /// staff see the results, and each win enters its deputy's duty archive (SUGGESTION_SELECTED for a
    /// suggestion's lead deputy, DEPUTY_SELECTED for a model deputy). CONFLICT without a winner (e.g. a
    /// vote without a quorum: cancel it), and for all but one of concurrent publications.
    async fn publish_selection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        Ok(Selection(store_selections::publish(&ctx.services()?.store, ctx.actor()?, id).await?))
    }

    /// Staff cancel a selection before it is published (→ CANCELLED).
    async fn cancel_selection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the selection.")] id: ID,
    ) -> ApiResult<Selection> {
        let id = ids::decode(NodeKind::Selection, "id", &id)?;
        Ok(Selection(store_selections::cancel(&ctx.services()?.store, ctx.actor()?, id).await?))
    }
}

/// A selection or candidate by global ID, for `node(id)`: null unless the viewer may see it.
pub async fn node(ctx: &Context<'_>, kind: NodeKind, id: Uuid) -> ApiResult<Option<Node>> {
    let store = &ctx.services()?.store;
    let viewer = Some(ctx.actor()?);
    let found = match kind {
        NodeKind::Selection => store_selections::find_for(store, viewer, id)
            .await
            .map(|s| Node::Selection(Box::new(Selection(s)))),
        NodeKind::SelectionCandidate => store_selections::candidate_for(store, viewer, id)
            .await
            .map(|c| Node::SelectionCandidate(Box::new(SelectionCandidate(c)))),
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(edaibiao_infra::Error::Domain(DomainError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Queries of selections.
#[derive(MergedObject, Default)]
pub struct SelectionQuery(SelectionRootQuery);

/// Mutations of selections.
#[derive(MergedObject, Default)]
pub struct SelectionMutation(SelectionRootMutation);
